"""Using bibconv as a library: read a scraped page, look at it, write several formats.

Run from the repository root:  python examples/library_use.py
"""

from __future__ import annotations

from pathlib import Path

import bibconv

HERE = Path(__file__).resolve().parent

# Warnings are data: collect them instead of printing.
diagnostics: list[bibconv.Diagnostic] = []
papers = bibconv.load(HERE / "kun-jin.txt", diagnostics=diagnostics)

print(f"{len(papers)} papers, {len(diagnostics)} warnings")
for paper in papers:
    authors = ", ".join(person.display_name for person in paper.author)
    venue = paper.venue.short if paper.venue else "?"
    print(f"{paper.year} {venue:8} {paper.title[:50]:50} {authors[:40]}")

# Papers are frozen dataclasses: derive new ones with replace().
first = bibconv.model.replace(papers[0], note="Camera-ready version")

# Write to strings in any registered format ...
csl = bibconv.dumps([first, *papers[1:]], "csl-json")
print(csl[:200], "...")

# ... or straight to files, the format taken from the suffix, written atomically.
out = Path("kun-jin-example-output.json")
bibconv.dump(papers, out)
print(f"wrote {out} ({out.stat().st_size} bytes)")
out.unlink()

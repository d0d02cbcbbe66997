"""The example page's outputs: which writer and options make which file in examples/.

`python examples/outputs.py` regenerates them all; tests/test_examples.py fails when a
file has drifted from what the current code writes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import bibconv

HERE = Path(__file__).resolve().parent
SOURCE = "examples/kun-jin.txt"  # relative, so the origin written into outputs is portable

#: file name -> (writer, writer options)
OUTPUTS: dict[str, tuple[str, dict[str, Any]]] = {
    "kun-jin.csl.json": ("csl-json", {}),
    "kun-jin.csl.jsonl": ("csl-jsonl", {}),
    "kun-jin.bibconv.json": ("json", {}),
    "kun-jin.bibconv.jsonl": ("jsonl", {}),
    "kun-jin.bib": ("bibtex", {}),
    "kun-jin.biblatex.bib": ("biblatex", {}),
    "kun-jin.ris": ("ris", {}),
    "kun-jin.ttl": ("turtle", {}),
    "kun-jin.nt": ("ntriples", {}),
    "kun-jin.jsonld": ("jsonld", {}),
    "kun-jin.rdf": ("rdfxml", {}),
    "kun-jin.apa.txt": ("citation", {"style": "apa"}),
    "kun-jin.ieee.txt": ("citation", {"style": "ieee"}),
    "kun-jin.chicago-author-date.txt": ("citation", {"style": "chicago-author-date"}),
    "kun-jin.apa.html": ("citation", {"style": "apa", "citation_format": "html"}),
}


def render(name: str) -> str:
    """The text the current code writes for one example output."""
    writer, options = OUTPUTS[name]
    papers = bibconv.PaperSource([HERE.parent / SOURCE], "cluster", bibconv.Reporter())
    papers._inputs[0].origin = SOURCE
    return bibconv.dumps(papers, writer, diagnostics=[], **options)


def main() -> int:
    """Regenerate every example output (those whose writer is installed)."""
    for name in OUTPUTS:
        try:
            text = render(name)
        except bibconv.BibconvError as exc:
            print(f"skipped {name}: {exc}", file=sys.stderr)
            continue
        (HERE / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote examples/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Citation writer speed next to citeproc-js, whole process, on the same items.

Generates a deterministic synthetic cluster corpus (benchmarks/corpus.py), converts it
once to CSL-JSON with bibconv, then times, for each style, two whole processes on that
same CSL-JSON file, interleaved and repeated (the median is printed):

- ``bibconv convert items.json --to citation --style STYLE`` (this checkout), and
- ``node tests/citeprocjs/render.js`` (npm ``citeproc``) rendering the bibliography of
  the same items with the same style and locale files.

It also counts the entries both print identically (plain text, position by position,
against a citeproc-js run that also cites every item, so that it disambiguates), a
fidelity check at a larger scale than the hand-written agreement corpus.

    python benchmarks/citations.py [--papers 1000] [--repeat 3] [--styles apa ieee ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus  # noqa: E402

from bibconv.styles import locales_dir, resolve_style  # noqa: E402

STYLES = ("apa", "ieee", "chicago-author-date")
JS = ROOT / "tests" / "citeprocjs" / "render.js"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _timed(args: list[str], stdin: Path | None = None) -> tuple[float, str]:
    """Wall-clock seconds of one whole process, and its standard output."""
    data = stdin.read_bytes() if stdin else b""
    start = time.perf_counter()
    done = subprocess.run(args, input=data, capture_output=True, env=_env(), check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])}... failed: {done.stderr.decode()[-1500:]}")
    return elapsed, done.stdout.decode("utf-8")


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when node or the npm package is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--styles", nargs="*", default=list(STYLES))
    args = parser.parse_args(argv)
    node = shutil.which("node")
    if node is None or not (JS.parent / "node_modules" / "citeproc").is_dir():
        print("needs node and 'npm install' in tests/citeprocjs", file=sys.stderr)
        return 1
    bibconv = [sys.executable, "-m", "bibconv.cli"]
    with tempfile.TemporaryDirectory(prefix="bibconv-cite-bench-") as tmp:
        work = Path(tmp)
        corpus = write_corpus(work / "corpus.txt", args.papers)
        items_path = work / "items.json"
        _timed([*bibconv, "convert", str(corpus), "--to", "csl-json", "-o", str(items_path)])
        items = json.loads(items_path.read_text(encoding="utf-8"))
        print(f"{len(items)} items (synthetic corpus, seed 7), medians of {args.repeat} runs, "
              f"wall clock including process start\n")
        print("| style | bibconv s | entries/s | citeproc-js s | entries/s | bibconv / js time "
              "| identical entries |")
        print("|---|---|---|---|---|---|---|")
        for style in args.styles:
            request = work / f"request-{style}.json"
            request.write_text(json.dumps({
                "style": str(resolve_style(style)[0]), "locale": "en-US",
                "locales_dir": str(locales_dir()), "format": "text", "citations": False,
                "items": items}), encoding="utf-8")
            ours_times, js_times = [], []
            ours_text = js_text = ""
            for _ in range(args.repeat):
                seconds, ours_text = _timed([*bibconv, "convert", str(items_path), "--to",
                                             "citation", "--style", style])
                ours_times.append(seconds)
                seconds, js_text = _timed([node, str(JS)], stdin=request)
                js_times.append(seconds)
            ours_lines = ours_text.splitlines()
            js_count = len(json.loads(js_text)["bibliography"])
            # Fidelity from a run that also cites every item (untimed): citeproc-js only
            # disambiguates (2020a/2020b) items that were cited, and so does a real
            # document; the timed runs render the bibliography alone.
            cited = json.loads(request.read_text(encoding="utf-8"))
            cited["citations"] = True
            request.write_text(json.dumps(cited), encoding="utf-8")
            js_lines = json.loads(_timed([node, str(JS)], stdin=request)[1])["bibliography"]
            same = sum(a == b for a, b in zip(ours_lines, js_lines, strict=False))
            ours_s, js_s = statistics.median(ours_times), statistics.median(js_times)
            print(f"| {style} | {ours_s:.2f} | {len(ours_lines) / ours_s:,.0f} | {js_s:.2f} "
                  f"| {js_count / js_s:,.0f} | {ours_s / js_s:.2f} "
                  f"| {same}/{len(js_lines)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

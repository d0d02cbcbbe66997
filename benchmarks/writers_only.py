"""Writer-only timing: papers read once into memory, then each writer timed on them.

    python benchmarks/writers_only.py [--papers 10000] [--writers bibtex,turtle] [--profile]

Separates a writer's own cost from the reader's, for work on one writer. Prints the
floor of benchmarks/run.py (read JSONL + map + json.dumps of the same records) measured
in the same process, and each writer's best-of-3 time as a ratio to it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import floor, records, write_corpus  # noqa: E402

import bibconv  # noqa: E402

WRITERS = ["csl-json", "csl-jsonl", "jsonl", "bibtex", "biblatex", "ris", "ntriples", "turtle"]


def _floor(jsonl: Path) -> None:
    with io.StringIO() as out:
        floor(jsonl, out)


def _best(fn: object, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--writers", default=",".join(WRITERS))
    parser.add_argument("--profile", action="store_true", help="cProfile each writer once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(Path(tmp) / "corpus.txt", args.papers)
        jsonl = Path(tmp) / "corpus.jsonl"
        with open(jsonl, "w", encoding="utf-8") as out:
            for r in records(args.papers):
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
        floor = _best(lambda: _floor(jsonl))
        start = time.perf_counter()
        papers = list(bibconv.iterload(corpus, format="cluster",
                                       diagnostics=bibconv.Reporter(keep=0)))
        read = time.perf_counter() - start
        print(f"{args.papers:,} papers; floor {floor:.3f} s; reading the cluster pages "
              f"{read:.3f} s ({read / floor:.2f}x)")
        print("| writer | seconds | time / floor |\n| --- | ---: | ---: |")
        for name in args.writers.split(","):
            def run(name: str = name) -> None:
                bibconv.dump(papers, io.StringIO(), format=name,
                             diagnostics=bibconv.Reporter(keep=0))
            seconds = _best(run)
            print(f"| {name} | {seconds:.3f} | {seconds / floor:.2f} |")
            if args.profile:
                prof = cProfile.Profile()
                prof.runcall(run)
                pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

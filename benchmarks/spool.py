"""CPU time of the paper spool (bibconv/spool.py) per paper, written and read back.

    python benchmarks/spool.py                  # 40,000 papers, best of 5
    python benchmarks/spool.py --papers 100000 --repeat 3

Papers are read lazily from the synthetic cluster corpus (benchmarks/corpus.py) a
thousand at a time, as a streaming conversion holds them, and only the spool's work is
timed: appending them (encoding and writing a batch at a time, the last batch included)
and iterating the replay (reading, decoding, building the papers again). CPU time
(time.process_time), best of the runs: the machine may be busy.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

import bibconv  # noqa: E402
from bibconv import spool  # noqa: E402


def measure(corpus: Path, papers: int) -> tuple[float, float, int]:
    """Seconds of CPU appending every paper and replaying them; the spool's size."""
    source = bibconv.iterload(str(corpus), "cluster", diagnostics=bibconv.Reporter(keep=0))
    store = spool.PaperSpool()
    dump = 0.0
    while chunk := list(islice(source, 1000)):
        start = time.process_time()
        for paper in chunk:
            store.append(paper)
        dump += time.process_time() - start
    del chunk
    start = time.process_time()
    replay = store.replay()  # writes the last batch
    dump_end = time.process_time()
    count = sum(1 for _ in replay)
    load = time.process_time() - dump_end
    size = store.bytes
    if count != papers:
        raise SystemExit(f"the spool gave back {count} papers of {papers}")
    return dump + dump_end - start, load, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bibconv-bench-") as tmp:
        corpus = write_corpus(Path(tmp) / "corpus.txt", args.papers)
        runs = [measure(corpus, args.papers) for _ in range(args.repeat)]
        per = 1e6 / args.papers
        dump, load = min(r[0] for r in runs) * per, min(r[1] for r in runs) * per
        print(f"{args.papers:,} papers, batches of {spool.BATCH_SIZE:,}, best of "
              f"{args.repeat}: dump {dump:.2f} + load {load:.2f} = {dump + load:.2f} us/paper "
              f"(CPU); spool {runs[0][2] / 1e6:.1f} MB for "
              f"{corpus.stat().st_size / 1e6:.1f} MB of scraped pages")


if __name__ == "__main__":
    main()

"""Throughput and memory of every writer, as ratios to a floor measured in the same run.

    python benchmarks/run.py                     # 10,000 papers, every writer, 3 runs each
    python benchmarks/run.py --papers 100000 --writers csl-json,bibtex
    python benchmarks/run.py --memory 10000,1000000   # peak-memory flatness of streaming writers
    python benchmarks/run.py --jobs-check 100000      # --jobs 2 against --jobs 1 on a batch
    python benchmarks/run.py --jobs-check 100000 --writers bibtex

Each measurement runs in a fresh process that converts a deterministic synthetic cluster
corpus (benchmarks/corpus.py) and reports its own wall time and peak RSS. The floor is
the simplest Python that does the same job: read the same records from JSON Lines, map
each to a CSL-like dict, ``json.dumps`` it. Ratios, not absolute timings, are what
compare across machines; the machine here is shared and noisy, so medians are shown, and
CPU time next to wall time: a busy machine stretches wall time, much less CPU time.
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import records, write_corpus  # noqa: E402

STREAMING = ["csl-json", "csl-jsonl", "json", "jsonl", "bibtex", "biblatex", "ris", "ntriples",
             "turtle"]
OTHERS = ["jsonld", "rdfxml"]

_FLOOR = textwrap.dedent("""
    import json, resource, sys, time
    src, dst = sys.argv[1], sys.argv[2]
    sys.path.insert(0, sys.argv[3])
    from corpus import floor
    start, cpu = time.perf_counter(), time.process_time()
    with open(dst, "w", encoding="utf-8") as out:
        floor(src, out)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")

_CONVERT = textwrap.dedent("""
    import json, resource, sys, time
    import bibconv
    src, dst, fmt = sys.argv[1], sys.argv[2], sys.argv[3]
    options = json.loads(sys.argv[4])
    start, cpu = time.perf_counter(), time.process_time()
    # Diagnostics are counted, not kept: the CLI does the same on a million papers.
    bibconv.convert(src, dst, from_format="cluster", to_format=fmt,
                    diagnostics=bibconv.Reporter(keep=0), **options)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def _run(code: str, *args: str) -> dict[str, float]:
    # Remove the previous run's output first: freeing a 100 MB file when it is replaced
    # is the file system's work, and would be timed for the big outputs only.
    if len(args) >= 2:
        Path(args[1]).unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr else "failed")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def prepare(workdir: Path, papers: int) -> tuple[Path, Path]:
    """Write the cluster corpus and the floor's JSON Lines records for ``papers`` papers."""
    corpus = write_corpus(workdir / f"corpus-{papers}.txt", papers)
    jsonl = workdir / f"records-{papers}.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for record in records(papers):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return corpus, jsonl


def throughput(papers: int, writers: list[str], repeat: int, workdir: Path) -> None:
    """Print the writer table for one corpus size."""
    corpus, jsonl = prepare(workdir, papers)
    out = workdir / "out"
    floor = _median([_run(_FLOOR, str(jsonl), str(out), str(HERE)) for _ in range(repeat)])
    print(f"\n{papers:,} papers, median of {repeat} runs "
          f"(corpus {corpus.stat().st_size / 1e6:.1f} MB)\n")
    print("| writer | seconds | papers/s | time / floor | CPU s | CPU / floor | peak MB "
          "| memory / floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| floor (json.dumps) | {floor['seconds']:.2f} | {papers / floor['seconds']:,.0f} "
          f"| 1.00 | {floor['cpu']:.2f} | 1.00 | {floor['peak_mb']:.0f} | 1.00 |")
    for writer in writers:
        options = {"style": "apa"} if writer == "citation" else {}
        try:
            runs = [_run(_CONVERT, str(corpus), str(out), writer, json.dumps(options))
                    for _ in range(repeat)]
        except RuntimeError as exc:
            print(f"| {writer} | failed: {exc} | | | | | | |")
            continue
        m = _median(runs)
        print(f"| {writer} | {m['seconds']:.2f} | {papers / m['seconds']:,.0f} "
              f"| {m['seconds'] / floor['seconds']:.2f} | {m['cpu']:.2f} "
              f"| {m['cpu'] / floor['cpu']:.2f} | {m['peak_mb']:.0f} "
              f"| {m['peak_mb'] / floor['peak_mb']:.2f} |")


def memory(sizes: list[int], writers: list[str], workdir: Path) -> None:
    """Print the peak memory of each streaming writer at each size, and the ratio."""
    corpora = {n: write_corpus(workdir / f"corpus-{n}.txt", n) for n in sizes}
    out = workdir / "out"
    head = " | ".join(f"peak MB at {n:,}" for n in sizes)
    print(f"\n| writer | {head} | largest / smallest |")
    print("| --- |" + " ---: |" * (len(sizes) + 1))
    for writer in writers:
        peaks = []
        for n in sizes:
            try:
                peaks.append(_run(_CONVERT, str(corpora[n]), str(out), writer, "{}")["peak_mb"])
            except RuntimeError as exc:
                peaks.append(float("nan"))
                print(f"  {writer} at {n}: {exc}", file=sys.stderr)
        cells = " | ".join(f"{p:.0f}" for p in peaks)
        print(f"| {writer} | {cells} | {peaks[-1] / peaks[0]:.2f} |")


def jobs_check(papers: int, workdir: Path, writers: list[str]) -> None:
    """Time `bibconv convert` on a batch of files with --jobs 1 and --jobs 2, in both
    shapes of a batch: one output per input (--output-dir) and every input into one
    output; with the largest peak RSS of any process of the run."""
    batch = workdir / "batch"
    batch.mkdir(exist_ok=True)
    per_file = 1000
    for i in range(papers // per_file):
        write_corpus(batch / f"page-{i:05d}.txt", per_file, seed=i)
    print(f"\n{papers:,} papers in {papers // per_file} files, median of 3 runs\n")
    print("| writer | output | --jobs 1 s | --jobs 2 s | speed-up | peak MB, 1 | peak MB, 2 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for writer in writers:
        suffix = get_suffix(writer)
        for shape in ("--output-dir", "one file"):
            results = {}
            for jobs in (1, 2):
                target = (["-d", str(workdir / f"out-{jobs}")] if shape == "--output-dir"
                          else ["-o", str(workdir / f"out-{jobs}{suffix}")])
                code = textwrap.dedent(f"""
                    import json, resource, subprocess, sys, time
                    start = time.perf_counter()
                    subprocess.run([sys.executable, "-m", "bibconv.cli", "convert",
                                    {str(batch)!r}, "--to", {writer!r}, "--from", "cluster",
                                    "-j", "{jobs}", *{target!r}, "-q"], check=True)
                    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                    print(json.dumps({{"seconds": time.perf_counter() - start,
                                      "peak_mb": peak}}))
                """)
                results[jobs] = _median([_run(code) for _ in range(3)])
            one, two = results[1], results[2]
            print(f"| {writer} | {shape} | {one['seconds']:.2f} | {two['seconds']:.2f} "
                  f"| {one['seconds'] / two['seconds']:.2f}x | {one['peak_mb']:.0f} "
                  f"| {two['peak_mb']:.0f} |")


def get_suffix(writer: str) -> str:
    """The first file suffix of a writer (for the one-output runs)."""
    from bibconv.registry import get_writer

    suffixes = get_writer(writer).suffixes
    return suffixes[0] if suffixes else f".{writer}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--writers", default=",".join(STREAMING + OTHERS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", help="comma-separated sizes for the memory check")
    parser.add_argument("--jobs-check", type=int, metavar="PAPERS")
    args = parser.parse_args()
    writers = [w for w in args.writers.split(",") if w]
    # pip compiles a package when it installs it; a source checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every lazily imported module in each timed run.
    import bibconv

    compileall.compile_dir(Path(bibconv.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="bibconv-bench-") as tmp:
        workdir = Path(tmp)
        if args.memory:
            sizes = [int(s) for s in args.memory.split(",")]
            memory(sizes, [w for w in writers if w in STREAMING], workdir)
        elif args.jobs_check:
            jobs_check(args.jobs_check, workdir,
                       writers if args.writers != parser.get_default("writers")
                       else ["csl-json", "ntriples"])
        else:
            throughput(args.papers, writers, args.repeat, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Batch conversion: directories, globs, --output-dir, --jobs, progress, interruption."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bibconv
from bibconv.api import PaperSource
from bibconv.batch import Progress, expand_inputs, output_name

from .conftest import EXAMPLE, FIXTURES


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bibconv.cli", *args], capture_output=True,
                          text=True, timeout=300, check=False, cwd=cwd)


def make_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "pages"
    (tree / "sub").mkdir(parents=True)
    (tree / "a.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    edge = (FIXTURES / "clusters" / "edge-cases.txt").read_text(encoding="utf-8")
    (tree / "sub" / "b.txt").write_text(edge, encoding="utf-8")
    (tree / "notes.md").write_text("not an input", encoding="utf-8")
    return tree


def test_expand_inputs(tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    assert expand_inputs([str(tree)]) == [str(tree / "a.txt"), str(tree / "sub" / "b.txt")]
    assert expand_inputs([str(tree / "*.txt")]) == [str(tree / "a.txt")]
    assert expand_inputs(["-", "missing.txt"]) == ["-", "missing.txt"]


def test_output_name() -> None:
    assert output_name("x/kun-jin.txt", "csl-json", "out") == os.path.join("out", "kun-jin.json")
    assert output_name("a.cluster.json", "json", "o") == os.path.join("o", "a.bibconv.json")


def test_output_dir_one_file_per_input(tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    out = tmp_path / "out"
    result = cli("convert", str(tree), "--to", "csl-json", "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    assert len(json.loads((out / "a.json").read_text(encoding="utf-8"))) == 10
    assert len(json.loads((out / "b.json").read_text(encoding="utf-8"))) == 7
    assert "b.txt:9: warning[paper-count-mismatch]" in result.stderr


def test_jobs_give_identical_output(tmp_path: Path) -> None:
    pages = []
    for i in range(4):
        page = tmp_path / f"p{i}.txt"
        page.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        pages.append(str(page))
    one = cli("convert", *pages, "--to", "csl-json", "-j", "1")
    two = cli("convert", *pages, "--to", "csl-json", "-j", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout and len(json.loads(one.stdout)) == 40
    dir1, dir2 = tmp_path / "d1", tmp_path / "d2"
    cli("convert", *pages, "--to", "json", "-d", str(dir1), "-j", "1")
    cli("convert", *pages, "--to", "json", "-d", str(dir2), "-j", "2")
    for name in os.listdir(dir1):
        assert (dir1 / name).read_bytes() == (dir2 / name).read_bytes()


def test_jobs_report_diagnostics_in_input_order(tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00binary")
    result = cli("convert", str(bad), str(tree), "--to", "json", "-j", "2", "--from", "cluster")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "bad.txt:1: error[unreadable]" in lines[0]
    assert len(json.loads(result.stdout)) == 17


def test_output_and_output_dir_conflict(tmp_path: Path) -> None:
    result = cli("convert", str(EXAMPLE), "--to", "json", "-o", str(tmp_path / "x.json"),
                 "-d", str(tmp_path))
    assert result.returncode == 2


def test_progress_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    progress = Progress(stream, total_bytes=100, position=lambda: 50)
    progress._last = -1.0  # draw on the first paper
    papers = bibconv.load(EXAMPLE)
    assert list(progress.wrap(papers)) == papers
    progress.finish()
    text = stream.getvalue()
    assert "bibconv: 10 papers" in text and "/s" in text and "50%" in text and "left" in text


def test_no_progress_when_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    list(progress.wrap(bibconv.load(EXAMPLE)))
    progress.finish()
    assert stream.getvalue() == ""


def test_interrupted_run_leaves_no_output(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(EXAMPLE.read_text(encoding="utf-8") * 3000, encoding="utf-8")
    target = tmp_path / "out.json"
    proc = subprocess.Popen([sys.executable, "-m", "bibconv.cli", "convert", str(big),
                             "--to", "json", "-o", str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    # Interrupt once output is being written (the temporary file has bytes): a signal
    # that lands while Python imports a module can be swallowed by the import system.
    while not any(p.name.startswith(".out.json") and p.stat().st_size
                  for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt"]


@pytest.mark.parametrize("memory_limit", [3, 1000])
def test_progress_counts_the_writing_pass_of_key_planning_writers(
        monkeypatch: pytest.MonkeyPatch, memory_limit: int) -> None:
    # CSL-JSON plans its keys in a first pass over the input, then writes from memory
    # (small inputs) or from a spool (large ones): both passes show progress.
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock = iter(range(1, 10_000))
    monkeypatch.setattr("bibconv.batch.time.monotonic", lambda: float(next(clock)))
    monkeypatch.setattr("bibconv.keys.MEMORY_LIMIT", memory_limit)
    stream = Tty()
    progress = Progress(stream)
    source = PaperSource([EXAMPLE], reporter=bibconv.Reporter())
    out = io.StringIO()
    bibconv.dump(progress.wrap(source), out, "csl-json")
    progress.finish()
    text = stream.getvalue()
    assert "bibconv: 10 papers" in text  # the planning pass, read from the file
    assert "writing, 1 of 10 papers" in text and "writing, 10 of 10 papers, " in text
    assert "100%, about 0 s left" in text
    assert out.getvalue() == bibconv.dumps(bibconv.load(EXAMPLE), "csl-json")


def _mixed_inputs(tmp_path: Path) -> list[str]:
    """Inputs of every kind, with shared people, odd fields and broken files among them."""
    tree = make_tree(tmp_path)
    readers = FIXTURES / "readers"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00binary")
    return [str(tree / "a.txt"), str(readers / "zotero-bbt.bib"), str(bad),
            str(readers / "endnote.ris"), str(tree / "sub" / "b.txt"),
            str(readers / "zotero.csl.json"), str(readers / "broken.bib"),
            str(tmp_path / "missing.txt"), str(readers / "jabref.bib"),
            str(FIXTURES / "clusters" / "kun-jin-excerpt.cluster.json")]


def _diagnostics(reporter: bibconv.Reporter) -> list[tuple[object, ...]]:
    return [(d.code, d.severity, d.message, d.origin, d.line) for d in reporter]


@pytest.mark.parametrize("large", [1 << 40, 0, 3000])
def test_parallel_source_gives_what_one_process_reads(tmp_path: Path, large: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Papers rebuilt from the workers' encoded batches, or read by the parent for an
    input over LARGE_INPUT (all, none, some), equal a single-process reading, with the
    same diagnostics in the same order."""
    from bibconv import batch

    monkeypatch.setattr(batch, "LARGE_INPUT", large)
    inputs = _mixed_inputs(tmp_path)
    one = bibconv.Reporter()
    expected = list(PaperSource(inputs, None, one, {}))
    two = bibconv.Reporter()
    source = batch.ParallelSource(inputs, None, two, {}, jobs=2)
    got = list(source)
    assert got == expected and len(got) > 30
    assert _diagnostics(two) == _diagnostics(one)
    assert source.done_inputs == len(inputs)
    # A second, quiet pass gives the same papers and reports nothing more.
    assert list(source.quiet()) == expected
    assert _diagnostics(two) == _diagnostics(one)


class _InlineExecutor:
    """A stand-in for the process pool: runs each task when it is submitted, and counts."""

    def __init__(self, max_workers: int) -> None:
        self.submitted = 0

    def submit(self, fn: object, *args: object) -> object:
        from concurrent.futures import Future

        self.submitted += 1
        _InlineExecutor.last = self
        future: Future[object] = Future()
        future.set_result(fn(*args))  # type: ignore[operator]
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass

    last: _InlineExecutor


def test_parallel_source_reads_ahead_a_bounded_number_of_inputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """However many inputs, at most 2 x jobs are read ahead of the one being taken, so
    a slow writer does not make the read papers pile up in memory."""
    from bibconv import batch

    monkeypatch.setattr(batch, "ProcessPoolExecutor", _InlineExecutor)
    text = EXAMPLE.read_text(encoding="utf-8")
    inputs = []
    for i in range(30):
        page = tmp_path / f"p{i:02d}.txt"
        page.write_text(text, encoding="utf-8")
        inputs.append(str(page))
    source = batch.ParallelSource(inputs, None, bibconv.Reporter(), {}, jobs=3)
    ahead = []
    count = 0
    for _ in source:
        count += 1
        ahead.append(_InlineExecutor.last.submitted - source.done_inputs)
    assert count == 300
    assert max(ahead) == 2 * 3 + 1  # the input being taken, and six ahead of it


@pytest.mark.parametrize(("memory_limit", "large"), [(10_000, 1 << 40), (5, 1 << 40), (5, 3000),
                                                     (5, 0), (30, 3000)])
def test_key_planning_through_workers_gives_the_same_keys(
        tmp_path: Path, memory_limit: int, large: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The planning pass over a source read by workers takes their encoded batches with
    each paper's base key and slot (spooled as they are past MEMORY_LIMIT, rebuilt
    below it), or papers read here: the same keys, papers and diagnostics as one
    process, and the progress counter sees every paper of both passes."""
    from bibconv import batch, keys, spool

    monkeypatch.setattr(keys, "MEMORY_LIMIT", memory_limit)
    monkeypatch.setattr(batch, "LARGE_INPUT", large)
    monkeypatch.setattr(spool, "BATCH_SIZE", 4)  # several batches per input
    inputs = _mixed_inputs(tmp_path)
    generator = keys.KeyGenerator("{auth}{year}")  # many shared base keys
    one = bibconv.Reporter()
    plan, again = generator.plan_and_replay(PaperSource(inputs, None, one, {}))
    expected = [(paper, plan.key(paper)) for paper in again]
    two = bibconv.Reporter()
    progress = Progress(io.StringIO())
    source = progress.wrap(batch.ParallelSource(inputs, None, two, {}, jobs=2))
    plan, again = generator.plan_and_replay(source)
    assert progress.count == len(expected)  # the planning pass, counted
    got = [(paper, plan.key(paper)) for paper in again]
    assert got == expected
    assert len({key for _, key in got}) == len(got)
    assert _diagnostics(two) == _diagnostics(one)
    assert progress.count == len(expected)  # the writing pass too

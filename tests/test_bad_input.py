"""Bad input: every case gets a clear diagnostic with file and line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.diagnostics import Diagnostic, Reporter
from bibconv.errors import BibconvError
from bibconv.plugin import TextSource
from bibconv.readers.cluster import ClusterReader
from bibconv.readers.clusterjson import ClusterJSONReader

from .conftest import EXAMPLE


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bibconv.cli", *args],
        input=stdin, capture_output=True, timeout=120, check=False,
    )


def convert_file(tmp_path: Path, content: bytes, name: str = "in.txt",
                 *extra: str) -> subprocess.CompletedProcess[bytes]:
    path = tmp_path / name
    path.write_bytes(content)
    return run_cli("convert", str(path), "--to", "csl-json", *extra)


def test_empty_file(tmp_path: Path) -> None:
    result = convert_file(tmp_path, b"", "empty.txt", "--from", "cluster")
    assert result.returncode == 1
    assert b"empty.txt:1: error[unreadable]: empty input" in result.stderr
    assert b"Traceback" not in result.stderr
    assert result.stdout.strip() == b"[]"


def test_empty_file_sniffed(tmp_path: Path) -> None:
    result = convert_file(tmp_path, b"", "empty.txt")
    assert result.returncode == 1
    assert b"empty.txt:1: error[unreadable]: empty input" in result.stderr


def test_unrecognisable_input_names_the_fix(tmp_path: Path) -> None:
    result = convert_file(tmp_path, b"hello\n", "x.dat")
    assert result.returncode == 1
    assert b"x.dat: error[unreadable]: cannot tell the input format; name it with --from" in result.stderr


def test_garbage(tmp_path: Path) -> None:
    result = convert_file(tmp_path, b"lorem ipsum\ndolor sit amet\n" * 50, "junk.txt",
                          "--from", "cluster")
    assert result.returncode == 1
    assert b"junk.txt:1: error[unreadable]: no cluster page found" in result.stderr
    assert b"Traceback" not in result.stderr


def test_binary_file(tmp_path: Path) -> None:
    result = convert_file(tmp_path, bytes(range(256)) * 40, "blob.bin", "--from", "cluster")
    assert result.returncode == 1
    assert b"blob.bin:1: error[unreadable]: binary data" in result.stderr


def test_invalid_utf8_keeps_every_entry(tmp_path: Path) -> None:
    text = EXAMPLE.read_bytes().replace(b"Two-Sided Wasserstein", b"Two-Sided \xff\xfeWasserstein")
    result = convert_file(tmp_path, text, "latin.txt")
    assert result.returncode == 1
    assert b"latin.txt:133: error[invalid-utf8]" in result.stderr
    assert result.stdout.count(b'"title"') == 10
    assert "Two-Sided \ufffd\ufffdWasserstein".encode() in result.stdout


def test_truncated_page(tmp_path: Path) -> None:
    raw = EXAMPLE.read_bytes()
    result = convert_file(tmp_path, raw[: len(raw) // 2], "cut.txt")
    assert result.returncode == 0  # readable: a warning, not an error
    assert b"cut.txt:9: warning[paper-count-mismatch]" in result.stderr
    assert result.stdout.count(b'"title"') >= 4


def test_huge_single_line(tmp_path: Path) -> None:
    big = EXAMPLE.read_bytes() + b"\n" + b"x" * (50 * 1024 * 1024) + b"\n\n" + EXAMPLE.read_bytes()
    result = convert_file(tmp_path, big, "huge.txt")
    assert result.returncode == 1
    assert b"huge.txt:140: error[line-too-long]" in result.stderr
    assert result.stdout.count(b'"title"') == 20


def test_missing_file(tmp_path: Path) -> None:
    result = run_cli("convert", str(tmp_path / "nope.txt"), "--to", "csl-json")
    assert result.returncode == 1
    assert b"nope.txt: error[unreadable]: cannot read" in result.stderr


def test_one_corrupt_input_among_many(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = run_cli("convert", str(EXAMPLE), str(bad), str(EXAMPLE), "--to", "csl-json",
                     "--from", "cluster")
    assert result.returncode == 1
    assert b"bad.txt:1: error[unreadable]" in result.stderr
    assert result.stdout.count(b'"title"') == 20


def test_json_cluster_errors_name_the_json_path(tmp_path: Path) -> None:
    doc = b'{"author": "A B", "papers": [{"title": "Good", "year": 2020}, {"title": 3}, {"title": "T", "authors": [7]}]}'
    result = convert_file(tmp_path, doc, "c.json")
    assert result.returncode == 1
    assert b"$.papers[1].title: expected a string" in result.stderr
    assert b"$.papers[2].authors[0]: expected a name string or an object" in result.stderr
    assert result.stdout.count(b'"title"') == 1


def test_invalid_json_cluster(tmp_path: Path) -> None:
    result = convert_file(tmp_path, b'{"papers": [', "c.json", "--from", "cluster-json")
    assert result.returncode == 1
    assert b"c.json:1:" in result.stderr and b"invalid JSON" in result.stderr


# -- property tests: readers raise only BibconvError, whatever the input -------------

_LINES = st.sampled_from(
    [line for line in EXAMPLE.read_text(encoding="utf-8").split("\n")]
    + ["", "Author name cluster", "• ", "* x", "- ", "12 papers", "NeurIPS Conference 20 x",
       "X Y 2020 Z", "$", "\x00", "\ufeff", "\r", "Possible papers", "9999999999999999999 papers"]
)


def _read_all(reader: type[ClusterReader] | type[ClusterJSONReader], data: bytes) -> list[bibconv.Paper]:
    import io
    reporter = Reporter()
    try:
        source = TextSource(io.BufferedReader(io.BytesIO(data)), "fuzz", reporter)  # type: ignore[arg-type]
        return list(reader().read(source))
    except BibconvError:
        return []


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_LINES, max_size=80))
def test_mutated_pages_never_crash(lines: list[str]) -> None:
    papers = _read_all(ClusterReader, "\n".join(lines).encode("utf-8", "surrogatepass"))
    for paper in papers:
        assert isinstance(paper.title, str)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(data: bytes) -> None:
    _read_all(ClusterReader, data)
    _read_all(ClusterJSONReader, data)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["papers", "title", "authors", "year", "venue", "author",
                                       "name", "family", "keywords", "declared_papers", "x"]),
                      children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_random_json_clusters_never_crash(value: object) -> None:
    import json
    _read_all(ClusterJSONReader, json.dumps(value).encode())


def test_diagnostic_format() -> None:
    found: list[Diagnostic] = []
    bibconv.loads("AAAI Conference 2021 Mystery Paper\n\nT\n", "cluster", diagnostics=found,
                  origin="page.txt")
    assert str(found[0]) == ("page.txt:1: warning[unknown-type]: publication type 'Mystery Paper' "
                             "is not known; written as generic type 'document'")


@pytest.mark.parametrize("fmt", ["cluster", "cluster-json"])
def test_loads_reports_instead_of_raising(fmt: str) -> None:
    found: list[Diagnostic] = []
    assert bibconv.loads("", fmt, diagnostics=found) == []
    assert found and found[0].severity.value == "error"


def test_json_lines_cluster_with_a_broken_line(tmp_path: Path) -> None:
    good = b'{"author": "A B", "papers": [{"title": "T%d", "year": 2020}]}'
    lines = [good % 1, b'{"author": "broken", "papers": [', good % 3]
    result = convert_file(tmp_path, b"\n".join(lines) + b"\n", "c.jsonl", "--from", "cluster-json")
    assert result.returncode == 1
    assert b"c.jsonl:2: error[invalid-json]" in result.stderr
    assert result.stdout.count(b'"title"') == 2

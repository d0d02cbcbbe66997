"""Entries written ahead of their citation keys (bibconv/prerender.py).

Past MEMORY_LIMIT, and whenever worker processes read the inputs, a key-planning writer
(CSL-JSON, BibTeX, RIS) writes each entry during the planning pass with a placeholder
for its key, and the writing pass puts the keys in. Whatever the path (in memory,
spooled, written by workers, read by the parent, to a text stream or a byte stream),
the output and the diagnostics must be those of one process writing from memory, and
the placeholder must never show.
"""

from __future__ import annotations

import io
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv import batch, keys, prerender, spool
from bibconv.api import PaperSource
from bibconv.diagnostics import Diagnostic, Reporter
from bibconv.model import Paper, Person
from bibconv.plugin import Utf8Output
from bibconv.prerender import (
    Renderer,
    TextSpool,
    decode_rendered,
    encode_rendered,
    placeholder,
    write_entries,
)
from bibconv.registry import get_writer
from bibconv.writers.csljson import CSLJSONWriter

from .test_batch import _mixed_inputs

KEYED = ["csl-json", "csl-jsonl", "bibtex", "biblatex", "ris"]
#: Writers whose entries carry no key: written by the workers as they come.
KEYLESS = ["json", "jsonl"]


def _diagnostics(found: list[Diagnostic]) -> list[tuple[Any, ...]]:
    return [(d.code, d.severity, d.message, d.origin, d.line) for d in found]


def _write(writer: Any, source: Any, reporter: Reporter, tmp_path: Path | None) -> str:
    """What ``writer`` writes of ``source``: to a text stream, or with ``tmp_path`` to a
    file bibconv opened (a byte stream under it, so entries travel as UTF-8)."""
    if tmp_path is None:
        out = io.StringIO()
        writer.write(source, out, reporter)
        return out.getvalue()
    target = tmp_path / "out"
    with Utf8Output(io.FileIO(target, "w"), 1 << 12) as handle:
        writer.write(source, handle, reporter)
    return target.read_bytes().decode("utf-8")  # RIS line ends as written


@pytest.mark.parametrize("writer", KEYED + KEYLESS)
@pytest.mark.parametrize(("memory_limit", "large"), [(10_000, 1 << 40), (5, 1 << 40), (5, 3000),
                                                     (5, 0)])
def test_entries_written_ahead_match_one_process_writing_from_memory(
        writer: str, memory_limit: int, large: int, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers writing entries (all inputs, some, none over LARGE_INPUT), kept in memory
    or spooled past MEMORY_LIMIT, to a text or a byte stream: the same output and the
    same diagnostics, in the same order, as one process writing from memory."""
    inputs = _mixed_inputs(tmp_path)
    # Many shared base keys: suffixes.
    options = {"key_pattern": "{auth}{year}"} if writer in KEYED else {}
    expected_found: list[Diagnostic] = []
    reference = PaperSource(inputs, None, Reporter(expected_found.append), {})
    expected = _write(get_writer(writer)(**options), reference,
                      Reporter(expected_found.append), None)
    assert "bibconvkey" not in expected
    monkeypatch.setattr(keys, "MEMORY_LIMIT", memory_limit)
    monkeypatch.setattr(batch, "LARGE_INPUT", large)
    monkeypatch.setattr(spool, "BATCH_SIZE", 4)  # several batches per input
    monkeypatch.setattr(prerender, "ENTRY_BATCH", 3)  # and in the spool
    # Entries written in this process (the workers' calls happen in theirs).
    here: list[int] = []
    cls = get_writer(writer)
    original = cls.render_entry  # type: ignore[attr-defined]

    def counted(self: Any, paper: Paper, key: str, reporter: Reporter) -> str:
        if os.getpid() == parent:
            here.append(1)
        return original(self, paper, key, reporter)  # type: ignore[no-any-return]

    parent = os.getpid()
    monkeypatch.setattr(cls, "render_entry", counted)
    for stream in (None, tmp_path):
        for jobs in (1, 2):
            found: list[Diagnostic] = []
            reporter = Reporter(found.append)
            source: Any = PaperSource(inputs, None, reporter, {})
            if jobs > 1:
                source = batch.ParallelSource(inputs, None, reporter, {}, jobs=jobs)
            here.clear()
            got = _write(get_writer(writer)(**options), source, reporter, stream)
            assert got == expected, (stream, jobs)
            assert _diagnostics(found) == _diagnostics(expected_found), (stream, jobs)
            if jobs > 1 and large > 1 << 30:
                assert not here  # every entry was written by a worker


def _unkeyable(count: int) -> list[Paper]:
    """Papers that make the BibTeX writer warn about each (no venue for an article),
    half of them sharing a base key, so the warnings name suffixed keys."""
    people = (Person(family="Müller", given="Zoë"),)
    return [Paper(title=f"On graphs {i // 2}", type="article-journal", author=people,
                  origin="made.txt", line=i + 1) for i in range(count)]


@pytest.mark.parametrize("memory_limit", [10_000, 3])
def test_writer_diagnostics_name_the_final_key(memory_limit: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "MEMORY_LIMIT", memory_limit)
    monkeypatch.setattr(spool, "BATCH_SIZE", 2)
    papers = _unkeyable(9)
    found: list[Diagnostic] = []
    text = bibconv.dumps(iter(papers), "bibtex", diagnostics=Reporter(found.append))
    written = [line.split("{", 1)[1].rstrip(",") for line in text.splitlines()
               if line.startswith("@")]
    missing = [d for d in found if d.code == "missing-field"]
    named = [d.message.split(":", 1)[0] for d in missing]
    assert list(dict.fromkeys(named)) == written  # each entry's warnings, in entry order
    assert written[0][:-1] == written[1][:-1] and written[0] != written[1]  # twins
    assert len(set(written)) == 9 and all(not k.startswith("bibconvkey") for k in written)
    assert not any("bibconvkey" in d.message for d in found)


def test_the_placeholder_is_fresh_and_spelled_as_a_key() -> None:
    first, second = placeholder(), placeholder()
    assert first != second
    assert first.isascii() and first.isalnum() and len(first) >= 40


def _one_and_two(writer: Any, inputs: list[str], stream: Path | None) -> tuple[str, str]:
    """What one process writes of the inputs (to a text stream), and what ``writer``
    writes of them read by two workers (to ``stream``, if given)."""
    one = _write(CSLJSONWriter(), PaperSource(inputs, None, Reporter(), {}), Reporter(), None)
    reporter = Reporter()
    source = batch.ParallelSource(inputs, None, reporter, {}, jobs=2)
    return one, _write(writer, source, reporter, stream)


class _Unregistered(CSLJSONWriter):
    """A writer class no worker could make by its name."""

    name: ClassVar[str] = "csl-json"


def test_a_writer_workers_cannot_make_writes_its_entries_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Renderer(_Unregistered(), placeholder()).spec() is None
    unpicklable = CSLJSONWriter()
    unpicklable.settings["key_pattern"] = lambda: None  # type: ignore[assignment]
    assert Renderer(unpicklable, placeholder()).spec() is None
    assert Renderer(CSLJSONWriter(), "t").spec() == ("csl-json", {}, "t", False)
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 5)
    one, two = _one_and_two(_Unregistered(), _mixed_inputs(tmp_path), tmp_path)
    assert two == one


@pytest.mark.parametrize("memory_limit", [10_000, 2])
def test_text_utf8_cannot_hold_fails_on_a_byte_stream_as_before(
        memory_limit: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lone surrogate (only an API caller can make one) is written to a text stream,
    and refused by a UTF-8 file: written ahead or not, as the text stream would."""
    monkeypatch.setattr(keys, "MEMORY_LIMIT", memory_limit)
    papers = [Paper(title=f"T{i}" + ("\ud800" if i == 3 else "")) for i in range(6)]
    text = _write(get_writer("ris")(), iter(papers), Reporter(), None)
    assert "T3\ud800" in text
    with pytest.raises(UnicodeEncodeError):
        _write(get_writer("ris")(), iter(papers), Reporter(), tmp_path)


_NOTE = st.tuples(st.text(max_size=5), st.text(max_size=9), st.sampled_from(["warning", "error"]),
                  st.none() | st.text(max_size=5), st.none() | st.integers(0, 10**6))
_ENTRY = st.tuples(st.text(max_size=20) | st.binary(max_size=20), st.text(max_size=8),
                   st.integers(0, 2**64 - 1), st.lists(_NOTE, max_size=2).map(tuple))


@settings(max_examples=150, deadline=None)
@given(st.lists(_ENTRY, max_size=8))
def test_a_batch_of_entries_comes_back_equal(entries: list[prerender.Rendered]) -> None:
    assert decode_rendered(encode_rendered(entries)) == entries


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(_ENTRY, max_size=5), max_size=5), st.integers(1, 4))
def test_the_text_spool_gives_back_every_entry_in_order(
        batches: list[list[prerender.Rendered]], size: int) -> None:
    """Entries appended one by one and as batches encoded elsewhere, in order."""
    store = TextSpool(batch_size=size)
    expected = []
    for number, entries in enumerate(batches):
        if number % 2:
            store.append_encoded(prerender.RenderedBatch(encode_rendered(entries),
                                                         [e[2] for e in entries]))
        else:
            for entry in entries:
                store.append(entry)
        expected += entries
    assert list(store.replay()) == expected
    assert store.count == len(expected)
    with pytest.raises(ValueError, match="closed"):
        store.append(("x", "k", 1, ()))


def test_a_cut_short_spool_is_an_error_not_fewer_entries() -> None:
    store = TextSpool()
    store.append(("entry", "key", 5, ()))
    replay = store.replay()
    handle = store._file
    assert handle is not None
    handle.truncate(12)
    with pytest.raises(OSError, match="cut short"):
        list(replay)
    assert store._file is None  # closed all the same


def test_finish_puts_the_key_in_text_bytes_and_diagnostics() -> None:
    writer = CSLJSONWriter()
    for wire in (False, True):
        renderer = Renderer(writer, placeholder(), wire)
        token = renderer.token
        found: list[Diagnostic] = []
        entry = (f"<{token}>" if not wire else f"<{token}>".encode(), "b", 1,
                 (("c", f"{token}: odd", "error", "x.txt", 3),))
        done = renderer.finish(entry, "li2020a", Reporter(found.append))
        assert done == (b"<li2020a>" if wire else "<li2020a>")
        assert _diagnostics(found) == [("c", bibconv.Severity.ERROR, "li2020a: odd", "x.txt", 3)]


@pytest.mark.parametrize("wire", [False, True])
def test_write_entries_lays_out_heads_separators_and_tails(wire: bool) -> None:
    pieces: list[Any] = []
    entries: list[Any] = ["a", "b"] if not wire else [b"a", b"b"]
    layout = prerender.Layout("[", "\n", ",\n", "\n]\n", "]\n")
    write_entries(iter(entries), pieces.append, layout, wire=wire)
    expected = ["[", "\na", ",\nb", "\n]\n"]
    assert pieces == ([p.encode() for p in expected] if wire else expected)
    pieces.clear()
    write_entries(iter([]), pieces.append, layout, wire=wire)
    assert pieces == ([b"[", b"]\n"] if wire else ["[", "]\n"])


def test_a_worker_makes_its_writer_once_per_spec() -> None:
    spec = ("bibtex", {"key_pattern": "{auth}"}, placeholder(), True)
    first = batch._renderer(spec)
    assert batch._renderer(spec) is first
    assert batch._renderer(("bibtex", {}, spec[2], True)) is not first
    pickle.dumps(spec)  # what the parent sends


def test_a_base_key_no_other_paper_has_stays_bare_whatever_its_hash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry a worker wrote carries a slot even when its base key is its own; in
    memory that slot must not count, or a base key whose hash shares its top half with
    another group's would take a suffix that one process does not give it. Every hash
    here shares its top half, so any slot that counts shows."""
    # In memory (the point here), where base keys are told apart exactly: past memory,
    # hashes that all share a top half would make every suffix look taken.
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 10_000)
    real = keys._h64
    monkeypatch.setattr(keys, "_h64", lambda text: 1 << 32 | real(text) & 0xFFFFFFFF)
    one, two = _one_and_two(CSLJSONWriter(), _mixed_inputs(tmp_path), None)
    assert two == one


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
def test_no_entry_spool_is_left_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry spool is anonymous, and closed when the writing pass ends, when it stops
    early (an error in the writer) and when the planning pass fails."""
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 5)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    papers = _unkeyable(12)
    writer = get_writer("bibtex")()
    generator = keys.KeyGenerator()
    before = _open_files()
    entries = generator.render(iter(papers), writer, Reporter())
    first = next(entries)
    assert "bibconvkey" not in first
    assert list(tmp_path.iterdir()) == []  # anonymous: nothing to leave behind
    assert _open_files() == before + 1
    assert len(list(entries)) == 11
    assert _open_files() == before
    entries = generator.render(iter(papers), writer, Reporter())
    next(entries)
    entries.close()
    assert _open_files() == before

    def failing() -> Iterator[Paper]:
        yield from papers
        raise RuntimeError("reader failed")

    with pytest.raises(RuntimeError):
        next(generator.render(failing(), writer, Reporter()))
    assert _open_files() == before and list(tmp_path.iterdir()) == []


class _WorkerLike:
    """A source whose ``rendered`` hands over some papers as a worker would: entries
    written by a writer made from the spec, in batches (the others as papers)."""

    def __init__(self, papers: list[Paper]) -> None:
        self.papers = papers
        self.asked = 0

    def __iter__(self) -> Iterator[Paper]:
        return iter(self.papers)

    def rendered(self, pattern: str | None, keep_ids: bool,
                 spec: prerender.WriterSpec) -> Iterator[Any]:
        assert pattern is None
        self.asked += 1
        name, settings, token, wire = spec
        worker = Renderer(get_writer(name)(**settings), token, wire)
        for start in range(0, len(self.papers), 3):
            chunk = self.papers[start:start + 3]
            if start % 2:
                yield from chunk
                continue
            entries = [worker.entry(paper, "", 0) for paper in chunk]
            yield prerender.RenderedBatch(encode_rendered(entries), [0] * len(entries))


@pytest.mark.parametrize("writer", KEYLESS)
def test_entries_written_without_keys_keep_their_warnings(writer: str, tmp_path: Path) -> None:
    """A canonical JSON entry's warning (an extra value that is not JSON, which only a
    library caller can give) travels with the entry a worker wrote, and is reported
    where the entry is written: the same text and warnings as written here."""
    papers = [Paper(title=f"T{i}", extra={"score": float("nan")} if i % 2 else {},
                    author=(Person(family="Zoë"),)) for i in range(10)]
    found_one: list[Diagnostic] = []
    one = _write(get_writer(writer)(), papers, Reporter(found_one.append), None)
    assert [d.code for d in found_one] == ["lossy-field"] * 5
    for stream in (None, tmp_path):
        found_two: list[Diagnostic] = []
        source = _WorkerLike(papers)
        got = _write(get_writer(writer)(), source, Reporter(found_two.append), stream)
        assert source.asked == 1
        assert got == one
        assert _diagnostics(found_two) == _diagnostics(found_one)

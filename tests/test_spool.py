"""The paper spool (bibconv/spool.py): papers written to a temporary file while the
citation keys are planned, and read back for the writing pass instead of parsing the
input again.

A paper must come back equal in every field and of the same types throughout, shared
objects shared; what the compact form cannot hold goes another way (pickled, or kept
in memory) without failing. Through the key planner, every writer that plans keys must
write exactly what it writes from memory, reading its source once.
"""

from __future__ import annotations

import dataclasses
import enum
import gc
import io
import math
import os
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bibconv
from bibconv import keys, spool
from bibconv.diagnostics import Diagnostic, Reporter
from bibconv.model import _EMPTY, Cluster, Date, Paper, Person, Venue, field_names
from bibconv.registry import get_writer

from .conftest import EXAMPLE, FIXTURES
from .test_roundtrip import edge_corpus

# ------------------------------------------------------------------ generated papers

# Short texts: quotes, controls, non-ASCII, an emoji, a lone surrogate.
_TEXT = st.text(st.sampled_from('ab é"\\\n\x00\x7f😀\ud800\udfff'), max_size=6)
_MAYBE = st.none() | _TEXT
_INT = st.integers(-(2**70), 2**70) | st.integers(-3, 300)
_ATOM = st.none() | st.booleans() | _INT | _TEXT | st.binary(max_size=4) | st.floats(
    allow_nan=False) | st.complex_numbers(allow_nan=False, max_magnitude=1e6)
# Plain extra values, nested: what marshal writes.
_PLAIN = st.recursive(
    _ATOM,
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
    | st.dictionaries(_TEXT | _INT, inner, max_size=3)
    | st.frozensets(st.integers(0, 5) | _TEXT, max_size=3)
    | st.sets(st.integers(0, 5), max_size=3),
    max_leaves=8,
)


class _Title(str):
    """A str subclass: marshal refuses it."""


class _Line(enum.IntEnum):
    ONE = 1


class _Paper(Paper):
    """A subclass of Paper (pickled, and comes back of its own class)."""

    __slots__ = ()


class _Opaque:
    """Compares by identity: neither marshal nor pickle gives it back equal."""


# Values marshal cannot give back exactly: some pickle can, some nothing but the
# object itself (kept in memory).
_ODD = st.sampled_from(["object", "nan", "bytearray", "decimal", "fraction", "enum", "proxy"])


def _odd_value(kind: str) -> Any:
    return {"object": _Opaque, "nan": lambda: float("nan"), "bytearray": lambda: bytearray(b"x"),
            "decimal": lambda: Decimal("1.50"), "fraction": lambda: Fraction(1, 3),
            "enum": lambda: _Line.ONE, "proxy": lambda: MappingProxyType({"a": 1})}[kind]()


@st.composite
def _extra(draw: st.DrawFn) -> Any:
    choice = draw(st.integers(0, 9))
    if choice <= 2:
        return _EMPTY  # the shared default
    if choice <= 4:
        return {}  # what readers give: their own empty dict
    if choice == 5:
        return {"odd": _odd_value(draw(_ODD)), "plain": draw(_PLAIN)}
    if choice == 6:
        return MappingProxyType({"a": draw(_PLAIN)})  # not a dict at all
    return draw(st.dictionaries(_TEXT, _PLAIN, max_size=4))


@st.composite
def _person(draw: st.DrawFn) -> Person:
    return Person(*(draw(_MAYBE) for _ in field_names(Person)))


_DATES = st.none() | st.builds(Date, _INT, st.none() | st.integers(1, 13),
                               st.none() | st.integers(1, 31))
_VENUES = st.none() | st.builds(Venue, _TEXT, _MAYBE, _MAYBE, _MAYBE, _MAYBE, _MAYBE)
_CLUSTERS = st.none() | st.builds(Cluster, _TEXT, _MAYBE, _MAYBE, st.none() | _INT,
                                  st.none() | _INT, _MAYBE, st.none() | _INT)


@st.composite
def _batch(draw: st.DrawFn) -> list[Paper]:
    """Papers with every field drawn, sharing people, dates, venues and clusters as
    readers share them, with equal copies that are other objects, and some odd ones."""
    pool = draw(st.lists(_person(), min_size=1, max_size=5))
    pool += [dataclasses.replace(person) for person in pool[:2]]  # equal, not the same
    people = st.lists(st.sampled_from(pool), max_size=4).map(tuple)
    dates = draw(st.lists(_DATES, min_size=1, max_size=3))
    venues = draw(st.lists(_VENUES, min_size=1, max_size=3))
    clusters = draw(st.lists(_CLUSTERS, min_size=1, max_size=2))
    papers: list[Paper] = []
    for number in range(draw(st.integers(0, 8))):
        values: dict[str, Any] = {name: draw(_MAYBE) for name in field_names(Paper)}
        values.update(
            title=draw(_TEXT), type=draw(st.sampled_from(["article", "book", "x\ud800"])),
            author=draw(people), editor=draw(people | st.just(())),
            issued=draw(st.sampled_from(dates)), venue=draw(st.sampled_from(venues)),
            cluster=draw(st.sampled_from(clusters)),
            keywords=tuple(draw(st.lists(_TEXT, max_size=3))),
            line=draw(st.none() | _INT), extra=draw(_extra()))
        odd = draw(st.integers(0, 19))
        if odd == 0:
            values["title"] = _Title(values["title"])
        elif odd == 1:
            values["line"] = _Line.ONE
        elif odd == 2:
            values["author"] = list(values["author"])  # a list where a tuple belongs
        elif odd == 3:
            values["volume"] = bytearray(b"12")  # marshal would write it as bytes
        cls = _Paper if odd == 4 else Paper
        papers.append(cls(**values))
        if number and draw(st.integers(0, 4)) == 0:
            papers.append(papers[0])  # the same paper twice
    return papers


def _typed(value: Any) -> Any:
    """A value with the exact type of everything in it, for comparing types too."""
    kind = type(value)
    if dataclasses.is_dataclass(value):
        return kind, tuple(_typed(getattr(value, name)) for name in field_names(kind))
    if isinstance(value, (dict, MappingProxyType)) or value is _EMPTY:
        return kind, tuple((_typed(k), _typed(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return kind, tuple(map(_typed, value))
    if isinstance(value, (set, frozenset)):
        return kind, frozenset(map(_typed, value))
    return kind, value


def _shared(papers: list[Paper]) -> list[tuple[tuple[int, str, int], tuple[int, str, int]]]:
    """Pairs of places (paper, field, position) that hold the very same object."""
    first: dict[int, tuple[int, str, int]] = {}
    pairs = []
    for number, paper in enumerate(papers):
        for name in ("author", "editor", "issued", "venue", "cluster"):
            value = getattr(paper, name)
            items = value if name in ("author", "editor") else (value,)
            for position, item in enumerate(items):
                if item is None:
                    continue
                place = (number, name, position)
                if id(item) in first:
                    pairs.append((first[id(item)], place))
                else:
                    first[id(item)] = place
    return pairs


def _at(papers: list[Paper], place: tuple[int, str, int]) -> Any:
    number, name, position = place
    value = getattr(papers[number], name)
    return value[position] if name in ("author", "editor") else value


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_batch())
def test_a_batch_comes_back_equal_with_every_type_and_sharing(papers: list[Paper]) -> None:
    held: list[Paper | None] = []
    back = list(spool.decode_batch(spool.encode_batch(papers, held), held))
    assert back == papers
    assert [_typed(p) for p in back] == [_typed(p) for p in papers]
    for paper, again in zip(papers, back, strict=True):
        # The shared empty extra is the same object again; a reader's own dict is a dict.
        assert (again.extra is _EMPTY) == (paper.extra is _EMPTY)
    # Sharing holds among the papers written plainly (an odd one is pickled alone).
    plain = [number for number, paper in enumerate(papers) if _is_plain(paper)]
    for one, other in _shared([papers[number] for number in plain]):
        assert _at([back[n] for n in plain], one) is _at([back[n] for n in plain], other)
    assert all(kept is None for kept in held)  # handed over, not kept


def _is_plain(paper: Paper) -> bool:
    try:
        spool._encode([paper], {})
    except (spool._Odd, TypeError, ValueError):
        return False
    return True


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_batch(), max_size=4), st.integers(1, 7))
def test_the_spool_gives_back_every_paper_and_tag_in_order(batches: list[list[Paper]],
                                                            size: int) -> None:
    papers = [paper for batch in batches for paper in batch]
    store = spool.PaperSpool(batch_size=size)
    for number, paper in enumerate(papers):
        store.append(paper, (f"key{number}", number << 40))
    back = list(store.replay_tagged())
    assert [paper for paper, _ in back] == papers
    assert [_typed(paper) for paper, _ in back] == [_typed(paper) for paper in papers]
    assert [tag for _, tag in back] == [(f"key{n}", n << 40) for n in range(len(papers))]


def test_odd_papers_go_another_way() -> None:
    opaque = _Opaque()
    nan = float("nan")
    papers = [
        Paper(title="plain", extra={"a": [1, (2, "é")], "b": {"c": None}}),
        Paper(title="object", extra={"o": opaque}),  # kept in memory: the same object
        Paper(title="nan", extra={"n": nan}),  # a NaN is not equal to another NaN
        Paper(title="decimal", extra={"d": Decimal("1.50"), "b": bytearray(b"x")}),
        Paper(title=_Title("subclass"), line=_Line.ONE),
        _Paper(title="paper subclass"),
        Paper(title="proxy", extra=MappingProxyType({"a": 1})),
        Paper(title="list of people", author=[Person(family="Li")]),  # type: ignore[arg-type]
    ]
    held: list[Paper | None] = []
    back = list(spool.decode_batch(spool.encode_batch(papers, held), held))
    assert back == papers
    assert [_typed(p) for p in back] == [_typed(p) for p in papers]
    assert back[1].extra["o"] is opaque and back[2].extra["n"] is nan
    assert type(back[3].extra["b"]) is bytearray and type(back[5]) is _Paper
    assert back[1] is papers[1] and back[6] is papers[6]  # nothing else holds them
    assert back[0] is not papers[0] and back[3] is not papers[3]  # written and read back
    assert held == [None] * len(held)


def test_people_recurring_across_batches_are_built_once() -> None:
    li = Person(family="Li", given="Bo", homonym="0026")
    papers = [Paper(title=str(n), author=(li, Person(family="Wang"))) for n in range(10)]
    store = spool.PaperSpool(batch_size=3)
    for paper in papers:
        store.append(paper)
    back = list(store.replay())
    assert back == papers
    assert len({id(paper.author[0]) for paper in back}) == 1


def test_the_file_is_anonymous_and_closed_after_the_replay(tmp_path: Path) -> None:
    store = spool.PaperSpool(batch_size=2, directory=str(tmp_path))
    for n in range(5):
        store.append(Paper(title=str(n)))
    handle = store._file
    assert handle is not None and list(tmp_path.iterdir()) == []  # no name to leave behind
    replay = store.replay()
    assert next(replay).title == "0"
    assert not handle.closed
    replay.close()  # a writer that stops early (an error) releases the file too
    assert handle.closed
    with pytest.raises(ValueError):
        store.replay()  # once only
    assert list(tmp_path.iterdir()) == []
    assert store.count == 5 and store.bytes > 0


# -------------------------------------------------- through the key plan and writers

INPUTS = [FIXTURES / "clusters" / "edge-cases.txt", EXAMPLE, FIXTURES / "readers" / "jabref.bib",
          FIXTURES / "readers" / "zotero.csl.json", FIXTURES / "readers" / "endnote.ris",
          FIXTURES / "readers" / "zotero-bbt.bib"]
WRITERS = [("csl-json", {}), ("csl-jsonl", {}), ("bibtex", {}), ("biblatex", {"ascii": True}),
           ("ris", {}), ("citation", {"citation_format": "html", "style": "apa", "jobs": 1})]


def _diagnostics(found: list[Diagnostic]) -> list[tuple[Any, ...]]:
    return [(d.code, d.severity, d.message, d.origin, d.line) for d in found]


def _write(writer: str, options: dict[str, Any], papers: Any) -> tuple[str, list[tuple[Any, ...]]]:
    found: list[Diagnostic] = []
    out = io.StringIO()
    get_writer(writer)(**options).write(papers, out, Reporter(found.append))
    return out.getvalue(), _diagnostics(found)


class _ReadOnce:
    """A replayable source that must not be read a second time."""

    def __init__(self, papers: list[Paper]) -> None:
        self._papers = papers
        self.reads = 0

    def __iter__(self) -> Iterator[Paper]:
        self.reads += 1
        assert self.reads == 1, "read twice"
        return iter(self._papers)

    def quiet(self) -> Iterator[Paper]:
        raise AssertionError("read again")


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large input in the small: past MEMORY_LIMIT at the 6th paper, batches of 3."""
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 5)
    monkeypatch.setattr(spool, "BATCH_SIZE", 3)
    monkeypatch.setattr(keys, "_MEMO_LIMIT", 2)


@pytest.mark.parametrize(("writer", "options"), WRITERS)
def test_writers_write_the_same_from_the_spool(writer: str, options: dict[str, Any],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    papers = [p for path in INPUTS for p in bibconv.load(path, diagnostics=[])]
    papers += edge_corpus() + papers[:3]  # hand-made edge cases, identical twins
    assert len(papers) >= 40  # past MEMORY_LIMIT (5) by a dozen batches (3)
    expected, diagnostics = _write(writer, options, papers)  # all in memory
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 5)
    monkeypatch.setattr(spool, "BATCH_SIZE", 3)
    monkeypatch.setattr(keys, "_MEMO_LIMIT", 2)
    source = _ReadOnce(papers)
    assert _write(writer, options, source) == (expected, diagnostics)
    assert source.reads == 1
    assert _write(writer, options, (p for p in papers)) == (expected, diagnostics)
    assert _write(writer, options, papers) == (expected, diagnostics)  # a list: read again


@pytest.mark.parametrize(("writer", "options"), WRITERS[:1] + WRITERS[2:3])
def test_diagnostics_are_reported_once_from_a_spooled_source(
        writer: str, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    def convert() -> tuple[str, list[tuple[Any, ...]]]:
        found: list[Diagnostic] = []
        reporter = Reporter(found.append)
        source = bibconv.PaperSource(INPUTS, None, reporter)
        out = io.StringIO()
        get_writer(writer)(**options).write(source, out, reporter)
        return out.getvalue(), _diagnostics(found)

    expected = convert()
    assert expected[1]  # the edge cases report something
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 5)
    monkeypatch.setattr(spool, "BATCH_SIZE", 3)
    assert convert() == expected


def test_a_one_shot_input_is_not_kept_in_memory(small: None) -> None:
    """Past MEMORY_LIMIT the planning pass holds a spool batch, not the input."""
    template = bibconv.load(EXAMPLE)
    live: list[int] = []

    def stream() -> Iterator[Paper]:
        for n in range(300):
            if n == 250:
                gc.collect()
                live.append(sum(1 for o in gc.get_objects()
                                if type(o) is Paper and o.origin == "stream"))
            yield dataclasses.replace(template[n % len(template)], origin="stream", line=n)

    plan, again = keys.KeyGenerator().plan_and_replay(stream())
    assert live[0] <= 12  # MEMORY_LIMIT + a batch + the paper at hand, not 250
    written = [plan.key(paper) for paper in again]
    assert len(set(written)) == 300


class _FullDisk(io.BytesIO):
    """A spool file on a disk that fills up after ``room`` bytes."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.room:
            raise OSError(28, "No space left on device")
        return super().write(data)


@pytest.mark.parametrize("room", [0, 2000])
def test_a_full_disk_means_reading_the_source_again(room: int, small: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    papers = [p for path in INPUTS for p in bibconv.load(path, diagnostics=[])]
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 10_000)
    expected = _write("csl-json", {}, papers)
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 5)
    monkeypatch.setattr(spool.tempfile, "TemporaryFile", lambda **kw: _FullDisk(room))

    class Again(_ReadOnce):
        def quiet(self) -> Iterator[Paper]:
            return iter(self._papers)

    assert _write("csl-json", {}, Again(papers)) == expected
    with pytest.raises(OSError, match="No space"):
        _write("csl-json", {}, (p for p in papers))  # a one-shot input cannot be read again


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
def test_no_spool_file_is_left_behind(small: None, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    papers = bibconv.load(EXAMPLE) * 3
    before = _open_files()
    _, again = keys.KeyGenerator().plan_and_replay(iter(papers))
    assert list(tmp_path.iterdir()) == []  # anonymous: nothing to leave behind
    assert _open_files() == before + 1
    assert [p.title for p in again] == [p.title for p in papers]
    assert _open_files() == before
    # The writing pass stops early (an error in the writer): the file is closed too.
    _, again = keys.KeyGenerator().plan_and_replay(iter(papers))
    iterator = iter(again)
    next(iterator)
    iterator.close()  # type: ignore[attr-defined]
    assert _open_files() == before
    # So it is when the planning pass fails.
    def failing() -> Iterator[Paper]:
        yield from papers
        raise RuntimeError("reader failed")
    with pytest.raises(RuntimeError):
        keys.KeyGenerator().plan_and_replay(failing())
    assert _open_files() == before and list(tmp_path.iterdir()) == []


def test_a_float_where_text_belongs_is_given_back() -> None:
    """Values of unexpected types in plain fields come back as they were (pickled)."""
    paper = Paper(title="x", volume=1.5, page=math.inf)  # type: ignore[arg-type]
    back = list(spool.decode_batch(spool.encode_batch([paper])))
    assert back == [paper] and _typed(back[0]) == _typed(paper)

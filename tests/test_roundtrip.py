"""Round trips model -> format -> model over every reader/writer pair, and any-to-any.

A round trip must give back every field the format can hold. What a format cannot
hold is listed in LOSSES (the same table as README.md (Nothing lost, and said when it is)) and must be announced
by the writer with a ``lossy-field`` diagnostic for that paper. Papers are compared
through their CSL-JSON projection (what every format is about), and exactly for
the canonical ``json`` format.

Writers other engineers own (bibtex, biblatex, the RDF family) are parametrised by
name: a pair whose writer or reader module is not there yet fails loudly rather
than being skipped, because the registry promises it.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.csl import paper_to_csl
from bibconv.diagnostics import Diagnostic, Severity
from bibconv.keys import KeyGenerator
from bibconv.model import Date, Paper, Person, Venue
from bibconv.registry import reader_names, writer_names

from .conftest import EXAMPLE, FIXTURES, require_tool

#: writer name -> the reader that reads its output back.
PAIRS: dict[str, str] = {
    "json": "json", "jsonl": "json", "csl-json": "csl-json", "csl-jsonl": "csl-json",
    "bibtex": "bibtex", "biblatex": "biblatex", "ris": "ris", "turtle": "turtle",
    "ntriples": "ntriples", "jsonld": "jsonld", "rdfxml": "rdfxml",
}

#: Known losses per writer, as CSL-JSON variables (README.md (Nothing lost, and said when it is) has the same table).
#: "custom" is our CSL extension carrying DBLP homonym numbers and ORCID iDs.
LOSSES: dict[str, frozenset[str]] = {
    "json": frozenset(),
    "jsonl": frozenset(),
    "csl-json": frozenset(),
    "csl-jsonl": frozenset(),
    "ris": frozenset({"custom", "abstract", "note", "type"}),
    "bibtex": frozenset({"custom", "container-title-short", "event-title", "abstract", "note",
                         "type", "genre", "publisher-place", "issued"}),
    "biblatex": frozenset({"custom", "container-title-short", "publisher", "abstract", "note",
                           "type", "genre", "event-title"}),
    "turtle": frozenset({"custom"}),
    "ntriples": frozenset({"custom"}),
    "jsonld": frozenset({"custom"}),
    "rdfxml": frozenset({"custom"}),
}


def view(paper: Paper) -> dict[str, Any]:
    """What a round trip compares: the paper's CSL-JSON item without its id."""
    item = paper_to_csl(paper, "k")
    item.pop("id")
    return item


# ---------------------------------------------------------------- the edge corpus


def edge_corpus() -> list[Paper]:
    """Hand-made papers that stress names, scripts, math, specials and types."""
    return [
        Paper(
            title="Über $O(n^2)$ Graphs: {Braces}, 100% & $5, #hash, a_b ~tilde^ back\\slash",
            type="article-journal",
            author=(
                Person(family="Beethoven", given="Ludwig", particle="van"),
                Person(family="Fontaine", given="Jean", particle="de la"),
                Person(family="King", given="Martin Luther", suffix="Jr."),
                Person(family="Schölkopf", given="Bernhard"),
                Person(family="Đặng", given="Thị Ngọc"),
                Person(literal="World Health Organization"),
                Person(family="O'Brien", given="Conan"),
            ),
            issued=Date(2019, 3, 7),
            venue=Venue(name="Journal of Odd Things", short="J. Odd", kind="journal"),
            volume="12", issue="3", page="101-120", doi="10.1000/xyz-123_(45)",
            url="https://example.org/a_b?x=1&y=%20z#frag", issn="1234-5678",
            keywords=("graphs", "unicode"),
        ),
        Paper(
            title="Deep Learning for 東京 and Привет: A Survey",
            type="paper-conference",
            author=(Person(family="Li", given="Bo", homonym="0026"), Person(literal="王小明")),
            editor=(Person(family="Smith", given="Anna"),),
            issued=Date(2024, 12),
            venue=Venue(name="International Conference on Things", short="ICT",
                        kind="conference", container_title="Proceedings of ICT 2024",
                        publisher="ACM"),
            page="5",
        ),
        Paper(
            title="A Book about Books", type="book",
            author=(Person(family="Knuth", given="Donald E."),),
            issued=Date(1984), publisher="Addison-Wesley", publisher_place="Reading, MA",
            isbn="0-201-13447-0",
        ),
        Paper(
            title="Sur les propriétés des fonctions", type="thesis", genre="PhD thesis",
            author=(Person(family="Poincaré", given="Henri"),), issued=Date(1879),
            publisher="Université de Paris",
        ),
        Paper(
            title="A Technical Report", type="report", genre="Technical Report",
            author=(Person(family="Doe", given="Jane"),), issued=Date(2001),
            publisher="Institute of Reports", issue="TR-42",
        ),
        Paper(
            title="A Chapter in a Collection", type="chapter",
            author=(Person(family="Roe", given="Richard"),),
            editor=(Person(family="Ed", given="Eddie"),),
            venue=Venue(name="The Big Collection", kind="book"), issued=Date(2010),
            page="33-44", publisher="Springer",
        ),
    ]


CORPUS: dict[str, Callable[[], list[Paper]]] = {
    "example": lambda: bibconv.load(EXAMPLE, diagnostics=[]),
    "edge": edge_corpus,
}


def round_trip(papers: list[Paper], writer: str) -> tuple[list[Paper], list[Diagnostic],
                                                           list[Diagnostic]]:
    """Write papers and read them back; the writer's and the reader's diagnostics."""
    wdiags: list[Diagnostic] = []
    rdiags: list[Diagnostic] = []
    text = bibconv.dumps(papers, writer, diagnostics=wdiags)
    back = bibconv.load(io.BytesIO(text.encode("utf-8")), PAIRS[writer], diagnostics=rdiags)
    return back, wdiags, rdiags


def check_pair(papers: list[Paper], writer: str) -> None:
    """Every field survives except the documented losses, and those are announced."""
    back, wdiags, rdiags = round_trip(papers, writer)
    assert not [d for d in rdiags if d.severity is Severity.ERROR], rdiags
    assert len(back) == len(papers)
    lossy = [d for d in wdiags if d.code == "lossy-field"]
    plan = KeyGenerator().plan(papers)
    if writer in ("json", "jsonl"):
        assert [(p.title, p.author, p.venue, p.extra) for p in back] == \
            [(p.title, p.author, p.venue, p.extra) for p in papers]
        return
    # RDF readers need not keep the order: pair papers by title when titles are unique.
    by_title = {p.title: p for p in back}
    if len(by_title) == len(back) == len({p.title for p in papers}):
        back = [by_title.get(p.title, p) for p in papers]
    for before, after in zip(papers, back, strict=True):
        a, b = view(before), view(after)
        changed = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
        unexpected = changed - LOSSES[writer]
        assert not unexpected, {k: (a.get(k), b.get(k)) for k in unexpected}
        if changed:
            names = (before.title[:20], plan.key(before))
            assert any((d.line is not None and d.line == before.line
                        and d.origin == before.origin)
                       or any(n in d.message for n in names) for d in lossy), (
                f"{writer} dropped {sorted(changed)} of {before.title!r} without lossy-field")


@pytest.mark.parametrize("corpus", sorted(CORPUS))
@pytest.mark.parametrize("writer", sorted(PAIRS))
def test_round_trip(writer: str, corpus: str) -> None:
    check_pair(CORPUS[corpus](), writer)


def test_pairs_cover_every_reader_and_writer() -> None:
    assert set(PAIRS) <= set(writer_names())
    assert set(PAIRS.values()) <= set(reader_names())
    assert set(PAIRS) == set(LOSSES)


# ---------------------------------------------------------------- property tests

_NAME_CHARS = st.characters(categories=("Lu", "Ll", "Lo"), exclude_characters="\u0130\u0131")
# Readers NFC-normalise names (as a scraped page is read), so names start out in NFC:
# capitalising can leave a letter that NFC composes differently ("Ά" U+1FBB).
_WORD = st.text(_NAME_CHARS, min_size=1, max_size=8).map(
    lambda w: unicodedata.normalize("NFC", w.capitalize()))
_TEXT_CHARS = st.sampled_from(list("abcdefXYZ 0123456789éüßøłŁ東京Привет{}%&$#_~^\\-:;,.'\"/()"))


@st.composite
def persons(draw: st.DrawFn) -> Person:
    if draw(st.booleans()) and draw(st.booleans()):
        return Person(literal=f"{draw(_WORD)} {draw(_WORD)} Team")
    particle = draw(st.sampled_from([None, "van", "de la", "von der", "di"]))
    suffix = draw(st.sampled_from([None, None, "Jr.", "III"]))
    return Person(family=draw(_WORD), given=draw(_WORD), particle=particle, suffix=suffix)


def _balanced_math(text: str) -> str:
    return text if text.count("$") % 2 == 0 else text + "$"


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    words = draw(st.lists(st.text(_TEXT_CHARS, min_size=1, max_size=10), min_size=1, max_size=6))
    # Readers fold runs of whitespace (TeX and every scraped page do too), so titles start
    # out folded, as the names start out in NFC.
    title = _balanced_math(" ".join(" ".join(words).split()) or "Title")
    math = draw(st.sampled_from(["", " with $O(n^2)$", " for top-$k$", " via $\\alpha$-nets"]))
    kind = draw(st.sampled_from(["article-journal", "paper-conference", "book", "chapter"]))
    venue = None
    if kind != "book":
        venue = Venue(name=f"{draw(_WORD)} {draw(_WORD)}",
                      kind={"article-journal": "journal", "paper-conference": "conference"}.get(
                          kind, "book"))
    month = draw(st.none() | st.integers(1, 12))
    return Paper(
        title=(title + math).strip(),
        type=kind,
        author=tuple(draw(st.lists(persons(), min_size=1, max_size=4))),
        issued=Date(draw(st.integers(1000, 2100)), month),
        venue=venue,
        volume=draw(st.none() | st.integers(1, 999).map(str)),
        page=draw(st.none() | st.builds(lambda a, b: f"{a}-{a + b}", st.integers(1, 999),
                                         st.integers(1, 99))),
        doi=draw(st.none() | st.from_regex(r"10\.\d{4}/[a-z0-9._()-]{1,12}", fullmatch=True)),
    )


@pytest.mark.slow
@pytest.mark.parametrize("writer", sorted(PAIRS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(papers=st.lists(papers(), min_size=1, max_size=3))
def test_round_trip_property(writer: str, papers: list[Paper]) -> None:
    check_pair(papers, writer)


# ---------------------------------------------------------------- any to any


def _inputs() -> dict[str, bytes]:
    """One input per reader: the example written in that reader's format."""
    papers = bibconv.load(EXAMPLE, diagnostics=[])
    inputs = {writer: bibconv.dumps(papers, writer).encode("utf-8")
              for writer in set(PAIRS.values())}
    inputs["cluster"] = EXAMPLE.read_bytes()
    for lines in ("csl-jsonl", "jsonl"):  # the JSON Lines readers read what these write
        inputs[lines] = bibconv.dumps(papers, lines).encode("utf-8")
    cluster_json = sorted((FIXTURES).glob("**/*.json"))
    for path in cluster_json:
        if '"papers"' in path.read_text(encoding="utf-8", errors="replace")[:4096]:
            inputs["cluster-json"] = path.read_bytes()
            break
    return inputs


@pytest.mark.slow
def test_every_reader_converts_to_every_writer() -> None:
    inputs = _inputs()
    assert set(inputs) == set(reader_names()), "an input is missing for some reader"
    for reader, data in sorted(inputs.items()):
        count = len(bibconv.load(io.BytesIO(data), reader, diagnostics=[]))
        assert count > 0, reader
        for writer in writer_names():
            diags: list[Diagnostic] = []
            out = io.StringIO()
            reporter = bibconv.convert(io.BytesIO(data), out, from_format=reader,
                                       to_format=writer, diagnostics=diags)
            assert not reporter.failed, (reader, writer, [str(d) for d in diags][:3])
            assert out.getvalue().strip(), (reader, writer)


def test_bibtex_pipeline_matches_direct_csl_json() -> None:
    """kun-jin.txt -> bibtex -> csl-json equals kun-jin.txt -> csl-json where it counts."""
    def cli(*args: str, stdin: bytes | None = None) -> bytes:
        return subprocess.run([sys.executable, "-m", "bibconv.cli", *args], input=stdin,
                              capture_output=True, timeout=60, check=True).stdout

    direct = json.loads(cli("convert", str(EXAMPLE), "--to", "csl-json"))
    via = json.loads(cli("convert", "-", "--from", "bibtex", "--to", "csl-json",
                         stdin=cli("convert", str(EXAMPLE), "--to", "bibtex")))

    def essence(item: dict[str, Any]) -> tuple[Any, ...]:
        return (item["title"], item["type"], item.get("author"),
                item["issued"]["date-parts"][0][0], item.get("container-title"))

    assert [essence(i) for i in via] == [essence(i) for i in direct]


def test_bib2xml_reads_our_bibtex() -> None:
    tool = require_tool("bib2xml")
    papers = edge_corpus() + bibconv.load(EXAMPLE, diagnostics=[])
    text = bibconv.dumps(papers, "bibtex", diagnostics=[])
    result = subprocess.run([tool, "-i", "utf8", "-o", "utf8"], input=text.encode("utf-8"),
                            capture_output=True, timeout=60, check=True)
    records = result.stdout.decode("utf-8").split("<mods ")[1:]
    assert len(records) == len(papers)
    for paper, record in zip(papers, records, strict=True):
        # bibutils prints apostrophes typographically (O’Brien).
        families = [f.replace("’", "'") for f in
                    re.findall(r'<namePart type="family">(.*?)</namePart>', record)]
        persons = [a for a in paper.author if a.literal is None]
        for person in persons:
            assert person.family is not None
            assert any(person.family in f for f in families), (person, families)
        assert "<title>" in record


def test_pandoc_reads_our_bibtex_like_our_reader() -> None:
    """pandoc and our reader agree on titles and family names of our BibTeX output."""
    pandoc = require_tool("pandoc")
    papers = edge_corpus()
    text = bibconv.dumps(papers, "biblatex", diagnostics=[])
    ours = bibconv.loads(text, "biblatex", diagnostics=[])
    result = subprocess.run([pandoc, "-f", "biblatex", "-t", "csljson"],
                            input=text.encode("utf-8"), capture_output=True, timeout=60,
                            check=True)
    theirs = json.loads(result.stdout)
    assert len(theirs) == len(ours)
    for item, paper in zip(theirs, ours, strict=True):
        # pandoc makes apostrophes typographic (O’Brien); compare past that.
        assert [(a.get("family") or a.get("literal", "")).replace("’", "'")
                for a in item.get("author", [])] == \
            [a.family or a.literal for a in paper.author]
    assert shutil.which(pandoc)

"""The RIS writer: golden output, CRLF, folded values, types, lossy-field, ris2xml."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.diagnostics import Diagnostic
from bibconv.model import Date, Paper, Person, Venue
from bibconv.writers.ris import RIS_TYPES, ris_name

from .conftest import EXAMPLE, require_tool

GOLDEN = Path(__file__).resolve().parent / "golden" / "ris"
UPDATE = os.environ.get("BIBCONV_UPDATE_GOLDEN") == "1"


def ris_of(papers: list[Paper]) -> tuple[str, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    return bibconv.dumps(papers, "ris", diagnostics=diags), diags


def test_example_golden() -> None:
    papers = bibconv.load(EXAMPLE, diagnostics=[])
    text, _ = ris_of(papers)
    golden = GOLDEN / "kun-jin.ris"
    if UPDATE:
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")


def test_crlf_and_record_shape() -> None:
    papers = bibconv.load(EXAMPLE, diagnostics=[])
    text, _ = ris_of(papers)
    assert "\n" not in text.replace("\r\n", "")
    records = text.split("ER  - \r\n")
    assert len(records) == len(papers) + 1
    for record in records[:-1]:
        lines = record.strip("\r\n").split("\r\n")
        assert lines[0].startswith("TY  - ")
        assert all(re.match(r"^[A-Z][A-Z0-9]  - \S", line) for line in lines), lines


def test_values_cannot_start_a_new_tag() -> None:
    evil = "Evil\r\nER  - \nTY  - JOUR\u2028AU  - Injected\u2029x\x85y\x0bz"
    paper = Paper(title=evil, type="article-journal", author=(Person(family=evil, given="A"),),
                  abstract="Para one.\n\nPara two.", note=evil)
    text, diags = ris_of([paper])
    lines = text.split("\r\n")
    assert sum(1 for line in lines if line.startswith("TY  - ")) == 1
    assert sum(1 for line in lines if line.startswith("ER  - ")) == 1
    assert not any(line.startswith("AU  - Injected") for line in lines)
    assert any(d.code == "lossy-field" and "abstract line breaks" in d.message for d in diags)
    back = bibconv.loads(text, "ris", diagnostics=[])
    assert len(back) == 1 and back[0].title == "Evil ER - TY - JOUR AU - Injected x y z"


@pytest.mark.parametrize(
    ("person", "text"),
    [
        (Person(family="Beethoven", given="Ludwig", particle="van"), "van Beethoven, Ludwig"),
        (Person(family="King", given="Martin Luther", suffix="Jr."), "King, Martin Luther, Jr."),
        (Person(literal="OpenAI Team"), "OpenAI Team"),
        (Person(family="Plato"), "Plato"),
    ],
)
def test_names(person: Person, text: str) -> None:
    assert ris_name(person) == text


def test_types_and_venue_tags() -> None:
    assert {RIS_TYPES[t] for t in ("paper-conference", "article-journal", "chapter", "book",
                                   "thesis", "report", "article")} == {
        "CONF", "JOUR", "CHAP", "BOOK", "THES", "RPRT", "UNPB"}
    paper = Paper(
        title="T", type="article-journal", issued=Date(2020, 3, 7),
        venue=Venue(name="Journal of Things", short="J. Things", kind="journal", issn="1234-5678"),
        page="10–20", isbn="978-3-16-148410-0", keywords=("a", "b"), id="key1",
    )
    text, diags = ris_of([paper])
    assert not diags
    for line in ("TY  - JOUR", "ID  - key1", "PY  - 2020", "DA  - 2020/03/07/",
                 "T2  - Journal of Things", "J2  - J. Things", "SP  - 10", "EP  - 20",
                 "SN  - 978-3-16-148410-0", "SN  - 1234-5678", "KW  - a", "KW  - b"):
        assert line + "\r\n" in text


def test_lossy_field_names_paper_and_field() -> None:
    paper = Paper(title="Lossy", type="interview", author=(Person(family="A", homonym="0001"),),
                  extra={"authors-truncated": True}, origin="in.txt", line=7)
    text, diags = ris_of([paper])
    assert "TY  - GEN" in text
    (diag,) = diags
    assert (diag.code, diag.origin, diag.line) == ("lossy-field", "in.txt", 7)
    for part in ("type interview", "author homonym", "extra.authors-truncated", "'Lossy'"):
        assert part in diag.message


def test_ris2xml_reads_same_records_titles_and_authors(tmp_path: Path) -> None:
    tool = require_tool("ris2xml")
    papers = bibconv.load(EXAMPLE, diagnostics=[])
    text, _ = ris_of(papers)
    path = tmp_path / "out.ris"
    path.write_bytes(text.encode("utf-8"))
    result = subprocess.run([tool, "-i", "utf8", "-o", "utf8", str(path)], capture_output=True,
                            timeout=60, check=True)
    xml = result.stdout.decode("utf-8")
    mods = xml.split("<mods ")[1:]
    assert len(mods) == len(papers)
    for paper, record in zip(papers, mods, strict=True):
        titles = re.findall(r"<title>(.*?)</title>", record)
        assert titles and titles[0].replace("&amp;", "&") in paper.title
        families = re.findall(r'<namePart type="family">(.*?)</namePart>', record)
        assert families[: len(paper.author)] == [a.family for a in paper.author]


# ------------------------------------------------ fast paths agree with the general path

def test_every_character_folding_touches_is_unprintable() -> None:
    """The writer only strips a printable value; exhaustively, no printable character is
    one that folding replaces or drops."""
    from bibconv.text import _CONTROL_OR_INVISIBLE
    from bibconv.writers.ris import _BREAKS

    for code in range(0x110000):
        ch = chr(code)
        if ch.isprintable():
            assert _BREAKS.match(ch) is None and _CONTROL_OR_INVISIBLE.match(ch) is None, hex(code)


_ris_text = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", " ", " x ", "a\r\nb", "a\n", "\u2028", "x\u2029y", "\x85", "\x0b\x0c", "\u200b", "\ufeff",
     "\x00", "\ufffe", "\u00a0a\u00a0", " \n ", "Evil\r\nER  - "])


def _general_record(paper: Paper, key: str) -> tuple[str, list[str]]:
    """The RIS record and lost fields as the writer made them before its fast paths."""
    from bibconv.csl import CONFERENCE_KINDS
    from bibconv.pubtypes import csl_type_for
    from bibconv.text import strip_controls
    from bibconv.writers.ris import _BREAKS, _GENRE_TYPES, _PAGE_RANGE, _fold

    lines: list[str] = []
    lost: list[str] = []

    def tag(name: str, value: str | None, field: str) -> None:
        if not value:
            return
        if _BREAKS.search(value) is None:
            folded = strip_controls(value).strip()
        else:
            folded = _fold(value)
            if _BREAKS.search(value.strip()):
                lost.append(f"{field} line breaks")
        if folded:
            lines.append(f"{name}  - {folded}")

    ty = RIS_TYPES.get(paper.type, "GEN")
    if ty == "GEN" and paper.type != "document":
        lost.append(f"type {paper.type}")
    lines.append(f"TY  - {ty}")
    tag("ID", key, "id")
    for person in paper.author:
        tag("AU", ris_name(person), "author")
    for person in paper.editor:
        tag("ED", ris_name(person), "editor")
    for person in (*paper.author, *paper.editor):
        if person.homonym:
            lost.append("author homonym")
        if person.orcid:
            lost.append("author orcid")
    tag("TI", paper.title, "title")
    issued = paper.issued
    if issued is not None:
        tag("PY", f"{issued.year:04d}" if issued.year >= 0 else str(issued.year), "issued")
        if issued.month is not None:
            day = f"{issued.day:02d}" if issued.day is not None else ""
            tag("DA", f"{issued.year:04d}/{issued.month:02d}/{day}/", "issued")
    venue = paper.venue
    publisher, issn = paper.publisher, paper.issn
    if venue is not None:
        if ty == "CONF":
            tag("T2", venue.name, "venue")
            if venue.container_title and venue.container_title != venue.name:
                tag("C3", venue.container_title, "venue")
        else:
            tag("T2", venue.title, "venue")
            if (venue.kind in CONFERENCE_KINDS and venue.container_title
                    and venue.name != venue.title):
                lost.append("venue name")
        if venue.short and venue.short != venue.title:
            tag("J2", venue.short, "venue")
        publisher = publisher or venue.publisher
        issn = issn or venue.issn
    tag("VL", paper.volume, "volume")
    tag("IS", paper.issue, "issue")
    if paper.page:
        match = _PAGE_RANGE.match(paper.page)
        if match:
            tag("SP", match.group(1), "page")
            tag("EP", match.group(2), "page")
        else:
            tag("SP", paper.page, "page")
    tag("PB", publisher, "publisher")
    tag("CY", paper.publisher_place, "publisher_place")
    tag("SN", paper.isbn, "isbn")
    tag("SN", issn, "issn")
    tag("DO", paper.doi, "doi")
    tag("UR", paper.url, "url")
    tag("LA", paper.language, "language")
    for keyword in paper.keywords:
        tag("KW", keyword, "keywords")
    tag("AB", paper.abstract, "abstract")
    tag("N1", paper.note, "note")
    if paper.genre:
        if paper.type in _GENRE_TYPES:
            tag("M3", paper.genre, "genre")
        elif csl_type_for(paper.genre) not in (paper.type, None) or (
                csl_type_for(paper.genre) is None):
            lost.append("genre")
    lost.extend(f"extra.{name}" for name in paper.extra)
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n\r\n", sorted(set(lost))


_ris_people = st.one_of(
    st.builds(Person, family=_ris_text, given=st.none() | _ris_text,
              particle=st.none() | _ris_text, suffix=st.none() | _ris_text,
              homonym=st.none() | st.just("0026"), orcid=st.none() | st.just("0000-0001")),
    st.builds(Person, literal=_ris_text),
)
_ris_optional = st.none() | _ris_text
_ris_papers = st.builds(
    Paper, title=_ris_text,
    type=st.sampled_from(["article-journal", "paper-conference", "thesis", "report", "interview",
                          "document", "chapter"]),
    author=st.lists(_ris_people, max_size=3).map(tuple),
    editor=st.lists(_ris_people, max_size=2).map(tuple),
    issued=st.none() | st.builds(Date, st.integers(-20, 2100), st.none() | st.integers(1, 12),
                                 st.none() | st.integers(1, 28)),
    venue=st.none() | st.builds(Venue, name=_ris_text, short=_ris_optional,
                                kind=st.sampled_from([None, "conference", "journal"]),
                                container_title=_ris_optional, publisher=_ris_optional,
                                issn=_ris_optional),
    volume=_ris_optional, issue=_ris_optional,
    page=_ris_optional | st.sampled_from(["1-10", " 5 – 9 ", "e12"]),
    publisher=_ris_optional, publisher_place=_ris_optional, doi=_ris_optional,
    url=_ris_optional, isbn=_ris_optional, issn=_ris_optional, abstract=_ris_optional,
    keywords=st.lists(_ris_text, max_size=2).map(tuple), language=_ris_optional,
    note=_ris_optional,
    genre=st.none() | st.sampled_from(["PhD thesis", "Conference Paper", "Journal Article",
                                       "Gadget", "Report"]),
    extra=st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ris_papers, min_size=1, max_size=4), st.lists(_ris_people, max_size=2))
def test_records_match_the_general_path(papers: list[Paper], shared: list[Person]) -> None:
    from bibconv.keys import KeyGenerator
    from bibconv.model import replace
    from bibconv.writers.ris import RISWriter

    # People shared between papers, as a reader shares them (the writer caches per person).
    papers = [replace(p, author=(*shared, *p.author)) for p in papers]
    writer = RISWriter()
    plan = KeyGenerator().plan(papers)
    for paper in papers:
        key = plan.key(paper)  # once: identical papers get their suffixes in turn
        reporter = bibconv.Reporter()
        text = writer.record(paper, key, reporter)
        expected, lost = _general_record(paper, key)
        assert text == expected
        got_lost = [d.message for d in reporter.diagnostics if d.code == "lossy-field"]
        assert len(got_lost) == (1 if lost else 0)
        if lost:
            assert f"RIS cannot hold {', '.join(lost)} of paper" in got_lost[0]


_KEPT = b"""TY  - JOUR
TI  - A Title
AU  - Li, Xu
PY  - 2020
T2  - Journal
SN  - 1234-5678
SN  - 2345-6789
UR  - https://a.org
UR  - https://b.org
AN  - 12345
DB  - PubMed
Y2  - 2024/01/02
ZZ  - custom value
ZZ  - second custom
""" + b"ER  - \n"


def test_tags_the_reader_kept_are_written_back() -> None:
    """RIS read and written again keeps the tags the model has no field for (accession
    numbers, databases, access dates, a custom tag, a second ISSN or URL): none is lost,
    and a second round gives the same model and the same text."""
    first = bibconv.load(io.BytesIO(_KEPT), "ris", diagnostics=[])
    found: list[Diagnostic] = []
    text = bibconv.dumps(first, "ris", diagnostics=found)
    assert [d for d in found if d.code == "lossy-field"] == []
    for line in ("AN  - 12345", "DB  - PubMed", "Y2  - 2024/01/02", "ZZ  - custom value",
                 "ZZ  - second custom", "UR  - https://b.org", "SN  - 2345-6789"):
        assert line + "\r\n" in text
    second = bibconv.load(io.BytesIO(text.encode()), "ris", diagnostics=[])
    assert first[0].issn == "1234-5678" and first[0].isbn is None  # the second is an ISSN too
    assert [(p.title, p.issn, p.isbn, p.url, p.extra) for p in second] == \
        [(p.title, p.issn, p.isbn, p.url, p.extra) for p in first]
    assert bibconv.dumps(second, "ris", diagnostics=[]) == text


def test_kept_tags_that_cannot_be_written_back_are_named() -> None:
    paper = Paper(title="T", type="article-journal",
                  extra={"ris-TI": "a second title", "ris-AN": 5, "ris-zz": "x",
                         "ris-type": "EJOUR", "ris-DB": ["A", "B"]})
    text, diags = ris_of([paper])
    assert "DB  - A\r\nDB  - B\r\n" in text
    (diag,) = diags
    for part in ("extra.ris-TI", "extra.ris-AN", "extra.ris-zz", "extra.ris-type"):
        assert part in diag.message
    same_type = Paper(title="T", type="article-journal", extra={"ris-type": "JOUR"})
    assert ris_of([same_type])[1] == []  # TY already says it

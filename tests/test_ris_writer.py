"""The RIS writer: golden output, CRLF, folded values, types, lossy-field, ris2xml."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

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

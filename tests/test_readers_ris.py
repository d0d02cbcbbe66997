"""The RIS reader: EndNote/Zotero exports, continuation lines, bad input, sniffing."""

from __future__ import annotations

import json
import subprocess
import sys

import bibconv
from bibconv.diagnostics import Diagnostic
from bibconv.model import Person
from bibconv.readers.ris import RISReader
from bibconv.registry import sniff

from .conftest import FIXTURES

READERS = FIXTURES / "readers"


def test_endnote_style_export() -> None:
    diags: list[Diagnostic] = []
    papers = bibconv.load(READERS / "endnote.ris", diagnostics=diags)
    assert not diags
    journal, conf, thesis = papers
    assert journal.type == "article-journal"
    assert journal.title == "Estimating the Support of a High-Dimensional Distribution"
    assert journal.author == (
        Person(family="Schölkopf", given="Bernhard"), Person(family="Platt", given="John C."),
        Person(family="Maaten", given="Laurens", particle="van der"),
        Person(family="King", given="Martin Luther", suffix="Jr."))
    assert journal.venue is not None
    assert (journal.venue.name, journal.venue.short) == ("Neural Computation", "Neural Comput.")
    assert journal.issued is not None and journal.issued.iso() == "2001-07-01"
    assert (journal.volume, journal.issue, journal.page) == ("13", "7", "1443-1471")
    assert journal.doi == "10.1162/089976601750264965" and journal.issn == "0899-7667"
    assert journal.keywords == ("kernels", "novelty detection")
    assert journal.abstract is not None and journal.abstract.endswith("simple subset.")
    assert conf.type == "paper-conference" and conf.editor == (Person(family="Guyon", given="I."),)
    assert conf.container_title == "Advances in Neural Information Processing Systems"
    assert (conf.publisher, conf.publisher_place) == ("Curran Associates, Inc.", "Long Beach, CA")
    assert (thesis.type, thesis.genre, thesis.publisher) == ("thesis", "PhD thesis",
                                                             "Université de Paris")
    assert [p.line for p in papers] == [1, 26, 40]


def test_broken_ris_reports_and_keeps_good_records() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bibconv.cli", "convert", str(READERS / "broken.ris"),
         "--to", "json"], capture_output=True, timeout=60, check=False)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "broken.ris:7: error[ris-missing-er]" in err
    assert "broken.ris:19: error[ris-missing-er]" in err
    assert "broken.ris:15: warning[unknown-tag]" in err
    papers = json.loads(result.stdout)
    assert [p["title"] for p in papers] == ["First Good Record", "Second Good Record"]
    assert papers[1]["extra"] == {"ris-ZZ": "a custom tag"}


def test_tag_outside_record_and_unknown_type() -> None:
    diags: list[Diagnostic] = []
    text = "AU  - Stray, Tag\nTY  - WHAT\nTI  - Odd\nER  - \n"
    papers = bibconv.loads(text, "ris", diagnostics=diags)
    assert [(d.code, d.line) for d in diags] == [("ris-syntax", 1), ("unknown-type", 2)]
    assert papers[0].type == "document" and papers[0].extra == {"ris-type": "WHAT"}


def test_sniffing() -> None:
    assert sniff("\ufeffTY  - JOUR\r\nTI  - x\r\n", "a.txt") == "ris"
    assert RISReader.sniff("@article{x,", ".bib") == 0
    assert RISReader.sniff("", ".ris") >= 20

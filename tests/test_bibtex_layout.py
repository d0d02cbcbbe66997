"""The BibTeX writers lay entries out byte for byte as bibtexparser's writer does.

bibconv maps papers to bibtexparser entries; for speed the text is laid out by
`format_entry` instead of `bibtexparser.write`, and writing lays each entry out in one
pass (`_layout`). These tests keep the three identical, entry by entry and for a whole
file.
"""

from __future__ import annotations

import io

from bibtexparser import writer as bp_writer
from bibtexparser.library import Library
from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv.diagnostics import Reporter
from bibconv.model import Date, Paper, Person, Venue
from bibconv.writers.bibtex import BibLaTeXWriter, BibTeXWriter, _layout, format_entry

from .test_bibtex_writer import corpus, example

_FORMAT = bp_writer.BibtexFormat()  # type: ignore[no-untyped-call]
_FORMAT.indent = "  "
_FORMAT.block_separator = "\n"


def _same(writer: BibTeXWriter | BibLaTeXWriter, paper: Paper) -> None:
    kind, key, fields = writer.fields(paper, "key1", Reporter())
    ours = format_entry(kind, key, fields)
    theirs = bp_writer.write(Library([writer.entry(paper, "key1", Reporter())]), _FORMAT)
    assert ours == theirs
    assert _layout(*writer._values(paper, "key1", Reporter())) == theirs


def test_whole_files_are_what_bibtexparser_writes() -> None:
    papers = example() + corpus()
    for options in ({}, {"ascii": True}, {"venue_form": "short"}):
        for writer in (BibTeXWriter(**options), BibLaTeXWriter(**options)):
            out = io.StringIO()
            writer.write(papers, out, Reporter())
            keys = [entry.split("{", 1)[1].split(",", 1)[0]
                    for entry in out.getvalue().split("\n@")]
            library = Library([writer.entry(paper, key, Reporter())
                               for paper, key in zip(papers, keys, strict=True)])
            assert out.getvalue() == bp_writer.write(library, _FORMAT)


def test_example_and_hostile_corpus() -> None:
    for writer in (BibTeXWriter(), BibLaTeXWriter(), BibTeXWriter(ascii=True)):
        for paper in example() + corpus():
            _same(writer, paper)


def test_entry_without_fields() -> None:
    writer = BibTeXWriter()
    _, _, fields = writer.fields(Paper(title=""), "k", Reporter())
    assert fields == []
    _same(writer, Paper(title=""))


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(title=_text, family=_text, venue=_text, abstract=st.none() | _text,
       kind=st.sampled_from(["paper-conference", "article-journal", "chapter", "thesis",
                             "article", "report", "book", "document"]))
def test_generated_papers(title: str, family: str, venue: str, abstract: str | None,
                          kind: str) -> None:
    paper = Paper(title=title, type=kind, author=(Person(family=family or "X", given="A"),),
                  issued=Date(2020), venue=Venue(name=venue or "V", kind="conference"),
                  abstract=abstract)
    for writer in (BibTeXWriter(), BibLaTeXWriter()):
        _same(writer, paper)

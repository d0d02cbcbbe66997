"""The scraped-cluster reader on the real page and on edge-case pages."""

from __future__ import annotations

from pathlib import Path

import pytest

import bibconv
from bibconv.diagnostics import Diagnostic
from bibconv.model import Paper, Person

from .conftest import EXAMPLE, FIXTURES

EDGE = FIXTURES / "clusters" / "edge-cases.txt"


def _read(text: str) -> tuple[list[Paper], list[Diagnostic]]:
    found: list[Diagnostic] = []
    papers = bibconv.loads(text, "cluster", diagnostics=found)
    return papers, found


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def test_example_reads_every_paper_cleanly() -> None:
    found: list[Diagnostic] = []
    papers = bibconv.load(EXAMPLE, diagnostics=found)
    assert found == []
    assert len(papers) == 10
    first = papers[0]
    assert first.title == "Addressing Polarization and Unfairness in Performative Prediction"
    assert first.type == "paper-conference"
    assert first.year == 2026
    assert [a.display_name for a in first.author] == ["Kun Jin", "Tian Xie", "Yang Liu", "Xueru Zhang"]
    assert first.venue is not None and first.venue.short == "AAAI"
    assert first.line == 16 and first.origin == str(EXAMPLE)
    assert first.cluster is not None
    assert (first.cluster.name, first.cluster.site) == ("Kun Jin", "Arrow Research search")
    assert (first.cluster.declared_papers, first.cluster.declared_author_rows) == (10, 2)
    journal = papers[6]
    assert journal.type == "article-journal"
    assert journal.container_title == "Engineering Applications of Artificial Intelligence"
    assert [p.year for p in papers] == [2026, 2025, 2024, 2024, 2024, 2023, 2022, 2022, 2021, 2021]


def test_example_homonym_and_cleaned_abstracts() -> None:
    papers = bibconv.load(EXAMPLE)
    densepure = papers[5]
    assert densepure.author[-1] == Person(family="Li", given="Bo", homonym="0026")
    assert "2.5-28x training speedup" in (papers[1].abstract or "")
    assert "(e.g. rotation, projection and scaling)" in (papers[9].abstract or "")
    assert "Gauss–Seidel" in (papers[9].abstract or "")


def test_edge_cases() -> None:
    found: list[Diagnostic] = []
    papers = bibconv.load(EDGE, diagnostics=found)
    by_title = {p.title: p for p in papers}
    assert len(papers) == 7
    mm = by_title["Symphonic Retrieval with top-$k$ Attention"]
    assert mm.venue is not None and mm.venue.short == "ACM MM"
    assert [a.display_name for a in mm.author] == [
        "Ludwig van Beethoven", "Martin Luther King, Jr.", "Bo Li"]
    assert mm.abstract == (
        "We study retrieval (e.g., of scores) at 2.5x speed in the U.S. market.\n\n"
        "See Fig. 2 for details. The set A. Then more text with $\\ell_1$ norms."
    )
    nature = by_title["A Journal Paper Without Abstract"]
    assert nature.abstract is None
    assert nature.venue is not None and nature.venue.name == "Nature Communications"
    assert nature.author[1] == Person(literal="ATLAS Collaboration")
    workshop = by_title["Untitled Workshop Note Without Authors"]
    assert workshop.author == () and workshop.venue is not None
    assert workshop.venue.kind == "workshop"
    chapter = by_title["A Chapter in a Book"]
    assert chapter.type == "chapter" and chapter.extra == {"authors-truncated": True}
    assert chapter.abstract == "the abstract label is dropped."
    preprint = by_title["A Preprint Whose Title Wraps Over Two Lines"]
    assert preprint.type == "article"
    thesis = by_title["A Doctoral Thesis"]
    assert thesis.type == "thesis" and thesis.publisher == "ETH Zurich" and thesis.genre == "PhD Thesis"
    talk = by_title["A Talk of an Unknown Type at a Venue of an Unknown Kind"]
    assert talk.type == "document" and talk.genre == "Invited Talk"
    assert talk.doi == "10.1145/1234567.8901234"
    assert sorted(codes(found)) == sorted(
        ["missing-authors", "unknown-venue-kind", "unknown-type", "paper-count-mismatch"])
    mismatch = next(d for d in found if d.code == "paper-count-mismatch")
    assert mismatch.line == 9 and "declares 9 papers" in mismatch.message
    assert "lines 16-64" in mismatch.message


def test_crlf_bom_and_trailing_spaces(example_text: str) -> None:
    plain, _ = _read(example_text)
    variants = [
        example_text.replace("\n", "\r\n"),
        "\ufeff" + example_text,
        "\n".join(line + "   " for line in example_text.split("\n")),
        example_text.replace("\n", "\r"),
    ]
    for variant in variants:
        papers, found = _read(variant)
        assert found == []
        assert [(p.title, p.author, p.abstract) for p in papers] == [
            (p.title, p.author, p.abstract) for p in plain]


def test_crlf_fixture_file() -> None:
    papers = bibconv.load(FIXTURES / "clusters" / "crlf.txt")
    assert [p.title for p in papers] == ["A Paper With CRLF Line Ends"]
    assert papers[0].abstract == "Abstract with trailing spaces."


@pytest.mark.parametrize("bullet", ["•", "·", "*", "-", "–", "1."])
def test_bullet_styles(bullet: str) -> None:
    page = f"ICML Conference 2022 Conference Paper\n\nA Title\n\n  {bullet} Ada Lovelace\n  {bullet} Alan Turing\n\nThe abstract.\n"
    papers, found = _read(page)
    assert found == []
    assert [a.display_name for a in papers[0].author] == ["Ada Lovelace", "Alan Turing"]
    assert papers[0].abstract == "The abstract."


def test_entries_without_blank_lines() -> None:
    page = "ICML Conference 2022 Conference Paper\nA Title\n• Ada Lovelace\nThe abstract.\nAAAI Conference 2021 Conference Paper\nSecond\n• Alan Turing\n"
    papers, _ = _read(page)
    assert [(p.title, p.abstract) for p in papers] == [("A Title", "The abstract."), ("Second", None)]


def test_concatenated_clusters(example_text: str) -> None:
    edge = EDGE.read_text(encoding="utf-8")
    papers, found = _read(example_text + "\n" + edge + example_text)
    assert len(papers) == 27
    names = [p.cluster.name for p in papers if p.cluster]
    assert names[:10] == ["Kun Jin"] * 10
    assert names[10:17] == ["Ludwig van Beethoven"] * 7
    assert names[17:] == ["Kun Jin"] * 10
    # The site line of the next page is not glued onto the last abstract.
    assert not (papers[9].abstract or "").endswith("Arrow Research search")
    assert papers[10].cluster is not None and papers[10].cluster.site == "Arrow Research search"
    assert codes(found).count("paper-count-mismatch") == 1


def test_declared_count_mismatch_keeps_every_entry(example_text: str) -> None:
    lines = example_text.split("\n")
    cut = "\n".join(lines[: lines.index("IJCAI Conference 2021 Conference Paper")])
    papers, found = _read(cut)
    assert len(papers) == 9
    assert codes(found) == ["paper-count-mismatch"]
    assert found[0].line == 9 and "but 9 were found" in found[0].message


def test_truncated_entry_is_kept_with_a_warning(example_text: str) -> None:
    papers, found = _read(example_text + "\nNeurIPS Conference 2020 Conference Paper\n")
    assert len(papers) == 11
    assert papers[-1].title == "" and papers[-1].year == 2020
    assert {"missing-title", "missing-authors", "paper-count-mismatch"} <= set(codes(found))


def test_page_without_header() -> None:
    papers, found = _read("AAAI Conference 2021 Conference Paper\n\nT\n\n• A B\n")
    assert len(papers) == 1 and papers[0].cluster is None and found == []


def test_header_only_page_with_zero_papers() -> None:
    page = "Site\n\nAuthor name cluster\n\nNobody\n\nNo papers here.\n\n0 papers\n0 author rows\n"
    papers, found = _read(page)
    assert papers == [] and found == []


def test_reader_streams(tmp_path: Path, example_text: str) -> None:
    path = tmp_path / "big.txt"
    path.write_text(example_text * 50, encoding="utf-8")
    iterator = bibconv.iterload(path, diagnostics=[])
    first = next(iterator)
    assert first.title.startswith("Addressing")
    assert sum(1 for _ in iterator) == 499


def test_html_character_references_a_scraper_left_are_decoded() -> None:
    page = ("Author name cluster\n\nFran&ccedil;ois Dupont\n\n1 papers\n\nPossible papers\n\n"
            "ICML Conference 2020 Conference Paper\n\nQ&amp;A over &quot;graphs&quot;\n\n"
            "  • Fran&ccedil;ois Dupont\n  • Ren&eacute;e O&#39;Brien\n\n"
            "We study R&amp;D &lt;at scale&gt;, and R&D as written.\n")
    (paper,), found = _read(page)
    assert not found
    assert paper.title == 'Q&A over "graphs"'
    assert paper.author == (Person(family="Dupont", given="François"),
                            Person(family="O'Brien", given="Renée"))
    assert paper.abstract == "We study R&D <at scale>, and R&D as written."
    assert paper.cluster is not None and paper.cluster.name == "François Dupont"


def test_marks_degrees_and_notes_around_names_are_taken_off() -> None:
    page = ("Author name cluster\n\nWei Zhang\n\n1 papers\n\nPossible papers\n\n"
            "ICML Conference 2020 Conference Paper\n\nA Title\n\n"
            "  • Wei Zhang¹*\n  • Dr. Ann Smith, PhD\n  • Bo Li 0026 (Tsinghua University)\n"
            "  • Carl Zed [2]\n")
    (paper,), found = _read(page)
    assert [(p.given, p.family, p.homonym) for p in paper.author] == [
        ("Wei", "Zhang", None), ("Ann", "Smith", None), ("Bo", "Li", "0026"),
        ("Carl", "Zed", None)]
    # Only the note that says something is reported, at its own line.
    assert [(d.code, d.line) for d in found] == [("name-note", 15)]
    assert "'Tsinghua University'" in found[0].message


def test_cluster_json_reports_a_note_after_a_name() -> None:
    text = ('{"author": "Wei Zhang", "papers": [{"title": "T", "authors": '
            '["Wei Zhang (MIT)", {"name": "Ann Smith*"}]}]}')
    found: list[Diagnostic] = []
    (paper,) = bibconv.loads(text, "cluster-json", diagnostics=found)
    assert [(p.given, p.family) for p in paper.author] == [("Wei", "Zhang"), ("Ann", "Smith")]
    assert [d.code for d in found] == ["name-note"]
    assert "$.papers[0].authors[0]" in found[0].message and "'MIT'" in found[0].message


_LOOSE_PAGE = """Author name cluster

Ann Lee

4 papers

Possible papers

ICLR 2024

A First Paper Whose Venue Line Has No Kind or Type

  • Ann Lee

The first abstract.

NeurIPS Conference 2025 Conference Paper

A Well-Formed Entry

  • Ann Lee
  • Bo Li

Its abstract.
Read more

2023 Journal Article

An Entry Whose Venue Line Names No Venue

  • Ann Lee

Nature Journal 2022 Journal Article

Last

  • Ann Lee

The last abstract.

© 2026 Arrow Research. All rights reserved.
Load more
"""


def test_a_venue_line_missing_its_kind_or_type_still_starts_an_entry() -> None:
    papers, found = _read(_LOOSE_PAGE)
    assert [p.title for p in papers] == [
        "A First Paper Whose Venue Line Has No Kind or Type", "A Well-Formed Entry",
        "An Entry Whose Venue Line Names No Venue", "Last"]
    first, second, third, last = papers
    assert first.type == "paper-conference"  # after the venue: ICLR is a conference
    assert first.venue is not None and first.venue.short == "ICLR"
    assert first.issued is not None and first.issued.year == 2024
    assert first.abstract == "The first abstract."
    assert second.abstract == "Its abstract."  # nothing of the next entry, no "Read more"
    assert [p.family for p in second.author] == ["Lee", "Li"]
    assert third.type == "article-journal" and third.venue is None
    assert third.abstract is None
    assert last.abstract == "The last abstract."  # the page footer is not part of it
    assert [(d.code, d.line) for d in found] == [
        ("loose-venue-line", 9), ("unknown-type", 9), ("page-chrome", 25),
        ("loose-venue-line", 27), ("page-chrome", 41), ("page-chrome", 42)]


@pytest.mark.parametrize("heading", [
    "Results in 2020",  # ends with a joining word: a phrase, not a venue
    "In 2020 we",  # what follows the year is no publication type
    "2020",  # names neither a venue nor a type
    "We found in 2020 that this holds.",
])
def test_an_abstract_holding_a_list_is_not_taken_apart(heading: str) -> None:
    page = ("ICML Conference 2020 Conference Paper\n\nA Title\n\n  • Ann Lee\n\n"
            f"The abstract opens.\n\n{heading}\n\nThree findings:\n\n"
            "  • a first one\n  • a second one\n")
    (paper,), found = _read(page)
    assert paper.abstract is not None and heading in paper.abstract
    assert "a second one" in paper.abstract
    assert not found


def test_a_page_whose_utf8_was_read_as_windows_1252_reads_back() -> None:
    page = ("Author name cluster\n\nJosÃ© GarcÃ\xada\n\n1 papers\n\nPossible papers\n\n"
            "ICML Conference 2020 Conference Paper\n\nâ€œQuotedâ€\x9d title\n\n"
            "  • JosÃ© GarcÃ\xada\n  • Jens MÃ¼ller\n\nAbstract with naÃ¯ve text.\n")
    (paper,), found = _read(page)
    assert not found
    assert paper.title == "“Quoted” title"
    assert [(p.given, p.family) for p in paper.author] == [("José", "García"),
                                                          ("Jens", "Müller")]
    assert paper.abstract == "Abstract with naïve text."
    assert paper.cluster is not None and paper.cluster.name == "José García"


def test_a_loose_first_entry_after_a_header_with_no_paper_count() -> None:
    """Without "N papers", every header line reads as the description: the first
    entry's venue line (of a shape not recognised) and title are taken back from it."""
    page = ("Author name cluster\n\nAnn Lee\n\nSome description.\n\nICLR 2024\n\n"
            "A Title\n\n  • Ann Lee\n\nIts abstract.\n\n"
            "NeurIPS Conference 2025 Conference Paper\n\nSecond\n\n  • Ann Lee\n")
    papers, found = _read(page)
    assert [p.title for p in papers] == ["A Title", "Second"]
    assert papers[0].abstract == "Its abstract."
    assert papers[0].cluster is not None
    assert papers[0].cluster.description == "Some description."
    assert [(d.code, d.line) for d in found] == [("loose-venue-line", 7), ("unknown-type", 7)]

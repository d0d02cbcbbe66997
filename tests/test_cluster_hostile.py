"""Scraped pages a real site gives, found by adversarial testing: venue lines with
extras, empty bullets, lists in abstracts, HTML left in, stray identifiers.

Each case had its entry swallowed by the previous abstract, or its authors garbled,
without a word; the reader must now read it, or say what it dropped.
"""

from __future__ import annotations

import pytest

import bibconv
from bibconv.diagnostics import Diagnostic
from bibconv.model import Paper


def _read(text: str) -> tuple[list[Paper], list[Diagnostic]]:
    found: list[Diagnostic] = []
    papers = bibconv.loads(text, "cluster", diagnostics=found)
    return papers, found


def _codes(found: list[Diagnostic]) -> list[str]:
    return [d.code for d in found]


FIRST = "ICML Conference 2023 Conference Paper\n\nFirst\n\n  • Carol White\n\nFirst abstract.\n\n"
SECOND = "\n\nSecond Title\n\n  • Alice Smith\n  • Bob Jones\n\nSecond abstract.\n"


@pytest.mark.parametrize(("line", "year", "ptype"), [
    ("NeurIPS Conference 2024 Conference Paper (Oral)", 2024, "Conference Paper"),
    ("NeurIPS Conference 2024 Conference Paper [PDF]", 2024, "Conference Paper"),
    ("NeurIPS Conference 2024 Conference Paper (Spotlight presentation)", 2024,
     "Conference Paper"),
    ("NeurIPS Conference, 2024, Conference Paper", 2024, "Conference Paper"),
    ("NeurIPS Conference 2024 · Conference Paper", 2024, "Conference Paper"),
    ("NeurIPS Conference | 2024 | Conference Paper", 2024, "Conference Paper"),
    ("NeurIPS Conference 2024a Conference Paper", 2024, "Conference Paper"),
    ("NeurIPS Conference (2024) Conference Paper", 2024, "Conference Paper"),
    ("NeurIPS Conference 2024", 2024, ""),
])
def test_a_venue_line_with_extras_starts_its_entry(line: str, year: int, ptype: str) -> None:
    """A venue line with an annotation, other separators or a year with a letter,
    before a title and authors, starts the entry (with a warning), in the middle of a
    page and as its first line; a known kind word is the venue's kind."""
    for text in (FIRST + line + SECOND, line + SECOND):
        papers, found = _read(text)
        assert [p.title for p in papers][-1] == "Second Title", text
        second = papers[-1]
        assert [a.family for a in second.author] == ["Smith", "Jones"]
        assert second.abstract == "Second abstract."
        assert second.year == year
        assert second.type == "paper-conference"
        assert second.container_title == "Advances in Neural Information Processing Systems"
        assert (second.genre or "") == ptype
        if len(papers) == 2:
            assert papers[0].abstract == "First abstract."
        assert "loose-venue-line" in _codes(found)
        assert "unrecognised-text" not in _codes(found)


def test_abstract_text_like_a_venue_line_with_extras_stays_abstract() -> None:
    """The extras are only tolerated before a title and a list of authors: abstract
    lines that merely hold a year and brackets are not split off."""
    text = FIRST.replace("First abstract.", "We study 2024 data (see appendix).\n\nResults "
                         "hold for 2023 (Table 2).")
    papers, found = _read(text)
    assert len(papers) == 1
    assert papers[0].abstract == ("We study 2024 data (see appendix).\n\nResults hold for "
                                  "2023 (Table 2).")
    assert found == []


@pytest.mark.parametrize("empty", ["  •", "  •  ", "  -", "  *"])
def test_an_empty_bullet_is_skipped_not_the_end_of_the_authors(empty: str) -> None:
    text = ("NeurIPS Conference 2024 Conference Paper\n\nEmpty Bullet\n\n  • Alice Smith\n"
            f"{empty}\n  • Bob Jones\n\nAbstract body.\n")
    papers, found = _read(text)
    assert [a.family for a in papers[0].author] == ["Smith", "Jones"]
    assert papers[0].abstract == "Abstract body."
    assert _codes(found) == ["bad-name"]
    assert found[0].line == 6


def test_a_list_opening_the_abstract_is_not_more_authors() -> None:
    """After the authors and a blank line, a list with another bullet is the abstract."""
    text = ("NeurIPS Conference 2024 Conference Paper\n\nT\n\n  • Alice Smith\n\n"
            "- First, we propose X.\n- Second, we prove Y.\n")
    papers, found = _read(text)
    assert [a.family for a in papers[0].author] == ["Smith"]
    assert papers[0].abstract == "- First, we propose X. - Second, we prove Y."
    assert found == []


def test_authors_split_over_paragraphs_with_one_bullet_stay_authors() -> None:
    text = ("NeurIPS Conference 2024 Conference Paper\n\nT\n\n  • Alice Smith\n\n"
            "  • Bob Jones\n\nBody text.\n")
    papers, found = _read(text)
    assert [a.family for a in papers[0].author] == ["Smith", "Jones"]
    assert papers[0].abstract == "Body text."
    assert found == []


_PAGES = [
    FIRST + "NeurIPS Conference 2024 Conference Paper (Oral)" + SECOND,
    "NeurIPS Conference, 2024, Conference Paper" + SECOND,
    FIRST + "NeurIPS Conference 2024" + SECOND + "\n\n" + FIRST,
    "NeurIPS Conference 2024 Conference Paper\n\nE\n\n  • Alice Smith\n  •\n  • Bob Jones\n\nB.\n",
    "NeurIPS Conference 2024 Conference Paper\n\nE\n\n  •\n  • Alice Smith\n\n  -\n\nB.\n",
    "NeurIPS Conference 2024 Conference Paper\n\nT\n\n  • Alice Smith\n\n- First.\n- Second.\n",
    "NeurIPS Conference 2024 Conference Paper\n\nT\n\n1. Alice Smith\n\n10. Bob Jones\n\n- x\n",
    "NeurIPS Conference 2024 Conference Paper\n\nT\n\n  • Alice Smith\n\n  • Bob Jones\n\nB.\n",
]


@pytest.mark.parametrize("page", _PAGES)
@pytest.mark.parametrize("block", [5, 1 << 20])
def test_hostile_pages_read_the_same_both_ways(page: str, block: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The paragraph fast path and the line-by-line reference agree on these pages."""
    from .test_cluster_fastpath import _same_both_ways

    _same_both_ways(page, block, monkeypatch)


def test_doi_and_url_lines_as_sites_write_them() -> None:
    """'DOI: https://doi.org/...' is a DOI line; a URL loses the sentence's punctuation
    and a bracket it did not open; a second, different DOI is kept, not glued into the
    abstract."""
    text = ("NeurIPS Conference 2024 Conference Paper\n\nT\n\n  • Alice Smith\n\n"
            "Body text.\nDOI: https://doi.org/10.1000/xyz\nDOI: 10.2000/b\n"
            "doi:10.1000/XYZ\nhttps://example.org/x_(y)/z).\n")
    papers, found = _read(text)
    paper = papers[0]
    assert paper.doi == "10.1000/xyz"
    assert paper.url == "https://example.org/x_(y)/z"
    assert paper.abstract == "Body text."
    assert paper.extra == {"other-doi": ["10.2000/b"]}
    assert _codes(found) == ["second-doi"]
    assert found[0].line == 9


def test_html_left_in_by_a_scraper_is_removed_and_reported() -> None:
    text = ('NeurIPS Conference 2024 Conference Paper\n\n<a href="/paper/123">A <em>Good</em> '
            'Title</a>\n\n  • <a href="/author/1">Alice Smith</a>\n  • Bob Jones\n\n'
            "<p>Abstract with <b>bold</b>.</p>\n\n<p>Second<br/>part.</p>\n")
    papers, found = _read(text)
    paper = papers[0]
    assert paper.title == "A <i>Good</i> Title"
    assert [(a.given, a.family) for a in paper.author] == [("Alice", "Smith"), ("Bob", "Jones")]
    assert paper.abstract == "Abstract with <b>bold</b>.\n\nSecond part."
    assert _codes(found) == ["html-tags", "html-tags", "html-tags", "html-tags"]


@pytest.mark.parametrize("title", ["When a <b and c> d", "x<y and y>z", "<i>E. coli</i> growth",
                                   "Using <span class=\"nocase\">iPhone</span> data"])
def test_angle_brackets_that_are_no_html_stay(title: str) -> None:
    papers, found = _read(f"NeurIPS Conference 2024 Conference Paper\n\n{title}\n\n"
                          "  • Alice Smith\n")
    assert papers[0].title == title
    assert found == []


@pytest.mark.parametrize("first", ["NeurIPS Conference 2024", "ICLR 2024",
                                   "NeurIPS Conference 2024 Conference Paper (Oral)"])
def test_a_page_opening_with_a_loose_venue_line_is_sniffed(first: str) -> None:
    from bibconv.errors import UnknownFormatError
    from bibconv.registry import sniff

    page = f"{first}\n\nSecond Title\n\n  • Alice Smith\n  • Bob Jones\n\nSecond abstract.\n"
    assert sniff(page, "page") == "cluster"
    with pytest.raises(UnknownFormatError):
        sniff("Results in 2019\n\n- item one\n- item two\n", "notes")


@pytest.mark.parametrize("bad", ["—", "", "-", "·"])
def test_one_author_that_is_no_name_costs_that_author_not_the_record(bad: str) -> None:
    """In RIS and cluster JSON as in pages: the paper is kept, the non-name skipped and
    reported."""
    ris = f"TY  - JOUR\nAU  - {bad}\nAU  - Smith, Ann\nTI  - A title\nPY  - 2020\nER  - \n"
    found: list[Diagnostic] = []
    papers = bibconv.loads(ris, "ris", diagnostics=found)
    assert [(p.title, [a.family for a in p.author]) for p in papers] == [("A title", ["Smith"])]
    assert _codes(found) == ([] if not bad else ["bad-name"])  # an empty AU is no author
    # (An author object with an empty name names no author: a structural error.)
    named = f', {{"name": "{bad}"}}' if bad else ""
    cluster = ('{"author": "Ann Smith", "papers": [{"title": "T", "authors": '
               f'["{bad}", "Ann Smith"{named}]}}]}}')
    found = []
    papers = bibconv.loads(cluster, "cluster-json", diagnostics=found)
    assert [[a.family for a in p.author] for p in papers] == [["Smith"]]
    assert _codes(found) == ["bad-name"] * (2 if bad else 1)


_ONE = "NeurIPS Conference 2024 Conference Paper\n\nT\n\n"


@pytest.mark.parametrize(("bullets", "people", "truncated", "found"), [
    (["Alice Smith, Bob Jones, Carl Ng", "Dan Lee and Eve Park"],
     [("Alice", "Smith"), ("Bob", "Jones"), ("Carl", "Ng"), ("Dan", "Lee"), ("Eve", "Park")],
     False, ["name-list", "name-list"]),
    (["Smith, Alice; Jones, Bob"], [("Alice", "Smith"), ("Bob", "Jones")], False, ["name-list"]),
    (["Alice Smith", "and 12 more"], [("Alice", "Smith")], True, []),
    (["Alice Smith", "+ 3 more authors"], [("Alice", "Smith")], True, []),
    (["Alice Smith", "Bob Jones et al."], [("Alice", "Smith"), ("Bob", "Jones")], True, []),
    (["Alice Smith, Bob Jones, et al."], [("Alice", "Smith"), ("Bob", "Jones")], True,
     ["name-list"]),
    (["and Bob Jones"], [("Bob", "Jones")], False, []),
    (["Carl Ng https://orcid.org/0000-0002-1825-0097"], [("Carl", "Ng")], False, []),
    (["Smith A.", "Ng AY"], [("A.", "Smith"), ("AY", "Ng")], False, []),
    (["Gina Hu, MD"], [("Gina", "Hu")], False, []),
    (["Smith, Alice"], [("Alice", "Smith")], False, []),
    (["Alice Smith", "—"], [("Alice", "Smith")], False, ["bad-name"]),
])
def test_author_bullets_as_sites_write_them(bullets: list[str], people: list[tuple[str, str]],
                                            truncated: bool, found: list[str]) -> None:
    """Several names on one bullet, truncation marks, a leading 'and', ORCID links,
    family names before initials, degrees: each author read as the person named."""
    text = _ONE + "".join(f"  • {b}\n" for b in bullets) + "\nBody text.\n"
    papers, diagnostics = _read(text)
    paper = papers[0]
    assert [(a.given, a.family) for a in paper.author] == people
    assert bool(paper.extra.get("authors-truncated")) is truncated
    assert _codes(diagnostics) == found
    assert paper.abstract == "Body text."


def test_a_year_in_the_future_is_kept_and_reported() -> None:
    import time

    future = time.localtime().tm_year + 2
    papers, found = _read(f"NeurIPS Conference {future} Conference Paper\n\nT\n\n"
                          "  • Alice Smith\n")
    assert papers[0].year == future
    assert _codes(found) == ["unlikely-year"]
    nextyear = future - 1
    papers, found = _read(f"NeurIPS Conference {nextyear} Conference Paper\n\nT\n\n"
                          "  • Alice Smith\n")
    assert papers[0].year == nextyear and found == []

"""The cluster reader's paragraph-at-a-time fast path against its line-by-line semantics.

The reader takes the usual paragraphs of an entry (a title, a list of authors, a long
abstract line) in one step each and everything else line by line. These tests build
pages from the pieces a scrape produces, including the ones that look like another
piece (an abstract line with a year, a bullet that is a venue line, a marker inside an
abstract), cut the input into tiny blocks so that paragraphs straddle them, and check
that both ways give the same papers and the same diagnostics.
"""

from __future__ import annotations

import io
import re
from dataclasses import FrozenInstanceError, fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv import plugin
from bibconv.diagnostics import Reporter
from bibconv.model import Paper
from bibconv.plugin import TextSource
from bibconv.readers.cluster import (
    _BULLET,
    _BULLET_LINES,
    _YEAR,
    ClusterReader,
    _bullet_names,
    _has_year,
    _Parser,
)

from .conftest import EXAMPLE

LONG = ("Deep learning for strategic classification under performative shifts, studied "
        "with certified robustness guarantees and fairness constraints on real data. ")

PIECES = [
    "Arrow Research search", "Author name cluster", "author-name cluster:", "Kun Jin",
    "10 papers", "2 author rows", "Possible papers", "10",
    "AAAI Conference 2026 Conference Paper", "NeurIPS Conference 2024 Conference Paper",
    "ETH Zurich University 2019 PhD Thesis", "Nature Journal 2020 Journal Article",
    "Foo Bar 2020 Strange Kind", "• ACL Conference 2019 Conference Paper",
    "Addressing Polarization and Unfairness", "A Title Starting With A",
    "  • Kun Jin", "• Tian Xie", "- Yang Liu", "1. Xueru Zhang", "2) Bo Li", "* et al.",
    "• 2019 Smith", "  •   ", "-", "• Author name cluster", "  • Alan Turing 0001",
    "  • \u200b", "• \x01",  # bullets whose text is no name
    LONG * 3, "A " + LONG * 3, "Author " + LONG * 3, "doi " + LONG * 3,
    "In 2019 we found " + LONG * 2, LONG * 2 + " 2019 Conference Paper",
    "Abstract: " + LONG * 3, "• " + LONG * 3, "  - " + LONG * 3, "Title line\n• " + LONG, "Abstract", "Short abstract line.", "and more text here",
    "DOI: 10.1000/xyz123", "https://doi.org/10.1000/abc", "https://example.org/paper",
    "url: http://example.org/x", "Unrecognised trailing line",
    # Venue lines missing their kind or type, and page navigation.
    "ICLR 2024", "2023 Journal Article", "Results in 2020", "Read more", "Load more",
    "© 2026 Arrow Research. All rights reserved.",
    "", "", "", "   ", "\t", "\u00a0", "\x0b", "\u2028",
]


def _parse(text: str, fast: bool) -> tuple[list[Paper], list[tuple[str, str, int | None]]]:
    reporter = Reporter()
    source = TextSource(io.BufferedReader(io.BytesIO(text.encode("utf-8", "surrogatepass"))),
                        "page.txt", reporter)
    papers: list[Paper] = []
    error: str | None = None
    try:
        papers.extend(_Parser(ClusterReader(), source, fast=fast).run())
    except Exception as exc:  # the same failure is expected of both ways
        error = f"{type(exc).__name__}: {exc}"
    found = [(d.code, d.message, d.line) for d in reporter.diagnostics]
    if error is not None:
        found.append(("raised", error, None))
    return papers, found


def _same_both_ways(text: str, block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(plugin, "_BLOCK", block)
        slow = _parse(text, fast=False)
        fast = _parse(text, fast=True)
    assert fast == slow


@pytest.mark.parametrize("block", [7, 64, 1 << 20])
def test_example_page_same_both_ways(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    _same_both_ways(text * 3, block, monkeypatch)
    papers, found = _parse(text, fast=True)
    assert len(papers) == 10 and found == []


VENUES = [p for p in PIECES if p[:1] in "AN" and "20" in p and len(p) < 60]
TITLES = ["Addressing Polarization and Unfairness", "A Title Starting With A", "Short title",
          "In 2019 we found"]
BULLETS = [p for p in PIECES if p.lstrip()[:1] in "•-*12"]
ABSTRACTS = [p for p in PIECES if len(p) > 60] + ["Short abstract line.", "DOI: 10.1000/xyz123"]
SEPARATORS = ["\n", "\n\n", "\n\n\n", "\n \t\n", "\n\u00a0\n\n"]


def _block(kind: list[str]) -> st.SearchStrategy[str]:
    """Lines mostly of one kind, sometimes any piece at all."""
    line = st.one_of(st.sampled_from(kind), st.sampled_from(kind), st.sampled_from(PIECES))
    return st.lists(line, max_size=4).map("\n".join)


_ENTRY = st.tuples(
    st.sampled_from(VENUES), st.sampled_from(SEPARATORS), _block(TITLES),
    st.sampled_from(SEPARATORS), _block(BULLETS), st.sampled_from(SEPARATORS),
    _block(ABSTRACTS), st.sampled_from(SEPARATORS), _block(ABSTRACTS),
    st.sampled_from(SEPARATORS),
).map("".join)
_HEADER = st.sampled_from([
    "", "Arrow Research search\n\nAuthor name cluster\n\nKun Jin\n\n10 papers\n\n",
    "Site\nAuthor name cluster\nKun Jin\nSome description\n3 papers\n1 author rows\n",
])


@settings(max_examples=400, deadline=None)
@given(
    pages=st.lists(st.tuples(_HEADER, st.lists(_ENTRY, max_size=5)), min_size=1, max_size=3),
    ends=st.sampled_from(["\n", "\r\n"]),
    block=st.sampled_from([5, 33, 200, 1 << 20]),
)
def test_generated_pages_same_both_ways(
    pages: list[tuple[str, list[str]]], ends: str, block: int
) -> None:
    text = "".join(header + "".join(entries) for header, entries in pages)
    text = text.replace("\n", ends)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugin, "_BLOCK", block)
        assert _parse(text, fast=True) == _parse(text, fast=False)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("aA1920 •-.\n\t\u00a0xyzDhu:/")),
                    max_size=400))
def test_random_text_same_both_ways(text: str) -> None:
    page = "AAAI Conference 2026 Conference Paper\n\nTitle\n\n• Kun Jin\n\n" + text
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugin, "_BLOCK", 16)
        assert _parse(page, fast=True) == _parse(page, fast=False)


def test_long_paragraphs_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    """An author list and an abstract longer than the one-scan limit, wrapped abstracts,
    a year inside a bullet list and a marker inside an abstract."""
    authors = "\n".join(f"  • Author{i} Name{i}" for i in range(600))
    wrapped = "\n".join([LONG[:70]] * 80)
    page = (
        "Site\n\nAuthor name cluster\n\nKun Jin\n\n3 papers\n\n"
        f"AAAI Conference 2026 Conference Paper\n\nMany Authors\n\n{authors}\n\n{wrapped}\n\n"
        "NeurIPS Conference 2024 Conference Paper\n\nYear Bullet\n\n• Kun Jin\n• Bo 2019 Li"
        f"\n\n{LONG}\nAuthor name cluster in the middle of a paragraph\n{LONG}\n\n"
        "ACL Conference 2020 Conference Paper\n\nLast\n\n• Kun Jin\n\n" + LONG * 60 + "\n"
    )
    for block in (64, 1 << 20):
        _same_both_ways(page, block, monkeypatch)
    papers, _ = _parse(page, fast=True)
    assert len(papers[0].author) == 600
    assert papers[0].abstract is not None and len(papers[0].abstract) > 5000


# The bullet patterns as they were first written, with a lazy name (kept as the oracle:
# the reader's greedy ones are faster and must take the same names).
_LAZY_BULLET = re.compile(
    r"^\s*(?:[•·*‣◦▪●∙⁃]|[-–—](?=\s)|\d{1,3}[.)](?=\s))\s*(?P<name>\S.*?)\s*$")
_LAZY_BULLET_LINES = re.compile(
    r"^[^\S\n]*(?:[•·*‣◦▪●∙⁃]|[-–—](?=[^\S\n])|\d{1,3}[.)](?=[^\S\n]))[^\S\n]*"
    r"(\S[^\n]*?)[^\S\n]*$", re.MULTILINE)


@settings(max_examples=500)
@given(st.lists(st.lists(st.sampled_from(["•", "-", "–", "1.", "2)", "*", " ", "\t", "\r",
                                          "\u00a0", "\u2003", "a", "Bo", "Li", "é", "0026",
                                          ".", ","]), max_size=12).map("".join), max_size=6))
def test_bullet_patterns_take_the_names_the_lazy_ones_take(lines: list[str]) -> None:
    for line in lines:
        lazy = _LAZY_BULLET.match(line)
        greedy = _BULLET.match(line)
        assert (lazy and lazy.group("name")) == (greedy and greedy.group("name"))
    paragraph = "\n".join(lines)
    assert _BULLET_LINES.findall(paragraph) == _LAZY_BULLET_LINES.findall(paragraph)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["1999", "2026", "3000", "0999", "19999", " ", "\t", "\n",
                                 "\u00a0", "a", "x1", "2"]), max_size=10).map("".join))
def test_year_pattern_finds_what_the_plain_one_finds(text: str) -> None:
    # The reader's year test, digits first, against the pattern as first written.
    assert (_YEAR.search(text) is None) == (re.search(r"\s[12]\d{3}\s", text) is None)
    assert _has_year(text) == (re.search(r"\s[12]\d{3}\s", text) is not None)


def _bullet_names_reference(para: str) -> list[str] | None:
    """The names of a bullet paragraph by the multi-line pattern alone (the oracle of
    the scraped-form fast path)."""
    names = _BULLET_LINES.findall(para)
    return names if len(names) == para.count("\n") + 1 else None


_BULLET_LINE_PIECES = ["  • ", "  • ", "  • ", "• ", "•", " ", "  ", "\t", "\u00a0", "\u2028",
                       "\x1f", "\x00", "Bo", "Li", "é", "0026", "-", "1.", ".", ","]


@settings(max_examples=800)
@given(st.lists(st.one_of(
    st.lists(st.sampled_from(_BULLET_LINE_PIECES), max_size=6).map("".join),
    st.lists(st.sampled_from(_BULLET_LINE_PIECES[4:]), max_size=4).map(
        lambda parts: "  • " + "".join(parts)),
), min_size=1, max_size=6))
def test_scraped_bullets_take_the_names_the_pattern_takes(lines: list[str]) -> None:
    paragraph = "\n".join(lines)
    assert _bullet_names(paragraph) == _bullet_names_reference(paragraph)


def _runs(data: bytes, block: int, send: bool) -> tuple[list[tuple[int, str]], list[str]]:
    """The runs of a source read plainly, or with each run's line count sent back."""
    reporter = Reporter()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugin, "_BLOCK", block)
        source = TextSource(io.BufferedReader(io.BytesIO(data)), "page.txt", reporter)
        runs = source.runs()
        found: list[tuple[int, str]] = []
        told: int | None = None
        while True:
            try:
                run = runs.send(told)
            except StopIteration:
                break
            found.append(run)
            told = run[1].count("\n") + 1 if send else None
    return found, [f"{d.code} {d.line} {d.message}" for d in reporter.diagnostics]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"\xc3\xa9", b"\xe2\x80\xa2", b"\n", b"\r\n", b"\r", b"\n\n",
                                 b"\xff", b"\xc3", b" ", b"2019"]), max_size=60).map(b"".join),
       st.sampled_from([1, 3, 8, 64, 1 << 20]))
def test_runs_start_where_they_start_when_counts_are_sent_back(data: bytes, block: int) -> None:
    assert _runs(data, block, send=True) == _runs(data, block, send=False)


def test_papers_are_built_as_the_class_builds_them() -> None:
    # The reader fills a new Paper through its __init__, not by calling the class.
    papers, _ = _parse(EXAMPLE.read_text(encoding="utf-8"), fast=True)
    assert papers
    for paper in papers:
        assert type(paper) is Paper
        assert Paper(**{f.name: getattr(paper, f.name) for f in fields(Paper)}) == paper
        with pytest.raises(FrozenInstanceError):
            paper.title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("fast", [True, False])
def test_a_bullet_that_is_no_name_is_reported_at_its_line(fast: bool) -> None:
    page = ("AAAI Conference 2026 Conference Paper\n\nTitle\n\n  • Kun Jin\n  • \u200b\n"
            "  • Bo Li\n\n  • \u200b\n\nSome abstract text.\n")
    papers, found = _parse(page, fast=fast)
    assert [(code, line) for code, _, line in found] == [("bad-name", 6), ("bad-name", 9)]
    assert [person.family for person in papers[0].author] == ["Jin", "Li"]

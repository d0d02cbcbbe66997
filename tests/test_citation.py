"""Tests of the citation writer, the style catalogue and the citeproc-js agreement."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bibconv
from bibconv.citations.agreement import (
    STYLES,
    compare_style,
    golden_path,
    load_corpus,
    render_with_citeprocjs,
)
from bibconv.citations.engine import Renderer
from bibconv.errors import OptionError
from bibconv.model import Date, Paper, Person, Venue
from bibconv.styles import find_styles, resolve_locale, resolve_style, style_names

from .conftest import EXAMPLE, ROOT, require_tool

#: Share of corpus entries identical to citeproc-js, per style: the level reached and
#: asserted (never lowered to make a change pass). The issue's target is 0.95; the gap
#: for each style is listed with its causes in README.md (Formatted citations).
REACHED = {
    "apa": 37, "ieee": 37, "chicago-author-date": 37, "harvard-cite-them-right": 37,
    "vancouver": 37, "nature": 37, "acm-sig-proceedings": 37, "mla": 37,
    "elsevier-harvard": 37, "springer-basic-author-date": 37,
}


def _paper(**fields: object) -> Paper:
    base: dict[str, object] = {
        "title": "A title", "type": "article-journal",
        "author": (Person(family="Jin", given="Kun"),), "issued": Date(2026),
        "venue": Venue("Journal of Tests", kind="journal"),
    }
    base.update(fields)
    return Paper(**base)  # type: ignore[arg-type]


# -- styles -----------------------------------------------------------------------------

def test_find_styles_searches_name_and_title() -> None:
    assert find_styles("apa")[0].name == "apa"
    assert all("ieee" in s.name or "ieee" in s.title.lower() for s in find_styles("IEEE"))
    titles = find_styles("chicago author date")
    assert "chicago-author-date" in [s.name for s in titles]
    assert len(find_styles(None)) > 10000


def test_old_names_and_dependent_styles_resolve() -> None:
    assert resolve_style("mla")[0].name == "modern-language-association.csl"
    assert resolve_style("vancouver")[0].name == "nlm-citation-sequence.csl"
    assert resolve_style("nature-digest")[0].name == "nature.csl"  # dependent -> parent


def test_unknown_style_suggests_close_matches() -> None:
    with pytest.raises(OptionError, match="did you mean: apa"):
        resolve_style("apaa")


def test_bad_locale_and_bad_csl_are_usage_errors(tmp_path: Path) -> None:
    assert resolve_locale("en_gb") == "en-GB"
    assert resolve_locale("de") == "de-DE"
    with pytest.raises(OptionError, match="unknown locale"):
        Renderer("apa", "xx-YY")
    bad = tmp_path / "broken.csl"
    bad.write_text("<style><unclosed>", encoding="utf-8")
    with pytest.raises(OptionError, match="cannot load style"):
        Renderer(str(bad))
    with pytest.raises(OptionError, match="does not exist"):
        Renderer(str(tmp_path / "missing.csl"))


def test_cli_exit_2_for_unknown_style() -> None:
    done = subprocess.run([sys.executable, "-m", "bibconv.cli", "convert", str(EXAMPLE),
                           "--to", "citation", "--style", "ieeee"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "did you mean: ieee" in done.stderr
    assert "Traceback" not in done.stderr


# -- the writer -------------------------------------------------------------------------

@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-author-date", "vancouver",
                                   "harvard-cite-them-right", "nature", "mla"])
def test_example_renders_in_popular_styles(style: str) -> None:
    papers = list(bibconv.load(EXAMPLE))
    text = bibconv.dumps(papers, "citation", style=style)
    lines = text.splitlines()
    assert len(lines) == len(papers)
    assert all(line.strip() and "20" in line for line in lines)
    assert "Jin" in text
    assert "<i>" not in text and "\ue000" not in text


def test_ieee_labels_are_followed_by_a_space_and_quotes_take_the_comma() -> None:
    text = bibconv.dumps([_paper(title="On Tests")], "citation", style="ieee")
    assert text.startswith("[1] K. Jin, “On Tests,” ")


def test_citations_mode_prints_in_text_citations() -> None:
    papers = [_paper(author=(Person(family="Jin", given="Kun"), Person(family="Xie", given="T"),
                             Person(family="Liu", given="Y")))]
    assert bibconv.dumps(papers, "citation", style="apa", mode="citations") == "(Jin et al., 2026)\n"
    both = bibconv.dumps(papers, "citation", style="ieee", mode="both")
    assert both.startswith("[1]\t[1] K. Jin")
    with pytest.raises(OptionError):
        bibconv.dumps(papers, "citation", mode="footnotes")


def test_html_escapes_data_and_links_only_http_and_doi() -> None:
    evil = _paper(title="<script>alert(1)</script> & <b>bold</b>",
                  author=(Person(family="<img src=x onerror=alert(1)>", given="A"),),
                  url="javascript:alert(1)", doi="10.1000/xyz")
    html = bibconv.dumps([evil], "citation", style="apa", citation_format="html")
    assert "<script>" not in html and "<img" not in html
    assert "&#60;script&#62;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://doi.org/10.1000/xyz">' in html
    ok = _paper(url="https://example.org/paper?a=1&b=2")
    html = bibconv.dumps([ok], "citation", style="ieee", citation_format="html")
    assert '<a href="https://example.org/paper?a=1&#38;b=2">' in html


def test_text_never_leaks_markup() -> None:
    paper = _paper(title="Species <i>Homo sapiens</i> and <sc>DNA</sc>")
    for style in ("apa", "nature", "chicago-author-date"):
        text = bibconv.dumps([paper], "citation", style=style)
        assert "<" not in text and "homo sapiens" in text.lower()


def test_markdown_and_rst_escape_markup_characters() -> None:
    paper = _paper(title="Stars *and* [links](x)")
    md = bibconv.dumps([paper], "citation", style="apa", citation_format="markdown")
    assert r"\*and\*" in md and r"\[links\]" in md and md.startswith("- ")
    rst = bibconv.dumps([paper], "citation", style="apa", citation_format="rst")
    assert r"\*and\*" in rst


def test_malformed_items_render_with_what_they_have() -> None:
    renderer = Renderer("apa")
    odd = [
        {"id": "a", "title": "No type", "issued": {"date-parts": [[]]}},
        {"id": "b", "type": "bogus", "title": "Bad names", "author": ["Plato", 3, {"given": "Cher"}]},
        {"id": "c", "type": "book", "title": "Bad date", "issued": {"date-parts": [["x", 99]]}},
        {"id": "d", "type": "book", "title": "Month 13", "issued": {"date-parts": [[2020, 40, 99]]},
         "volume": 7, "page": ["x"]},
    ]
    results = list(renderer.bibliography(odd))
    assert all(error is None for _i, _e, _c, error in results)
    texts = [entry for _i, entry, _c, _e in results]
    assert any(t and "Plato" in t and "Cher" in t for t in texts)


def test_an_empty_item_is_reported_not_raised() -> None:
    reporter_messages: list[str] = []
    papers = [_paper(), Paper(title="", type="article", author=())]
    text = bibconv.dumps(papers, "citation", style="apa",
                         diagnostics=lambda d: reporter_messages.append(str(d)))
    assert text.count("\n") == 1
    assert any("citation-failed" in m for m in reporter_messages)


def test_bibliography_streams_when_the_style_does_not_sort() -> None:
    renderer = Renderer("ieee")
    assert not renderer.sorts
    seen: list[str] = []

    def items() -> object:
        for n in range(3):
            seen.append(str(n))
            yield {"id": str(n), "type": "book", "title": f"Book {n}"}

    stream = renderer.bibliography(items())  # type: ignore[arg-type]
    first = next(stream)
    assert first[1] is not None and first[1].startswith("[1] ") and seen == ["0"]


def test_style_is_parsed_once() -> None:
    assert Renderer("apa").loaded is Renderer("apa").loaded


# -- agreement with citeproc-js ---------------------------------------------------------

def test_corpus_is_varied_enough() -> None:
    corpus = load_corpus()
    assert len(corpus) >= 30
    kinds = {item["type"] for item in corpus}
    assert {"paper-conference", "article-journal", "chapter", "article", "thesis", "report"} <= kinds
    assert any(len(item.get("author", [])) > 20 for item in corpus)
    assert len(STYLES) >= 8


#: In-text citations identical to citeproc-js, per style (same rule as REACHED).
REACHED_CITES = {style: 37 for style in REACHED} | {"springer-basic-author-date": 36}


@pytest.mark.parametrize("style", STYLES)
def test_agreement_with_citeprocjs_goldens(style: str) -> None:
    result = compare_style(style)
    assert result["total"] == len(load_corpus())
    assert result["same"] >= REACHED[style], [d[0] for d in result["differences"]]
    assert result["cites_total"] == len(load_corpus())
    assert result["cites_same"] >= REACHED_CITES[style], result["cite_differences"]
    assert result["order_same"]


@pytest.mark.slow
@pytest.mark.parametrize("style", STYLES)
def test_goldens_match_citeprocjs_today(style: str) -> None:
    require_tool("node")
    if not (ROOT / "tests" / "citeprocjs" / "node_modules" / "citeproc").is_dir():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("npm install has not been run in tests/citeprocjs")
        pytest.skip("npm install has not been run in tests/citeprocjs")
    fresh = render_with_citeprocjs(style)
    path = golden_path(style)
    if os.environ.get("BIBCONV_UPDATE_GOLDEN"):
        path.write_text(json.dumps(fresh, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert fresh["bibliography"] == stored["bibliography"]
    assert fresh["ids"] == stored["ids"]
    assert fresh["citations"] == stored["citations"]


# -- every style ------------------------------------------------------------------------

_SAMPLE = [
    {"id": "a", "type": "article-journal", "title": "A sample article on performative prediction",
     "author": [{"family": "Jin", "given": "Kun"}, {"family": "Zhang", "given": "Xueru"}],
     "issued": {"date-parts": [[2026, 3]]}, "container-title": "Journal of Tests", "volume": "4",
     "issue": "2", "page": "10-20", "DOI": "10.1000/abc"},
    {"id": "b", "type": "paper-conference", "title": "A conference paper",
     "author": [{"literal": "ACM Collaboration"}], "issued": {"date-parts": [[2025]]},
     "container-title": "Proceedings of the Test Conference", "publisher": "ACM"},
]


#: Styles allowed to fail on the sample: none (78 crashed in plain citeproc-py; the
#: fixes in bibconv.citeproc_fixes make every independent style render).
KNOWN_FAILING: frozenset[str] = frozenset()


@pytest.mark.slow
def test_every_independent_style_renders_the_sample() -> None:
    failures = []
    rendered: set[Path] = set()
    for name in style_names(include_dependent=False):
        if name in KNOWN_FAILING:
            continue
        try:
            renderer = Renderer(name)
            rendered.add(resolve_style(name)[0])
            entries = []
            for _item, entry, cite, error in renderer.bibliography(_SAMPLE, citations=True):
                if error is not None or entry is None or cite is None:
                    failures.append(f"{name}: {error}")
                entries.append(entry)
            # A style may leave an item type out of its bibliography (legal note styles
            # skip conference papers, as citeproc-js does), but not every item.
            if not any(entries):
                failures.append(f"{name}: no bibliography entry at all")
        except OptionError as exc:
            failures.append(f"{name}: {exc}")
    # Every dependent style renders through its parent, so it works when the parent does.
    dependent = set(style_names(include_dependent=True)) - set(style_names(include_dependent=False))
    assert len(dependent) > 5000
    failures += [f"{name}: parent did not render" for name in sorted(dependent)
                 if resolve_style(name)[0] not in rendered]
    assert not failures, failures[:20]


def test_empty_entries_are_left_out_like_citeprocjs() -> None:
    # juristische-schulung has no bibliography layout for conference papers.
    paper = _paper(type="paper-conference", title="A conference paper",
                   author=(Person(literal="ACM Collaboration"),))
    assert bibconv.dumps([paper], "citation", style="juristische-schulung") == ""
    cites = bibconv.dumps([paper], "citation", style="juristische-schulung", mode="citations")
    assert cites.strip() == "ACM Collaboration, A conference paper"


def test_every_dependent_style_has_a_parent() -> None:
    from bibconv.styles import _catalogue

    dependent = [info for info in _catalogue().values() if info.dependent]
    assert len(dependent) > 5000
    missing = [info.name for info in dependent if resolve_style(info.name)[0] is None]
    assert not missing


def test_year_suffixes_disambiguate_like_citeprocjs() -> None:
    # Same author and year: citeproc-js prints 2020a/2020b (in bibliography order) in
    # both the entries and the citations; a different year gets no suffix.
    items = [
        {"id": "x", "type": "book", "title": "Zebra studies", "author": [{"family": "Li", "given": "B"}],
         "issued": {"date-parts": [[2020]]}},
        {"id": "y", "type": "book", "title": "Ant studies", "author": [{"family": "Li", "given": "B"}],
         "issued": {"date-parts": [[2020]]}},
        {"id": "z", "type": "book", "title": "Bee studies", "author": [{"family": "Li", "given": "B"}],
         "issued": {"date-parts": [[2019]]}},
    ]
    rows = list(Renderer("springer-basic-author-date").bibliography(items, citations=True))
    by_id = {item["id"]: (entry, cite) for item, entry, cite, _error in rows}
    # (expected values are citeproc-js 2.4.63's output for these items)
    assert [item["id"] for item, *_ in rows] == ["x", "y", "z"]
    assert by_id["x"] == ("Li B (2020a) Zebra studies", "(Li 2020a)")
    assert by_id["y"] == ("Li B (2020b) Ant studies", "(Li 2020b)")
    assert by_id["z"] == ("Li B (2019) Bee studies", "(Li 2019)")
    # APA adds names first: different co-authors are not ambiguous there.
    apa = [dict(items[0], author=[{"family": "Li", "given": "B"}, {"family": "Wu", "given": "A"},
                                  {"family": "Ng", "given": "C"}]),
           dict(items[1], author=[{"family": "Li", "given": "B"}, {"family": "Ma", "given": "D"},
                                  {"family": "Ng", "given": "C"}])]
    rows = list(Renderer("apa").bibliography(apa, citations=True))
    assert [entry for _i, entry, _c, _x in rows] == [
        "Li, B., Ma, D., & Ng, C. (2020). Ant studies.",
        "Li, B., Wu, A., & Ng, C. (2020). Zebra studies."]


def test_citations_are_disambiguated_like_citeprocjs() -> None:
    # Expected: citeproc-js 2.4.63 on examples/kun-jin.txt (two "Jin et al. 2021" papers
    # get a second name; two different Zhangs get initials: primary-name rule).
    papers = list(bibconv.load(EXAMPLE))
    cites = bibconv.dumps(papers, "citation", style="chicago-author-date", mode="citations")
    assert set(cites.splitlines()) == {
        "(Jin et al. 2026)", "(T. Zhang et al. 2025)", "(Li et al. 2024)", "(Jin et al. 2024)",
        "(Lin et al. 2024)", "(Xiao et al. 2023)", "(Jin et al. 2022)", "(X. Zhang et al. 2022)",
        "(Jin, Vorobeychik, et al. 2021)", "(Jin, Liu, et al. 2021)"}


@pytest.mark.slow
@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "harvard-cite-them-right"])
def test_example_matches_citeprocjs_today(style: str) -> None:
    require_tool("node")
    if not (ROOT / "tests" / "citeprocjs" / "node_modules" / "citeproc").is_dir():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("npm install has not been run in tests/citeprocjs")
        pytest.skip("npm install has not been run in tests/citeprocjs")
    from bibconv.citations.agreement import render_ours
    from bibconv.csl import paper_to_csl

    items = [paper_to_csl(p, f"item{n}") for n, p in enumerate(bibconv.load(EXAMPLE), 1)]
    theirs = render_with_citeprocjs(style, items=items)
    ours = render_ours(style, items=items)
    assert ours["ids"] == theirs["ids"]
    assert ours["bibliography"] == theirs["bibliography"]
    assert ours["citations"] == theirs["citations"]


def test_forked_helpers_render_the_same_as_one_process() -> None:
    # 240 items by 6 authors: sorting, year suffixes and MLA's "———" cross the slices.
    items = [{"id": f"p{n}", "type": "article-journal", "title": f"Paper {n}",
              "author": [{"family": ["Li", "Wu", "Ng", "Ma", "Xu", "Hu"][n % 6], "given": "A"}],
              "issued": {"date-parts": [[2000 + n % 3]]}, "container-title": "J"}
             for n in range(240)]
    for style in ("mla", "apa"):
        alone = list(Renderer(style, jobs=1).bibliography(items, citations=True))
        forked = list(Renderer(style, jobs=3).bibliography(items, citations=True))
        assert [row[:3] for row in forked] == [row[:3] for row in alone]
        assert all(row[3] is None for row in forked)
        if style == "mla":
            assert sum(1 for row in forked if row[1] and row[1].startswith("———")) > 200
        else:
            assert any(row[2] and "a)" in row[2] for row in forked)  # (Hu, 2000a)


def test_numbered_styles_render_in_forked_batches_as_in_one_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An unsorted (citation-number) style renders batches in helpers: the same entries,
    numbers running on across batches, an unregistrable item reported in its place."""
    from bibconv.citations import engine

    monkeypatch.setattr(engine, "_BATCH", 250)
    items: list[dict[str, object]] = [
        {"id": f"p{n}", "type": "article-journal", "title": f"Paper {n}",
         "author": [{"family": ["Li", "Wu", "Ng"][n % 3], "given": "A"}],
         "issued": {"date-parts": [[2000 + n % 3]]}, "container-title": "J"}
        for n in range(620)]
    items[300] = {"id": "empty", "type": "article-journal"}  # nothing a citation could print
    for style in ("ieee", "vancouver"):
        alone = list(Renderer(style, jobs=1).bibliography(items, citations=True))
        forked = list(Renderer(style, jobs=2).bibliography(items, citations=True))
        assert [row[:3] for row in forked] == [row[:3] for row in alone]
        assert [str(row[3]) for row in forked] == [str(row[3]) for row in alone]
        assert sum(row[3] is not None for row in forked) == 1  # the empty item, in its place
        assert forked[300][1] is None and forked[300][0]["id"] == "empty"
    ieee = [row[1] for row in Renderer("ieee", jobs=2).bibliography(items) if row[1]]
    assert ieee[0].startswith("[1]") and ieee[-1].startswith("[619]")


# -- given names in other scripts ----------------------------------------------------------

def test_given_names_in_caseless_scripts_become_initials_and_lowercase_ones_stay_whole(
) -> None:
    """Arabic, Hebrew and Thai initials as citeproc-js prints them; a lower-case given
    name is not initialised (citeproc-js 2.4.63 on the same items, whose stray space
    before a name it leaves whole is not copied)."""
    arabic = {"id": "a", "type": "article-journal", "title": "T", "issued": {"date-parts": [[2000]]},
              "container-title": "J", "author": [{"family": "علي", "given": "محمد"},
                                                 {"family": "smith", "given": "alice"}]}
    assert Renderer("apa").entry(arabic) == "علي, م., & smith, alice. (2000). T. J."
    assert Renderer("ieee").entry(arabic) == "[1] م. علي and alice smith, “T,” J, 2000."
    assert Renderer("vancouver").entry(arabic) == "1. علي م, smith alice. T. J. 2000."
    others = dict(arabic, author=[{"family": "כהן", "given": "דוד"},
                                  {"family": "ใจดี", "given": "สมชาย"},
                                  {"family": "शर्मा", "given": "राहुल"},
                                  {"family": "Kamakau", "given": "ʻIolani"}])
    # Devanagari is not a script citeproc-js inverts: family and given names are joined.
    assert Renderer("apa").entry(others).startswith(
        "כהן, ד., ใจดี, ส., शर्माराहुल, & Kamakau, ʻIolani. (2000).")
    assert Renderer("ieee").entry(others).startswith(
        "[1] ד. כהן, ส. ใจดี, शर्माराहुल, and ʻIolani Kamakau, “T,” ")


#: Given names that do not start with an upper-case Latin letter, and a few that do.
_SCRIPT_NAMES: list[dict[str, str]] = [
    {"family": "علي", "given": "محمد"}, {"family": "ابن سينا", "given": "أبو علي الحسين"},
    {"family": "כהן", "given": "דוד"}, {"family": "שמואלי", "given": "דוד משה"},
    {"family": "ใจดี", "given": "สมชาย"}, {"family": "शर्मा", "given": "राहुल"},
    {"family": "कुमार", "given": "राहुल देव"}, {"family": "রায়", "given": "অমিত"},
    {"family": "smith", "given": "alice"}, {"family": "Kamakau", "given": "ʻIolani"},
    {"family": "Ivanova", "given": "anna-Maria"}, {"family": "Lefebvre", "given": "Jean-paul"},
    {"family": "Παπαδόπουλος", "given": "Γιώργος"}, {"family": "Иванов", "given": "Иван"},
    {"family": "Petrov", "given": "иван"}, {"family": "Nguyễn", "given": "Văn An"},
    {"family": "Haddad", "given": "'Abd Allah"}, {"family": "'t Hooft", "given": "Gerard"},
    {"family": "Morales", "given": "ñandú"}, {"family": "Wright", "given": "Wm."},
    {"family": "Tolkien", "given": "J.R.R."}, {"family": "Zhang", "given": "三"},
    {"family": "张", "given": "三 四"}, {"family": "Doe", "given": "Ǆemal"},
]


def _one_space(text: str | None) -> str:
    """citeproc-js text without the extra space it puts before a given name it leaves
    whole (two spaces in 'smith,  alice', one in '( alice smith, 2004)'); we do not
    copy that space."""
    return re.sub(r"(?<=[(\[]) | (?= )", "", text or "")


@pytest.mark.slow
@pytest.mark.parametrize("style", ["apa", "ieee", "vancouver", "nature"])
def test_given_names_in_many_scripts_match_citeprocjs_today(style: str) -> None:
    require_tool("node")
    if not (ROOT / "tests" / "citeprocjs" / "node_modules" / "citeproc").is_dir():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("npm install has not been run in tests/citeprocjs")
        pytest.skip("npm install has not been run in tests/citeprocjs")
    from bibconv.citations.agreement import render_ours

    # One author per item, each family name different (nothing to disambiguate).
    items = [{"id": f"n{n}", "type": "article-journal", "title": f"Title {n}",
              "author": [name], "issued": {"date-parts": [[1990 + n]]},
              "container-title": "Journal"} for n, name in enumerate(_SCRIPT_NAMES)]
    theirs = render_with_citeprocjs(style, items=items)
    ours = render_ours(style, items=items)
    # Entries by item: how citeproc-js collates different scripts is another matter.
    mine = dict(zip(ours["ids"], ours["bibliography"], strict=True))
    for ident, entry in zip(theirs["ids"], theirs["bibliography"], strict=True):
        assert mine[ident] == _one_space(entry), ident
    assert {k: _one_space(v) for k, v in theirs["citations"].items()} == ours["citations"]


def test_a_given_name_left_whole_tells_people_apart_from_initials() -> None:
    """Two Lees, "alice" and "Alice": citeproc-js initialises only the second, so the
    initials are enough to tell them apart (it prints "(alice Lee, 2000)" and "(A. Lee,
    2001)", not both given names in full)."""
    items = [{"id": f"n{n}", "type": "article-journal", "title": f"T{n}",
              "author": [{"family": "Lee", "given": given}],
              "issued": {"date-parts": [[2000 + n]]}, "container-title": "J"}
             for n, given in enumerate(["alice", "Alice"])]
    for style, comma in (("apa", ","), ("chicago-author-date", "")):
        cites = {row[0]["id"]: row[2] for row in
                 Renderer(style).bibliography(items, citations=True)}
        assert cites == {"n0": f"(alice Lee{comma} 2000)", "n1": f"(A. Lee{comma} 2001)"}

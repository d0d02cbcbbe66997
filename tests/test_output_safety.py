"""Formatted citations and RDF from hostile identifiers: found by testing outputs with
their consumers (browsers' link rules, docutils, strict IRI parsers)."""

from __future__ import annotations

import json

import pytest

import bibconv

ITEM = {"id": "h", "type": "article-journal", "title": "T", "container-title": "J",
        "author": [{"family": "Doe", "given": "J"}], "issued": {"date-parts": [[2020]]}}


def _papers(**fields: object) -> list[bibconv.Paper]:
    return bibconv.loads(json.dumps([{**ITEM, **fields}]), "csl-json")


def test_a_doi_or_url_holding_angle_brackets_is_printed_whole_and_linked_right() -> None:
    """SICI DOIs hold '<>' and may hold '#': nothing of them is taken for markup, and the
    link percent-encodes what a URL path cannot hold (a '#' cut the DOI short)."""
    papers = _papers(DOI="10.1000/a<b>#c", URL="https://example.org/a<b>")
    text = bibconv.dumps(papers, "citation", style="apa")
    assert "https://doi.org/10.1000/a<b>#c" in text
    html = bibconv.dumps(papers, "citation", style="apa", citation_format="html")
    assert '<a href="https://doi.org/10.1000/a%3Cb%3E%23c">' in html
    assert "https://doi.org/10.1000/a&#60;b&#62;#c</a>" in html


def test_rst_makes_no_link_of_a_scheme_other_than_http() -> None:
    import docutils.core as docutils  # a test dependency (pyproject's [test] extra)
    papers = _papers(type="webpage", URL="javascript:alert(1)", title="Notes: one")
    papers += _papers(id="k", type="webpage", URL="https://example.org/x", DOI="10.1002/x:y")
    rst = bibconv.dumps(papers, "citation", style="apa", citation_format="rst")
    assert "javascript\\:alert(1)" in rst and "Notes: one" in rst
    body = docutils.publish_parts(rst, writer_name="html")["body"]
    assert 'href="javascript' not in body
    # APA prints the DOI of the second (a colon inside it stays, and it is a link).
    assert 'href="https://doi.org/10.1002/x:y"' in body


@pytest.mark.parametrize("base", ["https://ex.org/%zz/", "https://ex.org/a]b/"])
def test_a_base_iri_strict_parsers_refuse_is_a_usage_error(base: str) -> None:
    with pytest.raises(bibconv.OptionError):
        bibconv.dumps(_papers(), "ntriples", base_iri=base)


def test_a_url_that_is_no_iri_is_a_literal_only() -> None:
    for url in ("https://example.org/%zz", "https://example.org/a]b"):
        nt = bibconv.dumps(_papers(URL=url), "ntriples")
        assert f"<{url}>" not in nt and f'"{url}"' in nt
    nt = bibconv.dumps(_papers(URL="https://[::1]/a%20b"), "ntriples")
    assert "<https://[::1]/a%20b>" in nt


def test_a_raw_date_range_prints_once_as_a_range() -> None:
    """'2001/2003' printed '(2001/2003, 2001/2003)'; citeproc-js reads it as a range."""
    papers = bibconv.loads("@misc{k2, title = {No authors}, year = {2001/2003}}", "bibtex")
    assert "(2001–2003)" in bibconv.dumps(papers, "citation", style="apa")
    raw = _papers(issued={"raw": "2018-05-20/2018-06-01"})
    text = bibconv.dumps(raw, "citation", style="apa")
    assert "Doe, J. (2018). T." in text and text.count("2018") == 1  # APA: the year


def test_html_bibliographies_sort_as_the_other_formats_do() -> None:
    """A title standing in for a missing author is italic in HTML; its tags once sorted
    it before every author."""
    papers = _papers(id="a", title="Zebra", author=[{"family": "Adams", "given": "A"}])
    papers += bibconv.loads(json.dumps([{"id": "b", "type": "article-journal",
                                         "title": "Middle", "issued": ITEM["issued"]}]),
                            "csl-json")
    for fmt in ("text", "html", "markdown", "rst"):
        out = bibconv.dumps(papers, "citation", style="apa", citation_format=fmt)
        assert out.index("Adams") < out.index("Middle"), fmt

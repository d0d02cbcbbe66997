"""The canonical JSON reader: lossless model round trip and typed validation with paths."""

from __future__ import annotations

import pytest

import bibconv
from bibconv.diagnostics import Diagnostic
from bibconv.errors import BibconvError
from bibconv.jsonmodel import paper_from_dict, paper_to_dict

from .conftest import EXAMPLE


def test_example_round_trips_exactly() -> None:
    papers = bibconv.load(EXAMPLE, diagnostics=[])
    back = bibconv.loads(bibconv.dumps(papers, "json"), "json", diagnostics=[])
    assert back == papers


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "book"}, "$.title: required string"),
        ({"title": 1}, "$.title: required string"),
        ({"title": "t", "type": "journal"}, "$.type: 'journal' is not a CSL item type"),
        ({"title": "t", "author": {}}, "$.author: expected a list"),
        ({"title": "t", "author": [{"family": 3}]}, "$.author[0].family: expected a string"),
        ({"title": "t", "author": [{"name": "x"}]}, "$.author[0]: unknown key(s) name"),
        ({"title": "t", "issued": {"year": "2020"}}, "$.issued.year: expected an integer"),
        ({"title": "t", "issued": {"year": True}}, "$.issued.year: expected an integer"),
        ({"title": "t", "issued": {"month": 3}}, "$.issued.year: required integer"),
        ({"title": "t", "issued": {"year": 2020, "month": 13}}, "$.issued.month: 13"),
        ({"title": "t", "venue": {"short": "X"}}, "$.venue.name: required string"),
        ({"title": "t", "keywords": ["a", 2]}, "$.keywords[1]: expected a string"),
        ({"title": "t", "extra": []}, "$.extra: expected an object"),
        ({"title": "t", "line": "3"}, "$.line: expected an integer"),
        ({"title": "t", "doi": ["x"]}, "$.doi: expected a string"),
        ({"title": "t", "bogus": 1}, "$: unknown key(s) bogus"),
    ],
)
def test_validation_names_the_json_path(data: dict[str, object], message: str) -> None:
    with pytest.raises(BibconvError) as info:
        paper_from_dict(data)
    assert str(info.value).startswith(message)


def test_bad_papers_are_skipped_with_line() -> None:
    diags: list[Diagnostic] = []
    text = '[\n{"title": "ok"},\n{"title": "bad", "issued": {"year": "x"}},\n{"title": "ok2"}\n]'
    papers = bibconv.loads(text, "json", diagnostics=diags)
    assert [p.title for p in papers] == ["ok", "ok2"]
    assert [(d.code, d.line) for d in diags] == [("invalid-item", 3)]
    assert "$[1].issued.year" in diags[0].message
    assert papers[1].origin == "<string>" and papers[1].line == 4


def test_to_dict_format_unchanged() -> None:
    papers = bibconv.load(EXAMPLE, diagnostics=[])
    data = paper_to_dict(papers[0])
    assert list(data)[:3] == ["title", "type", "author"]
    assert paper_from_dict(data) == papers[0]

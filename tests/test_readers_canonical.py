"""The canonical JSON reader: lossless model round trip and typed validation with paths."""

from __future__ import annotations

import pytest

import bibconv
from bibconv.diagnostics import Diagnostic
from bibconv.errors import BibconvError
from bibconv.jsonmodel import paper_from_dict, paper_to_dict
from bibconv.model import Paper

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


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_extra_data_that_is_not_json_is_left_out_and_reported(fmt: str) -> None:
    """A library caller's extra values that are no JSON data (an object, NaN, infinity,
    a number key, nesting past the reader's bound) are left out with a lossy-field
    warning naming them; the output is JSON the reader takes back, with the rest."""
    deep: object = [1]
    for _ in range(40):
        deep = [deep]
    odd = Paper(title="Odd", origin="made", line=3, extra={
        "object": object(), "nan": float("nan"), "inf": -float("inf"), 7: "seven",
        "deep": deep, "kept": {"a": [1, 2.5, None, True]}, "pair": (1, "b")})
    plain = Paper(title="Plain", extra={"n": 1, "s": "x", "f": 0.5})
    reporter = bibconv.Reporter()
    text = bibconv.dumps([odd, plain], fmt, diagnostics=reporter)
    assert "NaN" not in text and "Infinity" not in text
    back = bibconv.loads(text, "json", diagnostics=[])  # the json reader reads both
    assert back[0].extra == {"kept": {"a": [1, 2.5, None, True]}, "pair": [1, "b"]}
    assert back[1].extra == plain.extra
    [warning] = [d for d in reporter if d.code == "lossy-field"]
    assert (warning.origin, warning.line) == ("made", 3)
    for name in ("object", "nan", "inf", "key 7", "deep"):
        assert name in warning.message

"""The JSON writers' fast paths write exactly what the general path writes.

The general path is the code as it was before them: every key and value through
``json.JSONEncoder.encode``, items built by :func:`paper_to_csl` / :func:`paper_to_dict`
with fresh name objects.
"""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.csl import csl_extra, paper_to_csl
from bibconv.jsonmodel import json_extra, paper_to_dict
from bibconv.keys import KeyGenerator
from bibconv.model import Cluster, Date, Paper, Person, Venue, replace
from bibconv.writers.csljson import write_json_array, write_json_lines

_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_ENCODE_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def general_array(items: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    out.write("[")
    first = True
    for item in items:
        body = ",\n    ".join(f"{_ENCODE(key)}: {_ENCODE(value)}" for key, value in item.items())
        out.write("\n  {\n    " if first else ",\n  {\n    ")
        out.write(body)
        out.write("\n  }")
        first = False
    out.write("\n]\n" if not first else "]\n")
    return out.getvalue()


def general_lines(items: list[dict[str, Any]]) -> str:
    return "".join(_ENCODE_COMPACT(item) + "\n" for item in items)


_text = st.text(st.characters(codec="utf-8"), max_size=8) | st.sampled_from(
    ["", "\"", "\\", "\n", "\u2028", "</script>", "ü", "\x00", "\ud800"])
_scalars = st.none() | st.booleans() | st.integers() | st.floats() | _text
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=10,
)
_items = st.lists(st.dictionaries(_text, _json, max_size=5), max_size=4)


@settings(max_examples=300, deadline=None)
@given(_items)
def test_json_layouts_match_the_general_encoder(items: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    write_json_array(items, out)
    assert out.getvalue() == general_array(items)
    out = io.StringIO()
    write_json_lines(items, out)
    assert out.getvalue() == general_lines(items)


def test_non_string_keys_take_the_general_path() -> None:
    items: list[dict[Any, Any]] = [{1: "a", "b": [1, 2]}, {"c": {"d": None}}]
    out = io.StringIO()
    write_json_lines(items, out)
    assert out.getvalue() == general_lines(items)
    out = io.StringIO()
    write_json_array(items, out)
    assert out.getvalue() == general_array(items)


_names = st.sampled_from(["Li", "Müller", "van Dyke", "\"Q\"", "Zoë\u2028", "\\", "O'Brien"])
_people = st.one_of(
    st.builds(Person, family=_names, given=st.none() | _names,
              particle=st.none() | st.just("van"), dropping_particle=st.none() | st.just("de"),
              suffix=st.none() | st.just("Jr."), homonym=st.none() | st.just("0026"),
              orcid=st.none() | st.just("0000-0002-1825-0097")),
    st.builds(Person, literal=_names),
)
_venues = st.none() | st.builds(
    Venue, name=_names, short=st.none() | _names,
    kind=st.sampled_from([None, "conference", "journal", "workshop"]),
    container_title=st.none() | _names, publisher=st.none() | _names,
    issn=st.none() | st.just("1234-5678"))
_dates = st.none() | st.builds(Date, st.integers(-5, 2100), st.none() | st.integers(1, 12),
                               st.none() | st.integers(1, 28))
_optional = st.none() | _names
_papers = st.builds(
    Paper, title=_names | st.just(""),
    type=st.sampled_from(["article-journal", "paper-conference", "thesis", "report", "book"]),
    author=st.lists(_people, max_size=4).map(tuple), editor=st.lists(_people, max_size=2).map(tuple),
    issued=_dates, venue=_venues, volume=_optional, issue=_optional, page=_optional,
    publisher=_optional, publisher_place=_optional, doi=_optional, url=_optional,
    isbn=_optional, issn=_optional, abstract=_optional,
    keywords=st.lists(_names, max_size=2).map(tuple), language=_optional, note=_optional,
    genre=_optional, id=_optional,
    cluster=st.none() | st.builds(Cluster, name=_names, declared_papers=st.none() | st.integers(0, 9)),
    origin=_optional, line=st.none() | st.integers(1, 99),
    extra=st.dictionaries(_text | st.sampled_from(["PMID", "archive", "custom", "accessed",
                                                   "translator", "issue", "categories"]),
                          _json, max_size=2),
)


def _shared(papers: list[Paper], people: list[Person]) -> list[Paper]:
    """Papers that share Person and Venue objects, as a reader's papers do."""
    if not people:
        return papers
    return [replace(p, author=(people[i % len(people)], *p.author),
                            venue=papers[0].venue)
            for i, p in enumerate(papers)]


@settings(max_examples=150, deadline=None)
@given(st.lists(_papers, min_size=0, max_size=6), st.lists(_people, max_size=3))
def test_json_writers_match_the_general_path(papers: list[Paper], people: list[Person]) -> None:
    papers = _shared(papers, people)
    plan, again = KeyGenerator().plan_and_replay(papers)
    csl = [paper_to_csl(p, plan.key(p)) for p in again]
    for item, paper in zip(csl, papers, strict=True):
        csl_extra(item, dict(paper.extra))  # the extra entries that are CSL variables
    assert bibconv.dumps(papers, "csl-json", diagnostics=[]) == general_array(csl)
    assert bibconv.dumps(papers, "csl-jsonl", diagnostics=[]) == general_lines(csl)
    # What is not JSON data in extra (infinity, NaN) is left out by the writers.
    canonical = [paper_to_dict(replace(p, extra=json_extra(p.extra)[0])) for p in papers]
    assert bibconv.dumps(papers, "json") == general_array(canonical)
    assert bibconv.dumps(papers, "jsonl") == general_lines(canonical)


def test_left_out_extra_is_named_in_printable_text() -> None:
    # A lone surrogate or a line break in a key would make the warning unprintable
    # (a UTF-8 stream refuses the surrogate); the message shows them escaped.
    kept, problems = json_extra({"\ud800x\n": float("nan"), "ü": {"a\x00": float("inf")},
                                 "ok": 1})
    assert kept == {"ok": 1}
    assert problems == ["\\ud800x\\n: nan is not JSON", "ü.a\\x00: inf is not JSON"]
    for problem in problems:
        problem.encode("utf-8")  # would raise on a surrogate
        assert problem.isprintable()

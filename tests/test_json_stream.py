"""Streaming JSON items: chunk boundaries anywhere, lines right, errors where they are."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv.errors import ParseError
from bibconv.readers.csljson import iter_json_stream

_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=10,
)


def _chunked(text: str, sizes: list[int]) -> list[str]:
    out, pos = [], 0
    for size in sizes:
        out.append(text[pos : pos + size])
        pos += size
    out.append(text[pos:])
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(_VALUES, max_size=6), st.lists(st.integers(0, 7), max_size=40),
       st.booleans())
def test_any_chunking_gives_the_same_items(items: list[object], sizes: list[int],
                                           lines: bool) -> None:
    if lines:
        # JSON Lines of objects (what the *-jsonl writers write); a top-level array
        # would read as one array.
        items = [{"v": item} for item in items]
    text = "\n".join(json.dumps(i) for i in items) if lines else json.dumps(items, indent=1)
    got = [value for _, _, value in iter_json_stream(_chunked(text, sizes), "t")]
    assert got == items


def test_lines_are_counted_across_chunks() -> None:
    text = '[\n  {"a": 1},\n\n  {"b": 2},\n  {"c": 3}\n]'
    got = [(i, line) for i, line, _ in iter_json_stream(_chunked(text, [3, 5, 2, 9]), "t")]
    assert got == [(0, 2), (1, 4), (2, 5)]


def test_syntax_error_reports_its_line_after_the_good_items() -> None:
    text = '[\n{"a": 1},\n{"b": 2},\n{"c": \n]'
    seen = []
    with pytest.raises(ParseError) as info:
        for _, _, value in iter_json_stream(_chunked(text, [4, 4, 4]), "f.json"):
            seen.append(value)
    assert seen == [{"a": 1}, {"b": 2}]
    assert info.value.line == 5 and info.value.origin == "f.json"


def test_a_number_cut_by_a_chunk_boundary() -> None:
    assert [v for _, _, v in iter_json_stream(["[12", "34, 5", "6]"], "t")] == [1234, 56]

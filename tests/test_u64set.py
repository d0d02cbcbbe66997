"""U64Set behaves like a set of 64-bit ints, across merges."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv import u64set
from bibconv.u64set import U64Set


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=200), st.lists(st.integers(0, 2**64 - 1),
                                                                   max_size=50))
def test_like_a_set(values: list[int], probes: list[int]) -> None:
    original = u64set.BATCH
    u64set.BATCH = 7  # force many merges
    try:
        compact, plain = U64Set(), set()
        for value in values:
            assert (value in compact) == (value in plain)
            compact.add(value)
            plain.add(value)
            assert len(compact) == len(plain)
        for probe in probes + values:
            assert (probe in compact) == (probe in plain)
    finally:
        u64set.BATCH = original

"""U64Set behaves like a set of 64-bit ints, across bucket doublings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv import u64set
from bibconv.u64set import U56Set, U64Set

_U64 = st.integers(0, 2**64 - 1)
# Values sharing their low or high bits, which a bucket index taken straight from the
# bits would pile into one bucket.
_SKEWED = st.integers(0, 2**20 - 1).map(lambda v: v << 44) | st.integers(0, 2**20)


def _filled_like_a_set(compact: U64Set | U56Set, values: list[int],
                       probes: list[int]) -> set[int]:
    """Add the values to the compact set and to a set, checking that they answer alike
    at every step; return the plain set."""
    plain: set[int] = set()
    for value in values:
        assert (value in compact) == (value in plain)
        assert compact.add(value) == (value not in plain)
        plain.add(value)
        assert len(compact) == len(plain)
    for probe in probes + values:
        assert (probe in compact) == (probe in plain)
    return plain


@settings(max_examples=100, deadline=None)
@given(st.lists(_U64 | _SKEWED, max_size=200), st.lists(_U64 | _SKEWED, max_size=50))
def test_like_a_set(values: list[int], probes: list[int]) -> None:
    original = u64set.INITIAL_BITS, u64set.BUCKET_SIZE
    u64set.INITIAL_BITS, u64set.BUCKET_SIZE = 1, 2  # force many doublings
    try:
        compact = U64Set()
        plain = _filled_like_a_set(compact, values, probes)
        # Every bucket stays sorted, and together they hold exactly the members.
        buckets = compact._buckets
        assert sorted(v for bucket in buckets for v in bucket) == sorted(plain)
        for bucket in buckets:
            assert list(bucket) == sorted(bucket)
        assert len(buckets) <= max(2, 2 * len(plain))
    finally:
        u64set.INITIAL_BITS, u64set.BUCKET_SIZE = original


def test_default_sizes() -> None:
    compact = U64Set()
    members = (u64set.BUCKET_SIZE << u64set.INITIAL_BITS) + 1  # one more than fits
    for value in range(members):
        compact.add(value * 0x10001)
    assert len(compact) == members
    assert len(compact._buckets) == 2 << u64set.INITIAL_BITS
    assert 3 * 0x10001 in compact and 1 not in compact


@pytest.mark.parametrize("value", [-1, 2**64])
def test_only_64_bit_unsigned(value: int) -> None:
    with pytest.raises(OverflowError):
        U64Set().add(value)


_U56 = st.integers(0, 2**56 - 1)
_SKEWED56 = st.integers(0, 2**20 - 1).map(lambda v: v << 36) | st.integers(0, 2**20)


@settings(max_examples=150, deadline=None)
@given(st.lists(_U56 | _SKEWED56, max_size=300), st.lists(_U56 | _SKEWED56, max_size=50))
def test_u56set_like_a_set(values: list[int], probes: list[int]) -> None:
    original = u64set.INITIAL_BITS, u64set.BUCKET_SIZE
    u64set.INITIAL_BITS, u64set.BUCKET_SIZE = 1, 1  # the least buckets (256), many doublings
    try:
        compact = U56Set()
        plain = _filled_like_a_set(compact, values, probes)
        # Each bucket is sorted by its members' 48 low bits, and the members are all
        # there: rebuilt from a bucket's index and bits, unmixed, they are the set.
        inverse = pow(u64set._MIX56, -1, 2**56)
        found = set()
        bits = compact._bits
        for index, (highs, lows) in enumerate(zip(compact._high, compact._low, strict=True)):
            kept = [h << 32 | lo for h, lo in zip(highs, lows, strict=True)]
            assert kept == sorted(kept)
            for low48 in kept:
                mixed = (index >> (bits - 8)) << 48 | low48
                assert mixed >> (56 - bits) == index  # in the right bucket
                found.add(mixed * inverse % 2**56)
        assert found == plain
    finally:
        u64set.INITIAL_BITS, u64set.BUCKET_SIZE = original


def test_u56set_refuses_wider_values() -> None:
    with pytest.raises(OverflowError):
        U56Set().add(2**56)
    with pytest.raises(OverflowError):
        U56Set().add(-1)


def test_u56set_size_per_member() -> None:
    """About 6.6 bytes a member, against U64Set's 8.5 (arrays' items and headers)."""
    import random
    import sys

    values = random.Random(5).sample(range(2**56), 200_000)
    compact = U56Set()
    for value in values:
        compact.add(value)
    size = sum(sys.getsizeof(a) for a in compact._high + compact._low)
    assert size / len(values) < 7.2

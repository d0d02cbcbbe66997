"""U64Set behaves like a set of 64-bit ints, across bucket doublings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv import u64set
from bibconv.u64set import U64Set

_U64 = st.integers(0, 2**64 - 1)
# Values sharing their low or high bits, which a bucket index taken straight from the
# bits would pile into one bucket.
_SKEWED = st.integers(0, 2**20 - 1).map(lambda v: v << 44) | st.integers(0, 2**20)


@settings(max_examples=100, deadline=None)
@given(st.lists(_U64 | _SKEWED, max_size=200), st.lists(_U64 | _SKEWED, max_size=50))
def test_like_a_set(values: list[int], probes: list[int]) -> None:
    original = u64set.INITIAL_BITS, u64set.BUCKET_SIZE
    u64set.INITIAL_BITS, u64set.BUCKET_SIZE = 1, 2  # force many doublings
    try:
        compact, plain = U64Set(), set()
        for value in values:
            assert (value in compact) == (value in plain)
            assert compact.add(value) == (value not in plain)
            plain.add(value)
            assert len(compact) == len(plain)
        for probe in probes + values:
            assert (probe in compact) == (probe in plain)
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

"""A set of 64-bit integers in about 8.5 bytes each, for remembering a million-paper
stream.

A Python ``set`` of ints costs about 60 bytes per member. This one spreads members
over buckets by a multiplicative hash of the value (so any distribution of values
spreads evenly), each bucket a sorted ``array('Q')`` that members are inserted into
in place. Membership is one bisection in one small bucket. There is no batch of
recent members and no merge: memory is 8 bytes per member, the arrays' few percent of
over-allocation and a small header per bucket. When buckets fill up on average, their
number doubles one bucket at a time, so growing never holds a second copy of the
members either.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

__all__ = ["U64Set"]

#: log2 of the number of buckets of a new set.
INITIAL_BITS = 10
#: The number of buckets doubles when members exceed this many per bucket on average.
BUCKET_SIZE = 512

_MIX = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: Fibonacci hashing
_MASK = (1 << 64) - 1


class U64Set:
    """Integers from 0 to 2**64 - 1; only ``add``, ``in`` and ``len``."""

    __slots__ = ("_buckets", "_count", "_shift")

    def __init__(self) -> None:
        self._buckets = [array("Q") for _ in range(1 << INITIAL_BITS)]
        # A value's bucket is the top bits of (value * _MIX) mod 2**64.
        self._shift = 64 - INITIAL_BITS
        self._count = 0

    def __contains__(self, value: int) -> bool:
        bucket = self._buckets[((value * _MIX) & _MASK) >> self._shift]
        index = bisect_left(bucket, value)
        return index < len(bucket) and bucket[index] == value

    def add(self, value: int) -> bool:
        """Add a member; whether it was new (False if already present)."""
        if not 0 <= value <= _MASK:
            raise OverflowError(f"{value} is not a 64-bit unsigned integer")
        bucket = self._buckets[((value * _MIX) & _MASK) >> self._shift]
        index = bisect_left(bucket, value)
        if index < len(bucket) and bucket[index] == value:
            return False
        bucket.insert(index, value)
        self._count += 1
        if self._count > BUCKET_SIZE * len(self._buckets):
            self._grow()
        return True

    def _grow(self) -> None:
        """Double the buckets: each splits in two by the next bit of its members' hash
        (both halves stay sorted), one bucket at a time."""
        old = self._buckets
        shift = self._shift - 1
        buckets: list[array[int]] = []
        for index, bucket in enumerate(old):
            old[index] = array("Q")  # let the old bucket go as soon as it is split
            low, high = array("Q"), array("Q")
            for value in bucket:
                (high if ((value * _MIX) & _MASK) >> shift & 1 else low).append(value)
            buckets += (low, high)
        self._buckets = buckets
        self._shift = shift

    def __len__(self) -> int:
        return self._count

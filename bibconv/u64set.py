"""Sets of 64-bit integers in about 8.5 bytes each, and of 56-bit ones in about 6.6,
for remembering a million-paper stream.

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
from bisect import bisect_left, bisect_right

__all__ = ["U56Set", "U64Set"]

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


_MIX56 = 0xE3779B97F4A7C15  # odd: multiplying by it mod 2**56 is a bijection
_MASK56 = (1 << 56) - 1


class U56Set:
    """Integers from 0 to 2**56 - 1 in about 6.6 bytes each; only ``add``, ``in`` and
    ``len``.

    :class:`U64Set`'s buckets, with each member's 48 low bits (of its mixed value) kept
    in two arrays, 16 and 32 bits wide, sorted together; the top 8 bits are given by the
    bucket (there are always at least 256). Made for digests, where 56 bits tell a
    million members apart as well as 64 do (two share 56 bits with a chance of about
    one in 140,000 in a million).
    """

    __slots__ = ("_bits", "_count", "_high", "_low")

    def __init__(self) -> None:
        buckets = 1 << max(INITIAL_BITS, 8)
        self._high = [array("H") for _ in range(buckets)]  # bits 32-47 of the mixed value
        self._low = [array("I") for _ in range(buckets)]  # bits 0-31
        self._bits = max(INITIAL_BITS, 8)
        self._count = 0

    def _find(self, value: int) -> tuple[int, int, int, int]:
        """The value's bucket, its 16 and 32 low bits, and where they are or would go."""
        if not 0 <= value <= _MASK56:
            raise OverflowError(f"{value} is not a 56-bit unsigned integer")
        mixed = (value * _MIX56) & _MASK56
        bucket = mixed >> (56 - self._bits)
        high, low = (mixed >> 32) & 0xFFFF, mixed & 0xFFFFFFFF
        highs = self._high[bucket]
        start = bisect_left(highs, high)
        end = bisect_right(highs, high, start)
        return bucket, high, low, bisect_left(self._low[bucket], low, start, end)

    def __contains__(self, value: int) -> bool:
        bucket, high, low, index = self._find(value)
        highs = self._high[bucket]
        return index < len(highs) and highs[index] == high and self._low[bucket][index] == low

    def add(self, value: int) -> bool:
        """Add a member; whether it was new (False if already present)."""
        bucket, high, low, index = self._find(value)
        highs, lows = self._high[bucket], self._low[bucket]
        if index < len(highs) and highs[index] == high and lows[index] == low:
            return False
        highs.insert(index, high)
        lows.insert(index, low)
        self._count += 1
        if self._count > BUCKET_SIZE * len(self._high):
            self._grow()
        return True

    def _grow(self) -> None:
        """Double the buckets: each splits in two by the next bit of its members' mixed
        values (one of the 48 kept, since there are at least 2**8 buckets), one bucket
        at a time."""
        bit = 55 - self._bits  # the next bit below the bucket's own
        old_high, old_low = self._high, self._low
        new_high: list[array[int]] = []
        new_low: list[array[int]] = []
        for index in range(len(old_high)):
            highs, lows = old_high[index], old_low[index]
            old_high[index], old_low[index] = array("H"), array("I")  # let go once split
            parts = (array("H"), array("I")), (array("H"), array("I"))
            for high, low in zip(highs, lows, strict=True):
                half = parts[((high << 32 | low) >> bit) & 1]
                half[0].append(high)
                half[1].append(low)
            new_high += (parts[0][0], parts[1][0])
            new_low += (parts[0][1], parts[1][1])
        self._high, self._low = new_high, new_low
        self._bits += 1

    def __len__(self) -> int:
        return self._count

"""A set of 64-bit integers in 8 bytes each, for remembering a million-paper stream.

A Python ``set`` of ints costs about 60 bytes per member; this one keeps a sorted
``array('Q')`` plus a small set of recent members, merged into the array when the small
set fills. Membership is a bisection plus a set lookup. Merges cost linear time, so a
stream of n members costs O(n²/BATCH) copying: about a second per million.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left

__all__ = ["U64Set"]

BATCH = 1 << 16


class U64Set:
    """Integers from 0 to 2**64 - 1; only ``add`` and ``in``."""

    __slots__ = ("_recent", "_sorted")

    def __init__(self) -> None:
        self._sorted: array[int] = array("Q")
        self._recent: set[int] = set()

    def __contains__(self, value: int) -> bool:
        if value in self._recent:
            return True
        index = bisect_left(self._sorted, value)
        return index < len(self._sorted) and self._sorted[index] == value

    def add(self, value: int) -> None:
        """Add a member (no-op if present)."""
        if value in self:
            return
        self._recent.add(value)
        if len(self._recent) >= BATCH:
            self._sorted = array("Q", heapq.merge(self._sorted, sorted(self._recent)))
            self._recent = set()

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

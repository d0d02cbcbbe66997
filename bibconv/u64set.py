"""A set of 64-bit integers in 8 bytes each, for remembering a million-paper stream.

A Python ``set`` of ints costs about 60 bytes per member. This one keeps members in
sorted ``array('Q')`` runs of ``BATCH`` plus a small set of recent members, which
becomes a new run when it fills. Runs are never merged, so memory is 8 bytes per member
plus one batch at any time (no copy of everything, as a merge would make); membership
is one bisection per run: 16 for a million members.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

__all__ = ["U64Set"]

BATCH = 1 << 16


class U64Set:
    """Integers from 0 to 2**64 - 1; only ``add``, ``in`` and ``len``."""

    __slots__ = ("_count", "_recent", "_runs")

    def __init__(self) -> None:
        self._runs: list[array[int]] = []
        self._recent: set[int] = set()
        self._count = 0

    def __contains__(self, value: int) -> bool:
        if value in self._recent:
            return True
        for run in self._runs:
            index = bisect_left(run, value)
            if index < len(run) and run[index] == value:
                return True
        return False

    def add(self, value: int) -> None:
        """Add a member (no-op if present)."""
        if value in self:
            return
        self._recent.add(value)
        self._count += 1
        if len(self._recent) >= BATCH:
            self._runs.append(array("Q", sorted(self._recent)))
            self._recent = set()

    def __len__(self) -> int:
        return self._count

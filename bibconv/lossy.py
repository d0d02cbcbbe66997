"""The ``lossy-field`` diagnostic: a writer says which fields of a paper it dropped.

"Nothing lost, and said when it is": when a target format cannot hold a field, the
writer reports one warning per paper naming the paper and every field it could not
write. ``--strict`` turns the warning into exit status 1.
"""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Reporter
from .model import Paper

__all__ = ["describe", "report_lossy"]


def describe(paper: Paper, key: str | None = None) -> str:
    """A short name for a paper in messages: its key or the start of its title."""
    title = paper.title if len(paper.title) <= 60 else paper.title[:57] + "..."
    key = key or paper.id
    return f"{key!r} ({title!r})" if key else repr(title)


def report_lossy(reporter: Reporter, paper: Paper, fields: Iterable[str], fmt: str,
                 key: str | None = None) -> None:
    """Warn once that ``fmt`` cannot hold the named fields of ``paper`` (no-op when none)."""
    names = sorted(set(fields))
    if names:
        reporter.warn(
            "lossy-field",
            f"{fmt} cannot hold {', '.join(names)} of paper {describe(paper, key)}; dropped",
            paper.origin,
            paper.line,
        )

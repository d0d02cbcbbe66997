"""Writer for bibconv's canonical JSON (format ``json``): the model, losslessly."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, ClassVar, TextIO

from ..diagnostics import Reporter
from ..jsonmodel import (
    cluster_to_dict,
    json_extra,
    paper_converter,
    person_to_dict,
    venue_to_dict,
)
from ..model import Paper, replace
from ..plugin import Writer
from ..prerender import Layout, stream_entries
from .csljson import ARRAY, LINES, _Encoded, _Fields

__all__ = ["CanonicalJSONLinesWriter", "CanonicalJSONWriter"]


class _CanonicalWriter(Writer):
    """What the canonical JSON writers share: each paper's object written as it comes
    (an entry of its own, so that ``--jobs`` workers can write them too)."""

    #: Whether objects are written compact, one per line (JSON Lines).
    compact: ClassVar[bool] = False
    layout: ClassVar[Layout]

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        people = _Encoded(person_to_dict, self.compact).many
        # People, venues and clusters encoded once each (papers share them).
        self._convert = paper_converter({
            "author": people,
            "editor": people,
            "venue": _Encoded(venue_to_dict, self.compact).one,
            "cluster": _Encoded(cluster_to_dict, self.compact).one,
        })
        self._fields = _Fields(compact=self.compact)

    def render_entry(self, paper: Paper, key: str, reporter: Reporter) -> str:
        """One paper's object as written (``key`` is not used: the model keeps the
        paper's own ``id``). An ``extra`` entry that is not plain JSON data (a library
        caller's object, NaN, a number key) is left out and reported: the output stays
        JSON the reader takes back."""
        extra = paper.extra
        if extra and any(type(v) not in _SCALARS or type(k) is not str
                         or (type(v) is float and not math.isfinite(v))
                         for k, v in extra.items()):
            kept, problems = json_extra(extra)
            if problems:
                reporter.warn("lossy-field", f"extra data of {paper.title[:60]!r} that is "
                              f"not JSON left out: {'; '.join(problems)}", paper.origin,
                              paper.line)
                paper = replace(paper, extra=kept)
        return self._fields.entry(self._convert(paper))

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        stream_entries(papers, self, out, reporter, self.layout)


# Values of extra entries that need no closer look (containers are checked in full).
_SCALARS = frozenset({str, int, bool, type(None), float})


class CanonicalJSONWriter(_CanonicalWriter):
    """Writes the canonical model as a JSON array (``schemas/paper.schema.json``)."""

    name = "json"
    description = "bibconv canonical JSON (the full model, lossless)"
    suffixes = (".bibconv.json",)
    layout = ARRAY


class CanonicalJSONLinesWriter(_CanonicalWriter):
    """Writes the canonical model one paper per line (JSON Lines)."""

    name = "jsonl"
    description = "bibconv canonical JSON Lines: one paper per line"
    suffixes = (".bibconv.jsonl",)
    compact = True
    layout = LINES

"""Writer for bibconv's canonical JSON (format ``json``): the model, losslessly."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

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
from .csljson import _Encoded, write_json_array, write_json_lines

__all__ = ["CanonicalJSONLinesWriter", "CanonicalJSONWriter"]


def _dicts(papers: Iterable[Paper], compact: bool,
           reporter: Reporter) -> Iterator[dict[str, Any]]:
    """The papers' JSON objects, with people, venues and clusters already encoded (each
    object once: papers share them). An ``extra`` entry that is not plain JSON data
    (a library caller's object, NaN, a number key) is left out and reported: the output
    stays JSON the reader takes back."""
    people = _Encoded(person_to_dict, compact).many
    convert = paper_converter({
        "author": people,
        "editor": people,
        "venue": _Encoded(venue_to_dict, compact).one,
        "cluster": _Encoded(cluster_to_dict, compact).one,
    })
    for paper in papers:
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
        yield convert(paper)


# Values of extra entries that need no closer look (containers are checked in full).
_SCALARS = frozenset({str, int, bool, type(None), float})


class CanonicalJSONWriter(Writer):
    """Writes the canonical model as a JSON array (``schemas/paper.schema.json``)."""

    name = "json"
    description = "bibconv canonical JSON (the full model, lossless)"
    suffixes = (".bibconv.json",)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_array(_dicts(papers, compact=False, reporter=reporter), out)


class CanonicalJSONLinesWriter(Writer):
    """Writes the canonical model one paper per line (JSON Lines)."""

    name = "jsonl"
    description = "bibconv canonical JSON Lines: one paper per line"
    suffixes = (".bibconv.jsonl",)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_lines(_dicts(papers, compact=True, reporter=reporter), out)

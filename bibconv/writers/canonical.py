"""Writer for bibconv's canonical JSON (format ``json``): the model, losslessly."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from ..diagnostics import Reporter
from ..jsonmodel import cluster_to_dict, paper_converter, person_to_dict, venue_to_dict
from ..model import Paper
from ..plugin import Writer
from .csljson import _Encoded, write_json_array, write_json_lines

__all__ = ["CanonicalJSONLinesWriter", "CanonicalJSONWriter"]


def _dicts(papers: Iterable[Paper], compact: bool) -> Iterator[dict[str, Any]]:
    """The papers' JSON objects, with people, venues and clusters already encoded (each
    object once: papers share them)."""
    people = _Encoded(person_to_dict, compact).many
    convert = paper_converter({
        "author": people,
        "editor": people,
        "venue": _Encoded(venue_to_dict, compact).one,
        "cluster": _Encoded(cluster_to_dict, compact).one,
    })
    return (convert(p) for p in papers)


class CanonicalJSONWriter(Writer):
    """Writes the canonical model as a JSON array (``schemas/paper.schema.json``)."""

    name = "json"
    description = "bibconv canonical JSON (the full model, lossless)"
    suffixes = (".bibconv.json",)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_array(_dicts(papers, compact=False), out)


class CanonicalJSONLinesWriter(Writer):
    """Writes the canonical model one paper per line (JSON Lines)."""

    name = "jsonl"
    description = "bibconv canonical JSON Lines: one paper per line"
    suffixes = (".bibconv.jsonl",)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_lines(_dicts(papers, compact=True), out)

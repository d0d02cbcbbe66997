"""Writer for bibconv's canonical JSON (format ``json``): the model, losslessly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from ..diagnostics import Reporter
from ..jsonmodel import paper_to_dict
from ..model import Paper
from ..plugin import Writer
from .csljson import write_json_array, write_json_lines

__all__ = ["CanonicalJSONLinesWriter", "CanonicalJSONWriter"]


class CanonicalJSONWriter(Writer):
    """Writes the canonical model as a JSON array (``schemas/paper.schema.json``)."""

    name = "json"
    description = "bibconv canonical JSON (the full model, lossless)"
    suffixes = (".bibconv.json",)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_array((paper_to_dict(p) for p in papers), out)


class CanonicalJSONLinesWriter(Writer):
    """Writes the canonical model one paper per line (JSON Lines)."""

    name = "jsonl"
    description = "bibconv canonical JSON Lines: one paper per line"
    suffixes = (".bibconv.jsonl",)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_lines((paper_to_dict(p) for p in papers), out)

"""Writer for CSL-JSON (format ``csl-json``): the array of items Zotero, pandoc and
citeproc read. Valid against the official CSL-JSON schema; written item by item."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, TextIO

from ..csl import paper_to_csl
from ..diagnostics import Reporter
from ..keys import DEFAULT_PATTERN, KeyGenerator, replayable
from ..model import Paper
from ..plugin import Writer

__all__ = ["CSLJSONLinesWriter", "CSLJSONWriter", "write_json_array", "write_json_lines"]


def write_json_array(items: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write JSON objects as one pretty-printed array, without holding them all."""
    out.write("[")
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2)
        out.write("\n  " if first else ",\n  ")
        out.write(text.replace("\n", "\n  "))
        first = False
    out.write("\n]\n" if not first else "]\n")


def write_json_lines(items: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write JSON objects one per line (JSON Lines), for pipelines."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for item in items:
        out.write(dumps(item))
        out.write("\n")


class CSLJSONWriter(Writer):
    """Writes a CSL-JSON array."""

    name = "csl-json"
    description = "CSL-JSON (Zotero, pandoc, citeproc-js, Mendeley)"
    suffixes: ClassVar[tuple[str, ...]] = (".json", ".csl.json", ".csljson")
    options = {
        "key_pattern": f"citation-key pattern for item ids (default {DEFAULT_PATTERN})",
        "keep_ids": "keep keys the input already had (default true)",
    }

    def items(self, papers: Iterable[Paper]) -> Iterator[dict[str, Any]]:
        """The CSL-JSON items of the papers, with planned unique ids."""
        keys = KeyGenerator(
            self.settings.get("key_pattern") or DEFAULT_PATTERN,
            keep_ids=self.settings.get("keep_ids", True),
        )
        source = replayable(papers)
        plan = keys.plan(source)
        return (paper_to_csl(p, plan.key(p)) for p in source)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_array(self.items(papers), out)


class CSLJSONLinesWriter(CSLJSONWriter):
    """Writes one CSL-JSON item per line."""

    name = "csl-jsonl"
    description = "CSL-JSON Lines: one item per line, for pipelines"
    suffixes = (".csl.jsonl", ".csljsonl")

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_lines(self.items(papers), out)

"""Writer for CSL-JSON (format ``csl-json``): the array of items Zotero, pandoc and
citeproc read. Valid against the official CSL-JSON schema; written item by item."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, TextIO

from ..csl import paper_to_csl
from ..diagnostics import Reporter
from ..keys import DEFAULT_PATTERN, KeyGenerator
from ..model import Paper
from ..plugin import Writer

__all__ = ["CSLJSONLinesWriter", "CSLJSONWriter", "write_json_array", "write_json_lines"]


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_ENCODE_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def write_json_array(items: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write JSON objects as one array, an object per block and a key per line.

    Values are encoded by the C encoder on one line each: ``json.dumps(indent=...)``
    falls back to the pure-Python encoder, five times slower on a big export, for
    output that is no easier to read.
    """
    out.write("[")
    first = True
    for item in items:
        body = ",\n    ".join(f"{_ENCODE(key)}: {_ENCODE(value)}" for key, value in item.items())
        out.write("\n  {\n    " if first else ",\n  {\n    ")
        out.write(body)
        out.write("\n  }")
        first = False
    out.write("\n]\n" if not first else "]\n")


def write_json_lines(items: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write JSON objects one per line (JSON Lines), for pipelines."""
    for item in items:
        out.write(_ENCODE_COMPACT(item))
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
        plan, again = keys.plan_and_replay(papers)
        return (paper_to_csl(p, plan.key(p)) for p in again)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_array(self.items(papers), out)


class CSLJSONLinesWriter(CSLJSONWriter):
    """Writes one CSL-JSON item per line."""

    name = "csl-jsonl"
    description = "CSL-JSON Lines: one item per line, for pipelines"
    suffixes = (".csl.jsonl", ".csljsonl")

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        write_json_lines(self.items(papers), out)

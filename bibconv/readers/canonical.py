"""Reader for bibconv's canonical JSON (format ``json``), as the ``json`` writer writes it.

The model comes back exactly, provenance included: a paper keeps the ``origin`` and
``line`` it was first read from when the JSON has them, else it gets this file and
the line its object starts on. Every field is type-checked
(:func:`bibconv.jsonmodel.paper_from_dict`); a bad paper is reported with its JSON
path and line and skipped. The whole text is read at once (JSON needs it); papers
are decoded one at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import ClassVar

from ..errors import BibconvError
from ..jsonmodel import paper_from_dict
from ..model import Paper
from ..plugin import Reader, TextSource
from .csljson import _skipper, _sniff_json, iter_json_stream

__all__ = ["CanonicalJSONLinesReader", "CanonicalJSONReader"]


class CanonicalJSONReader(Reader):
    """Reads the canonical JSON model (an array of papers, or one paper)."""

    name: ClassVar[str] = "json"
    description: ClassVar[str] = "bibconv canonical JSON (the full model, lossless)"
    suffixes: ClassVar[tuple[str, ...]] = (".bibconv.json", ".json")

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        """Model-only keys (``venue``, ``issued`` with ``year``) mark canonical JSON."""
        _, canonical = _sniff_json(head)
        if canonical:
            return 85
        if suffix == ".bibconv.json":
            return 60
        return 0

    def read(self, source: TextSource) -> Iterator[Paper]:
        """Yield one paper per valid object; report and skip invalid ones."""
        reporter = source.reporter
        for index, line, item in iter_json_stream(source.chunks(), source.origin,
                                                     _skipper(source)):
            path = f"$[{index}]"
            try:
                paper = paper_from_dict(item, path)
            except BibconvError as exc:
                reporter.error("invalid-item", f"{exc}; paper skipped", source.origin, line)
                continue
            except Exception as exc:  # hostile input must never end the run
                reporter.error("invalid-item", f"{path}: {type(exc).__name__}: {exc}; "
                               "paper skipped", source.origin, line)
                continue
            if paper.origin is None:
                paper = replace(paper, origin=source.origin, line=line)
            yield paper


class CanonicalJSONLinesReader(CanonicalJSONReader):
    """Reads canonical JSON Lines (one paper per line, as the ``jsonl`` writer writes
    them): the canonical JSON reader, which takes either form, under the writer's name."""

    name: ClassVar[str] = "jsonl"
    description: ClassVar[str] = "bibconv canonical JSON Lines (the canonical JSON reader)"
    suffixes: ClassVar[tuple[str, ...]] = (".bibconv.jsonl",)

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        return 0  # the canonical JSON reader recognises the content


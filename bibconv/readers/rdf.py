"""RDF readers (formats ``turtle``, ``ntriples``, ``jsonld``, ``rdfxml``): bibconv's own
RDF output (see :mod:`bibconv.rdfmap`) read back into papers (by :mod:`bibconv.rdfread`).

Parsing is guarded because RDF input may come from anywhere:

* the input is capped (option ``max_bytes``, default 32 MiB): RDF is parsed into one
  in-memory graph, which takes roughly ten times the text's size;
* RDF/XML with a ``<!DOCTYPE`` or ``<!ENTITY`` declaration is refused before the XML
  parser sees it (entity-expansion bombs stall rdflib's parser; RDF needs neither);
* JSON-LD whose ``@context`` (or ``@import``) names a document instead of holding it
  inline is refused: rdflib would fetch it, from the network or a local ``file://``;
* every rdflib failure becomes a :class:`~bibconv.errors.ParseError`, and a paper node
  that cannot be turned into a paper is reported and skipped.

An RDF graph is a set and keeps no record order, so papers come out in the order their
IRIs first appear in the text (bibconv writes papers in input order, so a round trip
keeps it); papers not placed that way follow, newest first, then by title.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from ..errors import OptionError, ParseError
from ..model import Paper
from ..plugin import Reader, TextSource

__all__ = ["JSONLDReader", "NTriplesReader", "RDFXMLReader", "TurtleReader"]

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
_DOCTYPE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def __getattr__(name: str) -> Any:
    # papers_from_graph and document_order used to live here; rdflib loads on first use.
    if name in ("papers_from_graph", "document_order"):
        from .. import rdfread

        return getattr(rdfread, name)
    raise AttributeError(name)


class _RDFReader(Reader):
    """Shared by the four RDF readers: capped loading, guarded parsing, graph to papers."""

    options: ClassVar[dict[str, str]] = {
        "max_bytes": f"refuse inputs larger than this many bytes (default {DEFAULT_MAX_BYTES:,})",
    }
    rdflib_format: ClassVar[str] = ""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        limit = self.settings.get("max_bytes", DEFAULT_MAX_BYTES)
        try:
            self.max_bytes = int(limit)
        except (TypeError, ValueError) as exc:
            raise OptionError(f"max_bytes must be a number of bytes, not {limit!r}") from exc
        if self.max_bytes <= 0:
            raise OptionError("max_bytes must be positive")

    def _load(self, source: TextSource) -> str:
        """The whole input, refusing it as soon as it passes the size cap."""
        size = 0
        lines: list[str] = []
        for lineno, line in source.lines():
            size += len(line.encode("utf-8", "surrogatepass")) + 1
            if size > self.max_bytes:
                raise ParseError(
                    f"input larger than {self.max_bytes:,} bytes; raise the limit with "
                    f"-O max_bytes=N if you trust it", source.origin, lineno)
            lines.append(line)
        # Keep the final line end: rdflib reports an unterminated literal at the end of
        # input with an assertion and no line number, but with one when a newline follows.
        return "\n".join(lines) + "\n" if lines else ""

    def guard(self, text: str, origin: str) -> None:
        """Refuse input that would make the parser do something unsafe."""

    def read(self, source: TextSource) -> Iterator[Paper]:
        from rdflib import Graph

        from ..rdfread import describe_error, document_order, error_line, papers_from_graph

        text = self._load(source)
        self.guard(text, source.origin)
        graph = Graph()
        with _RDFLibLog() as log:
            try:
                graph.parse(data=text, format=self.rdflib_format,
                            publicID="urn:bibconv:input:")
            except Exception as exc:  # rdflib raises many unrelated types on bad input
                raise ParseError(f"not valid {self.name}: {describe_error(exc)}",
                                 source.origin, error_line(exc, text)) from exc
        for message in log.messages:
            source.reporter.warn("rdf-parser", f"the RDF parser says: {message}",
                                 source.origin, None)
        yield from papers_from_graph(graph, source.origin, source.reporter,
                                     document_order(text))


class _RDFLibLog(logging.Handler):
    """What rdflib logs while it parses (an IRI it finds invalid, most often), taken
    for diagnostics instead of going to standard error in another format."""

    #: Distinct messages kept at most (a broken file can make thousands).
    LIMIT = 20

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self._logger = logging.getLogger("rdflib")
        self._propagate = self._logger.propagate

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if len(self.messages) < self.LIMIT and message not in self.messages:
            self.messages.append(message)

    def __enter__(self) -> _RDFLibLog:
        self._logger.addHandler(self)
        self._logger.propagate = False
        return self

    def __exit__(self, *exc: object) -> None:
        self._logger.removeHandler(self)
        self._logger.propagate = self._propagate


class TurtleReader(_RDFReader):
    """Reads Turtle written by bibconv (or in the same vocabularies)."""

    name = "turtle"
    description = "RDF Turtle in BIBO / Dublin Core / FOAF / schema.org"
    suffixes = (".ttl", ".turtle")
    rdflib_format = "turtle"

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        if suffix in cls.suffixes:
            return 90
        if re.search(r"^\s*(@prefix|PREFIX)\s+\w*:\s*<", head, re.MULTILINE):
            return 70
        return 0


class NTriplesReader(_RDFReader):
    """Reads N-Triples written by bibconv."""

    name = "ntriples"
    description = "RDF N-Triples in BIBO / Dublin Core / FOAF / schema.org"
    suffixes = (".nt",)
    rdflib_format = "nt"

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        if suffix in cls.suffixes:
            return 90
        if re.match(r"\s*(<[^>\s]+>|_:\S+)\s+<[^>\s]+>\s+\S", head):
            return 60
        return 0


class JSONLDReader(_RDFReader):
    """Reads JSON-LD with inline contexts only (remote and file contexts are refused)."""

    name = "jsonld"
    description = "RDF JSON-LD (inline contexts only)"
    suffixes = (".jsonld", ".json-ld")
    rdflib_format = "json-ld"

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        if suffix in cls.suffixes:
            return 95
        if head.lstrip().startswith(("{", "[")) and '"@context"' in head:
            return 80
        return 0

    def guard(self, text: str, origin: str) -> None:
        try:
            document = json.loads(text)
        except RecursionError as exc:
            raise ParseError("JSON nested too deeply", origin) from exc
        except ValueError as exc:
            line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
            raise ParseError(f"not valid JSON: {exc}", origin, line) from exc
        reference = _remote_context(document)
        if reference is not None:
            raise ParseError(
                f"JSON-LD context {reference!r} is a reference to another document; "
                "only inline contexts are read (bibconv never fetches contexts)", origin)


def _remote_context(document: Any) -> str | None:
    """The first ``@context``/``@import`` that names a document instead of holding it."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    values = value if isinstance(value, list) else [value]
                    for entry in values:
                        if isinstance(entry, str):
                            return entry
                stack.append(value)
    return None


class RDFXMLReader(_RDFReader):
    """Reads RDF/XML; documents with DOCTYPE or ENTITY declarations are refused."""

    name = "rdfxml"
    description = "RDF/XML in BIBO / Dublin Core / FOAF (no DTDs)"
    suffixes = (".rdf", ".owl")
    rdflib_format = "xml"

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        if suffix in cls.suffixes:
            return 90
        if "<rdf:RDF" in head or (head.lstrip().startswith("<?xml") and
                                  "http://www.w3.org/1999/02/22-rdf-syntax-ns#" in head):
            return 80
        return 0

    def guard(self, text: str, origin: str) -> None:
        match = _DOCTYPE.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            raise ParseError(
                "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion "
                "can exhaust memory; RDF/XML needs no DTD)", origin, line)


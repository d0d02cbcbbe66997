"""Lazy lookup of readers and writers by name, and sniffing of input formats.

Readers and writers are registered under the entry-point groups ``bibconv.readers``
and ``bibconv.writers``; the built-in ones too (see ``pyproject.toml``). A plugin
module is imported only when its format is used. The built-in table below is the
fallback when bibconv runs from a source tree that was never installed; a test keeps
it equal to the entry points declared in ``pyproject.toml``.
"""

from __future__ import annotations

import difflib
import importlib
from functools import lru_cache
from importlib.metadata import entry_points

from .errors import UnknownFormatError
from .plugin import Reader, Writer, suffix_of

__all__ = [
    "BUILTIN_READERS",
    "BUILTIN_WRITERS",
    "get_reader",
    "get_writer",
    "reader_names",
    "reader_option_names",
    "sniff",
    "writer_for_path",
    "writer_names",
]

READER_GROUP = "bibconv.readers"
WRITER_GROUP = "bibconv.writers"

BUILTIN_READERS: dict[str, str] = {
    "cluster": "bibconv.readers.cluster:ClusterReader",
    "cluster-json": "bibconv.readers.clusterjson:ClusterJSONReader",
    "bibtex": "bibconv.readers.bibtex:BibTeXReader",
    "biblatex": "bibconv.readers.bibtex:BibLaTeXReader",
    "csl-json": "bibconv.readers.csljson:CSLJSONReader",
    # The JSON Lines forms the writers write: the same readers take them.
    "csl-jsonl": "bibconv.readers.csljson:CSLJSONLinesReader",
    "ris": "bibconv.readers.ris:RISReader",
    "json": "bibconv.readers.canonical:CanonicalJSONReader",
    "jsonl": "bibconv.readers.canonical:CanonicalJSONLinesReader",
    "turtle": "bibconv.readers.rdf:TurtleReader",
    "ntriples": "bibconv.readers.rdf:NTriplesReader",
    "jsonld": "bibconv.readers.rdf:JSONLDReader",
    "rdfxml": "bibconv.readers.rdf:RDFXMLReader",
}
BUILTIN_WRITERS: dict[str, str] = {
    "csl-json": "bibconv.writers.csljson:CSLJSONWriter",
    "csl-jsonl": "bibconv.writers.csljson:CSLJSONLinesWriter",
    "json": "bibconv.writers.canonical:CanonicalJSONWriter",
    "jsonl": "bibconv.writers.canonical:CanonicalJSONLinesWriter",
    "bibtex": "bibconv.writers.bibtex:BibTeXWriter",
    "biblatex": "bibconv.writers.bibtex:BibLaTeXWriter",
    "turtle": "bibconv.writers.rdf:TurtleWriter",
    "ntriples": "bibconv.writers.rdf:NTriplesWriter",
    "jsonld": "bibconv.writers.rdf:JSONLDWriter",
    "rdfxml": "bibconv.writers.rdf:RDFXMLWriter",
    "ris": "bibconv.writers.ris:RISWriter",
    "citation": "bibconv.writers.citation:CitationWriter",
}


def _load(target: str) -> type:
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    obj = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    if not isinstance(obj, type):
        raise TypeError(f"{target} is not a class")
    return obj


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, str]]:
    # One scan of the installed distributions for both groups: each scan reads every
    # distribution's metadata, a noticeable share of converting a small file.
    tables = {READER_GROUP: dict(BUILTIN_READERS), WRITER_GROUP: dict(BUILTIN_WRITERS)}
    found = entry_points()
    for group, table in tables.items():
        for ep in found.select(group=group):
            table[ep.name] = ep.value
    return tables


def _table(group: str) -> dict[str, str]:
    return _tables()[group]


def _lookup(group: str, name: str, kind: str) -> type:
    table = _table(group)
    key = name.lower()
    if key not in table:
        close = difflib.get_close_matches(key, table, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownFormatError(
            f"no {kind} named {name!r}{hint} (known: {', '.join(sorted(table))})"
        )
    try:
        return _load(table[key])
    except Exception as exc:  # a broken plugin must not take the CLI down with a traceback
        raise UnknownFormatError(f"{kind} {name!r} ({table[key]}) failed to load: {exc}") from exc


def reader_names() -> list[str]:
    """Names of every registered reader, sorted."""
    return sorted(_table(READER_GROUP))


def reader_option_names() -> set[str]:
    """Every option some registered reader takes."""
    names: set[str] = set()
    for name in reader_names():
        try:
            names.update(get_reader(name).options)
        except UnknownFormatError:
            continue  # a plugin that fails to load takes no options
    return names


def writer_names() -> list[str]:
    """Names of every registered writer, sorted."""
    return sorted(_table(WRITER_GROUP))


def get_reader(name: str) -> type[Reader]:
    """The reader class registered under ``name``."""
    cls = _lookup(READER_GROUP, name, "reader")
    if not issubclass(cls, Reader):
        raise UnknownFormatError(f"reader {name!r} is not a bibconv.plugin.Reader")
    return cls


def get_writer(name: str) -> type[Writer]:
    """The writer class registered under ``name``."""
    cls = _lookup(WRITER_GROUP, name, "writer")
    if not issubclass(cls, Writer):
        raise UnknownFormatError(f"writer {name!r} is not a bibconv.plugin.Writer")
    return cls


def sniff(head: str, path: str | None = None) -> str:
    """The reader that best recognises an input, from its first bytes and its name."""
    suffix = suffix_of(path) if path else ""
    best, best_score = "", 0
    for name in reader_names():
        try:
            score = get_reader(name).sniff(head, suffix)
        except UnknownFormatError:
            continue
        if score > best_score:
            best, best_score = name, score
    if best_score < 20:
        raise UnknownFormatError(
            "cannot tell the input format; name it with --from "
            f"({', '.join(reader_names())})"
        )
    return best


def writer_for_path(path: str) -> str:
    """The writer whose suffixes include the suffix of ``path``."""
    suffix = suffix_of(path)
    for name in writer_names():
        try:
            cls = get_writer(name)
        except UnknownFormatError:
            continue
        if suffix and suffix in cls.suffixes:
            return name
    raise UnknownFormatError(
        f"{path}: cannot tell the output format from the suffix {suffix or '(none)'!r}; "
        f"name it with --to ({', '.join(writer_names())})"
    )

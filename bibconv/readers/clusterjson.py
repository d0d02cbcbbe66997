"""Reader for author-name clusters emitted as JSON by scrapers (format ``cluster-json``).

The shape is described by ``schemas/cluster.schema.json``: one cluster object, an
array of them, or JSON Lines with one cluster per line. Each paper carries the same
facts as an entry of a scraped page (venue, kind, year, publication type, title,
authors, abstract) plus optional identifiers. A paper that breaks the shape is
reported with its JSON path and skipped; the others still come out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Reporter
from ..errors import BibconvError, ParseError
from ..model import Cluster, Date, Paper, Person
from ..names import parse_name_noted
from ..plugin import TextSource
from ..pubtypes import GENERIC_TYPE, csl_type_for
from ..text import clean_inline, clean_text
from ..venues import resolve_venue
from .cluster import VenueResolvingReader
from .csljson import iter_json_stream

__all__ = ["ClusterJSONReader"]

_CLUSTER_KEYS = {"site", "author", "description", "declared_papers", "declared_author_rows",
                 "papers"}
_PAPER_KEYS = {"venue", "venue_kind", "year", "type", "title", "authors", "abstract", "doi",
               "url", "volume", "issue", "pages", "publisher", "keywords", "month", "day"}
_AUTHOR_KEYS = {"name", "family", "given", "orcid", "homonym"}


class _Invalid(BibconvError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class _NoName(_Invalid):
    """An author string that is no name (empty, or no letter in it)."""


def _string(obj: Mapping[str, Any], key: str, path: str, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise _Invalid(f"{path}.{key}", "required")
        return None
    if not isinstance(value, str):
        raise _Invalid(f"{path}.{key}", f"expected a string, got {type(value).__name__}")
    return value


def _integer(obj: Mapping[str, Any], key: str, path: str, low: int, high: int,
             required: bool = False) -> int | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise _Invalid(f"{path}.{key}", "required")
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _Invalid(f"{path}.{key}", f"expected an integer from {low} to {high}, got {value!r}")
    return value


def _unknown(obj: Mapping[str, Any], allowed: set[str], path: str) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise _Invalid(path, f"unknown key(s) {', '.join(map(repr, extra))}")


def _named(name: str, path: str, notes: list[tuple[str, str]]) -> Person:
    """The person of a name string; a note in brackets after the name (an affiliation)
    is added to ``notes`` with the name's path."""
    try:
        person, note = parse_name_noted(name)
    except ValueError as exc:
        raise _NoName(path, f"{name!r} is not a name") from exc
    if note is not None:
        notes.append((path, note))
    return person


def _author(value: Any, path: str, notes: list[tuple[str, str]]) -> Person:
    if isinstance(value, str):
        return _named(value, path, notes)
    if not isinstance(value, Mapping):
        raise _Invalid(path, "expected a name string or an object")
    _unknown(value, _AUTHOR_KEYS, path)
    name = _string(value, "name", path)
    family = _string(value, "family", path)
    given = _string(value, "given", path)
    orcid = _string(value, "orcid", path)
    homonym = _string(value, "homonym", path)
    if name:
        person = _named(name, f"{path}.name", notes)
    elif family:
        person = Person(family=clean_inline(family), given=clean_inline(given) if given else None)
    else:
        raise _Invalid(path, "an author object needs 'name' or 'family'")
    return Person(
        family=person.family, given=person.given, particle=person.particle,
        suffix=person.suffix, literal=person.literal,
        homonym=homonym or person.homonym, orcid=orcid or person.orcid,
    )


class ClusterJSONReader(VenueResolvingReader):
    """Reads author-name clusters scraped into JSON."""

    name = "cluster-json"
    description = "author-name clusters as JSON (schemas/cluster.schema.json), or JSON Lines"
    suffixes = (".cluster.json", ".jsonl")

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        start = head.lstrip()[:1]
        if start in ("{", "[") and '"papers"' in head and (
            '"author"' in head or '"venue"' in head
        ):
            return 85
        return 0

    def read(self, source: TextSource) -> Iterator[Paper]:
        array = source.head.lstrip().startswith("[")
        found = False
        # Streamed: a JSON Lines file of a million clusters is never held whole.
        def bad_line(line: int, message: str) -> None:
            source.reporter.error("invalid-json", f"{message}; line skipped", source.origin,
                                  line)

        for index, line, cluster in iter_json_stream(source.chunks(), source.origin,
                                                     bad_line):
            found = True
            yield from self._cluster(cluster, f"$[{index}]" if array else "$", source, line)
        if not found:
            raise ParseError("empty input: no JSON at all", source.origin, 1)

    def _cluster(self, data: Any, path: str, source: TextSource,
                 line: int | None) -> Iterator[Paper]:
        report: Reporter = source.reporter
        try:
            if not isinstance(data, Mapping):
                raise _Invalid(path, "expected a cluster object")
            _unknown(data, _CLUSTER_KEYS, path)
            papers = data.get("papers")
            if not isinstance(papers, list):
                raise _Invalid(f"{path}.papers", "required list of papers")
            author = _string(data, "author", path) or ""
            description = _string(data, "description", path)
            site = _string(data, "site", path)
            declared = _integer(data, "declared_papers", path, 0, 10**9)
            cluster = Cluster(
                name=clean_inline(author),
                site=clean_inline(site) if site else None,
                description=clean_inline(description) if description else None,
                declared_papers=declared,
                declared_author_rows=_integer(data, "declared_author_rows", path, 0, 10**9),
                origin=source.origin,
                line=line,
            )
        except _Invalid as exc:
            report.error("invalid-cluster", f"{exc}; cluster skipped", source.origin, line)
            return
        found = 0
        for index, item in enumerate(papers):
            ppath = f"{path}.papers[{index}]"
            try:
                paper = self._paper(item, ppath, cluster, source, line)
            except _Invalid as exc:
                report.error("invalid-paper", f"{exc}; paper skipped", source.origin, line)
                continue
            found += 1
            yield paper
        if declared is not None and declared != len(papers):
            report.warn(
                "paper-count-mismatch",
                f"{path}: cluster {cluster.name!r} declares {declared} papers but lists "
                f"{len(papers)}",
                source.origin,
                line,
            )

    def _paper(self, item: Any, path: str, cluster: Cluster, source: TextSource,
               line: int | None) -> Paper:
        if not isinstance(item, Mapping):
            raise _Invalid(path, "expected a paper object")
        _unknown(item, _PAPER_KEYS, path)
        report = source.reporter
        title = clean_inline(_string(item, "title", path, required=True) or "")
        year = _integer(item, "year", path, 1000, 2999)
        month = _integer(item, "month", path, 1, 12)
        day = _integer(item, "day", path, 1, 31)
        ptype = _string(item, "type", path)
        csl_type = csl_type_for(ptype) if ptype else None
        if csl_type is None:
            if ptype:
                report.warn("unknown-type", f"{path}.type: {ptype!r} is not known; written "
                            f"as generic type {GENERIC_TYPE!r}", source.origin, line)
            csl_type = GENERIC_TYPE
        authors_raw = item.get("authors", [])
        if not isinstance(authors_raw, list):
            raise _Invalid(f"{path}.authors", "expected a list")
        notes: list[tuple[str, str]] = []
        people: list[Person] = []
        for i, raw in enumerate(authors_raw):
            try:
                people.append(_author(raw, f"{path}.authors[{i}]", notes))
            except _NoName as exc:
                # One author that is no name ("", "—") costs that author, not the paper.
                report.warn("bad-name", f"{exc}; skipped", source.origin, line)
        authors = tuple(people)
        for where, note in notes:
            report.warn("name-note", f"{where}: the note {note!r} is not part of the name; "
                        "dropped", source.origin, line)
        keywords_raw = item.get("keywords", [])
        if not isinstance(keywords_raw, list) or not all(isinstance(k, str) for k in keywords_raw):
            raise _Invalid(f"{path}.keywords", "expected a list of strings")
        venue_name = _string(item, "venue", path)
        venue_kind = _string(item, "venue_kind", path)
        venue = resolve_venue(clean_inline(venue_name), venue_kind, self._venues) \
            if venue_name else None
        abstract = _string(item, "abstract", path)
        optional = {key: _string(item, key, path) for key in
                    ("doi", "url", "volume", "issue", "pages", "publisher")}
        return Paper(
            title=title,
            type=csl_type,
            author=authors,
            issued=Date(year, month, day if month else None) if year is not None else None,
            venue=venue,
            volume=optional["volume"],
            issue=optional["issue"],
            page=optional["pages"],
            publisher=optional["publisher"],
            doi=optional["doi"],
            url=optional["url"],
            abstract=clean_text(abstract) if abstract else None,
            keywords=tuple(clean_inline(k) for k in keywords_raw),
            genre=ptype,
            cluster=cluster,
            origin=source.origin,
            line=line,
        )

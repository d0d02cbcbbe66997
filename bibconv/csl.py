"""Mapping from the model to CSL-JSON items (CSL 1.0.2 variables).

Used by the ``csl-json`` writer and by the citation writer, so formatted references
and exported data always agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .model import Paper, Person, Venue
from .pubtypes import restates_type

__all__ = ["BIBTEX_TO_CSL", "CONFERENCE_KINDS", "CSL_VARIABLES", "NUMBERED_TYPES", "csl_date",
           "csl_extra", "csl_name", "csl_names", "iso_date", "paper_to_csl"]

#: Venue kinds whose name is also the event's name.
CONFERENCE_KINDS = frozenset({"conference", "workshop", "symposium"})


def csl_name(person: Person) -> dict[str, str]:
    """A person as a CSL name object."""
    if person.literal is not None:
        return {"literal": person.literal}
    out: dict[str, str] = {}
    if person.family is not None:
        out["family"] = person.family
    if person.given is not None:
        out["given"] = person.given
    if person.particle is not None:
        out["non-dropping-particle"] = person.particle
    if person.dropping_particle is not None:
        out["dropping-particle"] = person.dropping_particle
    if person.suffix is not None:
        out["suffix"] = person.suffix
    return out


def csl_names(people: tuple[Person, ...]) -> list[dict[str, str]]:
    """People as a CSL name list (new objects, which the caller may change)."""
    return [csl_name(p) for p in people]


_VENUE_FIELDS: dict[Venue, tuple[tuple[str, str], ...]] = {}


def _venue_fields(venue: Venue) -> tuple[tuple[str, str], ...]:
    """The item fields a venue gives (cached: venues are shared by many papers)."""
    found = _VENUE_FIELDS.get(venue)
    if found is None:
        fields = [("container-title", venue.title)]
        if venue.short and venue.short != venue.title:
            fields.append(("container-title-short", venue.short))
        if venue.kind in CONFERENCE_KINDS and venue.name != venue.title:
            fields.append(("event-title", venue.name))
        found = tuple(fields)
        if len(_VENUE_FIELDS) >= 4096:
            _VENUE_FIELDS.clear()
        _VENUE_FIELDS[venue] = found
    return found


def paper_to_csl(paper: Paper, key: str,
                 names: Callable[[tuple[Person, ...]], Any] = csl_names) -> dict[str, Any]:
    """A paper as a CSL-JSON item with the given id.

    ``names`` gives the value of a name list (``author``, ``editor``): by default
    :func:`csl_names`; a JSON writer may pass one that returns the list pre-encoded.
    """
    item: dict[str, Any] = {"id": key, "type": paper.type}
    if paper.title:
        item["title"] = paper.title
    authors = paper.author
    if authors:
        item["author"] = names(authors)
    if paper.editor:
        item["editor"] = names(paper.editor)
    issued = paper.issued
    if issued is not None:
        parts = [issued.year]
        if issued.month is not None:
            parts.append(issued.month)
            if issued.day is not None:
                parts.append(issued.day)
        item["issued"] = {"date-parts": [parts]}
    venue = paper.venue
    if venue is not None:
        item.update(_venue_fields(venue))
    # The simple fields, in this order, each only when set.
    for name, value in (
        ("publisher", paper.publisher or (venue.publisher if venue is not None else None)),
        ("publisher-place", paper.publisher_place),
        ("volume", paper.volume),
        ("number" if paper.type in NUMBERED_TYPES else "issue", paper.issue),
        ("page", paper.page),
        ("DOI", paper.doi),
        ("URL", paper.url),
        ("ISBN", paper.isbn),
        ("ISSN", paper.issn or (venue.issn if venue is not None else None)),
        ("abstract", paper.abstract),
        ("language", paper.language),
        ("note", paper.note),
    ):
        if value:
            item[name] = value
    if paper.keywords:
        item["keyword"] = ", ".join(paper.keywords)
    if paper.genre and (paper.type in ("thesis", "report")
                        or not restates_type(paper.genre, paper.type)):
        # A genre that only names the type ("Conference Paper" of a paper-conference,
        # as scraped pages give every paper) says nothing more; any other is written
        # (an "Editorial" from RIS's M3, a CSL source's genre).
        item["genre"] = paper.genre
    for person in authors:
        if person.homonym or person.orcid:
            item["custom"] = {"author-ids": [
                {k: v for k, v in (("homonym", p.homonym), ("orcid", p.orcid)) if v}
                for p in authors
            ]}
            break
    return item


#: CSL types whose number is CSL's ``number``, not ``issue``: a report's, a patent's, a
#: standard's number (what BibTeX's ``number`` and the model's ``issue`` hold for them).
NUMBERED_TYPES = frozenset({"report", "patent", "standard", "legislation", "bill",
                            "regulation", "treaty"})


def _names_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The item variables of the CSL-JSON schema (csl-data.json), by the values they take.
_CSL_STRINGS = _names_of("""
    citation-key language journalAbbreviation shortTitle abstract annote archive
    archive_collection archive_location archive-place authority call-number citation-label
    collection-title container-title container-title-short dimensions division DOI event
    event-title event-place genre ISBN ISSN jurisdiction keyword medium note
    original-publisher original-publisher-place original-title part-title PMCID PMID
    publisher publisher-place references reviewed-genre reviewed-title scale section source
    status title title-short URL version volume-title volume-title-short year-suffix""")
_CSL_STRINGS_OR_NUMBERS = _names_of("""
    chapter-number citation-number collection-number edition first-reference-note-number
    issue locator number number-of-pages number-of-volumes page page-first part printing
    supplement volume""")
_CSL_NAMES = _names_of("""
    author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host interviewer illustrator
    narrator organizer original-author performer producer recipient reviewed-author
    script-writer series-creator translator""")
_CSL_DATES = _names_of("accessed available-date event-date issued original-date submitted")
#: Every CSL-JSON item variable but ``id``, ``type``, ``categories`` and ``custom``.
CSL_VARIABLES = _CSL_STRINGS | _CSL_STRINGS_OR_NUMBERS | _CSL_NAMES | _CSL_DATES


_NAME_TEXT = frozenset({"family", "given", "dropping-particle", "non-dropping-particle",
                        "suffix", "literal"})
_NAME_FLAGS = frozenset({"comma-suffix", "static-ordering", "parse-names"})
_DATE_KEYS = frozenset({"date-parts", "season", "circa", "literal", "raw"})


def _number(value: Any) -> bool:
    return type(value) is int or type(value) is float  # not a bool: JSON true is no number


def _name_fits(person: Any) -> bool:
    if type(person) is not dict:
        return False
    for key, value in person.items():
        if key in _NAME_TEXT:
            if type(value) is not str:
                return False
        elif key not in _NAME_FLAGS or not (type(value) in (str, bool) or _number(value)):
            return False
    return True


def _date_fits(date: Any) -> bool:
    if type(date) is not dict or not date.keys() <= _DATE_KEYS:
        return False
    # A key that is there must have the schema's type (JSON null is none of them).
    if "date-parts" in date:
        parts = date["date-parts"]
        if not (type(parts) is list and 1 <= len(parts) <= 2
                and all(type(part) is list and 1 <= len(part) <= 3
                        and all(type(v) is str or _number(v) for v in part)
                        for part in parts)):
            return False
    season, circa = date.get("season", ""), date.get("circa", "")
    return ((type(season) is str or _number(season))
            and (type(circa) in (str, bool) or _number(circa))
            and all(type(date.get(key, "")) is str for key in ("literal", "raw")))


#: BibTeX/BibLaTeX fields (kept in ``extra`` by the readers) and the CSL variables that
#: hold the same thing, as pandoc and Zotero map them.
BIBTEX_TO_CSL = {"series": "collection-title", "pagetotal": "number-of-pages",
                 "venue": "event-place", "urldate": "accessed", "eventdate": "event-date",
                 "origdate": "original-date",
                 # A year the reader could not read ("2020a", "in press"), for a paper
                 # without a date: CSL's date as written.
                 "year": "issued"}


def csl_date(text: str) -> dict[str, Any]:
    """A CSL date object of an ISO 8601 date ("2021-03-04", "2021-03"), or of other text
    as its ``raw`` form."""
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", text)
    if match is None:
        return {"raw": text}
    return {"date-parts": [[int(part) for part in match.groups() if part is not None]]}


def iso_date(date: Any) -> str | None:
    """The ISO 8601 text of a CSL date object's start ("2021-03-04"), if it has one."""
    try:
        parts = [int(v) for v in date["date-parts"][0]]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if not 1 <= len(parts) <= 3:
        return None
    return "-".join([f"{parts[0]:04d}", *(f"{v:02d}" for v in parts[1:])])


def _same_start(date: Any, fuller: Any) -> bool:
    """Whether a CSL date object starts on the day (month, year) the item's date is."""
    try:
        start = [int(v) for v in fuller["date-parts"][0]]
        return bool([int(v) for v in date["date-parts"][0]] == start)
    except (KeyError, IndexError, TypeError, ValueError):
        return False


def _fits(name: str, value: Any) -> bool:
    """Whether ``value`` is what the CSL-JSON schema allows for variable ``name``."""
    if name in _CSL_STRINGS:
        return type(value) is str
    if name in _CSL_STRINGS_OR_NUMBERS:
        return type(value) is str or _number(value)
    if name in _CSL_DATES:
        return _date_fits(value)
    if name in _CSL_NAMES:
        return type(value) is list and all(map(_name_fits, value))
    if name == "categories":
        return type(value) is list and all(type(category) is str for category in value)
    return False


def csl_extra(item: dict[str, Any], extra: Mapping[str, Any]) -> list[str]:
    """Put a paper's ``extra`` entries that are CSL-JSON variables into its item (what
    the CSL-JSON reader kept there: ``PMID``, ``archive``, ``accessed``, ``translator``,
    ``custom``, ...), and name the entries CSL-JSON cannot hold: any other name, a value
    of the wrong shape or that is not JSON data, and a variable the item already has
    from the paper's own fields (those win: they are what the paper says now)."""
    from .jsonmodel import json_extra

    kept, problems = json_extra(extra)
    lost = [f"extra field {problem}" for problem in problems]
    for name, csl_name in BIBTEX_TO_CSL.items():
        # BibTeX/BibLaTeX fields the readers keep, under CSL's name for the same thing.
        value = kept.get(name)
        if value is not None and csl_name not in kept and type(value) is str:
            del kept[name]
            kept[csl_name] = csl_date(value) if csl_name in _CSL_DATES else value
    for name, value in kept.items():
        if name == "custom" and type(value) is dict:
            item["custom"] = {**value, **item.get("custom", {})}
        elif name not in item and _fits(name, value):
            item[name] = value
        elif name in _CSL_DATES and name in item and _fits(name, value) \
                and _same_start(item[name], value):
            # The source's fuller form of the paper's own date (a range, a season,
            # circa), kept with the date: the model holds a range's start only.
            item[name] = value
        elif name in ("authors-truncated", "editors-truncated"):
            # CSL has no way to say a name list goes on ("and others", "et al."): said
            # lost, since a style then prints the last name given as the last author.
            if value:
                lost.append(f"the {name.split('-')[0][:-1]} list's 'and others'")
        else:
            lost.append(f"extra field {name!r}")
    return lost

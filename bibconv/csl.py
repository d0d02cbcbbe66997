"""Mapping from the model to CSL-JSON items (CSL 1.0.2 variables).

Used by the ``csl-json`` writer and by the citation writer, so formatted references
and exported data always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import Paper, Person, Venue

__all__ = ["CONFERENCE_KINDS", "csl_name", "csl_names", "paper_to_csl"]

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
        ("issue", paper.issue),
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
    if paper.genre and paper.type in ("thesis", "report"):
        item["genre"] = paper.genre
    for person in authors:
        if person.homonym or person.orcid:
            item["custom"] = {"author-ids": [
                {k: v for k, v in (("homonym", p.homonym), ("orcid", p.orcid)) if v}
                for p in authors
            ]}
            break
    return item

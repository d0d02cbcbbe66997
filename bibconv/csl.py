"""Mapping from the model to CSL-JSON items (CSL 1.0.2 variables).

Used by the ``csl-json`` writer and by the citation writer, so formatted references
and exported data always agree.
"""

from __future__ import annotations

from typing import Any

from .model import Paper, Person

__all__ = ["CONFERENCE_KINDS", "csl_name", "paper_to_csl"]

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


def paper_to_csl(paper: Paper, key: str) -> dict[str, Any]:
    """A paper as a CSL-JSON item with the given id."""
    item: dict[str, Any] = {"id": key, "type": paper.type}
    if paper.title:
        item["title"] = paper.title
    if paper.author:
        item["author"] = [csl_name(p) for p in paper.author]
    if paper.editor:
        item["editor"] = [csl_name(p) for p in paper.editor]
    if paper.issued is not None:
        parts = [paper.issued.year]
        if paper.issued.month is not None:
            parts.append(paper.issued.month)
            if paper.issued.day is not None:
                parts.append(paper.issued.day)
        item["issued"] = {"date-parts": [parts]}
    venue = paper.venue
    if venue is not None:
        item["container-title"] = venue.title
        if venue.short and venue.short != venue.title:
            item["container-title-short"] = venue.short
        if venue.kind in CONFERENCE_KINDS and venue.name != venue.title:
            item["event-title"] = venue.name
    publisher = paper.publisher or (venue.publisher if venue is not None else None)
    simple = {
        "publisher": publisher,
        "publisher-place": paper.publisher_place,
        "volume": paper.volume,
        "issue": paper.issue,
        "page": paper.page,
        "DOI": paper.doi,
        "URL": paper.url,
        "ISBN": paper.isbn,
        "ISSN": paper.issn or (venue.issn if venue is not None else None),
        "abstract": paper.abstract,
        "language": paper.language,
        "note": paper.note,
    }
    item.update({k: v for k, v in simple.items() if v})
    if paper.keywords:
        item["keyword"] = ", ".join(paper.keywords)
    if paper.genre and paper.type in ("thesis", "report"):
        item["genre"] = paper.genre
    ids = [
        {k: v for k, v in (("homonym", p.homonym), ("orcid", p.orcid)) if v}
        for p in paper.author
    ]
    if any(ids):
        item["custom"] = {"author-ids": ids}
    return item

"""The canonical JSON form of the model (what the ``json`` writer writes).

Keys are the dataclass field names; empty values (None, empty tuples, empty
mappings) are left out so the output stays small. ``schemas/paper.schema.json``
describes this form, and a test checks the two against each other both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import BibconvError
from .model import Cluster, Date, Paper, Person, Venue

__all__ = ["cluster_to_dict", "paper_from_dict", "paper_to_dict", "person_to_dict"]


def _compact(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in obj.__slots__:
        value = getattr(obj, name)
        if value is None or value == () or (isinstance(value, Mapping) and not value):
            continue
        out[name] = value
    return out


def person_to_dict(person: Person) -> dict[str, Any]:
    """A person as a JSON object."""
    return _compact(person)


def venue_to_dict(venue: Venue) -> dict[str, Any]:
    """A venue as a JSON object."""
    return _compact(venue)


def cluster_to_dict(cluster: Cluster) -> dict[str, Any]:
    """A cluster as a JSON object."""
    return _compact(cluster)


def date_to_dict(date: Date) -> dict[str, Any]:
    """A date as a JSON object."""
    return _compact(date)


def paper_to_dict(paper: Paper) -> dict[str, Any]:
    """A paper as a JSON object, ready for :func:`json.dumps`."""
    out = _compact(paper)
    if paper.author:
        out["author"] = [person_to_dict(p) for p in paper.author]
    if paper.editor:
        out["editor"] = [person_to_dict(p) for p in paper.editor]
    if paper.issued is not None:
        out["issued"] = date_to_dict(paper.issued)
    if paper.venue is not None:
        out["venue"] = venue_to_dict(paper.venue)
    if paper.cluster is not None:
        out["cluster"] = cluster_to_dict(paper.cluster)
    if paper.keywords:
        out["keywords"] = list(paper.keywords)
    if paper.extra:
        out["extra"] = dict(paper.extra)
    return out


def _build(cls: type[Any], data: Any, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise BibconvError(f"{path}: expected an object")
    allowed = set(cls.__slots__)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BibconvError(f"{path}: unknown key(s) {', '.join(unknown)}")
    return cls(**data)


def paper_from_dict(data: Any, path: str = "$") -> Paper:
    """Rebuild a paper from its canonical JSON object; errors name the JSON path."""
    if not isinstance(data, Mapping):
        raise BibconvError(f"{path}: expected an object")
    fields = dict(data)
    if not isinstance(fields.get("title"), str):
        raise BibconvError(f"{path}.title: required string")
    try:
        for role in ("author", "editor"):
            if role in fields:
                if not isinstance(fields[role], list):
                    raise BibconvError(f"{path}.{role}: expected a list")
                fields[role] = tuple(
                    _build(Person, p, f"{path}.{role}[{i}]") for i, p in enumerate(fields[role])
                )
        if "issued" in fields:
            fields["issued"] = _build(Date, fields["issued"], f"{path}.issued")
        if "venue" in fields:
            fields["venue"] = _build(Venue, fields["venue"], f"{path}.venue")
        if "cluster" in fields:
            fields["cluster"] = _build(Cluster, fields["cluster"], f"{path}.cluster")
        if "keywords" in fields:
            fields["keywords"] = tuple(fields["keywords"])
        return _build(Paper, fields, path)  # type: ignore[no-any-return]
    except TypeError as exc:
        raise BibconvError(f"{path}: {exc}") from exc

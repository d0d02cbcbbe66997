"""The canonical JSON form of the model (what the ``json`` writer writes).

Keys are the dataclass field names; empty values (None, empty tuples, empty
mappings) are left out so the output stays small. ``schemas/paper.schema.json``
describes this form, and a test checks the two against each other both ways.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from functools import lru_cache
from operator import attrgetter
from typing import Any

from .errors import BibconvError
from .model import CSL_TYPES, Cluster, Date, Paper, Person, Venue

__all__ = [
    "ModelError", "cluster_to_dict", "paper_converter", "paper_from_dict", "paper_to_dict",
    "person_to_dict",
]


def _compact(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in obj.__slots__:
        value = getattr(obj, name)
        if value is None or value == () or (isinstance(value, Mapping) and not value):
            continue
        out[name] = value
    return out


_PERSON_FIELDS = Person.__slots__


def person_to_dict(person: Person) -> dict[str, Any]:
    """A person as a JSON object."""
    # Every Person field is a string or None: no container checks needed.
    return {k: v for k in _PERSON_FIELDS if (v := getattr(person, k)) is not None}


@lru_cache(maxsize=4096)
def venue_to_dict(venue: Venue) -> dict[str, Any]:
    """A venue as a JSON object (cached: venues are shared by many papers; do not mutate)."""
    return _compact(venue)


@lru_cache(maxsize=256)
def cluster_to_dict(cluster: Cluster) -> dict[str, Any]:
    """A cluster as a JSON object (cached: one cluster has many papers; do not mutate)."""
    return _compact(cluster)


def date_to_dict(date: Date) -> dict[str, Any]:
    """A date as a JSON object."""
    out: dict[str, Any] = {"year": date.year}
    if date.month is not None:
        out["month"] = date.month
    if date.day is not None:
        out["day"] = date.day
    return out


def _people(people: tuple[Person, ...]) -> list[dict[str, Any]] | None:
    return [person_to_dict(p) for p in people] if people else None


def _optional(convert: Any) -> Any:
    return lambda value: convert(value) if value is not None else None


# How each field becomes JSON, in the model's field order (so output reads like the model).
_CONVERT: tuple[tuple[str, Any], ...] = tuple(
    (name, {
        "author": _people,
        "editor": _people,
        "issued": _optional(date_to_dict),
        "venue": _optional(venue_to_dict),
        "cluster": _optional(cluster_to_dict),
        "keywords": lambda v: list(v) if v else None,
        "extra": lambda v: dict(v) if v else None,
    }.get(name))
    for name in Paper.__slots__
)


_VALUES = attrgetter(*Paper.__slots__)  # every field's value, in _CONVERT's order


def paper_converter(overrides: Mapping[str, Any]) -> Callable[[Paper], dict[str, Any]]:
    """:func:`paper_to_dict` with some fields converted otherwise.

    ``overrides`` maps field names to functions of the field's value that return its
    JSON value, or None to leave the field out; a JSON writer uses it to put in values
    it has already encoded.
    """
    table = tuple((name, overrides.get(name, convert)) for name, convert in _CONVERT)

    def to_dict(paper: Paper) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for (name, convert), value in zip(table, _VALUES(paper), strict=True):
            if convert is not None:
                value = convert(value)
            if value is not None:
                out[name] = value
        return out

    return to_dict


_TO_DICT = paper_converter({})


def paper_to_dict(paper: Paper) -> dict[str, Any]:
    """A paper as a JSON object, ready for :func:`json.dumps`."""
    return _TO_DICT(paper)


class ModelError(BibconvError):
    """A canonical JSON value that does not describe a valid model object."""


_INT_FIELDS = frozenset({"line", "year", "month", "day", "declared_papers",
                         "declared_author_rows"})


def _check_scalar(name: str, value: Any, path: str) -> None:
    where = f"{path}.{name}"
    if name in _INT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ModelError(f"{where}: expected an integer, got {type(value).__name__}")
    elif not isinstance(value, str):
        raise ModelError(f"{where}: expected a string, got {type(value).__name__}")


def _build(cls: type[Any], data: Any, path: str) -> Any:
    """A model object from a JSON object whose values are all scalars."""
    if not isinstance(data, Mapping):
        raise ModelError(f"{path}: expected an object, got {type(data).__name__}")
    allowed = set(cls.__slots__)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ModelError(f"{path}: unknown key(s) {', '.join(unknown)}")
    for name, value in data.items():
        if value is not None:
            _check_scalar(name, value, path)
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING \
                and data.get(f.name) is None:
            kind = "integer" if f.name in _INT_FIELDS else "string"
            raise ModelError(f"{path}.{f.name}: required {kind}")
    return cls(**{k: v for k, v in data.items() if v is not None})


def _date(data: Any, path: str) -> Date:
    date: Date = _build(Date, data, path)
    if date.month is not None and not 1 <= date.month <= 12:
        raise ModelError(f"{path}.month: {date.month} is not a month (1-12)")
    if date.day is not None and (date.month is None or not 1 <= date.day <= 31):
        raise ModelError(f"{path}.day: {date.day} is not a day of a known month")
    return date


_INF = float("inf")


def _shown(key: str) -> str:
    """A key as a message shows it: characters that are not printable (line breaks, lone
    surrogates, which no terminal or UTF-8 stream takes) as Python escapes."""
    if key.isprintable():
        return key
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in key)


def _json_value(value: Any, path: str, depth: int = 0) -> None:
    """Check that an extra value is plain JSON data (no NaN, bounded nesting)."""
    if depth > 32:
        raise ModelError(f"{path}: nested too deeply")
    if isinstance(value, float) and (value != value or value in (_INF, -_INF)):
        raise ModelError(f"{path}: {value} is not JSON")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ModelError(f"{path}: keys must be strings")
            _json_value(item, f"{path}.{_shown(key)}", depth + 1)
    elif isinstance(value, (list, tuple)):  # a tuple is written as an array
        for i, item in enumerate(value):
            _json_value(item, f"{path}[{i}]", depth + 1)
    elif value is not None and not isinstance(value, (str, int, float, bool)):
        raise ModelError(f"{path}: not a JSON value")


def json_extra(extra: Mapping[Any, Any]) -> tuple[dict[str, Any], list[str]]:
    """The entries of a paper's ``extra`` that are plain JSON data (what the canonical
    JSON reader takes back: string keys, no NaN or infinity, nesting within bounds),
    and a description of each entry left out."""
    kept: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in extra.items():
        if not isinstance(key, str):
            problems.append(f"key {key!r} is not a string")
            continue
        try:
            _json_value(value, _shown(key), 1)
        except ModelError as exc:
            problems.append(str(exc))
            continue
        kept[key] = value
    return kept, problems


def paper_from_dict(data: Any, path: str = "$") -> Paper:
    """Rebuild a paper from its canonical JSON object.

    Every field is type-checked; a problem raises :class:`ModelError` (a
    :class:`BibconvError`) whose message starts with the JSON path of the bad value.
    """
    if not isinstance(data, Mapping):
        raise ModelError(f"{path}: expected an object, got {type(data).__name__}")
    fields = {k: v for k, v in data.items() if v is not None}
    unknown = sorted(set(fields) - set(Paper.__slots__))
    if unknown:
        raise ModelError(f"{path}: unknown key(s) {', '.join(unknown)}")
    if not isinstance(fields.get("title"), str):
        raise ModelError(f"{path}.title: required string")
    kind = fields.get("type", "article")
    if not isinstance(kind, str) or kind not in CSL_TYPES:
        raise ModelError(f"{path}.type: {kind!r} is not a CSL item type")
    for role in ("author", "editor"):
        if role in fields:
            if not isinstance(fields[role], list):
                raise ModelError(f"{path}.{role}: expected a list")
            fields[role] = tuple(
                _build(Person, p, f"{path}.{role}[{i}]") for i, p in enumerate(fields[role])
            )
    if "issued" in fields:
        fields["issued"] = _date(fields["issued"], f"{path}.issued")
    if "venue" in fields:
        fields["venue"] = _build(Venue, fields["venue"], f"{path}.venue")
    if "cluster" in fields:
        fields["cluster"] = _build(Cluster, fields["cluster"], f"{path}.cluster")
    if "keywords" in fields:
        keywords = fields["keywords"]
        if not isinstance(keywords, list):
            raise ModelError(f"{path}.keywords: expected a list of strings")
        for i, word in enumerate(keywords):
            if not isinstance(word, str):
                raise ModelError(f"{path}.keywords[{i}]: expected a string")
        fields["keywords"] = tuple(keywords)
    if "extra" in fields:
        if not isinstance(fields["extra"], Mapping):
            raise ModelError(f"{path}.extra: expected an object")
        _json_value(fields["extra"], f"{path}.extra")
    for name, value in fields.items():
        if name not in _STRUCTURED:
            _check_scalar(name, value, path)
    try:
        return Paper(**fields)
    except TypeError as exc:  # a missing required field the checks above did not name
        raise ModelError(f"{path}: {exc}") from exc


_STRUCTURED = frozenset({"author", "editor", "issued", "venue", "cluster", "keywords", "extra"})

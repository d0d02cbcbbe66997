"""Venue acronyms to full names, container titles and kinds, as data.

The table ships as ``bibconv/data/venues.json``. Users extend or override it with
their own files of the same shape (``--venues FILE`` on the command line, the
``BIBCONV_VENUES`` environment variable as a path list, or :func:`load_table`).
Lookup is by acronym or alias, case- and punctuation-insensitive, preferring the
entry whose kind matches the kind the page gave ("EAAI Journal" is the Elsevier
journal, "EAAI Symposium" the AAAI symposium). A venue not in the table passes
through unchanged.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import BibconvError
from .model import Venue

__all__ = ["KINDS", "VenueTable", "default_table", "load_table", "resolve_venue", "table_for"]

#: Venue kinds the table and the readers use.
KINDS: frozenset[str] = frozenset(
    {"conference", "journal", "workshop", "symposium", "preprint", "magazine", "series", "book"}
)
_REQUIRED = ("acronym", "kind", "name", "container_title")
# Kinds whose word is not repeated in the venue's name when the table does not know it.
_KIND_IMPLIED_BY_NAME = frozenset(
    {"conference", "journal", "preprint", "repository", "book", "series", "university",
     "school", "institution", "archive", "magazine", "newspaper"}
)
_PREFERRED_WHEN_UNKNOWN = ("conference", "journal", "symposium", "workshop", "preprint")


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z&+]", "", text.lower())


@dataclass(frozen=True, slots=True)
class VenueTable:
    """An immutable acronym index: normalised acronym -> kind -> Venue."""

    index: Mapping[str, Mapping[str, Venue]]

    def lookup(self, acronym: str, kind: str | None = None) -> Venue | None:
        """The table entry for an acronym, preferring one of the given kind."""
        by_kind = self.index.get(_norm(acronym))
        if not by_kind:
            return None
        if kind is not None and kind.lower() in by_kind:
            return by_kind[kind.lower()]
        if kind is not None and kind.lower() in ("symposium", "conference"):
            # Scraped kinds are coarse: a symposium may be filed as a conference. A
            # workshop is never its conference: its papers are not in the proceedings.
            for near in ("conference", "symposium"):
                if near in by_kind:
                    return by_kind[near]
        if kind is not None:
            # A venue of another kind under the same acronym is a different venue.
            return None
        for preferred in _PREFERRED_WHEN_UNKNOWN:
            if preferred in by_kind:
                return by_kind[preferred]
        return next(iter(by_kind.values()))

    def merged(self, other: VenueTable) -> VenueTable:
        """A table with ``other``'s entries added, overriding this one's on clashes."""
        index: dict[str, dict[str, Venue]] = {k: dict(v) for k, v in self.index.items()}
        for key, by_kind in other.index.items():
            index.setdefault(key, {}).update(by_kind)
        return VenueTable(index)

    def __len__(self) -> int:
        return len({id(v) for by_kind in self.index.values() for v in by_kind.values()})

    def venues(self) -> list[Venue]:
        """Every distinct venue in the table."""
        seen: dict[tuple[str | None, str | None, str], Venue] = {}
        for by_kind in self.index.values():
            for venue in by_kind.values():
                seen[(venue.short, venue.kind, venue.name)] = venue
        return list(seen.values())


def _build(entries: Iterable[Any], origin: str) -> VenueTable:
    index: dict[str, dict[str, Venue]] = {}
    for position, entry in enumerate(entries):
        where = f"{origin}: $.venues[{position}]"
        if not isinstance(entry, dict):
            raise BibconvError(f"{where}: expected an object")
        for key in _REQUIRED:
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise BibconvError(f"{where}.{key}: required non-empty string")
        kind = entry["kind"].lower()
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise BibconvError(f"{where}.aliases: expected a list of strings")
        venue = Venue(
            name=entry["name"],
            short=entry.get("short") or entry["acronym"],
            kind=kind,
            container_title=entry["container_title"],
            publisher=entry.get("publisher"),
            issn=entry.get("issn"),
        )
        for label in (entry["acronym"], *aliases):
            index.setdefault(_norm(label), {})[kind] = venue
    return VenueTable(index)


def load_table(source: str | os.PathLike[str] | Mapping[str, Any]) -> VenueTable:
    """Read a venue table from a JSON file (or an already parsed mapping)."""
    if isinstance(source, Mapping):
        data: Any = source
        origin = "<venues>"
    else:
        origin = os.fspath(source)
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BibconvError(f"{origin}: cannot read venue table: {exc}") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("venues"), list):
        raise BibconvError(f"{origin}: a venue table is an object with a 'venues' list")
    return _build(data["venues"], origin)


@lru_cache(maxsize=1)
def _builtin() -> VenueTable:
    text = resources.files("bibconv").joinpath("data/venues.json").read_text(encoding="utf-8")
    return load_table(json.loads(text))


def default_table() -> VenueTable:
    """The built-in table, extended by the files listed in ``BIBCONV_VENUES``."""
    table = _builtin()
    for path in filter(None, os.environ.get("BIBCONV_VENUES", "").split(os.pathsep)):
        table = table.merged(load_table(path))
    return table


def table_for(option: object) -> VenueTable:
    """The table a reader's ``venues`` option asks for: the default one, extended by a
    :class:`VenueTable` or a JSON file path when given."""
    table = default_table()
    if isinstance(option, VenueTable):
        return table.merged(option)
    if isinstance(option, (str, os.PathLike)) and os.fspath(option):
        return table.merged(load_table(option))
    return table


def resolve_venue(name: str, kind: str | None, table: VenueTable | None = None) -> Venue:
    """The venue for a scraped name and kind: the table's entry, or the name unchanged."""
    found = (table if table is not None else default_table()).lookup(name, kind)
    if found is not None:
        return found
    lowered = kind.lower() if kind else None
    if kind and lowered not in _KIND_IMPLIED_BY_NAME:
        # "NeurIPS Workshop", "Foo Colloquium": the kind word is part of how it is cited.
        # The name before it is no short form of the venue ("NeurIPS" is the conference,
        # not its workshop; "Journal of" of "Journal of Testing" is nothing at all).
        return Venue(name=f"{name} {kind}", short=None, kind=lowered)
    return Venue(name=name, short=None, kind=lowered)

"""The canonical paper model every reader produces and every writer consumes.

Field names follow CSL variables where CSL has one, because CSL-JSON is the pivot
format of the field (pandoc and citation-js use it the same way). The classes are
frozen, slotted dataclasses with no I/O: building one is cheap, and checking input is
the readers' job, where a problem can be reported with its position.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any, TypeVar

_T = TypeVar("_T")

__all__ = [
    "CSL_TYPES",
    "Cluster",
    "Date",
    "Paper",
    "Person",
    "Venue",
    "replace",
]

#: The item types of CSL 1.0.2; ``Paper.type`` always holds one of them.
CSL_TYPES: frozenset[str] = frozenset(
    {
        "article", "article-journal", "article-magazine", "article-newspaper", "bill",
        "book", "broadcast", "chapter", "classic", "collection", "dataset", "document",
        "entry", "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic",
        "hearing", "interview", "legal_case", "legislation", "manuscript", "map",
        "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
        "performance", "periodical", "personal_communication", "post", "post-weblog",
        "regulation", "report", "review", "review-book", "software", "song", "speech",
        "standard", "thesis", "treaty", "webpage",
    }
)

class _EmptyMapping(Mapping[str, Any]):
    """The read-only empty ``extra`` every paper shares; unlike MappingProxyType it pickles,
    so papers can cross process boundaries (``--jobs``)."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and not other

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "_EMPTY"


_EMPTY: Mapping[str, Any] = _EmptyMapping()


def _empty_extra() -> Mapping[str, Any]:
    # One shared read-only empty mapping: a million papers need no million dicts.
    return _EMPTY


class _Unset:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<unset>"


def _direct_init(cls: type[_T]) -> type[_T]:
    """Give a frozen, slotted dataclass an ``__init__`` that fills its slots directly.

    The ``__init__`` a frozen dataclass generates calls ``object.__setattr__`` by name
    for every field, which doubles the cost of building a paper: a reader builds
    millions. This one has the same signature, defaults and default factories, and
    calls each slot's own setter; instances stay frozen (the class's ``__setattr__``
    still refuses), equal and picklable as before.
    """
    params: list[str] = []
    body: list[str] = []
    env: dict[str, Any] = {"_UNSET": _Unset()}
    for index, item in enumerate(fields(cls)):  # type: ignore[arg-type]
        name = item.name
        env[f"_set{index}"] = cls.__dict__[name].__set__
        if item.default is not MISSING:
            env[f"_default{index}"] = item.default
            params.append(f"{name}=_default{index}")
        elif item.default_factory is not MISSING:
            env[f"_factory{index}"] = item.default_factory
            params.append(f"{name}=_UNSET")
            body.append(f"    if {name} is _UNSET:\n        {name} = _factory{index}()")
        else:
            params.append(name)
        body.append(f"    _set{index}(self, {name})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(source, env)  # the fields are our own identifiers, never input
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    setattr(cls, "__init__", init)  # noqa: B010 (mypy refuses assigning a method)
    return cls


@_direct_init
@dataclass(frozen=True, slots=True)
class Person:
    """A person or organisation named as author or editor.

    ``family``/``given``/``particle``/``suffix`` follow CSL's name parts
    (``particle`` is CSL's non-dropping particle, printed with the family name:
    "van" in "van Beethoven"; ``dropping_particle`` is dropped when sorting, as in
    "Jean de La Fontaine" for some styles). ``literal`` holds a name that must never
    be split: a mononym or an organisation. ``homonym`` is a DBLP-style
    disambiguation number ("0026" for "Bo Li 0026"): it tells people apart and is
    never printed as part of the name. ``orcid`` is the bare ORCID iD.
    """

    family: str | None = None
    given: str | None = None
    particle: str | None = None
    dropping_particle: str | None = None
    suffix: str | None = None
    literal: str | None = None
    homonym: str | None = None
    orcid: str | None = None

    @property
    def display_name(self) -> str:
        """The name as a reader would write it in running text ("Ludwig van Beethoven")."""
        if self.literal is not None:
            return self.literal
        parts = [self.given, self.dropping_particle, self.particle, self.family]
        name = " ".join(p for p in parts if p)
        if self.suffix:
            name = f"{name}, {self.suffix}" if name else self.suffix
        return name

    @property
    def sort_family(self) -> str:
        """The family name used for keys and sorting (literal for mononyms)."""
        return self.family if self.family is not None else (self.literal or "")


@dataclass(frozen=True, slots=True)
class Date:
    """A date with optional month and day, as CSL's date-parts hold it."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """ISO 8601 form at the precision known: ``2026``, ``2026-03`` or ``2026-03-07``."""
        text = f"{self.year:04d}" if self.year >= 0 else str(self.year)
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True, slots=True)
class Venue:
    """Where a paper appeared: a conference, journal, workshop, preprint server, ...

    ``name`` is the full venue name when known (from the venue table), else the name
    as read. ``short`` is the acronym or abbreviated title. ``container_title`` is what
    a citation prints as the container: the proceedings title for a conference, the
    journal title for a journal. ``kind`` is a lower-case word such as ``conference``,
    ``journal``, ``workshop``, ``symposium``, ``preprint``.
    """

    name: str
    short: str | None = None
    kind: str | None = None
    container_title: str | None = None
    publisher: str | None = None
    issn: str | None = None

    @property
    def title(self) -> str:
        """The container title to print: the proceedings or journal title, else the name."""
        return self.container_title or self.name


@dataclass(frozen=True, slots=True)
class Cluster:
    """A scraped author-name cluster: the page that listed a set of possible papers."""

    name: str
    site: str | None = None
    description: str | None = None
    declared_papers: int | None = None
    declared_author_rows: int | None = None
    origin: str | None = None
    line: int | None = None


@_direct_init
@dataclass(frozen=True, slots=True)
class Paper:
    """One bibliographic record.

    ``type`` is a CSL item type (``paper-conference``, ``article-journal``,
    ``chapter``, ...). ``genre`` keeps the publication type as the source named it
    ("Conference Paper"). ``origin`` and ``line`` say where the record was read;
    ``extra`` holds source fields nothing else holds, so a conversion loses nothing
    it could keep. ``id`` is the record's key in its source (a BibTeX key, a CSL id)
    when it had one.
    """

    title: str
    type: str = "article"
    author: tuple[Person, ...] = ()
    editor: tuple[Person, ...] = ()
    issued: Date | None = None
    venue: Venue | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    doi: str | None = None
    url: str | None = None
    isbn: str | None = None
    issn: str | None = None
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    language: str | None = None
    note: str | None = None
    genre: str | None = None
    id: str | None = None
    cluster: Cluster | None = None
    origin: str | None = None
    line: int | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty_extra)

    @property
    def year(self) -> int | None:
        """The year of issue, if known."""
        return self.issued.year if self.issued is not None else None

    @property
    def container_title(self) -> str | None:
        """The container title a citation prints, if the paper has a venue."""
        return self.venue.title if self.venue is not None else None


def field_names(cls: type) -> tuple[str, ...]:
    """The dataclass field names of a model class, in declaration order."""
    return tuple(f.name for f in fields(cls))

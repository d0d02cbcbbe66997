"""Reader for RIS (format ``ris``): exports of Zotero, EndNote, Mendeley, databases.

A record runs from ``TY`` to ``ER``. Lines that carry no tag continue the previous
value (EndNote wraps long abstracts that way). Tags are read the way Zotero's and
EndNote's importers read them, so what our RIS writer writes comes back in the same
fields. A record that never reaches ``ER`` (the next ``TY`` or the end of the file
comes first) is reported as an error with its line and skipped; well-formed tags
that RIS does not define are kept in ``Paper.extra`` (``ris-XX``) with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..diagnostics import Reporter
from ..model import Date, Paper, Person, Venue
from ..names import PARTICLES, parse_name
from ..plugin import Reader, TextSource
from ..text import fold_lines, strip_controls, strip_doi_prefix
from ..writers.ris import RIS_TYPES

__all__ = ["RISReader"]

_TAG = re.compile(r"^([A-Z][A-Z0-9])  ?-(?: (.*))?$")
_ISSN = re.compile(r"^\d{4}-?\d{3}[\dXx]$")
_DATE = re.compile(r"^\s*(-?\d{1,4})(?:[/-](\d{0,2})(?:[/-](\d{0,2}))?)?")

_TYPES: dict[str, str] = {ty: csl for csl, ty in RIS_TYPES.items()}
_TYPES.update({
    "CPAPER": "paper-conference", "EJOUR": "article-journal", "INPR": "article-journal",
    "ABST": "article-journal", "JOUR": "article-journal", "ECHAP": "chapter",
    "EBOOK": "book", "EDBOOK": "book", "CTLG": "book", "ELEC": "webpage", "ICOMM": "webpage",
    "UNPB": "article", "MANSCPT": "manuscript", "GEN": "document", "SER": "book",
    "STAND": "standard", "DBASE": "dataset", "AGGR": "dataset", "ANCIENT": "document",
    "CLSWK": "classic", "AUDIO": "song", "MUSIC": "musical_score", "GOVDOC": "report",
    "LEGAL": "legislation", "FIGURE": "figure", "CHART": "figure", "EQUA": "document",
    "NEWS": "article-newspaper", "MGZN": "article-magazine", "BLOG": "post-weblog",
    "WEB": "webpage", "MULTI": "document", "PRESS": "article-newspaper", "CONF": "paper-conference",
})
#: Tags of the RIS specification and of common exports that have no model field.
_KNOWN = frozenset(
    [
        "TY", "ID", "AU", "A1", "A2", "A3", "A4", "ED", "TI", "T1", "T2", "T3", "BT", "CT", "JO",
        "JF", "JA", "J1", "J2", "PY", "Y1", "DA", "Y2", "AB", "N2", "N1", "KW", "DO", "UR", "L1",
        "L2", "L3", "L4", "LK", "VL", "IS", "CP", "SP", "EP", "PB", "CY", "PP", "SN", "LA", "M1",
        "M2", "M3", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "CA", "CN", "DB", "DP", "ET",
        "NV", "OP", "RI", "RN", "RP", "SE", "ST", "TA", "TT", "U1", "U2", "U3", "U4", "U5", "AD",
        "AN", "LB", "ER"
    ]
)
_CONTAINER_KIND = {
    "article-journal": "journal", "paper-conference": "conference", "article": "preprint",
    "article-magazine": "magazine", "article-newspaper": "newspaper", "chapter": "book",
    "entry-encyclopedia": "book", "entry-dictionary": "book",
}


@dataclass
class _Record:
    """The tags of one record in order, with the line each tag started on."""

    line: int
    tags: list[tuple[str, str, int]] = field(default_factory=list)

    def first(self, *names: str) -> str | None:
        for name in names:
            for tag, value, _ in self.tags:
                if tag == name and value:
                    return value
        return None

    def all(self, *names: str) -> list[str]:
        return [value for tag, value, _ in self.tags if tag in names and value]


class RISReader(Reader):
    """Reads RIS records into the model."""

    name: ClassVar[str] = "ris"
    description: ClassVar[str] = "RIS (Zotero, EndNote, Mendeley, Web of Science, Scopus exports)"
    suffixes: ClassVar[tuple[str, ...]] = (".ris",)

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        """Recognise a ``TY  - `` line near the start."""
        if re.search(r"(?m)^\s*TY  ?- ", head[:4096].lstrip("\ufeff")):
            return 90
        return 30 if suffix == ".ris" else 0

    def read(self, source: TextSource) -> Iterator[Paper]:
        """Yield one paper per complete record; report and skip broken records."""
        reporter = source.reporter
        origin = source.origin
        record: _Record | None = None
        for lineno, raw in source.lines():
            line = raw.lstrip("\ufeff")
            match = _TAG.match(line.rstrip())
            if match is None:
                if not line.strip():
                    continue
                if record is not None and record.tags:
                    tag, value, start = record.tags[-1]
                    joiner = "\n" if tag in ("AB", "N1", "N2") else " "
                    record.tags[-1] = (tag, f"{value}{joiner}{line.strip()}", start)
                else:
                    reporter.warn("ris-syntax", "text outside a record ignored", origin, lineno)
                continue
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "TY":
                if record is not None:
                    reporter.error("ris-missing-er",
                                   "record has no ER line before the next TY; record skipped",
                                   origin, record.line)
                record = _Record(lineno, [(tag, value, lineno)])
            elif record is None:
                reporter.error("ris-syntax", f"{tag} tag outside a record (no TY before it); "
                               "ignored", origin, lineno)
            elif tag == "ER":
                paper = _convert(record, reporter, origin)
                if paper is not None:
                    yield paper
                record = None
            else:
                record.tags.append((tag, value, lineno))
        if record is not None:
            reporter.error("ris-missing-er", "record has no ER line (input ends first); "
                           "record skipped", origin, record.line)


def _convert(record: _Record, reporter: Reporter, origin: str) -> Paper | None:
    try:
        return _build(record, reporter, origin)
    except Exception as exc:  # hostile input must never end the run
        reporter.error("bad-record", f"record skipped: {type(exc).__name__}: {exc}",
                       origin, record.line)
        return None


def _person(text: str) -> Person:
    """An ``AU`` value: ``Family, Given, Suffix``, or a display-order name, or a literal."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 3 and parts[0]:
        # RIS order is Family, Given, Suffix (not BibTeX's Family, Suffix, Given).
        base = _family_given(parts[0], parts[1])
        return Person(family=base.family, given=parts[1] or None, particle=base.particle,
                      suffix=parts[2] or None)
    if len(parts) == 2 and parts[0] and parts[1]:
        # RIS is always Family, Given: never read "Smith, V" as a suffix.
        return _family_given(parts[0], parts[1])
    return parse_name(text)


def _people(values: list[str], reporter: Reporter, origin: str,
            line: int) -> tuple[Person, ...]:
    """The people of a record's name tags; a value that is no name ("—", "-") is
    skipped with a warning, not the whole record."""
    people: list[Person] = []
    for value in values:
        try:
            people.append(_person(value))
        except ValueError:
            reporter.warn("bad-name", f"name {value!r} is not a name; skipped", origin, line)
    return tuple(people)


def _family_given(family: str, given: str) -> Person:
    """Family part (leading lower-case particles split off) and given name."""
    words = family.split()
    particles: list[str] = []
    while len(words) > 1 and words[0].lower() in PARTICLES and words[0][:1].islower():
        particles.append(words.pop(0))
    return Person(family=" ".join(words), given=given, particle=" ".join(particles) or None)


def _date(record: _Record) -> Date | None:
    py = record.first("PY", "Y1")
    da = record.first("DA")
    year = month = day = None
    for text in (py, da):
        if not text:
            continue
        match = _DATE.match(text)
        if not match:
            continue
        year = year if year is not None else int(match.group(1))
        if match.group(2) and month is None and 1 <= int(match.group(2)) <= 12:
            month = int(match.group(2))
            if match.group(3) and 1 <= int(match.group(3)) <= 31:
                day = int(match.group(3))
    return Date(year, month, day) if year is not None else None


def _build(record: _Record, reporter: Reporter, origin: str) -> Paper | None:
    ty = record.tags[0][1].strip().upper()
    csl_type = _TYPES.get(ty)
    extra: dict[str, Any] = {}
    if csl_type is None:
        reporter.warn("unknown-type", f"unknown RIS type {ty!r}; read as a generic document",
                      origin, record.line)
        csl_type = "document"
        extra["ris-type"] = ty
    used = {"TY", "ID", "AU", "A1", "ED", "A2", "A3", "TI", "T1", "CT", "T2", "BT", "JO", "JF",
            "JA", "J1", "J2", "C3", "PY", "Y1", "DA", "AB", "N2", "N1", "KW", "DO", "UR", "VL",
            "IS", "CP", "SP", "EP", "PB", "CY", "PP", "SN", "LA", "M3"}
    authors = _people(record.all("AU", "A1"), reporter, origin, record.line)
    editor_tags = ("ED", "A3") if ty in ("BOOK", "EDBOOK") else ("ED", "A2")
    editors = _people(record.all(*editor_tags), reporter, origin, record.line)
    if ty in ("BOOK", "EDBOOK"):
        used.discard("A2")
    title = record.first("TI", "T1", "CT")
    if not title:
        reporter.warn("missing-title", "record has no title (TI)", origin, record.line)
    venue = _venue(record, csl_type)
    sp, ep = record.first("SP"), record.first("EP")
    page = f"{sp}-{ep}" if sp and ep and "-" not in sp else (sp or ep)
    isbn = issn = None
    for value in record.all("SN"):
        is_issn = _ISSN.match(value.strip())
        if is_issn and issn is None:
            issn = value.strip()
        elif isbn is None and not is_issn:  # a second ISSN is no ISBN
            isbn = value.strip()
        else:
            extra.setdefault("ris-SN", []).append(value)
    doi = record.first("DO")
    if doi:
        doi = strip_doi_prefix(doi)
    urls = record.all("UR")
    if len(urls) > 1:
        extra["ris-UR"] = urls[1:]
    abstract = record.first("AB", "N2")
    if record.first("AB") and record.first("N2") and record.first("N2") != abstract:
        extra["ris-N2"] = record.first("N2")
    notes = record.all("N1")
    genre = record.first("M3")
    for tag, value, lineno in record.tags:
        if tag in used:
            continue
        if tag not in _KNOWN:
            reporter.warn("unknown-tag", f"unknown RIS tag {tag}; kept in extra as ris-{tag}",
                          origin, lineno)
        extra.setdefault(f"ris-{tag}", []).append(value)
    for tag, variable in _AS_CSL.items():
        # Tags CSL has a variable for: kept under it, so CSL-JSON and BibTeX write them.
        values = extra.get(f"ris-{tag}")
        if values and len(values) == 1 and (one := _clean(values[0])):
            del extra[f"ris-{tag}"]
            extra[variable] = _access_date(one) if variable == "accessed" else one
    extra = {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in extra.items()}
    return Paper(
        title=_clean(title) or "",
        type=csl_type,
        author=authors,
        editor=editors,
        issued=_date(record),
        venue=venue,
        volume=_clean(record.first("VL")),
        issue=_clean(record.first("IS", "CP")),
        page=_clean(page),
        publisher=_clean(record.first("PB")),
        publisher_place=_clean(record.first("CY", "PP")),
        doi=doi or None,
        url=_clean(urls[0]) if urls else None,
        isbn=isbn,
        issn=issn,
        abstract=_paragraphs(abstract),
        keywords=tuple(k for k in (_clean(v) for v in record.all("KW")) if k),
        language=_clean(record.first("LA")),
        note=_paragraphs("\n\n".join(notes)) if notes else None,
        genre=_clean(genre),
        id=_clean(record.first("ID")),
        origin=origin,
        line=record.line,
        extra=extra or {},
    )


#: RIS tags with a CSL variable for the same thing (Zotero's RIS mapping).
_AS_CSL = {"ET": "edition", "T3": "collection-title", "Y2": "accessed"}


def _access_date(text: str) -> dict[str, Any]:
    """A CSL date object of an RIS date (``2021/03/04/``, ``2021-03-04``, ``2021``)."""
    match = re.match(r"\s*(\d{4})(?:[/-](\d{1,2})(?:[/-](\d{1,2}))?)?", text)
    if match is None:
        return {"raw": text}
    parts = [int(part) for part in match.groups() if part is not None]
    date: dict[str, Any] = {"date-parts": [parts]}
    if text != "/".join(str(part).zfill(2) for part in parts) + "/":
        date["raw"] = text  # as written, so that RIS gets it back as it was
    return date


def _clean(value: str | None) -> str | None:
    return fold_lines(strip_controls(value)) or None if value else None


def _paragraphs(value: str | None) -> str | None:
    if not value:
        return None
    paras = re.split(r"\n[ \t]*\n+", strip_controls(value))
    return "\n\n".join(p for p in (fold_lines(p) for p in paras) if p) or None


def _venue(record: _Record, csl_type: str) -> Venue | None:
    kind = _CONTAINER_KIND.get(csl_type)
    short = _clean(record.first("J2", "JA", "J1"))
    if short is None and record.first("T2", "JF"):
        # Zotero and EndNote read JO as the journal's abbreviation when T2 names it.
        short = _clean(record.first("JO"))
    if csl_type == "paper-conference":
        name = _clean(record.first("T2", "BT", "JO", "JF"))
        proceedings = _clean(record.first("C3"))
        if not name and not proceedings:
            return None
        return Venue(name=name or proceedings or "", short=short, kind=kind,
                     container_title=proceedings if proceedings != name else None)
    name = _clean(record.first("T2", "JF", "BT", "JO"))
    if name is None and record.first("JO") is None:
        name = short
    if not name:
        return None
    return Venue(name=name, short=short if short != name else None, kind=kind)

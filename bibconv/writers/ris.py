"""Writer for RIS (format ``ris``), the tagged format Zotero, Mendeley and EndNote import.

Conventions (the tags follow what Zotero's and EndNote's own RIS exports use, so
their importers put every value back in the right field):

* one ``TY`` per record from the CSL type (``CONF``, ``JOUR``, ``CHAP``, ``BOOK``,
  ``THES``, ``RPRT``, ``UNPB`` for preprints, ``GEN`` when RIS has no type);
* one ``AU`` per author in order, ``Family, Given, Suffix`` with the particle kept
  in the family part (``van Beethoven, Ludwig``); literals (organisations,
  mononyms) as written; editors as ``ED``;
* ``PY`` year, ``DA`` ``YYYY/MM/DD/`` when the month is known, ``TI`` title;
* the venue: ``T2`` full name (the journal, the book, or the conference's name),
  ``C3`` the proceedings title for conference papers, ``J2`` the short form.
  ``JO``/``JA`` are not written: Zotero imports ``JO`` as the *abbreviation*;
* ``AB``, ``DO``, ``UR``, ``VL``, ``IS``, ``SP``/``EP``, ``PB``, ``CY``, ``SN``
  (ISBN and ISSN), ``KW`` one per keyword, ``LA``, ``N1``, ``M3`` (the genre, for
  theses and reports only: Zotero reads ``M3`` as a DOI for other types), ``ID``
  from :mod:`bibconv.keys`, and ``ER  - `` closing each record;
* lines end in CRLF (the RIS specification's line end; every importer also
  accepts it), UTF-8 without a byte-order mark;
* RIS has no escaping, so every value is folded to one line: CR, LF, U+2028/2029,
  NEL and other line breaks become spaces, control characters are dropped. A value
  changed by folding (an abstract's paragraph breaks) is reported as ``lossy-field``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

from ..csl import CONFERENCE_KINDS, csl_date, iso_date
from ..diagnostics import Reporter
from ..keys import DEFAULT_PATTERN, KeyGenerator
from ..lossy import report_lossy
from ..model import Paper, Person
from ..plugin import Writer
from ..prerender import Layout
from ..pubtypes import csl_type_for
from ..text import strip_controls

__all__ = ["RIS_TYPES", "RISWriter", "ris_name"]

#: CSL type -> RIS ``TY``.
RIS_TYPES: dict[str, str] = {
    "article-journal": "JOUR",
    "paper-conference": "CONF",
    "chapter": "CHAP",
    "book": "BOOK",
    "collection": "EDBOOK",
    "thesis": "THES",
    "report": "RPRT",
    "article": "UNPB",
    "manuscript": "MANSCPT",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "software": "COMP",
    "patent": "PAT",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "map": "MAP",
    "graphic": "ART",
    "motion_picture": "MPCT",
    "song": "SOUND",
    "legal_case": "CASE",
    "bill": "BILL",
    "legislation": "STAT",
    "hearing": "HEAR",
    "personal_communication": "PCOMM",
    "pamphlet": "PAMP",
    "speech": "SLIDE",
    "standard": "STAND",
    "periodical": "JFULL",
    "broadcast": "VIDEO",
    "document": "GEN",
}
_GENRE_TYPES = frozenset({"thesis", "report", "manuscript", "webpage", "map"})
_BREAKS = re.compile("[\r\n\u2028\u2029\u0085\x0b\x0c]+")
_PAGE_RANGE = re.compile(r"^\s*([^\s\-–—,]+)\s*[-–—]+\s*([^\s\-–—,]+)\s*$")
#: An extra entry the RIS reader kept a tag in (``ris-XX``: a tag it has no field for,
#: or a repeat of one it has, such as a second SN or UR).
_KEPT_TAG = re.compile(r"ris-([A-Z][A-Z0-9])")
#: Tags a record holds once, written from the paper's own fields: a kept one would be a
#: second value the reader drops, so it is reported as lost instead.
_ONCE = frozenset({"TY", "ID", "ER", "TI", "PY", "DA", "T2", "C3", "J2", "VL", "IS", "SP",
                   "EP", "PB", "CY", "DO", "LA", "AB", "N1", "M3"})
_EOL = "\r\n"
#: Extra entries (CSL variables, BibTeX fields) with an RIS tag for the same thing.
_FROM_EXTRA = {"edition": "ET", "collection-title": "T3", "series": "T3", "accessed": "Y2",
               "urldate": "Y2"}


def _ris_date(date: Any) -> str | None:
    """A CSL date object as an RIS date (``2021/03/04/``), if it has date parts."""
    raw = date.get("raw") if isinstance(date, dict) else None
    if isinstance(raw, str) and raw.strip():
        return raw  # the RIS reader keeps a date's text when it was not written so
    iso = iso_date(date)
    return None if iso is None else iso.replace("-", "/") + "/"


def _fold(value: str) -> str:
    """One RIS-safe line: no line breaks, no controls, no leading/trailing spaces."""
    # Breaks first: NEL and VT are also controls, and must become spaces, not vanish.
    return strip_controls(_BREAKS.sub(" ", value)).strip()


def _folded(value: str) -> tuple[str, bool]:
    """``value`` as one RIS line, and whether line breaks inside it were lost.

    A printable value needs only stripping: every character :func:`_fold` replaces or
    drops (line breaks, controls, zero-width characters, noncharacters) is one that
    ``str.isprintable`` refuses (tests/test_ris_writer.py checks this).
    """
    if value.isprintable():
        return value.strip(), False
    return _fold(value), _BREAKS.search(value.strip()) is not None


_CACHE_LIMIT = 1 << 11


def ris_name(person: Person) -> str:
    """A person as RIS writes it: ``Family, Given, Suffix`` (particle in the family)."""
    if person.literal is not None:
        return person.literal
    family = " ".join(p for p in (person.dropping_particle, person.particle, person.family) if p)
    if person.suffix:
        return f"{family}, {person.given or ''}, {person.suffix}"
    return f"{family}, {person.given}" if person.given else family


#: Records one after another (each ends with its own blank line).
_RECORDS = Layout("", "", "", "")


class RISWriter(Writer):
    """Writes RIS records, one per paper, as they arrive (keys are planned first)."""

    name = "ris"
    description = "RIS (Zotero, Mendeley, EndNote, Papers, RefWorks)"
    suffixes = (".ris",)
    options = {
        "key_pattern": f"citation-key pattern for ID tags (default {DEFAULT_PATTERN})",
        "keep_ids": "keep keys the input already had (default true)",
    }

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # Per person (by id; the entry holds the person, so a reused id is noticed): the
        # folded name, and whether folding dropped line breaks. People recur across papers.
        self._names: dict[int, tuple[Person, str, bool]] = {}
        self._genres: dict[str, str | None] = {}  # genre -> its CSL type

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        """Write every paper as one RIS record."""
        keys = KeyGenerator(self.settings.get("key_pattern") or DEFAULT_PATTERN,
                            keep_ids=self.settings.get("keep_ids", True))
        keys.write(papers, self, out, reporter, _RECORDS)

    def render_entry(self, paper: Paper, key: str, reporter: Reporter) -> str:
        """One paper's record under ``key`` (see :mod:`bibconv.prerender`)."""
        return self.record(paper, key, reporter)

    def _name(self, person: Person) -> tuple[Person, str, bool]:
        found = self._names.get(id(person))
        if found is None or found[0] is not person:
            if len(self._names) >= _CACHE_LIMIT:
                self._names.clear()
            folded, broken = _folded(ris_name(person))
            found = self._names[id(person)] = (person, folded, broken)
        return found

    def _genre_type(self, genre: str) -> str | None:
        if genre not in self._genres:
            if len(self._genres) >= _CACHE_LIMIT:
                self._genres.clear()
            self._genres[genre] = csl_type_for(genre)
        return self._genres[genre]

    def record(self, paper: Paper, key: str, reporter: Reporter) -> str:
        """The text of one RIS record, CRLF line ends, with a blank line after it."""
        lines: list[str] = []
        lost: list[str] = []
        append = lines.append

        def tag(prefix: str, value: str | None, field: str) -> None:
            if not value:
                return
            if value.isprintable():  # the common case: nothing to fold (see _folded)
                folded = value.strip()
            else:
                folded, broken = _folded(value)
                if broken:
                    lost.append(f"{field} line breaks")
            if folded:
                append(prefix + folded)

        ty = RIS_TYPES.get(paper.type, "GEN")
        if ty == "GEN" and paper.type != "document":
            lost.append(f"type {paper.type}")
        append(f"TY  - {ty}")
        tag("ID  - ", key, "id")
        for role, tag_prefix, people in (("author", "AU  - ", paper.author),
                                         ("editor", "ED  - ", paper.editor)):
            for person in people:
                _, folded, broken = self._name(person)
                if folded:
                    append(tag_prefix + folded)
                if broken:
                    lost.append(f"{role} line breaks")
                if person.homonym:
                    lost.append("author homonym")
                if person.orcid:
                    lost.append("author orcid")
        tag("TI  - ", paper.title, "title")
        issued = paper.issued
        if issued is not None:
            tag("PY  - ", f"{issued.year:04d}" if issued.year >= 0 else str(issued.year),
                "issued")
            if issued.month is not None:
                day = f"{issued.day:02d}" if issued.day is not None else ""
                tag("DA  - ", f"{issued.year:04d}/{issued.month:02d}/{day}/", "issued")
        venue = paper.venue
        publisher = paper.publisher
        issn = paper.issn
        if venue is not None:
            if ty == "CONF":
                tag("T2  - ", venue.name, "venue")
                if venue.container_title and venue.container_title != venue.name:
                    tag("C3  - ", venue.container_title, "venue")
            else:
                tag("T2  - ", venue.title, "venue")
                if (venue.kind in CONFERENCE_KINDS and venue.container_title
                        and venue.name != venue.title):
                    lost.append("venue name")
            if venue.short and venue.short != venue.title:
                tag("J2  - ", venue.short, "venue")
            publisher = publisher or venue.publisher
            issn = issn or venue.issn
        tag("VL  - ", paper.volume, "volume")
        tag("IS  - ", paper.issue, "issue")
        if paper.page:
            match = _PAGE_RANGE.match(paper.page)
            if match:
                tag("SP  - ", match.group(1), "page")
                tag("EP  - ", match.group(2), "page")
            else:
                tag("SP  - ", paper.page, "page")
        tag("PB  - ", publisher, "publisher")
        tag("CY  - ", paper.publisher_place, "publisher_place")
        tag("SN  - ", paper.isbn, "isbn")
        tag("SN  - ", issn, "issn")
        tag("DO  - ", paper.doi, "doi")
        tag("UR  - ", paper.url, "url")
        tag("LA  - ", paper.language, "language")
        for keyword in paper.keywords:
            tag("KW  - ", keyword, "keywords")
        tag("AB  - ", paper.abstract, "abstract")
        tag("N1  - ", paper.note, "note")
        if paper.genre:
            if paper.type in _GENRE_TYPES:
                tag("M3  - ", paper.genre, "genre")
            else:
                genre_type = self._genre_type(paper.genre)
                if genre_type is None or genre_type != paper.type:
                    lost.append("genre")
        if paper.extra:
            for name, value in paper.extra.items():
                ris_tag = _FROM_EXTRA.get(name)
                if ris_tag is not None and f"ris-{ris_tag}" not in paper.extra:
                    # A field RIS holds under a tag of its own (a CSL or BibTeX source's).
                    held = (_ris_date(value if isinstance(value, dict) else csl_date(value))
                            if ris_tag == "Y2" and isinstance(value, (dict, str)) else value)
                    if isinstance(held, str) and held.strip():
                        tag(f"{ris_tag}  - ", held, f"extra.{name}")
                        continue
                match = _KEPT_TAG.fullmatch(name)
                values = [value] if type(value) is str else value
                if match and match.group(1) not in _ONCE and type(values) is list and all(
                        type(v) is str for v in values):
                    for one in values:  # the tags the RIS reader kept, written back
                        tag(f"{match.group(1)}  - ", one, f"extra.{name}")
                elif name != "ris-type" or value != ty:  # the original TY, if written
                    lost.append(f"extra.{name}")
        if lost:
            report_lossy(reporter, paper, lost, "RIS")
        append("ER  - \r\n\r\n")
        return "\r\n".join(lines)

"""Writers for BibTeX (format ``bibtex``) and BibLaTeX (format ``biblatex``).

The mapping from the model to entry types and fields is ours; escaping is ours too
(:mod:`bibconv.latex`), because bibtexparser's writer copies values verbatim and its
LaTeX-encoding middleware leaves ``$...$`` and URLs raw. The layout is bibtexparser
v2's: :func:`format_entry` writes each entry byte for byte as ``bibtexparser.write``
would (tests hold the two equal), one entry at a time, so output streams as papers
arrive, and :meth:`_BibWriter.entry` gives the same entry as a bibtexparser ``Entry``
whose values are already safe, brace-balanced LaTeX. bibtexparser itself is imported
only there: writing does not need it.

Fields a source entry had and the model does not hold (a paper's ``extra``: JabRef's
``file``, ``owner``, ``timestamp``, eprints, ``urldate``, ...) are written back when a
field of the dialect holds them (:meth:`_BibWriter._extras`), verbatim fields as they
were read; the others are reported as ``lossy-field``.

Citation keys come from :mod:`bibconv.keys`, which looks at the whole input once
(a light pass of two hashes per paper) so that keys do not depend on input order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from ..csl import BIBTEX_TO_CSL, CONFERENCE_KINDS, CSL_VARIABLES, iso_date
from ..diagnostics import Reporter
from ..errors import OptionError
from ..keys import DEFAULT_PATTERN, KeyGenerator
from ..latex import (
    VERBATIM_FIELDS,
    braces_balanced,
    langid,
    name_list,
    protect_title,
    to_latex,
    verbatim,
    verbatim_text,
)
from ..lossy import report_lossy
from ..model import Paper, Person
from ..plugin import Writer
from ..prerender import Layout

# What the BibTeX reader reads a preprint's server, a year, a date and a month from: its
# own rules (preprint servers, patterns, month parser), so the two cannot drift.
from ..readers.bibtex import _DATE as _DATE_START
from ..readers.bibtex import _PREPRINT_SERVERS
from ..readers.bibtex import _YEAR as _YEAR_NUMBER
from ..readers.bibtex import ENTRY_TYPES as _READER_TYPES
from ..readers.bibtex import _int_in as _reader_int_in
from ..readers.bibtex import _month as _reader_month
from ..text import fold_lines, strip_controls

if TYPE_CHECKING:
    from bibtexparser.model import Entry

__all__ = ["BibLaTeXWriter", "BibTeXWriter", "entry_type"]

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_PAGE_RANGE = re.compile(r"^\s*([^\s\-\u2010-\u2015]+)\s*(?:-+|[\u2010-\u2015])\s*([^\s\-]+)\s*$")
_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|10\.48550/arxiv\.)(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
#: Venue kinds that are preprint servers or repositories, not containers.
_PREPRINT_KINDS = frozenset({"preprint", "repository", "archive"})
_BIBTEX_TYPES: dict[str, str] = {
    "paper-conference": "inproceedings",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "review": "article",
    "review-book": "article",
    "chapter": "incollection",
    "entry-encyclopedia": "incollection",
    "entry-dictionary": "incollection",
    "book": "book",
    "classic": "book",
    "collection": "book",
    "report": "techreport",
    "thesis": "phdthesis",
}
_BIBLATEX_TYPES: dict[str, str] = {
    **_BIBTEX_TYPES,
    # Where biblatex has a closer type than classic BibTeX:
    "entry-encyclopedia": "inreference",
    "entry-dictionary": "inreference",
    "collection": "collection",
    "report": "report",
    "thesis": "thesis",
    "article": "online",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "manuscript": "unpublished",
    "periodical": "periodical",
}

# What each entry type requires (the standard styles' and biblatex's required fields).
# "a|b" means either will do.
_REQUIRED: dict[str, dict[str, tuple[str, ...]]] = {
    "bibtex": {
        "article": ("author", "title", "journal", "year"),
        "inproceedings": ("author", "title", "booktitle", "year"),
        "incollection": ("author", "title", "booktitle", "publisher", "year"),
        "book": ("author|editor", "title", "publisher", "year"),
        "phdthesis": ("author", "title", "school", "year"),
        "mastersthesis": ("author", "title", "school", "year"),
        "techreport": ("author", "title", "institution", "year"),
        "misc": ("title",),
    },
    "biblatex": {
        "article": ("author", "title", "journaltitle", "date"),
        "inproceedings": ("author", "title", "booktitle", "date"),
        "incollection": ("author", "title", "booktitle", "date"),
        "inreference": ("title", "booktitle", "date"),
        "book": ("author", "title", "date"),
        "collection": ("editor", "title", "date"),
        "thesis": ("author", "title", "type", "institution", "date"),
        "report": ("author", "title", "type", "institution", "date"),
        "online": ("author|editor", "title", "date", "url|doi|eprint"),
        "patent": ("author", "title", "number", "date"),
        "unpublished": ("author", "title", "date"),
        "periodical": ("editor", "title", "date"),
        "misc": ("author|editor", "title", "date"),
        "dataset": ("author|editor", "title", "date"),
        "software": ("author|editor", "title", "date"),
    },
}
# The same, split: each need as its options, and, where no need has an alternative,
# all the field names at once (checked in one C-level pass in the common case).
_REQUIRED_OPTIONS: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    dialect: {kind: tuple(tuple(need.split("|")) for need in needs)
              for kind, needs in kinds.items()}
    for dialect, kinds in _REQUIRED.items()
}
_REQUIRED_ALL: dict[str, dict[str, tuple[str, ...]]] = {
    dialect: {kind: needs for kind, needs in kinds.items()
              if not any("|" in need for need in needs)}
    for dialect, kinds in _REQUIRED.items()
}
# Why a required field can be missing, for the warning.
_SOURCE_OF = {
    "author": "the paper has no authors", "editor": "the paper has no editors",
    "journal": "the paper has no venue", "journaltitle": "the paper has no venue",
    "booktitle": "the paper has no venue", "year": "the paper has no date",
    "date": "the paper has no date", "publisher": "no publisher is known",
    "school": "no publisher or venue names the school",
    "institution": "no publisher or venue names the institution",
    "title": "the paper has no title", "number": "the paper has no number",
    "type": "the thesis or report type is unknown",
    "url": "the paper has no URL, DOI or eprint id",
}
# Field order in an entry: the order a careful human writes them in. Fields kept in a
# paper's extra that are not named here follow, in the order the paper holds them.
_ORDER = (
    "author", "editor", "title", "booktitle", "journal", "journaltitle", "shortjournal",
    "eventtitle", "series", "edition", "volume", "number", "issue", "chapter", "pages",
    "year", "month", "date", "publisher", "organization", "howpublished", "address",
    "location", "school", "institution", "type", "eprinttype", "archiveprefix", "eprint",
    "eprintclass", "primaryclass", "doi", "url", "urldate", "issn", "isbn", "keywords",
    "langid", "language", "abstract", "note",
)


class _Rank(dict[str, int]):
    """A field's place in an entry; every name not in :data:`_ORDER` comes after them all
    (and a stable sort keeps those in the order they were added)."""

    def __missing__(self, name: str) -> int:
        return len(_ORDER)


_RANK = _Rank({name: i for i, name in enumerate(_ORDER)})
_HOMONYM = attrgetter("homonym")
_ORCID = attrgetter("orcid")
#: Distinct venue and publisher names kept escaped per writer (emptied when full).
_VENUE_CACHE_MAX = 1 << 12

# --- fields kept in Paper.extra ------------------------------------------------------------

# A field name bibtex, biber, bibtexparser and bibconv all read the same way (they accept
# more; a name is case-insensitive, and the reader lowercases it).
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_.:-]*")
# Kept in extra by readers but not fields: the source entry type, "and others" flags, the
# RIS reader's tags (ris-XX), CSL-JSON's custom object.
_NOT_FIELDS = frozenset({"bibtex-type", "authors-truncated", "editors-truncated", "custom"})
# CSL-JSON variables (kept in extra by the CSL-JSON reader) that BibTeX and biblatex have no
# field of that name for: written as fields they would be ones no style knows. The names
# both share with one meaning are written back.
_CSL_ONLY = CSL_VARIABLES - {"abstract", "annote", "edition", "issue", "language", "note",
                             "number", "part", "title", "version", "volume"}
# The fields the BibTeX reader reads into the model (its _HANDLED, less the ones it keeps
# in extra when the model already holds one of their kind: number, language, date, year,
# month, day, school, institution, organization). Written from extra they would come back
# as something else, so an extra of one of these names is written only when the model
# already wrote the same value.
_MODEL_FIELDS = frozenset({
    "title", "subtitle", "titleaddon", "author", "editor", "journal", "journaltitle",
    "shortjournal", "journalabbr", "booktitle", "booksubtitle", "eventtitle", "volume",
    "issue", "pages", "publisher", "address", "location", "doi", "url", "abstract",
    "keywords", "langid", "note", "isbn", "issn", "type", "crossref", "genre",
})
# Renamed fields: biber's default source map for BibTeX data (biblatex.def), and its
# reverse for classic BibTeX, whose eprint-aware styles read archiveprefix/primaryclass.
# (hyphenation stays as it is: biber maps it to langid, a model field.)
_TO_BIBLATEX = {"annote": "annotation", "archiveprefix": "eprinttype",
                "primaryclass": "eprintclass", "school": "institution", "pdf": "file",
                "key": "sortkey"}
_TO_BIBTEX = {"annotation": "annote", "eprinttype": "archiveprefix",
              "eprintclass": "primaryclass", "sortkey": "key"}
# CSL variables (kept in extra by the CSL-JSON reader) and the fields that hold them.
_FROM_CSL = {csl_name: name for name, csl_name in BIBTEX_TO_CSL.items() if name != "year"}
# Extras written as held, not LaTeX-escaped: the verbatim fields, and the date parts the
# reader keeps as written when it cannot read them.
_AS_HELD = VERBATIM_FIELDS | {"date", "month", "day"}
# A backslash and what it escapes, read left to right (so ``\\U`` is an escaped
# backslash before a U, not a control word).
_ESCAPE = re.compile(r"\\(.?)", re.DOTALL)
_ESCAPED_BRACE = re.compile(r"\\[{}]")
# Where the BibTeX reader looks for a publisher, in its order: the first it finds is the
# paper's publisher, and any later one is kept in extra.
_PUBLISHER_FIELDS = ("publisher", "school", "institution", "organization")
# The entry types each dialect has (classic BibTeX's standard styles'; biblatex's data
# model with the aliases biber reads), for the source type kept in extra["bibtex-type"].
_BIBTEX_ENTRY_TYPES = frozenset({
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings",
    "manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport",
    "unpublished"})
_BIBLATEX_ENTRY_TYPES = frozenset({
    "article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "booklet", "collection",
    "mvcollection", "incollection", "suppcollection", "dataset", "manual", "misc", "online",
    "patent", "periodical", "suppperiodical", "proceedings", "mvproceedings",
    "inproceedings", "reference", "mvreference", "inreference", "report", "software",
    "thesis", "unpublished", "conference", "electronic", "mastersthesis", "phdthesis",
    "techreport", "www"})

def _held_value(value: str) -> str | None:
    """A value (folded) written as held, as a verbatim field's is, or None when it cannot be written
    safely: braces that do not balance (as BibTeX counts them, escaped ones included, and
    as bibtexparser does, which skips a brace after a backslash), a backslash at its end
    (it would escape the closing brace), or what LaTeX would run if a style printed the
    field: a control word (a backslash before a letter) or a ``^^`` character code."""
    if not value or "^^" in value:
        return None
    if "\\" in value:
        if value.endswith("\\"):
            return None
        for match in _ESCAPE.finditer(value):
            escaped = match.group(1)
            if escaped.isalpha() or escaped == "@":
                return None
    if ("{" in value or "}" in value) and not (
            braces_balanced(value) and braces_balanced(_ESCAPED_BRACE.sub("", value))):
        return None
    return value


def _reads_as_month(text: str) -> bool:
    """Whether the BibTeX reader takes this month text for a month (the model holds it)."""
    return _reader_month(text, text) is not None


def _date_read(date: str) -> tuple[int, int | None, int | None] | None:
    """The (year, month, day) the BibTeX reader reads from a date text, or None when it
    cannot read it (and keeps the text in extra)."""
    match = _DATE_START.match(date)
    if match is None:
        return None
    month = _reader_int_in(match.group(2) or "", 1, 12)
    day = _reader_int_in(match.group(3) or "", 1, 31) if month else None
    return int(match.group(1)), month, day


def entry_type(paper: Paper, dialect: str) -> str:
    """The entry type a paper is written as in ``bibtex`` or ``biblatex``."""
    if dialect == "biblatex":
        return _BIBLATEX_TYPES.get(paper.type, "misc")
    kind = _BIBTEX_TYPES.get(paper.type, "misc")
    if kind == "phdthesis" and paper.genre and "master" in paper.genre.lower():
        return "mastersthesis"
    return kind


# Genres a biblatex localisation key says exactly (the bibtex reader reads the keys back
# as these words, so the genre survives a round trip); any other genre is written as is.
_GENRE_KEYS = {"PhD Thesis": "phdthesis", "Master's Thesis": "mathesis",
               "Technical Report": "techreport", "Research Report": "resreport"}


def _thesis_type(paper: Paper) -> str:
    genre = (paper.genre or "").lower()
    if "master" in genre:
        return "mathesis"
    if "bachelor" in genre:
        return "Bachelor's thesis"
    return "phdthesis"


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise OptionError(f"option {name} takes true or false, not {value!r}")


def _pages(page: str) -> str:
    """Pages with the range dash as BibTeX's ``--``."""
    match = _PAGE_RANGE.match(page)
    if match:
        return f"{to_latex(match.group(1))}--{to_latex(match.group(2))}"
    return to_latex(page)


def format_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    """One entry laid out exactly as bibtexparser's writer lays it out (two-space
    indent, ``name = value``, no trailing comma).

    bibtexparser builds a Library and walks it for every entry, which costs more than
    all of our mapping; a test keeps this byte-identical to ``bibtexparser.write``
    on the example, a hostile corpus and generated papers.
    """
    body = ",\n".join([f"  {name} = {value}" for name, value in fields])
    return f"@{kind}{{{key},\n{body}\n}}\n" if fields else f"@{kind}{{{key},\n}}\n"


def _wrap(name: str, value: str) -> str:
    """A field value as written: braced, except a month macro."""
    if name == "month":
        return value  # a BibTeX month macro (jan), unbraced so styles localise it
    if not braces_balanced(value):  # cannot happen with bibconv.latex; never risk it
        value = to_latex(value.replace("{", "(").replace("}", ")"))
    return "{" + value + "}"


def _layout(kind: str, key: str, values: dict[str, str]) -> str:
    """``format_entry(kind, key, fields)`` of the fields :meth:`_BibWriter.fields` makes
    of these values, in one pass: what writing does for every paper."""
    if not values:
        return f"@{kind}{{{key},\n}}\n"
    lines = []
    for name in sorted(values, key=_RANK.__getitem__):
        value = values[name]
        if name == "month" or "{" in value or "}" in value:
            lines.append(f"  {name} = {_wrap(name, value)}")
        else:
            lines.append(f"  {name} = {{{value}}}")
    body = ",\n".join(lines)
    return f"@{kind}{{{key},\n{body}\n}}\n"


#: Entries one after another, a blank line between two.
_ENTRIES = Layout("", "", "\n", "")


class _BibWriter(Writer):
    """The shared mapping; subclasses name the dialect."""

    dialect: ClassVar[str] = "bibtex"
    options = {
        "key_pattern": f"citation-key pattern (default {DEFAULT_PATTERN})",
        "keep_ids": "keep keys the input already had (default true)",
        "ascii": "write ASCII with LaTeX accent macros instead of UTF-8 (default false)",
        "venue_form": "container title: 'full' (default, e.g. Proceedings of the AAAI "
                      "Conference on Artificial Intelligence) or 'short' (AAAI)",
    }

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._ascii = _flag("ascii", self.settings.get("ascii", False))
        self._keep_ids = _flag("keep_ids", self.settings.get("keep_ids", True))
        self._venue_form = str(self.settings.get("venue_form") or "full").lower()
        if self._venue_form not in ("full", "short"):
            raise OptionError(
                f"option venue_form takes 'full' or 'short', not {self._venue_form!r}")
        # Fail on a bad key pattern now (a usage error), not after reading the input.
        self._keys = KeyGenerator(self.settings.get("key_pattern") or DEFAULT_PATTERN,
                                  keep_ids=self._keep_ids)
        # Characters entry() could not spell in ASCII; reset for every entry.
        self._sink: set[str] = set()
        # Escaped venue and publisher names, for UTF-8 output (see _venue_text).
        self._venue_cache: dict[str, str] = {}

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        self._keys.write(papers, self, out, reporter, _ENTRIES)

    def render_entry(self, paper: Paper, key: str, reporter: Reporter) -> str:
        """The text of one paper's entry under ``key`` (see :mod:`bibconv.prerender`)."""
        return _layout(*self._values(paper, key, reporter))

    # --- mapping ----------------------------------------------------------------------

    def entry(self, paper: Paper, key: str, reporter: Reporter) -> Entry:
        """The bibtexparser entry of one paper, with every value escaped and braced."""
        from bibtexparser.model import Entry, Field

        kind, key, fields = self.fields(paper, key, reporter)
        return Entry(kind, key, [Field(name, value) for name, value in fields])

    def fields(self, paper: Paper, key: str,
               reporter: Reporter) -> tuple[str, str, list[tuple[str, str]]]:
        """Entry type, key and (field, braced value) pairs of one paper, in output order."""
        kind, key, values = self._values(paper, key, reporter)
        return kind, key, [(name, _wrap(name, values[name]))
                           for name in sorted(values, key=_RANK.__getitem__)]

    def _values(self, paper: Paper, key: str,
                reporter: Reporter) -> tuple[str, str, dict[str, str]]:
        """Entry type, key and escaped (unbraced) field values of one paper; diagnostics."""
        unencodable: set[str] = set()
        self._sink = unencodable
        self._dropped: list[str] = []
        kind = entry_type(paper, self.dialect)
        values: dict[str, str] = {}
        self._people(paper, values, unencodable)
        if paper.title:
            values["title"] = protect_title(paper.title, ascii=self._ascii,
                                            unencodable=unencodable)
        self._container(paper, kind, values)
        self._date(paper, values)
        self._numbers(paper, values)
        self._publisher(paper, kind, values)
        self._identifiers(paper, kind, values)
        self._text_fields(paper, values)
        if paper.extra:
            self._extras(paper, kind, values)
            kind = self._source_type(paper, kind, values)
        self._report_lossy(paper)
        label = "BibLaTeX" if self.dialect == "biblatex" else "BibTeX"
        if self._dropped:
            report_lossy(reporter, paper, self._dropped, label, key=key)
        if unencodable:
            chars = ", ".join(repr(c) for c in sorted(unencodable))
            reporter.warn("unencodable",
                          f"{key}: no ASCII LaTeX spelling for {chars}; kept as UTF-8",
                          paper.origin, paper.line)
        self._check_required(paper, key, kind, values, reporter)
        return kind, key, values

    def _text(self, text: str) -> str:
        """Escape one value; characters with no ASCII spelling go to this entry's sink."""
        return to_latex(text, ascii=self._ascii, unencodable=self._sink)

    def _venue_text(self, text: str) -> str:
        """:meth:`_text` of a venue's or publisher's name, which recur all over a corpus."""
        if self._ascii:
            return to_latex(text, ascii=True, unencodable=self._sink)
        # UTF-8 output reports nothing, so the result depends on the text alone.
        cache = self._venue_cache
        escaped = cache.get(text)
        if escaped is None:
            escaped = to_latex(text)
            if len(cache) >= _VENUE_CACHE_MAX:
                cache.clear()
            cache[text] = escaped
        return escaped

    def _people(self, paper: Paper, values: dict[str, str], unencodable: set[str]) -> None:
        extra = paper.extra  # usually the shared empty mapping, whose get() is slow
        others = bool(extra) and bool(extra.get("authors-truncated"))
        if paper.author or others:
            values["author"] = name_list(paper.author, ascii=self._ascii, others=others,
                                         unencodable=unencodable)
        others = bool(extra) and bool(extra.get("editors-truncated"))
        if paper.editor or others:
            values["editor"] = name_list(paper.editor, ascii=self._ascii, others=others,
                                         unencodable=unencodable)

    def _venue_title(self, paper: Paper) -> str | None:
        venue = paper.venue
        if venue is None:
            return None
        if self._venue_form == "short" and venue.short:
            return venue.short
        return venue.title

    def _container(self, paper: Paper, kind: str, values: dict[str, str]) -> None:
        venue = paper.venue
        title = self._venue_title(paper)
        if venue is None or title is None:
            return
        biblatex = self.dialect == "biblatex"
        text = self._venue_text(title)
        if kind in ("inproceedings", "incollection", "inreference"):
            values["booktitle"] = text
            # eventtitle is biblatex's field; classic BibTeX styles ignore it, while
            # JabRef, pandoc and bibconv read it back, so it is written for both.
            if venue.kind in CONFERENCE_KINDS and venue.name != title:
                values["eventtitle"] = self._venue_text(venue.name)
            if venue.short and venue.short != title and venue.short != venue.name:
                self._dropped.append("short venue title")
        elif kind == "article":
            values["journaltitle" if biblatex else "journal"] = text
            if venue.short and venue.short != title:
                values["shortjournal"] = self._venue_text(venue.short)
        elif kind in ("phdthesis", "mastersthesis", "techreport", "thesis", "report"):
            if not (paper.publisher or venue.publisher):
                values["school" if kind.endswith("thesis") and not biblatex
                       else "institution"] = text
        elif kind == "book" or kind == "collection":
            values["series"] = text
        elif kind == "online":
            self._eprint(paper, values)
            if "eprint" not in values and not (
                    paper.extra and self._server_kept(paper, venue.name)):
                values["organization"] = text
        elif not (paper.extra and self._server_kept(paper, venue.name)):
            values["howpublished"] = text

    @staticmethod
    def _server_kept(paper: Paper, name: str) -> bool:
        """Whether a preprint's server is the ``eprinttype`` (or ``archiveprefix``) its
        extra keeps, which is written back and which the reader reads it from."""
        extra = paper.extra
        if paper.type != "article":
            return False
        for field in ("eprinttype", "archiveprefix"):
            server = extra.get(field)
            if isinstance(server, str) and server.strip().lower() in _PREPRINT_SERVERS:
                return fold_lines(strip_controls(server)) == name
        return False

    def _eprint(self, paper: Paper, values: dict[str, str]) -> None:
        if paper.extra and isinstance(paper.extra.get("eprint"), str):
            return  # the eprint the source gave is written back as it was
        for where in (paper.url, paper.doi):
            match = _ARXIV.search(where or "")
            if match:
                values["eprinttype"] = "arxiv"
                values["eprint"] = verbatim(match.group(1))
                return

    def _date(self, paper: Paper, values: dict[str, str]) -> None:
        issued = paper.issued
        if issued is None:
            return
        if self.dialect == "biblatex":
            values["date"] = issued.iso()
            return
        values["year"] = str(issued.year)
        if issued.month is not None and 1 <= issued.month <= 12:
            values["month"] = _MONTHS[issued.month - 1]
        if issued.day is not None:
            self._dropped.append("the day of the date")

    def _numbers(self, paper: Paper, values: dict[str, str]) -> None:
        if paper.volume:
            values["volume"] = self._text(paper.volume)
        if paper.issue:
            values["number"] = self._text(paper.issue)
        if paper.page:
            values["pages"] = _pages(paper.page)

    def _publisher(self, paper: Paper, kind: str, values: dict[str, str]) -> None:
        venue = paper.venue
        publisher = paper.publisher or (venue.publisher if venue is not None else None)
        biblatex = self.dialect == "biblatex"
        if publisher:
            if kind in ("phdthesis", "mastersthesis"):
                values["school"] = self._text(publisher)
            elif kind in ("techreport", "thesis", "report"):
                values["institution"] = self._text(publisher)
            elif kind in ("online", "article", "patent", "unpublished", "periodical"):
                if kind == "online" and "organization" not in values:
                    values["organization"] = self._text(publisher)
                elif not biblatex:
                    # Classic styles ignore it, but JabRef, pandoc and bibconv read it.
                    values["publisher"] = self._text(publisher)
                elif kind != "online":
                    self._dropped.append("publisher")  # not in biblatex's data model here
            else:
                values["publisher"] = self._venue_text(publisher)
        if biblatex and kind in ("thesis", "report"):
            # A localisation key when the genre is a standard one, so biblatex prints it
            # in the document's language; otherwise the genre as written.
            if paper.genre in _GENRE_KEYS:
                values["type"] = _GENRE_KEYS[paper.genre]
            elif paper.genre:
                values["type"] = self._text(paper.genre)
            else:
                values["type"] = _thesis_type(paper) if kind == "thesis" else "techreport"
        elif paper.genre and kind in ("techreport", "phdthesis", "mastersthesis"):
            # BibTeX styles print a `type` instead of their default "Technical Report".
            values["type"] = self._text(paper.genre)
        if paper.publisher_place:
            values["location" if biblatex else "address"] = self._text(paper.publisher_place)

    def _identifiers(self, paper: Paper, kind: str, values: dict[str, str]) -> None:
        if paper.doi:
            values["doi"] = verbatim(paper.doi)
        if paper.url:
            values["url"] = verbatim(paper.url)
        issn = paper.issn or (paper.venue.issn if paper.venue is not None else None)
        if issn and (kind in ("article", "periodical") or self.dialect == "bibtex"):
            values["issn"] = self._text(issn)
        if paper.isbn and kind not in ("article", "online"):
            values["isbn"] = self._text(paper.isbn)

    def _text_fields(self, paper: Paper, values: dict[str, str]) -> None:
        if paper.keywords:
            values["keywords"] = ", ".join(self._text(k) for k in paper.keywords)
        if paper.abstract:
            values["abstract"] = self._text(paper.abstract)
        if paper.note:
            values["note"] = self._text(paper.note)
        if paper.language:
            name = langid(paper.language)
            if self.dialect == "bibtex":
                # Free text in BibTeX (babelbib and others read a babel name there).
                values["language"] = name or self._text(paper.language)
            elif name:
                values["langid"] = name
            else:
                self._dropped.append("the language")

    # --- diagnostics --------------------------------------------------------------------

    def _report_lossy(self, paper: Paper) -> None:
        """Note the fields of people and extras that no BibTeX field holds."""
        people: tuple[Person, ...] = paper.author + paper.editor if paper.editor else paper.author
        if any(map(_HOMONYM, people)):
            self._dropped.append("author homonym numbers")
        if any(map(_ORCID, people)):
            self._dropped.append("author ORCID iDs")
        # The cluster is provenance, like origin and line: only the json format keeps it.
        # What paper.extra holds is written or noted by _extras.

    # --- fields kept in extra -----------------------------------------------------------

    def _source_type(self, paper: Paper, kind: str, values: dict[str, str]) -> str:
        """The entry type to write: the one the source had (kept in
        ``extra["bibtex-type"]``: ``@inbook``, ``@proceedings``, ``@manual``, ...) when
        this dialect has it and the reader reads it as the paper's type, else ``kind``.
        The fields are those of ``kind`` either way (the two mean the same type), but
        the ``type`` biblatex's ``@report`` needs, which another type does not."""
        if "bibtex-type" not in paper.extra:
            return kind
        source = paper.extra["bibtex-type"]
        types = _BIBLATEX_ENTRY_TYPES if self.dialect == "biblatex" else _BIBTEX_ENTRY_TYPES
        # (As the reader keeps it: a type name in lower case, so it reads back the same.)
        if not isinstance(source, str) or source == kind or not (
                source in types and _READER_TYPES.get(source) == paper.type):
            self._dropped.append("extra field 'bibtex-type'")
            return kind
        if kind == "report" and not paper.genre and values.get("type") == "techreport":
            del values["type"]
        return source

    def _extras(self, paper: Paper, kind: str, values: dict[str, str]) -> None:
        """Write back each extra entry that a field of this dialect holds, under its name
        (or the dialect's name for it); note every other one as dropped.

        A field the model already wrote wins; an extra of the same name and value is not
        a loss. Verbatim fields (and the date parts the reader could not read) are
        written as held, everything else escaped like every other value.
        """
        rename = _TO_BIBLATEX if self.dialect == "biblatex" else _TO_BIBTEX
        for name, value in paper.extra.items():
            if name in ("authors-truncated", "editors-truncated", "bibtex-type"):
                continue  # written as "and others", or as the entry type (_source_type)
            if name in _FROM_CSL and _FROM_CSL[name] not in paper.extra:
                # A CSL variable a BibLaTeX field holds (a CSL-JSON source's): under
                # that field's name, a date as ISO 8601 (what the reader reads back).
                held = iso_date(value) if isinstance(value, dict) else value
                if held is not None:
                    name, value = _FROM_CSL[name], held
            if (isinstance(value, bool) or not isinstance(value, (str, int))
                    or name in _NOT_FIELDS or name in _CSL_ONLY or name.startswith("ris-")
                    or not _FIELD_NAME.fullmatch(name)):
                self._dropped.append(f"extra field {name!r}")
                continue
            field = rename.get(name, name)
            text = str(value)
            written: str | None
            if field not in _AS_HELD:
                written = self._text(text)
            elif field == "month":  # kept folded, as the reader folds it
                written = _held_value(fold_lines(strip_controls(text)))
            else:
                written = _held_value(verbatim_text(text))
            if not written or not self._place(paper, kind, field, text, written, values):
                self._dropped.append(f"extra field {name!r}")

    def _place(self, paper: Paper, kind: str, field: str, text: str, written: str,
               values: dict[str, str]) -> bool:
        """Put one extra field into ``values`` when the entry can hold it and the reader
        reads it back as the same extra; whether it is held (written, or already there)."""
        biblatex = self.dialect == "biblatex"
        present = values.get(field)
        if present is not None:
            if present == written or (field == "eprinttype"
                                      and present.casefold() == written.casefold()):
                return True
            if field == "number" and paper.issue and "issue" not in values:
                # The reader keeps number in extra when an issue is there: write both.
                values["issue"] = present
                values["number"] = written
                return True
            if field == "date" and biblatex and ("/" in written or "T" in written):
                # A range (or a time): the model holds its start, the extra all of it.
                issued = paper.issued
                if issued is not None and _date_read(written) == (
                        issued.year, issued.month, issued.day):
                    values["date"] = written
                    return True
            return False
        if field in _MODEL_FIELDS:
            return False  # it would be read back into the model, not into extra
        if field == "date":
            # biblatex: a date the reader cannot read, for a paper without one (classic
            # BibTeX has year and month, and a date beside them would contradict them).
            if not (biblatex and paper.issued is None and _date_read(written) is None):
                return False
        elif field == "year":
            if paper.issued is not None or _YEAR_NUMBER.match(fold_lines(strip_controls(text))):
                return False  # the reader would read it as the paper's year
        elif field == "month":
            # A month BibTeX styles print as written (braced, not a macro); biblatex's month
            # is a number, and the date holds it.
            issued = paper.issued
            if (biblatex or issued is None or issued.month is not None
                    or _reads_as_month(written)):
                return False
            written = "{" + written + "}"
        elif field == "day" or field == "number":
            # No day field (biber drops it); a number with no issue is read as the issue.
            return False
        elif field in ("school", "institution", "organization"):
            # The reader takes the first of publisher, school, institution, organization
            # it finds as the publisher (organization of a conference paper excepted).
            first = next((f for f in _PUBLISHER_FIELDS if f in values), None)
            if not (first is not None and _PUBLISHER_FIELDS.index(first)
                    < _PUBLISHER_FIELDS.index(field)) and not (
                    field == "organization" and paper.type == "paper-conference"):
                return False
        elif field == "language":
            if "langid" not in values:
                return False  # the reader would read it as the paper's language
        elif field == "entrysubtype":
            if kind == "article":
                return False  # it would make the article a magazine or newspaper one
        elif field in ("eprinttype", "archiveprefix", "howpublished"):
            if paper.type == "article":
                # The reader reads a preprint's server from eprinttype, archiveprefix or
                # howpublished: a server written must be the paper's.
                venue = paper.venue
                if venue is None or (field != "howpublished"
                                     and fold_lines(strip_controls(text)) != venue.name):
                    return False
            elif (field != "howpublished" and kind in ("misc", "online", "unpublished")
                  and written.strip().lower() in _PREPRINT_SERVERS):
                return False  # it would make the entry a preprint
        values[field] = written
        return True

    def _check_required(self, paper: Paper, key: str, kind: str, values: dict[str, str],
                        reporter: Reporter) -> None:
        names = _REQUIRED_ALL[self.dialect].get(kind)
        if names is not None and all(map(values.get, names)):
            return  # every required field is there and not empty
        for options in _REQUIRED_OPTIONS[self.dialect].get(kind, ()):
            for option in options:
                if values.get(option):
                    break
            else:
                reason = _SOURCE_OF.get(options[0], "no data")
                reporter.warn("missing-field",
                              f"{key}: @{kind} requires {' or '.join(options)} ({reason}); "
                              "written without it", paper.origin, paper.line)


class BibTeXWriter(_BibWriter):
    """Writes classic BibTeX (``@inproceedings``, ``journal``, ``year``...)."""

    name = "bibtex"
    description = "BibTeX (.bib for bibtex, natbib, JabRef, Zotero, Mendeley)"
    suffixes = (".bib", ".bibtex")
    dialect = "bibtex"


class BibLaTeXWriter(_BibWriter):
    """Writes BibLaTeX for biber (``date``, ``journaltitle``, ``eventtitle``, ``@online``)."""

    name = "biblatex"
    description = "BibLaTeX (.bib for biblatex with biber)"
    suffixes = (".biblatex",)
    dialect = "biblatex"

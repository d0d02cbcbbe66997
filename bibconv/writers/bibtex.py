"""Writers for BibTeX (format ``bibtex``) and BibLaTeX (format ``biblatex``).

The mapping from the model to entry types and fields is ours; escaping is ours too
(:mod:`bibconv.latex`), because bibtexparser's writer copies values verbatim and its
LaTeX-encoding middleware leaves ``$...$`` and URLs raw. The layout is bibtexparser
v2's: :func:`format_entry` writes each entry byte for byte as ``bibtexparser.write``
would (tests hold the two equal), one entry at a time, so output streams as papers
arrive, and :meth:`_BibWriter.entry` gives the same entry as a bibtexparser ``Entry``
whose values are already safe, brace-balanced LaTeX. bibtexparser itself is imported
only there: writing does not need it.

Citation keys come from :mod:`bibconv.keys`, which looks at the whole input once
(a light pass of two hashes per paper) so that keys do not depend on input order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from ..csl import CONFERENCE_KINDS
from ..diagnostics import Reporter
from ..errors import OptionError
from ..keys import DEFAULT_PATTERN, KeyGenerator
from ..latex import braces_balanced, name_list, protect_title, to_latex, verbatim
from ..lossy import report_lossy
from ..model import Paper, Person
from ..plugin import Writer
from ..prerender import Layout

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
#: Two-letter language codes -> the babel/polyglossia names BibLaTeX's langid takes.
_LANGID = {
    "en": "english", "de": "ngerman", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "ru": "russian", "pl": "polish", "sv": "swedish",
    "da": "danish", "fi": "finnish", "nb": "norsk", "no": "norsk", "cs": "czech",
    "el": "greek", "tr": "turkish", "ja": "japanese", "uk": "ukrainian", "hu": "magyar",
}

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
# Field order in an entry: the order a careful human writes them in.
_ORDER = (
    "author", "editor", "title", "booktitle", "journal", "journaltitle", "shortjournal",
    "eventtitle", "series", "volume", "number", "pages", "year", "month", "date",
    "publisher", "organization", "howpublished", "address", "location", "school",
    "institution", "type", "eprinttype", "eprint", "doi", "url", "issn", "isbn",
    "keywords", "langid", "abstract", "note",
)
_RANK = {name: i for i, name in enumerate(_ORDER)}
_HOMONYM = attrgetter("homonym")
_ORCID = attrgetter("orcid")
#: Distinct venue and publisher names kept escaped per writer (emptied when full).
_VENUE_CACHE_MAX = 1 << 12


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
        if paper.editor:
            values["editor"] = name_list(paper.editor, ascii=self._ascii,
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
            if "eprint" not in values:
                values["organization"] = text
        else:
            values["howpublished"] = text

    def _eprint(self, paper: Paper, values: dict[str, str]) -> None:
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
            langid = _LANGID.get(paper.language.split("-")[0].lower())
            if self.dialect == "biblatex" and langid:
                values["langid"] = langid
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
        if paper.extra:
            for name in paper.extra:
                if name != "authors-truncated":
                    self._dropped.append(f"extra field {name!r}")

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

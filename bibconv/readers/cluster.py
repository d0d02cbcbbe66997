"""Reader for scraped author-name cluster pages (format ``cluster``).

A page, as scraped from an author-search site, looks like::

    Arrow Research search            <- site line
    Author name cluster              <- marker
    Kun Jin                          <- the author name
    Possible papers associated ...   <- description (any number of lines)
    10 papers
    2 author rows
    Possible papers
    10
    AAAI Conference 2026 Conference Paper     <- venue line: VENUE KIND YEAR TYPE
    Addressing Polarization and ...           <- title (may wrap over lines)
      • Kun Jin                               <- authors, one bullet each
      • Tian Xie
    In many real-world applications ...       <- abstract, any number of paragraphs

Entries are found by their venue line, so missing abstracts, missing author lists,
wrapped titles and blank-line variations all read. Several pages concatenated in one
file read as several clusters. The reader streams: it holds one entry at a time.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Reporter
from ..errors import ParseError
from ..model import Cluster, Date, Paper, Person, Venue
from ..names import (
    is_truncation_marker,
    may_end_in_marker,
    parse_name_noted,
    split_name_list,
    split_truncation,
)
from ..plugin import Reader, TextSource
from ..pubtypes import GENERIC_TYPE, KNOWN_KINDS, csl_type_for, is_publication_type
from ..text import clean_inline, strip_html_tags
from ..venues import resolve_venue, table_for

__all__ = ["ClusterReader"]

_MARKER = re.compile(r"^\s*author[ -]name cluster\s*:?\s*$", re.IGNORECASE)
_VENUE_LINE = re.compile(
    r"^\s*(?P<venue>\S.*?)(?:\s+(?P<kind>[A-Za-z][\w-]*))?\s+(?P<year>[12]\d{3})"
    r"\s+(?P<ptype>[A-Za-z][\w'’.\- ]*?)\s*$"
)
# A year between spaces (only ever searched for). Written digits first, the spaces
# checked around them: a pattern that starts with a space is tried at every space.
_YEAR = re.compile(r"[12]\d{3}(?=\s)(?<=\s....)")
# The name runs from its first to its last non-space character: matched greedily and
# backed off to the last one, which is twice as fast as a lazy match tried at each step.
_BULLET = re.compile(
    r"^\s*(?:[•·*‣◦▪●∙⁃]|[-–—](?=\s)|\d{1,3}[.)](?=\s))\s*(?P<name>\S(?:.*\S)?)\s*$"
)
# The same test over the lines of a paragraph at once (whitespace never crosses a line end).
_BULLET_LINES = re.compile(
    r"^[^\S\n]*(?:[•·*‣◦▪●∙⁃]|[-–—](?=[^\S\n])|\d{1,3}[.)](?=[^\S\n]))[^\S\n]*"
    r"(\S(?:[^\n]*\S)?)[^\S\n]*$",
    re.MULTILINE,
)
# A bullet line with no name on it (a scraper's empty list item).
_BARE_BULLET = re.compile(r"^\s*(?:[•·*‣◦▪●∙⁃]|[-–—])\s*$")
_SCRAPED_BULLET = "  • "  # how the scraped pages write a bullet line (a fast path)
_NEXT_SCRAPED_BULLET = "\n" + _SCRAPED_BULLET
_PAPERS = re.compile(r"^\s*(?P<n>\d[\d,]*)\s+(?:possible\s+)?papers?\s*$", re.IGNORECASE)
_ROWS = re.compile(r"^\s*(?P<n>\d[\d,]*)\s+author\s+rows?\s*$", re.IGNORECASE)
_POSSIBLE = re.compile(r"^\s*possible papers\s*:?\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(?P<n>\d[\d,]*)\s*$")
_DOI = re.compile(r"^\s*(?:doi\s*:?\s*(?:https?://(?:dx\.)?doi\.org/)?|https?://(?:dx\.)?doi\.org/)"
                  r"(?P<doi>10\.\d{4,9}/\S+)\s*$", re.IGNORECASE)
_URL = re.compile(r"^\s*(?:url\s*:?\s*)?(?P<url>https?://\S+)\s*$", re.IGNORECASE)
_ETAL = re.compile(r"^(?:et\.? al\.?|others|and others|…|\.\.\.|more authors.*)$", re.IGNORECASE)
_ETAL_FIRST = "eEoOaA.…mM"
_ABSTRACT_LABEL = re.compile(r"^\s*abstract(?:\s*[:.—–-]\s*|\s*$)", re.IGNORECASE)
# A venue line missing its kind or type ("ICLR 2024", "2023 Journal Article"): only
# taken as one when a title and a list of authors follow it (see _Parser._loose_entry).
_JOINING_WORDS = frozenset({"of", "the", "on", "and", "for", "in", "de", "la", "du", "et"})
_LOOSE_VENUE = re.compile(
    r"^(?P<venue>(?:[A-Z0-9&@'(]\S*\s+|(?:" + "|".join(sorted(_JOINING_WORDS)) + r")\s+){0,7}?)"
    r"(?P<year>(?:1[89]|20)\d{2})(?:\s+(?P<ptype>[A-Za-z][\w'’.\- ]*))?$")
_MAX_LOOSE_TITLE = 300
# What a site adds to a venue line, taken off before a line is tried as a loose one:
# an annotation in brackets at its end ("(Oral)", "[PDF]"), separators between its
# parts (",", "·", "|"), a letter or brackets around the year ("2024a", "(2024)").
_VENUE_ANNOTATION = re.compile(r"\s*[(\[][^()\[\]]{1,40}[)\]]$")
_VENUE_SEPARATORS = re.compile(r"\s*(?:,|·|\||•|–|—)\s+|\s+(?:·|\||•|–|—)\s*")
_BRACKETED_YEAR = re.compile(r"(?<!\S)\(((?:1[89]|20)\d{2})\)(?!\S)|"
                             r"(?<!\S)((?:1[89]|20)\d{2})[a-z](?!\S)")
# The CSL type of a paper whose venue line gives no type, after its venue's kind.
_TYPE_OF_KIND = {"conference": "paper-conference", "workshop": "paper-conference",
                 "symposium": "paper-conference", "journal": "article-journal",
                 "magazine": "article-magazine", "newspaper": "article-newspaper",
                 "preprint": "article", "repository": "article", "archive": "article"}
# Page navigation a scraper copied along ("Read more", "Load more", "Next page", a
# copyright footer): never part of an abstract.
_CHROME = re.compile(
    r"^(?:(?:read|show|see|load|view)\s+(?:more|less|all|abstract)|more|less|next(?:\s+page)?|"
    r"previous(?:\s+page)?|back\s+to\s+top|page\s+\d+(?:\s+of\s+\d+)?|"
    r"(?:©|\(c\)|copyright\s)\s*.*all\s+rights\s+reserved\.?)$",
    re.IGNORECASE)
_MAX_CHROME = 80
_MAX_SITE_LINE = 120
# The latest year a paper can carry: next year's (accepted papers list it early).
_LATEST_YEAR = time.localtime().tm_year + 1
_MAX_VENUE_LINE = 200  # a longer line is never a venue line
_VENUE_SCAN = 4000  # a paragraph up to this long is searched for a year in one go
_VENUE_LINE_CACHE = 4096
_NAME_CACHE = 2048  # a few pages of names: pages repeat their own authors
# A newline and the blank (whitespace-only) lines after it: the paragraph separator.
_BLANK_LINES = re.compile(r"(\n(?:[^\S\n]*\n)+)")
# Paper(...) with keywords makes CPython gather them into a dict (a class takes its
# keywords as one), which costs as much as filling the paper; its __init__ (a plain
# function: model._direct_init) called on a new instance takes them as they are.
_new_paper = Paper.__new__
_init_paper = Paper.__init__
_INSTITUTION_KINDS = frozenset({"university", "school", "institution"})


@dataclass(frozen=True, slots=True)
class _VenueLine:
    """A venue line taken apart; pages repeat the same venue lines, so these are shared."""

    venue: str
    kind: str | None
    year: int
    ptype: str
    csl_type: str | None
    known_kind: bool  # kind is one of KNOWN_KINDS (in any case)


class _Entry:
    """One entry being read: its venue line's parts and the lines gathered so far."""

    __slots__ = ("authors", "bullet", "csl_type", "doi", "kind", "known_kind", "line",
                 "other_doi", "paragraph_lines", "paragraphs", "phase", "ptype", "title", "url",
                 "venue", "year")

    def __init__(self, line: int, venue_line: _VenueLine) -> None:
        self.line = line
        self.venue = venue_line.venue
        self.kind = venue_line.kind
        self.year = venue_line.year
        self.ptype = venue_line.ptype
        self.csl_type = venue_line.csl_type
        self.known_kind = venue_line.known_kind
        self.title: list[str] = []
        # The names on bullet lines, in runs of consecutive lines: (first line, names).
        self.authors: list[tuple[int, list[str]]] = []
        # The bullet of the first author line ("" until one is read, or when unknown):
        # a list with another bullet after a blank line is no longer the authors.
        self.bullet = ""
        self.paragraphs: list[list[str]] = []
        self.paragraph_lines: list[int] = []
        self.phase = "title"
        self.doi: str | None = None
        self.other_doi: list[str] = []
        self.url: str | None = None


@dataclass
class _Header:
    line: int
    site: str | None
    name: str | None = None
    description: list[str] = field(default_factory=list)
    description_lines: list[int] = field(default_factory=list)
    papers: int | None = None
    papers_line: int | None = None
    rows: int | None = None
    listed: int | None = None
    cluster: Cluster | None = None
    found: int = 0
    first_entry: int | None = None
    last_entry: int | None = None


def _int(text: str) -> int:
    return int(text.replace(",", ""))


class VenueResolvingReader(Reader):
    """A reader of scraped data, whose venue acronyms go through the venue table."""

    options = {"venues": "extra venue table (JSON file) merged over the built-in one"}

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._venues = table_for(options.get("venues"))


class ClusterReader(VenueResolvingReader):
    """Reads scraped author-name cluster pages."""

    name = "cluster"
    description = "scraped author-name cluster pages (plain text)"
    suffixes = (".txt", ".cluster")

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        lines = head.splitlines()[:40]
        if any(_MARKER.match(line) for line in lines):
            return 95
        if sum(1 for line in lines if _venue_match(line)) >= 1 and any(
            _BULLET.match(line) for line in lines
        ):
            return 70
        if any(_BULLET.match(line) for line in lines) and any(map(_venue_like, lines)):
            # A venue line of a shape sites write ("ICLR 2024", "... (Oral)"), and
            # bullets: a page, though less surely.
            return 40
        return 10 if suffix in cls.suffixes else 0

    def read(self, source: TextSource) -> Iterator[Paper]:
        return _Parser(self, source).run()


def _plain_venue_text(text: str) -> str:
    """A venue line without what sites add to one: an annotation in brackets at its
    end, separators between its parts, a letter or brackets around its year."""
    plain = _VENUE_ANNOTATION.sub("", text)
    plain = _BRACKETED_YEAR.sub(lambda m: m.group(1) or m.group(2), plain)
    return _VENUE_SEPARATORS.sub(" ", plain).strip()


def _loose_venue_match(text: str) -> re.Match[str] | None:
    """The match of a venue line missing its kind or type (``_LOOSE_VENUE``), or None;
    a year after a joining word, or alone, is none ("Results in 2019", "2019")."""
    match = _LOOSE_VENUE.match(text)
    if match is None:
        return None
    ptype = match.group("ptype") or ""
    venue = match.group("venue").split()
    if (ptype and not is_publication_type(ptype)) or not (venue or ptype) \
            or (venue and venue[-1] in _JOINING_WORDS):
        return None
    return match


def _venue_like(line: str) -> bool:
    """Whether a line is a venue line of a shape sites write, though not 'VENUE KIND
    YEAR TYPE' (for sniffing)."""
    if len(line) > _MAX_VENUE_LINE:
        return False
    plain = _plain_venue_text(line)
    return _loose_venue_match(plain) is not None or (
        plain != line and _venue_match(plain) is not None)


def _trim_url(url: str) -> str:
    """A URL without the punctuation of the sentence around it: a trailing full stop,
    comma and the like, and a closing bracket the URL did not open
    (``https://example.org/x).`` -> ``https://example.org/x``)."""
    while url:
        last = url[-1]
        if not (last in ".,;:!?'\"" or (last == ")" and url.count("(") < url.count(")"))
                or (last == "]" and url.count("[") < url.count("]"))):
            break
        url = url[:-1]
    return url


def _bullet_kind(line: str) -> str:
    """The bullet a bullet line starts with ("#" for a number, as "1." and "10." are
    one list)."""
    if line.startswith(_SCRAPED_BULLET):
        return "•"  # the scraped form: no copy of the paragraph made
    first = line.lstrip()[:1]
    return "#" if first.isdigit() else first


def _bullet_names(para: str) -> list[str] | None:
    """The names on the bullet lines of a paragraph, or None if a line is not a bullet line.

    One scan with the multi-line twin of ``_BULLET``: a match never spans lines, so
    there are as many matches as lines exactly when every line is a bullet line.
    """
    if para.startswith(_SCRAPED_BULLET):
        # The scraped form, "  • Name" on every line: the names are the text between
        # the bullets (two C-level passes), when none is empty or has whitespace around
        # it; then the pattern would take exactly them.
        names = para[len(_SCRAPED_BULLET):].split(_NEXT_SCRAPED_BULLET)
        if len(names) == para.count("\n") + 1 and all(names) \
                and list(map(str.strip, names)) == names:
            return names
    names = _BULLET_LINES.findall(para)
    return names if len(names) == para.count("\n") + 1 else None


class _Marker:
    """A result of :func:`_author` that is not a person."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


_TRUNCATED = _Marker("et al.")
_NOT_A_NAME = _Marker("not a name")


class _Noted(_Marker):
    """A person whose bullet line also held a note in brackets (an affiliation)."""

    __slots__ = ("person",)

    def __init__(self, person: Person, note: str) -> None:
        super().__init__(note)
        self.person = person


class _Tagged(_Marker):
    """A person whose bullet line held HTML tags (a link to an author page)."""

    __slots__ = ("person",)

    def __init__(self, person: Person) -> None:
        super().__init__("HTML tags")
        self.person = person


class _Several(_Marker):
    """A bullet line that held several names ("Alice Smith, Bob Jones"), or a name and
    a truncation mark ("Bob Jones et al."): what each is, in order."""

    __slots__ = ("items",)

    def __init__(self, items: list[Person | _Marker]) -> None:
        super().__init__("several names")
        self.items = items


def _author(text: str) -> Person | _Marker:
    """The person on a bullet line, or a marker for "et al." (or "and 12 more"), for
    text that is no name, for a person whose line held a note the name cannot hold
    (:class:`_Noted`), for one whose line held HTML tags (:class:`_Tagged`), or for
    a line that held several names, or a name and "et al." (:class:`_Several`)."""
    if "<" in text and (plain := strip_html_tags(text, keep_markup=False)) != text:
        found = _author(plain)
        return _Tagged(found) if isinstance(found, Person) else found
    if (text[:1] in _ETAL_FIRST and _ETAL.match(clean_inline(text))) \
            or is_truncation_marker(text):
        return _TRUNCATED
    if may_end_in_marker(text):
        rest, truncated = split_truncation(text)
        if truncated:  # "Bob Jones et al.", "A. Lee, B. Ng, et al.": the names, then the mark
            found = _author(rest)
            return _Several([*(found.items if type(found) is _Several else [found]),
                             _TRUNCATED])
    if "," in text or ";" in text or "&" in text or " and " in text:
        several = split_name_list(text)
        if several is not None:
            return _Several([_author(name) for name in several])
    try:
        person, note = parse_name_noted(text)
    except ValueError:
        return _NOT_A_NAME
    return person if note is None else _Noted(person, note)


def _title_lines(numbers: list[int]) -> int:
    """Given the line numbers of the last (up to four) lines outside any entry, how many
    of the last are a title (consecutive lines, up to three) after a line that stands
    apart (a blank line between): the candidate venue line. 0 when there is none."""
    if len(numbers) < 2:
        return 0
    count = 1
    while count < min(3, len(numbers) - 1) and numbers[-count - 1] == numbers[-count] - 1:
        count += 1
    return 0 if numbers[-count - 1] == numbers[-count] - 1 else count


def _has_year(text: str) -> bool:
    """Whether a year stands between spaces in text (``_YEAR``)."""
    # A year holds a 1 or a 2: two C-level character searches spare most texts the
    # pattern, whose [12] is tested at every character.
    return ("1" in text or "2" in text) and _YEAR.search(text) is not None


def _venue_match(line: str) -> re.Match[str] | None:
    # Cheap rejections first: most lines are abstracts, far longer than a venue line.
    if len(line) > _MAX_VENUE_LINE or not line[-1:].isalpha() or not _has_year(line):
        return None
    return _venue_parts(line)


def _venue_parts(line: str) -> re.Match[str] | None:
    """The venue line's match, for a line that passed :func:`_venue_match`'s cheap tests."""
    match = _VENUE_LINE.match(line)
    if match is None:
        return None
    kind = (match.group("kind") or "").lower()
    ptype = match.group("ptype")
    if is_publication_type(ptype) or (kind in KNOWN_KINDS and len(ptype.split()) <= 4):
        return match
    return None


class _Parser:
    """The line-by-line state machine behind :class:`ClusterReader`."""

    def __init__(self, reader: ClusterReader, source: TextSource, fast: bool = True) -> None:
        self.reader = reader
        self.source = source
        self.origin = source.origin
        self.report: Reporter = source.reporter
        self.header: _Header | None = None
        self.in_header = False
        self.entry: _Entry | None = None
        self.loose: list[tuple[int, str]] = []  # lines outside any entry or header
        self.pending_blank = False
        self.seen_text = False
        self.papers_out = 0
        self.headers_seen = 0
        self._venues: dict[tuple[str, str | None], Venue] = {}
        self._years: dict[int, Date] = {}
        self._venue_lines: dict[str, _VenueLine | None] = {}
        self._names: dict[str, Person | _Marker] = {}
        self.ready: list[Paper] = []  # papers finished, not yet yielded
        self.fast = fast

    # -- driving -------------------------------------------------------------
    def run(self) -> Iterator[Paper]:
        ready = self.ready
        runs = self.source.runs()
        told: int | None = None  # the number of lines of the last run, if counted
        while True:
            try:
                start, text = runs.send(told)
            except StopIteration:
                break
            if self.fast and "\n" in text:
                # The paragraph parsing counts the lines: the source need not.
                told = self._run_text(start, text)
            else:  # the reference way leaves the counting to the source
                told = None
                for lineno, raw in enumerate(text.split("\n"), start):
                    self._line(lineno, raw)
            if ready:
                yield from ready
                ready.clear()
        self._finish_entry()
        yield from ready
        ready.clear()
        self._finish_header()
        self._flush_loose(final=True)
        if not self.seen_text:
            raise ParseError("empty input: no text at all", self.origin, 1)
        if self.papers_out == 0 and self.headers_seen == 0:
            raise ParseError(
                "no cluster page found: no 'Author name cluster' header and no entry "
                "of the form 'VENUE KIND YEAR TYPE'",
                self.origin,
                1,
            )

    def _run_text(self, start: int, text: str) -> int:
        """Parse a run of whole lines a paragraph at a time.

        The paragraphs of an entry (separated by blank lines) that have the usual shape
        are taken in one step each; any other paragraph goes line by line through
        :meth:`_line`, the reference semantics, and so do the first and the last
        paragraph of the run, which may continue in the neighbouring runs. Both paths
        give the same papers and diagnostics (tested). Gives the number of lines of
        the run, which it counts on its way.
        """
        parts = _BLANK_LINES.split(text)  # paragraph, separator, paragraph, ...
        line = self._line
        last = len(parts) - 1
        lines = parts[0].split("\n")
        for offset, raw in enumerate(lines, start):
            line(offset, raw)
        if last == 0:
            return len(lines)
        lineno = start + len(lines) - 1 + parts[1].count("\n")
        self.pending_blank = True
        for i in range(2, last, 2):
            para = parts[i]
            breaks = self._plain_paragraph(lineno, para)
            if breaks is None:
                for offset, raw in enumerate(para.split("\n"), lineno):
                    line(offset, raw)
                self.pending_blank = True
                breaks = para.count("\n")
            lineno += breaks + parts[i + 1].count("\n")
        lines = parts[last].split("\n")
        for offset, raw in enumerate(lines, lineno):
            line(offset, raw)
        return lineno + len(lines) - start

    def _plain_paragraph(self, lineno: int, para: str) -> int | None:
        """Take a paragraph of the usual shape in one step and give the number of line
        breaks in it (which the caller would otherwise count); None to go line by line.

        It follows a blank line and is followed by one, so :attr:`pending_blank` is
        true before and after it, as :meth:`_line` would leave it.
        """
        entry = self.entry
        if entry is None:
            return None
        phase = entry.phase
        if "\n" not in para:
            stripped = para.strip()
            if not stripped or (stripped[0] in "aA" and _MARKER.match(stripped) is not None):
                return None
            if len(stripped) > _MAX_VENUE_LINE and (
                phase == "abstract"
                or ((phase == "authors" or entry.title) and _BULLET.match(para) is None)
            ):
                # Abstract text after a blank line: a new paragraph of it.
                entry.phase = "abstract"
                self._abstract_line(entry, lineno, stripped)
            elif (found := self._venue_line(stripped)) is not None:
                # The next entry's venue line.
                self._finish_entry()
                if self.loose:
                    self._flush_loose()
                self._start_entry(lineno, found)
            elif phase == "title" and not entry.title and _BULLET.match(para) is None:
                entry.title.append(stripped)
            else:
                return None
        elif (
            phase != "abstract"
            and len(para) <= _VENUE_SCAN
            and not _has_year(para)
            and (names := _bullet_names(para)) is not None
            and ((kind := _bullet_kind(para)) == entry.bullet or not entry.bullet)
        ):
            # A list of authors (a bullet line never starts with "a", so none is a
            # cluster marker; without a year, none is a venue line), with the bullet of
            # the authors before it, if any.
            entry.phase = "authors"
            entry.bullet = kind
            entry.authors.append((lineno, names))
            self.seen_text = True
            return len(names) - 1
        else:
            return None
        self.seen_text = True
        return 0

    def _line(self, lineno: int, raw: str) -> None:
        """Take one line: the reference semantics that the fast paths reproduce."""
        line = raw.strip()
        if not line:
            self.pending_blank = True
            return
        self.seen_text = True
        if line[0] in "aA" and _MARKER.match(line):
            if self.entry is not None:
                site = self._retract_site_line(self.entry)
                if site is not None:
                    self.loose.append((lineno - 1, site))
            self._finish_entry()
            self._finish_header()
            self._start_header(lineno)
        elif (venue_line := self._venue_line(line)) is not None:
            self._finish_entry()
            self._flush_loose()
            self._start_entry(lineno, venue_line)
        elif self.entry is not None:
            self._entry_line(lineno, line, raw)
        elif self.pending_blank and (self.loose or self.in_header) \
                and (bullet := _BULLET.match(raw)) is not None \
                and self._first_entry(lineno, bullet.group("name")):
            pass
        elif self.in_header:
            self._header_line(lineno, line)
        else:
            self.loose.append((lineno, line))
        self.pending_blank = False

    # -- header --------------------------------------------------------------
    def _start_header(self, lineno: int) -> None:
        site = None
        if self.loose and len(self.loose[-1][1]) <= _MAX_SITE_LINE:
            site = self.loose.pop()[1]
        self._flush_loose()
        self.header = _Header(line=lineno, site=clean_inline(site) if site else None)
        self.headers_seen += 1
        self.in_header = True

    def _retract_site_line(self, entry: _Entry) -> str | None:
        """The last line of an entry, if it is the short site line of the next page."""
        if not entry.paragraphs:
            return None
        last = entry.paragraphs[-1]
        text = last[-1]
        if len(text) > _MAX_SITE_LINE or text.endswith((".", "!", "?", ":", ";", ",")):
            return None
        last.pop()
        if not last:
            entry.paragraphs.pop()
            entry.paragraph_lines.pop()
        return text

    def _header_line(self, lineno: int, line: str) -> None:
        header = self.header
        assert header is not None
        if header.name is None:
            header.name = clean_inline(line)
        elif (m := _PAPERS.match(line)) is not None and header.papers is None:
            header.papers, header.papers_line = _int(m.group("n")), lineno
        elif (m := _ROWS.match(line)) is not None:
            header.rows = _int(m.group("n"))
        elif _POSSIBLE.match(line):
            pass
        elif (m := _NUMBER.match(line)) is not None:
            header.listed = _int(m.group("n"))
        elif header.papers is None:
            header.description.append(line)
            header.description_lines.append(lineno)
        else:
            self.loose.append((lineno, line))

    def _cluster(self) -> Cluster | None:
        header = self.header
        if header is None:
            return None
        if header.cluster is None:
            if header.name is None:
                self.report.warn("cluster-without-name", "cluster header names no author",
                                 self.origin, header.line)
            header.cluster = Cluster(
                name=header.name or "",
                site=header.site,
                description=clean_inline(" ".join(header.description)) or None,
                declared_papers=header.papers,
                declared_author_rows=header.rows,
                origin=self.origin,
                line=header.line,
            )
            self.in_header = False
        return header.cluster

    def _finish_header(self) -> None:
        header = self.header
        if header is None:
            return
        self._cluster()
        declared = header.papers if header.papers is not None else header.listed
        if declared is not None and declared != header.found:
            where = (
                f"entries at lines {header.first_entry}-{header.last_entry}"
                if header.first_entry is not None
                else "no entries"
            )
            self.report.warn(
                "paper-count-mismatch",
                f"cluster {header.name!r} (line {header.line}) declares {declared} papers"
                f" (line {header.papers_line or header.line}) but {header.found} were found"
                f" ({where})",
                self.origin,
                header.papers_line or header.line,
            )
        elif header.listed is not None and header.papers is not None \
                and header.listed != header.papers:
            self.report.warn(
                "paper-count-mismatch",
                f"cluster {header.name!r} says {header.papers} papers and lists {header.listed}",
                self.origin,
                header.papers_line or header.line,
            )
        self.header = None

    def _flush_loose(self, final: bool = False) -> None:
        if not self.loose:
            return
        first, last = self.loose[0][0], self.loose[-1][0]
        if not (final and self.papers_out == 0 and self.headers_seen == 0):
            span = f"line {first}" if first == last else f"lines {first}-{last}"
            self.report.warn(
                "unrecognised-text",
                f"{len(self.loose)} line(s) of text outside any entry ignored ({span}): "
                f"{self.loose[0][1][:60]!r}",
                self.origin,
                first,
            )
        self.loose.clear()

    # -- entries -------------------------------------------------------------
    def _venue_line(self, line: str) -> _VenueLine | None:
        """The venue line ``line`` is, or None; cached, since pages repeat venue lines."""
        # Cheap rejections first: most lines are abstracts, far longer than a venue line.
        if len(line) > _MAX_VENUE_LINE or not line[-1:].isalpha():
            return None
        cache = self._venue_lines
        found = cache.get(line)
        if found is not None:
            return found
        # _venue_match's first two tests passed above: the year test and the match.
        if not _has_year(line) or (match := _venue_parts(line)) is None:
            return None
        ptype = clean_inline(match.group("ptype"))
        found = _VenueLine(
            venue=clean_inline(match.group("venue")),
            kind=match.group("kind"),
            year=int(match.group("year")),
            ptype=ptype,
            csl_type=csl_type_for(ptype),
            known_kind=(match.group("kind") or "").lower() in KNOWN_KINDS,
        )
        if len(cache) >= _VENUE_LINE_CACHE:
            cache.clear()
        cache[line] = found
        return found

    def _start_entry(self, lineno: int, venue_line: _VenueLine) -> None:
        header = self.header
        if header is not None:
            if header.cluster is None:
                self._cluster()
            header.found += 1
            if header.first_entry is None:
                header.first_entry = lineno
            header.last_entry = lineno
        self.entry = _Entry(lineno, venue_line)

    def _entry_line(self, lineno: int, line: str, raw: str) -> None:
        entry = self.entry
        assert entry is not None
        phase = entry.phase
        if phase == "abstract":  # the common case: no bullet test needed
            # But a list of authors after a blank line, in an abstract, may be the next
            # entry's, behind a venue line of a shape not recognised.
            if self.pending_blank and len(entry.paragraphs) >= 2 \
                    and (bullet := _BULLET.match(raw)) is not None \
                    and self._loose_entry(entry, lineno, bullet.group("name")):
                return
            self._abstract_line(entry, lineno, line)
            return
        bullet = _BULLET.match(raw)
        if bullet is None and (phase == "authors" or (entry.title and self.pending_blank)) \
                and _BARE_BULLET.match(raw) is not None:
            # An empty list item among the authors (or opening them): not their end.
            self.report.warn("bad-name", "an author bullet with no name; skipped",
                             self.origin, lineno)
            entry.phase = "authors"
            return
        if phase == "title":
            if bullet is not None:
                entry.phase = "authors"
            elif not entry.title or not self.pending_blank:
                entry.title.append(line)
                return
            else:
                entry.phase = "abstract"
        if entry.phase == "authors":
            if bullet is not None and not (
                    self.pending_blank and entry.bullet and _bullet_kind(raw) != entry.bullet):
                if not entry.bullet:
                    entry.bullet = _bullet_kind(raw)
                entry.authors.append((lineno, [bullet.group("name")]))
                return
            # After a blank line, a list with another bullet: the abstract's.
            entry.phase = "abstract"
        self._abstract_line(entry, lineno, line)

    def _first_entry(self, lineno: int, name: str) -> bool:
        """Whether an author ``name`` outside any entry starts one, behind a venue line of
        a shape not recognised and a title: among the lines outside any entry, or, in a
        header with no paper count, among those read as its description."""
        if len(self.loose) >= 2:
            return self._loose_first_entry(lineno, name)
        return self.in_header and self._header_entry(lineno, name)

    def _header_entry(self, lineno: int, name: str) -> bool:
        """:meth:`_loose_first_entry` for a header with no paper count, whose lines all
        read as its description: whether its last lines are an entry's venue line (of
        a shape not recognised) and title, before the author ``name``."""
        header = self.header
        assert header is not None
        lines = header.description_lines
        count = _title_lines(lines[-4:]) if header.papers is None else 0
        if not count:
            return False
        texts, numbers = header.description[-count - 1:], lines[-count - 1:]
        # Taken out first: the header's cluster is made when the entry starts.
        del header.description[-count - 1:]
        del lines[-count - 1:]
        if self._start_loose(numbers[0], texts[0], texts[1:], lineno, name):
            return True
        header.description += texts  # not an entry after all
        lines += numbers
        return False

    def _loose_first_entry(self, lineno: int, name: str) -> bool:
        """:meth:`_loose_entry` for lines outside any entry (before a page's first
        entry): whether the last of them are a venue line of a shape not recognised,
        a blank line, and a title; if so, the entry is started from them."""
        loose = self.loose
        count = _title_lines([number for number, _ in loose[-4:]])
        if not count:
            return False
        (venue_line, text), title = loose[-count - 1], [line for _, line in loose[-count:]]
        return self._start_loose(venue_line, text, title, lineno, name)

    def _start_loose(self, venue_line: int, text: str, title: list[str], lineno: int,
                     name: str) -> bool:
        """Start an entry from a venue line of a shape not recognised, its title and its
        first author, if the venue line passes :meth:`_loose_entry`'s tests."""
        if sum(map(len, title)) > _MAX_LOOSE_TITLE:
            return False
        found = self._loose_venue(text)
        if found is None:
            return False
        self._finish_entry()
        if self.loose:
            # Lines outside any entry before the venue line are reported; the venue
            # line and the title, outside any entry until now, are the entry's.
            self.loose[:] = [item for item in self.loose if item[0] < venue_line]
            self._flush_loose()
        self.report.warn(
            "loose-venue-line",
            f"{text!r} read as the venue line of a new entry (a title and authors follow "
            "it), though it is not of the form 'VENUE KIND YEAR TYPE'",
            self.origin, venue_line)
        self._start_entry(venue_line, found)
        new = self.entry
        assert new is not None
        new.title.extend(title)
        new.phase = "authors"
        new.authors.append((lineno, [name]))
        return True

    def _loose_venue(self, text: str) -> _VenueLine | None:
        """The venue line ``text`` is when a title and authors follow it, though it is
        not of the form 'VENUE KIND YEAR TYPE': one with what sites add taken off
        (an annotation in brackets, separators, a letter after the year), or one
        missing its kind or type; None for text that is no venue line."""
        if len(text) > _MAX_VENUE_LINE:
            return None
        plain = _plain_venue_text(text)
        if plain != text and (found := self._venue_line(plain)) is not None:
            return found
        match = _loose_venue_match(plain)
        if match is None:
            return None
        ptype = match.group("ptype") or ""
        venue = match.group("venue").split()
        kind = None
        if len(venue) > 1 and venue[-1].lower() in KNOWN_KINDS:
            # "NeurIPS Conference 2024": the venue and its kind, only the type missing.
            kind = venue.pop()
        ptype = clean_inline(ptype)
        return _VenueLine(venue=clean_inline(" ".join(venue)), kind=kind,
                          year=int(match.group("year")), ptype=ptype,
                          csl_type=csl_type_for(ptype) if ptype else None,
                          known_kind=kind is not None)

    def _loose_entry(self, entry: _Entry, lineno: int, name: str) -> bool:
        """Whether the abstract's last two paragraphs, before the author ``name`` on
        line ``lineno``, are the next entry's venue line and title: a venue line
        missing its kind or its type (``ICLR 2024``, ``2023 Journal Article``), then a
        title. If so, the entry is finished without them and the next one started,
        with a warning; the venue line must hold a year and nothing but the venue
        (words in capitals, or joining words) before it and a known publication type,
        if anything, after it, so that no abstract is taken apart by mistake."""
        venue_text, title = entry.paragraphs[-2], entry.paragraphs[-1]
        if len(venue_text) != 1 or len(title) > 3 or self._loose_venue(venue_text[0]) is None:
            return False
        venue_line = entry.paragraph_lines[-2]
        paragraphs, lines = entry.paragraphs[-2:], entry.paragraph_lines[-2:]
        del entry.paragraphs[-2:]
        del entry.paragraph_lines[-2:]
        if self._start_loose(venue_line, venue_text[0], title, lineno, name):
            return True
        entry.paragraphs += paragraphs  # not a venue line after all
        entry.paragraph_lines += lines
        return False

    def _abstract_line(self, entry: _Entry, lineno: int, line: str) -> None:
        if len(line) <= _MAX_CHROME and _CHROME.match(line) is not None:
            self.report.warn("page-chrome", f"{line!r} is page navigation, not part of the "
                             "abstract; dropped", self.origin, lineno)
            return
        if line[0] in "dDhHuU":  # only then can it be a DOI or URL line
            if (m := _DOI.match(line)) is not None:
                doi = m.group("doi").rstrip(".,;")
                if entry.doi is None:
                    entry.doi = doi
                elif doi.lower() != entry.doi.lower():
                    # A second DOI (the preprint's and the published version's): kept.
                    self.report.warn("second-doi", f"a second DOI line ({doi!r}) for one "
                                     "entry; kept in extra as other-doi", self.origin, lineno)
                    entry.other_doi.append(doi)
                return
            if (m := _URL.match(line)) is not None and entry.url is None:
                entry.url = _trim_url(m.group("url"))
                return
        if self.pending_blank or not entry.paragraphs:
            entry.paragraphs.append([line])
            entry.paragraph_lines.append(lineno)
        else:
            entry.paragraphs[-1].append(line)

    def _take(self, person: Person | _Marker, text: str, lineno: int, authors: list[Person],
              extra: dict[str, Any]) -> None:
        """Add what an author bullet ``text`` held to a paper's authors (or mark them
        truncated), reporting what was dropped."""
        report, origin = self.report, self.origin
        if isinstance(person, Person):
            authors.append(person)
        elif person is _TRUNCATED:
            extra["authors-truncated"] = True
        elif type(person) is _Tagged:
            authors.append(person.person)
            report.warn("html-tags", f"author entry {text!r}: HTML tags removed", origin, lineno)
        elif type(person) is _Noted:
            authors.append(person.person)
            report.warn("name-note", f"author entry {text!r}: the note {person.name!r} is not "
                        "part of the name; dropped", origin, lineno)
        else:
            report.warn("bad-name", f"author entry {text!r} is not a name; skipped", origin,
                        lineno)

    def _without_html(self, text: str, field: str, line: int) -> str:
        """A title or abstract paragraph without the HTML tags a scraper left in it
        (italics, bold, superscripts and subscripts kept as CSL rich text), reported."""
        plain = strip_html_tags(text)
        if plain != text:
            self.report.warn("html-tags", f"HTML tags in the {field} removed: {text[:60]!r}",
                             self.origin, line)
        return plain

    def _finish_entry(self) -> None:
        entry = self.entry
        if entry is None:
            return
        self.entry = None
        self.ready.append(self._build(entry))
        self.papers_out += 1

    def _venue(self, name: str, kind: str | None) -> Venue | None:
        """The resolved venue, shared by every paper of the same venue line (None for a
        venue line that names none)."""
        if not name:
            return None
        key = (name, kind)
        venue = self._venues.get(key)
        if venue is None:
            venue = self._venues[key] = resolve_venue(name, kind, self.reader._venues)
        return venue

    def _date(self, year: int) -> Date:
        date = self._years.get(year)
        if date is None:
            date = self._years[year] = Date(year)
        return date

    def _build(self, entry: _Entry) -> Paper:
        origin, report = self.origin, self.report
        kind = entry.kind
        venue_name = entry.venue
        if kind is not None and not entry.known_kind:
            joined = f"{venue_name} {kind}"
            if self.reader._venues.lookup(joined) is not None:
                venue_name, kind = joined, None
            else:
                report.warn("unknown-venue-kind",
                            f"venue kind {kind!r} is not a known kind; kept as given",
                            origin, entry.line)
        csl_type = entry.csl_type
        if csl_type is None:
            # A venue line without a type ("ICLR 2024"): the venue's kind tells.
            known = self._venue(venue_name, kind) if not entry.ptype and venue_name else None
            csl_type = _TYPE_OF_KIND.get(known.kind or "") if known is not None else None
            if csl_type is not None:
                report.warn("unknown-type", f"the venue line gives no publication type; "
                            f"typed {csl_type!r} after its venue", origin, entry.line)
            else:
                report.warn(
                    "unknown-type",
                    f"publication type {entry.ptype!r} is not known; written as generic "
                    f"type {GENERIC_TYPE!r}" if entry.ptype else
                    f"the venue line gives no publication type; written as generic type "
                    f"{GENERIC_TYPE!r}",
                    origin,
                    entry.line,
                )
                csl_type = GENERIC_TYPE
        if entry.year > _LATEST_YEAR:
            report.warn("unlikely-year", f"year {entry.year} is in the future; kept as given "
                        "(a placeholder or a scraping error?)", origin, entry.line)
        titles = entry.title
        title = clean_inline(titles[0] if len(titles) == 1 else " ".join(titles))
        if "<" in title:
            title = self._without_html(title, "title", entry.line)
        if not title:
            report.warn("missing-title", "entry has no title line; written with an empty title",
                        origin, entry.line)
        authors: list[Person] = []
        extra: dict[str, Any] = {}
        names = self._names
        for first, texts in entry.authors:
            # (enumerate reuses its pair when the loop lets go of it: no tuple a name)
            for lineno, text in enumerate(texts, first):
                person = names.get(text)
                if person is None:
                    person = _author(text)
                    if len(names) >= _NAME_CACHE:
                        names.clear()
                    names[text] = person
                if isinstance(person, Person):
                    authors.append(person)
                elif type(person) is _Several:
                    items = person.items
                    if sum(1 for item in items if item is not _TRUNCATED) > 1:
                        report.warn("name-list", f"author entry {text!r} holds "
                                    f"{len(items)} names; read as that many authors",
                                    origin, lineno)
                    for item in items:
                        self._take(item, text, lineno, authors, extra)
                else:
                    self._take(person, text, lineno, authors, extra)
        if not authors:
            report.warn("missing-authors", f"entry {title[:60]!r} lists no authors",
                        origin, entry.line)
        paragraphs = entry.paragraphs
        if paragraphs and paragraphs[0][0][:1] in "aA" and _ABSTRACT_LABEL.match(paragraphs[0][0]):
            # "Abstract:" before the text, or "Abstract" alone on its line, is a label.
            opening = entry.paragraphs[0]
            opening[0] = _ABSTRACT_LABEL.sub("", opening[0], count=1)
        if len(paragraphs) == 1:
            lines = paragraphs[0]
            abstract = clean_inline(lines[0] if len(lines) == 1 else " ".join(lines)) or None
        else:
            abstract = "\n\n".join(
                filter(None, (clean_inline(" ".join(p)) for p in paragraphs))) or None
        if abstract is not None and "<" in abstract:
            abstract = "\n\n".join(
                self._without_html(p, "abstract", entry.line) for p in abstract.split("\n\n")
            ) or None
        if entry.other_doi:
            extra["other-doi"] = entry.other_doi
        venue = self._venue(venue_name, kind)
        publisher = None
        if venue is not None and venue.kind in _INSTITUTION_KINDS:
            # "ETH Zurich University 2019 PhD Thesis": the institution publishes it.
            publisher, venue = venue.name, None
        paper = _new_paper(Paper)
        _init_paper(
            paper,
            title=title,
            type=csl_type,
            author=tuple(authors),
            issued=self._years.get(entry.year) or self._date(entry.year),
            venue=venue,
            publisher=publisher,
            doi=entry.doi,
            url=entry.url,
            abstract=abstract,
            genre=entry.ptype,
            cluster=header.cluster if (header := self.header) is not None
            and header.cluster is not None else self._cluster(),
            origin=origin,
            line=entry.line,
            extra=extra or {},
        )
        return paper

"""Readers for BibTeX and BibLaTeX (formats ``bibtex`` and ``biblatex``).

bibtexparser v2 splits the file into blocks (entries, ``@string``, comments, and the
blocks it could not parse); everything after that is ours: ``@string`` macros and
``#`` concatenation, month macros, LaTeX to Unicode (:mod:`bibconv.latexdecode`),
BibTeX name splitting (First von Last / von Last, First / von Last, Jr, First, and
biber's extended ``family=..., given=...`` form), crossref inheritance, and the
mapping of entry types and fields to the model. Fields the model has no place for are
kept in ``Paper.extra`` under their own names (decoded, but biblatex's verbatim fields,
such as ``file`` and ``eprint``, as written), for the writers to give back.

The input is parsed in chunks of whole entries, so a big file never becomes one
giant parse; entries that ``crossref`` a parent not seen yet wait until the end
(BibTeX wants parents after children), and only parent-like entries are remembered.
Every broken entry is an error diagnostic with its line, and the entries around it
still convert.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from bibtexparser import model as bm
from bibtexparser.entrypoint import parse_string

from ..diagnostics import Reporter
from ..latex import VERBATIM_FIELDS, language_tag, verbatim_text
from ..latexdecode import MAX_FIELD, LatexError, decode_latex
from ..model import Date, Paper, Person, Venue
from ..plugin import Reader, TextSource
from ..text import fold_lines, strip_controls, strip_doi_prefix

__all__ = ["BibLaTeXReader", "BibTeXReader", "parse_bibtex_name", "split_names"]

# bibtexparser logs every syntax error it recovers from; we report them ourselves.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

_CHUNK_LINES = 20_000
_BLOCK_START = re.compile(r"^\s*@\s*[A-Za-z]")

#: BibTeX/BibLaTeX entry type -> CSL type.
ENTRY_TYPES: dict[str, str] = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "incollection": "chapter",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "book": "book",
    "mvbook": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "mvreference": "book",
    "inreference": "entry-encyclopedia",
    "booklet": "pamphlet",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "unpublished": "manuscript",
    "misc": "document",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "webpage": "webpage",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
    "periodical": "periodical",
    "suppperiodical": "article-journal",
    "standard": "standard",
    "artwork": "graphic",
    "audio": "song",
    "video": "motion_picture",
    "movie": "motion_picture",
    "music": "musical_score",
    "letter": "personal_communication",
    "review": "review",
    "jurisdiction": "legal_case",
    "legislation": "legislation",
    "legal": "legislation",
    "image": "graphic",
    "performance": "performance",
    "preprint": "article",
}
# The entry type a CSL type is read back from without loss; other source types are
# remembered in extra["bibtex-type"].
_CANONICAL_ENTRY = {
    "article-journal": "article", "paper-conference": "inproceedings", "chapter": "incollection",
    "book": "book", "thesis": "phdthesis", "report": "techreport", "manuscript": "unpublished",
    "document": "misc", "webpage": "online", "patent": "patent", "dataset": "dataset",
    "software": "software", "pamphlet": "booklet", "periodical": "periodical",
    "entry-encyclopedia": "inreference", "standard": "standard", "article": "misc",
}
_THESIS_GENRE = {"phdthesis": "PhD Thesis", "mastersthesis": "Master's Thesis"}
# biblatex's localisation keys for the type field, as the words they print.
# Title case, as scraped pages and the writers spell publication types.
_TYPE_KEYS = {"phdthesis": "PhD Thesis", "mathesis": "Master's Thesis",
              "mastersthesis": "Master's Thesis", "candthesis": "Candidate Thesis",
              "techreport": "Technical Report", "resreport": "Research Report",
              "software": "Software", "datacd": "CD-ROM", "audiocd": "Audio CD"}
_PARENT_TYPES = frozenset({"proceedings", "mvproceedings", "book", "mvbook", "collection",
                           "mvcollection", "reference", "mvreference", "periodical"})
_IN_TYPES = frozenset({"inproceedings", "conference", "incollection", "inbook", "bookinbook",
                       "suppbook", "suppcollection", "inreference"})
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_NAMES = {name: i for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_DATE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T/ ].*)?\s*$")
_YEAR = re.compile(r"^\s*(-?\d{1,4})\s*$")
_EXTENDED_NAME = re.compile(r"^\s*(family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
#: An eprinttype (or archiveprefix) that makes a @misc/@online entry a preprint.
_PREPRINT_SERVERS = frozenset({"arxiv", "biorxiv", "medrxiv", "ssrn", "hal", "psyarxiv",
                               "chemrxiv"})

# Fields the model holds directly; every other field goes to Paper.extra by name.
_HANDLED = frozenset(
    [
        "title", "subtitle", "titleaddon", "author", "editor", "year", "date", "month", "day",
        "journal", "journaltitle", "shortjournal", "journalabbr", "booktitle", "booksubtitle",
        "eventtitle", "volume", "number", "issue", "pages", "publisher", "address", "location",
        "doi", "url", "abstract", "keywords", "language", "langid", "note", "isbn", "issn", "type",
        "school", "institution", "organization", "crossref", "genre"
    ]
)


class RecordError(Exception):
    """A problem that makes one entry unreadable (reported, entry skipped)."""


@dataclass
class _Entry:
    """One entry's raw data: type, key, raw field values and their lines."""

    type: str
    key: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- value expansion


def _split_concat(raw: str) -> list[str]:
    """Split a raw value on top-level ``#`` into its delimited or bare parts."""
    parts: list[str] = []
    pos, n = 0, len(raw)
    while True:
        while pos < n and raw[pos].isspace():
            pos += 1
        if pos >= n:
            raise RecordError("empty value")
        start = pos
        ch = raw[pos]
        if ch in "{\"":
            close = "}" if ch == "{" else '"'
            depth = 0
            while pos < n:
                c = raw[pos]
                if c == "\\" and pos + 1 < n and raw[pos + 1] in "{}":
                    # BibTeX counts escaped braces too; so do we (see the design hazards).
                    pass
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                    if depth < 0:
                        raise RecordError("unbalanced braces in value")
                if ch == "{" and depth == 0 and c == close and pos > start:
                    break
                if ch == '"' and c == '"' and pos > start and depth == 0:
                    break
                pos += 1
            else:
                raise RecordError("value never closed")
            parts.append(raw[start : pos + 1])
            pos += 1
        else:
            while pos < n and not raw[pos].isspace() and raw[pos] != "#":
                pos += 1
            if pos == start:  # "# x", "a # # b": a "#" with nothing before it
                raise RecordError("a '#' with no value before it")
            parts.append(raw[start:pos])
        while pos < n and raw[pos].isspace():
            pos += 1
        if pos >= n:
            return parts
        if raw[pos] != "#":
            raise RecordError(f"unexpected text after a value: {raw[pos:pos + 30]!r} "
                              "(a missing comma?)")
        pos += 1


class _Macros:
    """``@string`` macros, the month macros, and expansion of raw values."""

    def __init__(self) -> None:
        self.table: dict[str, str] = {m: m for m in _MONTHS}

    def expand(self, raw: str, unknown: list[str]) -> str:
        """The value of a raw field (delimiters removed, macros expanded, concatenated)."""
        out: list[str] = []
        for part in _split_concat(raw):
            if part[0] in "{\"":
                out.append(part[1:-1])
            elif part.isdigit():
                out.append(part)
            else:
                name = part.lower()
                if name in self.table:
                    out.append(self.table[name])
                else:
                    unknown.append(part)
                    out.append(part)
        return "".join(out)


# ---------------------------------------------------------------- names


def _depth0_split(text: str, sep: re.Pattern[str]) -> list[str]:
    """Split text on a separator pattern, only where braces are balanced."""
    pieces: list[str] = []
    depth = 0
    start = 0
    pos = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            match = sep.match(text, pos)
            if match and match.end() > pos:
                pieces.append(text[start:pos])
                start = pos = match.end()
                continue
        pos += 1
    pieces.append(text[start:])
    return pieces


_WS = re.compile(r"[\s~]+")
_COMMA = re.compile(r",")


def split_names(raw: str) -> list[str]:
    """The names of a name-list field, split on top-level ``and``."""
    if not raw.strip():
        return []
    return [p.strip() for p in _depth0_split(f" {raw.strip()} ", _AND) if p.strip()]


def _token_case(token: str) -> str:
    """'l' when a name token starts lower-case, 'u' upper-case, '' when caseless."""
    depth = 0
    pos = 0
    while pos < len(token):
        ch = token[pos]
        if ch == "{":
            if depth == 0 and token.startswith("{\\", pos):
                # A "special character": its case is the case of the letter it makes.
                end = token.find("}", pos)
                inner = token[pos + 1 : end] if end > 0 else token[pos + 1 :]
                try:
                    text = decode_latex(inner).text
                except LatexError:
                    return ""
                for c in text:
                    if c.isalpha():
                        return "l" if c.islower() else "u"
                return ""
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and ch.isalpha():
            return "l" if ch.islower() else "u"
        elif depth == 0 and ch == "\\":
            text = decode_latex(token[pos:]).text
            return next(("l" if c.islower() else "u" for c in text if c.isalpha()), "")
        pos += 1
    return ""


def _text(raw: str) -> str:
    return fold_lines(strip_controls(decode_latex(raw).text))


def _join(tokens: list[str]) -> str | None:
    text = _text(" ".join(tokens)) if tokens else ""
    return text or None


def _extended_name(raw: str) -> Person:
    """biber's extended name format: ``family=Beethoven, given=Ludwig, prefix=van``."""
    parts: dict[str, str] = {}
    for piece in _depth0_split(raw, _COMMA):
        key, _, value = piece.partition("=")
        value = value.strip()
        if value.startswith("{") and value.endswith("}"):
            value = value[1:-1]
        parts[key.strip().lower()] = value
    return Person(
        family=_join([parts["family"]]) if "family" in parts else None,
        given=_join([parts["given"]]) if "given" in parts else None,
        particle=_join([parts["prefix"]]) if "prefix" in parts else None,
        suffix=_join([parts["suffix"]]) if "suffix" in parts else None,
    )


_HOMONYM_TOKEN = re.compile(r"\d{4}")


def parse_bibtex_name(raw: str) -> Person:
    """Split one BibTeX name into a :class:`Person` the way BibTeX does.

    ``First von Last``, ``von Last, First`` and ``von Last, Jr, First``; the von part
    is the run of lower-case words (a braced special such as ``{\\'E}`` counts as the
    letter it makes; other braces make a word caseless, so ``{von Neumann}`` stays
    whole). A name that is one braced group, or one word, is kept as a literal.
    """
    raw = raw.strip()
    if _EXTENDED_NAME.match(raw):
        return _extended_name(raw)
    parts = [p.strip() for p in _depth0_split(raw, _COMMA)]
    if len(parts) > 3:
        raise RecordError(f"name {raw!r} has too many commas")
    if len(parts) == 1:
        tokens = [t for t in _depth0_split(parts[0], _WS) if t]
        homonym = None
        if len(tokens) >= 3 and _HOMONYM_TOKEN.fullmatch(tokens[-1]):
            # DBLP's exports write its homonym number after the name ("Bo Li 0026").
            homonym = tokens.pop()
        if len(tokens) == 1:
            return Person(literal=_text(tokens[0]))
        cases = [_token_case(t) for t in tokens]
        lower = [i for i, c in enumerate(cases[:-1]) if c == "l"]
        if lower:
            von_start, von_end = lower[0], lower[-1] + 1
        else:
            von_start = von_end = len(tokens) - 1
        return Person(family=_join(tokens[von_end:]), given=_join(tokens[:von_start]),
                      particle=_join(tokens[von_start:von_end]), homonym=homonym)
    first = parts[-1] if len(parts) >= 2 else ""
    jr = parts[1] if len(parts) == 3 else ""
    tokens = [t for t in _depth0_split(parts[0], _WS) if t]
    von_end = 0
    for i, tok in enumerate(tokens[:-1]):
        if _token_case(tok) == "l":
            von_end = i + 1
    if not tokens:
        raise RecordError(f"name {raw!r} has no last name")
    given_tokens = [t for t in _depth0_split(first, _WS) if t]
    return Person(family=_join(tokens[von_end:]), given=_join(given_tokens),
                  particle=_join(tokens[:von_end]),
                  suffix=_join([jr]) if jr else None)


# ---------------------------------------------------------------- field helpers


def _int_in(text: str, low: int, high: int) -> int | None:
    # isdigit() alone takes "²" for a digit, which int() refuses.
    return int(text) if text.isascii() and text.isdigit() and low <= int(text) <= high \
        else None


def _month(value: str, raw: str) -> int | None:
    """A month from a macro (``jan``), a number, or a month name."""
    text = value.strip().lower().rstrip(".")
    if text in _MONTHS:
        return _MONTHS[text]
    if text in _MONTH_NAMES:
        return _MONTH_NAMES[text]
    if text[:3] in _MONTHS and len(text) >= 3 and _MONTH_NAMES.get(text) is None:
        for name, number in _MONTH_NAMES.items():
            if name.startswith(text):
                return number
    return _int_in(text, 1, 12)


def _pages(text: str) -> str:
    return re.sub(r"\s*-{1,3}\s*", "-", text)


def _split_keywords(text: str) -> tuple[str, ...]:
    sep = ";" if ";" in text else ","
    return tuple(k for k in (fold_lines(w) for w in text.split(sep)) if k)


# ---------------------------------------------------------------- the reader


class BibTeXReader(Reader):
    """Reads BibTeX (and the BibLaTeX fields it meets) into the model."""

    name: ClassVar[str] = "bibtex"
    description: ClassVar[str] = "BibTeX .bib files (JabRef, Zotero/Better BibTeX, DBLP)"
    suffixes: ClassVar[tuple[str, ...]] = (".bib", ".bibtex")

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        """Recognise ``@type{`` blocks; a ``.bib`` suffix alone is a weak hint."""
        score = 30 if suffix in (".bib", ".bibtex") else 0
        if re.search(r"(?m)^\s*@\s*[A-Za-z]+\s*[{(]", head):
            score = max(score, 85 if not head.lstrip().startswith(("{", "[")) else 30)
        return score

    def read(self, source: TextSource) -> Iterator[Paper]:
        """Yield the papers of a .bib input; report and skip broken entries."""
        return _BibParser(self, source).run()


class BibLaTeXReader(BibTeXReader):
    """Reads BibLaTeX (biber) files: the same reader, named for the dialect."""

    name: ClassVar[str] = "biblatex"
    description: ClassVar[str] = "BibLaTeX .bib files (biber fields: date, journaltitle, ...)"

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        """Just above ``bibtex`` when BibLaTeX-only fields appear, else just below."""
        score = super().sniff(head, suffix)
        if score and re.search(r"(?im)^\s*(journaltitle|date|location|eventtitle)\s*=", head):
            return score + 1
        return max(score - 1, 0)


class _BibParser:
    """One pass over one input: chunks, macros, pending crossrefs."""

    def __init__(self, reader: BibTeXReader, source: TextSource) -> None:
        self.reader = reader
        self.source = source
        self.reporter: Reporter = source.reporter
        self.origin = source.origin
        self.macros = _Macros()
        self.seen: set[str] = set()
        self.parents: dict[str, _Entry] = {}
        self.pending: list[_Entry] = []

    def run(self) -> Iterator[Paper]:
        chunk: list[str] = []
        offset = 0  # line number of the chunk's first line, minus one
        count = 0
        for lineno, line in self.source.lines():
            if count >= _CHUNK_LINES and _BLOCK_START.match(line):
                yield from self._chunk("\n".join(chunk), offset)
                chunk, offset, count = [], lineno - 1, 0
            if not chunk:
                offset = lineno - 1
            chunk.append(line)
            count += 1
        if chunk:
            yield from self._chunk("\n".join(chunk), offset)
        for entry in self.pending:
            parent = self.parents.get(entry.fields["crossref"].strip("{}\" ").lower())
            if parent is None:
                self.reporter.warn("crossref-missing",
                                   f"entry {entry.key!r}: crossref target not found",
                                   self.origin, entry.line)
            paper = self._convert(entry, parent)
            if paper is not None:
                yield paper

    def _chunk(self, text: str, offset: int) -> Iterator[Paper]:
        library = parse_string(text, parse_stack=[])
        for block in library.blocks:
            line = offset + (block.start_line or 0) + 1
            if isinstance(block, bm.String):
                self._string(block, line)
            elif isinstance(block, bm.Entry):
                paper = self._entry(block, line)
                if paper is not None:
                    yield paper
            elif isinstance(block, bm.DuplicateBlockKeyBlock):
                self.reporter.error("duplicate-key",
                                    f"entry key {block.key!r} repeats an earlier entry; "
                                    "this entry was skipped", self.origin, line)
            elif isinstance(block, bm.DuplicateFieldKeyBlock):
                self.reporter.error("duplicate-field",
                                    "an entry names a field twice; entry skipped",
                                    self.origin, line)
            elif isinstance(block, bm.ParsingFailedBlock):
                detail_lines = str(block.error or "").strip().splitlines()
                detail = detail_lines[-1].strip() if detail_lines else ""
                raw_lines = (block.raw or "").strip().splitlines()
                head = raw_lines[0][:60] if raw_lines else ""
                detail = detail or "not closed (unbalanced braces or quotes?)"
                self.reporter.error("bibtex-syntax", f"entry skipped: {detail} ({head})",
                                    self.origin, line)

    def _string(self, block: bm.String, line: int) -> None:
        unknown: list[str] = []
        try:
            self.macros.table[block.key.lower()] = self.macros.expand(str(block.value), unknown)
        except RecordError as exc:
            self.reporter.error("bibtex-syntax", f"@string {block.key}: {exc}", self.origin, line)
            return
        for name in unknown:
            self.reporter.warn("unknown-macro", f"@string {block.key}: undefined macro {name!r}",
                               self.origin, line)

    def _entry(self, block: bm.Entry, line: int) -> Paper | None:
        key = block.key
        if key.lower() in self.seen:
            self.reporter.error("duplicate-key",
                                f"entry key {key!r} repeats an earlier entry; entry skipped",
                                self.origin, line)
            return None
        self.seen.add(key.lower())
        entry = _Entry(block.entry_type.lower(), key, line)
        unknown: list[str] = []
        try:
            for f in block.fields:
                raw = str(f.value)
                if len(raw) > MAX_FIELD:
                    raise RecordError(f"field {f.key} is {len(raw):,} characters long "
                                      f"(limit {MAX_FIELD:,})")
                name = f.key.lower()
                if name == "month":
                    entry.fields[name] = self._month_raw(raw, unknown)
                else:
                    entry.fields[name] = self.macros.expand(raw, unknown)
                entry.lines[name] = offset_line(line, f.start_line, block.start_line)
        except RecordError as exc:
            self.reporter.error("bad-record", f"entry {key!r} skipped: {exc}", self.origin, line)
            return None
        for name in unknown:
            self.reporter.warn("unknown-macro", f"entry {key!r}: undefined macro {name!r} "
                               "kept as text", self.origin, line)
        if entry.type in _PARENT_TYPES:
            self.parents[key.lower()] = entry
        if "crossref" in entry.fields:
            target = entry.fields["crossref"].strip().lower()
            parent = self.parents.get(target)
            if parent is None:
                # BibTeX puts parents after children: wait for it, and remember it when seen.
                self.pending.append(entry)
                return None
            return self._convert(entry, parent)
        return self._convert(entry, None)

    def _month_raw(self, raw: str, unknown: list[str]) -> str:
        parts = _split_concat(raw)
        if len(parts) == 1 and parts[0].lower() in _MONTHS:
            return parts[0].lower()
        return self.macros.expand(raw, unknown)

    def _convert(self, entry: _Entry, parent: _Entry | None) -> Paper | None:
        if parent is not None:
            _inherit(entry, parent)
        try:
            return _build(entry, self.reporter, self.origin)
        except (RecordError, LatexError) as exc:
            self.reporter.error("bad-record", f"entry {entry.key!r} skipped: {exc}",
                                self.origin, entry.line)
        except Exception as exc:
            self.reporter.error("bad-record",
                                f"entry {entry.key!r} skipped: {type(exc).__name__}: {exc}",
                                self.origin, entry.line)
        return None


def offset_line(entry_line: int, field_start: int | None, block_start: int | None) -> int:
    """The file line of a field, from bibtexparser's chunk-relative line numbers."""
    if field_start is None or block_start is None:
        return entry_line
    return entry_line + field_start - block_start


def _inherit(entry: _Entry, parent: _Entry) -> None:
    """Fill an entry's missing fields from its crossref parent (BibTeX and biber rules)."""
    fields = entry.fields
    if entry.type in _IN_TYPES:
        if "booktitle" not in fields and "title" in parent.fields:
            fields["booktitle"] = parent.fields["title"]
        if "booksubtitle" not in fields and "subtitle" in parent.fields:
            fields["booksubtitle"] = parent.fields["subtitle"]
    for name, value in parent.fields.items():
        if name in ("title", "subtitle", "titleaddon", "ids", "crossref", "shorthand"):
            continue
        fields.setdefault(name, value)


# ---------------------------------------------------------------- entry -> Paper


def _build(entry: _Entry, reporter: Reporter, origin: str) -> Paper:
    fields = entry.fields
    commands: list[str] = []

    def text(name: str, ligatures: bool = True, markup: bool = False) -> str | None:
        raw = fields.get(name)
        if raw is None:
            return None
        decoded = decode_latex(raw, ligatures=ligatures, markup=markup)
        commands.extend(decoded.unknown)
        value = fold_lines(strip_controls(decoded.text))
        return value or None

    def paragraphs(name: str) -> str | None:
        raw = fields.get(name)
        if raw is None:
            return None
        decoded = decode_latex(raw, markup=True)
        commands.extend(decoded.unknown)
        paras = re.split(r"\n[ \t]*\n+", strip_controls(decoded.text))
        value = "\n\n".join(p for p in (fold_lines(p) for p in paras) if p)
        return value or None

    extra: dict[str, Any] = {}
    type_name = entry.type
    csl_type = ENTRY_TYPES.get(type_name)
    if csl_type is None:
        reporter.warn("unknown-entry-type",
                      f"entry {entry.key!r}: unknown entry type @{type_name}; read as a "
                      "generic document", origin, entry.line)
        csl_type = "document"
    subtype = (fields.get("entrysubtype") or "").strip().lower()
    if type_name == "article" and subtype in ("magazine", "newspaper"):
        csl_type = f"article-{subtype}"
    eprinttype = (fields.get("eprinttype") or fields.get("archiveprefix") or "").lower()
    if type_name in ("misc", "online", "unpublished", "preprint") and \
            eprinttype.strip() in _PREPRINT_SERVERS:
        csl_type = "article"
    if _CANONICAL_ENTRY.get(csl_type) != type_name and not (
            csl_type == "article" and type_name in ("misc", "online", "preprint")) and not (
            csl_type == "thesis" and type_name in _THESIS_GENRE):
        extra["bibtex-type"] = type_name

    # Styling in titles, abstracts and notes is kept as CSL rich text (<i>, <b>, ...):
    # what Zotero and pandoc import, and what the BibTeX writers turn back into LaTeX.
    title = text("title", markup=True)
    subtitle = text("subtitle", markup=True)
    if title and subtitle:
        title = f"{title}: {subtitle}"
    addon = text("titleaddon", markup=True)
    if title and addon:
        title = f"{title}. {addon}"
    if not title:
        reporter.warn("missing-title", f"entry {entry.key!r} has no title", origin, entry.line)

    authors, truncated = _names(fields.get("author"))
    editors, ed_truncated = _names(fields.get("editor"))
    if truncated:
        extra["authors-truncated"] = True
    if ed_truncated:
        extra["editors-truncated"] = True

    issued = _issued(fields, entry, reporter, origin, extra)

    venue = _venue(entry, csl_type, text)
    genre = text("type")
    genre = _TYPE_KEYS.get(genre, genre) if genre else _THESIS_GENRE.get(type_name)
    publisher = text("publisher")
    for alt in ("school", "institution", "organization"):
        value = text(alt)
        if value is None:
            continue
        if publisher is None and (alt != "organization" or csl_type != "paper-conference"):
            publisher = value
        else:
            extra[alt] = value
    issue = text("issue")
    number = text("number")
    if issue is None:
        issue = number
    elif number is not None:
        extra["number"] = number
    doi = text("doi", ligatures=False)  # "--" in a DOI is two hyphens, not a dash
    if doi:
        doi = strip_doi_prefix(doi)
    url = _url(fields["url"]) if fields.get("url") else None
    if url is not None and _NEXT_URL.search(url) is not None:
        # Mendeley writes all of an item's links in one field, a space between them:
        # the first is the URL, the others are kept.
        url, *others = _NEXT_URL.split(url)
        extra["other-url"] = others
    keywords = _split_keywords(text("keywords") or "")
    language = text("langid") or text("language")
    if language is not None:
        language = language_tag(language)  # "english" -> "en", as CSL's language is
    if fields.get("langid") and fields.get("language"):
        extra["language"] = text("language")

    # One thing under biblatex's name and classic BibTeX's: the first is read, and the
    # other, when it says something else, is kept in extra rather than lost. Both an
    # address and a location is a classic BibTeX entry's (ACM's exports): there the
    # address is the publisher's place and the location the event's.
    for first, second in (("address", "location"), ("journaltitle", "journal"),
                          ("shortjournal", "journalabbr")):
        if fields.get(first) and fields.get(second):
            other = text(second)
            if other and other != text(first):
                # The event's place under CSL's name for it, which CSL-JSON writes.
                extra["event-place" if second == "location" else second] = other
    for name in fields:
        if name in _HANDLED or name in extra:
            continue
        if name in ("entrysubtype",) and csl_type.startswith("article-"):
            continue
        if name in VERBATIM_FIELDS:
            # biblatex reads these verbatim (a JabRef file link, an eprint id): kept as
            # written, and written back so.
            value = verbatim_text(fields[name]) or None
        elif name in ("annote", "annotation", "comment"):
            value = paragraphs(name)
        else:
            value = text(name)
        if value is not None:
            extra[name] = value
    if commands:
        reporter.warn("latex-command",
                      f"entry {entry.key!r}: unknown LaTeX command(s) "
                      f"{', '.join(sorted(set(commands))[:5])} kept as written",
                      origin, entry.line)
    return Paper(
        title=title or "",
        type=csl_type,
        author=authors,
        editor=editors,
        issued=issued,
        venue=venue,
        volume=text("volume"),
        issue=issue,
        page=_pages(text("pages", ligatures=False) or "") or None,
        publisher=publisher,
        publisher_place=text("address") or text("location"),
        doi=doi or None,
        url=url.replace(" ", "%20") if url else None,
        isbn=text("isbn"),
        issn=text("issn"),
        abstract=paragraphs("abstract"),
        keywords=keywords,
        language=language,
        note=text("note", markup=True),
        genre=genre,
        id=entry.key,
        origin=origin,
        line=entry.line,
        extra=extra or {},
    )


# Where a field holding several links has the next one.
_NEXT_URL = re.compile(r"\s+(?=(?:https?|ftp)://)")


def _url(raw: str) -> str | None:
    """A URL as written, with the few escapes writers put in one undone (Mendeley
    braces them too: ``{\\_}``, ``{\\%}``); spaces kept (see the caller)."""
    raw = re.sub(r"\{(\\[%_#&$~])\}", r"\1", raw)
    return fold_lines(re.sub(r"\\([%_#&$~{}])", r"\1", raw)) or None


def _names(raw: str | None) -> tuple[tuple[Person, ...], bool]:
    if raw is None:
        return (), False
    names = split_names(raw)
    truncated = bool(names) and names[-1].strip().lower() == "others"
    if truncated:
        names = names[:-1]
    return tuple(parse_bibtex_name(n) for n in names), truncated


def _issued(fields: Mapping[str, str], entry: _Entry, reporter: Reporter, origin: str,
            extra: dict[str, Any]) -> Date | None:
    date_raw = fields.get("date")
    if date_raw is not None:
        match = _DATE.match(date_raw)
        if match:
            year = int(match.group(1))
            month = _int_in(match.group(2) or "", 1, 12)
            day = _int_in(match.group(3) or "", 1, 31) if month else None
            if "/" in date_raw or "T" in date_raw:
                extra["date"] = date_raw.strip()
            return Date(year, month, day)
        reporter.warn("bad-date", f"entry {entry.key!r}: date {date_raw!r} not understood; "
                      "kept in extra", origin, entry.lines.get("date", entry.line))
        extra["date"] = date_raw.strip()
    year_raw = fields.get("year")
    if year_raw is None:
        return None
    year_text = decode_latex(year_raw).text
    match = _YEAR.match(year_text)
    if not match:
        reporter.warn("bad-date", f"entry {entry.key!r}: year {year_text!r} is not a number; "
                      "kept in extra", origin, entry.lines.get("year", entry.line))
        extra["year"] = fold_lines(year_text)
        return None
    month = None
    if "month" in fields:
        month = _month(fields["month"], fields["month"])
        if month is None:
            reporter.warn("bad-date", f"entry {entry.key!r}: month {fields['month']!r} not "
                          "understood; kept in extra", origin, entry.lines.get("month", entry.line))
            extra["month"] = fold_lines(fields["month"])
    day = None
    if month is not None and "day" in fields:
        day = _int_in(fields["day"].strip(), 1, 31)
        if day is None:
            extra["day"] = fold_lines(fields["day"])
    return Date(int(match.group(1)), month, day)


def _venue(entry: _Entry, csl_type: str, text: Any) -> Venue | None:
    """The venue: a journal for articles, the proceedings/book for contained works."""
    journal = text("journaltitle") or text("journal")
    short = text("shortjournal") or text("journalabbr")
    if journal:
        kind = {"article-magazine": "magazine", "article-newspaper": "newspaper"}.get(
            csl_type, "journal")
        return Venue(name=journal, short=short, kind=kind)
    booktitle = text("booktitle")
    if booktitle:
        sub = text("booksubtitle")
        if sub:
            booktitle = f"{booktitle}: {sub}"
        event = text("eventtitle")
        kind = "conference" if csl_type == "paper-conference" else "book"
        return Venue(name=event or booktitle, short=short, kind=kind,
                     container_title=booktitle if event and event != booktitle else None)
    event = text("eventtitle")
    if event:
        return Venue(name=event, short=short, kind="conference")
    if csl_type == "article":
        # A preprint: its server (biblatex eprinttype, or howpublished) is the venue.
        server = text("eprinttype") or text("archiveprefix") or text("howpublished")
        if server:
            return Venue(name=server, short=short, kind="preprint")
    return None

"""Reader for CSL-JSON (format ``csl-json``): Zotero, pandoc, citeproc and our own output.

JSON needs the whole text, so the input is read at once; items are then decoded one
at a time (with the line each starts on) and checked against the CSL-JSON schema's
rules by hand. An item that breaks them is reported with its JSON path and line and
skipped; the items around it still convert. A syntax error ends the input, after the
items before it have been read. CSL-YAML is not read (PyYAML is not a dependency).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from ..csl import NUMBERED_TYPES, csl_date
from ..diagnostics import Reporter
from ..errors import ParseError
from ..model import CSL_TYPES, Date, Paper, Person, Venue
from ..plugin import Reader, TextSource
from ..text import fold_lines, strip_controls, strip_doi_prefix

__all__ = ["CSLJSONLinesReader", "CSLJSONReader", "ItemError", "iter_json_items",
           "iter_json_stream"]

_DECODER = json.JSONDecoder()


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a multi-line literal, as a set."""
    return frozenset(re.split(r"\s+", text.strip()))


_WS = re.compile(r"\s*")
# Keys only CSL-JSON uses (hyphenated or upper-case variable names, date-parts).
_CSL_MARKERS = re.compile(r'"(?:container-title|date-parts|DOI|URL|ISSN|ISBN|non-dropping-particle|'
                          r'publisher-place|collection-title|citation-key|event-title)"')
_CANONICAL_MARKERS = re.compile(r'"(?:venue|container_title|publisher_place|particle|cluster|'
                                r'origin)"\s*:|"issued"\s*:\s*\{\s*"year"')
_STRING_VARS = _words(
    """title title-short container-title container-title-short collection-title event-title
    event event-place publisher publisher-place abstract note genre language DOI URL ISBN ISSN
    PMID PMCID archive archive_location call-number medium source status version keyword
    original-title references annote citation-key journalAbbreviation shortTitle
    reviewed-title dimensions scale section authority jurisdiction""")
_NUMBER_VARS = _words(
    """volume issue page number edition chapter-number collection-number number-of-pages
    number-of-volumes citation-number page-first first-reference-note-number
    part-number supplement-number printing-number volume-title""")
_NAME_KEYS = frozenset({"family", "given", "non-dropping-particle", "dropping-particle",
                        "suffix", "literal", "comma-suffix", "static-ordering", "parse-names",
                        "isInstitution"})
_HANDLED = _words(
    """id type title author editor issued container-title container-title-short
    journalAbbreviation event-title event volume issue page publisher publisher-place DOI URL
    ISBN ISSN abstract keyword language note genre custom""")
_KIND = {"article-journal": "journal", "paper-conference": "conference", "article": "preprint",
         "article-magazine": "magazine", "article-newspaper": "newspaper", "chapter": "book",
         "entry-encyclopedia": "book", "entry-dictionary": "book"}


class ItemError(ValueError):
    """One JSON item breaks the schema; the message starts with its JSON path."""


def _line_of(text: str, pos: int, cache: list[int]) -> int:
    """1-based line of ``pos``, counting newlines incrementally (cache = [pos, line])."""
    last, line = cache
    line += text.count("\n", last, pos)
    cache[0], cache[1] = pos, line
    return line


#: A single JSON item larger than this is refused rather than buffered without end.
MAX_ITEM_CHARS = 64 * 1024 * 1024


class _Window:
    """A sliding window over text chunks: what is parsed is dropped, lines are counted."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self.text = ""
        self.first_line = 1  # the line number of text[0]
        self.done = False

    def more(self) -> bool:
        """Append the next chunk; False when there is none."""
        for chunk in self._chunks:
            if chunk:
                self.text += chunk
                return True
        self.done = True
        return False

    def line_of(self, pos: int) -> int:
        return self.first_line + self.text.count("\n", 0, pos)

    def drop(self, pos: int) -> int:
        """Forget text before pos (already parsed); returns the new position, 0."""
        self.first_line += self.text.count("\n", 0, pos)
        self.text = self.text[pos:]
        return 0

    def next_line(self, pos: int) -> int:
        """The start of the line after the one pos is on (the end when there is none)."""
        while True:
            newline = self.text.find("\n", pos)
            if newline >= 0:
                return newline + 1
            if not self.more():
                return len(self.text)

    def skip_space(self, pos: int) -> int:
        while True:
            pos = _WS.match(self.text, pos).end()  # type: ignore[union-attr]
            if pos < len(self.text) or not self.more():
                return pos

    def value(self, pos: int) -> tuple[Any, int]:
        """Decode one JSON value at pos, reading more text while it may be cut short."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, pos)
            except json.JSONDecodeError:
                if self.done or len(self.text) - pos > MAX_ITEM_CHARS or not self.more():
                    raise
                continue
            # A number near the end of the window may go on in the next chunk ("12" of
            # "1234", "0." of "0.5"); every other value ends with its own delimiter.
            if (not self.done and isinstance(value, (int, float)) and not isinstance(value, bool)
                    and end > len(self.text) - 64 and self.more()):
                continue
            return value, end


def iter_json_stream(
    chunks: Iterable[str],
    origin: str,
    on_bad_line: Callable[[int, str], None] | None = None,
) -> Iterator[tuple[int, int, Any]]:
    """Yield (index, line, value) for each element of a top-level JSON array, reading
    text chunk by chunk so that only the item being decoded is held in memory.

    A top-level object is one item; several objects one after another (JSON Lines)
    are items in turn. Raises :class:`ParseError` with the line on a syntax error,
    after the elements before it were yielded — except in JSON Lines when
    ``on_bad_line(line, message)`` is given: then the broken line is reported to it
    and reading goes on at the next line.
    """
    window = _Window(iter(chunks))
    pos = window.skip_space(0)
    if pos >= len(window.text):
        return
    index = 0
    try:
        if window.text[pos] != "[":
            # One object, or JSON Lines (one object per line, as the *-jsonl writers write).
            while pos < len(window.text):
                line = window.line_of(pos)
                try:
                    value, pos = window.value(pos)
                except json.JSONDecodeError as exc:
                    if on_bad_line is None:
                        raise
                    on_bad_line(line, f"invalid JSON: {exc.msg}")
                    pos = window.skip_space(window.drop(window.next_line(pos)))
                    continue
                yield index, line, value
                index += 1
                pos = window.skip_space(window.drop(pos))
            return
        pos = window.skip_space(pos + 1)
        if window.text.startswith("]", pos):
            return
        while True:
            line = window.line_of(pos)
            value, pos = window.value(pos)
            yield index, line, value
            index += 1
            pos = window.skip_space(window.drop(pos))
            if window.text.startswith("]", pos):
                return
            if not window.text.startswith(",", pos):
                raise json.JSONDecodeError("expected ',' or ']'", window.text, pos)
            pos = window.skip_space(pos + 1)
    except json.JSONDecodeError as exc:
        line = window.first_line + exc.lineno - 1
        raise ParseError(f"invalid JSON: {exc.msg} (column {exc.colno})", origin, line) from exc
    except RecursionError as exc:
        raise ParseError("JSON nested too deeply", origin, window.line_of(pos)) from exc


def _skipper(source: TextSource) -> Callable[[int, str], None]:
    """Report a broken JSON Lines line as an error and let reading go on."""
    def bad_line(line: int, message: str) -> None:
        source.reporter.error("invalid-json", f"{message}; line skipped", source.origin, line)
    return bad_line


def iter_json_items(text: str, origin: str) -> Iterator[tuple[int, int, Any]]:
    """:func:`iter_json_stream` over text already in memory."""
    return iter_json_stream([text], origin)


def _sniff_json(head: str) -> tuple[bool, bool]:
    """(looks like CSL-JSON, looks like canonical JSON) from the first bytes."""
    start = head.lstrip()[:1]
    if start not in ("[", "{") or '"papers"' in head:
        return False, False
    return bool(_CSL_MARKERS.search(head)), bool(_CANONICAL_MARKERS.search(head))


class CSLJSONReader(Reader):
    """Reads a CSL-JSON array (or one CSL-JSON item) into the model."""

    name: ClassVar[str] = "csl-json"
    description: ClassVar[str] = "CSL-JSON (Zotero, pandoc, citeproc-js, Mendeley exports)"
    suffixes: ClassVar[tuple[str, ...]] = (".json", ".csl.json", ".csljson")

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        """CSL variable names (``container-title``, ``date-parts``, ``DOI``) mark CSL-JSON."""
        csl, canonical = _sniff_json(head)
        if csl and not canonical:
            return 80
        if head.lstrip()[:1] in ("[", "{") and '"type"' in head and not canonical \
                and '"papers"' not in head:
            return 45
        return 25 if suffix in (".csl.json", ".csljson") else 0

    def read(self, source: TextSource) -> Iterator[Paper]:
        """Yield one paper per valid item; report and skip invalid ones."""
        reporter = source.reporter
        for index, line, item in iter_json_stream(source.chunks(), source.origin,
                                                     _skipper(source)):
            path = f"$[{index}]"
            try:
                yield csl_to_paper(item, path, source.origin, line, reporter)
            except ItemError as exc:
                reporter.error("invalid-item", f"{exc}; item skipped", source.origin, line)
            except Exception as exc:  # hostile input must never end the run
                reporter.error("invalid-item", f"{path}: {type(exc).__name__}: {exc}; "
                               "item skipped", source.origin, line)


# ---------------------------------------------------------------- validation helpers


def _string(item: Mapping[str, Any], key: str, path: str, number_ok: bool = False) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or (
            not number_ok and not isinstance(value, str)):
        kind = "a string or number" if number_ok else "a string"
        raise ItemError(f"{path}.{key}: expected {kind}, got {type(value).__name__}")
    text = fold_lines(strip_controls(str(value)))
    return text or None


def _raw_string(item: Mapping[str, Any], key: str, path: str) -> str | None:
    """A string value as given (paragraphs kept), or None; non-strings are errors."""
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise ItemError(f"{path}.{key}: expected a string, got {type(value).__name__}")
    return value


def _names(item: Mapping[str, Any], key: str, path: str) -> tuple[Person, ...]:
    value = item.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ItemError(f"{path}.{key}: expected a list of names")
    people = []
    for i, name in enumerate(value):
        where = f"{path}.{key}[{i}]"
        if not isinstance(name, dict):
            raise ItemError(f"{where}: expected a name object")
        unknown = sorted(set(name) - _NAME_KEYS)
        if unknown:
            raise ItemError(f"{where}: unknown name part(s) {', '.join(unknown)}")
        parts = {k: _string(name, k, where) for k in
                 ("family", "given", "non-dropping-particle", "dropping-particle", "suffix",
                  "literal")}
        if not any(parts.values()):
            raise ItemError(f"{where}: empty name")
        people.append(Person(
            family=parts["family"], given=parts["given"],
            particle=parts["non-dropping-particle"],
            dropping_particle=parts["dropping-particle"], suffix=parts["suffix"],
            literal=parts["literal"]))
    return tuple(people)


def _int_part(value: Any, where: str) -> int:
    if isinstance(value, bool):
        raise ItemError(f"{where}: expected a number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,6}", value.strip()):
        return int(value)
    raise ItemError(f"{where}: expected a number, got {value!r}")


def _date(item: Mapping[str, Any], key: str, path: str, extra: dict[str, Any]) -> Date | None:
    value = item.get(key)
    if value is None:
        return None
    where = f"{path}.{key}"
    if not isinstance(value, dict):
        raise ItemError(f"{where}: expected a date object")
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and len(parts[0]) == 1 \
            and isinstance(parts[0][0], str) and "-" in parts[0][0] \
            and "date-parts" in (iso := csl_date(parts[0][0])):
        # [["2020-05"]]: an ISO date written as the year part (some exports do).
        parts = [*iso["date-parts"], *parts[1:]]
    if parts is not None:
        if not isinstance(parts, list) or not parts or not isinstance(parts[0], list) \
                or not 1 <= len(parts[0]) <= 3:
            raise ItemError(f"{where}.date-parts: expected [[year, month?, day?], ...]")
        nums = [_int_part(p, f"{where}.date-parts[0][{i}]") for i, p in enumerate(parts[0])]
        if len(parts) > 1 or any(k not in ("date-parts",) for k in value):
            extra[key] = value
        month = nums[1] if len(nums) > 1 and 1 <= nums[1] <= 12 else None
        day = nums[2] if month and len(nums) > 2 and 1 <= nums[2] <= 31 else None
        return Date(nums[0], month, day)
    raw = value.get("raw") or value.get("literal")
    if isinstance(raw, str):
        match = re.match(r"^\s*(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", raw)
        if match:
            month = int(match.group(2)) if match.group(2) and 1 <= int(match.group(2)) <= 12 \
                else None
            day = int(match.group(3)) if month and match.group(3) else None
            if not re.fullmatch(r"\s*-?\d{4}(?:-\d{2}(?:-\d{2})?)?\s*", raw):
                extra[key] = value
            return Date(int(match.group(1)), month, day)
        extra[key] = value
        return None
    raise ItemError(f"{where}: expected date-parts, raw or literal")


def _issued(item: Mapping[str, Any], path: str, extra: dict[str, Any], reporter: Reporter,
            origin: str | None, line: int | None) -> Date | None:
    """The item's date; one that cannot be read costs the date (kept in ``extra``, so a
    writer says it is lost), not the item."""
    try:
        return _date(item, "issued", path, extra)
    except ItemError as exc:
        reporter.warn("bad-date", f"{exc}; the date is left out", origin, line)
        extra["issued"] = item["issued"]
        return None


def csl_to_paper(item: Any, path: str, origin: str | None, line: int | None,
                 reporter: Reporter) -> Paper:
    """One CSL-JSON item as a paper; raises :class:`ItemError` naming the JSON path."""
    if not isinstance(item, dict):
        raise ItemError(f"{path}: expected an item object, got {type(item).__name__}")
    csl_type = item.get("type")
    if not isinstance(csl_type, str):
        raise ItemError(f"{path}.type: required string")
    if csl_type not in CSL_TYPES:
        raise ItemError(f"{path}.type: {csl_type!r} is not a CSL item type")
    ident = item.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int))):
        raise ItemError(f"{path}.id: expected a string or number")
    extra: dict[str, Any] = {}
    for key, value in item.items():
        if key in _HANDLED:
            continue
        if key in _STRING_VARS:
            _string(item, key, path)
        elif key in _NUMBER_VARS:
            _string(item, key, path, number_ok=True)
        extra[key] = value
    if csl_type in NUMBERED_TYPES and item.get("issue") is None:
        extra.pop("number", None)  # a report's number: the model's issue (see below)
    title = _string(item, "title", path)
    if title is None:
        reporter.warn("missing-title", f"{path}: item has no title", origin, line)
    authors = _names(item, "author", path)
    custom = item.get("custom")
    if custom is not None and not isinstance(custom, dict):
        raise ItemError(f"{path}.custom: expected an object")
    ids = (custom or {}).get("author-ids")
    if isinstance(ids, list) and len(ids) == len(authors):
        authors = tuple(
            Person(family=p.family, given=p.given, particle=p.particle,
                   dropping_particle=p.dropping_particle, suffix=p.suffix, literal=p.literal,
                   homonym=str(i["homonym"]) if isinstance(i, dict) and i.get("homonym") else None,
                   orcid=str(i["orcid"]) if isinstance(i, dict) and i.get("orcid") else None)
            for p, i in zip(authors, ids, strict=True))
        custom = {k: v for k, v in (custom or {}).items() if k != "author-ids"}
    if custom:
        extra["custom"] = custom
    container = _string(item, "container-title", path)
    short = _string(item, "container-title-short", path) or _string(
        item, "journalAbbreviation", path)
    event = _string(item, "event-title", path) or _string(item, "event", path)
    venue = None
    if container or event:
        venue = Venue(name=event or container or "", short=short, kind=_KIND.get(csl_type),
                      container_title=container if event and container != event else None)
    elif short:
        extra["container-title-short"] = short
    keyword = _string(item, "keyword", path)
    keywords = tuple(k.strip() for k in re.split(r"[,;]", keyword) if k.strip()) if keyword \
        else ()
    abstract = _raw_string(item, "abstract", path)
    return Paper(
        title=title or "",
        type=csl_type,
        author=authors,
        editor=_names(item, "editor", path),
        issued=_issued(item, path, extra, reporter, origin, line),
        venue=venue,
        volume=_string(item, "volume", path, number_ok=True),
        issue=_string(item, "number", path, number_ok=True)
        if csl_type in NUMBERED_TYPES and item.get("issue") is None
        else _string(item, "issue", path, number_ok=True),
        page=_string(item, "page", path, number_ok=True),
        publisher=_string(item, "publisher", path),
        publisher_place=_string(item, "publisher-place", path),
        doi=strip_doi_prefix(doi) or None if (doi := _string(item, "DOI", path)) else None,
        url=_string(item, "URL", path),
        isbn=_string(item, "ISBN", path),
        issn=_string(item, "ISSN", path),
        abstract=_paragraphs(abstract),
        keywords=keywords,
        language=_string(item, "language", path),
        note=_lines(_raw_string(item, "note", path)),
        genre=_string(item, "genre", path),
        id=str(ident) if ident is not None else None,
        origin=origin,
        line=line,
        extra=extra or {},
    )


def _lines(value: str | None) -> str | None:
    """A note with its line breaks kept: Zotero writes one entry per line in it
    ("tex.eprint: 1", "PMID: 2"), which other tools read line by line. Spaces within a
    line are folded, and runs of blank lines kept as one."""
    if not value:
        return None
    lines = [fold_lines(line) for line in strip_controls(value.replace("\r\n", "\n")).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") or None


def _paragraphs(value: str | None) -> str | None:
    if not value:
        return None
    paras = re.split(r"\n[ \t]*\n+", strip_controls(value.replace("\r\n", "\n")))
    return "\n\n".join(p for p in (fold_lines(p) for p in paras) if p) or None


class CSLJSONLinesReader(CSLJSONReader):
    """Reads CSL-JSON Lines (one item per line, as the ``csl-jsonl`` writer writes them):
    the CSL-JSON reader, which takes either form, under the writer's name."""

    name: ClassVar[str] = "csl-jsonl"
    description: ClassVar[str] = "CSL-JSON Lines: one item per line (the CSL-JSON reader)"
    suffixes: ClassVar[tuple[str, ...]] = (".csl.jsonl", ".csljsonl")

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        # The CSL-JSON reader recognises the content; this name only wins on the suffix.
        return 0


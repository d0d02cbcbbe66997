"""Preparing CSL-JSON items for citeproc-py: validation, sanitising and input mapping.

citeproc-py crashes on malformed items (``"date-parts": [[]]``, a missing ``type``, a
name that is not an object) and treats values as trusted markup. :func:`prepare_item`
returns a copy it can render safely, with the input mapping that makes its output read
like citeproc-js:

- straight apostrophes become typographic (``O'Brien`` -> ``O’Brien``) and straight
  quotation marks become private-use markers that :mod:`.post` resolves to the locale's
  outer or inner quotes once it knows whether they ended up inside a quoted title;
- a personal name citeproc-js does not invert (a family name with no Latin, Greek,
  Cyrillic, Hebrew, Arabic or Thai letter, and a given name that does not start with
  one: CJK, Hangul, Devanagari, Bengali, Georgian, ...) becomes one literal name written
  family-first without a space, as citeproc-js prints it;
- a straight single quote that is the only one in a name part is an apostrophe
  (``'t Hooft`` -> ``’t Hooft``), as in citeproc-js, not an opening quotation mark;
- for HTML output every value is HTML-escaped with numeric entities (they survive
  ``text-case``), for Markdown and reStructuredText their markup characters are escaped;
- CSL-JSON's inline rich-text tags in values (``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
  ``<sc>``, ``<span class="nocase">``) are dropped, keeping their text, as citeproc-js
  does for plain text; any other ``<...>`` is ordinary text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..citeproc_fixes.initials import family_first_glued
from ..model import CSL_TYPES

__all__ = ["CJK_SPLIT", "CLOSE_DQ", "OPEN_DQ", "PAGE_HYPHEN", "ItemProblem", "prepare_item"]

#: Private-use markers for a straight double quote in the data (resolved in post.py).
OPEN_DQ = "\ue000"
CLOSE_DQ = "\ue001"
#: Private-use marker for the hyphen of a page range that is not numeric ("12.1-12.10"):
#: citeproc-js prints such ranges as written (singular label), citeproc-py reformats
#: them; post.py turns the marker back into "-".
PAGE_HYPHEN = "\ue002"
#: Private-use marker between the family and given name of a CJK name (see _name).
CJK_SPLIT = "\ue003"
_NUMERIC_PAGE = re.compile(r"[A-Za-z]*\d+[A-Za-z]*")

_NAME_KEYS = ("family", "given", "non-dropping-particle", "dropping-particle", "suffix", "literal")
_NAME_VARS = frozenset({
    "author", "editor", "translator", "container-author", "collection-editor", "composer",
    "director", "editorial-director", "illustrator", "interviewer", "original-author",
    "recipient", "reviewed-author", "chair", "compiler", "contributor", "curator",
    "executive-producer", "guest", "host", "narrator", "organizer", "performer",
    "producer", "script-writer", "series-creator",
})
_DATE_VARS = frozenset({"issued", "accessed", "event-date", "original-date", "submitted",
                        "available-date"})
_SKIP = frozenset({"id", "type", "custom", "abstract", "keyword", "note"})
_RICH_TAG = re.compile(r'</?(?:i|b|sup|sub|sc)>|<span class="nocase">|'
                       r'<span style="font-variant:\s*small-caps;?">|</span>')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ue000-\uf8ff]")
_SPACE = re.compile(r"\s+")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
# A straight single quote between letters/digits (or after a letter at a word end) is an
# apostrophe; after a space or an opening bracket it opens a quotation.
_OPEN_SINGLE = re.compile(r"(^|[\s(\[{\u201c\ue000\-/])'")
_OPEN_DOUBLE = re.compile(r'(^|[\s(\[{\u2018\-/])"')


class ItemProblem(ValueError):
    """An item that cannot be rendered at all (reported for its paper)."""


def _typographic(text: str) -> str:
    """Straight quotes and apostrophes as citeproc-js prints them."""
    if "'" in text:
        text = _OPEN_SINGLE.sub(lambda m: m.group(1) + "\u2018", text)
        text = text.replace("'", "\u2019")
    if '"' in text:
        text = _OPEN_DOUBLE.sub(lambda m: m.group(1) + OPEN_DQ, text)
        text = text.replace('"', CLOSE_DQ)
    return text


def _escape_html(text: str) -> str:
    # Numeric entities: ``&amp;`` would become ``&AMP;`` under text-case="uppercase".
    return text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_RST_SPECIAL = re.compile(r"([\\`*_|])")
# A URI scheme other than http(s) ("javascript:", "data:", "mailto:"): docutils would
# make a link of what follows it, and only DOIs and http(s) URLs are to be links.
# (At the start of a word only: a colon inside an http(s) URL or a DOI stays.)
_RST_SCHEME = re.compile(r"(?<!\S)(?!https?:)([A-Za-z][A-Za-z0-9+.-]*):(?=\S)")


def _escape_rst(text: str) -> str:
    text = _RST_SPECIAL.sub(r"\\\1", text)
    return _RST_SCHEME.sub(r"\1\\:", text) if ":" in text else text


ESCAPERS: dict[str, Callable[[str], str]] = {
    "text": lambda s: s,
    "html": _escape_html,
    "markdown": lambda s: _MD_SPECIAL.sub(r"\\\1", s),
    "rst": _escape_rst,
}


def _clean(value: Any, escape: Callable[[str], str], rich: bool = True) -> str | None:
    """A scalar value as clean text (or None when empty).

    ``rich``: the value may hold CSL-JSON rich-text tags (titles, not names: citeproc-js
    parses markup in text variables only and prints a name's ``<b>`` as written).
    """
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return None
    text = value if isinstance(value, str) else str(value)
    if rich and "<" in text:
        text = _RICH_TAG.sub("", text)
    text = _CONTROL.sub(" ", text)
    # Never cut: a cut title lost its end (and left a stray " ." before the next
    # field), and rendering takes time linear in the length anyway.
    text = _SPACE.sub(" ", text).strip()
    if not text:
        return None
    return escape(_typographic(text))


def _name(value: Any, escape: Callable[[str], str]) -> dict[str, str] | None:
    if isinstance(value, str):
        literal = _clean(value, escape, rich=False)
        return {"literal": literal} if literal else None
    if not isinstance(value, dict):
        return None
    out = {}
    for key in _NAME_KEYS:
        part = value.get(key)
        if isinstance(part, str) and part.count("'") == 1:
            # A lone quote cannot be a quotation: it is an apostrophe ('t Hooft, 'Abd).
            part = part.replace("'", "\u2019")
        cleaned = _clean(part, escape, rich=False)
        if cleaned:
            out[key] = cleaned
    if "literal" in out:
        return {"literal": out["literal"]}
    family, given = out.get("family"), out.get("given")
    if family and given and family_first_glued(str(value.get("family")),
                                               str(value.get("given"))):
        # One literal written family-first without a space; the marker lets short
        # forms print the family name alone ("张 et al."), as citeproc-js does. Its
        # dropping particle and suffix are not printed, its other particle is.
        particle = out.get("non-dropping-particle", "")
        return {"literal": particle + family + CJK_SPLIT + given}
    if not family:
        # citeproc-py needs a family name; a lone given name is a mononym.
        whole = " ".join(out[k] for k in ("given", "dropping-particle", "non-dropping-particle")
                         if k in out)
        return {"literal": whole} if whole else None
    return out


def _date(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        clean: list[list[int]] = []
        for row in parts[:2]:
            if not isinstance(row, list):
                break
            numbers: list[int] = []
            for part in row[:3]:
                try:
                    number = int(str(part).strip())
                except ValueError:
                    break
                numbers.append(number)
            # month 1-12 (13-24 are seasons; citeproc-py knows 13-16), day 1-31
            if len(numbers) > 1 and not 1 <= numbers[1] <= 16:
                numbers = numbers[:1]
            if len(numbers) > 2 and not 1 <= numbers[2] <= 31:
                numbers = numbers[:2]
            if numbers and numbers[0] != 0 and abs(numbers[0]) < 100000:
                clean.append(numbers)
        if clean:
            return {"date-parts": clean}
    raw = value.get("raw")
    if isinstance(raw, str) and (parsed := _raw_date(raw)) is not None:
        return parsed
    literal = value.get("literal") or raw
    if isinstance(literal, str) and literal.strip():
        return {"literal": literal.strip()}
    return None


_ISO_PART = r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"
_RAW_RANGE = re.compile(rf"\s*{_ISO_PART}\s*(?:(?:/|–|--)\s*{_ISO_PART}\s*)?")
_RAW_SEASON = re.compile(r"\s*(spring|summer|autumn|fall|winter)\s+(\d{4})\s*", re.I)
# Seasons as the months citeproc-py prints them by (13-16).
_SEASONS = {"spring": 13, "summer": 14, "autumn": 15, "fall": 15, "winter": 16}


def _raw_date(raw: str) -> dict[str, Any] | None:
    """A raw date citeproc-js would read, as date parts: an ISO 8601 date or interval
    ("2001/2003", "2018-05-20/2018-06-01") or a season and year ("Summer 2012");
    None for other text (printed as written, once)."""
    match = _RAW_RANGE.fullmatch(raw)
    if match is not None:
        groups = match.groups()
        rows = [[int(g) for g in groups[i:i + 3] if g is not None] for i in (0, 3)]
        return {"date-parts": [row for row in rows if row]}
    match = _RAW_SEASON.fullmatch(raw)
    if match is not None:
        return {"date-parts": [[int(match.group(2)), _SEASONS[match.group(1).lower()]]]}
    return None


def _protect_page(page: str) -> str:
    """Mark the hyphen of a non-numeric page range so citeproc-py leaves it alone."""
    if "-" not in page or "," in page or "&" in page:
        return page
    ends = page.split("-")
    if len(ends) == 2 and all(_NUMERIC_PAGE.fullmatch(end.strip()) for end in ends):
        return page
    return page.replace("-", PAGE_HYPHEN)


def prepare_item(item: dict[str, Any], internal_id: str, fmt: str = "text") -> dict[str, Any]:
    """A copy of ``item`` that citeproc-py renders without crashing, with id ``internal_id``.

    ``internal_id`` replaces the item's id because citeproc-py lower-cases ids (two keys
    differing in case would collide). Raises :class:`ItemProblem` only when nothing at
    all is left to print.
    """
    escape = ESCAPERS[fmt]
    kind = item.get("type")
    out: dict[str, Any] = {"id": internal_id,
                           "type": kind if isinstance(kind, str) and kind in CSL_TYPES
                           else "document"}
    for key, value in item.items():
        if key in _SKIP:
            continue
        if key in _NAME_VARS:
            if isinstance(value, list):
                names = [n for n in (_name(v, escape) for v in value) if n]
                if names:
                    out[key] = names
        elif key in _DATE_VARS:
            date = _date(value)
            if date:
                out[key] = date
        elif key == "language":
            if isinstance(value, str) and _LANGUAGE.fullmatch(value):
                out[key] = value
        elif key in ("URL", "DOI"):
            # Identifiers, not text: "<b>" in one is part of it (SICI DOIs hold "<>").
            text = _clean(value, lambda s: s, rich=False)
            if text:
                # Links are data too: no quote conversion, but escaped for the format.
                out[key] = escape(text.replace(OPEN_DQ, '"').replace(CLOSE_DQ, '"')
                                  .replace("\u2018", "'").replace("\u2019", "'"))
        else:
            text = _clean(value, escape)
            if text and key == "page":
                text = _protect_page(text)
            if text:
                out[key] = text
    if len(out) <= 2:
        raise ItemProblem("the item has no field a citation could print")
    return out

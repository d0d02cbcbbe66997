"""Bibliography sort keys computed the way citeproc-js computes and compares them.

citeproc-py sorts with its own rules (particles never demoted in macros, "et al." and
"and" inside name keys, month names compared as words, plain string comparison), so a
sorted bibliography comes out in a different order than Zotero's and every citation
number of a numeric style shifts. We compute each ``cs:key`` ourselves:

- a *macro* key is rendered by citeproc-py in a sort mode that our patches in
  :mod:`bibconv.citeproc_fixes` honour: names become ``family given`` (non-dropping
  particles demoted unless the style says ``never``), truncated by the et-al rules but
  without the "et al." and "and" terms; dates become ``1YYYYMMDD`` digit strings;
- a *variable* key uses the value directly (names and dates as above);
- keys are compared like citeproc-js's collator (``Intl.Collator`` with base sensitivity,
  ignored punctuation, numeric digit runs; spaces become a separator that sorts before
  every letter), an empty key sorts last ascending and first descending, ties keep the
  input order.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from html import unescape
from typing import Any

__all__ = ["SORT_FLAG", "LazyKeys", "collation_key", "compare", "compare_lazy", "date_key",
           "name_key", "sort_value", "sort_values"]

#: The sort option our citeproc-py patches look for ("render this for sorting").
SORT_FLAG = "bibconv:sort"

_NAME_VARS = frozenset({
    "author", "editor", "translator", "container_author", "collection_editor", "composer",
    "director", "editorial_director", "illustrator", "interviewer", "original_author",
    "recipient", "reviewed_author",
})
_DATE_VARS = frozenset({"issued", "accessed", "event_date", "original_date", "submitted"})
# Letters ICU's root collation treats as base letters of their own but which sort next
# to a Latin letter (NFKD does not decompose them).
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae",
                       "œ": "oe", "ß": "ss", "ı": "i", "ħ": "h", "ŧ": "t"})

_SEPARATOR = (0, 0, "")


def collation_key(text: str | None) -> tuple[tuple[int, int, str], ...] | None:
    """A tuple that orders strings as citeproc-js's collator does (None for empty)."""
    if text is None:
        return None
    text = str(text).strip()
    if not text:
        return None
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    out: list[tuple[int, int, str]] = []
    digits = ""
    for char in folded:
        if char.isdigit() and char.isascii():
            digits += char
            continue
        if digits:
            out.append((2, int(digits), ""))
            digits = ""
        if char.isspace():
            if out and out[-1] != _SEPARATOR:
                out.append(_SEPARATOR)
            continue
        category = unicodedata.category(char)
        if category[0] in "PM" or category in ("Cf", "Cc", "Co"):
            continue  # punctuation and accents are ignored
        if category[0] == "S":
            out.append((1, ord(char), ""))  # symbols sort before digits and letters
        else:
            out.append((3, 0, char))
    if digits:
        out.append((2, int(digits), ""))
    while out and out[-1] == _SEPARATOR:
        out.pop()
    return tuple(out) if out else None


def name_key(names: Any, demote: str, et_al_min: int | None = None,
             et_al_use_first: int | None = None, initialize: Any = None) -> str:
    """The sort string of a citeproc-py name list (``family given ...``, space-separated).

    ``initialize`` (a callable on the given name) is applied when the style initialises.
    """
    if not names:
        return ""
    names = list(names)
    if et_al_min and et_al_use_first and len(names) > 1 and len(names) >= et_al_min:
        names = names[:et_al_use_first]
    words: list[str] = []
    for name in names:
        literal = name.get("literal") if isinstance(name, dict) else None
        if literal:
            words.append(str(literal))
            continue
        try:
            given, family, dp, ndp, suffix = name.parts()
        except Exception:
            continue
        if given and initialize is not None:
            given = initialize(given)
        dp = str(dp).replace("'", "").replace("\u2019", "") if dp else dp
        ndp = str(ndp).replace("'", "").replace("\u2019", "") if ndp else ndp
        if demote == "never":
            parts = [ndp, family, dp, given, suffix]
        else:
            parts = [family, given, dp, ndp, suffix]
        words.append(" ".join(str(p) for p in parts if p))
    return " ".join(words)


def date_key(date: Any, parts: tuple[str, ...] = ("year", "month", "day")) -> str | None:
    """``1YYYYMMDD`` for a citeproc-py date (a range sorts by its start), as citeproc-js."""
    if not isinstance(date, dict):
        return None
    if "begin" in date:
        date = date["begin"]
    if "year" not in date:
        text = date.get("text")
        return str(text) if text else None
    try:
        year = int(date["year"])
        month = int(date.get("month") or date.get("season") or 0) if "month" in parts else 0
        day = int(date.get("day") or 0) if "day" in parts else 0
    except (TypeError, ValueError):
        return None
    prefix = "1"
    if year < 0:
        prefix, year = "0", 9999 - abs(year)
    return f"{prefix}{year:04d}{month:02d}{day:02d}"


def sort_value(key: Any, citem: Any, layout: Any, demote: str,
               et_al: tuple[int | None, int | None]) -> Any:
    """The collation key of one item for one ``cs:key`` element (None when empty)."""
    raw: Any = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            variable = key.get("variable")
            if variable == "citation-number":
                raw = None  # input order is the citation order
            elif variable:
                name = variable.replace("-", "_")
                value = citem.reference.get(name)
                if name in _NAME_VARS:
                    min_, first = _key_et_al(key, et_al)
                    raw = name_key(value, demote, min_, first)
                elif name in _DATE_VARS:
                    raw = date_key(value)
                elif value is not None:
                    raw = str(value)
            elif key.get("macro"):
                options: dict[str, Any] = {"name-as-sort-order": "all", SORT_FLAG: True}
                for option in ("names-min", "names-use-first", "names-use-last"):
                    if option in key.attrib:
                        options[option.replace("names", "et-al")] = key.get(option)
                layout.repressed = {}
                raw = key.get_macro(key.get("macro")).render(
                    citem, context=layout, sort_options=options)
                # Rendered for HTML, a macro's text holds tags and entities: sorted by
                # the text alone, as the other formats are ("<i>Middle</i>" is "Middle").
                if raw is not None:
                    raw = str(raw)
                    if "<" in raw or "&" in raw:
                        raw = unescape(_TAG.sub("", raw))
    except Exception:
        raw = None
    return collation_key(None if raw is None else str(raw))


_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def sort_values(keys: tuple[tuple[Any, bool], ...], citem: Any, layout: Any,
                demote: str, et_al: tuple[int | None, int | None]) -> tuple[Any, ...]:
    """The collation keys of one item for all of a style's bibliography ``cs:key``s."""
    return tuple(sort_value(key, citem, layout, demote, et_al) for key, _desc in keys)


class LazyKeys:
    """The sort keys of one item, each computed when a comparison first needs it.

    Rendering a sort macro costs as much as rendering an entry, and a style such as
    Chicago has eight keys; most comparisons are decided by the first (the author), so
    the others are computed only for the items that tie on it.
    """

    __slots__ = ("_demote", "_et_al", "_keys", "_layout", "citem", "index", "values")

    _MISSING: Any = object()

    def __init__(self, keys: tuple[tuple[Any, bool], ...], citem: Any, layout: Any,
                 demote: str, et_al: tuple[int | None, int | None], index: int) -> None:
        self.citem = citem
        self.index = index
        self._keys = keys
        self._layout = layout
        self._demote = demote
        self._et_al = et_al
        self.values: list[Any] = [self._MISSING] * len(keys)
        if keys:
            self.get(0)

    def get(self, position: int) -> Any:
        """The collation key for key number ``position``."""
        value = self.values[position]
        if value is self._MISSING:
            value = self.values[position] = sort_value(
                self._keys[position][0], self.citem, self._layout, self._demote, self._et_al)
        return value


def compare_lazy(left: LazyKeys, right: LazyKeys, descending: tuple[bool, ...]) -> int:
    """:func:`compare` on lazily computed keys, then input order."""
    for position, desc in enumerate(descending):
        result = compare((left.get(position),), (right.get(position),), (desc,))
        if result:
            return result
    return (left.index > right.index) - (left.index < right.index)


def _key_et_al(key: Any, inherited: tuple[int | None, int | None]) -> tuple[int | None, int | None]:
    min_ = key.get("names-min")
    first = key.get("names-use-first")
    return (int(min_) if min_ else inherited[0], int(first) if first else inherited[1])


def compare(left: tuple[Any, ...], right: tuple[Any, ...], descending: tuple[bool, ...]) -> int:
    """citeproc-js's comparison of two key tuples (0 when all keys tie)."""
    for a, b, desc in zip(left, right, descending, strict=False):
        if a == b:
            continue
        if a is None:
            return -1 if desc else 1
        if b is None:
            return 1 if desc else -1
        result = -1 if a < b else 1
        return -result if desc else result
    return 0

"""Clean-up of scraped text: whitespace, control characters and scraping artefacts.

Scrapers that flatten HTML leave systematic damage: a space after every full stop
("2. 5-28x", "e. g. ,", "U. S."), spaces before commas, stray control characters,
runs of spaces. The fixes here are deliberately narrow so that real text is never
changed: "Fig. 2", sentence breaks ("set A. Then") and TeX math ("top-$k$",
"$O(1/T)$") pass through untouched.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ascii_fold",
    "clean_inline",
    "clean_text",
    "fold_lines",
    "split_math",
    "strip_controls",
]

# C0/C1 controls except TAB/LF/CR, plus the Unicode non-characters a scrape can carry.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Zero-width characters that only hide text differences (ZWJ is kept: emoji, Indic scripts).
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")
# TeX inline math: $...$ not preceded by a backslash, on one line, no nested $.
_MATH = re.compile(r"(?<!\\)\$(?:[^$\\\n]|\\.)+?(?<!\\)\$")

# "2. 5-28x" -> "2.5-28x": a digit, a full stop, ONE space, a digit.
_DECIMAL = re.compile(r"(?<=\d)\. (?=\d)")
# Chains of single lower-case letters with full stops: "e. g.", "i. e.", "w. r. t.", "a. k. a."
_LOWER_ABBR = re.compile(r"\b(?:[a-z]\. ){1,3}[a-z]\.(?=[\s,;:)]|$)")
# Upper-case abbreviations a scraper splits; a general rule would also eat initials
# and sentence breaks ("set A. B is"), so these are listed.
_UPPER_ABBR = re.compile(r"\b(U\. ?S\. ?A\.|U\. S\.|U\. K\.|E\. U\.|U\. N\.|P\. R\. C\.|D\. C\.)")
# A space the scraper put before a comma, semicolon or closing bracket after a word/stop.
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w.)\]])\s+(?=[,;](?:\s|$))|(?<=[^\W\d])\s+(?=\.(?:\s|$))")


def strip_controls(text: str) -> str:
    """Remove control and invisible characters that no bibliographic field should hold."""
    return _INVISIBLE.sub("", _CONTROLS.sub("", text))


def fold_lines(text: str) -> str:
    """Fold every line break (CR, LF, U+2028/2029, NEL) and whitespace run into one space."""
    text = re.sub("[\r\n\u2028\u2029\u0085\x0b\x0c]+", " ", text)
    return _SPACES.sub(" ", text).strip()


def split_math(text: str) -> list[tuple[bool, str]]:
    """Split text into (is_math, piece) runs, so fixes apply outside ``$...$`` only."""
    pieces: list[tuple[bool, str]] = []
    pos = 0
    for match in _MATH.finditer(text):
        if match.start() > pos:
            pieces.append((False, text[pos : match.start()]))
        pieces.append((True, match.group()))
        pos = match.end()
    if pos < len(text):
        pieces.append((False, text[pos:]))
    return pieces


def _fix_artefacts(text: str) -> str:
    text = _DECIMAL.sub(".", text)
    text = _LOWER_ABBR.sub(lambda m: m.group().replace(" ", ""), text)
    text = _UPPER_ABBR.sub(lambda m: m.group().replace(" ", ""), text)
    return _SPACE_BEFORE_PUNCT.sub("", text)


def clean_inline(text: str) -> str:
    """Clean one-line text (a title, a name): NFC, no controls, single spaces, artefacts fixed."""
    text = fold_lines(strip_controls(unicodedata.normalize("NFC", text)))
    if "$" not in text:
        return _fix_artefacts(text)
    pieces = split_math(text)
    return "".join(piece if is_math else _fix_artefacts(piece) for is_math, piece in pieces)


def clean_text(text: str) -> str:
    """Clean multi-paragraph text (an abstract): each paragraph cleaned, joined by a blank line."""
    text = strip_controls(unicodedata.normalize("NFC", text)).replace("\r\n", "\n")
    paragraphs = re.split(r"\n[ \t]*\n+|[\u2029]", text)
    return "\n\n".join(p for p in (clean_inline(p) for p in paragraphs) if p)


def ascii_fold(text: str) -> str:
    """Fold text to plain ASCII letters and digits for identifiers ("Müller" -> "Muller")."""
    special = {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
               "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ł": "l", "Ł": "L", "ı": "i"}
    text = "".join(special.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and not unicodedata.combining(ch))

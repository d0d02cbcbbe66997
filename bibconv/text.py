"""Clean-up of scraped text: whitespace, control characters and scraping artefacts.

Scrapers that flatten HTML leave systematic damage: a space after every full stop
("2. 5-28x", "e. g. ,", "U. S."), spaces before commas, stray control characters,
runs of spaces. The fixes here are deliberately narrow so that real text is never
changed: "Fig. 2", sentence breaks ("set A. Then") and TeX math ("top-$k$",
"$O(1/T)$") pass through untouched. HTML character references a scraper left in
("AT&amp;T", "caf&eacute;", "&#8211;") are decoded; only complete ones (with their
";"), so "R&D" and "&para" in running text stay as written; so is UTF-8 that was
read as Windows-1252 on the way ("GarcÃ­a" -> "García").
"""

from __future__ import annotations

import re
import unicodedata
from html.entities import html5

__all__ = [
    "ascii_fold",
    "clean_inline",
    "clean_text",
    "fix_mojibake",
    "fold_lines",
    "split_math",
    "strip_controls",
    "strip_doi_prefix",
    "strip_html_tags",
    "strip_markup",
    "unescape_references",
]

# C0/C1 controls except TAB/LF/CR, plus the Unicode non-characters a scrape can carry.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Zero-width characters that only hide text differences (ZWJ is kept: emoji, Indic
# scripts), and the bidirectional marks and overrides (U+200E/F, U+061C, U+202A-E,
# U+2066-9): invisible, and an override can make a name display as another.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u200b\u2060\ufeff"
    "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]"
)
# Controls that separate words (vertical tab, form feed, the information separators,
# NEL): a space, not nothing.
_SPACING_CONTROLS = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f\x85")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+|\u2029")
# Cheap tests for any artefact the fixes below handle; each starts with a literal,
# which Python's regex engine scans for fast (an alternation would be 5x slower).
_STOP_HINT = re.compile(r"\. (?:\d|\w\.)")
_SPACE_HINT = re.compile(r" [,;.]")
# TeX inline math: $...$ not preceded by a backslash, on one line, no nested $.
# Written as an unrolled loop so that a lone "$" costs linear time, never backtracking.
# The "$" comes first (a literal the engine scans for fast), then the check that it
# was not escaped.
_MATH = re.compile(r"\$(?<!\\\$)(?=[^$])[^$\\\n]*(?:\\.[^$\\\n]*)*\$")

# "2. 5-28x" -> "2.5-28x": a digit, a full stop, ONE space, a digit.
_DECIMAL = re.compile(r"(?<=\d)\. (?=\d)")
# Chains of single lower-case letters with full stops: "e. g.", "i. e.", "w. r. t.", "a. k. a."
_LOWER_ABBR = re.compile(r"\b(?:[a-z]\. ){1,3}[a-z]\.(?=[\s,;:)]|$)")
# Upper-case abbreviations a scraper splits; a general rule would also eat initials
# and sentence breaks ("set A. B is"), so these are listed.
_UPPER_ABBR = re.compile(r"\b(U\. ?S\. ?A\.|U\. S\.|U\. K\.|E\. U\.|U\. N\.|P\. R\. C\.|D\. C\.)")
# A space the scraper put before a comma, semicolon or closing bracket after a word/stop.
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w.)\]])\s+(?=[,;](?:\s|$))|(?<=[^\W\d])\s+(?=\.(?:\s|$))")


# A complete HTML character reference: named (looked up in HTML5's list), or numeric.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _reference(match: re.Match[str]) -> str:
    text = match.group()
    if text[1] != "#":
        return html5.get(text[1:], text)  # the list's names end with their ";"
    code = int(text[3:-1], 16) if text[2] in "xX" else int(text[2:-1])
    # No surrogate (it would be half a character) and nothing past Unicode; a control
    # character decoded is removed with the others.
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return text
    return chr(code)


def unescape_references(text: str) -> str:
    """Decode the complete HTML character references in ``text`` (one level: a scraped
    ``&amp;lt;`` is the text ``&lt;``)."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(_reference, text)


# UTF-8 read as Windows-1252 ("mojibake": "JosÃ© GarcÃ\xada", "â€œquotedâ€\x9d"): each
# character of it stands for one byte, a lead byte then its continuation bytes.
_CP1252_HIGH = bytes(range(0x80, 0x100)).decode("cp1252", errors="replace")
_BYTE_OF = {char: 0x80 + offset for offset, char in enumerate(_CP1252_HIGH) if char != "\ufffd"}
_BYTE_OF.update({chr(code): code for code in range(0x80, 0xA0)})  # bytes cp1252 leaves unmapped
_CONTINUATION = "[" + re.escape("".join(c for c, b in _BYTE_OF.items() if b < 0xC0)) + "]"
# Lead bytes whose mojibake is common (C2-C5: Latin-1 signs and letters, Latin Extended-A;
# E2: punctuation), with the continuation bytes each needs.
_MOJIBAKE = re.compile(f"[ÂÃÄÅ]{_CONTINUATION}|â{_CONTINUATION}{{2}}")
# Only text holding a sequence only mojibake holds is looked at: "Ã" before a Latin-1
# sign or small letter ("Ã©" for "é"), "Â" before a sign ("Â©"), "â€" (a punctuation
# mark), "Å" before a byte of Latin Extended-A ("Å‚" for "ł"). So a word in capitals
# ending in "Ã" before a quotation mark ("“IRMÃ”") stays, unless the text also holds one.
_HIGH = "".join(c for c, b in _BYTE_OF.items() if b >= 0xA0 and b < 0xC0)
_MOJIBAKE_HINT = re.compile(
    f"[ÃÂ][{re.escape(_HIGH)}]|â€|Å{_CONTINUATION}")


def _unmojibake(match: re.Match[str]) -> str:
    text = match.group()
    try:
        return bytes(_BYTE_OF[char] for char in text).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return text


def fix_mojibake(text: str) -> str:
    """Text that was UTF-8 read as Windows-1252 (or Latin-1) turned back into what it
    said: "GarcÃ­a" -> "García", "â€“" -> "–"; each sequence only when its characters
    are the bytes of one UTF-8 character, so text that merely holds "Ã" stays."""
    if ("Ã" not in text and "Â" not in text and "â" not in text and "Å" not in text) \
            or _MOJIBAKE_HINT.search(text) is None:
        return text
    return _MOJIBAKE.sub(_unmojibake, text)


# ASCII as flag bytes for clean_inline(): 0x80 for a control character or DEL, 3 for
# the space, 2 for ",", ";" and ".", 0 for the rest.
_FLAGS = bytes(0x80 if b < 0x20 or b >= 0x7F else 3 if b == 0x20 else 2 if chr(b) in ",;." else 0
               for b in range(256))


def strip_controls(text: str) -> str:
    """Remove control and invisible characters that no bibliographic field should hold."""
    if _CONTROL_OR_INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub("", _CONTROLS.sub(_control_space, text))


def _control_space(match: re.Match[str]) -> str:
    return " " if match.group() in _SPACING_CONTROLS else ""


# CSL-JSON's rich-text tags (Zotero and citeproc-js write them in titles; the BibTeX
# readers make them of \emph and the like): the tag's name or span, and a slash for a
# closing tag.
MARKUP_TAG = re.compile(
    r'<(/?)(i|b|sup|sub)>|<span\s+class="nocase">|'
    r'<span\s+style="font-variant:\s*small-caps;?">|</span>')


# HTML a scraper left in a page's text ("<a href=...>Title</a>", "<p>...</p>"): tags of
# the elements pages use, with well-formed attributes. Text is taken to hold HTML only
# when it has a closing tag or an attribute with a value, so that "a <b and c> d" or
# "x<y" stay as written.
_HTML_NAMES = ("a|abbr|b|big|br|code|div|em|font|h[1-6]|i|img|li|mark|ol|p|s|small|span|"
               "strong|sub|sup|table|td|th|tr|tt|u|ul")
_HTML_TAG = re.compile(
    rf"<(/?)({_HTML_NAMES})((?:\s+[\w:-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s<>\"']+))?)*)"
    r"\s*/?>", re.IGNORECASE)
_HTML_EVIDENCE = re.compile(
    rf"</(?:{_HTML_NAMES})>|<(?:{_HTML_NAMES})\s[^<>]*=|<(?:br|img)\b", re.IGNORECASE)
# The HTML elements CSL's rich text has (or has under another name), by HTML name.
_HTML_MARKUP = {"i": "i", "em": "i", "b": "b", "strong": "b", "sup": "sup", "sub": "sub"}
# Elements that separate words: a space where their tag was.
_HTML_BREAKS = frozenset({"br", "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4",
                          "h5", "h6", "ul", "ol", "table", "img"})


def strip_html_tags(text: str, keep_markup: bool = True) -> str:
    """Text without the HTML tags a scraper left in it (the text unchanged when it holds
    none); with ``keep_markup``, italics, bold, superscripts and subscripts stay as
    CSL rich text (``<em>x</em>`` -> ``<i>x</i>``). A CSL tag already in the text
    (``<span class="nocase">``) is kept."""
    if "<" not in text or _HTML_EVIDENCE.search(text) is None:
        return text

    def replace(match: re.Match[str]) -> str:
        closing, name = match.group(1), match.group(2).lower()
        if keep_markup and (MARKUP_TAG.fullmatch(match.group()) is not None):
            return match.group()
        tag = _HTML_MARKUP.get(name) if keep_markup else None
        if tag is not None:
            return f"<{closing}{tag}>"
        return " " if name in _HTML_BREAKS else ""

    return " ".join(_HTML_TAG.sub(replace, text).split())


# How sources write a DOI they give as a link or with a label.
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def strip_doi_prefix(doi: str) -> str:
    """The DOI itself, from ``https://doi.org/10....``, ``doi:10....`` or ``10....``."""
    return _DOI_PREFIX.sub("", doi.strip())


def strip_markup(text: str) -> str:
    """The text without its CSL rich-text tags (``<i>E. coli</i>`` -> ``E. coli``)."""
    return MARKUP_TAG.sub("", text) if "<" in text else text


def fold_lines(text: str) -> str:
    """Fold every line break (CR, LF, U+2028/2029, NEL) and whitespace run into one space."""
    # str.split() with no argument splits on exactly the Unicode whitespace we fold,
    # and is several times faster than a regex substitution.
    return " ".join(text.split())


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


def _fix_artefacts(text: str, space_hint: bool | None = None) -> str:
    """The scraping artefacts fixed; ``space_hint`` is False when the caller knows that
    no space comes before a comma, semicolon or full stop (None: look)."""
    if _STOP_HINT.search(text) is None and not (
        _SPACE_HINT.search(text) is not None if space_hint is None else space_hint
    ):
        return text  # the common case: nothing to fix
    return _fix(text)


def _fix(text: str) -> str:
    """Every artefact fix applied (each only changes text that has its artefact)."""
    text = _DECIMAL.sub(".", text)
    text = _LOWER_ABBR.sub(lambda m: m.group().replace(" ", ""), text)
    text = _UPPER_ABBR.sub(lambda m: m.group().replace(" ", ""), text)
    return _SPACE_BEFORE_PUNCT.sub("", text)


def clean_inline(text: str) -> str:
    """Clean one-line text (a title, a name): HTML character references decoded, NFC, no
    controls, single spaces, artefacts fixed."""
    if "&" in text:
        text = unescape_references(text)
    if text.isascii():  # ASCII is always NFC
        flags = text.encode("ascii").translate(_FLAGS)
        if b"\x80" not in flags:
            # The common case, in a few C passes: ASCII with no control character (so no
            # whitespace but the plain space). Shifted by 7 bits, a space's low bit lands
            # on the next byte's middle bit, which a space and ",;." carry: one AND finds
            # both a double space and a space before ",;." (_SPACE_HINT).
            bits = int.from_bytes(flags, "big")
            if not (bits & (bits >> 7) or text[:1] == " " or text[-1:] == " "):
                if "$" in text:
                    return _clean_math(text)
                # No space before ",;.", so _SPACE_HINT cannot match: the stop hint decides.
                return text if _STOP_HINT.search(text) is None else _fix(text)
            if "  " in text or text[:1] == " " or text[-1:] == " ":
                text = " ".join(text.split())
        else:
            text = " ".join(strip_controls(text).split())
    else:
        text = fix_mojibake(text)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if text.isprintable():
            # No control or invisible character (none of them is printable) and no
            # whitespace but the plain space.
            if "  " in text or text[:1] == " " or text[-1:] == " ":
                text = " ".join(text.split())
        else:
            if _CONTROL_OR_INVISIBLE.search(text) is not None:
                text = strip_controls(text)
            text = " ".join(text.split())
    if "$" not in text:
        return _fix_artefacts(text)
    return _clean_math(text)


def _clean_math(text: str) -> str:
    """The artefacts fixed outside the TeX math of text otherwise clean."""
    pieces = split_math(text)
    return "".join(piece if is_math else _fix_artefacts(piece) for is_math, piece in pieces)


def clean_text(text: str) -> str:
    """Clean multi-paragraph text (an abstract): each paragraph cleaned, joined by a blank line."""
    if "\n" not in text and "\u2029" not in text:
        return clean_inline(text)
    text = text.replace("\r\n", "\n")
    paragraphs = _PARAGRAPH_BREAK.split(text)
    return "\n\n".join(p for p in (clean_inline(p) for p in paragraphs) if p)


_FOLD_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ð": "d",
     "Ð": "D", "þ": "th", "Þ": "Th", "ł": "l", "Ł": "L", "ı": "i"}
)


def ascii_fold(text: str) -> str:
    """Fold text to plain ASCII letters and digits for identifiers ("Müller" -> "Muller")."""
    if text.isascii():
        return text
    text = text.translate(_FOLD_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and not unicodedata.combining(ch))

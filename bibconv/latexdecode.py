"""LaTeX to Unicode for the text of BibTeX and BibLaTeX fields.

A focused decoder, not a TeX engine: accents (``\\'e``, ``\\"{o}``, ``{\\c c}``),
special letters (``\\ss``, ``\\o``, ``\\l``, dotless ``\\i``), escaped specials
(``\\&``, ``\\%``, ``\\{``), text symbols (``\\textendash``, ``\\textbraceright``),
font commands (``\\emph{x}``, ``{\\bf x}``: the text is kept, the styling dropped),
TeX ligatures (``--``, ``---``, quotes) and protective braces (removed). Inline math
``$...$`` is kept verbatim, dollars included, because the model stores math as TeX.

The decoder makes one left-to-right pass with no recursion, so deep brace nesting
and long fields cost linear time; callers still cap field sizes (:data:`MAX_FIELD`).
Commands it does not know are kept as written and listed in the result, so a reader
can report them instead of silently changing the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .latex import math_char

__all__ = ["MAX_DEPTH", "MAX_FIELD", "Decoded", "LatexError", "decode_latex", "strip_braces"]

#: Longest field value (characters) a reader decodes; longer values are refused.
MAX_FIELD = 1_000_000
#: Deepest brace nesting a value may have; deeper values are refused.
MAX_DEPTH = 256


class LatexError(ValueError):
    """A value that cannot be decoded (unbalanced braces, too deep, too long)."""


@dataclass
class Decoded:
    """The decoded text and the commands that were kept because they are unknown."""

    text: str
    unknown: list[str] = field(default_factory=list)


# Accent command -> combining character.
_ACCENTS: dict[str, str] = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
    "t": "\u0361",
}
# Commands that stand for a character or a short text.
_SYMBOLS: dict[str, str] = {
    "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
    "dj": "đ", "DJ": "Đ", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}",
    " ": " ", ",": "\u2009", ";": "\u2005", ":": "\u205f", "!": "", "/": "", "-": "",
    "@": "", "\\": " ", "par": "\n\n", "relax": "", "protect": "", "nobreakspace": "\u00a0",
    "textbraceleft": "{", "textbraceright": "}", "textbackslash": "\\",
    "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_",
    "textdollar": "$", "textpercent": "%", "textampersand": "&", "textnumbersign": "#",
    "textless": "<", "textgreater": ">", "textbar": "|", "textquotedbl": '"',
    "textquotesingle": "'", "textasciigrave": "`",
    "textendash": "–", "textemdash": "—", "textquoteleft": "‘", "textquoteright": "’",
    "textquotedblleft": "“", "textquotedblright": "”", "textbullet": "•",
    "textperiodcentered": "·", "textellipsis": "…", "ldots": "…", "dots": "…",
    "textdegree": "°", "textregistered": "®", "texttrademark": "™",
    "textcopyright": "©", "copyright": "©", "S": "§", "P": "¶", "pounds": "£",
    "textsterling": "£", "euro": "€", "texteuro": "€", "textyen": "¥", "textcent": "¢",
    "guillemotleft": "«", "guillemotright": "»", "guillemetleft": "«", "guillemetright": "»",
    "guilsinglleft": "‹", "guilsinglright": "›", "quotedblbase": "„", "quotesinglbase": "‚",
    "textexclamdown": "¡", "textquestiondown": "¿", "textdagger": "†",
    "textdaggerdbl": "‡", "textsection": "§", "textparagraph": "¶", "textmu": "µ",
    "texttimes": "×", "textdiv": "÷", "textpm": "±", "textminus": "−",
    "textordfeminine": "ª", "textordmasculine": "º", "dag": "†", "ddag": "‡",
    "textperthousand": "‰", "texttwosuperior": "²", "textthreesuperior": "³",
    "textonesuperior": "¹", "textonehalf": "½", "textonequarter": "¼",
    "textthreequarters": "¾", "ij": "ĳ", "IJ": "Ĳ",
    "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e",
    "textsuperscript": "", "textsubscript": "",
}
# Commands whose argument is text kept as is (the styling is dropped).
_TEXT_COMMANDS = frozenset(
    [
        "emph", "textit", "textbf", "textsc", "textsl", "textup", "textmd", "textnormal", "texttt",
        "textrm", "textsf", "underline", "uppercase", "lowercase", "MakeUppercase", "MakeLowercase",
        "mbox", "hbox", "text", "textlatin", "NoCaseChange", "nocase", "enquote", "mkbibquote",
        "mkbibemph", "mkbibitalic", "mkbibbold", "url", "path", "ensuremath", "foreignlanguage"
    ]
)
# Declarations that style what follows in their group ({\\em x}).
_DECLARATIONS = frozenset(
    [
        "em", "it", "bf", "sc", "sl", "tt", "rm", "sf", "up", "md", "normalfont", "itshape",
        "bfseries", "scshape", "slshape", "ttfamily", "rmfamily", "sffamily", "upshape", "mdseries",
        "small", "large", "Large", "footnotesize", "scriptsize", "tiny", "normalsize"
    ]
)
# Commands whose (first) argument is dropped entirely.
_DROP_ARG = frozenset({"vphantom", "phantom", "hphantom", "noopsort", "sortnoop", "SortNoop",
                       "index", "label", "href", "hyphenation"})
# Commands whose first argument is a language name to skip ({\\foreignlanguage{german}{x}}).
_SKIP_FIRST_ARG = frozenset({"foreignlanguage"})
# Styles CSL's rich text has, and their tags: a command's argument in braces, or a
# declaration's group. (Commands whose styling CSL cannot hold, \\texttt or \\underline,
# are _TEXT_COMMANDS: the text stays, the styling goes.)
_SMALL_CAPS = ('<span style="font-variant:small-caps;">', "</span>")
_STYLE_TAGS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(["emph", "textit", "textsl", "mkbibemph", "mkbibitalic", "em", "it",
                     "itshape", "sl", "slshape"], ("<i>", "</i>")),
    **dict.fromkeys(["textbf", "mkbibbold", "bf", "bfseries"], ("<b>", "</b>")),
    **dict.fromkeys(["textsc", "sc", "scshape"], _SMALL_CAPS),
    "textsuperscript": ("<sup>", "</sup>"),
    "textsubscript": ("<sub>", "</sub>"),
}
_STYLE = re.compile(
    r"\\(emph|textit|textsl|mkbibemph|mkbibitalic|textbf|mkbibbold|textsc|textsuperscript"
    r"|textsubscript)\s*\{"
    r"|\\(em|it|itshape|sl|slshape|bf|bfseries|sc|scshape)(?![A-Za-z])\s*")
# A style around nothing ("\\emph{}"): no tags.
_EMPTY_TAGS = re.compile(r"<(i|b|sup|sub)></\1>|<span style=\"font-variant:small-caps;\"></span>")
_LIGATURES = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("!`", "¡"), ("?`", "¿"))
_NAME = re.compile(r"[A-Za-z]+")


def _skip_group(text: str, pos: int) -> int:
    """Position after the balanced group opening at ``text[pos] == '{'``."""
    depth = 0
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
            if depth == 0:
                return pos + 1
        pos += 1
    raise LatexError("unbalanced braces: a group is never closed")


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def _math_end(text: str, pos: int) -> int:
    """Position after the closing ``$`` of math opened at ``pos`` (-1 when unclosed)."""
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "$":
            return i + 1
        i += 1
    return -1


def _accent_target(text: str, pos: int, level: int) -> tuple[str, int]:
    """The base text an accent applies to, and the position after it."""
    pos = _skip_space(text, pos) if pos < len(text) and text[pos] == " " else pos
    if pos >= len(text):
        return "", pos
    if text[pos] == "{":
        end = _skip_group(text, pos)
        inner = text[pos + 1 : end - 1].strip()
        if inner in ("\\i", "\\j"):
            return inner[1], end
        if "\\" in inner or "{" in inner:
            if level >= 4:
                raise LatexError("accents nested too deeply")
            return _decode(inner, True, level + 1).text, end
        return inner, end
    if text.startswith(("\\i", "\\j"), pos) and not text[pos + 2 : pos + 3].isalpha():
        return text[pos + 1], pos + 2
    return text[pos], pos + 1


def decode_latex(text: str, *, ligatures: bool = True, markup: bool = False) -> Decoded:
    """Decode one field value from LaTeX to Unicode; see the module notes.

    Accented letters come out composed (NFC); other text keeps its code points. With
    ``markup``, italics, bold, small capitals, superscripts and subscripts become CSL
    rich-text tags (``\\emph{x}`` and ``{\\em x}`` give ``<i>x</i>``), as Zotero and
    pandoc read them, instead of being dropped.
    """
    decoded = _decode(text, ligatures, 0, markup)
    while markup and "></" in decoded.text:
        emptied = _EMPTY_TAGS.sub("", decoded.text)
        if emptied == decoded.text:
            break
        decoded.text = emptied  # "<i><b></b></i>": the outer pair is empty now
    return decoded


def _decode(text: str, ligatures: bool, level: int, markup: bool = False) -> Decoded:
    if len(text) > MAX_FIELD:
        raise LatexError(f"value of {len(text):,} characters (limit {MAX_FIELD:,})")
    out: list[str] = []
    unknown: list[str] = []
    # With markup: the closing tag of each style in force, with the depth whose group
    # ends it (a declaration at depth 0 runs to the end of the value).
    closers: list[tuple[int, str]] = []
    depth = 0
    pos = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch == "{":
            depth += 1
            if depth > MAX_DEPTH:
                raise LatexError(f"braces nested deeper than {MAX_DEPTH}")
            pos += 1
        elif ch == "}":
            while closers and closers[-1][0] == depth:
                out.append(closers.pop()[1])
            depth -= 1
            if depth < 0:
                raise LatexError("unbalanced braces: '}' without '{'")
            pos += 1
        elif ch == "$":
            end = _math_end(text, pos)
            if end < 0:
                raise LatexError("math opened with '$' is never closed")
            out.append(text[pos:end])
            pos = end
        elif ch == "\\" and markup and (style := _STYLE.match(text, pos)) is not None:
            opening, closing = _STYLE_TAGS[style.group(1) or style.group(2)]
            out.append(opening)
            if style.group(1) is not None:  # \emph{...}: its group ends the style
                depth += 1
                if depth > MAX_DEPTH:
                    raise LatexError(f"braces nested deeper than {MAX_DEPTH}")
            closers.append((depth, closing))
            pos = style.end()
        elif ch == "\\":
            pos = _command(text, pos, out, unknown, level)
        elif ch == "~":
            out.append("\u00a0")
            pos += 1
        elif ligatures and ch in "-`'!?":
            for lig, rep in _LIGATURES:
                if text.startswith(lig, pos):
                    out.append(rep)
                    pos += len(lig)
                    break
            else:
                out.append(ch)
                pos += 1
        else:
            out.append(ch)
            pos += 1
    if depth:
        raise LatexError("unbalanced braces: a group is never closed")
    while closers:
        out.append(closers.pop()[1])
    return Decoded("".join(out), unknown)


def _command(text: str, pos: int, out: list[str], unknown: list[str], level: int) -> int:
    """Decode the command at ``text[pos] == '\\'``; return the position after it."""
    nxt = text[pos + 1 : pos + 2]
    if not nxt:
        out.append("\\")
        return pos + 1
    match = _NAME.match(text, pos + 1)
    name = match.group() if match else nxt
    end = match.end() if match else pos + 2
    if name in _ACCENTS and (not match or len(name) == 1):
        base, after = _accent_target(text, end, level)
        if not base:
            out.append(_ACCENTS[name])
            return after
        # Compose only what the accent made: the rest of the text keeps its exact code points.
        out.append(unicodedata.normalize("NFC", base[0] + _ACCENTS[name]) + base[1:])
        return after
    # A control word swallows the spaces after it.
    after_space = _skip_space(text, end) if match else end
    if name in _SYMBOLS:
        out.append(_SYMBOLS[name])
        return after_space if match else end
    if name in _DROP_ARG:
        pos = after_space
        if pos < len(text) and text[pos] == "{":
            pos = _skip_group(text, pos)
        return pos
    if name in _SKIP_FIRST_ARG and after_space < len(text) and text[after_space] == "{":
        return _skip_group(text, after_space)
    if name == "ensuremath" and after_space < len(text) and text[after_space] == "{":
        # One math symbol, as bibconv's writer spells a character ({\ensuremath{\pm}}):
        # the character.
        close = _skip_group(text, after_space)
        char = math_char(text[after_space + 1:close - 1])
        if char is not None:
            out.append(char)
            return close
    if name in _TEXT_COMMANDS or name in _DECLARATIONS:
        return after_space
    raw = text[pos:end]
    unknown.append(raw)
    if end < len(text) and text[end] == "{":
        # Keep an unknown command's argument with it, braces and all, so the text
        # reads back as the same command.
        group_end = _skip_group(text, end)
        out.append(text[pos:group_end])
        return group_end
    out.append(raw)
    return end


def strip_braces(text: str) -> str:
    """Remove brace characters that are not escaped (for names and keys)."""
    return re.sub(r"(?<!\\)[{}]", "", text)

"""Output markup for citeproc-py: the formatter "modules" for text, HTML, Markdown and reST.

citeproc-py asks its formatter for ``preformat`` (applied to values and locale terms) and
for wrapper classes (``Italic``, ``Bold``, ...). Values reach it already escaped by
:mod:`.items`, so ``preformat`` here only escapes what is still raw (locale terms such as
APA's ``&``) and never escapes twice.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

__all__ = ["FORMATS", "formatter_for"]

FORMATS = ("text", "html", "markdown", "rst")

_RAW_AMP = re.compile(r"&(?!#\d+;)")


def _html_preformat(text: Any) -> str:
    return _RAW_AMP.sub("&#38;", str(text)).replace("<", "&#60;").replace(">", "&#62;")


def _wrapper(name: str, before: str, after: str) -> type:
    """A ``str`` subclass whose constructor wraps its text in ``before``/``after``."""

    def new(cls: type, text: Any) -> str:
        value = str(text)
        return str.__new__(cls, f"{before}{value}{after}" if value else value)

    return type(name, (str,), {"__new__": new})


def _namespace(preformat: Any, marks: dict[str, tuple[str, str]]) -> SimpleNamespace:
    classes = {name: _wrapper(name, *pair) for name, pair in marks.items()}
    return SimpleNamespace(preformat=preformat, **classes)


_PLAIN = {name: ("", "") for name in ("Italic", "Oblique", "Bold", "Light", "Underline",
                                      "Superscript", "Subscript", "SmallCaps")}

_FORMATTERS: dict[str, SimpleNamespace] = {
    "text": _namespace(str, _PLAIN),
    "html": _namespace(_html_preformat, {
        "Italic": ("<i>", "</i>"), "Oblique": ("<i>", "</i>"), "Bold": ("<b>", "</b>"),
        "Light": ("", ""), "Underline": ("<u>", "</u>"), "Superscript": ("<sup>", "</sup>"),
        "Subscript": ("<sub>", "</sub>"),
        "SmallCaps": ('<span style="font-variant:small-caps;">', "</span>"),
    }),
    "markdown": _namespace(str, {
        "Italic": ("*", "*"), "Oblique": ("*", "*"), "Bold": ("**", "**"), "Light": ("", ""),
        "Underline": ("", ""), "Superscript": ("^", "^"), "Subscript": ("~", "~"),
        "SmallCaps": ("", ""),
    }),
    "rst": _namespace(str, {
        "Italic": ("*", "*"), "Oblique": ("*", "*"), "Bold": ("**", "**"), "Light": ("", ""),
        "Underline": ("", ""), "Superscript": (":sup:`", "`"), "Subscript": (":sub:`", "`"),
        "SmallCaps": ("", ""),
    }),
}


def formatter_for(fmt: str) -> SimpleNamespace:
    """The citeproc-py formatter object for an output format name."""
    return _FORMATTERS[fmt]

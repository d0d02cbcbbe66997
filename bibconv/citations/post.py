"""Post-processing of citeproc-py output so it reads like citeproc-js output.

Applied to every rendered entry and in-text citation, in this order:

1. data quotation marks (markers from :mod:`.items`) become the locale's outer quotes,
   or its inner quotes when they fall inside a quotation the style added (citeproc-js
   "flip-flops" them: ``“‘Fake News’ and ...”``);
2. where the locale sets ``punctuation-in-quote`` (en-US), a comma or period right after
   a closing quote moves inside it (``“Title,”``), as citeproc-js does, unless the style
   printed it as text (IEEE's ``<text value="."/>``: ``“Title”.``);
3. punctuation that doubles up at a seam is dropped: ``?.``/``!.`` keep the ``?``/``!``
   (``what’s missing?.`` -> ``what’s missing?``); a comma stays (``missing?,”``), as in
   citeproc-js;
4. in HTML, the DOI and http(s) URL of the item become links (nothing else does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import quote

from ..text import strip_doi_prefix
from .items import CJK_SPLIT, CLOSE_DQ, OPEN_DQ, PAGE_HYPHEN

#: Marks punctuation printed by a ``<text value="."/>`` (see citeproc_fixes patch 18):
#: citeproc-js moves only affixes and delimiters inside closing quotes, not such text.
FIXED_TEXT = "\ue005"

__all__ = ["QuoteStyle", "finish"]


@dataclass(frozen=True, slots=True)
class QuoteStyle:
    """The quotation marks and quote punctuation rule of one locale."""

    open: str = "\u201c"
    close: str = "\u201d"
    inner_open: str = "\u2018"
    inner_close: str = "\u2019"
    punctuation_in_quote: bool = False


def _resolve_markers(text: str, quotes: QuoteStyle) -> str:
    out: list[str] = []
    depth = 0
    nested = quotes.open != quotes.close
    for char in text:
        if char == OPEN_DQ:
            out.append(quotes.inner_open if depth > 0 else quotes.open)
        elif char == CLOSE_DQ:
            out.append(quotes.inner_close if depth > 0 else quotes.close)
        else:
            if nested:
                if char == quotes.open:
                    depth += 1
                elif char == quotes.close and depth > 0:
                    depth -= 1
            out.append(char)
    return "".join(out)


_cache: dict[QuoteStyle, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _patterns(quotes: QuoteStyle) -> tuple[re.Pattern[str], re.Pattern[str]]:
    found = _cache.get(quotes)
    if found is None:
        close = re.escape(quotes.close)
        inner = re.escape(quotes.inner_close)
        found = (
            re.compile(f"((?:{inner})?{close})([.,])"),
            re.compile(f"([?!])((?:{inner})?(?:{close})?)[.]((?:{inner})?(?:{close})?)"),
        )
        _cache[quotes] = found
    return found


def finish(text: str, quotes: QuoteStyle) -> str:
    """Apply the citeproc-js conventions to one rendered entry or citation."""
    if OPEN_DQ in text or CLOSE_DQ in text:
        text = _resolve_markers(text, quotes)
    if PAGE_HYPHEN in text:
        text = text.replace(PAGE_HYPHEN, "-")
    if CJK_SPLIT in text:
        text = text.replace(CJK_SPLIT, "")
    if "\ue004" in text:  # a given name kept whole (citeproc_fixes._bibliography_givens)
        text = text.replace("\ue004", "")
    move, doubled = _patterns(quotes)
    if quotes.punctuation_in_quote and quotes.close in text:
        text = move.sub(lambda m: m.group(2) + m.group(1), text)
    if FIXED_TEXT in text:  # punctuation the style writes as text stays outside quotes
        # ...but does not double a period already there ("n.d." + "." is "n.d.").
        text = text.replace("." + FIXED_TEXT + ".", ".").replace(FIXED_TEXT, "")
    if "?" in text or "!" in text:
        text = doubled.sub(lambda m: m.group(1) + m.group(2) + m.group(3), text)
    return text


_HREF_SAFE = re.compile(r"^https?://[^\s\"'<>]+$", re.I)


def linkify(html: str, url: str | None, doi: str | None) -> str:
    """Wrap the item's http(s) URL and DOI (already escaped) in links, once each."""
    done: set[str] = set()
    for target, href in ((doi, _doi_href(doi)), (url, url)):
        if not target or not href or target in done or not _HREF_SAFE.match(href):
            continue
        done.add(target)
        index = html.find(target)
        if index < 0:
            continue
        # Extend over a https://doi.org/ prefix the style printed before a bare DOI.
        start = index
        for prefix in ("https://doi.org/", "http://dx.doi.org/", "https://dx.doi.org/"):
            if html[max(0, index - len(prefix)):index] == prefix:
                start = index - len(prefix)
        shown = html[start:index + len(target)]
        before = html[max(0, start - 200):start]
        if before.endswith('href="') or "<a " in before:
            continue
        html = f'{html[:start]}<a href="{href}">{shown}</a>{html[index + len(target):]}'
    return html


def _doi_href(doi: str | None) -> str | None:
    """The doi.org link of a DOI given as escaped text: its characters a URL path
    cannot hold as they are ("#", "?", "%", "<", ">", '"', spaces) percent-encoded, so
    that "10.1000/a<b>#c" is not cut at its "#"; escaped again for the attribute."""
    if not doi:
        return None
    bare = strip_doi_prefix(unescape(doi))
    if not re.match(r"^10\.\d{4,9}/\S+$", bare):
        return None
    return escape("https://doi.org/" + quote(bare, safe="/;:@&=+$,!~*'()._-"), quote=True)

"""Writer for formatted references (format ``citation``) in any CSL style.

Papers go through the same CSL-JSON mapping as the ``csl-json`` writer
(:func:`bibconv.csl.paper_to_csl`, ids from :mod:`bibconv.keys`), then through
citeproc-py with our corrections (:mod:`bibconv.citations`) so the text reads like
citeproc-js (Zotero, Mendeley). Styles without a bibliography sort stream entry by entry;
a style that sorts its bibliography must see every paper first (the format forces it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from ..citations.engine import Renderer
from ..citations.formats import FORMATS
from ..csl import csl_extra, paper_to_csl
from ..diagnostics import Reporter
from ..errors import OptionError
from ..keys import DEFAULT_PATTERN, KeyGenerator
from ..model import Paper
from ..plugin import Writer

__all__ = ["CitationWriter"]

_MODES = ("bibliography", "citations", "both")


class CitationWriter(Writer):
    """Formatted references (and optionally in-text citations) in a CSL style."""

    name = "citation"
    description = "formatted references in any CSL style (citeproc-py, citeproc-js conventions)"
    suffixes = (".txt", ".html", ".md", ".rst")
    options = {
        "style": "CSL style name (apa, ieee, chicago-author-date, ...) or .csl file (default apa)",
        "locale": "CSL locale, e.g. en-US, en-GB, de-DE (default en-US)",
        "citation_format": "text, html, markdown or rst (default text)",
        "mode": "bibliography, citations (in-text citations only) or both (default bibliography)",
        "key_pattern": f"citation-key pattern for the HTML entry ids (default {DEFAULT_PATTERN})",
        "keep_ids": "keep keys the input already had (default true)",
        "jobs": "processes rendering a sorted bibliography of 200+ entries "
                "(default: the cores, up to 4; 1 = this process only)",
    }

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        fmt = str(self.settings.get("citation_format") or "text").lower()
        if fmt not in FORMATS:
            raise OptionError(f"citation: citation_format must be one of {', '.join(FORMATS)}, "
                              f"not {fmt!r}")
        mode = str(self.settings.get("mode") or "bibliography").lower()
        if mode not in _MODES:
            raise OptionError(f"citation: mode must be one of {', '.join(_MODES)}, not {mode!r}")
        self.fmt = fmt
        self.mode = mode
        # Resolving and parsing here makes a bad style or locale a usage error up front.
        jobs = self.settings.get("jobs")
        try:
            jobs = int(jobs) if jobs not in (None, "") else None
        except (TypeError, ValueError) as exc:
            raise OptionError(f"citation: jobs must be a number, not {jobs!r}") from exc
        self.renderer = Renderer(str(self.settings.get("style") or "apa"),
                                 str(self.settings.get("locale") or "en-US"), fmt, jobs)

    def _items(self, papers: Iterable[Paper], index: dict[str, Paper]) -> Iterator[dict[str, Any]]:
        if self.fmt != "html":
            # Item ids are visible only as HTML anchors; elsewhere a counter will do, and
            # the key plan (a second pass over the input) is skipped.
            for number, paper in enumerate(papers, 1):
                key = f"item{number}"
                index[key] = paper
                yield _item(paper, key)
            return
        keys = KeyGenerator(self.settings.get("key_pattern") or DEFAULT_PATTERN,
                            keep_ids=self.settings.get("keep_ids", True))
        plan, source = keys.plan_and_replay(papers)
        for paper in source:
            key = plan.key(paper)
            index[key] = paper
            yield _item(paper, key)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        """Write the bibliography (and/or citations) of ``papers`` to ``out``."""
        index: dict[str, Paper] = {}
        html = self.fmt == "html"
        want_cites = self.mode != "bibliography"
        if html:
            out.write('<div class="csl-bib-body">\n')
        for item, entry, cite, error in self.renderer.bibliography(
                self._items(papers, index), citations=want_cites):
            paper = index.pop(str(item.get("id")), None)
            if error is not None or entry is None:
                reporter.error("citation-failed",
                               f"paper {item.get('title') or item.get('id')!r} could not be "
                               f"formatted: {error}",
                               paper.origin if paper else None, paper.line if paper else None)
                continue
            if not entry and self.mode == "bibliography":
                continue  # the style leaves this item out of its bibliography (citeproc-js too)
            out.write(self._line(entry, cite, str(item.get("id"))))
        if html:
            out.write("</div>\n")

    def _line(self, entry: str, cite: str | None, key: str) -> str:
        if self.mode == "citations":
            text = cite or ""
        elif self.mode == "both":
            text = f"{cite}\t{entry}" if self.fmt != "html" else \
                f'<span class="csl-citation">{cite}</span> {entry}'
        else:
            text = entry
        if self.fmt == "html":
            safe_key = "".join(c for c in key if c.isalnum() or c in "-_:.")
            return f'  <div class="csl-entry" id="{safe_key}">{text}</div>\n'
        if self.fmt == "markdown":
            return f"- {text}\n"
        if self.fmt == "rst":
            return f"- {text}\n"
        return text + "\n"


def _item(paper: Paper, key: str) -> dict[str, Any]:
    """A paper's CSL item for the processor, with the CSL variables its ``extra`` keeps
    (``accessed``, ``translator``, ``archive``, ...) that styles print."""
    item = paper_to_csl(paper, key)
    if paper.extra:
        csl_extra(item, paper.extra)
    return item

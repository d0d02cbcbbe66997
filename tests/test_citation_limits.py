"""The citation writer keeps every author and the whole of every value, at a cost that
grows in step with the input (it used to cut author lists at 1,000 names and values at
5,000 characters, without a word, because some steps were quadratic)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bibconv.citations.engine import Renderer

LAST = {"family": "Zzyzx", "given": "Zygmunt"}


def _authors(count: int, last: dict[str, str] = LAST) -> list[dict[str, str]]:
    return [{"family": f"Fam{n}", "given": f"Given{n}"} for n in range(count - 1)] + [last]


def _item(ident: str = "big", **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"id": ident, "type": "article-journal",
                            "title": "Big collaboration paper", "author": _authors(1200),
                            "issued": {"date-parts": [[2020]]}, "container-title": "Phys Rev"}
    item.update(fields)
    return item


# -- authors ------------------------------------------------------------------------------

def test_apa_ends_a_long_author_list_with_the_true_last_author() -> None:
    # citeproc-js 2.4.63 on the same item: the first 19 authors, "…", the last one.
    entry = Renderer("apa").entry(_item())
    assert entry.endswith("Fam17, G., Fam18, G., … Zzyzx, Z. (2020). Big collaboration "
                          "paper. Phys Rev.")


def test_a_style_without_et_al_prints_every_author() -> None:
    entry = Renderer("american-chemical-society").entry(_item(author=_authors(3000)))
    assert entry.count("Fam") == 2999
    assert "Fam2998, G.; Zzyzx, Z." in entry


def test_cli_repro_keeps_the_last_author_and_warns_about_nothing(tmp_path: Path) -> None:
    source = tmp_path / "x.json"
    source.write_text(json.dumps([_item()]), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bibconv.cli", "convert", str(source),
                           "-t", "citation", "--style", "apa"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip("\n").endswith("… Zzyzx, Z. (2020). Big collaboration paper. "
                                             "Phys Rev.")
    assert done.stderr == ""


def test_identical_long_author_lists_disambiguate_in_few_renders() -> None:
    """APA adds names to tell identical cites apart; with 1,200-author lists that differ
    only in the last author this took ~50 s (one render per added name); the names that
    cannot differ are now skipped."""
    items = [_item("a", title="One"), _item("b", title="Two"),
             _item("c", title="Three", author=_authors(1200, {"family": "Other",
                                                              "given": "Zygmunt"}))]
    started = time.perf_counter()
    rows = list(Renderer("apa", jobs=1).bibliography(items, citations=True))
    elapsed = time.perf_counter() - started
    cites = {row[0]["id"]: row[2] or "" for row in rows}
    assert all(row[3] is None for row in rows)
    # Every name is needed to tell c from a and b; a and b stay alike and get suffixes.
    assert cites["c"].endswith("Fam1198, & Other, 2020)")
    assert cites["a"].endswith("Fam1198, & Zzyzx, 2020a)")
    assert cites["b"].endswith("Fam1198, & Zzyzx, 2020b)")
    assert elapsed < 15, f"took {elapsed:.1f} s"


def test_add_names_stops_where_the_lists_first_differ() -> None:
    """The first differing name, not the end of the list, decides how many names show."""
    shared = _authors(40)
    other = [*shared[:25], {"family": "Else", "given": "Ann"}, *shared[26:]]
    items = [_item("a", title="One", author=shared), _item("b", title="Two", author=other)]
    cites = {row[0]["id"]: row[2] or "" for row in
             Renderer("apa", jobs=1).bibliography(items, citations=True)}
    assert cites["a"].endswith("Fam24, Fam25, et al., 2020)")
    assert cites["b"].endswith("Fam24, Else, et al., 2020)")


# -- long values --------------------------------------------------------------------------

def _title(length: int) -> str:
    words = ("Waves in a plasma of the early universe " * (length // 40 + 1))[:length - 4]
    return words.rstrip() + " END"


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_a_long_title_is_kept_whole_without_stray_punctuation(style: str) -> None:
    title = _title(15_000)
    entry = Renderer(style).entry(_item(title=title, author=_authors(2)))
    assert title[:-4] in entry
    assert " END" in entry
    assert " ." not in entry and " ," not in entry


def test_title_case_of_a_long_title_takes_linear_time() -> None:
    # Chicago title-cases titles; joining the words one by one was quadratic (a
    # 50,000-character title took 14 s).
    title = _title(60_000).lower()
    started = time.perf_counter()
    entry = Renderer("chicago-author-date").entry(_item(title=title, author=_authors(2)))
    elapsed = time.perf_counter() - started
    assert "Waves in a Plasma of the Early Universe Waves" in entry
    assert entry.count("Waves") == title.count("waves")
    assert elapsed < 5, f"took {elapsed:.1f} s"


def test_a_long_literal_date_is_kept_whole() -> None:
    literal = "Submitted in the spring; revised twice over the following winter; " \
              "accepted after a third round of review by the editors in late 2021"
    assert len(literal) > 100
    entry = Renderer("apa").entry(_item(author=_authors(2), issued={"literal": literal}))
    assert literal in entry

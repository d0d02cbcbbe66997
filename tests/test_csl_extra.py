"""CSL variables the model has no field for travel through ``extra`` back into CSL-JSON.

The CSL-JSON reader keeps every variable it has no field for (``PMID``, ``archive``,
``accessed``, ``translator``, ``custom``, ...) in ``extra``; the CSL-JSON writer puts
them back, so a Zotero export comes through unchanged. What CSL-JSON cannot hold (a
BibTeX ``eprint``, a value of the wrong shape, a variable the paper's own fields
already give) is named in a ``lossy-field`` warning, as every writer does.
"""

from __future__ import annotations

import functools
import io
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.csl import CSL_VARIABLES, _fits, csl_extra, paper_to_csl
from bibconv.diagnostics import Diagnostic, Reporter
from bibconv.model import Date, Paper, Person

from .conftest import official_csl_schema

#: A Zotero-style item using variables the model has no field for.
ZOTERO_ITEM: dict[str, Any] = {
    "id": "smith2019", "type": "article-journal", "title": "On Graphs",
    "author": [{"family": "Smith", "given": "Ann"}],
    "translator": [{"family": "Ober", "given": "Tom"}, {"literal": "Team X"}],
    "issued": {"date-parts": [[2019, 5]]},
    "accessed": {"date-parts": [[2024, 1, 2]]},
    "original-date": {"raw": "1850"},
    "container-title": "Journal of Graphs", "volume": "3", "page": "1-9",
    "PMID": "31234567", "PMCID": "PMC123", "archive": "Internet Archive",
    "archive_location": "Box 3", "call-number": "QA166", "source": "PubMed",
    "edition": 2, "number-of-pages": "9", "citation-key": "smith2019graphs",
    "categories": ["graphs", "theory"], "custom": {"zotero-key": "ABCD1234"},
}


@functools.cache
def _official_schema() -> Any:
    return official_csl_schema()


def _through(item: dict[str, Any], writer: str = "csl-json",
             ) -> tuple[dict[str, Any], list[Diagnostic]]:
    found: list[Diagnostic] = []
    papers = bibconv.load(io.BytesIO(json.dumps([item]).encode()), "csl-json",
                          diagnostics=found)
    out = json.loads(bibconv.dumps(papers, writer, diagnostics=Reporter(found.append)))
    return (out[0] if writer == "csl-json" else out), found


def test_a_zotero_item_comes_through_unchanged() -> None:
    out, found = _through(ZOTERO_ITEM)
    assert out == ZOTERO_ITEM
    assert found == []


def test_the_output_validates_against_the_official_schema() -> None:
    schema = official_csl_schema()
    out, _ = _through(ZOTERO_ITEM)
    jsonschema.validate([out], schema)


def test_what_csl_json_cannot_hold_is_named() -> None:
    bib = b"@article{li2020, title={T}, author={Li, Xu}, journal={J}, year={2020}, " \
          b"eprint={2001.0001}, file={a.pdf}}"
    found: list[Diagnostic] = []
    papers = bibconv.load(io.BytesIO(bib), "bibtex", diagnostics=found)
    assert set(papers[0].extra) >= {"eprint", "file"}
    items = json.loads(bibconv.dumps(papers, "csl-json", diagnostics=found))
    assert "eprint" not in items[0] and "file" not in items[0]
    lossy = [d for d in found if d.code == "lossy-field"]
    assert len(lossy) == 1
    assert "'eprint'" in lossy[0].message and "'file'" in lossy[0].message
    assert "li2020" in lossy[0].message and lossy[0].line == 1


def test_wrong_shapes_and_taken_variables_are_lost_and_named() -> None:
    paper = Paper(title="T", type="article-journal", issued=Date(2001),
                  author=(Person(family="Li", homonym="0001"),),
                  extra={"archive": 5, "accessed": "2020", "translator": "Tom",
                         "issued": {"raw": "Spring 2001"}, "PMID": "9",
                         "custom": {"author-ids": "theirs", "k": 1},
                         "score": float("nan"), "authors-truncated": True})
    item = paper_to_csl(paper, "li2001")
    lost = csl_extra(item, dict(paper.extra))
    assert item["PMID"] == "9"
    assert item["issued"] == {"date-parts": [[2001]]}  # the paper's own date wins
    # The paper's own author ids win over the extra's; the rest of custom is kept.
    assert item["custom"] == {"k": 1, "author-ids": [{"homonym": "0001"}]}
    assert sorted(lost) == ["extra field 'accessed'", "extra field 'archive'",
                            "extra field 'issued'", "extra field 'translator'",
                            "extra field score: nan is not JSON",
                            "the author list's 'and others'"]


# Floats are finite here: NaN and infinity are named otherwise (see above).
_SCALAR = (st.none() | st.booleans() | st.integers()
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=4))
_KEY = st.sampled_from(["family", "given", "literal", "suffix", "parse-names", "date-parts",
                        "raw", "season", "circa", "x"]) | st.text(max_size=3)
# Near-misses of CSL shapes: name lists, dates and date-parts, with a wrong part here and there.
_VALUES = st.recursive(
    _SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEY, inner, max_size=3),
    max_leaves=8)
_NAMES = st.sampled_from(sorted(CSL_VARIABLES | {"categories", "custom", "eprint", "x"}))
@settings(max_examples=300, deadline=None)
@given(extra=st.dictionaries(_NAMES | st.text(max_size=5), _VALUES, max_size=6))
def test_every_extra_entry_is_written_or_named(extra: dict[str, Any]) -> None:
    """Each entry is written as it is or named as lost, and what is written is valid
    CSL-JSON."""
    csl_schema = _official_schema()
    paper = Paper(title="T", author=(Person(family="Li"),), extra=extra)
    item = paper_to_csl(paper, "k")
    before = dict(item)
    lost = csl_extra(item, dict(extra))
    for name, value in extra.items():
        named = f"extra field {name!r}" in lost
        if name == "custom" and type(value) is dict:
            assert item["custom"] == value and not named
        elif name in before or not _fits(name, value):
            assert named == (name != "authors-truncated")
            assert item.get(name) == before.get(name)
        else:
            assert item[name] == value and not named
    json.dumps(item, allow_nan=False)  # still JSON
    jsonschema.validate([item], csl_schema)


_WEBPAGE: dict[str, Any] = {
    "id": "w1", "type": "webpage", "title": "A Page", "author": [{"family": "Doe", "given": "J"}],
    "issued": {"date-parts": [[2020]]}, "accessed": {"date-parts": [[2024, 1, 2]]},
    "URL": "https://example.org/x", "container-title": "Site"}


@pytest.mark.parametrize(("style", "expected"), [
    # Both as citeproc-js prints them from the same items (tests/citeprocjs/render.js).
    ("apa", ["Doe, J. (2020). A Page. Site. https://example.org/x",
             "Smith, A. (2019). On Graphs (T. Ober & Team X, Trans.). Journal of Graphs, 3, "
             "1–9. Internet Archive (Box 3). (Original work published 1850)"]),
    ("ieee", ["[1] A. Smith, “On Graphs,” Journal of Graphs, vol. 3, pp. 1–9, May 2019.",
              "[2] J. Doe, “A Page,” Site. Accessed: Jan. 02, 2024. [Online]. Available: "
              "https://example.org/x"]),
])
def test_citations_print_the_csl_variables_kept_in_extra(style: str,
                                                          expected: list[str]) -> None:
    """Translators, archives, original dates and access dates reach the styles."""
    data = json.dumps([ZOTERO_ITEM, _WEBPAGE]).encode()
    papers = bibconv.load(io.BytesIO(data), "csl-json", diagnostics=[])
    text = bibconv.dumps(papers, "citation", style=style, citation_format="text",
                         diagnostics=[])
    assert [line.strip() for line in text.splitlines() if line.strip()] == expected


@pytest.mark.parametrize("date", [{"date-parts": None}, {"season": None}, {"circa": None},
                                  {"literal": None}, {"date-parts": [[2020]], "raw": None}])
def test_a_date_key_holding_null_is_no_csl_date(date: dict[str, Any]) -> None:
    """JSON null is none of the types the schema gives a date's keys (found by the
    property test above): such a date is named as lost, not written invalid."""
    paper = Paper(title="T", type="article-journal", extra={"accessed": date})
    item = paper_to_csl(paper, "k")
    assert csl_extra(item, dict(paper.extra)) == ["extra field 'accessed'"]
    assert "accessed" not in item

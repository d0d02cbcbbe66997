"""The CSL-JSON reader: Zotero exports, schema violations with JSON paths, sniffing."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import bibconv
from bibconv.diagnostics import Diagnostic
from bibconv.model import Person
from bibconv.readers.canonical import CanonicalJSONReader
from bibconv.readers.csljson import CSLJSONReader
from bibconv.registry import sniff

from .conftest import EXAMPLE, FIXTURES

READERS = FIXTURES / "readers"


def test_zotero_export() -> None:
    diags: list[Diagnostic] = []
    papers = bibconv.load(READERS / "zotero.csl.json", diagnostics=diags)
    assert not diags
    conf, jmlr, poussin = papers
    assert conf.venue is not None and conf.venue.name == "AAAI Conference on Artificial Intelligence"
    assert conf.container_title == "Proceedings of the AAAI Conference on Artificial Intelligence"
    assert conf.issued is not None and conf.issued.year == 2026
    assert conf.extra["source"] == "DBLP" and conf.line == 2
    assert jmlr.author[0] == Person(family="Maaten", given="Laurens", particle="van der")
    assert jmlr.author[2] == Person(literal="The t-SNE Consortium")
    assert (jmlr.volume, jmlr.issue, jmlr.issn) == ("9", "86", "1532-4435")
    assert jmlr.venue is not None and jmlr.venue.short == "JMLR"
    assert jmlr.keywords == ("visualization", "embeddings")
    assert poussin.author[0].dropping_particle == "de la"
    assert poussin.issued is not None and poussin.issued.iso() == "1896-01"


def test_schema_violations_are_reported_with_paths_and_skipped() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bibconv.cli", "convert", str(READERS / "broken.csl.json"),
         "--to", "csl-json"], capture_output=True, timeout=60, check=False)
    assert result.returncode == 1
    err = result.stderr.decode()
    for line, path in ((3, "$[1].type"), (4, "$[2].type"), (5, "$[3].author[0].family"),
                       (7, "$[5]")):
        assert f"broken.csl.json:{line}: error[invalid-item]: {path}" in err
    # A date that cannot be read costs the date, not the item.
    assert "broken.csl.json:6: warning[bad-date]: $[4].issued.date-parts" in err
    assert [i["title"] for i in json.loads(result.stdout)] == ["First Good Item", "Bad Date",
                                                               "Second Good Item"]


def test_syntax_error_keeps_items_before_it() -> None:
    diags: list[Diagnostic] = []
    text = '[\n{"type": "book", "title": "A"},\n{"type": "book", "title": "B"\n,,]'
    # load() streams, so the item before the error is kept (loads() lists all or nothing).
    papers = bibconv.load(io.BytesIO(text.encode()), "csl-json", diagnostics=diags)
    assert [p.title for p in papers] == ["A"]
    assert [(d.code, d.line) for d in diags] == [("unreadable", 4)]


def test_our_csl_json_round_trips_homonyms() -> None:
    papers = bibconv.load(EXAMPLE, diagnostics=[])
    back = bibconv.loads(bibconv.dumps(papers, "csl-json"), "csl-json", diagnostics=[])
    assert [[a.homonym for a in p.author] for p in back] == \
        [[a.homonym for a in p.author] for p in papers]


@pytest.mark.parametrize("fmt", ["csl-json", "json"])
def test_sniffing_tells_csl_from_canonical_json(fmt: str) -> None:
    papers = bibconv.load(EXAMPLE, diagnostics=[])
    text = bibconv.dumps(papers, fmt)
    assert sniff(text[:8192], "out.json") == fmt


def test_sniffing_ignores_cluster_json() -> None:
    head = '[{"name": "Kun Jin", "papers": [{"title": "x", "type": "paper-conference"}]}]'
    assert CSLJSONReader.sniff(head, ".json") < 20
    assert CanonicalJSONReader.sniff(head, ".json") < 20

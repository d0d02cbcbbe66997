"""Real consumers: rapper (raptor2) parses our Turtle, N-Triples and RDF/XML; pyld and
rdflib expand our JSON-LD into the same graph; what they read gives back the papers."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import bibconv
from bibconv.diagnostics import Reporter
from bibconv.model import Paper
from bibconv.readers.rdf import papers_from_graph

from .conftest import EXAMPLE, require_tool

RAPPER_SYNTAX = {"turtle": "turtle", "ntriples": "ntriples", "rdfxml": "rdfxml"}


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    return bibconv.load(EXAMPLE)


@pytest.fixture(scope="module")
def turtle_graph(papers: list[Paper]) -> Graph:
    return Graph().parse(data=bibconv.dumps(papers, "turtle"), format="turtle")


def essentials(paper: Paper) -> tuple[object, ...]:
    """What an independent parser must give back: title, authors in order, venue, year,
    abstract."""
    return (paper.title, tuple(a.display_name for a in paper.author),
            paper.venue and dataclasses.astuple(paper.venue), paper.year, paper.abstract)


def rapper_ntriples(path: Path, syntax: str) -> tuple[str, str]:
    result = subprocess.run(
        [require_tool("rapper"), "-q", "-i", syntax, "-o", "ntriples", str(path)],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


@pytest.mark.interop
@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
@pytest.mark.parametrize("nasty", [False, True])
def test_rapper_reads_what_rdflib_reads(tmp_path: Path, papers: list[Paper], fmt: str,
                                        nasty: bool) -> None:
    items = papers
    if nasty:
        from .test_rdf_writer import nasty_paper
        items = [*papers, nasty_paper()]
    path = tmp_path / f"out.{fmt}"
    path.write_text(bibconv.dumps(items, fmt, diagnostics=[]), encoding="utf-8")
    ntriples, stderr = rapper_ntriples(path, RAPPER_SYNTAX[fmt])
    assert "error" not in stderr.lower() and "warning" not in stderr.lower(), stderr
    ours = Graph().parse(path, format={"turtle": "turtle", "ntriples": "nt",
                                       "rdfxml": "xml"}[fmt])
    theirs = Graph().parse(data=ntriples, format="nt")
    assert len(ntriples.strip().splitlines()) == len(ours)  # same triple count, no extras
    assert isomorphic(theirs, ours)
    # The papers, authors in order, venues, years and abstracts, from rapper's parse.
    back = sorted(map(essentials, papers_from_graph(theirs, "rapper", Reporter())), key=repr)
    assert back == sorted(map(essentials, papers_from_graph(ours, "rdflib", Reporter())),
                          key=repr)
    if not nasty:
        assert back == sorted(map(essentials, items), key=repr)
    else:
        hostile = next(p for p in papers_from_graph(theirs, "rapper", Reporter())
                       if p.title.startswith("q"))
        assert hostile.title.startswith('q"uote\n"""triple\\back>gt<lt&amp\r')


@pytest.mark.interop
def test_rdflib_jsonld_parser_gives_the_turtle_graph(papers: list[Paper],
                                                     turtle_graph: Graph) -> None:
    graph = Graph().parse(data=bibconv.dumps(papers, "jsonld"), format="json-ld")
    assert isomorphic(graph, turtle_graph)


REFUSED: list[str] = []


def _refuse_network(url: str, options: object = None) -> object:
    REFUSED.append(url)
    raise RuntimeError(f"test document loader refuses to fetch {url}")


@pytest.mark.interop
def test_pyld_expands_our_jsonld_into_the_turtle_graph(papers: list[Paper],
                                                      turtle_graph: Graph) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    import json
    document = json.loads(bibconv.dumps(papers, "jsonld"))
    options = {"documentLoader": _refuse_network}
    expanded = jsonld.expand(document, options)
    assert expanded and all("@id" in node for node in expanded)
    REFUSED.clear()
    nquads = jsonld.to_rdf(document, {**options, "format": "application/n-quads"})
    assert REFUSED == []  # our context is inline: nothing to fetch
    graph = Graph().parse(data=nquads, format="nt")
    assert isomorphic(graph, turtle_graph)
    back = list(papers_from_graph(graph, "pyld", Reporter()))
    assert sorted(map(essentials, back), key=repr) == sorted(map(essentials, papers), key=repr)


@pytest.mark.interop
def test_pyld_loader_really_refuses(papers: list[Paper]) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    REFUSED.clear()
    with pytest.raises(Exception, match="remote context"):
        jsonld.expand({"@context": "https://schema.org/", "name": "x"},
                      {"documentLoader": _refuse_network})
    assert REFUSED == ["https://schema.org/"]

"""RDF readers: our output reads back into the same papers; hostile RDF is refused."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest

import bibconv
from bibconv.diagnostics import Reporter
from bibconv.errors import OptionError, ParseError
from bibconv.model import Paper
from bibconv.plugin import TextSource
from bibconv.registry import get_reader, sniff

from .conftest import EXAMPLE

FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


def comparable(paper: Paper) -> Paper:
    """A paper without provenance (not written to RDF), keywords as a set (sorted)."""
    cluster = paper.cluster and dataclasses.replace(paper.cluster, origin=None, line=None)
    return dataclasses.replace(paper, origin=None, line=None, cluster=cluster,
                               keywords=tuple(sorted(paper.keywords)))


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    return bibconv.load(EXAMPLE)


def read(text: str, fmt: str, **options: object) -> tuple[list[Paper], Reporter]:
    reporter = Reporter()
    source = TextSource.from_text(text, "<test>", reporter)
    return list(get_reader(fmt)(**options).read(source)), reporter


@pytest.mark.parametrize("vocab", ["bibo", "schema", "bibo+schema"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_the_example(papers: list[Paper], fmt: str, vocab: str) -> None:
    back, reporter = read(bibconv.dumps(papers, fmt, vocab=vocab), fmt)
    assert not list(reporter)
    # The same papers, in the input order (recovered from where their IRIs appear).
    assert list(map(comparable, back)) == list(map(comparable, papers))


@pytest.mark.parametrize("fmt", FORMATS)
def test_identical_records_stay_apart_and_in_order(fmt: str) -> None:
    from bibconv.model import Date
    items = [Paper(title="X", issued=Date(1000)), Paper(title="X", issued=Date(1001)),
             Paper(title="X", issued=Date(1000)), Paper(title="A")]
    back, reporter = read(bibconv.dumps(items, fmt), fmt)
    assert not list(reporter)
    assert [(p.title, p.year) for p in back] == [(p.title, p.year) for p in items]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_field_round_trips(fmt: str) -> None:
    from bibconv.model import Cluster, Date, Person, Venue
    paper = Paper(
        title="T", type="chapter", issued=Date(2020, 5, 17),
        author=(Person(family="Beethoven", given="Ludwig", particle="van", suffix="Jr."),
                Person(literal="ATLAS Collaboration"),
                Person(family="Li", given="Bo", homonym="0026"),
                Person(family="Doe", given="J", orcid="0000-0002-1825-0097"),
                Person(family="Roe", orcid="bad-orcid")),
        editor=(Person(family="Ed", given="E", dropping_particle="de"),),
        venue=Venue(name="Book", short="B", kind="book", container_title="The Book",
                    publisher="Pub", issn="1234-5678"),
        volume="3", issue="2", page="10-20", publisher="P2", publisher_place="Berlin",
        doi="10.1/x", url="https://example.org/x", isbn="978-3-16-148410-0",
        issn="8765-4321", abstract="A", keywords=("b", "a"), language="en", note="N",
        genre="Book Chapter", id="key1",
        cluster=Cluster(name="C", site="S", description="D", declared_papers=1,
                        declared_author_rows=0),
        extra={"x": [1, 2], "y": "z"},
    )
    back, reporter = read(bibconv.dumps([paper], fmt, diagnostics=[]), fmt)
    assert not list(reporter)
    assert [comparable(p) for p in back] == [comparable(paper)]


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lollollollollollollollollollol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcterms="http://purl.org/dc/terms/" xmlns:bcv="https://bibconv.example/vocab#">
  <rdf:Description rdf:about="https://x.example/p">
    <bcv:cslType>article</bcv:cslType><dcterms:title>&lol9;</dcterms:title>
  </rdf:Description>
</rdf:RDF>
"""


def test_rdfxml_entity_bomb_is_refused_quickly() -> None:
    start = time.monotonic()
    with pytest.raises(ParseError) as info:
        read(BOMB, "rdfxml")
    assert "DOCTYPE" in str(info.value)
    assert info.value.line == 2
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("context", [
    "https://schema.org/",
    "file:///etc/passwd",
    ["file:///etc/hostname", {"x": "http://x/"}],
    {"@import": "http://example.org/ctx.jsonld"},
    {"term": {"@id": "http://x/t", "@context": "file:///etc/passwd"}},
])
def test_jsonld_contexts_that_name_documents_are_refused(context: object) -> None:
    doc = {"@context": context, "@id": "https://x.example/p",
           "https://bibconv.example/vocab#cslType": "article",
           "http://purl.org/dc/terms/title": "T"}
    with pytest.raises(ParseError, match="context"):
        read(json.dumps(doc), "jsonld")
    nested = {"@graph": [{"@context": context, "@id": "https://x.example/q"}]}
    with pytest.raises(ParseError, match="context"):
        read(json.dumps(nested), "jsonld")


def test_size_cap_and_bad_option() -> None:
    text = bibconv.dumps(bibconv.load(EXAMPLE), "ntriples")
    with pytest.raises(ParseError, match="larger than"):
        read(text, "ntriples", max_bytes=1000)
    assert len(read(text, "ntriples", max_bytes=10_000_000)[0]) == 10
    with pytest.raises(OptionError):
        get_reader("turtle")(max_bytes="lots")


@pytest.mark.parametrize(("fmt", "text", "line"), [
    ("turtle", "@prefix x: <http://x/> .\n\nx:a x:b \"unterminated .\n", 3),
    ("ntriples", "<http://x/a> <http://x/b> <http://x/c> .\n<http://x/a> oops .\n", 2),
    ("jsonld", '{"@id": \n "x", ]', 2),
    ("rdfxml", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
               '22-rdf-syntax-ns#">\n<rdf:Description>\n</rdf:RDF>\n', None),
])
def test_syntax_errors_are_parse_errors(fmt: str, text: str, line: int | None) -> None:
    with pytest.raises(ParseError) as info:
        read(text, fmt)
    if line is not None:
        assert info.value.line == line


def test_api_reports_unreadable_input_instead_of_raising() -> None:
    diagnostics: list[bibconv.Diagnostic] = []
    assert bibconv.loads("@prefix broken", "turtle", diagnostics=diagnostics) == []
    assert [d.code for d in diagnostics] == ["unreadable"]


def test_a_paper_node_without_title_is_reported_and_the_rest_read() -> None:
    text = """@prefix bcv: <https://bibconv.example/vocab#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://x.example/a> bcv:cslType "article" ; dcterms:title "Kept" .
<https://x.example/b> bcv:cslType "article" .
"""
    back, reporter = read(text, "turtle")
    assert [p.title for p in back] == ["Kept"]
    assert [d.code for d in reporter] == ["bad-record"]


def test_plain_bibo_without_our_terms_still_reads() -> None:
    text = """@prefix bibo: <http://purl.org/ontology/bibo/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://x.example/a> a bibo:AcademicArticle ; dcterms:title "J" ;
    dcterms:issued "2001" ; dcterms:isPartOf <https://x.example/j> ;
    bibo:authorList ( <https://x.example/p1> <https://x.example/p2> ) .
<https://x.example/j> a bibo:Journal ; dcterms:title "Journal" .
<https://x.example/p1> foaf:givenName "A" ; foaf:familyName "One" .
<https://x.example/p2> foaf:name "Org" .
"""
    back, _ = read(text, "turtle")
    assert len(back) == 1
    paper = back[0]
    assert (paper.type, paper.year, paper.venue and paper.venue.name) == (
        "article-journal", 2001, "Journal")
    assert [a.display_name for a in paper.author] == ["A One", "Org"]


@pytest.mark.parametrize(("fmt", "suffix"), [("turtle", ".ttl"), ("ntriples", ".nt"),
                                             ("jsonld", ".jsonld"), ("rdfxml", ".rdf")])
def test_sniffing(papers: list[Paper], fmt: str, suffix: str) -> None:
    text = bibconv.dumps(papers[:1], fmt)
    assert sniff(text[:8192]) == fmt
    assert sniff(text[:8192], f"x{suffix}") == fmt


def test_what_rdflib_logs_becomes_a_diagnostic(capsys: pytest.CaptureFixture[str]) -> None:
    """An IRI rdflib reads but finds invalid is reported as bibconv reports, once, and
    nothing goes to standard error in rdflib's own format."""
    import logging

    text = ('@prefix dcterms: <http://purl.org/dc/terms/> .\n'
            '<https://bib{conv.example/id/paper/1> a <http://purl.org/ontology/bibo/Article> ;'
            ' dcterms:title "T" .\n')
    found: list[object] = []
    papers = bibconv.loads(text, "turtle", diagnostics=found)
    assert [p.title for p in papers] == ["T"]
    codes = [d.code for d in found]  # type: ignore[attr-defined]
    assert codes == ["rdf-parser"]
    assert "bib{conv.example" in found[0].message  # type: ignore[attr-defined]
    assert capsys.readouterr().err == ""
    assert logging.getLogger("rdflib").propagate  # put back as it was
    assert not logging.getLogger("rdflib").handlers

"""The Turtle writer's layout: a predicate's consecutive objects as one object list,
DBLP signatures inline as ``[ ... ]`` blank-node property lists (no labels), canonical
``xsd:integer`` literals as bare integers; the graph always the one rdflib builds from
the reference triples, and read by rapper as by rdflib."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

import bibconv
from bibconv.diagnostics import Reporter
from bibconv.model import Cluster, Date, Paper, Person, Venue
from bibconv.rdfmap import DBLP
from bibconv.registry import get_writer
from bibconv.writers.rdf import TurtleSyntax, TurtleWriter, build_graph, turtle_prefixes

from .conftest import require_tool

KUN = Person(family="Jin", given="Kun")
TIAN = Person(family="Xie", given="Tian")
YANG = Person(family="Liu", given="Yang")
CLUSTER = Cluster(name="Kun Jin", site="S", declared_papers=10, declared_author_rows=2)
VENUE = Venue(name="AAAI", short="AAAI", kind="conference", publisher="AAAI Press")


def paper(*authors: Person, editors: tuple[Person, ...] = (), title: str = "T",
          keywords: tuple[str, ...] = ()) -> Paper:
    return Paper(title=title, type="paper-conference", author=authors, editor=editors,
                 issued=Date(2024), venue=VENUE, cluster=CLUSTER, keywords=keywords)


def turtle(papers: list[Paper], vocab: str = "bibo", seen_limit: int | None = None) -> str:
    writer = TurtleWriter(vocab=vocab)
    if seen_limit is not None:
        writer.mapper._seen_limit = seen_limit
    out = io.StringIO()
    writer.write(papers, out, Reporter())
    return out.getvalue()


def body(text: str) -> str:
    """The text after the @prefix lines."""
    return text[text.index("\n\n") + 1:]


def node(person: Person, cluster: Cluster | None = CLUSTER) -> str:
    """The Turtle text of a person's node."""
    from bibconv.rdfmap import Minter
    return "person:" + Minter().person(person, cluster).rsplit("/", 1)[1]


def check_graph(papers: list[Paper], text: str, vocab: str = "bibo") -> Graph:
    """The text is the graph rdflib builds from the reference triples, and rapper reads
    the same number of triples from it as rdflib."""
    graph = Graph().parse(data=text, format="turtle")
    reference = build_graph(TurtleWriter(vocab=vocab), papers, Reporter())
    assert isomorphic(graph, reference)
    return graph


@pytest.mark.interop
@pytest.mark.parametrize("vocab", ["bibo", "schema", "bibo+schema"])
def test_rapper_reads_every_shape(tmp_path: Path, vocab: str) -> None:
    papers = [paper(KUN, TIAN, YANG, editors=(YANG, KUN), keywords=("a", "b")), paper(KUN),
              paper(), paper(Person(literal='x ] ; , . [ "q"\n\\ """ _:b1 <a>'), KUN)]
    path = tmp_path / "out.ttl"
    path.write_text(turtle(papers, vocab), encoding="utf-8")
    result = subprocess.run([require_tool("rapper"), "-q", "-i", "turtle", "-o", "ntriples",
                             str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stderr, result.stderr
    graph = check_graph(papers, path.read_text(encoding="utf-8"), vocab)
    assert len(result.stdout.strip().splitlines()) == len(graph)
    assert isomorphic(Graph().parse(data=result.stdout, format="nt"), graph)


def test_authors_are_one_object_list_and_signatures_are_nested() -> None:
    papers = [paper(KUN, TIAN, YANG)]
    text = turtle(papers)
    k, t, y = node(KUN), node(TIAN), node(YANG)
    assert f"    dcterms:creator {k}, {t}, {y} ;\n" in text
    assert f"    bibo:authorList ( {k} {t} {y} ) ;\n" in text
    assert (
        "    dblp:hasSignature [ a dblp:AuthorSignature ;\n"
        "            dblp:signatureOrdinal 1 ;\n"
        f"            dblp:signatureCreator {k} ;\n"
        '            dblp:signatureDblpName "Kun Jin" ],\n'
        "        [ a dblp:AuthorSignature ;\n"
        "            dblp:signatureOrdinal 2 ;\n"
        f"            dblp:signatureCreator {t} ;\n"
        '            dblp:signatureDblpName "Tian Xie" ],\n'
        "        [ a dblp:AuthorSignature ;\n"
        "            dblp:signatureOrdinal 3 ;\n"
        f"            dblp:signatureCreator {y} ;\n"
        '            dblp:signatureDblpName "Yang Liu" ] ;\n'
        "    dcterms:isPartOf venue:") in text
    assert "_:" not in text  # no labels: the lists are folded, the signatures nested
    assert text.count("dcterms:creator") == 1 and text.count("dblp:hasSignature") == 1
    graph = check_graph(papers, text)
    ordinals = set(graph.objects(None, DBLP.signatureOrdinal))
    assert ordinals == {Literal(str(i), datatype=XSD.integer) for i in (1, 2, 3)}


def test_one_author() -> None:
    papers = [paper(KUN)]
    text = turtle(papers)
    assert f"    dcterms:creator {node(KUN)} ;\n" in text
    assert ('    dblp:hasSignature [ a dblp:AuthorSignature ;\n'
            '            dblp:signatureOrdinal 1 ;\n'
            f'            dblp:signatureCreator {node(KUN)} ;\n'
            '            dblp:signatureDblpName "Kun Jin" ] ;\n') in text
    assert "],\n" not in text
    check_graph(papers, text)


def test_no_authors() -> None:
    papers = [paper()]
    text = turtle(papers)
    for absent in ("dcterms:creator", "bibo:authorList", "dblp:hasSignature", "[", "_:"):
        assert absent not in body(text)
    check_graph(papers, text)


def test_editors_are_an_object_list_without_signatures() -> None:
    papers = [paper(KUN, editors=(TIAN, YANG))]
    text = turtle(papers)
    assert f"    bibo:editor {node(TIAN)}, {node(YANG)} ;\n" in text
    assert f"    bibo:editorList ( {node(TIAN)} {node(YANG)} ) ;\n" in text
    assert text.count("[ a dblp:AuthorSignature") == 1  # the author's only
    check_graph(papers, text)


def test_bibo_and_schema() -> None:
    papers = [paper(KUN, TIAN, editors=(YANG,), keywords=("x", "y"))]
    text = turtle(papers, "bibo+schema")
    block = body(text).split("\n\n")[0]
    # Consecutive objects of one predicate: the two classes are one object list.
    assert block.startswith("\npaper:") and " a bibo:Article, schema:ScholarlyArticle ;\n" in block
    assert f"    dcterms:creator {node(KUN)}, {node(TIAN)} ;\n" in block
    # Both vocabularies link one list, so its cells keep their labels; the signatures
    # are still nested, and the interleaved keywords stay one statement each.
    assert re.search(r"\n    bibo:authorList (_:b[0-9a-f]+a1) ;\n    schema:author \1 ;\n", block)
    assert block.count("[ a dblp:AuthorSignature") == 2
    assert 'dcterms:subject "x" ;\n    schema:keywords "x" ;\n    dcterms:subject "y"' in block
    assert "s1" not in re.findall(r"_:b[0-9a-f]+(\w\d+)", text)
    check_graph(papers, text, "bibo+schema")


def test_schema_only() -> None:
    papers = [paper(KUN, TIAN, keywords=("x", "y"))]
    text = turtle(papers, "schema")
    assert f"    schema:author ( {node(KUN)} {node(TIAN)} ) ;\n" in text
    assert '    schema:keywords "x", "y" ;\n' in text or '    schema:keywords "x", "y" .\n' in text
    assert "dblp:" not in body(text) and "dcterms:creator" not in text
    check_graph(papers, text, "schema")


def test_keywords_are_one_object_list() -> None:
    papers = [paper(KUN, keywords=("x", 'y "z"', "x"))]
    text = turtle(papers)
    assert '    dcterms:subject "x", "y \\"z\\"", "x" ;\n' in text
    check_graph(papers, text)


def test_a_hostile_name_inside_a_nested_signature() -> None:
    hostile = 'x ] ; , . [ "q"\n\\ """ \t _:b1 <a> 😀 \ud800 a ] .'
    papers = [paper(Person(literal=hostile), Person(family=hostile, given="]"), KUN)]
    reporter = Reporter()
    out = io.StringIO()
    get_writer("turtle")().write(papers, out, reporter)
    text = out.getvalue()
    assert [d.code for d in reporter] == ["lossy-field"]  # the lone surrogate
    graph = check_graph(papers, text)
    expect = hostile.replace("\ud800", "\ufffd")
    names = {str(o) for o in graph.objects(None, DBLP.signatureDblpName)}
    assert names == {expect, f"] {expect}", "Kun Jin"}
    back = bibconv.loads(text, "turtle", diagnostics=[])
    assert [a.display_name for a in back[0].author] == [expect, f"] {expect}", "Kun Jin"]


@pytest.mark.parametrize(("lexical", "bare"), [
    ("0", True), ("1", True), ("42", True), ("-7", True), ("1234567890123", True),
    ("007", False), ("-0", False), ("+1", False), ("", False), ("1.0", False),
    ("1\n", False), (" 1", False), ("١", False), ("1e3", False), ("-", False),
])
def test_only_canonical_integers_are_bare(lexical: str, bare: bool) -> None:
    syntax = TurtleSyntax(turtle_prefixes("https://x.example/"))
    text = syntax.typed(lexical, str(XSD.integer))
    assert (text == lexical) is bare
    if not bare:
        assert text.endswith('"^^xsd:integer')
    # Other datatypes are never bare.
    assert syntax.typed(lexical, str(XSD.decimal)).endswith('"^^xsd:decimal')
    assert syntax.typed(lexical, str(XSD.gYear)).endswith('"^^xsd:gYear')
    # Either way, the same literal reads back.
    data = f"@prefix xsd: <{XSD}> .\n<urn:x:s> <urn:x:p> {text} ."
    graph = Graph().parse(data=data, format="turtle")
    assert list(graph.objects()) == [Literal(lexical, datatype=XSD.integer)]


def test_cluster_counts_are_bare_integers() -> None:
    papers = [paper(KUN)]
    text = turtle(papers)
    assert "    bcv:declaredPapers 10 ;\n    bcv:declaredAuthorRows 2 .\n" in text
    assert "^^xsd:integer" not in text
    graph = check_graph(papers, text)
    counts = {o for o in graph.objects() if isinstance(o, Literal) and o.datatype == XSD.integer}
    assert Literal("10", datatype=XSD.integer) in counts


@pytest.mark.parametrize("vocab", ["bibo", "schema", "bibo+schema"])
@pytest.mark.parametrize("seen_limit", [1, 2])
def test_seen_set_emptied_mid_paper_gives_one_block_per_subject(vocab: str,
                                                                seen_limit: int) -> None:
    # A person twice in a paper, with other nodes between: a seen set of one or two
    # forgets the first description before the second mention, so the paper describes
    # the person twice; the descriptions go into one block.
    papers = [paper(KUN, TIAN, KUN, YANG, editors=(KUN, TIAN), keywords=("k",)),
              paper(TIAN, KUN, YANG, KUN)]
    writer = TurtleWriter(vocab=vocab)
    writer.mapper._seen_limit = seen_limit
    texts = []
    for item in papers:
        before = writer.mapper._clears
        texts.append(writer.mapper.map_text(item).text)
        assert writer.mapper._clears > before  # the case under test happened
    for text in texts:
        subjects = re.findall(r"^(\S+) ", text, re.MULTILINE)
        assert subjects and len(subjects) == len(set(subjects)), subjects
        assert text.count(f"\n{node(KUN)} a ") == 1
        # Described more than once, in one block: rdf:type repeated, one statement.
        block = text[text.index(f"\n{node(KUN)} "):]
        block = block[:block.index(" .\n")]
        assert block.count("foaf:Person" if vocab != "schema" else "schema:Person") >= 2
    header = io.StringIO()
    writer.write([], header, Reporter())
    check_graph(papers, header.getvalue() + "".join(texts), vocab)

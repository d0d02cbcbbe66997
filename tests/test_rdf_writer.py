"""RDF writers: golden files, stable IRIs, streaming == graph-built output, SHACL shapes,
hostile literals, options, and the SPARQL query shown in README.md (RDF)."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF

import bibconv
from bibconv.diagnostics import Reporter
from bibconv.errors import OptionError
from bibconv.model import Cluster, Date, Paper, Person, Venue
from bibconv.rdfmap import BCV, BIBO, DBLP, SCHEMA, Minter
from bibconv.registry import get_writer
from bibconv.writers.rdf import build_graph

from .conftest import EXAMPLE, ROOT

# Imported at collection, not inside a @given test: importing a module of @given tests
# while one runs trips hypothesis's nested-@given health check.
from .test_rdf_fasttext import plain_turtle

GOLDEN = Path(__file__).resolve().parent / "golden" / "rdf"
FORMATS = {"turtle": ("ttl", "turtle"), "ntriples": ("nt", "nt"),
           "jsonld": ("jsonld", "json-ld"), "rdfxml": ("rdf", "xml")}
SHAPES = ROOT / "schemas" / "bibconv-shapes.ttl"


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    return bibconv.load(EXAMPLE)


def parse(text: str, fmt: str) -> Graph:
    return Graph().parse(data=text, format=FORMATS[fmt][1])


def write(papers: list[Paper] | Iterator[Paper], fmt: str, **options: object) -> str:
    return bibconv.dumps(papers, fmt, diagnostics=[], **options)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden(papers: list[Paper], fmt: str) -> None:
    path = GOLDEN / f"kun-jin.{FORMATS[fmt][0]}"
    text = write(papers, fmt)
    if os.environ.get("BIBCONV_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_streaming_output_is_the_graph_rdflib_serialises(papers: list[Paper], fmt: str) -> None:
    writer = get_writer(fmt)()
    reference = build_graph(writer, papers, Reporter())  # type: ignore[arg-type]
    for serialised in ("turtle", "nt"):
        # rdflib's own serialisation of the whole graph, parsed back ...
        whole = Graph().parse(data=reference.serialize(format=serialised), format=serialised)
        # ... is the same graph as our paper-by-paper output.
        assert isomorphic(parse(write(iter(papers), fmt), fmt), whole)
    assert len(reference) > 500


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_same_output_whatever_the_input_order(papers: list[Paper], fmt: str) -> None:
    forward = parse(write(papers, fmt), fmt)
    backward = parse(write(list(reversed(papers)), fmt), fmt)
    assert isomorphic(forward, backward)
    if fmt == "ntriples":
        assert sorted(write(papers, fmt).splitlines()) == sorted(
            write(list(reversed(papers)), fmt).splitlines())


def test_paper_iri_is_stable_hashed_and_under_the_base(papers: list[Paper]) -> None:
    minter = Minter("https://data.example.org/bib")
    iris = {minter.paper(p) for p in papers}
    assert len(iris) == len(papers)
    for iri in iris:
        assert re.fullmatch(r"https://data\.example\.org/bib/paper/[0-9a-f]{32}", str(iri))
    assert minter.paper(papers[0]) == Minter("https://data.example.org/bib/").paper(papers[0])
    # Provenance is not content: where a paper was read does not change its IRI.
    moved = dataclasses.replace(papers[0], origin="elsewhere.txt", line=99)
    assert minter.paper(moved) == minter.paper(papers[0])
    changed = dataclasses.replace(papers[0], title=papers[0].title + "!")
    assert minter.paper(changed) != minter.paper(papers[0])


def test_every_minted_iri_uses_the_base(papers: list[Paper]) -> None:
    base = "urn:example:bib:"
    graph = parse(write(papers, "turtle", base_iri=base), "turtle")
    vocab = (str(BIBO), str(DCTERMS), str(FOAF), str(DBLP), str(BCV), str(RDF),
             "http://www.w3.org/2001/XMLSchema#", "http://www.w3.org/2000/01/rdf-schema#")
    for node in set(graph.subjects()) | set(graph.objects()):
        if isinstance(node, URIRef) and not str(node).startswith(vocab):
            assert str(node).startswith(base), node


@pytest.mark.parametrize("base", ["relative/path", "example.org", "ftp://x.org/", "https:///x",
                                  "https://exa mple.org/", "https://x.org/<a>", "", "urn:x",
                                  "https://x.org/?q=1", "mailto:me@x.org", "https://[x/"])
def test_bad_base_iri_is_an_option_error(base: str) -> None:
    for fmt in FORMATS:
        with pytest.raises(OptionError):
            get_writer(fmt)(base_iri=base)


def test_bad_vocab_is_an_option_error() -> None:
    with pytest.raises(OptionError):
        get_writer("turtle")(vocab="dc")


def test_cli_rejects_a_relative_base_iri_as_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from bibconv.cli import main; main()", "convert", str(EXAMPLE),
         "--to", "turtle", "--base-iri", "not/absolute"],
        capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "base_iri" in result.stderr
    assert result.stdout == ""


def test_bibo_shape_of_a_conference_paper(papers: list[Paper]) -> None:
    graph = parse(write(papers, "turtle"), "turtle")
    paper = next(iter(graph.subjects(DCTERMS.title, Literal(papers[0].title))))
    assert (paper, RDF.type, BIBO.Article) in graph
    assert graph.value(paper, DCTERMS.issued) == Literal("2026", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#gYear"))
    venue = graph.value(paper, DCTERMS.isPartOf)
    assert (venue, RDF.type, BIBO.Proceedings) in graph
    assert str(graph.value(venue, BIBO.shortTitle)) == "AAAI"
    # Author order: the rdf:List and the DBLP-style signatures agree with the input.
    head = graph.value(paper, BIBO.authorList)
    listed = [str(graph.value(p, FOAF.name)) for p in graph.items(head)]
    assert listed == [a.display_name for a in papers[0].author]
    ordinals = {int(graph.value(s, DBLP.signatureOrdinal)):  # type: ignore[arg-type]
                str(graph.value(graph.value(s, DBLP.signatureCreator), FOAF.name))
                for s in graph.objects(paper, DBLP.hasSignature)}
    assert [ordinals[i] for i in range(1, len(listed) + 1)] == listed
    assert len(set(graph.objects(paper, DCTERMS.creator))) == len(listed)
    journal = next(p for p in papers if p.type == "article-journal")
    node = next(iter(graph.subjects(DCTERMS.title, Literal(journal.title))))
    assert (node, RDF.type, BIBO.AcademicArticle) in graph
    assert (graph.value(node, DCTERMS.isPartOf), RDF.type, BIBO.Journal) in graph


def test_cluster_is_described_with_its_papers(papers: list[Paper]) -> None:
    graph = parse(write(papers, "turtle"), "turtle")
    clusters = list(graph.subjects(RDF.type, BCV.AuthorNameCluster))
    assert len(clusters) == 1
    node = clusters[0]
    assert str(graph.value(node, BCV.clusterName)) == "Kun Jin"
    assert int(graph.value(node, BCV.declaredPapers)) == 10  # type: ignore[arg-type]
    assert int(graph.value(node, BCV.declaredAuthorRows)) == 2  # type: ignore[arg-type]
    assert len(set(graph.objects(node, BCV.clusterPaper))) == len(papers)


def test_homonym_and_orcid_people_get_their_own_nodes() -> None:
    plain = Person(family="Li", given="Bo")
    numbered = Person(family="Li", given="Bo", homonym="0026")
    other = Person(family="Li", given="Bo", homonym="0001")
    orcid = Person(family="Li", given="Bo", orcid="0000-0002-1825-0097")
    paper = Paper(title="T", type="article-journal", author=(plain, numbered, other, orcid))
    graph = parse(write([paper], "turtle"), "turtle")
    head = graph.value(next(iter(graph.subjects(BCV.cslType, None))), BIBO.authorList)
    nodes = list(graph.items(head))
    assert len(set(nodes)) == 4
    assert nodes[3] == URIRef("https://orcid.org/0000-0002-1825-0097")
    assert str(graph.value(nodes[1], BCV.homonym)) == "0026"
    # The same name on the same cluster page is one node; on another page, another.
    c1, c2 = Cluster(name="Bo Li", site="A"), Cluster(name="Bo Li", site="B")
    minter = Minter()
    assert minter.person(plain, c1) == minter.person(Person(family="Li", given="Bo"), c1)
    assert minter.person(plain, c1) != minter.person(plain, c2)


def test_shacl_shapes_accept_the_example_and_reject_a_broken_paper(papers: list[Paper]) -> None:
    pyshacl = pytest.importorskip("pyshacl")
    shapes = Graph().parse(SHAPES)
    for vocab in ("bibo", "bibo+schema"):
        data = parse(write(papers, "turtle", vocab=vocab), "turtle")
        conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, inference="none")
        assert conforms, report
    subject = next(iter(data.subjects(BCV.cslType, None)))
    data.remove((subject, DCTERMS.title, None))
    data.add((subject, DCTERMS.issued, Literal("sometime")))
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
    assert "dcterms:title" in report or str(DCTERMS.title) in report


def test_schema_vocab_uses_scholarly_article_and_ordered_authors(papers: list[Paper]) -> None:
    text = write(papers, "jsonld", vocab="schema")
    assert '"schema:author": {\n' in text and '"@list"' in text
    graph = parse(text, "jsonld")
    assert not set(graph.subjects(RDF.type, BIBO.Article))
    paper = next(iter(graph.subjects(SCHEMA.name, Literal(papers[1].title))))
    assert (paper, RDF.type, SCHEMA.ScholarlyArticle) in graph
    names = [str(graph.value(p, SCHEMA.name)) for p in graph.items(
        graph.value(paper, SCHEMA.author))]
    assert names == [a.display_name for a in papers[1].author]


SPARQL_AUTHORS_IN_ORDER = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dblp: <https://dblp.org/rdf/schema#>
SELECT ?title ?position ?name WHERE {
  ?paper dcterms:title ?title ;
         dblp:hasSignature ?signature .
  ?signature dblp:signatureOrdinal ?position ;
             dblp:signatureCreator ?person .
  ?person foaf:name ?name .
}
ORDER BY ?title ?position
"""


def test_the_documented_sparql_query_lists_authors_in_order(papers: list[Paper]) -> None:
    docs = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SPARQL_AUTHORS_IN_ORDER.strip() in docs
    graph = parse(write(papers, "turtle"), "turtle")
    rows: dict[str, list[str]] = {}
    for row in graph.query(SPARQL_AUTHORS_IN_ORDER):
        rows.setdefault(str(row.title), []).append(str(row.name))  # type: ignore[union-attr]
    assert rows == {p.title: [a.display_name for a in p.author] for p in papers}


# -- hostile values ---------------------------------------------------------------

NASTY = 'q"uote\n"""triple\\back>gt<lt&amp\r\x01\x1f\x7f\u2028 😀 \ud800 end \\" \'\'\''


def nasty_paper(text: str = NASTY) -> Paper:
    return Paper(
        title=text, type="paper-conference", abstract=text, keywords=(text,),
        author=(Person(family=text, given=text), Person(literal=text)),
        issued=Date(2024, 2, 29), url="https://example.org/a b\"<>", doi=text,
        venue=Venue(name=text, short=text, kind="conference", publisher=text),
        cluster=Cluster(name=text, description=text),
        extra={"note": text.replace("\ud800", "")},
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_hostile_literals_read_back_equal(fmt: str) -> None:
    diagnostics: list[bibconv.Diagnostic] = []
    text = bibconv.dumps([nasty_paper()], fmt, diagnostics=diagnostics)
    back = bibconv.loads(text, fmt, diagnostics=[])
    assert len(back) == 1
    expect = NASTY.replace("\ud800", "\ufffd")
    if fmt == "rdfxml":
        expect = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", expect)
    paper = back[0]
    assert paper.title == expect
    assert paper.abstract == expect
    assert paper.author[0].family == expect and paper.author[1].literal == expect
    assert paper.venue is not None and paper.venue.publisher == expect
    assert paper.cluster is not None and paper.cluster.description == expect
    assert paper.url == 'https://example.org/a b"<>'
    assert paper.issued == Date(2024, 2, 29)
    assert any(d.code == "lossy-field" for d in diagnostics)  # the lone surrogate


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_any_text_survives_turtle_ntriples_and_jsonld(text: str) -> None:
    paper = Paper(title=text, abstract=text, author=(Person(family=text, given=text),))
    for fmt in ("turtle", "ntriples", "jsonld"):
        out = io.StringIO()
        get_writer(fmt)().write([paper], out, Reporter())
        back = bibconv.loads(out.getvalue(), fmt, diagnostics=[])
        assert [(p.title, p.abstract, p.author) for p in back] == [
            (text, text, paper.author)], fmt


def test_rdfxml_reports_characters_xml_cannot_hold() -> None:
    reporter = Reporter()
    out = io.StringIO()
    paper = dataclasses.replace(Paper(title="a\x01b"), origin="in.txt", line=7)
    get_writer("rdfxml")().write([paper], out, reporter)
    assert [(d.code, d.origin, d.line) for d in reporter] == [("lossy-field", "in.txt", 7)]
    assert "\x01" not in out.getvalue()
    assert bibconv.loads(out.getvalue(), "rdfxml", diagnostics=[])[0].title == "a\ufffdb"
    reporter = Reporter()
    get_writer("turtle")().write([paper], io.StringIO(), reporter)
    assert not list(reporter)


def test_impossible_date_keeps_the_year_and_warns() -> None:
    reporter = Reporter()
    out = io.StringIO()
    get_writer("turtle")().write([Paper(title="x", issued=Date(2023, 2, 30))], out, reporter)
    assert [d.code for d in reporter] == ["lossy-field"]
    assert bibconv.loads(out.getvalue(), "turtle", diagnostics=[])[0].issued == Date(2023)


# -- scale ---------------------------------------------------------------------------

_RSS_SCRIPT = """
import os, resource, sys
from bibconv.diagnostics import Reporter
from bibconv.model import Date, Paper, Person, Venue
from bibconv.registry import get_writer

def many(n):
    venue = Venue(name="V", short="V", kind="conference")
    for i in range(n):
        authors = tuple(Person(family=f"F{i}x{j}", given="G") for j in range(5))
        yield Paper(title=f"Paper {i}", type="paper-conference", author=authors,
                    issued=Date(2000 + i % 20), venue=venue, abstract="A" * 300)

writer = get_writer(sys.argv[1])()
with open(os.devnull, "w", encoding="utf-8") as sink:
    writer.write(many(int(sys.argv[2])), sink, Reporter())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_rss_kib(fmt: str, n: int) -> int:
    result = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, fmt, str(n)],
                            capture_output=True, text=True, check=True)
    return int(result.stdout.strip())


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_memory_stays_flat_when_streaming(fmt: str) -> None:
    # Every paper has five new people, so nothing is shared between papers. One graph
    # of 6,000 such papers takes well over 100 MB in rdflib; streaming must stay flat.
    small, large = _peak_rss_kib(fmt, 300), _peak_rss_kib(fmt, 6000)
    assert large - small < 25_000, (small, large)


# -- the writers' own escaping and layout -------------------------------------------

_ALL_BUT_SURROGATES = st.characters(blacklist_categories=("Cs",))
_SPECIALS = st.sampled_from(list('"\\\n\r\t\x00\x01\x08\x0b\x0c\x1f\x7f\x85\u2028\u2029\xa0\xad'
                                 "'>`<{}^|😀\U0010fffd"))


def _reference_nt_escape(text: str) -> str:
    """The escaping the writers had when built on rdflib terms (the golden files)."""
    table = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04X}",
                  text.translate(table))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(st.characters(max_codepoint=0x7F), max_size=60),
                 st.text(st.one_of(_ALL_BUT_SURROGATES, _SPECIALS), max_size=60)))
def test_nt_escape_reads_back_equal_in_rdflib(text: str) -> None:
    from bibconv.writers.rdf import nt_escape
    escaped = nt_escape(text)
    assert escaped == _reference_nt_escape(text)
    assert not re.search("[\x00-\x08\x0a-\x1f\x7f]", escaped)  # no raw controls, LF, CR
    for fmt, data in (("nt", f'<urn:x:s> <urn:x:p> "{escaped}" .\n'),
                      ("turtle", f'<urn:x:s> <urn:x:p> "{escaped}" .\n'),
                      ("turtle", f'<urn:x:s> <urn:x:p> "{escaped}"^^<urn:x:t> .\n')):
        graph = Graph().parse(data=data, format=fmt)
        [(_, _, value)] = list(graph)
        assert str(value) == text, fmt


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.one_of(_ALL_BUT_SURROGATES, _SPECIALS), min_size=1, max_size=30),
       st.sampled_from(["bibo", "schema", "bibo+schema"]))
def test_jsonld_text_is_laid_out_as_json_dumps_would(text: str, vocab: str) -> None:
    import json
    paper = nasty_paper(text)
    out = write([paper, dataclasses.replace(paper, title="other")], "jsonld", vocab=vocab)
    assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"
    assert write([], "jsonld") == json.dumps(json.loads(write([], "jsonld")), indent=2) + "\n"


@pytest.mark.parametrize("vocab", ["schema", "bibo+schema"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_vocab_streams_the_graph_rdflib_builds(papers: list[Paper], fmt: str,
                                                     vocab: str) -> None:
    writer = get_writer(fmt)(vocab=vocab)
    reference = build_graph(writer, papers, Reporter())  # type: ignore[arg-type]
    ours = parse(write(papers, fmt, vocab=vocab), fmt)
    assert isomorphic(ours, reference)
    nasty = [nasty_paper()]
    reference = build_graph(get_writer(fmt)(vocab=vocab), nasty, Reporter())  # type: ignore[arg-type]
    assert isomorphic(parse(write(nasty, fmt, vocab=vocab), fmt), reference)


_NAME = st.none() | st.text(st.sampled_from("ab é\x1f\x00"), max_size=4)


@st.composite
def _people(draw: st.DrawFn) -> tuple[Person, ...]:
    return tuple(Person(family=draw(_NAME), given=draw(_NAME), particle=draw(_NAME),
                        suffix=draw(_NAME), literal=draw(_NAME),
                        homonym=draw(st.none() | st.sampled_from(["", "0001", "0026"])),
                        orcid=draw(st.none() | st.sampled_from(["0000-0002-1825-0097", "x"])))
                 for _ in range(draw(st.integers(0, 3))))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_people(), _people(), st.sampled_from([None, "", "T"]),
                          st.sampled_from([None, Cluster(name="C", declared_papers=3),
                                           Cluster(name="C", site="S")])),
                min_size=1, max_size=4))
def test_streaming_mapper_mints_the_minters_iris(cases: list[tuple[
        tuple[Person, ...], tuple[Person, ...], str | None, Cluster | None]]) -> None:
    """The mapper's cached, pre-joined hashing gives exactly Minter's IRIs."""
    from bibconv.rdfmap import PaperMapper
    mapper, minter = PaperMapper(), Minter()
    for authors, editors, note, cluster in cases:
        paper = Paper(title="t", author=authors, editor=editors, note=note, cluster=cluster)
        mapped = mapper.map(paper)
        subject = mapped.triples[0][0]
        expected = minter.paper(paper)
        assert subject == expected or str(subject).startswith(expected + "-")
        links = (str(DCTERMS.creator), str(BIBO.editor))
        people = {o for _, p, o in mapped.triples if p in links}
        assert people == {minter.person(a, cluster) for a in (*authors, *editors)}


def test_streaming_writers_do_not_import_rdflib() -> None:
    """rdflib is imported only where rdflib terms are built (build_graph, the reader,
    the rdflib Namespace constants): writing streamed RDF never pays for it."""
    code = ("import io, sys, bibconv\n"
            "from bibconv.model import Paper, Person\n"
            "papers = [Paper(title='t', author=(Person(family='F', given='G'),))]\n"
            "for fmt in ('ntriples', 'turtle', 'jsonld', 'rdfxml'):\n"
            "    bibconv.dump(papers, io.StringIO(), format=fmt)\n"
            "assert 'rdflib' not in sys.modules, 'rdflib imported'\n"
            "from bibconv.rdfmap import BIBO, PREFIXES\n"
            "assert str(BIBO.Article) == 'http://purl.org/ontology/bibo/Article'\n"
            "assert PREFIXES['bibo'] is BIBO\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_text_rdf_writers_do_not_import_the_network_stack() -> None:
    """xml.sax.saxutils (for RDF/XML's rare escaped attributes) imports urllib.request,
    http.client and ssl, ~11 ms at start: N-Triples and Turtle never pay for it, nor
    for OpenSSL's hashes (hashlib loads _hashlib, ~2 ms; BLAKE2 is built in)."""
    code = ("import io, sys, bibconv\n"
            "from bibconv.model import Paper, Person\n"
            "papers = [Paper(title='t <&> \"', author=(Person(family='F', given='G'),))]\n"
            "for fmt in ('ntriples', 'turtle'):\n"
            "    bibconv.dump(papers, io.StringIO(), format=fmt)\n"
            "assert 'xml.sax.saxutils' not in sys.modules, 'xml.sax imported'\n"
            "assert 'ssl' not in sys.modules, 'ssl imported'\n"
            "assert '_hashlib' not in sys.modules, 'OpenSSL hashes imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


_TEXT = st.text(st.sampled_from('ab é"\\\n\r\t\x00\ud800'), max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_people(), _TEXT, st.none() | _TEXT,
                          st.sampled_from([None, Cluster(name="C"), Cluster(name="D")])),
                min_size=1, max_size=5),
       st.sampled_from(["turtle", "ntriples", "jsonld", "rdfxml"]),
       st.sampled_from(["bibo", "schema", "bibo+schema"]))
def test_cached_people_map_as_fresh_ones(cases: list[tuple[tuple[Person, ...], str,
                                                           str | None, Cluster | None]],
                                         fmt: str, vocab: str) -> None:
    """The mapper's caches (people by object identity, descriptions, literals, dates)
    give what it makes without them: the same papers with every person a fresh copy,
    mapped by a fresh mapper each, give the same triples; and the writers' fast text
    assembly (N-Triples joined in C, Turtle grouped run by run) gives the plain
    formatting of those triples."""
    from bibconv.writers.rdf import _turtle_block

    papers = [Paper(title=title, author=people, note=note, cluster=cluster, issued=Date(2020))
              for people, title, note, cluster in cases]
    papers += papers[:1]  # a repeat: "-2"
    cached = get_writer(fmt)(vocab=vocab)
    mapped = [cached.mapper.map(paper) for paper in papers]
    fresh = get_writer(fmt)(vocab=vocab)
    for paper, got in zip(papers, mapped, strict=True):
        copy = dataclasses.replace(paper, author=tuple(
            dataclasses.replace(person) for person in paper.author))
        fresh.mapper._people_cache.clear()
        fresh.mapper._person_parts.clear()
        fresh.mapper._literals.clear()
        fresh.mapper._dates.clear()
        want = fresh.mapper.map(copy)
        assert got.triples == want.triples
        assert got.changed == want.changed
    text = io.StringIO()
    get_writer(fmt)(vocab=vocab).write(papers, text, Reporter())
    if fmt == "ntriples":
        assert text.getvalue() == "".join(f"{s} {p} {o} .\n"
                                          for m in mapped for s, p, o in m.triples)
    if fmt == "turtle":
        assert [_turtle_block(m) for m in mapped] == [plain_turtle(m) for m in mapped]
        assert text.getvalue().endswith("".join(plain_turtle(m) for m in mapped))


@pytest.mark.parametrize("url", ["http://[::1/x", "https://x.org/a]b", "http://[bad]/"])
def test_a_url_that_is_no_iri_is_written_as_a_literal_only(url: str) -> None:
    """A URL the URL parser refuses (a bracket opening no IPv6 address) is no page
    link: every RDF writer writes it, as a typed literal, and does not fail."""
    paper = Paper(title="T", url=url)
    for fmt in FORMATS:
        text = write([paper], fmt)
        assert "T" in text
    graph = parse(write([paper], "turtle"), "turtle")
    assert any(str(o) == url for o in graph.objects())

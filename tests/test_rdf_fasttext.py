"""The N-Triples and Turtle writers' fast text path (:meth:`PaperMapper.map_text`: every
statement made as finished text, the authors' and editors' from per-person templates,
the paper's own from cached predicate, type, date and venue text) writes exactly what
formatting the reference triples of :meth:`PaperMapper.map` gives (for Turtle: the
reference formatter ``_turtle_block``, itself held equal to a plain formatting written
here), with the same diagnostics, over generated papers with every field."""

from __future__ import annotations

import dataclasses
import io
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibconv.diagnostics import Reporter
from bibconv.model import Cluster, Date, Paper, Person, Venue
from bibconv.rdfmap import Mapped, PaperMapper
from bibconv.registry import get_writer
from bibconv.writers import rdf
from bibconv.writers.rdf import JSONLDSyntax, _turtle_block

# Short texts needing escapes, non-ASCII, a lone surrogate (replaced and reported), and
# Turtle's own punctuation (inside literals, where it is only text).
_TEXT = st.text(st.sampled_from('ab é"\\\n\r\t\x00\x7f😀\ud800[],;.'), max_size=5)
_NAME = st.none() | _TEXT


@st.composite
def _person(draw: st.DrawFn) -> Person:
    return Person(family=draw(_NAME), given=draw(_NAME), particle=draw(st.none() | _TEXT),
                  suffix=draw(st.none() | st.just("Jr.")),
                  literal=draw(st.none() | _TEXT),
                  homonym=draw(st.none() | st.sampled_from(["", "0001", "0026"])),
                  orcid=draw(st.none() | st.sampled_from(
                      ["0000-0002-1825-0097", "0000-0001-5109-3700", "x\"y"])))


_CLUSTERS = [None, Cluster(name="C", declared_papers=3, declared_author_rows=4),
             Cluster(name="D é", site="S", description='q"\n'),
             Cluster(name="E\ud800", site="\x00")]
_VENUES = [None, Venue(name="ICML", short="ICML", kind="conference", publisher="PMLR"),
           Venue(name='J "x"', kind="journal", issn="1234-5678"),
           Venue(name="W\ud800", short="w\n", kind="workshop", container_title="P é",
                 publisher='O"\\', issn="x"),
           Venue(name="Plain")]
_URLS = [None, "https://ex.org/a", "https://ex.org/a b", "ftp://x", "x", "http://é.org/\ud800"]
_PAGES = [None, "1-10", " 3 -- 4 ", "12\u201314", "x", "\ud800-2"]
_EXTRA = [{}, {"a": 1}, {"z": [1, "é\n"]}, {"bad": object()}]
_LONG = st.text(st.sampled_from('ab é"\n\ud800'), min_size=121, max_size=130)


@st.composite
def _papers(draw: st.DrawFn) -> list[Paper]:
    # A pool of people shared between papers (the same objects, as readers give), with
    # homonyms (equal names, other objects), so the mapper's caches are exercised.
    pool = draw(st.lists(_person(), min_size=1, max_size=6))
    pool += [dataclasses.replace(person) for person in pool[:2]]
    people = st.lists(st.sampled_from(pool), max_size=5).map(tuple)
    papers = []
    maybe = st.none() | _TEXT
    for _ in range(draw(st.integers(1, 6))):
        papers.append(Paper(
            title=draw(_TEXT | _LONG),
            type=draw(st.sampled_from(["paper-conference", "book", "x", "article-journal",
                                       "chapter"])),
            author=draw(people), editor=draw(people),
            cluster=draw(st.sampled_from(_CLUSTERS)), venue=draw(st.sampled_from(_VENUES)),
            issued=draw(st.sampled_from([None, Date(2020), Date(2021, 2, 30), Date(2021, 13),
                                         Date(-44, 3, 15), Date(1999, 12)])),
            note=draw(maybe), publisher=draw(st.none() | st.sampled_from(["PMLR", 'O"\\'])),
            abstract=draw(st.none() | _TEXT | _LONG), volume=draw(maybe), issue=draw(maybe),
            page=draw(st.sampled_from(_PAGES)), doi=draw(maybe), isbn=draw(maybe),
            issn=draw(maybe), language=draw(maybe), genre=draw(maybe), id=draw(maybe),
            publisher_place=draw(maybe), url=draw(st.sampled_from(_URLS)),
            keywords=tuple(draw(st.lists(_TEXT, max_size=2))),
            extra=draw(st.sampled_from(_EXTRA)),
            origin="gen", line=len(papers) + 1))
    if draw(st.booleans()):
        papers.append(papers[0])  # an identical paper: "-2"
    return papers


def plain_turtle(mapped: Mapped) -> str:
    """A paper's Turtle block formatted plainly from its reference triples: one
    statement per subject (list cells left out, lists used once as ``( ... )``), a
    predicate's consecutive objects joined by ``,``, nested blank nodes inline as
    ``[ ... ]`` (each on a line of its own after the first, its predicates eight spaces
    further in)."""
    subjects: dict[str, list[tuple[str, str]]] = {}
    for s, p, o in mapped.triples:
        if s in mapped.cells:
            continue
        assert isinstance(o, str)
        items = mapped.lists.get(o)
        subjects.setdefault(s, []).append((p, o if items is None else f"( {' '.join(items)} )"))

    def body(pairs: list[tuple[str, str]], indent: str) -> str:
        text = ""
        previous = None
        for p, o in pairs:
            if o in mapped.nested:
                o = "[ " + body(subjects[o], indent + " " * 8) + " ]"
                between = ",\n" + indent + "    "
            else:
                between = ", "
            if p == previous:
                text += between + o
            else:
                text += (f" ;\n{indent}" if text else "") + f"{p} {o}"
            previous = p
        return text

    return "".join(f"\n{s} {body(pairs, '    ')} .\n"
                   for s, pairs in subjects.items() if s not in mapped.nested)


def _diagnostics(reporter: Reporter) -> list[tuple[object, ...]]:
    return [(d.code, d.severity, d.message, d.origin, d.line) for d in reporter]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_papers(), st.sampled_from(["ntriples", "turtle"]),
       st.sampled_from(["bibo", "schema", "bibo+schema"]),
       st.sampled_from([None, "https://data.example.org/bib/", "urn:isbn:x"]),
       st.sampled_from([20_000, 1, 3]))
def test_fast_text_path_writes_the_reference_triples(papers: list[Paper], fmt: str,
                                                     vocab: str, base: str | None,
                                                     seen_limit: int) -> None:
    options = {"vocab": vocab} if base is None else {"vocab": vocab, "base_iri": base}
    # The writer, through its fast text path.
    fast = get_writer(fmt)(**options)
    fast.mapper._seen_limit = seen_limit  # small: shared nodes forgotten mid-paper too
    reporter = Reporter()
    out = io.StringIO()
    fast.write(papers, out, reporter)
    # The reference: the triples of map(), formatted one by one.
    ref = get_writer(fmt)(**options)
    ref.mapper._seen_limit = seen_limit
    ref_reporter = Reporter()
    mapped = [ref.mapper.map(paper, ref_reporter) for paper in papers]
    if fmt == "ntriples":
        expected = "".join(f"{s} {p} {o} .\n" for m in mapped for s, p, o in m.triples)
    else:
        header = io.StringIO()
        get_writer(fmt)(**options).write([], header, Reporter())
        blocks = [_turtle_block(m) for m in mapped]
        assert blocks == [plain_turtle(m) for m in mapped]
        expected = header.getvalue() + "".join(blocks)
    assert out.getvalue() == expected
    assert _diagnostics(reporter) == _diagnostics(ref_reporter)


def test_map_text_says_which_syntaxes_it_serves() -> None:
    import pytest

    writer = get_writer("jsonld")()
    with pytest.raises(ValueError):
        writer.mapper.map_text(Paper(title="t"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_papers())
def test_mapper_digest_is_the_minters_over_every_field(papers: list[Paper]) -> None:
    """The mapper's paper hash (parts joined without intermediate lists, the venue's
    and cluster's parts joined once) gives Minter's paper IRIs, over every field."""
    from bibconv.rdfmap import Minter, PaperMapper

    mapper, minter = PaperMapper(), Minter()
    for paper in papers:
        subject = mapper.map(paper).triples[0][0]
        expected = minter.paper(paper)
        assert subject == expected or subject.startswith(expected + "-")


class _TripleJSONLD(JSONLDSyntax):
    """JSON-LD terms with every triple given on its own (no grouped nodes)."""

    grouped = False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_papers(), st.sampled_from(["bibo", "schema", "bibo+schema"]),
       st.sampled_from([None, "https://data.example.org/bib/", "urn:isbn:x"]),
       st.sampled_from([20_000, 1, 3]))
def test_jsonld_grouped_nodes_write_the_reference_layout(papers: list[Paper], vocab: str,
                                                         base: str | None,
                                                         seen_limit: int) -> None:
    # The writer: people's descriptions and signatures as grouped nodes, formatted from
    # cached text (_jsonld_texts).
    options = {"vocab": vocab} if base is None else {"vocab": vocab, "base_iri": base}
    fast = get_writer("jsonld")(**options)
    assert fast.mapper.syntax.grouped
    fast.mapper._seen_limit = seen_limit  # small: people described twice in a paper too
    reporter = Reporter()
    out = io.StringIO()
    fast.write(papers, out, reporter)
    # The reference: every triple on its own, laid out by _jsonld_texts_reference.
    ref = get_writer("jsonld")(**options)
    ref.mapper = PaperMapper(ref.base, vocab, syntax=_TripleJSONLD())
    ref.mapper._seen_limit = seen_limit
    ref_reporter = Reporter()
    expected = io.StringIO()
    with mock.patch.object(rdf, "_jsonld_texts",
                           lambda mapped: list(rdf._jsonld_texts_reference(mapped))):
        ref.write(papers, expected, ref_reporter)
    assert out.getvalue() == expected.getvalue()
    assert _diagnostics(reporter) == _diagnostics(ref_reporter)

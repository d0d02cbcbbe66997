"""Turning a parsed RDF graph of bibconv's vocabulary back into papers.

Kept apart from :mod:`bibconv.readers.rdf` so that importing the readers (which sniffing
does for every input) does not import rdflib; this module is imported on first use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS
from rdflib.term import Node

from .diagnostics import Reporter
from .model import CSL_TYPES, Cluster, Date, Paper, Person, Venue
from .rdfmap import BCV, BIBO, DBLP, SCHEMA, parse_date_literal

__all__ = ["describe_error", "document_order", "error_line", "papers_from_graph"]

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
_MAX_LIST = 100_000

# Class -> CSL type, for paper nodes without bcv:cslType (most specific first).
_CLASS_TYPES: list[tuple[URIRef, str]] = [
    (BIBO.AcademicArticle, "article-journal"),
    (BIBO.Chapter, "chapter"),
    (BIBO.Thesis, "thesis"),
    (BIBO.Report, "report"),
    (BIBO.Patent, "patent"),
    (BIBO.Manuscript, "manuscript"),
    (BIBO.Webpage, "webpage"),
    (BIBO.Book, "book"),
    (BIBO.Article, "article"),
    (BIBO.Document, "document"),
    (SCHEMA.ScholarlyArticle, "article"),
    (SCHEMA.Chapter, "chapter"),
    (SCHEMA.Thesis, "thesis"),
    (SCHEMA.Report, "report"),
    (SCHEMA.Dataset, "dataset"),
    (SCHEMA.SoftwareSourceCode, "software"),
    (SCHEMA.Book, "book"),
]
_ORCID_IRI = re.compile(r"^https?://orcid\.org/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
_DOCTYPE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_LINE = re.compile(r"line (\d+)")
_MINTED = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?:-\d+)?(?![0-9a-f-])")
_LAST = 1 << 62
_INVALID_LINE = re.compile(r"^Invalid line:\s*(.*)$", re.DOTALL)


class _Record:
    """Reads the values of one paper node, reporting conflicts once per property."""

    def __init__(self, graph: Graph, subject: Node, origin: str, reporter: Reporter) -> None:
        self.graph = graph
        self.subject = subject
        self.origin = origin
        self.reporter = reporter

    def values(self, node: Node, *predicates: URIRef) -> list[Node]:
        """The objects of the first predicate that has any, sorted for determinism."""
        for predicate in predicates:
            found = sorted(set(self.graph.objects(node, predicate)), key=_sort_key)
            if found:
                return found
        return []

    def text(self, node: Node, *predicates: URIRef) -> str | None:
        """One literal value; several distinct values are reported and the first kept."""
        found = [v for v in self.values(node, *predicates) if isinstance(v, Literal)]
        if not found:
            return None
        if len(found) > 1:
            self.reporter.warn(
                "conflicting-values",
                f"{node} has {len(found)} values for {predicates[0]}; kept {str(found[0])!r}",
                self.origin,
            )
        return str(found[0])

    def integer(self, node: Node, predicate: URIRef) -> int | None:
        """An integer literal value, or None (reported) when it is not one."""
        text = self.text(node, predicate)
        if text is None:
            return None
        try:
            return int(text)
        except ValueError:
            self.reporter.warn("bad-value", f"{node} {predicate}: {text!r} is not an integer",
                               self.origin)
            return None

    def node(self, node: Node, *predicates: URIRef) -> Node | None:
        """One IRI or blank-node value."""
        found = [v for v in self.values(node, *predicates) if not isinstance(v, Literal)]
        return found[0] if found else None

    def rdf_list(self, head: Node) -> list[Node] | None:
        """The members of an rdf:List, or None if ``head`` is not a well-formed one."""
        items: list[Node] = []
        seen: set[Node] = set()
        cell: Node | None = head
        while cell != RDF.nil:
            if cell is None or cell in seen or len(items) > _MAX_LIST:
                return None
            seen.add(cell)
            first = self.graph.value(cell, RDF.first)
            if first is None:
                return None
            items.append(first)
            cell = self.graph.value(cell, RDF.rest)
        return items


def _sort_key(node: Node) -> tuple[int, str]:
    return (0 if isinstance(node, Literal) else 1, str(node))


def _person(rec: _Record, node: Node) -> Person:
    given = rec.text(node, FOAF.givenName, SCHEMA.givenName)
    family = rec.text(node, FOAF.familyName, SCHEMA.familyName)
    literal = rec.text(node, BCV.literalName)
    if given is None and family is None and literal is None:
        literal = rec.text(node, FOAF.name, SCHEMA.name) or ""
    orcid = rec.text(node, BCV.orcid)
    match = _ORCID_IRI.match(str(node)) if isinstance(node, URIRef) else None
    if match:
        orcid = match.group(1)
    return Person(
        family=family, given=given,
        particle=rec.text(node, BCV.particle),
        dropping_particle=rec.text(node, BCV.droppingParticle),
        suffix=rec.text(node, BCV.nameSuffix),
        literal=literal,
        homonym=rec.text(node, BCV.homonym),
        orcid=orcid,
    )


def _people(rec: _Record, role: str) -> tuple[Person, ...]:
    s = rec.subject
    if role == "author":
        head = rec.node(s, BIBO.authorList, SCHEMA.author)
    else:
        head = rec.node(s, BIBO.editorList, SCHEMA.editor)
    if head is not None:
        items = rec.rdf_list(head)
        if items is not None:
            return tuple(_person(rec, item) for item in items)
        if role == "author" and rec.graph.value(head, RDF.first) is None:
            # schema:author pointing at a person, not a list: one author per value.
            return tuple(_person(rec, n) for n in rec.values(s, SCHEMA.author)
                         if not isinstance(n, Literal))
    if role != "author":
        return tuple(_person(rec, n) for n in rec.values(s, BIBO.editor)
                     if not isinstance(n, Literal))
    # No list: DBLP-style signatures carry the order.
    signed: list[tuple[int, Node]] = []
    for sig in rec.values(s, DBLP.hasSignature):
        position = rec.integer(sig, DBLP.signatureOrdinal)
        creator = rec.node(sig, DBLP.signatureCreator)
        if position is not None and creator is not None:
            signed.append((position, creator))
    if signed:
        return tuple(_person(rec, n) for _, n in sorted(signed, key=lambda x: x[0]))
    creators = [n for n in rec.values(s, DCTERMS.creator) if not isinstance(n, Literal)]
    if len(creators) > 1:
        rec.reporter.warn("author-order-unknown",
                          f"{s}: authors have no list or positions; read in name order",
                          rec.origin)
    return tuple(_person(rec, n) for n in creators)


def _publisher(rec: _Record, node: Node) -> str | None:
    value = rec.values(node, DCTERMS.publisher, SCHEMA.publisher)
    if not value:
        return None
    if isinstance(value[0], Literal):
        return str(value[0])
    return rec.text(value[0], FOAF.name, SCHEMA.name, RDFS.label)


def _venue(rec: _Record) -> Venue | None:
    node = rec.node(rec.subject, DCTERMS.isPartOf, SCHEMA.isPartOf)
    if node is None:
        return None
    title = rec.text(node, DCTERMS.title, SCHEMA.name)
    name = rec.text(node, BCV.venueName) or title
    if name is None:
        return None
    return Venue(
        name=name,
        short=rec.text(node, BIBO.shortTitle, SCHEMA.alternateName),
        kind=rec.text(node, BCV.venueKind),
        container_title=rec.text(node, BCV.containerTitle),
        publisher=_publisher(rec, node),
        issn=rec.text(node, BIBO.issn, SCHEMA.issn),
    )


def _cluster(rec: _Record) -> Cluster | None:
    node = rec.node(rec.subject, BCV.inCluster)
    if node is None:
        node = next(iter(sorted(rec.graph.subjects(BCV.clusterPaper, rec.subject), key=str)),
                    None)
    if node is None:
        return None
    name = rec.text(node, BCV.clusterName, RDFS.label)
    if name is None:
        return None
    return Cluster(
        name=name,
        site=rec.text(node, BCV.site),
        description=rec.text(node, DCTERMS.description),
        declared_papers=rec.integer(node, BCV.declaredPapers),
        declared_author_rows=rec.integer(node, BCV.declaredAuthorRows),
    )


def _type(rec: _Record) -> str:
    csl = rec.text(rec.subject, BCV.cslType)
    if csl in CSL_TYPES:
        return csl
    classes = set(rec.graph.objects(rec.subject, RDF.type))
    if BIBO.Article in classes:
        venue = rec.node(rec.subject, DCTERMS.isPartOf)
        if venue is not None and (venue, RDF.type, BIBO.Proceedings) in rec.graph:
            return "paper-conference"
    for cls, csl_type in _CLASS_TYPES:
        if cls in classes:
            return csl_type
    return "document"


def _url(rec: _Record) -> str | None:
    text = rec.text(rec.subject, BIBO.uri, BCV.url)
    if text is not None:
        return text
    link = rec.node(rec.subject, SCHEMA.url, FOAF.page)
    return str(link) if isinstance(link, URIRef) else None


def _extra(rec: _Record) -> dict[str, Any]:
    text = rec.text(rec.subject, BCV.extra)
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        rec.reporter.warn("bad-value", f"{rec.subject}: bcv:extra is not a JSON object; dropped",
                          rec.origin)
        return {}
    return value


def _paper(rec: _Record) -> Paper:
    s = rec.subject
    title = rec.text(s, DCTERMS.title, SCHEMA.name, DBLP.title)
    if title is None:
        raise ValueError("it has no title (dcterms:title or schema:name)")
    issued_text = rec.text(s, DCTERMS.issued, SCHEMA.datePublished)
    issued: Date | None = None
    if issued_text is not None:
        issued = parse_date_literal(issued_text)
        if issued is None:
            rec.reporter.warn("bad-value", f"{s}: date {issued_text!r} not understood; dropped",
                              rec.origin)
    keywords = tuple(str(v) for v in rec.values(s, DCTERMS.subject, SCHEMA.keywords)
                     if isinstance(v, Literal))
    return Paper(
        title=title,
        type=_type(rec),
        author=_people(rec, "author"),
        editor=_people(rec, "editor"),
        issued=issued,
        venue=_venue(rec),
        volume=rec.text(s, BIBO.volume, SCHEMA.volumeNumber),
        issue=rec.text(s, BIBO.issue, SCHEMA.issueNumber),
        page=rec.text(s, BIBO.pages, SCHEMA.pagination),
        publisher=_publisher(rec, s),
        publisher_place=rec.text(s, BCV.publisherPlace),
        doi=rec.text(s, BIBO.doi, SCHEMA.identifier),
        url=_url(rec),
        isbn=rec.text(s, BIBO.isbn, SCHEMA.isbn),
        issn=rec.text(s, BIBO.issn, SCHEMA.issn),
        abstract=rec.text(s, DCTERMS.abstract, SCHEMA.abstract),
        keywords=keywords,
        language=rec.text(s, DCTERMS.language, SCHEMA.inLanguage),
        note=rec.text(s, RDFS.comment),
        genre=rec.text(s, BCV.genre),
        id=rec.text(s, BCV.sourceId),
        cluster=_cluster(rec),
        origin=rec.origin,
        extra=_extra(rec),
    )


def _paper_nodes(graph: Graph) -> set[Node]:
    """Subjects that describe papers: typed with bcv:cslType, or with a paper class."""
    nodes: set[Node] = set(graph.subjects(BCV.cslType, None))
    containers = set(graph.objects(None, DCTERMS.isPartOf)) | set(
        graph.objects(None, SCHEMA.isPartOf))
    for cls, _ in _CLASS_TYPES:
        for node in graph.subjects(RDF.type, cls):
            if node not in containers and (
                (node, DCTERMS.title, None) in graph or (node, SCHEMA.name, None) in graph
            ):
                nodes.add(node)
    return nodes


def document_order(text: str) -> dict[str, int]:
    """Where each minted hash (the last segment of bibconv's IRIs) first appears."""
    order: dict[str, int] = {}
    for match in _MINTED.finditer(text):
        order.setdefault(match.group(), match.start())
    return order


def papers_from_graph(graph: Graph, origin: str, reporter: Reporter,
                      order: dict[str, int] | None = None) -> Iterator[Paper]:
    """Every paper described in a graph.

    With ``order`` (from :func:`document_order`), papers come in the order they first
    appear in the document, which for bibconv's output is the input order; papers not
    found there follow, newest first, then by title.
    """
    keyed: list[tuple[tuple[int, int, str, str, str], Paper]] = []
    for node in _paper_nodes(graph):
        rec = _Record(graph, node, origin, reporter)
        try:
            paper = _paper(rec)
        except Exception as exc:  # one broken node must not lose the others
            reporter.error("bad-record", f"paper node {node} skipped: {exc}", origin)
            continue
        segment = re.split(r"[/#:]", str(node))[-1]
        position = order.get(segment, _LAST) if order else _LAST
        year = -(paper.year if paper.year is not None else -(10**9))
        keyed.append(((position, year, paper.title, paper.issued.iso() if paper.issued else "",
                       str(node)), paper))
    keyed.sort(key=lambda pair: pair[0])
    for _, paper in keyed:
        yield paper


def describe_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, RecursionError):
        text = "nested too deeply"
    return (text[:300] + "...") if len(text) > 300 else (text or type(exc).__name__)


def error_line(exc: BaseException, text: str) -> int | None:
    """The input line an rdflib error points at, when it says or shows it."""
    get_line = getattr(exc, "getLineNumber", None)
    if callable(get_line):
        try:
            return int(get_line())
        except (TypeError, ValueError):
            return None
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    match = _LINE.search(str(exc))
    if match:
        return int(match.group(1))
    # The N-Triples parser quotes the rest of the bad line instead of numbering it.
    quoted = _INVALID_LINE.match(str(exc))
    if quoted and quoted.group(1).strip():
        fragment = quoted.group(1).strip()
        for number, line in enumerate(text.split("\n"), start=1):
            if line.rstrip().endswith(fragment):
                return number
    return None



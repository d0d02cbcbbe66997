"""RDF writers: Turtle, N-Triples, JSON-LD and RDF/XML (formats ``turtle``, ``ntriples``,
``jsonld``, ``rdfxml``), built on rdflib terms.

The vocabulary mapping and IRI minting live in :mod:`bibconv.rdfmap`. All four
stream, so memory stays flat however many papers arrive. Turtle and N-Triples put
each paper's triples into one small reusable graph that rdflib serialises and empties
(Turtle's prefixes are written once at the top). JSON-LD and RDF/XML are written here
from rdflib terms, one flat node object / ``rdf:Description`` per subject: rdflib's own
serialisers for those two need the whole graph and order their output by hash, so
the same input would not give the same bytes twice. :func:`build_graph` still builds
the whole graph for callers (and tests) that want rdflib's serialisers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, TextIO
from xml.sax.saxutils import quoteattr

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..diagnostics import Reporter
from ..errors import OptionError, WriteError
from ..model import Paper
from ..plugin import Writer
from ..rdfmap import DEFAULT_BASE_IRI, PREFIXES, VOCABS, PaperMapper, Triple

__all__ = ["JSONLDWriter", "NTriplesWriter", "RDFXMLWriter", "TurtleWriter", "build_graph"]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PN_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

_OPTIONS = {
    "base_iri": f"absolute IRI papers, people and venues are minted under "
                f"(default {DEFAULT_BASE_IRI})",
    "vocab": f"vocabularies: {', '.join(VOCABS)} (default bibo: BIBO + Dublin Core + FOAF)",
}


def _bind(graph: Graph, base: str) -> None:
    """Bind the standard prefixes and one prefix per kind of minted IRI."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for kind in ("paper", "person", "venue", "org", "cluster"):
        graph.bind(kind, Namespace(f"{base}{kind}/"), override=True, replace=True)


class _RDFWriter(Writer):
    """What the four RDF writers share: options and the paper-to-triples mapper."""

    options: ClassVar[dict[str, str]] = dict(_OPTIONS)
    xml_safe: ClassVar[bool] = False

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        base = self.settings.get("base_iri")
        base = DEFAULT_BASE_IRI if base is None else base
        vocab = self.settings.get("vocab")
        vocab = "bibo" if vocab is None else vocab
        if not isinstance(vocab, str):
            raise OptionError(f"vocab must be one of {', '.join(VOCABS)}")
        # Built here so a bad base IRI or vocabulary is a usage error before any output.
        self.mapper = PaperMapper(str(base), vocab.lower(), xml_safe=self.xml_safe)

    def triples(self, papers: Iterable[Paper], reporter: Reporter) -> Iterator[list[Triple]]:
        """The triples of each paper, in input order."""
        for paper in papers:
            yield self.mapper.triples(paper, reporter)


def build_graph(writer: _RDFWriter, papers: Iterable[Paper], reporter: Reporter) -> Graph:
    """One rdflib graph of every paper, with bibconv's prefixes bound."""
    graph = Graph()
    _bind(graph, writer.mapper.minter.base)
    for triples in writer.triples(papers, reporter):
        for triple in triples:
            graph.add(triple)
    return graph


def _escape_controls(text: str) -> str:
    """Write control characters as \\uXXXX escapes.

    rdflib writes them raw, which N-Triples and Turtle allow, but many tools (and
    bibconv's own input sniffing) take a NUL for binary data. They can only occur inside
    literals here (minted and checked IRIs hold none), where the escape means the same.
    """
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


class TurtleWriter(_RDFWriter):
    """Writes Turtle, streaming: prefixes once, then one block per subject.

    Written here from rdflib terms rather than by rdflib's Turtle serialiser, which
    costs ~10 ms per paper graph (a million papers would take hours): prefixed names
    where the local part is plainly safe, author lists as ``( ... )`` collections,
    literals escaped as in N-Triples (valid Turtle).
    """

    name = "turtle"
    description = "RDF Turtle (BIBO, Dublin Core, FOAF; optional schema.org)"
    suffixes = (".ttl", ".turtle")

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        base = self.mapper.minter.base
        prefixes = dict(PREFIXES)
        for kind in ("paper", "person", "venue", "org", "cluster"):
            prefixes[kind] = Namespace(f"{base}{kind}/")
        self._names = sorted(((str(ns), prefix) for prefix, ns in prefixes.items()),
                             key=lambda pair: -len(pair[0]))
        out.write("".join(f"@prefix {prefix}: <{ns}> .\n"
                          for prefix, ns in sorted(prefixes.items())))
        for triples in self.triples(papers, reporter):
            out.write(self._block(triples))

    def _term(self, term: Node) -> str:
        if isinstance(term, URIRef):
            iri = str(term)
            for ns, prefix in self._names:
                if iri.startswith(ns) and _PN_LOCAL.match(iri[len(ns):]):
                    return f"{prefix}:{iri[len(ns):]}"
            return f"<{iri}>"
        if isinstance(term, Literal) and term.datatype is not None and not term.language:
            text = f'"{_escape_controls(str(term).translate(_NT_ESCAPES))}"'
            return f"{text}^^{self._term(term.datatype)}"
        return _nt_term(term)

    def _block(self, triples: list[Triple]) -> str:
        """The Turtle text of one paper: one statement per subject, lists folded."""
        subjects = _group(triples)
        lists, cells = _fold_lists(subjects)
        parts: list[str] = []
        for subject, pairs in subjects.items():
            if subject in cells:
                continue
            lines = []
            for p, o in pairs:
                verb = "a" if p == RDF.type else self._term(p)
                if o in lists:
                    obj = "( " + " ".join(self._term(item) for item in lists[o]) + " )"
                else:
                    obj = self._term(o)
                lines.append(f"{verb} {obj}")
            parts.append(f"\n{self._term(subject)} " + " ;\n    ".join(lines) + " .\n")
        return "".join(parts)


class NTriplesWriter(_RDFWriter):
    """Writes N-Triples (UTF-8), streaming, one line per triple from rdflib terms.

    No graph at all: each term is written by :func:`_nt_term`, in the mapper's order,
    so the output is reproducible and the writer's memory does not grow.
    """

    name = "ntriples"
    description = "RDF N-Triples (one triple per line; BIBO, Dublin Core, FOAF)"
    suffixes = (".nt",)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        for triples in self.triples(papers, reporter):
            out.write("".join(f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n"
                              for s, p, o in triples))


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt_term(term: Node) -> str:
    """One term in N-Triples syntax (IRIs here are minted or checked, so never escaped)."""
    if isinstance(term, Literal):
        text = f'"{_escape_controls(str(term).translate(_NT_ESCAPES))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


class JSONLDWriter(_RDFWriter):
    """Writes JSON-LD, streaming: an inline context (never a remote one), then one flat
    node object per subject, ordered author lists as ``@list``."""

    name = "jsonld"
    description = "RDF JSON-LD (inline context; ordered authors as @list)"
    suffixes = (".jsonld", ".json-ld")

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        out.write('{\n  "@context": ')
        out.write(_indent(json.dumps(context, indent=2, ensure_ascii=False), 2))
        out.write(',\n  "@graph": [')
        first = True
        for triples in self.triples(papers, reporter):
            for node in _jsonld_nodes(triples):
                text = json.dumps(node, indent=2, ensure_ascii=False)
                out.write("\n    " if first else ",\n    ")
                out.write(_indent(text, 4))
                first = False
        out.write("\n  ]\n}\n" if not first else "]\n}\n")


def _indent(text: str, spaces: int) -> str:
    return text.replace("\n", "\n" + " " * spaces)


def _compact(iri: str) -> str:
    """A compact IRI (``dcterms:title``) for a term in a bound namespace, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        if iri.startswith(ns) and _NCNAME.match(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _group(triples: list[Triple]) -> dict[Node, list[tuple[Node, Node]]]:
    """Predicate-object pairs per subject, in first-appearance order."""
    subjects: dict[Node, list[tuple[Node, Node]]] = {}
    for s, p, o in triples:
        subjects.setdefault(s, []).append((p, o))
    return subjects


def _list_items(subjects: dict[Node, list[tuple[Node, Node]]], head: Node) -> list[Node] | None:
    """The members of the rdf:List starting at ``head``, or None if it is not one."""
    items: list[Node] = []
    cell: Node = head
    while cell != RDF.nil:
        pairs = subjects.get(cell)
        if not isinstance(cell, BNode) or pairs is None:
            return None
        values = dict(pairs)
        if len(pairs) != 2 or RDF.first not in values or RDF.rest not in values:
            return None
        items.append(values[RDF.first])
        cell = values[RDF.rest]
    return items


def _fold_lists(subjects: dict[Node, list[tuple[Node, Node]]]
                ) -> tuple[dict[Node, list[Node]], set[Node]]:
    """The rdf:Lists among a paper's triples: head -> members, and every list cell."""
    lists: dict[Node, list[Node]] = {}
    cells: set[Node] = set()
    for pairs in subjects.values():
        for _p, o in pairs:
            if isinstance(o, BNode) and o not in lists:
                items = _list_items(subjects, o)
                if items is not None:
                    lists[o] = items
    for head in lists:
        cell: Node = head
        while cell != RDF.nil:
            cells.add(cell)
            cell = dict(subjects[cell])[RDF.rest]
    return lists, cells


def _jsonld_value(term: Node) -> Any:
    if isinstance(term, Literal):
        if term.datatype is None and term.language is None:
            return str(term)
        value: dict[str, str] = {"@value": str(term)}
        if term.language:
            value["@language"] = term.language
        if term.datatype is not None:
            value["@type"] = _compact(str(term.datatype))
        return value
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    return {"@id": str(term)}


def _jsonld_nodes(triples: list[Triple]) -> Iterator[dict[str, Any]]:
    """Flat JSON-LD node objects for one paper's triples (lists folded into ``@list``)."""
    subjects = _group(triples)
    lists, cells = _fold_lists(subjects)
    for subject, pairs in subjects.items():
        if subject in cells:
            continue
        node: dict[str, Any] = {"@id": f"_:{subject}" if isinstance(subject, BNode)
                                else str(subject)}
        for p, o in pairs:
            if p == RDF.type and isinstance(o, URIRef):
                node.setdefault("@type", []).append(_compact(str(o)))
                continue
            key = _compact(str(p))
            if o in lists:
                value: Any = {"@list": [_jsonld_value(item) for item in lists[o]]}
            else:
                value = _jsonld_value(o)
            node.setdefault(key, []).append(value)
        yield {k: (v[0] if len(v) == 1 and k != "@type" else v) for k, v in node.items()}


class RDFXMLWriter(_RDFWriter):
    """Writes RDF/XML, streaming: one ``rdf:Description`` per subject (striped syntax).

    Characters XML 1.0 cannot hold (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF)
    are replaced with U+FFFD and reported as ``lossy-field``; a CR is written as
    ``&#13;`` so that XML line-end handling cannot turn it into LF.
    """

    name = "rdfxml"
    description = "RDF/XML (BIBO, Dublin Core, FOAF)"
    suffixes = (".rdf", ".xml", ".owl")
    xml_safe = True

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF')
        for prefix, namespace in PREFIXES.items():
            out.write(f'\n  xmlns:{prefix}={_xml_attr(str(namespace))}')
        out.write(">\n")
        for triples in self.triples(papers, reporter):
            for subject, pairs in _group(triples).items():
                out.write(_xml_description(subject, pairs))
        out.write("</rdf:RDF>\n")


_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _xml_attr(value: str) -> str:
    return quoteattr(value, {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def _xml_node_ref(node: Node) -> str:
    if isinstance(node, BNode):
        return f"rdf:nodeID={_xml_attr(str(node))}"
    return f"rdf:resource={_xml_attr(str(node))}"


def _xml_description(subject: Node, pairs: list[tuple[Node, Node]]) -> str:
    """One striped ``rdf:Description`` element."""
    if isinstance(subject, BNode):
        opening = f"  <rdf:Description rdf:nodeID={_xml_attr(str(subject))}>\n"
    else:
        opening = f"  <rdf:Description rdf:about={_xml_attr(str(subject))}>\n"
    parts = [opening]
    for p, o in pairs:
        name = _compact(str(p))
        if ":" not in name or name.startswith(("http:", "https:")):
            raise WriteError(f"predicate {p} has no XML qualified name")
        if isinstance(o, Literal):
            attrs = ""
            if o.language:
                attrs += f" xml:lang={_xml_attr(o.language)}"
            if o.datatype is not None:
                attrs += f" rdf:datatype={_xml_attr(str(o.datatype))}"
            parts.append(f"    <{name}{attrs}>{str(o).translate(_XML_TEXT)}</{name}>\n")
        else:
            parts.append(f"    <{name} {_xml_node_ref(o)}/>\n")
    parts.append("  </rdf:Description>\n")
    return "".join(parts)

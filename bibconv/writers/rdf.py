"""RDF writers: Turtle, N-Triples, JSON-LD and RDF/XML (formats ``turtle``, ``ntriples``,
``jsonld``, ``rdfxml``).

The vocabulary mapping and IRI minting live in :mod:`bibconv.rdfmap`, which hands each
paper over as triples in a light encoding (IRIs and blank nodes as ``str``, literals as
``(lexical, datatype)`` tuples). All four writers stream: each paper is formatted and
written before the next is mapped, so memory stays flat however many papers arrive.
Each writer formats terms itself, caching the text of everything that repeats across
papers (predicates, classes, people, venues, the cluster): building rdflib terms and
running rdflib's serialisers cost ~0.6 ms per paper, and rdflib's JSON-LD and RDF/XML
serialisers need the whole graph and order their output by hash. :func:`build_graph`
still builds the whole rdflib graph for callers (and tests) that want rdflib's
serialisers; the tests check that it is the graph every writer writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, ClassVar, TextIO, cast

from ..diagnostics import Reporter
from ..errors import OptionError, WriteError
from ..model import Paper
from ..plugin import Writer, byte_stream
from ..rdfmap import (
    DEFAULT_BASE_IRI,
    DESCRIBED,
    NAMESPACES,
    RDF_TYPE,
    SIGNED,
    VOCABS,
    XSD_INTEGER,
    Mapped,
    PaperMapper,
    Syntax,
    Term,
    Triple,
    check_base_iri,
    to_rdflib,
)

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["JSONLDWriter", "NTriplesWriter", "RDFXMLWriter", "TurtleWriter", "build_graph",
           "nt_escape"]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Everything N-Triples/Turtle escaping touches; text without any is written as it is.
_NT_SPECIAL = re.compile('[\x00-\x08\x0a-\x1f\x7f"\\\\]')
_NT_SPECIAL_BYTES = bytes([*range(0x09), *range(0x0A, 0x20), 0x7F, ord('"'), ord("\\")])
# A local part written as a prefixed name (used with match(text, pos), so no "^").
_PN_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*$")
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# The canonical lexical form of an xsd:integer (no "+", no leading zeros, no "-0").
_CANONICAL_INTEGER = re.compile("0|-?[1-9][0-9]*")
# Caches of formatted terms are emptied when they reach this size (flat memory).
_CACHE_LIMIT = 4_096

_OPTIONS = {
    "base_iri": f"absolute IRI papers, people and venues are minted under "
                f"(default {DEFAULT_BASE_IRI})",
    "vocab": f"vocabularies: {', '.join(VOCABS)} (default bibo: BIBO + Dublin Core + FOAF)",
}


def _bind(graph: Graph, base: str) -> None:
    """Bind the standard prefixes and one prefix per kind of minted IRI."""
    from rdflib import Namespace

    for prefix, namespace in NAMESPACES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
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
        self.base = check_base_iri(str(base))
        self.vocab = vocab.lower()
        self.mapper = PaperMapper(self.base, self.vocab, xml_safe=self.xml_safe,
                                  syntax=self.syntax())

    def syntax(self) -> Syntax:
        """How the mapper writes terms for this writer (the light encoding by default)."""
        return Syntax()

    def mapped(self, papers: Iterable[Paper], reporter: Reporter) -> Iterator[Mapped]:
        """The triples (and lists) of each paper, in input order."""
        map_paper = self.mapper.map
        for paper in papers:
            yield map_paper(paper, reporter)


def build_graph(writer: _RDFWriter, papers: Iterable[Paper], reporter: Reporter) -> Graph:
    """One rdflib graph of every paper, with bibconv's prefixes bound.

    Made from the writer's options, but from terms in the light encoding, whatever
    syntax the writer itself formats terms in. (rdflib is imported here, on first use:
    the streaming writers do not need it.)
    """
    from rdflib import Graph

    graph = Graph()
    _bind(graph, writer.base)
    vocab = "bibo+schema" if writer.mapper.bibo and writer.mapper.schema else (
        "bibo" if writer.mapper.bibo else "schema")
    light = PaperMapper(writer.base, vocab, xml_safe=writer.xml_safe)
    for paper in papers:
        mapped = light.map(paper, reporter)
        for s, p, o in mapped.triples:
            graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


def _control_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04X}"


def nt_escape(text: str) -> str:
    """The body of an N-Triples/Turtle ``"..."`` string literal for ``text``.

    Backslash, double quote, LF and CR get their short escapes; other control characters
    become ``\\uXXXX`` (rdflib writes them raw, which the grammars allow, but many tools,
    and bibconv's own input sniffing, take a NUL for binary data). Tab and everything
    else, non-BMP characters included, are written as they are (UTF-8). Lone surrogates
    never get here: the mapper replaces and reports them.
    """
    if text.isascii():
        # The common case: one C-level pass deleting the bytes that need an escape.
        data = text.encode("ascii")
        if len(data.translate(None, _NT_SPECIAL_BYTES)) == len(data):
            return text
    elif text.isprintable():
        # No control character, LF or CR: only a quote or a backslash can need an escape.
        if '"' not in text and "\\" not in text:
            return text
    elif _NT_SPECIAL.search(text) is None:
        return text  # tabs, U+2028 and other non-printables that need no escape
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    return _CONTROL.sub(_control_escape, text)


def to_wire(text: str) -> str:
    """``text`` as its UTF-8 bytes, one code point (0-255) per byte.

    ``.encode("latin-1")`` of such a string is a plain copy that gives the UTF-8 bytes
    back, while ``.encode("utf-8")`` of a paper's text goes character by character as
    soon as one name in it is not ASCII (for N-Triples, ~7 µs a paper, more than a
    quarter of making the text). Terms are made once and cached, so they are cheap to
    keep in this form when the output is a byte stream (:func:`~bibconv.plugin.byte_stream`).
    """
    return text if text.isascii() else text.encode("utf-8").decode("latin-1")


class NTriplesSyntax(Syntax):
    """Terms as N-Triples text: ``<iri>``, ``_:label``, ``"escaped"^^<datatype>``.

    With ``wire``, every term is made as :func:`to_wire` gives it (for a writer that
    writes its text to a UTF-8 byte stream by ``.encode("latin-1")``).
    """

    layout = "nt"

    def __init__(self, wire: bool = False) -> None:
        self.wire = wire

    def iri(self, iri: str) -> str:
        text = iri if iri.startswith("_:") else f"<{iri}>"
        return to_wire(text) if self.wire else text

    def quoted(self, text: str) -> str:
        """A string literal's ``"..."``, escaped (with ``wire``, as :func:`to_wire` gives it)."""
        text = f'"{nt_escape(text)}"'
        return to_wire(text) if self.wire else text

    def literal(self, text: str) -> str:
        return self.quoted(text)

    def typed(self, text: str, datatype: str) -> str:
        return f"{self.quoted(text)}^^{self.iri(datatype)}"


class TurtleSyntax(NTriplesSyntax):
    """Terms as Turtle text: prefixed names where the local part is plainly safe
    (``paper:1f…``, ``dcterms:title``), else ``<iri>``; ``a`` for ``rdf:type``; an
    ``xsd:integer`` in canonical form as a bare integer (``1``); other literals as in
    N-Triples."""

    layout = "ttl"

    def __init__(self, prefixes: dict[str, str], wire: bool = False) -> None:
        super().__init__(wire)
        self.prefixes = {ns: prefix for prefix, ns in prefixes.items()}
        self.cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        if iri.startswith("_:"):
            return iri
        # Namespaces end in "/" or "#" and a safe local part holds neither, so the only
        # namespace that can give a prefixed name ends at the last "/" or "#".
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self.prefixes.get(iri[:cut]) if cut else None
        if prefix is not None and _PN_LOCAL.match(iri, cut):
            text = f"{prefix}:{iri[cut:]}"
        else:
            text = f"<{iri}>"
        return to_wire(text) if self.wire else text

    def predicate(self, iri: str) -> str:
        return "a" if iri == RDF_TYPE else self.iri(iri)

    def typed(self, text: str, datatype: str) -> str:
        if datatype == XSD_INTEGER and _CANONICAL_INTEGER.fullmatch(text):
            # A bare integer token is the literal with the token as its lexical form,
            # so only a canonical one is written bare (a reader may normalise others).
            return text
        name = self.cache.get(datatype)
        if name is None:
            name = self.cache[datatype] = self.iri(datatype)
        return f"{self.quoted(text)}^^{name}"


def turtle_prefixes(base: str) -> dict[str, str]:
    """Prefix -> namespace: the standard ones and one per kind of minted IRI."""
    prefixes = dict(NAMESPACES)
    for kind in ("paper", "person", "venue", "org", "cluster"):
        prefixes[kind] = f"{base}{kind}/"
    return prefixes


class _TextRDFWriter(_RDFWriter):
    """What N-Triples and Turtle share: each paper's statements made as finished text
    (:meth:`PaperMapper.map_text`), written to a byte stream as bytes when the output
    is one (:func:`~bibconv.plugin.byte_stream`)."""

    #: The mapper of the byte path (terms as :func:`to_wire` gives them), made on first use.
    wire_mapper: PaperMapper | None = None

    def syntax(self, wire: bool = False) -> Syntax:
        """The writer's syntax; with ``wire``, its terms as :func:`to_wire` gives them."""
        raise NotImplementedError

    def write_text(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        """Each paper's text written to ``out``; to a byte stream under it as bytes, from
        terms made as :func:`to_wire` gives them (the same bytes, made cheaper)."""
        raw = byte_stream(out)
        if raw is None:
            write = out.write
            map_text = self.mapper.map_text
            for paper in papers:
                write(map_text(paper, reporter).text)
            return
        if self.wire_mapper is None:
            # A mapper of its own: its caches hold terms in the other form.
            self.wire_mapper = PaperMapper(self.base, self.vocab, xml_safe=self.xml_safe,
                                           syntax=self.syntax(wire=True))
        write_bytes = raw.write
        map_text = self.wire_mapper.map_text
        for paper in papers:
            write_bytes(map_text(paper, reporter).text.encode("latin-1"))


class TurtleWriter(_TextRDFWriter):
    """Writes Turtle, streaming: prefixes once, then one block per subject.

    Written here rather than by rdflib's Turtle serialiser, which costs ~10 ms per paper
    graph (a million papers would take hours): prefixed names where the local part is
    plainly safe, a predicate's consecutive objects as one object list (``p o1, o2``),
    author lists as ``( ... )`` collections, DBLP signatures inline as ``[ ... ]``,
    canonical integers bare, literals escaped as in N-Triples (valid Turtle).
    """

    name = "turtle"
    description = "RDF Turtle (BIBO, Dublin Core, FOAF; optional schema.org)"
    suffixes = (".ttl", ".turtle")

    def syntax(self, wire: bool = False) -> Syntax:
        return TurtleSyntax(turtle_prefixes(self.base), wire)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        out.write("".join(f"@prefix {prefix}: <{ns}> .\n"
                          for prefix, ns in sorted(turtle_prefixes(self.base).items())))
        self.write_text(papers, out, reporter)


def _turtle_block(mapped: Mapped) -> str:
    """The Turtle text of one paper's triples (terms already Turtle, as
    :meth:`PaperMapper.map` gives them): one statement per subject, a predicate's
    consecutive objects as one object list, lists folded into ``( ... )``, nested blank
    nodes written inline as ``[ ... ]``. The reference for the text the writer writes
    (:meth:`PaperMapper.map_text`), which the tests hold equal to it."""
    subjects: dict[str, list[tuple[str, str]]] = {}
    _turtle_pairs(subjects, mapped.triples, mapped.lists, mapped.cells)
    nested = mapped.nested
    return "".join([f"\n{subject} {_turtle_body(pairs, subjects, nested, _INDENT)} .\n"
                    for subject, pairs in subjects.items() if subject not in nested])


#: A subject's predicates are indented this far on their continuation lines; an object
#: list's objects on lines of their own four more, a nested node's predicates eight more.
_INDENT = "    "


def _turtle_pairs(subjects: dict[str, list[tuple[str, str]]], triples: list[Triple],
                  lists: dict[str, list[str]], cells: set[str]) -> None:
    """The (predicate, object) text of triples, added to their subjects' (list cells
    dropped, lists used once folded into ``( ... )``)."""
    for s, p, o in triples:
        if s in cells:
            continue
        assert isinstance(o, str)
        found = subjects.get(s)
        if found is None:
            found = subjects[s] = []
        items = lists.get(o) if o[0] == "_" else None
        found.append((p, o if items is None else f"( {' '.join(items)} )"))


def _turtle_body(pairs: list[tuple[str, str]], subjects: dict[str, list[tuple[str, str]]],
                 nested: set[str], indent: str) -> str:
    """A subject's predicate-object list, its predicates after the first on lines
    indented by ``indent``: a predicate's consecutive objects joined by ``,`` (a nested
    node on a line of its own), nested blank nodes as ``[ ... ]`` of their own pairs."""
    groups: list[str] = []
    last = ""
    for p, o in pairs:
        inline = o in nested
        if inline:
            inner = subjects.get(o)
            o = "[]" if not inner else (
                f"[ {_turtle_body(inner, subjects, nested, indent + 2 * _INDENT)} ]")
        if p == last:
            groups[-1] += f",\n{indent}{_INDENT}{o}" if inline else f", {o}"
        else:
            groups.append(f"{p} {o}")
            last = p
    return f" ;\n{indent}".join(groups)


class NTriplesWriter(_TextRDFWriter):
    """Writes N-Triples (UTF-8), streaming, one line per triple.

    No graph at all: the mapper formats each term as N-Triples (people, venues and
    predicates once), in its own order, so the output is reproducible and the writer's
    memory does not grow.
    """

    name = "ntriples"
    description = "RDF N-Triples (one triple per line; BIBO, Dublin Core, FOAF)"
    suffixes = (".nt",)

    def syntax(self, wire: bool = False) -> Syntax:
        return NTriplesSyntax(wire)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        self.write_text(papers, out, reporter)


# -- JSON-LD -------------------------------------------------------------------------


class _Compact:
    """Compact IRIs (``dcterms:title``) for terms in a bound namespace, else the IRI."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}
        self.namespaces = list(NAMESPACES.items())

    def __call__(self, iri: str) -> str:
        text = self.cache.get(iri)
        if text is None:
            text = iri
            for prefix, ns in self.namespaces:
                if iri.startswith(ns) and _NCNAME.match(iri[len(ns):]):
                    text = f"{prefix}:{iri[len(ns):]}"
                    break
            if len(self.cache) >= _CACHE_LIMIT:
                self.cache.clear()
            self.cache[iri] = text
        return text


_COMPACT = _Compact()


def _compact(iri: str) -> str:
    """A compact IRI (``dcterms:title``) for a term in a bound namespace, else the IRI."""
    return _COMPACT(iri)


class JSONLDWriter(_RDFWriter):
    """Writes JSON-LD, streaming: an inline context (never a remote one), then one flat
    node object per subject, ordered author lists as ``@list``.

    The text is made here, laid out exactly as ``json.dumps(node, indent=2)`` would lay it
    out (the standard library's indenting encoder is pure Python and cost more than
    everything else together); strings go through the C string encoder.
    """

    name = "jsonld"
    description = "RDF JSON-LD (inline context; ordered authors as @list)"
    suffixes = (".jsonld", ".json-ld")

    def syntax(self) -> Syntax:
        return JSONLDSyntax()

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        context = dict(NAMESPACES)
        out.write('{\n  "@context": ')
        out.write(_json_text(context, "  "))
        out.write(',\n  "@graph": [')
        first = True
        for mapped in self.mapped(papers, reporter):
            nodes = _jsonld_texts(mapped)
            if nodes:
                out.write(("\n    " if first else ",\n    ") + ",\n    ".join(nodes))
                first = False
        out.write("\n  ]\n}\n" if not first else "]\n}\n")


def _json_text(value: Any, pad: str) -> str:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, with
    every line after the first indented by ``pad`` (dicts, lists and strings only)."""
    if isinstance(value, str):
        return encode_basestring(value)
    inner = pad + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        sep = ",\n" + inner
        body = sep.join([f"{encode_basestring(k)}: {_json_text(v, inner)}"
                         for k, v in value.items()])
        return f"{{\n{inner}{body}\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        sep = ",\n" + inner
        return f"[\n{inner}{sep.join([_json_text(v, inner) for v in value])}\n{pad}]"
    raise TypeError(f"unexpected JSON-LD value {value!r}")


_JSON_TYPE = '"@type"'


class JSONLDSyntax(Syntax):
    """Terms pre-encoded for JSON-LD text: a predicate is its JSON-encoded compact key
    (``"@type"`` for ``rdf:type``), a plain literal its JSON string, a typed literal the
    pair (JSON string, JSON-encoded compact datatype). Nodes stay plain IRIs / ``_:label``
    (never starting with a quote, so they are told apart from plain literals)."""

    grouped = True

    def predicate(self, iri: str) -> str:
        return _JSON_TYPE if iri == RDF_TYPE else encode_basestring(_compact(iri))

    def literal(self, text: str) -> str:
        return encode_basestring(text)

    def typed(self, text: str, datatype: str) -> Term:
        return (encode_basestring(text), encode_basestring(_compact(datatype)))


def _jsonld_id(node: str, pad: str) -> str:
    return f'{{\n{pad}  "@id": {encode_basestring(node)}\n{pad}}}'


def _jsonld_value(term: Term, pad: str, lists: dict[str, list[str]]) -> str:
    """One object value (pre-encoded by :class:`JSONLDSyntax`), its first line inline,
    the rest indented from ``pad``."""
    inner = pad + "  "
    if type(term) is tuple:
        value, datatype = term
        return f'{{\n{inner}"@value": {value},\n{inner}"@type": {datatype}\n{pad}}}'
    assert isinstance(term, str)
    if term[0] == '"':
        return term  # a plain literal, already a JSON string
    items = lists.get(term)
    if items is None:
        return _jsonld_id(term, pad)  # a blank node's "_:label" is its @id as it is
    cell = inner + "  "
    members = f",\n{cell}".join([_jsonld_id(item, cell) for item in items])
    return f'{{\n{inner}"@list": [\n{cell}{members}\n{inner}]\n{pad}}}'


_NODE_PAD = "    "  # node objects sit in "@graph" at this indentation


def _by_subject(mapped: Mapped) -> dict[str, dict[str, list[Term]]]:
    """A paper's triples as node objects to be: subject -> key -> values, in order of
    first appearance, list cells left out (they are folded into ``@list``)."""
    subjects: dict[str, dict[str, list[Term]]] = {}
    cells = mapped.cells
    json_type = _JSON_TYPE
    last = ""
    node: dict[str, list[Term]] = {}
    for s, p, o in mapped.triples:
        if s is not last:  # a subject's triples mostly come in runs
            found = subjects.get(s)
            if found is None:
                if s in cells:
                    continue
                found = subjects[s] = {}
            node, last = found, s
        if p == json_type and (type(o) is not str or o[0] in '"_'):
            p = _JSON_RDF_TYPE  # a literal or blank node as a type: an ordinary value
        values = node.get(p)
        if values is None:
            node[p] = [o]
        else:
            values.append(o)
    return subjects


def _jsonld_texts_reference(mapped: Mapped) -> Iterator[str]:
    """The flat JSON-LD node objects of one paper's triples, as text (lists folded into
    ``@list``; ``@type`` always an array, other keys an array only when repeated). The
    plain reference for :func:`_jsonld_texts`, which the tests hold equal to it."""
    subjects = _by_subject(mapped)
    lists = mapped.lists
    pad = _NODE_PAD
    inner = pad + "  "
    deeper = inner + "  "
    for subject, node in subjects.items():
        members = [f'"@id": {encode_basestring(subject)}']
        for key, values in node.items():
            if key == _JSON_TYPE:
                types = f",\n{deeper}".join([_type_name(t) for t in values])
                text = f"[\n{deeper}{types}\n{inner}]"
            elif len(values) == 1:
                value = values[0]
                if type(value) is str and value[0] == '"':
                    text = value  # a plain literal: already its JSON string
                else:
                    text = _jsonld_value(value, inner, lists)
            else:
                many = f",\n{deeper}".join([_jsonld_value(v, deeper, lists) for v in values])
                text = f"[\n{deeper}{many}\n{inner}]"
            members.append(f"{key}: {text}")
        body = f",\n{inner}".join(members)
        yield f"{{\n{inner}{body}\n{pad}}}"


#: The text of a node object's members: between members, between the values of a
#: member's array, before the ``@id`` and at the end.
_MEMBER = ",\n      "
_VALUE = ",\n        "
_NODE_OPEN = '{\n      "@id": '
_NODE_CLOSE = "\n    }"
#: Class IRI -> ``: `` and its ``@type`` array of one (``_TYPE_ONE``); id(description
#: pairs) -> the pairs and their members' text (``_DESCRIPTIONS``); a signature's class
#: and ordinal pairs -> their members' text and the keys of its creator and name when
#: all four keys are distinct (``_SIGNATURES``). All emptied when full. (The
#: ``{"@id": ...}`` objects of IRIs are not cached: an IRI recurs too seldom within a
#: cache's reach, and a cache cost more than it saved.)
_TYPE_ONE: dict[str, str] = {}
_DESCRIPTIONS: dict[int, tuple[object, str]] = {}
_SIGNATURES: dict[tuple[tuple[str, Term], tuple[str, Term]], tuple[str, str, str]] = {}


def _members(node: dict[str, list[Term]], lists: dict[str, list[str]],
             parts: list[str]) -> None:
    """The members of a node object after its ``@id`` (each after ``,\n`` and the
    indentation), added to ``parts``: as :func:`_jsonld_texts_reference` lays them out."""
    add = parts.append
    json_type = _JSON_TYPE
    many: list[str]
    for key, values in node.items():
        add(_MEMBER)
        add(key)
        if len(values) == 1:
            value = values[0]
            if key == json_type:
                assert isinstance(value, str)
                text = _TYPE_ONE.get(value)
                if text is None:
                    text = f": [\n        {_type_name(value)}\n      ]"
                    if len(_TYPE_ONE) >= _CACHE_LIMIT:
                        _TYPE_ONE.clear()
                    _TYPE_ONE[value] = text
                add(text)
                continue
            if type(value) is str:
                first = value[0]
                if first == '"':
                    add(": ")
                    add(value)  # a plain literal: already its JSON string
                    continue
                if first != "_":  # an IRI (lists are blank nodes)
                    add(': {\n        "@id": ')
                    add(encode_basestring(value))
                    add("\n      }")
                    continue
            items = lists.get(value) if type(value) is str else None
            if items:
                # A folded list (authors, editors): its members' objects (_jsonld_value).
                add(': {\n        "@list": [\n          {\n            "@id": ')
                add('\n          },\n          {\n            "@id": '.join(
                    map(encode_basestring, items)))
                add("\n          }")
                add("\n        ]\n      }")
                continue
            add(": ")
            add(_jsonld_value(value, "      ", lists))
        elif key == json_type:
            add(": [\n        ")
            add(_VALUE.join([_type_name(t) for t in values]))
            add("\n      ]")
        else:
            many = []
            for value in values:
                if type(value) is str:
                    first = value[0]
                    if first == '"':
                        many.append(value)  # a plain literal
                        continue
                    if first != "_" or value not in lists:  # an IRI or a blank node
                        many.append(f'{{\n          "@id": {encode_basestring(value)}\n        }}')
                        continue
                many.append(_jsonld_value(value, "        ", lists))
            add(": [\n        ")
            add(_VALUE.join(many))
            add("\n      ]")


def _pairs_node(pairs: Iterable[tuple[str, Term]]) -> dict[str, list[Term]]:
    """(predicate, object) pairs of one subject grouped by key, as
    :func:`_jsonld_texts_reference` groups triples."""
    node: dict[str, list[Term]] = {}
    for p, o in pairs:
        if p == _JSON_TYPE and (type(o) is not str or o[0] in '"_'):
            p = _JSON_RDF_TYPE
        values = node.get(p)
        if values is None:
            node[p] = [o]
        else:
            values.append(o)
    return node


def _expanded(triples: list[Triple]) -> list[Triple]:
    """Triples with each grouped node (:attr:`Syntax.grouped`) as its own triples."""
    out: list[Triple] = []
    for s, p, o in triples:
        if p in (DESCRIBED, SIGNED):
            out += [(s, pred, obj) for pred, obj in cast(tuple[tuple[str, Term], ...], o)]
        else:
            out.append((s, p, o))
    return out


def _jsonld_texts(mapped: Mapped) -> list[str]:
    """The flat JSON-LD node objects of one paper's triples, as text: what
    :func:`_jsonld_texts_reference` gives for the same triples with the grouped nodes
    (:attr:`Syntax.grouped`) expanded. A person's description is formatted once per
    description (cached), a signature from the cached text of its class and ordinal;
    one-class ``@type`` arrays are made once, IRIs' ``{"@id": ...}`` objects inline. A
    grouped node that gets other triples too (a person described twice in one paper
    when the seen set was emptied) sends the paper through the reference."""
    subjects = _by_subject(mapped)
    lists = mapped.lists
    texts: list[str] = []
    descriptions, signatures = _DESCRIPTIONS, _SIGNATURES
    for subject, node in subjects.items():
        parts = [_NODE_OPEN, encode_basestring(subject)]
        grouped = node.get(DESCRIBED)
        if grouped is not None:
            if len(node) != 1 or len(grouped) != 1:
                break
            pairs = grouped[0]
            cached = descriptions.get(id(pairs))
            if cached is None or cached[0] is not pairs:
                members: list[str] = []
                _members(_pairs_node(cast(tuple[tuple[str, Term], ...], pairs)), lists,
                         members)
                cached = (pairs, "".join(members))
                if len(descriptions) >= _CACHE_LIMIT:
                    descriptions.clear()
                descriptions[id(pairs)] = cached
            parts.append(cached[1])
        elif (grouped := node.get(SIGNED)) is not None:
            if len(node) != 1 or len(grouped) != 1:
                break
            sig = cast(tuple[tuple[str, Term], ...], grouped[0])
            if len(sig) != 4:
                _members(_pairs_node(sig), lists, parts)
            else:
                head = sig[0], sig[1]
                (k2, creator), (k3, name) = sig[2], sig[3]
                known = signatures.get(head)
                if known is None:
                    grouped_head = _pairs_node(head)
                    members = []
                    _members(grouped_head, lists, members)
                    # The two other keys as the first signature with this head has them,
                    # when they are keys of their own (else "", which no key equals).
                    own = (len(grouped_head) == 2 and k2 != k3 and _JSON_TYPE not in (k2, k3)
                           and k2 not in grouped_head and k3 not in grouped_head)
                    known = ("".join(members), k2 if own else "", k3 if own else "")
                    if len(signatures) >= _CACHE_LIMIT:
                        signatures.clear()
                    signatures[head] = known
                if k2 == known[1] and k3 == known[2]:
                    if (type(creator) is str and creator[0] != '"' and creator[0] != "_"
                            and type(name) is str and name[0] == '"'):
                        # The common shape: an IRI as creator, a plain literal as name.
                        texts.append("".join((_NODE_OPEN, encode_basestring(subject), known[0],
                                              _MEMBER, k2, ': {\n        "@id": ',
                                              encode_basestring(creator), "\n      }",
                                              _MEMBER, k3, ": ", name, _NODE_CLOSE)))
                        continue
                    parts.append(known[0])
                    _members({k2: [creator], k3: [name]}, lists, parts)
                else:
                    _members(_pairs_node(sig), lists, parts)
        else:
            _members(node, lists, parts)
        parts.append(_NODE_CLOSE)
        texts.append("".join(parts))
    else:
        return texts
    # A grouped node with other triples too: the triples as they stand for.
    expanded = Mapped(_expanded(mapped.triples), lists, mapped.cells, mapped.changed)
    return list(_jsonld_texts_reference(expanded))


_JSON_RDF_TYPE = encode_basestring(_compact(RDF_TYPE))
_TYPE_NAMES: dict[str, str] = {}


def _type_name(term: Term) -> str:
    """A class IRI as the JSON string of its compact form (classes are few: cached)."""
    assert isinstance(term, str)
    text = _TYPE_NAMES.get(term)
    if text is None:
        text = encode_basestring(_compact(term))
        if len(_TYPE_NAMES) < _CACHE_LIMIT:
            _TYPE_NAMES[term] = text
    return text


# -- RDF/XML -------------------------------------------------------------------------


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

    def syntax(self) -> Syntax:
        return XMLSyntax()

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF')
        for prefix, namespace in NAMESPACES.items():
            out.write(f'\n  xmlns:{prefix}={_xml_attr(namespace)}')
        out.write(">\n")
        for mapped in self.mapped(papers, reporter):
            out.write(_xml_block(mapped))
        out.write("</rdf:RDF>\n")


_XML_ATTR_SPECIAL = re.compile("[&<>\"'\r\n\t]")


def _xml_attr(value: str) -> str:
    """A quoted attribute value (as ``quoteattr`` writes it, CR/LF/tab as references)."""
    if _XML_ATTR_SPECIAL.search(value) is None:
        return f'"{value}"'  # minted IRIs and blank-node labels: nothing to escape
    # Imported here: xml.sax.saxutils pulls in urllib.request, http.client and ssl,
    # ~11 ms that every RDF writer would pay at start for the RDF/XML one's rare case.
    from xml.sax.saxutils import quoteattr

    return quoteattr(value, {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def _xml_text(text: str) -> str:
    """Character data: ``&``, ``<``, ``>`` as entities, CR as ``&#13;``."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


class XMLSyntax(Syntax):
    """Terms pre-formatted for RDF/XML: a predicate is its qualified element name, a node
    IRI its quoted attribute value (``"..."`` or ``'...'``), a literal the rest of its
    element's start tag and its character data (``>text``, or `` rdf:datatype="...">text``
    with a leading space). The three never start with the same character, nor with ``_``
    as blank nodes do."""

    def __init__(self) -> None:
        self.datatypes: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        return iri if iri.startswith("_:") else _xml_attr(iri)

    def predicate(self, iri: str) -> str:
        name = _compact(iri)
        if ":" not in name or name.startswith(("http:", "https:")):
            raise WriteError(f"predicate {iri} has no XML qualified name")
        return name

    def literal(self, text: str) -> str:
        return ">" + _xml_text(text)

    def typed(self, text: str, datatype: str) -> str:
        attr = self.datatypes.get(datatype)
        if attr is None:
            attr = self.datatypes[datatype] = f" rdf:datatype={_xml_attr(datatype)}>"
        return attr + _xml_text(text)


def _xml_block(mapped: Mapped) -> str:
    """The ``rdf:Description`` elements of one paper, one per subject (lists as cells)."""
    subjects: dict[str, list[str]] = {}
    for s, p, o in mapped.triples:
        assert isinstance(o, str)
        first = o[0]
        if first == '"' or first == "'":
            line = f"    <{p} rdf:resource={o}/>\n"
        elif first == "_":
            line = f"    <{p} rdf:nodeID={_xml_attr(o[2:])}/>\n"
        else:
            line = f"    <{p}{o}</{p}>\n"
        lines = subjects.get(s)
        if lines is None:
            subjects[s] = [line]
        else:
            lines.append(line)
    parts = []
    for subject, lines in subjects.items():
        if subject.startswith("_:"):
            parts.append(f"  <rdf:Description rdf:nodeID={_xml_attr(subject[2:])}>\n")
        else:
            parts.append(f"  <rdf:Description rdf:about={subject}>\n")
        parts.extend(lines)
        parts.append("  </rdf:Description>\n")
    return "".join(parts)

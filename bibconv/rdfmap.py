"""The RDF vocabulary mapping shared by the RDF writers and readers, and IRI minting.

One paper becomes a small set of triples (:meth:`PaperMapper.triples`) in the
vocabularies linked-data consumers already query:

* BIBO + Dublin Core terms + FOAF (the default, ``vocab="bibo"``), the way Zotero's
  "Bibliontology RDF" export writes it: a conference paper is a ``bibo:Article`` that is
  ``dcterms:isPartOf`` a ``bibo:Proceedings``; a journal article is a
  ``bibo:AcademicArticle`` part of a ``bibo:Journal``. Author order is kept twice: in
  ``bibo:authorList`` (an ``rdf:List``) and, as DBLP does, in one
  ``dblp:AuthorSignature`` node per author carrying its 1-based ``dblp:signatureOrdinal``.
* schema.org (``vocab="schema"``, or both with ``"bibo+schema"``): ``schema:ScholarlyArticle``
  with ``schema:author`` holding an ``rdf:List`` (a JSON-LD ``@list``).
* bibconv's own terms (:data:`BCV`) for what no standard vocabulary holds exactly
  (the CSL type, name particles, the DBLP homonym number, the scraped cluster).

IRIs are minted under a base IRI from hashes, never from raw text, so every IRI is
valid and the same record always gets the same IRI whatever order it arrives in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any, Final, cast
from urllib.parse import urlsplit

from .diagnostics import Reporter
from .errors import OptionError
from .model import Cluster, Date, Paper, Person, Venue
from .u64set import U56Set

try:
    # BLAKE2 without OpenSSL: hashlib loads its _hashlib (libcrypto) first, ~2 ms of
    # every run's start-up, for hashes this module never uses.
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the built-in module
    from hashlib import blake2b

if TYPE_CHECKING:
    from rdflib import Namespace
    from rdflib.term import Node

__all__ = [
    "BCV",
    "BIBO",
    "DBLP",
    "DEFAULT_BASE_IRI",
    "NAMESPACES",
    "PREFIXES",
    "SCHEMA",
    "VOCABS",
    "Lit",
    "Mapped",
    "Minter",
    "PaperMapper",
    "Syntax",
    "Term",
    "Triple",
    "check_base_iri",
    "date_literal",
    "parse_date_literal",
    "to_rdflib",
]

#: The namespaces of the vocabularies written, as IRI strings. The writers need nothing
#: else: rdflib (a tenth of a second to import) is imported only by what builds rdflib
#: terms, and the rdflib ``Namespace`` objects below (:data:`BIBO`, :data:`PREFIXES`, ...)
#: are made on first use.
NAMESPACES: dict[str, str] = {
    "bibo": "http://purl.org/ontology/bibo/",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dblp": "https://dblp.org/rdf/schema#",
    "schema": "https://schema.org/",
    # bibconv's own terms. Fixed, whatever ``base_iri`` is, so readers never need the base.
    "bcv": "https://bibconv.example/vocab#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

if TYPE_CHECKING:
    BIBO: Namespace
    DBLP: Namespace
    SCHEMA: Namespace
    BCV: Namespace
    #: Prefixes bound in every serialisation (Turtle writes them once at the top).
    PREFIXES: dict[str, Namespace]

_LAZY = {"BIBO": "bibo", "DBLP": "dblp", "SCHEMA": "schema", "BCV": "bcv"}


def __getattr__(name: str) -> Any:
    """rdflib ``Namespace`` objects of :data:`NAMESPACES`, made (importing rdflib) on
    first use: ``BIBO``, ``DBLP``, ``SCHEMA``, ``BCV`` and ``PREFIXES``."""
    if name not in _LAZY and name != "PREFIXES":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rdflib import Namespace

    prefixes = {prefix: Namespace(ns) for prefix, ns in NAMESPACES.items()}
    for attr, prefix in _LAZY.items():
        globals()[attr] = prefixes[prefix]
    globals()["PREFIXES"] = prefixes
    return globals()[name]


#: The base IRI papers, people and venues are minted under when none is given. The
#: ``.example`` top-level domain is reserved (RFC 2606): it never resolves, which says
#: plainly that a publisher of the data should choose its own base with ``--base-iri``.
DEFAULT_BASE_IRI = "https://bibconv.example/id/"

VOCABS = ("bibo", "schema", "bibo+schema")

#: A term in bibconv's light encoding: an IRI is a plain ``str``, a blank node a ``str``
#: starting with ``_:`` (minted and checked IRIs are absolute, so never do), a literal a
#: ``(lexical form, datatype IRI or None)`` tuple. Writers format these directly; rdflib
#: terms (``Literal`` alone costs several microseconds) are made only on request.
Lit = tuple[str, str | None]
Term = str | Lit
Triple = tuple[str, str, Term]

_RDF = NAMESPACES["rdf"]
_XSD = NAMESPACES["xsd"]
_B, _DC, _FOAF, _DBLP = (NAMESPACES[p] for p in ("bibo", "dcterms", "foaf", "dblp"))
_S, _BCV, _RDFS = NAMESPACES["schema"], NAMESPACES["bcv"], NAMESPACES["rdfs"]

RDF_TYPE = _RDF + "type"
RDF_FIRST = _RDF + "first"
RDF_REST = _RDF + "rest"
RDF_NIL = _RDF + "nil"
XSD_INTEGER = _XSD + "integer"
XSD_ANYURI = _XSD + "anyURI"

# CSL type -> (BIBO class, schema.org class). Anything unlisted is a bibo:Document /
# schema:CreativeWork; the exact CSL type always travels in bcv:cslType.
_CLASSES: dict[str, tuple[str, str]] = {
    csl: (_B + bibo, _S + schema) for csl, bibo, schema in (
        ("paper-conference", "Article", "ScholarlyArticle"),
        ("article-journal", "AcademicArticle", "ScholarlyArticle"),
        ("article", "Article", "ScholarlyArticle"),
        ("article-magazine", "Article", "Article"),
        ("article-newspaper", "Article", "NewsArticle"),
        ("review", "Article", "Review"),
        ("review-book", "Article", "Review"),
        ("book", "Book", "Book"),
        ("chapter", "Chapter", "Chapter"),
        ("thesis", "Thesis", "Thesis"),
        ("report", "Report", "Report"),
        ("patent", "Patent", "CreativeWork"),
        ("manuscript", "Manuscript", "CreativeWork"),
        ("webpage", "Webpage", "WebPage"),
        ("post-weblog", "Webpage", "BlogPosting"),
        ("dataset", "Document", "Dataset"),
        ("software", "Document", "SoftwareSourceCode"),
        ("speech", "Document", "CreativeWork"),
        ("entry-encyclopedia", "Document", "CreativeWork"),
        ("entry-dictionary", "Document", "CreativeWork"),
        ("standard", "Standard", "CreativeWork"),
    )
}
_DEFAULT_CLASSES = (_B + "Document", _S + "CreativeWork")

# Container classes, chosen from the paper's CSL type first, then the venue's kind.
_TYPE_CONTAINERS: dict[str, tuple[str, str]] = {
    "paper-conference": (_B + "Proceedings", _S + "Book"),
    "article-journal": (_B + "Journal", _S + "Periodical"),
    "article-magazine": (_B + "Magazine", _S + "Periodical"),
    "article-newspaper": (_B + "Newspaper", _S + "Periodical"),
    "chapter": (_B + "Book", _S + "Book"),
}
_KIND_CONTAINERS: dict[str, tuple[str, str]] = {
    "journal": (_B + "Journal", _S + "Periodical"),
    "conference": (_B + "Proceedings", _S + "Book"),
    "workshop": (_B + "Proceedings", _S + "Book"),
    "symposium": (_B + "Proceedings", _S + "Book"),
    "magazine": (_B + "Magazine", _S + "Periodical"),
}
_DEFAULT_CONTAINER = (_B + "Collection", _S + "CreativeWork")

# Characters XML 1.0 cannot carry at all (not even as character references).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Lone surrogates cannot be encoded as UTF-8 in any serialisation.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Characters RFC 3987 forbids in an IRI (plus controls and space).
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_PAGES = re.compile(r"^\s*(\w+)\s*[-\u2013\u2014]+\s*(\w+)\s*$")


def check_base_iri(base: str) -> str:
    """The base IRI normalised to end in ``/``, ``#`` or ``:``; OptionError if not absolute.

    http(s) IRIs need an authority (``https://host/``); ``urn:NID:...`` is accepted too.
    """
    if not isinstance(base, str) or not base:
        raise OptionError("base_iri must be a non-empty absolute IRI such as https://example.org/")
    if _IRI_FORBIDDEN.search(base):
        raise OptionError(f"base_iri {base!r} contains characters not allowed in an IRI")
    try:
        parts = urlsplit(base)
    except ValueError as exc:  # "https://[x/": a bracket that opens no IPv6 address
        raise OptionError(f"base_iri {base!r} is not a valid IRI ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.netloc:
            raise OptionError(f"base_iri {base!r} has no host; use e.g. https://example.org/data/")
    elif scheme == "urn":
        if not re.match(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S", base, re.IGNORECASE):
            raise OptionError(f"base_iri {base!r} is not a URN of the form urn:NID:...")
    else:
        raise OptionError(
            f"base_iri {base!r} is not an absolute http, https or urn IRI "
            "(e.g. https://example.org/data/)"
        )
    if parts.query or (parts.fragment and not base.endswith("#")):
        raise OptionError(f"base_iri {base!r} must not carry a query or a fragment")
    if not _iri_syntax_ok(base, parts.netloc):
        raise OptionError(f"base_iri {base!r} is not a valid IRI (a '%' not followed by two "
                          "hexadecimal digits, or a bracket outside an IPv6 host)")
    return base if base.endswith(("/", "#", ":")) else base + "/"


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _iri_syntax_ok(text: str, netloc: str) -> bool:
    """What RFC 3987 asks that urlsplit does not check: every '%' starts an escape
    ("%zz" is none), and brackets stand only around an IPv6 host ("a]b" in a path)."""
    if "%" in text and _BAD_PERCENT.search(text):
        return False
    if "[" in text or "]" in text:
        host = netloc.rpartition("@")[2]
        rest = text.replace(host, "", 1) if host.startswith("[") else text
        return "[" not in rest and "]" not in rest
    return True


def _digest(*parts: str | None) -> str:
    """A 128-bit hex digest of field values (None and "" are told apart)."""
    return _digest_text("\x1f".join(["\x00" if p is None else p for p in parts]))


def _digest_text(text: str) -> str:
    """The 128-bit BLAKE2b hex digest of already joined field values."""
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _person_parts(person: Person) -> tuple[str | None, ...]:
    return (person.family, person.given, person.particle, person.dropping_particle,
            person.suffix, person.literal)


def _cluster_parts(cluster: Cluster | None) -> tuple[str | None, ...]:
    if cluster is None:
        return ("",)
    return (cluster.site, cluster.name, cluster.description,
            None if cluster.declared_papers is None else str(cluster.declared_papers),
            None if cluster.declared_author_rows is None else str(cluster.declared_author_rows))


def _venue_parts(venue: Venue) -> tuple[str | None, ...]:
    return (venue.name, venue.short, venue.kind, venue.container_title, venue.publisher,
            venue.issn)


class Minter:
    """Mints the IRIs of papers, people, venues, organisations and clusters.

    Identity rules (documented in README.md (RDF)):

    * a paper: hash of every bibliographic field it writes (not where it was read), so
      exact duplicates become one node and any difference makes another;
    * a person with an ORCID iD: ``https://orcid.org/<iD>``;
    * a person with a DBLP homonym number: hash of the name parts and the number;
    * any other person: hash of the name parts and the cluster page the paper came from
      (the same name on one page is one node; pages do not disambiguate people, so
      nothing is claimed across pages); without a cluster, the name alone;
    * a venue: hash of all its fields and its container class; a cluster: its fields.

    IRIs are plain ASCII strings (the checked base plus a kind and a hex digest), so
    they are valid by construction and cost no rdflib term.
    """

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.base = check_base_iri(base_iri)

    def _mint(self, kind: str, digest: str) -> str:
        return f"{self.base}{kind}/{digest}"

    def paper(self, paper: Paper) -> str:
        """The IRI of a paper, from a hash of its bibliographic content."""
        return self._mint("paper", paper_digest(paper))

    def person(self, person: Person, cluster: Cluster | None) -> str:
        """The IRI of a person under the identity rules above."""
        if person.orcid and _ORCID.match(person.orcid):
            return f"https://orcid.org/{person.orcid}"
        if person.homonym:
            return self._mint("person", _digest("homonym", person.homonym, *_person_parts(person)))
        return self._mint("person", _digest("name", *_person_parts(person),
                                            *_cluster_parts(cluster)))

    def venue(self, venue: Venue, cls: str) -> str:
        """The IRI of a venue (a journal, a proceedings series, ...)."""
        return self._mint("venue", _digest(cls, *_venue_parts(venue)))

    def organisation(self, name: str) -> str:
        """The IRI of a publisher, from its name."""
        return self._mint("org", _digest("org", name))

    def cluster(self, cluster: Cluster) -> str:
        """The IRI of a scraped author-name cluster page."""
        return self._mint("cluster", _digest("cluster", *_cluster_parts(cluster)))


def _extra_json(paper: Paper) -> str | None:
    if not paper.extra:
        return None
    try:
        return json.dumps(dict(paper.extra), ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return None


def _report(paper: Paper, changed: set[str], reporter: Reporter) -> None:
    """One ``lossy-field`` warning per field that had characters replaced."""
    for field in sorted(changed):
        reporter.warn(
            "lossy-field",
            f"{field}: characters this serialisation cannot hold were replaced "
            "with U+FFFD (or the value was left out)",
            paper.origin, paper.line,
        )


def _paper_parts(paper: Paper) -> list[str | None]:
    """The paper's own fields and venue, in the order the content hash reads them."""
    issued = paper.issued
    parts: list[str | None] = [
        paper.type, paper.title, issued.iso() if issued is not None else None,
        paper.volume, paper.issue, paper.page, paper.publisher, paper.publisher_place,
        paper.doi, paper.url, paper.isbn, paper.issn, paper.abstract, paper.language,
        paper.note, paper.genre, paper.id, _extra_json(paper),
        "\x1e".join(paper.keywords),
    ]
    parts += _venue_parts(paper.venue) if paper.venue is not None else ("",)
    return parts


def paper_digest(paper: Paper) -> str:
    """The content hash behind a paper's IRI: every field written, no provenance."""
    parts = _paper_parts(paper)
    parts += _cluster_parts(paper.cluster)
    for role, people in (("author", paper.author), ("editor", paper.editor)):
        parts.append(role)
        for person in people:
            parts += (person.family, person.given, person.particle, person.dropping_particle,
                      person.suffix, person.literal, person.homonym, person.orcid)
    return _digest(*parts)


def date_literal(date: Date) -> Lit | None:
    """``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date`` at the precision known.

    None when the month or day is impossible (the caller reports it).
    """
    year = f"{date.year:04d}" if date.year >= 0 else f"-{-date.year:04d}"
    if date.month is None:
        return (year, _XSD + "gYear")
    if not 1 <= date.month <= 12:
        return None
    if date.day is None:
        return (f"{year}-{date.month:02d}", _XSD + "gYearMonth")
    days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][date.month - 1]
    if not 1 <= date.day <= days:
        return None
    return (f"{year}-{date.month:02d}-{date.day:02d}", _XSD + "date")


_DATE = re.compile(r"^(-?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date_literal(text: str) -> Date | None:
    """The :class:`Date` of an ``xsd:gYear``/``gYearMonth``/``date`` lexical form."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    return Date(int(year), int(month) if month else None, int(day) if day else None)


def _affixes(syntax: Syntax, namespace: str) -> tuple[str, str] | None:
    """The text ``syntax.iri`` writes before and after a digest (hex, maybe ``-N``)
    minted under namespace, if it writes every such IRI that way; else None."""
    sample = "0123456789abcdef" * 2
    text = syntax.iri(namespace + sample)
    at = text.find(sample)
    if at < 0:
        return None
    before, after = text[:at], text[at + len(sample):]
    for probe in ("f" * 32, "0" * 32 + "-2", "9" * 32 + "-10", "a" * 32 + "-12345"):
        if syntax.iri(namespace + probe) != before + probe + after:
            return None
    return before, after


@dataclass
class Mapped:
    """The triples of one paper, in writing order, and the ``rdf:List`` nodes among them.

    ``lists`` maps each list head (a blank node) to its members and ``cells`` holds every
    list cell, so Turtle and JSON-LD can fold the lists without searching for them.
    ``nested`` holds the blank nodes that are the object of exactly one triple and the
    subject of their own (the DBLP signatures), which Turtle writes inline as ``[ ... ]``.
    """

    triples: list[Triple]
    lists: dict[str, list[str]]
    cells: set[str]
    changed: set[str]
    #: From :meth:`PaperMapper.map_text` only (``triples`` then stay empty): every
    #: statement of the paper as finished text, the N-Triples lines or the Turtle block.
    text: str = ""
    nested: set[str] = dataclass_field(default_factory=set)


def to_rdflib(term: Term) -> Node:
    """The rdflib term of a term in the light encoding (for graph-building callers)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, tuple):
        lexical, datatype = term
        return Literal(lexical) if datatype is None else Literal(lexical,
                                                                 datatype=URIRef(datatype))
    if term.startswith("_:"):
        return BNode(term[2:])
    return URIRef(term)


class Syntax:
    """How the mapper writes terms. This base class keeps the light encoding (IRIs as
    ``str``, blank nodes as ``"_:label"``, literals as ``(lexical, datatype)``).

    A writer for a line-based syntax (N-Triples, Turtle) passes a subclass that returns
    each term already formatted as text, so the triples it gets are ready to join: the
    text of a person, venue or predicate is then made once, not once per triple. Node
    IRIs and blank nodes must stay ``str`` (they are subjects and dictionary keys).

    ``layout`` names a line-based syntax whose statements the mapper can also write as
    finished text (:meth:`PaperMapper.map_text`): ``"nt"`` (N-Triples: ``s p o .``
    lines) or ``"ttl"`` (Turtle: ``p o`` lines grouped by subject, a predicate's
    consecutive objects as one object list, ``a`` for ``rdf:type``, lists folded into
    ``( ... )`` when used once, the DBLP signatures inline as ``[ ... ]``); None for
    neither.
    """

    layout: str | None = None
    #: Whether :meth:`PaperMapper.map` gives a person's description as the one triple
    #: ``(node, DESCRIBED, pairs)`` (the cached ``(predicate, object)`` pairs, the same
    #: object whenever the person is described) and a DBLP signature as the one triple
    #: ``(signature, SIGNED, pairs)``, for a writer that formats such a node at once
    #: (JSON-LD); each stands for the triples ``(node, predicate, object)`` of its pairs.
    #: The cells of a list folded into ``lists`` are then left out of the triples.
    grouped: bool = False

    def iri(self, iri: str) -> str:
        """A node IRI (always absolute, valid: minted, checked or a vocabulary term)."""
        return iri

    def predicate(self, iri: str) -> str:
        """A predicate IRI."""
        return self.iri(iri)

    def literal(self, text: str) -> Term:
        """A plain string literal (``text`` holds no lone surrogate)."""
        return (text, None)

    def typed(self, text: str, datatype: str) -> Term:
        """A typed literal."""
        return (text, datatype)


_LIGHT = Syntax()
#: The pseudo-predicates of :attr:`Syntax.grouped` (no syntax writes a predicate so).
DESCRIBED: Final = "\x00described"
SIGNED: Final = "\x00signed"

#: What is cached of a person whatever the cluster: the signature name literal, whether
#: it had characters replaced, the person's part of the text a paper digest hashes, the
#: (predicate, object) pairs of the person's description, whether any of those had
#: characters replaced, a BLAKE2b state fed the text a person IRI hashes up to the
#: cluster's part (None when the IRI does not hash the cluster: an ORCID iD or a
#: homonym number), the person, and the description as text for the syntax's ``layout`` (empty for
#: none): N-Triples lines cut before each subject (``node.join`` of them is the text),
#: or the Turtle lines after the subject (one string), and the formatted node when the
#: IRI does not depend on the cluster (a DBLP homonym number or an ORCID iD), else None.
_Parts = tuple[Term, bool, str, tuple[tuple[str, Term], ...], bool, "blake2b | None",
               Person, tuple[str, ...], str | None]
#: A person in the current cluster: the formatted node, then the :data:`_Parts`.
_Entry = tuple[str, Term, bool, str, tuple[tuple[str, Term], ...], bool,
               "blake2b | None", Person, tuple[str, ...], str | None]
_HASHER: Final = 5  # in _Parts
_PERSON: Final = 6
_FIXED_NODE: Final = 8
_ENTRY_NAME: Final = 1  # in _Entry: one more than in _Parts
_ENTRY_LOSSY: Final = 2
_ENTRY_HASHED: Final = 3
_ENTRY_DESCRIPTION: Final = 4
_ENTRY_DESC_LOSSY: Final = 5
_ENTRY_PERSON: Final = 7
_ENTRY_TEXT: Final = 8

#: A venue's link for papers of one CSL type, for :meth:`PaperMapper.map_text`: the
#: venue, the CSL type, the venue's node, the link statements as text for the layout
#: (cut before each subject for N-Triples), the BIBO and schema.org container classes.
_VenueText = tuple[Venue, str, str, tuple[str, ...], str, str]

#: Caches of formatted terms (literals, venue and publisher IRIs, the current cluster's
#: people) are emptied when they reach this size, so memory stays flat on any input.
_CACHE_LIMIT = 4_096
#: Literals up to this length are cached (longer ones rarely recur).
_CACHED_TEXT = 120



def _chunk(node: str, text: str) -> str:
    """The Turtle statement of a subject other than the paper, in a paper's block:
    ``text`` is its lines (predicates and objects)."""
    return f"\n{node} {text} .\n"


def _ttl_join(pairs: list[tuple[str, Term]] | tuple[tuple[str, Term], ...]) -> str:
    """(predicate, object) text of one subject as the lines of its Turtle statement
    (joined by ``" ;\n    "``), a predicate's consecutive objects as one object list."""
    groups: list[str] = []
    last = ""
    for pred, obj in pairs:
        if pred == last:
            groups[-1] += f", {obj}"
        else:
            groups.append(f"{pred} {obj}")
            last = pred
    return " ;\n    ".join(groups)

class PaperMapper:
    """Turns papers into triples in the chosen vocabularies, terms written by ``syntax``.

    ``xml_safe`` replaces the characters XML 1.0 cannot hold (for RDF/XML). ``seen``
    bounds the set of shared nodes (people, venues, clusters, publishers) already
    described, so a stream does not repeat their descriptions; it is cleared when
    full, which at worst repeats a description (harmless: an RDF graph is a set).
    The formatted IRIs of people, venues and clusters are cached the same way, since
    the same few recur paper after paper.
    """

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI, vocab: str = "bibo",
                 xml_safe: bool = False, seen_limit: int = 20_000,
                 syntax: Syntax = _LIGHT) -> None:
        if vocab not in VOCABS:
            raise OptionError(f"vocab must be one of {', '.join(VOCABS)}, not {vocab!r}")
        self.minter = Minter(base_iri)
        self.bibo = vocab in ("bibo", "bibo+schema")
        self.schema = vocab in ("schema", "bibo+schema")
        self.xml_safe = xml_safe
        self.syntax = syntax
        self._seen: set[str] = set()
        # How many times the seen set was emptied: a paper's text path checks whether
        # it was during the paper (a shared node may then be described twice).
        self._clears = 0
        self._seen_limit = seen_limit
        self._papers = U56Set()
        self._repeats: dict[int, int] = {}
        # id(person) -> the person's _Entry, for the current cluster only (a person's
        # IRI depends on it): emptied when the cluster changes, so it stays small.
        self._people_cache: dict[int, _Entry] = {}
        # id(person) -> the person's _Parts, whatever the cluster.
        self._person_parts: dict[int, _Parts] = {}
        self._venue_iri: dict[tuple[Venue, str], str] = {}
        self._org_iri: dict[str, str] = {}
        self._cluster_key: Cluster | None = None
        self._cluster_value = ""
        self._cluster_joined = ""
        self._cluster_bytes = b""
        self._iris: dict[str, str] = {}
        self._literals: dict[str, Term] = {}
        self._types: dict[str, Term] = {}
        self._dates: dict[tuple[int, int | None, int | None], tuple[Term, bool]] = {}
        self._ordinals: list[Term] = []
        self._paper_base = f"{self.minter.base}paper/"
        self._person_base = f"{self.minter.base}person/"
        predicate = syntax.predicate
        # Every predicate and class, formatted once.
        self.p = {name: predicate(iri) for name, iri in _PREDICATES.items()}
        self.nil = syntax.iri(RDF_NIL)
        # The one-value fields _fields writes, in order, with their predicates.
        self._simple = tuple((field, tuple(self.p[prop] for prop, used in (
            (bibo_prop, self.bibo), (schema_prop, self.schema)) if used))
            for field, bibo_prop, schema_prop in _SIMPLE_FIELDS)
        self._own = tuple((field, self.p[prop]) for field, prop in _OWN_FIELDS)
        # For map_text: each predicate with the spacing of its layout (N-Triples: the
        # line is subject + " p " + object + " .\n"; Turtle: "p " + object), and the
        # text cached per CSL type (class and type statements), date and venue link.
        self._nt = syntax.layout == "nt"
        self._pt = {name: f" {pred} " if self._nt else f"{pred} "
                    for name, pred in self.p.items()}
        self._title_pt = tuple(self._pt[name] for name, used in (
            ("dc:title", self.bibo), ("s:name", self.schema)) if used)
        self._keyword_pt = tuple(self._pt[name] for name, used in (
            ("dc:subject", self.bibo), ("s:keywords", self.schema)) if used)
        self._simple_pt = tuple((field, tuple(self._pt[prop] for prop, used in (
            (bibo_prop, self.bibo), (schema_prop, self.schema)) if used))
            for field, bibo_prop, schema_prop in _SIMPLE_FIELDS)
        self._own_pt = tuple((field, self._pt[prop]) for field, prop in _OWN_FIELDS)
        self._heads: dict[str, tuple[str, ...]] = {}
        # Keyed by id(date) and checked by identity, like the people: readers share one
        # Date object per date, and an int key needs no tuple built nor hashed per paper.
        self._issued_text: dict[int, tuple[Date, tuple[str, ...], bool]] = {}
        # id(date) -> (the date, its iso()) for _digest: Date.iso() formats three ints.
        self._iso: dict[int, tuple[Date, str]] = {}
        self._venue_text: dict[int, _VenueText] = {}
        self._venue_joined: dict[int, tuple[Venue, str]] = {}
        self._nt_pos: list[tuple[str, ...]] = []
        # Turtle: each position's signature text up to the creator (_ttl_positions),
        # the text before the signatures and between a creator and its name.
        self._ttl_pos: list[str] = []
        self._ttl_has = f"{self.p['hasSignature']} "
        self._ttl_sig_name = f" ;\n            {self.p['signatureDblpName']} "
        self._foaf_person = syntax.iri(_FOAF + "Person")
        self._schema_person = syntax.iri(_S + "Person")
        # What syntax.iri puts before and after a minted digest, when that is all it
        # does to one (every syntax here): minted nodes are then formatted by a concat.
        self._paper_affixes = _affixes(syntax, self._paper_base)
        self._person_affixes = _affixes(syntax, self._person_base)

    # -- literals -----------------------------------------------------------------

    def _clean(self, changed: set[str], field: str, value: str) -> str:
        """The value with characters no serialisation can hold replaced (reported)."""
        if not self.xml_safe and value.isascii():
            return value  # the common case: nothing to replace, no regex scan
        clean = _SURROGATES.sub("\ufffd", value)
        if self.xml_safe:
            clean = _XML_INVALID.sub("\ufffd", clean)
        if clean != value:
            changed.add(field)
            return clean
        return value

    def _text(self, changed: set[str], field: str, value: str) -> Term:
        """A plain literal of the cleaned value.

        Short values that needed no cleaning (names, venues, keywords: they recur paper
        after paper) are formatted once and remembered, in a bounded cache.
        """
        if len(value) > _CACHED_TEXT:  # abstracts, long titles: never cached
            return self.syntax.literal(self._clean(changed, field, value))
        literal = self._literals.get(value)
        if literal is not None:
            return literal
        clean = self._clean(changed, field, value)
        literal = self.syntax.literal(clean)
        if clean is value:
            if len(self._literals) >= _CACHE_LIMIT:
                self._literals.clear()
            self._literals[value] = literal
        return literal

    def _iri(self, iri: str) -> str:
        """A vocabulary IRI used as a node (a class), formatted once."""
        text = self._iris.get(iri)
        if text is None:
            text = self._iris[iri] = self.syntax.iri(iri)
        return text

    def _ordinal(self, position: int) -> Term:
        ordinals = self._ordinals
        while len(ordinals) <= position:
            ordinals.append(self.syntax.typed(str(len(ordinals)), XSD_INTEGER))
        return ordinals[position]

    def _first_time(self, node: str) -> bool:
        if node in self._seen:
            return False
        if len(self._seen) >= self._seen_limit:
            self._seen.clear()
            self._clears += 1
        self._seen.add(node)
        return True

    def _unique(self, digest: str) -> str:
        """The digest, with ``-2``, ``-3``, ... for repeats of an identical paper.

        Identical records are kept apart (nothing is lost silently), and since they are
        identical, which one is "first" does not depend on the input order. The first 56
        bits of each paper's digest are remembered, in about 6.6 bytes
        (:class:`~bibconv.u64set.U56Set`); two different papers share them with a chance
        of about one in 140,000 in a million-paper run (the second would get ``-2``).
        """
        key = int(digest[:14], 16)
        if self._papers.add(key):
            return digest
        count = self._repeats.get(key, 1) + 1
        self._repeats[key] = count
        return f"{digest}-{count}"

    # -- the mapping --------------------------------------------------------------

    def triples(self, paper: Paper, reporter: Reporter | None = None) -> list[Triple]:
        """Every triple describing one paper, including shared nodes not described yet."""
        return self.map(paper, reporter).triples

    def map(self, paper: Paper, reporter: Reporter | None = None) -> Mapped:
        """One paper's triples and lists; characters that had to be replaced are reported."""
        return self._map(paper, reporter)

    def map_text(self, paper: Paper, reporter: Reporter | None = None) -> Mapped:
        """:meth:`map` for a syntax with a ``layout``: every statement comes as finished
        text in ``text`` (N-Triples lines, or the paper's Turtle block: one statement
        per subject, consecutive objects of a predicate as one object list, lists folded
        into ``( ... )`` when used once, signatures inline as ``[ ... ]``); ``triples``,
        ``lists``, ``cells`` and ``nested`` stay empty. The same statements in the same
        order as :meth:`map` gives, the same shared nodes described, the same
        characters reported."""
        if self.syntax.layout is None:
            raise ValueError("map_text needs a syntax with a layout (N-Triples or Turtle)")
        return self._map_text(paper, reporter)

    def _map(self, paper: Paper, reporter: Reporter | None) -> Mapped:
        emit = Mapped([], {}, set(), set())
        add = emit.triples.append
        changed = emit.changed
        p = self.p
        cluster_node = self._cluster_node(paper.cluster)
        authors = self._entries(paper.author, paper.cluster) if paper.author else []
        editors = self._entries(paper.editor, paper.cluster) if paper.editor else []
        digest = self._unique(self._digest(paper, authors, editors))
        affixes = self._paper_affixes
        subject = (self.syntax.iri(self._paper_base + digest) if affixes is None
                   else affixes[0] + digest + affixes[1])
        bibo_cls, schema_cls = _CLASSES.get(paper.type, _DEFAULT_CLASSES)
        if self.bibo:
            add((subject, p["type"], self._iri(bibo_cls)))
        if self.schema:
            add((subject, p["type"], self._iri(schema_cls)))
        csl_type = self._types.get(paper.type)
        if csl_type is None:
            csl_type = self._types[paper.type] = self.syntax.literal(paper.type)
        add((subject, p["cslType"], csl_type))
        title = self._text(changed, "title", paper.title)
        if self.bibo:
            add((subject, p["dc:title"], title))
        if self.schema:
            add((subject, p["s:name"], title))
        if paper.issued is not None:
            self._issued(emit, subject, paper.issued)
        if paper.author:
            self._people(emit, subject, digest, authors, "author")
        if paper.editor:
            self._people(emit, subject, digest, editors, "editor")
        if paper.venue is not None:
            self._venue(emit, subject, paper)
        self._fields(emit, subject, paper)
        if paper.cluster is not None:
            self._cluster(emit, subject, cluster_node, paper.cluster)
        if reporter is not None and changed:
            _report(paper, changed, reporter)
        return emit

    def _map_text(self, paper: Paper, reporter: Reporter | None) -> Mapped:
        """:meth:`_map` as text: N-Triples lines, or the Turtle block (one statement per
        subject, the paper's first), in ``text``. The paper's own statements are made
        from cached text (predicates with their spacing, the head of each CSL type, each
        date, each venue link); what is rare (a shared node described the first time, a
        publisher) comes from the reference methods' triples, formatted in place."""
        emit = Mapped([], {}, set(), set())
        changed = emit.changed
        pt = self._pt
        nt = self._nt
        cluster = paper.cluster
        if cluster is not None and cluster is self._cluster_key:
            cluster_node = self._cluster_value  # the same cluster as the last paper's
        else:
            cluster_node = self._cluster_node(cluster)
        authors = self._entries(paper.author, cluster) if paper.author else []
        editors = self._entries(paper.editor, cluster) if paper.editor else []
        digest = self._unique(self._digest(paper, authors, editors))
        affixes = self._paper_affixes
        subject = (self.syntax.iri(self._paper_base + digest) if affixes is None
                   else affixes[0] + digest + affixes[1])
        # Each statement about the paper is S + predicate text + object + E: a whole
        # N-Triples line, or a Turtle "p o" line (joined by " ;\n    " at the end).
        if nt:
            S, E = subject, " .\n"
        else:
            S, E = "", ""
        lines: list[str] = []  # the paper's (N-Triples: every line, in order)
        # Turtle: other subjects' statements, in order, one chunk per subject unless the
        # seen set is emptied during the paper (checked at the end), each finished
        # ("\n{node} {lines} .\n", see _chunk) so the block is one plain join.
        chunks: list[str] = []
        clears = self._clears
        add = lines.append
        head = self._heads.get(paper.type)
        if head is None:
            head = self._head(paper.type)
        add(S.join(head))
        # Titles seldom recur: formatted without the literal cache (which they would
        # only fill, pushing out the names that do recur).
        title = self.syntax.literal(self._clean(changed, "title", paper.title))
        for pred in self._title_pt:
            add(f"{S}{pred}{title}{E}")
        if paper.issued is not None:
            issued = paper.issued
            cached = self._issued_text.get(id(issued))
            if cached is None or cached[0] is not issued:
                cached = self._new_issued_text(issued)
            if cached[2]:
                changed.add("issued")
            add(S.join(cached[1]))
        if nt:
            if authors:
                self._people_nt(emit, lines, subject, digest, authors, "author")
            if editors:
                self._people_nt(emit, lines, subject, digest, editors, "editor")
        else:
            if authors:
                self._people_ttl(emit, lines, chunks, digest, authors, "author")
            if editors:
                self._people_ttl(emit, lines, chunks, digest, editors, "editor")
        venue = paper.venue
        if venue is not None:
            link = self._venue_text.get(id(venue))
            if link is None or link[0] is not venue or link[1] != paper.type:
                link = self._new_venue_text(venue, paper.type)
            add(S.join(link[3]))
            node = link[2]
            seen = self._seen
            if node not in seen:
                if len(seen) >= self._seen_limit:  # _first_time, inlined
                    seen.clear()
                    self._clears += 1
                seen.add(node)
                side = Mapped([], emit.lists, emit.cells, changed)
                self._venue_description(side, node, venue, link[4], link[5])
                self._side(side.triples, subject, lines, chunks)
        self._fields_text(emit, subject, paper, lines, chunks)
        if cluster is not None:
            if nt:
                add(f"{cluster_node}{pt['clusterPaper']}{subject} .\n")
                add(f"{subject}{pt['inCluster']}{cluster_node} .\n")
                if self._first_time(cluster_node):
                    side = Mapped([], emit.lists, emit.cells, changed)
                    self._cluster_description(side, cluster_node, cluster)
                    self._side(side.triples, subject, lines, chunks)
            else:
                linked = f"{pt['clusterPaper']}{subject}"
                add(f"{pt['inCluster']}{cluster_node}")
                if self._first_time(cluster_node):
                    side = Mapped([], emit.lists, emit.cells, changed)
                    self._cluster_description(side, cluster_node, cluster)
                    # The cluster's link and description: one chunk of its subject.
                    linked += " ;\n    " + _ttl_join([(p, o) for _, p, o in side.triples])
                chunks.append(f"\n{cluster_node} {linked} .\n")
        if nt:
            emit.text = "".join(lines)
        else:
            if clears != self._clears:
                # The seen set was emptied during the paper: a shared node may have been
                # described twice, and a subject's chunks go together. (Plainly joined:
                # a description starts with rdf:type and never ends with it, so no
                # object list spans two chunks.)
                # Rare: the chunks are taken apart again (a node's text holds no space).
                groups: dict[str, str] = {}
                for chunk in chunks:
                    node = chunk[1:chunk.index(" ")]
                    text = chunk[len(node) + 2:-3]
                    found = groups.get(node)
                    groups[node] = text if found is None else f"{found} ;\n    {text}"
                chunks = [_chunk(node, text) for node, text in groups.items()]
            emit.text = "".join([f"\n{subject} ", " ;\n    ".join(lines), " .\n", *chunks])
        if reporter is not None and changed:
            _report(paper, changed, reporter)
        return emit

    def _side(self, triples: list[Triple], subject: str, lines: list[str],
              chunks: list[str]) -> None:
        """Triples of the reference methods (terms formatted) added to a text paper: as
        N-Triples lines, or as Turtle lines of the paper or chunks of other subjects."""
        if not triples:
            return
        if self._nt:
            lines.append(" .\n".join(map(" ".join, triples)) + " .\n")  # type: ignore[arg-type]
            return
        # One chunk per subject other than the paper (the nodes described here are
        # described nowhere else in the paper, unless the seen set was emptied).
        own: list[tuple[str, Term]] = []
        others: dict[str, list[tuple[str, Term]]] = {}
        for s, p, o in triples:
            if s == subject:
                own.append((p, o))
            else:
                found = others.get(s)
                if found is None:
                    others[s] = [(p, o)]
                else:
                    found.append((p, o))
        if own:
            lines.append(_ttl_join(own))
        chunks += [_chunk(s, _ttl_join(run)) for s, run in others.items()]

    def _head(self, csl: str) -> tuple[str, ...]:
        """The text of a paper's class and CSL type statements, cut before each subject
        (N-Triples: ``subject.join`` of it is the text) or joined (Turtle)."""
        p = self.p
        bibo_cls, schema_cls = _CLASSES.get(csl, _DEFAULT_CLASSES)
        csl_type = self._types.get(csl)
        if csl_type is None:
            csl_type = self._types[csl] = self.syntax.literal(csl)
        pairs: list[tuple[str, Term]] = []
        if self.bibo:
            pairs.append((p["type"], self._iri(bibo_cls)))
        if self.schema:
            pairs.append((p["type"], self._iri(schema_cls)))
        pairs.append((p["cslType"], csl_type))
        head = self._pairs_text(pairs)
        if len(self._heads) >= _CACHE_LIMIT:
            self._heads.clear()
        self._heads[csl] = head
        return head

    def _pairs_text(self, pairs: list[tuple[str, Term]]) -> tuple[str, ...]:
        """(predicate, object) pairs of one subject as text for the layout: N-Triples
        lines cut before each subject (``subject.join`` gives them), or the Turtle lines
        joined, consecutive objects of a predicate as one object list (one string;
        ``"".join`` of it is itself)."""
        if self._nt:
            return ("", *[f" {pred} {obj} .\n" for pred, obj in pairs])
        return (_ttl_join(pairs),)

    def _in_both(self, bibo_pred: str, schema_pred: str, term: Term) -> list[tuple[str, Term]]:
        """One statement's (predicate, object) pairs in the vocabularies being written."""
        pairs: list[tuple[str, Term]] = []
        if self.bibo:
            pairs.append((self.p[bibo_pred], term))
        if self.schema:
            pairs.append((self.p[schema_pred], term))
        return pairs

    def _new_issued_text(self, issued: Date) -> tuple[Date, tuple[str, ...], bool]:
        term, lossy = self._issued_term(issued)
        cached = (issued, self._pairs_text(self._in_both("dc:issued", "s:datePublished", term)),
                  lossy)
        if len(self._issued_text) >= _CACHE_LIMIT:
            self._issued_text.clear()
        self._issued_text[id(issued)] = cached
        return cached

    def _new_iso(self, issued: Date) -> tuple[Date, str]:
        cached = (issued, issued.iso())
        if len(self._iso) >= _CACHE_LIMIT:
            self._iso.clear()
        self._iso[id(issued)] = cached
        return cached

    def _new_venue_text(self, venue: Venue, csl: str) -> _VenueText:
        """A venue's node and link text for papers of one CSL type, cached by identity."""
        bibo_cls, schema_cls = _TYPE_CONTAINERS.get(
            csl, _KIND_CONTAINERS.get(venue.kind or "", _DEFAULT_CONTAINER))
        node = self._venue_node(venue, bibo_cls)
        links = self._pairs_text(self._in_both("dc:isPartOf", "s:isPartOf", node))
        cached = (venue, csl, node, links, bibo_cls, schema_cls)
        if len(self._venue_text) >= _CACHE_LIMIT:
            self._venue_text.clear()
        self._venue_text[id(venue)] = cached
        return cached

    def _issued(self, emit: Mapped, subject: str, issued: Date) -> None:
        term, lossy = self._issued_term(issued)
        if lossy:
            emit.changed.add("issued")
        if self.bibo:
            emit.triples.append((subject, self.p["dc:issued"], term))
        if self.schema:
            emit.triples.append((subject, self.p["s:datePublished"], term))

    def _issued_term(self, issued: Date) -> tuple[Term, bool]:
        """The literal of a date, and whether its month or day was impossible."""
        key = (issued.year, issued.month, issued.day)
        cached = self._dates.get(key)
        if cached is None:
            literal = date_literal(issued)
            lossy = literal is None
            if literal is None:
                # An impossible month/day: keep the year, which is certainly meant.
                literal = date_literal(Date(issued.year))
            assert literal is not None
            lexical, datatype = literal
            assert datatype is not None
            if len(self._dates) >= _CACHE_LIMIT:
                self._dates.clear()
            cached = self._dates[key] = (self.syntax.typed(lexical, datatype), lossy)
        return cached

    def _cluster_node(self, cluster: Cluster | None) -> str:
        """The formatted node of a paper's cluster ("" for none). The last cluster is
        remembered (papers arrive cluster by cluster), with the cluster's part of the
        text hashed for person IRIs."""
        if cluster is None:
            if self._cluster_key is not None:
                self._cluster_key = None
                self._people_cache.clear()
            return ""
        if cluster is not self._cluster_key and cluster != self._cluster_key:
            self._cluster_key = cluster
            self._people_cache.clear()
            joined = "\x1f".join(["\x00" if p is None else p for p in _cluster_parts(cluster)])
            self._cluster_value = self.syntax.iri(self.minter.cluster(cluster))
            self._cluster_joined = joined
            self._cluster_bytes = joined.encode("utf-8", "surrogatepass")
        return self._cluster_value

    def _person_entry(self, person: Person, cluster: Cluster | None) -> _Entry:
        """A person's entry for the current cluster: the formatted node followed by the
        person's :data:`_Parts`, which do not depend on the cluster and come from a
        second, global cache. Both caches are keyed by ``id(person)`` (readers share one
        object per name) and check the object they hold: a ``Person`` hashes in Python,
        several times slower than an int, and an equal but distinct object is only a
        cache miss that makes the same entry again."""
        parts = self._person_parts.get(id(person))
        if parts is None or parts[_PERSON] is not person:
            parts = self._new_person_parts(person)
        hasher = parts[_HASHER]
        fixed = parts[_FIXED_NODE]
        if fixed is not None:
            node = fixed  # the same node in every cluster
        elif hasher is None or cluster is None:
            node = self.syntax.iri(self.minter.person(person, cluster))
        else:
            # Minter.person's hash: the person's part fed once, the cluster's added here;
            # formatted as syntax.iri formats it (by a concat when __init__ found it can).
            hasher = hasher.copy()
            hasher.update(self._cluster_bytes)
            affixes = self._person_affixes
            node = (self.syntax.iri(self._person_base + hasher.hexdigest()) if affixes is None
                    else affixes[0] + hasher.hexdigest() + affixes[1])
        entry = (node, *parts)
        if len(self._people_cache) >= _CACHE_LIMIT:
            self._people_cache.clear()
        self._people_cache[id(person)] = entry
        return entry

    def _new_person_parts(self, person: Person) -> _Parts:
        """What of a person's entry does not depend on the cluster: the signature name,
        whether it had characters replaced, the person's part of the text
        :func:`paper_digest` hashes, the description (predicates and objects, and
        whether any had characters replaced), a BLAKE2b state fed the text
        :meth:`Minter.person` hashes up to the cluster's part (None when the person's
        IRI is an ORCID iD or hashes a homonym number, not the cluster), and the
        person."""
        name_text = "\x1f".join(["\x00" if p is None else p for p in (
            person.family, person.given, person.particle, person.dropping_particle,
            person.suffix, person.literal)])
        display = person.display_name
        changed: set[str] = set()
        text = self._text
        signed = f"{display} {person.homonym}" if person.homonym else display
        name = self._literals.get(signed)  # _text's cache looked up first
        if name is None:
            name = text(changed, "author", signed)
        lossy = bool(changed)
        ids = "\x1f".join(["\x00" if p is None else p for p in (person.homonym, person.orcid)])
        shown = name if signed is display else self._literals.get(display)
        if shown is None:
            shown = text(changed, "author", display)
        description = self._describe_person(person, shown, changed)
        # The text Minter.person hashes, up to the cluster's part (added per cluster);
        # or, when it hashes no cluster, the node itself, made once: a homonym number's
        # hash from name_text as Minter.person hashes it (most people with a number
        # are met in one cluster only, so this is their one hashing).
        hasher = None
        fixed: str | None = None
        orcid, homonym = person.orcid, person.homonym
        if orcid and _ORCID.match(orcid):
            fixed = self.syntax.iri(self.minter.person(person, None))
        elif homonym:
            digest = blake2b(f"homonym\x1f{homonym}\x1f{name_text}".encode(
                "utf-8", "surrogatepass"), digest_size=16).hexdigest()
            affixes = self._person_affixes
            fixed = (self.syntax.iri(self._person_base + digest) if affixes is None
                     else affixes[0] + digest + affixes[1])
        elif not orcid:
            hasher = blake2b(f"name\x1f{name_text}\x1f".encode("utf-8", "surrogatepass"),
                                     digest_size=16)
        layout = self.syntax.layout
        described: tuple[str, ...] = ()
        if layout == "nt":
            # node.join: "" node " p1 o1 .\n" node " p2 o2 .\n" ...
            described = ("", *[f" {pred} {obj} .\n" for pred, obj in description])
        elif layout == "ttl":
            described = (_ttl_join(description),)
        parts = (name, lossy, f"{name_text}\x1f{ids}", description, bool(changed), hasher,
                 person, described, fixed)
        if len(self._person_parts) >= _CACHE_LIMIT:
            self._person_parts.clear()
        self._person_parts[id(person)] = parts
        return parts

    def _entries(self, people: tuple[Person, ...], cluster: Cluster | None) -> list[_Entry]:
        """The people's entries for the current cluster. A person met first in this
        cluster whose parts are cached and whose IRI hashes the cluster (most of them)
        gets its entry here: :meth:`_person_entry`, inlined."""
        cache = self._people_cache
        get = cache.get
        parts_get = self._person_parts.get
        affixes = self._person_affixes
        # The inlined path needs the affixes and a cluster: decided once, not per person.
        fast = affixes is not None and cluster is not None
        before, after = affixes if affixes is not None else ("", "")
        cluster_bytes = self._cluster_bytes
        entries: list[_Entry] = []
        add = entries.append
        for person in people:
            key = id(person)
            entry = get(key)
            if entry is None or entry[_ENTRY_PERSON] is not person:
                parts = parts_get(key)
                if (not fast or parts is None or parts[_PERSON] is not person
                        or (hasher := parts[_HASHER]) is None):
                    entry = self._person_entry(person, cluster)
                else:
                    hasher = hasher.copy()
                    hasher.update(cluster_bytes)
                    # A tuple concatenation: one C call, cheaper than (node, *parts).
                    entry = (before + hasher.hexdigest() + after,) + parts  # noqa: RUF005
                    if len(cache) >= _CACHE_LIMIT:
                        cache.clear()
                    cache[key] = entry
            add(entry)
        return entries

    def _digest(self, paper: Paper, authors: list[_Entry], editors: list[_Entry]) -> str:
        """:func:`paper_digest` (the same text hashed), with each person's part joined
        once per cluster rather than once per paper."""
        # _paper_parts, each None as "\x00", without the intermediate lists: the venue's
        # part is joined once per venue, the cluster's once per cluster.
        venue = paper.venue
        if venue is None:
            venue_text = ""
        else:
            cached = self._venue_joined.get(id(venue))
            if cached is None or cached[0] is not venue:
                cached = self._new_venue_joined(venue)
            venue_text = cached[1]
        issued = paper.issued
        if issued is None:
            iso = "\x00"
        else:
            dated = self._iso.get(id(issued))
            if dated is None or dated[0] is not issued:
                dated = self._new_iso(issued)
            iso = dated[1]
        v: str | None
        pieces = [
            "\x00" if (v := paper.type) is None else v,
            "\x00" if (v := paper.title) is None else v,
            iso,
            "\x00" if (v := paper.volume) is None else v,
            "\x00" if (v := paper.issue) is None else v,
            "\x00" if (v := paper.page) is None else v,
            "\x00" if (v := paper.publisher) is None else v,
            "\x00" if (v := paper.publisher_place) is None else v,
            "\x00" if (v := paper.doi) is None else v,
            "\x00" if (v := paper.url) is None else v,
            "\x00" if (v := paper.isbn) is None else v,
            "\x00" if (v := paper.issn) is None else v,
            "\x00" if (v := paper.abstract) is None else v,
            "\x00" if (v := paper.language) is None else v,
            "\x00" if (v := paper.note) is None else v,
            "\x00" if (v := paper.genre) is None else v,
            "\x00" if (v := paper.id) is None else v,
            "\x00" if (v := None if (extra := paper.extra) is _NO_EXTRA or not extra
                        else _extra_json(paper)) is None else v,
            "\x1e".join(paper.keywords), venue_text,
            self._cluster_joined if paper.cluster is not None else "", "author",
        ]
        if authors:
            pieces += [entry[_ENTRY_HASHED] for entry in authors]
        pieces.append("editor")
        if editors:
            pieces += [entry[_ENTRY_HASHED] for entry in editors]
        return blake2b("\x1f".join(pieces).encode("utf-8", "surrogatepass"),
                               digest_size=16).hexdigest()  # _digest_text, inlined

    def _new_venue_joined(self, venue: Venue) -> tuple[Venue, str]:
        """A venue's part of the text a paper digest hashes, cached by identity."""
        cached = (venue, "\x1f".join(["\x00" if p is None else p for p in _venue_parts(venue)]))
        if len(self._venue_joined) >= _CACHE_LIMIT:
            self._venue_joined.clear()
        self._venue_joined[id(venue)] = cached
        return cached

    def _people(self, emit: Mapped, subject: str, digest: str, entries: list[_Entry],
                role: str) -> None:
        """The links to a paper's authors (or editors), the descriptions of those not
        described yet, the ordered list and, for authors, the DBLP signatures."""
        triples = emit.triples
        add, extend = triples.append, triples.extend
        p = self.p
        bibo, schema = self.bibo, self.schema
        seen = self._seen
        link = p["dc:creator"] if role == "author" else p["editor"]
        lossy = False
        grouped = self.syntax.grouped
        for entry in entries:
            node = entry[0]
            if bibo:
                add((subject, link, node))
            if node not in seen and self._first_time(node):
                # A person's description, the first time the node is met.
                if grouped:
                    add((node, DESCRIBED, cast(Term, entry[_ENTRY_DESCRIPTION])))
                else:
                    for pred, obj in entry[_ENTRY_DESCRIPTION]:
                        add((node, pred, obj))
                if entry[_ENTRY_DESC_LOSSY]:
                    lossy = True
        nodes = [entry[0] for entry in entries]
        # The ordered list: rdf:List cells get blank-node labels derived from the paper,
        # so the output is deterministic (golden files) and never clashes across papers.
        label = f"_:b{digest}{role[0]}"
        cells = [f"{label}{i}" for i in range(1, len(nodes) + 1)]
        rests = cells[1:]
        rests.append(self.nil)
        head = cells[0]
        folded = not (bibo and schema)
        if not (grouped and folded):
            # (A grouped syntax's writer leaves a folded list's cells out: not given.)
            first, rest = p["first"], p["rest"]
            for i, cell in enumerate(cells):
                extend(((cell, first, nodes[i]), (cell, rest, rests[i])))
        if folded:
            # Foldable into Turtle's ( ... ) / JSON-LD's @list only when used once: each
            # fold makes a list of its own, so with both vocabularies (two links to one
            # list) the cells are written out and the head is linked by its label.
            emit.lists[head] = nodes
            emit.cells.update(cells)
        if bibo:
            add((subject, p["authorList"] if role == "author" else p["editorList"], head))
        if schema:
            add((subject, p["s:author"] if role == "author" else p["s:editor"], head))
        if role == "author" and bibo:
            has, typ, ordinal = p["hasSignature"], p["type"], p["signatureOrdinal"]
            creator, dblp_name = p["signatureCreator"], p["signatureDblpName"]
            sig_class = self._iri(_DBLP + "AuthorSignature")
            ordinals = self._ordinals
            if len(ordinals) <= len(entries):
                self._ordinal(len(entries))
            label = f"_:b{digest}s"
            # Each signature is the object of its hasSignature triple only: Turtle writes
            # it inline, without its label.
            nested = emit.nested
            for position, entry in enumerate(entries, start=1):
                sig = f"{label}{position}"
                if grouped:
                    extend(((subject, has, sig), (sig, SIGNED, cast(Term, (
                        (typ, sig_class), (ordinal, ordinals[position]),
                        (creator, entry[0]), (dblp_name, entry[_ENTRY_NAME]))))))
                else:
                    extend(((subject, has, sig), (sig, typ, sig_class),
                            (sig, ordinal, ordinals[position]), (sig, creator, entry[0]),
                            (sig, dblp_name, entry[_ENTRY_NAME])))
                nested.add(sig)
                if entry[_ENTRY_LOSSY]:
                    lossy = True
        if lossy:
            emit.changed.add("author")

    def _people_nt(self, emit: Mapped, lines: list[str], subject: str, digest: str,
                   entries: list[_Entry], role: str) -> None:
        """:meth:`_people` as N-Triples lines added to ``lines``: the same triples, in
        the same order. What depends only on a position in the list (the labels' ends,
        the ordinals) is text made once (:meth:`_nt_positions`)."""
        bibo = self.bibo
        seen = self._seen
        seen_limit = self._seen_limit
        add = lines.append
        lossy = False
        count = len(entries)
        positions = self._nt_pos
        if len(positions) <= count:
            self._nt_positions(count)
        link = subject + self._pt["dc:creator" if role == "author" else "editor"] if bibo \
            else None
        named_lossy = False  # a signature name had characters replaced
        for entry in entries:
            node = entry[0]
            if link is not None:
                add(f"{link}{node} .\n")
            if node not in seen:
                if len(seen) >= seen_limit:  # _first_time, inlined
                    seen.clear()
                    self._clears += 1
                seen.add(node)
                add(node.join(entry[_ENTRY_TEXT]))
                if entry[_ENTRY_DESC_LOSSY]:
                    lossy = True
            if entry[_ENTRY_LOSSY]:
                named_lossy = True
        label = f"_:b{digest}{role[0]}"
        last = count - 1
        if last:
            lines += [f"{label}{q[0]}{e[0]} .\n{label}{q[1]}{label}{q[2]}"
                      for e, q in zip(entries[:last], positions[1:count], strict=True)]
        q = positions[count]
        add(f"{label}{q[0]}{entries[last][0]} .\n{label}{q[1]}{self.nil} .\n")
        pt = self._pt
        if bibo:
            add(f"{subject}{pt['authorList' if role == 'author' else 'editorList']}{label}1 .\n")
        if self.schema:
            add(f"{subject}{pt['s:author' if role == 'author' else 's:editor']}{label}1 .\n")
        if role == "author" and bibo:
            has = subject + pt["hasSignature"]
            sig = f"_:b{digest}s"
            lines += [f"{has}{sig}{q[3]}{sig}{q[4]}{sig}{q[5]}{sig}{q[6]}{e[0]} .\n"
                      f"{sig}{q[7]}{e[_ENTRY_NAME]} .\n"
                      for e, q in zip(entries, positions[1:count + 1], strict=True)]
            lossy = lossy or named_lossy
        if lossy:
            emit.changed.add("author")

    def _nt_positions(self, count: int) -> None:
        """The N-Triples text of positions up to ``count`` in a list, each between
        labels: a list cell's ``i <first> `` and ``i <rest> ``, the next cell's
        ``i+1 .\\n``, and an author signature's pieces (``i .\\n``, its class, its
        ordinal, ``i <signatureCreator> ``, ``i <signatureDblpName> ``)."""
        positions = self._nt_pos
        p = self.p
        sig_class = self._iri(_DBLP + "AuthorSignature")
        while len(positions) <= count:
            i = len(positions)
            positions.append((f"{i} {p['first']} ", f"{i} {p['rest']} ", f"{i + 1} .\n",
                              f"{i} .\n", f"{i} {p['type']} {sig_class} .\n",
                              f"{i} {p['signatureOrdinal']} {self._ordinal(i)} .\n",
                              f"{i} {p['signatureCreator']} ",
                              f"{i} {p['signatureDblpName']} "))

    def _people_ttl(self, emit: Mapped, lines: list[str], chunks: list[str],
                    digest: str, entries: list[_Entry], role: str) -> None:
        """:meth:`_people` as Turtle text: the paper's own lines added to ``lines`` (the
        links to the people as one object list, the signatures as one list of nested
        ``[ ... ]`` nodes), one chunk per other subject to ``chunks``, in the order of
        the triples; lists folded into ``( ... )`` unless linked twice (both
        vocabularies)."""
        p = self.p
        bibo, schema = self.bibo, self.schema
        seen = self._seen
        seen_limit = self._seen_limit
        lossy = False
        named_lossy = False  # a signature name had characters replaced
        nodes: list[str] = []
        for entry in entries:
            node = entry[0]
            nodes.append(node)
            if node not in seen:
                if len(seen) >= seen_limit:  # _first_time, inlined
                    seen.clear()
                    self._clears += 1
                seen.add(node)
                chunks.append(f"\n{node} {entry[_ENTRY_TEXT][0]} .\n")  # _chunk, inlined
                if entry[_ENTRY_DESC_LOSSY]:
                    lossy = True
            if entry[_ENTRY_LOSSY]:
                named_lossy = True
        if bibo:
            lines.append(f"{p['dc:creator'] if role == 'author' else p['editor']} "
                         + ", ".join(nodes))
        count = len(entries)
        if bibo and schema:
            label = f"_:b{digest}{role[0]}"
            first, rest = f"{p['first']} ", f" ;\n    {p['rest']} "
            for i in range(1, count):
                chunks.append(_chunk(f"{label}{i}",
                                     f"{first}{nodes[i - 1]}{rest}{label}{i + 1}"))
            chunks.append(_chunk(f"{label}{count}", f"{first}{nodes[count - 1]}{rest}{self.nil}"))
            head = f"{label}1"
        else:
            head = f"( {' '.join(nodes)} )"
        if bibo:
            lines.append(f"{p['authorList'] if role == 'author' else p['editorList']} {head}")
        if schema:
            lines.append(f"{p['s:author'] if role == 'author' else p['s:editor']} {head}")
        if role == "author" and bibo:
            positions = self._ttl_pos
            if len(positions) <= count:
                self._ttl_positions(count)
            name = self._ttl_sig_name
            lines.append(self._ttl_has + ",\n        ".join(
                [f"{q}{e[0]}{name}{e[_ENTRY_NAME]} ]"
                 for e, q in zip(entries, positions[1:count + 1], strict=True)]))
            lossy = lossy or named_lossy
        if lossy:
            emit.changed.add("author")

    def _ttl_positions(self, count: int) -> None:
        """The Turtle text of the signatures of positions up to ``count`` in an author
        list, nested in the paper's statement: ``[``, its class and ordinal, up to the
        creator's node."""
        positions = self._ttl_pos
        p = self.p
        typed = f"[ {p['type']} {self._iri(_DBLP + 'AuthorSignature')} ;\n            "
        ordinal = f"{p['signatureOrdinal']} "
        creator = f" ;\n            {p['signatureCreator']} "
        while len(positions) <= count:
            positions.append(f"{typed}{ordinal}{self._ordinal(len(positions))}{creator}")

    def _describe_person(self, person: Person, name: Term,
                         changed: set[str]) -> tuple[tuple[str, Term], ...]:
        """The (predicate, object) pairs of a person's description (the subject is the
        person's node, which depends on the cluster)."""
        text = self._text
        p = self.p
        pairs: list[tuple[str, Term]] = []
        add = pairs.append
        # _text's cache looked up here first: names recur, and most people have both.
        literals = self._literals
        given: Term | None = None
        if person.given is not None:
            given = literals.get(person.given)
            if given is None:
                given = text(changed, "author", person.given)
        family: Term | None = None
        if person.family is not None:
            family = literals.get(person.family)
            if family is None:
                family = text(changed, "author", person.family)
        if self.bibo:
            add((p["type"], self._foaf_person))
            add((p["foaf:name"], name))
        if self.schema:
            add((p["type"], self._schema_person))
            add((p["s:name"], name))
        if given is not None:
            if self.bibo:
                add((p["foaf:givenName"], given))
            if self.schema:
                add((p["s:givenName"], given))
        if family is not None:
            if self.bibo:
                add((p["foaf:familyName"], family))
            if self.schema:
                add((p["s:familyName"], family))
        if person.particle is not None:
            add((p["particle"], text(changed, "author", person.particle)))
        if person.dropping_particle is not None:
            add((p["droppingParticle"], text(changed, "author", person.dropping_particle)))
        if person.suffix is not None:
            add((p["nameSuffix"], text(changed, "author", person.suffix)))
        if person.literal is not None:
            add((p["literalName"], text(changed, "author", person.literal)))
        if person.homonym is not None:
            add((p["homonym"], text(changed, "author", person.homonym)))
        if person.orcid is not None and not _ORCID.match(person.orcid):
            # Not a well-formed iD: kept as text rather than turned into an IRI.
            add((p["orcid"], text(changed, "author", person.orcid)))
        return tuple(pairs)

    def _venue(self, emit: Mapped, subject: str, paper: Paper) -> None:
        venue = paper.venue
        assert venue is not None
        bibo_cls, schema_cls = _TYPE_CONTAINERS.get(
            paper.type, _KIND_CONTAINERS.get(venue.kind or "", _DEFAULT_CONTAINER))
        node = self._venue_node(venue, bibo_cls)
        add = emit.triples.append
        p = self.p
        if self.bibo:
            add((subject, p["dc:isPartOf"], node))
        if self.schema:
            add((subject, p["s:isPartOf"], node))
        if not self._first_time(node):
            return
        self._venue_description(emit, node, venue, bibo_cls, schema_cls)

    def _venue_node(self, venue: Venue, bibo_cls: str) -> str:
        key = (venue, bibo_cls)
        node = self._venue_iri.get(key)
        if node is None:
            if len(self._venue_iri) >= _CACHE_LIMIT:
                self._venue_iri.clear()
            node = self._venue_iri[key] = self.syntax.iri(self.minter.venue(venue, bibo_cls))
        return node

    def _venue_description(self, emit: Mapped, node: str, venue: Venue, bibo_cls: str,
                           schema_cls: str) -> None:
        add = emit.triples.append
        p = self.p
        changed = emit.changed
        title = self._text(changed, "venue", venue.title)
        if self.bibo:
            add((node, p["type"], self._iri(bibo_cls)))
            add((node, p["dc:title"], title))
        if self.schema:
            add((node, p["type"], self._iri(schema_cls)))
            add((node, p["s:name"], title))
        add((node, p["venueName"], self._text(changed, "venue", venue.name)))
        if venue.container_title is not None:
            add((node, p["containerTitle"],
                 self._text(changed, "venue", venue.container_title)))
        if venue.short is not None:
            short = self._text(changed, "venue", venue.short)
            if self.bibo:
                add((node, p["shortTitle"], short))
            if self.schema:
                add((node, p["s:alternateName"], short))
        if venue.kind is not None:
            add((node, p["venueKind"], self._text(changed, "venue", venue.kind)))
        if venue.issn is not None:
            issn = self._text(changed, "venue", venue.issn)
            if self.bibo:
                add((node, p["issn"], issn))
            if self.schema:
                add((node, p["s:issn"], issn))
        if venue.publisher is not None:
            self._publisher(emit, node, venue.publisher, "venue")

    def _publisher(self, emit: Mapped, subject: str, name: str, field: str) -> None:
        org = self._org_iri.get(name)
        if org is None:
            if len(self._org_iri) >= _CACHE_LIMIT:
                self._org_iri.clear()
            org = self._org_iri[name] = self.syntax.iri(self.minter.organisation(name))
        add = emit.triples.append
        p = self.p
        if self.bibo:
            add((subject, p["dc:publisher"], org))
        if self.schema:
            add((subject, p["s:publisher"], org))
        if not self._first_time(org):
            return
        label = self._text(emit.changed, field, name)
        if self.bibo:
            add((org, p["type"], self._iri(_FOAF + "Organization")))
            add((org, p["foaf:name"], label))
        if self.schema:
            add((org, p["type"], self._iri(_S + "Organization")))
            add((org, p["s:name"], label))

    def _fields(self, emit: Mapped, subject: str, paper: Paper) -> None:
        """The simple one-value fields and keywords."""
        add = emit.triples.append
        changed = emit.changed
        bibo, schema = self.bibo, self.schema
        p = self.p
        text = self._text
        for value, (field, preds) in zip((paper.abstract, paper.volume, paper.issue, paper.page,
                                          paper.doi, paper.isbn, paper.issn, paper.language),
                                         self._simple, strict=False):
            if value is not None:
                literal = text(changed, field, value)
                for pred in preds:
                    add((subject, pred, literal))
        if paper.page is not None and bibo:
            match = _PAGES.match(paper.page)
            if match:
                add((subject, p["pageStart"], self.syntax.literal(match.group(1))))
                add((subject, p["pageEnd"], self.syntax.literal(match.group(2))))
        if paper.url is not None:
            clean = self._clean(changed, "url", paper.url)
            # The exact text always travels as a literal; a link too when it is a valid IRI.
            uri = self.syntax.typed(clean, XSD_ANYURI)
            if bibo:
                add((subject, p["uri"], uri))
            if _is_web_iri(clean):
                link = self.syntax.iri(clean)
                if bibo:
                    add((subject, p["foaf:page"], link))
                if schema:
                    add((subject, p["s:url"], link))
            if schema and not bibo:
                add((subject, p["url"], uri))
        for keyword in paper.keywords:
            literal = self._text(changed, "keywords", keyword)
            if bibo:
                add((subject, p["dc:subject"], literal))
            if schema:
                add((subject, p["s:keywords"], literal))
        for value, (field, pred) in zip((paper.note, paper.genre, paper.id,
                                         paper.publisher_place), self._own, strict=False):
            if value is not None:
                add((subject, pred, text(changed, field, value)))
        if paper.publisher is not None:
            self._publisher(emit, subject, paper.publisher, "publisher")
        if paper.extra:
            extra = _extra_json(paper)
            if extra is None:
                changed.add("extra")
            else:
                add((subject, p["extra"], text(changed, "extra", extra)))

    def _fields_text(self, emit: Mapped, subject: str, paper: Paper, lines: list[str],
                     chunks: list[str]) -> None:
        """:meth:`_fields` as text lines of the paper (and, for a publisher described
        the first time, of other subjects), in the same order."""
        changed = emit.changed
        S, E = (subject, " .\n") if self._nt else ("", "")
        # The abstract (the one field most papers have) first; the other fields are
        # looked at one by one only when one of them is there.
        value = paper.abstract
        if value is not None:
            literal = (self.syntax.literal(self._clean(changed, "abstract", value))
                       if len(value) > _CACHED_TEXT  # _text, inlined for long values
                       else self._text(changed, "abstract", value))
            for pred in self._simple_pt[0][1]:
                lines.append(f"{S}{pred}{literal}{E}")
        values = (paper.volume, paper.issue, paper.page, paper.doi, paper.isbn, paper.issn,
                  paper.language)
        if (values == _NONE7 and paper.url is None and not paper.keywords
                and paper.note is None and paper.genre is None and paper.id is None
                and paper.publisher_place is None and paper.publisher is None
                and paper.extra is _NO_EXTRA):
            return
        add = lines.append
        bibo, schema = self.bibo, self.schema
        pt = self._pt
        text = self._text
        if values != _NONE7:
            for value, (field, preds) in zip(values, self._simple_pt[1:], strict=True):
                if value is not None:
                    literal = text(changed, field, value)
                    for pred in preds:
                        add(f"{S}{pred}{literal}{E}")
        if paper.page is not None and bibo:
            match = _PAGES.match(paper.page)
            if match:
                add(f"{S}{pt['pageStart']}{self.syntax.literal(match.group(1))}{E}")
                add(f"{S}{pt['pageEnd']}{self.syntax.literal(match.group(2))}{E}")
        if paper.url is not None:
            clean = self._clean(changed, "url", paper.url)
            uri = self.syntax.typed(clean, XSD_ANYURI)
            if bibo:
                add(f"{S}{pt['uri']}{uri}{E}")
            if _is_web_iri(clean):
                link = self.syntax.iri(clean)
                if bibo:
                    add(f"{S}{pt['foaf:page']}{link}{E}")
                if schema:
                    add(f"{S}{pt['s:url']}{link}{E}")
            if schema and not bibo:
                add(f"{S}{pt['url']}{uri}{E}")
        if paper.keywords:
            keyword_preds = self._keyword_pt
            if self._nt or len(keyword_preds) > 1:
                for keyword in paper.keywords:
                    literal = text(changed, "keywords", keyword)
                    for pred in keyword_preds:
                        add(f"{S}{pred}{literal}{E}")
            else:
                # Turtle, one vocabulary: the keywords are one object list (of terms
                # that are text, as the syntax of a layout makes them).
                add(keyword_preds[0] + ", ".join(cast(list[str], [
                    text(changed, "keywords", keyword) for keyword in paper.keywords])))
        own = (paper.note, paper.genre, paper.id, paper.publisher_place)
        if own != _NONE4:
            for value, (field, pred) in zip(own, self._own_pt, strict=True):
                if value is not None:
                    add(f"{S}{pred}{text(changed, field, value)}{E}")
        if paper.publisher is not None:
            side = Mapped([], emit.lists, emit.cells, changed)
            self._publisher(side, subject, paper.publisher, "publisher")
            self._side(side.triples, subject, lines, chunks)
        if paper.extra is not _NO_EXTRA and paper.extra:
            extra = _extra_json(paper)
            if extra is None:
                changed.add("extra")
            else:
                add(f"{S}{pt['extra']}{text(changed, 'extra', extra)}{E}")

    def _cluster(self, emit: Mapped, subject: str, node: str, cluster: Cluster) -> None:
        add = emit.triples.append
        p = self.p
        add((node, p["clusterPaper"], subject))
        add((subject, p["inCluster"], node))
        if not self._first_time(node):
            return
        self._cluster_description(emit, node, cluster)

    def _cluster_description(self, emit: Mapped, node: str, cluster: Cluster) -> None:
        add = emit.triples.append
        p = self.p
        changed = emit.changed
        syntax = self.syntax
        add((node, p["type"], self._iri(_BCV + "AuthorNameCluster")))
        add((node, p["clusterName"], self._text(changed, "cluster", cluster.name)))
        add((node, p["label"], self._text(changed, "cluster", cluster.name)))
        if cluster.site is not None:
            add((node, p["site"], self._text(changed, "cluster", cluster.site)))
        if cluster.description is not None:
            add((node, p["dc:description"], self._text(changed, "cluster",
                                                       cluster.description)))
        if cluster.declared_papers is not None:
            add((node, p["declaredPapers"],
                 syntax.typed(str(cluster.declared_papers), XSD_INTEGER)))
        if cluster.declared_author_rows is not None:
            add((node, p["declaredAuthorRows"],
                 syntax.typed(str(cluster.declared_author_rows), XSD_INTEGER)))


#: The one-value fields written in both vocabularies (field, BIBO/Dublin Core predicate,
#: schema.org predicate), in the order of the values :meth:`PaperMapper._fields` reads.
_SIMPLE_FIELDS = (
    ("abstract", "dc:abstract", "s:abstract"),
    ("volume", "volume", "s:volumeNumber"),
    ("issue", "issue", "s:issueNumber"),
    ("page", "pages", "s:pagination"),
    ("doi", "doi", "s:identifier"),
    ("isbn", "isbn", "s:isbn"),
    ("issn", "issn", "s:issn"),
    ("language", "dc:language", "s:inLanguage"),
)
#: The empty ``extra`` papers share (told apart by identity, without a call to len).
_NO_EXTRA: Final = Paper(title="").extra
_NONE7: Final = (None,) * 7
_NONE4: Final = (None,) * 4
#: The one-value fields written in bibconv's own terms, likewise.
_OWN_FIELDS = (("note", "comment"), ("genre", "genre"), ("id", "sourceId"),
               ("publisher_place", "publisherPlace"))

#: Every predicate the mapper writes, by a short name.
_PREDICATES: dict[str, str] = {
    "type": RDF_TYPE, "first": RDF_FIRST, "rest": RDF_REST,
    "label": _RDFS + "label", "comment": _RDFS + "comment",
    **{f"dc:{name}": _DC + name for name in (
        "title", "issued", "creator", "isPartOf", "publisher", "description", "abstract",
        "language", "subject")},
    **{f"foaf:{name}": _FOAF + name for name in ("name", "givenName", "familyName", "page")},
    **{name: _B + name for name in (
        "editor", "authorList", "editorList", "shortTitle", "issn", "volume", "issue",
        "pages", "doi", "isbn", "pageStart", "pageEnd", "uri")},
    **{name: _DBLP + name for name in (
        "hasSignature", "signatureOrdinal", "signatureCreator", "signatureDblpName")},
    **{name: _BCV + name for name in (
        "cslType", "particle", "droppingParticle", "nameSuffix", "literalName", "homonym",
        "orcid", "venueName", "containerTitle", "venueKind", "url", "genre", "sourceId",
        "publisherPlace", "extra", "clusterPaper", "inCluster", "clusterName", "site",
        "declaredPapers", "declaredAuthorRows")},
    **{f"s:{name}": _S + name for name in (
        "name", "datePublished", "author", "editor", "givenName", "familyName", "isPartOf",
        "alternateName", "issn", "publisher", "abstract", "volumeNumber", "issueNumber",
        "pagination", "identifier", "isbn", "inLanguage", "url", "keywords")},
}


def _is_web_iri(text: str) -> bool:
    """Whether text can be an IRI node as it is (absolute http(s), no forbidden characters)."""
    if _IRI_FORBIDDEN.search(text) or _XML_INVALID.search(text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:  # "http://[::1/": a bracket that opens no IPv6 address
        return False
    return (parts.scheme in ("http", "https") and bool(parts.netloc)
            and _iri_syntax_ok(text, parts.netloc))


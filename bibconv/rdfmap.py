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

import hashlib
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, XSD
from rdflib.term import Node

from .diagnostics import Reporter
from .errors import OptionError
from .model import Cluster, Date, Paper, Person, Venue

__all__ = [
    "BCV",
    "BIBO",
    "DBLP",
    "DEFAULT_BASE_IRI",
    "PREFIXES",
    "SCHEMA",
    "VOCABS",
    "Minter",
    "PaperMapper",
    "Triple",
    "check_base_iri",
    "date_literal",
    "parse_date_literal",
]

BIBO = Namespace("http://purl.org/ontology/bibo/")
DBLP = Namespace("https://dblp.org/rdf/schema#")
SCHEMA = Namespace("https://schema.org/")
#: bibconv's own terms. Fixed, whatever ``base_iri`` is, so readers never need the base.
BCV = Namespace("https://bibconv.example/vocab#")

#: The base IRI papers, people and venues are minted under when none is given. The
#: ``.example`` top-level domain is reserved (RFC 2606): it never resolves, which says
#: plainly that a publisher of the data should choose its own base with ``--base-iri``.
DEFAULT_BASE_IRI = "https://bibconv.example/id/"

VOCABS = ("bibo", "schema", "bibo+schema")

#: Prefixes bound in every serialisation (Turtle writes them once at the top).
PREFIXES: dict[str, Namespace] = {
    "bibo": BIBO,
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "dblp": DBLP,
    "schema": SCHEMA,
    "bcv": BCV,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}

Triple = tuple[Node, Node, Node]

# CSL type -> (BIBO class, schema.org class). Anything unlisted is a bibo:Document /
# schema:CreativeWork; the exact CSL type always travels in bcv:cslType.
_CLASSES: dict[str, tuple[URIRef, URIRef]] = {
    "paper-conference": (BIBO.Article, SCHEMA.ScholarlyArticle),
    "article-journal": (BIBO.AcademicArticle, SCHEMA.ScholarlyArticle),
    "article": (BIBO.Article, SCHEMA.ScholarlyArticle),
    "article-magazine": (BIBO.Article, SCHEMA.Article),
    "article-newspaper": (BIBO.Article, SCHEMA.NewsArticle),
    "review": (BIBO.Article, SCHEMA.Review),
    "review-book": (BIBO.Article, SCHEMA.Review),
    "book": (BIBO.Book, SCHEMA.Book),
    "chapter": (BIBO.Chapter, SCHEMA.Chapter),
    "thesis": (BIBO.Thesis, SCHEMA.Thesis),
    "report": (BIBO.Report, SCHEMA.Report),
    "patent": (BIBO.Patent, SCHEMA.CreativeWork),
    "manuscript": (BIBO.Manuscript, SCHEMA.CreativeWork),
    "webpage": (BIBO.Webpage, SCHEMA.WebPage),
    "post-weblog": (BIBO.Webpage, SCHEMA.BlogPosting),
    "dataset": (BIBO.Document, SCHEMA.Dataset),
    "software": (BIBO.Document, SCHEMA.SoftwareSourceCode),
    "speech": (BIBO.Document, SCHEMA.CreativeWork),
    "entry-encyclopedia": (BIBO.Document, SCHEMA.CreativeWork),
    "entry-dictionary": (BIBO.Document, SCHEMA.CreativeWork),
    "standard": (BIBO.Standard, SCHEMA.CreativeWork),
}
_DEFAULT_CLASSES = (BIBO.Document, SCHEMA.CreativeWork)

# Container classes, chosen from the paper's CSL type first, then the venue's kind.
_TYPE_CONTAINERS: dict[str, tuple[URIRef, URIRef]] = {
    "paper-conference": (BIBO.Proceedings, SCHEMA.Book),
    "article-journal": (BIBO.Journal, SCHEMA.Periodical),
    "article-magazine": (BIBO.Magazine, SCHEMA.Periodical),
    "article-newspaper": (BIBO.Newspaper, SCHEMA.Periodical),
    "chapter": (BIBO.Book, SCHEMA.Book),
}
_KIND_CONTAINERS: dict[str, tuple[URIRef, URIRef]] = {
    "journal": (BIBO.Journal, SCHEMA.Periodical),
    "conference": (BIBO.Proceedings, SCHEMA.Book),
    "workshop": (BIBO.Proceedings, SCHEMA.Book),
    "symposium": (BIBO.Proceedings, SCHEMA.Book),
    "magazine": (BIBO.Magazine, SCHEMA.Periodical),
}
_DEFAULT_CONTAINER = (BIBO.Collection, SCHEMA.CreativeWork)

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
    parts = urlsplit(base)
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
    return base if base.endswith(("/", "#", ":")) else base + "/"


def _digest(*parts: str | None) -> str:
    """A 128-bit hex digest of field values (None and "" are told apart)."""
    text = "\x1f".join("\x00" if p is None else p for p in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


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

    Identity rules (documented in docs/rdf.md):

    * a paper: hash of every bibliographic field it writes (not where it was read), so
      exact duplicates become one node and any difference makes another;
    * a person with an ORCID iD: ``https://orcid.org/<iD>``;
    * a person with a DBLP homonym number: hash of the name parts and the number;
    * any other person: hash of the name parts and the cluster page the paper came from
      (the same name on one page is one node; pages do not disambiguate people, so
      nothing is claimed across pages); without a cluster, the name alone;
    * a venue: hash of all its fields and its container class; a cluster: its fields.
    """

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.base = check_base_iri(base_iri)

    def _mint(self, kind: str, digest: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{digest}")

    def paper(self, paper: Paper) -> URIRef:
        """The IRI of a paper, from a hash of its bibliographic content."""
        return self._mint("paper", paper_digest(paper))

    def person(self, person: Person, cluster: Cluster | None) -> URIRef:
        """The IRI of a person under the identity rules above."""
        if person.orcid and _ORCID.match(person.orcid):
            return URIRef(f"https://orcid.org/{person.orcid}")
        if person.homonym:
            return self._mint("person", _digest("homonym", person.homonym, *_person_parts(person)))
        return self._mint("person", _digest("name", *_person_parts(person),
                                            *_cluster_parts(cluster)))

    def venue(self, venue: Venue, cls: URIRef) -> URIRef:
        """The IRI of a venue (a journal, a proceedings series, ...)."""
        return self._mint("venue", _digest(str(cls), *_venue_parts(venue)))

    def organisation(self, name: str) -> URIRef:
        """The IRI of a publisher, from its name."""
        return self._mint("org", _digest("org", name))

    def cluster(self, cluster: Cluster) -> URIRef:
        """The IRI of a scraped author-name cluster page."""
        return self._mint("cluster", _digest("cluster", *_cluster_parts(cluster)))


def _extra_json(paper: Paper) -> str | None:
    if not paper.extra:
        return None
    try:
        return json.dumps(dict(paper.extra), ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return None


def paper_digest(paper: Paper) -> str:
    """The content hash behind a paper's IRI: every field written, no provenance."""
    parts: list[str | None] = [
        paper.type, paper.title, paper.issued.iso() if paper.issued else None,
        paper.volume, paper.issue, paper.page, paper.publisher, paper.publisher_place,
        paper.doi, paper.url, paper.isbn, paper.issn, paper.abstract, paper.language,
        paper.note, paper.genre, paper.id, _extra_json(paper),
        "\x1e".join(paper.keywords),
    ]
    parts.extend(_venue_parts(paper.venue) if paper.venue else ("",))
    parts.extend(_cluster_parts(paper.cluster))
    for role, people in (("author", paper.author), ("editor", paper.editor)):
        parts.append(role)
        for person in people:
            parts.extend(_person_parts(person))
            parts.extend((person.homonym, person.orcid))
    return _digest(*parts)


def date_literal(date: Date) -> Literal | None:
    """``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date`` at the precision known.

    None when the month or day is impossible (the caller reports it).
    """
    year = f"{date.year:04d}" if date.year >= 0 else f"-{-date.year:04d}"
    if date.month is None:
        return Literal(year, datatype=XSD.gYear)
    if not 1 <= date.month <= 12:
        return None
    if date.day is None:
        return Literal(f"{year}-{date.month:02d}", datatype=XSD.gYearMonth)
    days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][date.month - 1]
    if not 1 <= date.day <= days:
        return None
    return Literal(f"{year}-{date.month:02d}-{date.day:02d}", datatype=XSD.date)


_DATE = re.compile(r"^(-?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date_literal(text: str) -> Date | None:
    """The :class:`Date` of an ``xsd:gYear``/``gYearMonth``/``date`` lexical form."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    return Date(int(year), int(month) if month else None, int(day) if day else None)


@dataclass
class _Emit:
    """The triples of one paper being built, plus what had to be changed to write them."""

    triples: list[Triple]
    changed: set[str]


class PaperMapper:
    """Turns papers into triples in the chosen vocabularies.

    ``xml_safe`` replaces the characters XML 1.0 cannot hold (for RDF/XML). ``seen``
    bounds the set of shared nodes (people, venues, clusters, publishers) already
    described, so a stream does not repeat their descriptions; it is cleared when
    full, which at worst repeats a description (harmless: an RDF graph is a set).
    """

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI, vocab: str = "bibo",
                 xml_safe: bool = False, seen_limit: int = 100_000) -> None:
        if vocab not in VOCABS:
            raise OptionError(f"vocab must be one of {', '.join(VOCABS)}, not {vocab!r}")
        self.minter = Minter(base_iri)
        self.bibo = vocab in ("bibo", "bibo+schema")
        self.schema = vocab in ("schema", "bibo+schema")
        self.xml_safe = xml_safe
        self._seen: set[str] = set()
        self._seen_limit = seen_limit
        self._papers: set[int] = set()
        self._repeats: dict[int, int] = {}

    # -- literals -----------------------------------------------------------------

    def _text(self, emit: _Emit, field: str, value: str) -> Literal:
        """A plain literal; characters no serialisation can hold are replaced (reported)."""
        clean = _SURROGATES.sub("\ufffd", value)
        if self.xml_safe:
            clean = _XML_INVALID.sub("\ufffd", clean)
        if clean != value:
            emit.changed.add(field)
        return Literal(clean)

    def _first_time(self, node: URIRef) -> bool:
        key = str(node)
        if key in self._seen:
            return False
        if len(self._seen) >= self._seen_limit:
            self._seen.clear()
        self._seen.add(key)
        return True

    def _unique(self, digest: str) -> str:
        """The digest, with ``-2``, ``-3``, ... for repeats of an identical paper.

        Identical records are kept apart (nothing is lost silently), and since they are
        identical, which one is "first" does not depend on the input order. One 64-bit
        int per paper is remembered: about 60 MB per million papers.
        """
        key = int(digest[:16], 16)
        if key not in self._papers:
            self._papers.add(key)
            return digest
        count = self._repeats.get(key, 1) + 1
        self._repeats[key] = count
        return f"{digest}-{count}"

    # -- the mapping --------------------------------------------------------------

    def triples(self, paper: Paper, reporter: Reporter | None = None) -> list[Triple]:
        """Every triple describing one paper, including shared nodes not described yet."""
        emit = _Emit([], set())
        add = emit.triples.append
        digest = self._unique(paper_digest(paper))
        subject = self.minter._mint("paper", digest)
        bibo_cls, schema_cls = _CLASSES.get(paper.type, _DEFAULT_CLASSES)
        if self.bibo:
            add((subject, RDF.type, bibo_cls))
        if self.schema:
            add((subject, RDF.type, schema_cls))
        add((subject, BCV.cslType, Literal(paper.type)))
        title = self._text(emit, "title", paper.title)
        if self.bibo:
            add((subject, DCTERMS.title, title))
        if self.schema:
            add((subject, SCHEMA.name, title))
        self._issued(emit, subject, paper)
        self._people(emit, subject, digest, paper, "author")
        self._people(emit, subject, digest, paper, "editor")
        self._venue(emit, subject, paper)
        self._fields(emit, subject, paper)
        if paper.cluster is not None:
            self._cluster(emit, subject, paper.cluster)
        if reporter is not None:
            for field in sorted(emit.changed):
                reporter.warn(
                    "lossy-field",
                    f"{field}: characters this serialisation cannot hold were replaced "
                    "with U+FFFD (or the value was left out)",
                    paper.origin, paper.line,
                )
        return emit.triples

    def _issued(self, emit: _Emit, subject: URIRef, paper: Paper) -> None:
        if paper.issued is None:
            return
        literal = date_literal(paper.issued)
        if literal is None:
            # An impossible month/day: keep the year, which is certainly meant.
            literal = date_literal(Date(paper.issued.year))
            emit.changed.add("issued")
        assert literal is not None
        if self.bibo:
            emit.triples.append((subject, DCTERMS.issued, literal))
        if self.schema:
            emit.triples.append((subject, SCHEMA.datePublished, literal))

    def _people(self, emit: _Emit, subject: URIRef, digest: str, paper: Paper,
                role: str) -> None:
        people = paper.author if role == "author" else paper.editor
        if not people:
            return
        add = emit.triples.append
        nodes = [self.minter.person(p, paper.cluster) for p in people]
        for person, node in zip(people, nodes, strict=True):
            if self.bibo:
                add((subject, DCTERMS.creator if role == "author" else BIBO.editor, node))
            self._person(emit, person, node)
        # The ordered list: rdf:List cells get blank-node labels derived from the paper,
        # so the output is deterministic (golden files) and never clashes across papers.
        head = self._list(emit, f"b{digest}{role[0]}", nodes)
        if self.bibo:
            add((subject, BIBO.authorList if role == "author" else BIBO.editorList, head))
        if self.schema:
            add((subject, SCHEMA.author if role == "author" else SCHEMA.editor, head))
        if role == "author" and self.bibo:
            for position, (person, node) in enumerate(zip(people, nodes, strict=True), start=1):
                sig = BNode(f"b{digest}s{position}")
                add((subject, DBLP.hasSignature, sig))
                add((sig, RDF.type, DBLP.AuthorSignature))
                add((sig, DBLP.signatureOrdinal, Literal(position)))
                add((sig, DBLP.signatureCreator, node))
                name = person.display_name + (f" {person.homonym}" if person.homonym else "")
                add((sig, DBLP.signatureDblpName, self._text(emit, "author", name)))

    def _list(self, emit: _Emit, label: str, items: list[URIRef]) -> BNode:
        cells = [BNode(f"{label}{i}") for i in range(1, len(items) + 1)]
        for i, (cell, item) in enumerate(zip(cells, items, strict=True)):
            emit.triples.append((cell, RDF.first, item))
            emit.triples.append((cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))
        return cells[0]

    def _person(self, emit: _Emit, person: Person, node: URIRef) -> None:
        if not self._first_time(node):
            return
        add = emit.triples.append
        field = "author"
        if self.bibo:
            add((node, RDF.type, FOAF.Person))
            add((node, FOAF.name, self._text(emit, field, person.display_name)))
        if self.schema:
            add((node, RDF.type, SCHEMA.Person))
            add((node, SCHEMA.name, self._text(emit, field, person.display_name)))
        if person.given is not None:
            if self.bibo:
                add((node, FOAF.givenName, self._text(emit, field, person.given)))
            if self.schema:
                add((node, SCHEMA.givenName, self._text(emit, field, person.given)))
        if person.family is not None:
            if self.bibo:
                add((node, FOAF.familyName, self._text(emit, field, person.family)))
            if self.schema:
                add((node, SCHEMA.familyName, self._text(emit, field, person.family)))
        for prop, value in ((BCV.particle, person.particle),
                            (BCV.droppingParticle, person.dropping_particle),
                            (BCV.nameSuffix, person.suffix),
                            (BCV.literalName, person.literal),
                            (BCV.homonym, person.homonym)):
            if value is not None:
                add((node, prop, self._text(emit, field, value)))
        if person.orcid is not None and not _ORCID.match(person.orcid):
            # Not a well-formed iD: kept as text rather than turned into an IRI.
            add((node, BCV.orcid, self._text(emit, field, person.orcid)))

    def _venue(self, emit: _Emit, subject: URIRef, paper: Paper) -> None:
        venue = paper.venue
        if venue is None:
            return
        bibo_cls, schema_cls = _TYPE_CONTAINERS.get(
            paper.type, _KIND_CONTAINERS.get(venue.kind or "", _DEFAULT_CONTAINER))
        node = self.minter.venue(venue, bibo_cls)
        add = emit.triples.append
        if self.bibo:
            add((subject, DCTERMS.isPartOf, node))
        if self.schema:
            add((subject, SCHEMA.isPartOf, node))
        if not self._first_time(node):
            return
        title = self._text(emit, "venue", venue.title)
        if self.bibo:
            add((node, RDF.type, bibo_cls))
            add((node, DCTERMS.title, title))
        if self.schema:
            add((node, RDF.type, schema_cls))
            add((node, SCHEMA.name, title))
        add((node, BCV.venueName, self._text(emit, "venue", venue.name)))
        if venue.container_title is not None:
            add((node, BCV.containerTitle, self._text(emit, "venue", venue.container_title)))
        if venue.short is not None:
            short = self._text(emit, "venue", venue.short)
            if self.bibo:
                add((node, BIBO.shortTitle, short))
            if self.schema:
                add((node, SCHEMA.alternateName, short))
        if venue.kind is not None:
            add((node, BCV.venueKind, self._text(emit, "venue", venue.kind)))
        if venue.issn is not None:
            issn = self._text(emit, "venue", venue.issn)
            if self.bibo:
                add((node, BIBO.issn, issn))
            if self.schema:
                add((node, SCHEMA.issn, issn))
        if venue.publisher is not None:
            self._publisher(emit, node, venue.publisher, "venue")

    def _publisher(self, emit: _Emit, subject: URIRef, name: str, field: str) -> None:
        org = self.minter.organisation(name)
        add = emit.triples.append
        if self.bibo:
            add((subject, DCTERMS.publisher, org))
        if self.schema:
            add((subject, SCHEMA.publisher, org))
        if not self._first_time(org):
            return
        label = self._text(emit, field, name)
        if self.bibo:
            add((org, RDF.type, FOAF.Organization))
            add((org, FOAF.name, label))
        if self.schema:
            add((org, RDF.type, SCHEMA.Organization))
            add((org, SCHEMA.name, label))

    def _fields(self, emit: _Emit, subject: URIRef, paper: Paper) -> None:
        """The simple one-value fields and keywords."""
        add = emit.triples.append
        both: list[tuple[str, str | None, URIRef, URIRef]] = [
            ("abstract", paper.abstract, DCTERMS.abstract, SCHEMA.abstract),
            ("volume", paper.volume, BIBO.volume, SCHEMA.volumeNumber),
            ("issue", paper.issue, BIBO.issue, SCHEMA.issueNumber),
            ("page", paper.page, BIBO.pages, SCHEMA.pagination),
            ("doi", paper.doi, BIBO.doi, SCHEMA.identifier),
            ("isbn", paper.isbn, BIBO.isbn, SCHEMA.isbn),
            ("issn", paper.issn, BIBO.issn, SCHEMA.issn),
            ("language", paper.language, DCTERMS.language, SCHEMA.inLanguage),
        ]
        for field, value, bibo_prop, schema_prop in both:
            if value is None:
                continue
            literal = self._text(emit, field, value)
            if self.bibo:
                add((subject, bibo_prop, literal))
            if self.schema:
                add((subject, schema_prop, literal))
        if paper.page is not None and self.bibo:
            match = _PAGES.match(paper.page)
            if match:
                add((subject, BIBO.pageStart, Literal(match.group(1))))
                add((subject, BIBO.pageEnd, Literal(match.group(2))))
        if paper.url is not None:
            clean = _SURROGATES.sub("\ufffd", paper.url)
            if self.xml_safe:
                clean = _XML_INVALID.sub("\ufffd", clean)
            if clean != paper.url:
                emit.changed.add("url")
            # The exact text always travels as a literal; a link too when it is a valid IRI.
            if self.bibo:
                add((subject, BIBO.uri, Literal(clean, datatype=XSD.anyURI)))
            if _is_web_iri(clean):
                if self.bibo:
                    add((subject, FOAF.page, URIRef(clean)))
                if self.schema:
                    add((subject, SCHEMA.url, URIRef(clean)))
            if self.schema and not self.bibo:
                add((subject, BCV.url, Literal(clean, datatype=XSD.anyURI)))
        for keyword in paper.keywords:
            literal = self._text(emit, "keywords", keyword)
            if self.bibo:
                add((subject, DCTERMS.subject, literal))
            if self.schema:
                add((subject, SCHEMA.keywords, literal))
        for field, value, prop in (("note", paper.note, RDFS.comment),
                                   ("genre", paper.genre, BCV.genre),
                                   ("id", paper.id, BCV.sourceId),
                                   ("publisher_place", paper.publisher_place,
                                    BCV.publisherPlace)):
            if value is not None:
                add((subject, prop, self._text(emit, field, value)))
        if paper.publisher is not None:
            self._publisher(emit, subject, paper.publisher, "publisher")
        if paper.extra:
            text = _extra_json(paper)
            if text is None:
                emit.changed.add("extra")
            else:
                add((subject, BCV.extra, self._text(emit, "extra", text)))

    def _cluster(self, emit: _Emit, subject: URIRef, cluster: Cluster) -> None:
        node = self.minter.cluster(cluster)
        add = emit.triples.append
        add((node, BCV.clusterPaper, subject))
        add((subject, BCV.inCluster, node))
        if not self._first_time(node):
            return
        add((node, RDF.type, BCV.AuthorNameCluster))
        add((node, BCV.clusterName, self._text(emit, "cluster", cluster.name)))
        add((node, RDFS.label, self._text(emit, "cluster", cluster.name)))
        if cluster.site is not None:
            add((node, BCV.site, self._text(emit, "cluster", cluster.site)))
        if cluster.description is not None:
            add((node, DCTERMS.description, self._text(emit, "cluster", cluster.description)))
        if cluster.declared_papers is not None:
            add((node, BCV.declaredPapers, Literal(cluster.declared_papers)))
        if cluster.declared_author_rows is not None:
            add((node, BCV.declaredAuthorRows, Literal(cluster.declared_author_rows)))


def _is_web_iri(text: str) -> bool:
    """Whether text can be an IRI node as it is (absolute http(s), no forbidden characters)."""
    if _IRI_FORBIDDEN.search(text) or _XML_INVALID.search(text):
        return False
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


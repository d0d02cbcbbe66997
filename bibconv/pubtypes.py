"""Publication types as scraped pages name them, mapped to CSL item types."""

from __future__ import annotations

import re

__all__ = ["GENERIC_TYPE", "KNOWN_KINDS", "csl_type_for", "is_publication_type",
           "restates_type"]

#: The CSL type given to a publication type nobody knows ("document" is CSL's generic type).
GENERIC_TYPE = "document"

_TYPES: dict[str, str] = {
    "conference paper": "paper-conference",
    "conference proceedings": "paper-conference",
    "proceedings paper": "paper-conference",
    "inproceedings": "paper-conference",
    "workshop paper": "paper-conference",
    "symposium paper": "paper-conference",
    "short paper": "paper-conference",
    "full paper": "paper-conference",
    "demo paper": "paper-conference",
    "poster": "paper-conference",
    "extended abstract": "paper-conference",
    "abstract": "paper-conference",
    "oral": "paper-conference",
    "journal article": "article-journal",
    "journal paper": "article-journal",
    "article": "article-journal",
    "research article": "article-journal",
    "review article": "article-journal",
    "letter": "article-journal",
    "editorial": "article-journal",
    "correspondence": "article-journal",
    "survey": "article-journal",
    "magazine article": "article-magazine",
    "newspaper article": "article-newspaper",
    "book chapter": "chapter",
    "chapter": "chapter",
    "incollection": "chapter",
    "book section": "chapter",
    "book": "book",
    "monograph": "book",
    "edited book": "book",
    "edited volume": "book",
    "proceedings": "book",
    "collection": "collection",
    "preprint": "article",
    "eprint": "article",
    "e-print": "article",
    "working paper": "article",
    "informal publication": "article",
    "thesis": "thesis",
    "phd thesis": "thesis",
    "ph.d. thesis": "thesis",
    "doctoral thesis": "thesis",
    "master's thesis": "thesis",
    "masters thesis": "thesis",
    "master thesis": "thesis",
    "bachelor's thesis": "thesis",
    "dissertation": "thesis",
    "phd dissertation": "thesis",
    "doctoral dissertation": "thesis",
    "technical report": "report",
    "tech report": "report",
    "report": "report",
    "white paper": "report",
    "patent": "patent",
    "dataset": "dataset",
    "data set": "dataset",
    "software": "software",
    "encyclopedia entry": "entry-encyclopedia",
    "reference work entry": "entry-encyclopedia",
    "dictionary entry": "entry-dictionary",
    "book review": "review-book",
    "review": "review",
    "standard": "standard",
    "talk": "speech",
    "presentation": "speech",
    "webpage": "webpage",
    "web page": "webpage",
    "blog post": "post-weblog",
    "manuscript": "manuscript",
}

# The publication types that only name a CSL type, saying nothing more ("Conference
# Paper" of a paper-conference), unlike "Editorial", "Poster" or "Workshop Paper".
_PLAIN_NAMES = frozenset({
    "conference paper", "conference proceedings", "proceedings paper", "inproceedings",
    "journal article", "journal paper", "article", "magazine article", "newspaper article",
    "book chapter", "chapter", "incollection", "book section", "book", "collection",
    "preprint", "eprint", "e-print", "dataset", "data set", "software", "patent", "webpage",
    "web page", "manuscript", "standard", "review", "encyclopedia entry", "dictionary entry",
    "book review", "report",
})


def restates_type(genre: str, csl_type: str) -> bool:
    """Whether a genre only names the CSL type ``csl_type`` ("Conference Paper" of a
    paper-conference), so that writing it would say nothing the type does not."""
    name = " ".join(genre.lower().split())
    return name in _PLAIN_NAMES and _TYPES.get(name) == csl_type


#: Venue kinds a scraped venue line can carry, lower case.
KNOWN_KINDS: frozenset[str] = frozenset(
    {"conference", "journal", "workshop", "symposium", "preprint", "repository", "magazine",
     "book", "series", "school", "university", "institution", "archive", "newspaper"}
)

# Words that end a publication type the table does not list ("Invited Talk", "Demo").
_TYPE_WORD = re.compile(
    r"(paper|article|chapter|book|thesis|dissertation|report|preprint|print|abstract|poster|"
    r"demo|talk|entry|review|patent|dataset|software|proceedings|volume|letter|note|editorial|"
    r"survey|tutorial|keynote|presentation|publication|manuscript|collection|section|"
    r"monograph|standard|brief|commentary|erratum|correction)s?$",
    re.IGNORECASE,
)


def csl_type_for(publication_type: str) -> str | None:
    """The CSL type for a scraped publication type, or None when it is not known."""
    return _TYPES.get(re.sub(r"\s+", " ", publication_type.strip().lower()))


def is_publication_type(text: str) -> bool:
    """Whether text reads as a publication type (known, or ending in a type word)."""
    return csl_type_for(text) is not None or bool(_TYPE_WORD.search(text.strip()))

"""Person-name parsing: given / particle / family / suffix, literals, homonym numbers.

Scraped pages list names in display order ("Ludwig van Beethoven", "Martin Luther
King Jr.", "Bo Li 0026"); bibliographic sources also use the inverted forms
"Family, Given" and "Family, Suffix, Given". Both are handled here. The rules:

* a trailing four-digit number is a DBLP homonym marker: it becomes
  ``Person.homonym`` and is never part of the printed name;
* ``Jr.``, ``Sr.`` and Roman numerals after the family name are suffixes;
* lower-case words before the family name ("van", "de la", "von der") are particles;
* a single word, a name written in a script without spaces between name parts
  (Chinese, Japanese), or an obvious organisation ("OpenAI Team", "ATLAS
  Collaboration") is kept whole as a literal, so no style splits it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .model import Person
from .text import clean_inline

__all__ = ["PARTICLES", "is_organisation", "parse_name", "parse_name_noted",
           "split_display_name", "strip_name_notes"]

#: Lower-case words that open a family name ("van Beethoven", "de la Cruz").
PARTICLES: frozenset[str] = frozenset(
    {
        "van", "von", "der", "den", "de", "del", "della", "delle", "dei", "degli", "di",
        "da", "das", "do", "dos", "du", "la", "le", "les", "lo", "ter", "ten", "te", "zu",
        "zum", "zur", "vom", "y", "e", "bin", "binti", "ibn", "al", "el", "af", "av", "st.",
        "d'", "l'", "'t",
    }
)
_SUFFIX = re.compile(r"^(?:jr\.?|sr\.?|junior|senior|[IVX]{1,4}|\d(?:st|nd|rd|th))$", re.IGNORECASE)
_ROMAN = re.compile(r"^[IVX]{1,4}$")
_HOMONYM = re.compile(r"^(.*\S)\s+(\d{4})$")
_ORCID = re.compile(r"\b(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\b")
_ORG_WORDS = frozenset(
    {
        "association", "board", "center", "centre", "collaboration", "committee",
        "consortium", "corporation", "council", "department", "foundation", "group",
        "inc", "inc.", "initiative", "institute", "laboratory", "lab", "labs", "ltd",
        "ltd.", "network", "organization", "organisation", "project", "society", "team",
        "university", "working", "agency", "alliance", "office", "ministry", "llc",
        "gmbh", "company", "program", "programme",
    }
)
# What scraped author lists add after a name: affiliation and equal-contribution
# marks, attached ("Zhang¹", "Zhang*", "Zhang1,2") or after a space ("Zhang *").
_MARK_CHARS = "*†‡§¶#⁰¹²³⁴⁵⁶⁷⁸⁹, "
_DIGIT_MARKS = re.compile(r"(?<=[^\W\d_])\s*\d{1,2}(?:,\s?\d{1,2})*$")
# A note in brackets after the name: an affiliation, most often ("Wei Zhang (MIT)").
_NOTE = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]$")
# Honorifics before a name ("Dr. Ann Smith", "Prof. Dr. Hans Müller").
_HONORIFICS = re.compile(r"^(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame)\.?\s+)+(?=\S+\s)")
# Degrees and fellowships after a name, in the spellings no initials can have.
_DEGREES = re.compile(
    r",?\s+(?:Ph\.?\s?D\.?|D\.?\s?Phil\.?|MBA|M\.\s?Sc\.|MSc|B\.\s?Sc\.|BSc|D\.\s?Sc\.|DSc"
    r"|FRS|FREng|FIEEE|FACM)$")
# The last words of the degrees above, without their full stops ("Ph. D." ends in "D").
_DEGREE_WORDS = frozenset({"PhD", "D", "DPhil", "Phil", "MBA", "MSc", "Sc", "BSc", "DSc", "FRS",
                           "FREng", "FIEEE", "FACM"})
# Scripts whose names are written without spaces between family and given name.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")


def is_organisation(name: str) -> bool:
    """Whether a name reads as an organisation rather than a person."""
    words = [w.strip(",").lower() for w in name.split()]
    return len(words) > 1 and any(w in _ORG_WORDS for w in words)


def _unspaced_script(name: str) -> bool:
    for ch in name:
        if ch.isalpha():
            try:
                uname = unicodedata.name(ch)
            except ValueError:
                continue
            return uname.startswith(_UNSPACED_SCRIPTS)
    return False


def _is_particle(word: str) -> bool:
    lowered = word.lower()
    return word[:1].islower() and (lowered in PARTICLES or lowered.rstrip("'’") + "'" in PARTICLES)


def _is_suffix(word: str) -> bool:
    if not _SUFFIX.match(word):
        return False
    # "V" alone could be an initial ("Paul V Smith" rarely; "Smith V" often a numeral).
    return not (_ROMAN.match(word) and not word.isupper())


def split_display_name(words: list[str]) -> Person:
    """Split the words of a display-order name ("Given particle Family Suffix")."""
    suffix: str | None = None
    if len(words) > 2 and _is_suffix(words[-1].rstrip(",")):
        suffix = words[-1]
        words = words[:-1]
        if words[-1].endswith(","):
            words[-1] = words[-1][:-1]
    if len(words) == 1:
        return Person(family=words[0], suffix=suffix) if suffix else Person(literal=words[0])
    family_start = len(words) - 1
    # Particles run backwards from the last word while the words are lower-case particles,
    # but the first word always stays a given name.
    particle_start = family_start
    while particle_start - 1 >= 1 and _is_particle(words[particle_start - 1]):
        particle_start -= 1
    given = " ".join(words[:particle_start]) or None
    particle = " ".join(words[particle_start:family_start]) or None
    return Person(family=words[family_start], given=given, particle=particle, suffix=suffix)


def _split_inverted(parts: list[str]) -> Person:
    """Split "Family, Given" or "Family, Suffix, Given" (particles lead the family part)."""
    family_words = parts[0].split()
    particle_words: list[str] = []
    while len(family_words) > 1 and _is_particle(family_words[0]):
        particle_words.append(family_words.pop(0))
    suffix = parts[1] if len(parts) == 3 else None
    given = parts[-1] if len(parts) >= 2 else None
    return Person(
        family=" ".join(family_words) or None,
        given=given or None,
        particle=" ".join(particle_words) or None,
        suffix=suffix or None,
    )


def strip_name_notes(name: str) -> tuple[str, str | None]:
    """A cleaned name without what scraped author lists add to names: affiliation and
    equal-contribution marks (``Zhang¹``, ``Zhang*``, ``Zhang1,2``), honorifics
    (``Dr.``, ``Prof.``), degrees (``PhD``, ``MSc``) and a note in brackets after the
    name (``Wei Zhang (Tsinghua University)``); the note is handed back, since it may
    say something (an affiliation) that the name cannot hold."""
    # Each pattern is tried only when the name's first or last character allows it
    # (most names have none of these): a pattern anchored at the end is otherwise
    # tried at every character.
    note: str | None = None
    last = name[-1:]
    if last in (")", "]"):
        found = _NOTE.search(name)
        if found is not None and found.start() > 0:
            note = found.group(1).strip(" ,;*")
            # "[1]", "(2, 3)": reference marks, which say nothing.
            if not note or note.replace(",", "").replace(" ", "").isdigit():
                note = None
            name = name[:found.start()]
            last = name[-1:]
    if last and not last.isalpha():
        name = name.rstrip(_MARK_CHARS)
        if name[-1:].isdigit():  # "Zhang1,2", "Zhang 1, 2" (not "Bo Li 0026")
            found = _DIGIT_MARKS.search(name, max(0, len(name) - 16))
            if found is not None:
                name = name[:found.start()]
    while name[name.rfind(" ") + 1:].replace(".", "") in _DEGREE_WORDS:
        shorter = _DEGREES.sub("", name)  # "Ann Smith, MSc, PhD": one at a time
        if shorter == name:
            break
        name = shorter
    if name[:1] in "DPMS" and _HONORIFICS.match(name) is not None:
        name = _HONORIFICS.sub("", name)
    return name.strip(" ,;"), note


@lru_cache(maxsize=1 << 11)
def parse_name(text: str) -> Person:
    """Parse one scraped or plain-text name into a :class:`Person`.

    Raises ``ValueError`` when nothing name-like is left after clean-up. Results are
    cached, a bounded number of them: the same names recur within a page and across a
    corpus, and a Person is immutable; the bound keeps memory flat on huge inputs.
    A note in brackets after the name is dropped (:func:`parse_name_noted` hands it
    back).
    """
    return parse_name_noted(text)[0]


@lru_cache(maxsize=1 << 11)
def parse_name_noted(text: str) -> tuple[Person, str | None]:
    """:func:`parse_name`, and the note in brackets after the name, if there was one
    (:func:`strip_name_notes`)."""
    name = clean_inline(text)
    orcid: str | None = None
    if "-" in name:  # an ORCID iD has three hyphens: no regex scan without one
        orcid_match = _ORCID.search(name)
        if orcid_match:
            orcid = orcid_match.group(1)
            name = clean_inline(name.replace(orcid_match.group(0), "").replace("()", ""))
            name = name.removesuffix("ORCID").removesuffix("orcid").strip(" ,;:")
    homonym: str | None = None
    # The number first ("Bo Li 0026", often), then what was added around the name
    # ("Bo Li* 0026", "Bo Li (MIT) 0026"), then a number a note hid ("Bo Li 0026 (MIT)").
    if name[-1:].isdigit() and (homonym_match := _HOMONYM.match(name)) is not None:
        name, homonym = homonym_match.group(1), homonym_match.group(2)
    name, note = strip_name_notes(name)
    if homonym is None and name[-1:].isdigit() \
            and (homonym_match := _HOMONYM.match(name)) is not None:
        name, homonym = homonym_match.group(1), homonym_match.group(2)
        name = strip_name_notes(name)[0]
    if not name:
        raise ValueError("empty name")
    person = _parse_plain(name)
    if homonym is None and orcid is None:
        return person, note
    return Person(
        family=person.family,
        given=person.given,
        particle=person.particle,
        suffix=person.suffix,
        literal=person.literal,
        homonym=homonym,
        orcid=orcid,
    ), note


@lru_cache(maxsize=1 << 11)
def _parse_plain(name: str) -> Person:
    """The parts of a cleaned name that carries no ORCID iD or homonym number.

    Cached apart from :func:`parse_name`: homonyms ("Bo Li 0026", "Bo Li 0041") are
    many distinct texts around the same few names.
    """
    if is_organisation(name) or _unspaced_script(name):
        return Person(literal=name)
    if "," in name:
        parts = [p.strip() for p in name.split(",")]
        if len(parts) == 2 and _is_suffix(parts[1]):
            return split_display_name([*parts[0].split(), parts[1]])
        if len(parts) in (2, 3) and all(parts):
            return _split_inverted(parts)
        return Person(literal=name)
    return split_display_name(name.split())

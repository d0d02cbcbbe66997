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
  Collaboration") is kept whole as a literal, so no style splits it;
* a family name followed only by initials ("Smith AB", "Smith A. B.") is read family
  first, as Vancouver-style lists write it.

Scraped author lists also wrap names in what is no name: an "et al." or "and 12 more"
after the last name (:func:`split_truncation`, :func:`is_truncation_marker`), an "and"
before it, and sometimes several names on one line (:func:`split_name_list`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

from .model import Person
from .text import clean_inline

__all__ = ["PARTICLES", "is_organisation", "is_truncation_marker", "parse_name",
           "parse_name_noted", "split_display_name", "split_name_list", "split_truncation",
           "strip_name_notes"]

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
# The link an ORCID iD is often written as, up to the iD ("https://orcid.org/0000-...").
_ORCID_LINK = re.compile(r"(?:https?://)?(?:www\.)?orcid\.org/$", re.IGNORECASE)
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
# Degrees spelt like initials ("MA", "MS") or like a short name ("DO"): dropped only
# after a comma that follows a name of two words or more ("Gina Hu, MD"), since "Hu, MD"
# is a family name and initials. Only as written without full stops: "García López,
# M.A." is far more often a name than "Gina Hu, M.A." a degree.
_COMMA_DEGREES = frozenset({"MD", "DO", "DDS", "DVM", "MPH", "MBBS", "MS", "MA", "BA", "BS",
                            "MEng", "BEng", "PharmD", "JD", "LLM", "RN", "FRCP", "FACS"})
_ANY_DEGREE_WORDS = _DEGREE_WORDS | _COMMA_DEGREES
# What says that an author list goes on beyond the names given: "et al.", "and others",
# "and 12 more", "+ 3 more authors", an ellipsis. An uncounted "more" must be written in
# lower case: "Smith and More" are two names.
_ET_AL = r"et(?:\.\s*|\s+)al(?:ii|ia)?\.?"
_COUNTED = r"(?:(?:and|&|\+)\s*)?\d+\s+(?:more|others)(?:\s+authors?)?"
_AND_OTHERS = r"(?:and|&)\s+(?:others|(?-i:more))(?:\s+authors?)?"
_ELLIPSIS = r"(?:\.{3}|…)"
_MARKER = (rf"(?:{_ET_AL}|{_COUNTED}|{_AND_OTHERS}"
           rf"|{_ELLIPSIS}(?:\s*(?:{_COUNTED}|{_AND_OTHERS}))?)")
# After a name: a space, comma or semicolon before the marker, or an ellipsis right
# after the name ("Bob Jones…"); the marker may stand in brackets ("(+ 3 more)").
_MARKER_AFTER = re.compile(
    rf"(?:^|[\s,;]+|(?={_ELLIPSIS}))((?:[(\[]\s*)?{_MARKER}(?:\s*[)\]])?)\s*$",
    re.IGNORECASE)
# A line that is only a marker may also be a bare "others", "more" or "more authors",
# and open with an ellipsis ("… and 5 others").
_MARKER_ONLY = re.compile(
    rf"(?:{_ELLIPSIS}\s*)?(?:[(\[]\s*)?"
    rf"(?:{_MARKER}|(?:(?:and|&)\s+)?(?:others|(?-i:more)|more\s+authors?))"
    rf"(?:\s*[)\]])?\.?", re.IGNORECASE)
# The last three characters of a text that may end in a marker, in any case (one in
# brackets too, "(more)"; an ellipsis "…" ends one as well); the last word of one,
# lower-cased, without ".)]"; and the first character of a line that may be only a
# marker: the tests that spare most names the patterns above.
_MARKER_LAST_TWO = ("al", "l.", "ii", "ia", "i.", "a.", "rs", "s.", "re", "e.", "or", "r.", "..")
_MARKER_ENDINGS = frozenset(
    "".join(chars)
    for ending in (" al", ".al", "al.", "lii", "lia", "ii.", "ia.", "ers", "ors", "hor", "ore",
                   "rs.", "or.", "re.", "...",
                   *(tail + bracket for tail in _MARKER_LAST_TWO for bracket in ")]"))
    for chars in itertools.product(*({char, char.upper()} for char in ending)))
_MARKER_LAST_WORDS = frozenset({"al", "alii", "alia", "others", "more", "authors", "author"})
_MARKER_FIRST = frozenset("eEaA&+([.…mMoO0123456789")
# What separates the names of a list on one line: a semicolon, a comma (but not one
# between the numbers of affiliation marks, "Zhang1,2"), or "and" / "&" between spaces,
# perhaps after a comma (the Oxford comma).
_LIST_SEPARATOR = re.compile(
    r"\s*(?:;|(?:(?<!\d),|,(?!\s?\d))(?:\s*(?:and|&)(?=\s))?|\s(?:and|&)(?=\s))\s*")
# Family names of two or three letters often written in capitals after the given name
# ("Wei LI", "Min-jun LEE", "Hiroshi ITO"), which would otherwise read as initials after
# a family name ("Smith AB"): Chinese (pinyin, Cantonese, Hokkien), Korean, Japanese and
# Vietnamese names. Initials that spell one are read as the family name, as before.
_SHORT_CAPITAL_FAMILIES = frozenset({
    "AI", "AN", "AO", "AU", "BAI", "BAO", "BI", "CAI", "CAO", "CEN", "CHU", "CUI", "DAI",
    "DOU", "DU", "FAN", "FEI", "FU", "GAN", "GAO", "GE", "GOH", "GU", "GUO", "HAN", "HAO", "HE",
    "HO", "HOU", "HU", "HUA", "HUI", "HUO", "JI", "JIA", "JIN", "JU", "KE", "KOH", "KOK", "LAI",
    "LAM", "LAN", "LAO", "LAU", "LAW", "LEI", "LI", "LIM", "LIN", "LIU", "LO", "LOH", "LOU",
    "LU", "LUI", "LUO", "LV", "LYU", "MA", "MAI", "MAK", "MAO", "MEI", "MO", "MOK", "MU", "NG",
    "NI", "NIE", "NIU", "ONG", "OU", "OOI", "PAN", "PEI", "PU", "QI", "QIN", "QIU", "QU", "RAO",
    "REN", "RUI", "SHI", "SO", "SU", "SUN", "TAM", "TAN", "TAO", "TEO", "TOH", "TSE", "WAN",
    "WEI", "WEN", "WU", "XI", "XIA", "XIE", "XU", "XUE", "YAN", "YAO", "YAP", "YAU", "YE",
    "YEO", "YI", "YIN", "YIP", "YOU", "YU", "YUE", "YUN", "ZHU", "ZOU", "ZU",
    "AHN", "BAE", "CHA", "CHO", "EOM", "HA", "HEO", "HUR", "IM", "JO", "JOO", "KIM", "KO",
    "KOO", "KU", "LEE", "MIN", "NAM", "NOH", "OH", "PAK", "RHO", "RYU", "SEO", "SIM", "SIN",
    "SON", "SUH", "WON", "WOO", "YOO", "YUK",
    "ABE", "IDA", "ISO", "ITO", "OBA", "ODA", "OKA", "ONO", "OTA", "OYA", "UNO",
    "BUI", "DAM", "DAO", "DO", "LA", "LE", "LUU", "LY", "NGO", "TA", "TO", "TU", "VI", "VO", "VU",
})
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


def _is_initials(word: str) -> bool:
    """Whether a word holds only initials: one to three capitals, each perhaps with a
    full stop, perhaps joined by a hyphen ("A", "A.", "AB", "A.B.", "J-P", "J.-P."); two
    at most without full stops."""
    if not word.isupper() or len(word) > 7 or not word[0].isalpha():
        return False
    letters = word.replace(".", "").replace("-", "")
    if len(letters) > 3 or not letters.isalpha():
        return False
    if len(letters) == 1 or len(letters) != len(word):
        return True
    # Two bare capitals may be a family name in capitals ("Wei LI") or a Roman numeral
    # ("Louis XI"): both keep their old reading. Three bare capitals are a family name
    # more often than initials ("Bob FOX", "Ana PAZ"): never initials.
    return (len(letters) == 2 and letters not in _SHORT_CAPITAL_FAMILIES
            and _ROMAN.match(letters) is None)


def _family_then_initials(words: list[str]) -> Person | None:
    """The person of "Family Initials" ("Smith A. B.", "van Dijk A."): one family name,
    perhaps after particles, and only initials after it; None for any other name."""
    end = len(words)
    while end > 1 and _is_initials(words[end - 1]):
        end -= 1
    if end == len(words):
        return None
    family = end - 1
    start = 0
    while start < family and _is_particle(words[start]):
        start += 1
    # "Ng Andrew Y." (two names before the initial) is left to the display-order
    # reading; "A. B." (initials all through) and "KUN JIN" (all capitals) too.
    if start != family or words[family].isupper() or not words[family][0].isupper():
        return None
    return _split_inverted([" ".join(words[:end]), " ".join(words[end:])])


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
    # "Ann Smith, MSc, PhD": one at a time.
    while (last := name[(cut := name.rfind(" ")) + 1:]).replace(".", "") in _ANY_DEGREE_WORDS:
        if last.replace(".", "") in _DEGREE_WORDS:
            shorter = _DEGREES.sub("", name)
        elif last in _COMMA_DEGREES and cut > 0 and name[cut - 1] == "," \
                and _two_names_or_more(name[:cut - 1]):
            shorter = name[:cut - 1]
        else:
            break
        if shorter == name:
            break
        name = shorter
    if name[:1] in "DPMS" and _HONORIFICS.match(name) is not None:
        name = _HONORIFICS.sub("", name)
    return name.strip(" ,;"), note


def _two_names_or_more(text: str) -> bool:
    """Whether text holds two words or more besides particles ("Gina Hu", not "Hu" nor
    "van Dijk"): a name that a degree may follow, rather than a family name that
    initials follow."""
    words = text.replace(",", " ").split()
    return sum(1 for word in words if not _is_particle(word)) >= 2


def _may_end_in_marker(text: str) -> bool:
    """A quick test that spares most names :data:`_MARKER_AFTER`: whether the last
    characters of a text stripped of spaces may end a truncation marker."""
    return text[-3:] in _MARKER_ENDINGS or text.endswith("…")


def may_end_in_marker(text: str) -> bool:
    """A quick test for callers: False when text cannot end in a truncation marker, so
    that :func:`split_truncation` would give it back unchanged."""
    return _may_end_in_marker(text.rstrip())


def _split_marker(text: str) -> tuple[str, str | None]:
    """Text without the truncation marker it ends in (its separator too), and the marker;
    the text and None when there is none."""
    end = text.rstrip()
    if not _may_end_in_marker(end):
        return text, None
    last = end[end.rfind(" ") + 1:]
    if last.rstrip(".)]").lower() not in _MARKER_LAST_WORDS \
            and not end.endswith(("…", "...")):
        return text, None
    found = _MARKER_AFTER.search(end)
    if found is None:
        return text, None
    return end[:found.start()].rstrip(" ,;"), found.group(1)


def _take_marker(name: str) -> tuple[str, str | None]:
    """:func:`_split_marker` for :func:`parse_name_noted`: a name that is only a marker
    stays whole, and is read as it always was."""
    rest, marker = _split_marker(name)
    return (rest, marker) if rest else (name, None)


def split_truncation(text: str) -> tuple[str, bool]:
    """Text without a trailing truncation marker ("Bob Jones et al." gives "Bob Jones"),
    and whether there was one: "et al.", "et al", "and others", "...", "…", "and 12
    more", "+ 3 more authors", perhaps in brackets, after a space, comma or semicolon.
    A text that is only a marker (:func:`is_truncation_marker`) gives "" and True.
    Text without a marker comes back unchanged, with False."""
    if is_truncation_marker(text):
        return "", True
    rest, marker = _split_marker(text)
    return (rest, True) if marker is not None else (text, False)


def is_truncation_marker(text: str) -> bool:
    """Whether text (a bullet line of an author list) is only a truncation marker and no
    name: "et al.", "and others", "others", "and 12 more", "+ 3 more authors", "12 more
    authors", "… and 5 others", "(more)", "…"; in any case, but for a bare "more" (in
    capitals, a name)."""
    text = text.strip()
    return text[:1] in _MARKER_FIRST and _MARKER_ONLY.fullmatch(text) is not None


def _separators(text: str) -> list[re.Match[str]]:
    """The list separators in text, but for those inside brackets ("Ann Lee (MIT, USA)")."""
    found = list(_LIST_SEPARATOR.finditer(text))
    if found and ("(" in text or "[" in text):
        found = [match for match in found if _bracket_depth(text[:match.start()]) == 0]
    return found


def _bracket_depth(text: str) -> int:
    """How many brackets are open at the end of text."""
    return text.count("(") + text.count("[") - text.count(")") - text.count("]")


def _cut(text: str, separators: list[re.Match[str]]) -> list[str]:
    """The non-empty pieces of text between separators."""
    pieces: list[str] = []
    start = 0
    for match in separators:
        pieces.append(text[start:match.start()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _full_name_shape(part: str) -> str | None:
    """For a piece of a list split at commas or "and": "display" for a name of two words
    or more in display order ("Bob Jones"), "initials" for a family name and initials
    ("Jones B"); None for anything that may be part of one name instead ("Smith",
    "A. B.", "Jr.", "Ph. D.", "MD") or is no person's name."""
    words = part.split()
    if len(words) < 2 or all(_is_initials(word) for word in words):
        return None
    if part.replace(".", "").replace(" ", "") in _ANY_DEGREE_WORDS:
        return None
    try:
        person = parse_name(part)
    except ValueError:
        return None
    if person.family is None or person.given is None:
        return None
    return "initials" if _is_initials(words[-1]) else "display"


def _split_at_commas(text: str, separators: list[re.Match[str]]) -> list[str] | None:
    """The names of a list separated by commas and "and" / "&", or None when the pieces
    may also be one name: every piece must be a full name (:func:`_full_name_shape`),
    but for a truncation marker last ("Ann Lee, Bob Jones, et al.")."""
    if not separators or is_organisation(text):
        return None
    parts = _cut(text, separators)
    names = parts[:-1] if parts and is_truncation_marker(parts[-1]) else parts
    if len(names) < 2:
        return None
    shapes = {_full_name_shape(name) for name in names}
    if None in shapes:
        return None
    # "Garcia Marquez, Gabriel J." and "van Dijk, Jan Peter" are one inverted name: two
    # names at a comma alone must both be in display order, or both family and initials,
    # and the first must not open with a particle.
    if len(names) == 2 and all("," in match.group() for match in separators) \
            and (len(shapes) != 1 or _is_particle(names[0].split()[0])):
        return None
    return parts


def split_name_list(text: str) -> list[str] | None:
    """The names on a line that holds several ("Alice Smith, Bob Jones, and Carl Ng",
    "Dan Lee & Eve Park", "Smith, Alice; Jones, Bob"), as written; None when the line
    holds one name ("Smith, Alice B.", "King, Martin Luther, Jr.", "Gina Hu, MD",
    "Bill and Melinda Gates Foundation"). Semicolons separate names whenever the pieces
    are names; commas and "and" / "&" only when every piece is a full name of two words
    or more. A truncation marker at the end is kept as the last piece, for the caller
    to test with :func:`is_truncation_marker` (or take it off first with
    :func:`split_truncation`). Names in scripts written without spaces are never split.
    """
    # Most lines hold one name and none of the separators: no pattern for them.
    if ";" not in text and "," not in text and " and " not in text and "&" not in text:
        return None
    text = clean_inline(text)
    if _unspaced_script(text):
        return None
    separators = _separators(text)
    semicolons = [match for match in separators if ";" in match.group()]
    if not semicolons:
        return _split_at_commas(text, separators)
    parts = _cut(text, semicolons)
    names = parts[:-1] if parts and is_truncation_marker(parts[-1]) else parts
    if len(names) < 2:
        return None
    found: list[str] = []
    for part in names:
        try:
            parse_name(part)
        except ValueError:
            return None
        # "Ann Lee, Bob Jones; Carl Ng": a piece between semicolons may be a list too.
        found.extend(_split_at_commas(part, _separators(part)) or [part])
    return found + parts[len(names):]


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
    (:func:`strip_name_notes`).

    A truncation marker after the name ("Bob Jones et al.") is no part of it: it is
    handed back as the note (after the note in brackets, if both), so that a caller who
    reports notes does not lose it silently; callers that care take it off first with
    :func:`split_truncation`. A text that is only a marker is no name, but is read as
    before: callers tell it with :func:`is_truncation_marker`. An "and" or "&" before
    the name ("and Bob Jones", the last of a list) is dropped.

    Raises ``ValueError`` for a text with no letter left: empty, or only punctuation.
    """
    name = clean_inline(text)
    truncation: str | None = None
    # _may_end_in_marker, inline: most names fail it, and a call costs more than the test.
    if name[-3:] in _MARKER_ENDINGS or name.endswith("…"):
        name, truncation = _take_marker(name)
    if name[:1] in "a&" and name.startswith(("and ", "& ")) and not is_truncation_marker(name):
        name = name[name.index(" ") + 1:]
    orcid: str | None = None
    if "-" in name:  # an ORCID iD has three hyphens: no regex scan without one
        orcid_match = _ORCID.search(name)
        if orcid_match:
            orcid = orcid_match.group(1)
            start = orcid_match.start()
            # Written as a link ("https://orcid.org/0000-..."): the link goes too.
            link = _ORCID_LINK.search(name, 0, start) if "/" in name[:start] else None
            name = name[:start if link is None else link.start()] + name[orcid_match.end():]
            name = clean_inline(name.replace("()", "").replace("<>", "")).strip(" ,;:")
            name = name.removesuffix("ORCID").removesuffix("orcid").strip(" ,;:")
    homonym: str | None = None
    # The number first ("Bo Li 0026", often), then what was added around the name
    # ("Bo Li* 0026", "Bo Li (MIT) 0026"), then a number a note hid ("Bo Li 0026 (MIT)").
    if name[-1:].isdigit() and (homonym_match := _HOMONYM.match(name)) is not None:
        name, homonym = homonym_match.group(1), homonym_match.group(2)
    name, note = strip_name_notes(name)
    if truncation is None and note is not None and _may_end_in_marker(name):
        name, truncation = _take_marker(name)  # "Bob Jones et al. (MIT)": behind the note
    if homonym is None and name[-1:].isdigit() \
            and (homonym_match := _HOMONYM.match(name)) is not None:
        name, homonym = homonym_match.group(1), homonym_match.group(2)
        name = strip_name_notes(name)[0]
    if truncation is not None:
        note = truncation if note is None else f"{note}; {truncation}"
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
    many distinct texts around the same few names. Raises ``ValueError`` for a name
    with no letter: empty, or only punctuation ("—", "·").
    """
    if not name[:1].isalpha() and not any(char.isalpha() for char in name):
        raise ValueError(f"no letter in name {name!r}")
    if is_organisation(name) or _unspaced_script(name):
        return Person(literal=name)
    if "," in name:
        parts = [p.strip() for p in name.split(",")]
        if len(parts) == 2 and _is_suffix(parts[1]):
            return split_display_name([*parts[0].split(), parts[1]])
        if len(parts) in (2, 3) and all(parts):
            return _split_inverted(parts)
        return Person(literal=name)
    words = name.split()
    # Initials are all capitals: the test spares other names the look at each word.
    if len(words) > 1 and words[-1].isupper():
        person = _family_then_initials(words)
        if person is not None:
            return person
    return split_display_name(words)

"""Person-name parsing."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bibconv.model import Person
from bibconv.names import parse_name, parse_name_noted, strip_name_notes
from bibconv.text import fix_mojibake


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Kun Jin", Person(family="Jin", given="Kun")),
        ("Bo Li 0026", Person(family="Li", given="Bo", homonym="0026")),
        ("Ludwig van Beethoven", Person(family="Beethoven", given="Ludwig", particle="van")),
        ("Jean de la Fontaine", Person(family="Fontaine", given="Jean", particle="de la")),
        ("Vincent van der Berg", Person(family="Berg", given="Vincent", particle="van der")),
        ("Martin Luther King Jr.", Person(family="King", given="Martin Luther", suffix="Jr.")),
        ("John Smith III", Person(family="Smith", given="John", suffix="III")),
        ("King, Jr., Martin Luther", Person(family="King", given="Martin Luther", suffix="Jr.")),
        ("van Beethoven, Ludwig", Person(family="Beethoven", given="Ludwig", particle="van")),
        ("Smith, John", Person(family="Smith", given="John")),
        ("J. R. R. Tolkien", Person(family="Tolkien", given="J. R. R.")),
        ("Mohammad Mahdi Khalili", Person(family="Khalili", given="Mohammad Mahdi")),
        ("José María Olazábal", Person(family="Olazábal", given="José María")),
        ("Aristotle", Person(literal="Aristotle")),
        ("ATLAS Collaboration", Person(literal="ATLAS Collaboration")),
        ("The OpenAI Team", Person(literal="The OpenAI Team")),
        ("毛泽东", Person(literal="毛泽东")),
        ("Jane Doe (0000-0002-1825-0097)",
         Person(family="Doe", given="Jane", orcid="0000-0002-1825-0097")),
        ("  Kun   Jin  ", Person(family="Jin", given="Kun")),
    ],
)
def test_parse_name(text: str, person: Person) -> None:
    assert parse_name(text) == person


def test_homonym_is_not_printed() -> None:
    assert parse_name("Bo Li 0026").display_name == "Bo Li"


def test_display_name_keeps_particles_and_suffix() -> None:
    assert parse_name("Ludwig van Beethoven").display_name == "Ludwig van Beethoven"
    assert parse_name("Martin Luther King Jr.").display_name == "Martin Luther King, Jr."


def test_empty_name_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_name("   ")


_WORD = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=8)


_DROPPED_WORDS = {"Dr", "Prof", "Professor", "Mr", "Mrs", "Ms", "Mx", "Sir", "Dame", "PhD", "MBA",
                  "MSc", "BSc", "DSc", "FRS", "FREng", "FIEEE", "FACM", "DPhil"}


@given(st.lists(_WORD, min_size=1, max_size=4))
def test_no_letter_is_lost(words: list[str]) -> None:
    # Honorifics and degrees are the words a name loses on purpose, and mojibake
    # ("ÅŽ" is "Ŏ" read as Windows-1252) is read back on purpose.
    assume(not _DROPPED_WORDS.intersection(words))
    assume(fix_mojibake(" ".join(words)) == " ".join(words))
    person = parse_name(" ".join(words))
    parts = [person.literal, person.given, person.particle, person.family, person.suffix]
    # Names are NFC-normalised on the way in; otherwise every letter must survive.
    expected = unicodedata.normalize("NFC", "".join(words))
    assert "".join(p or "" for p in parts).replace(" ", "") == expected


_PIECE = st.sampled_from(["Bo", "Li", "van", "de la", "Jr.", "III", "Team", "University", "李明",
                          "O'Neil", ",", "Smith,", "x"])


@given(st.tuples(st.sampled_from(["Bo", "李明", "van", "Smith,"]),
                 st.lists(_PIECE, max_size=4)).map(lambda t: " ".join([t[0], *t[1]])),
       st.sampled_from(["0026", "0001", "9999"]),
       st.sampled_from([None, "0000-0002-1825-0097"]))
def test_a_homonym_number_or_orcid_only_adds_its_marker(name: str, homonym: str,
                                                       orcid: str | None) -> None:
    # The name's parts do not depend on the markers after it (the parser caches the
    # parts of the plain name apart, for the many homonyms of one name).
    try:
        plain = parse_name(name)
    except ValueError:
        return
    text = f"{name} {homonym}" + (f" ({orcid})" if orcid else "")
    marked = parse_name(text)
    assert (marked.family, marked.given, marked.particle, marked.suffix, marked.literal) == (
        plain.family, plain.given, plain.particle, plain.suffix, plain.literal)
    assert (marked.homonym, marked.orcid) == (homonym, orcid)


@pytest.mark.parametrize(("text", "given", "family", "note"), [
    # Affiliation and equal-contribution marks of scraped author lists.
    ("Wei Zhang*", "Wei", "Zhang", None),
    ("Wei Zhang†‡", "Wei", "Zhang", None),
    ("Wei Zhang¹²", "Wei", "Zhang", None),
    ("Wei Zhang1,2", "Wei", "Zhang", None),
    ("Wei Zhang 1, 2", "Wei", "Zhang", None),
    ("Wei Zhang [3]", "Wei", "Zhang", None),  # a reference mark says nothing
    # Honorifics and degrees.
    ("Dr. Ann Smith", "Ann", "Smith", None),
    ("Prof. Dr. Hans Müller", "Hans", "Müller", None),
    ("Sir Tim Berners-Lee", "Tim", "Berners-Lee", None),
    ("Ann Smith, PhD", "Ann", "Smith", None),
    ("Ann Smith, Ph.D.", "Ann", "Smith", None),
    ("Ann Smith, MSc, PhD", "Ann", "Smith", None),
    # A note in brackets: an affiliation, handed back to be reported.
    ("Wei Zhang (Tsinghua University)", "Wei", "Zhang", "Tsinghua University"),
    ("Wei Zhang [MIT]", "Wei", "Zhang", "MIT"),
])
def test_what_scraped_lists_add_to_a_name_is_taken_off(text: str, given: str, family: str,
                                                        note: str | None) -> None:
    person, found = parse_name_noted(text)
    assert (person.given, person.family, found) == (given, family, note)
    assert parse_name(text) == person


@pytest.mark.parametrize("text", [
    "Smith, M.A.",  # initials, not a degree
    "Smith, J.", "Dr", "Dr. Smith", "William (Bill) Gates", "Ann Smith, Jr.", "Louis XIV",
    "Mary-Jane O'Neil", "李明",
])
def test_names_that_only_look_marked_are_left_alone(text: str) -> None:
    assert strip_name_notes(text) == (text, None)


def test_a_homonym_number_survives_marks_and_notes() -> None:
    for text in ("Bo Li 0026*", "Bo Li 0026 (MIT)", "Bo Li 0026¹"):
        person, _ = parse_name_noted(text)
        assert (person.given, person.family, person.homonym) == ("Bo", "Li", "0026")

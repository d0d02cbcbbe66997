"""Person-name parsing."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibconv.model import Person
from bibconv.names import parse_name


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


@given(st.lists(_WORD, min_size=1, max_size=4))
def test_no_letter_is_lost(words: list[str]) -> None:
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

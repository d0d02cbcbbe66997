"""Person-name parsing."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bibconv.model import Person
from bibconv.names import (
    is_organisation,
    is_truncation_marker,
    parse_name,
    parse_name_noted,
    split_name_list,
    split_truncation,
    strip_name_notes,
)
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
    # A family name before initials ("Ab C") is read family first.
    family_first = [person.literal, person.particle, person.family, person.given,
                    person.suffix]
    # Names are NFC-normalised on the way in; otherwise every letter must survive.
    expected = unicodedata.normalize("NFC", "".join(words))
    assert expected in {"".join(p or "" for p in order).replace(" ", "")
                        for order in (parts, family_first)}


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


# --- ORCID iDs written as links ------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Carl Ng https://orcid.org/0000-0002-1825-0097",
    "Carl Ng http://orcid.org/0000-0002-1825-0097",
    "Carl Ng https://www.orcid.org/0000-0002-1825-0097",
    "Carl Ng orcid.org/0000-0002-1825-0097",
    "Carl Ng (https://orcid.org/0000-0002-1825-0097)",
    "Carl Ng, ORCID: https://ORCID.org/0000-0002-1825-0097",
    "Carl Ng <https://orcid.org/0000-0002-1825-0097>",
    "Carl Ng (0000-0002-1825-0097)",
])
def test_an_orcid_link_leaves_only_its_id(text: str) -> None:
    assert parse_name_noted(text) == (
        Person(family="Ng", given="Carl", orcid="0000-0002-1825-0097"), None)


# --- Conjunctions and truncation markers around a name -------------------------------

@pytest.mark.parametrize("text", ["and Bob Jones", "& Bob Jones", "and  Bob Jones*"])
def test_a_leading_conjunction_is_not_part_of_the_name(text: str) -> None:
    assert parse_name(text) == Person(family="Jones", given="Bob")


@pytest.mark.parametrize(("text", "rest", "truncated"), [
    ("Bob Jones et al.", "Bob Jones", True),
    ("Bob Jones et al", "Bob Jones", True),
    ("Bob Jones, et al.", "Bob Jones", True),
    ("Bob Jones et. al.", "Bob Jones", True),
    ("Bob Jones ET AL.", "Bob Jones", True),
    ("Bob Jones and others", "Bob Jones", True),
    ("Bob Jones ...", "Bob Jones", True),
    ("Bob Jones…", "Bob Jones", True),
    ("Bob Jones, …", "Bob Jones", True),
    ("Bob Jones and 12 more", "Bob Jones", True),
    ("Bob Jones + 3 more authors", "Bob Jones", True),
    ("Bob Jones +3 more", "Bob Jones", True),
    ("Bob Jones (+ 3 more)", "Bob Jones", True),
    ("Bob Jones and more", "Bob Jones", True),
    ("Alice Smith, Bob Jones, et al.", "Alice Smith, Bob Jones", True),
    ("et al.", "", True),
    # No marker: the text comes back as it was.
    ("Bob Jones", "Bob Jones", False),
    ("Thomas More", "Thomas More", False),
    ("Smith and More", "Smith and More", False),  # "more" in capitals is a name
    ("Anna Others", "Anna Others", False),
    ("Ahmad Al", "Ahmad Al", False),
    ("Jane Doe 0026", "Jane Doe 0026", False),
    ("", "", False),
])
def test_split_truncation(text: str, rest: str, truncated: bool) -> None:
    assert split_truncation(text) == (rest, truncated)


@pytest.mark.parametrize("text", [
    "et al.", "et al", "Et Al.", "et. al.", "et alii", "and others", "others", "& others",
    "and 12 more", "+ 3 more authors", "+3 more", "12 more authors", "3 more", "more authors",
    "… and 5 others", "... and 5 more", "and 5 others", "(more)", "[more]", "(+ 3 more)",
    "…", "...", "  AND 12 MORE  ",
])
def test_is_truncation_marker(text: str) -> None:
    assert is_truncation_marker(text)


@pytest.mark.parametrize("text", [
    "Bob Jones et al.", "Thomas More", "Anna Others", "Etal", "Alice", "Al", "12", "",
    "More Smith", "and Bob Jones", "Emily Moreau",
])
def test_names_are_no_truncation_markers(text: str) -> None:
    assert not is_truncation_marker(text)


@pytest.mark.parametrize(("text", "marker"), [
    ("Bob Jones et al.", "et al."),
    ("Bob Jones, and 12 more", "and 12 more"),
    ("Bob Jones…", "…"),
])
def test_a_name_before_a_truncation_marker_is_read_and_the_marker_noted(text: str,
                                                                       marker: str) -> None:
    # The marker comes back as the note: a caller that reports notes reports it, so the
    # truncation is not lost silently (callers that split it off first see no note).
    assert parse_name_noted(text) == (Person(family="Jones", given="Bob"), marker)
    assert parse_name(text) == Person(family="Jones", given="Bob")


@pytest.mark.parametrize("text", ["Bob Jones (MIT) et al.", "Bob Jones et al. (MIT)"])
def test_a_truncation_marker_joins_a_note_in_brackets(text: str) -> None:
    assert parse_name_noted(text) == (Person(family="Jones", given="Bob"), "MIT; et al.")


@pytest.mark.parametrize(("text", "person"), [
    ("et al.", Person(family="al.", given="et")),
    ("and others", Person(family="others", given="and")),
])
def test_a_line_that_is_only_a_marker_is_read_as_before(text: str, person: Person) -> None:
    # No name, but callers tell it with is_truncation_marker; a ValueError here would
    # make the RIS and cluster-JSON readers skip the whole record.
    assert parse_name_noted(text) == (person, None)


# --- Family name first, then initials ------------------------------------------------

@pytest.mark.parametrize(("text", "person"), [
    ("Smith A.", Person(family="Smith", given="A.")),
    ("Smith A", Person(family="Smith", given="A")),
    ("Smith AB", Person(family="Smith", given="AB")),
    # Three bare capitals are a family name in capitals more often than initials.
    ("Smith ABC", Person(family="ABC", given="Smith")),
    ("Bob FOX", Person(family="FOX", given="Bob")),
    ("Smith A.B.C.", Person(family="Smith", given="A.B.C.")),
    ("Smith A B", Person(family="Smith", given="A B")),
    ("Smith A. B.", Person(family="Smith", given="A. B.")),
    ("Smith A.B.", Person(family="Smith", given="A.B.")),
    ("Dupont J-P", Person(family="Dupont", given="J-P")),
    ("Dupont J.-P.", Person(family="Dupont", given="J.-P.")),
    ("Berners-Lee T.", Person(family="Berners-Lee", given="T.")),
    ("Müller H.", Person(family="Müller", given="H.")),
    ("Ng AY", Person(family="Ng", given="AY")),
    ("Smith A.*", Person(family="Smith", given="A.")),
    ("Smith AB 0026", Person(family="Smith", given="AB", homonym="0026")),
    # Particles lead the family name, as in "van Dijk, A.".
    ("van Dijk A.", Person(family="Dijk", given="A.", particle="van")),
    ("de la Cruz M. J.", Person(family="Cruz", given="M. J.", particle="de la")),
])
def test_a_family_name_before_initials(text: str, person: Person) -> None:
    assert parse_name(text) == person


@pytest.mark.parametrize(("text", "person"), [
    # Display order, as before.
    ("Ng Andrew Y.", Person(family="Y.", given="Ng Andrew")),  # ambiguous: left alone
    ("Alan Turing", Person(family="Turing", given="Alan")),
    ("J. Smith", Person(family="Smith", given="J.")),
    ("A. B.", Person(family="B.", given="A.")),
    ("KUN JIN", Person(family="JIN", given="KUN")),
    ("John Smith III", Person(family="Smith", given="John", suffix="III")),
    ("Louis XIV", Person(family="XIV", given="Louis")),
    # A family name of two or three letters written in capitals, not initials.
    ("Wei LI", Person(family="LI", given="Wei")),
    ("Jun MA", Person(family="MA", given="Jun")),
    ("Yang LIU", Person(family="LIU", given="Yang")),
    ("Andrew NG", Person(family="NG", given="Andrew")),
    ("Min-jun LEE", Person(family="LEE", given="Min-jun")),
    ("Hiroshi ITO", Person(family="ITO", given="Hiroshi")),
    ("毛泽东", Person(literal="毛泽东")),
])
def test_names_that_only_look_like_family_and_initials(text: str, person: Person) -> None:
    assert parse_name(text) == person


# --- Degrees after a comma -----------------------------------------------------------

@pytest.mark.parametrize("degree", [
    "MD", "DO", "DDS", "DVM", "MPH", "MBBS", "MS", "MA", "BA", "BS", "MEng", "BEng",
    "PharmD", "JD", "LLM", "RN", "FRCP", "FACS",
])
def test_a_degree_after_a_comma_is_dropped(degree: str) -> None:
    assert parse_name(f"Gina Hu, {degree}") == Person(family="Hu", given="Gina")
    assert parse_name(f"Gina Hu, {degree}, PhD") == Person(family="Hu", given="Gina")
    assert parse_name(f"Gina Hu, PhD, {degree}") == Person(family="Hu", given="Gina")


@pytest.mark.parametrize(("text", "person"), [
    ("Ma Long", Person(family="Long", given="Ma")),
    ("Gina Hu MD", Person(family="MD", given="Gina Hu")),  # no comma: left alone
    ("Hu, MD", Person(family="Hu", given="MD")),  # "Family, Initials"
    ("van Dijk, MA", Person(family="Dijk", given="MA", particle="van")),
    ("Smith, M.A.", Person(family="Smith", given="M.A.")),
])
def test_degree_letters_that_are_names(text: str, person: Person) -> None:
    assert parse_name(text) == person


# --- Text that is no name ------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "—", "-", "–", ".", "·", "- -", "…", "*", "()", "0026"])
def test_text_without_a_letter_is_no_name(text: str) -> None:
    with pytest.raises(ValueError):
        parse_name_noted(text)


# --- Several names on one line -------------------------------------------------------

@pytest.mark.parametrize(("text", "parts"), [
    ("Alice Smith, Bob Jones, Carl Ng", ["Alice Smith", "Bob Jones", "Carl Ng"]),
    ("Alice Smith, Bob Jones", ["Alice Smith", "Bob Jones"]),
    ("Dan Lee and Eve Park", ["Dan Lee", "Eve Park"]),
    ("Dan Lee & Eve Park", ["Dan Lee", "Eve Park"]),
    ("Smith, Alice; Jones, Bob", ["Smith, Alice", "Jones, Bob"]),
    ("Smith, Alice;Jones, Bob;", ["Smith, Alice", "Jones, Bob"]),
    ("Alice Smith; Bob Jones", ["Alice Smith", "Bob Jones"]),
    ("Alice Smith, Bob Jones, and Carl Ng", ["Alice Smith", "Bob Jones", "Carl Ng"]),
    ("Alice Smith, Bob Jones and Carl Ng", ["Alice Smith", "Bob Jones", "Carl Ng"]),
    ("Alice Smith*, Bob Jones¹", ["Alice Smith*", "Bob Jones¹"]),
    ("Wei Zhang1,2, Bo Li3", ["Wei Zhang1,2", "Bo Li3"]),
    ("Bo Li 0026, Wei Zhang 0001", ["Bo Li 0026", "Wei Zhang 0001"]),
    ("Alice Smith (MIT, USA), Bob Jones (CMU)", ["Alice Smith (MIT, USA)", "Bob Jones (CMU)"]),
    ("Smith J, Jones B", ["Smith J", "Jones B"]),
    ("Smith AB, Jones B, Ng C", ["Smith AB", "Jones B", "Ng C"]),
    ("Alice Smith, Bob Jones, et al.", ["Alice Smith", "Bob Jones", "et al."]),
    ("Alice Smith, Bob Jones and 12 more", ["Alice Smith", "Bob Jones", "12 more"]),
    ("Alice Smith, Bob Jones; Carl Ng", ["Alice Smith", "Bob Jones", "Carl Ng"]),
    ("ATLAS Collaboration; CMS Collaboration", ["ATLAS Collaboration", "CMS Collaboration"]),
    ("Ludwig van Beethoven, Jean de la Fontaine",
     ["Ludwig van Beethoven", "Jean de la Fontaine"]),
])
def test_split_name_list(text: str, parts: list[str]) -> None:
    assert split_name_list(text) == parts


@pytest.mark.parametrize("text", [
    "Alice Smith", "Smith, Alice", "Smith, Alice B.", "King, Martin Luther, Jr.",
    "Martin Luther King, Jr.", "Gina Hu, MD", "Gina Hu, MD, PhD", "Alice Smith, PhD",
    "Ann Smith, Ph. D.", "Smith, J.", "Smith, J., Jr.", "Johnson & Johnson Inc.",
    "Bill and Melinda Gates Foundation", "Bill and Melinda Gates", "van Dijk, Jan Peter",
    "Garcia Marquez, Gabriel J.", "李明, 王芳", "李明和王芳", "Alice Smith et al.",
    "Alice Smith and others", "Smith and Jones", "Wei Zhang1,2", "Alice Smith;",
    "Alice Smith, A. B.", "Ortega y Gasset", "Anderson Smith", "Sandra Andrews",
    "Alice Smith (MIT, USA)", "", "Smith, Alice; et al.", "Alice Smith; —", "Tom & Jerry",
    "Alice Smith, Bob Jones, Carl Ng, Jr.",
])
def test_one_name_is_no_list(text: str) -> None:
    assert split_name_list(text) is None


_CAPITALISED = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9))
# Capitalised words the parser reads on purpose as something other than a given or
# family name: honorifics, suffixes, degrees, organisation words.
_SPECIAL_WORDS = {"Dr", "Prof", "Professor", "Mr", "Mrs", "Ms", "Mx", "Sir", "Dame", "Jr", "Sr",
                  "Junior", "Senior", "Team", "Group", "Inc", "Ltd", "Lab", "Labs", "Llc",
                  "Gmbh", "Office", "Board", "Project", "Program", "Society", "Network",
                  "Center", "Centre", "Company", "Council", "Agency", "Alliance", "Working",
                  "Ministry", "Institute", "University", "Foundation"}


@given(st.lists(_CAPITALISED, min_size=2, max_size=4))
def test_ordinary_names_are_read_as_before(words: list[str]) -> None:
    # "Given ... Family" in capitalised ASCII words: one name, its last word the family
    # name, the rest given names, printed back as written.
    assume(not _SPECIAL_WORDS.intersection(words))
    # "Xi", "Iv": read as Roman-numeral suffixes after two words, before and now.
    assume(not any(set(w.lower()) <= set("ivx") for w in words[2:]))
    text = " ".join(words)
    assume(not is_organisation(text))
    assert split_name_list(text) is None
    assert split_truncation(text) == (text, False)
    assert not is_truncation_marker(text)
    person = parse_name(text)
    assert (person.family, person.given) == (words[-1], " ".join(words[:-1]))
    assert person.display_name == text
    assert parse_name_noted(text) == (person, None)

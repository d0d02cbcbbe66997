"""Unit, golden and property tests of the BibTeX/BibLaTeX writers and bibconv.latex.

Golden files live in tests/golden/bibtex/; regenerate them with
``BIBCONV_UPDATE_GOLDEN=1 pytest tests/test_bibtex_writer.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.diagnostics import Diagnostic
from bibconv.errors import OptionError
from bibconv.latex import (
    MATH_COMMANDS,
    bibtex_name,
    braces_balanced,
    is_safe_math,
    needs_protection,
    protect_title,
    to_latex,
    to_text,
)
from bibconv.model import Date, Paper, Person, Venue
from bibconv.text import fold_lines, strip_controls
from bibconv.writers.bibtex import BibLaTeXWriter, BibTeXWriter

from .conftest import EXAMPLE, FIXTURES

GOLDEN = Path(__file__).resolve().parent / "golden" / "bibtex"
CORPUS = FIXTURES / "bibtex" / "corpus.json"
UPDATE = os.environ.get("BIBCONV_UPDATE_GOLDEN", "") not in ("", "0")


def _paper(data: dict[str, Any]) -> Paper:
    """A paper from the corpus's JSON (the model's field names, nested as in the model)."""
    data = dict(data)
    for role in ("author", "editor"):
        data[role] = tuple(Person(**p) for p in data.get(role, ()))
    if "issued" in data:
        data["issued"] = Date(**data["issued"])
    if "venue" in data:
        data["venue"] = Venue(**data["venue"])
    return Paper(**data)


def corpus() -> list[Paper]:
    """The hostile/edge-case corpus (tests/fixtures/bibtex/corpus.json)."""
    return [_paper(d) for d in json.loads(CORPUS.read_text(encoding="utf-8"))]


def example() -> list[Paper]:
    return list(bibconv.load(EXAMPLE, diagnostics=[]))


def dumps(papers: list[Paper], fmt: str = "bibtex", **options: object) -> tuple[str, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    return bibconv.dumps(papers, fmt, diagnostics=diags, **options), diags


# --- golden files ------------------------------------------------------------------------

GOLDEN_CASES = [
    ("kun-jin.bib", "example", "bibtex", {}),
    ("kun-jin.biblatex.bib", "example", "biblatex", {}),
    ("kun-jin.short.bib", "example", "bibtex", {"venue_form": "short"}),
    ("corpus.bib", "corpus", "bibtex", {}),
    ("corpus.ascii.bib", "corpus", "bibtex", {"ascii": True}),
    ("corpus.biblatex.bib", "corpus", "biblatex", {}),
]


@pytest.mark.parametrize(("name", "source", "fmt", "options"), GOLDEN_CASES)
def test_golden(name: str, source: str, fmt: str, options: dict[str, object]) -> None:
    papers = example() if source == "example" else corpus()
    text, _ = dumps(papers, fmt, **options)
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with BIBCONV_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_cli_output_matches_golden() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from bibconv.cli import main; main()",
         "convert", str(EXAMPLE), "--to", "bibtex"],
        capture_output=True, text=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (GOLDEN / "kun-jin.bib").read_text(encoding="utf-8")
    assert "warning[lossy-field]" in result.stderr


# --- the example, by eye -----------------------------------------------------------------

def test_example_entries_read_like_a_careful_human_wrote_them() -> None:
    text, diags = dumps(example())
    assert text.count("@inproceedings{") == 9 and text.count("@article{") == 1
    assert "@inproceedings{jin2026addressing,\n  author = {Jin, Kun and Xie, Tian and" in text
    assert "booktitle = {Proceedings of the AAAI Conference on Artificial Intelligence}" in text
    assert "title = {{DensePure}: Understanding Diffusion Models" in text
    assert "title = {Two-Sided {Wasserstein} {Procrustes} Analysis}" in text
    assert "with {Baidu} {Search} {Index} for subway" in text
    assert "journal = {Engineering Applications of Artificial Intelligence}" in text
    assert "top-{$k$} truncation" in text and "7\\% improvement" in text
    assert "0026" not in text  # homonym numbers are never printed
    assert "{{" not in text.replace("{{DensePure}", "")  # no blanket double braces
    codes = sorted({d.code for d in diags})
    assert codes == ["lossy-field"]
    # One lossy-field warning per paper that lost something, naming the paper and the
    # fields: the acronym (BibTeX has no short booktitle) and, for DensePure, the homonym
    # number. The cluster is provenance (like origin and line) and is not reported.
    assert len(diags) == 9  # the nine conference papers; the journal keeps shortjournal
    assert all(d.line is not None and "short venue title" in d.message for d in diags)
    assert len([d for d in diags if "homonym" in d.message]) == 1
    assert "xiao2023densepure" in next(d.message for d in diags if "homonym" in d.message)
    assert not [d for d in diags if "cluster" in d.message]
    assert "eventtitle = {International Conference on Learning Representations}" in text
    assert "shortjournal = {Eng. Appl. Artif. Intell.}" in text


def test_biblatex_uses_date_journaltitle_and_eventtitle() -> None:
    text, _ = dumps(example(), "biblatex")
    assert "date = {2026}" in text and "year =" not in text
    assert "journaltitle = {Engineering Applications of Artificial Intelligence}" in text
    assert "shortjournal = {Eng. Appl. Artif. Intell.}" in text
    assert "eventtitle = {AAAI Conference on Artificial Intelligence}" in text
    assert "eventtitle = {Conference on Neural Information Processing Systems}" in text


def test_venue_form_short() -> None:
    text, _ = dumps(example(), venue_form="short")
    assert "booktitle = {AAAI}" in text and "journal = {Eng. Appl. Artif. Intell.}" in text


# --- options -----------------------------------------------------------------------------

def test_unknown_key_token_is_a_usage_error_listing_tokens() -> None:
    with pytest.raises(OptionError, match=r"\{nope\}.*valid tokens: .*\{auth\}.*\{year\}"):
        BibTeXWriter(key_pattern="{nope}{year}")


@pytest.mark.parametrize("options", [{"venue_form": "medium"}, {"ascii": "maybe"},
                                     {"colour": "red"}])
def test_bad_options_are_usage_errors(options: dict[str, object]) -> None:
    with pytest.raises(OptionError):
        BibLaTeXWriter(**options)


def test_key_pattern_option() -> None:
    text, _ = dumps(example(), key_pattern="{Auth}{shortyear}:{venue}")
    assert "@inproceedings{Jin26:aaai," in text


def test_keys_do_not_depend_on_input_order() -> None:
    papers = example() + corpus()
    forward, _ = dumps(papers)
    backward, _ = dumps(list(reversed(papers)))
    def entries(text: str) -> set[str]:
        return set(text.strip().split("\n\n"))
    assert entries(forward) == entries(backward)
    keys = re.findall(r"^@\w+\{([^,]+),", forward, re.M)
    assert len(keys) == len(set(keys)) == len(papers)


def test_keep_ids_keeps_source_keys() -> None:
    paper = Paper(title="T", id="Knuth:1984", issued=Date(1984))
    assert dumps([paper])[0].startswith("@misc{Knuth:1984,")
    assert dumps([paper], keep_ids=False)[0].startswith("@misc{anon1984t,")


# --- entry types -------------------------------------------------------------------------

@pytest.mark.parametrize(("csl", "genre", "bibtex", "biblatex"), [
    ("paper-conference", None, "inproceedings", "inproceedings"),
    ("article-journal", None, "article", "article"),
    ("chapter", None, "incollection", "incollection"),
    ("article", "Preprint", "misc", "online"),
    ("thesis", "PhD Thesis", "phdthesis", "thesis"),
    ("thesis", "Master's Thesis", "mastersthesis", "thesis"),
    ("book", None, "book", "book"),
    ("report", None, "techreport", "report"),
    ("document", None, "misc", "misc"),
    ("dataset", None, "misc", "dataset"),
])
def test_entry_types(csl: str, genre: str | None, bibtex: str, biblatex: str) -> None:
    paper = Paper(title="T", type=csl, genre=genre, author=(Person("A", "B"),),
                  issued=Date(2020))
    assert dumps([paper])[0].startswith(f"@{bibtex}{{")
    assert dumps([paper], "biblatex")[0].startswith(f"@{biblatex}{{")


def test_thesis_type_field_in_biblatex() -> None:
    paper = Paper(title="T", type="thesis", genre="Master's Thesis", publisher="MIT",
                  author=(Person("A", "B"),), issued=Date(2020))
    text, diags = dumps([paper], "biblatex")
    assert "type = {mathesis}" in text and "institution = {MIT}" in text
    assert not [d for d in diags if d.code == "missing-field"]


def test_month_macro_and_pages_dash() -> None:
    paper = Paper(title="T", type="article-journal", author=(Person("A", "B"),),
                  issued=Date(2020, 3, 7), page="12–34", venue=Venue("J", kind="journal"))
    text, diags = dumps([paper])
    assert "month = mar" in text and "pages = {12--34}" in text
    assert [d.code for d in diags] == ["lossy-field"]  # the day
    assert "date = {2020-03-07}" in dumps([paper], "biblatex")[0]


# --- bad input ---------------------------------------------------------------------------

def test_missing_fields_are_written_with_a_warning_naming_them() -> None:
    paper = Paper(title="Lonely", type="paper-conference", origin="in.txt", line=42)
    text, diags = dumps([paper])
    assert "@inproceedings{" in text and "title = {Lonely}" in text
    missing = [d for d in diags if d.code == "missing-field"]
    assert {re.search(r"requires (\w+)", d.message).group(1) for d in missing} == {  # type: ignore[union-attr]
        "author", "booktitle", "year"}
    assert all(d.origin == "in.txt" and d.line == 42 for d in missing)
    assert str(missing[0]).startswith("in.txt:42: warning[missing-field]:")


def test_authors_truncated_appends_and_others() -> None:
    paper = Paper(title="T", author=(Person("A", "B"),), extra={"authors-truncated": True})
    assert "author = {A, B and others}" in dumps([paper])[0]


def test_ascii_option_spells_accents_and_reports_the_rest() -> None:
    paper = Paper(title="Über façades in 中文", author=(Person("Müller", "Jürgen"),),
                  origin="x", line=3)
    text, diags = dumps([paper], ascii=True)
    assert "author = {M{\\\"u}ller, J{\\\"u}rgen}" in text
    assert "{\\\"U}ber fa{\\c{c}}ades" in text
    unenc = [d for d in diags if d.code == "unencodable"]
    assert len(unenc) == 1 and "'中'" in unenc[0].message and unenc[0].line == 3


# --- names -------------------------------------------------------------------------------

@pytest.mark.parametrize(("person", "expected"), [
    (Person(family="Beethoven", given="Ludwig", particle="van"), "van Beethoven, Ludwig"),
    (Person(family="King", given="Martin Luther", suffix="Jr."), "King, Jr., Martin Luther"),
    (Person(literal="ATLAS Collaboration"), "{ATLAS Collaboration}"),
    (Person(literal="Plato"), "{Plato}"),
    (Person(family="Li", given="Bo", homonym="0026"), "Li, Bo"),
    (Person(family="Da Silva"), "{Da Silva}"),
    (Person(family="Gaulle", given="Charles", particle="De"), "De Gaulle, Charles"),
    (Person(family="Smith and Sons", given="A"), "{Smith and Sons}, A"),
    (Person(family="O'Neil, Jr", given="Tip"), "{O'Neil, Jr}, Tip"),
    (Person(family="Fern\u00e1ndez", given="\\Ana}"), "Fern\u00e1ndez, {\\textbackslash}Ana{\\vphantom{\\{}}\\}"),
])
def test_names(person: Person, expected: str) -> None:
    assert bibtex_name(person) == expected


# --- escaping ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("a & b % c $ d # e _ f", r"a \& b \% c \$ d \# e \_ f"),
    ("x ~ y ^ z \\ w", r"x {\textasciitilde} y {\textasciicircum} z {\textbackslash} w"),
    ("a {b} c", r"a \{b\} c"),
    ("Evil} , note = {x", r"Evil{\vphantom{\{}}\} , note = \{{\vphantom{\}}}x"),
    ("top-$k$ and $\\ell_1$", "top-{$k$} and {$\\ell_1$}"),
    ("$\\input{x}$", r"\${\textbackslash}input\{x\}\$"),
    ("$^^5cinput$", r"\${\textasciicircum}{\textasciicircum}5cinput\$"),
    ("a -- b", "a -{}- b"),
    ("line\nbreak\u2028here", "line break here"),
])
def test_to_latex(text: str, expected: str) -> None:
    assert to_latex(text) == expected


@pytest.mark.parametrize(("math", "safe"), [
    ("$\\ell_1$", True), ("$O(1/T)$", True), ("$\\frac{a}{b}$", True), ("$\\{x\\}$", True),
    ("$\\input{x}$", False), ("$\\def\\x{y}$", False), ("$^^5c$", False), ("$a%b$", False),
    ("$a}{b$", False), ("$\\}$", False), ("$a#1$", False), ("$\\csname x\\endcsname$", False),
])
def test_is_safe_math(math: str, safe: bool) -> None:
    assert is_safe_math(math) is safe


@pytest.mark.parametrize(("word", "protect"), [
    ("DensePure", True), ("GPT-4", True), ("BERT", True), ("AAAI", True), ("PF-ODE", True),
    ("FedAvg", True), ("iPhone", True), ("3D", True), ("O(1/T)", True), ("I", True),
    ("Wasserstein", True), ("Procrustes", True), ("A", False), ("Noise-Aware", False),
    ("(Dis)Incentives", False), ("Learning", False), ("multi-modal", False),
])
def test_needs_protection(word: str, protect: bool) -> None:
    assert needs_protection(word) is protect


def test_sentence_case_titles_protect_capitalised_words() -> None:
    assert protect_title("Deep learning in Beijing: A study of Twitter") == (
        "Deep learning in {Beijing}: A study of {Twitter}")
    # Title case: only the words the rules pick.
    assert protect_title("Learning to Rank with BERT") == "Learning to Rank with {BERT}"


# Text with many specials, math-like runs, braces, accents and line breaks.
_ALPHABET = st.sampled_from([*"abcXYZ {}{}\\$%&#_^~<>|-'`\",.:;!?@=()[]0129 \n\t", "é", "ü", "ß", "–", "—", "中", "α", "∞", "$k$", "$\\ell_1$",
                               "\\input", "\\write18", "^^5c", "--", "``"])
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)
_EMITTED = {"textbackslash", "textasciitilde", "textasciicircum", "textless", "textgreater",
            "textbar", "vphantom", "ensuremath", "ss", "c", "u", "v", "H", "k", "r", "d", "b",
            "ldots", "i"}


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.booleans(), st.booleans())
def test_property_escaping_is_safe_and_reversible(text: str, ascii: bool, title: bool) -> None:
    latex = protect_title(text, ascii=ascii) if title else to_latex(text, ascii=ascii)
    assert braces_balanced(latex)
    # No live command: every control word is one we emit or a vetted math command.
    outside_math = re.sub(r"\{\$.*?\$\}", "", latex)
    for word in re.findall(r"\\([A-Za-z]+)", outside_math):
        assert word in _EMITTED or word in MATH_COMMANDS, (word, latex)
    for word in re.findall(r"\\([A-Za-z]+)", latex):
        assert word in _EMITTED or word in MATH_COMMANDS, (word, latex)
    # % never starts a comment; no line break can start a new entry.
    assert not re.search(r"(?<!\\)%", latex)
    assert "\n" not in latex and "^^" not in latex
    # Decoding gives back exactly the (whitespace-folded) text, in UTF-8 and in ASCII.
    assert to_text(latex) == fold_lines(strip_controls(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=3))
def test_property_entries_never_gain_fields(parts: list[tuple[str, str]]) -> None:
    import bibtexparser

    papers = [Paper(title=t or "x", abstract=a or None, author=(Person(t[:5] or "F", a[:5] or None),),
                    issued=Date(2000 + i)) for i, (t, a) in enumerate(parts)]
    text, _ = dumps(papers)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert len(library.entries) == len(papers)
    for entry in library.entries:
        assert set(entry.fields_dict) <= {"author", "title", "year", "abstract"}


# --- fast paths give what the general rules give ----------------------------------------------

# Title-like text: words of every case shape, punctuation that ends sentences or wraps
# words, some specials and non-ASCII letters, joined by one space (the plain fast paths)
# or by odd whitespace (the general ones).
_WORD = st.sampled_from([
    "deep", "learning", "Deep", "Learning", "BERT", "GPT-4", "iPhone", "A", "a", "I", "the",
    "of", "Beijing:", "Twitter.", "x?", "Wasserstein", "O(1/T)", "(Dis)Incentives", "3D",
    "Noise-Aware", "multi-scale", "“Quoted”", "'quoted'", "Müller", "über", "Ödegård",
    "ǅemal", "𝐀", "e.g.,", "top-$k$", "$\\ell_1$", "a--b", "it's", "x,,y", "R&D", "50%",
    "{braced}", "lone}", "\\input", "~", "<<", "!`", "don''t", "", "0",
])
_SEP = st.sampled_from([" ", " ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u2028", "\x01", "\x0b"])
_TITLE = st.lists(st.tuples(_WORD, _SEP), max_size=14).map(
    lambda pairs: "".join(w + s for w, s in pairs))
_ANY_TEXT = _TITLE.map(str.strip) | _TITLE | _TEXT | st.text(max_size=40)


@settings(max_examples=1500, deadline=None)
@given(_ANY_TEXT, st.booleans())
def test_fast_paths_give_what_the_general_rules_give(text: str, ascii: bool) -> None:
    from bibconv import latex

    fast: set[str] = set()
    general: set[str] = set()
    assert to_latex(text, ascii=ascii, unencodable=fast) == latex._to_latex(text, ascii, general)
    assert fast == general
    fast.clear()
    general.clear()
    assert protect_title(text, ascii=ascii, unencodable=fast) == latex._protect_title(
        text, ascii, general)
    assert fast == general
    if latex._is_plain(text, ascii):
        assert latex._to_latex(text, ascii, None) == text
    assert latex._clean(text) == latex._clean_general(text)
    assert latex._escape_plain(text, ascii, None) == latex._escape_plain_general(
        text, ascii, None)


def test_plain_character_lists_cover_every_code_point() -> None:
    """The fast paths' character lists agree with str.isspace() and strip_controls()."""
    from bibconv import latex

    for code in range(0x110000):
        ch = chr(code)
        if ch == " ":
            continue
        stripped = strip_controls(ch) != ch
        if ch.isspace() or stripped:
            # _is_plain() sends it to the general path; _clean() may not skip it.
            assert latex._NOT_PLAIN.match(ch), hex(code)
            assert not ch.isprintable(), hex(code)
    # A protected word always holds a capital letter (the ASCII title fast path relies on it).
    assert all(any(c.isupper() for c in noun) for noun in latex.PROPER_NOUNS)


_PART = st.none() | st.sampled_from(["", "Li", "li", "van", "De", "Jr.", "Bo", "Da Silva",
                                     "Smith and Sons", "O'Neil, Jr", "Müller", "{x", "\\y"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(Person, family=_PART, given=_PART, particle=_PART,
                          dropping_particle=_PART, suffix=_PART, literal=_PART,
                          homonym=st.sampled_from([None, "0001"]),
                          orcid=st.sampled_from([None, "0000-0002-1825-0097"])),
                max_size=6))
def test_cached_names_are_the_names(people: list[Person]) -> None:
    from bibconv import latex

    expected = " and ".join(latex._bibtex_name(p) for p in people)
    assert latex.name_list(people) == expected
    assert latex.name_list(people) == expected  # a second time, from the cache


@pytest.mark.parametrize(("tag", "langid"), [
    ("en", "english"), ("en-GB", "british"), ("en-US", "american"), ("de", "ngerman"),
    ("de-AT", "naustrian"), ("pt-BR", "brazilian"), ("fr-CA", "french"), ("zh-Hans", "chinese"),
])
def test_the_language_is_written_as_its_babel_name_and_read_back_as_its_tag(
        tag: str, langid: str) -> None:
    paper = Paper(title="T", type="book", author=(Person(family="Li", given="Bo"),),
                  issued=Date(2020), publisher="P", language=tag)
    for dialect, field in (("biblatex", "langid"), ("bibtex", "language")):
        found: list[Diagnostic] = []
        text = bibconv.dumps([paper], dialect, diagnostics=found)
        assert f"{field} = {{{langid}}}" in text and not found
        back = bibconv.loads(text, dialect)[0].language
        # A region babel has no name for ("fr-CA", "zh-Hans") comes back as the language.
        assert back == (tag if langid not in ("french", "chinese") else tag[:2])


def test_a_language_babel_has_no_name_for() -> None:
    paper = Paper(title="T", type="book", author=(Person(family="Li", given="Bo"),),
                  issued=Date(2020), publisher="P", language="tlh")
    found: list[Diagnostic] = []
    text = bibconv.dumps([paper], "biblatex", diagnostics=found)
    assert "langid" not in text and [d.code for d in found] == ["lossy-field"]
    assert "language" in found[0].message
    text = bibconv.dumps([paper], "bibtex")
    assert "language = {tlh}" in text and bibconv.loads(text, "bibtex")[0].language == "tlh"


def test_every_character_ascii_spells_reads_back_as_itself() -> None:
    """--ascii's spellings (LaTeX macros, textcomp symbols, \\ensuremath for math) are
    read back by bibconv's reader as the very characters they spell."""
    from bibconv import latex

    # Left out: spaces and dashes LaTeX spells alike ("~", "\\,", "-", "--"), and the
    # single quotation marks, spelt ` and ', which read back as the ASCII characters
    # they also are (an apostrophe in "O'Neil" is no closing quote).
    chars = [c for c in [*latex._ASCII_TABLE, *latex._MATH_CHARS] if len(c) == 1
             and c not in "\u00a0\u2009\u202f\u2010\u2011\u2012\u201a\u201e\u2018\u2019"]
    title = " ".join(chars)
    paper = Paper(title=title, author=(Person(family="Li", given="Bo"),), issued=Date(2020))
    text = bibconv.dumps([paper], "bibtex", ascii=True)
    assert text.isascii()
    back = bibconv.loads(text, "bibtex")[0].title
    assert back.split(" ") == chars


_SOURCE_TYPES = """@inbook{a,
  author = {Li, Bo},
  title = {A Chapter},
  booktitle = {The Book},
  publisher = {P},
  date = {2020}
}

@proceedings{b,
  editor = {Li, Bo},
  title = {Proc},
  publisher = {P},
  date = {2021}
}

@manual{c,
  author = {Li, Bo},
  title = {Manual},
  date = {2019}
}

@mvbook{d,
  author = {Li, Bo},
  title = {Volumes},
  publisher = {P},
  date = {2018}
}

@conference{e,
  author = {Li, Bo},
  title = {Talk},
  booktitle = {Conf},
  date = {2017}
}
"""


@pytest.mark.parametrize(("dialect", "types"), [
    ("biblatex", ["inbook", "proceedings", "manual", "mvbook", "conference"]),
    # Classic BibTeX has no @mvbook: written as @book, and said.
    ("bibtex", ["inbook", "proceedings", "manual", "book", "conference"]),
])
def test_the_source_entry_type_is_written_back(dialect: str, types: list[str]) -> None:
    papers = bibconv.loads(_SOURCE_TYPES, "biblatex")
    assert [p.extra.get("bibtex-type") for p in papers] == [
        "inbook", "proceedings", "manual", "mvbook", "conference"]
    found: list[Diagnostic] = []
    text = bibconv.dumps(papers, dialect, diagnostics=found)
    assert re.findall(r"^@(\w+)\{", text, re.M) == types
    lossy = [d.message for d in found if d.code == "lossy-field"]
    assert lossy == ([] if dialect == "biblatex" else
                     ["BibTeX cannot hold extra field 'bibtex-type' of paper 'd' ('Volumes'); "
                      "dropped"])
    if dialect == "biblatex":
        assert "type =" not in text  # no report type for the manual
        again = bibconv.loads(text, "biblatex")
        assert [(p.type, dict(p.extra), p.genre) for p in again] == [
            (p.type, dict(p.extra), p.genre) for p in papers]


def test_a_source_type_the_paper_is_not_is_reported() -> None:
    paper = Paper(title="T", type="book", author=(Person(family="Li", given="Bo"),),
                  issued=Date(2020), publisher="P", extra={"bibtex-type": "inbook"})
    found: list[Diagnostic] = []
    text = bibconv.dumps([paper], "biblatex", diagnostics=found)
    assert text.startswith("@book{")
    assert [d.code for d in found] == ["lossy-field"] and "bibtex-type" in found[0].message


@pytest.mark.parametrize(("title", "written"), [
    ("The <i>E. coli</i> genome", r"The \textit{{E}. coli} genome"),
    ("H<sub>2</sub>O at 10<sup>3</sup> K", r"{H\textsubscript{2}O} at 10\textsuperscript{3} {K}"),
    ('A <span class="nocase">iPhone</span> study', "A {{iPhone}} study"),
    ('<span style="font-variant:small-caps;">Small</span> caps', r"\textsc{Small} caps"),
    ("<b>Bold <i>and italic</i></b> words", r"\textbf{Bold \textit{and italic}} words"),
    ("foo<i>bar baz</i>", r"foo\textit{bar baz}"),
    # A word holding half a pair is not braced (the braces would cut the pair).
    ("DNA<i>x y</i>", r"DNA\textit{x y}"),
    # Tags that do not pair are text.
    ("a <i>b", "a {\\textless}i{\\textgreater}b"),
    ("a </i>b<i>", "a {\\textless}/i{\\textgreater}b{\\textless}i{\\textgreater}"),
    ("<i>a</b>", "{\\textless}i{\\textgreater}a{\\textless}/b{\\textgreater}"),
])
def test_csl_rich_text_markup_becomes_latex(title: str, written: str) -> None:
    """CSL-JSON's rich-text tags (Zotero writes them in titles) are LaTeX commands in
    BibTeX, not escaped angle brackets; tags that do not pair stay text."""
    paper = Paper(title=title, type="article-journal", author=(Person(family="Li"),),
                  issued=Date(2020), venue=Venue(name="J", kind="journal"),
                  abstract=title)
    for ascii in (False, True):
        text = bibconv.dumps([paper], "bibtex", ascii=ascii)
        assert f"title = {{{written}}}" in text
        # Other fields too (no case protection there): the tags as commands, or as text.
        abstract = re.search(r"abstract = \{(.*)\}$", text, re.M)
        assert abstract is not None
        assert ("textless" in abstract.group(1)) is ("textless" in written)
        assert braces_balanced(text)


_MARKUP_PIECES = st.sampled_from(["<i>", "</i>", "<b>", "</b>", "<sup>", "</sup>", "<sub>",
                                  "</sub>", '<span class="nocase">', "</span>", " ", "A", "b",
                                  "DNA", "x.", "{", "}", "$x$", "é", "&", "--", "<", ">"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKUP_PIECES, max_size=14).map("".join))
def test_any_markup_gives_a_balanced_value(title: str) -> None:
    for ascii in (False, True):
        value = protect_title(title, ascii=ascii)
        assert braces_balanced(value), (title, value)
        assert braces_balanced(to_latex(title, ascii=ascii)), title


_TAGS = [("<i>", "</i>"), ("<b>", "</b>"), ("<sup>", "</sup>"), ("<sub>", "</sub>"),
         ('<span style="font-variant:small-caps;">', "</span>")]
_MARKED_WORDS = st.sampled_from(["Growth", "of", "E.", "coli", "DNA", "x2", "Müller", "naïve",
                                 "10%", "a&b", "$O(n)$"])


@st.composite
def _marked_titles(draw: st.DrawFn, depth: int = 0) -> str:
    """Titles of words with well-formed CSL markup around some runs of them."""
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.booleans()):
            opening, closing = draw(st.sampled_from(_TAGS))
            pieces.append(f"{opening}{draw(_marked_titles(depth + 1))}{closing}")
        else:
            pieces.append(draw(_MARKED_WORDS))
    return " ".join(pieces)


@settings(max_examples=200, deadline=None)
@given(_marked_titles())
def test_marked_up_titles_come_back_from_bibtex_and_biblatex(title: str) -> None:
    """Italics, bold, small capitals, superscripts and subscripts in a title are written
    as LaTeX and read back as the same tags, in both dialects, UTF-8 or ASCII."""
    paper = Paper(title=title, type="article-journal", author=(Person(family="Li"),),
                  issued=Date(2020), venue=Venue(name="J", kind="journal"), abstract=title)
    for writer in ("bibtex", "biblatex"):
        for ascii in (False, True):
            text = bibconv.dumps([paper], writer, ascii=ascii)
            back = bibconv.loads(text, writer)[0]
            assert back.title == title, (writer, ascii, text)
            assert back.abstract == title, (writer, ascii, text)

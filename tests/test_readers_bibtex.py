"""The BibTeX/BibLaTeX reader: names, LaTeX, macros, crossref, real-world files, bad input."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

import bibconv
from bibconv.diagnostics import Diagnostic
from bibconv.latexdecode import LatexError, decode_latex
from bibconv.model import Person
from bibconv.readers.bibtex import BibLaTeXReader, BibTeXReader, parse_bibtex_name, split_names
from bibconv.registry import sniff

from .conftest import FIXTURES

READERS = FIXTURES / "readers"


def load(text: str, fmt: str = "bibtex") -> tuple[list[bibconv.Paper], list[Diagnostic]]:
    diags: list[Diagnostic] = []
    return bibconv.loads(text, fmt, diagnostics=diags, origin="t.bib"), diags


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Donald E. Knuth", Person(family="Knuth", given="Donald E.")),
        ("Knuth, Donald E.", Person(family="Knuth", given="Donald E.")),
        ("Ludwig van Beethoven", Person(family="Beethoven", given="Ludwig", particle="van")),
        ("van Beethoven, Ludwig", Person(family="Beethoven", given="Ludwig", particle="van")),
        # BibTeX's own reading: a particle after the comma belongs to the first name.
        ("Beethoven, Ludwig van", Person(family="Beethoven", given="Ludwig van")),
        ("Jean de la Fontaine", Person(family="Fontaine", given="Jean", particle="de la")),
        ("de la Fontaine, Jean", Person(family="Fontaine", given="Jean", particle="de la")),
        ("{de la Fontaine}, Jean", Person(family="de la Fontaine", given="Jean")),
        ("King, Jr., Martin Luther",
         Person(family="King", given="Martin Luther", suffix="Jr.")),
        ("van der Berg, Jr, Hans", Person(family="Berg", given="Hans", particle="van der",
                                           suffix="Jr")),
        ("{\\'E}mile Zola", Person(family="Zola", given="Émile")),
        ("Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
         Person(family="Vallée Poussin", given="Charles Louis Xavier Joseph",
                particle="de la")),
        ("{OpenAI Team}", Person(literal="OpenAI Team")),
        ("Aristotle", Person(literal="Aristotle")),
        ("Sch{\\\"o}lkopf, Bernhard", Person(family="Schölkopf", given="Bernhard")),
        ("{\\L}ukasz Kaiser", Person(family="Kaiser", given="Łukasz")),
        ("family=Beethoven, given=Ludwig, prefix=van, useprefix=true",
         Person(family="Beethoven", given="Ludwig", particle="van")),
        ("Alan {von Neumann}", Person(family="von Neumann", given="Alan")),
    ],
)
def test_name_splitting(raw: str, expected: Person) -> None:
    assert parse_bibtex_name(raw) == expected


def test_split_names_respects_braces_and_case() -> None:
    assert split_names("A and {B and C} AND D") == ["A", "{B and C}", "D"]
    assert split_names("Anderson, Sandy and Band, X") == ["Anderson, Sandy", "Band, X"]
    assert split_names("") == []


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Schr\\\"{o}dinger", "Schrödinger"),
        ("{\\\"O}zt{\\\"u}rk", "Öztürk"),
        ("Erd\\H{o}s and \\v{S}koda and \\c{C}elik", "Erdős and Škoda and Çelik"),
        ("Stra\\ss e, \\O resund, \\aa, \\l{}", "Straße, Øresund, å, ł"),
        ("\\emph{Deep} {L}earning --- \\textbf{fast} -- 10\\% \\& \\$5",
         "Deep Learning — fast – 10% & $5"),
        ("Top-$k$ in $O(n^{2})$", "Top-$k$ in $O(n^{2})$"),
        ("\\vphantom{\\{}\\} and \\textbraceleft{}x\\textbraceright{}", "} and {x}"),
        ("na{\\\"\\i}ve", "naïve"),
        ("``quoted''", "“quoted”"),
    ],
)
def test_latex_decoding(raw: str, text: str) -> None:
    assert decode_latex(raw).text == text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("The \\emph{E. coli} genome", "The <i>E. coli</i> genome"),
        ("{\\em Drosophila} wings and {\\it Mus}", "<i>Drosophila</i> wings and <i>Mus</i>"),
        ("\\textbf{Bold} \\textit {spaced}", "<b>Bold</b> <i>spaced</i>"),
        ("H\\textsubscript{2}O and x\\textsuperscript{2}", "H<sub>2</sub>O and x<sup>2</sup>"),
        ("\\textsc{Lisp} {\\scshape Ml}",
         '<span style="font-variant:small-caps;">Lisp</span> '
         '<span style="font-variant:small-caps;">Ml</span>'),
        ("\\emph{a {\\bf b} c} d", "<i>a <b>b</b> c</i> d"),
        ("\\em to the end", "<i>to the end</i>"),
        ("{{\\em nested} group} after", "<i>nested</i> group after"),
        ("\\emph{} empty", " empty"),
        ("$\\emph{x}$ math", "$\\emph{x}$ math"),
        ("\\texttt{code} \\underline{u}", "code u"),
    ],
)
def test_latex_styling_as_csl_markup(raw: str, text: str) -> None:
    """With ``markup``, italics, bold, small capitals, superscripts and subscripts become
    CSL rich-text tags (as Zotero and pandoc read them); other styling is dropped, and
    math stays as written."""
    assert decode_latex(raw, markup=True).text == text
    # Without it (names, keys), the styling is dropped as before.
    assert "<" not in decode_latex(raw).text


def test_bibtex_titles_and_abstracts_keep_their_italics(tmp_path: Path) -> None:
    """A .bib title's \\emph reaches CSL-JSON as <i> (what Zotero and pandoc import),
    and a BibTeX written from it gives \\textit back; names and journals carry no
    tags."""
    bib = tmp_path / "in.bib"
    bib.write_text("@article{k, title = {Growth of \\emph{E. coli} in {H\\textsubscript{2}O}},"
                   " author = {\\textbf{Smith}, Ann}, journal = {\\emph{Journal} of Tests},"
                   " abstract = {We grow \\textit{E. coli}.}, year = 2020}\n")
    paper = bibconv.load(bib)[0]
    assert paper.title == "Growth of <i>E. coli</i> in H<sub>2</sub>O"
    assert paper.abstract == "We grow <i>E. coli</i>."
    assert paper.author[0].family == "Smith"
    assert paper.venue is not None and paper.venue.name == "Journal of Tests"
    csl = bibconv.dumps([paper], "csl-json")
    assert '"title": "Growth of <i>E. coli</i> in H<sub>2</sub>O"' in csl
    again = bibconv.dumps([paper], "bibtex")
    assert "title = {Growth of \\textit{{E}. coli} in {H\\textsubscript{2}O}}" in again
    assert "author = {Smith, Ann}" in again and "journal = {Journal of Tests}" in again


def test_latex_unknown_command_is_kept_and_listed() -> None:
    decoded = decode_latex("A \\frobnicate{x} b")
    assert decoded.text == "A \\frobnicate{x} b"
    assert decoded.unknown == ["\\frobnicate"]


@pytest.mark.parametrize("raw", ["{" * 300 + "x" + "}" * 300, "a}b", "{open", "$x"])
def test_latex_errors(raw: str) -> None:
    with pytest.raises(LatexError):
        decode_latex(raw)


def test_deep_nesting_and_long_fields_are_fast_and_reported() -> None:
    deep = "@article{deep, title = {" + "{" * 5000 + "x" + "}" * 5000 + "}}\n"
    long = "@article{long, title = {" + "x " * 400_000 + "}, year = 2020}\n"
    ok = "@article{ok, title = {Fine}}\n"
    start = time.perf_counter()
    papers, diags = load(deep + long + ok)
    assert time.perf_counter() - start < 5
    assert [p.id for p in papers] == ["long", "ok"]
    assert any(d.code == "bad-record" and d.line == 1 for d in diags)


def test_macros_concatenation_months_and_crossref() -> None:
    text = """@string{ieee = "IEEE"}
@STRING{proc = {Proceedings of the } # ieee}
@inproceedings{child,
  author = {Smith, Ann and others},
  title = {Child Paper},
  crossref = {parent},
  pages = {1--10},
  month = sep,
}
@proceedings{parent,
  title = proc # { Conference},
  editor = {Jones, Bob},
  publisher = ieee,
  year = 2021,
}
"""
    papers, diags = load(text)
    by_id = {p.id: p for p in papers}
    child = by_id["child"]
    assert child.container_title == "Proceedings of the IEEE Conference"
    assert child.issued is not None and (child.issued.year, child.issued.month) == (2021, 9)
    assert child.publisher == "IEEE"
    assert child.editor == (Person(family="Jones", given="Bob"),)
    assert child.page == "1-10"
    assert child.extra["authors-truncated"] is True
    assert child.author == (Person(family="Smith", given="Ann"),)
    assert not [d for d in diags if d.severity.value == "error"]


def test_jabref_file() -> None:
    diags: list[Diagnostic] = []
    papers = bibconv.load(READERS / "jabref.bib", diagnostics=diags)
    assert not diags
    by_id = {p.id: p for p in papers}
    assert set(by_id) == {"Schoelkopf2001", "Vaswani2017", "Knuth1984", "Poincare1879",
                          "vanderMaaten2008"}
    s = by_id["Schoelkopf2001"]
    assert s.type == "article-journal" and s.container_title == "Neural Computation"
    assert s.author[0] == Person(family="Schölkopf", given="Bernhard")
    assert (s.volume, s.issue, s.page, s.doi) == ("13", "7", "1443-1471",
                                                   "10.1162/089976601750264965")
    assert s.issued is not None and s.issued.month == 7
    assert s.extra["owner"] == "anna"
    v = by_id["Vaswani2017"]
    assert v.type == "paper-conference"
    assert v.container_title == "Advances in Neural Information Processing Systems"
    assert v.author[6] == Person(family="Kaiser", given="Łukasz")
    assert v.editor[1] == Person(family="Von Luxburg", given="U.")
    assert v.keywords == ("transformers", "attention")
    assert by_id["Knuth1984"].title == "The TeXbook"
    assert by_id["Knuth1984"].publisher_place == "Reading, MA"
    thesis = by_id["Poincare1879"]
    assert (thesis.type, thesis.genre, thesis.publisher) == ("thesis", "PhD Thesis",
                                                             "Université de Paris")
    assert by_id["vanderMaaten2008"].author[0] == Person(family="Maaten", given="Laurens",
                                                         particle="van der")
    assert by_id["vanderMaaten2008"].container_title == "Journal of Machine Learning Research"


def test_zotero_better_bibtex_file() -> None:
    diags: list[Diagnostic] = []
    papers = bibconv.load(READERS / "zotero-bbt.bib", "biblatex", diagnostics=diags)
    assert not diags
    by_id = {p.id: p for p in papers}
    jin = by_id["jin2026addressing"]
    assert jin.venue is not None
    assert jin.venue.name == "AAAI Conference on Artificial Intelligence"
    assert jin.container_title == "Proceedings of the AAAI Conference on Artificial Intelligence"
    assert jin.abstract is not None and "\n\n" in jin.abstract and "—such as" in jin.abstract
    # langid = {english}: the model holds the BCP 47 tag, as CSL's language does.
    assert jin.language == "en" and jin.keywords == ("fairness", "performative prediction")
    dlf = by_id["deLaFontaine2019"]
    assert dlf.title == "Ein Überblick: Straße, Øresund and $5 Prices at 10% Off"
    assert dlf.author[0] == Person(family="de la Fontaine", given="Jean")
    assert dlf.author[2] == Person(literal="World Health Organization")
    assert dlf.issued is not None and dlf.issued.iso() == "2019-03-07"
    assert dlf.venue is not None and dlf.venue.short == "Z. Beisp."
    assert dlf.url == "https://example.org/paper?id=42&x=1"
    arx = by_id["zhang2024arxiv"]
    assert arx.type == "article" and arx.title == "Top-$k$ Sampling with $O(1/T)$ Regret"
    assert arx.venue is not None and arx.venue.kind == "preprint"
    assert arx.author[2] == Person(family="King", given="Martin Luther", suffix="Jr.")


def test_broken_file_reports_each_bad_entry_and_keeps_the_rest() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bibconv.cli", "convert", str(READERS / "broken.bib"),
         "--to", "json"], capture_output=True, timeout=60, check=False)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "broken.bib:8: error[bibtex-syntax]" in err
    assert "broken.bib:20: error[duplicate-key]" in err
    assert "broken.bib:25: error[bad-record]" in err and "missing comma" in err
    assert "broken.bib:31: warning[unknown-entry-type]" in err
    assert "Traceback" not in err
    import json
    ids = [p["id"] for p in json.loads(result.stdout)]
    assert ids == ["good1", "good2", "weird", "good3"]


def test_sniffing() -> None:
    head = "% comment\n@Article{x,\n title={t}}\n"
    assert sniff(head, "x.txt") in ("bibtex", "biblatex")
    assert BibTeXReader.sniff(head, "") > BibLaTeXReader.sniff(head, "")
    blx = "@article{x, journaltitle = {J}, date = {2020}}\n"
    assert sniff("@article{x,\n  journaltitle = {J},\n  date = {2020}}\n", None) == "biblatex"
    assert BibTeXReader.sniff("[{\"type\": \"book\"}]", ".json") < 20
    assert BibLaTeXReader.sniff(blx, ".bib") >= 20


def test_chunked_reading_keeps_lines(tmp_path: Path) -> None:
    # More lines than one parse chunk: line numbers must stay file-absolute.
    entries = "".join(f"@misc{{k{i},\n  title = {{T {i}}},\n  year = 2000,\n}}\n"
                      for i in range(6000))
    path = tmp_path / "big.bib"
    path.write_text(entries + "@misc{bad, title = {x}\n", encoding="utf-8")
    diags: list[Diagnostic] = []
    papers = bibconv.load(path, diagnostics=diags)
    assert len(papers) == 6000
    assert papers[5999].line == 4 * 5999 + 1
    assert [(d.code, d.line) for d in diags] == [("bibtex-syntax", 24001)]


def test_doi_keeps_hyphen_runs_and_decodes_escapes() -> None:
    """A DOI is an identifier: "--" stays two hyphens (no TeX ligature), escapes decode."""
    bib = "@article{k, title={T}, author={A, B}, year=2000, doi={10.1000/ab--c\\_d---e}}"
    (paper,) = bibconv.loads(bib, "bibtex")
    assert paper.doi == "10.1000/ab--c_d---e"


@pytest.mark.parametrize("value", ["# {x}", "{ok} # # {y}", "{ok} #"])
def test_a_concatenation_missing_a_value_skips_the_entry_only(value: str) -> None:
    text = (f"@article{{a,\n  title = {value},\n  year = 2020\n}}\n\n"
            "@article{c,\n  title = {Fine},\n  year = 2021\n}\n")
    found: list[Diagnostic] = []
    papers = bibconv.loads(text, "bibtex", diagnostics=found)
    assert [p.title for p in papers] == ["Fine"]
    assert [(d.code, d.line) for d in found] == [("bad-record", 1)]


def test_a_second_name_for_the_same_field_is_kept_when_it_differs() -> None:
    text = ("@article{a,\n  author = {Li, Bo},\n  title = {T},\n  journaltitle = {Journal of A},\n"
            "  journal = {Journal of B},\n  location = {Paris},\n  address = {Paris},\n"
            "  year = 2020\n}\n")
    found: list[Diagnostic] = []
    (paper,) = bibconv.loads(text, "biblatex", diagnostics=found)
    assert paper.venue is not None and paper.venue.name == "Journal of A"
    assert paper.publisher_place == "Paris"
    assert paper.extra == {"journal": "Journal of B"}  # the same address twice is one
    written = bibconv.dumps([paper], "biblatex", diagnostics=found)
    assert "Journal of B" not in written
    assert [d.code for d in found] == ["lossy-field"]  # said, not lost silently
    assert "'journal'" in found[0].message

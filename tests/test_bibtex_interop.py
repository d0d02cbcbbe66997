"""Real consumers read our BibTeX/BibLaTeX: bibtexparser, pybtex, bibtex, biber, pandoc,
pdflatex (+ dvi2tty to read the typeset text back).

Every paper of the example and of the hostile corpus must come back with the title,
authors and year that went in, and compiling the hostile corpus must typeset the text
verbatim and do nothing else.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

import bibconv
from bibconv.latex import is_safe_math, to_text
from bibconv.model import Person
from bibconv.text import fold_lines, split_math

from .conftest import IN_CI, require_tool
from .test_bibtex_writer import corpus, dumps, example

pytestmark = pytest.mark.interop

SOURCES = {"example": example, "corpus": corpus}
FORMATS = [("bibtex", {}), ("bibtex", {"ascii": True}), ("biblatex", {})]


def _norm(text: str) -> str:
    """Compare text as a reader sees it: case-folded, quotes unified, math dollars dropped."""
    text = re.sub("[`'‘’“”]", "'", text.replace('"', "'")).replace("$", "")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _names(people: tuple[Person, ...]) -> list[tuple[str, str]]:
    """(family-with-particles, given) per person; literals as (literal, "")."""
    out = []
    for p in people:
        if p.literal is not None:
            out.append((p.literal, ""))
        else:
            family = " ".join(x for x in (p.dropping_particle, p.particle, p.family) if x)
            out.append((family, p.given or ""))
    return out


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", timeout=120, check=False)


def require_tex_package(name: str) -> None:
    """Skip (fail under CI) when a LaTeX package is not installed."""
    kpsewhich = require_tool("kpsewhich")
    found = _run([kpsewhich, f"{name}.sty"], Path.cwd()).stdout.strip()
    if not found:
        message = f"LaTeX package {name}.sty is not installed (texlive-latex-recommended)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


# --- Python parsers -----------------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("fmt", "options"), FORMATS)
def test_bibtexparser_reads_every_entry_back(source: str, fmt: str,
                                             options: dict[str, Any]) -> None:
    import bibtexparser
    from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

    papers = SOURCES[source]()
    text, _ = dumps(papers, fmt, **options)
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not library.failed_blocks
    assert len(library.entries) == len(papers)
    for paper, entry in zip(papers, library.entries, strict=True):
        fields = entry.fields_dict
        assert to_text(fields["title"].value) == fold_lines(paper.title)
        year = fields.get("year") or fields.get("date")
        assert (year.value[:4] if year else None) == (str(paper.year) if paper.year else None)
        got = []
        for name in fields["author"].value if "author" in fields else []:
            if name.last == ["others"] and not name.first:
                continue
            family = to_text(" ".join(name.von + name.last))
            got.append((family, to_text(" ".join(name.first))))
        assert got == _names(paper.author)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("fmt", "options"), FORMATS)
def test_pybtex_reads_every_entry_back(source: str, fmt: str, options: dict[str, Any]) -> None:
    from pybtex.database import parse_string

    papers = SOURCES[source]()
    text, _ = dumps(papers, fmt, **options)
    data = parse_string(text, "bibtex")
    assert len(data.entries) == len(papers)
    for paper, entry in zip(papers, data.entries.values(), strict=True):
        assert to_text(entry.fields["title"]) == fold_lines(paper.title)
        year = entry.fields.get("year") or entry.fields.get("date")
        assert (year[:4] if year else None) == (str(paper.year) if paper.year else None)
        got = [(to_text(" ".join(p.prelast_names + p.last_names)), to_text(" ".join(
            p.first_names + p.middle_names))) for p in entry.persons.get("author", [])
            if str(p) != "others"]
        assert got == _names(paper.author)


# --- bibtex with the standard styles --------------------------------------------------------

def _compile_bibtex(tmp: Path, bib: str, style: str) -> tuple[str, str]:
    (tmp / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n"
        "\\hyphenpenalty=10000 \\exhyphenpenalty=10000 \\raggedright\n"
        f"\\begin{{document}}\\nocite{{*}}\\bibliographystyle{{{style}}}"
        "\\bibliography{refs}\\end{document}\n", encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-no-shell-escape",
             "-output-format=dvi", "doc"]
    _run(latex, tmp)
    blg = _run(["bibtex", "doc"], tmp).stdout
    log = _run(latex, tmp).stdout
    return blg, log


@pytest.mark.parametrize("style", ["plain", "ieeetr", "acm"])
def test_bibtex_styles_accept_the_example(tmp_path: Path, style: str) -> None:
    require_tool("bibtex")
    require_tool("pdflatex")
    papers = example()
    text, _ = dumps(papers)
    blg, log = _compile_bibtex(tmp_path, text, style)
    assert "Warning--" not in blg and "error" not in blg.lower(), blg
    assert not re.search(r"^!", log, re.M), log
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    flat = _norm(bbl.replace("{", "").replace("}", ""))
    for paper in papers:
        assert _norm(paper.title) in flat, paper.title
    assert flat.count("\\bibitem") == len(papers)


@pytest.mark.slow
def test_hostile_corpus_typesets_verbatim_and_does_nothing_else(tmp_path: Path) -> None:
    require_tool("bibtex")
    require_tool("pdflatex")
    require_tool("dvi2tty")
    papers = corpus()
    text, diags = dumps(papers, ascii=True)
    blg, log = _compile_bibtex(tmp_path, text, "plain")
    assert not re.search(r"^!", log, re.M), log
    # bibtex warns only about the entry we warned about (the paper with nothing).
    warned = {d.message.split(":")[0] for d in diags if d.code == "missing-field"}
    assert {m.group(1) for m in re.finditer(r"Warning--.* in (\S+)", blg)} == warned
    created = {p.name for p in tmp_path.iterdir()}
    assert created == {"refs.bib", "doc.tex", "doc.aux", "doc.log", "doc.dvi", "doc.bbl",
                       "doc.blg"}
    typeset = re.sub(r"\s+", "", _run(["dvi2tty", "-q", "-w332", "doc.dvi"], tmp_path).stdout)
    # OT1 draws \_ as a rule, which dvi2tty prints as a run of underscores.
    typeset = re.sub("_+", "_", typeset).casefold()
    checked = 0
    for paper in papers:
        title = paper.title
        if not title.isascii() or "`" in title or "--" in title or any(
                is_math and is_safe_math(piece) for is_math, piece in split_math(title)):
            continue  # dvi2tty spells accents, dashes, quotes, math its own way; pandoc checks these
        assert re.sub(r"\s+", "", title).replace("$", "").casefold() in typeset.replace(
            "$", ""), title
        checked += 1
    assert checked >= 8
    for needle in ("\\input{/etc/passwd}", "\\write18{touchpwned}", "100%of#hashtags&$dollars",
                   "cost~5^2under_scores", "evil},note={injected"):
        assert needle.casefold() in typeset


@pytest.mark.slow
def test_biblatex_corpus_compiles_with_biber(tmp_path: Path) -> None:
    require_tool("biber")
    require_tool("pdflatex")
    require_tool("dvi2tty")
    require_tex_package("biblatex")
    require_tex_package("etoolbox")  # biblatex needs it; Debian: texlive-latex-recommended
    text, _ = dumps(corpus(), "biblatex")
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage[backend=biber]{biblatex}\\addbibresource{refs.bib}\n"
        "\\hyphenpenalty=10000 \\exhyphenpenalty=10000 \\raggedright\n"
        "\\begin{document}\\nocite{*}\\printbibliography\\end{document}\n", encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-no-shell-escape",
             "-output-format=dvi", "doc"]
    _run(latex, tmp_path)
    biber = _run(["biber", "doc"], tmp_path)
    assert "ERROR" not in biber.stdout, biber.stdout
    log = _run(latex, tmp_path).stdout
    assert not re.search(r"^!", log, re.M), log
    assert not list(tmp_path.glob("pwned*"))
    typeset = re.sub(r"\s+", "", _run(["dvi2tty", "-q", "-w332", "doc.dvi"], tmp_path).stdout)
    assert "\\input{/etc/passwd}" in typeset
    assert "https://example.org/a%20b_c/~user/?q=1&r=2#frag" in typeset


# --- biber's data model -------------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
def test_biber_validates_the_datamodel(tmp_path: Path, source: str) -> None:
    require_tool("biber")
    text, diags = dumps(SOURCES[source](), "biblatex")
    bib = tmp_path / "refs.bib"
    bib.write_text(text, encoding="utf-8")
    result = _run(["biber", "--tool", "--validate-datamodel", bib.name], tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "ERROR" not in output, output
    warned = {d.message.split(":")[0] for d in diags if d.code == "missing-field"}
    flagged = set(re.findall(r"WARN - Datamodel: Entry '([^']+)'", output))
    assert flagged == warned, output


# --- pandoc ---------------------------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("fmt", "options"), FORMATS)
def test_pandoc_agrees_with_our_csl_json(tmp_path: Path, source: str, fmt: str,
                                         options: dict[str, Any]) -> None:
    pandoc = require_tool("pandoc")
    papers = SOURCES[source]()
    text, _ = dumps(papers, fmt, **options)
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    result = _run([pandoc, "-f", fmt, "-t", "csljson", "refs.bib"], tmp_path)
    assert result.returncode == 0, result.stderr
    theirs = {item["id"]: item for item in json.loads(result.stdout)}
    ours = {item["id"]: item for item in json.loads(bibconv.dumps(papers, "csl-json",
                                                                  diagnostics=[]))}
    assert theirs.keys() == ours.keys()
    for key, mine in ours.items():
        item = theirs[key]
        # pandoc stores titles in sentence case (its CSL convention): compare case-folded,
        # and check separately that every word we protected kept its capitals.
        assert _norm(item.get("title", "")) == _norm(mine["title"]), key
        assert item.get("issued") == mine.get("issued") or (
            item.get("issued", {}).get("date-parts", [[None]])[0][0]
            == mine.get("issued", {}).get("date-parts", [[None]])[0][0]), key
        def people(names: list[dict[str, str]]) -> list[tuple[str, str, str]]:
            return [(n.get("family", ""), n.get("given", ""), n.get("literal", ""))
                    for n in names if n.get("literal") != "others"]
        assert people(item.get("author", [])) == people(mine.get("author", [])), key
        if mine["type"] in ("paper-conference", "article-journal"):
            assert _norm(item.get("container-title", "")) == _norm(
                mine.get("container-title", "")), key


def test_pandoc_keeps_protected_capitals(tmp_path: Path) -> None:
    pandoc = require_tool("pandoc")
    text, _ = dumps(example())
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    result = _run([pandoc, "-f", "bibtex", "-t", "csljson", "refs.bib"], tmp_path)
    titles = " ".join(item["title"] for item in json.loads(result.stdout))
    for word in ("DensePure", "Wasserstein", "Procrustes", "Baidu Search Index"):
        assert word in titles

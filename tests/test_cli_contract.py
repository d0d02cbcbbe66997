"""The command line and API contract (DESIGN.md, README) where an audit found them
apart: outputs that would overwrite inputs, inputs read as the wrong format, options
for some readers only, outputs that cannot be written, runs that read nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import bibconv
from bibconv.diagnostics import Diagnostic, Severity

from .conftest import EXAMPLE, FIXTURES
from .test_cli import invoke

BIB = "@article{k, author = {Li, Bo}, title = {T}, journal = {J}, year = 2020}\n"


def test_output_dir_never_overwrites_an_input(tmp_path: Path) -> None:
    refs = tmp_path / "refs.bib"
    refs.write_text(BIB + "% hand edited\n")
    before = refs.read_bytes()
    code, _, err = invoke("convert", str(refs), "--to", "bibtex", "-d", str(tmp_path), "-q")
    assert code == 2 and "would overwrite an input" in err
    assert refs.read_bytes() == before
    page = tmp_path / "page.txt"
    shutil.copy(EXAMPLE, page)
    code, _, err = invoke("convert", str(page), "--to", "citation", "-d", str(tmp_path))
    assert code == 2 and page.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "ris", "csl-json", "json", "turtle"])
def test_a_forced_format_that_reads_nothing_is_an_error(fmt: str, tmp_path: Path) -> None:
    code, out, err = invoke("convert", str(EXAMPLE), "--from", fmt, "--to", "json")
    assert code == 1, (fmt, err)
    assert json.loads(out) == []
    if fmt in ("bibtex", "biblatex", "ris"):
        assert "no records found" in err and "looks like cluster" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n")
    code, _, err = invoke("convert", str(empty), "--from", fmt, "--to", "json")
    assert code == 1 and "empty input" in err


def test_an_empty_bibliography_of_the_right_format_is_no_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("[]\n")
    code, out, err = invoke("convert", str(empty), "--from", "csl-json", "--to", "ris")
    assert code == 0 and err == "" and out == ""


def test_venues_only_reaches_the_readers_that_take_it(tmp_path: Path) -> None:
    table = tmp_path / "v.json"
    table.write_text(json.dumps({"venues": [{"acronym": "XYZW", "name": "Xyzw Symposium",
                                             "container_title": "Proceedings of Xyzw",
                                             "kind": "symposium"}]}))
    mix = tmp_path / "mix"
    mix.mkdir()
    shutil.copy(EXAMPLE, mix / "a.txt")
    (mix / "b.bib").write_text(BIB)
    code, out, err = invoke("convert", str(mix), "--to", "jsonl", "--venues", str(table))
    assert code == 0, err
    assert len(out.splitlines()) == 11
    code, out, err = invoke("convert", str(mix / "b.bib"), "--from", "bibtex", "--to", "json",
                            "--venues", str(table))
    assert code == 0, err


def test_reader_options_given_with_o(tmp_path: Path) -> None:
    ttl = tmp_path / "k.ttl"
    code, _, _ = invoke("convert", str(EXAMPLE), "--to", "turtle", "-o", str(ttl))
    assert code == 0
    code, _, err = invoke("convert", str(ttl), "--to", "json", "-O", "max_bytes=5")
    assert code == 1 and "input larger than 5 bytes" in err  # the reader took it
    code, out, err = invoke("convert", str(ttl), "--to", "json", "-O", "max_bytes=100000000")
    assert code == 0 and len(json.loads(out)) == 10
    code, _, err = invoke("convert", str(ttl), "--to", "json", "-O", "no_such_option=1")
    assert code == 2 and "no_such_option" in err


@pytest.mark.parametrize(("writer", "reader"), [("csl-jsonl", "csl-jsonl"), ("jsonl", "jsonl")])
def test_json_lines_forms_are_reader_names_too(writer: str, reader: str, tmp_path: Path) -> None:
    lines = tmp_path / "x.lines"
    code, _, _ = invoke("convert", str(EXAMPLE), "--to", writer, "-o", str(lines))
    assert code == 0
    code, out, err = invoke("convert", str(lines), "--from", reader, "--to", "json")
    assert code == 0, err
    assert len(json.loads(out)) == 10


def test_an_output_that_cannot_be_written_is_an_error_not_a_crash(tmp_path: Path) -> None:
    code, _, err = invoke("convert", str(EXAMPLE), "--to", "bibtex",
                          "-o", str(tmp_path / "no" / "such" / "x.bib"))
    assert code == 1 and "cannot write" in err and "internal error" not in err
    afile = tmp_path / "afile"
    afile.write_text("x")
    code, _, err = invoke("convert", str(EXAMPLE), "--to", "bibtex", "-d", str(afile / "sub"))
    assert code == 2 and "output directory" in err
    with pytest.raises(bibconv.BibconvError):
        bibconv.dump([], tmp_path / "no" / "x.bib")


def test_a_run_that_reads_nothing_leaves_an_existing_output_alone(tmp_path: Path) -> None:
    keep = tmp_path / "keep.bib"
    keep.write_text("ORIGINAL\n")
    code, _, err = invoke("convert", str(tmp_path / "nope.txt"), "--to", "bibtex", "-o",
                          str(keep))
    assert code == 1 and keep.read_text() == "ORIGINAL\n" and "was not written" in err
    outdir = tmp_path / "out"
    code, _, _ = invoke("convert", str(tmp_path / "nope.txt"), str(EXAMPLE), "--to", "jsonl",
                        "-d", str(outdir))
    assert code == 1
    assert sorted(p.name for p in outdir.iterdir()) == ["kun-jin.bibconv.jsonl"]


def test_loads_takes_bytes_and_diagnostics_take_designs_order() -> None:
    (paper,) = bibconv.loads(BIB.encode("utf-8"), "bibtex")
    assert paper.title == "T"
    assert len(bibconv.loads(b"\xef\xbb\xbf" + BIB.encode())) == 1  # a BOM, sniffed
    diagnostic = Diagnostic("code", Severity.ERROR, "message", "origin", 3)
    assert (diagnostic.severity, diagnostic.message) == (Severity.ERROR, "message")
    assert str(diagnostic) == "origin:3: error[code]: message"


def test_an_option_no_reader_takes_is_the_callers_error() -> None:
    with pytest.raises(bibconv.OptionError):
        bibconv.load(EXAMPLE, bogus=1)
    with pytest.raises(bibconv.OptionError):
        bibconv.load(FIXTURES / "readers" / "jabref.bib", "bibtex", bogus=1)
    assert len(bibconv.load(FIXTURES / "readers" / "jabref.bib", venues=None)) > 0

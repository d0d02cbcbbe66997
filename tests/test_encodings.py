"""Input encodings: UTF-16/UTF-32 by their byte-order mark or zero bytes, --encoding /
encoding= for any other, invalid bytes reported on their line with a hint, streaming
across blocks, standard input and --jobs workers."""

from __future__ import annotations

import codecs
import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import bibconv
from bibconv import plugin
from bibconv.decoding import check_encoding, guess_wide
from bibconv.diagnostics import Reporter
from bibconv.errors import OptionError, ParseError
from bibconv.model import Paper
from bibconv.plugin import TextSource

from .conftest import EXAMPLE, FIXTURES

READERS = FIXTURES / "readers"
#: One input of each kind of reader: lines (cluster, RIS), blocks (BibTeX), JSON chunks.
INPUTS = {
    "cluster": EXAMPLE,
    "bibtex": READERS / "zotero-bbt.bib",
    "ris": READERS / "endnote.ris",
    "csl-json": READERS / "zotero.csl.json",
}
#: Byte-order mark and codec of each form a file with a BOM comes in.
WITH_BOM = {
    "utf-16-le": (codecs.BOM_UTF16_LE, "utf-16-le"),
    "utf-16-be": (codecs.BOM_UTF16_BE, "utf-16-be"),
    "utf-32-le": (codecs.BOM_UTF32_LE, "utf-32-le"),
    "utf-32-be": (codecs.BOM_UTF32_BE, "utf-32-be"),
}
JAPANESE = (
    "Author name cluster\n\n山田 太郎\n\n2 papers\n\n"
    "AAAI Conference 2024 Conference Paper\n\n深層学習による文書分類の研究\n\n"
    "  * 山田 太郎\n  * 佐藤 花子\n\n本研究では、日本語の文書を分類する。\n\n"
    "ICLR Conference 2023 Conference Paper\n\n表現学習と「半角カナ」ｶﾀｶﾅ\n\n"
    "  * 山田 太郎\n\n概要：テスト。\n"
)


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bibconv.cli", *args], input=stdin,
                          capture_output=True, timeout=120, check=False)


def _plain(papers: list[Paper]) -> list[Paper]:
    """Papers without the name of the file they came from (the rest must be equal)."""
    return [replace(p, origin=None,
                    cluster=replace(p.cluster, origin=None) if p.cluster else None)
            for p in papers]


def _load(data: bytes, fmt: str | None = None, encoding: str | None = None,
          ) -> tuple[list[Paper], list[tuple[str, str, int | None]]]:
    found: list[bibconv.Diagnostic] = []
    papers = bibconv.load(io.BytesIO(data), fmt, diagnostics=found, encoding=encoding)
    return _plain(papers), [(d.code, d.message, d.line) for d in found]


def _encoded(text: str, form: str) -> bytes:
    bom, codec = WITH_BOM[form]
    return bom + text.encode(codec)


# -- UTF-16 and UTF-32 with a byte-order mark -------------------------------------------

@pytest.mark.parametrize("form", sorted(WITH_BOM))
@pytest.mark.parametrize("kind", sorted(INPUTS))
@pytest.mark.parametrize("named", [False, True], ids=["sniffed", "from"])
def test_bom_files_read_like_utf8(tmp_path: Path, kind: str, form: str, named: bool) -> None:
    source = INPUTS[kind]
    path = tmp_path / source.name
    path.write_bytes(_encoded(source.read_text(encoding="utf-8"), form))
    fmt = kind if named else None
    expected = bibconv.load(source, fmt, diagnostics=[])
    found: list[bibconv.Diagnostic] = []
    papers = bibconv.load(path, fmt, diagnostics=found)
    assert found == []
    assert len(papers) == len(expected) > 0
    assert _plain(papers) == _plain(expected)  # lines included


@pytest.mark.parametrize("form", ["utf-16-le", "utf-16-be", "utf-32-le"])
@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_cli_bom_files_same_output(tmp_path: Path, kind: str, form: str) -> None:
    source = INPUTS[kind]
    path = tmp_path / source.name
    path.write_bytes(_encoded(source.read_text(encoding="utf-8"), form))
    for extra in ([], ["-f", kind]):
        expected = run_cli("convert", str(source), "--to", "csl-json", *extra)
        result = run_cli("convert", str(path), "--to", "csl-json", *extra)
        assert result.returncode == 0, result.stderr
        # The same warnings (a writer's, about fields it cannot hold), nothing more.
        assert result.stderr.replace(str(path).encode(), b"<input>") == \
            expected.stderr.replace(str(source).encode(), b"<input>")
        assert result.stdout == expected.stdout


def test_utf8_bom_still_dropped() -> None:
    data = EXAMPLE.read_bytes()
    assert _load(codecs.BOM_UTF8 + data) == _load(data)


def test_a_second_feff_is_text_in_every_encoding() -> None:
    """Exactly one leading U+FEFF is a BOM, in UTF-8 as in UTF-16 (not two in UTF-16)."""
    text = "\ufeff@misc{k, title={\ufeffT}}\n"
    utf8 = _load(codecs.BOM_UTF8 + text.encode("utf-8"), "bibtex")
    assert utf8 == _load(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "bibtex")
    assert utf8 == _load(codecs.BOM_UTF32_BE + text.encode("utf-32-be"), "bibtex")


# -- UTF-16 without a byte-order mark ------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_no_bom_recognised_by_its_zero_bytes(codec: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert _load(text.encode(codec)) == _load(text.encode("utf-8"))
    assert _load(JAPANESE.encode(codec)) == _load(JAPANESE.encode("utf-8"))


def test_guess_wide_refuses_binary() -> None:
    assert guess_wide(bytes(range(256)) * 40) == (None, None)
    assert guess_wide(b"\x00\x01binary") == (None, None)


def test_no_bom_utf16_that_does_not_read_is_refused_with_advice(tmp_path: Path) -> None:
    # Zero bytes where UTF-16 LE has its high bytes, but control characters in between.
    blob = b"".join(bytes([c, 0]) for c in b"\x01\x02\x03abc" * 200)
    path = tmp_path / "blob.txt"
    path.write_bytes(blob)
    result = run_cli("convert", str(path), "--to", "csl-json", "-f", "cluster")
    assert result.returncode == 1
    assert (b"blob.txt:1: error[unreadable]: binary data, not text (NUL bytes near the "
            b"start); it looks like UTF-16 LE without a byte-order mark") in result.stderr
    assert b"--encoding utf-16-le" in result.stderr


def test_explicit_utf8_of_utf16_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-16-be"))
    result = run_cli("convert", str(path), "--to", "csl-json", "--encoding", "utf8")
    assert result.returncode == 1
    assert b"it reads as UTF-16 BE text" in result.stderr
    assert b"--encoding utf-16-be" in result.stderr


def test_explicit_utf16_without_bom_takes_the_files_byte_order() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    expected = _load(text.encode("utf-8"))
    assert _load(text.encode("utf-16-be"), encoding="utf-16") == expected
    assert _load(text.encode("utf-16-le"), encoding="UTF16") == expected


def test_binary_still_refused() -> None:
    papers, found = _load(bytes(range(256)) * 40, "cluster")
    assert papers == []
    assert [(c, line) for c, _, line in found] == [("unreadable", 1)]
    assert found[0][1] == "binary data, not text (NUL bytes near the start)"
    # NUL characters in the named encoding are binary too.
    _, found = _load(b"a\x00b\x00" * 100, "cluster", encoding="cp1252")
    assert "NUL characters near the start, read as cp1252" in found[0][1]


# -- --encoding / encoding= ------------------------------------------------------------

def _cp1252_pair(tmp_path: Path, source: Path) -> tuple[Path, Path]:
    text = source.read_text(encoding="utf-8")
    assert not text.isascii()  # else the test proves nothing
    utf8, cp = tmp_path / "utf8", tmp_path / "cp1252"
    utf8.mkdir()
    cp.mkdir()
    (utf8 / source.name).write_bytes(text.encode("utf-8"))
    (cp / source.name).write_bytes(text.encode("cp1252"))
    return utf8 / source.name, cp / source.name


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_cp1252_with_encoding_reads_like_utf8(tmp_path: Path, kind: str) -> None:
    utf8, cp = _cp1252_pair(tmp_path, INPUTS[kind])
    expected = run_cli("convert", str(utf8), "--to", "json")
    result = run_cli("convert", str(cp), "--to", "json", "--encoding", "cp1252")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert result.stdout.replace(b"/cp1252/", b"/utf8/") == expected.stdout
    assert _plain(bibconv.load(cp, encoding="windows-1252")) == _plain(bibconv.load(utf8))


def test_cp1252_without_encoding_hints_once(tmp_path: Path) -> None:
    _, cp = _cp1252_pair(tmp_path, EXAMPLE)
    result = run_cli("convert", str(cp), "--to", "csl-json")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if b"error[invalid-utf8]" in line]
    assert len(errors) > 5  # one per bad line, as before ...
    hinted = [line for line in errors if b"--encoding" in line]
    assert hinted == [errors[0]]  # ... and the advice only once
    assert b"if the file is in another encoding, give it with --encoding" in errors[0]
    assert b"e.g. --encoding cp1252" in errors[0]
    assert result.stdout.count(b'"title"') == 10


def test_invalid_bytes_in_the_named_encoding(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252.
    text = EXAMPLE.read_text(encoding="utf-8").replace("Two-Sided", "Two-\x01Sided")
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode("cp1252").replace(b"\x01", b"\x81"))
    result = run_cli("convert", str(path), "--to", "csl-json", "--encoding", "cp1252")
    assert result.returncode == 1
    assert (b"page.txt:133: error[invalid-utf8]: invalid cp1252 after 4 characters of the "
            b"line; replaced with U+FFFD; if the file is not in cp1252") in result.stderr
    assert "Two-\ufffdSided".encode() in result.stdout
    assert result.stdout.count(b'"title"') == 10


@pytest.mark.parametrize("name", ["no-such-codec", "base64", "rot13", ""])
def test_unknown_encoding_is_a_usage_error(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out.json"
    result = run_cli("convert", str(EXAMPLE), "-o", str(out), "--encoding", name)
    assert result.returncode == 2
    assert b"Invalid value for '--encoding'" in result.stderr
    assert b"Traceback" not in result.stderr
    assert result.stdout == b""
    assert not out.exists()


def test_unknown_encoding_names_close_ones() -> None:
    with pytest.raises(OptionError, match="did you mean.*cp1252"):
        check_encoding("cp-1252x")
    assert check_encoding("latin-1") == "iso8859-1"
    assert check_encoding("UTF8") == "utf-8"


@pytest.mark.parametrize("call", ["load", "iterload", "convert", "PaperSource"])
def test_unknown_encoding_in_the_api(tmp_path: Path, call: str) -> None:
    with pytest.raises(OptionError, match="unknown encoding 'klingon'"):
        if call == "load":
            bibconv.load(EXAMPLE, encoding="klingon")
        elif call == "iterload":
            bibconv.iterload(EXAMPLE, encoding="klingon")
        elif call == "convert":
            bibconv.convert(EXAMPLE, tmp_path / "out.json", encoding="klingon")
        else:
            bibconv.PaperSource([EXAMPLE], encoding="klingon")
    assert not (tmp_path / "out.json").exists()


def test_api_encoding_everywhere(tmp_path: Path) -> None:
    _, cp = _cp1252_pair(tmp_path, EXAMPLE)
    expected = _plain(bibconv.load(EXAMPLE))
    assert _plain(list(bibconv.iterload(cp, encoding="cp1252"))) == expected
    assert _plain(list(bibconv.PaperSource([cp], encoding="cp1252"))) == expected
    with cp.open("rb") as stream:
        assert _plain(bibconv.load(stream, encoding="cp1252")) == expected
    bibconv.convert(cp, tmp_path / "out.json", encoding="cp1252")
    bibconv.convert(EXAMPLE, tmp_path / "ref.json")
    assert ((tmp_path / "out.json").read_text(encoding="utf-8").replace(str(cp), "X")
            == (tmp_path / "ref.json").read_text(encoding="utf-8").replace(str(EXAMPLE), "X"))
    # A text stream is text already: the encoding is that of its bytes, not ours.
    with EXAMPLE.open(encoding="utf-8") as text:
        assert _plain(bibconv.load(text, encoding="cp1252")) == expected


def test_a_bom_wins_over_the_named_encoding() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    expected = _load(text.encode("utf-8"))
    assert _load(_encoded(text, "utf-16-le"), encoding="cp1252") == expected
    assert _load(codecs.BOM_UTF8 + text.encode("utf-8"), encoding="latin-1") == expected


# -- streaming: code units and characters split across blocks ---------------------------

def _parse(data: bytes, fmt: str, encoding: str | None) -> tuple[list[Paper], list[tuple[str, int | None]]]:
    reporter = Reporter()
    source = TextSource(io.BufferedReader(io.BytesIO(data)), "in", reporter, encoding)
    papers = list(bibconv.registry.get_reader(fmt)().read(source))
    return papers, [(d.code, d.line) for d in reporter.diagnostics]


@pytest.mark.parametrize("block", [1, 2, 3, 5, 7, 64, 1 << 20])
@pytest.mark.parametrize(("codec", "encoding"), [
    ("utf-16-le", "utf-16-le"), ("utf-16-be", None), ("utf-32-le", None),
    ("shift_jis", "shift_jis"), ("euc_jp", "euc-jp"), ("gb18030", "gb18030"),
    ("utf-8", None),
])
def test_blocks_split_code_units_and_characters(
    block: int, codec: str, encoding: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    bom = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}.get(codec, b"")
    page = JAPANESE.replace("\n", "\r\n") + JAPANESE
    expected = _parse(page.encode("utf-8"), "cluster", None)
    bib = "@misc{k1, title={深層学習 ｶﾀｶﾅ}, author={山田, 太郎}}\n" * 3
    expected_bib = _parse(bib.encode("utf-8"), "bibtex", None)
    csl = '[{"id": "a", "type": "book", "title": "表現学習と「半角カナ」"}]'
    expected_csl = _parse(csl.encode("utf-8"), "csl-json", None)
    with monkeypatch.context() as patch:
        patch.setattr(plugin, "_BLOCK", block)
        assert _parse(bom + page.encode(codec), "cluster", encoding) == expected
        assert _parse(bom + bib.encode(codec), "bibtex", encoding) == expected_bib
        assert _parse(bom + csl.encode(codec), "csl-json", encoding) == expected_csl
    assert len(expected[0]) == 4 and len(expected_csl[0]) == 1


# -- line numbers -------------------------------------------------------------------------

@pytest.mark.parametrize("ends", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("form", ["utf-16-le", "utf-16-be", "utf-32-be"])
def test_diagnostic_lines_in_utf16(tmp_path: Path, ends: str, form: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "Two-Sided Wasserstein", "Two-Sided \x01Wasserstein").replace("\n", ends)
    bom, codec = WITH_BOM[form]
    # A lone high surrogate (or a code point past U+10FFFF) where the \x01 is; the
    # same text in UTF-8 with an invalid byte there.
    bad = {"utf-16-le": b"\x00\xd8", "utf-16-be": b"\xd8\x00",
           "utf-32-be": b"\x00\x11\x00\x00"}[form]
    wide, utf8 = tmp_path / "wide.txt", tmp_path / "utf8.txt"
    wide.write_bytes(bom + text.encode(codec).replace("\x01".encode(codec), bad))
    utf8.write_bytes(text.encode("utf-8").replace(b"\x01", b"\xff"))
    result = run_cli("convert", str(wide), "--to", "csl-json")
    expected = run_cli("convert", str(utf8), "--to", "csl-json")
    assert result.returncode == expected.returncode == 1
    label = form.upper().replace("-LE", " LE").replace("-BE", " BE")
    # Line numbers count every kind of line end (old Mac CR ones too).
    line, column = 133, " after 10 characters of the line"
    assert (f"wide.txt:{line}: error[invalid-utf8]: invalid {label}{column}").encode() in (
        result.stderr)
    assert f"utf8.txt:{line}: error[invalid-utf8]: invalid UTF-8".encode() in expected.stderr
    assert result.stdout == expected.stdout
    assert result.stdout.count(b'"title"') == 10
    # The papers' own lines are those of the UTF-8 text.
    assert ([p.line for p in bibconv.load(wide, diagnostics=[])]
            == [p.line for p in bibconv.load(utf8, diagnostics=[])])


def test_warning_lines_in_utf16(tmp_path: Path) -> None:
    source = FIXTURES / "clusters" / "crlf.txt"
    expected = run_cli("convert", str(source), "--to", "csl-json")
    assert b"warning[" in expected.stderr
    path = tmp_path / "crlf.txt"
    path.write_bytes(_encoded(source.read_bytes().decode("utf-8"), "utf-16-le"))
    result = run_cli("convert", str(path), "--to", "csl-json")
    assert result.stderr.replace(str(path).encode(), b"X") == expected.stderr.replace(
        str(source).encode(), b"X")
    assert result.stdout == expected.stdout


# -- standard input and --jobs ------------------------------------------------------------

def test_standard_input(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    expected = run_cli("convert", str(EXAMPLE), "--to", "csl-json").stdout
    for data, extra in ((_encoded(text, "utf-16-le"), []), (_encoded(text, "utf-32-be"), []),
                        (text.encode("utf-16-le"), []),
                        (text.encode("cp1252"), ["--encoding", "cp1252"]),
                        (text.encode("utf-16-be"), ["--encoding", "utf-16-be", "-f", "cluster"])):
        result = run_cli("convert", "--to", "csl-json", *extra, stdin=data)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected


def test_jobs_workers_get_the_encoding(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    bib = (READERS / "zotero-bbt.bib").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "b.bib").write_bytes(_encoded(bib, "utf-16-be"))  # its BOM wins
    (tmp_path / "c.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "ref").mkdir()
    for name, data in (("a.txt", text), ("b.bib", bib), ("c.txt", text)):
        (tmp_path / "ref" / name).write_text(data, encoding="utf-8")
    names = ["a.txt", "b.bib", "c.txt"]
    expected = run_cli("convert", *(str(tmp_path / "ref" / n) for n in names),
                       "--to", "csl-json")
    one = run_cli("convert", *(str(tmp_path / n) for n in names), "--to", "csl-json",
                  "--encoding", "cp1252", "-j", "2")
    assert one.returncode == 0, one.stderr
    assert one.stdout == expected.stdout
    out = tmp_path / "out"
    each = run_cli("convert", *(str(tmp_path / n) for n in names), "--to", "csl-json",
                   "--encoding", "cp1252", "-j", "2", "-d", str(out))
    assert each.returncode == 0, each.stderr
    for name, stem in zip(names, ["a", "b", "c"], strict=True):
        alone = run_cli("convert", str(tmp_path / "ref" / name), "--to", "csl-json")
        assert (out / f"{stem}.json").read_bytes() == alone.stdout
    # Without the encoding the workers report the bad bytes, with the hint.
    bad = run_cli("convert", *(str(tmp_path / n) for n in names), "--to", "csl-json",
                  "-j", "2")
    assert bad.returncode == 1
    assert b"a.txt:" in bad.stderr and b"c.txt:" in bad.stderr
    assert bad.stderr.count(b"e.g. --encoding cp1252") == 2  # once per input


# -- property: any text in a codec reads back to its UTF-8 papers -------------------------

_PIECES = [line for line in EXAMPLE.read_text(encoding="utf-8").split("\n")] + [
    "", "Author name cluster", "• ", "  • Jürgen Groß", "NeurIPS Conference 2021 Conference Paper",
    "Possible papers", "3 papers", "\r", "DOI: 10.1000/xyz", "Abstract: Ünïcödé — “x” …",
    "@misc{k1, title={", "@article{k2,", "  author = {", "  title = {", "}", "},",
    "TY  - JOUR", "TI  - ", "AU  - ", "PY  - 2020", "ER  - ",
]
#: (codec to write, byte-order mark to put first, encoding to give, or None to let it be found)
_FORMS = [
    ("utf-8", b"", None),
    ("utf-16", b"", None),  # Python's utf-16 writes a BOM of the machine's order
    ("utf-16-le", codecs.BOM_UTF16_LE, None),
    ("utf-16-be", codecs.BOM_UTF16_BE, None),
    ("utf-32", b"", None),
    ("utf-16-le", b"", "utf-16-le"),
    ("utf-16-be", b"", "utf-16"),
    ("utf-32-be", b"", "utf-32-be"),
    ("cp1252", b"", "cp1252"),
    ("latin-1", b"", "latin-1"),
    ("mac-roman", b"", "mac-roman"),
    ("shift_jis", b"", "shift_jis"),
    ("gb18030", b"", "gb18030"),
]


#: Characters a single-byte codec can write, but NUL (binary) and U+FEFF (a BOM).
_SINGLE_BYTE = ("cp1252", "latin-1", "mac-roman")


def _encodable(codec: str) -> st.SearchStrategy[str]:
    """Text that ``codec`` can write (drawn from its repertoire, not filtered down to it)."""
    if codec in _SINGLE_BYTE:
        repertoire = set(bytes(range(256)).decode(codec, "ignore")) - {"\x00"}
        chars: st.SearchStrategy[str] = st.sampled_from(sorted(repertoire))
    elif codec == "shift_jis":
        kana = "".join(chr(c) for c in range(0xFF61, 0xFFA0))  # half-width katakana
        repertoire = set(JAPANESE + kana + "".join(map(chr, range(1, 0x7F))))
        chars = st.sampled_from(sorted(repertoire))
    else:
        chars = st.characters(codec="utf-8", exclude_characters="\x00\ufeff")
    return st.text(chars, max_size=30)


_RECORDS = {
    "cluster": ["AAAI Conference 2024 Conference Paper", "", "{0}", "", "  • {1}", "  • Kun Jin",
                "", "{2}", ""],
    "bibtex": ["@article{{k{3},", "  title = {{{0}}},", "  author = {{{1} and Kun Jin}},",
               "  abstract = {{{2}}},", "  year = 2020", "}}", ""],
    "ris": ["TY  - JOUR", "TI  - {0}", "AU  - {1}", "AB  - {2}", "PY  - 2020", "ER  - ", ""],
}


@st.composite
def _document(draw: st.DrawFn, fmt: str) -> tuple[str, bytes, str | None]:
    """A document of records with any text the codec can write in their fields, lines
    of other records and stray text between them; its text, its bytes in a codec (with
    or without a BOM) and the encoding to give, if any."""
    codec, bom, encoding = draw(st.sampled_from(_FORMS))
    text = _encodable(codec)
    lines: list[str] = []
    for number in range(draw(st.integers(0, 4))):
        fields = [draw(text), draw(text), draw(text), number]
        lines.extend(line.format(*fields) for line in _RECORDS[fmt])
        lines.extend(draw(st.lists(st.sampled_from(_PIECES)
                                   | st.tuples(st.sampled_from(_PIECES), text).map("".join)
                                   | text, max_size=3)))
    page = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    try:
        data = bom + page.encode(codec)
    except UnicodeEncodeError:  # a fixed piece the codec lacks (• in latin-1)
        page = page.encode(codec, "replace").decode(codec)
        data = bom + page.encode(codec)
    return page, data, encoding


@settings(max_examples=300, deadline=None)
@given(data=st.data(), block=st.sampled_from([3, 17, 1 << 20]),
       fmt=st.sampled_from(sorted(_RECORDS)))
def test_any_text_in_a_codec_reads_like_its_utf8(
    data: st.DataObject, block: int, fmt: str
) -> None:
    page, raw, encoding = data.draw(_document(fmt))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugin, "_BLOCK", block)
        try:
            expected = _parse(page.encode("utf-8"), fmt, None)
        except ParseError as exc:
            with pytest.raises(ParseError) as again:
                _parse(raw, fmt, encoding)
            assert (again.value.message, again.value.line) == (exc.message, exc.line)
            return
        assert _parse(raw, fmt, encoding) == expected
    event("papers" if expected[0] else "no papers")


@settings(max_examples=100, deadline=None)
@given(title=_encodable("cp1252"), family=_encodable("cp1252"))
def test_cp1252_bibtex_round_trip(title: str, family: str) -> None:
    def plain(value: str) -> str:
        return "".join(c for c in value if c not in "{}\\,")
    entry = (f"@article{{key,\n  title = {{{plain(title)}}},\n  author = {{{plain(family)}, "
             "Ann}},\n  year = 2020\n}\n")
    expected = _load(entry.encode("utf-8"), "bibtex")
    assert _load(entry.encode("cp1252"), "bibtex", "cp1252") == expected
    assert _load(entry.encode("utf-16"), "bibtex") == expected


# -- line ends --------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab\r\n"), max_size=40), st.integers(1, 9))
def test_every_line_end_counts_whatever_the_blocks(text: str, block: int) -> None:
    """LF, CRLF and a lone CR are each one line end (Python's universal newlines), also
    when a CRLF is cut between two blocks."""
    import re

    expected = re.split(r"\r\n|\r|\n", text)
    if expected[-1] == "":
        expected.pop()  # the end of the last line, not a line of its own
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugin, "_BLOCK", block)
        source = TextSource(io.BufferedReader(io.BytesIO(text.encode())), "t", Reporter())
        got = list(source.lines())
    assert got == list(enumerate(expected, 1))


def test_old_mac_files_are_lines_not_one_long_line(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of CR line ends longer than the line limit is read line by line, with
    the line numbers an editor shows."""
    monkeypatch.setattr(plugin, "MAX_LINE", 3000)  # the longest line is 2,140 bytes
    text = EXAMPLE.read_text(encoding="utf-8")
    page = tmp_path / "mac.txt"
    page.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    reporter = Reporter()
    papers = bibconv.load(page, diagnostics=reporter)
    same = bibconv.load(EXAMPLE, diagnostics=[])
    assert [(p.title, p.line) for p in papers] == [(p.title, p.line) for p in same]
    assert not [d for d in reporter if d.code == "line-too-long"]

"""BibTeX/BibLaTeX fields the model has no place for (kept in ``Paper.extra``) are written
back: JabRef's file links, owner, timestamp and groups, Better BibTeX's eprints, urldate,
pmid, series, edition, ... A .bib read and written again keeps them; what a field of the
dialect cannot hold is reported as ``lossy-field``, never dropped silently.

Verbatim fields (biblatex's ``eprint``, ``file``, ``verba``... and ``pdf``) are kept and
written as they were written; every other extra is decoded from LaTeX on reading and
escaped again on writing, like every other value.
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.diagnostics import Diagnostic, Reporter, Severity
from bibconv.latex import to_latex, to_text
from bibconv.latexdecode import decode_latex
from bibconv.model import Date, Paper, Person, Venue
from bibconv.readers import bibtex as reader
from bibconv.text import fold_lines, strip_controls
from bibconv.writers import bibtex as writer

from .conftest import require_tool

# --- inputs ---------------------------------------------------------------------------------

# As JabRef (BibTeX mode) saves an entry: its file link escapes ':' and '\'.
JABREF = r"""@article{mueller2020,
  author = {M{\"u}ller, Anna and Smith, Bob},
  title = {Learning Things},
  journal = {Journal of Things},
  year = {2020},
  volume = {3},
  series = {Lecture Notes in Things},
  edition = {2nd},
  file = {:C\:\\Users\\anna\\papers\\m_2020--final~v2.pdf:PDF},
  timestamp = {2020-01-01},
  owner = {anna},
  groups = {ML, Vision},
  mrnumber = {MR1234567},
  pmid = {31234567},
  urldate = {2021-03-04},
  chapter = {7}
}
"""

# As Better BibTeX (BibLaTeX mode) exports an arXiv preprint.
BBT = r"""@online{doe2021preprint,
  author = {Doe, Jane},
  title = {A Preprint about Things},
  date = {2021-02-03},
  eprint = {2102.01234},
  eprinttype = {arxiv},
  eprintclass = {cs.LG},
  urldate = {2021-05-06},
  file = {/home/jane/Zotero/storage/ABCD1234/Doe - 2021 - A Preprint.pdf},
  pmid = {33333333},
  series = {Working Papers},
  edition = {3},
  note = {Submitted}
}
"""

# The same preprint as classic BibTeX writes it (arXiv's own names).
BBT_BIBTEX = r"""@misc{doe2021preprint,
  author = {Doe, Jane},
  title = {A Preprint about Things},
  year = {2021},
  archiveprefix = {arXiv},
  eprint = {2102.01234},
  primaryclass = {cs.LG},
  urldate = {2021-05-06},
  mrnumber = {MR42}
}
"""


def _read(text: str, fmt: str = "bibtex") -> tuple[list[Paper], list[Diagnostic]]:
    diags: list[Diagnostic] = []
    papers = list(bibconv.load(io.BytesIO(text.encode("utf-8")), fmt, diagnostics=diags))
    return papers, diags


def _write(papers: list[Paper], fmt: str = "bibtex",
           **options: Any) -> tuple[str, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    return bibconv.dumps(papers, fmt, diagnostics=diags, **options), diags


def _fields(text: str) -> list[dict[str, str]]:
    """Each entry's raw field values, as bibtexparser splits them (no decoding)."""
    import bibtexparser

    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return [{f.key.lower(): str(f.value) for f in e.fields} for e in library.entries]


def _lossy(diags: list[Diagnostic]) -> str:
    return "\n".join(d.message for d in diags if d.code == "lossy-field")


# --- JabRef and Better BibTeX entries, read and written again ----------------------------------

def test_jabref_entry_keeps_every_field_byte_for_byte() -> None:
    papers, rdiags = _read(JABREF)
    assert not rdiags
    text, wdiags = _write(papers, "bibtex")
    assert not wdiags, wdiags
    before, after = _fields(JABREF)[0], _fields(text)[0]
    before["author"] = "Müller, Anna and Smith, Bob"  # UTF-8 output spells ü as ü
    assert after == before
    # The file link is the JabRef escapes exactly, ~ -- and _ included.
    assert r"file = {:C\:\\Users\\anna\\papers\\m_2020--final~v2.pdf:PDF}," in text
    again, _ = _read(text)
    assert again[0].extra == papers[0].extra


def test_better_bibtex_entry_keeps_every_field() -> None:
    papers, rdiags = _read(BBT, "biblatex")
    assert not rdiags
    assert papers[0].type == "article"  # an arXiv preprint
    text, wdiags = _write(papers, "biblatex")
    assert not wdiags, wdiags
    assert _fields(text) == _fields(BBT)
    assert text.startswith("@online{doe2021preprint,")
    again, _ = _read(text, "biblatex")
    assert again[0].extra == papers[0].extra
    assert again[0].venue == papers[0].venue


def test_classic_bibtex_preprint_keeps_every_field() -> None:
    papers, _ = _read(BBT_BIBTEX)
    text, wdiags = _write(papers, "bibtex")
    assert not wdiags, wdiags
    # The server is read from archiveprefix and not written again as howpublished.
    assert _fields(text) == _fields(BBT_BIBTEX)


def test_bibtex_to_biblatex_renames_fields_as_biber_does() -> None:
    papers, _ = _read(BBT_BIBTEX + r"""
@book{b,
  author = {Roe, Richard},
  title = {A Book},
  year = {2001},
  publisher = {Pub},
  school = {Some School},
  annote = {Read {\"o}nce},
  pdf = {a_b.pdf},
  key = {Roe01}
}
""")
    text, wdiags = _write(papers, "biblatex")
    assert not _lossy(wdiags), wdiags
    pre, book = _fields(text)
    assert (pre["eprinttype"], pre["eprint"], pre["eprintclass"]) == (
        "arXiv", "2102.01234", "cs.LG")
    assert not {"archiveprefix", "primaryclass"} & set(pre)
    assert (book["institution"], book["annotation"], book["file"], book["sortkey"]) == (
        "Some School", "Read önce", "a_b.pdf", "Roe01")
    assert not {"school", "annote", "pdf", "key"} & set(book)
    # And back: biblatex names become the classic ones.
    back, _ = _read(text, "biblatex")
    text2, wdiags2 = _write(back, "bibtex")
    assert not _lossy(wdiags2), wdiags2
    pre2 = _fields(text2)[0]
    assert (pre2["archiveprefix"], pre2["primaryclass"]) == ("arXiv", "cs.LG")
    assert "eprinttype" not in pre2 and _fields(text2)[1]["annote"] == "Read önce"


def test_biblatex_to_bibtex_renames_fields() -> None:
    papers, _ = _read(BBT, "biblatex")
    text, wdiags = _write(papers, "bibtex")
    fields = _fields(text)[0]
    assert (fields["archiveprefix"], fields["eprint"], fields["primaryclass"]) == (
        "arxiv", "2102.01234", "cs.LG")
    assert "eprinttype" not in fields and "eprintclass" not in fields
    assert fields["file"].startswith("/home/jane/Zotero/")
    assert fields["year"] == "2021" and fields["month"] == "feb"
    assert "day of the date" in _lossy(wdiags) and "extra field" not in _lossy(wdiags)


# --- verbatim fields --------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "raw"), [
    ("file", r":C\:\\Users\\x\\a_b.pdf:PDF;:D\:\\y.pdf:PDF"),
    ("file", "~/papers/a_b--c.pdf"),
    ("file", "a%20b#frag.pdf"),
    ("eprint", "hep-th/9901001"),
    ("eprint", "arXiv:2101.00001v2"),
    ("verba", r"50\% of {x}"),
    ("verbb", "`quoted'' -- and --- dashes"),
    ("pdf", r"C\:\\x.pdf"),
    ("urlraw", "https://example.org/a_b?x=1&y=%20#z"),
])
@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_verbatim_fields_are_neither_decoded_nor_escaped(name: str, raw: str, fmt: str) -> None:
    source = f"@misc{{k,\n  title = {{T}},\n  {name} = {{{raw}}}\n}}\n"
    papers, _ = _read(source, fmt)
    assert papers[0].extra[name] == raw  # not decoded: no no-break space, no en dash
    text, wdiags = _write(papers, fmt)
    assert not _lossy(wdiags), wdiags
    written = {"pdf": "file"}.get(name, name) if fmt == "biblatex" else name
    assert _fields(text)[0][written] == raw
    assert f"  {written} = {{{raw}}}" in text


def test_verbatim_line_breaks_fold_and_nothing_else_changes() -> None:
    source = "@misc{k,\n  title = {T},\n  file = {:a  b.pdf:PDF;\n     :c.pdf:PDF}\n}\n"
    papers, _ = _read(source)
    assert papers[0].extra["file"] == ":a  b.pdf:PDF; :c.pdf:PDF"


@pytest.mark.parametrize("value", [
    "a}b{c",            # unbalanced as BibTeX counts
    "a{b",              # unclosed
    r"a\{b}",           # balanced for BibTeX, not for bibtexparser (escaped brace)
    "path\\",           # would escape the closing brace
    r"\input{/etc/passwd}",   # a command, were a style to print the field
    r"x\\\write18{rm}",       # a command after an escaped backslash
    "^^5cinput{x}",           # TeX's character code for a backslash
    "  \n ",                  # nothing
])
@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_unsafe_verbatim_values_are_reported_not_written(value: str, fmt: str) -> None:
    paper = Paper(title="T", extra={"file": value, "owner": "me"})
    text, wdiags = _write([paper], fmt)
    assert "file =" not in text and "owner = {me}" in text
    assert "extra field 'file'" in _lossy(wdiags)
    assert "owner" not in _lossy(wdiags)
    _fields(text)


def test_escaped_backslashes_and_control_symbols_are_not_commands() -> None:
    paper = Paper(title="T", extra={"file": r":C\:\\Users\\x.pdf:PDF", "verbc": r"\%\_\#\&"})
    text, wdiags = _write([paper])
    assert not wdiags
    assert r"file = {:C\:\\Users\\x.pdf:PDF}" in text and r"verbc = {\%\_\#\&}" in text


# --- everything else: decoded on reading, escaped on writing -------------------------------------

def test_decoded_extras_are_escaped_again() -> None:
    source = r"""@misc{k,
  title = {T},
  comment = {M{\"u}ller \& Sons: 50\% off, a~b -- c},
  howpublished = {Talk at {\'E}cole}
}
"""
    papers, _ = _read(source)
    assert papers[0].extra["comment"] == "Müller & Sons: 50% off, a b – c"  # ~ is a space
    text, wdiags = _write(papers)
    assert not wdiags
    assert r"comment = {Müller \& Sons: 50\% off, a b – c}" in text
    assert "howpublished = {Talk at École}" in text
    ascii_text, _ = _write(papers, ascii=True)
    assert r"comment = {M{\"u}ller \& Sons: 50\% off, a b -- c}" in ascii_text
    assert r"howpublished = {Talk at {\'E}cole}" in ascii_text
    for out in (text, ascii_text):
        assert _read(out)[0][0].extra == papers[0].extra


def test_hostile_extra_values_stay_text() -> None:
    paper = Paper(title="T", extra={"comment": r"Evil} , note = {x \input{/etc/passwd} %",
                                    "owner": "{\\write18{rm -rf /}}"})
    text, wdiags = _write([paper])
    assert not wdiags
    entry = _fields(text)[0]
    assert set(entry) == {"title", "comment", "owner"}
    assert "\\input" not in text.replace("{\\textbackslash}input", "")
    back = _read(text)[0][0]
    assert dict(back.extra) == dict(paper.extra)


# --- which extras are written ----------------------------------------------------------------

def test_internal_and_other_formats_keys_are_reported_not_written() -> None:
    extra = {
        "bibtex-type": "inbook",          # the source entry type
        "ris-AN": "12345",                # the RIS reader's tags
        "PMID": "123",                    # CSL-JSON's upper-case variables
        "call-number": "QA76",            # CSL-JSON variables BibTeX has no field for
        "archive": "Internet Archive",
        "container-title-short": "J.",
        "custom": {"x": 1},
        "accessed": {"literal": "last spring"},   # a date with no ISO form
        "translator": [{"family": "T"}],
        "score": 1.5,
        "flag": True,
        "Bad Name": "x",
        "9lives": "x",
        "a=b": "x",
        "empty": "   ",
    }
    paper = Paper(title="T", extra=extra)
    for fmt in ("bibtex", "biblatex"):
        text, wdiags = _write([paper], fmt)
        assert set(_fields(text)[0]) == {"title"}
        lossy = _lossy(wdiags)
        for name in extra:
            assert f"extra field {name!r}" in lossy, (fmt, name)


def test_csl_variables_bibtex_shares_are_written() -> None:
    item = ('[{"id": "k", "type": "book", "title": "T", "edition": 2, "version": "1.2",'
            ' "PMID": "42", "archive_location": "Box 3"}]')
    papers = list(bibconv.loads(item, "csl-json", diagnostics=[]))
    text, wdiags = _write(papers, "biblatex")
    fields = _fields(text)[0]
    assert (fields["edition"], fields["version"]) == ("2", "1.2")
    assert "pmid" not in fields and "archive_location" not in fields
    assert "'PMID'" in _lossy(wdiags) and "'archive_location'" in _lossy(wdiags)


def test_field_names_bibtex_accepts() -> None:
    paper = Paper(title="t", extra={"x-custom_1.a:b": "v", "zz": "last", "aa": "first"})
    text, wdiags = _write([paper])
    assert not wdiags
    assert _fields(text)[0] == {"title": "t", "x-custom_1.a:b": "v", "zz": "last", "aa": "first"}
    assert dict(_read(text)[0][0].extra) == dict(paper.extra)


def test_model_fields_win_and_a_different_extra_is_reported() -> None:
    book = Paper(title="T", type="book", venue=Venue("Series From Venue", kind="book"),
                 extra={"series": "Series From Extra", "edition": "2"})
    text, wdiags = _write([book])
    assert "series = {Series From Venue}" in text and "Series From Extra" not in text
    assert "edition = {2}" in text
    assert "extra field 'series'" in _lossy(wdiags)
    same = Paper(title="T", type="book", venue=Venue("S", kind="book"), extra={"series": "S"})
    text, wdiags = _write([same])
    assert text.count("series =") == 1 and not _lossy(wdiags)
    # An extra named like a field the reader reads into the model is never written.
    for name in ("title", "journal", "author", "crossref", "doi", "type", "keywords"):
        text, wdiags = _write([Paper(title="T", extra={name: "X y"})])
        assert "X y" not in text and f"extra field {name!r}" in _lossy(wdiags)


def test_field_order_model_fields_then_extras_in_their_order() -> None:
    paper = Paper(title="T", type="article-journal", author=(Person("A", "B"),),
                  venue=Venue("J", kind="journal"), issued=Date(2020), volume="1",
                  doi="10.1/x", extra={"zeta": "1", "urldate": "2020-02-02", "series": "S",
                                       "alpha": "2", "primaryclass": "cs.LG"})
    text, _ = _write([paper])
    assert list(_fields(text)[0]) == [
        "author", "title", "journal", "series", "volume", "year", "primaryclass", "doi",
        "urldate", "zeta", "alpha"]


def test_authors_and_editors_cut_short_keep_and_others() -> None:
    source = "@book{k,\n  editor = {Ed, A. and others},\n  title = {T},\n  year = {2000}\n}\n"
    papers, _ = _read(source)
    assert papers[0].extra["editors-truncated"] is True
    for fmt in ("bibtex", "biblatex"):
        text, wdiags = _write(papers, fmt)
        assert "editor = {Ed, A. and others}" in text and not _lossy(wdiags)


# --- the fields the reader keeps in extra beside a model field ----------------------------------

def test_number_beside_issue_keeps_both() -> None:
    source = ("@article{k,\n  title = {T},\n  journal = {J},\n  year = {2000},\n"
              "  issue = {Spring},\n  number = {12}\n}\n")
    papers, _ = _read(source)
    assert (papers[0].issue, papers[0].extra["number"]) == ("Spring", "12")
    for fmt in ("bibtex", "biblatex"):
        text, wdiags = _write(papers, fmt)
        fields = _fields(text)[0]
        assert (fields["issue"], fields["number"]) == ("Spring", "12") and not _lossy(wdiags)
        back = _read(text, fmt)[0][0]
        assert (back.issue, back.extra["number"]) == ("Spring", "12")
    # A number with no issue beside it would be read back as the issue: reported.
    text, wdiags = _write([Paper(title="T", extra={"number": "12"})])
    assert "number" not in text and "extra field 'number'" in _lossy(wdiags)


def test_second_publisher_fields_come_back_in_extra() -> None:
    source = ("@book{k,\n  title = {T},\n  year = {2000},\n  publisher = {Pub},\n"
              "  organization = {Org}\n}\n"
              "@inproceedings{c,\n  title = {T},\n  booktitle = {B},\n  year = {2000},\n"
              "  organization = {IEEE}\n}\n"
              "@phdthesis{t,\n  title = {T},\n  school = {MIT},\n  year = {2000},\n"
              "  institution = {CSAIL}\n}\n")
    papers, _ = _read(source)
    assert [dict(p.extra) for p in papers] == [
        {"organization": "Org"}, {"organization": "IEEE"}, {"institution": "CSAIL"}]
    for fmt in ("bibtex", "biblatex"):
        text, wdiags = _write(papers, fmt)
        back, _ = _read(text, fmt)
        assert [p.publisher for p in back] == [p.publisher for p in papers], text
        if fmt == "bibtex":
            assert [dict(p.extra) for p in back] == [dict(p.extra) for p in papers]
            assert not _lossy(wdiags)
        else:
            # biblatex writes the thesis's school as institution: the two collide.
            assert "extra field 'institution'" in _lossy(wdiags)
    # A school that the reader would take for the publisher is reported instead.
    report = Paper(title="T", type="report", publisher="Inst", extra={"school": "S"})
    text, wdiags = _write([report])
    assert "school" not in _fields(text)[0] and "extra field 'school'" in _lossy(wdiags)
    assert _read(text)[0][0].publisher == "Inst"


def test_second_language_is_kept_beside_langid() -> None:
    source = ("@article{k,\n  title = {T},\n  journaltitle = {J},\n  date = {2000},\n"
              "  langid = {de},\n  language = {German}\n}\n")
    papers, _ = _read(source, "biblatex")
    text, wdiags = _write(papers, "biblatex")
    assert "langid = {ngerman}" in text and "language = {German}" in text
    assert not _lossy(wdiags)
    assert _read(text, "biblatex")[0][0].extra["language"] == "German"


def test_entrysubtype_of_an_article_is_not_written() -> None:
    paper = Paper(title="T", type="article-journal", venue=Venue("J", kind="journal"),
                  extra={"entrysubtype": "magazine"})
    text, wdiags = _write([paper])
    assert "entrysubtype" not in text and "'entrysubtype'" in _lossy(wdiags)
    other = Paper(title="T", type="book", extra={"entrysubtype": "x"})
    assert "entrysubtype = {x}" in _write([other])[0]


def test_eprinttype_never_turns_a_document_into_a_preprint() -> None:
    paper = Paper(title="T", type="document", extra={"eprinttype": "arxiv", "eprint": "1"})
    for fmt in ("bibtex", "biblatex"):
        text, wdiags = _write([paper], fmt)
        assert _read(text, fmt)[0][0].type == "document"
        assert "'eprinttype'" in _lossy(wdiags)


# --- dates ------------------------------------------------------------------------------------

def test_biblatex_date_range_is_written_once() -> None:
    source = ("@article{k,\n  title = {T},\n  journaltitle = {J},\n"
              "  date = {2020-03/2021-04}\n}\n")
    papers, _ = _read(source, "biblatex")
    assert papers[0].issued == Date(2020, 3) and papers[0].extra["date"] == "2020-03/2021-04"
    text, wdiags = _write(papers, "biblatex")
    assert text.count("date =") == 1 and "date = {2020-03/2021-04}" in text
    assert not _lossy(wdiags)
    assert "year" not in _fields(text)[0]
    back = _read(text, "biblatex")[0][0]
    assert back.issued == papers[0].issued and back.extra == papers[0].extra
    # Classic BibTeX has year and month: the range is reported, not written beside them.
    text, wdiags = _write(papers, "bibtex")
    assert "date" not in _fields(text)[0] and "year = {2020}" in text
    assert "extra field 'date'" in _lossy(wdiags)


def test_dates_the_reader_could_not_read_come_back() -> None:
    source = ("@misc{a,\n  title = {T},\n  year = {forthcoming}\n}\n"
              "@misc{b,\n  title = {T},\n  year = {2020},\n  month = {Spring}\n}\n"
              "@misc{c,\n  title = {T},\n  date = {circa 1990}\n}\n"
              "@misc{d,\n  title = {T},\n  year = {2020},\n  month = {3},\n  day = {7th}\n}\n")
    papers, _ = _read(source, "biblatex")
    assert [dict(p.extra) for p in papers] == [
        {"year": "forthcoming"}, {"month": "Spring"}, {"date": "circa 1990"}, {"day": "7th"}]
    text, wdiags = _write(papers, "bibtex")
    a, b, c, d = _fields(text)
    assert a["year"] == "forthcoming" and b["month"] == "Spring" and "month = {Spring}" in text
    assert "date" not in c and "day" not in d
    assert "extra field 'date'" in _lossy(wdiags) and "extra field 'day'" in _lossy(wdiags)
    back = _read(text)[0]
    assert [dict(p.extra) for p in back[:2]] == [{"year": "forthcoming"}, {"month": "Spring"}]
    text, wdiags = _write(papers, "biblatex")
    a, b, c, d = _fields(text)
    assert a["year"] == "forthcoming" and c["date"] == "circa 1990"
    assert "month" not in b and "day" not in d
    assert "extra field 'month'" in _lossy(wdiags) and "extra field 'day'" in _lossy(wdiags)
    back = _read(text, "biblatex")[0]
    assert [dict(p.extra) for p in back] == [{"year": "forthcoming"}, {}, {"date": "circa 1990"},
                                             {}]
    # A year the reader would read as the paper's is never written from extra.
    text, wdiags = _write([Paper(title="T", extra={"year": "2020", "month": "mar"})])
    assert "year" not in text and "'year'" in _lossy(wdiags)


# --- the reader and writer agree --------------------------------------------------------------

def test_writer_knows_what_the_reader_reads() -> None:
    kept_beside = {"number", "language", "date", "year", "month", "day", "school",
                   "institution", "organization"}
    assert reader._HANDLED - kept_beside == writer._MODEL_FIELDS
    assert writer._PREPRINT_SERVERS == reader._PREPRINT_SERVERS
    assert reader.VERBATIM_FIELDS is writer.VERBATIM_FIELDS


@pytest.mark.parametrize("text", [
    "jan", "Jan.", "janu", "january", "ja", "3", "03", "12", "13", "0", "²", "Spring", "may",
    "sept", "sep", "septem", "x", "", " 7 ", "1--2",
])
def test_month_and_date_rules_match_the_reader(text: str) -> None:
    assert writer._reads_as_month(text) == (reader._month(text, text) is not None)
    for date in (text, f"2020-{text}", f"2020-03-{text}", f"2020/{text}", f"{text}/2020"):
        extra: dict[str, Any] = {}
        fields = {"date": date}
        entry = reader._Entry("misc", "k", 1, fields)
        issued = reader._issued(fields, entry, Reporter(lambda d: None), "x", extra)
        read = writer._date_read(date)
        if read is None:
            assert issued is None and "date" in extra, date
        else:
            assert issued is not None and (issued.year, issued.month, issued.day) == read


def test_papers_without_extra_do_not_reach_the_extra_code(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any) -> None:
        raise AssertionError("called")

    monkeypatch.setattr(writer._BibWriter, "_extras", boom)
    monkeypatch.setattr(writer._BibWriter, "_server_kept", boom)
    papers = [Paper(title="T", type=t, venue=Venue("arXiv", kind="preprint"))
              for t in ("article", "document", "webpage")]
    for fmt in ("bibtex", "biblatex"):
        _write(papers, fmt)


# --- real tools read the fields back ------------------------------------------------------------

def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", timeout=120, check=False)


@pytest.mark.interop
@pytest.mark.parametrize(("source", "source_fmt"), [(JABREF, "bibtex"), (BBT, "biblatex"),
                                                    (BBT_BIBTEX, "bibtex")])
@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_biber_reads_the_extra_fields_back(tmp_path: Path, source: str, source_fmt: str,
                                           fmt: str) -> None:
    """biber (--tool: read, map BibTeX names to biblatex ones, write) gives back the
    values we wrote; classic BibTeX names come back under biblatex's, as biber maps them."""
    require_tool("biber")
    papers, _ = _read(source, source_fmt)
    text, _ = _write(papers, fmt)
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    result = _run(["biber", "--tool", "--output-file=out.bib", "refs.bib"], tmp_path)
    assert result.returncode == 0 and "ERROR" not in result.stdout, result.stdout
    theirs = _fields((tmp_path / "out.bib").read_text(encoding="utf-8"))[0]
    ours = _fields(text)[0]
    names = {"archiveprefix": "eprinttype", "primaryclass": "eprintclass"}
    checked = 0
    for name in ("eprint", "file", "urldate", "series", "edition", "archiveprefix",
                 "eprinttype", "primaryclass", "eprintclass", "chapter"):
        if name in ours:
            assert theirs[names.get(name, name)] == ours[name], name
            checked += 1
    assert checked >= 4


@pytest.mark.interop
def test_bibtex_and_pandoc_accept_the_extra_fields(tmp_path: Path) -> None:
    papers = _read(JABREF)[0] + _read(BBT, "biblatex")[0]
    text, _ = _write(papers, "bibtex")
    bibtex = require_tool("bibtex")
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.aux").write_text(
        "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8")
    result = _run([bibtex, "doc"], tmp_path)
    assert result.returncode == 0 and "error" not in result.stdout.lower(), result.stdout
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert "Learning things" in bbl and "A preprint about things" in bbl
    pandoc = require_tool("pandoc")
    for fmt in ("bibtex", "biblatex"):
        text, _ = _write(papers, fmt)
        (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
        result = _run([pandoc, "-f", fmt, "-t", "csljson", "refs.bib"], tmp_path)
        assert result.returncode == 0 and result.stdout.count('"id"') == 2, result.stderr


# --- property: written back, or reported --------------------------------------------------------

_NAMES = st.sampled_from([
    "file", "eprint", "pdf", "verba", "urlraw", "timestamp", "owner", "groups", "urldate",
    "pmid", "mrnumber", "series", "edition", "chapter", "howpublished", "organization",
    "school", "institution", "number", "language", "date", "year", "month", "day",
    "eprinttype", "archiveprefix", "primaryclass", "eprintclass", "annote", "annotation",
    "key", "sortkey", "entrysubtype", "title", "journal", "crossref", "type", "issue",
    "bibtex-type", "authors-truncated", "editors-truncated", "ris-AN", "PMID", "archive",
    "call-number", "custom", "container-title-short", "comment",
]) | st.from_regex(r"[a-z][a-z0-9_.:-]{0,10}", fullmatch=True) | st.text(max_size=6)
_PIECES = st.sampled_from([
    *"abcXYZ 0129{}{}\\$%&#_^~<>|-'`\",.:;!?@=()[]/ \n\t", "é", "ü", "中", "α", "–",
    "$k$", "\\input", "\\write18", "^^5c", "--", "``", "\\%", "\\:", "\\\\", "\\{", "\\}",
    "{\\\"o}", "\\{b}", "{b\\}", "jan", "2020", "2020/2021", "arxiv", "ü\u0308", "\u00a0", "\x01", "\u2028",
])
_VALUES = (st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=12)
           | st.integers(-5, 10**6) | st.booleans() | st.floats(allow_nan=False)
           | st.lists(st.text(max_size=3), max_size=2))
_PAPERS = {
    "article-journal": dict(venue=Venue("Journal", kind="journal"), issue="4",
                            issued=Date(2020, 5)),
    "document": dict(issued=None, publisher="Pub"),
    "book": dict(issued=Date(1999), publisher="Pub"),
    "paper-conference": dict(venue=Venue("Conf", kind="conference"), issued=Date(2001, 2, 3)),
    "report": dict(publisher="Inst", issued=Date(2002)),
    "thesis": dict(publisher="Uni", issued=None, genre="PhD Thesis"),
    "article": dict(venue=Venue("arXiv", kind="preprint"), issued=Date(2021)),
}


def _expected(name: str, value: Any, ascii: bool) -> str:
    text = str(value)
    if name in writer._AS_HELD and name != "month":
        return writer.verbatim_text(text)
    text = fold_lines(strip_controls(text))
    if ascii and name not in writer._AS_HELD:
        # What --ascii makes of any value (a compatibility character such as "ﬁ" is
        # spelt "fi"), as the reader reads it back; the same for every field.
        text = fold_lines(strip_controls(decode_latex(to_latex(text, ascii=True)).text))
    return text


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(_NAMES, _VALUES, max_size=6), st.sampled_from(sorted(_PAPERS)),
       st.sampled_from(["bibtex", "biblatex"]), st.booleans())
def test_property_every_extra_comes_back_or_is_reported(
        extra: dict[str, Any], kind: str, fmt: str, ascii: bool) -> None:
    plain = Paper(title="Fixed Title", type=kind, author=(Person("Doe", "Jane"),),
                  **_PAPERS[kind])  # type: ignore[arg-type]
    paper = dataclasses.replace(plain, extra=extra)
    text, wdiags = _write([paper], fmt, ascii=ascii)
    _fields(text)  # bibtexparser reads it whole
    back, rdiags = _read(text, fmt)
    assert not [d for d in rdiags if d.severity is Severity.ERROR], rdiags
    assert len(back) == 1
    got = back[0]
    # The extras never change what the model reads back (but that a preprint's
    # eprinttype gives its type back, which @misc/@online alone do not).
    without = _read(_write([plain], fmt, ascii=ascii)[0], fmt)[0][0]
    for field in ("title", "author", "issued", "publisher", "issue", "language", "genre",
                  "volume", "url", "doi"):
        assert getattr(got, field) == getattr(without, field), (field, text)
    if kind == "article":
        assert got.venue is None or got.venue.name == plain.venue.name, text  # type: ignore[union-attr]
    else:
        assert (got.type, got.venue) == (without.type, without.venue), text
    lossy = _lossy(wdiags)
    fields = _fields(text)[0]
    rename = writer._TO_BIBLATEX if fmt == "biblatex" else writer._TO_BIBTEX
    for name, value in extra.items():
        if f"extra field {name!r}" in lossy:
            continue
        if name in ("authors-truncated", "editors-truncated"):
            assert bool(got.extra.get(name)) == bool(value), (name, text)
            continue
        target = rename.get(name, name)
        expected = _expected(target, value, ascii)
        if target in got.extra:
            kept = got.extra[target]
        else:
            # Not in extra: the entry held it already, the model having written the same.
            assert target in fields, (name, value, text)
            kept = fields[target] if target in writer._AS_HELD else to_text(fields[target])
        if target == "eprinttype":
            kept, expected = kept.casefold(), expected.casefold()
        assert kept == expected, (name, value, text)

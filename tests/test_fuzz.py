"""Damaged inputs of every format, converted to every format: papers, or diagnostics.

Each example takes a real input (the example page, the reader fixtures, bibconv's own
RDF of the example), damages it with a few edits of the kinds scrapes, editors and
transfers make (bytes cut, copied, or replaced by a delimiter, an escape, a bullet, an
entity, invalid UTF-8), reads it, and writes what was read with one of the writers.
Nothing may raise but a BibconvError: a bad input is reported, never a traceback.
(The same kind of run, longer, found a BibTeX value beginning with "#" crashing the
reader and a URL with a stray "[" crashing every RDF writer; both have tests of their
own in the readers' and writers' tests.)
"""

from __future__ import annotations

import contextlib
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.errors import BibconvError

from .conftest import EXAMPLE, FIXTURES

_READERS = FIXTURES / "readers"
_WRITERS = ["csl-json", "json", "bibtex", "biblatex", "ris", "ntriples", "turtle", "jsonld",
            "rdfxml", "citation"]
_PIECES = [b"", b"{", b"}", b"#", b'"', b"\\", b"@", b"\n", b"\r\n", b"TY  - ", b"ER  - \n",
           b"[", b"]", b"<", b">", b"&amp;", b"\x00", b"\xc3", "é".encode(), b"  \xe2\x80\xa2 ",
           b"2020 Conference Paper\n", b"%", b"$", b",", b"=", b"http://[::1/", b"@string{",
           b"\xef\xbb\xbf", b"Author name cluster\n"]


@cache
def _seeds() -> list[tuple[str, bytes]]:
    """(format, bytes) of each input damaged: the first 6 KB of each file, and one
    paper of the example in each of bibconv's own formats."""
    seeds = [("cluster", EXAMPLE.read_bytes()[:6000])]
    for name, fmt in [("zotero-bbt.bib", "biblatex"), ("jabref.bib", "bibtex"),
                      ("broken.bib", "bibtex"), ("endnote.ris", "ris"), ("broken.ris", "ris"),
                      ("zotero.csl.json", "csl-json")]:
        seeds.append((fmt, (_READERS / name).read_bytes()[:6000]))
    papers = bibconv.load(EXAMPLE, diagnostics=bibconv.Reporter(keep=0))[:1]
    for fmt in ("turtle", "ntriples", "jsonld", "rdfxml", "json"):
        seeds.append((fmt, bibconv.dumps(papers, fmt).encode("utf-8")))
    return seeds


def _damaged(data: bytes, edits: list[tuple[float, int, int, float]]) -> bytes:
    out = bytearray(data)
    for where, length, piece, copy_from in edits:
        at = int(where * len(out))
        if piece < len(_PIECES):
            out[at:at + length % 4] = _PIECES[piece]
        else:  # a stretch of the input copied elsewhere, or cut
            start = int(copy_from * len(out))
            out[at:at] = out[start:start + length * 8] if piece % 2 else b""
            if not piece % 2:
                del out[at:at + length]
    return bytes(out)


_EDIT = st.tuples(st.floats(0, 1), st.integers(0, 40), st.integers(0, len(_PIECES) + 3),
                  st.floats(0, 1))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 11), st.lists(_EDIT, max_size=12), st.sampled_from(_WRITERS),
       st.booleans())
def test_damaged_inputs_convert_or_are_reported(seed: int, edits: list[tuple[float, int, int,
                                                                           float]],
                                                writer: str, sniff: bool) -> None:
    fmt, data = _seeds()[seed]
    text = _damaged(data, edits).decode("utf-8", errors="replace")
    reporter = bibconv.Reporter(keep=0)
    try:
        papers = bibconv.loads(text, None if sniff else fmt, diagnostics=reporter)
    except BibconvError:
        return
    options = {"style": "apa"} if writer == "citation" else {}
    with contextlib.suppress(BibconvError):
        bibconv.dumps(papers, writer, diagnostics=reporter, **options)


@pytest.mark.parametrize("seed", range(12))
def test_each_undamaged_seed_reads(seed: int) -> None:
    fmt, data = _seeds()[seed]
    papers = bibconv.loads(data.decode("utf-8", errors="replace"), fmt,
                           diagnostics=bibconv.Reporter(keep=0))
    assert papers, fmt

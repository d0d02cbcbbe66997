"""The N-Triples and Turtle writers' byte path: into a stream bibconv opened itself
(:class:`~bibconv.plugin.Utf8Output`: an output file, standard output into a pipe), they
write each paper's text as bytes, from terms kept as their UTF-8 bytes
(:func:`~bibconv.writers.rdf.to_wire`). Those bytes must be exactly the UTF-8 of the
text the writers write to any other stream, over every kind of field and base IRI."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.diagnostics import Reporter
from bibconv.model import Cluster, Paper, Person, Venue
from bibconv.plugin import Utf8Output, byte_stream
from bibconv.rdfmap import PaperMapper
from bibconv.registry import get_writer
from bibconv.writers.rdf import to_wire

from .test_rdf_fasttext import _diagnostics, _papers

_BASES = [None, "https://data.example.org/bib/", "urn:isbn:x", "https://bücher.example/é/",
          "https://x.example/日本/", "https://x.example/😀/"]


def _bytes_out() -> tuple[Utf8Output, io.BytesIO]:
    raw = io.BytesIO()
    return Utf8Output(raw, 64), raw  # type: ignore[arg-type]  # BytesIO serves as raw here


@given(st.text(st.characters(blacklist_categories=["Cs"])))
def test_to_wire_holds_the_utf8_bytes(text: str) -> None:
    wire = to_wire(text)
    assert wire.encode("latin-1") == text.encode("utf-8")
    assert (wire is text) == text.isascii()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_papers(), st.sampled_from(["ntriples", "turtle"]),
       st.sampled_from(["bibo", "schema", "bibo+schema"]), st.sampled_from(_BASES),
       st.sampled_from([20_000, 1, 3]))
def test_byte_path_writes_the_utf8_of_the_text_path(papers: list[Paper], fmt: str, vocab: str,
                                                    base: str | None, seen_limit: int) -> None:
    options = {"vocab": vocab} if base is None else {"vocab": vocab, "base_iri": base}
    text_writer = get_writer(fmt)(**options)
    text_writer.mapper._seen_limit = seen_limit
    text_reporter = Reporter()
    text = io.StringIO()
    text_writer.write(papers, text, text_reporter)

    writer = get_writer(fmt)(**options)
    writer.wire_mapper = PaperMapper(writer.base, writer.vocab, seen_limit=seen_limit,
                                     syntax=writer.syntax(wire=True))
    reporter = Reporter()
    out, raw = _bytes_out()
    writer.write(papers, out, reporter)
    out.flush()
    assert raw.getvalue() == text.getvalue().encode("utf-8")
    assert _diagnostics(reporter) == _diagnostics(text_reporter)
    assert writer.wire_mapper is not None and writer.wire_mapper.syntax.wire  # type: ignore[attr-defined]


def test_text_written_before_and_after_keeps_its_place() -> None:
    # byte_stream flushes the text written so far, so bytes come after it.
    out, raw = _bytes_out()
    out.write("before é\n")
    stream = byte_stream(out)
    assert stream is not None
    stream.write("ü\n".encode())
    out.write("after\n")
    out.flush()
    assert raw.getvalue().decode("utf-8") == "before é\nü\nafter\n"
    assert byte_stream(io.StringIO()) is None


_UNICODE = [Paper(title="Ünïcödé 日本語 😀", abstract="Ærø — “quoted” \\ \"q\"",
                  author=(Person(family="Müller", given="José María"),
                          Person(family="李", given="小龍"), Person(literal="Ødegård ⚛")),
                  venue=Venue(name="Revista Española", kind="journal", publisher="Édition"),
                  cluster=Cluster(name="Zoë Ünal"), keywords=("naïve", "日本"),
                  url="https://例え.jp/ü", type="article-journal", origin="t", line=1)]


def test_files_and_pipes_hold_the_text_paths_bytes(tmp_path: Path) -> None:
    """End to end: a path given to dump (atomic output), and the CLI's standard output
    into a pipe and into a file, hold the UTF-8 of what dumps gives."""
    for fmt, suffix in (("ntriples", "nt"), ("turtle", "ttl")):
        expected = bibconv.dumps(_UNICODE, fmt, base_iri="https://bücher.example/é/")
        target = tmp_path / f"out.{suffix}"
        bibconv.dump(_UNICODE, target, fmt, base_iri="https://bücher.example/é/")
        assert target.read_bytes() == expected.encode("utf-8")
        source = tmp_path / "in.json"
        bibconv.dump(_UNICODE, source, "json")
        command = [sys.executable, "-m", "bibconv.cli", "convert", str(source), "-t", fmt,
                   "--base-iri", "https://bücher.example/é/"]
        piped = subprocess.run(command, capture_output=True, check=True)
        assert piped.stdout == expected.encode("utf-8")
        with (tmp_path / "stdout").open("wb") as handle:
            subprocess.run(command, stdout=handle, check=True)
        assert (tmp_path / "stdout").read_bytes() == expected.encode("utf-8")

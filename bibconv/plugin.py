"""The base classes a reader or writer plugin implements, and the text source readers get."""

from __future__ import annotations

import codecs
import io
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO, ClassVar, TextIO

from .diagnostics import Reporter
from .errors import OptionError, ParseError
from .model import Paper

__all__ = ["MAX_LINE", "Reader", "TextSource", "Utf8Output", "Writer", "byte_stream"]

#: Lines longer than this (in bytes) are reported and skipped by line readers:
#: no real field is this long, and regex-heavy parsing of one would stall.
MAX_LINE = 4_000_000
_SNIFF_BYTES = 8192
_BLOCK = 1 << 20


class Utf8Output(io.TextIOWrapper):
    """A text stream bibconv opened for output (a file, or standard output into a pipe
    or a file): strict UTF-8, no newline translation, no byte-order mark.

    A writer that has its text as bytes already may therefore write them straight to
    :attr:`buffer` (see :func:`byte_stream`), and they are the bytes the text would give.
    """

    def __init__(self, raw: io.RawIOBase, buffer_size: int) -> None:
        self.bytes_out = io.BufferedWriter(raw, buffer_size=buffer_size)
        super().__init__(self.bytes_out, encoding="utf-8", errors="strict", newline="")


def byte_stream(out: TextIO) -> BinaryIO | None:
    """The byte stream under ``out`` when it is a :class:`Utf8Output`, flushed so that
    bytes written to it come after the text written so far; else None."""
    if not isinstance(out, Utf8Output):
        return None
    out.flush()
    return out.bytes_out


class TextSource:
    """Decoded text of one input, read lazily, with its name for diagnostics.

    Invalid UTF-8 is replaced (U+FFFD) and reported with its line; a UTF-8 BOM is
    dropped; CRLF and CR line ends read as LF. A file that looks binary (NUL bytes
    near the start) raises :class:`ParseError`: it is not text at all.
    """

    def __init__(self, stream: IO[bytes], origin: str, reporter: Reporter) -> None:
        self.origin = origin
        self.reporter = reporter
        self._stream = stream
        head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
        if b"\x00" in head:
            raise ParseError("binary data, not text (NUL bytes near the start)", origin, 1)
        self.head = head.decode("utf-8", "replace").lstrip("\ufeff")

    def _decode(self, raw: bytes, lineno: int) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.reporter.error(
                "invalid-utf8",
                f"invalid UTF-8 at byte {exc.start} of the line; replaced with U+FFFD",
                self.origin,
                lineno,
            )
            return raw.decode("utf-8", "replace")

    def lines(self) -> Iterator[tuple[int, str]]:
        """Yield (1-based line number, line without its line end)."""
        for start, text in self.runs():
            yield from enumerate(text.split("\n"), start)

    def runs(self) -> Iterator[tuple[int, str]]:
        """Yield runs of whole lines: (number of the first line, the lines joined by LF).

        The input is decoded a megabyte at a time (decoding line by line costs more
        than the parsing that follows), and a clean megabyte comes as one run, so a
        parser can scan it with C-level string operations. Lines that need attention
        come as runs of their own: a block with invalid UTF-8 is decoded line by line
        to report each bad line by number, a line with old Mac line ends (CR) is split
        into runs with the same number, an over-long line is reported and dropped.
        """
        lineno = 0
        pending = b""
        skipping = False  # inside an over-long line, dropping bytes to its end
        first = True
        read = self._stream.read
        while True:
            block = read(_BLOCK)
            if first:
                first = False
                if block.startswith(b"\xef\xbb\xbf"):
                    block = block[3:]
            if not block:
                break
            cut = block.rfind(b"\n")
            if cut < 0:
                pending, skipping, lineno = self._grow(pending + block, skipping, lineno)
                continue
            data = pending + block[:cut] if pending else block[:cut]
            pending = block[cut + 1 :]
            if skipping:
                newline = data.find(b"\n")
                lineno += 1
                skipping = False
                if newline < 0:
                    continue
                data = data[newline + 1 :]
            yield from self._split(data, lineno)
            lineno += data.count(b"\n") + 1
        if pending and not skipping:
            yield from self._split(pending, lineno)

    def _grow(self, pending: bytes, skipping: bool, lineno: int) -> tuple[bytes, bool, int]:
        """Account for a block without a line end: a line longer than the limit is dropped."""
        if skipping:
            return b"", True, lineno
        if len(pending) > MAX_LINE:
            self.reporter.error(
                "line-too-long",
                f"line of more than {MAX_LINE:,} bytes skipped",
                self.origin,
                lineno + 1,
            )
            return b"", True, lineno
        return pending, False, lineno

    def _split(self, data: bytes, lineno: int) -> Iterator[tuple[int, str]]:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            for offset, raw in enumerate(data.split(b"\n"), lineno + 1):
                yield from self._one(self._decode(raw, offset), offset)
            return
        if "\r" not in text and len(text) <= MAX_LINE:
            yield lineno + 1, text
            return
        for offset, line in enumerate(text.split("\n"), lineno + 1):
            yield from self._one(line, offset)

    def _one(self, line: str, lineno: int) -> Iterator[tuple[int, str]]:
        if len(line) > MAX_LINE:
            self.reporter.error(
                "line-too-long",
                f"line of {len(line):,} characters skipped (limit {MAX_LINE:,} bytes)",
                self.origin,
                lineno,
            )
            return
        line = line.removesuffix("\r")
        if "\r" in line:
            # Old Mac line ends: split them too.
            for part in line.split("\r"):
                yield lineno, part
        else:
            yield lineno, line

    def chunks(self) -> Iterator[str]:
        """The decoded text a block at a time (for streaming parsers of JSON and such).

        Invalid UTF-8 is replaced and reported with the line it is on.
        """
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        lineno = 1
        first = True
        while True:
            block = self._stream.read(_BLOCK)
            if first:
                first = False
                if block.startswith(b"\xef\xbb\xbf"):
                    block = block[3:]
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                bad_line = lineno + block.count(b"\n", 0, max(exc.start, 0))
                self.reporter.error("invalid-utf8", "invalid UTF-8; replaced with U+FFFD",
                                    self.origin, bad_line)
                decoder.reset()
                text = block.decode("utf-8", "replace")
            lineno += text.count("\n")
            if text:
                yield text
            if not block:
                return

    def text(self) -> str:
        """The whole decoded text (for formats such as JSON that need it all)."""
        raw = self._stream.read()
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            self.reporter.error("invalid-utf8", "invalid UTF-8; replaced with U+FFFD",
                                self.origin, line)
            text = raw.decode("utf-8", "replace")
        return text.replace("\r\n", "\n").replace("\r", "\n")

    @classmethod
    def from_text(cls, text: str, origin: str, reporter: Reporter) -> TextSource:
        """A source over an in-memory string."""
        data = io.BytesIO(text.encode("utf-8", "surrogatepass"))
        return cls(io.BufferedReader(data), origin, reporter)


class _Configurable:
    #: option name -> one-line help; options not listed here are refused.
    options: ClassVar[dict[str, str]] = {}
    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    suffixes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **options: Any) -> None:
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            valid = ", ".join(sorted(self.options)) or "none"
            raise OptionError(
                f"{self.name or type(self).__name__}: unknown option(s) {', '.join(unknown)}; "
                f"valid options: {valid}"
            )
        self.settings: dict[str, Any] = dict(options)


class Reader(_Configurable, ABC):
    """Turns one input into papers, lazily, reporting problems to a :class:`Reporter`.

    A reader raises only :class:`~bibconv.errors.BibconvError` subclasses, and only when
    nothing at all can be read; a broken record is reported and skipped.
    """

    @classmethod
    def sniff(cls, head: str, suffix: str) -> int:
        """How sure (0-100) the reader is that it can read an input starting with ``head``."""
        return 0

    @abstractmethod
    def read(self, source: TextSource) -> Iterator[Paper]:
        """Yield the papers of one input, reporting to ``source.reporter``."""


class Writer(_Configurable, ABC):
    """Writes papers to a text stream as they arrive."""

    @abstractmethod
    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        """Write every paper to ``out``; report what could not be written fully."""


def suffix_of(path: str | os.PathLike[str]) -> str:
    """The lower-case suffix of a path, including the dot (``.bib``)."""
    name = os.fspath(path).lower()
    for compound in (".csl.json", ".csl.jsonl", ".bibconv.json", ".bibconv.jsonl",
                     ".cluster.json", ".jsonld", ".json-ld"):
        if name.endswith(compound):
            return compound
    return os.path.splitext(name)[1]

"""The base classes a reader or writer plugin implements, and the text source readers get."""

from __future__ import annotations

import codecs
import io
import os
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterable, Iterator
from typing import IO, Any, BinaryIO, ClassVar, TextIO

from .decoding import UTF8, Transcoder, bom_encoding, check_encoding, guess_wide, label
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

    The input is UTF-8 unless ``encoding`` names another (any text encoding Python
    knows) or a byte-order mark says UTF-16 or UTF-32; a byte-order mark wins over
    ``encoding``, as in browsers (WHATWG's decode), since it cannot be there by chance.
    Without one, NUL bytes near the start in the pattern of UTF-16 or UTF-32 read as
    that, when the start decodes to plausible text. Bytes invalid in the encoding are
    replaced (U+FFFD) and reported with their line, the first time with a hint to give
    the encoding; a leading BOM is dropped; CRLF and CR line ends read as LF. Input that
    looks binary (NUL bytes near the start in no such pattern) raises
    :class:`ParseError`: it is not text at all.

    Input in another encoding than UTF-8 is transcoded to UTF-8 as it is read
    (:class:`bibconv.decoding.Transcoder`); the parsing below sees UTF-8 bytes either way.
    """

    def __init__(self, stream: IO[bytes], origin: str, reporter: Reporter,
                 encoding: str | None = None) -> None:
        self.origin = origin
        self.reporter = reporter
        self._hinted = False
        head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
        named = check_encoding(encoding) if encoding else None
        if named in ("utf-16", "utf-32") and bom_encoding(head) is None:
            # Python would take the machine's byte order; the zero bytes tell the file's.
            order = [found for found in guess_wide(head) if found and found.startswith(named)]
            named = order[0] if order else f"{named}-le"
        chosen = bom_encoding(head) or named
        if chosen is None and b"\x00" in head:
            chosen, suggested = guess_wide(head)
            if chosen is None:
                raise ParseError(_binary(suggested, readable=False), origin, 1)
        #: Python's name of the encoding the input is read in.
        self.encoding = chosen or "utf-8"
        self._label = label(self.encoding)
        if self.encoding in UTF8:
            if b"\x00" in head:  # an explicit UTF-8 of NUL-laden input
                guessed, suggested = guess_wide(head)
                raise ParseError(_binary(guessed or suggested, readable=bool(guessed)),
                                 origin, 1)
        else:
            stream = io.BufferedReader(Transcoder(stream, self.encoding, _BLOCK),
                                       buffer_size=_SNIFF_BYTES)
            head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
            if b"\x00" in head:
                raise ParseError(f"binary data, not text (NUL characters near the start, "
                                 f"read as {self._label})", origin, 1)
        # One leading BOM is dropped here, whatever block size the reading uses later;
        # only a stream that cannot be peeked at has it dropped from its first block.
        self._bom_pending = not head
        if head.startswith(codecs.BOM_UTF8):
            stream.read(len(codecs.BOM_UTF8))
        self._stream = stream
        self.head = head.decode("utf-8", "replace").lstrip("\ufeff")

    def _invalid(self, lineno: int, where: str = "") -> None:
        """Report bytes invalid in the input's encoding; the first report of an input
        says what to do about it (the later ones would only repeat it)."""
        message = f"invalid {self._label}{where}; replaced with U+FFFD"
        if not self._hinted:
            self._hinted = True
            if self.encoding in UTF8:
                message += ("; if the file is in another encoding, give it with --encoding "
                            "(encoding= in Python), e.g. --encoding cp1252")
            else:
                message += (f"; if the file is not in {self._label}, give its encoding "
                            "with --encoding (encoding= in Python)")
        self.reporter.error("invalid-utf8", message, self.origin, lineno)

    def _decode(self, raw: bytes, lineno: int) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if self.encoding in UTF8:
                where = f" at byte {exc.start} of the line"
            else:  # a byte offset into the transcoded line would mean nothing to the user
                before = len(raw[: exc.start].decode("utf-8", "replace"))
                where = f" after {before} characters of the line"
            self._invalid(lineno, where)
            return raw.decode("utf-8", "replace")

    def lines(self) -> Iterator[tuple[int, str]]:
        """Yield (1-based line number, line without its line end)."""
        for start, text in self.runs():
            yield from enumerate(text.split("\n"), start)

    def runs(self) -> Generator[tuple[int, str], int | None, None]:
        """Yield runs of whole lines: (number of the first line, the lines joined by LF).

        The input is decoded a megabyte at a time (decoding line by line costs more
        than the parsing that follows), and a clean megabyte comes as one run, so a
        parser can scan it with C-level string operations. CRLF and old Mac line ends
        (a lone CR) are line ends like LF, as in Python's universal newlines, and are
        counted as such. Lines that need attention come as runs of their own: a block
        with invalid UTF-8 is decoded line by line to report each bad line by number,
        an over-long line is reported and dropped.

        A parser that counts the lines of a run anyway may send their number back
        (``send``) when it asks for the next run, which saves counting them again here.
        """
        lineno = 0
        pending = b""
        skipping = False  # inside an over-long line, dropping bytes to its end
        first = True
        carry_cr = False  # the last block ended with CR: its LF may start the next
        read = self._stream.read
        while True:
            block = read(_BLOCK)
            end = not block
            if first:
                first = False
                if self._bom_pending and block.startswith(b"\xef\xbb\xbf"):
                    block = block[3:]
            if carry_cr:
                block = b"\r" + block
                carry_cr = False
            if b"\r" in block:
                # Line ends made LF here, before lines are cut and counted: a CR at the
                # end of a block waits for the next, in case an LF follows it.
                if not end and block.endswith(b"\r"):
                    block, carry_cr = block[:-1], True
                block = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            if not block:
                if end:
                    break
                continue
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
            told = yield from self._split(data, lineno)
            lineno += data.count(b"\n") + 1 if told is None else told
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

    def _split(self, data: bytes, lineno: int) -> Generator[tuple[int, str], int | None,
                                                              int | None]:
        """The runs of a block of whole lines after line ``lineno``; the number of its
        lines if the consumer sent it back (one run only: see :meth:`runs`)."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            for offset, raw in enumerate(data.split(b"\n"), lineno + 1):
                yield from self._one(self._decode(raw, offset), offset)
            return None
        if len(text) <= MAX_LINE:
            return (yield lineno + 1, text)
        for offset, line in enumerate(text.split("\n"), lineno + 1):
            yield from self._one(line, offset)
        return None

    def _one(self, line: str, lineno: int) -> Iterator[tuple[int, str]]:
        if len(line) > MAX_LINE:
            self.reporter.error(
                "line-too-long",
                f"line of {len(line):,} characters skipped (limit {MAX_LINE:,} bytes)",
                self.origin,
                lineno,
            )
            return
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
                if self._bom_pending and block.startswith(b"\xef\xbb\xbf"):
                    block = block[3:]
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                self._invalid(lineno + block.count(b"\n", 0, max(exc.start, 0)))
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
        if self._bom_pending and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._invalid(raw.count(b"\n", 0, exc.start) + 1)
            text = raw.decode("utf-8", "replace")
        return text.replace("\r\n", "\n").replace("\r", "\n")

    @classmethod
    def from_text(cls, text: str, origin: str, reporter: Reporter) -> TextSource:
        """A source over an in-memory string."""
        data = io.BytesIO(text.encode("utf-8", "surrogatepass"))
        return cls(io.BufferedReader(data), origin, reporter)


def _binary(suggested: str | None, readable: bool) -> str:
    """The message refusing input with NUL bytes near the start, and what to do if it is
    text after all: UTF-16 or UTF-32 without a byte-order mark (``suggested``), which
    read as plausible text in it (``readable``: UTF-8 was asked for) or did not."""
    message = "binary data, not text (NUL bytes near the start)"
    if suggested is None:
        return message
    how = ("give its encoding with --encoding (encoding= in Python), "
           f"e.g. --encoding {suggested}")
    if readable:
        return f"{message}; it reads as {label(suggested)} text: {how}, or leave it out"
    return (f"{message}; it looks like {label(suggested)} without a byte-order mark, but "
            f"does not read as text in it; if it is text, {how}")


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

"""The Python API: load, loads, iterload, dump, dumps, convert.

Everything streams: :class:`PaperSource` reads inputs lazily and can be iterated
again (writers that plan citation keys look at the papers twice), and writers consume
papers as they come.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, TextIO, Union

from .decoding import check_encoding
from .diagnostics import Diagnostic, Reporter, python_warning
from .errors import BibconvError, OptionError, ParseError, UnknownFormatError, WriteError
from .model import Paper
from .plugin import Reader, TextSource, Utf8Output
from .registry import get_reader, get_writer, reader_option_names, sniff, writer_for_path

__all__ = [
    "DiagnosticsArg",
    "PaperSource",
    "convert",
    "dump",
    "dumps",
    "iterload",
    "load",
    "loads",
]

InputArg = Union[str, "os.PathLike[str]", IO[bytes], IO[str]]
DiagnosticsArg = Union[list[Diagnostic], Callable[[Diagnostic], None], Reporter, None]  # noqa: UP007
_SPOOL_LIMIT = 64 * 1024 * 1024


def make_reporter(diagnostics: DiagnosticsArg) -> Reporter:
    """A reporter for an API call: into a list, through a callback, or as Python warnings."""
    if isinstance(diagnostics, Reporter):
        return diagnostics
    if isinstance(diagnostics, list):
        return Reporter(diagnostics.append)
    if diagnostics is None:
        return Reporter(python_warning)
    return Reporter(diagnostics)


class _Input:
    """One input: a path, or a stream spooled once so that it can be read again."""

    def __init__(self, arg: InputArg) -> None:
        self.path: str | None = None
        self._spool: IO[bytes] | None = None
        #: A text stream: decoded already, and spooled as UTF-8 whatever encoding is asked.
        self.decoded = False
        if isinstance(arg, (str, os.PathLike)) and os.fspath(arg) != "-":
            self.path = os.fspath(arg)
            self.origin = self.path
            return
        if isinstance(arg, (str, os.PathLike)):
            stream: IO[Any] = sys.stdin.buffer
            self.origin = "<stdin>"
        else:
            stream = arg
            self.origin = getattr(arg, "name", None) or "<stream>"
            if not isinstance(self.origin, str):
                self.origin = "<stream>"
        self._stream = stream
        self.decoded = isinstance(stream, io.TextIOBase) or (
            hasattr(stream, "encoding") and not hasattr(stream, "buffer")
            and not isinstance(stream, (io.BufferedIOBase, io.RawIOBase))
        )

    def size(self) -> int:
        """The input's size in bytes (0 when unknown)."""
        if self.path is not None:
            try:
                return os.path.getsize(self.path)
            except OSError:
                return 0
        return 0

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The input's bytes, from the start, as a buffered stream."""
        if self.path is not None:
            with open(self.path, "rb") as handle:
                yield handle
            return
        if self._spool is None:
            spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_LIMIT)  # noqa: SIM115
            if self.decoded:
                for chunk in iter(lambda: self._stream.read(1 << 16), ""):
                    spool.write(chunk.encode("utf-8", "surrogatepass"))
            else:
                shutil.copyfileobj(self._stream, spool)
            self._spool = spool
        self._spool.seek(0)
        yield io.BufferedReader(_NoClose(self._spool))


class _NoClose(io.RawIOBase):
    """A raw view of a spool that the BufferedReader around it must not close."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:  # keep the spool for the next pass
        pass


class PaperSource:
    """Papers read lazily from one or more inputs; iterable any number of times.

    A broken input (unreadable, binary, not in the named format) is reported as an
    error with its name and line, and the other inputs still convert.

    ``encoding`` names the encoding of the inputs' bytes (any text encoding Python
    knows; default UTF-8, and UTF-16/UTF-32 recognised by their byte-order mark): see
    :class:`~bibconv.plugin.TextSource`. An unknown name raises
    :class:`~bibconv.errors.OptionError` at once.
    """

    def __init__(
        self,
        inputs: Sequence[InputArg],
        format: str | None = None,
        reporter: Reporter | None = None,
        reader_options: dict[str, Any] | None = None,
        encoding: str | None = None,
    ) -> None:
        self._inputs = [_Input(arg) for arg in inputs]
        self.format = format
        self.reporter = reporter if reporter is not None else Reporter()
        self.reader_options = reader_options or {}
        self.encoding = check_encoding(encoding) if encoding else None
        if format is not None:
            make_reader(format, self.reader_options)  # fail early on a bad name or option

    def quiet(self) -> PaperSource:
        """The same papers with diagnostics discarded (for a planning pass)."""
        twin = PaperSource.__new__(PaperSource)
        twin._inputs = self._inputs
        twin.format = self.format
        twin.reporter = Reporter(keep=0)
        twin.reader_options = self.reader_options
        twin.encoding = self.encoding
        return twin

    def __iter__(self) -> Iterator[Paper]:
        self._done_bytes = 0
        self.papers_read = 0
        for item in self._inputs:
            yield from self._read(item)
            self._done_bytes += item.size()

    #: Papers the last pass gave (for "nothing at all could be read").
    papers_read = 0

    def total_bytes(self) -> int | None:
        """The size of all inputs, when every input is a file."""
        sizes = [item.size() for item in self._inputs]
        return sum(sizes) if all(item.path is not None for item in self._inputs) else None

    def position(self) -> int:
        """Bytes read so far in this pass (for progress estimates)."""
        stream = getattr(self, "_stream", None)
        try:
            current = stream.tell() if stream is not None and not stream.closed else 0
        except (OSError, ValueError):
            current = 0
        return getattr(self, "_done_bytes", 0) + current

    def _nothing_read(self, name: str, head: str, item: _Input) -> None:
        """Report an input the format it was read as found nothing in, without a word:
        most often an input of another format (``--from bibtex`` on a scraped page)."""
        looks = _looks_like(head, item.path)
        if looks == name or head.strip() in ("[]", "{}"):
            return  # an empty bibliography of the right format ("[]")
        hint = f"; it looks like {looks}" if looks else ""
        self.reporter.error("unreadable", f"{name}: no records found in this input{hint}",
                            item.origin, 1)

    def _read(self, item: _Input) -> Iterator[Paper]:
        try:
            with item.open() as stream:
                self._stream = stream
                source = TextSource(stream, item.origin, self.reporter,
                                    None if item.decoded else self.encoding)
                if not source.head.strip():
                    raise ParseError("empty input: nothing to convert", item.origin, 1)
                name = self.format or sniff(source.head, item.path)
                reader = make_reader(name, self.reader_options)
                errors = self.reporter.errors
                # Counted in C (zip with a counter): a Python loop here cost ~2% of reading.
                counter = itertools.count()
                try:
                    yield from map(_FIRST, zip(reader.read(source), counter, strict=False))
                finally:
                    count = next(counter)  # what was read before a fatal error counts too
                    self.papers_read += count
                if not count and self.format is not None and self.reporter.errors == errors:
                    self._nothing_read(name, source.head, item)
        except ParseError as exc:
            self.reporter.error("unreadable", exc.message, exc.origin or item.origin, exc.line)
        except OptionError:
            raise  # the caller's mistake, not the input's
        except BibconvError as exc:
            self.reporter.error("unreadable", str(exc), item.origin, None)
        except OSError as exc:
            self.reporter.error("unreadable", f"cannot read: {exc.strerror or exc}", item.origin)


_FIRST = itemgetter(0)


def make_reader(name: str, options: dict[str, Any]) -> Reader:
    """The reader ``name`` names, with the options it takes: an option another reader
    takes (``venues`` when a ``.bib`` is among scraped pages) is not for this one; an
    option no reader takes is an :class:`~bibconv.errors.OptionError`."""
    cls = get_reader(name)
    if options and not set(options) <= set(cls.options):
        known = reader_option_names()
        unknown = sorted(set(options) - known)
        if unknown:
            raise OptionError(f"{name}: unknown option(s) {', '.join(unknown)}; valid "
                              f"options: {', '.join(sorted(cls.options)) or 'none'}")
        options = {key: value for key, value in options.items() if key in cls.options}
    return cls(**options)


def _looks_like(head: str, path: str | None) -> str | None:
    """The format an input's beginning looks like, if any."""
    try:
        return sniff(head, path)
    except UnknownFormatError:
        return None


def iterload(
    source: InputArg,
    format: str | None = None,
    *,
    diagnostics: DiagnosticsArg = None,
    encoding: str | None = None,
    **reader_options: Any,
) -> Iterator[Paper]:
    """Yield the papers of a file, path or stream one at a time (format sniffed if None).

    ``encoding`` is that of a file's or byte stream's bytes (default UTF-8, or what a
    byte-order mark says); a text stream is read as the text it gives.
    """
    return iter(PaperSource([source], format, make_reporter(diagnostics), reader_options,
                            encoding))


def load(
    source: InputArg,
    format: str | None = None,
    *,
    diagnostics: DiagnosticsArg = None,
    encoding: str | None = None,
    **reader_options: Any,
) -> list[Paper]:
    """Read every paper of a file, path or stream (format sniffed when not given;
    ``encoding`` as for :func:`iterload`)."""
    return list(iterload(source, format, diagnostics=diagnostics, encoding=encoding,
                         **reader_options))


def loads(
    text: str | bytes,
    format: str | None = None,
    *,
    diagnostics: DiagnosticsArg = None,
    origin: str = "<string>",
    **reader_options: Any,
) -> list[Paper]:
    """Read every paper of a string (format sniffed when not given); bytes are read as
    a file's bytes are (UTF-8, or what a byte-order mark says)."""
    if isinstance(text, (bytes, bytearray)):
        return load(io.BytesIO(bytes(text)), format, diagnostics=diagnostics, **reader_options)
    reporter = make_reporter(diagnostics)
    src = TextSource.from_text(text, origin, reporter)
    papers: list[Paper] = []
    try:
        name = format or sniff(src.head)
        reader = make_reader(name, reader_options)
        papers.extend(reader.read(src))  # keeps what was read before a fatal error
    except ParseError as exc:
        reporter.error("unreadable", exc.message, exc.origin or origin, exc.line)
    return papers


def _write(papers: Iterable[Paper], format: str, out: TextIO, reporter: Reporter,
           options: dict[str, Any]) -> None:
    writer = get_writer(format)(**options)
    writer.write(papers, out, reporter)


def dumps(
    papers: Iterable[Paper],
    format: str,
    *,
    diagnostics: DiagnosticsArg = None,
    **options: Any,
) -> str:
    """Write papers in a format and return the text."""
    out = io.StringIO()
    _write(papers, format, out, make_reporter(diagnostics), options)
    return out.getvalue()


#: Bytes of output gathered before each write to the file.
_OUTPUT_BUFFER = 1 << 18


@contextmanager
def atomic_output(path: str | os.PathLike[str],
                  commit: Callable[[], bool] | None = None) -> Iterator[TextIO]:
    """A text file that appears under its name only when writing finished.

    Output goes to a temporary file beside the target and is renamed over it at the
    end, so an interrupted or failed run never leaves a half-written file. With
    ``commit``, the file is put in place only if it answers True once writing is done
    (the CLI leaves an existing output alone when nothing at all could be read). A
    target that cannot be written (no such directory, no permission) is a
    :class:`~bibconv.errors.WriteError`.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise WriteError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from exc
    try:
        # A large buffer: writers hand over a paper at a time, and a system call per
        # paper costs more than the paper's text (CPU time on 10,000 papers: N-Triples
        # 0.87 s -> 0.80 s, Turtle 0.72 s -> 0.67 s).
        with Utf8Output(io.FileIO(fd, "w"), _OUTPUT_BUFFER) as handle:
            yield handle
        if commit is not None and not commit():
            os.unlink(tmp)
            return
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise WriteError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from exc
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def dump(
    papers: Iterable[Paper],
    dest: str | os.PathLike[str] | TextIO,
    format: str | None = None,
    *,
    diagnostics: DiagnosticsArg = None,
    **options: Any,
) -> None:
    """Write papers to a path (format from its suffix if not given) or a text stream."""
    reporter = make_reporter(diagnostics)
    if isinstance(dest, (str, os.PathLike)):
        name = format or writer_for_path(os.fspath(dest))
        writer = get_writer(name)(**options)
        with atomic_output(dest) as out:
            writer.write(papers, out, reporter)
    else:
        if format is None:
            raise BibconvError("dump to a stream needs a format")
        _write(papers, format, dest, reporter, options)


def convert(
    source: InputArg | Sequence[InputArg],
    dest: str | os.PathLike[str] | TextIO,
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    diagnostics: DiagnosticsArg = None,
    reader_options: dict[str, Any] | None = None,
    encoding: str | None = None,
    **options: Any,
) -> Reporter:
    """Convert one or more inputs into one output; returns the reporter with its counts.

    ``encoding`` is that of the inputs (as for :func:`iterload`); ``options`` go to the
    writer.
    """
    reporter = make_reporter(diagnostics)
    inputs: Sequence[InputArg] = (
        list(source) if isinstance(source, (list, tuple)) else [source]  # type: ignore[list-item]
    )
    papers = PaperSource(inputs, from_format, reporter, reader_options, encoding)
    dump(papers, dest, to_format, diagnostics=reporter, **options)
    return reporter

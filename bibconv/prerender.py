"""Entries written out before their citation keys are known.

A writer whose entries carry citation keys (BibTeX, RIS, CSL-JSON) must see every
paper before it can write the first entry (:mod:`bibconv.keys`). For a large input the
papers wait for the writing pass in a spool file. Instead of the papers, the spool can
hold each paper's entry already written, with a placeholder where its key goes: the
writing pass then only puts the keys in, and the work of writing the entries is done
during the first pass, where worker processes can share it (``--jobs``).

The placeholder is a random token drawn for each run, so no input can hold it. A
writer's diagnostics about an entry are kept with the entry and reported in the
writing pass, with the key put in, so they come in the same place and say the same as
when the entry is written in the writing pass.

A writer whose entries carry no key (canonical JSON) uses the same entries without a
spool: :func:`stream_entries` writes them out as they come, from papers read here or
from the batches worker processes wrote.
"""

from __future__ import annotations

import marshal
import os
import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from typing import IO, Any, ClassVar, Final, NamedTuple, Protocol, TextIO, cast

from .diagnostics import Diagnostic, Reporter, Severity
from .model import Paper
from .plugin import byte_stream
from .spool import read_frames, write_frame

__all__ = [
    "ENTRY_BATCH",
    "KeyedWriter",
    "Layout",
    "RenderedBatch",
    "Renderer",
    "TextSpool",
    "WriterSpec",
    "decode_rendered",
    "encode_rendered",
    "placeholder",
    "stream_entries",
    "write_entries",
]

#: A diagnostic as kept with an entry: code, message, severity, origin, line.
Note = tuple[str, str, str, str | None, int | None]
#: One entry written with the placeholder: its text (as UTF-8 for a byte stream, see
#: :class:`Renderer`), base key, slot and diagnostics.
Rendered = tuple[str | bytes, str, int, tuple[Note, ...]]

#: A writer as a worker process makes it: registered name, settings, placeholder, and
#: whether its entries go to a byte stream.
WriterSpec = tuple[str, dict[str, Any], str, bool]

#: Severities by their value (an Enum call costs seven times a look-up).
_SEVERITY: Final = {severity.value: severity for severity in Severity}
#: Entries per batch of the spool. An entry is one to two kilobytes; batches of 1,024
#: (as the paper spool's) made the peak of a million-paper RIS run 63 MB against 59 MB
#: with 256, for no measurable speed.
ENTRY_BATCH = 256


class KeyedWriter(Protocol):
    """A writer that writes one entry per paper, under the paper's citation key (an
    empty key for a writer whose entries carry none).

    ``render_entry`` must depend on the paper and the key only (not on the papers
    written before), so that an entry can be written ahead of its key, in this process
    or in a worker process that makes its own writer from ``name`` and ``settings``.
    """

    name: ClassVar[str]
    settings: dict[str, Any]

    def render_entry(self, paper: Paper, key: str, reporter: Reporter) -> str:
        """The text of one paper's entry under ``key``."""
        ...


def placeholder() -> str:
    """A fresh stand-in for a key: letters and digits, so that every writer writes it as
    it is, and random, so that no input holds it."""
    return "bibconvkey" + os.urandom(16).hex()


class Renderer:
    """Writes entries with the placeholder in place of the key, keeping their diagnostics.

    With ``wire`` (output to a byte stream, :func:`~bibconv.plugin.byte_stream`) an
    entry is kept as its UTF-8 bytes, encoded where it is written (in a worker, that is
    work taken off the process that writes the output); one that UTF-8 cannot encode
    (a lone surrogate) is kept as text, and fails when written, as it would have.
    """

    def __init__(self, writer: KeyedWriter, token: str, wire: bool = False) -> None:
        self.token = token
        self.wire = wire
        self._token_bytes = token.encode("ascii")
        self._writer = writer
        self._render = writer.render_entry
        self._reporter = Reporter()

    def spec(self) -> WriterSpec | None:
        """What a worker process needs to write entries as this one does: the writer's
        registered name, its settings and the placeholder; None when a writer made from
        them would not be this writer's class (one not registered under its name), or
        its settings cannot be sent to another process."""
        from .registry import get_writer

        writer = self._writer
        try:
            registered: type = get_writer(writer.name)
            if registered is not type(writer):
                return None
            settings = dict(writer.settings)
            pickle.dumps(settings)
        except Exception:  # any failure means: write the entries in this process
            return None
        return writer.name, settings, self.token, self.wire

    def entry(self, paper: Paper, base: str, slot: int) -> Rendered:
        """One paper's entry, with its base key, slot and the diagnostics writing it gave."""
        reporter = self._reporter
        text: str | bytes = self._render(paper, self.token, reporter)
        if self.wire:
            try:  # noqa: SIM105 - a with-statement per entry costs more
                text = cast(str, text).encode("utf-8")
            except UnicodeEncodeError:
                pass  # kept as text, to fail where it is written
        if not reporter.diagnostics:
            return text, base, slot, ()
        notes = tuple((d.code, d.message, d.severity.value, d.origin, d.line)
                      for d in reporter.diagnostics)
        reporter.diagnostics.clear()
        return text, base, slot, notes

    def done(self, entry: Rendered, reporter: Reporter) -> str | bytes:
        """An entry written without a key: its text (bytes with ``wire``), its
        diagnostics reported."""
        text, _, _, notes = entry
        if notes:
            _report(notes, reporter)
        if type(text) is str and self.wire:
            return text.encode("utf-8")
        return text

    def finish(self, entry: Rendered, key: str, reporter: Reporter) -> str | bytes:
        """The entry under its key (bytes with ``wire``, else text), its diagnostics
        reported (with the key put in them too)."""
        text, _, _, notes = entry
        token = self.token
        if notes:
            _report(notes, reporter, token, key)
        if type(text) is bytes:
            return text.replace(self._token_bytes, key.encode("ascii"))
        done = cast(str, text).replace(token, key)
        return done.encode("utf-8") if self.wire else done


def _report(notes: tuple[Note, ...], reporter: Reporter, token: str = "",
            key: str = "") -> None:
    """Report an entry's kept diagnostics, the key put in for the stand-in if given."""
    for code, message, severity, origin, line in notes:
        if token:
            message = message.replace(token, key)
        reporter.report(Diagnostic(code, _SEVERITY[severity], message, origin, line))


class Layout(NamedTuple):
    """How a writer lays its entries out: ``head``, then each entry after ``first`` (the
    first) or ``between`` (the others), then ``tail``, or ``empty_tail`` when there is
    no entry."""

    head: str
    first: str
    between: str
    tail: str
    empty_tail: str = ""


def stream_entries(papers: Iterable[Paper], writer: KeyedWriter, out: TextIO,
                   reporter: Reporter, layout: Layout) -> None:
    """Write each paper's entry as it comes, laid out by ``layout``, for a writer whose
    entries carry no key (the key it is given is empty) and depend on their paper only.

    A source read by worker processes (``--jobs``) has the workers write the entries,
    as UTF-8 when ``out`` has a byte stream under it; this process only writes them out.
    """
    raw = byte_stream(out)
    wire = raw is not None
    renderer = Renderer(writer, "", wire)  # no key, so no stand-in
    hook = getattr(papers, "rendered", None)
    spec = renderer.spec() if hook is not None else None
    entries: Iterable[Any]
    if hook is None or spec is None:
        # Every entry written here: a map in C, no generator frame per paper.
        entries = map(writer.render_entry, papers, repeat(""), repeat(reporter))
        if wire:
            entries = map(str.encode, entries)  # UTF-8, strict, as the stream would
    else:
        entries = _streamed(hook(None, False, spec), writer, renderer, reporter)
    write_entries(entries, out.write if raw is None else raw.write, layout, wire)


def _streamed(items: Iterable[Any], writer: KeyedWriter, renderer: Renderer,
              reporter: Reporter) -> Iterator[str | bytes]:
    """The entries of papers and of batches workers wrote, in order."""
    render, wire = writer.render_entry, renderer.wire
    for item in items:
        if type(item) is RenderedBatch:
            for entry in decode_rendered(item.data):
                yield renderer.done(entry, reporter)
        else:
            text = render(item, "", reporter)
            yield text.encode("utf-8") if wire else text


def write_entries(entries: Iterable[Any], write: Callable[[Any], Any], layout: Layout,
                  wire: bool = False) -> None:
    """Write entries laid out by ``layout``; with ``wire`` the entries are UTF-8 bytes
    and ``write`` takes bytes."""
    pieces: tuple[Any, ...] = tuple(layout)
    if wire:
        pieces = tuple(piece.encode("utf-8") for piece in pieces)
    head, separator, between, tail, empty_tail = pieces
    write(head)
    written = False
    for entry in entries:
        write(separator + entry)  # one call: cheaper than two
        separator, written = between, True
    write(tail if written else empty_tail)


def encode_rendered(entries: Sequence[Rendered]) -> bytes:
    """A batch of entries as bytes for :func:`decode_rendered` (one ``marshal`` call)."""
    texts = [entry[0] for entry in entries]
    bases = [entry[1] for entry in entries]
    slots = array("Q", [entry[2] for entry in entries]).tobytes()
    notes = [(number, entry[3]) for number, entry in enumerate(entries) if entry[3]]
    return marshal.dumps((texts, bases, slots, notes))


def decode_rendered(data: bytes) -> list[Rendered]:
    """The entries of a batch written by :func:`encode_rendered`, in order."""
    texts, bases, packed, notes = marshal.loads(data)
    slots = array("Q")
    slots.frombytes(packed)
    empty: tuple[Note, ...] = ()
    entries: list[Rendered] = list(zip(texts, bases, slots, [empty] * len(texts), strict=True))
    for number, kept in notes:
        text, base, slot, _ = entries[number]
        entries[number] = (text, base, slot, tuple(map(tuple, kept)))
    return entries


class RenderedBatch:
    """Entries encoded by :func:`encode_rendered` elsewhere (a worker process), with
    their slots listed so that key planning need not decode the batch."""

    __slots__ = ("data", "slots")

    def __init__(self, data: bytes, slots: Sequence[int]) -> None:
        self.data = data
        self.slots = slots


class TextSpool:
    """Entries appended in order, then read back once in the same order.

    The file is anonymous and is closed (and so removed) when the replay ends, when
    :meth:`close` is called, or when the spool is garbage-collected. Creating the spool
    or adding to it raises OSError when the temporary directory cannot take the file
    (it is about as large as the output).
    """

    def __init__(self, batch_size: int | None = None, directory: str | None = None) -> None:
        self._batch_size = batch_size or ENTRY_BATCH
        self._file: IO[bytes] | None = tempfile.TemporaryFile(  # noqa: SIM115
            prefix="bibconv-entries-", dir=directory)
        self._batch: list[Rendered] = []
        #: Entries written to the file so far.
        self.count = 0

    def append(self, entry: Rendered) -> None:
        """Add one entry (written to the file a batch at a time)."""
        if self._file is None:
            raise ValueError("the spool is closed")
        self._batch.append(entry)
        if len(self._batch) >= self._batch_size:
            self._flush()

    def append_encoded(self, batch: RenderedBatch) -> None:
        """Add a batch encoded elsewhere, after the entries appended so far."""
        self._flush()
        self._write(batch.data, len(batch.slots))

    def _write(self, data: bytes, count: int) -> None:
        if self._file is None:
            raise ValueError("the spool is closed")
        write_frame(self._file, data)
        self.count += count

    def _flush(self) -> None:
        if self._batch:
            batch, self._batch = self._batch, []
            self._write(encode_rendered(batch), len(batch))

    def replay(self) -> Iterator[Rendered]:
        """Every entry appended, in order; the spool is closed at the end.

        The last batch is written first, so this can raise OSError as :meth:`append`
        can; reading starts when the iterator is first advanced.
        """
        self._flush()
        if self._file is None:
            raise ValueError("the spool is closed")
        return self._read(self._file)

    def _read(self, handle: IO[bytes]) -> Iterator[Rendered]:
        try:
            for data in read_frames(handle, "entry spool"):
                yield from decode_rendered(data)
        finally:
            self.close()

    def close(self) -> None:
        """Release the file (and so its disk space)."""
        handle, self._file = self._file, None
        self._batch = []
        if handle is not None:
            handle.close()

    def __del__(self) -> None:
        self.close()

"""Batch conversion: many inputs, directories and globs; parallel jobs; progress.

Two shapes of run:

* many inputs into **one output**: with ``jobs > 1`` the inputs are read by worker
  processes (reading and clean-up are most of the work) and the papers come back in
  input order, so the output is identical to a single-process run;
* **one output per input** (``--output-dir``): each input is converted by a worker
  on its own, written atomically, and its diagnostics are printed in input order.
"""

from __future__ import annotations

import glob
import io
import os
import pickle
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

from .api import PaperSource, atomic_output
from .diagnostics import Diagnostic, Reporter
from .model import Paper, Person
from .registry import get_writer

if TYPE_CHECKING:
    from .keys import KeyGenerator
    from .prerender import KeyedWriter, RenderedBatch, Renderer, WriterSpec
    from .spool import EncodedBatch

__all__ = [
    "ParallelSource",
    "Progress",
    "convert_each",
    "expand_inputs",
    "output_name",
]

#: File suffixes picked up when an input is a directory.
INPUT_SUFFIXES = (".txt", ".cluster", ".json", ".jsonl", ".bib", ".ris", ".ttl", ".nt",
                  ".jsonld", ".rdf")


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Inputs with directories walked (sorted, known suffixes) and unexpanded globs expanded.

    ``-`` (standard input) and paths that do not exist are kept as they are, so that
    reading them reports the problem in its place.
    """
    out: list[str] = []
    for item in inputs:
        if item == "-":
            out.append(item)
        elif os.path.isdir(item):
            found = sorted(
                str(p) for p in Path(item).rglob("*")
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                and not p.name.startswith(".")
            )
            out.extend(found)
        elif not os.path.exists(item) and glob.has_magic(item):
            out.extend(sorted(glob.glob(item, recursive=True)) or [item])
        else:
            out.append(item)
    return out


def output_name(input_path: str, writer: str, output_dir: str) -> str:
    """Where ``--output-dir`` writes the conversion of one input."""
    suffixes = get_writer(writer).suffixes
    suffix = suffixes[0] if suffixes else f".{writer}"
    stem = Path(input_path).name
    for known in (".cluster.json", ".csl.json", ".bibconv.json", *INPUT_SUFFIXES):
        if stem.lower().endswith(known):
            stem = stem[: -len(known)]
            break
    return str(Path(output_dir) / f"{stem}{suffix}")


# -- one output from many inputs ------------------------------------------------------

#: Key planning asked of a worker: the key pattern and keep_ids (None: none asked).
_KeySpec = tuple[str, bool] | None
_ReadTask = tuple[str, str | None, dict[str, Any], bool, str | None, _KeySpec,
                  "WriterSpec | None"]
#: An input's papers as a worker hands them over: batches of :func:`~bibconv.spool.encode_batch`,
#: each with the pickled papers it holds aside (None when none) and, when key planning
#: was asked, each paper's slot (its base key and slot are the batch's tags). When the
#: entries were asked for too, the batches are of :func:`~bibconv.prerender.encode_rendered`.
_Batches = list[tuple[bytes, bytes | None, list[int] | None]]

#: Inputs larger than this (bytes) are read by the parent process as a stream: a worker
#: hands an input over whole, which would hold all of a big file's papers at once.
LARGE_INPUT = 64 << 20


@lru_cache(maxsize=4)
def _key_generator(pattern: str, keep_ids: bool) -> KeyGenerator:
    from .keys import KeyGenerator

    return KeyGenerator(pattern, keep_ids)


#: The writer a worker writes entries with, made once per process: (spec, renderer).
_RENDERER: list[tuple[WriterSpec, Renderer]] = []


def _renderer(spec: WriterSpec) -> Renderer:
    """The renderer of a worker for the writer ``spec`` names (made at its first use)."""
    from .prerender import Renderer

    if not _RENDERER or _RENDERER[0][0] != spec:
        name, settings, token, wire = spec
        _RENDERER[:] = [(spec, Renderer(cast("KeyedWriter", get_writer(name)(**settings)),
                                        token, wire))]
    return _RENDERER[0][1]


def _read_one(args: _ReadTask) -> tuple[_Batches, list[Diagnostic]]:
    """Read one input in a worker: its papers as encoded batches, and its diagnostics.

    The batches are those of the paper spool (columns of values, one ``marshal`` call
    each; people, dates and venues written once per batch): the parent rebuilds papers
    from them in ~7 µs each, against ~12 µs to unpickle them, and the parent is the
    stage that also writes the output. With key planning asked, each paper is tagged
    with its base key and slot, so that the parent can spool the batch as it is.
    """
    from .prerender import encode_rendered
    from .spool import BATCH_SIZE, encode_batch

    path, fmt, reader_options, quiet, encoding, key, render = args
    reporter = Reporter(keep=0 if quiet else None)
    papers = iter(PaperSource([path], fmt, reporter, reader_options, encoding))
    tag = None if key is None else _key_generator(*key).tag
    entry = None if render is None else _renderer(render).entry
    batches: _Batches = []
    while chunk := list(islice(papers, BATCH_SIZE)):
        held: list[Paper | None] = []
        slots: list[int] | None = None
        if entry is not None:
            # The entries, written ahead of their keys (or with none): the parent only
            # spools them, or writes them out.
            entries = ([entry(paper, *tag(paper)) for paper in chunk] if tag is not None
                       else [entry(paper, "", 0) for paper in chunk])
            batches.append((encode_rendered(entries), None, [e[2] for e in entries]))
            continue
        if tag is None:
            data = encode_batch(chunk, held)
        else:
            tags = [tag(paper) for paper in chunk]
            data = encode_batch(chunk, held, tags)
            slots = [slot for _, slot in tags]
        batches.append((data, pickle.dumps(held, pickle.HIGHEST_PROTOCOL) if held else None,
                        slots))
    return batches, reporter.diagnostics


def _input_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # a worker reads it and reports the problem


class ParallelSource:
    """Papers of many inputs read by worker processes, yielded in input order.

    At most ``2 * jobs`` inputs are read ahead of the one being yielded, so memory stays
    flat however many inputs there are and however slow the writer taking the papers,
    and the workers leave the parent (which writes) its share of the processors. An
    input larger than :data:`LARGE_INPUT` is read by the parent itself, as a stream,
    while the workers read ahead.

    Iterable again (each pass reads again), and quietly, like :class:`PaperSource`.
    """

    def __init__(self, inputs: Sequence[str], format: str | None, reporter: Reporter,
                 reader_options: dict[str, Any], jobs: int, quiet: bool = False,
                 encoding: str | None = None) -> None:
        self.inputs = list(inputs)
        self.format = format
        self.reporter = reporter
        self.reader_options = reader_options
        self.jobs = jobs
        self._quiet = quiet
        self.encoding = encoding
        self.done_inputs = 0
        #: Papers the last pass gave (for "nothing at all could be read").
        self.papers_read = 0

    def quiet(self) -> ParallelSource:
        """The same papers with diagnostics discarded (for a second pass)."""
        return ParallelSource(self.inputs, self.format, Reporter(keep=0), self.reader_options,
                              self.jobs, quiet=True, encoding=self.encoding)

    def _inputs(self, key: _KeySpec, render: WriterSpec | None) -> Iterator[str | _Batches]:
        """Each input in order, its diagnostics reported: the batches a worker read, or
        the path of an input the caller reads itself (one over LARGE_INPUT)."""
        pool = ProcessPoolExecutor(max_workers=self.jobs)
        ahead: deque[Future[tuple[_Batches, list[Diagnostic]]] | str] = deque()
        todo = iter(self.inputs)

        def read_ahead() -> None:
            while len(ahead) < 2 * self.jobs:
                path = next(todo, None)
                if path is None:
                    return
                if _input_size(path) > LARGE_INPUT:
                    ahead.append(path)
                else:
                    ahead.append(pool.submit(_read_one, (path, self.format, self.reader_options,
                                                         self._quiet, self.encoding, key,
                                                         render)))

        try:
            read_ahead()
            while ahead:
                item = ahead.popleft()
                read_ahead()
                if isinstance(item, str):
                    yield item
                else:
                    batches, diagnostics = item.result()
                    for diagnostic in diagnostics:
                        self.reporter.report(diagnostic)
                    batches.reverse()  # each batch released once taken (pop from the end)
                    yield batches
                self.done_inputs += 1
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def __iter__(self) -> Iterator[Paper]:
        # Without key planning the workers' batches carry no slots: all come as papers.
        return cast(Iterator[Paper], self._items(None, None))

    def planned(self, pattern: str, keep_ids: bool) -> Iterator[Paper | EncodedBatch]:
        """The papers for a key-planning pass (:mod:`bibconv.keys`): the workers also work
        out each paper's base key and slot for ``pattern``, and their batches come as
        :class:`~bibconv.spool.EncodedBatch` (which the planning pass can spool without
        rebuilding a paper); papers read here, or held apart, come as papers."""
        return cast(Iterator["Paper | EncodedBatch"], self._items((pattern, keep_ids), None))

    def rendered(self, pattern: str | None, keep_ids: bool,
                 writer: WriterSpec) -> Iterator[Paper | RenderedBatch]:
        """:meth:`planned`, with the workers also writing each paper's entry ahead of its
        key as the writer ``writer`` names does (:mod:`bibconv.prerender`): their
        batches come as :class:`~bibconv.prerender.RenderedBatch`; papers read here
        come as papers. With no ``pattern``, the entries carry no key (nor slots)."""
        key = None if pattern is None else (pattern, keep_ids)
        return cast(Iterator["Paper | RenderedBatch"], self._items(key, writer))

    def _items(self, key: _KeySpec, render: WriterSpec | None,
               ) -> Iterator[Paper | EncodedBatch | RenderedBatch]:
        """The inputs' papers, a worker's batch as an EncodedBatch when it has the slots
        of key planning and holds no paper apart, as a RenderedBatch when it holds
        entries, else as papers."""
        from .prerender import RenderedBatch
        from .spool import EncodedBatch, decode_batch

        people: dict[tuple[Any, ...], Person] = {}  # shared people rebuilt once
        self.papers_read = 0
        for item in self._inputs(key, render):
            if isinstance(item, str):
                here = PaperSource([item], self.format, self.reporter, self.reader_options,
                                   self.encoding)
                yield from here
                self.papers_read += here.papers_read
                continue
            while item:
                data, held, slots = item.pop()
                if slots is not None:
                    self.papers_read += len(slots)
                if render is not None and slots is not None:
                    yield RenderedBatch(data, slots)  # slots all 0 when no key was asked
                elif held is None and slots is not None:
                    yield EncodedBatch(data, slots)
                else:
                    count = 0
                    for count, paper in enumerate(  # noqa: B007
                            decode_batch(data, pickle.loads(held) if held else None, people), 1):
                        yield paper
                    if slots is None:
                        self.papers_read += count


# -- one output per input ------------------------------------------------------------

@dataclass(frozen=True)
class _Job:
    source: str
    target: str
    read_format: str | None
    writer: str
    writer_options: dict[str, Any]
    reader_options: dict[str, Any]
    encoding: str | None = None


def _convert_job(job: _Job) -> tuple[int, list[Diagnostic]]:
    reporter = Reporter()
    counter = Progress(io.StringIO())  # not a terminal: it only counts
    papers = PaperSource([job.source], job.read_format, reporter, job.reader_options,
                         job.encoding)
    writer = get_writer(job.writer)(**job.writer_options)
    # An input nothing could be read from leaves no empty output behind.
    with atomic_output(job.target,
                       commit=lambda: not (reporter.errors and not counter.count)) as out:
        writer.write(counter.wrap(papers), out, reporter)
    return counter.count, reporter.diagnostics


def convert_each(
    inputs: Sequence[str],
    output_dir: str,
    read_format: str | None,
    writer: str,
    writer_options: dict[str, Any],
    reader_options: dict[str, Any],
    reporter: Reporter,
    jobs: int = 1,
    progress: Progress | None = None,
    encoding: str | None = None,
) -> int:
    """Convert each input to its own file in ``output_dir``; returns the paper count.

    ``encoding`` is that of the inputs (default UTF-8 or what a byte-order mark says).
    """
    try:
        os.makedirs(output_dir, exist_ok=True)
    except OSError as exc:
        from .errors import OptionError

        raise OptionError(f"cannot make the output directory {output_dir}: "
                          f"{exc.strerror or exc}") from exc
    batch = [_Job(path, output_name(path, writer, output_dir), read_format, writer,
                  writer_options, reader_options, encoding) for path in inputs]
    targets = [job.target for job in batch]
    if len(set(targets)) != len(targets):
        clash = sorted({t for t in targets if targets.count(t) > 1})
        raise_clash(clash)
    sources = {os.path.realpath(path) for path in inputs}
    overwritten = sorted(t for t in targets if os.path.realpath(t) in sources)
    if overwritten:
        from .errors import OptionError

        raise OptionError(f"the output {', '.join(overwritten)} would overwrite an input; "
                          "write into another directory")
    total = 0
    results: Iterable[tuple[int, list[Diagnostic]]]
    if jobs > 1 and len(batch) > 1:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(_convert_job, batch)
    else:
        pool = None
        results = map(_convert_job, batch)
    try:
        for count, diagnostics in results:
            for diagnostic in diagnostics:
                reporter.report(diagnostic)
            total += count
            if progress is not None:
                progress.advance(count)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return total


def raise_clash(clash: list[str]) -> None:
    """Two inputs would be written to the same output file."""
    from .errors import OptionError

    raise OptionError(f"several inputs would be written to {', '.join(clash)}; "
                      "rename them or convert them into one output")


# -- progress ------------------------------------------------------------------------

_Item = TypeVar("_Item")


class _Progressed:
    """Papers passed through a progress counter; each pass starts the count afresh."""

    def __init__(self, papers: Iterable[Paper], progress: Progress) -> None:
        self._papers = papers
        self._progress = progress

    def quiet(self) -> Iterable[Paper]:
        inner = self._papers
        return _Progressed(inner.quiet() if hasattr(inner, "quiet") else inner, self._progress)

    def replaying(self, papers: Iterable[Paper], count: int) -> Iterable[Paper]:
        """The writing pass of a key-planning writer, taken from memory or a spool
        (:meth:`bibconv.keys.KeyGenerator.plan_and_replay`): counted too, out of the
        ``count`` papers the planning pass read."""
        self._progress.expect(count)
        return _Progressed(papers, self._progress)

    def __iter__(self) -> Iterator[Paper]:
        self._progress.restart()
        advance = self._progress.advance
        for paper in self._papers:
            yield paper
            advance()

    def planned(self, pattern: str, keep_ids: bool) -> Iterator[Paper | EncodedBatch]:
        """The planning pass's papers, from a source read by workers if it is one
        (:meth:`ParallelSource.planned`), counted."""
        inner = getattr(self._papers, "planned", None)
        if inner is None:
            return iter(self)
        return self._counted(inner(pattern, keep_ids))

    def rendered(self, pattern: str | None, keep_ids: bool,
                 writer: WriterSpec) -> Iterator[Paper | RenderedBatch]:
        """The planning pass's papers and entries written ahead (or, with no pattern,
        the entries to write), from a source read by workers if it is one
        (:meth:`ParallelSource.rendered`), counted."""
        inner = getattr(self._papers, "rendered", None)
        if inner is None:
            return iter(self)
        return self._counted(inner(pattern, keep_ids, writer))

    def _counted(self, items: Iterable[_Item]) -> Iterator[_Item]:
        """A worker-read source's items (papers and batches), each counted as its papers."""
        self._progress.restart()
        advance = self._progress.advance
        for item in items:
            yield item
            advance(1 if isinstance(item, Paper) else len(item.slots))  # type: ignore[attr-defined]


class Progress:
    """A one-line progress report on a terminal: papers, papers/s, time left.

    Shown only when the stream is a terminal; updated at most every 0.2 s so that it
    costs nothing measurable on a million papers.
    """

    def __init__(self, stream: TextIO | None = None, total_bytes: int | None = None,
                 position: Callable[[], int] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self.total_bytes = total_bytes
        self.position = position
        self.total_papers: int | None = None
        self.count = 0
        self.start = time.monotonic()
        self._last = 0.0

    def restart(self) -> None:
        """Start counting a new pass over the input."""
        self.count = 0
        self.start = time.monotonic()

    def expect(self, papers: int) -> None:
        """The next pass writes this many papers (not read from the input's bytes)."""
        self.total_papers = papers

    def advance(self, papers: int = 1) -> None:
        """Count papers written; redraw if it is time."""
        self.count += papers
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= 0.2:
            self._last = now
            self._draw(now)

    def wrap(self, papers: Iterable[Paper]) -> Iterable[Paper]:
        """The papers, counted as a writer takes them (still replayable for key planning)."""
        return _Progressed(papers, self)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-6)
        rate = self.count / elapsed
        line = f"bibconv: {self.count:,} papers, {rate:,.0f}/s"
        fraction = 0.0
        if self.total_papers:
            # A writing pass from memory or a spool: counted in papers.
            line = (f"bibconv: writing, {self.count:,} of {self.total_papers:,} papers, "
                    f"{rate:,.0f}/s")
            fraction = min(self.count / self.total_papers, 1.0)
        elif self.total_bytes and self.position is not None:
            done = self.position()
            if 0 < done <= self.total_bytes:
                fraction = done / self.total_bytes
        if fraction > 0:
            left = elapsed * (1 - fraction) / fraction
            line += f", {fraction:.0%}, about {left:,.0f} s left"
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()

    def finish(self) -> None:
        """Leave a final line with the totals."""
        if not self.enabled:
            return
        self._draw(time.monotonic())
        self.stream.write("\n")
        self.stream.flush()

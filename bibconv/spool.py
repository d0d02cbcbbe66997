"""A disk spool of papers: written once while they are read, read back once.

Planning unique citation keys takes a look at the whole input before anything is
written (:mod:`bibconv.keys`), so a large input has to wait somewhere between the
planning pass and the writing pass. Parsing it a second time costs as much as the whole
write, and pickling each paper nearly as much; this spool keeps the papers in an
anonymous temporary file (:func:`tempfile.TemporaryFile`: it has no name, so nothing is
left behind even when the process is killed) in a form that the C ``marshal`` module
writes and reads quickly, and that Python code touches as little as possible:

* papers are written in batches, one ``marshal`` call per batch, a column per field:
  taking a field from every paper of a batch, and building the papers back with
  ``map(Paper, *columns)``, both run in C but for each paper's own ``__init__``;
* people, dates, venues and clusters are written once per batch, in a table per kind,
  and each paper holds positions in it: readers share one object per name, and so do
  the papers read back (a person is rebuilt once per batch, or less);
* a field that no paper of the batch sets (volume, ISBN, ...) is written as one None;
* the shared empty ``extra`` comes back as the same object, a reader's ``{}`` as a dict;
* a paper the plain form cannot hold exactly (an ``extra`` holding objects ``marshal``
  does not know, a subclass of a model class, a value of an unexpected type) is pickled
  on its own, and if pickling does not give back an equal paper, the paper itself is
  kept in memory until it is read back.

At most one batch is held in memory on either side, so memory stays flat however
large the input. The file is about as large as the papers' text (a little smaller than
scraped pages).
"""

from __future__ import annotations

import marshal
import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import MISSING, fields
from itertools import chain, islice, repeat
from operator import attrgetter
from typing import IO, Any, Final

from .model import _EMPTY, Cluster, Date, Paper, Person, Venue, _EmptyMapping, field_names

__all__ = [
    "BATCH_SIZE",
    "EncodedBatch",
    "PaperSpool",
    "decode_batch",
    "decode_tagged",
    "encode_batch",
    "read_frames",
    "write_frame",
]

#: Papers per batch (one ``marshal`` call each): enough for the per-batch tables to pay
#: off (a person recurs within a batch), few enough that a batch is still in the CPU's
#: cache when it is written (on scraped pages 1,024 measured faster than 512 or 4,096).
BATCH_SIZE = 1024

_FIELDS: Final = field_names(Paper)
_GET: Final = {name: attrgetter(name) for name in _FIELDS}
#: Fields holding shared objects, with the class each holds (people are one table).
_PEOPLE: Final = ("author", "editor")
_SHARED: Final = {"issued": Date, "venue": Venue, "cluster": Cluster}
_person_values = attrgetter(*field_names(Person))
#: Plain fields most papers set, and those most leave at their default.
_DENSE: Final = ("title", "type", "abstract", "genre", "origin", "line")
_SPARSE: Final = tuple(name for name in _FIELDS if name not in _DENSE and name not in _PEOPLE
                       and name not in ("issued", "venue", "cluster", "extra"))
_DEFAULT: Final = {item.name: None if item.default is MISSING else item.default
                   for item in fields(Paper)}
_sparse_values = attrgetter(*_SPARSE)
_SPARSE_DEFAULTS: Final = tuple(_DEFAULT[name] for name in _SPARSE)
_SHARED_VALUES: Final = {kind: attrgetter(*field_names(kind)) for kind in _SHARED.values()}

#: Values that ``marshal`` gives back as equal objects of the same type. Floats are
#: checked apart (a NaN comes back as another NaN, which is not equal to it).
_ATOMS: Final = frozenset({str, int, bool, type(None), bytes})
_FLOATS: Final = frozenset({float, complex})
_CONTAINERS: Final = frozenset({list, tuple, set, frozenset})
_MAX_DEPTH: Final = 64

_LENGTH_BYTES: Final = 8


def _plain(value: Any, depth: int = 0) -> bool:
    """Whether ``marshal`` gives this value back equal and of the same types throughout.

    ``marshal`` writes anything with a buffer (a ``bytearray``, an array) as bytes and
    refuses subclasses of the types it knows, so only exact types pass; the depth is
    bounded so that a container holding itself does not recurse for ever.
    """
    kind = type(value)
    if kind in _ATOMS:
        return True
    if kind in _FLOATS:
        return bool(value == value)
    if depth >= _MAX_DEPTH:
        return False
    if kind is dict:
        return all(_plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items())
    if kind in _CONTAINERS:
        return all(_plain(item, depth + 1) for item in value)
    return False


def _plain_extra(extra: Any) -> bool:
    """:func:`_plain` for a paper's non-empty ``extra``, quick for the usual flat one."""
    if type(extra) is not dict:
        return False
    for key, value in extra.items():
        if type(key) is not str or (type(value) not in _ATOMS and not _plain(value, 1)):
            return False
    return True


class _Odd(Exception):
    """A batch holds a paper the plain form cannot hold exactly."""


def _atoms_only(values: Iterable[Any]) -> None:
    if not _ATOMS.issuperset(map(type, values)):
        raise _Odd


def _table(objects: list[Any]) -> tuple[list[Any], list[int]]:
    """Each distinct object (by identity) once, in first-seen order, and the position
    in that list of each object given."""
    ids = list(map(id, objects))
    distinct = dict(zip(ids, objects, strict=True))
    index = dict(zip(distinct, range(len(distinct)), strict=False))
    return list(distinct.values()), list(map(index.__getitem__, ids))


def _pack(numbers: list[int], top: int | None = None) -> tuple[str, bytes]:
    """Small non-negative integers (at most ``top``) as one buffer: marshal copies it
    whole, where a list would be written (and read back) an int object at a time."""
    if top is None:
        top = max(numbers, default=0)
    code = "B" if top < 1 << 8 else "H" if top < 1 << 16 else "Q"
    return code, array(code, numbers).tobytes()


def _unpack(packed: tuple[str, bytes]) -> array[int]:
    code, data = packed
    return array(code, data)


def _scalar_column(name: str, column: Sequence[Any]) -> Any:
    """A column of plain values as written: None when every value is the default."""
    if column.count(_DEFAULT[name]) == len(column):
        return None  # unused in this batch: volume, issue, isbn, ...
    if name == "keywords":
        if not {tuple}.issuperset(map(type, column)):
            raise _Odd
        _atoms_only(chain.from_iterable(column))
    else:
        _atoms_only(column)
    return column


def _encode(papers: list[Paper], odd: dict[int, bytes | int],
            tags: Sequence[Any] | None = None) -> bytes:
    """The plain form of a batch; raises _Odd (or TypeError) if some paper needs another.

    A batch is written by column, one list per field, so that reading and rebuilding
    the papers runs in C (``map``) but for the papers' own ``__init__``.
    """
    if not {Paper}.issuperset(map(type, papers)):
        raise _Odd
    count = len(papers)
    columns: dict[str, Any] = {}
    # People: one table for authors and editors, and per field each paper's number of
    # people and their positions in the table, in one run (None when nobody is named).
    people_columns = [list(map(_GET[name], papers)) for name in _PEOPLE]
    people: list[Person] = []
    for column in people_columns:
        if not {tuple}.issuperset(map(type, column)):
            raise _Odd
        people.extend(chain.from_iterable(column))
    persons, positions = _table(people)
    if not {Person}.issuperset(map(type, persons)):
        raise _Odd
    person_values = list(map(_person_values, persons))
    _atoms_only(chain.from_iterable(person_values))
    start = 0
    for name, column in zip(_PEOPLE, people_columns, strict=True):
        lengths = list(map(len, column))
        end = start + sum(lengths)
        columns[name] = (_pack(lengths), _pack(positions[start:end], len(persons) - 1)) \
            if end > start else None
        start = end
    # Date, venue, cluster: a table of field values per field, and each paper's position.
    for name, kind in _SHARED.items():
        objects, where = _table(list(map(_GET[name], papers)))
        if objects == [None]:
            columns[name] = None
            continue
        if not {kind, type(None)}.issuperset(map(type, objects)):
            raise _Odd
        get = _SHARED_VALUES[kind]
        values = [None if obj is None else get(obj) for obj in objects]
        _atoms_only(chain.from_iterable(filter(None, values)))
        columns[name] = (values, _pack(where, len(objects) - 1))
    column = list(map(_GET["extra"], papers))
    kinds = set(map(type, column))
    if not {dict, _EmptyMapping}.issuperset(kinds) or \
            not all(map(_plain_extra, filter(None, column))):
        raise _Odd
    if _EmptyMapping in kinds:
        # The shared empty mapping is written as None (readers give their own dicts).
        column = [None if type(extra) is _EmptyMapping else extra for extra in column]
    columns["extra"] = column
    for name in _DENSE:
        columns[name] = _scalar_column(name, list(map(_GET[name], papers)))
    # Fields most papers leave unset, looked at in one pass rather than one per field.
    rows = list(map(_sparse_values, papers))
    if rows.count(_SPARSE_DEFAULTS) == count:
        columns.update(dict.fromkeys(_SPARSE))
    else:
        for name, sparse in zip(_SPARSE, zip(*rows, strict=True), strict=True):
            columns[name] = _scalar_column(name, sparse)
    return marshal.dumps((count, person_values, [columns[name] for name in _FIELDS], odd,
                          None if tags is None else list(tags)))


def _odd_form(paper: Paper, held: list[Paper | None]) -> bytes | int:
    """A paper apart: pickled when that gives it back equal, else held in memory."""
    try:
        data = pickle.dumps(paper, pickle.HIGHEST_PROTOCOL)
        if type(paper) is Paper and pickle.loads(data) == paper:
            return data
    except Exception:  # anything unpicklable is held instead
        pass
    held.append(paper)
    return len(held) - 1


_STAND_IN: Final = Paper(title="")


def encode_batch(papers: Sequence[Paper], held: list[Paper | None] | None = None,
                 tags: Sequence[Any] | None = None) -> bytes:
    """One batch of papers as bytes for :func:`decode_batch`.

    Papers that cannot be written are appended to ``held`` (a fresh list if not
    given) and referred to by position; the same list must be given to decode.
    ``tags``, if given, holds one value per paper that ``marshal`` can write (the
    caller's notes about each paper), given back by :func:`decode_tagged`.
    """
    papers = list(papers)
    try:
        return _encode(papers, {}, tags)
    except (_Odd, TypeError, ValueError):
        # ValueError: marshal refused a value. Now find the papers that need another
        # form, one by one (rare: readers give plain papers).
        pass
    held = held if held is not None else []
    odd: dict[int, bytes | int] = {}
    for number, paper in enumerate(papers):
        try:
            _encode([paper], {})
        except (_Odd, TypeError, ValueError):
            odd[number] = _odd_form(paper, held)
            papers[number] = _STAND_IN
    return _encode(papers, odd, tags)


#: Rebuilt people by their field values, across batches, at most this many.
_PERSON_CACHE = 1 << 12


def decode_batch(data: bytes, held: list[Paper | None] | None = None,
                 people: dict[tuple[Any, ...], Person] | None = None) -> Iterator[Paper]:
    """The papers of one batch written by :func:`encode_batch`, in order.

    Every shared object of the batch is rebuilt once, so papers that shared a person
    share the rebuilt person. ``people`` (kept by the caller from batch to batch)
    remembers rebuilt people, so one recurring in later batches is not built again
    (equal people then become one object, which nothing tells apart). A paper held in
    memory is handed over and forgotten.
    """
    return decode_tagged(data, held, people)[0]


def decode_tagged(data: bytes, held: list[Paper | None] | None = None,
                  people: dict[tuple[Any, ...], Person] | None = None,
                  ) -> tuple[Iterator[Paper], list[Any] | None]:
    """:func:`decode_batch`, and the tags given to :func:`encode_batch` (or None)."""
    count, person_values, columns, odd, tags = marshal.loads(data)
    del data
    if people is None:
        people = {}
    elif len(people) + len(person_values) > _PERSON_CACHE:
        people.clear()
    persons: list[Person] = []
    known = people.get
    for values in person_values:
        person = known(values)
        if person is None:
            person = people[values] = Person(*values)
        persons.append(person)
    del person_values
    person_at = persons.__getitem__
    arguments: list[Iterable[Any]] = []
    for name, column in zip(_FIELDS, columns, strict=True):
        if name in _PEOPLE:
            if column is None:
                arguments.append(repeat(()))
            else:
                lengths, flat = map(_unpack, column)
                # Each paper's people are the next ``length`` of one flat iterator.
                arguments.append(map(tuple, map(islice, repeat(map(person_at, flat)), lengths)))
        elif column is None:
            arguments.append(repeat(_DEFAULT[name]))
        elif name in _SHARED:
            kind = _SHARED[name]
            values, where = column
            objects = [None if v is None else kind(*v) for v in values]
            arguments.append(map(objects.__getitem__, _unpack(where)))
        elif name == "extra" and None in column:
            arguments.append([_EMPTY if extra is None else extra for extra in column])
        else:
            arguments.append(column)
    del columns
    papers: Iterator[Paper] = islice(map(Paper, *arguments), count)
    if odd:
        papers = _with_odd(papers, odd, held)
    return papers, tags


def _with_odd(papers: Iterator[Paper], odd: dict[int, bytes | int],
              held: list[Paper | None] | None) -> Iterator[Paper]:
    for number, paper in enumerate(papers):
        form = odd.get(number)
        if form is None:
            yield paper
        elif type(form) is bytes:
            yield pickle.loads(form)  # written by this process
        else:
            assert held is not None and isinstance(form, int)
            kept, held[form] = held[form], None
            assert kept is not None
            yield kept


def _untagged(tagged: Iterator[tuple[Paper, Any]]) -> Iterator[Paper]:
    try:
        for paper, _ in tagged:
            yield paper
    finally:
        tagged.close()  # type: ignore[attr-defined]


def write_frame(handle: IO[bytes], data: bytes) -> int:
    """Write one batch to a spool file, after its length; the bytes written."""
    handle.write(len(data).to_bytes(_LENGTH_BYTES, "little"))
    handle.write(data)
    return _LENGTH_BYTES + len(data)


def read_frames(handle: IO[bytes], name: str) -> Iterator[bytes]:
    """Every batch written by :func:`write_frame`, from the start of the file; OSError
    naming the ``name``d spool if the file ends inside one."""
    handle.seek(0)
    while head := handle.read(_LENGTH_BYTES):
        size = int.from_bytes(head, "little")
        data = handle.read(size)
        if len(head) != _LENGTH_BYTES or len(data) != size:
            raise OSError(f"the {name} was cut short")
        yield data


class EncodedBatch:
    """Papers already encoded by :func:`encode_batch` elsewhere (a worker process), each
    tagged with its base key and slot for key planning (:mod:`bibconv.keys`), with the
    slots also listed so that planning need not decode the batch. No paper of it is
    held apart: it can go into a :class:`PaperSpool` as it is."""

    __slots__ = ("data", "slots")

    def __init__(self, data: bytes, slots: Sequence[int]) -> None:
        self.data = data
        self.slots = slots

    def tagged(self, people: dict[tuple[Any, ...], Person] | None = None,
               ) -> list[tuple[Paper, tuple[str, int]]]:
        """The papers with their (base key, slot) tags."""
        papers, tags = decode_tagged(self.data, None, people)
        assert tags is not None
        return list(zip(papers, tags, strict=True))


class PaperSpool:
    """Papers appended in order, then replayed once in the same order.

    Each paper may carry a tag (a plain value ``marshal`` can write), given back with
    it by :meth:`replay_tagged`. The file is anonymous and is closed (and so removed)
    when the replay ends, when :meth:`close` is called, or when the spool is
    garbage-collected. Creating the spool or adding to it raises OSError when the
    temporary directory cannot take the file (it is as large as the papers' text).
    """

    def __init__(self, batch_size: int | None = None,
                 directory: str | None = None) -> None:
        self._batch_size = batch_size or BATCH_SIZE
        self._file: IO[bytes] | None = tempfile.TemporaryFile(  # noqa: SIM115
            prefix="bibconv-spool-", dir=directory)
        self._batch: list[Paper] = []
        self._tags: list[Any] = []
        self._held: list[Paper | None] = []
        self._people: dict[tuple[Any, ...], Person] = {}
        #: Papers written to the file so far, and the file's size in bytes.
        self.count = 0
        self.bytes = 0

    def append(self, paper: Paper, tag: Any = None) -> None:
        """Add one paper (written to the file a batch at a time)."""
        self._batch.append(paper)
        self._tags.append(tag)
        if len(self._batch) >= self._batch_size:
            self._flush()

    def append_encoded(self, batch: EncodedBatch) -> None:
        """Add a batch encoded elsewhere, after the papers appended so far."""
        self._flush()
        assert self._file is not None
        self.bytes += write_frame(self._file, batch.data)
        self.count += len(batch.slots)

    def _flush(self) -> None:
        if self._file is None:
            raise ValueError("the spool is closed")
        if not self._batch:
            return
        data = encode_batch(self._batch, self._held, self._tags)
        self.bytes += write_frame(self._file, data)
        self.count += len(self._batch)
        self._batch, self._tags = [], []

    def replay(self) -> Iterator[Paper]:
        """Every paper appended, in order; the spool is closed at the end."""
        return _untagged(self.replay_tagged())

    def replay_tagged(self) -> Iterator[tuple[Paper, Any]]:
        """Every paper appended with its tag, in order; the spool is closed at the end.

        The last batch is written first, so this can raise OSError as :meth:`append`
        can; reading starts when the iterator is first advanced.
        """
        self._flush()
        assert self._file is not None
        return self._read(self._file)

    def _read(self, handle: IO[bytes]) -> Iterator[tuple[Paper, Any]]:
        try:
            for data in read_frames(handle, "paper spool"):
                papers, tags = decode_tagged(data, self._held, self._people)
                del data  # the decoder let go of it once it was loaded
                assert tags is not None  # append() gives every paper a tag
                yield from zip(papers, tags, strict=True)
        finally:
            self.close()

    def close(self) -> None:
        """Release the file (and so its disk space) and any papers held in memory."""
        handle, self._file = self._file, None
        self._batch, self._tags, self._held = [], [], []
        if handle is not None:
            handle.close()

    def __del__(self) -> None:
        self.close()

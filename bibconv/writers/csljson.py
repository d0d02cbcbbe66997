"""Writer for CSL-JSON (format ``csl-json``): the array of items Zotero, pandoc and
citeproc read. Valid against the official CSL-JSON schema; written item by item."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar, TextIO, cast

from ..csl import csl_extra, csl_name, paper_to_csl
from ..diagnostics import Reporter
from ..keys import DEFAULT_PATTERN, KeyGenerator
from ..lossy import report_lossy
from ..model import Paper
from ..plugin import Writer
from ..prerender import Layout, write_entries

__all__ = ["CSLJSONLinesWriter", "CSLJSONWriter", "write_json_array", "write_json_lines"]


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_ENCODE_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_STRING: Callable[[str], str] = json.encoder.encode_basestring  # the C one when there is one
_C_MAKE_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)


class _Raw(str):
    """A value already encoded as JSON, written as it is.

    Only :class:`_Fields` writes one as it is (for :func:`write_json_array`,
    :func:`write_json_lines` and :meth:`CSLJSONWriter.render_entry`): any other JSON
    encoder would write it as a string (see :class:`_Encoded`)."""

    __slots__ = ()


def _general_encoder(compact: bool) -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False)`` (with ``separators=(",", ":")`` when
    ``compact``) without the Python layers of :class:`json.JSONEncoder`."""
    encoder = json.JSONEncoder(ensure_ascii=False,
                               separators=(",", ":") if compact else None)
    if _C_MAKE_ENCODER is None:
        return encoder.encode
    make, default = _C_MAKE_ENCODER, encoder.default
    key_separator, item_separator = encoder.key_separator, encoder.item_separator

    def encode(value: Any) -> str:
        # What JSONEncoder.encode does for a non-string: a fresh C encoder (its
        # ``markers`` detect circular references), called once.
        return "".join(make({}, default, _STRING, None, key_separator, item_separator,
                            False, False, True)(value, 0))

    return encode


class _Fields:
    """Encodes an object's members as the text ``"key": value`` (or compact ``"key":value``),
    each value as ``json.dumps`` writes it, a :class:`_Raw` value as it is.

    Strings and integers, most values, are encoded here directly; the encoded keys are
    remembered."""

    def __init__(self, compact: bool) -> None:
        self.general = _general_encoder(compact)
        self.compact = compact
        self._separator = ":" if compact else ": "
        self._keys: dict[str, str] = {}

    def value(self, value: Any) -> str:
        """One value as JSON text."""
        kind = type(value)
        if kind is str:
            return _STRING(value)
        if kind is _Raw:
            return cast(str, value)
        if kind is int:
            return int.__repr__(value)
        return self.general(value)

    def members(self, item: dict[str, Any]) -> list[str] | None:
        """The members of ``item`` as text, or None when it has a key that is not a string
        (which only the general encoder knows how to write). :meth:`value`, inlined."""
        keys, string, general = self._keys, _STRING, self.general
        out = []
        for key, value in item.items():
            encoded = keys.get(key)
            if encoded is None:
                if type(key) is not str:
                    return None
                encoded = keys[key] = string(key) + self._separator
            kind = type(value)
            if kind is str:
                out.append(encoded + string(value))
            elif kind is _Raw:
                out.append(encoded + value)
            elif kind is int:
                out.append(encoded + int.__repr__(value))
            else:
                out.append(encoded + general(value))
        return out

    def entry(self, item: dict[str, Any]) -> str:
        """An object as written in an array (indented, a member per line) or, compact,
        on one line (without its line end): what :func:`write_json_array` and
        :func:`write_json_lines` write of one item."""
        members = self.members(item)
        if self.compact:
            return _ENCODE_COMPACT(item) if members is None else "{" + ",".join(members) + "}"
        if members is None:
            members = [f"{_ENCODE(name)}: {self.value(value)}" for name, value in item.items()]
        return "  {\n    " + ",\n    ".join(members) + "\n  }"


class _Encoded:
    """Model objects (people, venues) as JSON text, each object encoded once.

    Papers share these objects (a reader gives one Person to every paper of that
    author). The cache is by ``id``, cheaper than hashing a dataclass; each entry holds
    its object, so a reused id is noticed. ``to_json`` gives an object's JSON value.
    The bound is a few pages' worth: pages repeat their own authors, and a bigger
    cache only grows the memory of a million-paper run."""

    _LIMIT = 1 << 11

    def __init__(self, to_json: Callable[[Any], Any], compact: bool) -> None:
        self._to_json = to_json
        self._encode = _general_encoder(compact)
        self._separator = "," if compact else ", "
        self._texts: dict[int, tuple[Any, str]] = {}

    def _text(self, obj: Any) -> str:
        found = self._texts.get(id(obj))
        if found is None or found[0] is not obj:
            if len(self._texts) >= self._LIMIT:
                self._texts.clear()
            found = self._texts[id(obj)] = (obj, self._encode(self._to_json(obj)))
        return found[1]

    def one(self, obj: Any) -> _Raw | None:
        """One object as JSON (None for None)."""
        return None if obj is None else _Raw(self._text(obj))

    def many(self, objs: tuple[Any, ...]) -> _Raw | None:
        """A tuple of objects as a JSON array (None for an empty tuple)."""
        if not objs:
            return None
        texts = self._texts
        parts = []
        for obj in objs:
            found = texts.get(id(obj))
            parts.append(found[1] if found is not None and found[0] is obj else self._text(obj))
        return _Raw("[" + self._separator.join(parts) + "]")


def write_json_array(items: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write JSON objects as one array, an object per block and a key per line.

    Each value is written compact on its key's line, as ``json.dumps`` writes it
    (``json.dumps(indent=...)`` falls back to the pure-Python encoder, five times slower
    on a big export, for output that is no easier to read). Values may be :class:`_Raw`.
    """
    write_entries(map(_Fields(compact=False).entry, items), out.write, ARRAY)


def write_json_lines(items: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write JSON objects one per line (JSON Lines), for pipelines. Values may be
    :class:`_Raw` (in objects whose keys are all strings)."""
    write_entries(map(_Fields(compact=True).entry, items), out.write, LINES)


#: The array: an item per block, indented; JSON Lines: an item per line.
ARRAY = Layout("[", "\n", ",\n", "\n]\n", "]\n")
LINES = Layout("", "", "\n", "\n")


class CSLJSONWriter(Writer):
    """Writes a CSL-JSON array."""

    name = "csl-json"
    description = "CSL-JSON (Zotero, pandoc, citeproc-js, Mendeley)"
    suffixes: ClassVar[tuple[str, ...]] = (".json", ".csl.json", ".csljson")
    options = {
        "key_pattern": f"citation-key pattern for item ids (default {DEFAULT_PATTERN})",
        "keep_ids": "keep keys the input already had (default true)",
    }

    #: Whether items are written compact, one per line (JSON Lines).
    compact: ClassVar[bool] = False

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # Fail on a bad key pattern now (a usage error), not after reading the input.
        self._keys = KeyGenerator(self.settings.get("key_pattern") or DEFAULT_PATTERN,
                                  keep_ids=self.settings.get("keep_ids", True))
        self._fields = _Fields(compact=self.compact)
        self._names = _Encoded(csl_name, self.compact).many

    def items(self, papers: Iterable[Paper]) -> Iterator[dict[str, Any]]:
        """The CSL-JSON items of the papers, with planned unique ids."""
        plan, again = self._keys.plan_and_replay(papers)
        key = plan.key
        return (paper_to_csl(p, key(p)) for p in again)

    def render_entry(self, paper: Paper, key: str, reporter: Reporter) -> str:
        """One paper's item under the id ``key``, as written in the array (indented,
        a member per line) or, for JSON Lines, on one line without its line end."""
        item = paper_to_csl(paper, key, self._names)
        if paper.extra:
            lost = csl_extra(item, paper.extra)
            if lost:
                report_lossy(reporter, paper, lost, "CSL-JSON", key=key)
        return self._fields.entry(item)

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        self._keys.write(papers, self, out, reporter, ARRAY)


class CSLJSONLinesWriter(CSLJSONWriter):
    """Writes one CSL-JSON item per line."""

    name = "csl-jsonl"
    description = "CSL-JSON Lines: one item per line, for pipelines"
    suffixes = (".csl.jsonl", ".csljsonl")

    compact = True

    def write(self, papers: Iterable[Paper], out: TextIO, reporter: Reporter) -> None:
        self._keys.write(papers, self, out, reporter, LINES)

"""Input encodings: naming them, recognising UTF-16 and UTF-32, and transcoding to UTF-8.

Every reader reads UTF-8 (see :class:`bibconv.plugin.TextSource`), whose fast path
splits and decodes bytes a megabyte at a time. An input in another encoding is therefore
turned into UTF-8 bytes on the way in, by :class:`Transcoder`, with an incremental
decoder (so a code unit or a multi-byte character split across blocks decodes right),
and everything after it (line numbers, CR/CRLF, over-long lines, invalid bytes reported
per line) is the UTF-8 path's, unchanged. A byte sequence that is invalid in the input's
encoding comes out as one byte that is invalid UTF-8 (0xFF), so the UTF-8 path reports
it on its line and replaces it with U+FFFD, exactly as for a UTF-8 input.
"""

from __future__ import annotations

import codecs
import difflib
import io
import unicodedata
from encodings.aliases import aliases
from typing import IO, Any

from .errors import OptionError

__all__ = ["Transcoder", "bom_encoding", "check_encoding", "guess_wide", "label", "plausible"]

#: Error handler of the decoders: an invalid byte sequence becomes a lone surrogate,
#: which the UTF-8 encoder (same handler) writes as the invalid byte 0xFF. A strict
#: decoder never produces a lone surrogate itself (UTF-7 can, and it is invalid text
#: then, reported the same way).
_MARK = "bibconv-invalid"


def _mark(exc: UnicodeError) -> tuple[str | bytes, int]:
    if isinstance(exc, UnicodeDecodeError):
        return "\udcff", exc.end
    if isinstance(exc, UnicodeEncodeError):
        return b"\xff" * (exc.end - exc.start), exc.end
    raise exc


codecs.register_error(_MARK, _mark)

#: Byte-order marks, longest first: FF FE 00 00 is UTF-32 LE, not UTF-16 LE and a NUL.
#: Each names a codec of one byte order, which keeps the mark as U+FEFF: the UTF-8 path
#: then drops exactly one leading U+FEFF, whatever the encoding (Python's "utf-16" would
#: drop the mark itself, and the UTF-8 path a second U+FEFF, a character of the text).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Python's names of the UTF-8 codecs: read by the UTF-8 fast path, not transcoded.
UTF8 = ("utf-8", "utf-8-sig")

#: What a NUL-laden head must show to be taken for UTF-16/32 without a byte-order mark:
#: at least this many code units, and at least this share of them with a zero byte in
#: the same place (text in any script has ASCII in it: digits, spaces, line ends).
_MIN_UNITS = 8
_MIN_ZERO_SHARE = 0.25


def check_encoding(name: str) -> str:
    """Python's name of the text encoding ``name`` (``latin-1`` -> ``iso8859-1``).

    Raises :class:`~bibconv.errors.OptionError` (a usage error on the command line) for
    a name Python does not know, or a codec that is not a text encoding (``base64``).
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        known = {key.replace("_", "-") for key in aliases} | {
            value.replace("_", "-") for value in aliases.values()}
        close = difflib.get_close_matches(name.lower().replace("_", "-"), known, n=3,
                                          cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise OptionError(f"unknown encoding {name!r}{hint} (any encoding Python knows: "
                          "utf-8, cp1252, latin-1, utf-16, shift_jis, ...)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise OptionError(f"{name!r} is not a text encoding")
    return info.name


def label(encoding: str) -> str:
    """How diagnostics name an encoding: ``UTF-8``, ``UTF-16``, else Python's name."""
    if encoding in UTF8:
        return "UTF-8"
    if encoding.startswith("utf-"):
        return encoding.upper().replace("-LE", " LE").replace("-BE", " BE")
    return encoding


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` names, or None."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def plausible(text: str) -> bool:
    """Whether decoded text looks like text: no control characters but white space,
    no NUL, no noncharacters, and hardly any unassigned code points."""
    unassigned = 0
    for char in set(text):
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\t\n\r\x0b\x0c":
            return False
        if category == "Cn":
            if 0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE:
                return False
            unassigned += text.count(char)
    return unassigned * 100 <= len(text)


def _zero_share(head: bytes, width: int, place: int) -> float:
    """The share of ``width``-byte code units in ``head`` whose byte at ``place`` is 0."""
    units = len(head) // width
    if units < _MIN_UNITS:
        return 0.0
    return head[place : units * width : width].count(0) / units


def _pattern(head: bytes, encoding: str) -> bool:
    """Whether the zero bytes of ``head`` fall where ``encoding`` has its high bytes."""
    if encoding.startswith("utf-32"):
        # Code points stop at 0x10FFFF: the top byte is always 0, and the next one is
        # 0 for every character of the Basic Multilingual Plane.
        top, second = (3, 2) if encoding.endswith("le") else (0, 1)
        return _zero_share(head, 4, top) == 1.0 and _zero_share(head, 4, second) >= 0.5
    high = 1 if encoding.endswith("le") else 0
    share = _zero_share(head, 2, high)
    return share >= _MIN_ZERO_SHARE and _zero_share(head, 2, 1 - high) < share


def guess_wide(head: bytes) -> tuple[str | None, str | None]:
    """For a head with NUL bytes and no byte-order mark: (encoding, suggestion).

    The encoding is the UTF-32 or UTF-16 byte order whose high bytes are where the
    zero bytes are, when the head decodes strictly to plausible text; else None, and
    the suggestion names the encoding the zero bytes point to (None if they point to
    none: binary data).
    """
    suggested: str | None = None
    for encoding in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        if not _pattern(head, encoding):
            continue
        suggested = suggested or encoding
        width = 4 if encoding.startswith("utf-32") else 2
        whole = head[: len(head) // width * width]
        if width == 2 and len(whole) >= 2:
            # The head may end between the two halves of a surrogate pair.
            top = whole[-1] if encoding.endswith("le") else whole[-2]
            if 0xD8 <= top <= 0xDB:
                whole = whole[:-2]
        try:
            text = whole.decode(encoding)
        except UnicodeDecodeError:
            continue
        if plausible(text):
            return encoding, None
    return None, suggested


class Transcoder(io.RawIOBase):
    """The bytes of a stream in ``encoding``, read as UTF-8 bytes (a raw stream: wrap it
    in :class:`io.BufferedReader`).

    Decoding is incremental, so input may be read in blocks of any size; an invalid byte
    sequence comes out as 0xFF, for the UTF-8 reader to report and replace.
    """

    def __init__(self, stream: IO[bytes], encoding: str, block: int = 1 << 20) -> None:
        super().__init__()
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)(_MARK)
        self._block = block
        self._out = memoryview(b"")
        self._eof = False

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        """The position in the input's own bytes (progress estimates compare it with
        the input's size)."""
        return self._stream.tell()

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` with UTF-8 bytes, as many as it holds unless the input ends."""
        view = memoryview(buffer).cast("B")
        want = len(view)
        done = 0
        while done < want:
            if not self._out:
                if self._eof:
                    break
                self._fill()
                continue
            take = min(want - done, len(self._out))
            view[done : done + take] = self._out[:take]
            self._out = self._out[take:]
            done += take
        return done

    def _fill(self) -> None:
        """Decode the next block of the input (a block may end inside a character: the
        decoder keeps its first bytes for the next one)."""
        raw = self._stream.read(self._block)
        if not raw:
            self._eof = True
        text = self._decoder.decode(raw, final=not raw)
        self._out = memoryview(text.encode("utf-8", _MARK))

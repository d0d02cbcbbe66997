"""Citation keys: readable, unique within an output, independent of input order.

A key is built from a pattern such as ``{auth}{year}{title}`` (the default, giving
``jin2026addressing``). Uniqueness without depending on the order papers arrive in
takes a look at the whole set first: :meth:`KeyGenerator.plan` makes one light pass
that keeps only two 64-bit hashes per paper (the base key and the paper's content),
then papers that share a base key get the suffixes ``a``, ``b``, ... in the order of
their content hash. The same set of papers therefore always gets the same keys,
and a million papers cost 16 MB of planning state, not a list of papers. A large
input is read (parsed) once: its entries are written during the planning pass with a
stand-in for the key and wait for the writing pass in a spool file
(:meth:`KeyGenerator.render`, :mod:`bibconv.prerender`), or the papers themselves do
(:meth:`KeyGenerator.plan_and_replay`, :mod:`bibconv.spool`).
"""

from __future__ import annotations

import hashlib
import heapq
import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Container, Iterable, Iterator
from typing import Any, Protocol, TextIO, cast, runtime_checkable

from .diagnostics import Reporter
from .errors import OptionError
from .model import Paper, Person
from .plugin import byte_stream
from .prerender import (
    KeyedWriter,
    Layout,
    Rendered,
    RenderedBatch,
    Renderer,
    TextSpool,
    decode_rendered,
    placeholder,
    write_entries,
)
from .spool import EncodedBatch, PaperSpool
from .text import ascii_fold, strip_markup

__all__ = [
    "DEFAULT_PATTERN",
    "TOKENS",
    "KeyGenerator",
    "KeyPlan",
    "Replayable",
    "replayable",
]

DEFAULT_PATTERN = "{auth}{year}{title}"
#: Inputs of up to this many papers are held in memory between the key-planning pass
#: and the writing pass instead of being read twice.
MEMORY_LIMIT = 10_000

_STOPWORDS = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "nor", "of", "on", "in", "at", "to", "for", "from",
        "by", "with", "without", "via", "into", "onto", "over", "under", "about", "as", "is", "are",
        "was", "were", "be", "been", "its", "it", "their", "our", "your", "this", "that", "these",
        "those", "do", "does", "can", "could", "should", "would", "will", "how", "what", "when",
        "where", "which", "who", "why", "towards", "toward", "through", "between", "among", "upon",
        "per", "vs", "versus", "not", "no",
    ]
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*")
_JOINERS = re.compile(r"['’\-]")
_KEY_SAFE = re.compile(r"[^A-Za-z0-9_:.\-]")
# A key the input had is kept as written when bibtex, biber and LaTeX's \cite take it as
# it is: no space or control character and none of , { } ( ) = # % " ' \ ~ (DBLP's
# "DBLP:conf/nips/VaswaniSPUJGKP17", ACM's "10.1145/3442188.3445922" and "Müller2020"
# are kept). A URL (Zotero's item URIs as CSL ids) is no citation key.
_UNKEEPABLE = re.compile(r"[\s,{}()=#%\"'\\~\x00-\x1f\x7f]|://")
_PATTERN_TOKEN = re.compile(r"\{([^{}]*)\}")


def _ascii_words(text: str) -> list[str]:
    return [_JOINERS.sub("", w) for w in _WORD.findall(ascii_fold(text))]


#: Per-name results, bounded (cleared when full): names and venues repeat across papers.
_CACHE_LIMIT = 1 << 11
_FAMILY_CACHE: dict[str, str] = {}
_ORGANISATION_CACHE: dict[str, str] = {}
_VENUE_CACHE: dict[str, str] = {}


def _family_key(name: str, organisation: bool) -> str:
    """A family name as a key word ("Müller" -> "Muller"); an organisation's initials."""
    cache = _ORGANISATION_CACHE if organisation else _FAMILY_CACHE
    found = cache.get(name)
    if found is None:
        words = _ascii_words(name)
        if organisation and len(words) > 1:
            # An organisation: its initials read better than its first word.
            found = "".join(w[0] for w in words if w.lower() not in _STOPWORDS)
        else:
            found = "".join(words)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[name] = found
    return found


def _family(paper: Paper, index: int = 0) -> str:
    if len(paper.author) > index:
        person = paper.author[index]
        return _family_key(person.family or person.literal or "", bool(person.literal))
    return ""


def _significant(paper: Paper, count: int) -> list[str]:
    """The first ``count`` title words that are not stopwords, folded to ASCII."""
    title = paper.title
    if title.isascii():
        # Fast path: while the title's leading tokens are plain letters and digits,
        # they are exactly its first words (tests/test_keys.py checks the two agree).
        words: list[str] = []
        for token in title.split(None, count + 3):
            if not token.isalnum():
                break
            if token.lower() not in _STOPWORDS:
                words.append(token)
                if len(words) == count:
                    return words
        else:
            return words
    return _significant_words(title, count)


def _significant_words(title: str, count: int) -> list[str]:
    """The general path of :func:`_significant`: words read lazily, by the word pattern."""
    words: list[str] = []
    for match in _WORD.finditer(ascii_fold(strip_markup(title))):
        word = match.group()
        if not word.isalnum():
            word = _JOINERS.sub("", word)
        if word.lower() not in _STOPWORDS:
            words.append(word)
            if len(words) == count:
                break
    return words


def _auth(p: Paper) -> str:
    return _family(p).lower() or (p.venue.short or "anon" if p.venue else "anon").lower()


def _venue(p: Paper) -> str:
    if p.venue is None:
        return ""
    name = p.venue.short or p.venue.name
    found = _VENUE_CACHE.get(name)
    if found is None:
        found = "".join(_ascii_words(name)).lower()
        if len(_VENUE_CACHE) >= _CACHE_LIMIT:
            _VENUE_CACHE.clear()
        _VENUE_CACHE[name] = found
    return found


TOKENS: dict[str, tuple[str, Callable[[Paper], str]]] = {
    "auth": ("first author's family name, lower case", _auth),
    "Auth": ("first author's family name, capitalised", lambda p: _auth(p).capitalize()),
    "authors": (
        "family names of up to three authors, then 'etal'",
        lambda p: "".join(_family(p, i).lower() for i in range(min(3, len(p.author))))
        + ("etal" if len(p.author) > 3 else ""),
    ),
    "authEtAl": (
        "first author, then 'etal' when there are more",
        lambda p: _auth(p) + ("etal" if len(p.author) > 1 else ""),
    ),
    "year": (
        "four-digit year, or 'nd'",
        lambda p: str(p.issued.year) if p.issued is not None else "nd",
    ),
    "shortyear": (
        "two-digit year",
        lambda p: f"{p.issued.year % 100:02d}" if p.issued is not None else "nd",
    ),
    "title": (
        "first significant title word, lower case",
        lambda p: "".join(_significant(p, 1)).lower() or "untitled",
    ),
    "Title": (
        "first significant title word, capitalised",
        lambda p: "".join(_significant(p, 1)).capitalize() or "Untitled",
    ),
    "shorttitle": (
        "first three significant title words, lower case",
        lambda p: "".join(_significant(p, 3)).lower() or "untitled",
    ),
    "venue": (
        "venue acronym, lower case",
        _venue,
    ),
}


@runtime_checkable
class Replayable(Protocol):
    """A paper source that can be iterated again, and quietly (without re-reporting)."""

    def __iter__(self) -> Iterator[Paper]: ...

    def quiet(self) -> Iterable[Paper]: ...


def _h64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "big")


#: Each person's part of a fingerprint, by ``id`` (hashing a Person, a dataclass, costs
#: more than building the text); the entry holds the person, so a reused id is noticed.
_PERSON_PRINTS: dict[int, tuple[Person, str]] = {}


def _people_prints(people: tuple[Person, ...]) -> list[str]:
    prints = _PERSON_PRINTS
    out = []
    for person in people:
        found = prints.get(id(person))
        if found is None or found[0] is not person:
            if len(prints) >= _CACHE_LIMIT:
                prints.clear()
            found = prints[id(person)] = (person, f"{person.display_name}#{person.homonym or ''}")
        out.append(found[1])
    return out


def fingerprint(paper: Paper) -> int:
    """A 64-bit hash of a paper's bibliographic content (not where it was read)."""
    issued, venue = paper.issued, paper.venue
    parts = [
        paper.type, paper.title, str(issued.year) if issued is not None else "None",
        (venue.container_title or venue.name) if venue is not None else "",
        paper.volume or "", paper.issue or "", paper.page or "", paper.doi or "",
        paper.abstract or "",
    ]
    parts.extend(_people_prints(paper.author))
    return _h64("\x1f".join(parts))


def _suffix(rank: int) -> str:
    """The rank-th suffix of all: "a" ... "z", "aa" ... "zz", "aaa" ... (rank from 0)."""
    letters = ""
    rank += 1
    while rank:
        rank, rem = divmod(rank - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


#: The suffixes of one and two letters, worked out once (groups rarely pass 702).
_SUFFIXES: tuple[str, ...] = tuple(map(_suffix, range(26 + 26 * 26)))
_LETTERS = _SUFFIXES[:26]


def _suffix_at(rank: int) -> str:
    """:func:`_suffix`, from the table when it holds the rank."""
    return _SUFFIXES[rank] if rank < len(_SUFFIXES) else _suffix(rank)


def _constant(text: str) -> Callable[[Paper], str]:
    return lambda paper: text


class KeyGenerator:
    """Builds base keys from a pattern and plans unique keys for a set of papers.

    ``keep_ids`` keeps a paper's own key (a BibTeX key read from a .bib file) as its
    base key, so converting a bibliography does not rename its entries.
    """

    def __init__(self, pattern: str = DEFAULT_PATTERN, keep_ids: bool = True) -> None:
        self.pattern = pattern
        self.keep_ids = keep_ids
        self._parts: list[str | Callable[[Paper], str]] = []
        pos = 0
        for match in _PATTERN_TOKEN.finditer(pattern):
            self._add_literal(pattern[pos : match.start()])
            name = match.group(1)
            if name not in TOKENS:
                valid = ", ".join("{" + t + "}" for t in TOKENS)
                raise OptionError(
                    f"unknown key pattern token {{{name}}}; valid tokens: {valid}"
                )
            self._parts.append(TOKENS[name][1])
            pos = match.end()
        self._add_literal(pattern[pos:])
        if not any(callable(part) for part in self._parts):
            raise OptionError(
                f"key pattern {pattern!r} has no token, so every key would be the same"
            )
        self._tokens: tuple[Callable[[Paper], str], ...] = tuple(
            part if callable(part) else _constant(part) for part in self._parts
        )

    def _add_literal(self, text: str) -> None:
        if not text:
            return
        if "{" in text or "}" in text or _KEY_SAFE.search(text):
            raise OptionError(
                f"key pattern literal {text!r} may only hold letters, digits and _ : . -"
            )
        self._parts.append(text)

    def _own(self, paper: Paper) -> str | None:
        """The key the paper's source gave it, as kept (None: one is made)."""
        own = paper.id
        if not own or not self.keep_ids:
            return None
        if _UNKEEPABLE.search(own) is None:
            return own
        if "://" in own:
            return None
        # "Smith 2020", "key{1}": the characters no key may hold taken out.
        return _KEY_SAFE.sub("", ascii_fold(own)) or None

    def content(self, paper: Paper) -> int:
        """What ranks a paper among those sharing its base key: a hash of its content,
        or 0 for a paper whose source gave it the key, so that it keeps the key bare
        and the others take the suffixes (a .bib key beats a made one)."""
        return 0 if self._own(paper) is not None else fingerprint(paper)

    def base(self, paper: Paper) -> str:
        """The key before disambiguation."""
        if paper.id and self.keep_ids:
            own = self._own(paper)
            if own is not None:
                return own
        key = "".join([part(paper) for part in self._tokens])
        if key.isalnum() and key.isascii():
            return key  # nothing to remove (the common case)
        return _KEY_SAFE.sub("", key) or "key"

    def tag(self, paper: Paper) -> tuple[str, int]:
        """A paper's base key and slot, as the planning pass of a large input works them
        out (a worker process reading papers for a planning pass works them out too)."""
        paper_base = self.base(paper)
        return paper_base, _slot(_h64(paper_base), self.content(paper))

    def plan(self, papers: Iterable[Paper]) -> KeyPlan:
        """Look at every paper once and return the plan that gives each its unique key.

        ``papers`` must be iterable again afterwards (see :func:`replayable`); prefer
        :meth:`plan_and_replay`, which also hands back the papers to write.
        """
        plan, _ = self._plan(papers, spool=False)
        plan.forget_memo()  # the papers it remembers are not the ones that will be written
        return plan

    def plan_and_replay(self, papers: Iterable[Paper]) -> tuple[KeyPlan, Iterable[Paper]]:
        """Look at every paper once; return the key plan and the papers to write.

        ``papers`` is read once. Up to ``MEMORY_LIMIT`` papers are kept in memory for
        the writing pass; past that they go to a temporary file as they are read (see
        :class:`~bibconv.spool.PaperSpool`), so memory stays flat, and are read back
        from there: a source is never parsed twice, nor are diagnostics reported twice.
        A list or other collection is simply iterated again. The papers handed back
        can be iterated once. A source with a ``replaying(papers, count)`` method (the
        CLI's progress counter) is handed the papers of the writing pass and their
        number when they come from memory or the spool, and its result is written.
        """
        return self._plan(papers, spool=True)

    def render(self, papers: Iterable[Paper], writer: KeyedWriter, reporter: Reporter,
               wire: bool = False) -> Iterator[Any]:
        """Each paper's entry as ``writer`` writes it under the paper's unique key, in
        order: text, or with ``wire`` its UTF-8 bytes (for a byte stream).

        What :meth:`plan_and_replay` and a loop over its papers do, but a large input's
        entries are written during the planning pass, with a placeholder for the key
        (:mod:`bibconv.prerender`), and spooled as they are, so the writing pass only
        puts the keys in; a source read by worker processes has the workers write them.
        The output and the diagnostics are the same either way.
        """
        renderer = Renderer(writer, placeholder(), wire)
        plan, writing = self._plan(papers, spool=True, renderer=renderer)
        render, key, key_of, finish = writer.render_entry, plan.key, plan.key_of, renderer.finish
        try:
            for item in writing:
                if type(item) is tuple:
                    yield finish(item, key_of(item[1], item[2]), reporter)
                else:
                    text = render(item, key(item), reporter)
                    yield text.encode("utf-8") if wire else text
        finally:
            close = getattr(writing, "close", None)
            if close is not None:
                close()  # the spool file, when the writing pass stops early

    def write(self, papers: Iterable[Paper], writer: KeyedWriter, out: TextIO,
              reporter: Reporter, layout: Layout) -> None:
        """Write each paper's entry under its unique key (:meth:`render`), laid out by
        ``layout``, as UTF-8 bytes when ``out`` has a byte stream under it."""
        raw = byte_stream(out)
        wire = raw is not None
        write_entries(self.render(papers, writer, reporter, wire),
                      out.write if raw is None else raw.write, layout, wire)

    def _plan(self, papers: Iterable[Paper], spool: bool, renderer: Renderer | None = None,
              ) -> tuple[KeyPlan, Iterable[Any]]:
        """The planning pass; with ``spool``, a large input is kept in a spool file, as
        papers or, with a ``renderer``, as entries written ahead of their keys. The
        writing pass's items are papers, and with a renderer also entries (tuples)."""
        base, paper_tag = self.base, self.tag
        kept: list[Any] | None = []  # papers, and with a renderer entries
        kept_bases: list[str] = []
        slots = _SortedRuns()  # _slot() of every paper, once past MEMORY_LIMIT
        # A collection holds its papers already (iterating it again costs nothing);
        # any other source, above all a file being parsed, is read once only.
        store: _Store | None = None
        items: Iterable[Paper | EncodedBatch | RenderedBatch] = papers
        if spool and (isinstance(papers, Replayable) or not isinstance(papers, Collection)):
            store = _Store(papers, renderer)
            # A source read by worker processes has them work out each paper's base key
            # and slot (and write its entry, if they can make the writer), and hand
            # papers over as encoded batches the spool takes as they are.
            spec = renderer.spec() if renderer is not None else None
            if spec is not None and hasattr(papers, "rendered"):
                items = papers.rendered(self.pattern, self.keep_ids, spec)
            elif hasattr(papers, "planned"):
                items = papers.planned(self.pattern, self.keep_ids)
        people: dict[tuple[Any, ...], Person] = {}
        try:
            for item in items:
                tagged: Iterable[tuple[Paper, tuple[str, int] | None]] | list[Rendered]
                kind = type(item)
                if kind is EncodedBatch or kind is RenderedBatch:
                    batch = cast(EncodedBatch | RenderedBatch, item)
                    # A batch goes into the spool as it is when it holds what the spool
                    # does (papers, or entries); a writer no worker can make gets papers.
                    if kept is None and store is not None and \
                            (kind is RenderedBatch) is (renderer is not None):
                        slots.extend(batch.slots)
                        store.add_encoded(batch)
                        continue
                    tagged = (cast(EncodedBatch, batch).tagged(people) if kind is EncodedBatch
                              else decode_rendered(batch.data))
                else:
                    tagged = ((cast(Paper, item), None),)
                for unit in tagged:
                    if len(unit) == 4:  # an entry written ahead (RenderedBatch)
                        entry = unit
                        if kept is None:
                            slots.append(entry[2])
                            if store is not None:
                                store.add_entry(entry)
                            continue
                        kept.append(entry)
                        kept_bases.append(entry[1])
                    else:
                        paper, tag = cast(tuple[Paper, tuple[str, int] | None], unit)
                        if kept is None:
                            paper_base, slot = paper_tag(paper) if tag is None else tag
                            slots.append(slot)
                            if store is not None:
                                store.add(paper, paper_base, slot)
                            continue
                        kept.append(paper)
                        kept_bases.append(base(paper) if tag is None else tag[0])
                    if len(kept) > MEMORY_LIMIT:
                        for earlier, earlier_base in zip(kept, kept_bases, strict=True):
                            if type(earlier) is tuple:
                                slots.append(earlier[2])
                                if store is not None:
                                    store.add_entry(earlier)
                                continue
                            slot = _slot(_h64(earlier_base), self.content(earlier))
                            slots.append(slot)
                            if store is not None:
                                store.add(earlier, earlier_base, slot)
                        kept, kept_bases = None, []
            memo: dict[int, tuple[Paper, str, int]] = {}
            again: Iterable[Any] | None = (
                store.replay(memo) if store is not None and kept is None else None)
        except BaseException:
            if store is not None:
                store.close()
            raise
        if kept is not None:
            # Only papers whose base key is shared need hashes to be ranked; the base
            # keys themselves (held anyway) answer "is this some paper's base key?".
            counts = Counter(kept_bases)
            base_hashes: dict[str, int] = {}
            for number, (item, paper_base) in enumerate(zip(kept, kept_bases, strict=True)):
                slot = 0
                if type(item) is tuple:
                    # An entry written ahead has its slot; one whose base key no other
                    # paper has is given its base key, as a paper is.
                    if counts[paper_base] > 1:
                        slots.append(item[2])
                    else:
                        kept[number] = (item[0], paper_base, 0, item[3])
                    continue
                if counts[paper_base] > 1:
                    base_hash = base_hashes.get(paper_base)
                    if base_hash is None:
                        base_hash = base_hashes[paper_base] = _h64(paper_base)
                    slot = _slot(base_hash, self.content(item))
                    slots.append(slot)
                memo[id(item)] = (item, paper_base, slot)
            writing = _watched(papers, kept, len(kept)) if spool else kept
            return KeyPlan(self, slots.merged(), memo, counts), writing
        if again is not None:
            writing = _watched(papers, again, len(slots))  # counted before the merge
            return KeyPlan(self, slots.merged(), memo), writing
        # Not spooled: a collection, a plan() only, or a spool that could not be written.
        # A second reading of a source is done quietly, so nothing is reported twice.
        return KeyPlan(self, slots.merged()), (
            papers.quiet() if isinstance(papers, Replayable) else papers)


def _watched(source: Iterable[Paper], writing: Iterable[Paper], count: int) -> Iterable[Paper]:
    """The writing pass, taken from memory or the spool rather than from ``source``:
    handed to a source that shows progress (the CLI's ``replaying``) to be counted too."""
    replaying = getattr(source, "replaying", None)
    return writing if replaying is None else replaying(writing, count)


class _Store:
    """The spool of a large input, opened at the first paper added: of its papers, or
    with a renderer, of their entries written ahead of their keys.

    A spool that cannot be written (no room in the temporary directory) is given up
    for a second reading of the source, as before there was a spool; only a one-shot
    iterator cannot be read again, and then the error stands.
    """

    def __init__(self, papers: Iterable[Paper], renderer: Renderer | None = None) -> None:
        self._papers = papers
        self._renderer = renderer
        self._spool: PaperSpool | TextSpool | None = None
        self._failed = False

    def _open(self) -> PaperSpool | TextSpool:
        if self._spool is None:
            self._spool = PaperSpool() if self._renderer is None else TextSpool()
        return self._spool

    def add(self, paper: Paper, base: str, slot: int) -> None:
        """Spool one paper (or its entry) with its base key and slot."""
        if self._failed:
            return
        try:
            spool = self._open()
            if self._renderer is None:
                cast(PaperSpool, spool).append(paper, (base, slot))
            else:
                cast(TextSpool, spool).append(self._renderer.entry(paper, base, slot))
        except OSError as error:
            self._give_up(error)

    def add_entry(self, entry: Rendered) -> None:
        """Spool an entry written ahead elsewhere."""
        if self._failed:
            return
        try:
            cast(TextSpool, self._open()).append(entry)
        except OSError as error:
            self._give_up(error)

    def add_encoded(self, batch: EncodedBatch | RenderedBatch) -> None:
        """Spool a batch encoded elsewhere, its papers tagged with base keys and slots
        (or entries, each with its base key and slot)."""
        if self._failed:
            return
        try:
            spool = self._open()
            if type(batch) is RenderedBatch:
                cast(TextSpool, spool).append_encoded(batch)
            else:
                cast(PaperSpool, spool).append_encoded(cast(EncodedBatch, batch))
        except OSError as error:
            self._give_up(error)

    def replay(self, memo: dict[int, tuple[Paper, str, int]]) -> Iterator[Any] | None:
        """The spooled papers, remembered in ``memo`` for the key plan, or the spooled
        entries (None if given up)."""
        if self._spool is None:
            return None
        try:
            if isinstance(self._spool, TextSpool):
                return self._spool.replay()  # writes the last batch
            tagged = self._spool.replay_tagged()
        except OSError as error:
            self._give_up(error)
            return None
        return _replay(tagged, memo)

    def _give_up(self, error: OSError) -> None:
        self.close()
        self._failed = True
        papers = self._papers
        if not isinstance(papers, Replayable) and iter(papers) is papers:
            raise error

    def close(self) -> None:
        """Release the spool file, if there is one."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None


def _replay(tagged: Iterator[tuple[Paper, tuple[str, int]]],
            memo: dict[int, tuple[Paper, str, int]]) -> Iterator[Paper]:
    """The spooled papers, each remembered with its base key and slot until it has been
    asked for its key (so the writing pass does not work them out again)."""
    try:
        for paper, (paper_base, slot) in tagged:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()  # a writer asks for a paper's key as it takes the paper
            memo[id(paper)] = (paper, paper_base, slot)
            yield paper
    finally:
        tagged.close()  # type: ignore[attr-defined]  # the spool file, if stopped early


#: Spooled papers remembered for KeyPlan.key() at most, at a time.
_MEMO_LIMIT = 1 << 10
#: Slots on either side of a paper's own searched first for its group's bounds.
_NEAR = 8
#: Groups of papers sharing a base key whose suffixes KeyPlan remembers at most, at a
#: time (about 100 bytes each): enough for the groups begun and not yet finished when
#: the papers of a group lie far apart in a large input.
_GROUP_LIMIT = 1 << 15


_LOW_HALF = (1 << 32) - 1


def _slot(base_hash: int, content: int) -> int:
    """One 64-bit number that sorts papers by base key, then by content.

    The top half is the base key's hash, the bottom half the content hash. Two
    different base keys may share a top half (about a hundred pairs in a million
    distinct keys); their papers then get letter suffixes they did not strictly need,
    which keeps keys unique and order-independent all the same.
    """
    return (base_hash >> 32) << 32 | (content >> 32) or 1


class _SortedRuns:
    """Collects 64-bit numbers into sorted runs of 65,536, merged once at the end.

    Sorting makes one Python int per value; doing it a run at a time, while the numbers
    arrive, keeps that to a run's worth, and the merge needs the runs plus the result.
    """

    _RUN = 1 << 16

    def __init__(self) -> None:
        self._runs: list[array[int]] = []
        self._current: array[int] = array("Q")

    def append(self, value: int) -> None:
        self._current.append(value)
        if len(self._current) >= self._RUN:
            self._runs.append(array("Q", sorted(self._current)))
            self._current = array("Q")

    def extend(self, values: Iterable[int]) -> None:
        """Add many values (a run may then pass its length by their number)."""
        self._current.extend(values)
        if len(self._current) >= self._RUN:
            self._runs.append(array("Q", sorted(self._current)))
            self._current = array("Q")

    def __len__(self) -> int:
        return sum(map(len, self._runs)) + len(self._current)

    def merged(self) -> array[int]:
        """Every value, sorted (the runs are released)."""
        runs, self._runs = self._runs, []
        if self._current:
            runs.append(array("Q", sorted(self._current)))
            self._current = array("Q")
        if len(runs) <= 1:
            return runs[0] if runs else array("Q")
        return array("Q", heapq.merge(*runs))


def replayable(papers: Iterable[Paper]) -> Iterable[Paper]:
    """A source that can be iterated twice: as given if it can, else materialised."""
    if isinstance(papers, Replayable) or iter(papers) is not papers:
        return papers
    return list(papers)


class KeyPlan:
    """Hands out the planned unique key for each paper of the planned set."""

    def __init__(self, generator: KeyGenerator, slots: array[int],
                 memo: dict[int, tuple[Paper, str, int]] | None = None,
                 bases: Container[str] | None = None) -> None:
        self._generator = generator
        self._slots = slots  # sorted
        self._memo = memo if memo is not None else {}
        self._bases = bases  # every base key, when the input was small
        self._repeats: dict[int, int] = {}
        #: Groups being written, by base key: their bounds in the slots, papers still to
        #: ask, and the suffixes if some are skipped (None: the plain suffixes).
        self._groups: dict[str, list[Any]] = {}

    def _is_base_key(self, text: str) -> bool:
        """Whether some paper of the set has this base key (for a large input by the
        top half of the key's hash, so a rare false "yes" only skips a suffix)."""
        if self._bases is not None:
            return text in self._bases
        digest = _h64(text)
        slots = self._slots
        index = bisect_left(slots, digest >> 32 << 32)
        return index < len(slots) and slots[index] >> 32 == digest >> 32

    def _accepted(self, base: str, count: int) -> tuple[str, ...] | None:
        """The first ``count`` suffixes of a base key that cannot spell another paper's
        key, or None when they are simply the first ``count`` suffixes (the usual case).

        "li2000d" + "a" would be the key of a paper whose base key is "li2000da", and
        "graph" + "sb" that of the second "graphs": a suffix is skipped when the base key
        followed by any beginning of it is itself a base key of the set. The rule looks
        at the set alone, so keys stay independent of input order.

        When every letter is skipped (26 other papers' base keys are this one and a
        letter: "2000li" and "2000lia" ... "2000liz" under ``{year}{auth}``), no letter
        suffix is left, since each begins with a letter; the suffixes are then ``-1``,
        ``-2``, ... skipping those that are base keys. No letter suffix holds a ``-``,
        so none of them can spell another paper's key otherwise.
        """
        if count <= len(_LETTERS):
            is_base_key = self._is_base_key
            for letter in _LETTERS[:count]:
                if is_base_key(base + letter):
                    break
            else:
                return None
        accepted: list[str] = []
        # Whether each suffix tried so far is skipped: a suffix's beginnings are shorter
        # suffixes, tried before it, so each suffix costs one look-up of its own.
        skipped: dict[str, bool] = {}
        plain = True
        rank = 0
        while len(accepted) < count:
            if rank == len(_LETTERS) and not accepted:
                return self._numbered(base, count)  # every letter skipped
            candidate = _suffix_at(rank)
            rank += 1
            blocked = (len(candidate) > 1 and skipped[candidate[:-1]]) or \
                self._is_base_key(base + candidate)
            skipped[candidate] = blocked
            if blocked:
                plain = False
            else:
                accepted.append(candidate)
        return None if plain else tuple(accepted)

    def _numbered(self, base: str, count: int) -> tuple[str, ...]:
        """The first ``count`` suffixes ``-1``, ``-2``, ... that are not base keys."""
        accepted: list[str] = []
        number = 0
        while len(accepted) < count:
            number += 1
            candidate = f"-{number}"
            if not self._is_base_key(base + candidate):
                accepted.append(candidate)
        return tuple(accepted)

    def forget_memo(self) -> None:
        """Drop the remembered keys (and the papers they hold)."""
        self._memo = {}

    def key(self, paper: Paper) -> str:
        """The unique key of a paper (papers with identical content get consecutive suffixes)."""
        known = self._memo.get(id(paper))
        if known is not None and known[0] is paper:
            return self.key_of(known[1], known[2])
        slots = self._slots
        base = self._generator.base(paper)
        if not slots:
            return base
        base_hash = _h64(base)
        group = base_hash >> 32 << 32
        start = bisect_left(slots, group)
        end = bisect_left(slots, group + (1 << 32), start)
        if end - start <= 1:
            return base
        # The content hash is only needed when the base key is shared.
        return self.key_of(base, _slot(base_hash, self._generator.content(paper)))

    def key_of(self, base: str, slot: int) -> str:
        """The unique key of the paper planned with this base key and slot (slot 0: a
        base key no other paper shares).

        The papers of a group (sharing the top half of their slots, most often one base
        key) rank by slot. A group's bounds in the slots and its suffixes are worked out
        at its first paper and remembered until each of its papers has asked for its key
        (at most ``_GROUP_LIMIT`` groups at a time), so a later paper of the group
        costs one search among the group's own slots.
        """
        if not slot:
            return base
        group = self._groups.get(base)
        if group is None:
            return self._first_of_group(base, slot)
        start, end, left, accepted = group
        # A paper asking twice, or a group of two base keys whose hashes share a top
        # half, can leave an entry behind: the limit bounds those.
        if left <= 1:
            del self._groups[base]
        else:
            group[2] = left - 1
        return self._ranked(base, slot, bisect_left(self._slots, slot, start, end), start, end,
                            accepted)

    def _first_of_group(self, base: str, slot: int) -> str:
        """:meth:`key_of` for a group no paper has asked about yet (or not remembered)."""
        slots = self._slots
        # The paper's own slot is planned: one search finds it, and its group (the
        # slots sharing its top half, most often a few) lies around it.
        index = bisect_left(slots, slot)
        group = slot >> 32 << 32
        # Its neighbours first: a group is most often a few papers.
        low = index - _NEAR if index > _NEAR else 0
        start = bisect_left(slots, group, low, index)
        if start == low and low and slots[low - 1] >> 32 == slot >> 32:
            start = bisect_left(slots, group, 0, low)
        high = min(index + _NEAR, len(slots))
        end = bisect_left(slots, group + (1 << 32), index, high)
        if end == high and high < len(slots) and slots[high] >> 32 == slot >> 32:
            end = bisect_left(slots, group + (1 << 32), high)
        size = end - start
        if size <= 1:
            return base
        if len(self._groups) >= _GROUP_LIMIT:
            # Only a cache: a group left behind (by a paper asking twice, or by two base
            # keys whose hashes share a top half) is worked out again if asked.
            self._groups.clear()
        accepted = self._accepted(base, size)
        self._groups[base] = [start, end, size - 1, accepted]
        return self._ranked(base, slot, index, start, end, accepted)

    def _ranked(self, base: str, slot: int, index: int, start: int, end: int,
                accepted: tuple[str, ...] | None) -> str:
        """The key of the paper at ``index`` of the group ``start:end`` of its base key,
        whose suffixes are ``accepted`` (None: the plain suffixes)."""
        if index + 1 < end and self._slots[index + 1] == slot:
            # Identical twins share a slot; count them (only them: a count per paper
            # would grow with the input) so each still gets its own suffix.
            repeat = self._repeats.get(slot, 0)
            self._repeats[slot] = repeat + 1
            index += repeat
        rank = index - start
        first = self._slots[start]
        if not first & _LOW_HALF and (start + 1 == end or self._slots[start + 1] != first):
            # One paper of the group has the key its source gave it (KeyGenerator.content
            # put it first): it keeps the key bare, and the others are suffixed after it.
            if not rank:
                return base
            rank -= 1
        if accepted is None:
            if rank < end - start:
                return base + _suffix_at(rank)
        elif rank < len(accepted):
            return base + accepted[rank]
        # Past its group (a twin asking again): the suffixes worked out that far.
        accepted = self._accepted(base, rank + 1)
        return base + (_suffix_at(rank) if accepted is None else accepted[rank])

"""Citation keys: readable, unique, and independent of input order."""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv import keys, spool
from bibconv.errors import OptionError
from bibconv.model import Date, Paper, Person, Venue, replace

from .conftest import EXAMPLE


def plan_keys(papers: list[Paper], pattern: str = keys.DEFAULT_PATTERN) -> list[str]:
    plan, again = keys.KeyGenerator(pattern).plan_and_replay(papers)
    return [plan.key(p) for p in again]


def test_example_keys() -> None:
    assert plan_keys(bibconv.load(EXAMPLE)) == [
        "jin2026addressing", "zhang2025diffusion", "li2024consistency", "jin2024performative",
        "lin2024usercreator", "xiao2023densepure", "jin2022novel", "zhang2022fairness",
        "jin2021multiscale", "jin2021twosided",
    ]


def test_keys_fold_to_ascii_and_skip_stopwords() -> None:
    paper = Paper(title="The Ödegård Effect on Über-Graphs", author=(Person(family="Müller"),),
                  issued=Date(2020))
    assert plan_keys([paper]) == ["muller2020odegard"]
    org = Paper(title="A Report", author=(Person(literal="World Health Organization"),))
    assert plan_keys([org]) == ["whond" + "report"]


def test_title_markup_is_not_a_title_word() -> None:
    """CSL rich-text tags (Zotero writes them in titles) are not words: the key takes
    the words they style."""
    person = (Person(family="Smith"),)
    titles = ["<i>Escherichia coli</i> growth", "<span class=\"nocase\">DNA</span> repair",
              '<span style="font-variant:small-caps;">Cats</span>', "H<sub>2</sub>O uptake",
              "<b><i>Zebra</i></b> stripes"]
    papers = [Paper(title=t, author=person, issued=Date(2020)) for t in titles]
    assert plan_keys(papers, "{auth}{year}{shorttitle}") == [
        "smith2020escherichiacoligrowth", "smith2020dnarepair", "smith2020cats",
        "smith2020h2ouptake", "smith2020zebrastripes"]


@pytest.mark.parametrize(("own", "key"), [
    ("DBLP:conf/nips/VaswaniSPUJGKP17", "DBLP:conf/nips/VaswaniSPUJGKP17"),
    ("10.1145/3442188.3445922", "10.1145/3442188.3445922"),
    ("Müller2020", "Müller2020"),
    ("smith_2020-deep+learning", "smith_2020-deep+learning"),
    # What bibtex, biber or \\cite would read otherwise is taken out.
    ("Smith 2020", "Smith2020"),
    ("key{1}", "key1"),
    ("a%b#c", "abc"),
    # A URL is an item's address, not a key: one is made.
    ("http://zotero.org/users/1/items/AAAA", "smith2020deep"),
])
def test_keys_the_input_had_are_kept_as_written(own: str, key: str) -> None:
    """DBLP, ACM and Unicode keys are what documents cite: written as they are, in
    BibTeX, RIS and CSL-JSON alike, as long as bibtex, biber and \\cite take them."""
    paper = Paper(title="Deep things", type="article-journal", author=(Person(family="Smith"),),
                  issued=Date(2020), venue=Venue(name="J", kind="journal"), id=own)
    assert plan_keys([paper]) == [key]
    text = bibconv.dumps([paper], "bibtex")
    assert text.startswith(f"@article{{{key},")
    assert bibconv.loads(text, "bibtex")[0].id == key
    assert f"ID  - {key}" in bibconv.dumps([paper], "ris")


@pytest.mark.parametrize("limit", [10_000, 1])
def test_a_key_the_source_gave_beats_a_made_one(limit: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A .bib key that a made key collides with stays bare (documents cite it); the made
    ones take the suffixes, in any order, in memory and past it. Two papers given the
    same key by their sources are both suffixed, as before."""
    monkeypatch.setattr(keys, "MEMORY_LIMIT", limit)
    own = Paper(title="Deep things", author=(Person(family="Smith", given="John"),),
                issued=Date(2020), id="smith2020deep")
    made = [Paper(title=f"Deep other things {i}", author=(Person(family="Smith"),),
                  issued=Date(2020)) for i in range(3)]
    for papers in ([own, *made], [*made, own], [made[1], own, made[0], made[2]]):
        planned = dict(zip(map(id, papers), plan_keys(papers), strict=True))
        assert planned[id(own)] == "smith2020deep"
        assert sorted(planned[id(p)] for p in made) == [
            "smith2020deepa", "smith2020deepb", "smith2020deepc"]
    twin = replace(own, title="Another")
    assert sorted(plan_keys([own, twin, made[0]])) == [
        "smith2020deepa", "smith2020deepb", "smith2020deepc"]


def test_collisions_get_stable_suffixes_in_any_order() -> None:
    base = Paper(title="Learning Things", author=(Person(family="Li", given="Bo"),),
                 issued=Date(2024))
    papers = [replace(base, abstract=f"variant {i}") for i in range(5)]
    expected = dict(zip((p.abstract for p in papers), plan_keys(papers), strict=True))
    assert sorted(expected.values()) == [f"li2024learning{c}" for c in "abcde"]
    for seed in range(5):
        shuffled = papers[:]
        random.Random(seed).shuffle(shuffled)
        got = dict(zip((p.abstract for p in shuffled), plan_keys(shuffled), strict=True))
        assert got == expected


def test_identical_papers_still_get_unique_keys() -> None:
    paper = Paper(title="Same", author=(Person(family="Doe"),), issued=Date(2020))
    assert plan_keys([paper, paper, paper]) == ["doe2020samea", "doe2020sameb", "doe2020samec"]


def test_source_ids_are_kept() -> None:
    papers = [Paper(title="X", id="Knuth:1984"), Paper(title="Y", id="Knuth:1984")]
    assert sorted(plan_keys(papers)) == ["Knuth:1984a", "Knuth:1984b"]
    assert plan_keys([Paper(title="Z", id="my key{}")]) == ["mykey"]


def test_patterns() -> None:
    paper = bibconv.load(EXAMPLE)[5]
    assert plan_keys([paper], "{Auth}{shortyear}-{venue}") == ["Xiao23-iclr"]
    assert plan_keys([paper], "{authors}_{year}") == ["xiaochenjinetal_2023"]


@pytest.mark.parametrize("pattern", ["{nope}", "{auth}{", "no tokens", "{auth} {year}"])
def test_bad_patterns_are_option_errors(pattern: str) -> None:
    with pytest.raises(OptionError):
        keys.KeyGenerator(pattern)


def test_large_inputs_are_read_once_and_spooled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 3)
    monkeypatch.setattr(spool, "BATCH_SIZE", 4)
    reads = []

    class Source:
        def __iter__(self):  # type: ignore[no-untyped-def]
            reads.append("loud")
            return iter(bibconv.load(EXAMPLE))

        def quiet(self):  # type: ignore[no-untyped-def]
            reads.append("quiet")
            return bibconv.load(EXAMPLE)

    plan, again = keys.KeyGenerator().plan_and_replay(Source())
    written = list(again)
    assert written == bibconv.load(EXAMPLE)
    assert [plan.key(p) for p in written] == plan_keys(bibconv.load(EXAMPLE))
    assert reads == ["loud"]


def test_plan_alone_neither_spools_nor_keeps_a_one_shot_input(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 3)

    def no_spool(*args: object, **kwargs: object) -> None:
        raise AssertionError("plan() spooled")

    monkeypatch.setattr(keys, "PaperSpool", no_spool)
    papers = bibconv.load(EXAMPLE)
    plan = keys.KeyGenerator().plan(iter(papers))
    assert [plan.key(p) for p in papers] == plan_keys(papers)


def plan_keys_streamed(papers: list[Paper], pattern: str = keys.DEFAULT_PATTERN) -> list[str]:
    """plan_keys() through a one-shot iterator: past MEMORY_LIMIT, through the spool."""
    plan, again = keys.KeyGenerator(pattern).plan_and_replay(iter(papers))
    written = list(again)
    assert written == papers
    return [plan.key(p) for p in written]


_titles = st.text(alphabet="abcdeXYZ éü-", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_titles, st.sampled_from(["Li", "Müller", "van Dyke"]),
                          st.integers(2000, 2003)), min_size=1, max_size=25), st.randoms())
def test_keys_unique_and_order_independent(rows: list[tuple[str, str, int]], rnd: random.Random) -> None:
    papers = [Paper(title=t, author=(Person(family=f),), issued=Date(y), abstract=str(i))
              for i, (t, f, y) in enumerate(rows)]
    forward = plan_keys(papers)
    assert len(set(forward)) == len(forward)
    shuffled = papers[:]
    rnd.shuffle(shuffled)
    mapping = dict(zip((p.abstract for p in papers), forward, strict=True))
    assert dict(zip((p.abstract for p in shuffled), plan_keys(shuffled), strict=True)) == mapping


def test_plan_then_reread_gives_each_paper_its_own_key() -> None:
    """A writer that plans, drops the papers and reads again must not mix keys up."""
    source = bibconv.PaperSource([EXAMPLE], "cluster")
    plan = keys.KeyGenerator().plan(source)
    got = [(plan.key(p), p.title[:20]) for p in source]
    assert got[1] == ("zhang2025diffusion", "Diffusion Model as a")
    assert got[4] == ("lin2024usercreator", "User-Creator Feature")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_titles, st.sampled_from(["Li", "Wang"]), st.integers(2000, 2001)),
                min_size=1, max_size=30), st.randoms())
def test_large_input_regime_is_unique_and_order_independent(
        rows: list[tuple[str, str, int]], rnd: random.Random) -> None:
    """Past MEMORY_LIMIT the plan keeps one number per paper; keys stay right."""
    original, run = keys.MEMORY_LIMIT, keys._SortedRuns._RUN
    keys.MEMORY_LIMIT = 2
    keys._SortedRuns._RUN = 3  # several sorted runs to merge
    try:
        papers = [Paper(title=t, author=(Person(family=f),), issued=Date(y), abstract=str(i))
                  for i, (t, f, y) in enumerate(rows)]
        forward = plan_keys(papers)
        assert len(set(forward)) == len(forward)
        assert plan_keys_streamed(papers) == forward
        shuffled = papers[:]
        rnd.shuffle(shuffled)
        mapping = dict(zip((p.abstract for p in papers), forward, strict=True))
        again = dict(zip((p.abstract for p in shuffled), plan_keys(shuffled), strict=True))
        assert again == mapping
        streamed = plan_keys_streamed(shuffled)
        assert dict(zip((p.abstract for p in shuffled), streamed, strict=True)) == mapping
    finally:
        keys.MEMORY_LIMIT, keys._SortedRuns._RUN = original, run


@pytest.mark.parametrize("limit", [20_000, 1])
def test_suffixes_never_spell_another_papers_key(limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "MEMORY_LIMIT", limit)
    # "li2000d" + "a" would be the base key of "da"; a second "graphs" paper would
    # take "li2000graphs" + "a", which "li2000graph" + "sa" must not spell.
    rows = ["d", "d", "da", "graph", "graph", "graphs", "graphs"] + ["graph"] * 30
    papers = [Paper(title=t, author=(Person(family="Li"),), issued=Date(2000), abstract=str(i))
              for i, t in enumerate(rows)]
    got = plan_keys(papers)
    assert len(set(got)) == len(got)
    assert "li2000da" in got and "li2000d" not in got
    assert plan_keys_streamed(papers) == got


# ------------------------------------------------ fast paths agree with the general path
# The reference below is the key code as it was before its fast paths (caches per name,
# lazy title words, base keys compared as text): every key must come out the same.

_REF_WORD = keys._WORD
_REF_JOINERS = keys._JOINERS


def _ref_ascii_words(text: str) -> list[str]:
    return [_REF_JOINERS.sub("", w) for w in _REF_WORD.findall(keys.ascii_fold(text))]


def _ref_family(paper: Paper, index: int = 0) -> str:
    if len(paper.author) > index:
        person = paper.author[index]
        words = _ref_ascii_words(person.family or person.literal or "")
        if person.literal and len(words) > 1:
            return "".join(w[0] for w in words if w.lower() not in keys._STOPWORDS)
        return "".join(words)
    return ""


def _ref_significant(paper: Paper, count: int) -> list[str]:
    return [w for w in _ref_ascii_words(paper.title) if w.lower() not in keys._STOPWORDS][:count]


def _ref_auth(p: Paper) -> str:
    return _ref_family(p).lower() or (p.venue.short or "anon" if p.venue else "anon").lower()


_REF_TOKENS = {
    "auth": _ref_auth,
    "Auth": lambda p: _ref_auth(p).capitalize(),
    "authors": lambda p: "".join(_ref_family(p, i).lower() for i in range(min(3, len(p.author))))
    + ("etal" if len(p.author) > 3 else ""),
    "authEtAl": lambda p: _ref_auth(p) + ("etal" if len(p.author) > 1 else ""),
    "year": lambda p: str(p.year) if p.year is not None else "nd",
    "shortyear": lambda p: f"{p.year % 100:02d}" if p.year is not None else "nd",
    "title": lambda p: "".join(_ref_significant(p, 1)).lower() or "untitled",
    "Title": lambda p: "".join(_ref_significant(p, 1)).capitalize() or "Untitled",
    "shorttitle": lambda p: "".join(_ref_significant(p, 3)).lower() or "untitled",
    "venue": lambda p: "".join(_ref_ascii_words(p.venue.short or p.venue.name)).lower()
    if p.venue else "",
}


_REF_UNKEEPABLE = set(" \t\n\r\f\v,{}()=#%\"'\\~")


def _ref_own(paper: Paper, keep_ids: bool = True) -> str | None:
    """The key a paper's source gave it, as kept: as written when bibtex, biber and
    \\cite take it; a URL is none; otherwise with the unsafe characters out."""
    if not keep_ids or not paper.id:
        return None
    if "://" in paper.id:
        return None
    if not any(c in _REF_UNKEEPABLE or c.isspace() or ord(c) < 0x20 or c == "\x7f"
               for c in paper.id):
        return paper.id
    return keys._KEY_SAFE.sub("", keys.ascii_fold(paper.id)) or None


def _ref_base(pattern: str, paper: Paper, keep_ids: bool = True) -> str:
    own = _ref_own(paper, keep_ids)
    if own is not None:
        return own
    parts, pos = [], 0
    for match in keys._PATTERN_TOKEN.finditer(pattern):
        parts.append(pattern[pos:match.start()])
        parts.append(_REF_TOKENS[match.group(1)](paper))
        pos = match.end()
    parts.append(pattern[pos:])
    return keys._KEY_SAFE.sub("", "".join(parts)) or "key"


def _ref_fingerprint(paper: Paper) -> int:
    parts = [
        paper.type, paper.title, str(paper.year), paper.container_title or "",
        paper.volume or "", paper.issue or "", paper.page or "", paper.doi or "",
        paper.abstract or "",
    ]
    parts.extend(f"{a.display_name}#{a.homonym or ''}" for a in paper.author)
    return keys._h64("\x1f".join(parts))


def _ref_keys(papers: list[Paper], pattern: str) -> list[str]:
    """The small-input plan as it was: base keys compared by their 64-bit hashes."""
    bases = [_ref_base(pattern, p) for p in papers]
    hashes = [keys._h64(b) for b in bases]
    counts: dict[int, int] = {}
    for h in hashes:
        counts[h] = counts.get(h, 0) + 1
    # A paper whose source gave its key ranks first in its group (content 0).
    slots_of = [keys._slot(h, 0 if _ref_own(p) is not None else _ref_fingerprint(p))
                if counts[h] > 1 else 0 for p, h in zip(papers, hashes, strict=True)]
    slots = sorted(s for s in slots_of if s)
    known = set(hashes)
    repeats: dict[int, int] = {}
    out = []
    for base, slot in zip(bases, slots_of, strict=True):
        if not slot:
            out.append(base)
            continue
        group = slot >> 32 << 32
        start = bisect_left(slots, group)
        end = bisect_left(slots, group + (1 << 32), start)
        if end - start <= 1:
            out.append(base)
            continue
        index = bisect_left(slots, slot, start, end)
        if index + 1 < end and slots[index + 1] == slot:
            index += repeats.get(slot, 0)
            repeats[slot] = repeats.get(slot, 0) + 1
        rank = index - start
        first = slots[start]
        if first & 0xFFFFFFFF == 0 and (start + 1 == end or slots[start + 1] != first):
            # The one paper with its source's key keeps it bare; the others follow.
            if rank == 0:
                out.append(base)
                continue
            rank -= 1
        got = ref_suffixes(lambda text: keys._h64(text) in known, base, rank + 1)
        out.append(base + got[rank])
    return out


def ref_suffixes(is_base_key: Callable[[str], bool], base: str, count: int) -> list[str]:
    """The first ``count`` suffixes of ``base`` none of whose beginnings spells a base
    key: letters "a", ..., "zz", ...; when all 26 letters are base keys after it, "-1",
    "-2", ... that are not base keys."""
    out: list[str] = []
    if all(is_base_key(base + letter) for letter in "abcdefghijklmnopqrstuvwxyz"):
        number = 0
        while len(out) < count:
            number += 1
            if not is_base_key(f"{base}-{number}"):
                out.append(f"-{number}")
        return out
    rank = 0
    while len(out) < count:
        candidate = keys._suffix(rank)
        rank += 1
        if not any(is_base_key(base + candidate[:j]) for j in range(1, len(candidate) + 1)):
            out.append(candidate)
    return out


_words = st.sampled_from(["a", "the", "Of", "on", "Graph", "graph", "graphs", "Über", "Ødegård",
                          "ß", "x-ray", "don't", "l’état", "O'Brien", "Li", "d", "da", "123", "2nd",
                          "--", "-", "'", ":", "(Deep)", "DensePure:", "ﬁeld", "Ⅻ", "é", "İ",
                          "\u0301", "e\u0301", "\u00a0", "\u3000"])
_seps = st.sampled_from([" ", "  ", "\t", "\n", "", "-", " - ", "\u00a0", "\x1f", ", "])
_texts = st.lists(st.tuples(_words, _seps), max_size=6).map(
    lambda pairs: "".join(w + s for w, s in pairs))
_people = st.one_of(
    st.builds(Person, family=st.one_of(st.none(), _texts), given=st.sampled_from([None, "Bo"]),
              particle=st.sampled_from([None, "van"]), homonym=st.sampled_from([None, "0026"])),
    st.builds(Person, literal=_texts),
    st.builds(Person, family=_texts, literal=_texts),
)
_venues = st.one_of(st.none(), st.builds(Venue, name=_texts, short=st.one_of(st.none(), _texts),
                                         container_title=st.one_of(st.none(), _texts)))


def _paper_strategy() -> st.SearchStrategy[Paper]:
    return st.builds(
        Paper, title=_texts, author=st.lists(_people, max_size=5).map(tuple),
        issued=st.one_of(st.none(), st.builds(Date, st.integers(-50, 2100))),
        venue=_venues, abstract=st.sampled_from([None, "", "one", "two"]),
        id=st.sampled_from([None, None, None, "", "Knuth:1984", "ÿ{}", "li2000da"]),
    )


@settings(max_examples=300, deadline=None)
@given(_paper_strategy(), st.sampled_from(sorted(keys.TOKENS)))
def test_token_fast_paths_match_the_general_path(paper: Paper, token: str) -> None:
    generator = keys.KeyGenerator("{" + token + "}")
    assert keys.TOKENS[token][1](paper) == _REF_TOKENS[token](paper)
    assert generator.base(paper) == _ref_base("{" + token + "}", paper)
    assert keys.fingerprint(paper) == _ref_fingerprint(paper)


@settings(max_examples=300, deadline=None)
@given(_texts, st.integers(1, 4))
def test_title_words_fast_path_matches_the_word_pattern(title: str, count: int) -> None:
    paper = Paper(title=title)
    assert keys._significant(paper, count) == _ref_significant(paper, count)
    assert keys._significant_words(title, count) == _ref_significant(paper, count)


@settings(max_examples=150, deadline=None)
@given(st.lists(_paper_strategy(), min_size=1, max_size=30),
       st.sampled_from([keys.DEFAULT_PATTERN, "{auth}", "{venue}{shortyear}", "{Title}-{authors}"]),
       st.randoms())
def test_planned_keys_match_the_reference_plan(papers: list[Paper], pattern: str,
                                                rnd: random.Random) -> None:
    # Duplicates (the same object twice, and equal copies) exercise identical twins.
    papers = papers + papers[: rnd.randint(0, 3)] + [replace(p) for p in papers[:2]]
    rnd.shuffle(papers)
    assert plan_keys(papers, pattern) == _ref_keys(papers, pattern)


@settings(max_examples=100, deadline=None)
@given(st.lists(_paper_strategy(), min_size=1, max_size=30), st.randoms())
def test_large_input_regime_matches_the_reference_plan(papers: list[Paper],
                                                       rnd: random.Random) -> None:
    """Past MEMORY_LIMIT the plan ranks by 64-bit numbers alone, and hashes a base key
    only to find its group; with no 32-bit collision the keys are the small regime's."""
    papers = papers + papers[: rnd.randint(0, 3)]
    original = keys.MEMORY_LIMIT, keys._SortedRuns._RUN, spool.BATCH_SIZE, keys._MEMO_LIMIT
    keys.MEMORY_LIMIT = 2
    keys._SortedRuns._RUN = 3
    # Small spool batches, and a memo of spooled papers cleared every few papers.
    spool.BATCH_SIZE, keys._MEMO_LIMIT = rnd.randint(1, 5), rnd.randint(1, 4)
    try:
        expected = _ref_keys(papers, keys.DEFAULT_PATTERN)
        assert plan_keys(papers) == expected
        assert plan_keys_streamed(papers) == expected
    finally:
        keys.MEMORY_LIMIT, keys._SortedRuns._RUN, spool.BATCH_SIZE, keys._MEMO_LIMIT = original


@pytest.mark.parametrize("streamed", [False, True])
def test_a_base_key_whose_every_letter_is_taken_gets_numbered_suffixes(
        streamed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under {year}{auth}, two papers by Li and one each by Lia ... Liz (2000) make
    "2000lia" ... "2000liz" base keys: every letter suffix of "2000li" would spell one.
    The Li papers get "-1" and "-2" (this used to loop for ever), in any order."""
    if streamed:
        monkeypatch.setattr(keys, "MEMORY_LIMIT", 3)  # the large-input plan, by hashes
    others = [Paper(title=f"T {c}", author=(Person(family=f"Li{c}"),), issued=Date(2000))
              for c in "abcdefghijklmnopqrstuvwxyz"]
    li = [Paper(title="T", author=(Person(family="Li"),), issued=Date(2000), abstract=a)
          for a in ("one", "two")]
    taken = Paper(title="U", id="2000li-1")  # a .bib file's own key, kept as its base key
    papers = [*others, *li, taken]
    plan = plan_keys_streamed if streamed else plan_keys
    got = dict(zip((id(p) for p in papers), plan(papers, "{year}{auth}"), strict=True))
    assert sorted(got[id(p)] for p in li) == ["2000li-2", "2000li-3"]  # "-1" is taken
    assert got[id(taken)] == "2000li-1"
    assert len(set(got.values())) == len(papers)
    backwards = papers[::-1]
    again = dict(zip((id(p) for p in backwards), plan(backwards, "{year}{auth}"),
                     strict=True))
    assert again == got

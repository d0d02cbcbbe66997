"""Citation keys: readable, unique, and independent of input order."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv import keys
from bibconv.errors import OptionError
from bibconv.model import Date, Paper, Person, replace

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


def test_large_inputs_are_read_twice_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 3)
    reads = []

    class Source:
        def __iter__(self):  # type: ignore[no-untyped-def]
            reads.append("loud")
            return iter(bibconv.load(EXAMPLE))

        def quiet(self):  # type: ignore[no-untyped-def]
            reads.append("quiet")
            return bibconv.load(EXAMPLE)

    plan, again = keys.KeyGenerator().plan_and_replay(Source())
    assert next(plan.key(p) for p in again) == "jin2026addressing"
    assert reads == ["loud", "quiet"]


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
        shuffled = papers[:]
        rnd.shuffle(shuffled)
        mapping = dict(zip((p.abstract for p in papers), forward, strict=True))
        again = dict(zip((p.abstract for p in shuffled), plan_keys(shuffled), strict=True))
        assert again == mapping
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

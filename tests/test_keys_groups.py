"""Suffixes of papers sharing a base key: the remembered groups against plain reckoning.

KeyPlan works a group's suffixes out once and remembers them until each of its papers
has had its key, skips look-ups it can answer from shorter suffixes, and finds a group's
bounds by looking near a paper's own slot first. Each test compares with the
straightforward computation (every suffix checked with all of its beginnings, every
paper on its own), with the limits made small so that every path runs.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv import keys, spool
from bibconv.model import Date, Paper, Person

from .test_keys import _ref_keys, plan_keys, plan_keys_streamed, ref_suffixes


def _ref_accepted(bases: set[str], base: str, count: int) -> list[str]:
    """The first ``count`` suffixes of ``base`` none of whose beginnings spells a base key."""
    return ref_suffixes(bases.__contains__, base, count)


def _plans(bases: set[str]) -> Iterator[keys.KeyPlan]:
    """A plan over these base keys as a small input (the keys themselves) and as a large
    one (their hashes' top halves)."""
    generator = keys.KeyGenerator()
    yield keys.KeyPlan(generator, array("Q", [1, 2]), bases=bases)
    slots = sorted(keys._slot(keys._h64(b), n) for n, b in enumerate(sorted(bases), 1))
    yield keys.KeyPlan(generator, array("Q", slots))


def _accepted(plan: keys.KeyPlan, base: str, count: int) -> list[str]:
    got = plan._accepted(base, count)
    return list(keys._SUFFIXES[:count]) if got is None else list(got)


# Base keys of a base "x" followed by short suffixes: some block one letter, and with
# it every longer suffix that begins with it; some block one longer suffix alone.
_blockers = st.sets(st.text(alphabet="abcz", min_size=1, max_size=3).map(lambda s: "x" + s),
                    max_size=8)


@settings(max_examples=200, deadline=None)
@given(_blockers, st.integers(1, 60))
def test_accepted_suffixes_match_the_reference(blockers: set[str], count: int) -> None:
    bases = blockers | {"x", "y"}
    expected = _ref_accepted(bases, "x", count)
    for plan in _plans(bases):
        assert _accepted(plan, "x", count) == expected


def test_accepted_suffixes_past_two_letters() -> None:
    # 25 letters, then "aa".."az" all skipped (a base key is "xa"), "bc" and the
    # three-letter "aab" (behind "aa" anyway) and "zzz" as blockers: past 702 suffixes.
    bases = {"x", "xa", "xbc", "xaab", "xzzz", "xzzb", "xzza"}
    expected = _ref_accepted(bases, "x", 700)
    assert expected[-1] not in keys._SUFFIXES and "aab" not in expected
    for plan in _plans(bases):
        assert _accepted(plan, "x", 700) == expected
        assert plan._accepted("y", 30) is None  # nothing blocks "y": the plain suffixes


def _papers(counts: dict[str, int], twins: int, seed: int) -> list[Paper]:
    """``counts[title]`` papers titled ``title`` by Li (2000), each its own content but
    the first ``twins`` of each title, which are identical."""
    papers = []
    for title, count in counts.items():
        for number in range(count):
            abstract = "twin" if number < twins else f"{title} {number}"
            papers.append(Paper(title=title, author=(Person(family="Li"),), issued=Date(2000),
                                abstract=abstract))
    random.Random(seed).shuffle(papers)
    return papers


# Titles whose base keys block suffixes of one another: "li2000d" + "a" is the base key
# "li2000da", and "li2000d" + "ab" is "li2000dab".
_TITLES = ["d", "da", "dab", "db", "dbb", "graph", "graphs", "x"]


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries({t: st.integers(0, 35) for t in _TITLES}),
       st.integers(0, 3), st.integers(0, 2**32), st.sampled_from([0, 1, 2, 1 << 15]),
       st.sampled_from([1, 2, 8]))
def test_large_input_groups_match_the_reference(counts: dict[str, int], twins: int, seed: int,
                                                group_limit: int, near: int) -> None:
    """Groups past 26 papers, identical twins, blocked suffixes, a full group memory and
    groups larger than the neighbourhood looked at first: the reference's keys."""
    papers = _papers(counts, twins, seed)
    if not papers:
        return
    expected = _ref_keys(papers, keys.DEFAULT_PATTERN)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys, "MEMORY_LIMIT", 2)
        patch.setattr(keys._SortedRuns, "_RUN", 7)
        patch.setattr(spool, "BATCH_SIZE", 5)
        patch.setattr(keys, "_MEMO_LIMIT", 3)
        patch.setattr(keys, "_GROUP_LIMIT", group_limit)
        patch.setattr(keys, "_NEAR", near)
        assert plan_keys(papers) == expected
        assert plan_keys_streamed(papers) == expected
    assert plan_keys(papers) == expected  # the small input's plan too


def test_a_group_past_26_skips_blocked_suffixes() -> None:
    papers = _papers({"d": 30, "da": 1, "dbc": 1}, 0, 1)
    expected = sorted(
        ["li2000da", "li2000dbc"]
        # "a" spells "li2000da", and so every suffix beginning with "a" is skipped
        # ("aa" to "az"); "bc" spells "li2000dbc".
        + ["li2000d" + s for s in "bcdefghijklmnopqrstuvwxyz"]
        + ["li2000dba", "li2000dbb", "li2000dbd", "li2000dbe", "li2000dbf"])
    assert "li2000db" in expected  # "b" alone spells no base key
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys, "MEMORY_LIMIT", 2)
        assert sorted(plan_keys_streamed(papers)) == expected
    assert sorted(plan_keys(papers)) == expected


@pytest.mark.parametrize("limit", [2, 100_000])
def test_finished_groups_are_forgotten(limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "MEMORY_LIMIT", limit)
    papers = _papers({"d": 30, "da": 1, "graph": 3, "graphs": 2, "x": 1}, 2, 7)
    plan, again = keys.KeyGenerator().plan_and_replay(iter(papers))
    got = [plan.key(p) for p in again]
    assert got == _ref_keys(papers, keys.DEFAULT_PATTERN)
    assert plan._groups == {}  # every paper of every group has had its key


def test_a_paper_asking_twice_gets_the_same_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "MEMORY_LIMIT", 2)
    papers = _papers({"d": 5, "da": 1, "graph": 4}, 0, 3)
    expected = _ref_keys(papers, keys.DEFAULT_PATTERN)
    plan, again = keys.KeyGenerator().plan_and_replay(iter(papers))
    got = []
    for paper in again:
        first = plan.key(paper)
        assert plan.key(paper) == first
        got.append(first)
    assert got == expected


@pytest.mark.parametrize("limit", [2, 100_000])
def test_twins_asking_again_go_on_past_their_group(limit: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Identical twins are told apart by how often they have asked: asking again goes
    on to the suffixes after the group's own, skipping blocked ones all the same."""
    monkeypatch.setattr(keys, "MEMORY_LIMIT", limit)
    papers = _papers({"d": 3, "da": 1}, 3, 5)
    plan, again = keys.KeyGenerator().plan_and_replay(iter(papers))
    got = [plan.key(p) for p in again for _ in range(2)]
    assert [k for k in got if k != "li2000da"] == ["li2000d" + s for s in "bcdefg"]


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(1, 12).map(lambda n: f"x-{n}"), max_size=6),
       st.sets(st.text(alphabet="abz", min_size=2, max_size=3).map(lambda s: "x" + s),
               max_size=4),
       st.integers(1, 40))
def test_every_letter_taken_gives_numbered_suffixes(numbered: set[str], longer: set[str],
                                                    count: int) -> None:
    bases = {"x", *(f"x{c}" for c in "abcdefghijklmnopqrstuvwxyz"), *numbered, *longer}
    expected = _ref_accepted(bases, "x", count)
    assert all(s.startswith("-") and f"x{s}" not in bases for s in expected)
    for plan in _plans(bases):
        assert _accepted(plan, "x", count) == expected

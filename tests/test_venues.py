"""The venue table: lookup by acronym and kind, user extensions, pass-through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bibconv.errors import BibconvError
from bibconv.venues import KINDS, default_table, load_table, resolve_venue

EXAMPLE_VENUES = {
    ("AAAI", "Conference"): "Proceedings of the AAAI Conference on Artificial Intelligence",
    ("NeurIPS", "Conference"): "Advances in Neural Information Processing Systems",
    ("ICLR", "Conference"): "Proceedings of the International Conference on Learning Representations",
    ("ICML", "Conference"): "Proceedings of the International Conference on Machine Learning",
    ("IJCAI", "Conference"):
        "Proceedings of the International Joint Conference on Artificial Intelligence",
    ("EAAI", "Journal"): "Engineering Applications of Artificial Intelligence",
}


@pytest.mark.parametrize(("key", "container"), EXAMPLE_VENUES.items())
def test_every_example_venue_is_known(key: tuple[str, str], container: str) -> None:
    venue = resolve_venue(*key)
    assert venue.container_title == container


def test_kind_disambiguates_acronyms() -> None:
    assert resolve_venue("EAAI", "Journal").kind == "journal"
    assert resolve_venue("EAAI", "Symposium").kind == "symposium"


@pytest.mark.parametrize(
    "acronym",
    ["ACL", "EMNLP", "NAACL", "CVPR", "ICCV", "ECCV", "KDD", "SIGMOD", "VLDB", "ICDE", "OSDI",
     "SOSP", "NSDI", "SIGCOMM", "CCS", "CHI", "WWW", "SIGIR", "AISTATS", "UAI", "COLT", "JMLR",
     "TPAMI", "ACM MM", "Nature Communications", "arXiv", "NIPS"],
)
def test_major_venues_are_known(acronym: str) -> None:
    assert default_table().lookup(acronym) is not None


def test_lookup_ignores_case_and_punctuation() -> None:
    assert default_table().lookup("neurips") == default_table().lookup("NeurIPS")
    assert default_table().lookup("acm-mm") == default_table().lookup("ACM MM")


def test_unknown_venue_passes_through() -> None:
    venue = resolve_venue("FOOBAR", "Conference")
    assert (venue.name, venue.kind, venue.container_title) == ("FOOBAR", "conference", None)
    assert venue.title == "FOOBAR"


def test_workshop_is_not_its_conference() -> None:
    venue = resolve_venue("NeurIPS", "Workshop")
    assert venue.name == "NeurIPS Workshop"
    assert venue.container_title is None
    assert venue.short is None  # "NeurIPS" would cite the conference


@pytest.mark.parametrize(("name", "kind", "whole"), [
    ("Journal of", "Testing", "Journal of Testing"),  # a venue line with no kind word
    ("Mostly Unknown", "Colloquium", "Mostly Unknown Colloquium"),
])
def test_a_venue_with_an_unknown_kind_word_gets_no_made_up_short_title(
        name: str, kind: str, whole: str) -> None:
    venue = resolve_venue(name, kind)
    assert (venue.name, venue.short, venue.kind) == (whole, None, kind.lower())


def test_builtin_table_is_well_formed() -> None:
    data = json.loads((Path(__file__).parent.parent / "bibconv/data/venues.json").read_text())
    assert len(data["venues"]) >= 250
    for entry in data["venues"]:
        assert entry["kind"] in KINDS
        assert not any(ch.isdigit() for ch in entry["container_title"].split()[-1][:1])


def test_user_table_extends_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"venues": [
        {"acronym": "MYCONF", "kind": "conference", "name": "My Conference",
         "container_title": "Proceedings of My Conference"},
        {"acronym": "AAAI", "kind": "conference", "name": "Override",
         "container_title": "Overridden Proceedings"},
    ]}))
    table = default_table().merged(load_table(path))
    assert table.lookup("MYCONF").container_title == "Proceedings of My Conference"
    assert table.lookup("AAAI", "conference").container_title == "Overridden Proceedings"
    monkeypatch.setenv("BIBCONV_VENUES", str(path))
    assert default_table().lookup("myconf") is not None


@pytest.mark.parametrize(
    "content",
    ["not json", '{"venues": 3}', '{"venues": [{"acronym": "X"}]}', '[]',
     '{"venues": [{"acronym": "X", "kind": "conference", "name": "", "container_title": "Y"}]}'],
)
def test_bad_user_table_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(BibconvError, match="bad.json"):
        load_table(path)

"""The JSON schemas match the model and the readers, both ways."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv.jsonmodel import paper_from_dict, paper_to_dict
from bibconv.model import CSL_TYPES, Cluster, Date, Paper, Person, Venue

from .conftest import EXAMPLE, FIXTURES, ROOT, official_csl_schema

PAPER_SCHEMA = json.loads((ROOT / "schemas/paper.schema.json").read_text(encoding="utf-8"))
CLUSTER_SCHEMA = json.loads((ROOT / "schemas/cluster.schema.json").read_text(encoding="utf-8"))
PAPER_VALIDATOR = jsonschema.Draft202012Validator(PAPER_SCHEMA)
CLUSTER_VALIDATOR = jsonschema.Draft202012Validator(CLUSTER_SCHEMA)


@pytest.mark.parametrize(
    ("cls", "definition"),
    [(Paper, "paper"), (Person, "person"), (Venue, "venue"), (Cluster, "cluster"), (Date, "date")],
)
def test_schema_properties_are_the_model_fields(cls: type, definition: str) -> None:
    schema_keys = set(PAPER_SCHEMA["$defs"][definition]["properties"])
    model_keys = {f.name for f in dataclasses.fields(cls)}
    assert schema_keys == model_keys
    assert PAPER_SCHEMA["$defs"][definition]["additionalProperties"] is False or cls is Paper


def test_schema_types_are_the_csl_types() -> None:
    assert set(PAPER_SCHEMA["$defs"]["paper"]["properties"]["type"]["enum"]) == CSL_TYPES


def test_example_json_output_validates() -> None:
    for path in (EXAMPLE, FIXTURES / "clusters" / "edge-cases.txt"):
        data = json.loads(bibconv.dumps(bibconv.load(path, diagnostics=[]), "json"))
        PAPER_VALIDATOR.validate(data)


def test_csl_json_output_validates_against_the_official_schema() -> None:
    schema = official_csl_schema()
    for source in (EXAMPLE, FIXTURES / "clusters" / "edge-cases.txt"):
        items = json.loads(bibconv.dumps(bibconv.load(source, diagnostics=[]), "csl-json"))
        jsonschema.validate(items, schema)


_text = st.text(min_size=1, max_size=20)
_person = st.builds(
    Person,
    family=_text, given=st.none() | _text, particle=st.none() | _text,
    suffix=st.none() | _text, homonym=st.none() | st.from_regex(r"\A\d{4}\Z"),
) | st.builds(Person, literal=_text)
_paper = st.builds(
    Paper,
    title=st.text(max_size=40),
    type=st.sampled_from(sorted(CSL_TYPES)),
    author=st.lists(_person, max_size=4).map(tuple),
    issued=st.none() | st.builds(Date, year=st.integers(1000, 2999),
                                 month=st.none() | st.integers(1, 12)),
    venue=st.none() | st.builds(Venue, name=_text, short=st.none() | _text),
    abstract=st.none() | st.text(max_size=60),
    keywords=st.lists(_text, max_size=3).map(tuple),
    extra=st.dictionaries(_text, st.integers() | _text, max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(_paper)
def test_model_to_json_validates_and_round_trips(paper: Paper) -> None:
    data = paper_to_dict(paper)
    PAPER_VALIDATOR.validate([data])
    assert paper_from_dict(json.loads(json.dumps(data))) == paper


def test_cluster_json_fixture_validates_and_reads() -> None:
    path = FIXTURES / "clusters" / "kun-jin-excerpt.cluster.json"
    CLUSTER_VALIDATOR.validate(json.loads(path.read_text(encoding="utf-8")))
    found: list[bibconv.Diagnostic] = []
    papers = bibconv.load(path, diagnostics=found)
    assert found == []
    assert [p.title[:9] for p in papers] == ["DensePure", "A novel m"]
    assert papers[0].author[3].homonym == "0026"
    assert papers[1].author[0].orcid == "0000-0002-1825-0097"
    assert papers[1].year == 2022 and papers[1].venue is not None
    assert papers[1].venue.container_title == "Engineering Applications of Artificial Intelligence"


@pytest.mark.parametrize(
    "doc",
    [
        {"papers": [{"title": 3}]},
        {"papers": [{"title": "T", "authors": [7]}]},
        {"papers": [{"title": "T", "year": 99999}]},
        {"papers": [{"title": "T", "colour": "red"}]},
        {"papers": [{"title": "T", "authors": [{"orcid": "x"}]}]},
        {"papers": [{"title": "T", "keywords": "a, b"}]},
    ],
)
def test_schema_and_reader_reject_the_same_papers(doc: dict[str, Any]) -> None:
    assert not CLUSTER_VALIDATOR.is_valid(doc)
    found: list[bibconv.Diagnostic] = []
    papers = bibconv.loads(json.dumps(doc), "cluster-json", diagnostics=found)
    assert papers == []
    assert [d.code for d in found] == ["invalid-paper"] and "$.papers[0]" in found[0].message


def test_schema_and_reader_accept_a_minimal_cluster(tmp_path: Path) -> None:
    doc = {"papers": [{"title": "Only a title"}]}
    assert CLUSTER_VALIDATOR.is_valid(doc)
    assert [p.title for p in bibconv.loads(json.dumps(doc), "cluster-json", diagnostics=[])] == [
        "Only a title"]

"""The Python API contract: load, loads, iterload, dump, dumps, convert."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import pytest

import bibconv
from bibconv.diagnostics import BibconvWarning, Diagnostic

from .conftest import EXAMPLE


def test_load_path_and_str(example_text: str) -> None:
    assert len(bibconv.load(EXAMPLE)) == 10
    assert len(bibconv.load(str(EXAMPLE))) == 10
    assert len(bibconv.loads(example_text)) == 10
    assert len(bibconv.loads(example_text, format="cluster")) == 10


def test_load_file_objects(example_text: str) -> None:
    with EXAMPLE.open("rb") as binary:
        assert len(bibconv.load(binary)) == 10
    with EXAMPLE.open(encoding="utf-8") as text:
        assert len(bibconv.load(text)) == 10
    assert len(bibconv.load(io.StringIO(example_text))) == 10
    assert len(bibconv.load(io.BytesIO(example_text.encode()))) == 10


def test_dumps_and_dump(tmp_path: Path) -> None:
    papers = bibconv.load(EXAMPLE)
    text = bibconv.dumps(papers, "csl-json")
    assert len(json.loads(text)) == 10
    bibconv.dump(papers, tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == json.loads(text)
    stream = io.StringIO()
    bibconv.dump(papers, stream, "json")
    assert len(json.loads(stream.getvalue())) == 10


def test_dumps_accepts_a_generator() -> None:
    papers = bibconv.load(EXAMPLE)
    assert bibconv.dumps((p for p in papers), "csl-json") == bibconv.dumps(papers, "csl-json")


def test_convert(tmp_path: Path) -> None:
    reporter = bibconv.convert(EXAMPLE, tmp_path / "out.json", diagnostics=[])
    assert reporter.errors == 0 and reporter.warnings == 0
    assert len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))) == 10
    bibconv.convert([EXAMPLE, EXAMPLE], tmp_path / "two.json", to_format="json", diagnostics=[])
    assert len(json.loads((tmp_path / "two.json").read_text(encoding="utf-8"))) == 20


def test_diagnostics_destinations() -> None:
    page = "AAAI Conference 2021 Mystery Paper\n\nT\n\n• A B\n"
    collected: list[Diagnostic] = []
    bibconv.loads(page, diagnostics=collected)
    assert [d.code for d in collected] == ["unknown-type"]
    seen: list[str] = []
    bibconv.loads(page, diagnostics=lambda d: seen.append(d.code))
    assert seen == ["unknown-type"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bibconv.loads(page)
    assert any(issubclass(w.category, BibconvWarning) for w in caught)


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    class Boom(Exception):
        pass

    def exploding() -> object:
        yield from bibconv.load(EXAMPLE)[:3]
        raise Boom

    target = tmp_path / "out.json"
    with pytest.raises(Boom):
        bibconv.dump(exploding(), target)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_keys_do_not_depend_on_order() -> None:
    papers = bibconv.load(EXAMPLE)
    doubled = papers + [bibconv.model.replace(p, abstract="other") for p in papers]
    forward = json.loads(bibconv.dumps(doubled, "csl-json"))
    backward = json.loads(bibconv.dumps(list(reversed(doubled)), "csl-json"))
    assert {i["id"]: i for i in forward} == {i["id"]: i for i in backward}
    assert len({i["id"] for i in forward}) == 20


def test_public_api_is_exported() -> None:
    for name in ("load", "loads", "dump", "dumps", "convert", "iterload", "Paper", "Person",
                 "Venue", "Cluster", "BibconvError", "ParseError", "Reader", "Writer"):
        assert name in bibconv.__all__


def test_model_constructors_keep_dataclass_semantics() -> None:
    """Paper and Person fill their slots directly; defaults, freezing and equality hold."""
    import dataclasses
    import pickle

    from bibconv.model import Date, Paper, Person

    bare = Paper("T")
    for item in dataclasses.fields(Paper):
        if item.name == "title":
            continue
        expected = (item.default if item.default is not dataclasses.MISSING
                    else item.default_factory())  # type: ignore[misc]
        assert getattr(bare, item.name) == expected, item.name
    assert bare.extra == {} and bare.extra is Paper("U").extra  # the shared empty mapping
    values = {item.name: f"v{index}" for index, item in enumerate(dataclasses.fields(Paper))}
    full = Paper(**values)  # type: ignore[arg-type]
    assert all(getattr(full, name) == value for name, value in values.items())
    positional = Paper(*values.values())  # type: ignore[arg-type]
    assert positional == full and hash(Paper("T", issued=Date(2000))) == hash(
        Paper("T", issued=Date(2000)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        full.title = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Paper()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Paper("T", nonsense=1)  # type: ignore[call-arg]
    person = Person(family="Jin", given="Kun")
    assert pickle.loads(pickle.dumps(person)) == person
    assert dataclasses.replace(full, title="x").title == "x"

"""The registry: entry points, lazy loading, sniffing, and a third-party plugin via the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

import pytest

from bibconv import registry
from bibconv.errors import UnknownFormatError

from .conftest import EXAMPLE, ROOT


def test_builtin_table_matches_pyproject_entry_points() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    groups = project["project"]["entry-points"]
    assert groups["bibconv.readers"] == registry.BUILTIN_READERS
    assert groups["bibconv.writers"] == registry.BUILTIN_WRITERS


@pytest.mark.parametrize("name", sorted(registry.BUILTIN_READERS))
def test_every_builtin_reader_loads(name: str) -> None:
    cls = registry.get_reader(name)
    assert cls.name == name and cls.description


@pytest.mark.parametrize("name", sorted(registry.BUILTIN_WRITERS))
def test_every_builtin_writer_loads(name: str) -> None:
    cls = registry.get_writer(name)
    assert cls.name == name and cls.description


def test_sniffing(example_text: str) -> None:
    assert registry.sniff(example_text[:4000], "page.txt") == "cluster"
    assert registry.sniff('{"author": "X", "papers": []}', "x.json") == "cluster-json"
    with pytest.raises(UnknownFormatError, match="--from"):
        registry.sniff("nothing recognisable here", "x.dat")


def test_writer_for_path() -> None:
    assert registry.writer_for_path("out.json") == "csl-json"
    assert registry.writer_for_path("out.bibconv.json") == "json"
    with pytest.raises(UnknownFormatError, match="--to"):
        registry.writer_for_path("out.unknownsuffix")


def test_third_party_plugin_through_the_cli(tmp_path: Path) -> None:
    """A toy writer package registered by entry point is usable from the CLI."""
    package = tmp_path / "toyplugin"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent('''
        from bibconv.plugin import Writer

        class TitlesWriter(Writer):
            name = "titles"
            description = "one title per line (toy plugin)"
            suffixes = (".titles",)
            options = {"prefix": "text put before each title"}

            def write(self, papers, out, reporter):
                for paper in papers:
                    out.write(self.settings.get("prefix", "") + paper.title + "\\n")
    '''))
    dist = tmp_path / "toyplugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toyplugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[bibconv.writers]\ntitles = toyplugin:TitlesWriter\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    result = subprocess.run(
        [sys.executable, "-m", "bibconv.cli", "convert", str(EXAMPLE), "--to", "titles",
         "-O", "prefix=* "],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 10 and lines[0] == "* Addressing Polarization and Unfairness in Performative Prediction"
    listing = subprocess.run([sys.executable, "-m", "bibconv.cli", "formats"], capture_output=True,
                             text=True, env=env, timeout=60, check=False)
    assert "titles" in listing.stdout and "toy plugin" in listing.stdout

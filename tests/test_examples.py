"""examples/ stays current: every example output equals what the code writes now."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import EXAMPLES, ROOT

sys.path.insert(0, str(EXAMPLES))
import outputs


@pytest.mark.parametrize("name", sorted(outputs.OUTPUTS))
def test_example_output_is_current(name: str) -> None:
    # Bytes, not text mode: RIS is written with CRLF line ends, which text mode would fold.
    stored = (EXAMPLES / name).read_bytes().decode("utf-8")
    assert outputs.render(name) == stored, (
        f"examples/{name} is stale: run `python examples/outputs.py` and review the diff")


def test_library_use_script_runs(tmp_path: object) -> None:
    result = subprocess.run([sys.executable, str(EXAMPLES / "library_use.py")], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "10 papers, 0 warnings" in result.stdout


def test_example_page_is_the_real_one() -> None:
    text = (EXAMPLES / "kun-jin.txt").read_text(encoding="utf-8")
    assert text.count("Conference Paper") == 9 and "Author name cluster" in text
    assert (ROOT / "examples" / "kun-jin.txt").stat().st_size > 10_000

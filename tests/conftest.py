"""Shared fixtures: example paths, and the rule for tests that need a real tool.

Interop tests run real consumers (bibtex, biber, pandoc, rapper, node). On a
developer's machine without a tool they skip; under CI=true a missing tool fails,
because CI installs them all (scripts/install-test-tools.sh).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "kun-jin.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# CI runs the property tests with a fixed seed on a shared, noisy machine: a failure
# there is reproducible, and no test fails for being slow. Locally they stay random.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if IN_CI else "dev")


def require_tool(name: str) -> str:
    """The path of an external tool; skip without it, fail without it in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (scripts/install-test-tools.sh installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def csl_schema_path() -> Path | None:
    """The official CSL-JSON schema where CI provides it (../shared), else the vendored copy."""
    shared = ROOT.parent / "shared" / "reference" / "csl-schema" / "csl-data.json"
    if shared.exists():
        return shared
    vendored = FIXTURES / "csl-data.json"
    return vendored if vendored.exists() else None


def official_csl_schema() -> Any:
    """The official CSL-JSON schema, parsed; the test is skipped where it is missing (a
    developer's clone without ../shared), and fails in CI, which provides it."""
    path = csl_schema_path()
    if path is None:
        if IN_CI:
            pytest.fail("the official CSL schema is missing in CI")
        pytest.skip("official CSL-JSON schema not available (CI provides ../shared)")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")

"""tests/conftest.py: what a developer's machine may skip (no ../shared, no frictionless…) fails in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

SAMPLE = """
from pathlib import Path

import pytest

import tests.conftest as shared


def test_needs_shared(monkeypatch):
    monkeypatch.setattr(shared, "SCDL_DIR", Path("/nonexistent/shared/scdl"))
    shared.require_shared()


def test_skips_by_hand():
    pytest.skip("../shared/scdl is absent: reference example files unavailable")


def test_needs_a_tool():
    shared.require_module("no_such_module_for_opendata_publisher", "frictionless is the reference tool")


def test_needs_portal_software():
    pytest.skip("udata 17.18.0 virtualenv not found at /x: run scripts/setup_udata.sh (make test does)")


def test_skips_for_another_reason():
    pytest.skip("/dev/full is not available")
"""


def _run(tmp_path: Path, ci: str):
    (tmp_path / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:qgis", "-p", "no:cacheprovider", "-p", "tests.conftest", "-rA"]
        + ["--rootdir", str(tmp_path), str(tmp_path / "test_sample.py")],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_reference_material_skips_on_a_developer_machine(tmp_path):
    result = _run(tmp_path, "")
    assert result.returncode == 0, result.stdout
    assert "5 skipped" in result.stdout


def test_missing_reference_material_fails_in_ci(tmp_path):
    result = _run(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "4 failed, 1 skipped" in result.stdout
    for name in ("test_needs_shared", "test_skips_by_hand", "test_needs_a_tool", "test_needs_portal_software"):
        assert f"test_sample.py::{name} - " in result.stdout
    assert "required in CI" in result.stdout or "must run" in result.stdout

"""Shared pytest fixtures: where the read-only reference material lives, and what CI must not skip.

Without ``../shared`` (the reference schemas and example files), the reference tool frictionless,
``lrelease`` or ``qgis_process``, the tests that need them skip on a developer's machine with the reason.
In continuous integration (``CI`` set to ``true``, as every CI service does) they are all there, so such a
skip would hide a broken set-up: it is turned into a failure.
"""

import importlib
import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_ROOT.parent / "shared"
SCDL_DIR = SHARED_DIR / "scdl"

#: words of a skip reason that name something CI always has (see the module docstring); "make test does" ends
#: the reason of a test whose portal software (udata, CKAN, QDT) `make test` installs before running the tests
REQUIRED_IN_CI = ("../shared", "frictionless", "lrelease", "qgis_process", "PostGIS", "make test does")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} — required in CI (CI={os.environ.get('CI')})", pytrace=False)
    pytest.skip(reason)


def require_shared() -> Path:
    """Skip the calling test when ../shared (reference schemas) is not there (fail in CI)."""
    if not SCDL_DIR.is_dir():
        _skip_or_fail(f"reference material not found at {SCDL_DIR} (../shared is absent on this machine)")
    return SHARED_DIR


def require_module(name: str, reason: str):
    """The module ``name`` (a test-only tool), or skip the calling test or module when it is not installed
    (fail in CI)."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        _skip_or_fail(f"{reason} ({type(exc).__name__}: {exc})")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI, a skip for a reason of :data:`REQUIRED_IN_CI` (e.g. ``if not SCDL_DIR.is_dir(): pytest.skip``)
    is a failure."""
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and in_ci()) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if any(word in reason for word in REQUIRED_IN_CI):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where it must run: {reason}"


@pytest.fixture
def shared_dir() -> Path:
    return require_shared()


@pytest.fixture
def scdl_dir() -> Path:
    require_shared()
    return SCDL_DIR

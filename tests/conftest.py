"""Shared pytest fixtures: where the read-only reference material lives."""

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_ROOT.parent / "shared"
SCDL_DIR = SHARED_DIR / "scdl"


def require_shared() -> Path:
    """Skip the calling test when ../shared (reference schemas) is not there."""
    if not SCDL_DIR.is_dir():
        pytest.skip(f"reference material not found at {SCDL_DIR} (../shared is absent on this machine)")
    return SHARED_DIR


@pytest.fixture
def shared_dir() -> Path:
    return require_shared()


@pytest.fixture
def scdl_dir() -> Path:
    require_shared()
    return SCDL_DIR

"""Session fixtures for the portal tests: the REAL udata 17.18.0 on 127.0.0.1 and a fault-injecting proxy.

udata lives in its own virtualenv (``scripts/setup_udata.sh`` creates it; ``ODP_UDATA_VENV`` overrides the
location). When it is absent the udata tests are skipped with the command to run.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from tests.portals.fault_proxy import FaultProxy

HERE = Path(__file__).resolve().parent
UDATA_VENV = Path(
    os.environ.get("ODP_UDATA_VENV")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "opendata_publisher" / "udata-venv"
)
UDATA_PYTHON = UDATA_VENV / "bin" / "python"
START_TIMEOUT_S = 90


def udata_available() -> bool:
    return UDATA_PYTHON.is_file() and any(UDATA_VENV.glob(".odp-udata-*"))


@pytest.fixture(scope="session")
def udata_portal(tmp_path_factory):
    """Start udata_server.py in udata's venv; yield its JSON (base_url, api_key, org_id…)."""
    yield from udata_session(tmp_path_factory.mktemp("udata-fs"))


def udata_session(fs_root: Path, seed: Path = None):
    """Run one udata_server.py (optionally with ``--seed`` JSON) for the caller's fixture; yields its JSON."""
    if not udata_available():
        pytest.skip(f"udata 17.18.0 virtualenv not found at {UDATA_VENV}: run scripts/setup_udata.sh (make test does)")
    log_path = fs_root.parent / f"{fs_root.name}-udata-server.log"
    log = open(log_path, "wb")  # noqa: SIM115 - kept open for the server's lifetime
    seed_args = ["--seed", str(seed)] if seed else []
    proc = subprocess.Popen(
        [str(UDATA_PYTHON), str(HERE / "udata_server.py"), "--fs-root", str(fs_root), *seed_args],
        stdout=subprocess.PIPE,
        stderr=log,
        cwd=str(fs_root),
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")},
    )
    result = {}

    def _read():
        line = proc.stdout.readline()
        if line:
            result.update(json.loads(line))

    reader = threading.Thread(target=_read, daemon=True)
    reader.start()
    reader.join(START_TIMEOUT_S)
    if not result:
        proc.kill()
        log.close()
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        pytest.fail(f"udata did not start within {START_TIMEOUT_S} s:\n{tail}")
    try:
        yield result
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def udata_proxy(udata_portal):
    proxy = FaultProxy("127.0.0.1", int(udata_portal["port"]))
    yield proxy
    proxy.close()


@pytest.fixture
def fault_proxy(udata_proxy):
    """The proxy in front of udata, with no rule and an empty log for each test."""
    udata_proxy.reset()
    yield udata_proxy
    udata_proxy.reset()


@pytest.fixture(scope="session")
def ckan_portal():
    """The REAL CKAN 2.11.6 on a throw-away PostgreSQL cluster (tests/portals/ckan_fixture.py); skips with the
    command to run when CKAN's virtualenv or PostgreSQL is absent."""
    from tests.portals.ckan_fixture import ckan_portal_session

    yield from ckan_portal_session()


def pytest_terminal_summary(terminalreporter):
    """The fault matrix (cases x portal) of test_fault_matrix.py, when it ran."""
    import sys

    matrix = sys.modules.get("tests.portals.test_fault_matrix")
    if matrix is not None:
        matrix.write_matrix(terminalreporter)

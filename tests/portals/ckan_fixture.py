"""A real CKAN 2.11.6 for the tests: a throw-away PostgreSQL cluster plus CKAN served on 127.0.0.1.

Used by the session fixture ``ckan_portal`` (tests/portals/conftest.py imports it). Pure standard library:
CKAN itself runs in its own virtualenv (``scripts/setup_ckan.sh``, run by ``make test``) through
``tests/portals/ckan_server.py``.

- The cluster: ``initdb`` into a temporary folder (as the ``postgres`` user when the tests run as root,
  since PostgreSQL refuses to run as root), trust authentication, a free port on 127.0.0.1, its socket in
  the same folder; stopped and deleted at the end of the session.
- CKAN: ``ckan_server.py`` creates the tables, three users with API tokens generated at run time
  (``odp-agent`` editor of ``odp-test-org``, ``odp-outsider`` without organisation, ``odp-admin``
  sysadmin) and serves until the session ends.

Everything missing (CKAN's venv, PostgreSQL) makes the tests skip with the reason and the command that
installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

HERE = Path(__file__).resolve().parent
SERVER_SCRIPT = HERE / "ckan_server.py"
CKAN_VENV = Path(
    os.environ.get("OPENDATA_PUBLISHER_CKAN_VENV")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "opendata_publisher" / "ckan-venv"
)
SETUP_HINT = "run scripts/setup_ckan.sh (make test does) to install it"
START_TIMEOUT_S = 120
MAX_RESOURCE_SIZE_MB = 1  # CKAN's own upload limit in the test portal (answer: 409 "File upload too large")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ckan_python() -> Path:
    return CKAN_VENV / "bin" / "python"


def pg_bin_dir() -> Optional[Path]:
    """Folder holding initdb and pg_ctl (Debian keeps them out of PATH)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    for candidate in candidates:
        if (candidate.parent / "pg_ctl").exists():
            return candidate.parent
    return None


def skip_reason() -> str:
    """Why the CKAN tests cannot run here ("" when they can)."""
    if not ckan_python().exists():
        return f"CKAN's virtualenv is absent ({CKAN_VENV}): {SETUP_HINT}"
    if pg_bin_dir() is None:
        return f"PostgreSQL (initdb, pg_ctl) is not installed: {SETUP_HINT}"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start PostgreSQL as the postgres user"
    return ""


class PostgresCluster:
    """A private PostgreSQL cluster in a temporary folder, listening on 127.0.0.1:<port>."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "pgdata"
        self.socket_dir = root / "socket"
        self.port = free_port()
        self.bin = pg_bin_dir()
        self.user = "ckan"
        self.started = False

    def _cmd(self, *args: str) -> List[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        subprocess.run(
            self._cmd("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--no-sync"),
            check=True,
            capture_output=True,
            env=env,
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.socket_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            self._cmd("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "pg.log"), "-w", "start"),
            check=True,
            capture_output=True,
            env=env,
        )
        self.started = True
        subprocess.run(
            self._cmd("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "ckan"),
            check=True,
            capture_output=True,
            env=env,
        )

    @property
    def db_url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/ckan"

    def stop(self) -> None:
        if self.started:
            subprocess.run(
                self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                capture_output=True,
            )
            self.started = False


@dataclass
class CkanPortal:
    """What the tests get: the portal's URL, the tokens (generated at run time) and helpers acting on the
    portal side with the sysadmin token (what another person would do in CKAN's web interface)."""

    url: str
    tokens: Dict[str, str]
    organisation: Dict[str, str]
    storage: Path
    log_path: Path
    extra: Dict[str, Any] = field(default_factory=dict)

    def action(self, name: str, data: Optional[dict] = None, token_user: str = "odp-admin") -> Any:
        """Call a CKAN action directly (urllib, not the plugin's code); returns ``result``."""
        body = json.dumps(data or {}).encode("utf-8")
        req = urllib.request.Request(
            f"{self.url}/api/3/action/{name}",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": self.tokens[token_user]},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as answer:
                return json.loads(answer.read().decode("utf-8"))["result"]
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{name} failed on the test portal: {exc.code} {exc.read()[:500]!r}") from exc

    def org_datasets(self) -> List[dict]:
        """Every dataset of the test organisation, read from the database (package_search needs Solr)."""
        names = self.action("package_list", {"limit": 1000})
        result = []
        for name in names:
            pkg = self.action("package_show", {"id": name})
            if pkg.get("owner_org") == self.organisation["id"]:
                result.append(pkg)
        return result


class CkanServer:
    """PostgreSQL cluster + CKAN process for one test session."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="odp-ckan-"))
        os.chmod(self.tmp, 0o755)  # the postgres user must reach its cluster folder inside
        self.cluster = PostgresCluster(self.tmp / "pg")
        self.workdir = self.tmp / "ckan"
        self.process: Optional[subprocess.Popen] = None
        self.portal: Optional[CkanPortal] = None

    def start(self) -> CkanPortal:
        self.cluster.start()
        self.workdir.mkdir()
        port = free_port()
        log_path = self.workdir / "ckan.log"
        log_file = open(log_path, "wb")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                str(ckan_python()),
                str(SERVER_SCRIPT),
                "--workdir",
                str(self.workdir),
                "--port",
                str(port),
                "--db-url",
                self.cluster.db_url,
                "--max-resource-size-mb",
                str(MAX_RESOURCE_SIZE_MB),
            ],
            stdout=subprocess.PIPE,
            stderr=log_file,
            stdin=subprocess.DEVNULL,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        log_file.close()
        line = self._read_ready_line()
        info = json.loads(line)
        self.portal = CkanPortal(
            url=info["url"],
            tokens=info["tokens"],
            organisation=info["organisation"],
            storage=Path(info["storage"]),
            log_path=log_path,
        )
        self._wait_http(info["url"])
        return self.portal

    def _read_ready_line(self) -> str:
        result: Dict[str, str] = {}

        def reader() -> None:
            for raw in self.process.stdout:
                text = raw.decode("utf-8", "replace").strip()
                if text.startswith("{") and '"ready"' in text:
                    result["line"] = text
                    return

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        thread.join(START_TIMEOUT_S)
        if "line" not in result:
            log = (self.workdir / "ckan.log").read_text("utf-8", "replace")[-3000:]
            self.stop()
            raise RuntimeError(f"CKAN did not start in {START_TIMEOUT_S} s; end of its log:\n{log}")
        return result["line"]

    @staticmethod
    def _wait_http(url: str) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            if self.process.stdout:
                self.process.stdout.close()
            self.process = None
        self.cluster.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


TEST_MASTER_PASSWORD = "opendata-publisher-tests"  # throw-away auth database of the test profile


def store_token(name: str, token: str) -> str:
    """Put a token in the QGIS authentication database (as the plugin does) and return the authcfg id.

    The master password of the test profile's throw-away database is set when nobody did it yet; a test is
    skipped when another password locks the database."""
    import pytest
    from qgis.core import QgsApplication

    from opendata_publisher.toolbelt.auth import store_api_key

    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet() and not manager.setMasterPassword(TEST_MASTER_PASSWORD, True):
        # A previous run left a hash of a random password in the test profile (pytest-qgis's .qgis-settings or
        # a temp folder): start a fresh database there. Never done on a real profile.
        db_path = Path(QgsApplication.qgisAuthDatabaseFilePath()).resolve()
        test_profile = ".qgis-settings" in db_path.parts or Path(tempfile.gettempdir()).resolve() in db_path.parents
        if not test_profile:
            pytest.skip(f"the QGIS authentication database {db_path} is locked by another master password")
        manager.eraseAuthenticationDatabase(False)
        if not manager.setMasterPassword(TEST_MASTER_PASSWORD, True):
            pytest.skip(f"the QGIS authentication database {db_path} is locked by another master password")
    authcfg = _STORED.get(token, "")
    if not authcfg or authcfg not in manager.configIds():
        authcfg = _STORED[token] = store_api_key(name, token)
    return authcfg


_STORED: Dict[str, str] = {}  # token -> authcfg, for this test session


def ckan_portal_session():
    """Generator for a session-scoped pytest fixture: yields a :class:`CkanPortal` or skips."""
    import pytest

    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    server = CkanServer()
    try:
        portal = server.start()
    except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
        server.stop()
        detail = getattr(exc, "stderr", b"") or b""
        raise RuntimeError(f"could not start the test CKAN: {exc} {detail.decode('utf-8', 'replace')[-2000:]}") from exc
    try:
        yield portal
    finally:
        server.stop()


if __name__ == "__main__":  # manual check: python tests/portals/ckan_fixture.py
    why = skip_reason()
    if why:
        raise SystemExit(why)
    started = time.monotonic()
    srv = CkanServer()
    try:
        p = srv.start()
        print("started in", round(time.monotonic() - started, 1), "s:", p.url, p.organisation)
        print(p.action("organization_list_for_user", {"permission": "create_dataset"}, token_user="odp-agent"))
    finally:
        srv.stop()

"""A real PostgreSQL + PostGIS server for the tests: a throw-away cluster (``initdb`` / ``pg_ctl``) in a
temporary folder, on a free port of 127.0.0.1, trust authentication, deleted at the end.

Debian's ``postgresql`` and ``postgresql-15-postgis-3`` packages (scripts/bootstrap.sh installs them).
When they are absent the tests skip with the reason (:func:`skip_reason`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import List, Optional

from tests.portals.ckan_fixture import free_port, pg_bin_dir

SETUP_HINT = "apt-get install postgresql postgresql-15-postgis-3 (scripts/bootstrap.sh does it)"


def postgis_available(bin_dir: Path) -> bool:
    share = Path(str(bin_dir).replace("/lib/postgresql/", "/share/postgresql/")).parent / "extension"
    return any(share.glob("postgis.control"))


def skip_reason() -> str:
    """Why PostGIS tests cannot run here ("" when they can)."""
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        return f"PostgreSQL (initdb, pg_ctl) for the PostGIS tests is not installed: {SETUP_HINT}"
    if not postgis_available(bin_dir):
        return f"the PostGIS extension is not installed: {SETUP_HINT}"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start PostgreSQL as the postgres user"
    return ""


class PostgisServer:
    """A private cluster with one database ``odp`` where the ``postgis`` extension is created."""

    user = "odp"
    dbname = "odp"

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="odp-postgis-"))
        self.data = self.root / "pgdata"
        self.socket_dir = self.root / "socket"
        self.port = free_port()
        self.bin = pg_bin_dir()
        self.started = False

    def _cmd(self, *args: str) -> List[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        return subprocess.run(self._cmd(*args), check=True, capture_output=True, env=env, text=True)

    def start(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.socket_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "pg.log"), "-w", "start")
        self.started = True
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, self.dbname)
        self.sql("CREATE EXTENSION postgis")

    def sql(self, statement: str, stdin: Optional[str] = None) -> str:
        """Run SQL with psql (``ON_ERROR_STOP``); returns its unaligned output."""
        psql = str(self.bin / "psql")
        command = [psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port)]
        command += ["-U", self.user, "-d", self.dbname, "-c", statement]
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", PGOPTIONS="-c client_min_messages=warning")
        done = subprocess.run(command, check=True, capture_output=True, env=env, text=True, input=stdin)
        return done.stdout

    def uri(self, table: str, geometry: str = "geom", key: str = "id", sql: str = "", schema: str = "public") -> str:
        """A QGIS ``postgres`` provider data source for ``table``."""
        text = f"dbname='{self.dbname}' host=127.0.0.1 port={self.port} user='{self.user}' sslmode=disable"
        text += f' key=\'{key}\' table="{schema}"."{table}"'
        if geometry:
            text += f" ({geometry})"
        if sql:
            text += f" sql={sql}"
        return text

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

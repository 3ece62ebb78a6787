"""API keys in the QGIS authentication database (throw-away test database, keys generated at run time)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings

from opendata_publisher.core.portals.base import PortalConnection
from opendata_publisher.core.portals.connections import GROUP, list_connections, remove_connection, save_connection
from opendata_publisher.toolbelt.auth import AuthError, api_key, has_api_key, remove_api_key, store_api_key

PROJECT_ROOT = Path(__file__).resolve().parents[2]


TEST_MASTER_PASSWORD = "opendata-publisher-tests"  # throw-away auth database of the test profile (as tests/portals)


@pytest.fixture(scope="module")
def auth_manager(qgis_app):
    """The auth manager of the pytest profile, its master password set (a fresh database when another run
    locked it with another password). Never done on a real profile."""
    manager = QgsApplication.authManager()
    database = Path(manager.authenticationDatabasePath() or QgsApplication.qgisAuthDatabaseFilePath()).resolve()
    if not manager.masterPasswordIsSet() and not manager.setMasterPassword(TEST_MASTER_PASSWORD, True):
        test_profile = ".qgis-settings" in database.parts or Path(tempfile.gettempdir()).resolve() in database.parents
        if not test_profile:
            pytest.skip(f"refusing to touch a real QGIS authentication database: {database}")
        manager.eraseAuthenticationDatabase(False)
        assert manager.setMasterPassword(TEST_MASTER_PASSWORD, True), f"cannot unlock the test database {database}"
    return manager


def test_round_trip_update_and_remove(auth_manager):
    key = "udata_" + secrets.token_hex(20)
    authcfg = store_api_key("Portail de test", key)
    assert authcfg in auth_manager.configIds() and has_api_key(authcfg)
    assert api_key(authcfg) == key

    newer = secrets.token_hex(24)
    assert store_api_key("Portail de test", newer, authcfg) == authcfg
    assert api_key(authcfg) == newer

    remove_api_key(authcfg)
    assert not has_api_key(authcfg)
    with pytest.raises(AuthError) as caught:
        api_key(authcfg)
    assert "n'existe plus" in str(caught.value) and newer not in str(caught.value)


def test_empty_key_and_missing_config_are_french_errors(auth_manager):
    with pytest.raises(AuthError, match="clé d'API est vide"):
        store_api_key("x", "   ")
    with pytest.raises(AuthError, match="Aucune clé d'API"):
        api_key("")


def test_connection_settings_never_hold_the_key(auth_manager):
    key = secrets.token_hex(20)
    authcfg = store_api_key("data.gouv.fr test", key)
    connection = PortalConnection(
        name="Test udata", portal_type="udata", base_url="http://127.0.0.1:5000", organisation="org", authcfg=authcfg
    )
    save_connection(connection)
    try:
        settings = QgsSettings()
        settings.sync()
        assert key not in Path(settings.fileName()).read_text(encoding="utf-8", errors="replace")
        [stored] = [c for c in list_connections() if c.name == "Test udata"]
        assert stored.authcfg == authcfg
        assert api_key(stored.authcfg) == key
    finally:
        assert remove_connection("Test udata", remove_key=True)
    assert not has_api_key(authcfg)
    assert not [k for k in QgsSettings().allKeys() if k.startswith(GROUP) and "Test%20udata" in k]


HEADLESS_READ = r"""
import sys
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
sys.path.insert(0, sys.argv[1])
from opendata_publisher.toolbelt.auth import AuthError, api_key
try:
    api_key(sys.argv[2])
except AuthError as exc:
    print("AUTHERROR", exc)
else:
    print("READ")
"""


def test_master_password_not_entered_headless_is_a_french_error(tmp_path, auth_manager):
    """A process that never got the master password (qgis_process, a task) gets AuthError, never a hang."""
    key = secrets.token_hex(20)
    authcfg = store_api_key("headless", key)
    try:
        copy = tmp_path / "auth"
        copy.mkdir()
        shutil.copy(auth_manager.authenticationDatabasePath(), copy / "qgis-auth.db")
        env = dict(os.environ, QGIS_AUTH_DB_DIR_PATH=str(copy), QT_QPA_PLATFORM="offscreen")
        env["QGIS_CUSTOM_CONFIG_PATH"] = str(tmp_path / "profile")
        result = subprocess.run(
            [sys.executable, "-c", HEADLESS_READ, str(PROJECT_ROOT), authcfg],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    finally:
        remove_api_key(authcfg)
    assert "AUTHERROR" in result.stdout, result.stdout + result.stderr
    assert "mot de passe principal" in result.stdout
    assert key not in result.stdout + result.stderr

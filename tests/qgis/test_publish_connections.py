"""Portal connections in QgsSettings, folder: pseudo-connections."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata_publisher.core.portals.base import PortalConnection, PortalError
from opendata_publisher.core.portals.connections import (
    FOLDER_PREFIX,
    default_folder,
    folder_connection,
    get_connection,
    list_connections,
    remove_connection,
    resolve_connection,
    save_connection,
)


@pytest.fixture
def clean(qgis_app):
    names = ["Orléans / ODS", "CKAN test"]
    yield names
    for name in names:
        remove_connection(name)


def test_add_update_get_remove(clean):
    ods = PortalConnection(
        name="Orléans / ODS",
        portal_type="opendatasoft",
        base_url="https://data.orleans-metropole.fr",
        organisation="orleans-metropole",
        authcfg="abc1234",
        timeout_s=90,
    )
    save_connection(ods)
    save_connection(PortalConnection(name="CKAN test", portal_type="ckan", base_url="http://127.0.0.1:5000"))
    names = [c.name for c in list_connections()]
    assert "Orléans / ODS" in names and "CKAN test" in names
    assert get_connection("Orléans / ODS") == ods

    ods.private = True
    ods.chunk_size_mb = 20
    save_connection(ods)
    assert [c.name for c in list_connections()].count("Orléans / ODS") == 1
    assert get_connection("Orléans / ODS").private is True and get_connection("Orléans / ODS").chunk_size_mb == 20

    assert remove_connection("Orléans / ODS") is True
    assert get_connection("Orléans / ODS") is None
    assert remove_connection("Orléans / ODS") is False


def test_invalid_connections_are_refused(clean):
    with pytest.raises(ValueError, match="Type de portail inconnu"):
        save_connection(PortalConnection(name="CKAN test", portal_type="ftp", base_url="x"))
    with pytest.raises(ValueError, match="folder:"):
        save_connection(PortalConnection(name="folder:/tmp", portal_type="folder", base_url="/tmp"))
    with pytest.raises(ValueError):
        save_connection(PortalConnection(name="  ", portal_type="ckan", base_url="x"))


def test_folder_pseudo_connection_and_resolution(tmp_path, clean):
    connection = resolve_connection(f"folder:{tmp_path}")
    assert connection.portal_type == "folder" and Path(connection.base_url) == tmp_path
    assert connection.name == f"{FOLDER_PREFIX}{tmp_path}"
    assert folder_connection("").base_url == str(default_folder())
    assert resolve_connection("").base_url == str(default_folder())
    save_connection(PortalConnection(name="CKAN test", portal_type="ckan", base_url="http://127.0.0.1:5000"))
    assert resolve_connection("CKAN test").portal_type == "ckan"
    with pytest.raises(PortalError) as caught:
        resolve_connection("Portail inconnu")
    assert "Connexion « Portail inconnu » inconnue" in str(caught.value) and "CKAN test" in str(caught.value)

"""The catalogue client with its real default fetcher (toolbelt.network.fetch_bytes,
QGIS network stack) against a real HTTP server on 127.0.0.1.

The server serves a catalogue built from the real schema.data.gouv.fr entries
(../shared/scdl/_catalogue/schemas.json) whose schema URLs are rewritten to
point at the server, and the schema files of ../shared/scdl read in place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opendata_publisher.core.schema.catalogue import (
    CatalogueError,
    SchemaCatalogue,
    load_schema_reference,
)
from opendata_publisher.toolbelt import network
from tests.helpers.http_server import LocalHTTPServer

SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
SCDL_DIR = SHARED_DIR / "scdl"

# catalogue name -> (folder in shared/scdl, versions available there)
SERVED = {
    "etalab/schema-stationnement": ("stationnement", ["0.1.5"]),
    "atlasante/schema-dae": ("dae", ["1.0.7"]),
}


def _hits(server: LocalHTTPServer, path: str) -> int:
    return sum(1 for request in server.requests if request.path == path)


@pytest.fixture
def server():
    if not SCDL_DIR.is_dir():
        pytest.skip(f"reference material not found at {SCDL_DIR} (../shared is absent on this machine)")
    with LocalHTTPServer() as srv:
        raw = json.loads((SCDL_DIR / "_catalogue" / "schemas.json").read_text(encoding="utf-8"))
        schemas = []
        for item in raw["schemas"]:
            if item["name"] not in SERVED:
                continue
            folder, local_versions = SERVED[item["name"]]
            item = dict(item)
            item["versions"] = [
                {
                    "version_name": v["version_name"],
                    "schema_url": srv.url(f"/schemas/{item['name']}/{v['version_name']}/schema.json"),
                }
                for v in item["versions"]
            ]
            item["schema_url"] = srv.url(f"/schemas/{item['name']}/latest/schema.json")
            schemas.append(item)
            for version in local_versions:
                data = (SCDL_DIR / folder / version / "schema.json").read_bytes()
                srv.route(f"/schemas/{item['name']}/{version}/schema.json", body=data)
        # one entry of another type, to check the filter on real HTTP data too
        schemas.append({"name": "etalab/schema-bal", "title": "BAL", "schema_type": "other", "versions": []})
        srv.route("/schemas.json", body={"version": 1, "schemas": schemas})
        srv.route("/schemas/etalab/schema-stationnement/0.1.4/schema.json", status=404, body="Page introuvable")
        srv.route("/broken.json", body=b'{"fields": [ {"name": "a"} ')
        yield srv


def test_listing_and_fetching_through_qgis(server: LocalHTTPServer, tmp_path: Path):
    cat = SchemaCatalogue(server.url("/schemas.json"), tmp_path / "cache")  # default fetcher
    names = [e.name for e in cat.entries()]
    assert names == ["atlasante/schema-dae", "etalab/schema-stationnement"]  # SCDL (DAE) first
    assert cat.offline is False
    stationnement = cat.find("schema-stationnement")
    assert stationnement.versions == ["0.1.5", "0.1.4"]
    schema = cat.fetch_schema("etalab/schema-stationnement")
    assert "Xlong" in schema.field_names()
    assert schema.source == server.url("/schemas/etalab/schema-stationnement/0.1.5/schema.json")
    assert (tmp_path / "cache" / "schemas" / "etalab" / "schema-stationnement" / "0.1.5" / "schema.json").is_file()
    cat.fetch_schema("etalab/schema-stationnement", "0.1.5")
    assert _hits(server, "/schemas/etalab/schema-stationnement/0.1.5/schema.json") == 1  # second time from disk
    dae = load_schema_reference("atlasante/schema-dae@1.0.7", cat)
    assert "lat_coor1" in dae.field_names()


def test_server_stopped_uses_cached_copy(server: LocalHTTPServer, tmp_path: Path):
    cache = tmp_path / "cache"
    url = server.url("/schemas.json")
    SchemaCatalogue(url, cache).fetch_schema("atlasante/schema-dae")
    server.stop()
    cat = SchemaCatalogue(url, cache)
    entries = cat.entries(refresh=True)
    assert [e.name for e in entries] == ["atlasante/schema-dae", "etalab/schema-stationnement"]
    assert cat.offline is True and cat.cached_at is not None
    assert "lat_coor1" in cat.fetch_schema("atlasante/schema-dae", refresh=True).field_names()
    with pytest.raises(CatalogueError) as info:
        cat.fetch_schema("etalab/schema-stationnement")  # never downloaded
    message = str(info.value)
    assert "Impossible de télécharger le schéma « etalab/schema-stationnement »" in message
    assert isinstance(info.value.__cause__, network.NetworkError)


def test_missing_schema_gives_french_404_message(server: LocalHTTPServer, tmp_path: Path):
    cat = SchemaCatalogue(server.url("/schemas.json"), tmp_path / "cache")
    with pytest.raises(CatalogueError) as info:
        cat.fetch_schema("etalab/schema-stationnement", "0.1.4")  # listed, but the server has no file
    message = str(info.value)
    assert "404" in message and "introuvable" in message.lower()
    assert "Page introuvable" in message  # the server's own text
    cause = info.value.__cause__
    assert isinstance(cause, network.NetworkError) and cause.status == 404


def test_no_server_and_no_cache(server: LocalHTTPServer, tmp_path: Path):
    url = server.url("/schemas.json")
    server.stop()
    with pytest.raises(CatalogueError) as info:
        SchemaCatalogue(url, tmp_path / "cache").entries()
    assert "Impossible de télécharger le catalogue des schémas" in str(info.value)
    assert "réessayez" in str(info.value)


def test_url_schema_broken_json(server: LocalHTTPServer, tmp_path: Path):
    from opendata_publisher.core.schema.model import SchemaError

    cat = SchemaCatalogue(server.url("/schemas.json"), tmp_path / "cache")
    with pytest.raises(SchemaError, match="n'est pas un JSON valide"):
        load_schema_reference(server.url("/broken.json"), cat)

"""Serve the REAL udata (PyPI udata==17.18.0) on 127.0.0.1 for the portal tests.

Run inside udata's own virtualenv (created by ``scripts/setup_udata.sh``), never imported by the plugin or by
pytest itself::

    <udata-venv>/bin/python tests/portals/udata_server.py --port 0 --fs-root /tmp/x

udata needs MongoDB; as described in ../shared/guides/portal-apis.md §1.12 it runs here with mongomock
as its database (in memory, in this process), the cache disabled and Celery tasks run eagerly. The
launcher seeds what a real data.gouv.fr account has: a user, an organisation the user administers,
a second organisation the user is NOT a member of, the data.gouv.fr licences, a few spatial zones and an
API key generated now (never stored). A tiny second HTTP server (also 127.0.0.1) serves a schema catalogue
so that udata can validate ``schema {name, version}`` on resources without Internet access.

When ready it prints one JSON line on stdout: ``{"base_url", "port", "api_key", "user_id", "org_id",
"org_slug", "other_org_id"}`` and then serves until killed. Test-only code (AGPL udata is not imported by
the plugin).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCHEMA_CATALOG = {
    "$schema": "https://opendataschema.frama.io/catalog/schema-catalog.json",
    "version": 1,
    "schemas": [
        {
            "name": "etalab/schema-stationnement",
            "title": "Stationnement",
            "description": "Lieux de stationnement",
            "schema_url": "https://schema.data.gouv.fr/schemas/etalab/schema-stationnement/latest/schema.json",
            "schema_type": "tableschema",
            "contact": "contact@example.org",
            "examples": [],
            "labels": ["Socle Commun des Données Locales"],
            "consolidation_dataset_id": None,
            "versions": [
                {
                    "version_name": v,
                    "schema_url": f"https://schema.data.gouv.fr/schemas/etalab/schema-stationnement/{v}/schema.json",
                }
                for v in ("0.1.0", "0.2.0", "0.2.2", "0.2.3")
            ],
            "external_doc": None,
            "external_tool": None,
            "homepage": "https://github.com/etalab/schema-stationnement",
        }
    ],
}

LICENCES = [
    ("lov2", "Licence Ouverte / Open Licence version 2.0", "https://www.etalab.gouv.fr/licence-ouverte-open-licence"),
    ("odc-odbl", "Open Data Commons Open Database License (ODbL)", "https://opendatacommons.org/licenses/odbl/"),
    ("fr-lo", "Licence Ouverte / Open Licence", "https://www.etalab.gouv.fr/licence-ouverte-open-licence"),
    ("cc-by", "Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by"),
    ("notspecified", "License Not Specified", None),
]

ZONES = [
    ("fr:commune", "Commune", 40, "45234", "Orléans"),
    ("fr:epci", "EPCI", 38, "244500468", "Orléans Métropole"),
    ("fr:departement", "Département", 30, "45", "Loiret"),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_catalog() -> str:
    body = json.dumps(SCHEMA_CATALOG).encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/schemas.json"


def _seed(seed: dict) -> dict:
    """Create the organisations and datasets of ``seed`` directly in the database, with the dates given.

    ``{"organizations": [{"name", "datasets": [{"title", "description", "frequency", "license", "tags",
    "last_update": ISO date, "resources": [{"title", "url", "format", "schema": {"name", "version"}}]}]}]}``.
    The API cannot back-date a dataset: this is how a test gets a late one. Returns ``{org name: org id}``.
    """
    from datetime import datetime

    from udata.core.dataset.models import Dataset, Resource, Schema
    from udata.core.organization.models import Organization

    created = {}
    for org_data in seed.get("organizations", []):
        org = Organization(name=org_data["name"], description=org_data.get("description") or org_data["name"]).save()
        created[org.name] = str(org.id)
        for data in org_data.get("datasets", []):
            when = datetime.fromisoformat(data["last_update"]) if data.get("last_update") else datetime.utcnow()
            resources = []
            for res in data.get("resources", []):
                schema = Schema(**res["schema"]) if res.get("schema") else None
                resources.append(
                    Resource(
                        title=res["title"],
                        url=res["url"],
                        filetype="remote",
                        format=res.get("format", "csv"),
                        schema=schema,
                        last_modified_internal=when,
                    )
                )
            Dataset(
                title=data["title"],
                description=data.get("description") or data["title"],
                organization=org,
                frequency=data.get("frequency") or "unknown",
                license=data.get("license") or "lov2",
                tags=data.get("tags") or [],
                resources=resources,
                last_modified_internal=when,
            ).save()
    return created


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fs-root", required=True)
    parser.add_argument("--seed", help="JSON file of extra catalogue schemas, organisations and datasets (see _seed)")
    args = parser.parse_args()
    seed = {}
    if args.seed:
        with open(args.seed, encoding="utf-8") as handle:
            seed = json.load(handle)
    SCHEMA_CATALOG["schemas"].extend(seed.get("schemas", []))

    import mongomock
    from udata.app import create_app, standalone
    from werkzeug.serving import make_server

    port = args.port or _free_port()
    base_url = f"http://127.0.0.1:{port}"
    mongo_uri = "mongodb://localhost:27017/udata"

    class Override:
        TESTING = False
        DEBUG = False
        SERVER_NAME = f"127.0.0.1:{port}"
        CDATA_BASE_URL = base_url  # gives datasets their "page" URL
        MONGODB_HOST = mongo_uri
        MONGODB_SETTINGS = {"host": mongo_uri, "name": "udata", "mongo_client_class": mongomock.MongoClient}
        SECRET_KEY = "test-secret-not-a-credential"
        API_TOKEN_SECRET = "test-token-secret-not-a-credential"
        CACHE_TYPE = "NullCache"
        CELERY_TASK_ALWAYS_EAGER = True
        URLS_ALLOW_LOCAL = True
        URLS_ALLOW_PRIVATE = True
        FS_ROOT = args.fs_root
        SCHEMA_CATALOG_URL = _serve_catalog()
        SEARCH_SERVICE_API_URL = None
        PREFERRED_URL_SCHEME = "http"

    app = standalone(create_app(override=Override))
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from udata.core.api_token.models import ApiToken
    from udata.core.dataset.models import License
    from udata.core.organization.models import Member, Organization
    from udata.core.spatial.models import GeoLevel, GeoZone
    from udata.core.user.models import User

    with app.app_context():
        for lid, title, url in LICENCES:
            License(id=lid, title=title, url=url).save()
        for level, name, admin_level, code, zone_name in ZONES:
            if not GeoLevel.objects(id=level).first():
                GeoLevel(id=level, name=name, admin_level=admin_level).save()
            GeoZone(id=f"{level}:{code}", slug=zone_name.lower(), name=zone_name, code=code, level=level).save()
        user = User(first_name="SIG", last_name="Métropole", email="sig@example.org", active=True).save()
        other = User(first_name="Autre", last_name="Compte", email="autre@example.org", active=True).save()
        org = Organization(
            name="Orléans Métropole test", description="Organisation de test", members=[Member(user=user, role="admin")]
        ).save()
        other_org = Organization(
            name="Organisation étrangère", description="Sans nous", members=[Member(user=other, role="admin")]
        ).save()
        _token, plaintext = ApiToken.generate(user, name="opendata_publisher tests")
        info = {
            "base_url": base_url,
            "port": port,
            "api_key": plaintext,
            "user_id": str(user.id),
            "org_id": str(org.id),
            "org_slug": org.slug,
            "other_org_id": str(other_org.id),
            "seeded": _seed(seed),
        }

    server = make_server("127.0.0.1", port, app, threaded=False)
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())

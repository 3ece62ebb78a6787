"""Run a real CKAN 2.11 on 127.0.0.1 for the plugin's integration tests.

This script runs in CKAN's OWN virtualenv (made by ``scripts/setup_ckan.sh``), never in the plugin's: it is
started and stopped by ``tests/portals/ckan_fixture.py``. It needs a PostgreSQL database (the fixture
starts a throw-away cluster) and no Solr, no Redis: the package search index is replaced by CKAN's own
``NoopSearchIndex`` (see ../shared/guides/portal-apis.md §3.3-3.4), so dataset writes do not need Solr;
``package_search`` and ``organization_show`` still fail, and the plugin does not use them.

Steps: write ``ckan.ini`` (``ckan generate config`` + our settings), create the tables, create the users
``odp-admin`` (sysadmin, for portal-side changes made by the tests), ``odp-agent`` (editor of the
organisation ``odp-test-org``) and ``odp-outsider`` (no organisation), an API token for each (generated
now: nothing secret is stored anywhere), print one JSON line ``{"ready": true, ...}`` on stdout, then serve
until killed.

Usage: ckan_server.py --workdir DIR --port PORT --db-url postgresql://... [--max-resource-size-mb N]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

ORG_NAME = "odp-test-org"
ORG_TITLE = "Métropole de test"
USERS = {
    "odp-admin": {"sysadmin": True},
    "odp-agent": {"role": "editor"},
    "odp-outsider": {},
}


def _set_option(text: str, key: str, value: str) -> str:
    """Set ``key = value`` in the [app:main] section of an ini text (replaces a commented or set line)."""
    pattern = re.compile(rf"^#?\s*{re.escape(key)}\s*=.*$", re.MULTILINE)
    line = f"{key} = {value}"
    if pattern.search(text):
        return pattern.sub(lambda _m: line, text, count=1)
    return text.replace("[app:main]\n", f"[app:main]\n{line}\n", 1)


def write_config(workdir: Path, port: int, db_url: str, max_resource_size_mb: int) -> Path:
    ini = workdir / "ckan.ini"
    ckan_cli = Path(sys.executable).with_name("ckan")
    subprocess.run([str(ckan_cli), "generate", "config", str(ini)], check=True, capture_output=True)
    storage = workdir / "storage"
    storage.mkdir(exist_ok=True)
    text = ini.read_text(encoding="utf-8")
    options = {
        "sqlalchemy.url": db_url,
        "ckan.site_url": f"http://127.0.0.1:{port}",
        "ckan.storage_path": str(storage),
        "ckan.max_resource_size": str(max_resource_size_mb),
        # never reached (the package index is a no-op); a value is required at start-up
        "solr_url": "http://127.0.0.1:9/solr/ckan",
        "ckan.plugins": "",
        "ckan.auth.create_unowned_dataset": "false",
        "ckan.redis.url": "redis://127.0.0.1:9/0",
    }
    for key, value in options.items():
        text = _set_option(text, key, value)
    # quiet logs: only warnings on stderr
    text = re.sub(r"^(level\s*=\s*)(DEBUG|INFO)\s*$", r"\1WARNING", text, flags=re.MULTILINE)
    ini.write_text(text, encoding="utf-8")
    return ini


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--max-resource-size-mb", type=int, default=10)
    args = parser.parse_args()

    workdir = Path(args.workdir)
    ini = write_config(workdir, args.port, args.db_url, args.max_resource_size_mb)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))

    import ckan.lib.search as search
    import ckan.model as model
    from ckan.plugins import toolkit

    # The ckanext-pgsearch trick: dataset writes no longer index into Solr.
    search._INDICES["package"] = search.NoopSearchIndex

    flask_app = getattr(app, "_wsgi_app", app)
    tokens = {}
    with flask_app.test_request_context():
        model.repo.init_db()
        site_user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})
        context = {"ignore_auth": True, "user": site_user["name"]}
        for name, spec in USERS.items():
            user = toolkit.get_action("user_create")(
                dict(context),
                {"name": name, "email": f"{name}@example.org", "password": os.urandom(12).hex() + "Aa1!"},
            )
            if spec.get("sysadmin"):
                obj = model.User.get(user["id"])
                obj.sysadmin = True
                model.Session.commit()
            tokens[name] = toolkit.get_action("api_token_create")(dict(context), {"user": name, "name": "tests"})[
                "token"
            ]
        try:
            toolkit.get_action("organization_create")(
                dict(context, user="odp-admin"), {"name": ORG_NAME, "title": ORG_TITLE}
            )
        except Exception:  # noqa: BLE001 - the org is committed; only the package count (Solr) fails
            model.Session.rollback()
        org = model.Group.get(ORG_NAME)
        if org is None:
            raise SystemExit("organization_create did not create the organisation")
        for name, spec in USERS.items():
            if spec.get("role"):
                toolkit.get_action("organization_member_create")(
                    dict(context), {"id": org.id, "username": name, "role": spec["role"]}
                )

    info = {
        "ready": True,
        "url": f"http://127.0.0.1:{args.port}",
        "tokens": tokens,
        "organisation": {"id": org.id, "name": ORG_NAME, "title": ORG_TITLE},
        "storage": str(workdir / "storage"),
    }
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())

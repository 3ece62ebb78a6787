"""Issue 17: the nightly job. Headless ``qgis_process`` runs (no project, no dialog, no ``--PROJECT_PATH``) of
``publish_layer`` and ``publish_project`` against the REAL udata 17.18.0, the REAL CKAN 2.11.6 and a local
folder, with the portal key in a throw-away QGIS authentication database unlocked by
``QGIS_AUTH_PASSWORD_FILE`` (nothing secret on the command line)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from osgeo import ogr
from qgis.core import QgsProject, QgsVectorLayer

from opendata_publisher.core.metadata.layer_metadata import write_layer_description
from opendata_publisher.core.publish import SCHEMA_PROPERTY
from opendata_publisher.core.source_state import restore_settings, save_settings
from tests.qgis.test_publish_folder import GOOD_ROWS, SCHEMA, full_description, make_gpkg
from tests.qgis.test_qgis_process import PROJECT_ROOT, QGIS_PROCESS, write_profile

needs_qgis_process = pytest.mark.skipif(
    QGIS_PROCESS is None, reason="qgis_process.bin not installed (apt install qgis)"
)

STORE_KEY = """
import sys
sys.path.insert(0, sys.argv[1])
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
master, name, key = sys.stdin.read().split("\\n")[:3]
assert QgsApplication.authManager().setMasterPassword(master, True)
from opendata_publisher.toolbelt.auth import store_api_key
print("AUTHCFG=" + store_api_key(name, key))
app.exitQgis()
"""


class Headless:
    """A throw-away QGIS profile with the plugin enabled and its own authentication database."""

    def __init__(self, root: Path):
        self.profile = root / "profile"
        write_profile(self.profile)
        self.auth_dir = root / "auth"
        self.auth_dir.mkdir()
        self.password_file = root / "master-password.txt"
        self.password_file.write_text(secrets.token_urlsafe(18) + "\n", encoding="utf-8")
        os.chmod(self.password_file, 0o600)

    def env(self, with_password: bool = True):
        env = dict(os.environ)
        env.update(
            QGIS_PLUGINPATH=str(PROJECT_ROOT),
            QGIS_CUSTOM_CONFIG_PATH=str(self.profile),
            QGIS_AUTH_DB_DIR_PATH=str(self.auth_dir),
            QT_QPA_PLATFORM="offscreen",
            LC_ALL="C.UTF-8",
        )
        env.pop("QGIS_OPTIONS_PATH", None)
        env.pop("QGIS_AUTH_PASSWORD_FILE", None)
        if with_password:
            env["QGIS_AUTH_PASSWORD_FILE"] = str(self.password_file)
        return env

    def store_key(self, name: str, key: str) -> str:
        """The key in the profile's authentication database, as an agent stores it once in QGIS."""
        master = self.password_file.read_text(encoding="utf-8").strip()
        done = subprocess.run(
            [sys.executable, "-c", STORE_KEY, str(PROJECT_ROOT)],
            input=f"{master}\n{name}\n{key}\n",
            env=self.env(with_password=False),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        line = next((x for x in done.stdout.splitlines() if x.startswith("AUTHCFG=")), "")
        assert line, done.stdout + done.stderr
        return line.split("=", 1)[1]

    def run(self, algorithm: str, *params: str, with_password: bool = True, extra_env=None):
        return subprocess.run(
            [QGIS_PROCESS, "run", f"opendata_publisher:{algorithm}", *params],
            env=dict(self.env(with_password), **(extra_env or {})),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout[-4000:] + result.stderr[-4000:]


def decided_gpkg(path: Path, title: str, rows=GOOD_ROWS, schema: str = "") -> Path:
    """A GeoPackage checked and described once in the dock: its settings are kept inside it."""
    layer = make_gpkg(path, rows)
    description = full_description(title=title)
    description.identifier = f"nightly-{uuid.uuid4().hex[:10]}"
    write_layer_description(layer, description)
    if schema:
        layer.setCustomProperty(SCHEMA_PROPERTY, schema)
    assert save_settings(layer)
    return path


def retitle(path: Path, title: str) -> None:
    """The agent changes the title (dock, or another project): kept with the data."""
    layer = QgsVectorLayer(f"{path}|layername=parkings", "parkings", "ogr")
    restore_settings(layer)
    description = full_description(title=title)
    from opendata_publisher.core.metadata.layer_metadata import read_layer_description

    description.identifier = read_layer_description(layer).identifier
    write_layer_description(layer, description)
    assert save_settings(layer)


def change_data(path: Path) -> None:
    dataset = ogr.Open(str(path), 1)
    layer = dataset.GetLayerByName("parkings")
    feature = layer.GetNextFeature()
    feature.SetField("nb_places", "121")
    layer.SetFeature(feature)
    dataset = None


def udata_get(portal, path: str):
    from urllib.request import urlopen

    with urlopen(f"{portal['base_url']}/api/1/{path}", timeout=20) as answer:  # noqa: S310 - 127.0.0.1 only
        return json.loads(answer.read().decode("utf-8"))


def schema_json(tmp_path: Path) -> Path:
    path = tmp_path / "schema-stationnement.json"
    path.write_text(json.dumps(dict(SCHEMA, name="etalab/schema-stationnement", version="0.2.3")), encoding="utf-8")
    return path


@needs_qgis_process
def test_nightly_udata_schema_same_dataset_unchanged_data_and_password_file(udata_portal, tmp_path):
    headless = Headless(tmp_path)
    authcfg = headless.store_key("udata nightly", udata_portal["api_key"])
    gpkg = decided_gpkg(tmp_path / "parkings.gpkg", "Parkings nocturnes")
    portal = [
        f"--INPUT={gpkg}|layername=parkings",
        "--PORTAL_TYPE=udata",
        f"--PORTAL_URL={udata_portal['base_url']}",
        f"--ORGANISATION={udata_portal['org_slug']}",
        f"--AUTHCFG={authcfg}",
        "--ACCEPT_WARNINGS=true",
    ]
    summary = tmp_path / "rapport.json"

    # locked authentication database (no password file): nothing published, non-zero exit status, French reason
    locked = headless.run("publish_layer", *portal, f"--SCHEMA={schema_json(tmp_path)}", with_password=False)
    assert locked.returncode != 0
    assert "mot de passe principal" in output(locked)
    assert udata_portal["api_key"] not in output(locked)

    # first publication, the schema given once on the command line, the key unlocked from the password file
    first = headless.run("publish_layer", *portal, f"--SCHEMA={schema_json(tmp_path)}", f"--SUMMARY={summary}")
    assert first.returncode == 0, output(first)
    report = json.loads(summary.read_text(encoding="utf-8"))
    assert report["status"] == "published" and report["published"] and report["dataset_id"]
    assert report["check"] == {"errors": 0, "warnings": report["check"]["warnings"]}
    assert report["legal"] is not None and report["files"][0]["sent"] is True
    assert report["schema"]["name"] == "etalab/schema-stationnement"
    dataset = udata_get(udata_portal, f"datasets/{report['dataset_id']}/")
    assert dataset["title"] == "Parkings nocturnes"
    resource = dataset["resources"][0]
    assert resource["schema"]["name"] == "etalab/schema-stationnement" and resource["schema"]["version"] == "0.2.3"
    assert udata_portal["api_key"] not in summary.read_text(encoding="utf-8") + gpkg.read_bytes().decode("latin-1")

    # the title changed in the dock; the nightly run (no SCHEMA: the stored one) updates the same dataset and,
    # the data being the same, only its metadata: the file is not sent again
    retitle(gpkg, "Parkings nocturnes (titre modifié)")
    second = headless.run("publish_layer", *portal, f"--SUMMARY={summary}")
    assert second.returncode == 0, output(second)
    again = json.loads(summary.read_text(encoding="utf-8"))
    assert again["dataset_id"] == report["dataset_id"]
    assert again["unchanged"] is True and again["files"][0]["sent"] is False
    assert any("seules les métadonnées" in m for m in again["messages"])
    dataset = udata_get(udata_portal, f"datasets/{report['dataset_id']}/")
    assert dataset["title"] == "Parkings nocturnes (titre modifié)" and len(dataset["resources"]) == 1
    assert dataset["resources"][0]["url"] == resource["url"]  # the same stored file
    assert dataset["resources"][0]["schema"]["name"] == "etalab/schema-stationnement"
    mine = udata_get(udata_portal, f"organizations/{udata_portal['org_slug']}/datasets/?page_size=100")
    titles = [d["title"] for d in (mine.get("data") if isinstance(mine, dict) else mine)]
    assert sum(t.startswith("Parkings nocturnes") for t in titles) == 1

    # the data changed: the file is sent again, to the same resource
    change_data(gpkg)
    third = headless.run("publish_layer", *portal, f"--SUMMARY={summary}")
    assert third.returncode == 0, output(third)
    last = json.loads(summary.read_text(encoding="utf-8"))
    assert last["dataset_id"] == report["dataset_id"] and last["unchanged"] is False and last["files"][0]["sent"]
    dataset = udata_get(udata_portal, f"datasets/{report['dataset_id']}/")
    assert len(dataset["resources"]) == 1 and dataset["resources"][0]["id"] == resource["id"]


@needs_qgis_process
def test_publish_project_folder_to_ckan_skips_the_layer_failing_its_gate(ckan_portal, tmp_path):
    headless = Headless(tmp_path)
    authcfg = headless.store_key("ckan nightly", ckan_portal.tokens["odp-agent"])
    folder = tmp_path / "couches"
    folder.mkdir()
    schema = str(schema_json(tmp_path))
    decided_gpkg(folder / "a_parkings.gpkg", "Parkings du soir", schema=schema)
    decided_gpkg(folder / "b_incomplets.gpkg", "Parkings incomplets", rows=[("P9", "", 10, (700000.0, 6600000.0))],
                 schema=schema)  # fmt: skip
    make_gpkg(folder / "c_brouillon.gpkg", GOOD_ROWS)  # no publication settings: not published
    summary = tmp_path / "rapport.json"
    params = [
        f"--FOLDER={folder}",
        "--PORTAL_TYPE=ckan",
        f"--PORTAL_URL={ckan_portal.url}",
        f"--ORGANISATION={ckan_portal.organisation['name']}",
        f"--AUTHCFG={authcfg}",
        "--ACCEPT_WARNINGS=true",
        f"--SUMMARY={summary}",
    ]
    first = headless.run("publish_project", *params)
    assert first.returncode != 0, output(first)  # one layer was not published: the job says so
    report = json.loads(summary.read_text(encoding="utf-8"))
    assert report["status"] == "partial" and report["published"] == 1 and report["skipped"] == 1
    by_name = {Path(r["source"].split("|")[0]).name: r for r in report["layers"]}
    assert set(by_name) == {"a_parkings.gpkg", "b_incomplets.gpkg"}
    refused = by_name["b_incomplets.gpkg"]
    assert refused["status"] == "refused" and refused["blocking"] and refused["check"]["errors"] >= 1
    published = by_name["a_parkings.gpkg"]
    package = ckan_portal.action("package_show", {"id": published["dataset_id"]})
    assert package["title"] == "Parkings du soir" and len(package["resources"]) == 1
    assert package["resources"][0]["schema_name"] == "etalab/schema-stationnement"  # the schema on the portal
    uploaded = package["resources"][0].get("last_modified")
    assert "b_incomplets" in output(first) or "Parkings incomplets" in output(first)

    # the next night: the same data, so the file is not sent again; the same dataset
    retitle(folder / "a_parkings.gpkg", "Parkings du soir (nouveau titre)")
    second = headless.run("publish_project", *params)
    again = json.loads(summary.read_text(encoding="utf-8"))
    layer = next(r for r in again["layers"] if r["source"].startswith(str(folder / "a_parkings.gpkg")))
    assert layer["dataset_id"] == published["dataset_id"] and layer["unchanged"] is True, output(second)
    package = ckan_portal.action("package_show", {"id": published["dataset_id"]})
    assert package["title"] == "Parkings du soir (nouveau titre)" and len(package["resources"]) == 1
    assert package["resources"][0]["schema_name"] == "etalab/schema-stationnement"
    assert package["resources"][0].get("last_modified") == uploaded  # no new upload


@needs_qgis_process
def test_publish_project_file_to_a_folder_without_project_path(tmp_path):
    headless = Headless(tmp_path)
    gpkg = decided_gpkg(tmp_path / "parkings.gpkg", "Parkings du projet")
    project = QgsProject()
    layer = QgsVectorLayer(f"{gpkg}|layername=parkings", "Parkings", "ogr")
    restore_settings(layer)
    project.addMapLayer(layer)
    basemap = make_gpkg(tmp_path / "fond.gpkg", GOOD_ROWS)  # described in QGIS only: not to be published
    metadata = basemap.metadata()
    metadata.setTitle("Fond de plan")
    basemap.setMetadata(metadata)
    project.addMapLayer(basemap)
    project_file = tmp_path / "communes.qgz"
    assert project.write(str(project_file))
    root = tmp_path / "publication"
    summary = tmp_path / "rapport.json"
    run = headless.run(
        "publish_project", f"--PROJECT={project_file}", f"--CONNECTION=folder:{root}", "--ACCEPT_WARNINGS=true",
        f"--SUMMARY={summary}",
    )  # fmt: skip
    assert run.returncode == 0, output(run)
    report = json.loads(summary.read_text(encoding="utf-8"))
    assert report["status"] == "ok" and report["published"] == 1 and report["skipped"] == 0
    assert (root / "parkings-du-projet" / "manifest.json").is_file()
    assert [r["layer"] for r in report["layers"]] == ["Parkings"]
    assert [p.name for p in root.iterdir() if not p.name.startswith(".")] == ["parkings-du-projet"]


@needs_qgis_process
def test_publish_layer_with_the_shared_profile_connection(udata_portal, tmp_path):
    """The connection shipped by the territory's shared profile (« data.gouv.fr [profil] »), its key id kept in
    the profile's settings: nothing to create in the Options dialog, nothing secret on the command line."""
    headless = Headless(tmp_path)
    authcfg = headless.store_key("udata profil", udata_portal["api_key"])
    profile = json.loads((PROJECT_ROOT / "metadata" / "profiles" / "orleans-metropole.json").read_text("utf-8"))
    udata = next(p for p in profile["portals"] if p["type"] == "udata")
    udata["url"] = udata_portal["base_url"]
    member = profile["territory"]["members"][0]
    member["organisations"][udata["id"]] = udata_portal["org_slug"]
    profile["rules"] = {}  # the naming rules of the example are not what this test is about
    shared = tmp_path / "profil.json"
    shared.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    ini = headless.profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.write_text(
        ini.read_text(encoding="utf-8") + f"\n[opendata_publisher]\nprofile_auth\\{udata['id']}={authcfg}\n",
        encoding="utf-8",
    )
    gpkg = decided_gpkg(tmp_path / "parkings.gpkg", "Parkings du profil partagé")
    env = {
        "QGIS_OPENDATA_PUBLISHER_SHARED_PROFILE": str(shared),
        "QGIS_OPENDATA_PUBLISHER_PROFILE_MEMBER": member["id"],
    }
    summary = tmp_path / "rapport.json"
    run = headless.run(
        "publish_layer", f"--INPUT={gpkg}|layername=parkings", f"--CONNECTION={udata['name']} [profil]",
        "--ACCEPT_WARNINGS=true", f"--SUMMARY={summary}", extra_env=env,
    )  # fmt: skip
    assert run.returncode == 0, output(run)
    report = json.loads(summary.read_text(encoding="utf-8"))
    assert report["published"] and report["connection"]["name"] == f"{udata['name']} [profil]"
    dataset = udata_get(udata_portal, f"datasets/{report['dataset_id']}/")
    assert dataset["title"] == "Parkings du profil partagé"
    assert dataset["organization"]["slug"] == udata_portal["org_slug"]

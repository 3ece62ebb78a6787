"""The shared profile in QGIS: read through the QGIS network stack (URL, cache, offline, broken), the
``check_profile`` algorithm, and a real QGIS Deployment Toolbelt (QDT) deployment checked with qgis_process."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

from opendata_publisher.core import shared_profile as sp
from opendata_publisher.processing.check_profile import CheckProfileAlgorithm
from opendata_publisher.toolbelt.settings import ENV_PREFIX, PluginSettings
from tests.helpers.http_server import LocalHTTPServer

from .test_qgis_process import QGIS_PROCESS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "metadata" / "profiles" / "orleans-metropole.json"
QDT_VENV = Path(
    os.environ.get("ODP_QDT_VENV")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "opendata_publisher" / "qdt-venv"
)
QDT = QDT_VENV / "bin" / "qdt"


@pytest.fixture
def document():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def isolated_settings(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_PREFIX + "CACHE_DIR", str(tmp_path / "cache"))
    PluginSettings.reset()
    sp.forget_session()
    yield
    sp.forget_session()
    PluginSettings.reset()


class RecordingFeedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []
        self.infos = []
        self.warnings = []

    def reportError(self, error, fatalError=False):  # noqa: N802 - Qt API
        self.errors.append(error)

    def pushInfo(self, info):  # noqa: N802 - Qt API
        self.infos.append(info)

    def pushWarning(self, warning):  # noqa: N802 - Qt API
        self.warnings.append(warning)


def run_check(parameters):
    algorithm = CheckProfileAlgorithm()
    algorithm.initAlgorithm()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = RecordingFeedback()
    results, ok = algorithm.run(parameters, context, feedback)
    return results, ok, feedback


@pytest.mark.usefixtures("isolated_settings")
def test_profile_read_through_qgis_network_then_kept_offline(monkeypatch, document):
    with LocalHTTPServer() as server:
        server.route("/profil.json", body=json.dumps(document))
        url = server.url("/profil.json")
        monkeypatch.setenv(ENV_PREFIX + "SHARED_PROFILE", url)  # managed deployments set it this way
        monkeypatch.setenv(ENV_PREFIX + "PROFILE_MEMBER", "saran")
        profile, member = sp.current_member()
        assert profile is not None and member.name == "Saran"
        assert server.requests[-1].header("User-Agent").startswith("opendata_publisher/")
        # same session: no second download
        count = len(server.requests)
        sp.current_member()
        assert len(server.requests) == count
    # the server is gone: the next refresh keeps the last good copy and says so
    result = sp.configured_profile(refresh=True)
    assert result.ok and result.origin == "cache"
    assert "dernière version valide" in result.message


@pytest.mark.usefixtures("isolated_settings")
def test_broken_profile_at_first_use_is_a_clear_message(monkeypatch, tmp_path):
    broken = tmp_path / "profil.json"
    broken.write_text('{"name": "x",', encoding="utf-8")
    monkeypatch.setenv(ENV_PREFIX + "SHARED_PROFILE", str(broken))
    result = sp.configured_profile()
    assert not result.ok
    assert "n'est pas un JSON valide" in result.message and str(broken) in result.message


def test_check_profile_accepts_the_shipped_profile(tmp_path):
    report = tmp_path / "rapport.json"
    results, ok, feedback = run_check({"INPUT": str(EXAMPLE), "OUTPUT_REPORT": str(report)})
    assert ok, feedback.errors
    assert results["VALID"] == 1 and results["ERROR_COUNT"] == 0 and results["MEMBER_COUNT"] == 23
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["valid"] is True and data["problems"] == []


def test_check_profile_rejects_a_broken_one_with_every_problem(tmp_path, document):
    broken = copy.deepcopy(document)
    saran = next(m for m in broken["territory"]["members"] if m["id"] == "saran")
    saran["siren"] = "214503022"
    broken["portals"][0]["type"] = "arcgis"
    path = tmp_path / "profil.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    report = tmp_path / "rapport.json"
    _results, ok, feedback = run_check({"INPUT": str(path), "OUTPUT_REPORT": str(report)})
    assert not ok
    text = "\n".join(feedback.errors)
    assert "portals[0].type" in text and "'arcgis'" in text
    assert json.loads(report.read_text(encoding="utf-8"))["valid"] is False


def test_check_profile_tries_each_real_portal(tmp_path, document):
    with LocalHTTPServer() as udata, LocalHTTPServer() as dead:
        udata.route("/api/1/site/", body={"id": "site"})
        dead.route("/api/3/action/status_show", status=503, body="maintenance")
        document["portals"] = [
            {"id": "portail-metropole", "name": "Portail", "type": "udata", "url": udata.url("")},
            {"id": "data-gouv", "name": "CKAN en panne", "type": "ckan", "url": dead.url("")},
        ]
        path = tmp_path / "profil.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        _results, ok, feedback = run_check({"INPUT": str(path), "CHECK_PORTALS": True})
    assert not ok
    assert any("CKAN en panne" in e and "maintenance" in e for e in feedback.errors), feedback.errors
    assert not any("Portail (" in e for e in feedback.errors)
    assert udata.requests[-1].path == "/api/1/site/"


def _build_zip(out: Path) -> Path:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "package.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return next(out.glob("opendata_publisher-*.zip"))


def _qdt_missing_reason() -> str:
    if QDT.exists():
        return ""
    return f"QGIS Deployment Toolbelt not installed ({QDT}; run scripts/setup_qdt.sh (make test does))"


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin not installed (apt install qgis)")
def test_qdt_scenario_deploys_the_plugin_and_the_shared_profile(tmp_path):
    if _qdt_missing_reason():
        if os.environ.get("CI"):
            pytest.fail(_qdt_missing_reason())
        pytest.skip(_qdt_missing_reason())
    # the SIG team's git repository, made from deploy/qdt/profiles (plugin zip and profile as local files)
    zip_path = _build_zip(tmp_path / "dist")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "deploy" / "qdt" / "profiles", repo / "profiles")
    profile_json = repo / "profiles" / "opendata_metropole" / "profile.json"
    data = json.loads(profile_json.read_text(encoding="utf-8"))
    data["plugins"][0].update(location="local", url=str(zip_path))
    profile_json.write_text(json.dumps(data), encoding="utf-8")
    ini = repo / "profiles" / "opendata_metropole" / "QGIS" / "QGIS3.ini"
    ini_text = ini.read_text(encoding="utf-8")
    assert "shared_profile=https://" in ini_text
    ini.write_text(ini_text.replace(ini_text.split("shared_profile=")[1].split()[0], str(EXAMPLE)), encoding="utf-8")
    git = ["git", "-c", "user.email=sig@example.org", "-c", "user.name=SIG"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "profils"], check=True)
    scenario = (ROOT / "deploy" / "qdt" / "scenario.qdt.yml").read_text(encoding="utf-8")
    assert "protocol: git_remote" in scenario
    scenario = scenario.replace("protocol: git_remote", "protocol: git_local")
    scenario = scenario.replace('"https://git.orleans-metropole.example/sig/profils-qgis.git"', f'"file://{repo}"')
    (tmp_path / "scenario.qdt.yml").write_text(scenario, encoding="utf-8")

    qgis_root = tmp_path / "qgis"
    env = dict(os.environ)
    env.update(
        HOME=str(tmp_path / "home"),
        QGIS_CUSTOM_CONFIG_PATH=str(qgis_root / "profiles"),  # QDT: the profiles folder itself
        QDT_LOCAL_WORK_DIR=str(tmp_path / "qdt"),
    )
    (tmp_path / "home").mkdir()
    run = subprocess.run(
        [str(QDT), "-s", str(tmp_path / "scenario.qdt.yml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    deployed = qgis_root / "profiles" / "opendata_metropole"
    assert (deployed / "python" / "plugins" / "opendata_publisher" / "metadata.txt").is_file()
    assert "defaultProfile=opendata_metropole" in (qgis_root / "profiles" / "profiles.ini").read_text()

    # qgis_process always opens the profile named "default": point one at the deployed profile
    runner = tmp_path / "runner"
    (runner / "profiles").mkdir(parents=True)
    (runner / "profiles" / "default").symlink_to(deployed)
    env = dict(os.environ)
    env.update(QGIS_CUSTOM_CONFIG_PATH=str(runner), QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
    for name in ("QGIS_PLUGINPATH", "QGIS_OPTIONS_PATH", ENV_PREFIX + "SHARED_PROFILE"):
        env.pop(name, None)
    result = subprocess.run(
        [QGIS_PROCESS, "run", "opendata_publisher:check_profile", "--"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "MEMBER_COUNT:\t23" in result.stdout
    assert "Orléans Métropole" in result.stdout


@pytest.mark.usefixtures("isolated_settings")
def test_gate_applies_the_profile_rules_and_prefill_follows_the_member(monkeypatch, tmp_path):
    from opendata_publisher.core.metadata.layer_metadata import write_layer_description
    from opendata_publisher.core.metadata.prefill import profile_from_settings
    from opendata_publisher.core.portals.connections import folder_connection
    from opendata_publisher.core.publish import PUBLISHED, REFUSED, STEP_DESCRIBE, publish_layer

    from .test_publish_folder import GOOD_ROWS, full_description, make_gpkg

    monkeypatch.setenv(ENV_PREFIX + "SHARED_PROFILE", str(EXAMPLE))
    monkeypatch.setenv(ENV_PREFIX + "ORGANISATION_NAME", "Nom tapé à la main")
    monkeypatch.setenv(ENV_PREFIX + "DEFAULT_KEYWORDS", "voirie")
    # no member chosen yet: the agent's own settings, and a warning saying what to do
    assert profile_from_settings().organisation_name == "Nom tapé à la main"
    monkeypatch.setenv(ENV_PREFIX + "PROFILE_MEMBER", "saran")
    org = profile_from_settings()
    assert (org.organisation_name, org.organisation_siren, org.territory_code) == ("Saran", "214503021", "45302")
    assert "voirie" in org.default_keywords and "Orléans Métropole" in org.default_keywords

    layer = make_gpkg(tmp_path / "p.gpkg", GOOD_ROWS)
    write_layer_description(layer, full_description(title="Parkings publics de la commune"))
    root = tmp_path / "publication"
    refused = publish_layer(layer, folder_connection(root), ["csv"], accept_warnings=True)
    assert refused.status == REFUSED
    sentences = [item.sentence() for item in refused.gate.blocking if item.step == STEP_DESCRIBE]
    assert any("convention de nommage" in s and "Stationnement — Saran" in s for s in sentences), sentences

    from opendata_publisher.core.metadata.model import Area

    good = full_description(title="Parkings publics — Saran")
    good.spatial_coverage = [Area(kind="commune", code="45302", name="Saran")]
    good.schema.name, good.schema.version = "test/parkings", "1.2.0"
    good.identifier = "214503021-parkings"
    write_layer_description(layer, good)
    accepted = publish_layer(layer, folder_connection(root), ["csv"], accept_warnings=True)
    assert accepted.status == PUBLISHED, accepted.summary()


def test_refresh_after_start_up_keeps_the_last_good_profile_and_says_why(monkeypatch, tmp_path, document):
    from unittest import mock

    from opendata_publisher.gui.profile_refresh import refresh_shared_profile

    monkeypatch.setenv(ENV_PREFIX + "CACHE_DIR", str(tmp_path / "cache"))
    sp.forget_session()
    iface = mock.MagicMock()
    assert refresh_shared_profile(iface, run_inline=True) is None  # no shared profile: nothing is read
    path = tmp_path / "profil.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv(ENV_PREFIX + "SHARED_PROFILE", str(path))
    task = refresh_shared_profile(iface, run_inline=True)
    assert task.result.ok and task.result.origin == "source"
    iface.messageBar().pushMessage.assert_not_called()
    path.write_text("{ cassé", encoding="utf-8")  # the SIG team published a broken file
    task = refresh_shared_profile(iface, run_inline=True)
    assert task.result.ok and task.result.origin == "cache"  # the last good one stays in use
    message = iface.messageBar().pushMessage.call_args.args[1]
    assert "n'est pas un JSON valide" in message and "dernière version valide" in message
    sp.forget_session()

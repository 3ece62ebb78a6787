"""Loading the plugin imports nothing heavy (issue 18: QGIS start-up, profiler group « Load plugins »).

In a fresh Python process (this test session has imported everything already): QGIS, then the plugin's
``classFactory()`` + ``initGui()`` as QGIS does at start-up, then ``sys.modules`` is compared. Core checks,
legal word lists, vocabularies, portal adapters, the layer reader (numpy, GDAL) and the dock's pages must
wait for first use; listing the Processing algorithms (names, parameters, help, as ``qgis_process list`` and
the toolbox do) must not import them either. Opening the dock then builds its pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: modules (and their sub-modules) that must not be imported by loading the plugin
HEAVY = (
    "numpy",
    "osgeo",
    "opendata_publisher.core.arrow_reader",
    "opendata_publisher.core.reader",
    "opendata_publisher.core.validation",
    "opendata_publisher.core.report",
    "opendata_publisher.core.checks.registry",
    "opendata_publisher.core.checks.parsing",
    "opendata_publisher.core.checks.constraints",
    "opendata_publisher.core.checks.wording",
    "opendata_publisher.core.checks.value_checker",
    "opendata_publisher.core.checks.custom",
    "opendata_publisher.core.checks.geo",
    "opendata_publisher.core.checks.opening_hours",
    "opendata_publisher.core.conform.model",
    "opendata_publisher.core.conform.pipeline",
    "opendata_publisher.core.conform.steps",
    "opendata_publisher.core.conform.suggestions",
    "opendata_publisher.core.legal",
    "opendata_publisher.core.metadata",
    "opendata_publisher.core.portals",
    "opendata_publisher.core.publish",
    "opendata_publisher.core.schema.catalogue",
    "opendata_publisher.toolbelt.network",
    "opendata_publisher.gui.check_page",
    "opendata_publisher.gui.describe_page",
    "opendata_publisher.gui.licence_page",
    "opendata_publisher.gui.legal_page",
    "opendata_publisher.gui.publish_page",
    "opendata_publisher.gui.flow",
)

CHILD = r"""
import json, sys
from unittest import mock

from qgis.core import QgsApplication

app = QgsApplication([], True)
app.initQgis()
from qgis.PyQt.QtWidgets import QMainWindow

window = QMainWindow()
iface = mock.MagicMock()
iface.mainWindow.return_value = window
before = set(sys.modules)

import opendata_publisher

plugin = opendata_publisher.classFactory(iface)
plugin.initGui()
after_load = sorted(set(sys.modules) - before)

provider = QgsApplication.processingRegistry().providerById("opendata_publisher")
listing = {}
for algorithm in provider.algorithms():  # what the toolbox and qgis_process list/help read
    listing[algorithm.id()] = {
        "help": algorithm.shortHelpString(),
        "parameters": [p.name() for p in algorithm.parameterDefinitions()],
        "outputs": [o.name() for o in algorithm.outputDefinitions()],
    }
after_listing = sorted(set(sys.modules) - before)

pages_before = plugin.dock.pages_built()
plugin.action_dock.trigger()  # the toolbar button: first use
result = {
    "after_load": after_load,
    "after_listing": after_listing,
    "listing": listing,
    "pages_before": pages_before,
    "pages_after": plugin.dock.pages_built(),
    "page_count": len(plugin.dock.pages()),
    "dock_visible": not plugin.dock.isHidden(),
    "after_open": sorted(set(sys.modules) - before),
}
plugin.unload()
print("RESULT " + json.dumps(result))
"""


def _heavy(modules):
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def _run_child(tmp_path):
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT), env.get("PYTHONPATH", "")])
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(tmp_path / "profile")
    env["QGIS_OPENDATA_PUBLISHER_CATALOGUE_URL"] = "http://127.0.0.1:9/schemas.json"  # never the Internet
    env["QGIS_OPENDATA_PUBLISHER_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=240
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, (
        f"child failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return json.loads(lines[-1][len("RESULT ") :])


def test_loading_the_plugin_imports_nothing_heavy(tmp_path):
    result = _run_child(tmp_path)

    assert "opendata_publisher.plugin_main" in result["after_load"]  # the child did load the plugin
    assert _heavy(result["after_load"]) == []
    # listing the algorithms (names, parameters, help) does not import their core modules either
    assert _heavy(result["after_listing"]) == []
    assert set(result["listing"]) == {
        "opendata_publisher:validate_layer",
        "opendata_publisher:export_metadata",
        "opendata_publisher:legal_check",
        "opendata_publisher:publish_layer",
        "opendata_publisher:publish_project",
        "opendata_publisher:conform_layer",
        "opendata_publisher:check_profile",
        "opendata_publisher:territory_dashboard",
    }
    for algorithm_id, entry in result["listing"].items():
        assert entry["help"] and entry["parameters"], algorithm_id
    assert "FIXES" in result["listing"]["opendata_publisher:conform_layer"]["parameters"]

    # first use: the toolbar button builds the dock's pages and shows it
    assert result["pages_before"] is False
    assert result["pages_after"] is True and result["page_count"] >= 5 and result["dock_visible"]
    assert "opendata_publisher.gui.check_page" in result["after_open"]

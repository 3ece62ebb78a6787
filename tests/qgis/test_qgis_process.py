"""``qgis_process`` sees our provider when the plugin is enabled in a throw-away profile.

Recipe (also used by ``make demo``)::

    QGIS_PLUGINPATH=<repo root> QGIS_CUSTOM_CONFIG_PATH=<profile dir> qgis_process.bin list

with ``[PythonPlugins] opendata_publisher=true`` in ``<profile dir>/profiles/default/QGIS/QGIS3.ini``
(on QGIS 3.22, qgis_process reads the "default" profile below QGIS_CUSTOM_CONFIG_PATH; an ini written
directly at ``<profile dir>/QGIS/QGIS3.ini`` is ignored). ``opendata_publisher/metadata.txt`` is a
symlink to the root ``metadata.txt`` so QGIS finds the plugin in the repository root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = shutil.which("qgis_process.bin") or shutil.which("qgis_process")


def write_profile(profile_dir: Path) -> Path:
    ini = profile_dir / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text("[PythonPlugins]\nopendata_publisher=true\n", encoding="utf-8")
    return ini


def run_qgis_process(profile_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        QGIS_PLUGINPATH=str(PROJECT_ROOT),
        QGIS_CUSTOM_CONFIG_PATH=str(profile_dir),
        QT_QPA_PLATFORM="offscreen",
        LC_ALL="C.UTF-8",
    )
    env.pop("QGIS_OPTIONS_PATH", None)
    return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin not installed (apt install qgis)")
def test_qgis_process_lists_our_provider(tmp_path):
    assert (PROJECT_ROOT / "opendata_publisher" / "metadata.txt").is_file(), "package metadata.txt symlink missing"
    write_profile(tmp_path)
    plugins = run_qgis_process(tmp_path, "plugins")
    assert plugins.returncode == 0, plugins.stderr
    assert "* opendata_publisher" in plugins.stdout, plugins.stdout + plugins.stderr

    listing = run_qgis_process(tmp_path, "list")
    assert listing.returncode == 0, listing.stderr
    assert "Open data publisher" in listing.stdout
    assert "opendata_publisher:validate_layer" in listing.stdout, listing.stdout[-2000:] + listing.stderr


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin not installed (apt install qgis)")
def test_plugin_not_loaded_when_disabled(tmp_path):
    ini = write_profile(tmp_path)
    ini.write_text("[PythonPlugins]\nopendata_publisher=false\n", encoding="utf-8")
    listing = run_qgis_process(tmp_path, "list")
    assert listing.returncode == 0, listing.stderr
    assert "opendata_publisher:" not in listing.stdout

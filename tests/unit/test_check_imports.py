"""scripts/check_imports.py (run by ``make lint``): the plugin's layers and import cycles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT_ROOT / "scripts" / "check_imports.py"


def _run(package: Path):
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(package)], capture_output=True, text=True, timeout=60, check=False
    )


def _package(tmp_path: Path, files: dict) -> Path:
    root = tmp_path / "opendata_publisher"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root


def test_the_plugin_respects_its_layers_and_has_no_import_cycle():
    result = _run(PROJECT_ROOT / "opendata_publisher")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_leak_across_layers_fails_with_its_line(tmp_path):
    root = _package(
        tmp_path,
        {
            "core/portals/base.py": "X = 1\n",
            "core/model.py": "def f():\n    from ..gui import page  # local imports count too\n",
            "gui/page.py": "from ..core.portals.base import X\n",  # allowed: gui uses core
            "toolbelt/connections.py": "\nfrom ..core.portals.base import X\n",
            "processing/alg.py": "from opendata_publisher.gui.page import X\n",
        },
    )
    result = _run(root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    assert any("toolbelt/connections.py:2:" in line and "toolbelt must not import core" in line for line in lines)
    assert any("core/model.py:2:" in line and "core must not import gui" in line for line in lines)
    assert any("processing/alg.py:1:" in line and "processing must not import gui" in line for line in lines)


def test_an_import_cycle_fails_even_through_a_local_import(tmp_path):
    root = _package(
        tmp_path,
        {
            "toolbelt/log.py": "def debug():\n    from .settings import load\n",
            "toolbelt/settings.py": "from . import log\n\ndef load():\n    pass\n",
            "toolbelt/network.py": "from .log import debug\n",  # importing a module of the cycle is not a cycle
        },
    )
    result = _run(root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "import cycle: opendata_publisher.toolbelt.log <-> opendata_publisher.toolbelt.settings"
    ]

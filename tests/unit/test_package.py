"""scripts/package.py builds a zip the QGIS plugin repository accepts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "package.py"
LRELEASE = next(
    (
        p
        for p in ("lrelease", "lrelease-qt5", "/usr/lib/qt5/bin/lrelease", "/usr/lib/qt6/bin/lrelease")
        if shutil.which(p)
    ),
    None,
)


def _version() -> str:
    for line in (ROOT / "metadata.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("version="):
            return line.split("=", 1)[1].strip()
    raise AssertionError("no version in metadata.txt")


def _build(out: Path, root: Path = ROOT) -> Path:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    zip_path = Path(result.stdout.strip().splitlines()[-1])
    assert zip_path.is_file()
    return zip_path


def _assert_repository_rules(names):
    tops = {n.split("/")[0] for n in names}
    assert tops == {"opendata_publisher"}, tops
    assert re.match(r"^[a-z_][a-z0-9_]*$", "opendata_publisher")
    for name in names:
        assert not name.startswith("/"), name
        assert ".." not in name.split("/"), name
        assert "__pycache__" not in name and not name.endswith((".pyc", ".pyo")), name
        assert "/.git/" not in name and "__MACOSX" not in name, name
        assert "/tests/" not in name, name


@pytest.fixture(scope="module")
def real_zip(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("dist"))


def test_zip_of_this_repository(real_zip):
    assert real_zip.name == f"opendata_publisher-{_version()}.zip"
    with zipfile.ZipFile(real_zip) as archive:
        names = archive.namelist()
        _assert_repository_rules(names)
        for required in ("__init__.py", "metadata.txt", "LICENSE", "plugin_main.py", "resources/icon.svg"):
            assert f"opendata_publisher/{required}" in names, required
        metadata = archive.read("opendata_publisher/metadata.txt").decode("utf-8")
        assert metadata == (ROOT / "metadata.txt").read_text(encoding="utf-8")  # the real file, not the symlink
        assert "GNU GENERAL PUBLIC LICENSE" in archive.read("opendata_publisher/LICENSE").decode("utf-8")
        if any(p.is_file() for p in (ROOT / "metadata").rglob("*")):
            assert any(n.startswith("opendata_publisher/metadata/") for n in names)


def test_compiled_translation_in_zip(real_zip):
    if LRELEASE is None:
        pytest.skip("lrelease not installed (apt install qttools5-dev-tools): no .qm can be compiled")
    with zipfile.ZipFile(real_zip) as archive:
        data = archive.read("opendata_publisher/i18n/opendata_publisher_fr.qm")
    assert data[:4] == b"\x3c\xb8\x64\x18"  # Qt .qm magic number


def _fake_repo(root: Path) -> Path:
    package = root / "opendata_publisher"
    (package / "core").mkdir(parents=True)
    (package / "__init__.py").write_text("def classFactory(iface):\n    pass\n")
    (package / "core" / "a.py").write_text("X = 1\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (package / "core" / "stale.pyc").write_bytes(b"\0")
    (package / "tests").mkdir()
    (package / "tests" / "test_x.py").write_text("")
    (package / "old.qm").write_bytes(b"\0")
    (root / "metadata.txt").write_text("[general]\nname=X\nversion=1.2.3\n", encoding="utf-8")
    (package / "metadata.txt").write_text("stale copy", encoding="utf-8")
    (root / "LICENSE").write_text("GPL", encoding="utf-8")
    (root / "metadata" / "licences").mkdir(parents=True)
    (root / "metadata" / "licences" / "licences.json").write_text("{}", encoding="utf-8")
    (root / "metadata" / "__pycache__").mkdir()
    (root / "metadata" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (root / "tests").mkdir()
    (root / "tests" / "test_root.py").write_text("")
    return root


def test_zip_layout_rules_on_a_synthetic_tree(tmp_path):
    root = _fake_repo(tmp_path / "repo")
    if LRELEASE is not None:
        (root / "i18n").mkdir()
        shutil.copy(ROOT / "i18n" / "opendata_publisher_fr.ts", root / "i18n")
    zip_path = _build(tmp_path / "dist", root)
    assert zip_path.name == "opendata_publisher-1.2.3.zip"
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        assert archive.read("opendata_publisher/metadata.txt").decode() == "[general]\nname=X\nversion=1.2.3\n"
    _assert_repository_rules(names)
    expected = {
        "opendata_publisher/__init__.py",
        "opendata_publisher/core/a.py",
        "opendata_publisher/metadata.txt",
        "opendata_publisher/LICENSE",
        "opendata_publisher/metadata/licences/licences.json",
    }
    if LRELEASE is not None:
        expected.add("opendata_publisher/i18n/opendata_publisher_fr.qm")
    assert names == expected


def test_missing_license_fails_clearly(tmp_path):
    root = _fake_repo(tmp_path / "repo")
    (root / "LICENSE").unlink()
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root), "--out", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "LICENSE" in result.stderr

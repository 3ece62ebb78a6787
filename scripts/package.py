#!/usr/bin/env python3
"""Build the plugin zip for QGIS (Extensions > Installer depuis un ZIP, or plugins.qgis.org).

    python scripts/package.py [--out DIR] [--root REPO] [--require-qm]

Writes ``DIR/opendata_publisher-<version>.zip`` (default DIR: ``<repo>/dist``) with ONE top folder
``opendata_publisher/`` holding:

- the package code (no tests, no ``__pycache__`` / ``.pyc``, nothing ignored by git),
- ``metadata.txt`` and ``LICENSE`` from the repository root (plus ``README.md`` / ``CHANGELOG.md``),
- ``i18n/*.qm`` compiled from ``<repo>/i18n/*.ts`` with lrelease (skipped with a warning when lrelease is
  not installed, unless ``--require-qm``),
- the root ``metadata/`` folder (reference data: schemas, licences, vocabularies…) as ``metadata/``.

Pure standard library (no QGIS needed). Prints the path of the zip.
"""

from __future__ import annotations

import argparse
import configparser
import fnmatch
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Iterable, List, Optional, Tuple

PLUGIN_DIR = "opendata_publisher"
ROOT_FILES = ("metadata.txt", "LICENSE", "README.md", "CHANGELOG.md")
REQUIRED_ROOT_FILES = ("metadata.txt", "LICENSE")
EXCLUDED_DIRS = {"__pycache__", ".git", "__MACOSX", ".pytest_cache", ".ruff_cache", "tests", "test"}
EXCLUDED_PATTERNS = ("*.pyc", "*.pyo", "*.orig", "*.rej", "*.swp", "*~", ".DS_Store", "Thumbs.db", "*.qm")
LRELEASE_CANDIDATES = ("lrelease", "lrelease-qt5", "/usr/lib/qt5/bin/lrelease", "/usr/lib/qt6/bin/lrelease")


class PackagingError(Exception):
    pass


def read_version(root: Path) -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(root / "metadata.txt", encoding="utf-8")
    try:
        return parser.get("general", "version").strip()
    except (configparser.Error, KeyError) as exc:
        raise PackagingError(f"no [general] version in {root / 'metadata.txt'}") from exc


def find_lrelease() -> Optional[str]:
    for candidate in LRELEASE_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _excluded(relative: PurePosixPath) -> bool:
    if any(part in EXCLUDED_DIRS for part in relative.parts[:-1]):
        return True
    return any(fnmatch.fnmatch(relative.name, pattern) for pattern in EXCLUDED_PATTERNS)


def _git_files(root: Path, folder: str) -> Optional[List[Path]]:
    """Files of ``folder`` known to git (tracked or new, minus ignored ones); None outside a git work tree."""
    if not (root / ".git").exists() or shutil.which("git") is None:
        return None
    result = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", folder],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        return None
    names = [n for n in result.stdout.decode("utf-8").split("\0") if n]
    return sorted({root / n for n in names})


def _walk(root: Path, folder: str) -> List[Path]:
    return sorted(p for p in (root / folder).rglob("*") if p.is_file() or p.is_symlink())


def collect(root: Path, folder: str, target: str) -> List[Tuple[Path, str]]:
    """(source file, name in the zip) for every file of ``root/folder`` worth shipping."""
    if not (root / folder).is_dir():
        return []
    files = _git_files(root, folder)
    if files is None:
        files = _walk(root, folder)
    entries = []
    for path in files:
        relative = PurePosixPath(path.relative_to(root / folder).as_posix())
        if _excluded(relative) or not path.exists():
            continue
        if folder == PLUGIN_DIR and relative.as_posix() in ROOT_FILES:
            continue  # the root copies win (the package's metadata.txt is a symlink to the root one)
        entries.append((path, f"{target}/{relative.as_posix()}"))
    return entries


def compile_translations(root: Path, out_dir: Path, require: bool) -> List[Tuple[Path, str]]:
    sources = sorted((root / "i18n").glob("*.ts"))
    if not sources:
        return []
    lrelease = find_lrelease()
    if lrelease is None:
        message = "lrelease not found (apt install qttools5-dev-tools): the zip has no compiled translation"
        if require:
            raise PackagingError(message)
        print(f"warning: {message}", file=sys.stderr)
        return []
    entries = []
    for ts in sources:
        qm = out_dir / (ts.stem + ".qm")
        result = subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True)
        if result.returncode != 0 or not qm.is_file():
            raise PackagingError(f"lrelease failed on {ts}: {result.stderr.strip() or result.stdout.strip()}")
        entries.append((qm, f"{PLUGIN_DIR}/i18n/{qm.name}"))
    return entries


def check_names(names: Iterable[str]) -> None:
    """The rules of the QGIS plugin repository on zip member names."""
    for name in names:
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or "\\" in name or ":" in name:
            raise PackagingError(f"unsafe path in zip: {name}")
        if parts[0] != PLUGIN_DIR:
            raise PackagingError(f"file outside the plugin folder: {name}")
        if any(p in ("__pycache__", ".git", "__MACOSX") for p in parts) or name.endswith((".pyc", ".pyo")):
            raise PackagingError(f"forbidden file in zip: {name}")


def build(root: Path, out_dir: Path, require_qm: bool = False) -> Path:
    root = root.resolve()
    for name in REQUIRED_ROOT_FILES:
        if not (root / name).is_file():
            raise PackagingError(f"{root / name} is missing")
    if not (root / PLUGIN_DIR / "__init__.py").is_file():
        raise PackagingError(f"{root / PLUGIN_DIR / '__init__.py'} is missing")
    version = read_version(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    zip_path = out_dir / f"{PLUGIN_DIR}-{version}.zip"

    with tempfile.TemporaryDirectory(prefix="odp-package-") as tmp:
        entries = collect(root, PLUGIN_DIR, PLUGIN_DIR)
        entries += [(root / n, f"{PLUGIN_DIR}/{n}") for n in ROOT_FILES if (root / n).is_file()]
        entries += compile_translations(root, Path(tmp), require_qm)
        entries += collect(root, "metadata", f"{PLUGIN_DIR}/metadata")

        seen = {}
        for source, name in entries:
            seen[name] = source  # later entries (root files, compiled .qm) win
        check_names(seen)

        partial = zip_path.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(seen):
                archive.write(seen[name].resolve(), name)
        partial.replace(zip_path)
    return zip_path


def main(argv: Optional[List[str]] = None) -> int:
    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=repo, help="repository root (default: this repository)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: <root>/dist)")
    parser.add_argument("--require-qm", action="store_true", help="fail when lrelease is not installed")
    args = parser.parse_args(argv)
    try:
        zip_path = build(args.root, args.out or (args.root / "dist"), require_qm=args.require_qm)
    except PackagingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(zip_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Plugin identity read once from ``metadata.txt`` (the single source of the version).

``metadata.txt`` sits at the repository root in the source tree and inside the package folder in the
packaged plugin (``scripts/package.py`` copies it there). Both places are looked up, package first.
Pure Python: importable without QGIS.
"""

from __future__ import annotations

import configparser
from pathlib import Path
from typing import Dict, List, Optional

PACKAGE_DIR = Path(__file__).resolve().parent
PLUGIN_SLUG = "opendata_publisher"


def _candidates() -> List[Path]:
    # package first (installed plugin; in the source tree it is a symlink to the root file), then the root
    return [PACKAGE_DIR / "metadata.txt", PACKAGE_DIR.parent / "metadata.txt"]


def _parse(path: Path) -> Optional[Dict[str, str]]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep "qgisMinimumVersion" and "about[fr]" as written
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, configparser.Error, UnicodeDecodeError):
        return None  # e.g. a symlink checked out as a plain text file on Windows
    if not parser.has_section("general"):
        return None
    return dict(parser.items("general"))


def metadata_path() -> Optional[Path]:
    """Where a readable ``metadata.txt`` is: inside the package (installed zip) or one level up (source tree)."""
    for candidate in _candidates():
        if candidate.is_file() and _parse(candidate) is not None:
            return candidate
    return None


def read_metadata(path: Optional[Path] = None) -> Dict[str, str]:
    """The ``[general]`` section of ``metadata.txt`` as a plain dict (empty when no readable file is found)."""
    path = path or metadata_path()
    if path is None:
        return {}
    return _parse(path) or {}


_METADATA = read_metadata()

__title__ = _METADATA.get("name", "Open Data Publisher")
__version__ = _METADATA.get("version", "0.0.0")
__summary__ = _METADATA.get("description", "")
__author__ = _METADATA.get("author", "")
__email__ = _METADATA.get("email", "")
__uri_homepage__ = _METADATA.get("homepage", "")
__uri_repository__ = _METADATA.get("repository", "")
__uri_tracker__ = _METADATA.get("tracker", "")
__qgis_min_version__ = _METADATA.get("qgisMinimumVersion", "")
__qgis_max_version__ = _METADATA.get("qgisMaximumVersion", "")
__icon_path__ = PACKAGE_DIR / _METADATA.get("icon", "resources/icon.svg")

USER_AGENT = f"{PLUGIN_SLUG}/{__version__}"

"""metadata.txt follows the rules of the QGIS plugin repository (plugins.qgis.org)."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = (
    "name",
    "description",
    "about",
    "version",
    "qgisMinimumVersion",
    "author",
    "email",
    "tracker",
    "repository",
)
EXPECTED = (
    "description[fr]",
    "about[fr]",
    "qgisMaximumVersion",
    "homepage",
    "category",
    "hasProcessingProvider",
    "tags",
    "tags[fr]",
    "experimental",
    "icon",
    "changelog",
)
PLACEHOLDERS = ("http://bugs", "http://repo", "http://homepage", "example.com", "example.org", "todo", "changeme")
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")


@pytest.fixture(scope="module")
def general():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    with open(ROOT / "metadata.txt", encoding="utf-8") as handle:
        parser.read_file(handle)
    assert parser.has_section("general")
    return dict(parser.items("general"))


def _version_tuple(text: str):
    return tuple(int(part) for part in text.split("."))


def test_required_and_expected_keys(general):
    for key in REQUIRED + EXPECTED:
        assert general.get(key, "").strip(), f"metadata.txt: {key} is missing or empty"


def test_version_is_semver(general):
    assert SEMVER.match(general["version"]), general["version"]
    # the version is the topmost one of CHANGELOG.md, and the plugin manager's changelog starts with it
    changelog = (Path(__file__).resolve().parents[2] / "CHANGELOG.md").read_text(encoding="utf-8")
    top = re.search(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.MULTILINE).group(1)
    assert general["version"] == top
    assert general["changelog"].strip().startswith(top)


def test_qgis_version_range(general):
    minimum = _version_tuple(general["qgisMinimumVersion"])
    maximum = _version_tuple(general["qgisMaximumVersion"])
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["qgisMaximumVersion"] == "4.99"  # offered in QGIS 4 (supportsQt6 is ignored)
    assert minimum <= maximum


def test_urls_are_real(general):
    for key in ("tracker", "repository", "homepage"):
        url = general[key]
        assert url.startswith("https://"), f"{key} must be an https URL: {url}"
        lowered = url.lower()
        assert not any(p in lowered for p in PLACEHOLDERS), f"{key} looks like a placeholder: {url}"
    assert general["tracker"].rstrip("/").endswith("/issues")
    assert general["tracker"].startswith(general["repository"].rstrip("/"))


def test_flags_and_category(general):
    assert general["category"] == "Web"
    assert general["hasProcessingProvider"] == "yes"
    assert general["experimental"] in ("True", "true")
    assert "supportsQt6" not in general
    assert "/" not in general["author"], "the repository refuses '/' in author"
    assert re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", general["email"])


def test_icon_exists_in_package(general):
    assert (ROOT / "opendata_publisher" / general["icon"]).is_file()


def test_french_texts_are_french(general):
    assert "Vérifier" in general["description[fr]"] or "vérifie" in general["about[fr]"]
    assert general["description[fr]"] != general["description"]


def test_about_reads_the_same_version(general):
    from opendata_publisher import __about__

    assert __about__.__version__ == general["version"]
    assert __about__.__title__ == general["name"]
    assert __about__.USER_AGENT.split("/") == ["opendata_publisher", general["version"]]


def test_about_finds_metadata_in_package_folder_first(tmp_path, monkeypatch):
    """In the packaged plugin metadata.txt sits inside the package folder; a broken copy is skipped."""
    from opendata_publisher import __about__

    package = tmp_path / "opendata_publisher"
    package.mkdir()
    (package / "metadata.txt").write_text("[general]\nname=X\nversion=9.8.7\n", encoding="utf-8")
    monkeypatch.setattr(__about__, "PACKAGE_DIR", package)
    assert __about__.read_metadata()["version"] == "9.8.7"
    # a symlink checked out as plain text (Windows) is not a metadata file: fall back to the parent
    (package / "metadata.txt").write_text("../metadata.txt", encoding="utf-8")
    (tmp_path / "metadata.txt").write_text("[general]\nversion=1.2.3\n", encoding="utf-8")
    assert __about__.read_metadata()["version"] == "1.2.3"


def test_about_has_no_hard_line_breaks(general):
    # the plugin manager shows continuation lines as hard breaks in the middle of sentences (issue 11)
    for key in ("about", "about[fr]"):
        assert "\n" not in general[key].strip(), key

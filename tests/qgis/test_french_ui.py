"""The dock in French: with the plugin's translator installed, no visible text is left in English.

The English sources are every string literal given to ``tr()`` / ``_tr()`` / ``QCoreApplication.translate()``
in the package (read with ``ast``, so strings pylupdate5 misses are caught too). The dock is built with the
French ``.qm`` installed by :func:`opendata_publisher.toolbelt.i18n.install_translator`; every label, button,
tab, group box title, placeholder, combo item, menu action, column header and tooltip is compared with those
sources. A text that is the same in both languages (proper names, « Version »…) is listed in SAME_IN_BOTH.

The ``.qm`` is compiled with lrelease when it is missing or older than the ``.ts`` (as ``make translations``).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QModelIndex, Qt
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAction,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from opendata_publisher.toolbelt.i18n import install_translator, remove_translator

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "opendata_publisher"
TS_FILE = ROOT / "i18n" / "opendata_publisher_fr.ts"
QM_FILE = ROOT / "i18n" / "opendata_publisher_fr.qm"

# Texts written the same way in English and in French: never reported as untranslated.
SAME_IN_BOTH = {
    "Date",
    "Version",
    "version",
    "Licence",
    "Attribution",
    "Description",
    "Note",
    "Format",
    "Formats",
    "Service",
    "Organisation",
    "SIREN",
    "SIRET",
    "EPCI",
    "commune",
    "MAPPING",
    "DCAT-AP (JSON-LD)…",
    "DCAT-AP (Turtle)…",
    "GeoPackage (*.gpkg)",
    "e.g. sig@orleans-metropole.fr",  # never shown as such: the French text only changes « e.g. »
}

_TAG = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


# --------------------------------------------------------------------------- English sources


def _literal(node: ast.AST):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def english_sources() -> Set[str]:
    """Every literal passed to tr(), _tr() or translate(context, text) in the plugin's code."""
    sources: Set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in ("tr", "_tr") and node.args and _literal(node.args[0]):
                sources.add(_literal(node.args[0]))
            elif name == "translate" and len(node.args) >= 2 and _literal(node.args[1]):
                sources.add(_literal(node.args[1]))
    return sources


def _pattern(source: str):
    """A regex matching ``source`` once formatted ({layer} -> anything); None without placeholders."""
    parts = _PLACEHOLDER.split(source)
    if len(parts) == 1 or sum(len(p.strip()) for p in parts) < 8:
        return None
    return re.compile(".+?".join(re.escape(p) for p in parts) + r"\Z", re.DOTALL)


def _normalise(text: str) -> str:
    text = _TAG.sub("", text or "").replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split())


class EnglishDetector:
    def __init__(self, sources: Set[str]):
        self.exact = {_normalise(s): s for s in sources if _normalise(s) and s not in SAME_IN_BOTH}
        self.patterns: List[Tuple[re.Pattern, str]] = [
            (p, s) for s in sources if s not in SAME_IN_BOTH and (p := _pattern(_normalise(s))) is not None
        ]

    def source_of(self, text: str):
        """The English source ``text`` shows (whole text or one of its lines), else None."""
        lines = [line for line in text.splitlines() if line.strip()]
        parts = [part for line in lines for part in line.split(" — ") if " — " in line]  # "1. Check — compliant"
        candidates = [text, *lines, *parts]
        for candidate in candidates:
            clean = _normalise(candidate)
            if not clean or clean in SAME_IN_BOTH:
                continue
            if clean in self.exact:
                return self.exact[clean]
            for pattern, source in self.patterns:
                if pattern.match(clean):
                    return source
        return None


# --------------------------------------------------------------------------- visible texts


def _name(widget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or '-'})"


def visible_texts(dock: QWidget) -> Iterator[Tuple[str, str]]:
    """(where, text) for every text of the dock an agent can read."""
    yield "dock title", dock.windowTitle()
    for widget in [dock, *dock.findChildren(QWidget)]:
        where = _name(widget)
        if widget.toolTip():
            yield f"{where} tooltip", widget.toolTip()
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield f"{where} text", widget.text()
        if isinstance(widget, QGroupBox):
            yield f"{where} title", widget.title()
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield f"{where} tab {i}", widget.tabText(i)
                yield f"{where} tab {i} tooltip", widget.tabToolTip(i)
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            yield f"{where} placeholder", widget.placeholderText()
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{where} item {i}", widget.itemText(i)
                tip = widget.itemData(i, Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str):
                    yield f"{where} item {i} tooltip", tip
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                yield f"{where} item {i}", widget.item(i).text()
                yield f"{where} item {i} tooltip", widget.item(i).toolTip()
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model: one column
                columns = 1
            for column in range(columns):
                header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
                if isinstance(header, str):
                    yield f"{where} column {column}", header
    for action in dock.findChildren(QAction):
        yield f"action {action.objectName() or '-'} text", action.text()
        yield f"action {action.objectName() or '-'} tooltip", action.toolTip()


# --------------------------------------------------------------------------- fixtures


def _lrelease():
    for name in ("lrelease", "lrelease-qt5"):
        found = shutil.which(name)
        if found:
            return found
    for path in ("/usr/lib/qt5/bin/lrelease", "/usr/lib/x86_64-linux-gnu/qt5/bin/lrelease"):
        if Path(path).is_file():
            return path
    return None


@pytest.fixture(scope="module")
def french_qm() -> Path:
    """The compiled French translation, built from the .ts when missing or older than it."""
    if not TS_FILE.is_file():
        pytest.fail(f"{TS_FILE} is missing: the French translation source must be in the repository")
    if not QM_FILE.is_file() or QM_FILE.stat().st_mtime < TS_FILE.stat().st_mtime:
        lrelease = _lrelease()
        if lrelease is None:
            pytest.skip("lrelease not found (install qttools5-dev-tools): cannot compile the French .qm")
        result = subprocess.run(
            [lrelease, "-silent", str(TS_FILE), "-qm", str(QM_FILE)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0 and QM_FILE.is_file(), f"lrelease failed: {result.stdout}{result.stderr}"
    return QM_FILE


@pytest.fixture
def french(french_qm, qgis_app):
    """French locale and the plugin's French translator for the duration of one test."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    translator = install_translator("fr")
    assert translator is not None, f"the French translation {french_qm} could not be loaded"
    yield translator
    remove_translator(translator)
    QLocale.setDefault(previous)


@pytest.fixture
def french_dock(french, qgis_new_project):
    from opendata_publisher.gui.dock import OpenDataDock

    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=id:string&field=nom:string", "parkings", "memory")
    QgsProject.instance().addMapLayer(layer)  # the per-layer pages show their form for it
    dock = OpenDataDock(None)  # no iface: the catalogue only loads when the dock is shown
    yield dock
    dock.cleanup()
    dock.deleteLater()
    QCoreApplication.processEvents()


# --------------------------------------------------------------------------- tests


def test_translator_is_the_plugins_french_one(french):
    assert QCoreApplication.translate("OpenDataDock", "1. Check") == "1. Vérifier"
    assert QCoreApplication.translate("CheckPage", "Selected features only") == "Entités sélectionnées uniquement"


def test_dock_shows_french_titles_tabs_and_buttons(french_dock):
    dock = french_dock
    assert dock.windowTitle() == "Données ouvertes"
    tabs = [dock.tabs.tabText(i) for i in range(dock.tabs.count())]
    assert tabs[0] == "1. Vérifier"
    assert "Contrôle juridique" in tabs
    page = dock.check_page
    assert page.check_button.text() == "Vérifier"
    assert page.cancel_button.text() == "Annuler"
    assert page.selected_only_check.text() == "Entités sélectionnées uniquement"
    headers = [page.findings_model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)]
    assert headers == ["Problème", "Champ"]


def test_no_visible_text_of_the_dock_is_left_in_english(french_dock):
    detector = EnglishDetector(english_sources())
    seen = 0
    english: Dict[str, str] = {}
    for where, text in visible_texts(french_dock):
        if not text or not text.strip():
            continue
        seen += 1
        source = detector.source_of(text)
        if source is not None:
            english[where] = text
    assert seen > 50, f"only {seen} texts found in the dock: the widget walk is broken"
    assert not english, (
        "Texts of the dock still in English with the French translation installed. Run `make translate`, fill "
        "the unfinished messages of i18n/opendata_publisher_fr.ts (or, if a text is the same in both languages, "
        "add it to SAME_IN_BOTH); a string pylupdate5 cannot extract (self._tr(...), tr() inside an f-string) "
        'must be rewritten as a plain self.tr("...") call:\n'
        + "\n".join(f"  {where}: {text!r}" for where, text in sorted(english.items()))
    )


def test_translations_keep_placeholders_and_accelerators():
    """A French text that loses or renames a {placeholder} breaks str.format() at run time."""
    broken = []
    for context in ET.parse(TS_FILE).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None or translation.get("type") == "unfinished" or not translation.text:
                continue
            text = translation.text
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text)):
                broken.append(f"[{name}] {source!r} -> {text!r} (placeholders differ)")
            if sorted(re.findall(r"%\d", source)) != sorted(re.findall(r"%\d", text)):
                broken.append(f"[{name}] {source!r} -> {text!r} (%n arguments differ)")
            if ("&" in _TAG.sub("", source).replace("&&", "")) != ("&" in _TAG.sub("", text).replace("&&", "")):
                broken.append(f"[{name}] {source!r} -> {text!r} (keyboard accelerator & lost or added)")
    assert not broken, "\n".join(broken)

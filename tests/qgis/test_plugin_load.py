"""The plugin loads, shows its menu entry / dock / options page / provider, and unloads without leftovers."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.gui import QgsDockWidget, QgsOptionsWidgetFactory
from qgis.PyQt.QtCore import QCoreApplication, QEvent

import opendata_publisher
from opendata_publisher.compat import QAction
from opendata_publisher.processing.provider import PROVIDER_ID


def _flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _our_docks(iface):
    return [w for w in iface.mainWindow().findChildren(QgsDockWidget) if w.objectName() == "OpenDataPublisherDock"]


def _our_actions(iface):
    return [
        a
        for a in iface.mainWindow().findChildren(QAction)
        if a.objectName() in ("OpenDataPublisherAction", "OpenDataPublisherOptionsAction")
    ]


_loaded = []


@pytest.fixture(autouse=True)
def _unload_leftovers():
    """A failing test must not leave the provider registered for the next one."""
    yield
    while _loaded:
        plugin = _loaded.pop()
        if plugin.provider is not None or plugin.action_dock is not None:
            plugin.unload()
    _flush_deletes()


@pytest.fixture
def iface(qgis_iface):
    for name in (
        "addPluginToWebMenu",
        "removePluginWebMenu",
        "addWebToolBarIcon",
        "removeWebToolBarIcon",
        "registerOptionsWidgetFactory",
        "unregisterOptionsWidgetFactory",
    ):
        getattr(qgis_iface, name).reset_mock()
    yield qgis_iface
    _flush_deletes()


def _load(iface):
    plugin = opendata_publisher.classFactory(iface)
    _loaded.append(plugin)
    plugin.initGui()
    return plugin


def test_load_then_unload_leaves_nothing(iface):
    registry = QgsApplication.processingRegistry()
    assert registry.providerById(PROVIDER_ID) is None
    plugin = _load(iface)

    # Web menu + toolbar
    menu_calls = iface.addPluginToWebMenu.call_args_list
    assert [c.args[1].text() for c in menu_calls][0] == plugin.tr("Open data")
    assert all(c.args[0] == "Open Data Publisher" for c in menu_calls)
    iface.addWebToolBarIcon.assert_called_once_with(plugin.action_dock)
    assert len(_our_actions(iface)) == 2

    # options page factory
    iface.registerOptionsWidgetFactory.assert_called_once()
    factory = iface.registerOptionsWidgetFactory.call_args.args[0]
    assert isinstance(factory, QgsOptionsWidgetFactory)

    # provider
    provider = registry.providerById(PROVIDER_ID)
    assert provider is not None
    assert provider is plugin.provider

    # dock (a missing gui module of ours is a failure, never a skip)
    assert len(_our_docks(iface)) == 1
    assert plugin.dock is not None and plugin.dock.isHidden()
    plugin.action_dock.trigger()  # toolbar button toggles the dock
    assert not plugin.dock.isHidden()
    assert plugin.action_dock.isChecked()
    plugin.action_dock.trigger()
    assert plugin.dock.isHidden()

    plugin.unload()
    _flush_deletes()

    assert registry.providerById(PROVIDER_ID) is None
    assert _our_docks(iface) == []
    assert _our_actions(iface) == []
    removed = [c.args[1] for c in iface.removePluginWebMenu.call_args_list]
    assert len(removed) == len(menu_calls)
    iface.removeWebToolBarIcon.assert_called_once()
    iface.unregisterOptionsWidgetFactory.assert_called_once_with(factory)
    assert plugin.translator is None


def test_load_twice_in_a_row(iface):
    registry = QgsApplication.processingRegistry()
    for _ in range(2):
        plugin = _load(iface)
        assert registry.providerById(PROVIDER_ID) is not None
        assert len(_our_docks(iface)) == 1
        plugin.unload()
        _flush_deletes()
        assert registry.providerById(PROVIDER_ID) is None
        assert _our_docks(iface) == []
        assert _our_actions(iface) == []


def test_processing_without_gui(qgis_iface):
    """qgis_process calls initProcessing() alone: the provider registers and unload() removes it."""
    registry = QgsApplication.processingRegistry()
    plugin = opendata_publisher.classFactory(None)
    _loaded.append(plugin)
    plugin.initProcessing()
    plugin.initProcessing()  # idempotent
    provider = registry.providerById(PROVIDER_ID)
    assert provider is not None
    assert provider.id() == "opendata_publisher"
    plugin.unload()
    assert registry.providerById(PROVIDER_ID) is None


def test_broken_dock_is_reported_and_the_rest_still_works(iface, monkeypatch):
    """A dock that fails to build is logged in French; menu, options and provider still load and unload."""
    broken = types.ModuleType("opendata_publisher.gui.dock")

    class BrokenDock:
        def __init__(self, *args, **kwargs):
            raise RuntimeError("boom")

    broken.OpenDataDock = BrokenDock
    monkeypatch.setitem(sys.modules, "opendata_publisher.gui.dock", broken)
    messages = []

    def on_message(message, tag, level):
        messages.append((tag, message))

    QgsApplication.messageLog().messageReceived.connect(on_message)
    try:
        plugin = _load(iface)
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(on_message)
    assert plugin.dock is None
    assert _our_docks(iface) == []
    assert any(tag == "Open Data Publisher" and "Le panneau" in text and "boom" in text for tag, text in messages)
    assert QgsApplication.processingRegistry().providerById(PROVIDER_ID) is not None
    plugin.unload()
    assert QgsApplication.processingRegistry().providerById(PROVIDER_ID) is None


LRELEASE = next(
    (
        p
        for p in (shutil.which("lrelease"), "/usr/lib/qt5/bin/lrelease", "/usr/lib/qt6/bin/lrelease")
        if p and Path(p).exists()
    ),
    None,
)


@pytest.mark.skipif(LRELEASE is None, reason="lrelease not installed (apt install qttools5-dev-tools)")
def test_french_interface_from_user_locale(iface, tmp_path, monkeypatch):
    """The translator follows locale/userLocale and is removed on unload."""
    from opendata_publisher.toolbelt import i18n

    ts = Path(__file__).resolve().parents[2] / "i18n" / "opendata_publisher_fr.ts"
    qm = tmp_path / "opendata_publisher_fr.qm"
    subprocess.run([LRELEASE, "-silent", str(ts), "-qm", str(qm)], check=True)
    monkeypatch.setattr(i18n, "qm_file", lambda language: qm if language == "fr" else None)
    settings = QgsSettings()
    previous = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", "fr_FR")
    try:
        assert i18n.user_language() == "fr"
        plugin = _load(iface)
        assert plugin.translator is not None
        assert plugin.action_dock.text() == "Données ouvertes"
        assert plugin.provider.name() == "Données ouvertes"
        plugin.unload()
        assert QCoreApplication.translate("OpenDataPublisherPlugin", "Open data") == "Open data"
    finally:
        settings.setValue("locale/userLocale", previous)


def test_dock_pages_are_built_on_first_show(iface, monkeypatch):
    """Start-up (issue 18): the dock is there but empty; QGIS showing it (window state restored) builds it."""
    from opendata_publisher.gui.check_page import CheckPage

    monkeypatch.setattr(CheckPage, "load_catalogue", lambda self, refresh=False: None)  # never the network
    plugin = _load(iface)
    assert plugin.dock is not None and not plugin.dock.pages_built() and plugin.dock.pages() == []
    window = iface.mainWindow()
    was_visible = window.isVisible()
    window.show()
    try:
        plugin.dock.show()  # as QMainWindow.restoreState() does for a dock left open
        assert plugin.dock.pages_built() and len(plugin.dock.pages()) >= 5
        assert plugin.action_dock.isChecked()
    finally:
        plugin.unload()
        window.setVisible(was_visible)


def test_dock_pages_that_fail_to_build_are_reported(iface, monkeypatch):
    """A page that cannot be built on first use: French log, the agent is told, the rest still unloads."""
    from opendata_publisher import plugin_main
    from opendata_publisher.gui.dock import OpenDataDock

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(OpenDataDock, "build_pages", broken)
    warnings = []
    monkeypatch.setattr(plugin_main.QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    messages = []

    def on_message(message, tag, level):
        messages.append((tag, message))

    plugin = _load(iface)
    QgsApplication.messageLog().messageReceived.connect(on_message)
    try:
        plugin.action_dock.trigger()
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(on_message)
    _flush_deletes()
    assert plugin.dock is None and _our_docks(iface) == []
    assert not plugin.action_dock.isChecked()
    assert len(warnings) == 1 and "could not be created" in warnings[0]
    assert any(tag == "Open Data Publisher" and "Le panneau" in text and "boom" in text for tag, text in messages)
    plugin.action_dock.trigger()  # pressed again: told again, nothing else breaks
    assert len(warnings) == 2
    plugin.unload()
    assert QgsApplication.processingRegistry().providerById(PROVIDER_ID) is None

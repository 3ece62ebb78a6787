"""Settings round-trip, environment overrides, cache folder, options page and logger switches."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import Qgis, QgsApplication, QgsSettings

from opendata_publisher.toolbelt import log as log_module
from opendata_publisher.toolbelt.settings import (
    DEFAULT_CATALOGUE_URL,
    ENV_PREFIX,
    SETTINGS_GROUP,
    PluginSettings,
    cache_directory,
)


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch):
    for name in PluginSettings.field_names():
        monkeypatch.delenv(ENV_PREFIX + name.upper(), raising=False)
    PluginSettings.reset()
    log_module.set_debug(None)
    yield
    PluginSettings.reset()
    log_module.set_debug(None)


@pytest.fixture
def log_messages():
    received = []

    def on_message(message, tag, level):
        if tag == log_module.LOG_TAG:
            received.append((message, level))

    QgsApplication.messageLog().messageReceived.connect(on_message)
    yield received
    QgsApplication.messageLog().messageReceived.disconnect(on_message)


def test_defaults_when_nothing_stored():
    settings = PluginSettings.load()
    assert settings == PluginSettings()
    assert settings.catalogue_url == DEFAULT_CATALOGUE_URL == "https://schema.data.gouv.fr/schemas.json"
    assert settings.cache_dir == ""
    assert settings.request_timeout_s == 30
    assert settings.debug is False
    assert settings.selected_only_default is False


def test_round_trip():
    saved = PluginSettings(
        catalogue_url="https://intranet.example/schemas.json",
        cache_dir="/tmp/odp-cache",
        request_timeout_s=45,
        debug=True,
        selected_only_default=True,
    )
    saved.save()
    assert QgsSettings().value(f"{SETTINGS_GROUP}/request_timeout_s") in (45, "45")
    loaded = PluginSettings.load()
    assert loaded == saved
    assert isinstance(loaded.request_timeout_s, int)
    assert isinstance(loaded.debug, bool)


def test_invalid_stored_values_fall_back_to_defaults():
    qsettings = QgsSettings()
    qsettings.setValue(f"{SETTINGS_GROUP}/request_timeout_s", "beaucoup")
    qsettings.setValue(f"{SETTINGS_GROUP}/catalogue_url", "   ")
    loaded = PluginSettings.load()
    assert loaded.request_timeout_s == 30
    assert loaded.catalogue_url == DEFAULT_CATALOGUE_URL


def test_environment_overrides_the_profile(monkeypatch):
    PluginSettings(request_timeout_s=45, debug=False).save()
    monkeypatch.setenv("QGIS_OPENDATA_PUBLISHER_REQUEST_TIMEOUT_S", "5")
    monkeypatch.setenv("QGIS_OPENDATA_PUBLISHER_DEBUG", "true")
    monkeypatch.setenv("QGIS_OPENDATA_PUBLISHER_CATALOGUE_URL", "https://mirror.example/schemas.json")
    loaded = PluginSettings.load()
    assert loaded.request_timeout_s == 5
    assert loaded.debug is True
    assert loaded.catalogue_url == "https://mirror.example/schemas.json"
    stored = PluginSettings.load(apply_env=False)
    assert stored.request_timeout_s == 45
    assert stored.debug is False
    assert set(PluginSettings.env_overrides()) == {"request_timeout_s", "debug", "catalogue_url"}


def test_cache_directory_default_and_custom(tmp_path):
    default = PluginSettings().cache_directory(create=False)
    assert default == Path(QgsApplication.qgisSettingsDirPath()) / "opendata_publisher" / "cache"
    custom = tmp_path / "cache" / "odp"
    settings = PluginSettings(cache_dir=str(custom))
    assert settings.cache_directory() == custom
    assert custom.is_dir()
    settings.save()
    assert cache_directory() == custom


def test_debug_messages_follow_the_setting(log_messages):
    log_module.log("visible", Qgis.MessageLevel.Info)
    log_module.log_debug("détail caché")
    PluginSettings(debug=True).save()
    log_module.log_debug("détail visible")
    texts = [message for message, _ in log_messages]
    assert "visible" in texts
    assert "détail caché" not in texts
    assert "détail visible" in texts


def test_log_masks_secrets_and_pushes(log_messages, qgis_iface):
    log_module.log(
        "POST https://www.data.gouv.fr/api/1/datasets/?apikey=abc123 X-API-KEY: zzz999 Authorization: Bearer tok456",
        Qgis.MessageLevel.Warning,
        push=True,
    )
    message, level = log_messages[-1]
    assert level == Qgis.MessageLevel.Warning
    for secret in ("abc123", "zzz999", "tok456"):
        assert secret not in message
    assert "https://www.data.gouv.fr/api/1/datasets/" in message
    assert log_module.redact('{"api_key": "s3cr3t", "title": "Arbres"}') == '{"api_key": "***", "title": "Arbres"}'
    assert log_module.redact("https://user:pa55@host/x") == "https://user:***@host/x"


# --- options page ------------------------------------------------------------------------------------


def test_options_page_edits_and_saves(qgis_iface, tmp_path):
    from opendata_publisher.gui.options_page import OptionsFactory, OptionsPage

    factory = OptionsFactory()
    assert factory.title()
    assert not factory.icon().isNull()
    page = factory.createWidget(None)
    assert isinstance(page, OptionsPage)
    assert page.catalogue_url.text() == DEFAULT_CATALOGUE_URL
    page.catalogue_url.setText("https://intranet.example/schemas.json")
    page.cache_dir.setFilePath(str(tmp_path))
    page.timeout.setValue(12)
    page.debug.setChecked(True)
    page.selected_only.setChecked(True)
    page.apply()
    loaded = PluginSettings.load()
    assert loaded.catalogue_url == "https://intranet.example/schemas.json"
    assert loaded.cache_dir == str(tmp_path)
    assert loaded.request_timeout_s == 12
    assert loaded.debug is True
    assert loaded.selected_only_default is True

    page.reset_url_button.click()
    assert page.catalogue_url.text() == DEFAULT_CATALOGUE_URL
    page.deleteLater()


def test_options_page_clear_cache_removes_only_our_files(qgis_iface, tmp_path):
    from opendata_publisher.gui.options_page import OptionsPage

    (tmp_path / "catalogue").mkdir()
    (tmp_path / "catalogue" / "schemas.json").write_text("{}")
    (tmp_path / "schemas" / "etalab" / "schema-arbre" / "0.3.1").mkdir(parents=True)
    (tmp_path / "schemas" / "etalab" / "schema-arbre" / "0.3.1" / "schema.json").write_text("{}")
    (tmp_path / "notes-de-l-agent.txt").write_text("ne pas effacer")
    PluginSettings(cache_dir=str(tmp_path)).save()
    page = OptionsPage()
    assert page.clear_cache() == 2
    assert not (tmp_path / "catalogue").exists()
    assert not (tmp_path / "schemas").exists()
    assert (tmp_path / "notes-de-l-agent.txt").read_text() == "ne pas effacer"
    assert "2" in page.cache_status.text()
    page.deleteLater()


def test_options_page_respects_environment(qgis_iface, monkeypatch):
    from opendata_publisher.gui.options_page import OptionsPage

    PluginSettings(request_timeout_s=40).save()
    monkeypatch.setenv("QGIS_OPENDATA_PUBLISHER_REQUEST_TIMEOUT_S", "7")
    page = OptionsPage()
    assert page.timeout.value() == 7
    assert not page.timeout.isEnabled()
    assert page.catalogue_url.isEnabled()
    assert "QGIS_OPENDATA_PUBLISHER_REQUEST_TIMEOUT_S" in page.env_label.text()
    page.debug.setChecked(True)
    page.apply()
    stored = PluginSettings.load(apply_env=False)
    assert stored.request_timeout_s == 40  # the environment value is not written to the profile
    assert stored.debug is True
    page.deleteLater()

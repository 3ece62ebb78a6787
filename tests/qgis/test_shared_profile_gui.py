"""The shared profile as an agent meets it: Options (address, « Je publie pour », locked organisation fields),
Décrire (locked fields with their note, prefill from the member), portal connections given by the profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsVectorLayer

from opendata_publisher.core import shared_profile as sp
from opendata_publisher.core.portals.connections import (
    get_connection,
    is_profile_connection,
    list_connections,
    remove_connection,
    save_connection,
)
from opendata_publisher.toolbelt.settings import ENV_PREFIX, PluginSettings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "metadata" / "profiles" / "orleans-metropole.json"


@pytest.fixture
def clean_settings(monkeypatch, tmp_path):
    for name in PluginSettings.field_names():
        monkeypatch.delenv(ENV_PREFIX + name.upper(), raising=False)
    monkeypatch.setenv(ENV_PREFIX + "CACHE_DIR", str(tmp_path / "cache"))
    PluginSettings.reset()
    sp.forget_session()
    yield
    sp.forget_session()
    PluginSettings.reset()


def _save(**values):
    settings = PluginSettings.load(apply_env=False)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    sp.forget_session()


def test_options_page_reads_the_profile_and_locks_what_it_fixes(clean_settings, qgis_iface):
    from opendata_publisher.gui.options_page import OptionsPage

    _save(organisation_name="Mairie de Saran (à la main)", contact_email="moi@saran.fr", default_keywords="voirie")
    options = OptionsPage()
    box = options.shared_profile_box
    assert not box.member.isEnabled()  # no profile yet
    box.source.setFilePath(str(EXAMPLE))
    box.reload()
    assert "23 members" in box.status.text() or "23 membres" in box.status.text()
    assert box.member.count() == 24  # « — choose — » + the metropolis + 22 communes
    box.member.setCurrentIndex(box.member.findData("saran"))
    org_box = options.profile_box
    assert org_box.value("organisation_name") == "Saran"
    assert org_box.value("organisation_siren") == "214503021"
    assert not org_box.widgets["organisation_name"].isEnabled()
    assert sp.LOCKED_LABEL in org_box.widgets["organisation_name"].toolTip()
    assert not org_box.locked_note.isHidden()
    assert org_box.widgets["default_keywords"].isEnabled()  # the profile says nothing of the agent's own keywords
    options.apply()
    stored = PluginSettings.load(apply_env=False)
    assert stored.shared_profile == str(EXAMPLE) and stored.profile_member == "saran"
    # the agent's own values are kept for when the profile says nothing (never overwritten by the lock)
    assert stored.organisation_name == "Mairie de Saran (à la main)"

    reopened = OptionsPage()
    assert reopened.shared_profile_box.member_id() == "saran"
    assert reopened.profile_box.value("organisation_name") == "Saran"
    reopened.shared_profile_box.member.setCurrentIndex(0)  # no member: the agent's own values come back
    assert reopened.profile_box.value("organisation_name") == "Mairie de Saran (à la main)"
    assert reopened.profile_box.widgets["organisation_name"].isEnabled()


def test_options_page_says_why_a_profile_cannot_be_read(clean_settings, qgis_iface, tmp_path):
    from opendata_publisher.gui.options_page import OptionsPage

    broken = tmp_path / "profil.json"
    broken.write_text(json.dumps({"name": "x"}), encoding="utf-8")
    options = OptionsPage()
    box = options.shared_profile_box
    box.source.setFilePath(str(broken))
    box.reload()
    assert "n'est pas valide" in box.status.text() and "obligatoire mais absent" in box.status.text()
    assert box.member.count() == 1


def test_profile_connections_are_ready_and_keep_only_the_agents_key(clean_settings, qgis_iface):
    _save(shared_profile=str(EXAMPLE), profile_member="saran")
    connections = list_connections()
    shared = [c for c in connections if is_profile_connection(c.name)]
    assert {c.portal_type for c in shared} == {"opendatasoft", "udata"}
    ods = next(c for c in shared if c.portal_type == "opendatasoft")
    assert ods.organisation == "ville-saran" and ods.authcfg == ""
    # the agent adds a key (an auth config id): only that is stored; address and organisation stay the profile's
    edited = ods.__class__(**{**ods.to_dict(), "authcfg": "abc1234", "organisation": "autre", "base_url": "https://x"})
    save_connection(edited)
    again = get_connection(ods.name)
    assert again.authcfg == "abc1234" and again.organisation == "ville-saran"
    assert again.base_url == "https://data.orleans-metropole.example"
    assert not remove_connection(ods.name)  # defined by the profile
    # another member: same portal, that member's organisation
    _save(profile_member="olivet")
    assert get_connection(ods.name).organisation == "ville-olivet"


def test_describe_page_shows_locked_fields_and_prefills_the_member(clean_settings, qgis_iface, tmp_path):
    from opendata_publisher.core.metadata.layer_metadata import write_layer_description
    from opendata_publisher.core.metadata.model import DatasetDescription, Organisation
    from opendata_publisher.gui.describe_page import DescribePage

    _save(shared_profile=str(EXAMPLE), profile_member="saran")
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=id:string", "Parkings", "memory")
    QgsProject.instance().addMapLayer(layer)
    write_layer_description(
        layer,
        DatasetDescription(
            title="Parkings", description="Parkings de la ville.", publisher=Organisation(name="Ancienne mairie")
        ),
    )
    page = DescribePage(qgis_iface, run_inline=True, schema_loader=lambda ref, catalogue: None)
    page.ask_unsaved_func = lambda name: True
    try:
        page.load_layer(layer)
        assert page.org_edits["publisher_name"].isReadOnly()
        assert page.org_edits["publisher_name"].text() == "Saran"  # the profile's value, not the old one
        assert page.dirty
        assert not page.rows["publisher"].note_label.isHidden()
        assert page.rows["publisher"].note_label.text() == sp.LOCKED_LABEL
        assert not page.title_edit.isReadOnly()
        findings = page.refresh_completeness()
        codes = {f.code for f in findings}
        assert "profile-title-convention" in codes  # « Parkings » is not « … — Saran »
        page.title_edit.setText("Parkings — Saran")
        assert "profile-title-convention" not in {f.code for f in page.refresh_completeness()}
    finally:
        page.cleanup()
        QgsProject.instance().removeMapLayer(layer.id())

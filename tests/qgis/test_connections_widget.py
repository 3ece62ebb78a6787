"""Connection editor: add / edit / rename / remove with the key only in the QGIS authentication database, and
« Tester la connexion » against a local HTTP server speaking the udata /api/1/me/ shape."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtWidgets import QDialog

from opendata_publisher.core.portals.connections import get_connection, remove_connection
from opendata_publisher.gui.connections_widget import ConnectionDialog, ConnectionsWidget
from opendata_publisher.toolbelt.auth import api_key, has_api_key
from tests.helpers.http_server import http_server  # noqa: F401 - fixture

TEST_MASTER_PASSWORD = "opendata-publisher-tests"  # throw-away auth database of the test profile (as tests/portals)
NAMES = ("Publier test udata", "Publier test udata renommée", "Publier test CKAN")


@pytest.fixture(scope="module")
def auth_manager(qgis_app):
    manager = QgsApplication.authManager()
    database = Path(manager.authenticationDatabasePath() or QgsApplication.qgisAuthDatabaseFilePath()).resolve()
    if not manager.masterPasswordIsSet() and not manager.setMasterPassword(TEST_MASTER_PASSWORD, True):
        test_profile = ".qgis-settings" in database.parts or Path(tempfile.gettempdir()).resolve() in database.parents
        if not test_profile:
            pytest.skip(f"refusing to touch a real QGIS authentication database: {database}")
        manager.eraseAuthenticationDatabase(False)
        assert manager.setMasterPassword(TEST_MASTER_PASSWORD, True), f"cannot unlock the test database {database}"
    return manager


@pytest.fixture
def clean(auth_manager):
    yield
    for name in NAMES:
        remove_connection(name, remove_key=True)


def settings_text() -> str:
    settings = QgsSettings()
    settings.sync()
    return Path(settings.fileName()).read_text(encoding="utf-8", errors="replace")


def filler(**values):
    """An exec_dialog replacement: fills the form like the agent, then presses OK."""

    def run(dialog: ConnectionDialog) -> bool:
        if "portal_type" in values:
            dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(values["portal_type"]))
        if "name" in values:
            dialog.name_edit.setText(values["name"])
        if "url" in values:
            dialog.url_combo.setEditText(values["url"])
        if "key" in values:
            dialog.key_edit.setText(values["key"])
        if "organisation" in values:
            dialog.org_combo.setEditText(values["organisation"])
        if "private" in values:
            dialog.private_check.setChecked(values["private"])
        dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    return run


def test_add_edit_rename_remove_with_the_key_only_in_the_auth_database(clean, auth_manager):
    widget = ConnectionsWidget(run_inline=True)
    key = "udata_" + secrets.token_hex(16)
    widget.exec_dialog = filler(
        portal_type="udata", name=NAMES[0], url="https://demo.data.gouv.fr/", key=key, organisation="ma-commune"
    )
    added = widget.add_connection()
    assert added is not None
    stored = get_connection(NAMES[0])
    assert stored.portal_type == "udata" and stored.base_url == "https://demo.data.gouv.fr"
    assert stored.organisation == "ma-commune" and stored.authcfg
    assert api_key(stored.authcfg) == key
    assert key not in settings_text()
    assert widget.current_name() == NAMES[0]
    assert any(NAMES[0] in widget.list_widget.item(r).text() for r in range(widget.list_widget.count()))

    # edit: new key in the same auth configuration, draft ticked
    newer = secrets.token_hex(20)
    widget.exec_dialog = filler(key=newer, private=True)
    widget.edit_connection(NAMES[0])
    edited = get_connection(NAMES[0])
    assert edited.authcfg == stored.authcfg and edited.private is True
    assert api_key(edited.authcfg) == newer
    assert newer not in settings_text() and key not in settings_text()

    # editing without typing a key keeps the stored one
    widget.exec_dialog = filler(organisation="autre-org")
    widget.edit_connection(NAMES[0])
    assert api_key(get_connection(NAMES[0]).authcfg) == newer

    # rename: the old entry disappears, the key follows
    widget.exec_dialog = filler(name=NAMES[1])
    widget.edit_connection(NAMES[0])
    assert get_connection(NAMES[0]) is None
    assert get_connection(NAMES[1]).authcfg == stored.authcfg and has_api_key(stored.authcfg)

    # remove: the agent says no, then yes; the key leaves the auth database
    widget.confirm_remove = lambda name: False
    assert widget.remove_connection(NAMES[1]) is False and get_connection(NAMES[1]) is not None
    widget.confirm_remove = lambda name: True
    assert widget.remove_connection(NAMES[1]) is True
    assert get_connection(NAMES[1]) is None
    assert not has_api_key(stored.authcfg)
    assert widget.list_widget.count() == len(widget.connections())


def test_invalid_form_is_refused_with_a_reason_and_a_cancelled_dialog_forgets_its_key(clean, auth_manager):
    widget = ConnectionsWidget(run_inline=True)
    widget.exec_dialog = filler(portal_type="ckan", name=NAMES[2], url="https://ckan.example.org")  # no key
    assert widget.add_connection() is None
    assert get_connection(NAMES[2]) is None

    dialog = ConnectionDialog(None, existing_names=[], run_inline=True)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("ckan"))
    dialog.name_edit.setText(NAMES[2])
    dialog.url_combo.setEditText("ckan.example.org")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "https://" in dialog.last_error
    dialog.key_edit.setText("cle-" + secrets.token_hex(8))
    dialog.url_combo.setEditText("http://ckan.example.org")  # the key would travel in clear text
    assert "https://" in dialog.problem()
    dialog.url_combo.setEditText("http://127.0.0.1:5000")  # a portal on this computer (tests, local portal)
    assert dialog.problem() == ""
    dialog.url_combo.setEditText("https://ckan.example.org")
    assert dialog.store_key()  # as « Tester la connexion » does before asking the portal
    created = dialog.authcfg
    assert has_api_key(created) and dialog.key_edit.text() == ""
    dialog.reject()
    assert not has_api_key(created)  # the agent cancelled: nothing left behind


def test_folder_connection_needs_no_key(clean, tmp_path):
    dialog = ConnectionDialog(None, run_inline=True)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("folder"))
    assert dialog.key_edit.isHidden() and not dialog.browse_button.isHidden()
    dialog.name_edit.setText(NAMES[2])
    dialog.url_combo.setEditText(str(tmp_path / "publication"))
    assert dialog.problem() == ""
    dialog.test_connection()
    assert dialog.last_error == ""
    assert (tmp_path / "publication").is_dir()
    assert dialog.connection().authcfg == "" and dialog.connection().portal_type == "folder"


def test_test_connection_lists_the_organisations_of_the_key(clean, auth_manager, http_server):  # noqa: F811
    key = secrets.token_hex(20)
    seen = []

    def me(request):
        seen.append(request.header("X-API-KEY"))
        if request.header("X-API-KEY") != key:
            return 401, {}, {"message": "Invalid API Key"}
        return (
            200,
            {},
            {
                "id": "u1",
                "first_name": "Agent",
                "organizations": [
                    {"id": "org-a", "name": "Commune de Test", "slug": "commune-de-test"},
                    {"id": "org-b", "name": "Syndicat des eaux", "slug": "syndicat-des-eaux"},
                ],
            },
        )

    http_server.route("/api/1/me/", handler=me)
    dialog = ConnectionDialog(None, run_inline=True)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("udata"))
    dialog.name_edit.setText(NAMES[0])
    dialog.url_combo.setEditText(http_server.base_url)
    dialog.org_combo.setEditText("syndicat-des-eaux")
    dialog.key_edit.setText(key)
    dialog.test_connection()
    assert seen == [key]
    assert dialog.last_error == ""
    assert [dialog.org_combo.itemData(i) for i in range(dialog.org_combo.count())] == ["org-a", "org-b"]
    assert dialog.current_organisation() == "org-b"  # the slug typed before is kept, as its id
    assert "2 organisation" in dialog.status_label.text()
    authcfg = dialog.authcfg
    assert api_key(authcfg) == key

    # a wrong key: the French message with the portal's own text, nothing listed as OK
    dialog.key_edit.setText("mauvaise-" + secrets.token_hex(4))
    dialog.test_connection()
    assert seen[-1].startswith("mauvaise-")
    assert dialog.last_error and "Invalid API Key" in dialog.last_error
    assert dialog.status_label.text() == dialog.last_error
    assert "mauvaise-" not in dialog.last_error  # never the key itself
    dialog.reject()
    assert not has_api_key(authcfg)


def test_options_page_has_the_connections_section(qgis_app):
    from opendata_publisher.gui.options_page import OptionsPage

    page = OptionsPage()
    assert isinstance(page.connections_box.widget, ConnectionsWidget)
    assert page.connections_box.title() == "Portal connections"

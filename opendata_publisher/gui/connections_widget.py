"""Portal connections editor: the « Connexions aux portails » section of the Options page, also shown as a
dialog from the « Publier » page (« Gérer les connexions… »).

A connection (:class:`~opendata_publisher.core.portals.base.PortalConnection`) is saved in the QGIS profile by
:mod:`opendata_publisher.core.portals.connections`; its API key is typed in a password field and stored ONLY in the
QGIS authentication database (:func:`opendata_publisher.toolbelt.auth.store_api_key`), never in settings.
« Tester la connexion » runs ``adapter.test_connection`` in a background task and fills the organisation list.

The master password of the QGIS authentication database is asked on the main thread (``store_api_key`` and
:func:`~opendata_publisher.toolbelt.auth.ensure_master_password`) before any task reads a key.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Callable, List, Optional

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.portals.base import PORTAL_TYPES, PortalConnection
from .tasks import _FeedbackTask
from .widgets.task_host import TaskHost

#: portal type -> label shown in the combo (proper names: the same in French)
PORTAL_TITLES = {
    "udata": "data.gouv.fr (udata)",
    "opendatasoft": "Opendatasoft",
    "ckan": "CKAN",
}

#: example base URLs offered in the address combo
URL_EXAMPLES = {
    "udata": ["https://www.data.gouv.fr", "https://demo.data.gouv.fr"],
    "opendatasoft": ["https://data.orleans-metropole.fr"],
    "ckan": ["https://demo.ckan.org"],
    "folder": [],
}


def portal_title(portal_type: str) -> str:
    if portal_type == "folder":
        return QCoreApplication.translate("ConnectionsWidget", "Local folder")
    return PORTAL_TITLES.get(portal_type, portal_type)


class ConnectionTestTask(_FeedbackTask):
    """``adapter.test_connection`` in the background; emits the organisations the key can publish for."""

    organisationsReady = pyqtSignal(list)  # List[Organisation]

    def what(self) -> str:
        return QCoreApplication.translate("OpenDataTasks", "The connection test")

    def __init__(self, connection: PortalConnection, test_func: Optional[Callable] = None):
        super().__init__(
            QCoreApplication.translate("OpenDataTasks", "Testing the connection {name}").format(name=connection.name)
        )
        self.connection = connection
        self.test_func = test_func

    def work(self):
        if self.test_func is not None:
            return list(self.test_func(self.connection, self.feedback))
        from ..core.portals import adapter_for

        return list(adapter_for(self.connection).test_connection(self.feedback))

    def finished(self, result: bool) -> None:
        if not result and self.exception is not None and _is_french_error(self.exception):
            self.failed.emit(str(self.exception))
            return
        super().finished(result)

    def succeeded(self, value) -> None:
        self.organisationsReady.emit(value)


def _is_french_error(exc: BaseException) -> bool:
    """Our own errors carry a French sentence saying what to do: show it as it is."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"PortalError", "AuthError", "NetworkError", "ExportError"})


# ===================================================================== one connection


class ConnectionDialog(QDialog):
    """Add or edit one connection. ``accept()`` validates the form and stores the typed key in the QGIS
    authentication database; :meth:`connection` is then the connection to save (no secret in it)."""

    def __init__(
        self,
        connection: Optional[PortalConnection] = None,
        parent: Optional[QWidget] = None,
        existing_names: Optional[List[str]] = None,
        run_inline: bool = False,
    ):
        super().__init__(parent)
        self.setObjectName("OpenDataConnectionDialog")
        self.original = connection
        self.existing_names = [n for n in existing_names or [] if connection is None or n != connection.name]
        self.run_inline = run_inline
        self.authcfg = connection.authcfg if connection is not None else ""
        self._created_authcfg = ""  # made by this dialog: removed again when the dialog is cancelled
        self._tasks = TaskHost(self)
        self.organisations: List = []
        self.last_error = ""
        self.test_func: Optional[Callable] = None  # tests: replaces adapter.test_connection
        self.setWindowTitle(self.tr("Portal connection") if connection is None else self.tr("Edit the connection"))
        self.setMinimumWidth(420)
        self._build()
        self._show(connection or PortalConnection(name="", portal_type="udata", base_url="https://www.data.gouv.fr"))

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ConnectionDialog", text)

    # -- UI ----------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("connectionType")
        for portal_type in PORTAL_TYPES:
            self.type_combo.addItem(portal_title(portal_type), portal_type)
        self.type_combo.setToolTip(self.tr("The software of the portal you publish to"))
        form.addRow(self.tr("Portal"), self.type_combo)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("connectionName")
        self.name_edit.setPlaceholderText(self.tr("e.g. data.gouv.fr — my commune"))
        form.addRow(self.tr("Name"), self.name_edit)

        url_row = QHBoxLayout()
        self.url_combo = QComboBox(self)
        self.url_combo.setObjectName("connectionUrl")
        self.url_combo.setEditable(True)
        self.url_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        url_row.addWidget(self.url_combo, 1)
        self.browse_button = QPushButton(self.tr("Browse…"), self)
        self.browse_button.setObjectName("connectionBrowse")
        self.browse_button.clicked.connect(self._browse_folder)
        url_row.addWidget(self.browse_button)
        self.url_label = QLabel(self.tr("Address"), self)
        form.addRow(self.url_label, url_row)

        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("connectionKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setToolTip(
            self.tr(
                "The API key of your account on the portal. It is kept in the QGIS authentication database "
                "(protected by its master password), never in the settings."
            )
        )
        self.key_label = QLabel(self.tr("API key"), self)
        form.addRow(self.key_label, self.key_edit)

        org_row = QHBoxLayout()
        self.org_combo = QComboBox(self)
        self.org_combo.setObjectName("connectionOrganisation")
        self.org_combo.setEditable(True)
        self.org_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.org_combo.setToolTip(
            self.tr("The organisation the datasets are published for: click « Test the connection » to list them")
        )
        org_row.addWidget(self.org_combo, 1)
        self.org_label = QLabel(self.tr("Organisation"), self)
        form.addRow(self.org_label, org_row)

        self.private_check = QCheckBox(self.tr("Create new datasets as private / draft"), self)
        self.private_check.setObjectName("connectionPrivate")
        self.private_check.setToolTip(
            self.tr("The dataset is created hidden: check it on the portal, then make it public there")
        )
        form.addRow(self.private_check)

        advanced = QGroupBox(self.tr("Advanced"), self)
        advanced_form = QFormLayout(advanced)
        self.chunk_spin = QSpinBox(advanced)
        self.chunk_spin.setObjectName("connectionChunk")
        self.chunk_spin.setRange(1, 1024)
        self.chunk_spin.setSuffix(self.tr(" MB"))
        self.chunk_spin.setToolTip(self.tr("Larger files are sent in parts of this size (data.gouv.fr)"))
        advanced_form.addRow(self.tr("Part size"), self.chunk_spin)
        self.timeout_spin = QSpinBox(advanced)
        self.timeout_spin.setObjectName("connectionTimeout")
        self.timeout_spin.setRange(5, 3600)
        self.timeout_spin.setSuffix(self.tr(" s"))
        self.timeout_spin.setToolTip(self.tr("How long to wait for the portal before giving up"))
        advanced_form.addRow(self.tr("Timeout"), self.timeout_spin)
        self.advanced_box = advanced
        layout.addLayout(form)
        layout.addWidget(advanced)

        test_row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test the connection"), self)
        self.test_button.setObjectName("connectionTest")
        self.test_button.setIcon(QgsApplication.getThemeIcon("/mActionRefresh.svg"))
        self.test_button.clicked.connect(self.test_connection)
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("connectionStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        layout.addStretch(1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.type_combo.currentIndexChanged.connect(self._type_changed)

    def _show(self, connection: PortalConnection) -> None:
        index = self.type_combo.findData(connection.portal_type)
        self.type_combo.setCurrentIndex(max(index, 0))
        self._type_changed()
        self.name_edit.setText(connection.name)
        self.url_combo.setEditText(connection.base_url)
        self.org_combo.setEditText(connection.organisation)
        self.private_check.setChecked(bool(connection.private))
        self.chunk_spin.setValue(int(connection.chunk_size_mb or 10))  # noqa: QGS202
        self.timeout_spin.setValue(int(connection.timeout_s or 60))  # noqa: QGS202
        self._update_key_placeholder()
        from ..core.portals.connections import is_profile_connection

        if connection.name and is_profile_connection(connection.name):
            # given by the metropolis' shared profile: the agent only adds their key
            for widget in (self.type_combo, self.name_edit, self.url_combo, self.org_combo):
                widget.setEnabled(False)
                widget.setToolTip(self.tr("Set by the shared profile of the metropolis"))

    def portal_type(self) -> str:
        return str(self.type_combo.currentData() or "udata")

    def _type_changed(self, *_args) -> None:
        portal_type = self.portal_type()
        folder = portal_type == "folder"
        text = self.url_combo.currentText()
        self.url_combo.blockSignals(True)
        self.url_combo.clear()
        for example in URL_EXAMPLES.get(portal_type, []):
            self.url_combo.addItem(example)
        self.url_combo.setEditText(text if text and (folder == (not text.startswith("http"))) else "")
        self.url_combo.blockSignals(False)
        self.url_combo.lineEdit().setPlaceholderText(
            self.tr("Folder where the datasets are written")
            if folder
            else self.tr("e.g. https://www.data.gouv.fr or https://data.orleans-metropole.fr")
        )
        self.url_label.setText(self.tr("Folder") if folder else self.tr("Address"))
        self.browse_button.setVisible(folder)
        for widget in (self.key_edit, self.key_label, self.org_combo, self.org_label, self.private_check):
            widget.setVisible(not folder)
        self.advanced_box.setVisible(not folder)
        if portal_type == "opendatasoft":
            self.org_combo.setToolTip(self.tr("On Opendatasoft the organisation is the portal itself"))

    def _update_key_placeholder(self) -> None:
        from ..toolbelt.auth import has_api_key

        if self.authcfg and has_api_key(self.authcfg):
            self.key_edit.setPlaceholderText(self.tr("Key saved in the QGIS authentication database (unchanged)"))
        else:
            self.key_edit.setPlaceholderText(self.tr("Paste the API key of your account on the portal"))

    def _browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Publication folder"), self.url_combo.currentText())
        if folder:
            self.url_combo.setEditText(folder)

    # -- values --------------------------------------------------------------------------------------
    def connection(self) -> PortalConnection:
        """The connection as shown (``authcfg`` is the stored key's id; the key itself is never in it)."""
        base = self.original or PortalConnection(name="", portal_type="udata", base_url="")
        folder = self.portal_type() == "folder"
        return replace(
            base,
            name=self.name_edit.text().strip(),
            portal_type=self.portal_type(),
            base_url=self.url_combo.currentText().strip().rstrip("/") if not folder else self.url_combo.currentText(),
            organisation="" if folder else self.current_organisation(),
            authcfg="" if folder else self.authcfg,
            chunk_size_mb=self.chunk_spin.value(),
            timeout_s=self.timeout_spin.value(),
            private=False if folder else self.private_check.isChecked(),
        )

    def current_organisation(self) -> str:
        text = self.org_combo.currentText().strip()
        index = self.org_combo.findText(text)
        if index >= 0 and self.org_combo.itemData(index):
            return str(self.org_combo.itemData(index))
        return text

    def problem(self) -> str:
        """ "" when the form can be saved, else what to fix (French once translated)."""
        connection = self.connection()
        if not connection.name:
            return self.tr("Give the connection a name.")
        if connection.name.startswith("folder:"):
            return self.tr("A connection name cannot start with « folder: ».")
        if connection.name in self.existing_names:
            return self.tr("A connection called « {name} » already exists: choose another name.").format(
                name=connection.name
            )
        if not connection.base_url.strip():
            return self.tr("Type the address of the portal (or the folder).")
        if connection.portal_type != "folder":
            from ..core.portals.http import check_portal_url

            if check_portal_url(connection.base_url):  # https only, loopback addresses excepted
                return self.tr("The address must start with https:// (for example https://www.data.gouv.fr).")
            if not self.key_edit.text().strip() and not self.authcfg:
                return self.tr("Paste the API key of your account on the portal: publishing needs it.")
        return ""

    def store_key(self) -> bool:
        """Store the typed key (if any) in the QGIS authentication database; False with the reason shown."""
        key = self.key_edit.text().strip()
        if not key or self.portal_type() == "folder":
            return True
        from ..toolbelt.auth import AuthError, store_api_key

        name = f"Open Data Publisher — {self.name_edit.text().strip() or self.portal_type()}"
        had = self.authcfg
        try:
            self.authcfg = store_api_key(name, key, self.authcfg)
        except AuthError as exc:
            self.show_error(str(exc))
            return False
        if not had:
            self._created_authcfg = self.authcfg
        self.key_edit.clear()  # stored: nothing secret stays in the widget
        self._update_key_placeholder()
        return True

    # -- test --------------------------------------------------------------------------------------
    def test_connection(self) -> None:
        """« Tester la connexion »: store the typed key, then ask the portal (background task)."""
        if "test" in self._tasks:
            return
        connection = self.connection()
        if not connection.base_url.strip():
            self.show_error(self.tr("Type the address of the portal (or the folder)."))
            return
        if not self.store_key():
            return
        connection = self.connection()
        if connection.authcfg:
            from ..toolbelt.auth import AuthError, ensure_master_password

            try:
                ensure_master_password()  # main thread: QGIS may ask for the master password here
            except AuthError as exc:
                self.show_error(str(exc))
                return
        if not connection.name:
            connection = replace(connection, name=connection.base_url)
        task = ConnectionTestTask(connection, self.test_func)
        task.organisationsReady.connect(self._test_done)
        task.failed.connect(self._test_failed)
        task.cancelledByUser.connect(self._test_cancelled)
        self.test_button.setEnabled(False)
        self.set_status(self.tr("Testing the connection…"))
        self._tasks.start("test", task)

    def _test_done(self, organisations) -> None:
        self._tasks.done("test")
        self.test_button.setEnabled(True)
        self.organisations = list(organisations)
        current = self.current_organisation()
        self.org_combo.clear()
        for org in self.organisations:
            self.org_combo.addItem(org.name or org.slug or org.id, org.id)
            self.org_combo.setItemData(
                self.org_combo.count() - 1, f"{org.slug or org.id} ({org.id})", Qt.ItemDataRole.ToolTipRole
            )
        index = self.org_combo.findData(current) if current else -1
        if index < 0 and current:
            index = next((i for i, o in enumerate(self.organisations) if current in (o.slug, o.name)), -1)
        if index >= 0:
            self.org_combo.setCurrentIndex(index)
        elif self.organisations:
            self.org_combo.setCurrentIndex(0)
        if self.portal_type() == "folder":
            self.set_status(self.tr("The folder can be written."), "#1e7b34")
        elif self.organisations:
            self.set_status(
                self.tr("Connection OK: the key can publish for {count} organisation(s); choose one below.").format(
                    count=len(self.organisations)
                ),
                "#1e7b34",
            )
        else:
            self.set_status(
                self.tr(
                    "Connection OK, but the key belongs to no organisation: datasets will be published in your own "
                    "name. Ask the portal administrator to add you to your organisation."
                ),
                "#a05a00",
            )

    def _test_failed(self, message: str) -> None:
        self._tasks.done("test")
        self.test_button.setEnabled(True)
        self.show_error(message)

    def _test_cancelled(self) -> None:
        self._tasks.done("test")
        self.test_button.setEnabled(True)
        self.set_status(self.tr("Test cancelled."))

    # -- status ------------------------------------------------------------------------------------
    def set_status(self, text: str, color: Optional[str] = None) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {color}; font-weight: bold;" if color else "")

    def show_error(self, message: str) -> None:
        self.last_error = message
        self.set_status(message, "#b00020")

    # -- accept / reject -----------------------------------------------------------------------------
    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.show_error(problem)
            return
        if not self.store_key():
            return
        self._created_authcfg = ""  # kept: the connection refers to it
        super().accept()

    def reject(self) -> None:
        self._cancel_task()
        if self._created_authcfg:
            from ..toolbelt.auth import AuthError, remove_api_key

            with contextlib.suppress(AuthError):
                remove_api_key(self._created_authcfg)
            self._created_authcfg = ""
            self.authcfg = self.original.authcfg if self.original is not None else ""
        super().reject()

    def _cancel_task(self) -> None:
        self._tasks.cleanup()


# ===================================================================== the list


class ConnectionsWidget(QWidget):
    """List of the saved connections with « Ajouter / Modifier / Supprimer ». Changes are saved at once
    (settings + QGIS authentication database)."""

    connectionsChanged = pyqtSignal()

    def __init__(self, parent: Optional[QWidget] = None, run_inline: bool = False):
        super().__init__(parent)
        self.setObjectName("OpenDataConnectionsWidget")
        self.run_inline = run_inline
        self.last_error = ""
        #: shows the dialog; returns True when accepted (tests replace it to fill the form)
        self.exec_dialog: Callable[[ConnectionDialog], bool] = lambda dialog: (
            dialog.exec() == QDialog.DialogCode.Accepted
        )
        #: asks before removing; returns True to remove (tests replace it)
        self.confirm_remove: Callable[[str], bool] = self._ask_remove
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        help_label = QLabel(
            self.tr(
                "Portals you publish to. The API keys are kept in the QGIS authentication database, never in the "
                "settings. The local publication folder needs no connection."
            ),
            self,
        )
        help_label.setWordWrap(True)
        layout.addWidget(help_label)
        row = QHBoxLayout()
        self.list_widget = QListWidget(self)
        self.list_widget.setObjectName("connectionsList")
        self.list_widget.setMinimumHeight(90)
        self.list_widget.itemDoubleClicked.connect(lambda _item: self.edit_connection())
        self.list_widget.currentRowChanged.connect(self._update_buttons)
        row.addWidget(self.list_widget, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton(QgsApplication.getThemeIcon("/symbologyAdd.svg"), self.tr("Add…"), self)
        self.add_button.setObjectName("connectionsAdd")
        self.edit_button = QPushButton(QgsApplication.getThemeIcon("/mActionToggleEditing.svg"), self.tr("Edit…"), self)
        self.edit_button.setObjectName("connectionsEdit")
        self.remove_button = QPushButton(QgsApplication.getThemeIcon("/symbologyRemove.svg"), self.tr("Remove"), self)
        self.remove_button.setObjectName("connectionsRemove")
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row)
        self.add_button.clicked.connect(lambda: self.add_connection())
        self.edit_button.clicked.connect(lambda: self.edit_connection())
        self.remove_button.clicked.connect(lambda: self.remove_connection())
        self.refresh()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ConnectionsWidget", text)

    def connections(self) -> List[PortalConnection]:
        from ..core.portals.connections import list_connections

        return list_connections()

    def refresh(self, select: str = "") -> None:
        current = select or self.current_name()
        self.list_widget.clear()
        for connection in self.connections():
            item = QListWidgetItem(f"{connection.name} — {portal_title(connection.portal_type)}")
            item.setData(Qt.ItemDataRole.UserRole, connection.name)
            item.setToolTip(connection.base_url)
            self.list_widget.addItem(item)
            if connection.name == current:
                self.list_widget.setCurrentItem(item)
        self._update_buttons()

    def current_name(self) -> str:
        item = self.list_widget.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def select(self, name: str) -> bool:
        for row in range(self.list_widget.count()):
            if self.list_widget.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.list_widget.setCurrentRow(row)
                return True
        return False

    def _update_buttons(self, *_args) -> None:
        has = self.list_widget.currentItem() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def make_dialog(self, connection: Optional[PortalConnection] = None) -> ConnectionDialog:
        names = [c.name for c in self.connections()]
        return ConnectionDialog(connection, self, names, run_inline=self.run_inline)

    def add_connection(self) -> Optional[PortalConnection]:
        dialog = self.make_dialog(None)
        try:
            if not self.exec_dialog(dialog):
                dialog.reject()  # harmless when already rejected: forgets a key stored only for a test
                return None
            return self._save(dialog.connection(), None)
        finally:
            dialog.deleteLater()

    def edit_connection(self, name: str = "") -> Optional[PortalConnection]:
        from ..core.portals.connections import get_connection

        name = name or self.current_name()
        original = get_connection(name) if name else None
        if original is None:
            return None
        dialog = self.make_dialog(original)
        try:
            if not self.exec_dialog(dialog):
                dialog.reject()
                return None
            return self._save(dialog.connection(), original)
        finally:
            dialog.deleteLater()

    def _save(self, connection: PortalConnection, original: Optional[PortalConnection]) -> Optional[PortalConnection]:
        from ..core.portals.connections import remove_connection, save_connection

        try:
            save_connection(connection)
        except ValueError as exc:
            self.last_error = str(exc)
            QMessageBox.warning(self, self.tr("Portal connection"), str(exc))
            return None
        if original is not None and original.name != connection.name:
            remove_connection(original.name, remove_key=False)  # renamed: the key now belongs to the new name
        self.refresh(connection.name)
        self.connectionsChanged.emit()
        return connection

    def remove_connection(self, name: str = "") -> bool:
        from ..core.portals.connections import remove_connection
        from ..toolbelt.auth import AuthError

        name = name or self.current_name()
        if not name or not self.confirm_remove(name):
            return False
        try:
            removed = remove_connection(name, remove_key=True)
        except AuthError as exc:
            self.last_error = str(exc)
            QMessageBox.warning(self, self.tr("Portal connection"), str(exc))
            removed = True
        self.refresh()
        self.connectionsChanged.emit()
        return removed

    def _ask_remove(self, name: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Remove the connection"),
            self.tr(
                "Remove the connection « {name} » and its API key from the QGIS authentication database? "
                "The datasets already published stay on the portal."
            ).format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


class ConnectionsGroup(QGroupBox):
    """The « Connexions aux portails » section of the Options page."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(QCoreApplication.translate("ConnectionsWidget", "Portal connections"), parent)
        self.setObjectName("OpenDataConnectionsGroup")
        layout = QVBoxLayout(self)
        self.widget = ConnectionsWidget(self)
        layout.addWidget(self.widget)


class ConnectionsDialog(QDialog):
    """« Gérer les connexions… » from the « Publier » page."""

    def __init__(self, parent: Optional[QWidget] = None, run_inline: bool = False):
        super().__init__(parent)
        self.setObjectName("OpenDataConnectionsDialog")
        self.setWindowTitle(QCoreApplication.translate("ConnectionsWidget", "Portal connections"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.widget = ConnectionsWidget(self, run_inline=run_inline)
        layout.addWidget(self.widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

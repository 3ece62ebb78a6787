"""The schema choice of the « Vérifier » page: the catalogue of schema.data.gouv.fr (SCDL first) with its
search, the versions of the chosen schema, a local or online schema.json (« Autre schéma… »), a catalogue
imported from a folder or a .zip, and the schemas loaded in background tasks (kept for the session).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from qgis.core import QgsApplication
from qgis.gui import QgsFilterLineEdit
from qgis.PyQt.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    pyqtSignal,
)
from qgis.PyQt.QtGui import QColor, QFont, QFontMetrics, QPalette, QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core.schema.reference import parse_reference
from opendata_publisher.core.text import fold

from .tasks import CatalogueTask, SchemaTask
from .widgets.task_host import TaskHost


class SchemaItemDelegate(QStyledItemDelegate):
    """Two lines per schema: title (bold) with an « SCDL » badge, then its name in grey."""

    def sizeHint(self, option, index):  # noqa: N802
        metrics = QFontMetrics(option.font)
        return QSize(200, metrics.height() * 2 + 10)

    def paint(self, painter, option, index):
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QgsApplication.style()
        text_title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        subtitle = index.data(SchemaPicker.SubtitleRole) or ""
        badge = index.data(SchemaPicker.BadgeRole) or ""
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)

        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_color = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = option.rect.adjusted(6, 4, -6, -4)
        title_font = QFont(option.font)
        title_font.setBold(True)
        metrics = QFontMetrics(title_font)
        badge_width = 0
        if badge:
            badge_font = QFont(option.font)
            badge_font.setPointSizeF(max(option.font.pointSizeF() * 0.8, 6))
            badge_font.setBold(True)
            badge_metrics = QFontMetrics(badge_font)
            badge_width = badge_metrics.horizontalAdvance(badge) + 10
            badge_rect = QRectF(rect.right() - badge_width, rect.top() + 1, badge_width, metrics.height() - 2)
            painter.setRenderHint(painter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#000091"))  # the French State's blue
            painter.drawRoundedRect(badge_rect, 4, 4)
            painter.setPen(QColor("white"))
            painter.setFont(badge_font)
            painter.drawText(badge_rect, int(Qt.AlignmentFlag.AlignCenter), badge)
            badge_width += 6
        painter.setPen(text_color)
        painter.setFont(title_font)
        title_rect = rect.adjusted(0, 0, -badge_width, 0)
        title_rect.setHeight(metrics.height())
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(text_title, Qt.TextElideMode.ElideRight, title_rect.width()),
        )
        sub_font = QFont(option.font)
        sub_metrics = QFontMetrics(sub_font)
        painter.setFont(sub_font)
        if not selected:
            painter.setPen(option.palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        sub_rect = rect.adjusted(0, metrics.height() + 2, 0, 0)
        painter.drawText(
            sub_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            sub_metrics.elidedText(subtitle, Qt.TextElideMode.ElideMiddle, sub_rect.width()),
        )
        painter.restore()


class SchemaPicker(QGroupBox):
    """The « Schéma » box of the check page: which schema (and version) the layer is checked against."""

    EntryRole = Qt.ItemDataRole.UserRole + 1  # CatalogueEntry, or None for a custom schema
    RefRole = Qt.ItemDataRole.UserRole + 2  # custom reference (path or URL)
    SearchRole = Qt.ItemDataRole.UserRole + 3
    SubtitleRole = Qt.ItemDataRole.UserRole + 4
    BadgeRole = Qt.ItemDataRole.UserRole + 5

    schemaChanged = pyqtSignal(str)  # current reference ("" when none)
    errorRaised = pyqtSignal(str)  # a French message for the page's summary line
    busyChanged = pyqtSignal(bool, str)  # a schema is being loaded (True, message) / no longer (False, "")

    def __init__(
        self,
        tasks: TaskHost,
        parent: Optional[QWidget] = None,
        catalogue=None,
        schema_loader: Optional[Callable] = None,
    ):
        """``tasks``: the page's task host (the catalogue and the schema load in its tasks). ``catalogue``:
        a SchemaCatalogue (default: from the plugin settings, built lazily); ``schema_loader(ref, catalogue)``
        replaces the core loader (tests)."""
        super().__init__(parent)
        self.setTitle(self.tr("Schema"))
        self._tasks = tasks
        self._catalogue = catalogue
        self._schema_loader = schema_loader
        self.schemas: Dict[str, Any] = {}  # reference -> TableSchema, loaded this session
        self._entries: List[Any] = []
        self._pending_reference: Optional[str] = None
        self._after_schema: Optional[Callable] = None
        self.catalogue_requested = False
        self._chosen: Optional[QPersistentModelIndex] = None  # chosen schema (source model row)
        self._filtering = False
        self._build_ui()
        self._connect()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("SchemaPicker", text)

    def _build_ui(self) -> None:
        schema_box = self
        schema_layout = QVBoxLayout(schema_box)
        schema_layout.setContentsMargins(6, 6, 6, 6)
        search_row = QHBoxLayout()
        self.schema_filter = QgsFilterLineEdit(schema_box)
        self.schema_filter.setObjectName("schemaFilter")
        self.schema_filter.setShowSearchIcon(True)
        self.schema_filter.setPlaceholderText(self.tr("Search a schema (parking, trees, subsidies…)"))
        search_row.addWidget(self.schema_filter, 1)
        self.other_button = QToolButton(schema_box)
        self.other_button.setObjectName("otherSchemaButton")
        self.other_button.setText(self.tr("Other schema…"))
        self.other_button.setToolTip(self.tr("Use a schema.json file of your computer, or the web address of one"))
        self.other_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        other_menu = QMenu(self.other_button)
        self.action_schema_file = other_menu.addAction(self.tr("schema.json file on this computer…"))
        self.action_schema_url = other_menu.addAction(self.tr("Web address (URL) of a schema.json…"))
        other_menu.addSeparator()  # a catalogue copied from another computer, when this one has no access (issue 11)
        self.action_import_folder = other_menu.addAction(self.tr("Import a catalogue from a folder…"))
        self.action_import_zip = other_menu.addAction(self.tr("Import a catalogue from a .zip file…"))
        self.other_button.setMenu(other_menu)
        search_row.addWidget(self.other_button)
        schema_layout.addLayout(search_row)

        self.schema_model = QStandardItemModel(self)
        self.schema_proxy = QSortFilterProxyModel(self)
        self.schema_proxy.setSourceModel(self.schema_model)
        self.schema_proxy.setFilterRole(self.SearchRole)
        self.schema_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.schema_list = QListView(schema_box)
        self.schema_list.setObjectName("schemaList")
        self.schema_list.setModel(self.schema_proxy)
        self.schema_list.setItemDelegate(SchemaItemDelegate(self.schema_list))
        self.schema_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.schema_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.schema_list.setUniformItemSizes(True)
        self.schema_list.setMinimumHeight(90)
        schema_layout.addWidget(self.schema_list, 1)

        version_row = QHBoxLayout()
        version_row.addWidget(QLabel(self.tr("Version"), schema_box))
        self.version_combo = QComboBox(schema_box)
        self.version_combo.setObjectName("versionCombo")
        self.version_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        version_row.addWidget(self.version_combo)
        self.chosen_label = QLabel(schema_box)
        self.chosen_label.setObjectName("chosenSchemaLabel")
        self.chosen_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        version_row.addWidget(self.chosen_label, 1)
        schema_layout.addLayout(version_row)

        status_row = QHBoxLayout()
        self.catalogue_status = QLabel(schema_box)
        self.catalogue_status.setObjectName("catalogueStatus")
        self.catalogue_status.setWordWrap(True)
        self.catalogue_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status_row.addWidget(self.catalogue_status, 1)
        self.retry_button = QPushButton(self.tr("Retry"), schema_box)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.setIcon(QgsApplication.getThemeIcon("/mActionRefresh.svg"))
        self.retry_button.setToolTip(self.tr("Download the catalogue of schema.data.gouv.fr again"))
        self.retry_button.setVisible(False)
        status_row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        schema_layout.addLayout(status_row)

    def _connect(self) -> None:
        self.schema_filter.valueChanged.connect(self._filter_schemas)
        self.schema_list.selectionModel().currentChanged.connect(self._schema_selected)
        self.version_combo.currentIndexChanged.connect(self._version_changed)
        self.action_schema_file.triggered.connect(self.choose_schema_file)
        self.action_schema_url.triggered.connect(self.choose_schema_url)
        self.action_import_folder.triggered.connect(lambda _checked=False: self.choose_catalogue_import(folder=True))
        self.action_import_zip.triggered.connect(lambda _checked=False: self.choose_catalogue_import(folder=False))
        self.retry_button.clicked.connect(lambda: self.load_catalogue(refresh=True))

    # ============================================================ catalogue
    def catalogue(self):
        """The SchemaCatalogue in use (built from the plugin settings on first use)."""
        if self._catalogue is None:
            from opendata_publisher.core.schema.catalogue import SchemaCatalogue
            from opendata_publisher.toolbelt.settings import PluginSettings

            settings = PluginSettings.load()
            self._catalogue = SchemaCatalogue(settings.catalogue_url, settings.cache_directory())
        return self._catalogue

    def load_catalogue(self, refresh: bool = False) -> None:
        """List the catalogue's schemas in a background task."""
        self.catalogue_requested = True
        if "catalogue" in self._tasks:
            return
        try:
            catalogue = self.catalogue()
        except Exception as exc:  # settings or cache folder unusable
            self._catalogue_failed(
                self.tr("The schema catalogue cannot be opened ({error}). Check the plugin options.").format(error=exc)
            )
            return
        self.catalogue_status.setText(self.tr("Loading the catalogue of schema.data.gouv.fr…"))
        self.retry_button.setVisible(False)
        task = CatalogueTask(catalogue, refresh=refresh)
        task.entriesReady.connect(self._catalogue_loaded)
        task.failed.connect(self._catalogue_failed)
        task.cancelledByUser.connect(lambda: self._tasks.done("catalogue"))
        self._tasks.start("catalogue", task)

    def _catalogue_loaded(self, entries: list, offline: bool) -> None:
        self._tasks.done("catalogue")
        self.set_catalogue_entries(entries)
        if offline and getattr(self._catalogue, "from_snapshot", False):
            cached_at = getattr(self._catalogue, "cached_at", None)
            when = cached_at.astimezone().strftime("%d/%m/%Y") if cached_at else "?"
            self.catalogue_status.setText(
                self.tr(
                    "No connection: catalogue shipped with the plugin ({date}), SCDL schemas included. For the "
                    "others: « Other schema… »."
                ).format(date=when)
            )
            self.retry_button.setVisible(True)
        elif offline:
            cached_at = getattr(self._catalogue, "cached_at", None)
            when = cached_at.astimezone().strftime("%d/%m/%Y %H:%M") if cached_at else self.tr("an earlier session")
            self.catalogue_status.setText(
                self.tr(
                    "No connection: the catalogue shown is the copy saved on {date}. "
                    "Schemas already downloaded can still be used."
                ).format(date=when)
            )
            self.retry_button.setVisible(True)
        else:
            self.catalogue_status.setText(self.tr("{n} schemas in the catalogue.").format(n=len(entries)))
            self.retry_button.setVisible(False)

    def _catalogue_failed(self, message: str) -> None:
        self._tasks.done("catalogue")
        self.catalogue_status.setText(
            message
            + "\n"
            + self.tr(
                "You can also use « Other schema… » to open a schema.json file, or to import a catalogue copied "
                "from another computer."
            )
        )
        self.catalogue_status.setStyleSheet("color: #b00020;")
        self.retry_button.setVisible(True)

    def choose_catalogue_import(self, folder: bool) -> None:
        """« Importer un catalogue… »: pick the folder or the .zip file, then :meth:`import_catalogue`."""
        if folder:
            path = QFileDialog.getExistingDirectory(self, self.tr("Folder of the schema catalogue"))
        else:
            path, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Schema catalogue (.zip)"), "", self.tr("Zip file (*.zip);;All files (*)")
            )
        if path:
            self.import_catalogue(path)

    def import_catalogue(self, path: str) -> int:
        """Copy the catalogue of ``path`` (folder or zip) into the cache and list it; returns the number of
        schemas imported (-1 on failure, with the reason shown under the list)."""
        from opendata_publisher.core.schema.catalogue import CatalogueError

        try:
            count = self.catalogue().import_catalogue(path)
            entries = self.catalogue().entries()
        except (CatalogueError, OSError) as exc:
            self._catalogue_failed(str(exc))
            return -1
        self.set_catalogue_entries(entries)
        self.catalogue_status.setText(
            self.tr("Catalogue imported: {n} schemas listed, {count} of them usable without connection.").format(
                n=len(entries), count=count
            )
        )
        self.retry_button.setVisible(False)
        return count

    def set_catalogue_entries(self, entries: List[Any]) -> None:
        """Fill the schema list (SCDL first, as the catalogue orders them); custom schemas are kept."""
        self.catalogue_status.setStyleSheet("")
        current_ref = self.current_reference()
        customs = [
            (self.schema_model.item(r).data(self.RefRole), self.schema_model.item(r).text())
            for r in range(self.schema_model.rowCount())
            if self.schema_model.item(r).data(self.RefRole)
        ]
        self._entries = list(entries)
        self.schema_list.selectionModel().blockSignals(True)
        self.schema_model.clear()
        self._chosen = None
        for ref, _text in customs:
            self._add_custom_item(ref)
        for entry in self._entries:
            item = QStandardItem(entry.title or entry.name)
            item.setData(entry, self.EntryRole)
            item.setData(entry.name, self.SubtitleRole)
            item.setData("SCDL" if entry.is_scdl else "", self.BadgeRole)
            labels = ", ".join(entry.labels)
            tooltip = f"<b>{_html(entry.title)}</b><br><code>{_html(entry.name)}</code>"
            if labels:
                tooltip += f"<br><i>{_html(labels)}</i>"
            if entry.description:
                tooltip += f"<br>{_html(entry.description[:400])}"
            item.setToolTip(tooltip)
            item.setData(fold(" ".join([entry.title, entry.name, labels, entry.description or ""])), self.SearchRole)
            self.schema_model.appendRow(item)
        self.schema_list.selectionModel().blockSignals(False)
        pending = self._pending_reference or current_ref
        self._pending_reference = None
        if pending:
            self.select_reference(pending)
        else:
            self._update_versions()

    def _add_custom_item(self, ref: str) -> QStandardItem:
        for row in range(self.schema_model.rowCount()):
            item = self.schema_model.item(row)
            if item.data(self.RefRole) == ref:
                return item
        is_url = "://" in ref
        name = ref.rstrip("/").rsplit("/", 1)[-1] if is_url else Path(ref).name
        item = QStandardItem(self.tr("Web schema: {name}") if is_url else self.tr("Local schema: {name}"))
        item.setText(item.text().format(name=name))
        item.setData(None, self.EntryRole)
        item.setData(ref, self.RefRole)
        item.setData(ref, self.SubtitleRole)
        item.setData("", self.BadgeRole)
        item.setToolTip(_html(ref))
        item.setData(fold(ref), self.SearchRole)
        self.schema_model.insertRow(0, item)
        return item

    def _filter_schemas(self, text: str) -> None:
        """Filter the list; the chosen schema stays chosen even when the filter hides it."""
        self._filtering = True
        try:
            self.schema_proxy.setFilterFixedString(fold(text))
            chosen = self._current_item()
            index = self.schema_proxy.mapFromSource(chosen.index()) if chosen is not None else QModelIndex()
            if index.isValid():
                self.schema_list.setCurrentIndex(index)
            else:
                self.schema_list.selectionModel().clearSelection()
                self.schema_list.selectionModel().clearCurrentIndex()
        finally:
            self._filtering = False

    # ============================================================ schema choice
    def _current_item(self) -> Optional[QStandardItem]:
        """The chosen schema's item (it may be hidden by the search filter)."""
        if self._chosen is None or not self._chosen.isValid():
            return None
        return self.schema_model.itemFromIndex(self.schema_model.index(self._chosen.row(), 0))

    def current_reference(self) -> str:
        """``owner/slug@version``, a path or a URL; "" when nothing is chosen."""
        item = self._current_item()
        if item is None:
            return ""
        if item.data(self.RefRole):
            return item.data(self.RefRole)
        entry = item.data(self.EntryRole)
        version = self.version_combo.currentData()
        return f"{entry.name}@{version}" if version else entry.name

    def select_reference(self, ref: str) -> bool:
        """Select a schema by reference; custom paths/URLs are added to the list.

        Returns False when a catalogue schema is not (yet) in the list: it is then
        selected as soon as the catalogue is loaded.
        """
        ref = (ref or "").strip()
        if not ref:
            return False
        parsed = parse_reference(ref)
        if not parsed.is_catalogue:
            item = self._add_custom_item(ref)
            self._select_item(item)
            return True
        name, version = parsed.name, parsed.version
        for row in range(self.schema_model.rowCount()):
            item = self.schema_model.item(row)
            entry = item.data(self.EntryRole)
            if entry is not None and entry.name == name:
                self.schema_filter.setValue("")
                self._select_item(item)
                if version:
                    index = self.version_combo.findData(version)
                    if index >= 0:
                        self.version_combo.setCurrentIndex(index)
                return True
        self._pending_reference = ref
        return False

    def _select_item(self, item: QStandardItem) -> None:
        self._chosen = QPersistentModelIndex(item.index())
        proxy_index = self.schema_proxy.mapFromSource(item.index())
        if not proxy_index.isValid():
            self.schema_filter.setValue("")
            proxy_index = self.schema_proxy.mapFromSource(item.index())
        self._filtering = True
        try:
            self.schema_list.setCurrentIndex(proxy_index)
        finally:
            self._filtering = False
        self.schema_list.scrollTo(proxy_index)
        self._update_versions()

    def _schema_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._filtering or not current.isValid():
            return  # the search filter moved the view's cursor: the choice does not change
        self._chosen = QPersistentModelIndex(self.schema_proxy.mapToSource(current))
        self._update_versions()

    def _update_versions(self) -> None:
        item = self._current_item()
        self.version_combo.blockSignals(True)
        self.version_combo.clear()
        entry = item.data(self.EntryRole) if item is not None else None
        if entry is not None:
            for position, version in enumerate(entry.versions):
                label = self.tr("{version} (latest)").format(version=version) if position == 0 else version
                self.version_combo.addItem(label, version)
        self.version_combo.setEnabled(self.version_combo.count() > 1)
        self.version_combo.blockSignals(False)
        if item is None:
            self.chosen_label.setText(self.tr("No schema chosen"))
            self.chosen_label.setToolTip("")
        else:
            self.chosen_label.setText(f"<b>{_html(item.text())}</b>")
            self.chosen_label.setToolTip(item.toolTip())
        self._version_changed()

    def _version_changed(self, *_args) -> None:
        self.schemaChanged.emit(self.current_reference())

    def choose_schema_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a schema.json file"), "", self.tr("Table Schema (*.json);;All files (*)")
        )
        if path:
            self.select_reference(path)

    def choose_schema_url(self) -> None:
        url, ok = QInputDialog.getText(
            self,
            self.tr("Schema from the web"),
            self.tr("Web address (URL) of a Table Schema schema.json file:"),
        )
        url = (url or "").strip()
        if not ok or not url:
            return
        if not url.lower().startswith(("http://", "https://")):
            self.errorRaised.emit(
                self.tr(
                    "« {url} » is not a web address: it must start with https://. Copy the address of the "
                    "schema.json file (for example from schema.data.gouv.fr) and try again."
                ).format(url=url)
            )
            return
        self.select_reference(url)

    def load_schema(self, then: Optional[Callable[[Any], None]] = None) -> None:
        """Get the current schema (cached, or loaded in a task), then call ``then(schema)``."""
        ref = self.current_reference()
        if not ref:
            self.errorRaised.emit(self.tr("Choose a schema in the list (or « Other schema… ») first."))
            return
        if ref in self.schemas:
            if then:
                then(self.schemas[ref])
            return
        if "schema" in self._tasks:
            return
        self._after_schema = then
        task = SchemaTask(ref, self._catalogue_or_none(), self._schema_loader)
        task.schemaReady.connect(self._schema_loaded)
        task.failed.connect(self._schema_failed)
        task.cancelledByUser.connect(self._schema_cancelled)
        self._tasks.keep("schema", task)
        self.busyChanged.emit(True, self.tr("Loading the schema…"))
        self._tasks.start("schema", task)

    def set_schema(self, ref: str, schema) -> None:
        """Use an already loaded schema for ``ref`` (and select it)."""
        self.schemas[ref] = schema
        self.select_reference(ref)

    def _catalogue_or_none(self):
        try:
            return self.catalogue()
        except Exception:
            return None

    def _schema_loaded(self, ref: str, schema) -> None:
        self._tasks.done("schema")
        self.busyChanged.emit(False, "")
        self.schemas[ref] = schema
        then, self._after_schema = self._after_schema, None
        if then:
            then(schema)

    def _schema_failed(self, message: str) -> None:
        self._tasks.done("schema")
        self.busyChanged.emit(False, "")
        self._after_schema = None
        self.errorRaised.emit(message)

    def _schema_cancelled(self) -> None:
        self._tasks.done("schema")
        self.busyChanged.emit(False, "")
        self._after_schema = None


def _html(text: str) -> str:
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

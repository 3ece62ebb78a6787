"""The « Vérifier » page: check a layer against a Table Schema and browse the problems.

Flow: pick a layer (optionally its selected features only), pick a schema in the
catalogue of schema.data.gouv.fr (SCDL first) or a local/online schema.json,
optionally fix the field mapping, then « Vérifier ». The catalogue, the schema
and the check are loaded/run in background tasks (QgsTask); the findings are
shown in one grouped table (:class:`FindingsView`), from which the agent selects
and zooms to features and exports the report.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from qgis.core import QgsApplication, QgsMapLayer, QgsProject, QgsVectorLayer
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
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core.layer_properties import SCHEMA_PROPERTY
from opendata_publisher.core.schema.reference import parse_reference
from opendata_publisher.core.text import fold

from .findings_view import FindingsView
from .tasks import CatalogueTask, SchemaTask, ValidationTask
from .widgets.layer_picker import LayerPicker, chosen_layer, vector_layer_combo
from .widgets.task_host import TaskHost


class _SchemaItemDelegate(QStyledItemDelegate):
    """Two lines per schema: title (bold) with an « SCDL » badge, then its name in grey."""

    def sizeHint(self, option, index):  # noqa: N802
        metrics = QFontMetrics(option.font)
        return QSize(200, metrics.height() * 2 + 10)

    def paint(self, painter, option, index):
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QgsApplication.style()
        text_title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        subtitle = index.data(CheckPage.SubtitleRole) or ""
        badge = index.data(CheckPage.BadgeRole) or ""
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


class CheckPage(QWidget):
    """The « Vérifier » step of the dock."""

    EntryRole = Qt.ItemDataRole.UserRole + 1  # CatalogueEntry, or None for a custom schema
    RefRole = Qt.ItemDataRole.UserRole + 2  # custom reference (path or URL)
    SearchRole = Qt.ItemDataRole.UserRole + 3
    SubtitleRole = Qt.ItemDataRole.UserRole + 4
    BadgeRole = Qt.ItemDataRole.UserRole + 5

    validationFinished = pyqtSignal(object)  # ValidationReport
    schemaChanged = pyqtSignal(str)  # current reference ("" when none)

    def __init__(  # noqa: QGS105 - the dock passes its iface (tests pass a mock)
        self,
        iface,
        parent: Optional[QWidget] = None,
        catalogue=None,
        run_inline: bool = False,
        validate_func: Optional[Callable] = None,
        layer_input_factory: Optional[Callable] = None,
        schema_loader: Optional[Callable] = None,
    ):
        """``catalogue``: a SchemaCatalogue (default: from the plugin settings, built lazily).
        ``run_inline``: run tasks synchronously (tests). ``validate_func(layer_input, schema, mapping,
        feedback=)``, ``layer_input_factory(layer, selected_only)`` and ``schema_loader(ref, catalogue)``
        replace the core functions (tests)."""
        super().__init__(parent)
        self.setObjectName("OpenDataCheckPage")
        self.iface = iface
        self.run_inline = run_inline
        self._catalogue = catalogue
        self._validate_func = validate_func
        self._layer_input_factory = layer_input_factory
        self._schema_loader = schema_loader
        self._tasks = TaskHost(self)
        self._schemas: Dict[str, Any] = {}  # reference -> TableSchema
        self._entries: List[Any] = []
        self._pending_reference: Optional[str] = None
        self._after_schema: Optional[Callable] = None
        self._catalogue_requested = False
        self._chosen: Optional[QPersistentModelIndex] = None  # chosen schema (source model row)
        self._filtering = False
        self._cleaned = False
        self.report = None
        self.report_schema = None
        self.report_layer_id: Optional[str] = None
        self._reports: Dict[str, tuple] = {}  # layer id -> (report, schema): each layer's last check (issue 11)
        self.value_dialog = None  # the open « Modifier la valeur » dialog
        self._pending_note: Optional[tuple] = None  # (layer id, text) shown with that layer's next check
        self.last_error = ""

        self._build_ui()
        self._connect()
        self._layer_changed(self.layer_combo.currentLayer())
        self._update_buttons()

    # ================================================================= UI
    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CheckPage", text)

    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter)

        # ---- what to check
        setup = QWidget()
        setup_layout = QVBoxLayout(setup)
        setup_layout.setContentsMargins(0, 0, 0, 0)

        layer_box = QGroupBox(self.tr("Layer"), setup)
        layer_form = QFormLayout(layer_box)
        layer_form.setContentsMargins(6, 6, 6, 6)
        self.layer_combo = vector_layer_combo(layer_box, "layerCombo", self.tr("The layer (or table) to check"))
        layer_form.addRow(self.layer_combo)
        self.selected_only_check = QCheckBox(self.tr("Selected features only"), layer_box)
        self.selected_only_check.setObjectName("selectedOnlyCheck")
        self.selected_only_check.setToolTip(self.tr("Check only the features selected on the map"))
        from opendata_publisher.toolbelt.settings import PluginSettings  # Options: ticked by default or not

        self.selected_only_check.setChecked(PluginSettings.load().selected_only_default)
        layer_form.addRow(self.selected_only_check)
        setup_layout.addWidget(layer_box)

        schema_box = QGroupBox(self.tr("Schema"), setup)
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
        self.schema_list.setItemDelegate(_SchemaItemDelegate(self.schema_list))
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
        setup_layout.addWidget(schema_box, 1)

        # ---- results (the « Check » row heads them, so that it stays visible when the choice scrolls)
        results = QWidget(self.splitter)
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        run_row = QHBoxLayout()
        self.mapping_button = QPushButton(self.tr("Field mapping…"), setup)
        self.mapping_button.setObjectName("mappingButton")
        self.mapping_button.setToolTip(
            self.tr("Tell which layer field holds which schema field (truncated Shapefile names, other names…)")
        )
        run_row.addWidget(self.mapping_button)
        run_row.addStretch(1)
        self.check_button = QPushButton(self.tr("Check"), setup)
        self.check_button.setObjectName("checkButton")
        self.check_button.setIcon(QgsApplication.getThemeIcon("/mIconSuccess.svg"))
        self.check_button.setDefault(True)
        self.check_button.setToolTip(self.tr("Check the layer against the chosen schema"))
        run_row.addWidget(self.check_button)
        self.cancel_button = QPushButton(self.tr("Cancel"), setup)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setIcon(QgsApplication.getThemeIcon("/mTaskCancel.svg"))
        self.cancel_button.setVisible(False)
        run_row.addWidget(self.cancel_button)
        results_layout.addLayout(run_row)
        self.progress = QProgressBar(setup)
        self.progress.setObjectName("progressBar")
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        results_layout.addWidget(self.progress)

        summary_row = QHBoxLayout()
        self.summary_icon = QLabel(results)
        self.summary_icon.setFixedSize(QSize(20, 20))
        summary_row.addWidget(self.summary_icon, 0, Qt.AlignmentFlag.AlignTop)
        self.summary_label = QLabel(results)
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        summary_row.addWidget(self.summary_label, 1)
        results_layout.addLayout(summary_row)

        self.findings_view = FindingsView(results)
        self.findings_model = self.findings_view.model
        results_layout.addWidget(self.findings_view, 1)

        actions_row = QGridLayout()  # three rows: the dock stays usable when narrow
        self.select_errors_button = QPushButton(self.tr("Select the features in error"), results)
        self.select_errors_button.setObjectName("selectErrorsButton")
        self.select_errors_button.setIcon(QgsApplication.getThemeIcon("/mActionSelectAll.svg"))
        self.select_errors_button.setToolTip(
            self.tr("Select on the layer every feature with at least one error, to fix them in the attribute table")
        )
        actions_row.addWidget(self.select_errors_button, 0, 0, 1, 2)  # its own row: fits a 380 px dock
        self.fix_button = QPushButton(self.tr("Fix…"), results)
        self.fix_button.setObjectName("fixButton")
        self.fix_button.setIcon(QgsApplication.getThemeIcon("/mIconEditableEdits.svg"))
        self.fix_button.setToolTip(
            self.tr("Preview the automatic fix of the selected problem, then create a conforming layer")
        )
        actions_row.addWidget(self.fix_button, 1, 0)
        self.fix_all_button = QPushButton(self.tr("Fix everything…"), results)
        self.fix_all_button.setObjectName("fixAllButton")
        self.fix_all_button.setToolTip(
            self.tr(
                "Preview every automatic fix (field names, dates, decimal commas, yes/no, coordinates…), then "
                "create a new layer that follows the schema. The checked layer is not modified."
            )
        )
        actions_row.addWidget(self.fix_all_button, 1, 1)
        self.edit_value_button = QPushButton(self.tr("Edit the value…"), results)
        self.edit_value_button.setObjectName("editValueButton")
        self.edit_value_button.setIcon(QgsApplication.getThemeIcon("/mActionToggleEditing.svg"))
        self.edit_value_button.setToolTip(
            self.tr("Type the right value of the selected problem's feature, checked against the schema as you type")
        )
        actions_row.addWidget(self.edit_value_button, 2, 0)
        actions_row.setColumnStretch(2, 1)
        self.export_button = QToolButton(results)
        self.export_button.setObjectName("exportButton")
        self.export_button.setText(self.tr("Export the report"))
        self.export_button.setIcon(QgsApplication.getThemeIcon("/mActionFileSave.svg"))
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        self.action_export_json = export_menu.addAction(self.tr("JSON (for software)…"))
        self.action_export_markdown = export_menu.addAction(self.tr("Markdown (to read or attach to a ticket)…"))
        self.export_button.setMenu(export_menu)
        actions_row.addWidget(self.export_button, 2, 0, 1, 2)
        results_layout.addLayout(actions_row)
        self.info_label = QLabel(results)
        self.info_label.setObjectName("infoLabel")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        results_layout.addWidget(self.info_label)

        # the layer and schema choice scrolls on a low screen; the splitter lets the agent give it more room
        from .widgets.scroll_tabs import PageScrollArea  # lists shrink before the page scrolls

        self.setup_scroll = PageScrollArea(setup, self.splitter)
        self.setup_scroll.setObjectName("checkSetupScroll")
        self.setup_scroll.setMinimumHeight(80)
        self.splitter.insertWidget(0, self.setup_scroll)
        self.splitter.addWidget(results)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self._set_summary(self.tr("Choose a layer and a schema, then click « Check »."), None)
        self._show_results_body(False)

    def _connect(self) -> None:
        self.layers = LayerPicker(self._layers_removed)
        self.layers.attach(self.layer_combo, self._layer_changed)
        self.schema_filter.valueChanged.connect(self._filter_schemas)
        self.schema_list.selectionModel().currentChanged.connect(self._schema_selected)
        self.version_combo.currentIndexChanged.connect(self._version_changed)
        self.action_schema_file.triggered.connect(self.choose_schema_file)
        self.action_schema_url.triggered.connect(self.choose_schema_url)
        self.action_import_folder.triggered.connect(lambda _checked=False: self.choose_catalogue_import(folder=True))
        self.action_import_zip.triggered.connect(lambda _checked=False: self.choose_catalogue_import(folder=False))
        self.retry_button.clicked.connect(lambda: self.load_catalogue(refresh=True))
        self.mapping_button.clicked.connect(self.edit_mapping)
        self.check_button.clicked.connect(self.run_check)
        self.cancel_button.clicked.connect(self.cancel)
        self.select_errors_button.clicked.connect(self.select_error_features)
        self.action_export_json.triggered.connect(lambda: self.export_report("json"))
        self.action_export_markdown.triggered.connect(lambda: self.export_report("markdown"))
        self.findings_view.findingActivated.connect(self._finding_activated)
        from opendata_publisher.core.conform.fixes import has_remedy

        self.findings_view.set_fixable(has_remedy)
        self.findings_view.fixRequested.connect(lambda group: self.open_conform([group.code]))
        self.findings_view.currentGroupChanged.connect(lambda _group: self._update_buttons())
        self.fix_button.clicked.connect(self.fix_current_group)
        self.findings_view.set_editable(self.can_edit_finding)
        self.findings_view.editRequested.connect(self.edit_finding_value)
        self.edit_value_button.clicked.connect(lambda: self.edit_finding_value(self.findings_view.current_finding()))
        self.fix_all_button.clicked.connect(lambda: self.open_conform(None))
        self.findings_view.filter_edit.setToolTip(self.tr("Show only the problems containing this text"))

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        if not self._catalogue_requested:
            self.load_catalogue()
        if self.report is None:
            self.favour_setup()

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
        self._catalogue_requested = True
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
        task.cancelledByUser.connect(lambda: self._task_done("catalogue"))
        self._start("catalogue", task)

    def _catalogue_loaded(self, entries: list, offline: bool) -> None:
        self._task_done("catalogue")
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
        self._task_done("catalogue")
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
        self._update_buttons()
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
            self._show_error(
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
            self._show_error(self.tr("Choose a schema in the list (or « Other schema… ») first."))
            return
        if ref in self._schemas:
            if then:
                then(self._schemas[ref])
            return
        if "schema" in self._tasks:
            return
        self._after_schema = then
        task = SchemaTask(ref, self._catalogue_or_none(), self._schema_loader)
        task.schemaReady.connect(self._schema_loaded)
        task.failed.connect(self._schema_failed)
        task.cancelledByUser.connect(self._schema_cancelled)
        self._set_running(True, self.tr("Loading the schema…"))
        self._start("schema", task)

    def set_schema(self, ref: str, schema) -> None:
        """Use an already loaded schema for ``ref`` (and select it)."""
        self._schemas[ref] = schema
        self.select_reference(ref)

    def _catalogue_or_none(self):
        try:
            return self.catalogue()
        except Exception:
            return None

    def _schema_loaded(self, ref: str, schema) -> None:
        self._task_done("schema")
        self._set_running(False)
        self._schemas[ref] = schema
        then, self._after_schema = self._after_schema, None
        if then:
            then(schema)

    def _schema_failed(self, message: str) -> None:
        self._task_done("schema")
        self._set_running(False)
        self._after_schema = None
        self._show_error(message)

    def _schema_cancelled(self) -> None:
        self._task_done("schema")
        self._set_running(False)
        self._after_schema = None

    # ============================================================ layer
    def current_layer(self) -> Optional[QgsVectorLayer]:
        return chosen_layer(self.layer_combo)

    def set_layer(self, layer: QgsMapLayer) -> None:
        self.layer_combo.setLayer(layer)

    def _layer_changed(self, layer) -> None:
        if isinstance(layer, QgsVectorLayer):
            remembered = layer.customProperty(SCHEMA_PROPERTY)
            if remembered:
                self.select_reference(str(remembered))
            self.selected_only_check.setEnabled(True)
        self._show_results_of(layer if isinstance(layer, QgsVectorLayer) else None)
        self._update_buttons()

    def _show_results_of(self, layer: Optional[QgsVectorLayer]) -> None:
        """The results shown always belong to the layer shown: its own last check, or nothing (issue 11)."""
        layer_id = layer.id() if layer is not None else None
        if layer_id is not None and layer_id == self.report_layer_id:
            return
        saved = self._reports.get(layer_id) if layer_id else None
        if saved is not None:
            report, schema = saved
            self.show_report(report, layer_id, schema)
            return
        self.report = None
        self.report_schema = None
        self.report_layer_id = None
        self.findings_view.set_findings([])
        self.info_label.setText("")
        self._show_results_body(False)
        self.favour_setup()
        if layer is None:
            self._set_summary(self.tr("Choose a layer and a schema, then click « Check »."), None)
        else:
            self._set_summary(
                self.tr("« {layer} » has not been checked in this session: click « Check ».").format(
                    layer=layer.name()
                ),
                None,
            )

    def _show_results_body(self, shown: bool) -> None:
        """The list of problems and its actions only once there is a check to show (before it, the room goes
        to the choice of the layer and the schema)."""
        for widget in (
            self.findings_view,
            self.select_errors_button,
            self.fix_button,
            self.fix_all_button,
            self.export_button,
        ):
            widget.setVisible(shown)

    def favour_setup(self) -> None:
        """Nothing checked yet: the choice of layer and schema gets the room it needs (on a low screen it would
        otherwise be a few lines above an empty list of problems); the agent can still move the splitter."""
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        results = self.splitter.widget(1)
        wanted = self.setup_scroll.widget().sizeHint().height() + 2
        setup = max(min(wanted, total - results.minimumSizeHint().height()), self.setup_scroll.minimumHeight())
        self.splitter.setSizes([setup, total - setup])

    def _layers_removed(self, layer_ids) -> None:
        for layer_id in list(layer_ids):
            self._reports.pop(layer_id, None)
        if self.report_layer_id and self.report_layer_id in list(layer_ids):
            self.report_layer_id = None
            self._update_buttons()

    # ============================================================ validation
    def run_check(self) -> None:
        """« Vérifier »: load the schema if needed, then check the layer in a task."""
        if "validation" in self._tasks:
            return
        layer = self.current_layer()
        if layer is None:
            self._show_error(self.tr("Choose the layer to check first."))
            return
        self.load_schema(then=lambda schema: self._start_validation(layer, schema))

    def _start_validation(self, layer: QgsVectorLayer, schema) -> None:
        selected_only = self.selected_only_check.isChecked()
        if selected_only and layer.selectedFeatureCount() == 0:
            self._show_error(
                self.tr(
                    "No feature of « {layer} » is selected. Select features on the map, or untick "
                    "« Selected features only »."
                ).format(layer=layer.name())
            )
            return
        ref = self.current_reference()
        try:
            layer_input = self._make_layer_input(layer, selected_only)
            mapping = self._load_mapping(layer, schema)
        except Exception as exc:
            self._show_error(
                self.tr("The layer « {layer} » cannot be read ({error}). Check that its file is still there.").format(
                    layer=layer.name(), error=exc
                )
            )
            return
        if ref and layer.customProperty(SCHEMA_PROPERTY) != ref:
            layer.setCustomProperty(SCHEMA_PROPERTY, ref)
        task = ValidationTask(layer_input, schema, mapping, self._validate_func, layer.name())
        layer_id = layer.id()
        task.reportReady.connect(lambda report: self._validation_done(report, layer_id, schema))
        task.failed.connect(self._validation_failed)
        task.cancelledByUser.connect(self._validation_cancelled)
        self._set_running(True, self.tr("Checking « {layer} »…").format(layer=layer.name()))
        self._start("validation", task)

    def _make_layer_input(self, layer, selected_only: bool):
        if self._layer_input_factory is not None:
            return self._layer_input_factory(layer, selected_only)
        from opendata_publisher.core.reader import LayerInput

        return LayerInput.from_layer(layer, selected_only=selected_only)

    @staticmethod
    def _load_mapping(layer, schema):
        from opendata_publisher.core.mapping import load_mapping

        return load_mapping(layer, schema)

    def _validation_done(self, report, layer_id: str, schema) -> None:
        self._task_done("validation")
        self._set_running(False)
        self._record_check(report, layer_id)
        current = self.current_layer()
        if current is not None and current.id() != layer_id:
            self._reports[layer_id] = (report, schema)  # the agent moved on: kept for when that layer comes back
            self._update_buttons()
        else:
            self.show_report(report, layer_id, schema)
        self.validationFinished.emit(report)

    def _record_check(self, report, layer_id: str) -> None:
        """Keep the result in the layer (date, schema, counts), for the step list and the next session."""
        layer = QgsProject.instance().mapLayer(layer_id)
        if not isinstance(layer, QgsVectorLayer):
            return
        from opendata_publisher.core.step_results import record_check

        try:
            record_check(
                layer,
                report,
                str(layer.customProperty(SCHEMA_PROPERTY) or ""),
                self.selected_only_check.isChecked(),
            )
        except Exception as exc:  # noqa: BLE001 - the check itself succeeded: say it, keep going
            from opendata_publisher.toolbelt.log import log

            log(f"Résultat de la vérification non conservé dans la couche : {exc}")

    def _validation_failed(self, message: str) -> None:
        self._task_done("validation")
        self._set_running(False)
        self._show_error(message)

    def _validation_cancelled(self) -> None:
        self._task_done("validation")
        self._set_running(False)
        self._set_summary(self.tr("Check cancelled: click « Check » to start it again."), "/mIconWarning.svg")

    def show_report(self, report, layer_id: Optional[str] = None, schema=None) -> None:
        """Show a ValidationReport: summary line and grouped findings."""
        self.report = report
        self.report_schema = schema
        self.report_layer_id = layer_id or getattr(report, "layer_id", None) or None
        if self.report_layer_id:
            self._reports[self.report_layer_id] = (report, schema)
        self._show_results_body(True)
        self.findings_view.set_findings(report.findings)
        note_layer_id, note = self._pending_note or ("", "")
        self._pending_note = None
        self.info_label.setText(note if note_layer_id and note_layer_id == self.report_layer_id else "")
        if report.error_count:
            icon = "/mIconCritical.svg"
        elif report.warning_count:
            icon = "/mIconWarning.svg"
        else:
            icon = "/mIconSuccess.svg"
        self._set_summary(self.summary_text(report), icon)
        self._name_conformed_layer(report)
        self._update_buttons()

    def _name_conformed_layer(self, report) -> None:
        """The first check of a layer made by « Tout corriger » names it: « (conforme) » only when it is."""
        layer_id = getattr(self, "_name_after_check", None)
        if not layer_id or layer_id != self.report_layer_id or report.cancelled:
            return
        self._name_after_check = None
        layer = self.report_layer()
        if layer is not None:
            from opendata_publisher.core.conform.output import conform_layer_name

            old, new = layer.name(), conform_layer_name(layer.name(), report.error_count)
            if new != old:
                layer.setName(new)
                self.info_label.setText(self.info_label.text().replace(f"« {old} »", f"« {new} »"))

    @staticmethod
    def summary_text(report) -> str:
        """« 12 erreurs, 3 avertissements sur 1 250 entités — la couche n'est pas conforme au schéma … »"""
        from opendata_publisher.core.report import summary_sentence

        return summary_sentence(report)

    def cancel(self) -> None:
        """Cancel the running check (or the schema download it waits for)."""
        self._tasks.cancel("validation", "schema", "conform-preview", "conform")

    # ============================================================ results actions
    def report_layer(self) -> Optional[QgsVectorLayer]:
        if not self.report_layer_id:
            return None
        layer = QgsProject.instance().mapLayer(self.report_layer_id)
        return layer if isinstance(layer, QgsVectorLayer) else None

    def show_finding(self, finding) -> None:
        """Select the finding's feature on its layer and zoom the map to it."""
        if finding is None or finding.feature_id is None:
            return
        layer = self.report_layer()
        if layer is None:
            self._show_error(self.tr("The checked layer is no longer in the project: check again."))
            return
        fid = int(finding.feature_id)
        layer.selectByIds([fid])
        canvas = self._canvas()
        if canvas is not None and layer.isSpatial():
            canvas.zoomToFeatureIds(layer, [fid])
            canvas.flashFeatureIds(layer, [fid])

    def select_error_features(self) -> List[int]:
        """Select every feature with at least one error; returns their ids."""
        layer = self.report_layer()
        if layer is None:
            self._show_error(self.tr("The checked layer is no longer in the project: check again."))
            return []
        ids = self.findings_model.error_feature_ids()
        layer.selectByIds(ids)
        self.info_label.setText(
            self.tr(
                "{n} features in error are selected on « {layer} »: open its attribute table with "
                "« Show selected features » to fix them."
            ).format(n=len(ids), layer=layer.name())
        )
        return ids

    def export_report(self, fmt: str, path: Optional[str] = None) -> Optional[str]:
        """Write the report as ``json`` or ``markdown``; asks for the file when ``path`` is None."""
        if self.report is None:
            return None
        from opendata_publisher.core.report import report_to_json, report_to_markdown

        suffix = ".json" if fmt == "json" else ".md"
        if path is None:
            base = _safe_file_name(f"rapport-{self.report.layer_name}-{self.report.schema_name or 'schema'}")
            file_filter = self.tr("JSON file (*.json)") if fmt == "json" else self.tr("Markdown file (*.md)")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the report"), base + suffix, file_filter)
            if not path:
                return None
            if not path.lower().endswith(suffix):
                path += suffix
        text = report_to_json(self.report) if fmt == "json" else report_to_markdown(self.report)
        from opendata_publisher.core.safe_write import WriteError, write_text

        try:
            write_text(path, text, "Le rapport", make_folders=False)  # whole or not at all
        except WriteError as exc:
            self._show_error(
                self.tr("The report could not be written to {path} ({error}). Choose another folder.").format(
                    path=path, error=exc.detail
                )
            )
            return None
        self.info_label.setText(self.tr("Report written to {path}").format(path=path))
        return path

    def edit_mapping(self) -> None:
        """Open the field mapping editor; check again after saving."""
        layer = self.current_layer()
        if layer is None:
            self._show_error(self.tr("Choose the layer first."))
            return
        self.load_schema(then=lambda schema: self._open_mapping_editor(layer, schema))

    def _open_mapping_editor(self, layer, schema) -> None:
        from .mapping_editor import MappingEditorDialog

        dialog = MappingEditorDialog(layer, schema, self)
        self.mapping_dialog = dialog
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self.mapping_dialog = None
            dialog.deleteLater()
        if accepted:
            self.run_check()

    # ============================================================ fix one value in place (issue 11)
    def can_edit_finding(self, finding) -> bool:
        """A finding on one value of one feature of the checked layer, for a field of the schema."""
        if finding is None or finding.feature_id is None or not finding.field or self.report_schema is None:
            return False
        layer = self.report_layer()
        if layer is None or self.report_schema.get_field(finding.field) is None:
            return False
        layer_field = (getattr(self.report, "mapping", None) or {}).get(finding.field, finding.field)
        from opendata_publisher.compat import provider_can

        # a CSV or another read-only source cannot be edited in QGIS: « Tout corriger » makes a corrected copy
        return layer.fields().indexOf(layer_field) >= 0 and provider_can(layer, "ChangeAttributeValues")

    def _finding_activated(self, finding) -> None:
        """Double-click: the value editor when the value can be fixed here (it zooms too), else the zoom."""
        if self.can_edit_finding(finding):
            self.edit_finding_value(finding)
        else:
            self.show_finding(finding)

    def edit_finding_value(self, finding) -> None:
        """« Modifier la valeur… »: the value editor of the finding (the layer enters edit mode on save)."""
        if not self.can_edit_finding(finding):
            self._show_error(self.tr("Select a problem on one value of one feature first."))
            return
        from .value_editor import ValueEditorDialog

        layer = self.report_layer()
        layer_field = (getattr(self.report, "mapping", None) or {}).get(finding.field, finding.field)
        self.show_finding(finding)
        dialog = ValueEditorDialog(layer, finding, self.report_schema, layer_field, self)
        dialog.fixed.connect(self._value_fixed)
        dialog.finished.connect(lambda _result: setattr(self, "value_dialog", None))
        self.value_dialog = dialog
        dialog.open()

    def _value_fixed(self, outcome: str, fid: int, field: str) -> None:
        """Drop the findings the edit settled and say what happened."""
        from .value_editor import CHANGED, DELETED

        if self.report is None:
            return
        layer = self.report_layer()
        if outcome == CHANGED:
            gone = [f for f in self.report.findings if f.feature_id == fid and f.field == field]
            message = self.tr("Value saved in « {layer} » (edit mode): save the layer's edits to write it to the file.")
        elif outcome == DELETED:
            gone = [f for f in self.report.findings if f.feature_id == fid]
            message = self.tr("Feature deleted from « {layer} » (edit mode): save the layer's edits to confirm.")
        else:
            gone = (
                [f for f in self.report.findings if f.feature_id == fid] if self.selected_only_check.isChecked() else []
            )
            message = self.tr("Feature removed from the selection of « {layer} ».")
        if gone:
            ids = {id(f) for f in gone}
            self.report.findings = [f for f in self.report.findings if id(f) not in ids]
            self.show_report(self.report, self.report_layer_id, self.report_schema)
        self.info_label.setText(message.format(layer=layer.name() if layer is not None else ""))

    # ============================================================ make conform (issue 6)
    def fix_current_group(self) -> None:
        """« Corriger… »: the preview with the fixes of the selected problem ticked."""
        group = self.findings_view.current_group()
        self.open_conform([group.code] if group is not None else None)

    def open_conform(self, codes: Optional[List[str]] = None) -> None:
        """Preview the fixes (background task), then show the dialog. ``codes``: the finding codes
        asked for (None: everything that can be fixed)."""
        if {"conform-preview", "conform"} & set(self._tasks.names()):
            return
        layer = self.report_layer()
        schema = self.report_schema
        if layer is None or schema is None or self.report is None:
            self._show_error(self.tr("Check the layer first: the fixes are prepared from the check."))
            return
        from opendata_publisher.core.conform.engine import ConformOptions
        from opendata_publisher.core.conform.fixes import fixes_for_code
        from opendata_publisher.core.conform.suggestions import (
            constant_candidates,
            organisation_profile,
            suggest_constants,
        )

        from .conform_dialog import ConformPreviewTask

        focus = None
        if codes:
            focus = {fix_id for code in codes for fix_id in fixes_for_code(code)}
        try:
            layer_input = self._make_layer_input(layer, False)
            mapping = self._load_mapping(layer, schema)
            profile = organisation_profile()
        except Exception as exc:
            self._show_error(
                self.tr("The layer « {layer} » cannot be read ({error}). Check that its file is still there.").format(
                    layer=layer.name(), error=exc
                )
            )
            return
        constants = suggest_constants(schema, profile)
        from opendata_publisher.core.conform.suggestions import PROFILE_LABELS

        labels = {name: PROFILE_LABELS[key] for name, key in constant_candidates(schema).items() if name in constants}
        self._conform_request = {
            "layer_id": layer.id(),
            "schema": schema,
            "mapping": mapping,
            "focus": focus,
            "constants": constants,
            "labels": labels,
            "reference": layer.customProperty(SCHEMA_PROPERTY) or self.current_reference(),
        }
        options = ConformOptions(mapping=mapping, constants=constants)
        task = ConformPreviewTask(layer_input, schema, options, layer.name())
        task.previewReady.connect(self._conform_preview_ready)
        task.failed.connect(lambda message: self._conform_failed("conform-preview", message))
        task.cancelledByUser.connect(lambda: self._conform_cancelled("conform-preview"))
        self._set_running(True, self.tr("Preparing the fixes of « {layer} »…").format(layer=layer.name()))
        self._start("conform-preview", task)

    def _conform_preview_ready(self, analysis) -> None:
        self._task_done("conform-preview")
        self._set_running(False)
        if self.report is not None:
            self._set_summary(self.summary_text(self.report), "/mIconInfo.svg")
        request = getattr(self, "_conform_request", None) or {}
        from .conform_dialog import ConformDialog

        dialog = ConformDialog(
            analysis,
            self,
            focus=request.get("focus"),
            constants=request.get("constants"),
            constant_labels=request.get("labels"),
        )
        self.conform_dialog = dialog
        dialog.accepted.connect(lambda: self._start_conversion(dialog))
        dialog.finished.connect(lambda _result: setattr(self, "conform_dialog", None))
        dialog.open()

    def _start_conversion(self, dialog) -> None:
        request = getattr(self, "_conform_request", None) or {}
        layer = QgsProject.instance().mapLayer(request.get("layer_id", ""))
        if not isinstance(layer, QgsVectorLayer):
            self._show_error(self.tr("The checked layer is no longer in the project: check again."))
            return
        from opendata_publisher.core.conform.engine import ConformOptions
        from opendata_publisher.core.conform.output import conform_layer_name, layer_file, safe_layer_name, same_file

        from .conform_dialog import ConformTask

        path = dialog.output_path()
        if path and same_file(path, layer_file(layer)):
            self._show_error(
                self.tr(
                    "The output file « {path} » is the file of the layer to convert: writing it would destroy "
                    "the source layer. Choose another file; « {layer} » was not modified."
                ).format(path=path, layer=layer.name())
            )
            return
        options = ConformOptions(
            fixes=dialog.selected_fixes(), mapping=request.get("mapping"), constants=dialog.constants()
        )
        request["path"] = path
        request["name"] = conform_layer_name(layer.name())
        task = ConformTask(
            self._make_layer_input(layer, False),
            request["schema"],
            options,
            path=path,
            layer_name=safe_layer_name(f"{layer.name()}_conforme"),
            transform_context=QgsProject.instance().transformContext(),
        )
        task.conversionReady.connect(self._conversion_done)
        task.failed.connect(lambda message: self._conform_failed("conform", message))
        task.cancelledByUser.connect(lambda: self._conform_cancelled("conform"))
        self._set_running(True, self.tr("Creating the conforming layer from « {layer} »…").format(layer=layer.name()))
        self._start("conform", task)

    def _conversion_done(self, analysis, sink) -> None:
        self._task_done("conform")
        self._set_running(False)
        request = getattr(self, "_conform_request", None) or {}
        from opendata_publisher.core.conform.output import add_next_to, finish_layer, memory_layer, safe_layer_name

        source = QgsProject.instance().mapLayer(request.get("layer_id", ""))
        source = source if isinstance(source, QgsVectorLayer) else None
        name = request.get("name") or analysis.layer_name
        if sink is not None:
            new_layer = memory_layer(sink, name)
        else:
            uri = f"{request.get('path')}|layername={safe_layer_name(f'{analysis.layer_name}_conforme')}"
            new_layer = QgsVectorLayer(uri, name, "ogr")
        if not new_layer.isValid():
            self._show_error(self.tr("The new layer cannot be opened: choose another file and try again."))
            return
        finish_layer(new_layer, analysis, source, request.get("reference", ""))
        add_next_to(new_layer, source)
        self.conformed_layer = new_layer
        self.last_conform = analysis
        note = self.tr(
            "« {layer} » created: {n} values fixed. « {source} » is unchanged. The new layer is being "
            "checked: what remains is listed above."
        ).format(layer=new_layer.name(), n=analysis.fixed_count, source=analysis.layer_name)
        # kept until the check of the new layer is shown (it ends after this method in a real task)
        self._pending_note = (new_layer.id(), note)
        self._name_after_check = new_layer.id()
        self.set_layer(new_layer)
        self.selected_only_check.setChecked(False)
        self.run_check()
        self.info_label.setText(note)

    def _conform_failed(self, name: str, message: str) -> None:
        self._task_done(name)
        self._set_running(False)
        self._show_error(message)

    def _conform_cancelled(self, name: str) -> None:
        self._task_done(name)
        self._set_running(False)
        self._set_summary(self.tr("Fixing cancelled: no layer was created."), "/mIconWarning.svg")

    # ============================================================ plumbing
    def _start(self, name: str, task) -> None:
        self._tasks.keep(name, task)
        shown = name in ("validation", "conform-preview", "conform")
        task.progressChanged.connect(self._task_progress if shown else (lambda _p: None))
        self._update_buttons()
        self._tasks.start(name, task)

    def _task_done(self, name: str) -> None:
        self._tasks.done(name)

    def _task_progress(self, value: float) -> None:
        self.progress.setValue(int(value))

    def running_tasks(self) -> List[str]:
        return self._tasks.names()

    def _set_running(self, running: bool, message: str = "") -> None:
        self.progress.setVisible(running)
        self.progress.setValue(0)
        self.cancel_button.setVisible(running)
        if running and message:
            self._set_summary(message, None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = bool({"validation", "schema", "conform-preview", "conform"} & set(self._tasks.names()))
        has_layer = self.current_layer() is not None
        has_schema = bool(self.current_reference())
        self.check_button.setEnabled(not busy and has_layer and has_schema)
        self.mapping_button.setEnabled(not busy and has_layer and has_schema)
        has_report = self.report is not None
        self.export_button.setEnabled(has_report)
        self.select_errors_button.setEnabled(
            has_report and self.report_layer() is not None and bool(self.findings_model.error_feature_ids())
        )
        can_fix = not busy and has_report and self.report_schema is not None and self.report_layer() is not None
        self.fix_all_button.setEnabled(can_fix and bool(self.report.findings))
        self.fix_button.setEnabled(can_fix and self.findings_view.is_fixable(self.findings_view.current_group()))
        self.edit_value_button.setEnabled(not busy and self.can_edit_finding(self.findings_view.current_finding()))

    def _set_summary(self, text: str, icon: Optional[str], keep_icon: bool = False) -> None:
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet("")
        if not keep_icon:
            if icon:
                self.summary_icon.setPixmap(QgsApplication.getThemeIcon(icon).pixmap(QSize(18, 18)))
            else:
                self.summary_icon.clear()

    def _show_error(self, message: str) -> None:
        self.last_error = message
        self._set_summary(message, "/mIconCritical.svg")
        self.summary_label.setStyleSheet("color: #b00020;")

    def _canvas(self):
        if self.iface is None:
            return None
        try:
            return self.iface.mapCanvas()
        except Exception:
            return None

    def cleanup(self) -> None:
        """Cancel running tasks and disconnect from the project. Safe to call twice."""
        if self._cleaned:
            return
        self._cleaned = True
        self._tasks.cleanup()
        self.layers.disconnect()


def _html(text: str) -> str:
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _safe_file_name(text: str) -> str:
    return re.sub(r"[^\w.\-]+", "-", text, flags=re.UNICODE).strip("-") or "rapport"

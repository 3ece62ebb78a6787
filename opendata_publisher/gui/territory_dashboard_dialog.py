"""« Tableau de bord du territoire »: which commune publishes which common-core data, how fresh and how
conforming, measured on a portal in a background task (:mod:`opendata_publisher.core.dashboard`).

The dialog shows the indicators, the commune × schema matrix (coloured cells; double-click opens the
dataset in the browser) and the list of datasets; it adds the members and datasets layers to the project
(members on the commune layer's outlines, else points at the town halls the shared profile gives, styled)
and exports the HTML report and the PDF."""

from __future__ import annotations

from typing import List, Optional

from qgis.core import QgsApplication, QgsProject
from qgis.gui import QgsFieldComboBox, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QCoreApplication, Qt, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QColor, QDesktopServices
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..compat import LAYER_FILTER_HAS_GEOMETRY
from ..core.dashboard.model import CELL_COLOURS, CELL_LABELS, DECLARED
from .tasks import _FeedbackTask, run_task_inline

URL_ROLE = Qt.ItemDataRole.UserRole + 1


class DashboardTask(_FeedbackTask):
    """Measures the territory on a portal (network; downloads the data when asked)."""

    dashboardReady = pyqtSignal(object)  # TerritoryDashboard

    def what(self) -> str:
        return QCoreApplication.translate("OpenDataTasks", "The territory measure")

    def __init__(self, connection, catalogue, options):
        super().__init__(QCoreApplication.translate("OpenDataTasks", "Measuring the territory's open data"))
        self.connection = connection
        self.catalogue = catalogue
        self.options = options
        self.step = ""

    def work(self):
        from ..core.dashboard.catalogues import Cancelled
        from ..core.dashboard.measure import measure_territory

        def progress(percent, text):
            self.step = text
            self.feedback.setProgress(percent)

        try:
            return measure_territory(self.connection, self.catalogue, self.options, progress, self.feedback)
        except Cancelled:
            self.feedback.cancel()
            return None

    def succeeded(self, value) -> None:
        self.dashboardReady.emit(value)


class TerritoryDashboardDialog(QDialog):
    """The dialog. ``catalogue`` (a SchemaCatalogue) and ``run_inline`` are for tests."""

    def __init__(self, parent=None, catalogue=None, run_inline: bool = False):
        super().__init__(parent)
        self.catalogue = catalogue
        self.run_inline = run_inline
        self.dashboard = None
        self.task: Optional[DashboardTask] = None
        self.setObjectName("TerritoryDashboardDialog")
        self.setWindowTitle(self.tr("Territory dashboard"))
        self.resize(980, 640)
        self._build()
        self._fill_connections()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("TerritoryDashboardDialog", text)

    # -- building -------------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.connection_combo = QComboBox(self)
        self.connection_combo.setToolTip(
            self.tr("The shared portal to read: a connection saved in Settings > Options > Open data.")
        )
        form.addRow(self.tr("Portal"), self.connection_combo)
        self.mapping_widget = QgsFileWidget(self)
        self.mapping_widget.setFilter(self.tr("JSON files (*.json)"))
        self.mapping_widget.setToolTip(
            self.tr(
                "Optional JSON file giving the portal organisations of each commune: "
                '{"members": {"45234": ["ville-d-orleans"]}}. Without it, organisations are '
                "matched to communes by name (« Ville d'Orléans » is Orléans)."
            )
        )
        form.addRow(self.tr("Communes → organisations"), self.mapping_widget)
        communes_row = QHBoxLayout()
        self.communes_combo = QgsMapLayerComboBox(self)
        self.communes_combo.setFilters(LAYER_FILTER_HAS_GEOMETRY)
        self.communes_combo.setAllowEmptyLayer(True)
        self.communes_combo.setLayer(None)
        self.communes_combo.setToolTip(
            self.tr(
                "Outlines of the communes for the members layer. Without a commune layer, each commune is a point "
                "at the town hall whose location the shared profile gives (without one, the example profile shipped "
                "for the built-in territory)."
            )
        )
        self.join_combo = QgsFieldComboBox(self)
        self.join_combo.setAllowEmptyFieldName(True)
        self.join_combo.setToolTip(self.tr("Field holding the INSEE code of the commune (guessed when empty)."))
        self.communes_combo.layerChanged.connect(self.join_combo.setLayer)
        communes_row.addWidget(self.communes_combo, 2)
        communes_row.addWidget(QLabel(self.tr("INSEE code field"), self))
        communes_row.addWidget(self.join_combo, 1)
        form.addRow(self.tr("Commune layer"), communes_row)
        check_row = QHBoxLayout()
        self.validate_check = QCheckBox(self.tr("Download the data and check it against its schema"), self)
        self.size_spin = QDoubleSpinBox(self)
        self.size_spin.setRange(0.1, 2000)
        self.size_spin.setDecimals(1)
        self.size_spin.setValue(20)
        self.size_spin.setSuffix(" Mo")
        self.size_spin.setToolTip(self.tr("Larger files are not downloaded."))
        check_row.addWidget(self.validate_check)
        check_row.addWidget(QLabel(self.tr("up to"), self))
        check_row.addWidget(self.size_spin)
        check_row.addStretch(1)
        self.refresh_check = QCheckBox(self.tr("Read the portal again"), self)
        self.refresh_check.setToolTip(
            self.tr("The portal's answers are kept for an hour; tick to read everything again (after a publication).")
        )
        check_row.addWidget(self.refresh_check)
        form.addRow("", check_row)
        layout.addLayout(form)

        run_row = QHBoxLayout()
        self.run_button = QPushButton(self.tr("Measure"), self)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        layout.addLayout(run_row)

        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        self.indicators_label = QLabel(self)
        self.indicators_label.setWordWrap(True)
        self.indicators_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.indicators_label)

        self.tabs = QTabWidget(self)
        self.matrix_table = QTableWidget(self)
        self.matrix_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.matrix_table.cellDoubleClicked.connect(self._open_matrix_cell)
        self.matrix_table.verticalHeader().setDefaultSectionSize(22)
        matrix_page = QWidget(self)
        matrix_layout = QVBoxLayout(matrix_page)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        self.matrix_empty_label = QLabel(self)  # said when no commune publishes common-core data (no column)
        self.matrix_empty_label.setWordWrap(True)
        self.matrix_empty_label.setVisible(False)
        matrix_layout.addWidget(self.matrix_empty_label)
        matrix_layout.addWidget(self.matrix_table)
        self.legend_label = QLabel(self)
        self.legend_label.setWordWrap(True)
        self.legend_label.setText(
            "  ".join(
                f'<span style="background:{CELL_COLOURS[s]}">&nbsp;&nbsp;&nbsp;&nbsp;</span> {CELL_LABELS[s]}'
                for s in CELL_LABELS
            )
            + "<br/>"
            + self.tr("Double-click a cell to open the dataset in the browser.")
        )
        matrix_layout.addWidget(self.legend_label)
        self.tabs.addTab(matrix_page, self.tr("Communes × schemas"))
        self.datasets_table = QTableWidget(self)
        self.datasets_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.datasets_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.datasets_table.cellDoubleClicked.connect(self._open_dataset_row)
        self.datasets_table.verticalHeader().setVisible(False)
        self.datasets_table.verticalHeader().setDefaultSectionSize(22)
        self.tabs.addTab(self.datasets_table, self.tr("Datasets"))
        layout.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        self.layers_button = QPushButton(self.tr("Add the layers to the project"), self)
        self.layers_button.clicked.connect(self.add_layers)
        self.html_button = QPushButton(self.tr("Export the HTML report…"), self)
        self.html_button.clicked.connect(lambda: self.export_html())
        self.pdf_button = QPushButton(self.tr("Export as PDF…"), self)
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        close_button = QPushButton(self.tr("Close"), self)
        close_button.clicked.connect(self.reject)
        for button in (self.layers_button, self.html_button, self.pdf_button):
            button.setEnabled(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout.addLayout(buttons)

    def _fill_connections(self) -> None:
        from ..core.portals.connections import FOLDER_PREFIX, default_folder, list_connections

        self.connection_combo.clear()
        for connection in list_connections():
            self.connection_combo.addItem(connection.name, connection.name)
        folder = default_folder()
        self.connection_combo.addItem(
            self.tr("Local publication folder ({})").format(folder), f"{FOLDER_PREFIX}{folder}"
        )

    # -- measuring --------------------------------------------------------------------------------------

    def _catalogue(self):
        if self.catalogue is None:
            from ..core.schema.catalogue import default_catalogue

            self.catalogue = default_catalogue()
        return self.catalogue

    def options(self):
        from ..core.dashboard.measure import DashboardOptions
        from ..core.dashboard.members import load_mapping_file
        from ..toolbelt.settings import cache_directory

        mapping_path = self.mapping_widget.filePath().strip()
        return DashboardOptions(
            validate_data=self.validate_check.isChecked(),
            max_download_mb=self.size_spin.value(),
            mapping=load_mapping_file(mapping_path) if mapping_path else None,
            cache_dir=cache_directory(),
            refresh=self.refresh_check.isChecked(),
        )

    def start(self) -> None:
        from ..core.portals.base import PortalError
        from ..core.portals.connections import resolve_connection

        try:
            connection = resolve_connection(self.connection_combo.currentData() or "")
            options = self.options()
        except (PortalError, ValueError) as exc:
            self._show_status(str(exc), error=True)
            return
        if options.mapping is None:
            from ..core.dashboard.members import configured_profile_mapping

            options.mapping = configured_profile_mapping(connection)  # the shared profile's organisations
        task = DashboardTask(connection, self._catalogue(), options)
        task.dashboardReady.connect(self._finished)
        task.failed.connect(lambda message: self._failed(message))
        task.cancelledByUser.connect(self._cancelled)
        task.progressChanged.connect(lambda value: self._progress(value))
        self.task = task
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self._show_status(self.tr("Reading the portal's catalogue…"))
        if self.run_inline:
            run_task_inline(task)
        else:
            QgsApplication.taskManager().addTask(task)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progress(self, value: float) -> None:
        self.progress.setValue(int(value))
        if self.task is not None and self.task.step:
            self.status_label.setText(self.task.step)

    def _done(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _failed(self, message: str) -> None:
        self._done()
        self._show_status(message, error=True)

    def _cancelled(self) -> None:
        self._done()
        self._show_status(self.tr("Measure cancelled."))

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status_label.setStyleSheet("color: #b00020;" if error else "")
        self.status_label.setText(text)

    def _finished(self, dashboard) -> None:
        self._done()
        if dashboard is None:
            self._cancelled()
            return
        self.progress.setValue(100)
        self.show_dashboard(dashboard)

    # -- showing ----------------------------------------------------------------------------------------

    def show_dashboard(self, dashboard) -> None:
        self.dashboard = dashboard
        ind = dashboard.indicators()
        when = dashboard.measured_at.astimezone().strftime("%d/%m/%Y %H:%M")
        self._show_status(
            self.tr("Measured on {when} on {source}.").format(when=when, source=dashboard.source)
            + ("\n" + "\n".join(dashboard.messages) if dashboard.messages else "")
        )
        parts = [
            self.tr("<b>{n} / {total}</b> communes publish open data ({share} %)").format(
                n=ind["publishing_count"], total=ind["member_count"], share=_decimal(ind["publishing_share"])
            ),
            self.tr("<b>{n} / {total}</b> publish common-core data ({share} %)").format(
                n=ind["scdl_publishing_count"], total=ind["member_count"], share=_decimal(ind["scdl_publishing_share"])
            ),
            (  # « 1 jeu de données », « 2 jeux de données » (French: 0 and 1 are singular)
                self.tr("<b>{n}</b> dataset, <b>{scdl}</b> common-core, <b>{late}</b> late")
                if ind["dataset_count"] <= 1
                else self.tr("<b>{n}</b> datasets, <b>{scdl}</b> common-core, <b>{late}</b> late")
            ).format(n=ind["dataset_count"], scdl=ind["scdl_dataset_count"], late=ind["scdl_late_count"]),
        ]
        if dashboard.validated:
            parts.append(
                self.tr("<b>{valid}</b> conforming, <b>{invalid}</b> with errors").format(
                    valid=ind["scdl_valid_count"], invalid=ind["scdl_invalid_count"]
                )
            )
        self.indicators_label.setText(" · ".join(parts))
        self._fill_matrix(dashboard)
        self._fill_datasets(dashboard)
        for button in (self.layers_button, self.html_button, self.pdf_button):
            button.setEnabled(True)

    def _fill_matrix(self, dashboard) -> None:
        schemas = dashboard.schemas
        table = self.matrix_table
        table.clear()
        table.setRowCount(len(dashboard.members))
        table.setColumnCount(len(schemas))
        table.setHorizontalHeaderLabels([dashboard.schema_titles.get(s) or s for s in schemas])
        table.setVerticalHeaderLabels([m.member.name for m in dashboard.members])
        for column, name in enumerate(schemas):
            table.horizontalHeaderItem(column).setToolTip(name)
        self.matrix_empty_label.setText(
            self.tr(
                "No commune of the territory publishes a common-core (SCDL) dataset on this portal: the matrix "
                "gets one column per common-core schema a commune publishes. The « Datasets » tab lists what the "
                "communes publish."
            )
        )
        self.matrix_empty_label.setVisible(not schemas)
        for row, summary in enumerate(dashboard.members):
            for column, name in enumerate(schemas):
                state = dashboard.cell(summary.member.code, name)
                datasets = [d for d in summary.datasets if d.schema is not None and d.schema.name == name]
                item = QTableWidgetItem(CELL_LABELS[state] if state != "absent" else "")
                item.setBackground(QColor(CELL_COLOURS[state]))
                if state in ("conforming", "errors"):
                    item.setForeground(QColor("white"))
                item.setData(Qt.ItemDataRole.UserRole, state)
                item.setData(URL_ROLE, datasets[0].dataset.url if datasets else "")
                item.setToolTip("\n".join(_dataset_line(d) for d in datasets) or CELL_LABELS[state])
                table.setItem(row, column, item)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setMinimumSectionSize(110)

    def _fill_datasets(self, dashboard) -> None:
        headers = [
            self.tr("Commune"),
            self.tr("Dataset"),
            self.tr("Schema"),
            self.tr("Last update"),
            self.tr("Freshness"),
            self.tr("Conformity"),
            self.tr("Licence"),
        ]
        rows: List[list] = []
        for summary in dashboard.members:
            for measure in summary.datasets:
                schema = measure.schema
                schema_text = ""
                if schema is not None:
                    schema_text = f"{schema.title or schema.name} {schema.version}".strip()
                    if schema.how != DECLARED:
                        schema_text += " " + self.tr("(heuristic: {})").format(schema.reason)
                    elif schema.outdated:
                        schema_text += " " + self.tr("(version {} available)").format(schema.latest_version)
                last = measure.dataset.last_update
                conformity = measure.conformity_text or (
                    self.tr("not checked") if measure.conformity == "not-checked" else ""
                )
                rows.append(
                    [
                        summary.member.name,
                        measure.dataset.title,
                        schema_text,
                        last.astimezone().strftime("%d/%m/%Y") if last else "",
                        measure.freshness_text,
                        conformity,
                        measure.dataset.licence,
                        measure.dataset.url,
                    ]
                )
        table = self.datasets_table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values[:-1]):
                item = QTableWidgetItem(str(value))
                item.setData(URL_ROLE, values[-1])
                table.setItem(r, c, item)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def _open_matrix_cell(self, row: int, column: int) -> None:
        item = self.matrix_table.item(row, column)
        url = item.data(URL_ROLE) if item is not None else ""
        if url:
            QDesktopServices.openUrl(QUrl(url))

    def _open_dataset_row(self, row: int, _column: int) -> None:
        item = self.datasets_table.item(row, 0)
        url = item.data(URL_ROLE) if item is not None else ""
        if url:
            QDesktopServices.openUrl(QUrl(url))

    # -- outputs ----------------------------------------------------------------------------------------

    def build_layers(self):
        """(members layer, datasets layer, notes) of the current measure."""
        from ..core.dashboard.layers import datasets_layer, members_layer
        from ..core.dashboard.members import configured_profile_locations

        communes = self.communes_combo.currentLayer()
        # the profile is only read from its copy on disk here: never a network wait in the interface
        locations = configured_profile_locations(offline=True) if communes is None else None
        members, notes = members_layer(self.dashboard, communes, self.join_combo.currentField() or "", locations)
        return members, datasets_layer(self.dashboard), notes

    def add_layers(self) -> None:
        if self.dashboard is None:
            return
        members, datasets, notes = self.build_layers()
        QgsProject.instance().addMapLayers([members, datasets])
        text = self.tr("Layers « {members} » and « {datasets} » added to the project.").format(
            members=members.name(), datasets=datasets.name()
        )
        self._show_status("\n".join([text, *notes]))

    def _save_path(self, title: str, filter_text: str, suffix: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, f"tableau-de-bord-territoire.{suffix}", filter_text)
        if path and not path.lower().endswith(f".{suffix}"):
            path += f".{suffix}"
        return path

    def export_html(self, path: str = "") -> str:
        from ..core.dashboard.layers import render_map_png
        from ..core.dashboard.report import report_html

        if self.dashboard is None:
            return ""
        path = path or self._save_path(self.tr("HTML report"), self.tr("HTML files (*.html)"), "html")
        if not path:
            return ""
        members, _datasets, _notes = self.build_layers()
        png = render_map_png([members]) if members.isSpatial() else b""
        try:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(report_html(self.dashboard, png))
        except OSError as exc:
            QMessageBox.warning(self, self.tr("HTML report"), self.tr("Cannot write {}: {}").format(path, exc))
            return ""
        self._show_status(self.tr("HTML report written: {}").format(path))
        return path

    def export_pdf(self, path: str = "") -> str:
        from ..core.dashboard.layout import export_pdf

        if self.dashboard is None:
            return ""
        path = path or self._save_path(self.tr("PDF"), self.tr("PDF files (*.pdf)"), "pdf")
        if not path:
            return ""
        members, _datasets, _notes = self.build_layers()
        try:
            export_pdf(self.dashboard, members, path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("PDF"), str(exc))
            return ""
        self._show_status(self.tr("PDF written: {}").format(path))
        return path

    def reject(self) -> None:
        self.cancel()
        super().reject()


def _decimal(value: float) -> str:
    """22.7 -> « 22,7 » (French decimal comma)."""
    return f"{value:.1f}".replace(".", ",")


def _dataset_line(measure) -> str:
    parts = [measure.dataset.title, measure.freshness_text]
    if measure.conformity_text:
        parts.append(measure.conformity_text)
    return " — ".join(p for p in parts if p)

"""The « Publier » page of the dock: layer, connection, formats, the gate, the publication in the background,
the result with its link, and the layer's publication history.

Flow (see :mod:`opendata_publisher.core.publish`): ``prepare`` on the main thread (snapshot of the layer),
``run`` in a :class:`PublishTask` (gate, exports, portal; byte progress; cancellable), ``finish`` on the main
thread (stored dataset reference, history). « Vérifier avant publication » runs only the gate
(:func:`~opendata_publisher.core.publish.run_gate`) and lists what blocks, each step with a button to open it;
warnings need the explicit « Publier quand même » box, recorded in the history.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Dict, List, Optional

from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt, QTimer, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core import publish as pub
from ..core.portals.base import PortalConnection
from .connections_widget import _is_french_error, portal_title
from .history_widget import HistoryWidget
from .tasks import _FeedbackTask
from .widgets.layer_picker import LayerPicker, chosen_layer, vector_layer_combo
from .widgets.task_host import TaskHost

#: formats ticked by default for each portal type (Opendatasoft publishes one file per dataset)
DEFAULT_FORMATS = {
    "folder": ["csv", "geojson", "gpkg"],
    "udata": ["csv", "geojson"],
    "opendatasoft": ["csv"],
    "ckan": ["csv", "geojson"],
}
GATE_CHECKED = "checked"  # PublishOutcome.status of a gate-only run
ERROR_COLOR, WARNING_COLOR, OK_COLOR = "#b00020", "#a05a00", "#1e7b34"
MAX_SENTENCES_PER_STEP = 6


def _mb(value: int) -> str:
    return f"{value / 1_000_000:.1f}".replace(".", ",")


class PublishTask(_FeedbackTask):
    """``core.publish.run`` (or only the gate) on a PublishJob snapshot; always delivers the PublishOutcome."""

    outcomeReady = pyqtSignal(object)  # PublishOutcome
    progressed = pyqtSignal(object, object, str)  # done, total (bytes; 0 = unknown), French step label

    def what(self) -> str:
        return QCoreApplication.translate("OpenDataTasks", "The publication")

    def __init__(self, job, gate_only: bool = False):
        title = (
            QCoreApplication.translate("OpenDataTasks", "Checking {layer} before publication")
            if gate_only
            else QCoreApplication.translate("OpenDataTasks", "Publishing {layer}")
        )
        super().__init__(title.format(layer=job.layer_name))
        self.job = job
        self.gate_only = gate_only

    def report(self, done: int, total: int, label: str) -> None:
        """Progress callback of the core (worker thread): the signal is queued to the page."""
        if total and total > 0:
            self.setProgress(max(0.0, min(100.0, 100.0 * done / total)))
        self.progressed.emit(int(done or 0), int(total or 0), str(label or ""))

    def work(self):
        if self.gate_only:
            outcome = pub.PublishOutcome(status=GATE_CHECKED)
            if not pub.run_gate(self.job, outcome, self.feedback, self.report):
                outcome.status = pub.CANCELLED
            return outcome
        return pub.run(self.job, self.feedback, self.report)

    def run(self) -> bool:
        super().run()
        return self.result is not None  # a cancelled run still has its outcome (status cancelled)

    def finished(self, result: bool) -> None:
        if not result and self.exception is not None and _is_french_error(self.exception):
            self.failed.emit(str(self.exception))
            return
        super().finished(result)

    def succeeded(self, value) -> None:
        self.outcomeReady.emit(value)


class PublishPage(QWidget):
    """The « Publier » step of the dock."""

    publicationFinished = pyqtSignal(object)  # PublishOutcome (after finish())
    gateChecked = pyqtSignal(object)  # GateResult
    openStepRequested = pyqtSignal(str)  # core.publish.STEP_* key
    layerChanged = pyqtSignal(object)  # QgsVectorLayer or None

    def __init__(self, iface, parent: Optional[QWidget] = None, run_inline: bool = False):  # noqa: QGS105
        super().__init__(parent)
        self.setObjectName("OpenDataPublishPage")
        self.iface = iface
        self.run_inline = run_inline
        self._tasks = TaskHost(self)
        self._cleaned = False
        self.folder_path = ""  # "" = the built-in folder of the QGIS profile
        self._connection_key: Optional[tuple] = None
        self.gate: Optional[pub.GateResult] = None
        self.gate_layer_id: Optional[str] = None
        self.outcome: Optional[pub.PublishOutcome] = None
        self.last_error = ""
        self.step_buttons: Dict[str, QPushButton] = {}
        #: opens a URL in the browser (tests replace it)
        self.open_url: Callable[[str], Any] = lambda url: QDesktopServices.openUrl(QUrl(url))
        #: asks « recreate the deleted dataset? » (tests replace it)
        self.ask_recreate: Callable[[], bool] = self._ask_recreate
        #: shows « Gérer les connexions… » (tests replace it)
        self.manage_connections_func: Optional[Callable[[], Any]] = None
        self._build_ui()
        self.refresh_connections()
        self.layers = LayerPicker(self._layers_removed)
        self.layers.attach(self.layer_combo, self._layer_changed)
        self.connection_combo.currentIndexChanged.connect(self._connection_changed)
        self._connection_changed()
        self._layer_changed(self.layer_combo.currentLayer())

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("PublishPage", text)

    # ================================================================= UI
    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = self.scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrap, never scroll sideways
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)

        # ---- what and where
        target = QGroupBox(self.tr("What and where"), body)
        grid = QGridLayout(target)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.addWidget(QLabel(self.tr("Layer"), target), 0, 0)
        self.layer_combo = vector_layer_combo(target, "publishLayerCombo", self.tr("The layer (or table) to publish"))
        _narrow(self.layer_combo)
        grid.addWidget(self.layer_combo, 0, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("Portal"), target), 1, 0)
        self.connection_combo = QComboBox(target)
        self.connection_combo.setObjectName("publishConnectionCombo")
        self.connection_combo.setToolTip(
            self.tr("Where to publish: a portal connection, or the local publication folder (no account needed)")
        )
        _narrow(self.connection_combo)
        grid.addWidget(self.connection_combo, 1, 1)
        self.manage_button = QPushButton(self.tr("Connections…"), target)
        self.manage_button.setObjectName("publishManageConnections")
        self.manage_button.setToolTip(self.tr("Add or edit the portal connections and their API keys"))
        self.manage_button.clicked.connect(self.manage_connections)
        grid.addWidget(self.manage_button, 1, 2)
        self.folder_label = QLabel(target)
        self.folder_label.setObjectName("publishFolderLabel")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(self.folder_label, 2, 0, 1, 2)
        self.folder_button = QPushButton(self.tr("Folder…"), target)
        self.folder_button.setObjectName("publishFolderButton")
        self.folder_button.setToolTip(self.tr("Choose the local publication folder"))
        self.folder_button.clicked.connect(self.choose_folder)
        grid.addWidget(self.folder_button, 2, 2)
        grid.setColumnStretch(1, 1)
        layout.addWidget(target)

        # ---- formats and options
        options = QGroupBox(self.tr("Files and options"), body)
        options_layout = QGridLayout(options)
        options_layout.setContentsMargins(6, 6, 6, 6)
        self.format_checks: Dict[str, QCheckBox] = {}
        labels = {"csv": "CSV", "geojson": "GeoJSON", "gpkg": "GeoPackage", "shp": self.tr("Shapefile (zipped)")}
        for index, fmt in enumerate(pub.ALL_FORMATS):
            check = QCheckBox(labels[fmt], options)
            check.setObjectName(f"publishFormat_{fmt}")
            self.format_checks[fmt] = check
            options_layout.addWidget(check, index // 2, index % 2)
        self.format_checks["csv"].setToolTip(self.tr("UTF-8, columns in the order of the data schema"))
        self.format_checks["geojson"].setToolTip(self.tr("WGS 84 coordinates (RFC 7946)"))
        self.format_hint = QLabel(options)
        self.format_hint.setObjectName("publishFormatHint")
        self.format_hint.setWordWrap(True)
        options_layout.addWidget(self.format_hint, 2, 0, 1, 2)
        self.private_check = QCheckBox(self.tr("Draft / private"), options)
        self.private_check.setObjectName("publishPrivate")
        self.private_check.setToolTip(
            self.tr("A new dataset is created hidden: check it on the portal, then make it public there")
        )
        options_layout.addWidget(self.private_check, 3, 0)
        self.dry_run_check = QCheckBox(self.tr("Simulation (send nothing)"), options)
        self.dry_run_check.setObjectName("publishDryRun")
        self.dry_run_check.setToolTip(
            self.tr("Run the checks and prepare the files, but send and write nothing: to try safely")
        )
        options_layout.addWidget(self.dry_run_check, 3, 1)
        layout.addWidget(options)

        # ---- review: what will be published, with « Modifier » links to each step
        from .review_box import ReviewBox

        self.review_box = ReviewBox(body)
        self.review_box.editRequested.connect(self.openStepRequested.emit)
        layout.addWidget(self.review_box)
        for check in self.format_checks.values():
            check.toggled.connect(lambda _checked: self.refresh_review())

        # ---- gate
        gate_box = QGroupBox(self.tr("Check before publishing"), body)
        gate_layout = QVBoxLayout(gate_box)
        gate_layout.setContentsMargins(6, 6, 6, 6)
        self.check_button = QPushButton(
            QgsApplication.getThemeIcon("/mActionIdentify.svg"), self.tr("Check before publishing"), gate_box
        )
        self.check_button.setObjectName("publishCheckButton")
        self.check_button.setToolTip(
            self.tr("Run the schema, legal and metadata checks now and list what would stop the publication")
        )
        self.check_button.clicked.connect(self.check_gate)
        self.gate_label = QLabel(gate_box)
        self.gate_label.setObjectName("publishGateLabel")
        self.gate_label.setWordWrap(True)
        gate_layout.addWidget(self.gate_label)
        self.gate_items = QWidget(gate_box)
        self.gate_items_layout = QVBoxLayout(self.gate_items)
        self.gate_items_layout.setContentsMargins(0, 0, 0, 0)
        self.gate_items_layout.setSpacing(4)
        gate_layout.addWidget(self.gate_items)
        self.accept_check = QCheckBox(self.tr("Publish anyway (the warnings are recorded in the history)"), gate_box)
        self.accept_check.setObjectName("publishAcceptWarnings")
        self.accept_check.setToolTip(
            self.tr("You have read the warnings and decide to publish as it is; your name and the warnings are kept")
        )
        self.accept_check.setVisible(False)
        gate_layout.addWidget(self.accept_check)
        layout.addWidget(gate_box)

        # ---- publish: the actions sit below the scrolling part, always visible on a laptop screen (issue 11)
        run_row = QHBoxLayout()
        run_row.addWidget(self.check_button)
        self.publish_button = QPushButton(
            QgsApplication.getThemeIcon("/mActionSharingExport.svg"), self.tr("Publish"), self
        )
        self.publish_button.setObjectName("publishButton")
        self.publish_button.setDefault(True)
        self.publish_button.clicked.connect(lambda: self.publish())
        run_row.addWidget(self.publish_button)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("publishCancelButton")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(1)
        outer.addLayout(run_row)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("publishProgress")
        self.progress.setVisible(False)
        outer.addWidget(self.progress)
        self.step_label = QLabel(self)
        self.step_label.setObjectName("publishStepLabel")
        self.step_label.setWordWrap(True)
        self.step_label.setVisible(False)
        outer.addWidget(self.step_label)
        self.result_label = QLabel(body)
        self.result_label.setObjectName("publishResultLabel")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.result_label.setOpenExternalLinks(False)
        self.result_label.linkActivated.connect(lambda url: self.open_url(url))
        layout.addWidget(self.result_label)

        # ---- history
        history_box = QGroupBox(self.tr("Publication history"), body)
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(6, 6, 6, 6)
        self.history_widget = HistoryWidget(history_box)
        self.history_widget.open_url = lambda url: self.open_url(url)
        history_layout.addWidget(self.history_widget)
        layout.addWidget(history_box)
        layout.addStretch(1)

    # ================================================================= layer
    def current_layer(self) -> Optional[QgsVectorLayer]:
        return chosen_layer(self.layer_combo)

    def set_layer(self, layer) -> bool:
        self.layer_combo.setLayer(layer)
        return True

    def _layer_changed(self, layer) -> None:
        layer = layer if isinstance(layer, QgsVectorLayer) else None
        if layer is None or layer.id() != self.gate_layer_id:
            self._clear_gate()
            self.result_label.clear()
        self.history_widget.set_layer(layer)
        self._update_buttons()
        self.layerChanged.emit(layer)

    def _layers_removed(self, layer_ids) -> None:
        if self.gate_layer_id in set(layer_ids):
            self._clear_gate()
        if self.history_widget.layer is not None and self.history_widget.layer.id() in set(layer_ids):
            self.history_widget.set_layer(None)

    # ================================================================= connections
    def refresh_connections(self, select: str = "") -> None:
        """Fill the combo: the local folder first, then the saved connections."""
        from ..core.portals.connections import default_folder, list_connections

        current = select or (self.connection_combo.currentData() or "")
        self.connection_combo.blockSignals(True)
        self.connection_combo.clear()
        folder = self.folder_path or str(default_folder())
        self.connection_combo.addItem(
            QgsApplication.getThemeIcon("/mIconFolder.svg"), self.tr("Local publication folder"), f"folder:{folder}"
        )
        for connection in list_connections():
            self.connection_combo.addItem(
                QgsApplication.getThemeIcon("/mIconConnect.svg"),
                f"{connection.name} — {portal_title(connection.portal_type)}",
                connection.name,
            )
        index = self.connection_combo.findData(current) if current else -1
        if index < 0 and str(current).startswith("folder:"):
            index = 0
        self.connection_combo.setCurrentIndex(max(index, 0))
        self.connection_combo.blockSignals(False)
        self._connection_changed()

    def select_connection(self, name: str) -> bool:
        index = self.connection_combo.findData(name)
        if index >= 0:
            self.connection_combo.setCurrentIndex(index)
        return index >= 0

    def set_folder(self, path: str) -> None:
        """Publish to this local folder (selects the folder entry)."""
        self.folder_path = str(path)
        self.refresh_connections(select=f"folder:{self.folder_path}")
        self.connection_combo.setCurrentIndex(0)
        self._connection_changed()

    def choose_folder(self) -> None:
        from ..core.portals.connections import default_folder

        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Local publication folder"), self.folder_path or str(default_folder())
        )
        if folder:
            from ..core.portals.connections import remember_folder

            remember_folder(folder)  # the next sessions publish there too
            self.set_folder(folder)

    def current_connection(self) -> Optional[PortalConnection]:
        from ..core.portals.connections import folder_connection, get_connection

        data = str(self.connection_combo.currentData() or "")
        if not data:
            return None
        if data.startswith("folder:"):
            return folder_connection(self.folder_path)
        return get_connection(data)

    def _connection_changed(self, *_args) -> None:
        connection = self.current_connection()
        key = (connection.name, connection.portal_type) if connection is not None else None
        if key == self._connection_key:
            self._update_buttons()
            return  # same target (combo refilled): keep the agent's formats and the gate
        self._connection_key = key
        portal_type = connection.portal_type if connection is not None else "folder"
        wanted = DEFAULT_FORMATS.get(portal_type, ["csv"])
        for fmt, check in self.format_checks.items():
            check.setChecked(fmt in wanted)
        folder = portal_type == "folder"
        self.folder_label.setVisible(folder)
        self.folder_button.setVisible(folder)
        if folder and connection is not None:
            self.folder_label.setText(self.tr("Folder: {path}").format(path=_breakable(connection.base_url)))
        self.private_check.setVisible(not folder)
        self.private_check.setChecked(bool(connection.private) if connection is not None else False)
        if portal_type == "opendatasoft":
            self.format_hint.setText(
                self.tr(
                    "Opendatasoft publishes one file per dataset: CSV is recommended, the other files are attached."
                )
            )
        elif folder:
            self.format_hint.setText(
                self.tr("The folder also receives the metadata (DCAT-AP, ISO 19139), the licence and the reports.")
            )
        else:
            self.format_hint.setText("")
        self.format_hint.setVisible(bool(self.format_hint.text()))
        if self.gate is not None:
            self._clear_gate()  # the metadata check depends on the portal
        self._update_buttons()

    def manage_connections(self) -> None:
        """« Connexions… »: the connection editor in a dialog; the combo is refreshed after."""
        if self.manage_connections_func is not None:
            self.manage_connections_func()
        else:
            from .connections_widget import ConnectionsDialog

            dialog = ConnectionsDialog(self)
            dialog.exec()
            dialog.deleteLater()
        self.refresh_connections()

    def showEvent(self, event):  # noqa: N802 - Qt API: connections may have changed in the Options
        super().showEvent(event)
        self.refresh_connections()

    # ================================================================= formats
    def formats(self) -> List[str]:
        return [fmt for fmt, check in self.format_checks.items() if check.isChecked()]

    def set_formats(self, formats) -> None:
        for fmt, check in self.format_checks.items():
            check.setChecked(fmt in set(formats))

    # ================================================================= gate and publication
    def _prepare(self, gate_only: bool, recreate: bool = False):
        """The job for the current layer and connection, or None with the reason shown."""
        layer = self.current_layer()
        if layer is None:
            self.show_error(self.tr("Choose the layer to publish first."))
            return None
        connection = self.current_connection()
        if connection is None:
            self.show_error(self.tr("Choose where to publish (a portal connection or the local folder)."))
            return None
        formats = self.formats()
        if not formats and not gate_only:
            self.show_error(self.tr("Tick at least one file format."))
            return None
        if connection.portal_type != "folder":
            connection = replace(connection, private=self.private_check.isChecked())
            if connection.authcfg and not gate_only and not self.dry_run_check.isChecked():
                from ..toolbelt.auth import AuthError, ensure_master_password

                try:
                    ensure_master_password()  # main thread: QGIS asks for the master password if needed
                except AuthError as exc:
                    self.show_error(str(exc))
                    return None
        try:
            return pub.prepare(
                layer,
                connection,
                formats or ["csv"],
                accept_warnings=not self.accept_check.isHidden() and self.accept_check.isChecked(),
                dry_run=self.dry_run_check.isChecked(),
                recreate_if_deleted=recreate,
            )
        except Exception as exc:  # noqa: BLE001 - unreadable layer, unknown format: say it
            self.show_error(
                self.tr("The layer « {layer} » cannot be read ({error}).").format(layer=layer.name(), error=exc)
            )
            return None

    def check_gate(self) -> None:
        """« Vérifier avant publication »: run the gate only (background task)."""
        if self._tasks:
            return
        job = self._prepare(gate_only=True)
        if job is None:
            return
        self.result_label.clear()
        self._start(job, gate_only=True)

    def publish(self, recreate: bool = False) -> None:
        """« Publier »: prepare here, run in the background, finish here."""
        if self._tasks:
            return
        job = self._prepare(gate_only=False, recreate=recreate)
        if job is None:
            return
        self.result_label.clear()
        self._start(job, gate_only=False)

    def _start(self, job, gate_only: bool) -> None:
        task = PublishTask(job, gate_only=gate_only)
        name = "gate" if gate_only else "publish"
        task.outcomeReady.connect(lambda outcome: self._done(job, outcome, gate_only))
        task.failed.connect(self._failed)
        task.cancelledByUser.connect(self._cancelled)
        task.progressed.connect(self._progressed)
        self._tasks.keep(name, task)
        self._set_running(
            True,
            self.tr("Checking « {layer} »…").format(layer=job.layer_name)
            if gate_only
            else self.tr("Publishing « {layer} »…").format(layer=job.layer_name),
        )
        self._tasks.start(name, task)

    def cancel(self) -> None:
        self._tasks.cancel()

    def running_tasks(self) -> List[str]:
        return self._tasks.names()

    def _progressed(self, done, total, label: str) -> None:
        if total and total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))
            text = self.tr("{step} ({done} of {total} MB)").format(step=label, done=_mb(done), total=_mb(total))
        else:
            self.progress.setRange(0, 0)  # busy: no byte count for this step
            text = label
        if label:
            self.step_label.setText(text)

    def _done(self, job, outcome, gate_only: bool) -> None:
        self._tasks.done("gate" if gate_only else "publish")
        self._set_running(False)
        layer = QgsProject.instance().mapLayer(job.layer_id)
        if gate_only:
            if outcome.status == pub.CANCELLED:
                self._set_result(self.tr("Check cancelled."), WARNING_COLOR)
                return
            self.show_gate(outcome.gate, job.layer_id)
            return
        if layer is not None and not job.dry_run:
            try:
                pub.finish(layer, job, outcome)
            except Exception as exc:  # noqa: BLE001 - the portal answered; say what could not be kept
                outcome.messages.append(
                    self.tr("The publication reference could not be stored in the layer ({error}).").format(error=exc)
                )
            QgsProject.instance().setDirty(True)
        self.outcome = outcome
        self.show_outcome(outcome, job)
        self.history_widget.refresh()
        self.publicationFinished.emit(outcome)
        deleted = outcome.status == pub.FAILED and outcome.error_kind == "deleted" and not job.recreate_if_deleted
        if deleted and self.ask_recreate():
            self.publish(recreate=True)

    def _failed(self, message: str) -> None:
        self._tasks.done()
        self._set_running(False)
        self.show_error(message)

    def _cancelled(self) -> None:
        self._tasks.done()
        self._set_running(False)
        self._set_result(self.tr("Cancelled: nothing was published."), WARNING_COLOR)

    def _ask_recreate(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Dataset deleted"),
            self.tr("The dataset was deleted on the portal. Create it again?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    # ================================================================= showing results
    def show_outcome(self, outcome, job=None) -> None:
        if outcome.status == pub.PUBLISHED:
            url = outcome.dataset_url
            extra = "".join(f"<br>{_breakable(m)}" for m in outcome.messages)
            folder = job is not None and job.connection.portal_type == "folder"
            done = (
                self.tr("Published: the files are written in the local folder.")
                if folder
                else self.tr("Published: the portal confirmed the dataset.")
            )
            text = "<b>" + _html(done) + f'</b><br><a href="{_html(url)}">{_breakable(url)}</a>'
            self._set_result(text + extra, OK_COLOR, rich=True)
            self.show_gate(outcome.gate, job.layer_id if job is not None else None, published=True)
        elif outcome.status == pub.DRY_RUN:
            self._set_result(outcome.summary(), OK_COLOR)
        elif outcome.status == pub.REFUSED:
            self.show_gate(outcome.gate, job.layer_id if job is not None else None)
            self._set_result(self.tr("Nothing was published: see « Check before publishing » above."), ERROR_COLOR)
        elif outcome.status == pub.CANCELLED:
            self._set_result(outcome.summary(), WARNING_COLOR)
        else:
            self.last_error = outcome.summary()
            self._set_result(outcome.summary(), ERROR_COLOR)

    def show_gate(self, gate, layer_id: Optional[str] = None, published: bool = False) -> None:
        """List what blocks (and the warnings), grouped by step, each step with a button to open it."""
        self._clear_gate_items()
        self.gate = gate
        self.gate_layer_id = layer_id
        self.step_buttons = {}
        by_step: Dict[str, List[Any]] = {}
        for item in gate.blocking + gate.warnings:
            by_step.setdefault(item.step, []).append(item)
        for step in gate.steps_to_open:
            self.gate_items_layout.addWidget(self._step_frame(step, by_step.get(step, [])))
        for note in gate.notes:
            label = QLabel(f"ℹ {note}", self.gate_items)
            label.setWordWrap(True)
            self.gate_items_layout.addWidget(label)
        if gate.blocking:
            self.gate_label.setText(
                self.tr("{count} blocking problem(s): publication is refused until they are fixed.").format(
                    count=len(gate.blocking)
                )
            )
            self.gate_label.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;")
        elif gate.warnings and published:
            self.gate_label.setText(
                self.tr(
                    "Published with {count} warning(s), recorded in the history: fix them for the next update."
                ).format(count=len(gate.warnings))
            )
            self.gate_label.setStyleSheet(f"color: {WARNING_COLOR}; font-weight: bold;")
        elif gate.warnings:
            self.gate_label.setText(
                self.tr("Nothing blocks, but {count} warning(s): fix them, or tick « Publish anyway ».").format(
                    count=len(gate.warnings)
                )
            )
            self.gate_label.setStyleSheet(f"color: {WARNING_COLOR}; font-weight: bold;")
        elif published:
            self.gate_label.setText(self.tr("The checks passed when publishing."))
            self.gate_label.setStyleSheet(f"color: {OK_COLOR}; font-weight: bold;")
        else:
            self.gate_label.setText(self.tr("Nothing stops the publication: click « Publish »."))
            self.gate_label.setStyleSheet(f"color: {OK_COLOR}; font-weight: bold;")
        self.accept_check.setVisible(bool(gate.warnings) and not gate.blocking)
        if self.accept_check.isHidden():
            self.accept_check.setChecked(False)
        self._update_buttons()
        self.gateChecked.emit(gate)

    def _step_frame(self, step: str, items) -> QFrame:
        from .flow import step_title

        frame = QFrame(self.gate_items)
        frame.setObjectName(f"gateStep_{step}")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        head = QHBoxLayout()
        blocking = sum(1 for i in items if i.severity == "error")
        icon = QLabel(frame)
        icon.setPixmap(
            QgsApplication.getThemeIcon("/mIconCritical.svg" if blocking else "/mIconWarning.svg").pixmap(16, 16)
        )
        head.addWidget(icon)
        title = QLabel(f"<b>{_html(step_title(step))}</b>", frame)
        head.addWidget(title, 1)
        button = QPushButton(self.tr("Open this step"), frame)
        button.setObjectName(f"openStep_{step}")
        button.setToolTip(self.tr("Go to the « {step} » page to fix it").format(step=step_title(step)))
        button.clicked.connect(lambda _checked=False, s=step: self.openStepRequested.emit(s))
        head.addWidget(button)
        self.step_buttons[step] = button
        layout.addLayout(head)
        for item in items[:MAX_SENTENCES_PER_STEP]:
            sentence = item.sentence()
            prefix = f"{pub.STEP_LABELS.get(item.step, item.step)} — "
            if sentence.startswith(prefix):
                sentence = sentence[len(prefix) :]
            color = ERROR_COLOR if item.severity == "error" else WARNING_COLOR
            mark = "●" if item.severity == "error" else "⚠"
            label = QLabel(f'<span style="color: {color};">{mark}</span> {_html(sentence)}', frame)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        if len(items) > MAX_SENTENCES_PER_STEP:
            more = QLabel(
                self.tr("… and {count} more: open the step to see them all.").format(
                    count=len(items) - MAX_SENTENCES_PER_STEP
                ),
                frame,
            )
            layout.addWidget(more)
        return frame

    def gate_sentences(self) -> List[str]:
        """The sentences shown in the gate list (tests, screenshots)."""
        if self.gate is None:
            return []
        return [item.sentence() for item in self.gate.blocking + self.gate.warnings]

    def _clear_gate_items(self) -> None:
        while self.gate_items_layout.count():
            item = self.gate_items_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.step_buttons = {}

    def _clear_gate(self) -> None:
        self._clear_gate_items()
        self.gate = None
        self.gate_layer_id = None
        self.gate_label.setText(
            self.tr("Click « Check before publishing » to see what is missing, or « Publish » directly.")
        )
        self.gate_label.setStyleSheet("")
        self.accept_check.setChecked(False)
        self.accept_check.setVisible(False)

    # ================================================================= helpers
    def _update_buttons(self) -> None:
        ready = self.current_layer() is not None and self.current_connection() is not None and not self._tasks
        self.publish_button.setEnabled(ready)
        self.check_button.setEnabled(ready)
        self.refresh_review()

    def refresh_review(self) -> None:
        """The review box for the current layer, target and formats (empty without a layer)."""
        layer = self.current_layer()
        if layer is None:
            self.review_box.clear()
            self.review_box.setVisible(False)
            return
        from .review_box import review_rows

        try:
            rows = review_rows(layer, self.current_connection(), self.formats())
        except Exception:  # noqa: BLE001 - unreadable metadata: the gate says what is wrong, the page stays usable
            self.review_box.setVisible(False)
            return
        self.review_box.setVisible(True)
        self.review_box.show_rows(rows)

    def _set_running(self, running: bool, text: str = "") -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)
        self.step_label.setVisible(running)
        self.step_label.setText(text)
        self.cancel_button.setVisible(running)
        self._update_buttons()

    def _set_result(self, text: str, color: Optional[str] = None, rich: bool = False) -> None:
        self.result_label.setText(text if rich else _html(text).replace("\n", "<br>"))
        self.result_label.setStyleSheet(f"color: {color};" if color else "")
        if text and self.isVisible():
            # the result sits below the gate list: scroll to it once laid out, or the agent sees nothing happen
            QTimer.singleShot(0, self._show_result_label)

    def _show_result_label(self) -> None:
        if self._cleaned:
            return
        self.scroll.widget().layout().activate()  # the gate list just changed: size the page first
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.scroll.ensureWidgetVisible(self.result_label)

    def show_error(self, message: str) -> None:
        self.last_error = message
        self._set_result(message, ERROR_COLOR)

    def cleanup(self) -> None:
        if self._cleaned:
            return
        self._cleaned = True
        self._tasks.cleanup()
        self.layers.disconnect()


def _html(text: str) -> str:
    import html

    return html.escape(str(text or ""), quote=True)


def _breakable(text: str) -> str:
    """HTML of ``text`` where long paths and URLs may wrap (zero-width spaces after / and -)."""
    return _html(text).replace("/", "/&#8203;").replace("-", "-&#8203;")


def _narrow(combo) -> None:
    """A combo that does not widen the page to its longest item (the dock may be ~420 px wide)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)


def add_to_dock(dock, iface) -> PublishPage:  # noqa: QGS105 - the dock passes its iface
    """Create the page and append it to ``dock`` (one line in the dock's constructor)."""
    page = PublishPage(iface, dock)
    dock.publish_page = page
    dock.add_page(page, QCoreApplication.translate("OpenDataDock", "Publish"))

    def open_step(step: str) -> None:
        from .flow import open_step as flow_open_step

        flow_open_step(dock, step, page.current_layer())

    page.openStepRequested.connect(open_step)
    return page

"""The « Vérifier » page: check a layer against a Table Schema and browse the problems.

Flow: pick a layer (optionally its selected features only), pick a schema
(:class:`~.check_schema_picker.SchemaPicker`: the catalogue of schema.data.gouv.fr,
SCDL first, or a local/online schema.json), optionally fix the field mapping,
then « Vérifier ». The catalogue, the schema and the check are loaded/run in
background tasks (QgsTask); the findings are shown in the results panel
(:class:`~.check_results.ResultsPanel`), from which the agent selects and zooms
to features, edits a value and exports the report; « Corriger… » is
:class:`~.check_conform.ConformLauncher`.

This module holds the page itself: the layer, the run of the check, each
layer's last result, and the state of the buttons.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core.layer_properties import SCHEMA_PROPERTY

from .check_conform import ConformLauncher
from .check_results import ResultsPanel
from .check_schema_picker import SchemaPicker
from .tasks import ValidationTask
from .widgets.layer_picker import LayerPicker, chosen_layer, vector_layer_combo
from .widgets.task_host import TaskHost


class CheckPage(QWidget):
    """The « Vérifier » step of the dock."""

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
        self._validate_func = validate_func
        self._layer_input_factory = layer_input_factory
        self._tasks = TaskHost(self)
        self._cleaned = False
        self.report = None
        self.report_schema = None
        self.report_layer_id: Optional[str] = None
        self._reports: Dict[str, tuple] = {}  # layer id -> (report, schema): each layer's last check (issue 11)
        self.value_dialog = None  # the open « Modifier la valeur » dialog
        self._pending_note: Optional[tuple] = None  # (layer id, text) shown with that layer's next check
        self._name_after_check: Optional[str] = None  # the layer made by « Tout corriger », named after its check
        self.last_error = ""

        self._build_ui(catalogue, schema_loader)
        self.conform = ConformLauncher(self)
        self._connect()
        self._layer_changed(self.layer_combo.currentLayer())
        self._update_buttons()

    # ================================================================= UI
    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CheckPage", text)

    def _build_ui(self, catalogue, schema_loader) -> None:
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

        self.schema_picker = SchemaPicker(self._tasks, setup, catalogue=catalogue, schema_loader=schema_loader)
        self.schema_picker.setObjectName("schemaBox")
        setup_layout.addWidget(self.schema_picker, 1)

        # ---- results (the « Check » row heads them, so that it stays visible when the choice scrolls)
        self.results = ResultsPanel(self.splitter)
        # the results' widgets, as the page's (the flow, the dock and the tests reach them here)
        for name in (
            "mapping_button",
            "check_button",
            "cancel_button",
            "progress",
            "summary_label",
            "findings_view",
            "findings_model",
            "select_errors_button",
            "fix_button",
            "fix_all_button",
            "edit_value_button",
            "export_button",
            "info_label",
        ):
            setattr(self, name, getattr(self.results, name))

        # the layer and schema choice scrolls on a low screen; the splitter lets the agent give it more room
        from .widgets.scroll_tabs import PageScrollArea  # lists shrink before the page scrolls

        self.setup_scroll = PageScrollArea(setup, self.splitter)
        self.setup_scroll.setObjectName("checkSetupScroll")
        self.setup_scroll.setMinimumHeight(80)
        self.splitter.insertWidget(0, self.setup_scroll)
        self.splitter.addWidget(self.results)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.set_summary(self.tr("Choose a layer and a schema, then click « Check »."), None)

    def _connect(self) -> None:
        self.layers = LayerPicker(self._layers_removed)
        self.layers.attach(self.layer_combo, self._layer_changed)
        picker = self.schema_picker
        picker.schemaChanged.connect(self._schema_changed)
        picker.errorRaised.connect(self.show_error)
        picker.busyChanged.connect(self.set_running)
        results = self.results
        results.errorRaised.connect(self.show_error)
        results.mapping_button.clicked.connect(self.edit_mapping)
        results.check_button.clicked.connect(self.run_check)
        results.cancel_button.clicked.connect(self.cancel)
        results.select_errors_button.clicked.connect(self.select_error_features)
        results.action_export_json.triggered.connect(lambda: self.export_report("json"))
        results.action_export_markdown.triggered.connect(lambda: self.export_report("markdown"))
        view = results.findings_view
        view.findingActivated.connect(self._finding_activated)
        from opendata_publisher.core.conform.fixes import has_remedy

        view.set_fixable(has_remedy)
        view.fixRequested.connect(lambda group: self.open_conform([group.code]))
        view.currentGroupChanged.connect(lambda _group: self._update_buttons())
        results.fix_button.clicked.connect(self.conform.fix_current_group)
        view.set_editable(self.can_edit_finding)
        view.editRequested.connect(self.edit_finding_value)
        results.edit_value_button.clicked.connect(lambda: self.edit_finding_value(view.current_finding()))
        results.fix_all_button.clicked.connect(lambda: self.open_conform(None))

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        if not self.schema_picker.catalogue_requested:
            self.load_catalogue()
        if self.report is None:
            self.favour_setup()

    # ============================================================ schema (see SchemaPicker)
    def catalogue(self):
        """The SchemaCatalogue in use (built from the plugin settings on first use)."""
        return self.schema_picker.catalogue()

    def load_catalogue(self, refresh: bool = False) -> None:
        """List the catalogue's schemas in a background task."""
        self.schema_picker.load_catalogue(refresh)

    def import_catalogue(self, path: str) -> int:
        """Import the catalogue of ``path`` (folder or zip); see :meth:`SchemaPicker.import_catalogue`."""
        return self.schema_picker.import_catalogue(path)

    def current_reference(self) -> str:
        """``owner/slug@version``, a path or a URL; "" when nothing is chosen."""
        return self.schema_picker.current_reference()

    def select_reference(self, ref: str) -> bool:
        """Select a schema by reference (see :meth:`SchemaPicker.select_reference`)."""
        return self.schema_picker.select_reference(ref)

    def set_schema(self, ref: str, schema) -> None:
        """Use an already loaded schema for ``ref`` (and select it)."""
        self.schema_picker.set_schema(ref, schema)

    def loaded_schema(self, ref: str):
        """The schema ``ref`` when this session already loaded it, else None (the « Décrire » page reuses it)."""
        return self.schema_picker.schemas.get(ref)

    def load_schema(self, then: Optional[Callable[[Any], None]] = None) -> None:
        """Get the current schema (cached, or loaded in a task), then call ``then(schema)``."""
        self.schema_picker.load_schema(then)

    def _schema_changed(self, ref: str) -> None:
        self._update_buttons()
        self.schemaChanged.emit(ref)

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
        self.results.show_body(False)
        self.favour_setup()
        if layer is None:
            self.set_summary(self.tr("Choose a layer and a schema, then click « Check »."), None)
        else:
            self.set_summary(
                self.tr("« {layer} » has not been checked in this session: click « Check ».").format(
                    layer=layer.name()
                ),
                None,
            )

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
            self.show_error(self.tr("Choose the layer to check first."))
            return
        self.load_schema(then=lambda schema: self._start_validation(layer, schema))

    def _start_validation(self, layer: QgsVectorLayer, schema) -> None:
        selected_only = self.selected_only_check.isChecked()
        if selected_only and layer.selectedFeatureCount() == 0:
            self.show_error(
                self.tr(
                    "No feature of « {layer} » is selected. Select features on the map, or untick "
                    "« Selected features only »."
                ).format(layer=layer.name())
            )
            return
        ref = self.current_reference()
        try:
            layer_input = self.make_layer_input(layer, selected_only)
            mapping = self.load_mapping(layer, schema)
        except Exception as exc:
            self.show_error(
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
        self.set_running(True, self.tr("Checking « {layer} »…").format(layer=layer.name()))
        self.start_task("validation", task)

    def make_layer_input(self, layer, selected_only: bool):
        if self._layer_input_factory is not None:
            return self._layer_input_factory(layer, selected_only)
        from opendata_publisher.core.reader import LayerInput

        return LayerInput.from_layer(layer, selected_only=selected_only)

    @staticmethod
    def load_mapping(layer, schema):
        from opendata_publisher.core.mapping import load_mapping

        return load_mapping(layer, schema)

    def _validation_done(self, report, layer_id: str, schema) -> None:
        self.task_done("validation")
        self.set_running(False)
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
        self.task_done("validation")
        self.set_running(False)
        self.show_error(message)

    def _validation_cancelled(self) -> None:
        self.task_done("validation")
        self.set_running(False)
        self.set_summary(self.tr("Check cancelled: click « Check » to start it again."), "/mIconWarning.svg")

    def show_report(self, report, layer_id: Optional[str] = None, schema=None) -> None:
        """Show a ValidationReport: summary line and grouped findings."""
        self.report = report
        self.report_schema = schema
        self.report_layer_id = layer_id or getattr(report, "layer_id", None) or None
        if self.report_layer_id:
            self._reports[self.report_layer_id] = (report, schema)
        self.results.show_body(True)
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
        self.set_summary(self.summary_text(report), icon)
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
            self.show_error(self.tr("The checked layer is no longer in the project: check again."))
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
            self.show_error(self.tr("The checked layer is no longer in the project: check again."))
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
        return self.results.export_report(self.report, fmt, path)

    def edit_mapping(self) -> None:
        """Open the field mapping editor; check again after saving."""
        layer = self.current_layer()
        if layer is None:
            self.show_error(self.tr("Choose the layer first."))
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
            self.show_error(self.tr("Select a problem on one value of one feature first."))
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

    # ============================================================ make conform (see ConformLauncher)
    def open_conform(self, codes: Optional[List[str]] = None) -> None:
        """Preview the fixes of ``codes`` (None: everything that can be fixed), then the conversion dialog."""
        self.conform.open_conform(codes)

    @property
    def conform_dialog(self):
        """The open conversion dialog (None when closed)."""
        return self.conform.dialog

    @property
    def conformed_layer(self) -> Optional[QgsVectorLayer]:
        """The last layer « Corriger » created."""
        return self.conform.conformed_layer

    # ============================================================ plumbing
    def start_task(self, name: str, task) -> None:
        self._tasks.keep(name, task)
        shown = name in ("validation", "conform-preview", "conform")
        task.progressChanged.connect(self.results.set_progress if shown else (lambda _p: None))
        self._update_buttons()
        self._tasks.start(name, task)

    def task_done(self, name: str) -> None:
        self._tasks.done(name)

    def running_tasks(self) -> List[str]:
        return self._tasks.names()

    def set_running(self, running: bool, message: str = "") -> None:
        self.results.set_running(running, message)
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

    def set_summary(self, text: str, icon: Optional[str]) -> None:
        self.results.set_summary(text, icon)

    def show_error(self, message: str) -> None:
        self.last_error = message
        self.results.show_error(message)

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

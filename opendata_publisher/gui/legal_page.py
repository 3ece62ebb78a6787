"""The « Contrôle juridique » page: personal and sensitive data before publishing.

Flow: pick a layer, « Analyser » (background task, cancellable), read the
findings in the shared :class:`FindingsView` (level and legal basis in the
tooltips and help), confirm the À VÉRIFIER points (recorded in the layer's
metadata history), answer the CNIL–CADA checklist (« Enregistrer les réponses »
writes the history). The gate status says whether publication is blocked.
"""

from __future__ import annotations

import contextlib
from typing import Callable, Dict, List, Optional

from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core.legal import checklist as cl
from opendata_publisher.core.legal import gate as lg

from .findings_view import FindingsView
from .tasks import _FeedbackTask
from .widgets.layer_picker import LayerPicker, chosen_layer, vector_layer_combo
from .widgets.task_host import TaskHost


class LegalCheckTask(_FeedbackTask):
    """Runs the legal check on a LegalInput snapshot (built on the main thread)."""

    reportReady = pyqtSignal(object)  # LegalReport

    def what(self) -> str:
        return QCoreApplication.translate("OpenDataTasks", "The legal check")

    def __init__(self, legal_input, name: str = "", check_func: Optional[Callable] = None):
        super().__init__(
            QCoreApplication.translate("OpenDataTasks", "Legal check of {layer}").format(
                layer=name or QCoreApplication.translate("OpenDataTasks", "the layer")
            )
        )
        self.legal_input = legal_input
        self.check_func = check_func

    def work(self):
        check = self.check_func
        if check is None:
            from opendata_publisher.core.legal.collect import legal_check as check
        return check(self.legal_input, feedback=self.feedback)

    def run(self) -> bool:
        ok = super().run()
        if self.result is not None and getattr(self.result, "cancelled", False):
            return False
        return ok

    def succeeded(self, value) -> None:
        self.reportReady.emit(value)


class LegalPage(QWidget):
    """The « Contrôle juridique » step of the dock."""

    analysisFinished = pyqtSignal(object)  # LegalReport
    gateChanged = pyqtSignal(object)  # GateResult

    def __init__(self, iface, parent: Optional[QWidget] = None, run_inline: bool = False):  # noqa: QGS105
        super().__init__(parent)
        self.setObjectName("OpenDataLegalPage")
        self.iface = iface
        self.run_inline = run_inline
        self._tasks = TaskHost(self)
        self._cleaned = False
        self.report = None
        self.report_layer_id: Optional[str] = None
        self.gate_result: Optional[lg.GateResult] = None
        self.last_error = ""
        self._build_ui()
        self.layers = LayerPicker(self._layers_removed)
        self.layers.attach(self.layer_combo, self._layer_changed)
        self.analyse_button.clicked.connect(self.run_analysis)
        self.cancel_button.clicked.connect(self.cancel)
        self.confirm_button.clicked.connect(self.confirm_checked)
        self.save_button.clicked.connect(self.save_checklist)
        for combo in self.answer_combos.values():
            combo.currentIndexChanged.connect(self._update_outcome)
        self._layer_changed(self.layer_combo.currentLayer())

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("LegalPage", text)

    # ================================================================= UI
    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.layer_combo = vector_layer_combo(
            self, "legalLayerCombo", self.tr("The layer (or table) you want to publish")
        )
        top.addWidget(self.layer_combo, 1)
        self.analyse_button = QPushButton(self.tr("Analyse"), self)
        self.analyse_button.setObjectName("legalAnalyseButton")
        self.analyse_button.setIcon(QgsApplication.getThemeIcon("/mActionIdentify.svg"))
        self.analyse_button.setToolTip(
            self.tr("Look for personal or sensitive data in every feature of the layer and in its metadata")
        )
        top.addWidget(self.analyse_button)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("legalCancelButton")
        self.cancel_button.setVisible(False)
        top.addWidget(self.cancel_button)
        outer.addLayout(top)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        outer.addWidget(self.progress)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("legalStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.status_label)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        self.findings_view = FindingsView(splitter)
        self.findings_model = self.findings_view.model
        self.findings_view.filter_edit.setToolTip(self.tr("Show only the points containing this text"))
        splitter.addWidget(self.findings_view)

        self.bottom_tabs = QTabWidget(splitter)
        self.bottom_tabs.setDocumentMode(True)
        # ---- acknowledgements
        ack = QWidget()
        ack_layout = QVBoxLayout(ack)
        ack_layout.setContentsMargins(2, 2, 2, 2)
        ack_help = QLabel(
            self.tr(
                "Tick each point you have checked and that can be published as it is, then click « Confirm ». "
                "Your name and the date are written in the layer's metadata history."
            ),
            ack,
        )
        ack_help.setWordWrap(True)
        ack_layout.addWidget(ack_help)
        self.ack_list = QListWidget(ack)
        self.ack_list.setObjectName("legalAckList")
        # long sentences: wrapped to the dock's width, never cut or scrolled sideways
        self.ack_list.setWordWrap(True)
        self.ack_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.ack_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        ack_layout.addWidget(self.ack_list, 1)
        self.confirm_button = QPushButton(self.tr("Confirm the ticked points"), ack)
        self.confirm_button.setObjectName("legalConfirmButton")
        ack_layout.addWidget(self.confirm_button, 0, Qt.AlignmentFlag.AlignRight)
        self.bottom_tabs.addTab(ack, self.tr("Points to confirm"))

        # ---- checklist
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.answer_combos: Dict[str, QComboBox] = {}
        for question in cl.QUESTIONS:
            combo = QComboBox(form_widget)
            combo.setObjectName(f"legalQuestion_{question.key}")
            # the long exemption labels must not widen the form beyond the dock (tooltips give them whole)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            if question.key == "exemption":
                combo.addItem("—", "")
                for key, label in cl.EXEMPTIONS:
                    combo.addItem(label, key)
            else:
                combo.addItem("—", "")
                combo.addItem(self.tr("Yes"), cl.YES)
                combo.addItem(self.tr("No"), cl.NO)
                combo.addItem(self.tr("I don't know"), cl.UNKNOWN)
            combo.setToolTip(f"{question.help}\n({question.basis})")
            label = QLabel(question.text, form_widget)
            label.setWordWrap(True)
            label.setToolTip(combo.toolTip())
            form.addRow(label, combo)
            self.answer_combos[question.key] = combo
        self.note_edit = QLineEdit(form_widget)
        self.note_edit.setObjectName("legalNote")
        self.note_edit.setPlaceholderText(self.tr("Optional note (who was consulted, reference of the decision…)"))
        form.addRow(self.tr("Note"), self.note_edit)
        self.outcome_label = QLabel(form_widget)
        self.outcome_label.setObjectName("legalOutcome")
        self.outcome_label.setWordWrap(True)
        form.addRow(self.outcome_label)
        self.save_button = QPushButton(self.tr("Save the answers"), form_widget)
        self.save_button.setObjectName("legalSaveButton")
        self.save_button.setToolTip(
            self.tr("Write the answers, the date and your name in the layer's metadata history")
        )
        form.addRow(self.save_button)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrap, never scroll sideways
        scroll.setWidget(form_widget)
        self.bottom_tabs.addTab(scroll, self.tr("Checklist"))
        splitter.addWidget(self.bottom_tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer.addWidget(splitter, 1)
        self._set_status(self.tr("Choose a layer, then click « Analyse »."))

    # ============================================================ layer
    def current_layer(self) -> Optional[QgsVectorLayer]:
        return chosen_layer(self.layer_combo)

    def set_layer(self, layer) -> None:
        self.layer_combo.setLayer(layer)

    def _layer_changed(self, layer) -> None:
        self.analyse_button.setEnabled(isinstance(layer, QgsVectorLayer) and not self._tasks)
        if self.report is not None and (layer is None or layer.id() != self.report_layer_id):
            self._clear_report()
        self._load_answers()

    def _layers_removed(self, layer_ids) -> None:
        if self.report_layer_id in set(layer_ids):
            self._clear_report()

    def _clear_report(self) -> None:
        self.report = None
        self.report_layer_id = None
        self.gate_result = None
        self.findings_view.set_findings([])
        self.ack_list.clear()
        self._set_status(self.tr("Choose a layer, then click « Analyse »."))

    # ============================================================ analysis
    def run_analysis(self) -> None:
        layer = self.current_layer()
        if layer is None or "analysis" in self._tasks:
            return
        from opendata_publisher.core.legal.collect import LegalInput

        try:
            legal_input = LegalInput.from_layer(layer)
        except Exception as exc:  # noqa: BLE001 - a broken provider must not break the dock
            self._show_error(self.tr("The layer cannot be read ({error}). Check its source.").format(error=exc))
            return
        task = LegalCheckTask(legal_input, layer.name())
        layer_id = layer.id()
        task.reportReady.connect(lambda report: self._analysis_done(report, layer_id))
        task.failed.connect(self._analysis_failed)
        task.cancelledByUser.connect(self._analysis_cancelled)
        self._tasks.keep("analysis", task)
        task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        self._set_running(True)
        self._set_status(self.tr("Analysing « {layer} »…").format(layer=layer.name()))
        self._tasks.start("analysis", task)

    def cancel(self) -> None:
        self._tasks.cancel("analysis")

    def running_tasks(self) -> List[str]:
        return self._tasks.names()

    def _analysis_done(self, report, layer_id: str) -> None:
        self._tasks.done("analysis")
        self._set_running(False)
        self.show_report(report, layer_id)
        self.analysisFinished.emit(report)

    def _analysis_failed(self, message: str) -> None:
        self._tasks.done("analysis")
        self._set_running(False)
        self._show_error(message)

    def _analysis_cancelled(self) -> None:
        self._tasks.done("analysis")
        self._set_running(False)
        self._set_status(self.tr("Analysis cancelled: click « Analyse » to start it again."))

    def show_report(self, report, layer_id: Optional[str] = None) -> None:
        self.report = report
        self.report_layer_id = layer_id or getattr(report, "layer_id", None)
        self.findings_view.set_findings(report.findings)
        try:
            self.refresh_gate()
        except Exception as exc:  # noqa: BLE001 - an exception in a slot would abort QGIS
            self._show_error(self.tr("The result cannot be shown ({error}).").format(error=exc))

    # ============================================================ gate and acknowledgements
    def report_layer(self) -> Optional[QgsVectorLayer]:
        layer = QgsProject.instance().mapLayer(self.report_layer_id) if self.report_layer_id else None
        return layer if isinstance(layer, QgsVectorLayer) else None

    def refresh_gate(self) -> Optional[lg.GateResult]:
        """Recompute the gate from the report, the layer's acknowledgements and its saved checklist."""
        if self.report is None:
            return None
        layer = self.report_layer()
        acks = lg.load_acknowledgements(layer) if layer is not None else set()
        checklist = cl.load_checklist(layer) if layer is not None else None
        result = lg.legal_gate(self.report.findings, acks, checklist)
        self.gate_result = result
        self.ack_list.clear()
        for finding in result.needs_ack + result.acknowledged:
            where = f" — {finding.field}" if finding.field and finding.field not in finding.message else ""
            item = QListWidgetItem(f"{finding.level} — {finding.message}{where}")
            item.setToolTip(f"{finding.hint}\n({finding.basis})")
            item.setData(Qt.ItemDataRole.UserRole, lg.ack_key(finding))
            item.setData(Qt.ItemDataRole.UserRole + 1, finding)
            done = finding in result.acknowledged
            item.setFlags(
                (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable) if not done else Qt.ItemFlag.NoItemFlags
            )
            item.setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)
            self.ack_list.addItem(item)
        self.confirm_button.setEnabled(bool(result.needs_ack))
        if layer is not None:  # kept in the layer for the step list and the next session (issue 11)
            from opendata_publisher.core.step_results import record_legal

            with contextlib.suppress(Exception):
                record_legal(layer, self.report, result)
        text = f"{self.report.summary()}\n{result.status_text()}"
        if result.blocked:
            self._set_status(text, "#b00020")
        elif result.needs_ack:
            self._set_status(text, "#a05a00")
        else:
            self._set_status(text, "#1e7b34")
        self.gateChanged.emit(result)
        return result

    def set_acknowledged(self, keys) -> None:
        """Tick the points with these keys (tests, or the publishing flow)."""
        wanted = set(keys)
        for row in range(self.ack_list.count()):
            item = self.ack_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in wanted and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(Qt.CheckState.Checked)

    def confirm_checked(self) -> List[str]:
        """Record the ticked À VÉRIFIER points in the layer's history; returns the keys now acknowledged."""
        layer = self.report_layer()
        if layer is None:
            self._show_error(self.tr("The analysed layer is no longer in the project: analyse again."))
            return []
        findings = []
        for row in range(self.ack_list.count()):
            item = self.ack_list.item(row)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and item.checkState() == Qt.CheckState.Checked:
                findings.append(item.data(Qt.ItemDataRole.UserRole + 1))
        if not findings:
            self._show_error(self.tr("Tick at least one point you have checked before confirming."))
            return sorted(lg.load_acknowledgements(layer))
        keys = lg.record_acknowledgements(layer, findings)
        self.refresh_gate()
        return keys

    # ============================================================ checklist
    def current_checklist(self) -> cl.Checklist:
        answers = {key: combo.currentData() or "" for key, combo in self.answer_combos.items()}
        return cl.Checklist(answers={k: v for k, v in answers.items() if v}, note=self.note_edit.text().strip())

    def set_answers(self, answers: Dict[str, str]) -> None:
        for key, combo in self.answer_combos.items():
            index = combo.findData(answers.get(key, ""))
            combo.setCurrentIndex(max(index, 0))
        self._update_outcome()

    def _load_answers(self) -> None:
        layer = self.current_layer()
        saved = cl.load_checklist(layer) if layer is not None else None
        self.set_answers(saved.answers if saved else {})
        self.note_edit.setText(saved.note if saved else "")

    def _update_outcome(self, *_args) -> None:
        self.save_button.setText(self.tr("Save the answers"))  # changed since the last save: no ✓
        _code, sentence = self.current_checklist().outcome()
        self.outcome_label.setText(sentence)

    def save_checklist(self) -> str:
        """Write the answers in the current layer's metadata history (and custom property)."""
        layer = self.current_layer()
        if layer is None:
            self._show_error(self.tr("Choose a layer before saving the answers."))
            return ""
        line = cl.save_checklist(layer, self.current_checklist())
        QgsProject.instance().setDirty(True)
        saved = self.tr("Answers saved in the metadata history of « {layer} ».").format(layer=layer.name())
        if self.report is not None and layer.id() == self.report_layer_id:
            self.refresh_gate()
            # the gate's sentence replaced the status: say that the answers were saved too
            self._set_status(f"✓ {saved}\n{self.status_label.text()}", self._status_color)
        else:
            self._set_status(saved)
        self.save_button.setText(self.tr("Save the answers") + " ✓")
        return line

    # ============================================================ helpers
    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setValue(0)
        self.cancel_button.setVisible(running)
        self.analyse_button.setEnabled(not running and self.current_layer() is not None)

    def _set_status(self, text: str, color: Optional[str] = None) -> None:
        self._status_color = color
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {color}; font-weight: bold;" if color else "")

    def _show_error(self, message: str) -> None:
        self.last_error = message
        self._set_status(message, "#b00020")

    def cleanup(self) -> None:
        if self._cleaned:
            return
        self._cleaned = True
        self._tasks.cleanup()
        self.layers.disconnect()


def add_to_dock(dock, iface) -> LegalPage:  # noqa: QGS105 - the dock passes its iface
    """Create the page and append it to ``dock`` (one line in the dock's constructor)."""
    page = LegalPage(iface, dock)
    dock.legal_page = page
    dock.add_page(page, QCoreApplication.translate("OpenDataDock", "Legal check"))
    return page

"""The results half of the « Vérifier » page: the « Vérifier » row (field mapping, check, cancel) with its
progress bar, the summary line, the grouped problems (:class:`FindingsView`), their actions (select the
features in error, fix, fix everything, edit a value, export the report) and the note under them.

The widgets and what only they need (summary colours, which parts show before a first check, writing the
report file); the page decides when each action runs.
"""

from __future__ import annotations

import re
from typing import Optional

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QSize, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .findings_view import FindingsView


class ResultsPanel(QWidget):
    """The « Vérifier » row, the summary line and the problems of the last check of the page."""

    errorRaised = pyqtSignal(str)  # a French message for the page (the report file could not be written)

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self._build_ui()
        self.show_body(False)

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ResultsPanel", text)

    def _build_ui(self) -> None:
        results = self
        setup = self
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

        self.findings_view.filter_edit.setToolTip(self.tr("Show only the problems containing this text"))

    def set_summary(self, text: str, icon: Optional[str]) -> None:
        """The summary line, with a QGIS theme icon (None: no icon)."""
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet("")
        if icon:
            self.summary_icon.setPixmap(QgsApplication.getThemeIcon(icon).pixmap(QSize(18, 18)))
        else:
            self.summary_icon.clear()

    def show_error(self, message: str) -> None:
        self.set_summary(message, "/mIconCritical.svg")
        self.summary_label.setStyleSheet("color: #b00020;")

    def set_running(self, running: bool, message: str = "") -> None:
        """The progress bar and « Annuler » while a task of the page runs."""
        self.progress.setVisible(running)
        self.progress.setValue(0)
        self.cancel_button.setVisible(running)
        if running and message:
            self.set_summary(message, None)

    def set_progress(self, value: float) -> None:
        self.progress.setValue(int(value))

    def show_body(self, shown: bool) -> None:
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

    def export_report(self, report, fmt: str, path: Optional[str] = None) -> Optional[str]:
        """Write ``report`` as ``json`` or ``markdown``; asks for the file when ``path`` is None."""
        if report is None:
            return None
        from opendata_publisher.core.report import report_to_json, report_to_markdown

        suffix = ".json" if fmt == "json" else ".md"
        if path is None:
            base = _safe_file_name(f"rapport-{report.layer_name}-{report.schema_name or 'schema'}")
            file_filter = self.tr("JSON file (*.json)") if fmt == "json" else self.tr("Markdown file (*.md)")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the report"), base + suffix, file_filter)
            if not path:
                return None
            if not path.lower().endswith(suffix):
                path += suffix
        text = report_to_json(report) if fmt == "json" else report_to_markdown(report)
        from opendata_publisher.core.safe_write import WriteError, write_text

        try:
            write_text(path, text, "Le rapport", make_folders=False)  # whole or not at all
        except WriteError as exc:
            self.errorRaised.emit(
                self.tr("The report could not be written to {path} ({error}). Choose another folder.").format(
                    path=path, error=exc.detail
                )
            )
            return None
        self.info_label.setText(self.tr("Report written to {path}").format(path=path))
        return path


def _safe_file_name(text: str) -> str:
    return re.sub(r"[^\w.\-]+", "-", text, flags=re.UNICODE).strip("-") or "rapport"

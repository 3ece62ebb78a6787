"""The reusable findings table: grouped tree, text and severity filters, help panel.

One table for every problem, never one pop-up per problem. Pages connect to
:attr:`FindingsView.findingActivated` (double-click on a finding) to act on
the map.
"""

from __future__ import annotations

from typing import Dict, Iterable, Optional

from qgis.core import QgsApplication
from qgis.gui import QgsFilterLineEdit
from qgis.PyQt.QtCore import QCoreApplication, QModelIndex, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core.checks.finding import ERROR, INFO, SEVERITIES, WARNING, Finding

from .findings_model import FindingGroup, FindingsModel, _html, severity_icon


class FindingsView(QWidget):
    """A filter bar, the grouped findings tree and a help panel for the current check."""

    findingActivated = pyqtSignal(object)  # Finding (double-click / Enter on a finding row)
    currentGroupChanged = pyqtSignal(object)  # FindingGroup or None
    fixRequested = pyqtSignal(object)  # FindingGroup (context menu « Corriger… » on a fixable row)
    editRequested = pyqtSignal(object)  # Finding (context menu « Modifier la valeur… » on a finding row)

    def __init__(self, parent: Optional[QWidget] = None, model: Optional[FindingsModel] = None):
        super().__init__(parent)
        self.model = model or FindingsModel(self)
        self._fixable = None  # predicate on a full finding code: offers « Corriger… » in the context menu
        self._editable = None  # predicate on a Finding: offers « Modifier la valeur… » in the context menu

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        bar = QHBoxLayout()
        bar.setSpacing(2)
        self.filter_edit = QgsFilterLineEdit(self)
        self.filter_edit.setObjectName("findingsFilter")
        self.filter_edit.setShowSearchIcon(True)
        self.filter_edit.setPlaceholderText(self.tr("Filter: code, field, value, feature…"))
        self.filter_edit.valueChanged.connect(self.model.set_text_filter)
        bar.addWidget(self.filter_edit, 1)

        self.severity_buttons: Dict[str, QToolButton] = {}
        tooltips = {
            ERROR: self.tr("Show errors (the layer does not conform while there are some)"),
            WARNING: self.tr("Show warnings (worth fixing, not blocking)"),
            INFO: self.tr("Show information messages"),
        }
        for severity in SEVERITIES:
            button = QToolButton(self)
            button.setObjectName(f"severity_{severity}")
            button.setCheckable(True)
            button.setChecked(True)
            button.setIcon(severity_icon(severity))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            button.setToolTip(tooltips[severity])
            button.setText("0")
            button.toggled.connect(self._severity_toggled)
            self.severity_buttons[severity] = button
            bar.addWidget(button)

        self.help_button = QToolButton(self)
        self.help_button.setObjectName("findingsHelpButton")
        self.help_button.setIcon(QgsApplication.getThemeIcon("/mActionHelpContents.svg"))
        self.help_button.setCheckable(True)
        self.help_button.setChecked(True)
        self.help_button.setAutoRaise(True)
        self.help_button.setToolTip(self.tr("Show or hide the explanation of the selected problem"))
        bar.addWidget(self.help_button)
        layout.addLayout(bar)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = QTreeView(self.splitter)
        self.tree.setObjectName("findingsTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(FindingsModel.COL_PROBLEM, QHeaderView.ResizeMode.Stretch)
        for column in range(1, FindingsModel.COLUMN_COUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(FindingsModel.COL_FEATURE, 55)
        header.resizeSection(FindingsModel.COL_ROW, 45)
        header.resizeSection(FindingsModel.COL_VALUE, 90)
        # group rows span the whole width (« title — field (count) »): field and count columns are redundant
        self.tree.setColumnHidden(FindingsModel.COL_FIELD, True)
        self.tree.setColumnHidden(FindingsModel.COL_COUNT, True)
        self.tree.doubleClicked.connect(self._activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.activated.connect(self._activated)

        self.help_browser = QTextBrowser(self.splitter)
        self.help_browser.setObjectName("findingsHelp")
        self.help_browser.setOpenExternalLinks(True)
        self.help_browser.setMinimumHeight(60)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.help_browser)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.help_button.toggled.connect(self.help_browser.setVisible)

        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._model_reset)
        self._model_reset()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("FindingsView", text)

    # ------------------------------------------------------------------ API
    def set_findings(self, findings: Iterable[Finding]) -> None:
        self.model.set_findings(findings)

    def set_severities(self, severities: Iterable[str]) -> None:
        """Check exactly these severity buttons (and filter the model accordingly)."""
        wanted = set(severities)
        for severity, button in self.severity_buttons.items():
            button.blockSignals(True)
            button.setChecked(severity in wanted)
            button.blockSignals(False)
        self._severity_toggled()

    def set_text_filter(self, text: str) -> None:
        self.filter_edit.setValue(text)
        self.model.set_text_filter(text)

    def current_group(self) -> Optional[FindingGroup]:
        return self.model.group_at(self.tree.currentIndex())

    def current_finding(self) -> Optional[Finding]:
        return self.model.finding_at(self.tree.currentIndex())

    def help_text(self) -> str:
        return self.help_browser.toPlainText()

    def set_fixable(self, predicate) -> None:
        """``predicate(code) -> bool``: rows whose code has a mechanical fix get « Fix… » in their
        context menu (None: no such entry)."""
        self._fixable = predicate

    def is_fixable(self, group: Optional[FindingGroup]) -> bool:
        if group is None or self._fixable is None:
            return False
        try:
            return bool(self._fixable(group.code))
        except Exception:  # a bad predicate must not break the view
            return False

    def set_editable(self, predicate) -> None:
        """``predicate(finding) -> bool``: finding rows whose value can be edited in place get « Edit the
        value… » in their context menu (None: no such entry)."""
        self._editable = predicate

    def is_editable(self, finding: Optional[Finding]) -> bool:
        if finding is None or self._editable is None:
            return False
        try:
            return bool(self._editable(finding))
        except Exception:  # a bad predicate must not break the view
            return False

    def context_menu_for(self, index: QModelIndex) -> Optional[QMenu]:
        """The context menu of a row (None when it offers nothing)."""
        group = self.model.group_at(index)
        finding = self.model.finding_at(index)
        editable = self.is_editable(finding)
        if not self.is_fixable(group) and not editable:
            return None
        menu = QMenu(self.tree)
        if editable:
            edit = menu.addAction(QgsApplication.getThemeIcon("/mActionToggleEditing.svg"), self.tr("Edit the value…"))
            edit.setObjectName("editValueAction")
            edit.setToolTip(self.tr("Type the right value for this feature, checked against the schema as you type"))
            edit.triggered.connect(lambda _checked=False, f=finding: self.editRequested.emit(f))
            if not self.is_fixable(group):
                return menu
        action = menu.addAction(QgsApplication.getThemeIcon("/mIconEditableEdits.svg"), self.tr("Fix…"))
        action.setObjectName("fixAction")
        action.setToolTip(self.tr("Preview the automatic fix of this problem, then create a conforming layer"))
        action.triggered.connect(lambda _checked=False, g=group: self.fixRequested.emit(g))
        return menu

    # ------------------------------------------------------------ internals
    def _context_menu(self, pos) -> None:
        menu = self.context_menu_for(self.tree.indexAt(pos))
        if menu is not None:
            menu.exec(self.tree.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def _severity_toggled(self, *_args) -> None:
        checked = [s for s, b in self.severity_buttons.items() if b.isChecked()]
        # nothing checked would show an empty table that looks like "no problem": treat as "all"
        self.model.set_severity_filter(checked or SEVERITIES)

    def _activated(self, index: QModelIndex) -> None:
        finding = self.model.finding_at(index)
        if finding is not None:
            self.findingActivated.emit(finding)
        elif index.isValid() and self.model.kind(index) == FindingsModel.KIND_GROUP:
            group_index = index.siblingAtColumn(0)
            self.tree.setExpanded(group_index, not self.tree.isExpanded(group_index))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        group = self.model.group_at(current)
        self._show_help(group, self.model.finding_at(current))
        self.currentGroupChanged.emit(group)

    def _model_reset(self) -> None:
        total = self.model.counts()
        shown = self.model.counts(visible_only=True)
        for severity, button in self.severity_buttons.items():
            if shown[severity] == total[severity]:
                button.setText(str(total[severity]))
            else:
                button.setText(f"{shown[severity]}/{total[severity]}")
        root = QModelIndex()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, root, True)
        if self.model.rowCount() == 1:
            self.tree.expand(self.model.index(0, 0))
        self._show_help(None, None)

    def _show_help(self, group: Optional[FindingGroup], finding: Optional[Finding]) -> None:
        if group is None:
            if not self.model.all_findings():
                self.help_browser.setHtml("")
            elif self.model.rowCount() == 0:
                self.help_browser.setHtml(
                    _html(self.tr("No problem matches the filter. Clear the filter text or check more severities."))
                )
            else:
                self.help_browser.setHtml(
                    _html(
                        self.tr(
                            "Select a line to read what the problem means and how to fix it. "
                            "Double-click a problem to select and zoom to its feature."
                        )
                    )
                )
            return
        what_to_do = _html(self.tr("What to do:"))
        html = f"<p><b>{_html(group.title)}</b> <small><code>{_html(group.code)}</code></small></p>"
        if group.help:
            html += f"<p>{_html(group.help)}</p>"
        if finding is not None:
            html += f"<p>{_html(finding.message)}</p>"
            if finding.hint:
                html += f"<p><b>{what_to_do}</b> {_html(finding.hint)}</p>"
        elif group.findings and group.findings[0].hint and not group.help:
            html += f"<p><b>{what_to_do}</b> {_html(group.findings[0].hint)}</p>"
        self.help_browser.setHtml(html)

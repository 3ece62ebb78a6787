"""The guided flow of the dock: Vérifier → Décrire → Licence → Contrôle juridique → Publier.

A step list above the pages shows, for the current layer, the status of each step (« conforme / 3 erreurs /
non vérifié », « complet / 2 manques », « Licence Ouverte 2.0 / à choisir », « aucun obstacle / bloquant /
à confirmer », « publié le … / jamais publié ») and an « Étape suivante : … » button, so an agent who never
published knows what to do next. Clicking a step opens its page on the same layer.

Statuses are computed from the layer itself (metadata, licence, acknowledgements, history) and from the last
results of the pages (check report, legal report, the publish page's gate); they are refreshed when a page
finishes its work (CheckPage.validationFinished, DescribePage.descriptionSaved / completenessChanged,
LicencePage.licenceSaved, LegalPage.analysisFinished / gateChanged, PublishPage.publicationFinished /
gateChecked) or when the layer changes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import List, Optional

from qgis.core import Qgis, QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.checks.finding import ERROR, WARNING
from ..core.layer_properties import PREFIX as LAYER_PROPERTY_PREFIX
from ..core.layer_properties import SETTINGS_SAVED_AT_PROPERTY as SETTINGS_SAVED_AT
from ..core.publish import (
    COMPLETENESS_TARGET,
    SCHEMA_PROPERTY,
    STEP_DESCRIBE,
    STEP_LEGAL,
    STEP_LICENCE,
    STEP_VERIFY,
)

STEP_PUBLISH = "publier"
STEPS = (STEP_VERIFY, STEP_DESCRIBE, STEP_LICENCE, STEP_LEGAL, STEP_PUBLISH)
#: step -> attribute of the dock holding its page
PAGE_ATTRIBUTES = {
    STEP_VERIFY: "check_page",
    STEP_DESCRIBE: "describe_page",
    STEP_LICENCE: "licence_page",
    STEP_LEGAL: "legal_page",
    STEP_PUBLISH: "publish_page",
}
DONE, TODO, ATTENTION, PROBLEM = "done", "todo", "attention", "problem"
ICONS = {
    DONE: "/mIconSuccess.svg",
    TODO: "",
    ATTENTION: "/mIconWarning.svg",
    PROBLEM: "/mIconCritical.svg",
}
COLORS = {DONE: "#1e7b34", TODO: "", ATTENTION: "#a05a00", PROBLEM: "#b00020"}
#: below this dock height the step list collapses to one line (a 1366×768 laptop gives the dock ~620 px)
COMPACT_DOCK_HEIGHT = 900


def state_icon(state: str) -> QIcon:
    """The icon of a step state (an empty grey circle for a step still to do)."""
    if state != TODO:
        return QgsApplication.getThemeIcon(ICONS[state])
    pixmap = QPixmap(32, 32)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor("#8a8a8a"))
    pen.setWidth(3)
    painter.setPen(pen)
    painter.drawEllipse(5, 5, 22, 22)
    painter.end()
    return QIcon(pixmap)


def step_title(step: str) -> str:
    """The step's name in the interface."""
    titles = {
        STEP_VERIFY: QCoreApplication.translate("OpenDataFlow", "Check"),
        STEP_DESCRIBE: QCoreApplication.translate("OpenDataFlow", "Describe"),
        STEP_LICENCE: QCoreApplication.translate("OpenDataFlow", "Licence"),
        STEP_LEGAL: QCoreApplication.translate("OpenDataFlow", "Legal check"),
        STEP_PUBLISH: QCoreApplication.translate("OpenDataFlow", "Publish"),
    }
    return titles.get(step, step)


@dataclass
class StepStatus:
    step: str
    state: str  # done, todo, attention, problem
    text: str

    @property
    def title(self) -> str:
        return step_title(self.step)


# ===================================================================== statuses (main thread)


def _same_layer(page, attribute: str, layer) -> bool:
    return page is not None and layer is not None and getattr(page, attribute, None) == layer.id()


def _publish_gate(dock, layer):
    page = getattr(dock, "publish_page", None)
    if _same_layer(page, "gate_layer_id", layer) and page.gate is not None:
        return page.gate
    return None


def _gate_items(gate, step: str):
    if gate is None:
        return None
    return [i for i in gate.blocking + gate.warnings if i.step == step]


def verify_status(layer, dock=None) -> StepStatus:
    page = getattr(dock, "check_page", None)
    if _same_layer(page, "report_layer_id", layer) and getattr(page, "report", None) is not None:
        report = page.report
        saved = _saved_check_status(layer)
        if saved is not None and saved.state == ATTENTION:
            return saved  # the layer changed since this check
        if getattr(report, "cancelled", False):
            return StepStatus(STEP_VERIFY, TODO, QCoreApplication.translate("OpenDataFlow", "check cancelled"))
        if report.error_count:
            return StepStatus(
                STEP_VERIFY,
                PROBLEM,
                QCoreApplication.translate("OpenDataFlow", "{count} error(s)").format(count=report.error_count),
            )
        if report.warning_count:
            return StepStatus(
                STEP_VERIFY,
                DONE,
                QCoreApplication.translate("OpenDataFlow", "compliant, {count} warning(s)").format(
                    count=report.warning_count
                ),
            )
        return StepStatus(STEP_VERIFY, DONE, QCoreApplication.translate("OpenDataFlow", "compliant"))
    saved = _saved_check_status(layer)
    if saved is not None:
        return saved
    schema = str(layer.customProperty(SCHEMA_PROPERTY, "") or "").strip()
    items = _gate_items(_publish_gate(dock, layer), STEP_VERIFY)
    if items is not None and schema:
        errors = sum(i.count for i in items if i.severity == ERROR)  # each case, as the check page counts
        if errors:
            return StepStatus(
                STEP_VERIFY,
                PROBLEM,
                QCoreApplication.translate("OpenDataFlow", "{count} error(s)").format(count=errors),
            )
        return StepStatus(STEP_VERIFY, DONE, QCoreApplication.translate("OpenDataFlow", "compliant"))
    chosen = page is not None and page.current_layer() is layer and bool(page.current_reference())
    if schema or chosen:  # chosen on the « Vérifier » page, not checked yet
        return StepStatus(STEP_VERIFY, TODO, QCoreApplication.translate("OpenDataFlow", "not checked yet"))
    return StepStatus(STEP_VERIFY, TODO, QCoreApplication.translate("OpenDataFlow", "no schema chosen"))


def _saved_check_status(layer) -> Optional[StepStatus]:
    """The status from the last check kept in the layer (issue 11); stale when the layer changed since."""
    from ..core.step_results import last_check

    saved = last_check(layer)
    if saved is None:
        return None
    when = saved.local_date()
    if saved.is_stale(layer):
        return StepStatus(
            STEP_VERIFY,
            ATTENTION,
            QCoreApplication.translate("OpenDataFlow", "changed since the check of {date}: check again").format(
                date=when
            ),
        )
    if saved.errors:
        return StepStatus(
            STEP_VERIFY,
            PROBLEM,
            QCoreApplication.translate("OpenDataFlow", "{count} error(s) on {date}").format(
                count=saved.errors, date=when
            ),
        )
    return StepStatus(
        STEP_VERIFY, DONE, QCoreApplication.translate("OpenDataFlow", "compliant on {date}").format(date=when)
    )


def _saved_legal_status(layer) -> Optional[StepStatus]:
    """The status from the last legal analysis kept in the layer (issue 11); stale when the layer changed."""
    from ..core.step_results import last_legal

    saved = last_legal(layer)
    if saved is None:
        return None
    when = saved.local_date()
    if saved.is_stale(layer):
        return StepStatus(
            STEP_LEGAL,
            ATTENTION,
            QCoreApplication.translate("OpenDataFlow", "changed since the analysis of {date}: analyse again").format(
                date=when
            ),
        )
    if saved.blocked:
        return StepStatus(STEP_LEGAL, PROBLEM, QCoreApplication.translate("OpenDataFlow", "blocking"))
    if saved.to_confirm:
        return StepStatus(
            STEP_LEGAL,
            ATTENTION,
            QCoreApplication.translate("OpenDataFlow", "{count} to confirm").format(count=saved.to_confirm),
        )
    return StepStatus(
        STEP_LEGAL, DONE, QCoreApplication.translate("OpenDataFlow", "no obstacle on {date}").format(date=when)
    )


def _description(layer):
    from ..core.metadata.layer_metadata import read_layer_description

    description = read_layer_description(layer)
    if description.feature_count is None:
        description.feature_count = int(layer.featureCount())
    if not description.crs and layer.crs().isValid():
        description.crs = layer.crs().authid()
    if description.bbox is None and layer.isSpatial():
        from ..core.metadata.prefill import layer_bbox_wgs84

        with contextlib.suppress(Exception):
            description.bbox = layer_bbox_wgs84(layer)
    return description


def _targets(dock) -> List[str]:
    """What the description must satisfy: DCAT-AP, the targets ticked on the « Décrire » page, and the portal
    chosen on the « Publier » page (so the step list and the Décrire page count the same gaps)."""
    targets = {"dcat"}
    describe = getattr(dock, "describe_page", None)
    if describe is not None and hasattr(describe, "targets"):
        targets.update(describe.targets())
    page = getattr(dock, "publish_page", None)
    connection = page.current_connection() if page is not None else None
    if connection is not None:
        targets.add(COMPLETENESS_TARGET.get(connection.portal_type, "dcat"))
    return sorted(targets)


def metadata_statuses(layer, dock=None, description=None) -> List[StepStatus]:
    """The « Décrire » and « Licence » statuses (one completeness check for both)."""
    from ..core.metadata.completeness import check_completeness
    from ..core.metadata.licences import licence_entry
    from ..core.publish import completeness_gate_items

    description = description if description is not None else _description(layer)
    from ..core.shared_profile import findings_for

    items = completeness_gate_items(check_completeness(description, _targets(dock)) + findings_for(description))
    describe = [i for i in items if i.step == STEP_DESCRIBE]
    gaps = sum(i.count for i in describe if i.severity == ERROR)
    advice = sum(i.count for i in describe if i.severity == WARNING)
    if gaps:
        describe_status = StepStatus(
            STEP_DESCRIBE, PROBLEM, QCoreApplication.translate("OpenDataFlow", "{count} gap(s)").format(count=gaps)
        )
    elif advice:
        describe_status = StepStatus(
            STEP_DESCRIBE,
            DONE,
            QCoreApplication.translate("OpenDataFlow", "complete, {count} suggestion(s)").format(count=advice),
        )
    else:
        describe_status = StepStatus(STEP_DESCRIBE, DONE, QCoreApplication.translate("OpenDataFlow", "complete"))

    licence_items = [i for i in items if i.step == STEP_LICENCE]
    entry = licence_entry(description.licence)
    if not description.licence:
        licence_status = StepStatus(STEP_LICENCE, TODO, QCoreApplication.translate("OpenDataFlow", "to choose"))
    elif any(i.severity == ERROR for i in licence_items):
        name = entry["short_fr"] if entry else description.licence
        licence_status = StepStatus(
            STEP_LICENCE,
            PROBLEM,
            QCoreApplication.translate("OpenDataFlow", "{licence}: to complete").format(licence=name),
        )
    elif entry is None:
        licence_status = StepStatus(
            STEP_LICENCE, ATTENTION, QCoreApplication.translate("OpenDataFlow", "not recognised: choose again")
        )
    elif not _licence_confirmed(layer, description.licence):
        # set by « Préremplir » from the profile: the agent has not looked at it yet
        licence_status = StepStatus(
            STEP_LICENCE,
            ATTENTION,
            QCoreApplication.translate("OpenDataFlow", "{licence}: to confirm").format(licence=entry["short_fr"]),
        )
    else:
        licence_status = StepStatus(STEP_LICENCE, DONE, str(entry["short_fr"]))
    return [describe_status, licence_status]


def _licence_confirmed(layer, licence: str) -> bool:
    """The licence was saved on the « Licence » page (or the layer was already published with it)."""
    from ..core.history import history
    from ..core.layer_properties import LICENCE_CONFIRMED_PROPERTY

    if layer is None:
        return False
    if str(layer.customProperty(LICENCE_CONFIRMED_PROPERTY, "") or "") == licence:
        return True
    return any(entry.get("licence", licence) == licence for entry in history(layer))


def legal_status(layer, dock=None) -> StepStatus:
    page = getattr(dock, "legal_page", None)
    if _same_layer(page, "report_layer_id", layer) and getattr(page, "report", None) is not None:
        result = page.gate_result
        if result is None:
            from ..core.legal.checklist import load_checklist
            from ..core.legal.gate import legal_gate, load_acknowledgements

            result = legal_gate(page.report.findings, load_acknowledgements(layer), load_checklist(layer))
        if result.blocked:
            return StepStatus(STEP_LEGAL, PROBLEM, QCoreApplication.translate("OpenDataFlow", "blocking"))
        if result.needs_ack:
            return StepStatus(
                STEP_LEGAL,
                ATTENTION,
                QCoreApplication.translate("OpenDataFlow", "{count} to confirm").format(count=len(result.needs_ack)),
            )
        from ..core.legal.checklist import load_checklist

        if load_checklist(layer) is None:
            return StepStatus(STEP_LEGAL, ATTENTION, QCoreApplication.translate("OpenDataFlow", "checklist to answer"))
        return StepStatus(STEP_LEGAL, DONE, QCoreApplication.translate("OpenDataFlow", "no obstacle"))
    items = _gate_items(_publish_gate(dock, layer), STEP_LEGAL)
    if items is not None:
        if any(i.severity == ERROR for i in items):
            return StepStatus(STEP_LEGAL, PROBLEM, QCoreApplication.translate("OpenDataFlow", "blocking"))
        if items:
            return StepStatus(
                STEP_LEGAL,
                ATTENTION,
                QCoreApplication.translate("OpenDataFlow", "{count} to confirm").format(count=len(items)),
            )
        return StepStatus(STEP_LEGAL, DONE, QCoreApplication.translate("OpenDataFlow", "no obstacle"))
    saved = _saved_legal_status(layer)
    if saved is not None:
        return saved
    return StepStatus(STEP_LEGAL, TODO, QCoreApplication.translate("OpenDataFlow", "not analysed yet"))


def publish_status(layer) -> StepStatus:
    from ..core.history import history
    from .history_widget import format_date

    entries = history(layer)
    if not entries:
        return StepStatus(STEP_PUBLISH, TODO, QCoreApplication.translate("OpenDataFlow", "never published"))
    when = format_date(entries[-1].get("date", "")).split(" ")[0]
    return StepStatus(
        STEP_PUBLISH, DONE, QCoreApplication.translate("OpenDataFlow", "published on {date}").format(date=when)
    )


def flow_statuses(layer, dock=None) -> List[StepStatus]:
    """The five statuses for ``layer`` (a QgsVectorLayer)."""
    return [
        verify_status(layer, dock),
        *metadata_statuses(layer, dock),
        legal_status(layer, dock),
        publish_status(layer),
    ]


def next_step(statuses: List[StepStatus]) -> Optional[str]:
    """The first step that is not done (None when all are)."""
    return next((s.step for s in statuses if s.state != DONE), None)


def open_step(dock, step: str, layer=None) -> bool:
    """Show the page of ``step`` in the dock, on ``layer`` when given. False when there is no such page."""
    page = getattr(dock, PAGE_ATTRIBUTES.get(step, ""), None)
    if page is None:
        return False
    if layer is not None and hasattr(page, "set_layer"):
        current = page.current_layer() if hasattr(page, "current_layer") else None
        if current is None or current.id() != layer.id():
            page.set_layer(layer)
    dock.tabs.setCurrentWidget(page)
    return True


# ===================================================================== widget


class FlowHeader(QWidget):
    """The step list and the « Étape suivante » button (no logic: :class:`GuidedFlow` fills it)."""

    stepClicked = pyqtSignal(str)

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("OpenDataFlowHeader")
        self.statuses: List[StepStatus] = []
        self.next: Optional[str] = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(2)
        self.layer_label = QLabel(self)
        self.layer_label.setObjectName("flowLayerLabel")
        self.layer_label.setWordWrap(True)
        layer_row = QHBoxLayout()
        layer_row.setContentsMargins(0, 0, 0, 0)
        layer_row.addWidget(self.layer_label, 1)
        # the dock follows the active layer of the Layers panel, unless the agent pins the layer shown
        self.pin_button = QToolButton(self)
        self.pin_button.setObjectName("flowPinButton")
        self.pin_button.setCheckable(True)
        self.pin_button.setAutoRaise(True)
        self.pin_button.toggled.connect(self._pin_toggled)
        layer_row.addWidget(self.pin_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(layer_row)
        self._pin_toggled(False)
        self.list = QListWidget(self)
        self.list.setObjectName("flowSteps")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setToolTip(self.tr("The steps of a publication: click one to open it"))
        self.list.setUniformItemSizes(True)
        for index, step in enumerate(STEPS):
            item = QListWidgetItem(state_icon(TODO), f"{index + 1}. {step_title(step)}")
            item.setData(Qt.ItemDataRole.UserRole, step)
            self.list.addItem(item)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        # collapsed step list: one button showing the current step and its status, that unfolds the list
        self.steps_button = QToolButton(self)
        self.steps_button.setObjectName("flowStepsButton")
        self.steps_button.setCheckable(True)
        self.steps_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.steps_button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.steps_button.setToolTip(self.tr("Show the five steps of the publication and their status"))
        self.steps_button.toggled.connect(self._steps_toggled)
        self.steps_button.setVisible(False)
        row.addWidget(self.steps_button, 3)
        self.next_button = QPushButton(QgsApplication.getThemeIcon("/mActionArrowRight.svg"), "", self)
        self.next_button.setObjectName("flowNextButton")
        self.next_button.clicked.connect(self._next_clicked)
        row.addWidget(self.next_button, 2)
        layout.addLayout(row)
        self.compact = False
        self.current_step: Optional[str] = None
        self._fit_height()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("FlowHeader", text)

    def _fit_height(self) -> None:
        """Show the five steps without a scroll bar."""
        rows = self.list.count()
        row_height = max(self.list.sizeHintForRow(0), self.list.fontMetrics().height() + 6, 20)
        self.list.setFixedHeight(row_height * rows + 2 * self.list.frameWidth() + 2)

    def showEvent(self, event):  # noqa: N802 - Qt API: the row height is known once the style is applied
        super().showEvent(event)
        self._fit_height()

    def set_compact(self, compact: bool) -> None:
        """Collapse the step list to one line (small screens); the agent can still unfold it."""
        if compact == self.compact:
            return
        self.compact = compact
        self.steps_button.setVisible(compact)
        self.steps_button.blockSignals(True)
        self.steps_button.setChecked(False)
        self.steps_button.blockSignals(False)
        self.list.setVisible(not compact)
        self.next_button.setSizePolicy(
            QSizePolicy.Policy.Ignored if compact else QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed
        )
        self.next_button.setVisible(True)
        self._update_steps_button()
        self._next_text()

    def _pin_toggled(self, pinned: bool) -> None:
        self.pin_button.setIcon(QgsApplication.getThemeIcon("/locked.svg" if pinned else "/unlocked.svg"))
        self.pin_button.setToolTip(
            self.tr("Pinned: the panel stays on this layer. Click to follow the layer selected in the Layers panel.")
            if pinned
            else self.tr("The panel follows the layer selected in the Layers panel. Click to stay on this layer.")
        )

    def _steps_toggled(self, unfolded: bool) -> None:
        self.list.setVisible(unfolded or not self.compact)

    def _update_steps_button(self) -> None:
        step = self.current_step or STEP_VERIFY
        index = STEPS.index(step)
        status = self.status(step)
        text = f"{index + 1}/{len(STEPS)} {step_title(step)}"
        if status is not None:
            text += f" — {status.text}"
        self.steps_button.setText(text)
        self.steps_button.setIcon(state_icon(status.state if status is not None else TODO))
        self.steps_button.setToolTip(text + "\n" + self.tr("Click to show the five steps"))

    def _clicked(self, item: QListWidgetItem) -> None:
        if self.compact:
            self.steps_button.setChecked(False)  # fold the list again once a step is chosen
        self.stepClicked.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def _next_clicked(self) -> None:
        if self.next:
            self.stepClicked.emit(self.next)

    def item(self, step: str) -> Optional[QListWidgetItem]:
        index = STEPS.index(step) if step in STEPS else -1
        return self.list.item(index) if index >= 0 else None

    def set_current(self, step: Optional[str]) -> None:
        self.current_step = step
        self._update_steps_button()
        self._next_text()
        item = self.item(step) if step else None
        self.list.blockSignals(True)
        if item is not None:
            self.list.setCurrentItem(item)
        else:
            self.list.clearSelection()
        self.list.blockSignals(False)

    def show_statuses(self, layer_name: str, statuses: List[StepStatus]) -> None:
        self.statuses = list(statuses)
        by_step = {s.step: s for s in statuses}
        for index, step in enumerate(STEPS):
            item = self.list.item(index)
            status = by_step.get(step)
            title = f"{index + 1}. {step_title(step)}"
            if status is None:
                item.setText(title)
                item.setIcon(state_icon(TODO))
                item.setToolTip("")
                continue
            item.setText(f"{title} — {status.text}")
            item.setIcon(state_icon(status.state))
            item.setData(Qt.ItemDataRole.UserRole + 1, status.state)
            item.setToolTip(f"{step_title(step)} : {status.text}")
        if layer_name:
            self.layer_label.setText(self.tr("Layer: <b>{layer}</b>").format(layer=_html(layer_name)))
        else:
            self.layer_label.setText(self.tr("Choose a layer to publish in one of the steps below."))
        self.next = next_step(statuses) if statuses else STEP_VERIFY
        if not statuses:
            self.next_button.setText(self.tr("Start: Check"))
            self.next_button.setEnabled(bool(layer_name))
        elif self.next is None:
            self.next_button.setText(self.tr("All steps are done"))
            self.next_button.setToolTip(
                self.tr("Publish again after each update of the data: the same dataset is updated, never copied.")
            )
            self.next = STEP_PUBLISH
            self.next_button.setEnabled(True)
        else:
            self.next_button.setText(self.tr("Next step: {step}").format(step=step_title(self.next)))
            self.next_button.setToolTip(self.tr("Open the first step that is not done yet"))
            self.next_button.setEnabled(True)
        self._update_steps_button()
        self._next_text()

    def _next_text(self) -> None:
        """On the page of the step still to do, the button says so instead of « Next step: » that same page."""
        if not self.statuses or self.next is None or all(s.state == DONE for s in self.statuses):
            return
        on_it = self.next == getattr(self, "current_step", None)
        if on_it:
            self.next_button.setText(self.tr("To finish on this page: {step}").format(step=step_title(self.next)))
            self.next_button.setToolTip(self.tr("This step is the first one not done yet: finish it here"))
        else:
            self.next_button.setText(self.tr("Next step: {step}").format(step=step_title(self.next)))
            self.next_button.setToolTip(self.tr("Open the first step that is not done yet"))
        if self.compact:
            # one line on a laptop: the steps button already says where the agent is; the arrow names the next step
            self.next_button.setText(step_title(self.next))
        self.next_button.setVisible(not (self.compact and on_it))

    def status(self, step: str) -> Optional[StepStatus]:
        return next((s for s in self.statuses if s.step == step), None)


def _html(text: str) -> str:
    import html

    return html.escape(str(text or ""))


# ===================================================================== controller


class GuidedFlow(QObject):
    """Keeps the header in sync with the dock's pages and the current layer."""

    refreshed = pyqtSignal(list)  # List[StepStatus]

    def __init__(self, dock):
        super().__init__(dock)
        self.dock = dock
        self.layer_id: Optional[str] = None
        self._watched = None
        self._cleaned = False
        self._save_pending = False
        self.settings_notice = ""  # the last notice about settings taken from the data source (issue 17)
        self.header = FlowHeader(dock.widget())
        layout = dock.widget().layout()
        layout.insertWidget(0, self.header)
        dock.tabs.tabBar().setVisible(False)  # the step list replaces the tabs
        self.header.stepClicked.connect(self.open_step)
        dock.tabs.currentChanged.connect(self._tab_changed)
        self._connections: List[tuple] = []
        for attribute in PAGE_ATTRIBUTES.values():
            page = getattr(dock, attribute, None)
            if page is None:
                continue
            combo = getattr(page, "layer_combo", None)
            if combo is not None:
                self._connect(combo.layerChanged, lambda layer, p=page: self._page_layer_changed(p, layer))
        signals = {
            "check_page": ("validationFinished", "schemaChanged"),
            "describe_page": ("descriptionSaved", "completenessChanged"),
            "licence_page": ("licenceSaved",),
            "legal_page": ("analysisFinished", "gateChanged"),
            "publish_page": ("publicationFinished", "gateChecked"),
        }
        for attribute, names in signals.items():
            page = getattr(dock, attribute, None)
            for name in names:
                signal = getattr(page, name, None) if page is not None else None
                if signal is not None:
                    self._connect(signal, self.refresh)
        self._connect(QgsProject.instance().layersWillBeRemoved, self._layers_removed)
        self._tab_changed(dock.tabs.currentIndex())
        dock.installEventFilter(self)  # the step list collapses on a low screen (issue 11)
        iface = getattr(dock, "iface", None)
        current_signal = getattr(iface, "currentLayerChanged", None) if iface is not None else None
        self._pending_active: Optional[str] = None  # active layer chosen while the dock was hidden
        if current_signal is not None:  # the dock follows the Layers panel (issue 11)
            self._connect(current_signal, self._active_layer_changed)
            self._connect(dock.visibilityChanged, self._dock_shown)
            for attribute in ("describe_page", "licence_page"):
                page = getattr(dock, attribute, None)
                if page is not None and hasattr(page, "follow_layer"):
                    with contextlib.suppress(TypeError, RuntimeError):
                        current_signal.disconnect(page.follow_layer)  # one follower: this controller, with the pin

    def _dock_shown(self, visible: bool) -> None:
        if visible and self._pending_active:
            layer = QgsProject.instance().mapLayer(self._pending_active)
            self._pending_active = None
            self._active_layer_changed(layer)

    def pinned(self) -> bool:
        return self.header.pin_button.isChecked()

    def _active_layer_changed(self, layer) -> None:
        """The agent selected another layer in the Layers panel: the dock shows it, unless pinned."""
        if self._cleaned or self.pinned() or not isinstance(layer, QgsVectorLayer) or layer.id() == self.layer_id:
            self._pending_active = None
            return
        if not self.dock.isVisible():
            self._pending_active = layer.id()  # shown when the dock opens: no work, no dialog while it is hidden
            return
        self._pending_active = None
        page = self.dock.tabs.currentWidget()
        step = next((s for s, a in PAGE_ATTRIBUTES.items() if getattr(self.dock, a, None) is page), None)
        if step is not None:
            open_step(self.dock, step, layer)
            shown = page.current_layer() if hasattr(page, "current_layer") else layer
            if shown is None or shown.id() != layer.id():
                return  # the agent kept the current layer (unsaved changes, « Annuler »)
        self.set_layer(layer)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.dock and event.type() == QEvent.Type.Resize and not self._cleaned:
            self.header.set_compact(self.dock.height() < COMPACT_DOCK_HEIGHT)
        return False

    def _connect(self, signal, slot) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    # -- layer ---------------------------------------------------------------------------------------
    def layer(self) -> Optional[QgsVectorLayer]:
        layer = QgsProject.instance().mapLayer(self.layer_id) if self.layer_id else None
        return layer if isinstance(layer, QgsVectorLayer) else None

    def set_layer(self, layer) -> None:
        layer = layer if isinstance(layer, QgsVectorLayer) else None
        self._watch(layer)
        self.layer_id = layer.id() if layer is not None else None
        self.refresh()

    def _watch(self, layer) -> None:
        previous = self._watched
        if previous is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                previous.metadataChanged.disconnect(self.refresh)
            with contextlib.suppress(TypeError, RuntimeError, AttributeError):
                previous.customPropertyChanged.disconnect(self._property_changed)
            with contextlib.suppress(TypeError, RuntimeError):
                previous.metadataChanged.disconnect(self._settings_changed)
        self._watched = layer
        if layer is not None:
            self._restore_settings(layer)
            layer.metadataChanged.connect(self.refresh)
            layer.metadataChanged.connect(self._settings_changed)
            with contextlib.suppress(AttributeError):  # QGIS >= 3.18
                layer.customPropertyChanged.connect(self._property_changed)

    def _property_changed(self, key: str) -> None:
        if str(key).startswith(LAYER_PROPERTY_PREFIX):
            if str(key) != SETTINGS_SAVED_AT:
                self._settings_changed()
            self.refresh()

    # -- settings kept with the data source (issue 17) -------------------------------------------------
    def _restore_settings(self, layer) -> None:
        """The layer's settings and those kept with its data: the newer wins, and the agent is told."""
        from ..core.source_state import restore_settings

        self.settings_notice = restore_settings(layer)
        iface = getattr(self.dock, "iface", None)
        if self.settings_notice and iface is not None and hasattr(iface, "messageBar"):
            iface.messageBar().pushMessage(self.tr("Open data"), self.settings_notice, Qgis.MessageLevel.Warning, 15)

    def _settings_changed(self, *_args) -> None:
        """A decision changed in the layer: written with its data once the current change is complete."""
        if not self._save_pending and not self._cleaned:
            self._save_pending = True
            QTimer.singleShot(0, self._save_settings)

    def _save_settings(self) -> None:
        self._save_pending = False
        layer = self.layer()
        if layer is not None and not self._cleaned:
            from ..core.source_state import save_settings

            save_settings(layer)

    def _page_layer_changed(self, page, layer) -> None:
        current = self.dock.tabs.currentWidget() is page
        if current and isinstance(layer, QgsVectorLayer) and layer.id() != self.layer_id:
            self.set_layer(layer)

    def _tab_changed(self, index: int) -> None:
        page = self.dock.tabs.widget(index)
        step = next((s for s, a in PAGE_ATTRIBUTES.items() if getattr(self.dock, a, None) is page), None)
        self.header.set_current(step)
        flow_layer = self.layer()
        if flow_layer is not None and step is not None:
            # one layer through the whole flow: the page just shown works on the flow's layer
            open_step(self.dock, step, flow_layer)
            return
        layer = page.current_layer() if page is not None and hasattr(page, "current_layer") else None
        if isinstance(layer, QgsVectorLayer) and layer.id() != self.layer_id:
            self.set_layer(layer)
        elif self.layer_id is None and layer is None:
            self.refresh()

    def _layers_removed(self, layer_ids) -> None:
        if self.layer_id in set(layer_ids):
            self._watch(None)
            self.layer_id = None
            self.refresh()

    # -- actions ---------------------------------------------------------------------------------------
    def open_step(self, step: str) -> bool:
        return open_step(self.dock, step, self.layer())

    def statuses(self) -> List[StepStatus]:
        return list(self.header.statuses)

    def refresh(self, *_args) -> List[StepStatus]:
        if self._cleaned:
            return []
        layer = self.layer()
        statuses: List[StepStatus] = []
        if layer is not None:
            try:
                statuses = flow_statuses(layer, self.dock)
            except Exception as exc:  # noqa: BLE001 - a status must never break the dock
                from ..toolbelt.log import log

                log(f"Statut du parcours non calculé : {type(exc).__name__} : {exc}")
                statuses = []
        self.header.show_statuses(layer.name() if layer is not None else "", statuses)
        self.refreshed.emit(statuses)
        return statuses

    def cleanup(self) -> None:
        if self._cleaned:
            return
        self._cleaned = True
        with contextlib.suppress(RuntimeError):
            self.dock.removeEventFilter(self)
        self._watch(None)
        for signal, slot in self._connections:
            with contextlib.suppress(TypeError, RuntimeError):
                signal.disconnect(slot)
        self._connections = []
        with contextlib.suppress(TypeError, RuntimeError):
            self.dock.tabs.currentChanged.disconnect(self._tab_changed)


def add_to_dock(dock, iface=None) -> Optional[GuidedFlow]:  # noqa: QGS105 - the dock passes its iface
    """Put the step list above the dock's pages (one line in the dock's constructor)."""
    flow = GuidedFlow(dock)
    dock.flow = flow
    describe = getattr(dock, "describe_page", None)
    if describe is not None and hasattr(describe, "required_targets_func"):
        # the « Décrire » page counts the gaps of the portal chosen on « Publier » too, as the step list does
        describe.required_targets_func = lambda: [t for t in _targets(dock) if t not in describe.targets()]
    return flow

"""The « Licence » page: choose the licence of a layer's data, with plain-French explanations.

Two big cards: the Licence Ouverte 2.0 (default, recommended) and the ODbL 1.0 (asks for a one-line
justification; marked « suggérée » when the lineage, attribution or history mentions OpenStreetMap).
Any other licence is behind « Autre licence… »: a warning (CRPA D323-2-1) and the reference of the
State homologation (CRPA D323-2-2) are required. The attribution line is edited here too.

Saving (:meth:`LicencePage.save`) reads the layer's description, applies the choice with
:func:`apply_licence` (SPDX id + URL) and writes it back with :func:`write_layer_description`.
"""

from __future__ import annotations

from typing import Dict, Optional

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core.layer_properties import LICENCE_CONFIRMED_PROPERTY
from opendata_publisher.core.metadata.licences import (
    HOMOLOGATION_WARNING,
    OSM_SUGGESTION,
    LicenceChoice,
    apply_licence,
    licence_choices,
    licence_entry,
    mentions_openstreetmap,
    recognise_licence,
)
from opendata_publisher.core.metadata.model import FIELD_HELP, DatasetDescription

from .widgets.field_row import HELP_COLOR, WARNING_COLOR
from .widgets.layer_page import LayerFormPage

OTHER = "__other__"
#: the licence id saved on this page (the flow marks a prefilled licence « à confirmer » until then)
CARD_STYLE = (
    "QFrame#{name} {{ border: 1px solid palette(mid); border-radius: 6px; background: palette(base); }}"
    'QFrame#{name}[chosen="true"] {{ border: 2px solid palette(highlight); }}'
)


class LicenceCard(QFrame):
    """A big clickable card: radio button with the licence name, badges, the explanation."""

    def __init__(self, key: str, title: str, explanation: str, parent: Optional[QWidget] = None, subtitle: str = ""):
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"licenceCard_{key.replace('-', '_').replace('.', '_')}")
        self.setStyleSheet(CARD_STYLE.format(name=self.objectName()))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        head = QHBoxLayout()
        self.radio = QRadioButton(title, self)
        font = self.radio.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.radio.setFont(font)
        head.addWidget(self.radio, 1)
        self.badges = QHBoxLayout()
        head.addLayout(self.badges)
        layout.addLayout(head)
        self.subtitle = QLabel(subtitle, self)
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet(f"color: {HELP_COLOR}; font-size: 90%;")
        self.subtitle.setVisible(bool(subtitle) and subtitle != title)
        layout.addWidget(self.subtitle)
        self.explanation = QLabel(explanation, self)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.extra = QVBoxLayout()
        layout.addLayout(self.extra)
        self.radio.toggled.connect(self._toggled)

    def add_badge(self, text: str, color: str, tooltip: str = "") -> QLabel:
        badge = QLabel(text, self)
        badge.setStyleSheet(
            f"color: white; background: {color}; border-radius: 8px; padding: 1px 8px; font-weight: bold;"
        )
        badge.setToolTip(tooltip)
        self.badges.addWidget(badge)
        return badge

    def _toggled(self, checked: bool) -> None:
        self.setProperty("chosen", "true" if checked else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event):  # noqa: N802 - Qt API: a click anywhere on the card chooses it
        self.radio.setChecked(True)
        super().mousePressEvent(event)


class LicencePage(LayerFormPage):
    """The « Licence » step of the dock."""

    licenceSaved = pyqtSignal(str)  # layer id

    def __init__(self, iface, parent: Optional[QWidget] = None):  # noqa: QGS105 - the dock passes its iface
        super().__init__(iface, parent)
        self.setObjectName("OpenDataLicencePage")
        self.choices: Dict[str, LicenceChoice] = {c.id: c for c in licence_choices()}
        self.description = DatasetDescription()
        self._build_ui()
        self.start()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("LicencePage", text)

    # ================================================================= UI
    def _build_ui(self) -> None:
        self.outer.addWidget(self.status_label)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 8, 2)
        layout.setSpacing(8)
        intro = QLabel(
            self.tr(
                "The licence says what reusers may do with the data. An administration may only use the licences "
                "listed by decree (CRPA, article D323-2-1): choose the Licence Ouverte unless you have a reason."
            ),
            body,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.current_label = QLabel(body)
        self.current_label.setObjectName("licenceCurrent")
        self.current_label.setWordWrap(True)
        layout.addWidget(self.current_label)

        self.group = QButtonGroup(self)
        self.cards: Dict[str, LicenceCard] = {}
        default = next(c for c in self.choices.values() if c.default)
        odbl = next(c for c in self.choices.values() if c.needs_justification)
        self.default_id, self.odbl_id = default.id, odbl.id

        card = LicenceCard(default.id, default.short_label, default.explanation, body, default.label)
        card.add_badge(self.tr("recommended"), "#1e7b34", self.tr("The licence recommended for administrations"))
        self._add_card(card, layout)

        card = LicenceCard(odbl.id, odbl.short_label, odbl.explanation, body, odbl.label)
        self.suggested_badge = card.add_badge(self.tr("suggested"), "#1565c0", OSM_SUGGESTION)
        self.suggested_badge.setVisible(False)
        note = QLabel(odbl.warning, card)
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {HELP_COLOR};")
        card.extra.addWidget(note)
        self.justification_edit = QLineEdit(card)
        self.justification_edit.setObjectName("licenceJustification")
        self.justification_edit.setPlaceholderText(self.tr("Why the ODbL? e.g. data derived from OpenStreetMap"))
        self.justification_edit.setToolTip(FIELD_HELP["licence_justification"])
        self.justification_edit.textEdited.connect(self.mark_dirty)
        card.extra.addWidget(self.justification_edit)
        self._add_card(card, layout)

        self.other_button = QPushButton(self.tr("Other licence…"), body)
        self.other_button.setObjectName("licenceOtherButton")
        self.other_button.setCheckable(True)
        self.other_button.setToolTip(self.tr("Only with a State homologation: read the warning first"))
        self.other_button.toggled.connect(self._show_other)
        layout.addWidget(self.other_button, 0, Qt.AlignmentFlag.AlignLeft)
        others = [c for c in self.choices.values() if c.needs_homologation]
        card = LicenceCard(OTHER, self.tr("Another licence"), HOMOLOGATION_WARNING, body)
        card.explanation.setStyleSheet(f"color: {WARNING_COLOR};")
        self.other_combo = QComboBox(card)
        self.other_combo.setObjectName("licenceOtherCombo")
        self.other_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.other_combo.setMinimumContentsLength(16)
        for choice in others:
            self.other_combo.addItem(choice.label, choice.id)
            self.other_combo.setItemData(self.other_combo.count() - 1, choice.explanation, Qt.ItemDataRole.ToolTipRole)
        self.other_combo.currentIndexChanged.connect(self._other_changed)
        card.extra.addWidget(self.other_combo)
        self.other_explanation = QLabel(card)
        self.other_explanation.setWordWrap(True)
        card.extra.addWidget(self.other_explanation)
        self.homologation_edit = QLineEdit(card)
        self.homologation_edit.setObjectName("licenceHomologation")
        self.homologation_edit.setPlaceholderText(self.tr("Reference of the homologation (decree, date)"))
        self.homologation_edit.setToolTip(FIELD_HELP["licence_homologation"])
        self.homologation_edit.textEdited.connect(self.mark_dirty)
        card.extra.addWidget(self.homologation_edit)
        self._add_card(card, layout)
        self.other_card = card
        card.setVisible(False)

        attribution_title = self.tr("Attribution")
        attribution_label = QLabel(f"<b>{attribution_title}</b>", body)
        attribution_label.setToolTip(FIELD_HELP["attribution"])
        layout.addWidget(attribution_label)
        self.attribution_edit = QLineEdit(body)
        self.attribution_edit.setObjectName("licenceAttribution")
        self.attribution_edit.setPlaceholderText(self.tr("e.g. Orléans Métropole — update of 12/03/2025"))
        self.attribution_edit.setToolTip(FIELD_HELP["attribution"])
        self.attribution_edit.textEdited.connect(self.mark_dirty)
        layout.addWidget(self.attribution_edit)
        attribution_help = QLabel(FIELD_HELP["attribution"], body)
        attribution_help.setWordWrap(True)
        attribution_help.setStyleSheet(f"color: {HELP_COLOR}; font-size: 90%;")
        layout.addWidget(attribution_help)
        layout.addStretch(1)
        scroll.setWidget(body)
        self.outer.addWidget(scroll, 1)

        self.save_button = QPushButton(self.tr("Save the licence"), self)
        self.save_button.setObjectName("licenceSaveButton")
        self.save_button.setToolTip(self.tr("Store the licence in the layer's metadata; save the project to keep it"))
        self.save_button.clicked.connect(self.save)
        self.outer.addWidget(self.save_button)
        self.group.buttonToggled.connect(self._choice_toggled)
        self._other_changed()

    def _add_card(self, card: LicenceCard, layout: QVBoxLayout) -> None:
        self.cards[card.key] = card
        self.group.addButton(card.radio)
        layout.addWidget(card)

    # ================================================================= state
    def _show_other(self, shown: bool) -> None:
        self.other_card.setVisible(shown)
        if not shown and self.cards[OTHER].radio.isChecked():
            self.choose(self.default_id)

    def _other_changed(self, *_args) -> None:
        choice = self.choices.get(self.other_combo.currentData())
        self.other_explanation.setText(choice.explanation if choice else "")
        self.mark_dirty()

    def _choice_toggled(self, _button, checked: bool) -> None:
        if not checked:
            return
        key = self.chosen_key()
        self.justification_edit.setEnabled(key == self.odbl_id)
        self.homologation_edit.setEnabled(key == OTHER)
        self.other_combo.setEnabled(key == OTHER)
        self.mark_dirty()

    def chosen_key(self) -> str:
        for key, card in self.cards.items():
            if card.radio.isChecked():
                return key
        return ""

    def current_licence(self) -> str:
        """The chosen licence id ("" when nothing is chosen)."""
        key = self.chosen_key()
        return str(self.other_combo.currentData() or "") if key == OTHER else key

    def choose(self, licence_id: str) -> bool:
        """Select a licence (an id of licences.json, SPDX / portal id or title); False when it is not offered."""
        entry = licence_entry(licence_id) or recognise_licence(licence_id)
        if entry is None:
            return False
        if entry["id"] in self.cards:
            self.cards[entry["id"]].radio.setChecked(True)
            return True
        index = self.other_combo.findData(entry["id"])
        if index < 0:
            return False
        self.other_button.setChecked(True)
        self.other_combo.setCurrentIndex(index)
        self.cards[OTHER].radio.setChecked(True)
        return True

    def set_justification(self, text: str) -> None:
        self.justification_edit.setText(text)
        self.mark_dirty()

    def set_homologation(self, text: str) -> None:
        self.homologation_edit.setText(text)
        self.mark_dirty()

    # ================================================================= layer
    def load_layer(self, layer: Optional[QgsVectorLayer]) -> None:
        from opendata_publisher.core.metadata.layer_metadata import read_layer_description

        self.description = read_layer_description(layer) if layer is not None else DatasetDescription()
        d = self.description
        self.group.setExclusive(False)
        for card in self.cards.values():
            card.radio.setChecked(False)
        self.group.setExclusive(True)
        self.other_button.setChecked(False)
        self.justification_edit.setText(d.licence_justification)
        self.homologation_edit.setText(d.licence_homologation)
        self.attribution_edit.setText(d.attribution)
        osm = mentions_openstreetmap(d)
        self.suggested_badge.setVisible(osm)
        entry = licence_entry(d.licence)
        if layer is None:
            self.current_label.setText(self.tr("Choose the layer whose licence you set."))
        elif entry is not None and entry.get("choice") in ("default", "justify", "homologation"):
            self.choose(entry["id"])
            self.current_label.setText(
                self.tr("Licence recorded for this layer: <b>{licence}</b>.").format(licence=entry["short_fr"])
            )
        elif entry is not None:
            self.choose(self.default_id)
            self.current_label.setText(
                self.tr("Licence recorded: « {licence} », which is discouraged: {why} Choose one below.").format(
                    licence=entry["short_fr"], why=entry.get("explanation_fr", "")
                )
            )
        elif d.licence:
            self.choose(self.default_id)
            self.current_label.setText(
                self.tr("Licence recorded: « {licence} », not recognised. Choose one below.").format(licence=d.licence)
            )
        else:
            self.choose(self.odbl_id if osm else self.default_id)
            self.current_label.setText(self.tr("No licence recorded yet: the proposed one is selected below."))
        self.current_label.setStyleSheet("" if entry is not None or layer is None else f"color: {WARNING_COLOR};")
        if osm and self.chosen_key() != self.odbl_id:
            self.set_status(OSM_SUGGESTION, WARNING_COLOR)
        else:
            self.set_status("")
        self.save_button.setEnabled(layer is not None)

    def dirty_changed(self) -> None:
        self.save_button.setText(self.tr("Save the licence") + (" *" if self.dirty else ""))

    # ================================================================= save
    def validate(self) -> str:
        """ "" when the choice can be saved, else the French reason (what to do)."""
        key = self.chosen_key()
        if not key:
            return self.tr("Choose a licence first (the Licence Ouverte 2.0 is recommended).")
        if key == self.odbl_id and not self.justification_edit.text().strip():
            return self.tr(
                "The ODbL needs a one-line justification: say why share-alike is needed (e.g. « data derived from "
                "OpenStreetMap »), or choose the Licence Ouverte 2.0."
            )
        if key == OTHER:
            if not self.other_combo.currentData():
                return self.tr("Choose the other licence in the list.")
            if not self.homologation_edit.text().strip():
                return self.tr(
                    "This licence may only be used with a State homologation (CRPA D323-2-2): type its reference, "
                    "or choose the Licence Ouverte 2.0."
                )
        return ""

    def save(self) -> bool:
        """Store the chosen licence in the layer's metadata; False (with the reason shown) when refused."""
        from opendata_publisher.core.metadata.layer_metadata import read_layer_description, write_layer_description

        layer = self.current_layer()
        if layer is None:
            self.show_error(self.tr("Choose the layer whose licence you set."))
            return False
        problem = self.validate()
        if problem:
            self.show_error(problem)
            (self.justification_edit if self.chosen_key() == self.odbl_id else self.homologation_edit).setFocus()
            return False
        d = read_layer_description(layer)
        key = self.chosen_key()
        d.licence_url = ""
        apply_licence(d, self.current_licence())
        d.licence_justification = self.justification_edit.text().strip() if key == self.odbl_id else ""
        d.licence_homologation = self.homologation_edit.text().strip() if key == OTHER else ""
        d.attribution = self.attribution_edit.text().strip() or d.attribution
        entry = licence_entry(d.licence)
        if (
            entry
            and entry.get("share_alike")
            and mentions_openstreetmap(d)
            and "openstreetmap" not in (d.attribution.lower())
        ):
            osm = "© les contributeurs d'OpenStreetMap"
            d.attribution = f"{d.attribution} ; {osm}" if d.attribution else osm
        try:
            write_layer_description(layer, d)
        except Exception as exc:  # noqa: BLE001 - say it, keep the page as it is
            self.show_error(self.tr("The licence could not be stored ({error}).").format(error=exc))
            return False
        layer.setCustomProperty(LICENCE_CONFIRMED_PROPERTY, d.licence)
        QgsProject.instance().setDirty(True)
        self.description = d
        self.attribution_edit.setText(d.attribution)
        self.dirty = False
        self.dirty_changed()
        self.current_label.setText(
            self.tr("Licence recorded for this layer: <b>{licence}</b>.").format(
                licence=entry["short_fr"] if entry else d.licence
            )
        )
        self.current_label.setStyleSheet("")
        self.set_status(
            self.tr("Licence saved in « {layer} ». Save the project to keep it.").format(layer=layer.name()), "#1e7b34"
        )
        self.licenceSaved.emit(layer.id())
        return True


def add_to_dock(dock, iface) -> LicencePage:  # noqa: QGS105 - the dock passes its iface
    """Create the page and append it to ``dock`` (one line in the dock's constructor)."""
    page = LicencePage(iface, dock)
    dock.licence_page = page
    dock.add_page(page, QCoreApplication.translate("OpenDataDock", "Licence"))
    describe = getattr(dock, "describe_page", None)
    if describe is not None:
        page.licenceSaved.connect(describe.update_licence_from_layer)

        def reload_if_clean(layer_id: str) -> None:
            if not page.dirty and page.layer_id == layer_id:
                page.reload()

        describe.descriptionSaved.connect(reload_if_clean)
    return page

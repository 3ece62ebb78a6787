"""« Correspondance des champs » : which layer field holds which schema field.

A table with one row per schema field (name, title, a star when required) and
a combo of the layer's fields. Near matches found by
:func:`~opendata_publisher.core.mapping.suggest_mapping` are preselected and
marked; the agent's choice is stored in the layer's custom properties with
:func:`~opendata_publisher.core.mapping.save_mapping`, so it is saved with the
project.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from qgis.core import QgsApplication, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QFont, QIcon
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core.mapping import FieldMapping, Suggestion, load_mapping, save_mapping, suggest_mapping
from opendata_publisher.core.schema.model import TableSchema

_NONE = ""  # combo data of « (aucun) »
_SUGGESTED_MARK = " ★"


class MappingEditorDialog(QDialog):
    """Edit and save the field mapping of ``layer`` for ``schema``."""

    COL_SCHEMA = 0
    COL_TITLE = 1
    COL_LAYER = 2
    COL_NOTE = 3

    def __init__(self, layer: QgsVectorLayer, schema: TableSchema, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.layer = layer
        self.schema = schema
        self.setObjectName("OpenDataMappingEditor")
        self.setWindowTitle(self.tr("Field mapping — {layer}").format(layer=layer.name()))
        self.resize(760, 520)

        self.layer_fields: List[str] = [f.name() for f in layer.fields()]
        self.suggested_mapping, self.suggestions = suggest_mapping(self.layer_fields, schema)
        self._suggestion_by_schema: Dict[str, Suggestion] = {s.schema_field: s for s in self.suggestions}

        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "For each field of the schema « {schema} », choose the field of the layer that holds it. "
                "Fields with the same name are matched automatically; ★ marks a suggestion (similar name). "
                "The choice is stored in the layer and saved with the project. * = required field."
            ).format(schema=schema.title or schema.name),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = QTableWidget(len(schema.fields), 4, self)
        self.table.setObjectName("mappingTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Schema field"), self.tr("Description"), self.tr("Layer field"), self.tr("Note")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.COL_SCHEMA, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.COL_LAYER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_NOTE, QHeaderView.ResizeMode.Stretch)
        self.combos: Dict[str, QComboBox] = {}
        for row, descriptor in enumerate(schema.fields):
            self._fill_row(row, descriptor)
        layout.addWidget(self.table, 1)

        self.status = QLabel(self)
        self.status.setObjectName("mappingStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.reset_button = QPushButton(self.tr("Apply the suggestions"), self)
        self.reset_button.setToolTip(self.tr("Forget the current choices: same names and suggestions only"))
        self.buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reset_button.clicked.connect(self.apply_suggestions)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        saved = load_mapping(layer, schema)
        if saved is not None:
            self.set_mapping(saved)
        else:
            self.apply_suggestions()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("MappingEditorDialog", text)

    # ------------------------------------------------------------------ rows
    def _fill_row(self, row: int, descriptor) -> None:
        name_item = QTableWidgetItem(descriptor.name + (" *" if descriptor.required else ""))
        font = QFont()
        font.setBold(descriptor.required)
        name_item.setFont(font)
        tooltip = descriptor.description or descriptor.title or descriptor.name
        name_item.setToolTip(tooltip)
        self.table.setItem(row, self.COL_SCHEMA, name_item)
        title_text = descriptor.title or descriptor.description.split("\n")[0]
        title_item = QTableWidgetItem(title_text if len(title_text) <= 90 else title_text[:89] + "…")
        title_item.setToolTip(tooltip)
        self.table.setItem(row, self.COL_TITLE, title_item)

        combo = QComboBox(self.table)
        combo.setObjectName(f"mapping_{descriptor.name}")
        combo.addItem(self.tr("(none)"), _NONE)
        suggestion = self._suggestion_by_schema.get(descriptor.name)
        for layer_field in self.layer_fields:
            label = layer_field
            if suggestion is not None and suggestion.layer_field == layer_field:
                label += _SUGGESTED_MARK
            combo.addItem(label, layer_field)
            if layer_field == descriptor.name:
                combo.setItemData(
                    combo.count() - 1, self.tr("Same name as the schema field"), Qt.ItemDataRole.ToolTipRole
                )
            elif suggestion is not None and suggestion.layer_field == layer_field:
                combo.setItemData(
                    combo.count() - 1,
                    self.tr("Suggested: {reason}").format(reason=suggestion.reason),
                    Qt.ItemDataRole.ToolTipRole,
                )
        combo.currentIndexChanged.connect(self._update_notes)
        self.combos[descriptor.name] = combo
        self.table.setCellWidget(row, self.COL_LAYER, combo)
        self.table.setItem(row, self.COL_NOTE, QTableWidgetItem(""))

    def _update_notes(self, *_args) -> None:
        used: Dict[str, List[str]] = {}
        for schema_name, combo in self.combos.items():
            layer_field = combo.currentData()
            if layer_field:
                used.setdefault(layer_field, []).append(schema_name)
        warn_brush = QBrush(QColor("#b00020"))
        for row, descriptor in enumerate(self.schema.fields):
            combo = self.combos[descriptor.name]
            layer_field = combo.currentData()
            item = self.table.item(row, self.COL_NOTE)
            suggestion = self._suggestion_by_schema.get(descriptor.name)
            icon = None
            brush = QBrush()
            if not layer_field:
                if descriptor.required:
                    text = self.tr("Required field missing from the layer: the check will report it")
                    icon = "/mIconWarning.svg"
                    brush = warn_brush
                else:
                    text = self.tr("Not in the layer (optional)")
            elif len(used.get(layer_field, [])) > 1:
                text = self.tr("« {field} » is chosen for several schema fields").format(field=layer_field)
                icon = "/mIconWarning.svg"
                brush = warn_brush
            elif layer_field == descriptor.name:
                text = self.tr("Same name")
                icon = "/mIconSuccess.svg"
            elif suggestion is not None and suggestion.layer_field == layer_field:
                text = self.tr("Suggested: {reason}").format(reason=suggestion.reason)
                icon = "/mIconInfo.svg"
            else:
                text = self.tr("Chosen by hand")
            item.setText(text)
            item.setToolTip(text)
            item.setForeground(brush)
            item.setIcon(QgsApplication.getThemeIcon(icon) if icon else QIcon())
        duplicates = sorted(name for name, schema_names in used.items() if len(schema_names) > 1)
        unused = [name for name in self.layer_fields if name not in used]
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if duplicates:
            self.status.setText(
                self.tr("A layer field can hold only one schema field: change the choice for {fields}.").format(
                    fields=", ".join(f"« {d} »" for d in duplicates)
                )
            )
            save_button.setEnabled(False)
        else:
            save_button.setEnabled(True)
            if unused:
                self.status.setText(
                    self.tr("Layer fields not used by the schema (reported as extra fields): {fields}").format(
                        fields=", ".join(unused)
                    )
                )
            else:
                self.status.setText(self.tr("Every layer field is used by the schema."))

    # ------------------------------------------------------------------ API
    def set_choice(self, schema_field: str, layer_field: Optional[str]) -> None:
        """Choose ``layer_field`` (None or "" for none) for ``schema_field``."""
        combo = self.combos[schema_field]
        index = combo.findData(layer_field or _NONE)
        if index < 0:
            raise KeyError(layer_field)
        combo.setCurrentIndex(index)

    def choice(self, schema_field: str) -> Optional[str]:
        return self.combos[schema_field].currentData() or None

    def apply_suggestions(self) -> None:
        """Same names first, then the suggested near matches."""
        suggested = self.suggested_mapping.schema_to_layer()
        for descriptor in self.schema.fields:
            if descriptor.name in self.layer_fields:
                self.set_choice(descriptor.name, descriptor.name)
            else:
                self.set_choice(descriptor.name, suggested.get(descriptor.name))
        self._update_notes()

    def set_mapping(self, mapping: FieldMapping) -> None:
        """Show a saved mapping (exact names fill the schema fields it does not list)."""
        explicit = {s: layer for layer, s in mapping.layer_to_schema.items() if layer in self.layer_fields}
        taken = set(explicit.values())
        for descriptor in self.schema.fields:
            if descriptor.name in explicit:
                self.set_choice(descriptor.name, explicit[descriptor.name])
            elif descriptor.name in self.layer_fields and descriptor.name not in taken:
                self.set_choice(descriptor.name, descriptor.name)
            else:
                self.set_choice(descriptor.name, None)
        self._update_notes()

    def mapping(self) -> FieldMapping:
        """The mapping shown: every schema field with a chosen layer field."""
        result = FieldMapping()
        for schema_name, combo in self.combos.items():
            layer_field = combo.currentData()
            if layer_field:
                result.layer_to_schema[layer_field] = schema_name
        return result

    def save(self) -> FieldMapping:
        mapping = self.mapping()
        save_mapping(self.layer, self.schema, mapping)
        return mapping

    def accept(self) -> None:
        self.save()
        super().accept()

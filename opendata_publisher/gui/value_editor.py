"""« Corriger la valeur » : fix one value where the problem is shown, without the attribute table.

:class:`ValueEditorDialog` opens from a finding of the « Vérifier » page (context menu « Modifier la valeur… »
or the « Modifier la valeur… » button). It shows the field, what the schema expects and the problem; the
value typed is checked against the schema field as it is typed (type, constraints, SIRET and other checks of
the schema, :class:`opendata_publisher.core.checks.single.SingleValueChecker`). « Enregistrer la valeur » puts
the layer in edit mode (nothing is written to the file until the agent saves the layer's edits, which QGIS
can undo) and changes the value; « Supprimer l'entité » deletes the feature the same way; « Retirer de la
sélection » deselects it (for a check or a publication of the selected features). :attr:`fixed` tells the
page which findings are gone.
"""

from __future__ import annotations

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ..core.checks.single import SingleValueChecker

#: what the dialog did, in :attr:`ValueEditorDialog.outcome`
CHANGED, DELETED, DESELECTED = "changed", "deleted", "deselected"


class ValueEditorDialog(QDialog):
    """Edit the value of ``finding`` (schema field ``finding.field``, feature ``finding.feature_id``)."""

    fixed = pyqtSignal(str, int, str)  # outcome, feature id, schema field

    def __init__(self, layer: QgsVectorLayer, finding, schema, layer_field: str = "", parent=None):
        super().__init__(parent)
        self.setObjectName("valueEditorDialog")
        self.layer = layer
        self.finding = finding
        self.schema_field = finding.field or ""
        self.layer_field = layer_field or self.schema_field
        self.fid = int(finding.feature_id)
        self.checker = SingleValueChecker(schema, self.schema_field)
        self.outcome = ""
        self.setWindowTitle(self.tr("Fix the value"))

        layout = QVBoxLayout(self)
        problem = QLabel(finding.message, self)
        problem.setObjectName("valueEditorProblem")
        problem.setWordWrap(True)
        layout.addWidget(problem)
        if finding.hint:
            hint = QLabel(finding.hint, self)
            hint.setObjectName("valueEditorHint")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #5f6368;")
            layout.addWidget(hint)

        form = QFormLayout()
        descriptor = self.checker.descriptor
        field_text = self.schema_field
        if self.layer_field != self.schema_field:
            field_text = self.tr("{schema} (layer field {layer})").format(
                schema=self.schema_field, layer=self.layer_field
            )
        form.addRow(self.tr("Field:"), QLabel(field_text, self))
        form.addRow(self.tr("Feature:"), QLabel(str(self.fid), self))
        if descriptor is not None and descriptor.description:
            expected = QLabel(descriptor.description, self)
            expected.setWordWrap(True)
            form.addRow(self.tr("Expected:"), expected)
        self.value_edit = QLineEdit(self)
        self.value_edit.setObjectName("valueEditorEdit")
        self.value_edit.setText(self._current_text())
        allowed = [str(v) for v in (descriptor.enum or [])] if descriptor is not None else []
        if allowed:  # a list of values: offered as the agent types
            completer = QCompleter(allowed, self.value_edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.value_edit.setCompleter(completer)
            shown = ", ".join(allowed[:12]) + (" …" if len(allowed) > 12 else "")
            choices = QLabel(shown, self)
            choices.setObjectName("valueEditorAllowed")
            choices.setWordWrap(True)
            form.addRow(self.tr("Allowed values:"), choices)
        form.addRow(self.tr("New value:"), self.value_edit)
        layout.addLayout(form)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("valueEditorStatus")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        note = QLabel(
            self.tr(
                "The layer goes into edit mode: nothing is written to its file until you save the layer's edits "
                "(you can still undo them)."
            ),
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(self.tr("Save the value"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("valueEditorSave")
        self.delete_button = QPushButton(self.tr("Delete the feature"), self)
        self.delete_button.setObjectName("valueEditorDelete")
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.deselect_button = QPushButton(self.tr("Deselect the feature"), self)
        self.deselect_button.setObjectName("valueEditorDeselect")
        self.deselect_button.setToolTip(
            self.tr("Remove the feature from the selection (checks and publications of the selected features only)")
        )
        self.buttons.addButton(self.deselect_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        from ..compat import provider_can

        self.delete_button.setEnabled(provider_can(layer, "DeleteFeatures"))
        layout.addWidget(self.buttons)

        self.save_button.clicked.connect(self.save_value)
        self.delete_button.clicked.connect(self.delete_feature)
        self.deselect_button.clicked.connect(self.deselect_feature)
        self.buttons.rejected.connect(self.reject)
        self.value_edit.textChanged.connect(self._validate)
        self.value_edit.returnPressed.connect(self.save_value)
        self._validate()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ValueEditorDialog", text)

    # ------------------------------------------------------------------ state
    def _field_index(self) -> int:
        return self.layer.fields().indexOf(self.layer_field)

    def _current_text(self) -> str:
        feature = self.layer.getFeature(self.fid)
        index = self._field_index()
        if not feature.isValid() or index < 0:
            return "" if self.finding.value is None else str(self.finding.value)
        value = feature.attribute(index)
        if value is None or (hasattr(value, "isNull") and value.isNull()):
            return ""
        return str(value)

    def problem_text(self) -> str:
        """The first problem of the typed value ("" when it passes the schema field's checks)."""
        problems = self.checker.problems(self.value_edit.text())
        if problems:
            return problems[0].message
        return self._conversion_problem()

    def _conversion_problem(self) -> str:
        index = self._field_index()
        if index < 0:
            return self.tr("The field « {field} » is not in the layer any more: check again.").format(
                field=self.layer_field
            )
        ok, _value = self._layer_value()
        if not ok:
            return self.tr(
                "The layer field « {field} » ({type}) cannot hold this value: use « Fix everything… » to convert "
                "the field."
            ).format(field=self.layer_field, type=self.layer.fields().at(index).typeName())
        return ""

    def _layer_value(self):
        text = self.checker.normalised(self.value_edit.text())
        if text is None:
            return True, None
        qgs_field = self.layer.fields().at(self._field_index())
        try:
            converted = qgs_field.convertCompatible(text)
        except ValueError:
            return False, None
        if qgs_field.isNumeric():
            # QGIS rounds « 12.5 » into an integer field and reads « 1,5 » as 15: refuse what changes the number
            try:
                same = float(text) == float(converted)
            except (TypeError, ValueError):
                same = False
            if not same:
                return False, None
        return True, converted

    def _validate(self, *_args) -> None:
        problem = self.problem_text()
        if problem:
            self.status_label.setText("✗ " + problem)
            self.status_label.setStyleSheet("color: #b00020;")
        else:
            self.status_label.setText("✓ " + self.tr("The value conforms to the schema field."))
            self.status_label.setStyleSheet("color: #1b7f3a;")
        self.save_button.setEnabled(not problem)

    # ------------------------------------------------------------------ actions
    def _edit(self) -> bool:
        if self.layer.isEditable() or self.layer.startEditing():
            return True
        self.status_label.setText(
            self.tr("QGIS cannot edit this layer (read-only source): use « Fix everything… » to make a corrected copy.")
        )
        self.status_label.setStyleSheet("color: #b00020;")
        return False

    def save_value(self) -> bool:
        if self.problem_text() or not self._edit():
            return False
        _ok, value = self._layer_value()
        self.layer.beginEditCommand(self.tr("Fix the value of {field}").format(field=self.layer_field))
        done = self.layer.changeAttributeValue(self.fid, self._field_index(), value)
        if done:
            self.layer.endEditCommand()
        else:
            self.layer.destroyEditCommand()
            self.status_label.setText(self.tr("QGIS refused the change (is the layer read-only?)."))
            return False
        return self._finish(CHANGED)

    def delete_feature(self) -> bool:
        if not self._edit():
            return False
        self.layer.beginEditCommand(self.tr("Delete a feature"))
        if not self.layer.deleteFeature(self.fid):
            self.layer.destroyEditCommand()
            self.status_label.setText(self.tr("QGIS refused to delete the feature (is the layer read-only?)."))
            return False
        self.layer.endEditCommand()
        return self._finish(DELETED)

    def deselect_feature(self) -> bool:
        self.layer.deselect(self.fid)
        return self._finish(DESELECTED)

    def _finish(self, outcome: str) -> bool:
        self.outcome = outcome
        self.fixed.emit(outcome, self.fid, self.schema_field)
        self.accept()
        return True

"""« Mise en conformité »: preview of the fixes, ticked by the agent, then conversion to a new layer.

:class:`ConformDialog` shows, per fix, how many values change with examples « avant → après », the
constant values to fill, what will remain to fix by hand and where to write the new layer. The
preview and the conversion run in background tasks (:class:`ConformPreviewTask`,
:class:`ConformTask`); the check page chains them (see ``CheckPage.open_conform``).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from qgis.core import QgsApplication, QgsVectorLayer
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.conform import fixes as fx
from .tasks import _FeedbackTask


class ConformPreviewTask(_FeedbackTask):
    """Counts what each fix would change (nothing is written)."""

    previewReady = pyqtSignal(object)  # ConformAnalysis

    def what(self) -> str:
        return QCoreApplication.translate("OpenDataTasks", "The preview of the fixes")

    def __init__(self, layer_input, schema, options, name: str = ""):
        super().__init__(
            QCoreApplication.translate("OpenDataTasks", "Preparing the fixes of {layer}").format(layer=name)
        )
        self.layer_input = layer_input
        self.schema = schema
        self.options = options

    def work(self):
        from ..core.conform.suggestions import analyse

        return analyse(self.layer_input, self.schema, self.options, feedback=self.feedback)

    def run(self) -> bool:
        ok = super().run()
        return ok and not getattr(self.result, "cancelled", False)

    def succeeded(self, value) -> None:
        self.previewReady.emit(value)


class ConformTask(_FeedbackTask):
    """Writes the new layer: a GeoPackage file (``path``), or features kept for a memory layer."""

    conversionReady = pyqtSignal(object, object)  # ConformAnalysis, ListSink (memory) or None (file)

    def what(self) -> str:
        return QCoreApplication.translate("OpenDataTasks", "The conversion")

    def __init__(self, layer_input, schema, options, path: str = "", layer_name: str = "", transform_context=None):
        super().__init__(
            QCoreApplication.translate("OpenDataTasks", "Making {layer} conform to the schema").format(
                layer=layer_input.name
            )
        )
        self.layer_input = layer_input
        self.schema = schema
        self.options = options
        self.path = path
        self.layer_name = layer_name
        self.transform_context = transform_context
        self.sink = None

    def work(self):
        from ..core.conform.output import check_written, gpkg_writer_factory
        from ..core.conform.pipeline import ListSink, convert

        if self.path:
            factory = gpkg_writer_factory(self.path, self.layer_name, self.transform_context)
            try:
                analysis = convert(self.layer_input, self.schema, self.options, factory, feedback=self.feedback)
            finally:
                factory.writer = None  # closes the file
            if not analysis.cancelled:
                written = QgsVectorLayer(f"{self.path}|layername={self.layer_name}", self.layer_name, "ogr")
                check_written(written, analysis.written, self.path)
            return analysis
        holder: Dict[str, Any] = {}

        def factory_memory(fields, wkb_type, crs):
            holder["sink"] = ListSink(fields, wkb_type, crs)
            return holder["sink"]

        analysis = convert(self.layer_input, self.schema, self.options, factory_memory, feedback=self.feedback)
        self.sink = holder.get("sink")
        return analysis

    def run(self) -> bool:
        ok = super().run()
        return ok and not getattr(self.result, "cancelled", False)

    def succeeded(self, value) -> None:
        self.conversionReady.emit(value, self.sink)


class ConformDialog(QDialog):
    """The preview: tick the fixes, type the constant values, choose the output."""

    ALWAYS_SHOWN = (fx.FIELDS, fx.CONSTANTS, fx.IDENTIFIERS)

    def __init__(
        self,
        analysis,
        parent: Optional[QWidget] = None,
        focus: Optional[Iterable[str]] = None,
        constants: Optional[Dict[str, str]] = None,
        constant_labels: Optional[Dict[str, str]] = None,
    ):
        """``focus``: fix ids to tick (« Corriger… » on one finding); None ticks the default ones.
        ``constants``: schema field -> proposed value (organisation profile); ``constant_labels``:
        schema field -> where the value comes from."""
        super().__init__(parent)
        self.setObjectName("ConformDialog")
        self.analysis = analysis
        self.focus = set(focus) if focus is not None else None
        self.proposed_constants = dict(constants or {})
        self.constant_labels = dict(constant_labels or {})
        self.fix_items: Dict[str, QTreeWidgetItem] = {}
        self.constant_edits: Dict[str, QLineEdit] = {}
        self.setWindowTitle(self.tr("Make the layer conform to the schema"))
        self.resize(760, 640)
        self._build()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ConformDialog", text)

    # ------------------------------------------------------------------ UI
    def _build(self) -> None:
        analysis = self.analysis
        layout = QVBoxLayout(self)
        schema = analysis.schema_title or analysis.schema_name
        intro = QLabel(
            self.tr(
                "A <b>new layer</b> will follow the schema « {schema} » ({n} features from « {layer} »). "
                "<b>The layer « {layer} » is not modified.</b> Tick the fixes to apply: each line says how many "
                "values change, with examples before → after."
            ).format(schema=_html(schema), layer=_html(analysis.layer_name), n=analysis.feature_count),
            self,
        )
        intro.setWordWrap(True)
        intro.setObjectName("conformIntro")
        layout.addWidget(intro)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("fixesTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Fix"), self.tr("Changes")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        layout.addWidget(self.tree, 3)
        for fix_id in fx.FIX_IDS:
            if fix_id not in analysis.available:
                continue
            count = analysis.count(fix_id)
            if count == 0 and fix_id not in self.ALWAYS_SHOWN and fix_id not in (self.focus or ()):
                continue
            if fix_id == fx.CONSTANTS and not self._constant_fields():
                continue
            self._add_fix_item(fix_id, count)
        self.tree.expandAll()
        self.tree.itemChanged.connect(self._item_changed)

        self.constants_box = QGroupBox(self.tr("Constant values (filled where the value is empty)"), self)
        self.constants_box.setObjectName("constantsBox")
        form = QFormLayout(self.constants_box)
        for name in self._constant_fields():
            edit = QLineEdit(self.constants_box)
            edit.setObjectName(f"constant_{name}")
            edit.setText(str(self.proposed_constants.get(name, "")))
            empty = analysis.empty_counts.get(name, 0)
            source = self.constant_labels.get(name)
            edit.setPlaceholderText(self.tr("value for the {n} features without one").format(n=empty))
            tip = self.tr("{n} features have no value for « {field} ».").format(n=empty, field=name)
            if source:
                tip += " " + self.tr("Proposed from the organisation profile ({what}).").format(what=source)
            edit.setToolTip(tip)
            edit.textChanged.connect(self._constants_changed)
            self.constant_edits[name] = edit
            label = QLabel(self.tr("{field} ({n} empty)").format(field=name, n=empty), self.constants_box)
            label.setToolTip(tip)
            form.addRow(label, edit)
        self.constants_box.setVisible(bool(self.constant_edits))
        layout.addWidget(self.constants_box)

        self.remaining_label = QLabel(self)
        self.remaining_label.setObjectName("remainingLabel")
        self.remaining_label.setWordWrap(True)
        self.remaining_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.remaining_label)
        self._update_remaining()

        output_box = QGroupBox(self.tr("New layer"), self)
        output_layout = QVBoxLayout(output_box)
        self.memory_radio = QRadioButton(self.tr("Temporary layer (lost when QGIS closes unless you save it)"))
        self.memory_radio.setObjectName("memoryRadio")
        self.gpkg_radio = QRadioButton(self.tr("GeoPackage file"))
        self.gpkg_radio.setObjectName("gpkgRadio")
        self.memory_radio.setChecked(True)
        output_layout.addWidget(self.memory_radio)
        row = QHBoxLayout()
        row.addWidget(self.gpkg_radio)
        self.file_widget = QgsFileWidget(output_box)
        self.file_widget.setObjectName("gpkgFile")
        self.file_widget.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.file_widget.setFilter(self.tr("GeoPackage (*.gpkg)"))
        self.file_widget.setEnabled(False)
        row.addWidget(self.file_widget, 1)
        output_layout.addLayout(row)
        self.gpkg_radio.toggled.connect(self.file_widget.setEnabled)
        self.gpkg_radio.toggled.connect(self._update_ok)
        self.file_widget.fileChanged.connect(self._update_ok)
        if analysis.output_crs:
            crs_label = QLabel(self.tr("Coordinate system of the new layer: {crs}").format(crs=analysis.output_crs))
            crs_label.setObjectName("crsLabel")
            output_layout.addWidget(crs_label)
        layout.addWidget(output_box)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Create the conforming layer"))
        self.ok_button.setIcon(QgsApplication.getThemeIcon("/mActionFileSave.svg"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _constant_fields(self) -> List[str]:
        analysis = self.analysis
        names = list(self.proposed_constants)
        for name in analysis.required_fields:
            if name in names or name in analysis.computed_fields:
                continue
            empty = analysis.empty_counts.get(name, 0)
            if empty and (name in analysis.missing_fields or empty == analysis.feature_count):
                names.append(name)  # a required column with no value at all: a constant is the usual answer
        return names

    def _add_fix_item(self, fix_id: str, count: int) -> None:
        info = fx.fix_info(fix_id)
        analysis = self.analysis
        item = QTreeWidgetItem(self.tree, [info.title, ""])
        item.setData(0, Qt.ItemDataRole.UserRole, fix_id)
        item.setToolTip(0, info.help)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        ticked = fix_id in analysis.enabled if self.focus is None else (fix_id in self.focus or fix_id == fx.FIELDS)
        if fix_id == fx.CONSTANTS:
            ticked = ticked or bool(self.proposed_constants) and (self.focus is None or fix_id in self.focus)
        if fix_id == fx.IDENTIFIERS and self.focus is None and analysis.identifier is not None:
            # missing identifiers: built by default, else a second pass is needed (existing ones are kept)
            ticked = ticked or bool(analysis.empty_counts.get(analysis.identifier.field, 0))
        item.setCheckState(0, Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.fix_items[fix_id] = item
        if fix_id == fx.FIELDS:
            item.setText(1, "")
            for name, layer in analysis.suggested.items():
                QTreeWidgetItem(item, [self.tr("« {layer} » becomes « {name} »").format(layer=layer, name=name), ""])
            if analysis.dropped_fields:
                QTreeWidgetItem(
                    item,
                    [
                        self.tr("Not kept (unknown to the schema): {names}").format(
                            names=", ".join(analysis.dropped_fields)
                        ),
                        "",
                    ],
                )
            missing = [n for n in analysis.missing_fields if n not in analysis.suggested]
            if missing:
                QTreeWidgetItem(
                    item, [self.tr("Added, empty unless filled below: {names}").format(names=", ".join(missing)), ""]
                )
            if not (analysis.suggested or analysis.dropped_fields or missing):
                QTreeWidgetItem(item, [self.tr("Same fields as the schema: they are only put in its order."), ""])
            return
        if fix_id == fx.IDENTIFIERS and analysis.identifier is not None:
            item.setToolTip(
                0, info.help + " " + self.tr("Example: {example}").format(example=analysis.identifier.example)
            )
        item.setText(1, self._count_text(fix_id, count))
        stats = analysis.stats.get(fix_id)
        for field_name, before, after in stats.examples if stats else []:
            child = QTreeWidgetItem(item, [f"{field_name} : {before}  →  {after}", ""])
            child.setToolTip(0, f"{field_name} : {before} → {after}")
        if count == 0:
            QTreeWidgetItem(item, [self.tr("Nothing to change in this layer."), ""])

    def _count_text(self, fix_id: str, count: int) -> str:
        if count == 0:
            return self.tr("nothing")
        if fix_id in (fx.REPROJECT, fx.MAKE_VALID):
            return self.tr("1 geometry") if count == 1 else self.tr("{n} geometries").format(n=count)
        return self.tr("1 value") if count == 1 else self.tr("{n} values").format(n=count)

    # ------------------------------------------------------------------ behaviour
    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0 and item.data(0, Qt.ItemDataRole.UserRole) == fx.CONSTANTS:
            self.constants_box.setEnabled(item.checkState(0) == Qt.CheckState.Checked)
        self._update_remaining()

    def _constants_changed(self, *_args) -> None:
        item = self.fix_items.get(fx.CONSTANTS)
        if item is not None and any(edit.text().strip() for edit in self.constant_edits.values()):
            item.setCheckState(0, Qt.CheckState.Checked)
        self._update_remaining()

    def _update_remaining(self) -> None:
        analysis = self.analysis
        lines = []
        for name, count in analysis.untyped.items():
            examples = ", ".join(analysis.untyped_examples.get(name, [])[:3])
            lines.append(
                self.tr("« {field} »: {n} values cannot be read ({examples}); the field stays text.").format(
                    field=_html(name), n=count, examples=_html(examples)
                )
            )
        constants = self.fix_items.get(fx.CONSTANTS)
        filled = constants is not None and constants.checkState(0) == Qt.CheckState.Checked
        for name, count in getattr(analysis, "blanked", {}).items():
            if filled and self.constant_edits.get(name) is not None and self.constant_edits[name].text().strip():
                continue
            lines.append(
                self.tr(
                    "« {field} »: {n} values are only spaces: they become empty, and the schema requires a value."
                ).format(field=_html(name), n=count)
            )
        if lines:
            text = "<b>" + self.tr("To fix by hand afterwards (no machine can decide):") + "</b><br>"
            self.remaining_label.setText(text + "<br>".join(lines))
        else:
            self.remaining_label.setText(
                self.tr("After the conversion, the layer is checked again: what remains is listed in the table.")
            )

    def _update_ok(self, *_args) -> None:
        self.ok_button.setEnabled(not self.gpkg_radio.isChecked() or bool(self.file_widget.filePath().strip()))

    # ------------------------------------------------------------------ API
    def selected_fixes(self) -> List[str]:
        return [fix_id for fix_id, item in self.fix_items.items() if item.checkState(0) == Qt.CheckState.Checked]

    def set_fix_checked(self, fix_id: str, checked: bool) -> None:
        item = self.fix_items.get(fix_id)
        if item is not None:
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def constants(self) -> Dict[str, str]:
        return {name: edit.text().strip() for name, edit in self.constant_edits.items() if edit.text().strip()}

    def output_path(self) -> str:
        """ "" for a temporary layer, else the GeoPackage path (with its .gpkg suffix)."""
        if not self.gpkg_radio.isChecked():
            return ""
        path = self.file_widget.filePath().strip()
        if path and not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return path

    def set_output_path(self, path: str) -> None:
        self.gpkg_radio.setChecked(bool(path))
        self.file_widget.setFilePath(path)


def _html(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""« Corriger… » and « Tout corriger… » of the « Vérifier » page: prepare the preview of the fixes from the
last check (background task), show the conversion dialog, write the conforming layer (background task), add
it next to the source and check it. The checked layer is never modified.
"""

from __future__ import annotations

from typing import List, Optional

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QObject

from opendata_publisher.core.layer_properties import SCHEMA_PROPERTY


class ConformLauncher(QObject):
    """The conform steps of one check page (``page``: its last check, its tasks and its summary line)."""

    TASKS = ("conform-preview", "conform")

    def __init__(self, page):
        super().__init__(page)
        self.page = page
        self.request: dict = {}  # what the running preview/conversion was asked for
        self.dialog = None  # the open conversion dialog
        self.conformed_layer: Optional[QgsVectorLayer] = None  # the last layer created
        self.last_conform = None  # its ConformAnalysis

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ConformLauncher", text)

    def fix_current_group(self) -> None:
        """« Corriger… »: the preview with the fixes of the selected problem ticked."""
        group = self.page.findings_view.current_group()
        self.open_conform([group.code] if group is not None else None)

    def open_conform(self, codes: Optional[List[str]] = None) -> None:
        """Preview the fixes (background task), then show the dialog. ``codes``: the finding codes
        asked for (None: everything that can be fixed)."""
        if set(self.TASKS) & set(self.page.running_tasks()):
            return
        layer = self.page.report_layer()
        schema = self.page.report_schema
        if layer is None or schema is None or self.page.report is None:
            self.page.show_error(self.tr("Check the layer first: the fixes are prepared from the check."))
            return
        from opendata_publisher.core.conform.fixes import fixes_for_code
        from opendata_publisher.core.conform.model import ConformOptions
        from opendata_publisher.core.conform.suggestions import (
            constant_candidates,
            organisation_profile,
            suggest_constants,
        )

        from .conform_dialog import ConformPreviewTask

        focus = None
        if codes:
            focus = {fix_id for code in codes for fix_id in fixes_for_code(code)}
        try:
            layer_input = self.page.make_layer_input(layer, False)
            mapping = self.page.load_mapping(layer, schema)
            profile = organisation_profile()
        except Exception as exc:
            self.page.show_error(
                self.tr("The layer « {layer} » cannot be read ({error}). Check that its file is still there.").format(
                    layer=layer.name(), error=exc
                )
            )
            return
        constants = suggest_constants(schema, profile)
        from opendata_publisher.core.conform.suggestions import PROFILE_LABELS

        labels = {name: PROFILE_LABELS[key] for name, key in constant_candidates(schema).items() if name in constants}
        self.request = {
            "layer_id": layer.id(),
            "schema": schema,
            "mapping": mapping,
            "focus": focus,
            "constants": constants,
            "labels": labels,
            "reference": layer.customProperty(SCHEMA_PROPERTY) or self.page.current_reference(),
        }
        options = ConformOptions(mapping=mapping, constants=constants)
        task = ConformPreviewTask(layer_input, schema, options, layer.name())
        task.previewReady.connect(self._conform_preview_ready)
        task.failed.connect(lambda message: self._conform_failed("conform-preview", message))
        task.cancelledByUser.connect(lambda: self._conform_cancelled("conform-preview"))
        self.page.set_running(True, self.tr("Preparing the fixes of « {layer} »…").format(layer=layer.name()))
        self.page.start_task("conform-preview", task)

    def _conform_preview_ready(self, analysis) -> None:
        self.page.task_done("conform-preview")
        self.page.set_running(False)
        if self.page.report is not None:
            self.page.set_summary(self.page.summary_text(self.page.report), "/mIconInfo.svg")
        request = self.request
        from .conform_dialog import ConformDialog

        dialog = ConformDialog(
            analysis,
            self.page,
            focus=request.get("focus"),
            constants=request.get("constants"),
            constant_labels=request.get("labels"),
        )
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._start_conversion(dialog))
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.open()

    def _start_conversion(self, dialog) -> None:
        request = self.request
        layer = QgsProject.instance().mapLayer(request.get("layer_id", ""))
        if not isinstance(layer, QgsVectorLayer):
            self.page.show_error(self.tr("The checked layer is no longer in the project: check again."))
            return
        from opendata_publisher.core.conform.model import ConformOptions
        from opendata_publisher.core.conform.output import conform_layer_name, layer_file, safe_layer_name, same_file

        from .conform_dialog import ConformTask

        path = dialog.output_path()
        if path and same_file(path, layer_file(layer)):
            self.page.show_error(
                self.tr(
                    "The output file « {path} » is the file of the layer to convert: writing it would destroy "
                    "the source layer. Choose another file; « {layer} » was not modified."
                ).format(path=path, layer=layer.name())
            )
            return
        options = ConformOptions(
            fixes=dialog.selected_fixes(), mapping=request.get("mapping"), constants=dialog.constants()
        )
        request["path"] = path
        request["name"] = conform_layer_name(layer.name())
        task = ConformTask(
            self.page.make_layer_input(layer, False),
            request["schema"],
            options,
            path=path,
            layer_name=safe_layer_name(f"{layer.name()}_conforme"),
            transform_context=QgsProject.instance().transformContext(),
        )
        task.conversionReady.connect(self._conversion_done)
        task.failed.connect(lambda message: self._conform_failed("conform", message))
        task.cancelledByUser.connect(lambda: self._conform_cancelled("conform"))
        self.page.set_running(
            True, self.tr("Creating the conforming layer from « {layer} »…").format(layer=layer.name())
        )
        self.page.start_task("conform", task)

    def _conversion_done(self, analysis, sink) -> None:
        self.page.task_done("conform")
        self.page.set_running(False)
        request = self.request
        from opendata_publisher.core.conform.output import add_next_to, finish_layer, memory_layer, safe_layer_name

        source = QgsProject.instance().mapLayer(request.get("layer_id", ""))
        source = source if isinstance(source, QgsVectorLayer) else None
        name = request.get("name") or analysis.layer_name
        if sink is not None:
            new_layer = memory_layer(sink, name)
        else:
            uri = f"{request.get('path')}|layername={safe_layer_name(f'{analysis.layer_name}_conforme')}"
            new_layer = QgsVectorLayer(uri, name, "ogr")
        if not new_layer.isValid():
            self.page.show_error(self.tr("The new layer cannot be opened: choose another file and try again."))
            return
        finish_layer(new_layer, analysis, source, request.get("reference", ""))
        add_next_to(new_layer, source)
        self.conformed_layer = new_layer
        self.last_conform = analysis
        note = self.tr(
            "« {layer} » created: {n} values fixed. « {source} » is unchanged. The new layer is being "
            "checked: what remains is listed above."
        ).format(layer=new_layer.name(), n=analysis.fixed_count, source=analysis.layer_name)
        # kept until the check of the new layer is shown (it ends after this method in a real task)
        self.page._pending_note = (new_layer.id(), note)
        self.page._name_after_check = new_layer.id()
        self.page.set_layer(new_layer)
        self.page.selected_only_check.setChecked(False)
        self.page.run_check()
        self.page.info_label.setText(note)

    def _conform_failed(self, name: str, message: str) -> None:
        self.page.task_done(name)
        self.page.set_running(False)
        self.page.show_error(message)

    def _conform_cancelled(self, name: str) -> None:
        self.page.task_done(name)
        self.page.set_running(False)
        self.page.set_summary(self.tr("Fixing cancelled: no layer was created."), "/mIconWarning.svg")

"""The GUI page toolkit (issue 16, item 7): one task host, one layer picker, one base class of expected errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QWidget

from opendata_publisher.core.schema.catalogue import CatalogueError
from opendata_publisher.core.schema.model import SchemaError
from opendata_publisher.errors import UserFacingError
from opendata_publisher.gui.tasks import _FeedbackTask, user_message
from opendata_publisher.gui.widgets.layer_picker import LayerPicker, chosen_layer, vector_layer_combo
from opendata_publisher.gui.widgets.task_host import TaskHost, own_signal_names
from opendata_publisher.toolbelt.network import NetworkError

GUI = Path(__file__).resolve().parents[2] / "opendata_publisher" / "gui"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "error",
    [
        CatalogueError("Le catalogue est illisible : réessayez."),
        SchemaError("Le fichier schema.json est abîmé."),
        NetworkError("https://example.invalid/schemas.json", kind="timeout"),
    ],
)
def test_our_errors_reach_the_agent_as_they_are(error):
    assert isinstance(error, UserFacingError)
    assert user_message(error, "La vérification") == str(error)


def test_an_error_of_someone_else_is_a_bug_whatever_its_name():
    """Matching by class name took any « CatalogueError » (and named two classes that do not exist)."""

    class CatalogueError(Exception):  # noqa: N818 - the name is the point
        pass

    class ValidationError(Exception):  # noqa: N818
        pass

    for error in (CatalogueError("boom"), ValidationError("boom")):
        message = user_message(error, "La vérification")
        assert message != "boom" and f"{type(error).__name__}: boom" in message


# --------------------------------------------------------------------------- task host


class _Probe(_FeedbackTask):
    answered = pyqtSignal(str)

    def work(self):
        return "fait"

    def succeeded(self, value) -> None:
        self.answered.emit(value)


class _Owner:
    run_inline = True


def test_the_host_runs_a_task_and_forgets_it_once_answered():
    host = TaskHost(_Owner())
    task = _Probe("sonde")
    answers = []
    task.answered.connect(lambda value: (answers.append(value), host.done("probe")))
    host.start("probe", task)
    assert answers == ["fait"] and host.names() == [] and not host


def test_cleanup_disconnects_the_task_from_its_page_but_not_from_qgis():
    owner = _Owner()
    owner.run_inline = False
    host = TaskHost(owner)
    task = _Probe("sonde")
    heard, progress = [], []
    task.answered.connect(heard.append)
    task.failed.connect(heard.append)
    task.cancelledByUser.connect(lambda: heard.append("annulé"))
    task.progressChanged.connect(progress.append)
    host.keep("probe", task)
    assert own_signal_names(task) == ["answered", "failed", "cancelledByUser"]
    assert "probe" in host
    host.cleanup()
    host.cleanup()  # twice is harmless
    assert task.isCanceled() and host.names() == []
    task.answered.emit("trop tard")
    task.failed.emit("trop tard")
    task.cancelledByUser.emit()
    assert heard == []
    task.setProgress(40)
    assert progress == [40.0]


def test_cancelling_a_task_already_deleted_by_qgis_forgets_it():
    class Deleted:
        def cancel(self):
            raise RuntimeError("wrapped C/C++ object has been deleted")

    host = TaskHost(_Owner())
    host.keep("gone", Deleted())
    host.cancel()
    assert host.names() == []


def test_no_page_lists_task_signals_or_watches_layer_removal_by_hand():
    by_hand = []
    for path in sorted(GUI.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if '"cancelledByUser"' in text or "getattr(task, signal_name)" in text:
            by_hand.append(f"{path.name}: disconnects task signals by name")
        if path.name not in ("layer_picker.py", "flow.py") and "layersWillBeRemoved.connect" in text:
            by_hand.append(f"{path.name}: connects layersWillBeRemoved itself")
    assert by_hand == []


# --------------------------------------------------------------------------- layer picker


def test_the_layer_picker_follows_the_combo_and_the_removals_until_disconnected():
    parent = QWidget()
    first = QgsVectorLayer("Point?crs=EPSG:2154&field=nom:string", "premiere", "memory")
    second = QgsVectorLayer("Point?crs=EPSG:2154&field=nom:string", "seconde", "memory")
    QgsProject.instance().addMapLayers([first, second])
    try:
        removed, changed = [], []
        picker = LayerPicker(lambda ids: removed.append(list(ids)))
        combo = vector_layer_combo(parent, "comboTest", "La couche")
        picker.attach(combo, changed.append)
        assert combo.objectName() == "comboTest" and combo.toolTip() == "La couche"
        combo.setLayer(second)
        assert changed[-1] is second and chosen_layer(combo) is second
        first_id = first.id()
        QgsProject.instance().removeMapLayer(first_id)
        assert removed == [[first_id]]
        picker.disconnect()
        picker.disconnect()
        count = len(changed)
        combo.setLayer(None)
        QgsProject.instance().removeMapLayer(second.id())
        assert removed == [[first_id]] and len(changed) == count
    finally:
        QgsProject.instance().removeAllMapLayers()
        parent.deleteLater()

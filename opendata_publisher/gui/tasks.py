"""Background tasks (QgsTask) of the dock: catalogue listing, schema loading, validation.

Rules followed here:

* ``run()`` never touches a widget nor a layer: the :class:`LayerInput` is built
  on the main thread before the task starts;
* the page keeps a Python reference to every running task (otherwise Python
  would collect it while QGIS runs it) and drops it once the result signal or
  the failure signal has been received (the task manager then deletes the task);
* exceptions raised in ``run()`` are kept and turned into French messages in
  ``finished()`` (emitted with :attr:`failed`); cancelling is not a failure:
  :attr:`cancelledByUser` is emitted instead;
* cancelling the task cancels the :class:`QgsFeedback` given to the core
  function, and the feedback's progress drives the task's progress.

For tests, :func:`run_task_inline` runs a task synchronously in the calling thread.
"""

from __future__ import annotations

import contextlib
import traceback
from typing import Any, Callable, Optional

from qgis.core import Qgis, QgsFeedback, QgsTask
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal

from opendata_publisher.errors import UserFacingError


def _log(message: str, level=None) -> None:
    try:
        from opendata_publisher.toolbelt.log import log
    except ImportError:  # pragma: no cover - toolbelt always ships with the plugin
        return
    with contextlib.suppress(Exception):  # never let logging break a task
        log(message, level if level is not None else Qgis.MessageLevel.Warning)


def _expected(exc: BaseException) -> bool:
    """Our own errors: an expected situation (no network, bad file…) with a French message saying what to do."""
    return isinstance(exc, UserFacingError)


def user_message(exc: BaseException, what: str) -> str:
    """A French, user-facing sentence for an exception raised by a task.

    Our own errors (catalogue, network, schema) already carry a French message
    saying what to do; anything else is a bug: say so, and where to look.
    """
    if _expected(exc):
        return str(exc)
    # fmt: off
    text = QCoreApplication.translate("OpenDataTasks", "{what} failed because of an unexpected error ({error}). Try again; if it happens again, report it with the content of the « Open Data Publisher » tab of the log messages panel.")  # noqa: E501 - one line, so that pylupdate5 finds it
    # fmt: on
    return text.format(what=what, error=f"{type(exc).__name__}: {exc}")


class _FeedbackTask(QgsTask):
    """A cancellable task with a QgsFeedback tied to it."""

    failed = pyqtSignal(str)
    cancelledByUser = pyqtSignal()

    def what(self) -> str:
        """Shown in messages: « {what} failed… »."""
        return QCoreApplication.translate("OpenDataTasks", "The task")

    def __init__(self, description: str, flags=QgsTask.Flag.CanCancel):
        super().__init__(description, flags)
        self.feedback = QgsFeedback()
        # setProgress is thread-safe: call it directly from the worker thread
        self.feedback.progressChanged.connect(self.setProgress, Qt.ConnectionType.DirectConnection)
        self.exception: Optional[BaseException] = None
        self.result: Any = None

    def cancel(self) -> None:  # called by the task manager's cancel button too
        self.feedback.cancel()
        super().cancel()

    def run(self) -> bool:
        try:
            self.result = self.work()
        except Exception as exc:  # reported in finished(), on the main thread
            self.exception = exc
            if _expected(exc):  # no network, unreadable schema…: the French message is shown, no traceback
                _log(f"{self.description()} : {exc}", Qgis.MessageLevel.Info)
            else:
                _log(f"{self.description()}: {''.join(traceback.format_exception(type(exc), exc, exc.__traceback__))}")
            return False
        return not self.feedback.isCanceled()

    def work(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def finished(self, result: bool) -> None:
        if result:
            self.succeeded(self.result)
        elif self.exception is not None:
            self.failed.emit(user_message(self.exception, self.what()))
        else:
            self.cancelledByUser.emit()

    def succeeded(self, value: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class CatalogueTask(_FeedbackTask):
    """Lists the Table Schemas of the catalogue (network, or the disk cache)."""

    entriesReady = pyqtSignal(list, bool)  # entries, offline (served from the cache)

    def what(self) -> str:
        return QCoreApplication.translate("OpenDataTasks", "Loading the schema catalogue")

    def __init__(self, catalogue, refresh: bool = False):
        super().__init__(QCoreApplication.translate("OpenDataTasks", "Loading the schema catalogue"))
        self.catalogue = catalogue
        self.refresh = refresh

    def work(self):
        return list(self.catalogue.entries(refresh=self.refresh))

    def succeeded(self, value) -> None:
        self.entriesReady.emit(value, bool(getattr(self.catalogue, "offline", False)))


class SchemaTask(_FeedbackTask):
    """Loads one schema: ``name@version`` from the catalogue, a local path or a URL."""

    schemaReady = pyqtSignal(str, object)  # reference, TableSchema

    def what(self) -> str:
        return QCoreApplication.translate("OpenDataTasks", "Loading the schema")

    def __init__(self, reference: str, catalogue=None, loader: Optional[Callable] = None):
        super().__init__(QCoreApplication.translate("OpenDataTasks", "Loading the schema {ref}").format(ref=reference))
        self.reference = reference
        self.catalogue = catalogue
        self.loader = loader

    def work(self):
        loader = self.loader
        if loader is None:
            from opendata_publisher.core.schema.catalogue import load_schema_reference as loader
        return loader(self.reference, self.catalogue)

    def succeeded(self, value) -> None:
        self.schemaReady.emit(self.reference, value)


class ValidationTask(_FeedbackTask):
    """Checks a layer (already read into a LayerInput) against a schema."""

    reportReady = pyqtSignal(object)  # ValidationReport

    def what(self) -> str:
        return QCoreApplication.translate("OpenDataTasks", "The check")

    def __init__(self, layer_input, schema, mapping=None, validate_func: Optional[Callable] = None, name: str = ""):
        super().__init__(
            QCoreApplication.translate("OpenDataTasks", "Checking {layer} against the schema").format(
                layer=name or QCoreApplication.translate("OpenDataTasks", "the layer")
            )
        )
        self.layer_input = layer_input
        self.schema = schema
        self.mapping = mapping
        self.validate_func = validate_func

    def work(self):
        validate = self.validate_func
        if validate is None:
            from opendata_publisher.core.validation import validate
        return validate(self.layer_input, self.schema, self.mapping, feedback=self.feedback)

    def run(self) -> bool:
        ok = super().run()
        # a cancelled validation still returns a (partial) report flagged cancelled: show it as cancelled
        if self.result is not None and getattr(self.result, "cancelled", False):
            return False
        return ok

    def succeeded(self, value) -> None:
        self.reportReady.emit(value)


def run_task_inline(task: QgsTask) -> bool:
    """Run a task synchronously (tests, or when no task manager is wanted)."""
    result = bool(task.run())
    task.finished(result)
    return result

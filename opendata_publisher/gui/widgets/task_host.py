"""The background tasks of one dock page (or dialog), by name: one place that starts, cancels, forgets and
cleans them up.

A page keeps a Python reference to every running task (otherwise Python would collect it while QGIS runs it)
and drops it once the task has answered. On :meth:`TaskHost.cleanup` (the dock is closing), every signal that
the task's own classes declare (``reportReady``, ``failed``, ``cancelledByUser``…) is disconnected before the
task is cancelled, so that a task finishing later never calls a page that is gone; the signals of QgsTask
itself stay connected (the task manager follows them).
"""

from __future__ import annotations

import contextlib
from typing import Any, Dict, List, Optional

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import pyqtSignal

from ..tasks import run_task_inline

#: where QgsTask, QObject and their bases come from: their signals are QGIS's, not the page's
_FRAMEWORK_MODULES = ("qgis", "PyQt5", "PyQt6", "sip", "builtins")


def own_signal_names(task: Any) -> List[str]:
    """The signals declared by the task's own classes (not those of QgsTask or QObject)."""
    names: List[str] = []
    for cls in type(task).__mro__:
        if cls.__module__.split(".", 1)[0] in _FRAMEWORK_MODULES:
            continue
        names += [name for name, value in vars(cls).items() if isinstance(value, pyqtSignal) and name not in names]
    return names


def disconnect_own_signals(task: Any) -> None:
    for name in own_signal_names(task):
        with contextlib.suppress(TypeError, RuntimeError):
            getattr(task, name).disconnect()


class TaskHost:
    """The named tasks of ``owner``; a task runs in QGIS's task manager, or at once in the calling thread
    when ``owner.run_inline`` is true (tests)."""

    def __init__(self, owner: Any):
        self._owner = owner
        self._tasks: Dict[str, Any] = {}

    def start(self, name: str, task: Any) -> None:
        self._tasks[name] = task
        if getattr(self._owner, "run_inline", False):
            run_task_inline(task)
        else:
            QgsApplication.taskManager().addTask(task)

    def keep(self, name: str, task: Any) -> None:
        """Hold ``task`` under ``name`` without starting it (it is started elsewhere)."""
        self._tasks[name] = task

    def get(self, name: str) -> Optional[Any]:
        return self._tasks.get(name)

    def names(self) -> List[str]:
        return list(self._tasks)

    def __contains__(self, name: str) -> bool:
        return name in self._tasks

    def __bool__(self) -> bool:
        return bool(self._tasks)

    def done(self, name: Optional[str] = None) -> None:
        """Forget the task ``name`` (every task when None): it has answered."""
        if name is None:
            self._tasks.clear()
        else:
            self._tasks.pop(name, None)

    def cancel(self, *names: str) -> None:
        """Ask the tasks ``names`` (every task when none is given) to stop; they answer with cancelledByUser."""
        for name in names or tuple(self._tasks):
            task = self._tasks.get(name)
            if task is None:
                continue
            try:
                task.cancel()
            except RuntimeError:  # already deleted by the task manager
                self._tasks.pop(name, None)

    def cleanup(self) -> None:
        """Disconnect the tasks from their page and cancel them (the page is going away). Safe to call twice."""
        for task in list(self._tasks.values()):
            disconnect_own_signals(task)
            with contextlib.suppress(RuntimeError):
                task.cancel()
        self._tasks.clear()

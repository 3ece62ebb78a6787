"""Refresh of the metropolis' shared profile a few seconds after QGIS started (issue 13).

At start-up the plugin only arms a timer (nothing is imported, nothing read: start-up stays light). When it
fires and a shared profile is configured, a background :class:`QgsTask` reads it again through the QGIS
network stack (``core.shared_profile.configured_profile(refresh=True)``): the cache is updated, or the last
good copy stays in use. A problem is said once in the QGIS message bar, in French, and logged.
"""

from __future__ import annotations

from typing import Callable, Optional

from qgis.core import Qgis, QgsApplication, QgsTask
from qgis.PyQt.QtCore import QCoreApplication

from ..toolbelt.log import log


class ProfileRefreshTask(QgsTask):
    """Reads the configured shared profile again (network or file) without blocking QGIS."""

    def __init__(self, settings, on_done: Optional[Callable] = None):
        super().__init__(
            QCoreApplication.translate("ProfileRefreshTask", "Reading the shared open data profile"),
            QgsTask.Flag.CanCancel,
        )
        self.settings = settings
        self.on_done = on_done
        self.result = None

    def run(self) -> bool:
        from ..core.shared_profile import configured_profile

        try:
            self.result = configured_profile(self.settings, refresh=True)
        except Exception as exc:  # noqa: BLE001 - a refresh never breaks QGIS: the cached profile stays
            log(f"Profil partagé : relecture impossible ({type(exc).__name__} : {exc}).", Qgis.MessageLevel.Warning)
            return False
        return True

    def finished(self, ok: bool) -> None:  # noqa: D401 - QgsTask API
        message = self.result.message if (ok and self.result is not None) else ""
        if message:
            log(message, Qgis.MessageLevel.Warning)
        if self.on_done is not None:
            self.on_done(self.result, message)


def refresh_shared_profile(iface=None, run_inline: bool = False) -> Optional[ProfileRefreshTask]:  # noqa: QGS105
    """Start the refresh when a shared profile is configured (None otherwise). ``run_inline``: tests."""
    from ..toolbelt.settings import PluginSettings

    settings = PluginSettings.load()
    if not settings.shared_profile.strip():
        return None

    def done(_result, message: str) -> None:
        if message and iface is not None:
            iface.messageBar().pushMessage(
                QCoreApplication.translate("ProfileRefreshTask", "Shared open data profile"),
                message.replace("\n", " "),
                Qgis.MessageLevel.Warning,
                10,
            )

    task = ProfileRefreshTask(settings, done)
    if run_inline:
        task.finished(task.run())
    else:
        QgsApplication.taskManager().addTask(task)
    return task

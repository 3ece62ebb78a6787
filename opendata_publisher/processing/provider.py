"""Processing provider "Données ouvertes" (id ``opendata_publisher``): the plugin's algorithms.

Algorithms are listed in :data:`ALGORITHMS` as ``(module, class name)`` and imported inside
:meth:`OpenDataProvider.loadAlgorithms`, so a broken or missing algorithm module is logged and skipped
instead of breaking the whole provider (and QGIS start-up).
"""

from __future__ import annotations

import importlib

from qgis.core import Qgis, QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..__about__ import PACKAGE_DIR, __version__
from ..toolbelt.log import log

PROVIDER_ID = "opendata_publisher"

#: (module relative to this package, class name); add new algorithms here.
ALGORITHMS = [
    (".validate_layer", "ValidateLayerAlgorithm"),
    (".export_metadata", "ExportMetadataAlgorithm"),
    (".legal_check", "LegalCheckAlgorithm"),
    (".publish_layer", "PublishLayerAlgorithm"),
    (".publish_project", "PublishProjectAlgorithm"),
    (".conform_layer", "ConformLayerAlgorithm"),
    (".check_profile", "CheckProfileAlgorithm"),
    (".territory_dashboard", "TerritoryDashboardAlgorithm"),
]


class OpenDataProvider(QgsProcessingProvider):
    """The "Données ouvertes" group of the Processing toolbox."""

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("OpenDataProvider", text)

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return self.tr("Open data publisher")

    def longName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Open data publisher {version}").format(version=__version__)

    def icon(self) -> QIcon:
        return QIcon(str(PACKAGE_DIR / "resources" / "icon.svg"))

    def svgIconPath(self) -> str:  # noqa: N802 - QGIS API
        return str(PACKAGE_DIR / "resources" / "icon.svg")

    def loadAlgorithms(self) -> None:  # noqa: N802 - QGIS API
        for module_name, class_name in ALGORITHMS:
            try:
                module = importlib.import_module(module_name, __package__)
                algorithm_class = getattr(module, class_name)
            except Exception as exc:  # noqa: BLE001 - one broken algorithm must not hide the others
                log(
                    f"Algorithme {class_name} indisponible ({type(exc).__name__} : {exc}). "
                    "Réinstallez l'extension ; si le problème persiste, signalez-le.",
                    Qgis.MessageLevel.Warning,
                )
                continue
            self.addAlgorithm(algorithm_class())

"""What every algorithm of the provider shares."""

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtCore import QCoreApplication


class OpenDataAlgorithm(QgsProcessingAlgorithm):
    """Translations in the algorithm's own context (its class name, as pylupdate5 records it) and a fresh
    instance of the same class for each run."""

    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

    def createInstance(self):
        return type(self)()

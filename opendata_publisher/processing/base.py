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

    def layer_with_settings(self, parameters, name, context, feedback):
        """The vector layer parameter ``name``, with the publication settings kept with its data source
        (schema, field mapping, description, legal decisions, published datasets: core/source_state.py):
        without a project (``qgis_process``) they are all the layer has; with one, the newer wins."""
        layer = self.parameterAsVectorLayer(parameters, name, context)
        if layer is not None and layer.isValid():
            from ..core.source_state import restore_settings

            notice = restore_settings(layer)
            if notice and feedback is not None:
                feedback.pushWarning(notice)
        return layer

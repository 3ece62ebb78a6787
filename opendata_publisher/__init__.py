"""Open Data Publisher: QGIS entry point (kept minimal so importing the package costs nothing)."""


def classFactory(iface):  # noqa: N802 - name imposed by QGIS
    """Called by QGIS to build the plugin; the heavy import happens only here."""
    from .plugin_main import OpenDataPublisherPlugin

    return OpenDataPublisherPlugin(iface)

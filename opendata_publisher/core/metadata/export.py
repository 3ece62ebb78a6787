"""A dataset description written out in one of the export formats: DCAT-AP JSON-LD / Turtle, ISO 19139 XML,
a SCDL catalogue row (CSV) or a QGIS .qmd file.

Used by the « Décrire » page's export buttons and by the Processing algorithm
``opendata_publisher:export_metadata``.
"""

from __future__ import annotations

import re

from ..metadata_formats import COMPLETENESS_TARGET, EXTENSIONS, FORMATS, format_name  # noqa: F401 - re-exported


def render(description, fmt: str, layer=None) -> str:
    """The exported text of a description in one of :data:`FORMATS`, without the control characters that
    would make it unreadable (a vertical tab pasted from a spreadsheet breaks an XML file)."""
    from .iso19139 import xml_safe

    text = _render(description, fmt, layer)
    if fmt in ("iso19139", "qmd"):
        return xml_safe(text)
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text)


def _render(description, fmt: str, layer=None) -> str:
    from . import dcat, iso19139, scdl_catalogue
    from .public import public_description

    if fmt in ("dcat-jsonld", "dcat-turtle", "iso19139"):
        description = public_description(description)  # for catalogues: without the plugin's internal log

    if fmt == "dcat-jsonld":
        return dcat.to_jsonld(description)
    if fmt == "dcat-turtle":
        return dcat.to_turtle(description)
    if fmt == "iso19139":
        return iso19139.to_iso19139(description)
    if fmt == "scdl-catalogue":
        return scdl_catalogue.catalogue_csv(description)
    from .layer_metadata import metadata_xml, to_layer_metadata

    md = to_layer_metadata(description, layer.metadata() if layer is not None else None)
    return metadata_xml(md)

"""The metadata export formats (names, file extensions, completeness targets): what the export_metadata
algorithm lists, kept apart from the renderers (:mod:`opendata_publisher.core.metadata.export`) so that
listing the algorithm at QGIS start-up imports nothing heavy."""

from __future__ import annotations

FORMATS = ["dcat-jsonld", "dcat-turtle", "iso19139", "scdl-catalogue", "qmd"]
EXTENSIONS = {
    "dcat-jsonld": ".jsonld",
    "dcat-turtle": ".ttl",
    "iso19139": ".xml",
    "scdl-catalogue": ".csv",
    "qmd": ".qmd",
}
COMPLETENESS_TARGET = {
    "dcat-jsonld": "dcat",
    "dcat-turtle": "dcat",
    "iso19139": "iso19139",
    "scdl-catalogue": "scdl-catalogue",
    "qmd": "dcat",
}


def format_name(value) -> str:
    """Enum index (int or digit string) or format name → format name; raises ValueError (French)."""
    text = str(value).strip().lower() if value is not None else ""
    if text.isdigit() and int(text) < len(FORMATS):
        return FORMATS[int(text)]
    if text in FORMATS:
        return text
    raise ValueError(f"Format « {value} » inconnu : choisissez parmi {', '.join(FORMATS)}.")

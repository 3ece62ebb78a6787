"""Prefill a description from the layer, its data schema and the organisation profile (needs QGIS).

::

    prefill_description(layer, schema=None, profile=None, existing=None, today=None) -> DatasetDescription
    profile_from_settings(settings=None) -> OrganisationProfile

Only empty fields are filled, so calling it on an existing description (``existing``, e.g.
``read_layer_description(layer)``) never overwrites what the agent typed. From the layer: WGS 84
bounding box, CRS, feature count, file format, lineage hint; from the schema (a ``TableSchema``, e.g.
the one of the last check): title, keywords, schema name / version / URL; from the profile:
producer / publisher (name, SIREN, SIRET), contact point, default licence, default keywords, territory.
Defaults: language French, « données ouvertes » keyword, modified = today. An agent who accepts the
defaults only types a title and a description.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsRectangle

from . import vocabulary
from .licences import apply_licence
from .model import DEFAULT_LANGUAGE, Area, DatasetDescription, OrganisationProfile, dedupe


def profile_from_settings(settings=None) -> OrganisationProfile:
    """The agent's organisation profile: Options › Données ouvertes, overridden by the shared profile of the
    territory (its member the agent publishes for) wherever the shared profile says something."""
    from ..shared_profile import organisation_profile_for_settings

    return organisation_profile_for_settings(settings)


def territory_areas(code: str):
    """Areas for a territory code: the EPCI itself (SIREN) or one commune (INSEE code)."""
    entry = vocabulary.territory_area(code) if code else None
    if entry is None:
        return [Area(kind="epci" if len(code) == 9 else "commune", code=code, name="")] if code else []
    return [Area(kind=entry["kind"], code=entry["code"], name=entry["name"])]


def layer_bbox_wgs84(layer) -> Optional[tuple]:
    extent = layer.extent()
    if extent is None or extent.isNull() or extent.isEmpty() and extent.width() == 0 and extent.xMinimum() == 0:
        return None
    crs = layer.crs()
    if not crs.isValid():
        return None
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    try:
        rect = QgsCoordinateTransform(crs, wgs84, QgsProject.instance()).transformBoundingBox(QgsRectangle(extent))
    except Exception:  # noqa: BLE001 - a failing transform only means no bbox
        return None
    return (
        round(rect.xMinimum(), 6),
        round(rect.yMinimum(), 6),
        round(rect.xMaximum(), 6),
        round(rect.yMaximum(), 6),
    )


def prefill_description(
    layer=None,
    schema=None,
    profile: Optional[OrganisationProfile] = None,
    existing: Optional[DatasetDescription] = None,
    today: Optional[str] = None,
) -> DatasetDescription:
    d = existing.copy() if existing is not None else DatasetDescription()
    today = today or date.today().isoformat()
    if layer is not None:
        if d.bbox is None and layer.isSpatial() if hasattr(layer, "isSpatial") else True:
            d.bbox = d.bbox or layer_bbox_wgs84(layer)
        if not d.crs and layer.crs().isValid() and (not hasattr(layer, "isSpatial") or layer.isSpatial()):
            d.crs = layer.crs().authid()
        if hasattr(layer, "featureCount"):
            count = layer.featureCount()
            if count is not None and count >= 0:
                d.feature_count = int(count)
        if not d.title and not schema:
            d.title = ""
        if not d.file_format:
            source = layer.source().split("|")[0]
            suffix = Path(source.split("?")[0]).suffix.lower().lstrip(".")
            d.file_format = {"gpkg": "GPKG", "csv": "CSV", "geojson": "GeoJSON", "json": "JSON", "shp": "SHP"}.get(
                suffix, ""
            )
    if schema is not None:
        if not d.title and schema.title:
            d.title = schema.title
        if d.schema.is_empty():
            d.schema.name = schema.name
            d.schema.version = schema.version
            source = getattr(schema, "source", "") or ""
            if source.startswith("http"):
                d.schema.url = source
            elif schema.name and schema.version:
                d.schema.url = f"https://schema.data.gouv.fr/schemas/{schema.name}/{schema.version}/schema.json"
        d.keywords = dedupe(d.keywords + list(schema.keywords or []))
    if profile is not None:
        if not d.producer.name:
            d.producer.name = profile.organisation_name
            d.producer.siren = d.producer.siren or profile.organisation_siren
            d.producer.siret = d.producer.siret or profile.organisation_siret
        if not d.publisher.name:
            d.publisher.name = profile.organisation_name
            d.publisher.siren = d.publisher.siren or profile.organisation_siren
            d.publisher.siret = d.publisher.siret or profile.organisation_siret
        if d.contact.is_empty():
            d.contact.name = profile.contact_name
            d.contact.email = profile.contact_email
        if not d.licence and profile.default_licence:
            apply_licence(d, profile.default_licence)
        d.keywords = dedupe(d.keywords + list(profile.default_keywords))
        if not d.spatial_coverage:
            d.spatial_coverage = territory_areas(profile.territory_code)
    if not d.language:
        d.language = DEFAULT_LANGUAGE
    if not d.licence:
        apply_licence(d, "etalab-2.0")
    elif not d.licence_url:
        apply_licence(d, d.licence)
    if not d.attribution and d.producer.name:
        d.attribution = d.producer.name
    if not d.modified:
        d.modified = today
    if not d.frequency:
        d.frequency = ""
    d.ensure_open_data_keyword()
    return d

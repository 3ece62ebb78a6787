"""Exports of a layer for publication (streamed, constant memory; the source is never modified).

- :mod:`.columns` (pure Python) — which columns (schema order and names, lon/lat or geopoint from the
  geometry) and how values become CSV text;
- :mod:`.writers` (QGIS) — :class:`~.writers.ExportInput` (main-thread snapshot), ``export_csv``,
  ``export_geojson`` (RFC 7946), ``export_gpkg``, ``export_shapefile_zip``, ``export_formats``, and
  :class:`~.writers.ExportError` (French).
"""

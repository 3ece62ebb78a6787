"""Dataset description (« Décrire »): shared vocabulary, model, storage in QgsLayerMetadata, prefill,
completeness, licences and exports.

Modules (pure Python unless marked QGIS):

- :mod:`.vocabulary` — the project's controlled lists in ``metadata/*.json`` (licences, frequencies,
  EU / INSPIRE themes, ISO categories, languages, territory, field mappings).
- :mod:`.model` — :class:`DatasetDescription` (+ ``Organisation``, ``ContactPoint``, ``Area``,
  ``SchemaRef``), :class:`OrganisationProfile`, ``FIELD_LABELS`` / ``FIELD_HELP`` (French, for the form).
- :mod:`.licences` — ``licence_choices()``, ``recognise_licence()``, per-portal ids.
- :mod:`.completeness` — ``check_completeness(description, targets) -> List[Finding]``.
- :mod:`.dcat`, :mod:`.iso19139`, :mod:`.scdl_catalogue` — exports.
- :mod:`.layer_metadata` (QGIS) — round trip with ``QgsLayerMetadata``, .qmd, GeoPackage.
- :mod:`.prefill` (QGIS) — ``prefill_description(layer, schema, profile, existing)``.

Typical use by the form::

    desc = prefill_description(layer, schema, profile_from_settings(), read_layer_description(layer))
    ...  # agent edits; FIELD_HELP[name] under each widget; licence_choices(desc) in the chooser
    findings = check_completeness(desc, ["dcat", "datagouv"])
    write_layer_description(layer, desc)       # then QgsProject.instance().write() / save_to_datasource(layer)
"""

from .model import (  # noqa: F401
    FIELD_HELP,
    FIELD_LABELS,
    OPEN_DATA_KEYWORD,
    Area,
    ContactPoint,
    DatasetDescription,
    Organisation,
    OrganisationProfile,
    SchemaRef,
)

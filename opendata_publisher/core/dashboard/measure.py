"""The whole measure of the territory: read the catalogue, recognise, assess, optionally check the data.

:func:`measure_territory` is what the Processing algorithm and the dialog's background task call.
``progress(percent, French text)`` reports the steps; ``feedback`` (a QgsFeedback) cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional

from ..portals.base import PortalConnection, PortalError
from .catalogues import Cancelled, reader_for
from .conformity import DEFAULT_MAX_MB, check_resource, pick_resource
from .freshness import assess
from .members import match_organisations, territory_members, territory_name
from .model import HEURISTIC, NOT_CHECKED, DatasetMeasure, Member, MemberSummary, TerritoryDashboard
from .recognise import SchemaRecogniser, known_schemas


@dataclass
class DashboardOptions:
    validate_data: bool = False
    max_download_mb: float = DEFAULT_MAX_MB
    mapping: Optional[Dict[str, List[str]]] = None  # member code -> organisations (profile or JSON file)
    members: Optional[List[Member]] = None  # default: the communes of metadata/territory.json
    cache_dir: Optional[Path] = None
    refresh: bool = False
    now: Optional[datetime] = None


def measure_territory(
    connection: PortalConnection,
    catalogue,
    options: Optional[DashboardOptions] = None,
    progress: Optional[Callable[[float, str], None]] = None,
    feedback=None,
) -> TerritoryDashboard:
    """Measure what the members publish on ``connection``'s portal. ``catalogue`` is a SchemaCatalogue.

    Raises :class:`PortalError` (French) when the portal's catalogue cannot be read, :class:`Cancelled`
    when the agent cancels."""
    options = options or DashboardOptions()
    now = options.now or datetime.now(timezone.utc)
    say = progress or (lambda _p, _t: None)
    members = options.members or territory_members()
    messages: List[str] = []

    say(2, "Lecture du catalogue des schémas…")
    try:
        schemas = known_schemas(catalogue)
    except Exception as exc:  # noqa: BLE001 - CatalogueError, NetworkError: French messages
        schemas = []
        messages.append(f"Catalogue des schémas indisponible ({exc}) : aucun schéma reconnu.")
    recogniser = SchemaRecogniser(schemas)

    reader = reader_for(connection, cache_dir=options.cache_dir, refresh=options.refresh, feedback=feedback)
    say(5, "Lecture des organisations du portail…")
    organisations = reader.organisations()
    by_member, unmatched = match_organisations(members, organisations, options.mapping)
    if not options.mapping and not any(by_member.values()):
        messages.append(
            "Aucune organisation du portail ne porte le nom d'une commune du territoire : donnez un fichier de "
            "correspondance communes → organisations."
        )

    summaries = [MemberSummary(member=m, organisations=by_member.get(m.code, [])) for m in members]
    jobs = [(s, org) for s in summaries for org in s.organisations]
    for index, (summary, org) in enumerate(jobs):
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        say(10 + 40 * index / max(1, len(jobs)), f"Jeux de données de {org.name}…")
        try:
            datasets = reader.datasets(org)
        except PortalError as exc:
            messages.append(f"{summary.member.name} ({org.name}) : {exc}")
            continue
        for dataset in datasets:
            measure = DatasetMeasure(dataset=dataset, member_code=summary.member.code, organisation_name=org.name)
            measure.schema = recogniser.recognise(dataset)
            measure.freshness, measure.freshness_text, measure.late_days = assess(
                dataset.last_update, dataset.frequency, now
            )
            summary.datasets.append(measure)

    if options.validate_data:
        _check_data(summaries, catalogue, recogniser, options, say, feedback)

    return TerritoryDashboard(
        territory=territory_name() or "Territoire",
        source=connection.name or connection.base_url,
        measured_at=now,
        members=summaries,
        validated=options.validate_data,
        unmatched_organisations=unmatched,
        messages=messages,
        schema_titles={s.name: s.title for s in schemas},
    )


def _check_data(summaries, catalogue, recogniser, options, say, feedback) -> None:
    """Download and check the common-core datasets (declared), and look at the columns of the others."""
    todo = [d for s in summaries for d in s.datasets if pick_resource(d.dataset.resources) is not None]
    scdl_fields: Optional[Dict[str, List[str]]] = None
    schema_cache: Dict[tuple, object] = {}
    for index, measure in enumerate(todo):
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        resource = pick_resource(measure.dataset.resources)
        say(50 + 48 * index / max(1, len(todo)), f"Vérification des données : {measure.dataset.title}…")
        declared = measure.schema is not None and measure.schema.how != HEURISTIC
        schema = None
        if declared:
            key = (measure.schema.name, measure.schema.version)
            if key not in schema_cache:
                try:
                    schema_cache[key] = catalogue.fetch_schema(measure.schema.name, measure.schema.version or None)
                except Exception as exc:  # noqa: BLE001 - CatalogueError / SchemaError: French messages
                    schema_cache[key] = exc
            schema = schema_cache[key]
            if isinstance(schema, Exception):
                measure.conformity_text = (
                    f"schéma {measure.schema.name} {measure.schema.version} indisponible : {schema}"
                )
                continue
        result = check_resource(resource, schema, options.max_download_mb, feedback)
        if declared:
            measure.conformity = result.state
            measure.conformity_text = result.text
            measure.error_count = result.error_count
            measure.errors_by_code = result.errors_by_code
            continue
        measure.conformity = NOT_CHECKED
        if result.columns:
            if scdl_fields is None:
                scdl_fields = _scdl_fields(catalogue, recogniser)
            match = recogniser.by_columns(result.columns, scdl_fields)
            if match is not None and measure.schema is None:
                measure.schema = match


def _scdl_fields(catalogue, recogniser) -> Dict[str, List[str]]:
    """Field names of the common-core Table Schemas the catalogue can give (others are skipped)."""
    fields: Dict[str, List[str]] = {}
    for known in recogniser.schemas:
        if not known.is_scdl:
            continue
        try:
            schema = catalogue.fetch_schema(known.name)
        except Exception:  # noqa: BLE001 - not a Table Schema, or unreachable: skipped
            continue
        fields[known.name] = [f.name for f in schema.fields]
    return fields

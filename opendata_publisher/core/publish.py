"""The publishing pipeline: GATE → EXPORT → PORTAL → HISTORY.

::

    job = prepare(layer, connection, formats=["csv", "geojson"], accept_warnings=False)   # main thread
    outcome = run(job, feedback, progress)                  # background task or Processing (no widget, no layer)
    finish(layer, job, outcome)                             # main thread: stored reference + history

or :func:`publish_layer` for the three in the calling thread (Processing, tests).

**Gate** — publication is refused while one check has a blocking finding: the schema check
(:func:`opendata_publisher.core.validation.validate` with the layer's field mapping), the legal check
(:mod:`opendata_publisher.core.legal`: detectors, then the gate with the acknowledgements and the checklist
stored in the layer) and the metadata completeness for the portal
(:func:`opendata_publisher.core.metadata.completeness.check_completeness`). ``accept_warnings`` (« publier
quand même ») lets warnings through and is recorded in the history; it never lifts a blocking finding.
The refusal lists each problem in one French sentence with the step to open (:class:`GateItem`).

**Export** — the chosen formats are written to a temporary folder (:mod:`opendata_publisher.core.export`).

**Portal** — :func:`opendata_publisher.core.portals.adapter_for` then ``publish``; the dataset reference
stored in the layer for this connection (custom property ``opendata_publisher/published/<connection name>``)
is sent back so the same dataset is updated, never duplicated. A dataset deleted on the portal raises
``PortalError(kind="deleted")``: the outcome carries it so the interface can offer to recreate it
(``prepare(..., recreate_if_deleted=True)``).

**Dry run** — everything except what writes: the gate, the exports (temporary, removed), the adapter in
``dry_run`` mode; no history, no stored reference.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

from .checks.finding import ERROR, WARNING, Finding
from .export.writers import FORMATS, ExportError, ExportInput, export_formats
from .layer_properties import PUBLISHED_PREFIX, SCHEMA_PROPERTY
from .portals.base import DatasetRef, PortalConnection, PortalError, PublishFile, PublishRequest, PublishResult
from .safe_write import WriteError, write_text

ALL_FORMATS = tuple(FORMATS)  # csv, geojson, gpkg, shp
FILE_FORMATS = {"csv": "csv", "geojson": "geojson", "gpkg": "gpkg", "shp": "shp.zip"}
FORMAT_TITLES = {
    "csv": "Données au format CSV",
    "geojson": "Données au format GeoJSON",
    "gpkg": "Données au format GeoPackage",
    "shp": "Données au format Shapefile (zip)",
}
COMPLETENESS_TARGET = {"folder": "dcat", "udata": "datagouv", "opendatasoft": "opendatasoft", "ckan": "ckan"}

STEP_VERIFY, STEP_DESCRIBE, STEP_LICENCE, STEP_LEGAL = "verifier", "decrire", "licence", "juridique"
STEP_LABELS = {
    STEP_VERIFY: "Vérifier",
    STEP_DESCRIBE: "Décrire",
    STEP_LICENCE: "Licence",
    STEP_LEGAL: "Contrôle juridique",
}
_LICENCE_FIELDS = {"licence", "licence_url", "licence_justification", "licence_homologation", "attribution"}
LICENCE_FIELDS = frozenset(_LICENCE_FIELDS)  # the completeness fields of the « Licence » step

PUBLISHED, DRY_RUN, REFUSED, FAILED, CANCELLED = "published", "dry-run", "refused", "failed", "cancelled"

#: progress(done, total, French label)
Progress = Callable[[int, int, str], None]


# ------------------------------------------------------------------ gate


@dataclass
class GateItem:
    """One reason in the gate's answer: which step to open, and one French sentence."""

    step: str
    severity: str  # error (blocks) or warning (needs « publier quand même »)
    message: str
    code: str = ""
    field: str = ""
    count: int = 1

    def sentence(self) -> str:
        text = self.message.strip()
        if self.count > 1:
            text = text.rstrip(".") + f" ({self.count} cas)."
        return f"{STEP_LABELS.get(self.step, self.step)} — {text}"

    def to_dict(self) -> Dict[str, Any]:
        return {
            "step": self.step,
            "step_label": STEP_LABELS.get(self.step, self.step),
            "severity": self.severity,
            "message": self.sentence(),
            "code": self.code,
            "field": self.field,
            "count": self.count,
        }


@dataclass
class GateResult:
    blocking: List[GateItem] = field(default_factory=list)
    warnings: List[GateItem] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    def allows(self, accept_warnings: bool) -> bool:
        return not self.blocking and (accept_warnings or not self.warnings)

    @property
    def steps_to_open(self) -> List[str]:
        """The steps with something to fix, in the flow's order."""
        wanted = {item.step for item in self.blocking + self.warnings}
        return [step for step in STEP_LABELS if step in wanted]

    def text(self, accept_warnings: bool = False) -> str:
        """The French answer shown to the agent."""
        lines: List[str] = []
        if self.blocking:
            n = len(self.blocking)
            lines.append(
                f"Publication refusée : {n} problème{'s' if n > 1 else ''} bloquant{'s' if n > 1 else ''} à corriger "
                "d'abord."
            )
            lines += [f"- {item.sentence()}" for item in self.blocking]
        if self.warnings:
            n = len(self.warnings)
            if accept_warnings:
                lines.append(
                    f"{n} avertissement{'s' if n > 1 else ''} accepté{'s' if n > 1 else ''} (publier quand même) :"
                )
            else:
                lines.append(
                    f"{n} avertissement{'s' if n > 1 else ''} : corrigez-les, ou confirmez « publier quand même »."
                )
            lines += [f"- {item.sentence()}" for item in self.warnings]
        if self.steps_to_open:
            lines.append("Étapes à ouvrir : " + ", ".join(STEP_LABELS[s] for s in self.steps_to_open) + ".")
        return "\n".join(lines)


def _grouped(findings: Sequence[Finding], step_of: Callable[[Finding], str], name_field: bool = True) -> List[GateItem]:
    groups: OrderedDict[tuple, GateItem] = OrderedDict()
    for finding in findings:
        message = finding.message
        if name_field and finding.field and finding.field not in message:
            message = f"{message.rstrip('.')} (champ {finding.field})."
        key = (finding.severity, finding.code, finding.field or "")
        same = next((k for k, item in groups.items() if item.message == message and k[0] == finding.severity), None)
        key = same or key
        if key in groups:
            groups[key].count += 1
            continue
        groups[key] = GateItem(step_of(finding), finding.severity, message, finding.code, finding.field or "")
    return list(groups.values())


def schema_gate_items(findings: Sequence[Finding]) -> List[GateItem]:
    relevant = [f for f in findings if f.severity in (ERROR, WARNING)]
    return _grouped(relevant, lambda f: STEP_VERIFY)


def completeness_gate_items(findings: Sequence[Finding]) -> List[GateItem]:
    relevant = [f for f in findings if f.severity in (ERROR, WARNING)]
    # metadata findings say which information is missing in their sentence; the step tells where to fix it
    return _grouped(relevant, lambda f: STEP_LICENCE if (f.field or "") in _LICENCE_FIELDS else STEP_DESCRIBE, False)


def legal_gate_items(findings: Sequence[Finding], acknowledgements=None, checklist=None) -> List[GateItem]:
    from .legal.gate import legal_gate

    result = legal_gate(findings, acknowledgements, checklist)
    items = [GateItem(STEP_LEGAL, ERROR, reason) for reason in result.reasons]
    items += [GateItem(STEP_LEGAL, WARNING, f.message, f.code, f.field or "") for f in result.needs_ack]
    return items


# ------------------------------------------------------------------ job and outcome


@dataclass
class PublishJob:
    """Everything :func:`run` needs, snapshotted on the main thread (no layer, no widget)."""

    layer_name: str
    layer_id: str
    connection: PortalConnection
    formats: List[str]
    export_input: Any  # ExportInput
    legal_input: Any  # core.legal.collect.LegalInput
    description: Any  # DatasetDescription
    schema_reference: str = ""
    schema: Any = None  # TableSchema, or loaded in run() from schema_reference
    mapping_texts: Dict[str, str] = field(default_factory=dict)  # custom property name -> mapping JSON
    acknowledgements: List[str] = field(default_factory=list)
    checklist: Any = None
    ref: Optional[DatasetRef] = None
    accept_warnings: bool = False
    dry_run: bool = False
    recreate_if_deleted: bool = False
    work_dir: Optional[Path] = None
    keep_files: bool = False
    catalogue_url: str = ""
    cache_dir: str = ""
    basename: str = ""
    notices: List[str] = field(default_factory=list)  # said to the agent (settings taken from the data source)


@dataclass
class PublishOutcome:
    status: str  # published, dry-run, refused, failed, cancelled
    gate: GateResult = field(default_factory=GateResult)
    result: Optional[PublishResult] = None
    error: Optional[BaseException] = None
    history_entry: Optional[Dict[str, Any]] = None
    messages: List[str] = field(default_factory=list)
    validation: Any = None  # ValidationReport
    legal: Any = None  # LegalReport
    files: List[PublishFile] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in (PUBLISHED, DRY_RUN)

    @property
    def error_kind(self) -> str:
        return getattr(self.error, "kind", "") if self.error is not None else ""

    @property
    def dataset_url(self) -> str:
        return self.result.dataset_url if self.result is not None else ""

    @property
    def resource_url(self) -> str:
        if self.result is None or not self.result.resource_urls:
            return ""
        return next(iter(self.result.resource_urls.values()))

    def summary(self) -> str:
        """French text for the agent."""
        if self.status == PUBLISHED:
            lines = [f"Publication réussie : {self.dataset_url}"]
        elif self.status == DRY_RUN:
            lines = ["Simulation terminée : la publication serait acceptée. Rien n'a été envoyé ni écrit."]
        elif self.status == REFUSED:
            lines = [self.gate.text(False)]
        elif self.status == CANCELLED:
            lines = ["Publication annulée : rien n'a été publié."]
        else:
            lines = [f"La publication a échoué : {self.error}"]
        if self.status in (PUBLISHED, DRY_RUN) and self.gate.warnings:
            lines.append(self.gate.text(True))
        lines += self.messages
        return "\n".join(line for line in lines if line)


# ------------------------------------------------------------------ stored reference (main thread)


def ref_property(connection_name: str) -> str:
    return PUBLISHED_PREFIX + connection_name


def _read_ref(layer, key: str) -> Optional[DatasetRef]:
    raw = layer.customProperty(key, "")
    if not raw:
        return None
    try:
        ref = DatasetRef.from_dict(json.loads(str(raw)))
    except (ValueError, TypeError, AttributeError):
        return None
    return ref if ref.dataset_id else None


def stored_ref(layer, connection: PortalConnection) -> Optional[DatasetRef]:
    """The dataset this layer was published to with ``connection`` (same portal type), or None.

    A reference stored under another connection name for the same portal (same type and address: the
    connection was renamed) counts too, so that a renamed connection still updates the same dataset.
    """
    ref = _read_ref(layer, ref_property(connection.name))
    if ref is None:  # no saved project (qgis_process): the reference kept with the data source
        from .source_state import read_state

        kept = read_state(layer, ref_property(connection.name))
        ref = DatasetRef.from_dict(kept) if kept else None
        if ref is not None and not ref.dataset_id:
            ref = None
    if ref is not None:
        return ref if ref.portal_type == connection.portal_type else None
    address = (connection.base_url or "").rstrip("/")
    for key in layer.customPropertyKeys():
        if not str(key).startswith(PUBLISHED_PREFIX):
            continue
        other = _read_ref(layer, str(key))
        same_portal = other is not None and other.portal_type == connection.portal_type
        if same_portal and address and (other.base_url or "").rstrip("/") == address:
            return other
    return None


def store_ref(layer, connection: PortalConnection, ref: DatasetRef) -> None:
    """In the layer (saved with the project) and with its data source (kept without a project)."""
    from .source_state import write_state

    layer.setCustomProperty(ref_property(connection.name), json.dumps(ref.to_dict(), ensure_ascii=False))
    write_state(layer, ref_property(connection.name), ref.to_dict())


def forget_ref(layer, connection: PortalConnection) -> None:
    from .source_state import write_state

    layer.removeCustomProperty(ref_property(connection.name))
    write_state(layer, ref_property(connection.name), None)


# ------------------------------------------------------------------ prepare (main thread)


def normalise_formats(formats: Optional[Sequence[str]]) -> List[str]:
    """Known formats in the canonical order, without duplicates; ``all`` means every format."""
    chosen = [str(f).strip().lower().replace("shp.zip", "shp").replace("shapefile", "shp") for f in formats or ()]
    if "all" in chosen:
        return list(ALL_FORMATS)
    unknown = [f for f in chosen if f not in ALL_FORMATS]
    if unknown:
        raise ValueError(f"Format inconnu : {', '.join(unknown)} (attendu : {', '.join(ALL_FORMATS)}).")
    result = [f for f in ALL_FORMATS if f in chosen]
    return result or ["csv"]


def prepare(
    layer,
    connection: PortalConnection,
    formats: Optional[Sequence[str]] = ("csv",),
    accept_warnings: bool = False,
    dry_run: bool = False,
    recreate_if_deleted: bool = False,
    schema=None,
    selected_only: bool = False,
    work_dir=None,
) -> PublishJob:
    """Snapshot ``layer`` and what the checks need (main thread). The settings kept with the data source
    are read first (no project: they are all there is; both: the newer wins, and the agent is told)."""
    from .layer_properties import MAPPING_PREFIX as PROPERTY_PREFIX
    from .legal.checklist import load_checklist
    from .legal.collect import LegalInput
    from .legal.gate import load_acknowledgements
    from .metadata.layer_metadata import read_layer_description
    from .metadata.prefill import layer_bbox_wgs84
    from .source_state import restore_settings

    notice = restore_settings(layer)
    description = read_layer_description(layer)
    if description.feature_count is None:
        description.feature_count = int(layer.featureCount())
    if not description.crs and layer.crs().isValid():
        description.crs = layer.crs().authid()
    if description.bbox is None and layer.isSpatial():
        description.bbox = layer_bbox_wgs84(layer)
    if not description.title:
        description.title = ""  # the completeness check reports it
    mapping_texts = {}
    for key in layer.customPropertyKeys():
        if str(key).startswith(PROPERTY_PREFIX):
            mapping_texts[str(key)] = str(layer.customProperty(key) or "")
    schema_reference = str(layer.customProperty(SCHEMA_PROPERTY, "") or "").strip()
    try:
        from ..toolbelt.settings import PluginSettings

        settings = PluginSettings.load()
        catalogue_url, cache_dir = settings.catalogue_url, str(settings.cache_directory())
    except Exception:  # noqa: BLE001 - settings unreadable: the defaults of the catalogue apply
        catalogue_url, cache_dir = "", ""
    return PublishJob(
        layer_name=layer.name(),
        layer_id=layer.id(),
        connection=connection,
        formats=normalise_formats(formats),
        export_input=ExportInput.from_layer(layer, schema, None, selected_only),
        legal_input=LegalInput.from_layer(layer, selected_only),
        description=description,
        schema_reference=schema_reference,
        schema=schema,
        mapping_texts=mapping_texts,
        acknowledgements=sorted(load_acknowledgements(layer)),
        checklist=load_checklist(layer),
        ref=stored_ref(layer, connection),
        accept_warnings=bool(accept_warnings),
        dry_run=bool(dry_run),
        recreate_if_deleted=bool(recreate_if_deleted),
        work_dir=Path(work_dir) if work_dir else None,
        catalogue_url=catalogue_url,
        cache_dir=cache_dir,
        basename=_file_basename(description.title or layer.name()),
        notices=[notice] if notice else [],
    )


def _file_basename(text: str) -> str:
    from .portals.folder import slugify

    return slugify(text, 60) or "donnees"


# ------------------------------------------------------------------ run (any thread)


def _load_schema(job: PublishJob):
    from .schema.catalogue import SchemaCatalogue, default_catalogue, load_schema_reference

    catalogue = SchemaCatalogue(job.catalogue_url, job.cache_dir) if job.cache_dir else default_catalogue()
    return load_schema_reference(job.schema_reference, catalogue)


def _cancelled(feedback) -> bool:
    return feedback is not None and feedback.isCanceled()


def run_gate(job: PublishJob, outcome: PublishOutcome, feedback=None, progress: Optional[Progress] = None) -> bool:
    """Fill ``outcome.gate`` (and the reports). False when cancelled."""
    from .legal.collect import legal_check
    from .mapping import FieldMapping, mapping_property_name
    from .metadata.completeness import check_completeness
    from .validation import validate

    gate = outcome.gate
    schema = job.schema
    layer_input = job.export_input.layer_input
    if job.export_input.has_geometry and not layer_input.crs.isValid():
        # checked before any export: without it, the GeoJSON export fails with a misleading GDAL message
        gate.blocking.append(
            GateItem(
                STEP_VERIFY,
                ERROR,
                f"La couche « {layer_input.name} » n'a pas de système de coordonnées connu : ses géométries ne "
                "peuvent pas être publiées (GeoJSON en WGS 84, longitude/latitude). Définissez-le dans Propriétés "
                "de la couche > Source (Lambert-93 = EPSG:2154, WGS 84 = EPSG:4326).",
                "crs-unknown",
            )
        )
    if schema is None and job.schema_reference:
        _say(progress, "Chargement du schéma de données")
        try:
            schema = _load_schema(job)
        except Exception as exc:  # noqa: BLE001 - SchemaError, CatalogueError, NetworkError: French messages
            gate.blocking.append(
                GateItem(
                    STEP_VERIFY,
                    ERROR,
                    f"Le schéma « {job.schema_reference} » n'a pas pu être chargé : {exc}",
                    "schema-unavailable",
                )
            )
    if schema is not None:
        job.schema = schema
        mapping = FieldMapping.from_json(job.mapping_texts.get(mapping_property_name(schema), ""))
        job.export_input.schema = schema
        job.export_input.mapping = mapping
        _say(progress, f"Vérification avec le schéma {schema.name or schema.title} {schema.version}".rstrip())
        report = validate(job.export_input.layer_input, schema, mapping, feedback)
        outcome.validation = report
        if report.cancelled or _cancelled(feedback):
            return False
        # coordinate columns absent from the layer are filled from the geometry by the export: not missing
        from .export.columns import GEOPOINT, LAT, LON

        filled = {
            c.name for c in job.export_input.columns() if c.kind in (LON, LAT, GEOPOINT) and c.layer_field is None
        }
        findings = [f for f in report.findings if not (f.code == "missing-label" and f.field in filled)]
        if filled:
            gate.notes.append(f"Colonnes remplies à partir de la géométrie (WGS 84) : {', '.join(sorted(filled))}.")
        items = schema_gate_items(findings)
        gate.blocking += [i for i in items if i.severity == ERROR]
        gate.warnings += [i for i in items if i.severity == WARNING]
        if not job.description.schema.name:
            from .metadata.public import schema_ref

            ref = schema_ref(schema)  # a schema.json read from disk has no catalogue name: taken from its path
            job.description.schema.name = ref.name
            job.description.schema.version = schema.version
            job.description.schema.url = job.description.schema.url or ref.url
    elif not job.schema_reference:
        gate.notes.append(
            "Aucun schéma de données n'est associé à la couche : la conformité n'a pas été vérifiée (étape Vérifier)."
        )

    if "shp" in job.formats:
        from .export.writers import shapefile_cuts

        for sentence in shapefile_cuts(job.export_input, feedback):
            gate.warnings.append(GateItem(STEP_VERIFY, WARNING, sentence, "shapefile-cut"))
    _say(progress, "Contrôle juridique")
    legal = legal_check(job.legal_input, feedback)
    outcome.legal = legal
    if legal.cancelled or _cancelled(feedback):
        return False
    for item in legal_gate_items(legal.findings, job.acknowledgements, job.checklist):
        (gate.blocking if item.severity == ERROR else gate.warnings).append(item)

    _say(progress, "Contrôle des métadonnées")
    target = COMPLETENESS_TARGET.get(job.connection.portal_type, "dcat")
    from .shared_profile import findings_for

    metadata_findings = check_completeness(job.description, [target]) + findings_for(job.description)
    for item in completeness_gate_items(metadata_findings):
        (gate.blocking if item.severity == ERROR else gate.warnings).append(item)
    return True


def _say(progress: Optional[Progress], label: str) -> None:
    if progress is not None:
        progress(0, 0, label)


def run(job: PublishJob, feedback=None, progress: Optional[Progress] = None) -> PublishOutcome:
    """GATE → EXPORT → PORTAL → HISTORY entry. Never touches the layer; never raises for expected failures
    (the outcome carries them)."""
    from .history import make_entry
    from .metadata.public import public_description
    from .portals import adapter_for

    outcome = PublishOutcome(status=FAILED)
    outcome.messages += job.notices
    if not run_gate(job, outcome, feedback, progress):
        outcome.status = CANCELLED
        return outcome
    outcome.messages += outcome.gate.notes
    if not outcome.gate.allows(job.accept_warnings):
        outcome.status = REFUSED
        return outcome

    own_dir = job.work_dir is None
    work_dir = Path(job.work_dir) if not own_dir else None
    if own_dir and job.connection.portal_type == "folder" and not job.dry_run:
        from .portals.folder import work_folder

        # on the target's disk, found and removed by the next run if this one is killed
        work_dir = work_folder(job.connection.base_url)
    if work_dir is None:
        work_dir = Path(tempfile.mkdtemp(prefix="opendata_publisher-"))
    try:
        try:
            written = export_formats(job.export_input, job.formats, work_dir, job.basename, feedback, progress)
        except ExportError as exc:
            outcome.error = _detached(exc)
            outcome.status = CANCELLED if exc.kind == "cancelled" else FAILED
            return outcome
        schema = job.schema
        files = [
            PublishFile(
                path=path,
                format=FILE_FORMATS[fmt],
                title=f"{job.description.title or job.layer_name} — {FORMAT_TITLES[fmt].lower()}",
                description=FORMAT_TITLES[fmt],
                mime=FORMATS[fmt][1],
                schema_name=(schema.name if schema is not None and fmt == "csv" else ""),
                schema_version=(schema.version if schema is not None and fmt == "csv" else ""),
            )
            for fmt, path in written
        ]
        outcome.files = files
        checksums = _mark_unchanged(job, files)
        for item in files:
            item.sha256 = checksums[item.format]
            item.movable = own_dir and not job.keep_files  # our temporary exports: moved, not copied
        # what reusers read: no internal layer name, login, checklist answer or local path (see metadata.public)
        base = "../" if job.connection.portal_type == "folder" else ""  # relative to metadata/ in the folder
        public = public_description(job.description, outcome.validation, schema, files if base else (), base=base)
        try:
            adapter = adapter_for(job.connection)
            if hasattr(adapter, "attachments"):
                published = {c.layer_field: c.name for c in job.export_input.columns() if c.layer_field}
                try:
                    adapter.attachments = _write_reports(
                        outcome, work_dir / "rapports", public.title or job.layer_name, published
                    )
                except WriteError as exc:
                    raise PortalError(str(exc), kind="too-large" if exc.reason == "disk-full" else "other") from None
            request = PublishRequest(
                description=public,
                files=files,
                ref=job.ref,
                recreate_if_deleted=job.recreate_if_deleted,
                dry_run=job.dry_run,
            )
            result = adapter.publish(request, progress, feedback)
        except PortalError as exc:
            outcome.error = _detached(exc)
            outcome.status = CANCELLED if exc.kind == "cancelled" else FAILED
            return outcome
        outcome.result = result
        outcome.messages += list(result.messages)
        if not job.dry_run:
            result.ref.checksums = {fmt: digest for fmt, digest in checksums.items() if fmt in result.ref.resource_ids}
            held = [f for f in files if f.format in result.ref.resource_ids]  # Opendatasoft keeps one file
            if held and all(f.unchanged for f in held):
                outcome.messages.append(
                    "Données inchangées depuis la dernière publication (mêmes sommes de contrôle) : seules les "
                    "métadonnées ont été mises à jour, aucun fichier n'a été renvoyé."
                )
        if job.dry_run:
            outcome.status = DRY_RUN
            return outcome
        outcome.status = PUBLISHED
        outcome.history_entry = make_entry(
            job.connection.portal_type,
            job.connection.name,
            result.dataset_url,
            result.resource_urls,
            job.description.schema.name,
            job.description.schema.version,
            [item.sentence() for item in outcome.gate.warnings] if job.accept_warnings else [],
            created=result.created,
            feature_count=job.description.feature_count,
            title=job.description.title,
            licence=job.description.licence,
            formats=list(job.formats),
        )
        return outcome
    finally:
        if own_dir and not job.keep_files:
            shutil.rmtree(work_dir, ignore_errors=True)


def _mark_unchanged(job: PublishJob, files: List[PublishFile]) -> Dict[str, str]:
    """SHA-256 of each exported file (by format); a file with the checksum last published in its format, on a
    portal that keeps it (a known resource), is marked unchanged: its bytes are not sent again."""
    from .portals.folder import sha256_of

    checksums = {f.format: sha256_of(Path(f.path)) for f in files}
    ref = job.ref
    if ref is None or job.recreate_if_deleted or job.connection.portal_type not in ("udata", "ckan", "opendatasoft"):
        return checksums
    for item in files:
        known = ref.checksums.get(item.format, "")
        item.unchanged = bool(known) and known == checksums[item.format] and bool(ref.resource_ids.get(item.format))
    return checksums


def _detached(exc: BaseException) -> BaseException:
    """The exception without its traceback: an outcome lives on (in the dock, in a task result) and a
    traceback would keep every frame alive, with the layers and feature sources they reference."""
    exc.__traceback__ = None
    exc.__context__ = None
    exc.__cause__ = None
    return exc


def _write_reports(
    outcome: PublishOutcome, folder: Path, title: str = "", published_fields: Optional[Dict[str, str]] = None
) -> Dict[str, Path]:
    """The check and legal reports (JSON + Markdown) for the publication folder, named after the dataset
    ``title`` (not the internal layer name), without local paths nor the fields that are not published."""
    from .metadata.public import public_legal, public_validation
    from .report import report_to_json, report_to_markdown

    written: Dict[str, Path] = {}
    validation = public_validation(outcome.validation, title)
    legal = public_legal(outcome.legal, title, published_fields)
    texts = {}
    if validation is not None:
        texts["verification.json"] = report_to_json(validation)
        texts["verification.md"] = report_to_markdown(validation)
    if legal is not None:
        texts["controle-juridique.json"] = legal.to_json()
        texts["controle-juridique.md"] = legal_markdown(legal)
    gate = {
        "blocking": [i.to_dict() for i in outcome.gate.blocking],
        "warnings": [i.to_dict() for i in outcome.gate.warnings],
        "notes": list(outcome.gate.notes),
    }
    texts["controle-publication.json"] = json.dumps(gate, ensure_ascii=False, indent=2)
    for name, text in texts.items():
        written[name] = write_text(folder / name, text, "Le rapport")
    return written


def legal_markdown(report) -> str:
    """The legal report in Markdown (French)."""
    from .markdown import md_code, md_text

    lines = [f"# Contrôle juridique — {md_text(report.layer_name)}", "", f"- {md_text(report.summary())}", ""]
    if not report.findings:
        lines.append("Aucun point relevé.")
    for finding in report.findings:
        level = finding.level or finding.severity
        where = f" — champ {md_code(finding.field)}" if finding.field else ""
        lines.append(f"## {md_text(level)}{where}")
        lines.append("")
        lines.append(md_text(finding.message, inline=False))
        if finding.hint:
            lines.append("")
            lines.append(f"Que faire : {md_text(finding.hint, inline=False)}")
        if finding.basis:
            lines.append("")
            lines.append(f"Fondement : {md_text(finding.basis, inline=False)}")
        lines.append("")
    lines.append("Ce contrôle est une aide ; il ne remplace pas un avis juridique.")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ finish (main thread)


def finish(layer, job: PublishJob, outcome: PublishOutcome) -> None:
    """Store the dataset reference and the history entry in the layer (after a real publication; after a
    failure or a cancel, only the reference of a dataset the portal already created)."""
    from .history import record

    stopped = outcome.status in (FAILED, CANCELLED)
    if stopped and getattr(outcome.error, "ref", None) is not None and not job.dry_run:
        # the dataset exists on the portal although a later step failed: remember it, so that
        # publishing again updates it instead of creating a copy
        store_ref(layer, job.connection, outcome.error.ref)
        return
    if outcome.status != PUBLISHED or outcome.result is None:
        return
    store_ref(layer, job.connection, outcome.result.ref)
    if outcome.history_entry is not None:
        record(layer, outcome.history_entry)
    from .source_state import save_settings

    save_settings(layer)  # the next run, with or without the project, starts from this publication


def publish_layer(
    layer,
    connection: PortalConnection,
    formats: Optional[Sequence[str]] = ("csv",),
    accept_warnings: bool = False,
    dry_run: bool = False,
    recreate_if_deleted: bool = False,
    schema=None,
    feedback=None,
    progress: Optional[Progress] = None,
) -> PublishOutcome:
    """prepare → run → finish in the calling thread (Processing, scripts, tests)."""
    job = prepare(layer, connection, formats, accept_warnings, dry_run, recreate_if_deleted, schema)
    outcome = run(job, feedback, progress)
    finish(layer, job, outcome)
    return outcome


def outcome_report(
    job: Optional[PublishJob],
    outcome: Optional[PublishOutcome],
    layer_name: str = "",
    source: str = "",
    error: str = "",
) -> Dict[str, Any]:
    """What an unattended job reads (JSON): status, what was sent, the dataset and resource links, the check
    and legal counts, the gate's reasons. No secret, no key."""
    connection = job.connection if job is not None else None
    report: Dict[str, Any] = {
        "layer": layer_name or (job.layer_name if job is not None else ""),
        "source": source,
        "status": outcome.status if outcome is not None else FAILED,
        "published": bool(outcome is not None and outcome.status == PUBLISHED),
        "connection": (
            {k: v for k, v in connection.to_dict().items() if k in ("name", "portal_type", "base_url", "organisation")}
            if connection is not None
            else {}
        ),
        "schema": {"reference": job.schema_reference if job is not None else ""},
        "dataset_url": "",
        "dataset_id": "",
        "resource_urls": {},
        "files": [],
        "unchanged": False,
        "check": None,
        "legal": None,
        "blocking": [],
        "warnings": [],
        "messages": [],
        "error": error,
    }
    if job is not None and job.schema is not None:
        report["schema"].update(name=job.schema.name, version=job.schema.version)
    if outcome is None:
        return report
    if outcome.result is not None:
        report["dataset_url"] = outcome.result.dataset_url
        report["dataset_id"] = outcome.result.ref.dataset_id
        report["resource_urls"] = dict(outcome.result.resource_urls)
    held = set(outcome.result.ref.resource_ids) if outcome.result is not None else set()
    sent = outcome.status == PUBLISHED
    report["files"] = [
        {
            "format": f.format,
            "name": Path(f.path).name,
            "sent": sent and f.format in held and not f.unchanged,
            "unchanged": f.unchanged,
        }
        for f in outcome.files
    ]
    kept = [f for f in outcome.files if f.format in held]
    report["unchanged"] = sent and bool(kept) and all(f.unchanged for f in kept)
    if outcome.validation is not None:
        report["check"] = {
            "errors": int(outcome.validation.error_count),
            "warnings": int(outcome.validation.warning_count),
        }
    if outcome.legal is not None:
        report["legal"] = {
            "errors": int(outcome.legal.error_count),
            "warnings": int(outcome.legal.warning_count),
            "acknowledged": len(job.acknowledgements) if job is not None else 0,
        }
    report["blocking"] = [item.sentence() for item in outcome.gate.blocking]
    report["warnings"] = [item.sentence() for item in outcome.gate.warnings]
    report["messages"] = list(outcome.messages)
    if outcome.error is not None and not error:
        report["error"] = str(outcome.error)
    return report

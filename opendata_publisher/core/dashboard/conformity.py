"""Real conformity of a published resource: download it (size limit) and check it with the plugin's own
validator (:func:`opendata_publisher.core.validation.validate`), the same checks as the dock.

Only CSV resources are checked (the format of the common-core schemas); the file goes to a temporary
folder deleted afterwards. Every failure becomes a French sentence, never an exception.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from ...toolbelt import network
from ...toolbelt.network import NetworkError
from .model import INVALID, UNAVAILABLE, VALID, PortalResource

DEFAULT_MAX_MB = 20


@dataclass
class ConformityResult:
    state: str
    text: str
    error_count: int = 0
    errors_by_code: Dict[str, int] = field(default_factory=dict)
    resource: str = ""
    columns: List[str] = field(default_factory=list)


def pick_resource(resources: List[PortalResource]) -> Optional[PortalResource]:
    """The resource to check: the first CSV with a declared schema, else the first CSV."""
    csvs = [r for r in resources if r.format == "csv" or r.url.lower().split("?")[0].endswith(".csv")]
    with_schema = [r for r in csvs if r.schema_ref]
    return (with_schema or csvs or [None])[0]


def download(resource: PortalResource, folder: Path, max_mb: float, feedback=None) -> Path:
    """Download ``resource`` into ``folder``; raises ValueError (French) when too big or unreachable.

    The declared size (portal, then ``HEAD``) refuses a big file before anything is sent; the download itself
    stops as soon as it passes the limit (a server may announce nothing, or a wrong size)."""
    limit = int(max_mb * 1024 * 1024)
    if resource.size and resource.size > limit:
        raise ValueError(
            f"fichier de {resource.size / 1048576:.1f} Mo, au-delà de la limite de {max_mb:g} Mo : non vérifié"
        )
    if not network.is_local(resource.url):
        try:
            _status, headers, _body = network.request("HEAD", resource.url, feedback=feedback)
            length = int(headers.get("content-length") or 0)
        except (NetworkError, ValueError):
            length = 0  # some servers refuse HEAD: the download below stops at the limit anyway
        if length > limit:
            raise ValueError(
                f"fichier de {length / 1048576:.1f} Mo, au-delà de la limite de {max_mb:g} Mo : non vérifié"
            )
    path = folder / "ressource.csv"
    try:
        # stopped as soon as the limit is passed, whatever the server announced (or did not): nothing is kept
        network.download_to_file(resource.url, path, max_bytes=limit, feedback=feedback)
    except NetworkError as exc:
        if exc.kind == "too_large":
            size = (
                f"de {exc.announced_bytes / 1048576:.1f} Mo"
                if exc.announced_bytes and exc.announced_bytes > limit
                else f"de plus de {max_mb:g} Mo"
            )
            raise ValueError(
                f"fichier {size}, au-delà de la limite de {max_mb:g} Mo : téléchargement arrêté, non vérifié"
            ) from exc
        raise ValueError(f"téléchargement impossible : {exc}") from exc
    return path


def open_csv(path: Path):
    """The CSV as a QGIS layer, read as an agent would (delimiter sniffed, text fields, no geometry)."""
    from qgis.core import QgsVectorLayer

    from ..reader import sniff_delimiter

    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        encoding = "UTF-8"
    except UnicodeDecodeError:
        encoding = "windows-1252"
    delimiter = sniff_delimiter(str(path))
    delimiter_param = {"\t": "%5Ct", ";": ";", ",": ","}.get(delimiter, delimiter)
    uri = f"{path.as_uri()}?type=csv&delimiter={delimiter_param}&detectTypes=no&geomType=none&encoding={encoding}"
    return QgsVectorLayer(uri, path.stem, "delimitedtext")


def check_resource(resource: PortalResource, schema, max_mb: float = DEFAULT_MAX_MB, feedback=None) -> ConformityResult:
    """Download ``resource`` and validate it against ``schema`` (a TableSchema, or None to only read the
    columns for the column heuristic)."""
    from ..reader import LayerInput
    from ..validation import validate

    with tempfile.TemporaryDirectory(prefix="odp-dashboard-") as tmp:
        try:
            path = download(resource, Path(tmp), max_mb, feedback)
        except ValueError as exc:
            return ConformityResult(UNAVAILABLE, str(exc), resource=resource.url)
        layer = open_csv(path)
        if not layer.isValid():
            return ConformityResult(UNAVAILABLE, "fichier illisible comme CSV : non vérifié", resource=resource.url)
        columns = [f.name() for f in layer.fields()]
        if schema is None:
            return ConformityResult(UNAVAILABLE, "schéma non chargé", resource=resource.url, columns=columns)
        report = validate(LayerInput.from_layer(layer), schema, None, feedback)
        del layer
    if report.cancelled:
        return ConformityResult(UNAVAILABLE, "vérification annulée", resource=resource.url, columns=columns)
    errors = [f for f in report.findings if f.severity == "error"]
    by_code = dict(Counter(f.full_code for f in errors))
    if errors:
        return ConformityResult(
            INVALID,
            f"{len(errors)} erreur{'s' if len(errors) > 1 else ''} ({report.feature_count} lignes)",
            len(errors),
            by_code,
            resource.url,
            columns,
        )
    return ConformityResult(VALID, f"conforme ({report.feature_count} lignes)", 0, {}, resource.url, columns)

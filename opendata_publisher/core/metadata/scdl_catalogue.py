"""One row of the SCDL « catalogue simplifié » (schema scdl/catalogue 0.1.3) from a description.

Pure Python::

    COLUMNS                                  # the 20 columns, in schema order
    catalogue_row(description, resource_count=1) -> Dict[str, str]
    catalogue_csv(description) -> str        # header + one row, comma-separated, UTF-8 text

``COLL_*`` is the publisher (falling back to the producer), ``PRODUCTEUR_*`` the producer; both need a
SIRET (14 digits). Missing values stay empty: the completeness check (target ``scdl-catalogue``)
says what to fill.
"""

from __future__ import annotations

import csv
import io
from typing import Dict, List

from ..text import fold
from . import vocabulary
from .licences import licence_entry
from .model import OPEN_DATA_KEYWORD, DatasetDescription

COLUMNS: List[str] = [
    "COLL_NOM", "COLL_SIRET", "ID", "TITRE", "DESCRIPTION", "THEME", "PRODUCTEUR_NOM", "PRODUCTEUR_SIRET",
    "COUV_SPAT_MAILLE", "COUV_SPAT_NOM", "COUV_TEMP_DEBUT", "COUV_TEMP_FIN", "DATE_PUBL", "FREQ_MAJ", "DATE_MAJ",
    "MOTS_CLES", "LICENCE", "NOMBRE_RESSOURCES", "FORMAT_RESSOURCES", "URL",
]  # fmt: skip

_MAILLE = {"commune": "Communale", "epci": "Intercommunale", "departement": "Départementale", "region": "Régionale"}


def _ascii_lower(text: str) -> str:
    return fold(text, ascii_only=True)


def spatial_granularity(description: DatasetDescription) -> str:
    kinds = {a.kind for a in description.spatial_coverage}
    if not kinds:
        return ""
    if kinds == {"commune"}:
        return "Communale" if len(description.spatial_coverage) == 1 else "Intercommunale"
    for kind in ("region", "departement", "epci"):
        if kind in kinds:
            return _MAILLE[kind]
    return "Autre"


def catalogue_row(d: DatasetDescription, resource_count: int = 1) -> Dict[str, str]:
    collectivity = d.publisher if d.publisher.name else d.producer
    themes = [vocabulary.by_code(vocabulary.eu_themes(), c) for c in d.eu_themes]
    themes += [vocabulary.by_code(vocabulary.inspire_themes(), c) for c in d.inspire_themes]
    theme_text = ", ".join(t["label_fr"] for t in themes if t)[:140]
    keywords = [_ascii_lower(k).replace(";", ",") for k in d.keywords if k.strip()]
    keywords = [k for k in keywords if k != _ascii_lower(OPEN_DATA_KEYWORD)] or keywords
    freq = vocabulary.by_code(vocabulary.frequencies(), d.frequency)
    entry = licence_entry(d.licence)
    names = [a.name or a.code for a in d.spatial_coverage]
    return {
        "COLL_NOM": collectivity.name,
        "COLL_SIRET": collectivity.siret,
        "ID": d.identifier,
        "TITRE": d.title,
        "DESCRIPTION": d.description,
        "THEME": theme_text,
        "PRODUCTEUR_NOM": d.producer.name,
        "PRODUCTEUR_SIRET": d.producer.siret,
        "COUV_SPAT_MAILLE": spatial_granularity(d),
        "COUV_SPAT_NOM": ", ".join(n for n in names if n),
        "COUV_TEMP_DEBUT": d.temporal_start,
        "COUV_TEMP_FIN": d.temporal_end,
        "DATE_PUBL": d.issued,
        "FREQ_MAJ": ((freq or {}).get("scdl_catalogue") or ("Irrégulière" if freq else "")),
        "DATE_MAJ": d.modified,
        "MOTS_CLES": ";".join(keywords),
        "LICENCE": (entry or {}).get("scdl_catalogue") or ("Spécifique ou autre" if d.licence else ""),
        "NOMBRE_RESSOURCES": str(resource_count) if resource_count else "",
        "FORMAT_RESSOURCES": _ascii_lower(d.file_format) if d.file_format else "",
        "URL": d.landing_page or d.download_url,
    }


def catalogue_csv(d: DatasetDescription, resource_count: int = 1) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(catalogue_row(d, resource_count))
    return buffer.getvalue()

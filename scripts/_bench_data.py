"""Synthetic stationnement data for ``scripts/bench.py``: the same rows as a GeoPackage and as a CSV.

The rows follow ``etalab/schema-stationnement`` 0.1.5 (30 fields, schema order) with realistic, mostly
valid values and about 1 % of rows carrying one mistake each, of the kinds listed in :data:`ERROR_KINDS`.
Generation is deterministic for a given (rows, seed). Written with OGR (transactions, batch commits) so
the GeoPackage stays a valid GPKG with a spatial index; point geometry in EPSG:4326.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the plugin package, from the repository
from opendata_publisher.core.checks.custom import with_luhn_key  # noqa: E402

GENERATOR_VERSION = 2
ERROR_RATE = 0.01
BATCH = 50_000

# Schema order; OGR type of the GeoPackage column ("String" | "Integer" | "Real").
FIELDS: List[Tuple[str, str]] = [
    ("id", "String"),
    ("nom", "String"),
    ("insee", "String"),
    ("adresse", "String"),
    ("url", "String"),
    ("type_usagers", "String"),
    ("gratuit", "String"),  # SCDL booleans are often typed as text (true/false/vrai/faux)
    ("nb_places", "Integer"),
    ("nb_pr", "Integer"),
    ("nb_pmr", "Integer"),
    ("nb_voitures_electriques", "Integer"),
    ("nb_velo", "Integer"),
    ("nb_2r_el", "Integer"),
    ("nb_autopartage", "Integer"),
    ("nb_2_rm", "Integer"),
    ("nb_covoit", "Integer"),
    ("hauteur_max", "String"),
    ("num_siret", "String"),
    ("Xlong", "Real"),
    ("Ylat", "Real"),
    ("tarif_pmr", "String"),
    ("tarif_1h", "Real"),
    ("tarif_2h", "Real"),
    ("tarif_3h", "Real"),
    ("tarif_4h", "Real"),
    ("tarif_24h", "Real"),
    ("abo_resident", "Real"),
    ("abo_non_resident", "Real"),
    ("type_ouvrage", "String"),
    ("info", "String"),
]
FIELD_NAMES = [name for name, _kind in FIELDS]
SLOT = {name: i for i, name in enumerate(FIELD_NAMES)}

# One mistake per faulty row; what each is expected to raise (our code / frictionless' error type).
ERROR_KINDS: Dict[str, str] = {
    "required-nom": "constraint-error/required on nom",
    "required-nb_places": "constraint-error/required on nb_places",
    "enum-case": "constraint-error/enum on type_usagers (« Tous »)",
    "boolean-oui": "type-error on gratuit (« oui »)",
    "pattern-hauteur": "constraint-error/pattern on hauteur_max (« 2m10 »)",
    "pattern-insee": "constraint-error/pattern on insee (4 digits)",
    "negative-tarif": "constraint-error/minimum on tarif_2h",
    "siret-luhn": "siret (Luhn key wrong; frictionless does not see it)",
    "duplicate-id": "primary-key on id (id of the previous row)",
    "reversed-lonlat": "reversed-french-gps-coordinates (frictionless does not see it)",
    "null-island": "french-gps-coordinates at 0,0 (frictionless does not see it)",
}

NAMES = [
    "CENTRE",
    "GARE",
    "MAIRIE",
    "HOTEL DE VILLE",
    "EGLISE",
    "MARCHE",
    "HALLES",
    "CATHEDRALE",
    "REPUBLIQUE",
    "LIBERATION",
    "VICTOR HUGO",
    "JEAN JAURES",
    "CHATEAU",
    "PORT",
    "STADE",
    "PISCINE",
    "HOPITAL",
    "LYCEE",
    "MEDIATHEQUE",
    "PARC RELAIS",
    "THEATRE",
    "PALAIS DES SPORTS",
    "COLLEGE",
    "CIMETIERE",
    "ZONE ARTISANALE",
]
STREETS = [
    "rue de la Gare",
    "place de la Mairie",
    "avenue de la République",
    "rue Victor Hugo",
    "boulevard Jean Jaurès",
    "place du Marché",
    "rue de l'Église",
    "avenue du Général de Gaulle",
    "rue Pasteur",
    "rue du Stade",
    "chemin des Écoliers",
    "quai de la Loire",
]
INFOS = [
    "Gratuit le dimanche et les jours fériés",
    "Ouvert 24h/24 ; paiement par carte aux bornes",
    "Gratuité le samedi matin de 9h à 12h",
    "Accès par badge pour les abonnés",
]


def _communes(count: int, rng: random.Random) -> List[Tuple[str, str, str, float, float]]:
    """Synthetic communes of metropolitan France: (insee, name, postal code, lon, lat), well inside the country."""
    departments = [f"{d:02d}" for d in range(1, 96) if d != 20]
    result = []
    for index in range(count):
        dept = departments[index % len(departments)]
        number = 1 + (index // len(departments)) % 999
        insee = f"{dept}{number:03d}"
        lon = round(rng.uniform(-0.5, 5.5), 4)
        lat = round(rng.uniform(44.0, 49.0), 4)
        result.append((insee, f"Commune {insee}", f"{dept}{rng.randrange(0, 990, 10):03d}", lon, lat))
    return result


def generate_rows(rows: int, seed: int = 45) -> Iterator[Tuple[List[Any], Tuple[float, float], Optional[str]]]:
    """Yield (values in schema order, true (lon, lat) of the point, error kind or None)."""
    rng = random.Random(seed)
    per_commune = 999  # the id pattern allows 3 digits after -P-
    communes = _communes(rows // per_commune + 1, rng)
    # a SIRET's SIREN (9 first digits) has its own key, which Validata checks too
    sirets = [
        with_luhn_key(with_luhn_key(str(rng.randrange(10**7, 10**8))) + f"{rng.randrange(1, 10**4):04d}")
        for _ in range(5000)
    ]
    kinds = list(ERROR_KINDS)
    previous_id = "01001-P-001"
    for index in range(rows):
        insee, city, postcode, clon, clat = communes[index // per_commune]
        lon = round(clon + rng.uniform(-0.04, 0.04), 6)
        lat = round(clat + rng.uniform(-0.03, 0.03), 6)
        kind_of_parking = rng.random()
        paying = kind_of_parking < 0.45
        places = rng.randrange(20, 900) if paying else rng.randrange(8, 120)
        row: List[Any] = [
            f"{insee}-P-{index % per_commune + 1:03d}",
            f"{rng.choice(NAMES)} {index % 997}",
            insee,
            f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {postcode}, {city}",
            f"https://www.ville-{insee}.fr/stationnement" if rng.random() < 0.3 else None,
            "tous" if rng.random() < 0.9 else "abonnés",
            "false" if paying else "true",
            places,
            rng.randrange(0, places // 2 + 1) if kind_of_parking > 0.9 else None,
            max(1, places // 50),
            rng.choice([2, 4, 6, 10]) if paying else None,
            rng.choice([10, 20, 30]) if rng.random() < 0.4 else None,
            rng.choice([2, 4]) if rng.random() < 0.1 else None,
            rng.choice([2, 4]) if rng.random() < 0.1 else None,
            rng.choice([4, 8, 12]) if rng.random() < 0.3 else None,
            rng.choice([5, 10]) if rng.random() < 0.1 else None,
            str(rng.choice([190, 200, 210, 220])) if paying else "N/A",
            rng.choice(sirets),
            lon,
            lat,
            rng.choice(["gratuit", "normal_payant", "tarif_special"]) if paying else None,
        ]
        if paying:
            hour = rng.choice([1.2, 1.5, 1.8, 2.0, 2.2, 2.5])
            row += [hour, round(hour * 1.9, 2), round(hour * 2.7, 2), round(hour * 3.4, 2), round(hour * 9, 1)]
            row += [rng.choice([45.0, 50.0, 60.99]), rng.choice([70.0, 79.99, 90.0])]
            row.append(rng.choice(["ouvrage", "enclos_en_surface"]))
        else:
            row += [None] * 7
            row.append("enclos_en_surface" if rng.random() < 0.5 else None)
        row.append(rng.choice(INFOS) if rng.random() < 0.2 else None)

        point = (lon, lat)
        kind = rng.choice(kinds) if rng.random() < ERROR_RATE else None
        if kind == "required-nom":
            row[SLOT["nom"]] = None
        elif kind == "required-nb_places":
            row[SLOT["nb_places"]] = None
        elif kind == "enum-case":
            row[SLOT["type_usagers"]] = "Tous"
        elif kind == "boolean-oui":
            row[SLOT["gratuit"]] = "oui"
        elif kind == "pattern-hauteur":
            row[SLOT["hauteur_max"]] = "2m10"
        elif kind == "pattern-insee":
            row[SLOT["insee"]] = insee[:4]
        elif kind == "negative-tarif":
            row[SLOT["tarif_2h"]] = -1.5
        elif kind == "siret-luhn":
            good = row[SLOT["num_siret"]]
            row[SLOT["num_siret"]] = good[:-1] + str((int(good[-1]) + 1) % 10)
        elif kind == "duplicate-id":
            row[SLOT["id"]] = previous_id
        elif kind == "reversed-lonlat":
            row[SLOT["Xlong"]], row[SLOT["Ylat"]] = lat, lon
        elif kind == "null-island":
            row[SLOT["Xlong"]] = row[SLOT["Ylat"]] = 0.0
            point = (0.0, 0.0)
        previous_id = row[SLOT["id"]]
        yield row, point, kind


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_dataset(gpkg_path: Path, csv_path: Path, rows: int, seed: int = 45, progress=None) -> Dict[str, Any]:
    """Write both files (via temporary names, renamed at the end) and return the manifest of planted errors."""
    from osgeo import ogr, osr

    ogr.UseExceptions()
    tmp_gpkg = gpkg_path.with_name(gpkg_path.name + ".tmp.gpkg")
    tmp_csv = csv_path.with_name(csv_path.name + ".tmp")
    for path in (tmp_gpkg, tmp_csv):
        if path.exists():
            path.unlink()
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(tmp_gpkg))
    layer = dataset.CreateLayer("stationnement", srs, ogr.wkbPoint, options=["SPATIAL_INDEX=YES"])
    types = {"String": ogr.OFTString, "Integer": ogr.OFTInteger, "Real": ogr.OFTReal}
    for name, kind in FIELDS:
        layer.CreateField(ogr.FieldDefn(name, types[kind]))
    definition = layer.GetLayerDefn()
    kinds: Counter = Counter()
    with open(tmp_csv, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELD_NAMES)
        layer.StartTransaction()
        for index, (values, (lon, lat), kind) in enumerate(generate_rows(rows, seed), start=1):
            if kind:
                kinds[kind] += 1
            writer.writerow([_csv_text(v) for v in values])
            feature = ogr.Feature(definition)
            for slot, value in enumerate(values):
                if value is not None:
                    feature.SetField(slot, value)
            point = ogr.Geometry(ogr.wkbPoint)
            point.AddPoint_2D(lon, lat)
            feature.SetGeometryDirectly(point)
            layer.CreateFeature(feature)
            if index % BATCH == 0:
                layer.CommitTransaction()
                layer.StartTransaction()
                if progress:
                    progress(index)
        layer.CommitTransaction()
    dataset = None  # noqa: F841 - closes the GeoPackage
    os.replace(tmp_gpkg, gpkg_path)
    os.replace(tmp_csv, csv_path)
    return {
        "generator_version": GENERATOR_VERSION,
        "rows": rows,
        "seed": seed,
        "faulty_rows": sum(kinds.values()),
        "planted": dict(sorted(kinds.items())),
    }


def write_manifest(path: Path, manifest: Dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")

#!/usr/bin/env python3
"""Build the demo project: parkings of Orléans Métropole with the mistakes agents make.

Usage (with the project's virtualenv, which sees the system's QGIS)::

    .venv/bin/python scripts/make_demo.py --out .run/demo

writes ``DIR/demo.gpkg`` (layers ``parkings`` and ``communes``) and ``DIR/demo.qgs`` (relative paths,
CRS EPSG:2154, opening on the parkings), prints the path of the project and exits 0. Running it again
overwrites both files.

The parkings layer follows the Table Schema ``etalab/schema-stationnement`` 0.1.5 closely, with the
typical mistakes listed in :data:`PLANTED` (one line per mistake: the finding code the check must
report, the schema field, and the parking's ``nom``). Every fact used here is public (INSEE codes of
the 22 communes, SIREN of Orléans Métropole); the parkings, their figures and the SIRET NICs are
made up for the demo. Nothing is read from ``../shared`` at run time.

``build_demo(out_dir)`` does the work in-process when a ``QgsApplication`` already runs (tests).

For ``make demo`` (scripts/run_demo.py): :func:`hand_fixes` gives the values no automatic fix can guess
(what the agent knows of the ground), :data:`DEMO_PROFILE` the organisation profile of the demo and
:data:`DEMO_DESCRIPTION` what the agent types on the « Décrire » page.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the plugin package, from the repository
from opendata_publisher.core.checks.custom import luhn_ok, with_luhn_key  # noqa: E402,F401 - also used by the tests
from opendata_publisher.core.layer_properties import SCHEMA_PROPERTY  # noqa: E402

SCHEMA_REFERENCE = "etalab/schema-stationnement@0.1.5"
PARKINGS_LAYER_NAME = "Parkings (stationnement)"
COMMUNES_LAYER_NAME = "Communes (emprises simplifiées)"
PARKINGS_TABLE = "parkings"
COMMUNES_TABLE = "communes"
GPKG_NAME = "demo.gpkg"
PROJECT_NAME = "demo.qgs"

# SIREN of Orléans Métropole (public); the NICs below are made up and completed with a Luhn key.
METROPOLE_SIREN = "244500468"

# (INSEE code, name, postal code, approximate centre lon, lat in WGS84) of the 22 communes.
COMMUNES: List[Tuple[str, str, str, float, float]] = [
    ("45034", "Boigny-sur-Bionne", "45760", 2.0150, 47.9330),
    ("45043", "Bou", "45430", 2.0470, 47.8700),
    ("45072", "Chanteau", "45400", 1.9700, 47.9650),
    ("45089", "Chécy", "45430", 2.0250, 47.8940),
    ("45100", "Combleux", "45800", 2.0000, 47.8980),
    ("45147", "Fleury-les-Aubrais", "45400", 1.9200, 47.9330),
    ("45169", "Ingré", "45140", 1.8250, 47.9200),
    ("45075", "La Chapelle-Saint-Mesmin", "45380", 1.8330, 47.8900),
    ("45194", "Mardié", "45430", 2.0550, 47.8880),
    ("45197", "Marigny-les-Usages", "45760", 2.0150, 47.9570),
    ("45232", "Olivet", "45160", 1.9000, 47.8630),
    ("45234", "Orléans", "45000", 1.9093, 47.9025),
    ("45235", "Ormes", "45140", 1.8170, 47.9420),
    ("45272", "Saint-Cyr-en-Val", "45590", 1.9670, 47.8300),
    ("45274", "Saint-Denis-en-Val", "45560", 1.9620, 47.8780),
    ("45282", "Saint-Hilaire-Saint-Mesmin", "45160", 1.8350, 47.8660),
    ("45284", "Saint-Jean-de-Braye", "45800", 1.9720, 47.9130),
    ("45285", "Saint-Jean-de-la-Ruelle", "45140", 1.8650, 47.9110),
    ("45286", "Saint-Jean-le-Blanc", "45650", 1.9170, 47.8930),
    ("45298", "Saint-Pryvé-Saint-Mesmin", "45750", 1.8700, 47.8850),
    ("45302", "Saran", "45770", 1.8760, 47.9500),
    ("45308", "Semoy", "45400", 1.9550, 47.9330),
]

# (nom, INSEE, street, lon, lat, kind) — kind: "ouvrage" (multi-storey, paying), "centre" (paying surface car
# park), "pr" (park and ride, free with a tram ticket), "bourg" (free village car park).
PARKINGS: List[Tuple[str, str, str, float, float, str]] = [
    ("CATHEDRALE", "45234", "Place Sainte-Croix", 1.9100, 47.9016, "ouvrage"),
    ("MARTROI", "45234", "Place du Martroi", 1.9040, 47.9030, "ouvrage"),
    ("CHARPENTERIE", "45234", "Rue de la Charpenterie", 1.9070, 47.8990, "ouvrage"),
    ("PLACE D'ARC", "45234", "Rue Nicolas Copernic", 1.9045, 47.9075, "ouvrage"),
    ("GARE", "45234", "Avenue de Paris", 1.9052, 47.9092, "ouvrage"),
    ("CHATELET", "45234", "Place du Châtelet", 1.9060, 47.9000, "ouvrage"),
    ("CHEVAL ROUGE", "45234", "Rue Adolphe Crespin", 1.9010, 47.9015, "ouvrage"),
    ("MUNSTER", "45234", "Boulevard Alexandre Martin", 1.9195, 47.9045, "ouvrage"),
    ("BARON", "45234", "Rue du Baron", 1.9130, 47.9050, "centre"),
    ("SAINT-PAUL", "45234", "Rue Notre-Dame-de-Recouvrance", 1.8990, 47.9000, "ouvrage"),
    ("PATINOIRE", "45234", "Rue Eugène Vignat", 1.9210, 47.9000, "centre"),
    ("MEDIATHEQUE", "45234", "Place Gambetta", 1.8990, 47.9060, "ouvrage"),
    ("BOURGOGNE", "45234", "Rue de Bourgogne", 1.9150, 47.9010, "centre"),
    ("LA SOURCE CENTRE", "45234", "Avenue de la Bolière", 1.9370, 47.8390, "centre"),
    ("HOPITAL DE LA SOURCE", "45234", "Avenue de l'Hôpital", 1.9270, 47.8360, "pr"),
    ("ZENITH", "45234", "Rue Président Robert Schuman", 1.8930, 47.8870, "pr"),
    ("GARE DES AUBRAIS", "45147", "Rue Pierre Sémard", 1.9070, 47.9270, "ouvrage"),
    ("JULES VERNE", "45147", "Rue Jules Verne", 1.9170, 47.9420, "pr"),
    ("FLEURY MAIRIE", "45147", "Place de la République", 1.9200, 47.9330, "bourg"),
    ("GAUDIER-BRZESKA", "45284", "Avenue Gaudier-Brzeska", 1.9870, 47.9120, "pr"),
    ("SAINT-JEAN-DE-BRAYE CENTRE", "45284", "Rue Jean Zay", 1.9740, 47.9130, "bourg"),
    ("SAINT-JEAN-DE-LA-RUELLE MAIRIE", "45285", "Rue Charles Beauhaire", 1.8650, 47.9110, "bourg"),
    ("GEORGES POMPIDOU", "45075", "Route d'Orléans", 1.8390, 47.8930, "pr"),
    ("OLIVET CENTRE", "45232", "Rue du Général de Gaulle", 1.9000, 47.8630, "centre"),
    ("BORDS DU LOIRET", "45232", "Rue de la Reine Blanche", 1.8950, 47.8590, "bourg"),
    ("SARAN MAIRIE", "45302", "Place de la Liberté", 1.8760, 47.9500, "bourg"),
    ("SAINT-JEAN-LE-BLANC MAIRIE", "45286", "Rue Demay", 1.9170, 47.8930, "bourg"),
    ("SAINT-PRYVE BOURG", "45298", "Rue de la Mairie", 1.8700, 47.8850, "bourg"),
    ("INGRE CENTRE", "45169", "Rue de la Mairie", 1.8250, 47.9200, "bourg"),
    ("CHECY PLACE DU CLOITRE", "45089", "Place du Cloître", 2.0250, 47.8940, "bourg"),
    ("SEMOY MAIRIE", "45308", "Rue de la Mairie", 1.9550, 47.9330, "bourg"),
    ("SAINT-DENIS-EN-VAL BOURG", "45274", "Rue de la Mairie", 1.9620, 47.8780, "bourg"),
    ("SAINT-CYR-EN-VAL BOURG", "45272", "Place de l'Église", 1.9670, 47.8300, "bourg"),
    ("ORMES MAIRIE", "45235", "Rue Nationale", 1.8170, 47.9420, "bourg"),
    ("BOIGNY COMMANDERIE", "45034", "Rue de la Commanderie", 2.0150, 47.9330, "bourg"),
    ("COMBLEUX CANAL", "45100", "Rue du Canal", 2.0000, 47.8980, "bourg"),
    ("MARDIE BOURG", "45194", "Place de l'Église", 2.0550, 47.8880, "bourg"),
    ("MARIGNY-LES-USAGES MAIRIE", "45197", "Rue de la Mairie", 2.0150, 47.9570, "bourg"),
    ("CHANTEAU BOURG", "45072", "Place de l'Église", 1.9700, 47.9650, "bourg"),
    ("BOU BORDS DE LOIRE", "45043", "Rue de la Loire", 2.0470, 47.8700, "bourg"),
    ("SAINT-HILAIRE BOURG", "45282", "Rue du Bourg", 1.8350, 47.8660, "bourg"),
]

# Layer fields: (name, OGR type) — schema order, with the agent's own habits: ``gratuit`` and ``tarif_1h``
# typed as text, ``nb_voitures_electriques`` truncated to 10 characters by a Shapefile round trip,
# and an internal column the portal must not receive.
LAYER_FIELDS: List[Tuple[str, str]] = [
    ("id", "String"),
    ("nom", "String"),
    ("insee", "String"),
    ("adresse", "String"),
    ("url", "String"),
    ("type_usagers", "String"),
    ("gratuit", "String"),
    ("nb_places", "Integer"),
    ("nb_pr", "Integer"),
    ("nb_pmr", "Integer"),
    ("nb_voiture", "Integer"),
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
    ("tarif_1h", "String"),
    ("tarif_2h", "Real"),
    ("tarif_3h", "Real"),
    ("tarif_4h", "Real"),
    ("tarif_24h", "Real"),
    ("abo_resident", "Real"),
    ("abo_non_resident", "Real"),
    ("type_ouvrage", "String"),
    ("info", "String"),
    ("commentaire_interne", "String"),
]

# The planted mistakes: (finding code, constraint or None, schema field or None, nom of the parking).
# ``nom`` is None for the parking whose name is missing (found through its id instead, see MISSING_NAME_ID).
PLANTED: List[Tuple[str, Optional[str], Optional[str], Optional[str]]] = [
    ("constraint-error", "required", "nom", None),
    ("constraint-error", "required", "hauteur_max", "CHARPENTERIE"),
    ("constraint-error", "required", "nb_places", "GAUDIER-BRZESKA"),
    ("constraint-error", "enum", "type_usagers", "MARTROI"),
    ("constraint-error", "enum", "type_ouvrage", "MEDIATHEQUE"),
    ("constraint-error", "pattern", "hauteur_max", "SAINT-PAUL"),
    ("type-error", None, "gratuit", "CHATELET"),
    ("type-error", None, "gratuit", "SAINT-PRYVE BOURG"),
    ("type-error", None, "tarif_1h", "CHEVAL ROUGE"),
    ("siret", None, "num_siret", "PATINOIRE"),
    ("primary-key", None, "id", "GARE"),  # ``id`` is the primary key; the schema sets no ``unique`` on it
    ("reversed-french-gps-coordinates", None, None, "OLIVET CENTRE"),
    ("french-gps-coordinates", None, None, "COMBLEUX CANAL"),
    ("missing-label", None, "nb_voitures_electriques", None),
    ("extra-label", None, "commentaire_interne", None),
    ("geometry-missing", None, None, "BOU BORDS DE LOIRE"),
]
MISSING_NAME_ID = "45234-P-009"  # BARON, whose name the agent forgot
DUPLICATED_ID = "45234-P-004"  # PLACE D'ARC's id, copied onto GARE
NULL_GEOMETRY_NOM = "BOU BORDS DE LOIRE"
NULL_ISLAND_NOM = "COMBLEUX CANAL"
REVERSED_NOM = "OLIVET CENTRE"


def _clean_rows() -> List[Dict[str, Any]]:
    """The attribute rows as they should be (schema values) and the WGS84 point of each parking."""
    rng = random.Random(45234)
    communes = {code: (name, postcode) for code, name, postcode, _lon, _lat in COMMUNES}
    siret_metropole = with_luhn_key(METROPOLE_SIREN + "0001")
    siret_regie = with_luhn_key(METROPOLE_SIREN + "0042")
    counters: Dict[str, int] = {}
    rows: List[Dict[str, Any]] = []
    for nom, insee, street, lon, lat, kind in PARKINGS:
        counters[insee] = counters.get(insee, 0) + 1
        commune, postcode = communes[insee]
        if insee == "45234" and lat < 47.86:
            postcode = "45100"  # La Source
        number = rng.randint(1, 60)
        row: Dict[str, Any] = {
            "id": f"{insee}-P-{counters[insee]:03d}",
            "nom": nom,
            "insee": insee,
            "adresse": f"{number} {street}, {postcode}, {commune}",
            "url": None,
            "type_usagers": "tous",
            "gratuit": "false",
            "nb_pr": None,
            "nb_voiture": None,
            "nb_velo": None,
            "nb_2r_el": None,
            "nb_autopartage": None,
            "nb_2_rm": None,
            "nb_covoit": None,
            "hauteur_max": "N/A",
            "num_siret": siret_metropole,
            "Xlong": round(lon, 6),
            "Ylat": round(lat, 6),
            "tarif_pmr": "gratuit",
            "tarif_1h": None,
            "tarif_2h": None,
            "tarif_3h": None,
            "tarif_4h": None,
            "tarif_24h": None,
            "abo_resident": None,
            "abo_non_resident": None,
            "type_ouvrage": "enclos_en_surface",
            "info": None,
            "commentaire_interne": None,
            "_lonlat": (lon, lat),
        }
        if kind == "ouvrage":
            hour = rng.choice([1.6, 1.8, 2.0, 2.2])
            row.update(
                type_ouvrage="ouvrage",
                nb_places=rng.randrange(180, 820, 10),
                hauteur_max=str(rng.choice([190, 200, 210])),
                url="https://www.orleans-metropole.fr/deplacements/stationnement",
                num_siret=siret_regie,
                tarif_1h=f"{hour:.2f}",
                tarif_2h=round(hour * 1.9, 2),
                tarif_3h=round(hour * 2.7, 2),
                tarif_4h=round(hour * 3.4, 2),
                tarif_24h=round(hour * 9, 1),
                abo_resident=rng.choice([45.0, 50.0, 55.0]),
                abo_non_resident=rng.choice([70.0, 80.0, 90.0]),
                nb_voiture=rng.choice([4, 6, 8, 10]),
                nb_velo=rng.choice([20, 30, 40]),
                nb_2_rm=rng.choice([5, 8, 12]),
                nb_autopartage=rng.choice([0, 2, 4]),
                info="Ouvert 24h/24 ; paiement par carte aux bornes",
            )
        elif kind == "centre":
            hour = rng.choice([1.2, 1.5])
            row.update(
                nb_places=rng.randrange(40, 200, 5),
                tarif_1h=f"{hour:.2f}",
                tarif_2h=round(hour * 2, 2),
                tarif_24h=12.0,
                info="Gratuit le dimanche et les jours fériés",
            )
        elif kind == "pr":
            row.update(
                type_usagers="abonnés",
                gratuit="true",
                nb_places=rng.randrange(150, 500, 10),
                nb_pr=rng.randrange(100, 150, 10),
                nb_covoit=rng.choice([5, 10]),
                nb_velo=rng.choice([10, 20]),
                info="Parc relais : gratuit avec un titre de transport TAO",
            )
        else:
            row.update(gratuit="true", nb_places=rng.randrange(12, 80, 2), tarif_pmr=None)
        row["nb_pmr"] = max(1, row["nb_places"] // 50)
        if rng.random() < 0.25:
            row["commentaire_interne"] = rng.choice(
                ["Vérifier le nombre de places sur place", "Tarifs à confirmer avec la régie", "Relevé 2023"]
            )
        rows.append(row)
    return rows


def _parking_rows() -> List[Dict[str, Any]]:
    """The attribute rows (schema values + planted mistakes) and the WGS84 point of each parking."""
    rows = _clean_rows()
    by_nom = {row["nom"]: row for row in rows}
    by_nom["BARON"]["nom"] = None  # required value missing
    by_nom["CHARPENTERIE"]["hauteur_max"] = None  # required value missing
    by_nom["GAUDIER-BRZESKA"]["nb_places"] = None  # required value missing
    by_nom["MARTROI"]["type_usagers"] = "Tous"  # enum, wrong case
    by_nom["MEDIATHEQUE"]["type_ouvrage"] = "Ouvrage"  # enum, wrong case
    by_nom["SAINT-PAUL"]["hauteur_max"] = "2m10"  # pattern ^(\d+|N/A)$
    by_nom["CHATELET"]["gratuit"] = "oui"  # boolean typed as "oui"
    by_nom["SAINT-PRYVE BOURG"]["gratuit"] = "non"
    by_nom["CHEVAL ROUGE"]["tarif_1h"] = "1,80"  # decimal comma
    good = by_nom["PATINOIRE"]["num_siret"]
    by_nom["PATINOIRE"]["num_siret"] = good[:-1] + str((int(good[-1]) + 1) % 10)  # Luhn fails
    by_nom["GARE"]["id"] = DUPLICATED_ID  # copied from PLACE D'ARC
    reversed_row = by_nom[REVERSED_NOM]
    reversed_row["Xlong"], reversed_row["Ylat"] = reversed_row["Ylat"], reversed_row["Xlong"]
    null_island = by_nom[NULL_ISLAND_NOM]
    null_island.update(Xlong=0.0, Ylat=0.0, _lonlat=(0.0, 0.0))  # geocoding failed: point at (0, 0)
    by_nom[NULL_GEOMETRY_NOM]["_lonlat"] = None  # never digitised
    return rows


class HandFix(NamedTuple):
    """A value the agent corrects by hand in the attribute table (``conform_layer`` cannot guess it)."""

    key_field: str  # how to find the feature: its « nom », or its « id » when the name is missing
    key_value: str
    values: Dict[str, Any]  # schema field -> the right value
    lonlat: Optional[Tuple[float, float]]  # the point to place on the map (WGS 84), or None
    why: str  # what the agent knows (French, shown by ``make demo``)


def hand_fixes() -> List[HandFix]:
    """What remains after ``conform_layer`` on the demo layer: the right values, as the agent knows them."""
    clean = {row["nom"]: row for row in _clean_rows()}
    return [
        HandFix("id", MISSING_NAME_ID, {"nom": "BARON"}, None, "le nom oublié à la saisie"),
        HandFix(
            "nom",
            "CHARPENTERIE",
            {"hauteur_max": clean["CHARPENTERIE"]["hauteur_max"]},
            None,
            "hauteur maximale relevée sur place",
        ),
        HandFix(
            "nom", "GAUDIER-BRZESKA", {"nb_places": clean["GAUDIER-BRZESKA"]["nb_places"]}, None, "places comptées"
        ),
        HandFix(
            "nom",
            "SAINT-PAUL",
            {"hauteur_max": clean["SAINT-PAUL"]["hauteur_max"]},
            None,
            "hauteur relevée, en centimètres comme le demande le schéma",
        ),
        HandFix(
            "nom",
            "PATINOIRE",
            {"num_siret": clean["PATINOIRE"]["num_siret"]},
            None,
            "SIRET recopié depuis l'annuaire des entreprises",
        ),
        HandFix(
            "nom",
            NULL_ISLAND_NOM,
            {"Xlong": clean[NULL_ISLAND_NOM]["Xlong"], "Ylat": clean[NULL_ISLAND_NOM]["Ylat"]},
            clean[NULL_ISLAND_NOM]["_lonlat"],
            "le géocodage avait échoué : point placé sur la carte",
        ),
        HandFix("nom", NULL_GEOMETRY_NOM, {}, clean[NULL_GEOMETRY_NOM]["_lonlat"], "point dessiné sur la carte"),
    ]


#: the organisation profile of the demo (Préférences > Options > Données ouvertes), public facts only
DEMO_PROFILE = {
    "organisation_name": "Orléans Métropole",
    "organisation_siren": METROPOLE_SIREN,
    "organisation_siret": with_luhn_key(METROPOLE_SIREN + "0001"),
    "contact_name": "Service SIG",
    "contact_email": "sig@orleans-metropole.example",
    "territory_code": METROPOLE_SIREN,
}

#: what the agent types on the « Décrire » page (everything else comes from the profile and the schema)
DEMO_DESCRIPTION = {
    "title": "Stationnement — parkings d'Orléans Métropole",
    "description": (
        "Parkings publics des 22 communes d'Orléans Métropole : capacité, places PMR, vélos et recharge, "
        "tarifs, hauteur maximale et type d'ouvrage, au format du schéma national du stationnement."
    ),
    "frequency": "ANNUAL",
    "eu_themes": ["TRAN"],
    "temporal_start": "2024-01-01",
    "temporal_end": "2024-12-31",
}


def _transformer():
    from osgeo import osr

    source = osr.SpatialReference()
    source.ImportFromEPSG(4326)
    source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    target = osr.SpatialReference()
    target.ImportFromEPSG(2154)
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return target, osr.CoordinateTransformation(source, target)


def _commune_cells(to_2154) -> List[Tuple[str, str, bytes]]:
    """Rough commune footprints: Voronoi cells of the commune centres, clipped to their buffered hull."""
    from qgis.core import QgsGeometry, QgsPointXY

    centres = []
    for code, name, _postcode, lon, lat in COMMUNES:
        x, y, _z = to_2154.TransformPoint(lon, lat)
        centres.append((code, name, QgsPointXY(x, y)))
    points = QgsGeometry.fromMultiPointXY([point for _c, _n, point in centres])
    hull = points.convexHull().buffer(2500, 8)
    cells = points.voronoiDiagram(hull)
    result = []
    for code, name, point in centres:
        point_geometry = QgsGeometry.fromPointXY(point)
        for cell in cells.asGeometryCollection():
            if cell.contains(point_geometry):
                clipped = cell.intersection(hull)
                result.append((code, name, bytes(clipped.asWkb())))
                break
    return result


def _write_gpkg(path: Path, rows: List[Dict[str, Any]]) -> None:
    from osgeo import ogr

    ogr.UseExceptions()
    srs, to_2154 = _transformer()
    driver = ogr.GetDriverByName("GPKG")
    dataset = driver.CreateDataSource(str(path))
    try:
        communes = dataset.CreateLayer(COMMUNES_TABLE, srs, ogr.wkbPolygon)
        communes.CreateField(ogr.FieldDefn("insee", ogr.OFTString))
        communes.CreateField(ogr.FieldDefn("nom", ogr.OFTString))
        communes.StartTransaction()
        for code, name, wkb in _commune_cells(to_2154):
            feature = ogr.Feature(communes.GetLayerDefn())
            feature.SetField("insee", code)
            feature.SetField("nom", name)
            feature.SetGeometry(ogr.CreateGeometryFromWkb(wkb))
            communes.CreateFeature(feature)
        communes.CommitTransaction()

        parkings = dataset.CreateLayer(PARKINGS_TABLE, srs, ogr.wkbPoint)
        types = {"String": ogr.OFTString, "Integer": ogr.OFTInteger, "Real": ogr.OFTReal}
        for name, kind in LAYER_FIELDS:
            parkings.CreateField(ogr.FieldDefn(name, types[kind]))
        parkings.StartTransaction()
        for row in rows:
            feature = ogr.Feature(parkings.GetLayerDefn())
            for name, _kind in LAYER_FIELDS:
                value = row.get(name)
                if value is None:
                    feature.SetFieldNull(name)
                else:
                    feature.SetField(name, value)
            if row["_lonlat"] is not None:
                x, y, _z = to_2154.TransformPoint(*row["_lonlat"])
                point = ogr.Geometry(ogr.wkbPoint)
                point.AddPoint_2D(round(x, 2), round(y, 2))
                feature.SetGeometry(point)
            parkings.CreateFeature(feature)
        parkings.CommitTransaction()
    finally:
        dataset = None


def _remove_previous(out_dir: Path) -> None:
    for name in (GPKG_NAME, GPKG_NAME + "-wal", GPKG_NAME + "-shm", GPKG_NAME + "-journal", PROJECT_NAME):
        target = out_dir / name
        if target.exists():
            target.unlink()


def _style_layers(parkings, communes) -> None:
    from qgis.core import QgsFillSymbol, QgsMarkerSymbol, QgsSingleSymbolRenderer

    marker = QgsMarkerSymbol.createSimple(
        {"name": "square", "color": "31,120,180,255", "outline_color": "255,255,255,255", "size": "3"}
    )
    parkings.setRenderer(QgsSingleSymbolRenderer(marker))
    fill = QgsFillSymbol.createSimple(
        {"color": "230,230,220,120", "outline_color": "140,140,140,255", "outline_width": "0.3"}
    )
    communes.setRenderer(QgsSingleSymbolRenderer(fill))


def build_demo(out_dir) -> Path:
    """Write ``demo.gpkg`` and ``demo.qgs`` into ``out_dir`` (created if needed) and return the project path.

    Needs a running ``QgsApplication`` (``main()`` starts one; pytest-qgis provides one in tests).
    """
    from qgis.core import (
        Qgis,
        QgsCoordinateReferenceSystem,
        QgsProject,
        QgsRectangle,
        QgsReferencedRectangle,
        QgsVectorLayer,
    )

    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_previous(out_dir)
    gpkg = out_dir / GPKG_NAME
    rows = _parking_rows()
    _write_gpkg(gpkg, rows)

    crs = QgsCoordinateReferenceSystem("EPSG:2154")
    project = QgsProject()
    project.setFileName(str(out_dir / PROJECT_NAME))
    project.setTitle("Démo Open Data Publisher — stationnement d'Orléans Métropole")
    project.setCrs(crs)
    project.setFilePathStorage(Qgis.FilePathType.Relative)

    communes = QgsVectorLayer(f"{gpkg}|layername={COMMUNES_TABLE}", COMMUNES_LAYER_NAME, "ogr")
    parkings = QgsVectorLayer(f"{gpkg}|layername={PARKINGS_TABLE}", PARKINGS_LAYER_NAME, "ogr")
    for layer in (communes, parkings):
        if not layer.isValid():
            raise RuntimeError(f"La couche « {layer.name()} » du GeoPackage {gpkg} ne s'ouvre pas.")
    parkings.setCustomProperty(SCHEMA_PROPERTY, SCHEMA_REFERENCE)
    _style_layers(parkings, communes)
    project.addMapLayers([communes, parkings])

    # Open on the parkings of the metropolis (the null-island point would zoom out to the whole world).
    extent = QgsRectangle()
    extent.setMinimal()
    for feature in parkings.getFeatures():
        geometry = feature.geometry()
        if geometry.isNull() or feature["nom"] == NULL_ISLAND_NOM:
            continue
        extent.combineExtentWith(geometry.boundingBox())
    extent.grow(1500)
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(extent, crs))

    if not project.write():
        raise RuntimeError(f"Impossible d'écrire le projet {out_dir / PROJECT_NAME} : {project.error()}")
    project.clear()
    return out_dir / PROJECT_NAME


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Construit le projet de démonstration (stationnement, Orléans).")
    parser.add_argument("--out", required=True, help="dossier de sortie (demo.gpkg et demo.qgs y sont écrasés)")
    args = parser.parse_args(argv)

    from qgis.core import QgsApplication

    app = None
    if QgsApplication.instance() is None:
        app = QgsApplication([], False)
        app.initQgis()
    try:
        path = build_demo(Path(args.out))
    finally:
        if app is not None:
            app.exitQgis()
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

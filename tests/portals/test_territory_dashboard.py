"""Territory dashboard against the REAL udata 17.18.0 holding datasets of five of the 22 communes.

What is put in (``_seed``):

- Orléans: IRVE statique 2.3.1 (valid file, annual, updated 10 days ago) and « Défibrillateurs (DAE) de la
  ville » with no declared schema (recognised by the title heuristic only);
- Fleury-les-Aubrais: IRVE statique 2.3.1 (valid, monthly, 5 days ago) and a dataset outside the common core;
- Saint-Jean-de-Braye: IRVE statique 2.3.1 (valid, annual, 30 days ago);
- Olivet: IRVE statique 2.3.1 (valid) declared monthly but last updated 120 days ago: late by 89 days;
- Saran: DAE 1.0.7 whose file has errors (the SCDL's own invalid example);
- two organisations that are no commune (« Orléans Métropole test », « Organisation étrangère »).
"""

from __future__ import annotations

import contextlib
import json
import shutil
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import PROJECT_ROOT, SCDL_DIR, require_shared
from tests.helpers.http_server import LocalHTTPServer
from tests.portals.conftest import udata_session

IRVE = "etalab/schema-irve-statique"
DAE = "atlasante/schema-dae"
IRVE_CSV = SCDL_DIR / "irve-statique" / "2.3.1" / "exemple-valide-statique.csv"
DAE_BAD_CSV = SCDL_DIR / "dae" / "1.0.0" / "exemple_invalide.csv"
NOW = datetime.now(timezone.utc).replace(microsecond=0)

CODES = {
    "Orléans": "45234",
    "Fleury-les-Aubrais": "45147",
    "Saint-Jean-de-Braye": "45284",
    "Olivet": "45232",
    "Saran": "45302",
}


def _catalogue_items(names):
    data = json.loads((SCDL_DIR / "_catalogue" / "schemas.json").read_text(encoding="utf-8"))
    return [item for item in data["schemas"] if item["name"] in names]


def _days_ago(days: int) -> str:
    return (NOW - timedelta(days=days)).replace(tzinfo=None).isoformat()


def _seed(files_url: str) -> dict:
    def irve(title, frequency, days):
        return {
            "title": title,
            "frequency": frequency,
            "last_update": _days_ago(days),
            "resources": [
                {
                    "title": "irve.csv",
                    "url": f"{files_url}/irve.csv",
                    "format": "csv",
                    "schema": {"name": IRVE, "version": "2.3.1"},
                }
            ],
        }

    return {
        "schemas": _catalogue_items({IRVE, DAE}),
        "organizations": [
            {
                "name": "Ville d'Orléans",
                "datasets": [
                    irve("Bornes de recharge d'Orléans", "annual", 10),
                    {
                        "title": "Défibrillateurs (DAE) de la ville",
                        "frequency": "annual",
                        "last_update": _days_ago(20),
                        "resources": [{"title": "dae.pdf", "url": f"{files_url}/dae.pdf", "format": "pdf"}],
                    },
                ],
            },
            {
                "name": "Mairie de Fleury-les-Aubrais",
                "datasets": [
                    irve("Bornes de recharge de Fleury", "monthly", 5),
                    {
                        "title": "Horaires des piscines",
                        "frequency": "punctual",
                        "last_update": _days_ago(400),
                        "resources": [{"title": "piscines.pdf", "url": f"{files_url}/piscines.pdf", "format": "pdf"}],
                    },
                ],
            },
            {"name": "Commune de Saint-Jean-de-Braye", "datasets": [irve("IRVE Saint-Jean-de-Braye", "annual", 30)]},
            {"name": "Ville d'Olivet", "datasets": [irve("IRVE Olivet", "monthly", 120)]},
            {
                "name": "Ville de Saran",
                "datasets": [
                    {
                        "title": "Défibrillateurs de Saran",
                        "frequency": "annual",
                        "last_update": _days_ago(15),
                        "resources": [
                            {
                                "title": "dae.csv",
                                "url": f"{files_url}/dae-saran.csv",
                                "format": "csv",
                                "schema": {"name": DAE, "version": "1.0.7"},
                            }
                        ],
                    }
                ],
            },
        ],
    }


@pytest.fixture(scope="module")
def files_server(tmp_path_factory):
    require_shared()
    folder = tmp_path_factory.mktemp("dashboard-files")
    shutil.copy(IRVE_CSV, folder / "irve.csv")
    shutil.copy(DAE_BAD_CSV, folder / "dae-saran.csv")
    (folder / "dae.pdf").write_bytes(b"%PDF-1.4 test")
    (folder / "piscines.pdf").write_bytes(b"%PDF-1.4 test")
    with LocalHTTPServer(directory=folder) as server:
        yield server


@pytest.fixture(scope="module")
def territory_udata(tmp_path_factory, files_server):
    seed = tmp_path_factory.mktemp("dashboard-seed") / "seed.json"
    seed.write_text(json.dumps(_seed(files_server.url("/").rstrip("/"))), encoding="utf-8")
    yield from udata_session(tmp_path_factory.mktemp("dashboard-udata"), seed)


@pytest.fixture(scope="module")
def schema_catalogue(tmp_path_factory):
    """The real schema.data.gouv.fr catalogue and the two schemas, from ../shared, as a seeded disk cache."""
    from opendata_publisher.core.schema.catalogue import SchemaCatalogue

    require_shared()
    cache = tmp_path_factory.mktemp("dashboard-cache")
    (cache / "catalogue").mkdir()
    shutil.copy(SCDL_DIR / "_catalogue" / "schemas.json", cache / "catalogue" / "schemas.json")
    for name, slug, version in ((IRVE, "irve-statique", "2.3.1"), (DAE, "dae", "1.0.7")):
        target = cache / "schemas" / name / version
        target.mkdir(parents=True)
        shutil.copy(SCDL_DIR / slug / version / "schema.json", target / "schema.json")

    def offline(url):
        raise OSError(f"pas de réseau dans les tests ({url})")

    return SchemaCatalogue("http://127.0.0.1:9/schemas.json", cache, offline)


@pytest.fixture(scope="module")
def connection(territory_udata):
    from opendata_publisher.core.portals.base import PortalConnection

    return PortalConnection(name="Portail test", portal_type="udata", base_url=territory_udata["base_url"])


@pytest.fixture(scope="module")
def measured(qgis_app, connection, schema_catalogue, tmp_path_factory):
    from opendata_publisher.core.dashboard.measure import DashboardOptions, measure_territory

    options = DashboardOptions(validate_data=True, cache_dir=tmp_path_factory.mktemp("dash-cache"), now=NOW)
    return measure_territory(connection, schema_catalogue, options)


def _member(dashboard, name):
    return next(m for m in dashboard.members if m.member.name == name)


def test_members_are_the_22_communes_and_organisations_match_by_name(measured):
    assert measured.member_count == 22
    assert {m.member.name: m.member.code for m in measured.members if m.organisations} == CODES
    assert sorted(o.name for o in measured.unmatched_organisations) == [
        "Organisation étrangère",
        "Orléans Métropole test",
    ]


def test_territory_indicators_match_what_was_put_in(measured):
    indicators = measured.indicators()
    assert indicators["publishing_count"] == 5
    assert indicators["publishing_share"] == 22.7
    assert indicators["scdl_publishing_count"] == 5
    assert indicators["dataset_count"] == 7
    assert indicators["scdl_dataset_count"] == 5
    assert indicators["probable_dataset_count"] == 1
    assert indicators["scdl_late_count"] == 1
    assert indicators["scdl_checked_count"] == 5
    assert indicators["scdl_valid_count"] == 4
    assert indicators["scdl_invalid_count"] == 1
    assert indicators["schema_count"] == 2


def test_matrix_commune_by_schema(measured):
    assert measured.schemas == [DAE, IRVE]  # « Défibrillateurs… » before « IRVE… »
    matrix = measured.matrix()
    assert matrix[CODES["Orléans"]] == {IRVE: "conforming", DAE: "probable"}
    assert matrix[CODES["Fleury-les-Aubrais"]] == {IRVE: "conforming", DAE: "absent"}
    assert matrix[CODES["Saint-Jean-de-Braye"]][IRVE] == "conforming"
    assert matrix[CODES["Olivet"]] == {IRVE: "late", DAE: "absent"}
    assert matrix[CODES["Saran"]] == {IRVE: "absent", DAE: "errors"}
    assert matrix["45034"] == {IRVE: "absent", DAE: "absent"}  # Boigny-sur-Bionne publishes nothing


def test_freshness_against_the_declared_frequency(measured):
    olivet = _member(measured, "Olivet").datasets[0]
    assert (olivet.freshness, olivet.late_days, olivet.freshness_text) == ("late", 89, "en retard de 3 mois")
    fleury = {d.dataset.title: d for d in _member(measured, "Fleury-les-Aubrais").datasets}
    assert fleury["Bornes de recharge de Fleury"].freshness_text == "à jour"
    assert fleury["Horaires des piscines"].freshness == "no-deadline"
    assert fleury["Horaires des piscines"].schema is None


def test_real_conformity_counts_the_validator_errors(measured, schema_catalogue):
    from collections import Counter

    from opendata_publisher.core.dashboard.conformity import open_csv
    from opendata_publisher.core.reader import LayerInput
    from opendata_publisher.core.validation import validate

    saran = _member(measured, "Saran").datasets[0]
    report = validate(LayerInput.from_layer(open_csv(DAE_BAD_CSV)), schema_catalogue.fetch_schema(DAE, "1.0.7"))
    expected = Counter(f.full_code for f in report.findings if f.severity == "error")
    assert saran.conformity == "invalid"
    assert saran.error_count == sum(expected.values()) > 0
    assert saran.errors_by_code == dict(expected)
    orleans = _member(measured, "Orléans")
    heuristic = next(d for d in orleans.datasets if d.schema.how == "heuristic")
    assert heuristic.schema.name == DAE and heuristic.conformity == "not-checked"
    assert orleans.level == 3 and _member(measured, "Olivet").level == 2 and _member(measured, "Bou").level == 0


def test_without_data_check_nothing_is_downloaded_and_the_catalogue_is_cached(
    qgis_app, connection, schema_catalogue, files_server, tmp_path
):
    from opendata_publisher.core.dashboard.measure import DashboardOptions, measure_territory

    before = len(files_server.requests)
    options = DashboardOptions(validate_data=False, cache_dir=tmp_path, now=NOW)
    first = measure_territory(connection, schema_catalogue, options)
    assert len(files_server.requests) == before
    assert first.matrix()[CODES["Orléans"]][IRVE] == "published"
    assert first.indicators()["scdl_checked_count"] == 0
    cached = list((tmp_path / "dashboard").glob("*.json"))
    assert len(cached) >= 6  # organisations + one page per matched organisation
    again = measure_territory(connection, schema_catalogue, options)
    assert again.indicators() == first.indicators()


def test_a_mapping_file_overrides_name_matching(qgis_app, connection, schema_catalogue, territory_udata, tmp_path):
    from opendata_publisher.core.dashboard.measure import DashboardOptions, measure_territory
    from opendata_publisher.core.dashboard.members import load_mapping_file

    mapping_path = tmp_path / "correspondance.json"
    saran_id = territory_udata["seeded"]["Ville de Saran"]
    mapping_path.write_text(json.dumps({"members": {"45034": [saran_id]}}), encoding="utf-8")
    options = DashboardOptions(mapping=load_mapping_file(mapping_path), now=NOW)
    dashboard = measure_territory(connection, schema_catalogue, options)
    assert [m.member.name for m in dashboard.members if m.publishes] == ["Boigny-sur-Bionne"]
    assert dashboard.matrix()["45034"] == {DAE: "published"}


@pytest.mark.parametrize("path", ["/chunked.csv", "/lying.csv"])
def test_conformity_stops_a_download_past_the_size_limit(qgis_app, schema_catalogue, tmp_path, monkeypatch, path):
    """A server announcing no size (chunked) or a wrong one (HEAD says 2 KB, the GET streams 300 MB): the
    download stops just past MAX_SIZE_MB, the finding says so in French, nothing stays on disk; a small file
    under the limit is still downloaded and checked."""
    import tempfile

    from opendata_publisher.core.dashboard.conformity import check_resource
    from opendata_publisher.core.dashboard.model import PortalResource
    from tests.helpers.streaming_server import StreamingServer

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    schema = schema_catalogue.fetch_schema(IRVE, "2.3.1")
    with StreamingServer(total=300 * 1024 * 1024, body=IRVE_CSV.read_bytes()) as server:
        big = PortalResource(title="irve.csv", url=server.url(path), format="csv", schema_ref=IRVE)
        result = check_resource(big, schema, max_mb=1)
        assert server.wait_done(path)
        sent = server.sent[path]
        small = PortalResource(title="irve.csv", url=server.url("/small.csv"), format="csv", schema_ref=IRVE)
        valid = check_resource(small, schema, max_mb=1)
    assert result.state == "unavailable"
    assert result.text == "fichier de plus de 1 Mo, au-delà de la limite de 1 Mo : téléchargement arrêté, non vérifié"
    assert sent < 17 * 1024 * 1024  # 1 MB read, a few MB in the sockets' buffers: not the 300 MB
    assert list(scratch.iterdir()) == []  # nothing kept
    assert valid.state == "valid" and valid.text.startswith("conforme")


# --------------------------------------------------------------------------- layers, algorithm, report


@pytest.fixture
def commune_layer(qgis_app):
    """A commune layer as a SIG team has one: a square per commune of the territory and one outside it, the
    INSEE code in a field named INSEE_COM, in Lambert-93."""
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    from opendata_publisher.core.dashboard.members import territory_members

    layer = QgsVectorLayer("Polygon?crs=EPSG:2154&field=NOM:string&field=INSEE_COM:string", "communes", "memory")
    features = []
    members = territory_members() + [type(territory_members()[0])(code="45001", name="Hors territoire")]
    for index, member in enumerate(members):
        x, y = 610000 + (index % 6) * 5000, 6750000 + (index // 6) * 5000
        feature = QgsFeature(layer.fields())
        feature.setAttributes([member.name, member.code])
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, y, x + 4800, y + 4800)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_members_layer_joins_onto_the_commune_layer_and_is_styled(measured, commune_layer):
    from qgis.core import QgsWkbTypes

    from opendata_publisher.core.dashboard.layers import guess_join_field, members_layer

    assert guess_join_field(commune_layer, [m.member.code for m in measured.members]) == "INSEE_COM"
    layer, notes = members_layer(measured, commune_layer)
    assert notes == []
    assert layer.featureCount() == 22
    assert QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.geometryType(commune_layer.wkbType())
    assert layer.crs().authid() == "EPSG:2154"
    rows = {f["code_insee"]: f for f in layer.getFeatures()}
    assert all(not f.geometry().isEmpty() for f in rows.values())
    olivet = rows[CODES["Olivet"]]
    assert (olivet["nb_jeux"], olivet["nb_socle"], olivet["nb_en_retard"], olivet["niveau"]) == (1, 1, 1, 2)
    assert rows[CODES["Saran"]]["nb_erreurs"] == _member(measured, "Saran").error_count
    assert rows[CODES["Orléans"]]["nb_probables"] == 1
    assert rows["45034"]["niveau"] == 0
    renderer = layer.renderer()
    assert renderer.type() == "graduatedSymbol" and renderer.classAttribute() == "niveau"
    assert [r.label() for r in renderer.ranges()][3] == "socle commun à jour"
    assert layer.labelsEnabled()


def test_algorithm_writes_layers_and_an_html_report_with_the_right_numbers(
    qgis_app, territory_udata, schema_catalogue, commune_layer, tmp_path, monkeypatch
):
    import base64
    import re

    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject
    from qgis.PyQt.QtGui import QImage

    from opendata_publisher.core.portals import connections
    from opendata_publisher.core.portals.base import PortalConnection
    from opendata_publisher.processing.territory_dashboard import TerritoryDashboardAlgorithm
    from opendata_publisher.toolbelt import settings

    monkeypatch.setattr(
        settings.PluginSettings,
        "load",
        classmethod(
            lambda cls, *a, **k: cls(catalogue_url=schema_catalogue.url, cache_dir=str(schema_catalogue.cache_dir))
        ),
    )
    name = "Tableau de bord test udata"
    connections.save_connection(PortalConnection(name=name, portal_type="udata", base_url=territory_udata["base_url"]))
    QgsProject.instance().addMapLayer(commune_layer)
    try:
        algorithm = TerritoryDashboardAlgorithm()
        algorithm.initAlgorithm()
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        report = tmp_path / "rapport.html"
        parameters = {
            "INPUT": name,
            "COMMUNES": commune_layer.id(),
            "VALIDATE_DATA": True,
            "MEMBERS": "memory:",
            "DATASETS": "memory:",
            "REPORT_HTML": str(report),
        }
        results, ok = algorithm.run(parameters, context, QgsProcessingFeedback())
    finally:
        connections.remove_connection(name)
        QgsProject.instance().removeMapLayer(commune_layer.id())
    assert ok, results
    assert results["PUBLISHING_SHARE"] == 22.7 and results["SCDL_SHARE"] == 22.7
    members = context.getMapLayer(results["MEMBERS"])
    datasets = context.getMapLayer(results["DATASETS"])
    assert members.featureCount() == 22 and members.isSpatial()
    assert datasets.featureCount() == 7 and not datasets.isSpatial()
    olivet = next(f for f in datasets.getFeatures() if f["commune"] == "Olivet")
    assert (olivet["fraicheur"], olivet["socle_commun"], olivet["reconnaissance"]) == (
        "en retard de 3 mois",
        1,
        "déclaré",
    )
    assert olivet["url"].startswith(territory_udata["base_url"] + "/datasets/")

    html = report.read_text(encoding="utf-8")
    indicators = dict(re.findall(r'data-indicator="(\w+)">([^<]*)<', html))
    assert indicators["publishing_count"] == "5 / 22"
    assert indicators["scdl_publishing_count"] == "5 / 22"
    assert indicators["dataset_count"] == "7"
    assert indicators["scdl_late_count"] == "1"
    assert indicators["scdl_invalid_count"] == "1"
    assert "22,7 %" in html
    cells = re.findall(r'<td class="cell" data-state="(\w+)"', html)
    assert len(cells) == 22 * 2
    assert sorted(c for c in cells if c != "absent") == ["conforming"] * 3 + ["errors", "late", "probable"]
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1))
    image = QImage()
    assert image.loadFromData(png, "PNG") and image.width() == 900
    colours = {image.pixelColor(x, y).name() for x in range(0, 900, 15) for y in range(0, 700, 15)}
    assert {"#1a9641", "#fdae61", "#f0f0f0"} <= colours  # the map shows the levels' colours
    assert not re.search(r"<script|<link|src=\"http|url\(", html)  # self-contained: nothing fetched elsewhere


def test_algorithm_without_commune_layer_puts_members_at_the_profile_locations(
    qgis_app, territory_udata, schema_catalogue, tmp_path, monkeypatch
):
    """No COMMUNES: the members layer is a point layer (EPSG:4326) at the town halls the shared profile gives
    (the bundled Orléans Métropole profile, Bou's location removed); Bou keeps no geometry and the run says
    so; the HTML report's map shows the points."""
    import base64
    import re

    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject, QgsWkbTypes
    from qgis.PyQt.QtGui import QImage

    from opendata_publisher.core.portals import connections
    from opendata_publisher.core.portals.base import PortalConnection
    from opendata_publisher.processing.territory_dashboard import TerritoryDashboardAlgorithm
    from opendata_publisher.toolbelt import settings

    document = json.loads(
        (PROJECT_ROOT / "metadata" / "profiles" / "orleans-metropole.json").read_text(encoding="utf-8")
    )
    bou = next(m for m in document["territory"]["members"] if m["id"] == "bou")
    del bou["location"]
    profile_path = tmp_path / "profil.json"
    profile_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(
        settings.PluginSettings,
        "load",
        classmethod(
            lambda cls, *a, **k: cls(
                catalogue_url=schema_catalogue.url,
                cache_dir=str(schema_catalogue.cache_dir),
                shared_profile=str(profile_path),
            )
        ),
    )

    class Feedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.warnings = []

        def pushWarning(self, text):  # noqa: N802 - QGIS API
            self.warnings.append(text)
            super().pushWarning(text)

    name = "Tableau de bord test points"
    connections.save_connection(PortalConnection(name=name, portal_type="udata", base_url=territory_udata["base_url"]))
    feedback = Feedback()
    try:
        algorithm = TerritoryDashboardAlgorithm()
        algorithm.initAlgorithm()
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        report = tmp_path / "rapport.html"
        parameters = {"INPUT": name, "MEMBERS": "memory:", "DATASETS": "memory:", "REPORT_HTML": str(report)}
        results, ok = algorithm.run(parameters, context, feedback)
    finally:
        connections.remove_connection(name)
    assert ok, results
    members = context.getMapLayer(results["MEMBERS"])
    assert members.featureCount() == 22
    assert QgsWkbTypes.flatType(members.wkbType()) == QgsWkbTypes.Point
    assert members.crs().authid() == "EPSG:4326"
    rows = {f["nom"]: f for f in members.getFeatures()}
    orleans = rows["Orléans"].geometry().asPoint()
    assert (orleans.x(), orleans.y()) == pytest.approx((1.90889, 47.9025))  # 47° 54′ 09″ N, 1° 54′ 32″ E
    saran = rows["Saran"].geometry().asPoint()
    assert (saran.x(), saran.y()) == pytest.approx((1.87472, 47.95139))  # 47° 57′ 05″ N, 1° 52′ 29″ E
    assert rows["Bou"].geometry().isNull()
    assert sum(1 for f in rows.values() if not f.geometry().isNull()) == 21
    assert rows["Olivet"]["niveau"] == 2 and rows["Orléans"]["niveau"] == 3
    assert any("sans emplacement" in w and "Bou" in w for w in feedback.warnings), feedback.warnings

    html = report.read_text(encoding="utf-8")
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1))
    image = QImage()
    assert image.loadFromData(png, "PNG") and image.width() == 900
    counts = {}
    for x in range(0, 900, 2):
        for y in range(0, 700, 2):
            colour = image.pixelColor(x, y).name()
            counts[colour] = counts.get(colour, 0) + 1
    # points of the levels' colours (Orléans, Fleury, Saint-Jean-de-Braye up to date; Olivet late; communes
    # publishing nothing), each a small disc: together far less than the map
    assert counts.get("#1a9641", 0) > 20 and counts.get("#fdae61", 0) > 5 and counts.get("#f0f0f0", 0) > 20
    assert counts.get("#1a9641", 0) + counts.get("#f0f0f0", 0) < 0.1 * sum(counts.values())


# --------------------------------------------------------------------------- CKAN


def test_ckan_catalogue_of_the_communes(qgis_app, ckan_portal, files_server, schema_catalogue, tmp_path):
    """The real CKAN 2.11.6 (no search index): organisations matched by name, schema declared as a
    schema.data.gouv.fr URL on a resource or as ``conforms_to`` + ``schema_version`` extras, frequency extra,
    data downloaded and checked."""
    import uuid

    from opendata_publisher.core.dashboard.measure import DashboardOptions, measure_territory
    from opendata_publisher.core.portals.base import PortalConnection

    suffix = uuid.uuid4().hex[:6]
    orgs = {}
    for title in ("Mairie d'Ingré", "Ville de Saran", "Orléans Métropole"):
        name = f"org-{suffix}-{len(orgs)}"
        # CKAN stores the organisation, then fails to count its datasets without a search index
        with contextlib.suppress(AssertionError):
            ckan_portal.action("organization_create", {"name": name, "title": title})
        orgs[title] = next(
            o
            for o in ckan_portal.action("organization_list", {"all_fields": True, "include_dataset_count": False})
            if o["name"] == name
        )

    def package(org, title, resource, extras=()):
        ckan_portal.action(
            "package_create",
            {
                "name": f"ds-{suffix}-{uuid.uuid4().hex[:6]}",
                "title": title,
                "owner_org": orgs[org]["id"],
                "license_id": "cc-by",
                "extras": [{"key": k, "value": v} for k, v in extras],
                "resources": [resource],
            },
        )

    irve_url = "https://schema.data.gouv.fr/schemas/etalab/schema-irve-statique/2.3.1/schema.json"
    package(
        "Mairie d'Ingré",
        "Bornes de recharge d'Ingré",
        {"name": "irve.csv", "url": files_server.url("/irve.csv"), "format": "CSV", "schema": irve_url},
        [("frequency", "monthly")],
    )
    package(
        "Mairie d'Ingré",
        "Menus de la cantine",
        {"name": "menus.pdf", "url": files_server.url("/dae.pdf"), "format": "PDF"},
    )
    package(
        "Ville de Saran",
        "Défibrillateurs de Saran",
        {"name": "dae.csv", "url": files_server.url("/dae-saran.csv"), "format": "CSV"},
        [("conforms_to", DAE), ("schema_version", "1.0.7"), ("frequency", "annuelle")],
    )
    package(
        "Orléans Métropole", "Parkings relais", {"name": "p.pdf", "url": files_server.url("/dae.pdf"), "format": "PDF"}
    )

    connection = PortalConnection(name="CKAN test", portal_type="ckan", base_url=ckan_portal.url)
    dashboard = measure_territory(
        connection, schema_catalogue, DashboardOptions(validate_data=True, cache_dir=tmp_path)
    )
    assert "Orléans Métropole" in [o.name for o in dashboard.unmatched_organisations]
    matrix = dashboard.matrix()
    assert matrix["45169"] == {DAE: "absent", IRVE: "conforming"}  # Ingré
    assert matrix["45302"] == {DAE: "errors", IRVE: "absent"}  # Saran
    ingre = next(m for m in dashboard.members if m.member.code == "45169")
    assert ingre.dataset_count == 2 and ingre.scdl_count == 1
    irve = next(d for d in ingre.datasets if d.schema)
    assert (irve.schema.version, irve.freshness, irve.dataset.frequency) == ("2.3.1", "fresh", "monthly")
    saran = next(m for m in dashboard.members if m.member.code == "45302").datasets[0]
    assert saran.freshness_text == "à jour" and saran.error_count > 0
    assert saran.dataset.url.startswith(f"{ckan_portal.url}/dataset/ds-{suffix}")
    indicators = dashboard.indicators()
    assert (indicators["publishing_count"], indicators["scdl_publishing_count"]) == (2, 2)


# --------------------------------------------------------------------------- Opendatasoft

EXPLORE_SPEC = SCDL_DIR.parent / "portals" / "opendatasoft" / "explore-api-v2.1.openapi.json"
EXPLORE_PREFIX = "/api/explore/v2.1"


def _explore_openapi():
    from openapi_core import Config, OpenAPI

    document = json.loads(EXPLORE_SPEC.read_text(encoding="utf-8"))
    document["servers"] = [{"url": EXPLORE_PREFIX}]
    # the spec puts the API key on every call; public datasets are read without one (the key only opens
    # restricted datasets, ../shared/guides/portal-apis.md §2.6): anonymous is one of the accepted ways
    assert document["security"] == [{"apikey": []}], "the spec changed: review _explore_openapi"
    document["security"] = [{}, {"apikey": []}]
    # media types are written « application/json; charset=utf-8 »; openapi-core looks answers up without the
    # parameter: the same media type, keyed the way it searches
    text = json.dumps(document).replace('"application/json; charset=utf-8"', '"application/json"')
    document = json.loads(text)
    return OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))


def _check_exchange(api, request, status, headers, body) -> list:
    """Validate one request of the Explore API and our answer against the official v2.1 spec."""
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request, Response

    query = "&".join(f"{k}={v}" for k, values in request.query.items() for v in values)
    environ = EnvironBuilder(path=request.path, query_string=query, method=request.method).get_environ()
    wrapped = WerkzeugOpenAPIRequest(Request(environ))
    problems = []
    for check in (
        lambda: api.validate_request(wrapped),
        lambda: api.validate_response(wrapped, WerkzeugOpenAPIResponse(Response(body, status=status, headers=headers))),
    ):
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - every violation is reported
            problems.append(f"{request.path}?{query}: {type(exc).__name__}: {exc} {exc.__cause__ or ''}")
    return problems


def test_opendatasoft_catalogue_held_to_the_explore_spec(qgis_app, schema_catalogue, tmp_path, monkeypatch):
    """An Opendatasoft domain (Explore API v2.1, answers checked against the official spec, paged 2 by 2):
    publishers matched to communes, DCAT conforms_to and accrual periodicity, data from the CSV export."""
    pytest.importorskip("openapi_core", reason="openapi-core is not installed (requirements/testing.txt)")
    if not EXPLORE_SPEC.is_file():
        pytest.skip(f"Explore API spec not found at {EXPLORE_SPEC}")
    from opendata_publisher.core.dashboard import catalogues
    from opendata_publisher.core.dashboard.measure import DashboardOptions, measure_territory
    from opendata_publisher.core.portals.base import PortalConnection

    monkeypatch.setattr(catalogues, "PAGE_SIZE", 2)
    api = _explore_openapi()
    violations = []

    def ods_dataset(dataset_id, publisher, days, frequency="", conforms_to=""):
        dcat = {"accrualperiodicity": frequency} if frequency else {}
        if conforms_to:
            dcat["conforms_to"] = [conforms_to]
        return {
            "dataset_id": dataset_id,
            "dataset_uid": f"da_{dataset_id[:6]}",
            "has_records": True,
            "data_visible": True,
            "features": ["analyze"],
            "attachments": [],
            "fields": [{"name": "nom", "label": "Nom", "type": "text", "annotations": {}, "description": None}],
            "metas": {
                "default": {
                    "title": dataset_id.replace("-", " ").capitalize(),
                    "publisher": publisher,
                    "modified": (NOW - timedelta(days=days)).isoformat(),
                    "data_processed": (NOW - timedelta(days=days)).isoformat(),
                    "license": "Licence Ouverte v2.0 (Etalab)",
                    "keyword": ["open data"],
                },
                "dcat": dcat,
            },
        }

    catalogue = [
        ods_dataset(
            "bornes-irve-olivet",
            "Ville d'Olivet",
            150,
            "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
            "https://schema.data.gouv.fr/schemas/etalab/schema-irve-statique/2.3.1/schema-statique.json",
        ),
        ods_dataset(
            "dae-saran", "Mairie de Saran", 3, "annual", "https://schema.data.gouv.fr/atlasante/schema-dae/1.0.7/"
        ),
        ods_dataset("budget-metropole", "Orléans Métropole", 30, "annual"),
        ods_dataset("marches-olivet", "Ville d'Olivet", 30),
        ods_dataset("sans-editeur", "", 30),
    ]

    def datasets_page(request):
        limit = int(request.query.get("limit", ["10"])[0])
        offset = int(request.query.get("offset", ["0"])[0])
        body = json.dumps({"total_count": len(catalogue), "results": catalogue[offset : offset + limit]}).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        violations.extend(_check_exchange(api, request, 200, headers, body))
        return 200, headers, body

    exports = {"bornes-irve-olivet": IRVE_CSV, "dae-saran": DAE_BAD_CSV}
    with LocalHTTPServer() as server:
        server.route(f"{EXPLORE_PREFIX}/catalog/datasets", handler=datasets_page)
        for dataset_id, path in exports.items():
            server.route(
                f"{EXPLORE_PREFIX}/catalog/datasets/{dataset_id}/exports/csv",
                body=path.read_bytes(),
                headers={"Content-Type": "text/csv; charset=utf-8"},
            )
        connection = PortalConnection(name="Opendatasoft test", portal_type="opendatasoft", base_url=server.url("/"))
        options = DashboardOptions(validate_data=True, cache_dir=tmp_path, now=NOW)
        dashboard = measure_territory(connection, schema_catalogue, options)
        pages = [r for r in server.requests if r.path.endswith("/catalog/datasets")]
        page_url = server.url("/explore/dataset/bornes-irve-olivet/")

    assert violations == []
    assert len(pages) == 3  # 5 datasets, 2 per page
    assert [o.name for o in dashboard.unmatched_organisations] == ["Orléans Métropole"]
    matrix = dashboard.matrix()
    assert matrix[CODES["Olivet"]] == {DAE: "absent", IRVE: "late"}
    assert matrix[CODES["Saran"]] == {DAE: "errors", IRVE: "absent"}
    olivet = next(m for m in dashboard.members if m.member.code == CODES["Olivet"])
    assert olivet.dataset_count == 2
    irve = next(d for d in olivet.datasets if d.schema)
    assert (irve.schema.version, irve.late_days, irve.conformity) == ("2.3.1", 119, "valid")
    assert irve.dataset.url == page_url

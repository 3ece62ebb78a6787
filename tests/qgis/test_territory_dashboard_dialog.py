"""« Tableau de bord du territoire » on a real local publication folder (datasets published by the plugin's own
folder adapter): the folder reader, the dialog (matrix, double-click, layers, HTML and PDF exports) and its
menu entry."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsRectangle, QgsVectorLayer

from tests.conftest import SCDL_DIR, require_shared

IRVE = "etalab/schema-irve-statique"
NOW = datetime.now(timezone.utc)


def _publish(folder: Path, tmp: Path, title: str, publisher: str, schema: str, frequency: str) -> None:
    from opendata_publisher.core.metadata import DatasetDescription, Organisation
    from opendata_publisher.core.metadata.model import SchemaRef
    from opendata_publisher.core.portals import adapter_for
    from opendata_publisher.core.portals.base import PublishFile, PublishRequest
    from opendata_publisher.core.portals.connections import folder_connection

    data = tmp / f"{title}.csv"
    shutil.copy(SCDL_DIR / "irve-statique" / "2.3.1" / "exemple-valide-statique.csv", data)
    description = DatasetDescription(
        title=title,
        description=title,
        publisher=Organisation(name=publisher),
        frequency=frequency,
        licence="etalab-2.0",
        schema=SchemaRef(name=schema, version="2.3.1" if schema else ""),
    )
    request = PublishRequest(description=description, files=[PublishFile(path=data, format="csv", title=data.name)])
    adapter_for(folder_connection(folder)).publish(request)


@pytest.fixture
def publication_folder(tmp_path):
    require_shared()
    folder = tmp_path / "publication"
    _publish(folder, tmp_path, "Bornes de recharge d'Ingré", "Mairie d'Ingré", IRVE, "ANNUAL")
    _publish(folder, tmp_path, "Bornes de recharge de Semoy", "Commune de Semoy", IRVE, "DAILY")
    _publish(folder, tmp_path, "Marchés de Semoy", "Commune de Semoy", "", "AS_NEEDED")
    _publish(folder, tmp_path, "Parkings de la métropole", "Orléans Métropole", "", "ANNUAL")
    return folder


@pytest.fixture
def catalogue(tmp_path):
    from opendata_publisher.core.schema.catalogue import SchemaCatalogue

    require_shared()
    cache = tmp_path / "cache"
    (cache / "catalogue").mkdir(parents=True)
    shutil.copy(SCDL_DIR / "_catalogue" / "schemas.json", cache / "catalogue" / "schemas.json")
    target = cache / "schemas" / IRVE / "2.3.1"
    target.mkdir(parents=True)
    shutil.copy(SCDL_DIR / "irve-statique" / "2.3.1" / "schema.json", target / "schema.json")

    def offline(url):
        raise OSError(f"pas de réseau dans les tests ({url})")

    return SchemaCatalogue("http://127.0.0.1:9/schemas.json", cache, offline)


def test_folder_reader_gives_publishers_datasets_and_schemas(qgis_app, publication_folder, catalogue):
    from opendata_publisher.core.dashboard.measure import DashboardOptions, measure_territory
    from opendata_publisher.core.portals.connections import folder_connection

    later = datetime.now(timezone.utc) + timedelta(days=3, hours=1)  # the daily dataset is then 2 days late
    dashboard = measure_territory(
        folder_connection(publication_folder), catalogue, DashboardOptions(validate_data=True, now=later)
    )
    assert [o.name for o in dashboard.unmatched_organisations] == ["Orléans Métropole"]
    matrix = dashboard.matrix()
    assert matrix["45169"] == {IRVE: "conforming"}  # Ingré
    assert matrix["45308"] == {IRVE: "late"}  # Semoy: daily, 3 days without update
    semoy = next(m for m in dashboard.members if m.member.code == "45308")
    assert semoy.dataset_count == 2 and semoy.scdl_count == 1
    late = next(d for d in semoy.datasets if d.schema)
    assert late.freshness_text == "en retard de 2 jours"
    assert dashboard.indicators()["scdl_publishing_count"] == 2


@pytest.fixture
def dialog(qgis_iface, catalogue, publication_folder):
    from opendata_publisher.gui.territory_dashboard_dialog import TerritoryDashboardDialog

    dlg = TerritoryDashboardDialog(catalogue=catalogue, run_inline=True)
    dlg.connection_combo.addItem("dossier de test", f"folder:{publication_folder}")
    dlg.connection_combo.setCurrentIndex(dlg.connection_combo.count() - 1)
    yield dlg
    dlg.deleteLater()


def _communes():
    from opendata_publisher.core.dashboard.members import territory_members

    layer = QgsVectorLayer("Polygon?crs=EPSG:2154&field=code:integer&field=nom:string", "Communes", "memory")
    features = []
    for index, member in enumerate(territory_members()):
        x, y = 610000 + (index % 6) * 5000, 6750000 + (index // 6) * 5000
        feature = QgsFeature(layer.fields())
        feature.setAttributes([int(member.code), member.name])
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, y, x + 4800, y + 4800)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_dialog_measures_shows_the_matrix_and_opens_datasets(dialog, publication_folder, monkeypatch):
    from qgis.PyQt.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    assert not dialog.html_button.isEnabled()
    dialog.validate_check.setChecked(True)
    dialog.run_button.click()
    assert dialog.dashboard is not None, dialog.status_label.text()
    assert (
        "2 / 22</b> communes publient" in dialog.indicators_label.text()
        or "2 / 22</b> communes publish" in dialog.indicators_label.text()
    )
    assert "(9,1" in dialog.indicators_label.text()  # French decimal comma
    table = dialog.matrix_table
    assert table.rowCount() == 22 and table.columnCount() == 1
    assert table.horizontalHeaderItem(0).text() == "IRVE statique"
    row = [table.verticalHeaderItem(r).text() for r in range(22)].index("Ingré")
    assert table.item(row, 0).data(0x0100) == "conforming"
    table.cellDoubleClicked.emit(row, 0)
    assert opened and opened[0].startswith(publication_folder.resolve().as_uri())
    assert dialog.datasets_table.rowCount() == 3
    assert dialog.html_button.isEnabled() and dialog.pdf_button.isEnabled()


def test_dialog_adds_joined_layers_and_exports_html_and_pdf(dialog, tmp_path):
    communes = _communes()
    QgsProject.instance().addMapLayer(communes)
    try:
        dialog.communes_combo.setLayer(communes)
        dialog.run_button.click()
        before = set(QgsProject.instance().mapLayers())
        dialog.add_layers()
        added = [QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before]
        members = next(layer for layer in added if layer.isSpatial())
        assert members.featureCount() == 22 and members.renderer().type() == "graduatedSymbol"
        ingre = next(f for f in members.getFeatures() if f["nom"] == "Ingré")
        assert ingre["nb_socle"] == 1 and not ingre.geometry().isEmpty()  # joined on an integer code field
        html_path = dialog.export_html(str(tmp_path / "rapport.html"))
        html = Path(html_path).read_text(encoding="utf-8")
        assert re.search(r'data-indicator="scdl_publishing_count">2 / 22<', html)
        assert "data:image/png;base64," in html
        pdf_path = dialog.export_pdf(str(tmp_path / "rapport.pdf"))
        data = Path(pdf_path).read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 5000
        assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page") >= 2
        from osgeo import gdal

        gdal.SetConfigOption("GDAL_PDF_DPI", "50")
        first_page = gdal.Open(pdf_path).ReadAsArray()  # bands, rows, columns
        gdal.SetConfigOption("GDAL_PDF_DPI", None)
        mm = first_page.shape[2] / 297  # pixels per millimetre (A4 landscape)
        map_area = first_page[:3, int(30 * mm) : int(195 * mm), int(12 * mm) : int(178 * mm)]  # the map item
        pixels = map_area.reshape(3, -1).T
        colours = {"#{:02x}{:02x}{:02x}".format(*(int(v) for v in p)) for p in pixels[::3]}
        assert "#1a9641" in colours  # the map of the first page shows Ingré up to date
    finally:
        for layer_id in set(QgsProject.instance().mapLayers()):
            QgsProject.instance().removeMapLayer(layer_id)


def test_dialog_without_commune_layer_adds_points_at_the_profile_locations(dialog, tmp_path, monkeypatch):
    """No commune layer chosen: the members are points (EPSG:4326) at the town halls of the shared profile of
    the settings (the bundled Orléans Métropole profile, a file on disk), styled, and the report shows them."""
    from opendata_publisher.toolbelt import settings

    profile = Path(__file__).resolve().parents[2] / "metadata" / "profiles" / "orleans-metropole.json"
    monkeypatch.setattr(
        settings.PluginSettings,
        "load",
        classmethod(lambda cls, *a, **k: cls(cache_dir=str(tmp_path / "cache"), shared_profile=str(profile))),
    )
    dialog.communes_combo.setLayer(None)
    dialog.run_button.click()
    before = set(QgsProject.instance().mapLayers())
    try:
        dialog.add_layers()
        added = [QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before]
        members = next(layer for layer in added if layer.isSpatial())
        assert members.featureCount() == 22 and members.crs().authid() == "EPSG:4326"
        assert members.renderer().type() == "graduatedSymbol"
        assert [r.symbol().size() for r in members.renderer().ranges()] == [3.0, 4.5, 6.0, 7.5]
        ingre = next(f for f in members.getFeatures() if f["nom"] == "Ingré").geometry().asPoint()
        assert (ingre.x(), ingre.y()) == pytest.approx((1.825, 47.92111))  # 47° 55′ 16″ N, 1° 49′ 30″ E
        assert "sans emplacement" not in dialog.status_label.text()  # the 22 communes are located
        html = Path(dialog.export_html(str(tmp_path / "rapport.html"))).read_text(encoding="utf-8")
        assert "data:image/png;base64," in html
    finally:
        for layer_id in set(QgsProject.instance().mapLayers()) - before:
            QgsProject.instance().removeMapLayer(layer_id)


def test_menu_entry_opens_the_dialog_and_unload_removes_it(qgis_iface):
    import opendata_publisher
    from opendata_publisher.gui.territory_dashboard_dialog import TerritoryDashboardDialog

    qgis_iface.addPluginToWebMenu.reset_mock()
    plugin = opendata_publisher.classFactory(qgis_iface)
    plugin.initGui()
    try:
        actions = [c.args[1] for c in qgis_iface.addPluginToWebMenu.call_args_list]
        action = next(a for a in actions if a.objectName() == "OpenDataPublisherDashboardAction")
        action.trigger()
        assert isinstance(plugin.dashboard_dialog, TerritoryDashboardDialog)
        assert plugin.dashboard_dialog.isVisible()
    finally:
        plugin.unload()
    assert plugin.dashboard_dialog is None and plugin.action_dashboard is None
    removed = [c.args[1] for c in qgis_iface.removePluginWebMenu.call_args_list]
    assert action in removed


def test_nightly_run_with_qgis_process(publication_folder, catalogue, tmp_path):
    """What the metropolis schedules every night: qgis_process on the publication folder, files as outputs."""
    from .test_qgis_process import QGIS_PROCESS, run_qgis_process, write_profile

    if QGIS_PROCESS is None:
        pytest.skip("qgis_process.bin not installed (apt install qgis)")
    profile = tmp_path / "profile"
    write_profile(profile)
    shutil.copytree(catalogue.cache_dir, profile / "profiles" / "default" / "opendata_publisher" / "cache")
    (tmp_path / "nuit").mkdir()
    report = tmp_path / "nuit" / "rapport.html"
    datasets = tmp_path / "nuit" / "jeux.csv"
    completed = run_qgis_process(
        profile,
        "run",
        "opendata_publisher:territory_dashboard",
        "--",
        f"INPUT=folder:{publication_folder}",
        "VALIDATE_DATA=true",
        f"MEMBERS={tmp_path / 'nuit' / 'membres.gpkg'}",
        f"DATASETS={datasets}",
        f"REPORT_HTML={report}",
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "SCDL_SHARE:\t9.1" in completed.stdout
    assert re.search(r'data-indicator="scdl_publishing_count">2 / 22<', report.read_text(encoding="utf-8"))
    rows = datasets.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 3 and rows[0].startswith("code_insee,commune,organisation,titre,url")
    members = QgsVectorLayer(str(tmp_path / "nuit" / "membres.gpkg"), "membres", "ogr")
    assert members.featureCount() == 22


def test_cancel_stops_the_measure(qgis_app, publication_folder, catalogue):
    from qgis.core import QgsFeedback

    from opendata_publisher.core.dashboard.catalogues import Cancelled
    from opendata_publisher.core.dashboard.measure import DashboardOptions, measure_territory
    from opendata_publisher.core.portals.connections import folder_connection

    feedback = QgsFeedback()
    steps = []

    def progress(percent, text):
        steps.append(text)
        if len(steps) == 3:  # while reading the first organisation's datasets
            feedback.cancel()

    with pytest.raises(Cancelled):
        measure_territory(
            folder_connection(publication_folder), catalogue, DashboardOptions(validate_data=True), progress, feedback
        )
    assert not any(step.startswith("Vérification des données") for step in steps)


def test_read_again_ignores_the_cached_answers(dialog, monkeypatch, tmp_path):
    from opendata_publisher.toolbelt import settings

    monkeypatch.setattr(settings, "cache_directory", lambda *a, **k: tmp_path)
    assert dialog.options().cache_dir == tmp_path and not dialog.options().refresh
    dialog.refresh_check.setChecked(True)
    assert dialog.options().refresh


def _nothing_published():
    """A measure where none of the 22 communes publishes anything."""
    from datetime import datetime, timezone

    from opendata_publisher.core.dashboard.members import territory_members
    from opendata_publisher.core.dashboard.model import MemberSummary, TerritoryDashboard

    members = [MemberSummary(member) for member in territory_members()]
    return TerritoryDashboard("Orléans Métropole", "test", datetime.now(timezone.utc), members)


def test_matrix_without_common_core_data_says_so(dialog):
    """No commune publishes common-core data: the matrix has no column, and the page says why instead of
    showing an empty grid."""
    dialog._fill_matrix(_nothing_published())
    assert dialog.matrix_table.columnCount() == 0 and dialog.matrix_table.rowCount() == 22
    assert not dialog.matrix_empty_label.isHidden()
    assert "SCDL" in dialog.matrix_empty_label.text()
    dialog.run_button.click()  # the test folder holds common-core datasets: the note goes away
    assert dialog.matrix_table.columnCount() == 1 and dialog.matrix_empty_label.isHidden()


def test_one_dataset_is_said_in_the_singular(dialog):
    dialog.show_dashboard(_nothing_published())
    text = dialog.indicators_label.text()
    assert "<b>0</b> dataset," in text or "<b>0</b> jeu de données," in text

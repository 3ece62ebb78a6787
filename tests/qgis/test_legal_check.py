"""Legal check on real QGIS layers: memory and GeoPackage layers with synthetic personal data, the SCDL
examples, the checklist history round trip, the Processing algorithm and the dock page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)

from opendata_publisher.core.legal import checklist as cl
from opendata_publisher.core.legal import gate as lg
from opendata_publisher.core.legal import patterns as p
from opendata_publisher.core.legal.collect import LegalInput, legal_check, legal_check_layer
from opendata_publisher.gui.legal_page import LegalPage
from opendata_publisher.processing.legal_check import LegalCheckAlgorithm

from ..conftest import SCDL_DIR
from .test_frictionless_agreement import open_csv_layer

BODY = "1850578006084"
NIR = BODY + f"{p.nir_key(BODY):02d}"
IBAN = "FR76 3000 6000 0112 3456 7890 189"


def memory_layer(uri: str, name: str, rows, points=True) -> QgsVectorLayer:
    layer = QgsVectorLayer(uri, name, "memory")
    assert layer.isValid()
    features = []
    for i, row in enumerate(rows):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(row))
        if points:
            feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(1.90 + i / 1000, 47.90)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


@pytest.fixture
def persons_layer():
    uri = (
        "Point?crs=EPSG:4326&field=nom:string&field=courriel:string&field=tel:string&field=nir:string"
        "&field=iban:string&field=date_naissance:date"
    )
    rows = [
        ("Jean Exemple", "jean.exemple@exemple.fr", "06 00 00 00 01", NIR, IBAN, "1980-01-02"),
        ("Marie Test", "contact@exemple.fr", "02 38 00 00 00", "", "", "1975-06-07"),
    ]
    return memory_layer(uri, "habitants", rows)


def levels(report, code):
    return {f.level for f in report.findings if f.code == code}


def test_memory_layer_with_personal_data(persons_layer):
    report = legal_check_layer(persons_layer)
    assert levels(report, "legal-person-name") == {"BLOQUANT"}
    assert levels(report, "legal-nir") == {"BLOQUANT"}
    assert levels(report, "legal-iban") == {"BLOQUANT"}
    assert levels(report, "legal-email") == {"À VÉRIFIER"}
    assert levels(report, "legal-phone") == {"À VÉRIFIER"}
    assert levels(report, "legal-birth-date") == {"À VÉRIFIER"}
    assert levels(report, "legal-dwelling-points") == {"À VÉRIFIER"}
    assert report.blocking_count == 3 and not report.valid
    assert NIR not in report.to_json() and "jean.exemple" not in report.to_json()


def test_parking_layer_and_geopackage_without_blocking(tmp_path):
    uri = "Point?crs=EPSG:4326&field=nom:string&field=nb_places:integer&field=courriel:string"
    parking = memory_layer(
        uri, "parkings", [("Parking Jean Jaurès", 120, "contact@exemple.fr"), ("REPUBLIQUE", 80, None)]
    )
    path = tmp_path / "parkings.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    error = QgsVectorFileWriter.writeAsVectorFormatV2(
        parking, str(path), QgsProject.instance().transformContext(), options
    )
    assert error[0] == QgsVectorFileWriter.WriterError.NoError
    gpkg = QgsVectorLayer(str(path), "parkings", "ogr")
    assert gpkg.isValid()
    report = legal_check_layer(gpkg)
    assert report.blocking_count == 0
    assert levels(report, "legal-email") == {"INFO"}
    assert not levels(report, "legal-person-name")
    assert not levels(report, "legal-closed-format")


def test_cadastre_owner_layer_blocks():
    uri = "Polygon?crs=EPSG:2154&field=idu:string&field=proprietaire:string"
    layer = memory_layer(uri, "parcelles", [("45234000AB0012", "EXEMPLE/JEAN"), ("45234000AB0013", "Commune")], False)
    assert levels(legal_check_layer(layer), "legal-cadastre-owner") == {"BLOQUANT"}


def test_metadata_third_party_and_licence(persons_layer):
    metadata = persons_layer.metadata()
    metadata.addHistoryItem("Extraction OpenStreetMap du 2024-01-01")
    metadata.setLicenses(["Licence Ouverte 2.0"])
    persons_layer.setMetadata(metadata)
    report = legal_check(LegalInput.from_layer(persons_layer))
    assert levels(report, "legal-third-party-source") == {"À VÉRIFIER"}
    assert levels(report, "legal-licence") == {"BLOQUANT"}


VALID_EXAMPLES = (
    sorted(
        str(path.relative_to(SCDL_DIR))
        for path in SCDL_DIR.glob("*/*/*.csv")
        if not any(word in path.name for word in ("invalid", "non-valide", "non_valide"))
    )
    if SCDL_DIR.is_dir()
    else []
)


@pytest.mark.parametrize("relative", VALID_EXAMPLES or ["(absent)"])
def test_no_blocking_finding_on_valid_scdl_examples(relative):
    if not SCDL_DIR.is_dir():
        pytest.skip(f"../shared/scdl is absent ({SCDL_DIR}): valid example files unavailable")
    report = legal_check_layer(open_csv_layer(SCDL_DIR / relative))
    blocking = [(f.code, f.field, f.message) for f in report.findings if f.level == "BLOQUANT"]
    assert blocking == []


def test_checklist_and_acknowledgements_round_trip_through_a_project(persons_layer, tmp_path):
    project = QgsProject.instance()
    project.clear()
    project.addMapLayer(persons_layer)
    answers = {"achieved": cl.YES, "legal_secret": cl.NO, "personal_data": cl.YES, "anonymisable": cl.YES}
    line = cl.save_checklist(persons_layer, cl.Checklist(answers), user="Jean Dupont", when="2026-11-27T10:00")
    assert line.startswith("[opendata_publisher:legal-checklist] 2026-11-27T10:00 — Jean Dupont — ")
    report = legal_check_layer(persons_layer)
    to_ack = [f for f in report.findings if f.level == "À VÉRIFIER"]
    keys = lg.record_acknowledgements(persons_layer, to_ack, user="Jean Dupont", when="2026-11-27T10:05")
    assert set(keys) == {lg.ack_key(f) for f in to_ack}
    layer_id = persons_layer.id()
    path = tmp_path / "projet.qgz"
    assert project.write(str(path))
    project.clear()
    assert project.read(str(path))
    layer = project.mapLayer(layer_id)
    history = layer.metadata().history()
    assert any(h.startswith("[opendata_publisher:legal-checklist] 2026-11-27T10:00 — Jean Dupont") for h in history)
    assert any(h.startswith("[opendata_publisher:legal-ack] 2026-11-27T10:05 — Jean Dupont") for h in history)
    assert cl.load_checklist(layer).answers == answers
    result = lg.legal_gate(report.findings, lg.load_acknowledgements(layer), cl.load_checklist(layer))
    assert result.blocked and not result.needs_ack  # NIR and IBAN block whatever the acknowledgements
    project.clear()


def test_processing_algorithm_writes_the_report(persons_layer, tmp_path):
    alg = LegalCheckAlgorithm()
    alg.initAlgorithm()
    assert alg.name() == "legal_check"
    output = tmp_path / "legal.json"
    context = QgsProcessingContext()
    results, ok = alg.run({"INPUT": persons_layer, "OUTPUT_REPORT": str(output)}, context, QgsProcessingFeedback())
    assert ok
    assert results["BLOCKING_COUNT"] == 3 and results["WARNING_COUNT"] >= 3
    data = json.loads(Path(output).read_text(encoding="utf-8"))
    assert data["blocking_count"] == 3 and data["layer"]["name"] == "habitants"
    first = data["findings"][0]
    assert set(first) == {"code", "severity", "level", "basis", "field", "feature_id", "row", "value", "message"} | {
        "hint",
        "extra",
    }


def test_page_analyses_confirms_and_saves(qgis_iface, persons_layer):
    project = QgsProject.instance()
    project.addMapLayer(persons_layer)
    page = LegalPage(qgis_iface, run_inline=True)
    page.set_layer(persons_layer)
    page.run_analysis()
    assert page.report is not None and page.findings_model.counts()["error"] == 3
    assert page.status_label.text().splitlines()[-1].startswith("Publication bloquée : ")
    keys = [page.ack_list.item(i).data(256) for i in range(page.ack_list.count())]
    assert "legal-email|courriel" in keys
    page.set_acknowledged(["legal-email|courriel"])
    assert page.confirm_checked() == ["legal-email|courriel"]
    assert "legal-email|courriel" in lg.load_acknowledgements(persons_layer)
    page.answer_combos["achieved"].setCurrentIndex(page.answer_combos["achieved"].findData(cl.NO))
    assert "inachevé" in page.outcome_label.text()
    line = page.save_checklist()
    assert line in persons_layer.metadata().history()
    page.cleanup()
    project.removeMapLayer(persons_layer.id())


def test_geopackage_is_read_by_columns_with_the_same_findings(tmp_path, monkeypatch):
    """The Arrow reading of a file (distinct values counted per batch) finds what QGIS's reading finds."""
    from qgis.core import QgsCoordinateTransformContext

    from opendata_publisher.core.legal import collect

    uri = (
        "Point?crs=EPSG:4326&field=nom:string&field=courriel:string&field=tel:string&field=nir:string"
        "&field=iban:string&field=date_naissance:date&field=effectif:integer&field=taux:double"
        "&field=commentaire:string"
    )
    rows = []
    for i in range(120):
        rows.append(
            (
                ["Jean Exemple", "Marie Test", None][i % 3],
                f"personne{i % 7}@exemple.fr" if i % 5 else None,
                "06 00 00 00 01" if i % 2 else "02 38 00 00 00",
                NIR if i == 3 else "",
                IBAN if i == 4 else None,
                f"19{50 + i % 40}-01-0{1 + i % 9}" if i % 4 else None,
                i % 6,
                i / 8 if i % 10 else None,
                "Madame Dupont est malade" if i == 9 else f"RAS {i % 3}",
            )
        )
    source = memory_layer(uri, "habitants", rows)
    path = str(tmp_path / "habitants.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV2(source, path, QgsCoordinateTransformContext(), options)
    layer = QgsVectorLayer(path, "habitants", "ogr")
    assert layer.isValid()

    slow_input = LegalInput.from_layer(layer)
    slow_input.layer_input.ogr = None
    slow = legal_check(slow_input)

    def refuse(*_args):
        raise AssertionError("the file must be read by columns, not through QGIS")

    monkeypatch.setattr(collect, "_count_with_qgis", refuse)
    fast_input = LegalInput.from_layer(layer)
    assert fast_input.layer_input.ogr is not None
    fast = legal_check(fast_input)
    assert fast.to_dict() == slow.to_dict()
    assert {"legal-nir", "legal-iban", "legal-email", "legal-person-name"} <= {f.code for f in fast.findings}
    context = collect.collect(LegalInput.from_layer(layer))
    counts = {profile.name: profile.values for profile in context.fields}
    assert counts["effectif"][0] == 20 and sum(counts["fid"].values()) == 120


FIRSTS = ["Alice", "Bruno", "Camille", "Didier", "Claire", "Arthur", "Audrey", "Cedric", "Chloe", "Daniel"]
SURNAMES = ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Garcia"]
FORMULA = '=HYPERLINK("http://exemple.invalid")'
CROWDED_URI = (
    "Point?crs=EPSG:4326&field=nom:string&field=courriel:string&field=tel:string&field=remarque:string"
    "&field=nb_habitants:integer"
)


def crowded_rows(count: int = 400):
    """Rows whose names, e-mails, phones and remarks are all different (more distinct values than a small cap),
    one formula among the remarks, and a count of people with small values (few distinct values)."""
    rows = []
    for i in range(count):
        first, surname = FIRSTS[i % 10], SURNAMES[(i // 10) % 10]
        rows.append(
            (
                f"{first} {surname}" + ("" if i < 100 else f"-{SURNAMES[(i // 100) % 10]}"),
                f"{first.lower()}.{surname.lower()}{i}@exemple.fr",
                f"06 00 {i // 100:02d} {i % 100:02d} 12",
                FORMULA if i == 257 else f"RAS {i}",
                i % 8,
            )
        )
    return rows


def _essentials(report):
    return sorted((f.code, f.level, f.field or "") for f in report.findings)


def test_fields_past_the_distinct_cap_give_the_same_findings_in_bounded_memory(tmp_path, monkeypatch):
    """Past the cap of distinct values a field keeps a regular sample: the same findings on clear data (names,
    e-mails, mobiles), said to be estimated; the rare formula and the small counts stay exact; every reader
    (Arrow, QGIS) builds the same bounded profile."""
    from qgis.core import QgsCoordinateTransformContext

    from opendata_publisher.core.legal import collect

    source = memory_layer(CROWDED_URI, "habitants", crowded_rows())
    path = str(tmp_path / "habitants.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV2(source, path, QgsCoordinateTransformContext(), options)
    layer = QgsVectorLayer(path, "habitants", "ogr")
    assert layer.isValid() and layer.featureCount() == 400

    exact = legal_check(LegalInput.from_layer(layer))
    assert not any(f.extra.get("estimated") for f in exact.findings)

    most = []
    check = collect._Tally.check

    def watched(tally):
        most.append(len(tally.counts))
        check(tally)

    monkeypatch.setattr(collect._Tally, "check", watched)

    def capped(read_by_qgis=False):
        legal_input = LegalInput.from_layer(layer)
        legal_input.distinct_cap, legal_input.sample_rows = 50, 100
        if read_by_qgis:
            legal_input.layer_input.ogr = None
        return legal_input

    by_columns = legal_check(capped())
    assert _essentials(by_columns) == _essentials(exact)
    assert {"legal-person-name", "legal-email", "legal-phone", "legal-formula", "legal-small-counts"} <= {
        f.code for f in by_columns.findings
    }
    for finding in by_columns.findings:
        if finding.field in ("nom", "courriel", "tel"):
            assert finding.extra["estimated"] and finding.extra["sample_rows"] == 100, finding.code
            assert "Chiffres estimés sur un échantillon de 100 entités sur 400" in finding.message
            assert "(le champ compte plus de 50 valeurs distinctes ;" in finding.message
    formula = [f for f in by_columns.findings if f.code == "legal-formula"]
    assert [(f.field, f.extra["count"], f.extra["examples"]) for f in formula] == [("remarque", 1, [FORMULA[:40]])]
    small = [f.to_dict() for f in by_columns.findings if f.code == "legal-small-counts"]
    assert small == [f.to_dict() for f in exact.findings if f.code == "legal-small-counts"]
    assert max(most) <= 50 + 16384  # the counts of one batch past the cap at most, then dropped

    most.clear()
    through_qgis = legal_check(capped(read_by_qgis=True))
    assert through_qgis.to_dict() == by_columns.to_dict()
    assert max(most) <= 50 + collect._QGIS_CHUNK

    context = collect.collect(capped())
    profiles = {profile.name: profile for profile in context.fields}
    for name in ("fid", "nom", "courriel", "tel", "remarque"):
        profile = profiles[name]
        assert profile.sampled and profile.distinct_over == 50, name
        assert profile.sample_rows == 100 and len(profile.values) <= 100, name
        assert len(profile.formulas) <= 50
    assert dict(profiles["remarque"].formulas) == {FORMULA: 1}
    assert not profiles["nb_habitants"].sampled and profiles["nb_habitants"].values[3] == 50


RARE_URI = "Point?crs=EPSG:4326&field=ref:string&field=matricule:long&field=courriel:string"
NIR_NUMBER = int(NIR)
RARE = {101: ("ref", NIR), 202: ("ref", IBAN), 303: ("ref", "jean.exemple@exemple.fr"), 155: ("ref", "06 12 34 56 78")}


def rare_rows(count: int = 400):
    """A field of references all different (more distinct values than a small cap) holding ONE NIR, ONE IBAN,
    ONE personal e-mail and ONE mobile number, each on a row a sample of every 4th row does not read; an
    integer field of distinct numbers holding one NIR written as a number (row 222); a field full of e-mails."""
    rows = []
    for i in range(count):
        ref = RARE[i][1] if i in RARE else f"REF-{i:05d}"
        rows.append((ref, NIR_NUMBER if i == 222 else 1000 + i, f"agent{i}@exemple.fr"))
    return rows


def rare_findings(report):
    return [f.to_dict() for f in report.findings if f.field in ("ref", "matricule")]


def test_rare_personal_values_past_the_distinct_cap_are_found_in_every_row(tmp_path, monkeypatch):
    """Past the cap a field is read through a sample, but its values shaped like a NIR, an IBAN, an e-mail or a
    phone number are screened in every row: one of each outside the sample is found with its exact count,
    not said estimated, the same as without the cap, by the Arrow reading and the QGIS reading (GeoPackage
    and memory layer); a field full of e-mails keeps the sample and says why."""
    from qgis.core import QgsCoordinateTransformContext

    from opendata_publisher.core.legal import collect

    rows = rare_rows()
    source = memory_layer(RARE_URI, "habitants", rows)
    path = str(tmp_path / "rares.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV2(source, path, QgsCoordinateTransformContext(), options)
    layer = QgsVectorLayer(path, "habitants", "ogr")
    assert layer.isValid() and layer.featureCount() == 400

    def capped(of, read_by_qgis=False):
        legal_input = LegalInput.from_layer(of)
        legal_input.distinct_cap, legal_input.sample_rows = 50, 100
        if read_by_qgis:
            legal_input.layer_input.ogr = None
        return legal_input

    exact = legal_check(LegalInput.from_layer(layer))
    by_columns = legal_check(capped(layer))
    through_qgis = legal_check(capped(layer, read_by_qgis=True))
    memory = legal_check(capped(source))
    found = {(f.code, f.field): f for f in by_columns.findings}
    for code, name in [
        ("legal-nir", "ref"),
        ("legal-iban", "ref"),
        ("legal-email", "ref"),
        ("legal-phone", "ref"),
        ("legal-nir", "matricule"),
    ]:
        finding = found[(code, name)]
        assert finding.extra["count"] == 1 and finding.extra["distinct"] == 1, (code, name)
        assert "estimated" not in finding.extra and "estimés" not in finding.message, (code, name)
    assert found[("legal-nir", "ref")].level == "BLOQUANT" and found[("legal-iban", "ref")].level == "BLOQUANT"
    assert rare_findings(by_columns) == rare_findings(exact)
    assert through_qgis.to_dict() == by_columns.to_dict()
    assert memory.to_dict()["findings"] == by_columns.to_dict()["findings"]

    emails = found[("legal-email", "courriel")]
    assert emails.extra["estimated"] and emails.extra["sample_rows"] == 100
    assert "le champ compte plus de 50 valeurs différentes de cette forme" in emails.message

    context = collect.collect(capped(layer))
    profiles = {profile.name: profile for profile in context.fields}
    assert profiles["ref"].sampled and len(profiles["ref"].values) <= 100
    assert {kind: dict(values) for kind, values in profiles["ref"].shapes.items()} == {
        "nir": {NIR: 1},
        "iban": {IBAN: 1},
        "email": {"jean.exemple@exemple.fr": 1},
        "phone": {"06 12 34 56 78": 1},
    }
    assert dict(profiles["matricule"].shapes) == {"nir": {NIR_NUMBER: 1}}
    assert profiles["courriel"].shapes_over == {"email"} and not profiles["courriel"].shapes

"""The hostile-input suite: what a hostile tester (or an unlucky day) does to the plugin.

Families (each case builds its own inputs):

- FULL DISK: a tiny tmpfs mounted for the test where the machine allows it (root), otherwise an
  ``OSError(ENOSPC)`` injected at the write call;
- READ-ONLY places and DIRECTORIES given as file names;
- OUTPUT = INPUT (the source file named as the output);
- KILLED runs (``kill -9`` in the middle of a publication, then a new run);
- CONCURRENT publications into the same folder;
- PLANTED SYMLINKS in the publication folder;
- MALICIOUS TEXT (HTML/Markdown injection, control characters) and MALICIOUS SCHEMAS (catastrophic regular
  expressions, rules that cannot be applied), ODD LAYERS (mixed geometry types, no CRS, formula-like values).

Every case asserts the French message, the status (exception / Processing failure / outcome), that the
source is byte-identical (or logically identical for a GeoPackage) and that every output is complete and
valid, or absent.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from opendata_publisher.core import safe_write
from opendata_publisher.core.safe_write import WriteError, write_text

# ---------------------------------------------------------------------------------------------------
# helpers


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_digest(folder) -> dict:
    folder = Path(folder)
    return {
        str(p.relative_to(folder)): (digest(p) if p.is_file() and not p.is_symlink() else os.readlink(p))
        for p in sorted(folder.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def gpkg_content(path) -> dict:
    """Logical content of a GeoPackage: every layer's fields and features (GDAL may touch the bytes)."""
    probe = QgsVectorLayer(str(path), "probe", "ogr")
    content = {}
    for sub in probe.dataProvider().subLayers():
        name = sub.split("!!::!!")[1]
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        content[name] = (
            layer.fields().names(),
            sorted((tuple(map(str, f.attributes())), f.geometry().asWkt(6)) for f in layer.getFeatures()),
        )
    return content


class _Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
        self.errors.append(error)


def run_algorithm(alg_class, parameters):
    alg = alg_class()
    alg.initAlgorithm()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = _Feedback()
    results, ok = alg.run(parameters, context, feedback)
    return ok, results, " ".join(feedback.errors)


@contextlib.contextmanager
def _mount(size: str, read_only: bool = False):
    point = Path(f"/tmp/odp-hostile-{uuid.uuid4().hex[:8]}")
    point.mkdir()
    options = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
    if done.returncode != 0:
        point.rmdir()
        yield None
        return
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
        with contextlib.suppress(OSError):
            point.rmdir()


@pytest.fixture
def tiny_disk():
    """A 256 KB tmpfs (None when this machine does not allow mounting: the caller injects ENOSPC)."""
    with _mount("256k") as point:
        yield point


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder where nothing can be written: a read-only tmpfs (as root) or a chmod 555 folder."""
    with _mount("64k", read_only=True) as point:
        if point is not None:
            yield point
            return
        folder = tmp_path / "lecture-seule"
        folder.mkdir()
        folder.chmod(0o555)
        if os.access(folder, os.W_OK):
            pytest.skip("cannot make a read-only folder here (root without mount)")
        yield folder
        folder.chmod(0o755)


def inject_enospc(monkeypatch, module=safe_write):
    """Make every ``os.fdopen`` write of ``module`` fail with a full disk."""
    real = os.fdopen

    class _Full:
        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, _data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.stream, name)

    monkeypatch.setattr(module.os, "fdopen", lambda fd, mode="r", *a, **k: _Full(real(fd, mode, *a, **k)))


def big_points(count=600, text_size=600) -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "gros", "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField("id", QVariant.String), QgsField("nom", QVariant.String)])
    layer.updateFields()
    features = []
    for number in range(count):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([f"P{number}", "x" * text_size])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(2.0 + number / 1000, 47.0)))
        features.append(feature)
    provider.addFeatures(features)
    return layer


SIMPLE_SCHEMA = {
    "name": "hostile",
    "title": "Schéma de test",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "nom", "type": "string"},
    ],
}


@pytest.fixture
def simple_schema(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(SIMPLE_SCHEMA), encoding="utf-8")
    return str(path)


def write_gpkg(layer, path, name):
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    if Path(path).exists():
        options.actionOnExistingFile = QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
    error = QgsVectorFileWriter.writeAsVectorFormatV2(
        layer, str(path), QgsProject.instance().transformContext(), options
    )
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error


# ---------------------------------------------------------------------------------------------------
# atomic writes (item 3)


def test_atomic_write_on_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "rapport.json"
    target.write_text('{"ancien": true}\n', encoding="utf-8")
    before = digest(target)
    inject_enospc(monkeypatch)
    with pytest.raises(WriteError) as caught:
        write_text(target, json.dumps({"nouveau": True}), "Le rapport")
    assert "disque est plein" in str(caught.value) and str(target) in str(caught.value)
    assert digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.json"]  # no temporary left


def test_atomic_write_on_a_real_full_disk(tiny_disk):
    if tiny_disk is None:
        pytest.skip("mount -t tmpfs is not allowed here: the injected ENOSPC case covers it")
    target = tiny_disk / "rapport.json"
    target.write_text('{"ancien": true}\n', encoding="utf-8")
    before = digest(target)
    with pytest.raises(WriteError) as caught:
        write_text(target, "x" * 400_000, "Le rapport")
    assert "disque est plein" in str(caught.value)
    assert digest(target) == before
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["rapport.json"]


def test_atomic_write_into_a_read_only_folder(read_only_dir):
    with pytest.raises(WriteError) as caught:
        write_text(read_only_dir / "rapport.json", "{}", "Le rapport")
    assert "lecture seule" in str(caught.value) and "rapport.json" in str(caught.value)


def test_atomic_write_to_a_directory(tmp_path):
    folder = tmp_path / "dossier"
    folder.mkdir()
    with pytest.raises(WriteError) as caught:
        write_text(folder, "{}", "Le rapport")
    assert "c'est un dossier" in str(caught.value)
    assert folder.is_dir()


def test_atomic_write_replaces_a_symlink_without_following_it(tmp_path):
    victim = tmp_path / "victime.txt"
    victim.write_text("précieux\n", encoding="utf-8")
    link = tmp_path / "rapport.json"
    link.symlink_to(victim)
    write_text(link, "{}")
    assert victim.read_text(encoding="utf-8") == "précieux\n"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize("algorithm", ["validate", "legal", "metadata", "conform"])
@pytest.mark.parametrize("place", ["read-only", "directory", "full"])
def test_algorithm_reports_fail_with_a_french_message(algorithm, place, tmp_path, read_only_dir, monkeypatch):
    from opendata_publisher.processing.conform_layer import ConformLayerAlgorithm
    from opendata_publisher.processing.export_metadata import ExportMetadataAlgorithm
    from opendata_publisher.processing.legal_check import LegalCheckAlgorithm
    from opendata_publisher.processing.validate_layer import ValidateLayerAlgorithm

    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(SIMPLE_SCHEMA), encoding="utf-8")
    layer = big_points(3, 5)
    if place == "read-only":
        target = read_only_dir / "sortie.json"
    elif place == "directory":
        target = tmp_path / "sortie.json"
        target.mkdir()
    else:
        target = tmp_path / "sortie.json"
        target.write_text("ancien\n", encoding="utf-8")
        inject_enospc(monkeypatch)
    if algorithm == "validate":
        alg, params = ValidateLayerAlgorithm, {"INPUT": layer, "SCHEMA": str(schema), "OUTPUT_REPORT": str(target)}
    elif algorithm == "legal":
        alg, params = LegalCheckAlgorithm, {"INPUT": layer, "OUTPUT_REPORT": str(target)}
    elif algorithm == "metadata":
        alg, params = ExportMetadataAlgorithm, {"INPUT": layer, "FORMAT": "dcat-jsonld", "OUTPUT": str(target)}
    else:
        alg, params = (
            ConformLayerAlgorithm,
            {"INPUT": layer, "SCHEMA": str(schema), "OUTPUT": "TEMPORARY_OUTPUT", "REPORT": str(target)},
        )
    ok, _results, errors = run_algorithm(alg, params)
    assert not ok
    expected = {"read-only": "lecture seule", "directory": "c'est un dossier", "full": "disque est plein"}[place]
    assert expected in errors and "sortie.json" in errors, errors
    assert "Traceback" not in errors
    if place == "full":
        assert target.read_text(encoding="utf-8") == "ancien\n"


# ---------------------------------------------------------------------------------------------------
# conform_layer: false success and OUTPUT = INPUT (items 1, 2)


def test_conform_on_a_full_disk_fails(tiny_disk, simple_schema, monkeypatch):
    from opendata_publisher.processing.conform_layer import ConformLayerAlgorithm

    layer = big_points()
    if tiny_disk is None:
        pytest.skip("mount -t tmpfs is not allowed here")
    output = tiny_disk / "sortie.gpkg"
    ok, results, errors = run_algorithm(
        ConformLayerAlgorithm, {"INPUT": layer, "SCHEMA": simple_schema, "OUTPUT": str(output)}
    )
    assert not ok, results
    assert "disque plein" in errors or "place disponible" in errors, errors
    assert "ERROR_COUNT" not in (results or {})


def test_conform_refuses_the_source_geopackage_as_output(tmp_path, simple_schema):
    from opendata_publisher.processing.conform_layer import ConformLayerAlgorithm

    path = tmp_path / "source.gpkg"
    write_gpkg(big_points(5, 5), path, "premiere")
    write_gpkg(big_points(7, 5), path, "seconde")
    before = gpkg_content(path)
    layer = QgsVectorLayer(f"{path}|layername=premiere", "premiere", "ogr")
    for output in (str(path), f"ogr:dbname='{path}' table=\"premiere\" (geom)"):
        ok, _results, errors = run_algorithm(
            ConformLayerAlgorithm, {"INPUT": layer, "SCHEMA": simple_schema, "OUTPUT": output}
        )
        assert not ok
        assert "est le fichier de la couche à convertir" in errors, errors
    del layer
    assert gpkg_content(path) == before


def test_conform_refuses_the_source_csv_through_a_link(tmp_path, simple_schema):
    from opendata_publisher.processing.conform_layer import ConformLayerAlgorithm

    path = tmp_path / "source.csv"
    path.write_text("id,nom\n1,a\n2,b\n", encoding="utf-8")
    before = digest(path)
    link = tmp_path / "lien.csv"
    link.symlink_to(path)
    layer = QgsVectorLayer(f"file://{path}?delimiter=,", "source", "delimitedtext")
    assert layer.isValid()
    ok, _results, errors = run_algorithm(
        ConformLayerAlgorithm, {"INPUT": layer, "SCHEMA": simple_schema, "OUTPUT": str(link)}
    )
    assert not ok and "est le fichier de la couche à convertir" in errors, errors
    assert digest(path) == before


def _gpkg_page(qgis_iface, tmp_path):
    from opendata_publisher.core.schema.catalogue import CatalogueEntry
    from opendata_publisher.core.schema.model import parse_schema
    from opendata_publisher.gui.check_page import CheckPage

    from .test_conform_engine import SCHEMA, _messy_points
    from .test_gui_check_page import FakeCatalogue

    path = tmp_path / "source.gpkg"
    write_gpkg(_messy_points(), path, "parkings")
    write_gpkg(big_points(4, 4), path, "autre")
    layer = QgsVectorLayer(f"{path}|layername=parkings", "parkings", "ogr")
    QgsProject.instance().addMapLayer(layer)
    schema = parse_schema(dict(SCHEMA, name="test/stationnement"), "test")
    entry = CatalogueEntry("test/stationnement", "Stationnement (test)", "", [], ["1.0.0"], False)
    page = CheckPage(qgis_iface, catalogue=FakeCatalogue([entry]), run_inline=True)
    page.load_catalogue()
    page.set_layer(layer)
    page.set_schema("test/stationnement@1.0.0", schema)
    page.run_check()
    return page, layer, path


def test_conform_dialog_refuses_the_source_file(qgis_iface, qgis_new_project, tmp_path):
    page, layer, path = _gpkg_page(qgis_iface, tmp_path)
    before = gpkg_content(path)
    try:
        page.open_conform(None)
        dialog = page.conform_dialog
        dialog.set_output_path(str(path))
        dialog.accept()
        assert getattr(page, "conformed_layer", None) is None
        assert "is the file of the layer to convert" in page.last_error
    finally:
        page.cleanup()
        page.deleteLater()
    QgsProject.instance().removeMapLayer(layer.id())
    assert gpkg_content(path) == before


def test_conform_dialog_on_a_full_disk_says_so(qgis_iface, qgis_new_project, tmp_path, tiny_disk):
    if tiny_disk is None:
        pytest.skip("mount -t tmpfs is not allowed here")
    from opendata_publisher.core.conform.engine import ConformOptions, OutputError
    from opendata_publisher.core.reader import LayerInput
    from opendata_publisher.core.schema.model import parse_schema
    from opendata_publisher.gui.conform_dialog import ConformTask

    schema = parse_schema(SIMPLE_SCHEMA, "test")
    task = ConformTask(
        LayerInput.from_layer(big_points()),
        schema,
        ConformOptions(),
        path=str(tiny_disk / "sortie.gpkg"),
        layer_name="sortie",
        transform_context=QgsProject.instance().transformContext(),
    )
    with pytest.raises(OutputError) as caught:
        task.work()
    assert "disque plein" in str(caught.value) or "place disponible" in str(caught.value)

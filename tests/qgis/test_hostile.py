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
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
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
    layer = f"{path}|layername=premiere"  # loaded by the algorithm's context
    for output in (str(path), f"ogr:dbname='{path}' table=\"premiere\" (geom)"):
        ok, _results, errors = run_algorithm(
            ConformLayerAlgorithm, {"INPUT": layer, "SCHEMA": simple_schema, "OUTPUT": output}
        )
        assert not ok
        assert "est le fichier de la couche à convertir" in errors, errors
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
    from opendata_publisher.core.conform.model import ConformOptions
    from opendata_publisher.core.conform.pipeline import OutputError
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


# ---------------------------------------------------------------------------------------------------
# the local publication folder (items 4-7)

FOLDER_SCRIPT = r"""
import os, sys, time, json
from pathlib import Path
sys.path.insert(0, {project!r})
from opendata_publisher.core.portals import folder as F
from opendata_publisher.core.portals.base import PortalConnection, PublishFile, PublishRequest
from opendata_publisher.core.metadata import DatasetDescription
marker = Path({marker!r})
mode = {mode!r}
if mode == "copy":
    def progress(done, total, label):
        marker.write_text("copie")
        time.sleep(60)
else:
    progress = None
    F._exchange = lambda first, second: False  # the two-rename switch, where a kill can fall between
    real = os.rename
    def rename(a, b):
        real(a, b)
        if F.OLD_MARK in str(b):
            marker.write_text("entre-deux")
            time.sleep(60)
    F.os.rename = rename
adapter = F.FolderAdapter(PortalConnection(name="local", portal_type="folder", base_url={root!r}))
request = PublishRequest(
    description=DatasetDescription(title="Jeu tué", licence="etalab-2.0"),
    files=[PublishFile(path=Path({data!r}), format="csv", title="données")],
)
adapter.publish(request, progress)
"""


def folder_adapter(root):
    from opendata_publisher.core.portals import folder as folder_module
    from opendata_publisher.core.portals.base import PortalConnection

    return folder_module.FolderAdapter(PortalConnection(name="local", portal_type="folder", base_url=str(root)))


def folder_request(data_path, title="Jeu tué", **description):
    from opendata_publisher.core.metadata import DatasetDescription
    from opendata_publisher.core.portals.base import PublishFile, PublishRequest

    return PublishRequest(
        description=DatasetDescription(title=title, licence="etalab-2.0", **description),
        files=[PublishFile(path=Path(data_path), format="csv", title="données")],
    )


def assert_consistent(folder: Path, expected_data: bytes = None):
    """The folder is one complete version: every file of the manifest is there with its checksum, nothing
    else but the manifest, no leftover beside it."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(listed) == on_disk
    for rel, entry in listed.items():
        assert entry["sha256"] == digest(folder / rel), rel
    if expected_data is not None:
        [data] = [e["path"] for e in manifest["files"] if e["role"] == "donnees"]
        assert (folder / data).read_bytes() == expected_data
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers
    return manifest


def _data(tmp_path, name, content: bytes):
    path = tmp_path / "exports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_folder_full_disk_keeps_the_previous_version(tiny_disk, tmp_path):
    if tiny_disk is None:
        pytest.skip("mount -t tmpfs is not allowed here")
    from opendata_publisher.core.portals.base import PortalError

    adapter = folder_adapter(tiny_disk)
    small = _data(tmp_path, "jeu.csv", b"id\n1\n")
    adapter.publish(folder_request(small))
    folder = tiny_disk / "jeu-tue"
    before = tree_digest(folder)
    big = _data(tmp_path, "jeu.csv", b"id\n" + b"1234567890\n" * 40_000)  # 440 KB > 256 KB
    with pytest.raises(PortalError) as caught:
        adapter.publish(folder_request(big))
    message = str(caught.value)
    assert "disque est plein" in message and "garde sa version précédente" in message
    assert str(folder / "jeu.csv") in message and "/x" not in message
    assert tree_digest(folder) == before
    assert_consistent(folder, b"id\n1\n")


def _wgs84_file_layer(tmp_path, count=600):
    """big_points saved as a GeoPackage: a whole file layer in WGS 84, exported by GDAL's translate."""
    path = tmp_path / "gros.gpkg"
    write_gpkg(big_points(count), path, "gros")
    layer = QgsVectorLayer(f"{path}|layername=gros", "gros", "ogr")
    assert layer.isValid() and layer.featureCount() == count
    return layer


def _gdal_writes(monkeypatch):
    from opendata_publisher.core.export import writers

    used = []
    real = writers._gdal_translate
    monkeypatch.setattr(writers, "_gdal_translate", lambda *a, **k: used.append(a[2]) or real(*a, **k))
    return used


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_gdal_exports_on_a_real_full_disk_fail_in_french_and_leave_nothing(tiny_disk, tmp_path, monkeypatch, fmt):
    if tiny_disk is None:
        pytest.skip("mount -t tmpfs is not allowed here: the cut-file case covers the read-back")
    from opendata_publisher.core.export.writers import ExportError, ExportInput, export_csv, export_geojson

    layer = _wgs84_file_layer(tmp_path)  # 600 x 600 characters: more than the 256 KB disk
    used = _gdal_writes(monkeypatch)
    writer = export_csv if fmt == "csv" else export_geojson
    with pytest.raises(ExportError) as caught:
        writer(ExportInput.from_layer(layer), tiny_disk / f"gros.{fmt}")
    assert used == ["CSV" if fmt == "csv" else "GeoJSON"]  # GDAL's path, not the streamed one
    assert caught.value.kind == "disk-full" and "disque est plein" in str(caught.value)
    assert list(tiny_disk.iterdir()) == []  # no cut file left behind


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_gdal_export_cut_short_is_caught_by_the_read_back(tmp_path, monkeypatch, fmt):
    """GDAL 3.6's GeoJSON writer reports success on a full disk with a cut file: the file is read back."""
    from opendata_publisher.core.export import writers

    layer = _wgs84_file_layer(tmp_path, 200)
    used = _gdal_writes(monkeypatch)
    real_count = writers._written_count

    def cut_then_count(path, driver):
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.truncate(size // 2)
        return real_count(path, driver)

    monkeypatch.setattr(writers, "_written_count", cut_then_count)
    target = tmp_path / "sortie" / f"gros.{fmt}"
    writer = writers.export_csv if fmt == "csv" else writers.export_geojson
    with pytest.raises(writers.ExportError) as caught:
        writer(writers.ExportInput.from_layer(layer), target)
    assert used and "a échoué" in str(caught.value) and "entités relues sur 200" in str(caught.value)
    assert not target.exists()
    monkeypatch.setattr(writers, "_written_count", real_count)
    assert writer(writers.ExportInput.from_layer(layer), target) == target  # whole: read back and kept
    assert writers._written_count(target, "CSV" if fmt == "csv" else "GeoJSON") == 200


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_streamed_exports_on_a_real_full_disk_fail_in_french_and_leave_nothing(tiny_disk, fmt):
    """QGIS's GeoJSON writer, too, reports success on a full disk (a cut 64 KB file): the file is read back."""
    if tiny_disk is None:
        pytest.skip("mount -t tmpfs is not allowed here: the cut-file case covers the read-back")
    from opendata_publisher.core.export.writers import ExportError, ExportInput, export_geojson, export_gpkg

    writer = export_geojson if fmt == "geojson" else export_gpkg
    with pytest.raises(ExportError) as caught:
        writer(ExportInput.from_layer(big_points()), tiny_disk / f"gros.{fmt}")  # a memory layer: streamed
    assert caught.value.kind == "disk-full" and "disque est plein" in str(caught.value)
    assert list(tiny_disk.iterdir()) == []


def test_streamed_geojson_cut_short_is_caught_by_the_read_back(tmp_path, monkeypatch):
    from opendata_publisher.core.export import writers

    real_count = writers._written_count

    def cut_then_count(path, driver):
        with open(path, "r+b") as handle:
            handle.truncate(path.stat().st_size - 10)
        return real_count(path, driver)

    monkeypatch.setattr(writers, "_written_count", cut_then_count)
    target = tmp_path / "gros.geojson"
    with pytest.raises(writers.ExportError) as caught:
        writers.export_geojson(writers.ExportInput.from_layer(big_points(50)), target)
    assert "relues sur 50" in str(caught.value) and not target.exists()


def test_folder_injected_full_disk_keeps_the_previous_version(tmp_path, monkeypatch):
    from opendata_publisher.core.portals import folder as folder_module
    from opendata_publisher.core.portals.base import PortalError

    root = tmp_path / "publication"
    adapter = folder_adapter(root)
    adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n1\n")))
    folder = root / "jeu-tue"
    before = tree_digest(folder)
    real_open = open

    def full_open(path, mode="r", *args, **kwargs):
        if "x" in mode and str(path).endswith("README.md"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(folder_module, "open", full_open, raising=False)
    with pytest.raises(PortalError) as caught:
        adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n2\n")))
    assert "disque est plein" in str(caught.value) and str(folder / "README.md") in str(caught.value)
    assert tree_digest(folder) == before
    assert_consistent(folder, b"id\n1\n")


def _killed_run(tmp_path, root, data, mode):
    marker = tmp_path / f"marker-{mode}"
    script = FOLDER_SCRIPT.format(
        project=str(Path(__file__).resolve().parents[2]), marker=str(marker), mode=mode, root=str(root), data=str(data)
    )
    process = subprocess.Popen([os.sys.executable, "-c", script], stderr=subprocess.PIPE)
    import time

    deadline = time.time() + 60
    while not marker.exists():
        assert process.poll() is None, process.stderr.read().decode()
        assert time.time() < deadline
        time.sleep(0.05)
    process.kill()  # kill -9
    process.wait()
    process.stderr.close()
    return process.pid


@pytest.mark.parametrize("mode", ["copy", "switch"])
def test_folder_killed_mid_publication_then_run_again(tmp_path, mode):
    root = tmp_path / "publication"
    adapter = folder_adapter(root)
    adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n1\n")))
    folder = root / "jeu-tue"
    before = tree_digest(folder)
    pid = _killed_run(tmp_path, root, _data(tmp_path, "jeu.csv", b"id\n2\n" * 1000), mode)
    hidden = sorted(p.name for p in root.iterdir() if p.name.startswith("."))
    assert ".jeu-tue.verrou" in hidden  # the killed run's lock is left...
    if mode == "copy":
        assert tree_digest(folder) == before  # ...and the published version is untouched
    else:
        assert not folder.exists()  # killed between the two renames: the previous version is aside
    lock = json.loads((root / ".jeu-tue.verrou").read_text(encoding="utf-8"))
    assert lock["pid"] == pid
    # the next run (with the stored reference, as the dock does) sees the dead holder, cleans, and publishes
    from opendata_publisher.core.portals.base import DatasetRef

    request = folder_request(_data(tmp_path, "jeu.csv", b"id\n3\n"))
    request.ref = DatasetRef("folder", str(root), "jeu-tue", {}, "")
    result = adapter.publish(request)
    assert result.created is False
    manifest = assert_consistent(folder, b"id\n3\n")
    assert manifest["title"] == "Jeu tué"
    assert len(json.loads((folder / "historique.json").read_text(encoding="utf-8"))) == 2


def test_folder_lock_held_by_a_live_process_refuses(tmp_path):
    import socket

    from opendata_publisher.core.portals.base import PortalError

    root = tmp_path / "publication"
    adapter = folder_adapter(root)
    adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n1\n")))
    before = tree_digest(root / "jeu-tue")
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        lock = root / ".jeu-tue.verrou"
        lock.write_text(json.dumps({"pid": sleeper.pid, "host": socket.gethostname(), "started": "hier"}))
        with pytest.raises(PortalError) as caught:
            adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n2\n")))
        assert caught.value.kind == "conflict"
        assert "Une autre publication de ce jeu de données est en cours" in str(caught.value)
        assert f"processus {sleeper.pid}" in str(caught.value)
        assert tree_digest(root / "jeu-tue") == before and lock.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n2\n")))  # holder gone: stale lock
    assert_consistent(root / "jeu-tue", b"id\n2\n")


def test_two_concurrent_publications_never_mix(tmp_path, monkeypatch):
    import threading
    import time

    from opendata_publisher.core.portals import folder as folder_module
    from opendata_publisher.core.portals.base import PortalError

    root = tmp_path / "publication"
    folder_adapter(root).publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n0\n")))
    monkeypatch.setattr(folder_module, "CHUNK", 1024)
    versions = {name: _data(tmp_path / name, "jeu.csv", (f"id\n{name}\n" * 5000).encode()) for name in "AB"}
    results = {}

    def publish(name):
        def progress(*_args):
            time.sleep(0.001)

        try:
            folder_adapter(root).publish(folder_request(versions[name]), progress)
            results[name] = "ok"
        except PortalError as exc:
            results[name] = exc

    threads = [threading.Thread(target=publish, args=(name,)) for name in "AB"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    succeeded = [name for name, result in results.items() if result == "ok"]
    failed = [result for result in results.values() if result != "ok"]
    assert len(succeeded) >= 1
    for error in failed:
        assert error.kind == "conflict" and "est en cours" in str(error)
    manifest = assert_consistent(root / "jeu-tue")
    [data] = [e["path"] for e in manifest["files"] if e["role"] == "donnees"]
    assert (root / "jeu-tue" / data).read_bytes() in {versions[n].read_bytes() for n in succeeded}


def test_planted_symlinks_are_never_followed(tmp_path):
    root = tmp_path / "publication"
    adapter = folder_adapter(root)
    adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n1\n")))
    folder = root / "jeu-tue"
    victim = tmp_path / "victime.txt"
    victim.write_text("précieux\n", encoding="utf-8")
    (folder / ".README.md.tmp").symlink_to(victim)
    (folder / "rapports").mkdir(exist_ok=True)
    (folder / ".manifest.json.tmp").symlink_to(victim)
    (folder / "jeu.csv").unlink()
    (folder / "jeu.csv").symlink_to(victim)  # the data file itself replaced by a link
    (root / ".jeu-tue.nouveau-piege").symlink_to(tmp_path)  # a planted "staging" link: removed, not followed
    adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n2\n")))
    assert victim.read_text(encoding="utf-8") == "précieux\n"
    assert tmp_path.is_dir() and victim.exists()
    assert not any(p.is_symlink() for p in folder.rglob("*"))
    assert_consistent(folder, b"id\n2\n")


def test_readme_and_reports_escape_hostile_text(tmp_path):
    from opendata_publisher.core.markdown import md_text

    root = tmp_path / "publication"
    adapter = folder_adapter(root)
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> [clic](javascript:alert(3))"
    request = folder_request(
        _data(tmp_path, "jeu.csv", b"id\n1\n"),
        title="Titre <script>alert(0)</script>",
        description=hostile + "\n# faux titre\n- faux point",
        keywords=["<b>gras</b>", "[x](javascript:alert(4))"],
    )
    adapter.publish(request)
    [folder] = [p for p in root.iterdir() if not p.name.startswith(".")]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<b>", "\n# faux titre"):
        assert raw not in readme, raw
    assert not re.search(r"(?<!\\)\]\(javascript:", readme) and "\\[clic\\](javascript" in readme
    assert "&lt;script&gt;" in readme and "\\# faux titre" in readme
    assert md_text("a|b_c*d") == "a\\|b\\_c\\*d"


def test_verification_markdown_escapes_cell_values(tmp_path):
    from opendata_publisher.core.checks.finding import Finding
    from opendata_publisher.core.publish import legal_markdown
    from opendata_publisher.core.report import report_to_markdown
    from opendata_publisher.core.validation import ValidationReport

    report = ValidationReport(
        layer_id="x",
        layer_name="<img src=x onerror=alert(1)>",
        schema_name="s",
        schema_title="[t](javascript:alert(2))",
        schema_version="1",
        schema_source="s",
        feature_count=1,
    )
    report.findings.append(
        Finding(
            code="constraint-error",
            severity="error",
            message="<script>x</script>",
            field="a`b",
            value="[y](javascript:z)",
        )
    )
    markdown = report_to_markdown(report)
    for raw in ("<img", "<script"):
        assert raw not in markdown, raw
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown)

    class Legal:
        layer_name = "<script>alert(1)</script>"
        findings = []

        @staticmethod
        def summary():
            return "[a](javascript:b)"

    assert "<script" not in legal_markdown(Legal)
    assert not re.search(r"(?<!\\)\]\(javascript:", legal_markdown(Legal))


def test_pipeline_exports_live_under_the_target_and_leftovers_are_cleaned(tmp_path, monkeypatch):
    import socket

    from opendata_publisher.core.portals import folder as folder_module
    from opendata_publisher.core.portals.connections import folder_connection
    from opendata_publisher.core.publish import PUBLISHED, publish_layer

    from .test_publish_folder import good_layer

    root = tmp_path / "publication"
    root.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    host = folder_module._safe_host()
    leftover = root / f"{folder_module.WORK_PREFIX}{host}-{dead.pid}-abcdef"
    (leftover / "sous-dossier").mkdir(parents=True)  # a killed run's exports
    alive = root / f"{folder_module.WORK_PREFIX}{host}-{os.getpid()}-abcdef"
    alive.mkdir()  # a live run's exports: kept
    seen = []
    real_publish = folder_module.FolderAdapter.publish

    def spy(self, request, progress=None, feedback=None):
        seen.extend(f.path.parent for f in request.files)
        return real_publish(self, request, progress, feedback)

    monkeypatch.setattr(folder_module.FolderAdapter, "publish", spy)
    outcome = publish_layer(good_layer(tmp_path), folder_connection(root), ["csv"], accept_warnings=True)
    assert outcome.status == PUBLISHED, outcome.summary()
    assert seen and all(root in p.parents for p in seen)
    assert not leftover.exists() and alive.exists()
    assert sorted(p.name for p in root.iterdir()) == sorted([alive.name, "parkings-publics-de-la-commune-de-test"])
    assert socket.gethostname()


# ---------------------------------------------------------------------------------------------------
# malicious schemas (items 8, 9)


def _text_layer(values, name="valeurs"):
    layer = QgsVectorLayer("None", name, "memory")
    layer.dataProvider().addAttributes([QgsField("code", QVariant.String)])
    layer.updateFields()
    features = []
    for value in values:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([value])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _validate(layer, schema_dict):
    from opendata_publisher.core.reader import LayerInput
    from opendata_publisher.core.schema.model import parse_schema
    from opendata_publisher.core.validation import validate

    return validate(LayerInput.from_layer(layer), parse_schema(schema_dict, "test"), None, None)


@pytest.mark.parametrize("pattern", ["(a+)+", "(a|a)*", "(a|aa)+b?", "(.*a){12}"])
def test_catastrophic_pattern_becomes_a_warning_not_a_hang(pattern):
    import time

    from opendata_publisher.core.report import summary_sentence

    layer = _text_layer(["a" * 40 + "!", "a" * 44 + "!", "aaa"] * 30)
    schema = {"name": "regex", "fields": [{"name": "code", "type": "string", "constraints": {"pattern": pattern}}]}
    started = time.monotonic()
    report = _validate(layer, schema)
    assert time.monotonic() - started < 20
    skipped = [f for f in report.findings if f.code == "schema-warning" and "trop coûteux" in f.message]
    assert len(skipped) == 1 and skipped[0].field == "code" and skipped[0].severity == "warning", report.findings
    assert "« code »" in skipped[0].message
    assert "n'ont pas pu être appliquée" in summary_sentence(report) or "n'a pas pu être appliquée" in summary_sentence(
        report
    )
    assert "la couche est conforme" not in summary_sentence(report)


def test_risky_pattern_the_bounded_engine_decides_is_applied():
    import time

    layer = _text_layer(["abc def ghi jkl mno pqr stu vwx yz!" * 3, "abc def."])
    schema = {
        "name": "regex",
        "fields": [{"name": "code", "type": "string", "constraints": {"pattern": r"(\w+\s?)*\."}}],
    }
    started = time.monotonic()
    report = _validate(layer, schema)
    assert time.monotonic() - started < 20
    assert not [f for f in report.findings if f.code == "schema-warning"]
    assert [f.feature_id for f in report.findings if f.constraint == "pattern"] == [1]


def test_ordinary_patterns_keep_frictionless_semantics():
    from opendata_publisher.core.checks.safe_regex import SafePattern

    cases = [
        (r"[0-9]{14}", ["21450234500017", "2145023450001", "21450234500017 "]),
        (r"\d{5}(-\d+)*", ["45000", "45000-1-22", "4500", "45000-"]),
        (r"x|ab+", ["x", "abbb", "zab", "xab"]),
        (r"(?P<d>\d{2})/(?P=d)", ["12/12", "12/13"]),
        (r"[A-Z]{2}\d{3}(?:_[a-z]+)?", ["AB123", "AB123_x", "ab123"]),
        (r"\w+@\w+\.fr", ["sig@ville.fr", "été@ville.fr", "x@y.com"]),
    ]
    for pattern, values in cases:
        safe = SafePattern(pattern)
        for value in values:
            assert safe.match(value) == bool(re.match("^" + pattern + "$", value)), (pattern, value)


@pytest.mark.parametrize(
    "field, expected",
    [
        ({"name": "code", "type": "string", "constraints": {"pattern": "([a-z"}}, "n'est pas une expression"),
        ({"name": "code", "type": "licorne"}, "type inconnu"),
        ({"name": "code", "type": "string", "constraints": {"minimum": 3}}, "elles sont ignorées"),
        ({"name": "code", "type": "string", "constraints": {"enum": "a,b"}}, "illisible"),
    ],
)
def test_rules_that_cannot_be_applied_are_warnings_in_the_summary(field, expected):
    from opendata_publisher.core.report import report_to_json, report_to_markdown, summary_sentence

    report = _validate(_text_layer(["a", "b"]), {"name": "partiel", "fields": [field]})
    skipped = [f for f in report.findings if f.code == "schema-warning"]
    assert skipped and all(f.severity == "warning" for f in skipped)
    assert any(expected in f.message for f in skipped), [f.message for f in skipped]
    sentence = summary_sentence(report)
    assert "la couche est conforme" not in sentence and "non établie" in sentence, sentence
    data = json.loads(report_to_json(report))
    assert data["rules_not_applied"] and data["warning_count"] >= 1
    assert "**conformité non établie" in report_to_markdown(report)


# ---------------------------------------------------------------------------------------------------
# odd layers (items 10, 11, 13-15)

MIXED_GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"id": "1", "nom": "a"},
            "geometry": {"type": "Point", "coordinates": [2, 47]},
        },
        {
            "type": "Feature",
            "properties": {"id": "2", "nom": "b"},
            "geometry": {"type": "LineString", "coordinates": [[2, 47], [3, 48]]},
        },
        {
            "type": "Feature",
            "properties": {"id": "3", "nom": "c"},
            "geometry": {"type": "Polygon", "coordinates": [[[2, 47], [3, 47], [3, 48], [2, 47]]]},
        },
    ],
}


def test_mixed_geometry_types_are_reported_and_converted(tmp_path, simple_schema):
    from opendata_publisher.processing.conform_layer import ConformLayerAlgorithm
    from opendata_publisher.processing.validate_layer import ValidateLayerAlgorithm

    source = tmp_path / "melange.geojson"
    source.write_text(json.dumps(MIXED_GEOJSON), encoding="utf-8")
    before = digest(source)
    layer = QgsVectorLayer(str(source), "melange", "ogr")
    assert layer.isValid() and layer.featureCount() == 3
    report_path = tmp_path / "rapport.json"
    ok, _results, errors = run_algorithm(
        ValidateLayerAlgorithm, {"INPUT": layer, "SCHEMA": simple_schema, "OUTPUT_REPORT": str(report_path)}
    )
    assert ok, errors
    findings = json.loads(report_path.read_text(encoding="utf-8"))["findings"]
    [mixed] = [f for f in findings if f["code"] == "geometry-mixed"]
    assert mixed["severity"] == "warning" and "1 point(s), 1 ligne(s), 1 polygone(s)" in mixed["message"]

    output = tmp_path / "sortie.gpkg"
    ok, results, errors = run_algorithm(
        ConformLayerAlgorithm, {"INPUT": layer, "SCHEMA": simple_schema, "OUTPUT": str(output)}
    )
    assert ok, errors
    out = QgsVectorLayer(str(output), "sortie", "ogr")
    assert out.featureCount() == 3
    assert sorted(f.geometry().isEmpty() for f in out.getFeatures()) == [False, True, True]
    assert digest(source) == before


@pytest.mark.parametrize("fmt", ["iso19139", "dcat-jsonld", "qmd", "scdl-catalogue", "dcat-turtle"])
def test_control_characters_never_break_xml_or_json(tmp_path, fmt):
    import xml.etree.ElementTree as ET

    from opendata_publisher.core.metadata.layer_metadata import write_layer_description
    from opendata_publisher.processing.export_metadata import ExportMetadataAlgorithm

    from .test_publish_folder import full_description

    layer = big_points(2, 3)
    description = full_description("Parkings\x0bde la\x0c ville\x01 \x1f")
    description.description = "Ligne 1\x0bLigne 2\x00 fin\x7f — « accents »"
    description.keywords = ["mot\x0bclé"]
    write_layer_description(layer, description)
    output = tmp_path / f"meta.{fmt}"
    ok, results, errors = run_algorithm(ExportMetadataAlgorithm, {"INPUT": layer, "FORMAT": fmt, "OUTPUT": str(output)})
    assert ok, errors
    text = Path(results["OUTPUT"]).read_text(encoding="utf-8")
    if fmt in ("iso19139", "qmd"):
        root = ET.fromstring(text.encode("utf-8"))
        assert "Ligne 1" in "".join(root.itertext())
    elif fmt in ("dcat-jsonld", "scdl-catalogue"):
        json.loads(text) if fmt == "dcat-jsonld" else None
        assert "Parkings" in text
    else:
        assert "Parkings" in text
    for bad in ("\x00", "\x01", "\x1f"):
        assert bad not in text


def test_control_characters_in_the_publication_folder(tmp_path):
    import xml.etree.ElementTree as ET

    root = tmp_path / "publication"
    folder_adapter(root).publish(
        folder_request(
            _data(tmp_path, "jeu.csv", b"id\n1\n"),
            title="Titre\x0bcollé\x01",
            description="Résumé\x0bsur deux lignes\x0c",
        )
    )
    [folder] = [p for p in root.iterdir() if not p.name.startswith(".")]
    ET.fromstring((folder / "metadata" / "iso19139.xml").read_bytes())
    json.loads((folder / "metadata" / "dcat-ap.jsonld").read_text(encoding="utf-8"))
    json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "\x0b" not in (folder / "README.md").read_text(encoding="utf-8")


FORMULAS = [
    '=HYPERLINK("http://x","clic")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]


def test_formula_like_values_are_warned_and_neutralised_only_on_request(tmp_path, simple_schema):
    from opendata_publisher.core.conform.values import formula_like
    from opendata_publisher.processing.conform_layer import ConformLayerAlgorithm
    from opendata_publisher.processing.legal_check import LegalCheckAlgorithm

    assert all(formula_like(v) for v in FORMULAS)
    assert not any(formula_like(v) for v in ["-2", "+33 1 23 45 67 89", "-1.5e3", "a=b", "Rue de la Paix", "", None, 3])
    layer = QgsVectorLayer("None", "formules", "memory")
    layer.dataProvider().addAttributes([QgsField("id", QVariant.String), QgsField("nom", QVariant.String)])
    layer.updateFields()
    for number, value in enumerate(FORMULAS + ["Parking de la gare", "-12"]):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([str(number), value])
        layer.dataProvider().addFeature(feature)
    report = tmp_path / "juridique.json"
    ok, results, errors = run_algorithm(LegalCheckAlgorithm, {"INPUT": layer, "OUTPUT_REPORT": str(report)})
    assert ok, errors
    [finding] = [f for f in json.loads(report.read_text(encoding="utf-8"))["findings"] if f["code"] == "legal-formula"]
    assert finding["field"] == "nom" and finding["severity"] == "warning" and "4 entités" in finding["message"]
    assert "=HYPERLINK" in finding["value"]
    # the default conversion keeps the values as they are...
    output = tmp_path / "par-defaut.gpkg"
    ok, _results, errors = run_algorithm(
        ConformLayerAlgorithm, {"INPUT": layer, "SCHEMA": simple_schema, "OUTPUT": str(output)}
    )
    assert ok, errors
    values = sorted(f["nom"] for f in QgsVectorLayer(str(output), "o", "ogr").getFeatures())
    assert values == sorted(FORMULAS + ["Parking de la gare", "-12"])
    # ...the explicit fix neutralises them
    output = tmp_path / "neutralise.gpkg"
    ok, _results, errors = run_algorithm(
        ConformLayerAlgorithm, {"INPUT": layer, "SCHEMA": simple_schema, "OUTPUT": str(output), "FIXES": "formulas"}
    )
    assert ok, errors
    values = sorted(f["nom"] for f in QgsVectorLayer(str(output), "o", "ogr").getFeatures())
    assert values == sorted(["'" + v for v in FORMULAS] + ["Parking de la gare", "-12"])


def _described(layer):
    from opendata_publisher.core.metadata.layer_metadata import write_layer_description

    from .test_publish_folder import full_description

    write_layer_description(layer, full_description())
    return layer


def test_layer_without_crs_is_stopped_by_the_gate_with_the_real_cause(tmp_path):
    from opendata_publisher.core.export.writers import ExportError, ExportInput, export_geojson
    from opendata_publisher.core.portals.connections import folder_connection
    from opendata_publisher.core.publish import REFUSED, publish_layer

    layer = QgsVectorLayer("Point", "sans-scr", "memory")
    layer.dataProvider().addAttributes([QgsField("id", QVariant.String)])
    layer.updateFields()
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["1"])
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(700000, 6600000)))
    layer.dataProvider().addFeature(feature)
    layer.setCrs(QgsCoordinateReferenceSystem())
    assert not layer.crs().isValid()
    with pytest.raises(ExportError) as caught:
        export_geojson(ExportInput.from_layer(layer), tmp_path / "x.geojson")
    assert "système de coordonnées connu" in str(caught.value) and "place disponible" not in str(caught.value)
    assert not (tmp_path / "x.geojson").exists()
    root = tmp_path / "publication"
    outcome = publish_layer(_described(layer), folder_connection(root), ["csv", "geojson"], accept_warnings=True)
    assert outcome.status == REFUSED
    assert any("système de coordonnées connu" in item.message for item in outcome.gate.blocking)
    assert not root.exists() or not [p for p in root.iterdir() if not p.name.startswith(".")]


def test_shapefile_field_limit_says_so(tmp_path):
    from opendata_publisher.core.export.writers import ExportError, ExportInput, export_shapefile_zip

    layer = QgsVectorLayer("Point?crs=EPSG:2154", "large", "memory")
    layer.dataProvider().addAttributes([QgsField(f"c{i}", QVariant.String) for i in range(300)])
    layer.updateFields()
    with pytest.raises(ExportError) as caught:
        export_shapefile_zip(ExportInput.from_layer(layer), tmp_path / "large.shp.zip")
    assert "255" in str(caught.value) and "place disponible" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_shapefile_cuts_are_announced_and_gdal_stays_quiet(tmp_path, capfd):
    from opendata_publisher.core.portals.connections import folder_connection
    from opendata_publisher.core.publish import PUBLISHED, REFUSED, publish_layer

    layer = QgsVectorLayer("Point?crs=EPSG:2154", "longs", "memory")
    layer.dataProvider().addAttributes(
        [QgsField("identifiant_long", QVariant.String), QgsField("texte", QVariant.String)]
    )
    layer.updateFields()
    secret = "SECRET-" + "y" * 300_000
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["1", secret])
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(700000, 6600000)))
    layer.dataProvider().addFeature(feature)
    _described(layer)
    root = tmp_path / "publication"
    refused = publish_layer(layer, folder_connection(root), ["shp"], accept_warnings=False)
    assert refused.status == REFUSED
    sentences = " ".join(item.message for item in refused.gate.warnings)
    assert "coupe les noms de champ à 10 caractères : identifiant_long → identifian" in sentences
    assert "coupe les textes à 254 octets : 1 valeur(s) seront tronquées (1 dans « texte »)" in sentences
    capfd.readouterr()
    outcome = publish_layer(layer, folder_connection(root), ["shp"], accept_warnings=True)
    assert outcome.status == PUBLISHED, outcome.summary()
    captured = capfd.readouterr()
    assert "SECRET-yyyy" not in captured.err and "truncated" not in captured.err


# ---------------------------------------------------------------------------------------------------
# a remote catalogue pointing at local files (item 16)


@pytest.mark.parametrize(
    "url", ["file:///etc/schema.json", "file://serveur/partage/schema.json", "/etc/schema.json", "ftp://x/schema.json"]
)
def test_remote_catalogue_cannot_point_at_local_files(tmp_path, url):
    from opendata_publisher.core.schema.catalogue import CatalogueError, SchemaCatalogue

    local = tmp_path / "schema.json"
    local.write_text(json.dumps(SIMPLE_SCHEMA), encoding="utf-8")
    url = url.replace("/etc/schema.json", str(local))
    catalogue_doc = {
        "schemas": [
            {
                "name": "pirate/schema",
                "title": "Schéma pirate",
                "schema_type": "tableschema",
                "schema_url": url,
                "versions": [{"version_name": "1.0.0", "schema_url": url}],
            }
        ]
    }
    asked = []

    def fetcher(address):
        asked.append(address)
        if address == "https://catalogue.example/schemas.json":
            return json.dumps(catalogue_doc).encode("utf-8")
        raise AssertionError(f"the plugin asked for {address}")

    catalogue = SchemaCatalogue("https://catalogue.example/schemas.json", tmp_path / "cache", fetcher)
    with pytest.raises(CatalogueError) as caught:
        catalogue.fetch_schema("pirate/schema")
    assert "n'est pas une adresse web" in str(caught.value) and "pirate/schema" in str(caught.value)
    assert asked == ["https://catalogue.example/schemas.json"]


# ---------------------------------------------------------------------------------------------------
# exit status and stderr of qgis_process (items 1, 17)


def test_qgis_process_conform_exit_status_and_quiet_stderr(tmp_path, simple_schema, tiny_disk):
    import shutil

    from .test_qgis_process import QGIS_PROCESS, run_qgis_process, write_profile

    if QGIS_PROCESS is None:
        pytest.skip("qgis_process.bin not installed (apt install qgis)")
    write_profile(tmp_path / "profil")
    source = tmp_path / "source.gpkg"
    write_gpkg(big_points(), source, "source")
    before = gpkg_content(source)
    output = tmp_path / "sortie.gpkg"
    done = run_qgis_process(
        tmp_path / "profil",
        "run",
        "opendata_publisher:conform_layer",
        f"--INPUT={source}",
        f"--SCHEMA={simple_schema}",
        f"--OUTPUT={output}",
    )
    assert done.returncode == 0, done.stderr
    assert "ERROR 1" not in done.stdout + done.stderr  # the output is read back once the writer is closed
    assert QgsVectorLayer(str(output), "o", "ogr").featureCount() == 600
    if tiny_disk is not None and shutil.which("mount"):
        full = run_qgis_process(
            tmp_path / "profil",
            "run",
            "opendata_publisher:conform_layer",
            f"--INPUT={source}",
            f"--SCHEMA={simple_schema}",
            f"--OUTPUT={tiny_disk / 'sortie.gpkg'}",
        )
        assert full.returncode != 0
        assert "disque plein" in full.stdout + full.stderr or "place disponible" in full.stdout + full.stderr
        assert "ERROR_COUNT" not in full.stdout
    assert gpkg_content(source) == before


def test_folder_cancel_mid_copy_keeps_the_previous_version(tmp_path, monkeypatch):
    from qgis.core import QgsFeedback

    from opendata_publisher.core.portals import folder as folder_module
    from opendata_publisher.core.portals.base import PortalError

    root = tmp_path / "publication"
    adapter = folder_adapter(root)
    adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n1\n")))
    folder = root / "jeu-tue"
    before = tree_digest(folder)
    monkeypatch.setattr(folder_module, "CHUNK", 16)
    feedback = QgsFeedback()

    def progress(done, _total, _label):
        if done > 64:
            feedback.cancel()

    with pytest.raises(PortalError) as caught:
        adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n2\n" * 100)), progress, feedback)
    assert caught.value.kind == "cancelled" and "garde sa version précédente" in str(caught.value)
    assert tree_digest(folder) == before
    assert_consistent(folder, b"id\n1\n")


def test_check_page_report_export_on_a_full_disk_keeps_the_previous_file(
    qgis_iface, qgis_new_project, tmp_path, monkeypatch
):
    page, layer, _path = _gpkg_page(qgis_iface, tmp_path)
    try:
        target = tmp_path / "rapport.json"
        target.write_text("ancien\n", encoding="utf-8")
        inject_enospc(monkeypatch)
        assert page.export_report("json", str(target)) is None
        assert "could not be written" in page.last_error and "rapport.json" in page.last_error
        assert target.read_text(encoding="utf-8") == "ancien\n"
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    finally:
        page.cleanup()
        page.deleteLater()
    QgsProject.instance().removeMapLayer(layer.id())


@pytest.mark.parametrize(
    "content",
    [
        "{",
        "[]",
        '{"fields": 3}',
        '{"fields": [{"name": 1}]}',
        '{"fields": []}',
        "[" * 200_000 + "]" * 200_000,
        '{"fields": [{"name": "code", "type": "string", "constraints": {"pattern": "' + "(" * 5000 + '"}}]}',
        "\x00\x01\x02binaire",
    ],
)
def test_broken_schemas_are_refused_in_french(tmp_path, content):
    from opendata_publisher.processing.validate_layer import ValidateLayerAlgorithm

    schema = tmp_path / "schema.json"
    schema.write_text(content, encoding="utf-8")
    report = tmp_path / "rapport.json"
    ok, _results, errors = run_algorithm(
        ValidateLayerAlgorithm, {"INPUT": _text_layer(["a"]), "SCHEMA": str(schema), "OUTPUT_REPORT": str(report)}
    )
    if ok:  # a schema that could only partly be applied: said, never « conforme »
        data = json.loads(report.read_text(encoding="utf-8"))
        assert data["rules_not_applied"], data
    else:
        assert errors and "Traceback" not in errors and "recursion" not in errors, errors
        assert any(word in errors for word in ("schéma", "Schéma")), errors
        assert not report.exists()


# ---------------------------------------------------------------------------------------------------
# the source is never touched, whatever runs on it


@pytest.mark.parametrize("kind", ["csv", "gpkg", "geojson"])
def test_every_algorithm_leaves_the_source_untouched(tmp_path, simple_schema, kind):
    from opendata_publisher.processing.conform_layer import ConformLayerAlgorithm
    from opendata_publisher.processing.export_metadata import ExportMetadataAlgorithm
    from opendata_publisher.processing.legal_check import LegalCheckAlgorithm
    from opendata_publisher.processing.validate_layer import ValidateLayerAlgorithm

    if kind == "csv":
        source = tmp_path / "source.csv"
        source.write_text('id,nom\n1,"=HYPERLINK(""x"")"\n2,b\x0bc\n', encoding="utf-8")
        uri = f"file://{source}?delimiter=,&detectTypes=no&geomType=none"
        provider = "delimitedtext"
    elif kind == "gpkg":
        source = tmp_path / "source.gpkg"
        write_gpkg(big_points(20, 10), source, "source")
        write_gpkg(big_points(3, 3), source, "autre")
        uri, provider = f"{source}|layername=source", "ogr"
    else:
        source = tmp_path / "source.geojson"
        source.write_text(json.dumps(MIXED_GEOJSON), encoding="utf-8")
        uri, provider = str(source), "ogr"

    def snapshot():
        return gpkg_content(source) if kind == "gpkg" else digest(source)

    before = snapshot()
    layer = QgsVectorLayer(uri, "source", provider)
    assert layer.isValid()
    runs = [
        (ValidateLayerAlgorithm, {"SCHEMA": simple_schema, "OUTPUT_REPORT": str(tmp_path / "v.json")}),
        (LegalCheckAlgorithm, {"OUTPUT_REPORT": str(tmp_path / "l.json")}),
        (ConformLayerAlgorithm, {"SCHEMA": simple_schema, "OUTPUT": str(tmp_path / "c.gpkg"), "FIXES": "all"}),
        (ExportMetadataAlgorithm, {"FORMAT": "iso19139", "OUTPUT": str(tmp_path / "m.xml")}),
    ]
    for algorithm, parameters in runs:
        ok, _results, errors = run_algorithm(algorithm, {"INPUT": layer, **parameters})
        assert ok, (algorithm, errors)
    del layer
    assert snapshot() == before
    assert QgsVectorLayer(str(tmp_path / "c.gpkg"), "c", "ogr").featureCount() > 0


@pytest.mark.parametrize("exchange", [True, False])
def test_folder_switch_is_one_rename_or_a_guarded_pair(tmp_path, monkeypatch, exchange):
    import sys

    from opendata_publisher.core.portals import folder as folder_module

    root = tmp_path / "publication"
    adapter = folder_adapter(root)
    adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n1\n")))
    if not exchange:
        monkeypatch.setattr(folder_module, "_exchange", lambda first, second: False)
    moved_aside = []
    real_rename = os.rename

    def spy(first, second):
        if folder_module.OLD_MARK in str(second):
            moved_aside.append(second)
        return real_rename(first, second)

    monkeypatch.setattr(folder_module.os, "rename", spy)
    adapter.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n2\n")))
    assert_consistent(root / "jeu-tue", b"id\n2\n")
    if exchange and sys.platform.startswith("linux"):
        assert moved_aside == []  # renameat2(RENAME_EXCHANGE): the dataset folder is never missing
    elif not exchange:
        assert len(moved_aside) == 1


def test_folder_decision_is_taken_again_under_the_lock(tmp_path, monkeypatch):
    """Two first publications of the same dataset at once: the second one, which saw no folder before it
    got the lock, updates what the first created instead of replacing it with a history of one entry."""
    from opendata_publisher.core.portals import folder as folder_module

    root = tmp_path / "publication"
    first = folder_adapter(root)
    first.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n1\n")))
    second = folder_adapter(root)
    real_target = folder_module.FolderAdapter._target
    calls = []

    def stale_then_real(self, request):
        calls.append(1)
        if len(calls) == 1:
            return root / "jeu-tue", False  # what it saw before the first publication ended
        return real_target(self, request)

    monkeypatch.setattr(folder_module.FolderAdapter, "_target", stale_then_real)
    result = second.publish(folder_request(_data(tmp_path, "jeu.csv", b"id\n2\n")))
    assert result.created is False
    assert len(json.loads((root / "jeu-tue" / "historique.json").read_text(encoding="utf-8"))) == 2
    assert_consistent(root / "jeu-tue", b"id\n2\n")

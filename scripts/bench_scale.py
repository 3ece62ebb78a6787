#!/usr/bin/env python3
"""Benchmark of the pipeline at scale (``make bench``, after scripts/bench.py): PostGIS, legal check, exports.

    .venv/bin/python scripts/bench_scale.py [--rows 1000000] [--pg-rows 1000000] [--no-qgis-iteration]
                                            [--only-postgis]

On the stationnement data of scripts/bench.py (GeoPackage, EPSG:4326 points, 30 fields, cached in .bench/):

1. ``validate`` and ``legal_check`` of the GeoPackage (columnar reading), and ``legal_check`` read through
   QGIS as before (for the ratio);
2. the exports of a publication to a folder (CSV + GeoJSON of the layer, as ``publish_layer`` writes them)
   against ``ogr2ogr`` writing the same two formats;
3. a throw-away PostgreSQL + PostGIS cluster (tests/helpers/postgis.py) holding ``--pg-rows`` rows of the
   same data (loaded by ``ogr2ogr``; copied when more rows than the GeoPackage are asked, which adds
   findings: prefer ``--rows`` as large): ``validate`` and ``legal_check`` on the server (core/postgis.py)
   and through plain QGIS iteration.

Each measure runs in a child process: wall time and peak memory (ru_maxrss of that child). The children
are Python with QGIS initialised (not ``qgis_process``): the table says what QGIS alone costs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

SCRIPTS_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = SCRIPTS_DIR.parent
sys.path.insert(0, str(SCRIPTS_DIR))
sys.path.insert(0, str(PROJECT_ROOT))

import bench  # noqa: E402  (the data set and the measuring helper of scripts/bench.py)

TABLE = "bench"


# --- children ----------------------------------------------------------------------------------------


def _open_layer(source: str):
    from qgis.core import QgsVectorLayer

    provider = "postgres" if source.startswith("dbname=") else "ogr"
    layer = QgsVectorLayer(source, "bench", provider)
    if not layer.isValid():
        raise SystemExit(f"cannot open {source}")
    return layer


def _work(kind: str, source: str, schema_path: str, out_dir: str) -> Dict[str, Any]:
    from opendata_publisher.core.schema.catalogue import load_schema_reference

    layer = _open_layer(source)
    start = time.perf_counter()
    if kind in ("validate", "validate-qgis"):
        from opendata_publisher.core.validation import LayerInput, validate

        layer_input = LayerInput.from_layer(layer)
        if kind == "validate-qgis":
            layer_input.postgis = None
            layer_input.ogr = None
        report = validate(layer_input, load_schema_reference(schema_path))
        result = {"reader": report.reader, "errors": report.error_count, "warnings": report.warning_count}
    elif kind in ("legal", "legal-qgis"):
        from opendata_publisher.core.legal.collect import LegalInput, legal_check

        legal_input = LegalInput.from_layer(layer)
        if kind == "legal-qgis":
            legal_input.layer_input.postgis = None
            legal_input.layer_input.ogr = None
        report = legal_check(legal_input)
        result = {"findings": len(report.findings), "blocking": report.blocking_count}
    elif kind == "export":
        from opendata_publisher.core.export.writers import ExportInput, export_formats

        written = export_formats(ExportInput.from_layer(layer), ["csv", "geojson"], out_dir, "ours")
        result = {"bytes": sum(path.stat().st_size for _fmt, path in written)}
    else:
        raise SystemExit(f"unknown work {kind}")
    result["inner_seconds"] = time.perf_counter() - start
    del layer
    return result


def run_worker(kind: str, source: str, schema_path: str, out_dir: str) -> int:
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    try:
        result = _work(kind, source, schema_path, out_dir)
    finally:
        app.exitQgis()
    print("RESULT " + json.dumps(result))
    return 0


# --- parent ------------------------------------------------------------------------------------------


def measure(label: str, cmd: List[str], workdir: Path, env: Dict[str, str]) -> Dict[str, Any]:
    slug = "".join(c if c.isalnum() else "-" for c in label)[:60]
    out, err = workdir / f"{slug}.out", workdir / f"{slug}.err"
    print(f"  {label}…", flush=True)
    code, seconds, peak = bench.run_measured(cmd, PROJECT_ROOT, env, out, err)
    if code != 0:
        raise bench.BenchError(f"{label} failed (exit code {code}):\n{bench._tail(err)}\n{bench._tail(out)}")
    result: Dict[str, Any] = {}
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
    result.update({"work": label, "seconds": seconds, "peak_mb": peak})
    print(f"    {seconds:.1f} s, {peak:.0f} MB {json.dumps({k: v for k, v in result.items() if k not in ('work',)})}")
    return result


def worker_cmd(kind: str, source: str, out_dir: Path) -> List[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", kind, source, str(bench.SHARED_SCHEMA)] + [
        str(out_dir)
    ]


def load_postgis(server, gpkg: Path, pg_rows: int, file_rows: int, env: Dict[str, str]) -> float:
    """ogr2ogr the GeoPackage into the cluster (``-limit`` or repeated to reach ``pg_rows``); seconds."""
    start = time.perf_counter()
    pg = f"PG:host=127.0.0.1 port={server.port} user={server.user} dbname={server.dbname}"
    cmd = ["ogr2ogr", "-f", "PostgreSQL", pg, str(gpkg), "-nln", TABLE, "-lco", "FID=gid"]
    cmd += ["-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=NONE", "--config", "PG_USE_COPY", "YES"]
    if pg_rows < file_rows:
        cmd += ["-limit", str(pg_rows)]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    loaded = min(pg_rows, file_rows)
    columns = server.sql(
        "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM information_schema.columns "
        f"WHERE table_name = '{TABLE}' AND column_name <> 'gid'"
    ).strip()
    copy = 0
    while loaded < pg_rows:
        take = min(loaded, pg_rows - loaded)
        copy += 1
        # the copies keep the identifiers unique (else every copied row is a duplicate to report)
        select = ", ".join(f"id || '-{copy}'" if c == "id" else c for c in columns.split(", "))
        server.sql(f"INSERT INTO {TABLE} ({columns}) SELECT {select} FROM {TABLE} ORDER BY gid LIMIT {take}")
        loaded += take
    server.sql(f"VACUUM ANALYZE {TABLE}")
    return time.perf_counter() - start


def print_table(rows: List[Dict[str, Any]], ratios: List[str]) -> None:
    print()
    print(f"{'work':<62} {'seconds':>8} {'peak MB':>8}  notes")
    print("-" * 100)
    for row in rows:
        notes = ", ".join(f"{k}={v}" for k, v in row.items() if k in ("reader", "errors", "findings", "bytes"))
        print(f"{row['work']:<62} {row['seconds']:>8.1f} {row['peak_mb']:>8.0f}  {notes}")
    print("-" * 100)
    for line in ratios:
        print(line)


def ratio(label: str, a: Dict[str, Any], b: Dict[str, Any]) -> str:
    time_ratio = a["seconds"] / max(b["seconds"], 1e-9)
    return f"{label}: {time_ratio:.2f}x time, {a['peak_mb'] / max(b['peak_mb'], 1e-9):.2f}x memory"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the GeoPackage (default 1000000)")
    parser.add_argument("--pg-rows", type=int, default=1_000_000, help="rows of the PostGIS table (default 1000000)")
    parser.add_argument("--no-qgis-iteration", action="store_true", help="skip the plain QGIS readings")
    parser.add_argument("--only-postgis", action="store_true", help="only the PostGIS part (e.g. --pg-rows 10000000)")
    parser.add_argument("--no-legal", action="store_true", help="PostGIS part: validate only")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return run_worker(*args.worker)
    try:
        return run(args)
    except bench.BenchError as exc:
        print(f"bench_scale: {exc}", file=sys.stderr)
        return 2


def run(args) -> int:
    if not bench.SHARED_SCHEMA.is_file():
        raise bench.BenchError(f"reference schema not found: {bench.SHARED_SCHEMA} (../shared is needed)")
    gpkg, _csv, _manifest = bench.ensure_dataset(args.rows, 45, False, True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    workdir = Path(tempfile.mkdtemp(prefix="odp-bench-scale-"))
    rows: List[Dict[str, Any]] = []
    ratios: List[str] = []
    try:
        if not args.only_postgis:
            print(f"File: {gpkg.name} ({args.rows:,} rows)")
            validate = measure(
                "validate_layer, GeoPackage (columnar)", worker_cmd("validate", str(gpkg), workdir), workdir, env
            )
            legal = measure("legal_check, GeoPackage (columnar)", worker_cmd("legal", str(gpkg), workdir), workdir, env)
            rows += [validate, legal]
            if not args.no_qgis_iteration:
                legal_qgis = measure(
                    "legal_check, GeoPackage (QGIS iteration, before)",
                    worker_cmd("legal-qgis", str(gpkg), workdir),
                    workdir,
                    env,
                )
                rows.append(legal_qgis)
                ratios.append(ratio("legal columnar / legal through QGIS", legal, legal_qgis))
            ratios.append(ratio("legal / validate (target <= 1)", legal, validate))
            exports = workdir / "exports"
            exports.mkdir()
            export = measure(
                "publication exports CSV + GeoJSON (ours)", worker_cmd("export", str(gpkg), exports), workdir, env
            )
            csv_cmd = ["ogr2ogr", "-f", "CSV", str(exports / "ogr.csv"), str(gpkg), "-lco", "LINEFORMAT=CRLF"]
            geojson_cmd = ["ogr2ogr", "-f", "GeoJSON", str(exports / "ogr.geojson"), str(gpkg)]
            geojson_cmd += ["-lco", "RFC7946=YES", "-lco", "COORDINATE_PRECISION=7", "-lco", "WRITE_NAME=NO"]
            ogr_csv = measure("ogr2ogr CSV", csv_cmd, workdir, env)
            ogr_geojson = measure("ogr2ogr GeoJSON", geojson_cmd, workdir, env)
            rows += [export, ogr_csv, ogr_geojson]
            ogr_total = {
                "seconds": ogr_csv["seconds"] + ogr_geojson["seconds"],
                "peak_mb": max(ogr_csv["peak_mb"], ogr_geojson["peak_mb"]),
            }
            budget = {"seconds": 2 * ogr_total["seconds"] + validate["seconds"], "peak_mb": 1}
            ratios.append(ratio("exports / ogr2ogr (CSV + GeoJSON)", export, ogr_total))
            ratios.append(
                f"exports + validate + legal = {export['seconds'] + validate['seconds'] + legal['seconds']:.1f} s; "
                f"target 2 x ogr2ogr + check = {budget['seconds']:.1f} s"
            )

        from tests.helpers.postgis import PostgisServer, skip_reason

        reason = skip_reason()
        if reason:
            print(f"PostGIS part skipped: {reason}")
        else:
            server = PostgisServer()
            try:
                server.start()
                print(f"PostGIS: loading {args.pg_rows:,} rows…", flush=True)
                if args.pg_rows > args.rows:
                    print(
                        "  WARNING: rows beyond the GeoPackage's are copies whose identifiers break the schema's "
                        "pattern: the findings (and the memory holding them) grow with them. For a clean table, "
                        "give --rows as large as --pg-rows."
                    )
                seconds = load_postgis(server, gpkg, args.pg_rows, args.rows, env)
                print(f"  loaded in {seconds:.0f} s")
                uri = server.uri(TABLE, key="gid")
                label = f"{args.pg_rows:,} rows"
                pg_validate = measure(
                    f"validate_layer, PostGIS {label} (server)", worker_cmd("validate", uri, workdir), workdir, env
                )
                pg_legal = None
                if not args.no_legal:
                    pg_legal = measure(
                        f"legal_check, PostGIS {label} (server)", worker_cmd("legal", uri, workdir), workdir, env
                    )
                rows += [r for r in (pg_validate, pg_legal) if r]
                if not args.no_qgis_iteration:
                    pg_validate_q = measure(
                        f"validate_layer, PostGIS {label} (QGIS iteration)",
                        worker_cmd("validate-qgis", uri, workdir),
                        workdir,
                        env,
                    )
                    rows.append(pg_validate_q)
                    ratios.append(ratio("PostGIS validate server / QGIS iteration", pg_validate, pg_validate_q))
                    if pg_legal:
                        pg_legal_q = measure(
                            f"legal_check, PostGIS {label} (QGIS iteration)",
                            worker_cmd("legal-qgis", uri, workdir),
                            workdir,
                            env,
                        )
                        rows.append(pg_legal_q)
                        ratios.append(ratio("PostGIS legal server / QGIS iteration", pg_legal, pg_legal_q))
            finally:
                server.stop()
        print_table(rows, ratios)
        print("\nPeak memory is the child's whole process (Python + QGIS initialised); frictionless: scripts/bench.py.")
        return 0
    finally:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

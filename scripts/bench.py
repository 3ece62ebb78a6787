#!/usr/bin/env python3
"""Benchmark (``make bench``): our layer check against ``frictionless validate`` on the same 1M rows.

    .venv/bin/python scripts/bench.py [--rows 1000000] [--mode qgis_process|inprocess] [--keep] [--regenerate]

1. Builds under ``.bench/`` a stationnement-like GeoPackage (EPSG:4326 points, the 30 fields of
   etalab/schema-stationnement 0.1.5, ~1 % of rows with one mistake each) and the same rows as CSV. Both
   are cached: a later run with the same --rows/--seed reuses them.
2. Runs ``opendata_publisher:validate_layer`` on the GeoPackage: by default through ``qgis_process.bin``
   with a throw-away QGIS profile where the plugin is enabled; ``--mode inprocess`` runs the core
   validator in a child Python process instead (no Processing, no plugin loading).
3. Runs ``frictionless validate`` on the CSV with the same schema, with ``--limit-errors`` above the
   number of cells so that it reads the WHOLE file (its default stops at 1000 errors).
4. Prints wall time and peak memory (ru_maxrss of each child, from ``os.wait4``), the ratios and the
   error counts of both tools by code.

The schema is read from ../shared/scdl/stationnement/0.1.5/schema.json; without ../shared the bench stops.
Run outputs (reports, logs, profile) go to a temporary folder, kept under .bench/runs/ with --keep; without
--keep, datasets of other sizes cached in .bench/ are removed when a new one is built.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

SCRIPTS_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = SCRIPTS_DIR.parent
SHARED_SCHEMA = PROJECT_ROOT.parent / "shared" / "scdl" / "stationnement" / "0.1.5" / "schema.json"
BENCH_DIR = PROJECT_ROOT / ".bench"
PLUGIN_NAME = "opendata_publisher"
ALGORITHM = "opendata_publisher:validate_layer"

sys.path.insert(0, str(SCRIPTS_DIR))
import _bench_data  # noqa: E402


class BenchError(Exception):
    """Stops the bench with a clear message (exit code 2)."""


# --- data ------------------------------------------------------------------------------------------


def dataset_paths(rows: int, seed: int) -> Tuple[Path, Path, Path]:
    stem = f"stationnement-{rows}-s{seed}-v{_bench_data.GENERATOR_VERSION}"
    return BENCH_DIR / f"{stem}.gpkg", BENCH_DIR / f"{stem}.csv", BENCH_DIR / f"{stem}.json"


def ensure_dataset(rows: int, seed: int, regenerate: bool, keep: bool) -> Tuple[Path, Path, Dict[str, Any]]:
    gpkg, csv_path, manifest_path = dataset_paths(rows, seed)
    if not regenerate and gpkg.is_file() and csv_path.is_file() and manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except ValueError:
            manifest = {}
        if manifest.get("rows") == rows and manifest.get("generator_version") == _bench_data.GENERATOR_VERSION:
            print(f"Data: reusing {gpkg.name} and {csv_path.name} from .bench/ (same parameters).")
            return gpkg, csv_path, manifest
    BENCH_DIR.mkdir(exist_ok=True)
    if not keep:
        for old in BENCH_DIR.glob("stationnement-*"):
            if old.is_file() and old not in (gpkg, csv_path, manifest_path):
                old.unlink()
    print(f"Data: generating {rows:,} rows into .bench/ (GeoPackage + CSV)…", flush=True)
    start = time.perf_counter()

    def progress(done: int) -> None:
        print(f"  {done:,} rows ({time.perf_counter() - start:.0f} s)", flush=True)

    manifest = _bench_data.write_dataset(gpkg, csv_path, rows, seed, progress if rows >= 200_000 else None)
    _bench_data.write_manifest(manifest_path, manifest)
    print(f"Data: written in {time.perf_counter() - start:.1f} s.")
    return gpkg, csv_path, manifest


def check_schema_matches(schema_path: Path) -> None:
    names = [f.get("name") for f in json.loads(schema_path.read_text(encoding="utf-8")).get("fields", [])]
    if names != _bench_data.FIELD_NAMES:
        raise BenchError(f"The fields of {schema_path} no longer match the generator's (scripts/_bench_data.py).")


# --- measuring children ------------------------------------------------------------------------------


def run_measured(cmd: List[str], cwd: Path, env: Dict[str, str], stdout_path: Path, stderr_path: Path):
    """Run ``cmd`` as a child; return (exit code, wall seconds, peak RSS in MB of that child)."""
    start = time.perf_counter()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        process = subprocess.Popen(cmd, cwd=str(cwd), env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return process.returncode, elapsed, usage.ru_maxrss / 1024.0  # Linux: kilobytes


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


# --- our check ---------------------------------------------------------------------------------------


def plugin_path(workdir: Path) -> Tuple[Path, str]:
    """The folder to give as QGIS_PLUGINPATH.

    QGIS lists a plugin only when <folder>/opendata_publisher/metadata.txt exists. In the source tree the
    file sits at the repository root, so a staging folder is made: opendata_publisher/ with a symlink per
    entry of the package plus metadata.txt.
    """
    package = PROJECT_ROOT / PLUGIN_NAME
    if (package / "metadata.txt").is_file():
        return PROJECT_ROOT, "repository root"
    root_metadata = PROJECT_ROOT / "metadata.txt"
    if not root_metadata.is_file():
        raise BenchError("metadata.txt is missing (repository root): QGIS cannot load the plugin.")
    staged = workdir / "plugins" / PLUGIN_NAME
    staged.mkdir(parents=True)
    for entry in package.iterdir():
        if entry.name != "__pycache__":
            (staged / entry.name).symlink_to(entry)
    (staged / "metadata.txt").symlink_to(root_metadata)
    return staged.parent, "staged folder (package symlinks + ../metadata.txt)"


def make_profile(workdir: Path) -> Path:
    """A throw-away QGIS_CUSTOM_CONFIG_PATH with the plugin enabled.

    qgis_process 3.22 resolves QGIS_CUSTOM_CONFIG_PATH to <path>/profiles/default and reads
    <path>/profiles/default/QGIS/QGIS3.ini (checked on 3.22.16). <path>/QGIS/QGIS3.ini is written too, for
    builds that use the path as the profile itself.
    """
    profile = workdir / "profile"
    ini = "[PythonPlugins]\nopendata_publisher=true\n"
    for settings_dir in (profile / "QGIS", profile / "profiles" / "default" / "QGIS"):
        settings_dir.mkdir(parents=True, exist_ok=True)
        (settings_dir / "QGIS3.ini").write_text(ini, encoding="utf-8")
    return profile


def qgis_process_command() -> List[str]:
    for name in ("qgis_process.bin", "qgis_process"):
        found = shutil.which(name)
        if found:
            return [found]
    raise BenchError("qgis_process is not installed (Debian: apt install qgis); or run with --mode inprocess.")


def ours_command(mode: str, gpkg: Path, schema: Path, report: Path, workdir: Path, env: Dict[str, str]):
    if mode == "qgis_process":
        folder, how = plugin_path(workdir)
        env["QGIS_PLUGINPATH"] = str(folder)
        env["QGIS_CUSTOM_CONFIG_PATH"] = str(make_profile(workdir))
        print(f"Ours: qgis_process with QGIS_PLUGINPATH={folder} ({how}).")
        return qgis_process_command() + [
            "--json",
            "run",
            ALGORITHM,
            "--",
            f"INPUT={gpkg}",
            f"SCHEMA={schema}",
            f"OUTPUT_REPORT={report}",
        ]
    print("Ours: core validator in a child Python process (--mode inprocess).")
    return [sys.executable, str(Path(__file__).resolve()), "--worker", str(gpkg), str(schema), str(report)]


def run_worker(gpkg: str, schema_path: str, report_path: str) -> int:
    """--mode inprocess child: what the Processing algorithm does, without Processing."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    try:
        code = _validate_in_process(gpkg, schema_path, report_path)
    finally:
        app.exitQgis()
    return code


def _validate_in_process(gpkg: str, schema_path: str, report_path: str) -> int:
    # A function of its own so that the layer is deleted before exitQgis() (else a crash at exit).
    from qgis.core import QgsVectorLayer

    from opendata_publisher.core.report import report_to_json
    from opendata_publisher.core.schema.catalogue import load_schema_reference
    from opendata_publisher.core.validation import LayerInput, validate

    layer = QgsVectorLayer(gpkg, "bench", "ogr")
    if not layer.isValid():
        print(f"cannot open {gpkg}", file=sys.stderr)
        return 1
    schema = load_schema_reference(schema_path)
    report = validate(LayerInput.from_layer(layer), schema)
    Path(report_path).write_text(report_to_json(report), encoding="utf-8")
    print(json.dumps({"ERROR_COUNT": report.error_count, "WARNING_COUNT": report.warning_count}))
    return 0


def read_our_report(report: Path) -> Tuple[int, int, Counter]:
    data = json.loads(report.read_text(encoding="utf-8"))
    codes: Counter = Counter()
    for finding in data.get("findings", []):
        code = finding.get("code", "?")
        if code == "constraint-error" and finding.get("constraint"):
            code = f"{code}/{finding['constraint']}"
        codes[f"{code} ({finding.get('severity', '?')})"] += 1
    return int(data.get("error_count", 0)), int(data.get("warning_count", 0)), codes


# --- frictionless ------------------------------------------------------------------------------------


def frictionless_command(csv_name: str, schema: Path, limit_errors: int) -> List[str]:
    candidate = Path(sys.executable).parent / "frictionless"
    exe = str(candidate) if candidate.exists() else shutil.which("frictionless")
    if not exe:
        raise BenchError("frictionless is not installed: run `make setup` (requirements/testing.txt).")
    # Relative data path with cwd=.bench; --trusted for the absolute schema path (frictionless refuses
    # absolute paths otherwise).
    return [exe, "validate", csv_name, "--schema", str(schema), "--trusted", "--json"] + [
        "--limit-errors",
        str(limit_errors),
    ]


def read_frictionless_report(path: Path) -> Tuple[int, Counter, bool]:
    data = json.loads(path.read_text(encoding="utf-8"))
    codes: Counter = Counter()
    errors = list(data.get("errors", []))
    rows_checked = 0
    for task in data.get("tasks", []):
        errors.extend(task.get("errors", []))
        rows_checked = max(rows_checked, int(task.get("stats", {}).get("rows") or 0))
    complete = True
    for error in errors:
        code = error.get("type", "?")
        if code == "constraint-error":
            match = re.match(r'constraint "([^"]+)"', error.get("note", ""))
            if match:
                code = f"{code}/{match.group(1)}"
        if code in ("task-error", "source-error", "resource-error"):
            complete = False
        codes[code] += 1
    return sum(codes.values()), codes, complete


# --- main --------------------------------------------------------------------------------------------


def print_table(ours: Dict[str, Any], theirs: Dict[str, Any]) -> None:
    print()
    print(f"{'tool':<44} {'seconds':>9} {'peak MB':>9} {'errors':>9} {'warnings':>9}")
    print("-" * 84)
    for result in (ours, theirs):
        warnings = "" if result.get("warnings") is None else f"{result['warnings']:,}"
        errors = "?" if result.get("errors") is None else f"{result['errors']:,}"
        print(f"{result['tool']:<44} {result['seconds']:>9.1f} {result['peak_mb']:>9.0f} {errors:>9} {warnings:>9}")
    print("-" * 84)
    if ours["seconds"] > 0 and ours["peak_mb"] > 0 and theirs["peak_mb"] > 0:
        print(f"time   frictionless / ours : {theirs['seconds'] / ours['seconds']:.2f}x")
        print(f"memory ours / frictionless : {ours['peak_mb'] / theirs['peak_mb']:.2f}x")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows to generate (default 1000000)")
    parser.add_argument("--seed", type=int, default=45, help="random seed of the generator (default 45)")
    parser.add_argument("--mode", choices=("qgis_process", "inprocess"), default="qgis_process")
    parser.add_argument("--keep", action="store_true", help="keep run outputs and other cached datasets")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data even if cached")
    parser.add_argument("--worker", nargs=3, metavar=("GPKG", "SCHEMA", "REPORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        return run_worker(*args.worker)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    try:
        return bench(args)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2


def bench(args) -> int:
    if not SHARED_SCHEMA.is_file():
        raise BenchError(
            f"reference schema not found: {SHARED_SCHEMA}\n"
            "The bench needs the shared reference folder ../shared beside the project (scdl/stationnement/0.1.5)."
        )
    check_schema_matches(SHARED_SCHEMA)
    gpkg, csv_path, manifest = ensure_dataset(args.rows, args.seed, args.regenerate, args.keep)
    planted = manifest.get("planted", {})
    print(f"Data: {args.rows:,} rows, {manifest.get('faulty_rows', 0):,} faulty rows planted: {planted}")

    if args.keep:
        workdir = BENCH_DIR / "runs" / time.strftime("%Y%m%d-%H%M%S")
        workdir.mkdir(parents=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="odp-bench-"))
    try:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["PYTHONDONTWRITEBYTECODE"] = "1"

        # 1. ours
        report = workdir / "ours-report.json"
        ours_env = dict(env)
        cmd = ours_command(args.mode, gpkg, SHARED_SCHEMA, report, workdir, ours_env)
        print("Ours: running…", flush=True)
        code, seconds, peak = run_measured(
            cmd, PROJECT_ROOT, ours_env, workdir / "ours-stdout.txt", workdir / "ours-stderr.txt"
        )
        if code != 0 or not report.is_file():
            raise BenchError(
                f"our check failed (exit code {code}):\n{_tail(workdir / 'ours-stderr.txt')}\n"
                f"{_tail(workdir / 'ours-stdout.txt')}\n"
                + (
                    "Processing algorithm not available yet? Try --mode inprocess."
                    if args.mode == "qgis_process"
                    else ""
                )
            )
        errors, warnings, our_codes = read_our_report(report)
        if args.mode == "qgis_process":
            try:
                outputs = json.loads((workdir / "ours-stdout.txt").read_text(encoding="utf-8")).get("results", {})
                print(
                    f"Ours: algorithm outputs VALID={outputs.get('VALID')} ERROR_COUNT={outputs.get('ERROR_COUNT')} "
                    f"WARNING_COUNT={outputs.get('WARNING_COUNT')}"
                )
            except (OSError, ValueError, AttributeError):
                print("Ours: could not read qgis_process --json output (the report is used).")
        label = "opendata_publisher " + (
            "(qgis_process, GeoPackage)" if args.mode == "qgis_process" else "(in-process)"
        )
        ours = {"tool": label, "seconds": seconds, "peak_mb": peak, "errors": errors, "warnings": warnings}
        print(f"Ours: done in {seconds:.1f} s.")

        # 2. frictionless, on the whole file
        limit_errors = args.rows * (len(_bench_data.FIELD_NAMES) + 2) + 1000
        fr_out = workdir / "frictionless-report.json"
        cmd = frictionless_command(csv_path.name, SHARED_SCHEMA, limit_errors)
        print(f"frictionless: running with --limit-errors {limit_errors:,} (above rows x cells: reads every row)…")
        code, fr_seconds, fr_peak = run_measured(cmd, BENCH_DIR, env, fr_out, workdir / "frictionless-stderr.txt")
        try:
            fr_errors, fr_codes, complete = read_frictionless_report(fr_out)
        except (OSError, ValueError) as exc:
            raise BenchError(
                f"frictionless gave no JSON report (exit code {code}): {exc}\n"
                f"{_tail(workdir / 'frictionless-stderr.txt')}"
            ) from exc
        theirs = {
            "tool": "frictionless validate (CSV, whole file)",
            "seconds": fr_seconds,
            "peak_mb": fr_peak,
            "errors": fr_errors,
            "warnings": None,
        }
        if not complete:
            print("frictionless: WARNING, the run stopped early (task/source error, e.g. its 1000 MB memory limit).")

        print_table(ours, theirs)
        print()
        print("Findings by code — ours:")
        for name, count in sorted(our_codes.items()):
            print(f"  {name:<52} {count:>9,}")
        print("Errors by code — frictionless (no SIRET, coordinate or geometry checks; it reads the CSV):")
        for name, count in sorted(fr_codes.items()):
            print(f"  {name:<52} {count:>9,}")
        print()
        print("Both times include process start-up (QGIS or Python) and writing the JSON report.")
        if args.keep:
            print(f"Run outputs kept in {workdir}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

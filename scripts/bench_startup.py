#!/usr/bin/env python3
"""Start-up benchmark (``make bench``, ``make bench-startup``): what the plugin adds to every QGIS start.

    .venv/bin/python scripts/bench_startup.py [--runs 3] [--plugin-path FOLDER] [--no-qgis-process] [--keep]

1. Starts the real QGIS desktop (under ``xvfb-run -a`` when there is no display) ``--runs`` times, after one
   warm-up start that is not counted (it compiles the Python bytecode, as the first start of an installed
   plugin does), each time with a fresh throw-away profile where the plugin is enabled.
   A start-up script (``scripts/_startup_probe.py``, given as ``PYQGIS_STARTUP``) reads QGIS's own profiler
   (``QgsApplication.profiler()``, group « Load plugins », as in Paramètres › Options › Système) once the
   window is shown, then presses the plugin's toolbar button and times the dock's first opening.
2. Prints the medians: the plugin, Processing and the other plugins for scale, and the dock's first opening.
3. Times ``qgis_process list`` with the plugin enabled (median of ``--runs``) and checks that the plugin's
   algorithms are listed.

The profile turns off QGIS's plugin-update check and news feed, and the plugin's catalogue URL points at
127.0.0.1, so nothing leaves the machine. ``--plugin-path`` is the folder holding ``opendata_publisher/``
(default: this repository), e.g. an older version unpacked elsewhere to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

SCRIPTS_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = SCRIPTS_DIR.parent
PROBE = SCRIPTS_DIR / "_startup_probe.py"
PLUGIN_NAME = "opendata_publisher"
TARGET_S = 0.1
START_TIMEOUT_S = 180
#: the other plugins printed for scale (when QGIS loaded them)
SCALE_PLUGINS = ("processing", "MetaSearch", "db_manager", "grassprovider", "sagaprovider")

PROFILE_INI = f"""[PythonPlugins]
{PLUGIN_NAME}=true

[app]
plugin_installer\\checkOnStart=false

[core]
NewsFeed\\httpsfeedqgisorg\\disabled=true

[qgis]
checkVersion=false
"""


class BenchError(Exception):
    """Stops the bench with a clear message (exit code 2)."""


def plugin_folder(path: Optional[str]) -> Path:
    """The folder for QGIS_PLUGINPATH: it must hold opendata_publisher/metadata.txt (a symlink in the repository)."""
    folder = Path(path).resolve() if path else PROJECT_ROOT
    if not (folder / PLUGIN_NAME / "metadata.txt").is_file():
        raise BenchError(f"{folder / PLUGIN_NAME / 'metadata.txt'} not found: QGIS would not list the plugin.")
    return folder


def make_profile(root: Path) -> Path:
    """A throw-away profiles folder (``qgis --profiles-path``; QGIS_CUSTOM_CONFIG_PATH for qgis_process)."""
    settings_dir = root / "profiles" / "default" / "QGIS"
    settings_dir.mkdir(parents=True)
    (settings_dir / "QGIS3.ini").write_text(PROFILE_INI, encoding="utf-8")
    return root


def base_env(plugins: Path, run_dir: Path) -> Dict[str, str]:
    env = dict(os.environ)
    # Like an installed plugin after its first start, Python reads compiled bytecode: the warm-up start writes
    # it, under the bench's own folder (not into the source tree), and the measured starts use it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(run_dir.parent / "pycache")  # shared by the runs
    env["QGIS_PLUGINPATH"] = str(plugins)
    env["QGIS_OPENDATA_PUBLISHER_CATALOGUE_URL"] = "http://127.0.0.1:9/schemas.json"  # never the Internet
    env["QGIS_OPENDATA_PUBLISHER_CACHE_DIR"] = str(run_dir / "cache")
    return env


def qgis_start(plugins: Path, workdir: Path, run: int) -> Dict:
    """One QGIS start with the probe; returns what the probe wrote."""
    qgis = shutil.which("qgis")
    if not qgis:
        raise BenchError("qgis is not installed (Debian: apt install qgis).")
    run_dir = workdir / f"start-{run}"
    profiles = make_profile(run_dir / "profiles-root")
    out = run_dir / "probe.json"
    env = base_env(plugins, run_dir)
    env.pop("QT_QPA_PLATFORM", None)  # a real (virtual) screen, not offscreen
    env["PYQGIS_STARTUP"] = str(PROBE)
    env["ODP_STARTUP_PROBE_OUT"] = str(out)
    cmd = [qgis, "--profiles-path", str(profiles), "--profile", "default", "--noversioncheck", "--nologo"]
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        xvfb = shutil.which("xvfb-run")
        if not xvfb:
            raise BenchError("no display and xvfb-run is missing (Debian: apt install xvfb).")
        cmd = [xvfb, "-a", "-s", "-screen 0 1366x768x24"] + cmd
    log = run_dir / "qgis.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen(cmd, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            process.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)  # xvfb-run, Xvfb and QGIS: the session started here
            process.wait()
            raise BenchError(f"QGIS did not quit within {START_TIMEOUT_S} s (log: {log}).") from exc
    try:
        data = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BenchError(f"the start-up probe wrote nothing (log: {log}): {exc}") from exc
    if data.get("error"):
        raise BenchError(f"start-up probe: {data['error']}")
    if PLUGIN_NAME not in data.get("plugins", {}):
        raise BenchError(f"QGIS did not load {PLUGIN_NAME} (plugins: {sorted(data.get('plugins', {}))}).")
    return data


def qgis_process_list(plugins: Path, workdir: Path, run: int) -> Dict:
    exe = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
    if not exe:
        raise BenchError("qgis_process is not installed (Debian: apt install qgis); or use --no-qgis-process.")
    run_dir = workdir / f"list-{run}"
    env = base_env(plugins, run_dir)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(make_profile(run_dir / "profiles-root"))
    start = time.perf_counter()
    done = subprocess.run([exe, "--json", "list"], env=env, capture_output=True, timeout=START_TIMEOUT_S, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchError(f"qgis_process list failed ({done.returncode}): {done.stderr.decode(errors='replace')[-800:]}")
    try:
        providers = json.loads(done.stdout.decode("utf-8", errors="replace")).get("providers", {})
    except ValueError as exc:
        raise BenchError(f"qgis_process list gave no JSON: {exc}") from exc
    ours = providers.get(PLUGIN_NAME, {}).get("algorithms", {})
    return {"seconds": seconds, "algorithms": sorted(ours)}


def _median(values: List[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _runs(values: List[float]) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


def bench(args) -> int:
    plugins = plugin_folder(args.plugin_path)
    workdir = Path(tempfile.mkdtemp(prefix="odp-bench-startup-"))
    try:
        print(f"Start-up: QGIS with {PLUGIN_NAME} from {plugins}; 1 warm-up start, then {args.runs} measured.")
        qgis_start(plugins, workdir, 0)
        starts = []
        for run in range(1, args.runs + 1):
            data = qgis_start(plugins, workdir, run)
            starts.append(data)
            print(
                f"  start {run}: {PLUGIN_NAME} {data['plugins'][PLUGIN_NAME]:.3f} s, "
                f"processing {data['plugins'].get('processing', float('nan')):.3f} s, "
                f"dock first opening {data.get('dock_first_open_s', float('nan')):.3f} s",
                flush=True,
            )
        names = [PLUGIN_NAME] + [n for n in SCALE_PLUGINS if all(n in s["plugins"] for s in starts)]
        print()
        print(f"QGIS profiler, group « Load plugins », median of {args.runs} starts:")
        print(f"  {'plugin':<22} {'median s':>9}   runs")
        for name in names:
            values = [s["plugins"][name] for s in starts]
            print(f"  {name:<22} {_median(values):>9.3f}   {_runs(values)}")
        totals = [s["load_plugins_s"] for s in starts]
        print(f"  {'(all plugins)':<22} {_median(totals):>9.3f}   {_runs(totals)}")
        print("  (a library shared by several plugins, e.g. numpy or GDAL, counts for the first one that imports it)")
        first = [s["dock_first_open_s"] for s in starts if "dock_first_open_s" in s]
        again = [s["dock_second_open_s"] for s in starts if "dock_second_open_s" in s]
        print()
        print(f"Dock, first opening (toolbar button): median {_median(first):.3f} s ({_runs(first)})")
        print(f"Dock, closed and opened again: median {_median(again):.3f} s ({_runs(again)})")
        if not all(s.get("dock_visible") for s in starts):
            print("WARNING: the dock was not visible after its button was pressed.")
        ours = _median([s["plugins"][PLUGIN_NAME] for s in starts])
        verdict = "met" if ours < TARGET_S else "NOT met"
        print(f"Target: {PLUGIN_NAME} under {TARGET_S:.3f} s at start-up: {verdict} ({ours:.3f} s).")

        if not args.no_qgis_process:
            lists = [qgis_process_list(plugins, workdir, run) for run in range(1, args.runs + 1)]
            seconds = [entry["seconds"] for entry in lists]
            print()
            print(
                f"qgis_process list (whole command, QGIS start included): median {_median(seconds):.2f} s "
                f"({', '.join(f'{v:.2f}' for v in seconds)}); {len(lists[-1]['algorithms'])} algorithms of "
                f"{PLUGIN_NAME}: {', '.join(a.split(':')[-1] for a in lists[-1]['algorithms'])}"
            )
            if not lists[-1]["algorithms"]:
                raise BenchError("qgis_process list shows no algorithm of the plugin.")
        if args.keep:
            print(f"Run folders kept in {workdir}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="measured QGIS starts (default 3)")
    parser.add_argument("--plugin-path", help="folder holding opendata_publisher/ (default: this repository)")
    parser.add_argument("--no-qgis-process", action="store_true", help="skip timing `qgis_process list`")
    parser.add_argument("--keep", action="store_true", help="keep the run folders (profiles, QGIS logs)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        return bench(args)
    except BenchError as exc:
        print(f"bench_startup: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

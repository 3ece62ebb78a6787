"""scripts/bootstrap.sh (run by the Makefile before .venv): installs only what is missing, says so first,
uses sudo when not root. Debian's own commands (dpkg-query, apt-get, sudo, id) are replaced by small
recording scripts in a temporary PATH, so that nothing is installed on the machine running the tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BOOTSTRAP = PROJECT_ROOT / "scripts" / "bootstrap.sh"

FAKES = {
    # installed = every package not listed in $FAKE_MISSING, or installed since by the fake apt-get
    "dpkg-query": """#!/bin/bash
package="${@: -1}"
if grep -qx "$package" "$FAKE_STATE/installed" 2>/dev/null || ! grep -qx "$package" "$FAKE_STATE/missing"; then
    printf installed
fi
""",
    "apt-get": """#!/bin/bash
echo "apt-get $* (uid $FAKE_UID)" >> "$FAKE_STATE/log"
if [ "$1" = install ] && [ -z "$FAKE_APT_BROKEN" ]; then
    for arg in "$@"; do case "$arg" in -*|install) ;; *) echo "$arg" >> "$FAKE_STATE/installed";; esac; done
fi
""",
    "sudo": """#!/bin/bash
echo "sudo $1 ..." >> "$FAKE_STATE/log"
FAKE_UID=0 exec "$@"
""",
    "id": """#!/bin/bash
echo "$FAKE_UID"
""",
}


def _run(tmp_path: Path, missing, uid: int = 0, with_sudo: bool = True, apt_installs: bool = True, extra=()):
    bin_dir, state = tmp_path / "bin", tmp_path / "state"
    bin_dir.mkdir()
    state.mkdir()
    (state / "missing").write_text("".join(f"{name}\n" for name in missing), encoding="utf-8")
    for name, text in FAKES.items():
        if name == "sudo" and not with_sudo:
            continue
        path = bin_dir / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)
    tools = tmp_path / "tools"  # bash, env, grep, printf... but no real sudo / apt-get / dpkg-query
    tools.mkdir()
    for name in ("bash", "env", "grep", "cat"):
        found = shutil.which(name)
        assert found, name
        (tools / name).symlink_to(found)
    env = {"PATH": f"{bin_dir}:{tools}", "FAKE_STATE": str(state), "FAKE_UID": str(uid), "HOME": str(tmp_path)}
    if not apt_installs:
        env["FAKE_APT_BROKEN"] = "1"
    result = subprocess.run(
        [shutil.which("bash"), str(BOOTSTRAP), *extra], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    log = (state / "log").read_text(encoding="utf-8").splitlines() if (state / "log").exists() else []
    return result, log


def test_nothing_is_done_when_everything_is_installed(tmp_path):
    result, log = _run(tmp_path, missing=[])
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and log == []


def test_root_installs_only_the_missing_packages_after_saying_which(tmp_path):
    result, log = _run(tmp_path, missing=["qgis", "python3-qgis", "xvfb"])
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == "Installing from Debian's packages (apt-get): qgis python3-qgis xvfb"
    assert log[0].startswith("apt-get -q update") or log[0].startswith("apt-get update")
    assert log[1].startswith("apt-get install -y -q --no-install-recommends qgis python3-qgis xvfb")
    assert not any(line.startswith("sudo") for line in log)


def test_a_user_installs_with_sudo(tmp_path):
    result, log = _run(tmp_path, missing=["qttools5-dev-tools"], uid=1000)
    assert result.returncode == 0, result.stderr
    assert "with sudo" in result.stdout.splitlines()[0]
    assert log[0] == "sudo env ..." and "(uid 0)" in log[1]
    assert any(line.startswith("apt-get install") and "qttools5-dev-tools" in line for line in log)


def test_without_sudo_a_user_is_told_what_to_install(tmp_path):
    result, log = _run(tmp_path, missing=["qgis"], uid=1000, with_sudo=False)
    assert result.returncode == 1
    assert "apt-get install qgis" in result.stderr
    assert log == []


def test_a_package_apt_get_did_not_install_is_an_error(tmp_path):
    result, log = _run(tmp_path, missing=["qgis", "xauth"], apt_installs=False)
    assert result.returncode == 1
    assert "apt-get did not install: qgis xauth" in result.stderr


def test_extra_packages_given_as_arguments_are_installed_too(tmp_path):
    """`make test` asks for what CKAN's psycopg2 is built with: gcc libpq-dev python3-dev."""
    result, log = _run(tmp_path, missing=["gcc", "python3-dev"], extra=["gcc", "libpq-dev", "python3-dev"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Installing from Debian's packages (apt-get): gcc python3-dev"
    assert log[1].startswith("apt-get install -y -q --no-install-recommends gcc python3-dev")


def _make_dry_run(target: str) -> list:
    result = subprocess.run(
        ["make", "-n", "-o", ".venv/.ready", target], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def test_make_test_installs_the_portal_software_before_running_the_tests():
    """`make test` alone is the CI: the real udata, CKAN and QDT are installed (or the run stops) before pytest."""
    lines = _make_dry_run("test")
    steps = [
        next(i for i, line in enumerate(lines) if needle in line)
        for needle in (
            "scripts/bootstrap.sh gcc libpq-dev python3-dev libmagic1",
            "scripts/setup_udata.sh || {",
            "scripts/setup_ckan.sh || {",
            "scripts/setup_qdt.sh || {",
            "-m pytest tests",
        )
    ]
    assert steps == sorted(steps)
    assert all("exit 1" in lines[i] for i in steps[:4])


def test_ci_run_is_the_readme_test_command():
    commands = [
        line.strip()
        for line in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[-1] == "make test"
    assert not any("setup" in line or "pytest" in line for line in commands)
    for readme_block in (
        "make demo   # vérifie",
        "make test   # lance toute",
        "make demo   # checks",
        "make test   # runs",
    ):
        assert readme_block in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")

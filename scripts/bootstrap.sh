#!/usr/bin/env bash
# Install what `make demo`, `make test` and `make run` need on Debian 12 (bookworm) or 13 (trixie), from
# Debian's own packages: QGIS with its Python bindings and providers, GDAL's Python bindings, Python's venv
# and pip, the Qt translation tools (lrelease, pylupdate5), a virtual display for `make run` without one, and
# PostgreSQL with PostGIS (the tests start a throw-away cluster to check database layers on the server).
#
# Called by the Makefile before it creates .venv; run it by hand with `bash scripts/bootstrap.sh`.
# Extra package names given as arguments are needed too (`make test` adds what CKAN's psycopg2 is built with).
# Only the missing packages are installed, after saying which ones; with `sudo` when not run as root.
# Nothing is done (and nothing is asked) when everything is there. On another system it says what to install.
set -euo pipefail

PACKAGES=(
    make git ca-certificates
    qgis python3-qgis qgis-providers python3-gdal
    python3-venv python3-pip
    pyqt5-dev-tools qttools5-dev-tools
    xvfb xauth
    postgresql postgresql-postgis
    "$@"
)

installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    if command -v qgis_process >/dev/null 2>&1 && python3 -c "import qgis.core" >/dev/null 2>&1; then
        exit 0  # not Debian, but QGIS and its Python are there: let the Makefile go on
    fi
    echo "error: this is not a Debian system (no apt-get). Install QGIS 3.22 or later with its Python bindings" >&2
    echo "(import qgis.core must work with python3), GDAL's Python bindings, python3-venv, the Qt translation" >&2
    echo "tools (lrelease, pylupdate5) and xvfb, then run make again." >&2
    exit 1
fi

missing=()
for package in "${PACKAGES[@]}"; do
    installed "$package" || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "error: these Debian packages are missing: ${missing[*]}" >&2
        echo "Install them as root: apt-get install ${missing[*]}   (then run make again)" >&2
        exit 1
    fi
    SUDO=(sudo)
fi

echo "Installing from Debian's packages (apt-get${SUDO:+, with sudo}): ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

still=()
for package in "${missing[@]}"; do
    installed "$package" || still+=("$package")
done
if [ "${#still[@]}" -ne 0 ]; then
    echo "error: apt-get did not install: ${still[*]}" >&2
    exit 1
fi
echo "Debian packages installed: ${missing[*]}"

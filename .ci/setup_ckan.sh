#!/usr/bin/env bash
# Install what the CKAN integration tests (tests/portals/test_ckan_*.py) need:
#   - PostgreSQL from Debian (the tests start a throw-away cluster of their own with initdb/pg_ctl),
#   - CKAN 2.11.6 from PyPI in its own virtualenv (never in .venv: CKAN pins Flask, SQLAlchemy...).
# Idempotent and fast when everything is present. The tests skip with a clear reason when the venv is absent.
# Venv location: $OPENDATA_PUBLISHER_CKAN_VENV or ~/.cache/opendata_publisher/ckan-venv (same default in
# tests/portals/ckan_fixture.py).
# Usage: .ci/setup_ckan.sh   (as root or with sudo available for the apt step)
set -euo pipefail

CKAN_VERSION="2.11.6"
VENV="${OPENDATA_PUBLISHER_CKAN_VENV:-$HOME/.cache/opendata_publisher/ckan-venv}"
PYTHON="${CKAN_PYTHON:-/usr/bin/python3}"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

have_postgres() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

have_build_deps() {
    # psycopg2 (a CKAN requirement) builds against libpq
    command -v pg_config >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1 \
        && [ -f /usr/include/python3.11/Python.h -o -n "$(ls /usr/include/python3*/Python.h 2>/dev/null)" ]
}

ckan_ready() {
    [ -f "$VENV/.ready-$CKAN_VERSION" ] && "$VENV/bin/python" -c "import ckan" >/dev/null 2>&1
}

if have_postgres && ckan_ready; then
    echo "setup_ckan: PostgreSQL and CKAN $CKAN_VERSION ($VENV) already present"
    exit 0
fi

if ! have_postgres || ! have_build_deps || ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends \
        postgresql libpq-dev gcc python3-dev python3-venv
fi

if ! ckan_ready; then
    echo "setup_ckan: installing CKAN $CKAN_VERSION into $VENV"
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip wheel "setuptools<81"
    "$VENV/bin/python" -m pip install --quiet "ckan[requirements]==$CKAN_VERSION"
    "$VENV/bin/python" -c "import ckan; print('setup_ckan: CKAN', ckan.__version__)"
    touch "$VENV/.ready-$CKAN_VERSION"
fi

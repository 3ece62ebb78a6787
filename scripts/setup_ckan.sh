#!/usr/bin/env bash
# Install (once) CKAN 2.11.6 from PyPI in its own virtualenv for the CKAN integration tests
# (tests/portals/test_ckan_*.py; never in .venv: CKAN pins Flask, SQLAlchemy...). They also need PostgreSQL
# (a throw-away cluster of their own with initdb/pg_ctl), gcc, libpq-dev and python3-dev to build psycopg2,
# and libmagic1 (CKAN's command line imports python-magic): `make test` installs these Debian packages first
# (scripts/bootstrap.sh), then runs this script.
# Idempotent and fast when everything is present; exits non-zero with the reason when CKAN cannot be installed.
# Venv location: $OPENDATA_PUBLISHER_CKAN_VENV or $XDG_CACHE_HOME (~/.cache)/opendata_publisher/ckan-venv (same default in
# tests/portals/ckan_fixture.py).
# Usage: bash scripts/setup_ckan.sh   (`make test` runs it)
set -euo pipefail

CKAN_VERSION="2.11.6"
VENV="${OPENDATA_PUBLISHER_CKAN_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/opendata_publisher/ckan-venv}"
PYTHON="${CKAN_PYTHON:-/usr/bin/python3}"

have_postgres() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

ckan_ready() {
    [ -f "$VENV/.ready-$CKAN_VERSION" ] && "$VENV/bin/python" -c "import ckan.cli.cli" >/dev/null 2>&1
}

if have_postgres && ckan_ready; then
    echo "setup_ckan: PostgreSQL and CKAN $CKAN_VERSION ($VENV) already present"
    exit 0
fi

# Debian packages: `make test` installs them first (scripts/bootstrap.sh gcc libpq-dev python3-dev libmagic1)
missing=()
have_postgres || missing+=(postgresql)
command -v pg_config >/dev/null 2>&1 || missing+=(libpq-dev)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
ls /usr/include/python3*/Python.h >/dev/null 2>&1 || missing+=(python3-dev)
"$PYTHON" -c "import ctypes.util, sys; sys.exit(not ctypes.util.find_library('magic'))" || missing+=(libmagic1)
"$PYTHON" -m venv --help >/dev/null 2>&1 || missing+=(python3-venv)
if [ "${#missing[@]}" -ne 0 ]; then
    echo "setup_ckan: CKAN $CKAN_VERSION needs these Debian packages: ${missing[*]}" >&2
    echo "(bash scripts/bootstrap.sh ${missing[*]} installs them)" >&2
    exit 1
fi

if ! ckan_ready; then
    echo "setup_ckan: installing CKAN $CKAN_VERSION into $VENV"
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip wheel "setuptools<81"
    "$VENV/bin/python" -m pip install --quiet "ckan[requirements]==$CKAN_VERSION"
    # the command line the tests run (`ckan generate config`, `ckan db init`) imports all of CKAN's commands
    "$VENV/bin/python" -c "import ckan, ckan.cli.cli; print('setup_ckan: CKAN', ckan.__version__)"
    touch "$VENV/.ready-$CKAN_VERSION"
fi

#!/usr/bin/env bash
# Create (once) the virtualenv holding the real udata 17.18.0 used by tests/portals (portal integration tests).
# udata runs in-process on 127.0.0.1 with mongomock as its database (see ../shared/guides/portal-apis.md §1.12).
# Idempotent and fast when already installed. Location: $ODP_UDATA_VENV or ~/.cache/opendata_publisher/udata-venv
set -euo pipefail

UDATA_VERSION="17.18.0"
VENV="${ODP_UDATA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/opendata_publisher/udata-venv}"
PYTHON="${ODP_UDATA_PYTHON:-python3}"
STAMP="$VENV/.odp-udata-$UDATA_VERSION"

if [ -f "$STAMP" ] && "$VENV/bin/python" -c "import udata, mongomock, werkzeug" 2>/dev/null; then
    echo "udata $UDATA_VERSION already installed in $VENV"
    exit 0
fi

echo "Installing udata $UDATA_VERSION into $VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "udata==$UDATA_VERSION" mongomock werkzeug
"$VENV/bin/python" -c "from importlib.metadata import version; print('udata', version('udata'))"
touch "$STAMP"

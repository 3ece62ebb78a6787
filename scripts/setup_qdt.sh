#!/usr/bin/env bash
# Install (once) QGIS Deployment Toolbelt in its own virtualenv, for tests/qgis/test_shared_profile_qgis.py
# (the deployment scenario of deploy/qdt is run for real, offline, against local folders).
# Location: $ODP_QDT_VENV or ~/.cache/opendata_publisher/qdt-venv
set -euo pipefail

QDT_VERSION="0.48.0"
VENV="${ODP_QDT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/opendata_publisher/qdt-venv}"
PYTHON="${ODP_QDT_PYTHON:-python3}"
STAMP="$VENV/.odp-qdt-$QDT_VERSION"

if [ -f "$STAMP" ] && [ -x "$VENV/bin/qdt" ]; then
    echo "QDT $QDT_VERSION already installed in $VENV"
    exit 0
fi
command -v git >/dev/null || { echo "setup_qdt: git is needed (apt install git)"; exit 1; }
echo "Installing QGIS Deployment Toolbelt $QDT_VERSION into $VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "qgis-deployment-toolbelt==$QDT_VERSION"
touch "$STAMP"

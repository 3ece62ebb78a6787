# Open Data Publisher - developer commands. `make help` lists them.
# Everything runs from the repository root with the virtualenv .venv (made by `make setup`, on demand).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PLUGIN := opendata_publisher
SYSTEM_PYTHON ?= /usr/bin/python3
VENV := .venv
PYTHON := $(VENV)/bin/python
RUN_DIR := .run
PROFILE_DIR := $(abspath $(RUN_DIR)/profile)
DEMO_DIR := $(abspath $(RUN_DIR)/demo)
SHARED_DIR := $(abspath ../shared)
TS_FILE := i18n/$(PLUGIN)_fr.ts
# (evaluated when used: scripts/bootstrap.sh may have just installed them)
LRELEASE = $(firstword $(shell command -v lrelease lrelease-qt5 2>/dev/null) $(wildcard /usr/lib/qt5/bin/lrelease /usr/lib/qt6/bin/lrelease))
PYLUPDATE = $(firstword $(shell command -v pylupdate5 2>/dev/null))
QGIS_PROCESS = $(firstword $(shell command -v qgis_process.bin qgis_process 2>/dev/null))
PY_SOURCES := $(shell find $(PLUGIN) -name '*.py' -not -path '*/__pycache__/*' | sort)

.PHONY: help setup clean-venv test-tools test test-unit lint format package translate translations catalogue-snapshot seed-cache run demo bench bench-startup cog clean

help: ## show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# --- environment -------------------------------------------------------------------------------------

$(VENV)/.ready: requirements/testing.txt
	@bash scripts/bootstrap.sh
	@test -x $(SYSTEM_PYTHON) || { echo "error: $(SYSTEM_PYTHON) not found (QGIS's Python). Install python3."; exit 1; }
	@$(SYSTEM_PYTHON) -c "import qgis.core" 2>/dev/null || { echo "error: 'import qgis.core' fails with $(SYSTEM_PYTHON). Install QGIS: sudo apt install qgis python3-qgis qgis-providers"; exit 1; }
	$(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements/testing.txt
	@$(PYTHON) -c "from osgeo import gdal" || { echo "error: 'from osgeo import gdal' fails in $(VENV) (install python3-gdal)"; exit 1; }
	@QT_QPA_PLATFORM=offscreen $(PYTHON) -c "import qgis.core" || { echo "error: 'import qgis.core' fails in $(VENV): recreate it with 'make clean-venv setup'"; exit 1; }
	@touch $@

setup: $(VENV)/.ready ## install what is missing (Debian packages: QGIS, tools), create .venv and the test tools

clean-venv:
	rm -rf $(VENV)

# The real portal software tests/portals starts (udata, CKAN) and QGIS Deployment Toolbelt, each in its own
# virtualenv under ~/.cache/opendata_publisher, installed once (each script says what it installs first).
# Tests whose portal software is missing would be skipped: a run that skips them is not green, so `make test`
# stops here with the reason when one cannot be installed.
# CKAN's Debian needs: psycopg2 is built with gcc, libpq-dev and python3-dev; python-magic loads libmagic1
CKAN_DEBIAN_PACKAGES := gcc libpq-dev python3-dev libmagic1
test-tools: $(VENV)/.ready ## install what the tests start: real udata 17.18.0, CKAN 2.11.6 and QDT (own venvs)
	@bash scripts/bootstrap.sh $(CKAN_DEBIAN_PACKAGES) || { echo "error: the Debian packages CKAN needs ($(CKAN_DEBIAN_PACKAGES)) could not be installed: the CKAN tests cannot run" >&2; exit 1; }
	@bash scripts/setup_udata.sh || { echo "error: udata could not be installed (scripts/setup_udata.sh, see above): the udata tests cannot run" >&2; exit 1; }
	@bash scripts/setup_ckan.sh || { echo "error: CKAN could not be installed (scripts/setup_ckan.sh, see above): the CKAN tests cannot run" >&2; exit 1; }
	@bash scripts/setup_qdt.sh || { echo "error: QGIS Deployment Toolbelt could not be installed (scripts/setup_qdt.sh, see above): the deployment test cannot run" >&2; exit 1; }

# --- tests and quality -------------------------------------------------------------------------------

test: $(VENV)/.ready test-tools ## run the whole test suite (headless), after installing what is missing
	QT_QPA_PLATFORM=offscreen $(PYTHON) -m pytest tests -q

test-unit: $(VENV)/.ready ## pure-Python tests only, without QGIS
	$(PYTHON) -m pytest -p no:qgis tests/unit -q

lint: $(VENV)/.ready ## ruff, flake8-qgis rules, dead code (vulture) and the layers' import boundaries
	$(VENV)/bin/ruff check $(PLUGIN) scripts tests
	$(VENV)/bin/ruff format --check $(PLUGIN) scripts tests
	# QGS201/QGS202 are "experimental" in flake8-qgis (return values of addParameter, setValue...): too noisy
	$(VENV)/bin/flake8 --select=QGS --extend-ignore=QGS201,QGS202 $(PLUGIN)
	# dead code: settings in pyproject.toml [tool.vulture], reasons for the listed names in vulture_whitelist.py
	$(VENV)/bin/vulture
	# core imports no gui/processing, toolbelt imports no core, gui and processing not each other, no cycle
	$(PYTHON) scripts/check_imports.py $(PLUGIN)

format: $(VENV)/.ready ## apply ruff formatting and safe fixes
	$(VENV)/bin/ruff check --fix $(PLUGIN) scripts tests
	$(VENV)/bin/ruff format $(PLUGIN) scripts tests

# --- translations and packaging ----------------------------------------------------------------------

translate: ## refresh i18n/*.ts from the code (keeps translations) then compile the .qm
	@test -n "$(PYLUPDATE)" || { echo "error: pylupdate5 not found: sudo apt install pyqt5-dev-tools"; exit 1; }
	$(PYLUPDATE) -noobsolete $(PY_SOURCES) -ts $(TS_FILE)
	$(MAKE) translations

translations: ## compile i18n/*.ts into i18n/*.qm (lrelease)
	@test -n "$(LRELEASE)" || { echo "error: lrelease not found: sudo apt install qttools5-dev-tools"; exit 1; }
	for ts in i18n/*.ts; do $(LRELEASE) -silent "$$ts" -qm "$${ts%.ts}.qm"; done

# FROM=../shared builds it from the reference copies (no network); without FROM, from schema.data.gouv.fr
catalogue-snapshot: ## refresh the schema catalogue + SCDL schemas shipped in the plugin (first use offline)
	$(SYSTEM_PYTHON) scripts/build_catalogue_snapshot.py --out $(PLUGIN)/resources/catalogue $(if $(FROM),--shared $(FROM))

package: ## build dist/opendata_publisher-<version>.zip (install it with Extensions > Installer depuis un ZIP)
	$(SYSTEM_PYTHON) scripts/package.py --out dist

# --- running -----------------------------------------------------------------------------------------

# A throw-away QGIS profile with the plugin enabled (QGIS_PLUGINPATH points at this repository).
$(PROFILE_DIR)/profiles/default/QGIS/QGIS3.ini:
	mkdir -p $(dir $@)
	printf '[PythonPlugins]\n$(PLUGIN)=true\n\n[locale]\nuserLocale=fr_FR\noverrideFlag=true\n' > $@

seed-cache: $(VENV)/.ready $(PROFILE_DIR)/profiles/default/QGIS/QGIS3.ini
	@if [ -d "$(SHARED_DIR)/scdl" ]; then \
		QT_QPA_PLATFORM=offscreen $(PYTHON) scripts/seed_cache.py --shared "$(SHARED_DIR)" \
			--cache "$(PROFILE_DIR)/profiles/default/opendata_publisher/cache" || echo "warning: cache not seeded"; \
	else echo "note: $(SHARED_DIR)/scdl absent: the schema cache is not seeded (the catalogue is downloaded)"; fi

run: $(VENV)/.ready $(PROFILE_DIR)/profiles/default/QGIS/QGIS3.ini seed-cache ## start QGIS with the plugin and the demo project (dedicated profile)
	-@$(MAKE) --no-print-directory translations
	QT_QPA_PLATFORM=offscreen $(PYTHON) scripts/make_demo.py --out $(DEMO_DIR)
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then XVFB="xvfb-run -a"; echo "no display: running QGIS under xvfb-run"; else XVFB=""; fi; \
	QGIS_PLUGINPATH=$(CURDIR) $$XVFB qgis --profiles-path $(PROFILE_DIR) --profile default $(DEMO_DIR)/demo.qgs

demo: $(VENV)/.ready ## headless: check, fix, describe and publish (twice) the demo layer to a local folder, no account
	@test -n "$(QGIS_PROCESS)" || { echo "error: qgis_process not found: sudo apt install qgis"; exit 1; }
	rm -rf $(RUN_DIR)/demo-profile
	mkdir -p $(RUN_DIR)/demo-profile/profiles/default/QGIS
	printf '[PythonPlugins]\n$(PLUGIN)=true\n' > $(RUN_DIR)/demo-profile/profiles/default/QGIS/QGIS3.ini
	QT_QPA_PLATFORM=offscreen $(PYTHON) scripts/make_demo.py --out $(DEMO_DIR)
	QT_QPA_PLATFORM=offscreen $(PYTHON) scripts/run_demo.py --demo $(DEMO_DIR) --qgis-process "$(QGIS_PROCESS)" \
		--profile $(abspath $(RUN_DIR)/demo-profile) --plugin-path $(CURDIR)

cog: ## refresh the shipped list of commune and postal codes from $(SHARED_DIR)/vocabularies/cog-communes.json
	$(SYSTEM_PYTHON) scripts/build_cog.py $(SHARED_DIR)/vocabularies/cog-communes.json opendata_publisher/resources/cog_communes.txt

bench: $(VENV)/.ready bench-startup ## performance benchmarks: QGIS start-up, scripts/bench.py (vs frictionless), scripts/bench_scale.py (PostGIS, legal, exports vs ogr2ogr)
	QT_QPA_PLATFORM=offscreen $(PYTHON) scripts/bench.py
	QT_QPA_PLATFORM=offscreen $(PYTHON) scripts/bench_scale.py $(BENCH_SCALE_ARGS)

bench-startup: $(VENV)/.ready ## what the plugin adds to a QGIS start (profiler « Load plugins », 3 starts under Xvfb) and the dock's first opening
	$(PYTHON) scripts/bench_startup.py --runs 3

clean: ## remove build outputs, caches and run folders (keeps .venv)
	rm -rf dist build $(RUN_DIR) .pytest_cache .ruff_cache .qgis-settings i18n/*.qm
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

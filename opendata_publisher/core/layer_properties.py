"""What the plugin stores on a layer: the keys of its custom properties (saved with the project).

Every key starts with :data:`PREFIX`. The modules that read or write one import its name from here; a test
(tests/unit/test_one_home.py) fails when an ``"opendata_publisher/…"`` key is written anywhere else.
"""

PREFIX = "opendata_publisher/"

#: the schema reference chosen on the « Vérifier » page (``owner/slug@version``, a path or a URL);
#: also written on a layer made conforming, and read by « Décrire », the review and the publication
SCHEMA_PROPERTY = PREFIX + "schema"
#: id of the layer a conforming layer was made from
CONFORM_SOURCE_PROPERTY = PREFIX + "conform_source"
#: the field mapping of the layer for one schema: MAPPING_PREFIX + a key of the schema (core/mapping.py)
MAPPING_PREFIX = PREFIX + "mapping/"
#: result of the last check and of the last legal check (core/step_results.py)
LAST_CHECK_PROPERTY = PREFIX + "last_check"
LAST_LEGAL_PROPERTY = PREFIX + "last_legal"
#: the legal checklist and the acknowledged legal findings (core/legal/)
LEGAL_CHECKLIST_PROPERTY = PREFIX + "legal_checklist"
LEGAL_ACKNOWLEDGEMENTS_PROPERTY = PREFIX + "legal_acknowledgements"
#: the licence the agent confirmed on the « Licence » page
LICENCE_CONFIRMED_PROPERTY = PREFIX + "licence_confirmed"
#: where the layer was published: PUBLISHED_PREFIX + the connection name (core/publish.py)
PUBLISHED_PREFIX = PREFIX + "published/"
#: the list of the layer's publications (core/history.py)
PUBLISH_HISTORY_PROPERTY = PREFIX + "publish_history"
#: when the layer's settings were last written with its data source (core/source_state.py; not carried along)
SETTINGS_SAVED_AT_PROPERTY = PREFIX + "settings_saved_at"

"""One home per idea (issue 16, item 2): the text folding, what the plugin stores on a layer, the schema
references. These tests read the plugin's source: a second definition appearing anywhere fails them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from opendata_publisher.core.text import ascii_slug, fold, fold_words

PACKAGE = Path(__file__).resolve().parents[2] / "opendata_publisher"


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- fold


def test_fold_is_what_every_search_and_comparison_of_the_plugin_shares():
    assert fold("  Prénom\u00a0 NOM ") == "prenom nom"
    assert fold("Documents  d’Urbanisme") == fold("documents d’urbanisme")
    assert fold("Cœur") == "cœur" and fold("Straße") == "strasse"
    assert fold(None) == "" and fold(12) == "12"
    assert fold("Cœur de Ville", ascii_only=True) == "cur de ville"
    assert fold_words("Licence Ouverte / Open Licence v2.0") == "licence ouverte open licence v2 0"
    assert ascii_slug("Parkings d'Orléans 2024") == "parkings-d-orleans-2024"


def test_the_unicode_folding_is_written_once():
    """NFKD/NFD decomposition with the accents dropped lives in core/text.py only; nothing else defines a fold."""
    decomposition = re.compile(r"unicodedata\.normalize\(\s*[\"']NFK?D[\"']|unicodedata\.combining|!= [\"']Mn[\"']")
    copies = []
    for name, text in _sources():
        if name == "core/text.py":
            continue
        copies += [f"{name}: {m.group(0)}" for m in decomposition.finditer(text)]
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.Lambda)) and getattr(node, "name", "").strip("_") == "fold":
                copies.append(f"{name}: def {node.name}")
    assert copies == [], "use opendata_publisher.core.text.fold: " + ", ".join(copies)


# --------------------------------------------------------------------------- what the plugin stores on a layer

#: "opendata_publisher/…" texts that are not layer properties: QSettings groups and the folder manifest's format
NOT_LAYER_KEYS = {
    ("core/portals/connections.py", "opendata_publisher/connections"),
    ("core/portals/connections.py", "opendata_publisher/profile_auth"),
    ("core/portals/folder.py", "opendata_publisher/dossier-de-publication"),
}


def test_every_layer_property_key_is_written_in_core_layer_properties():
    strays = []
    for name, text in _sources():
        if name == "core/layer_properties.py":
            continue
        for node in ast.walk(ast.parse(text)):
            is_key = isinstance(node, ast.Constant) and str(node.value).startswith("opendata_publisher/")
            if is_key and (name, node.value) not in NOT_LAYER_KEYS:
                strays.append(f"{name}:{node.lineno}: {node.value!r}")
    assert strays == [], "name the key in opendata_publisher/core/layer_properties.py: " + ", ".join(strays)


def test_the_layer_property_keys_are_distinct_and_keep_their_saved_names():
    """Projects saved by earlier versions keep their keys: renaming one would lose what agents stored."""
    from opendata_publisher.core import layer_properties as keys

    values = {name: value for name, value in vars(keys).items() if name.isupper() and name != "PREFIX"}
    assert len(set(values.values())) == len(values)
    assert all(value.startswith(keys.PREFIX) for value in values.values())
    assert keys.SCHEMA_PROPERTY == "opendata_publisher/schema"
    assert keys.PUBLISHED_PREFIX == "opendata_publisher/published/"
    assert keys.MAPPING_PREFIX == "opendata_publisher/mapping/"


# --------------------------------------------------------------------------- schema references


def test_one_parser_reads_every_kind_of_schema_reference(tmp_path):
    from opendata_publisher.core.schema.reference import CATALOGUE, EMPTY, FILE, URL, parse_reference

    parsed = parse_reference(" etalab/schema-stationnement@0.1.5 ")
    assert (parsed.kind, parsed.name, parsed.version) == (CATALOGUE, "etalab/schema-stationnement", "0.1.5")
    assert parsed.label == "etalab/schema-stationnement 0.1.5"
    assert (parse_reference("scdl/budget").kind, parse_reference("scdl/budget").version) == (CATALOGUE, None)
    assert parse_reference("https://example.org/schema.json").kind == URL
    assert parse_reference("file:///tmp/schema.json").kind == FILE
    assert parse_reference("schemas/parkings.json").kind == FILE  # owner/slug in form, but a file name
    assert parse_reference("schemas/parkings.yaml").kind == FILE
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "schema").write_text("{}", encoding="utf-8")
    existing = tmp_path / "mine" / "schema"
    assert parse_reference(str(existing)).kind == FILE
    assert parse_reference(r"C:\Données\schéma.json").label == "schéma.json"
    assert parse_reference("").kind == EMPTY and parse_reference(None).kind == EMPTY


def test_the_schema_reference_pattern_is_written_once():
    pattern = "[A-Za-z0-9_.\\-]+/[A-Za-z0-9_.\\-]+"
    copies = [name for name, text in _sources() if pattern in text and name != "core/schema/reference.py"]
    assert copies == [], "parse references with opendata_publisher.core.schema.reference.parse_reference"


def _mirror_catalogue(tmp_path):
    """A catalogue of another address than schema.data.gouv.fr (the catalogue URL setting), read once."""
    import json

    from opendata_publisher.core.schema.catalogue import SchemaCatalogue

    url = "http://catalogue.test.invalid/schemas.json"
    item = {
        "name": "etalab/schema-stationnement",
        "title": "Stationnement",
        "schema_type": "tableschema",
        "versions": [{"version_name": "0.1.5", "schema_url": "http://mirror.test.invalid/stationnement/0.1.5.json"}],
        "schema_url": "http://mirror.test.invalid/stationnement/latest.json",
    }
    data = json.dumps({"$schema": "x", "version": 1, "schemas": [item]}).encode("utf-8")
    calls = []

    def fetcher(asked):
        calls.append(asked)
        return data

    catalogue = SchemaCatalogue(url, tmp_path / "cache", fetcher, snapshot_dir=None)
    catalogue.entries()
    return catalogue, calls


def test_a_reference_names_its_schema_at_the_address_of_the_configured_catalogue(tmp_path):
    """The « Décrire » page (schema not loaded) takes the schema's address from the catalogue of the
    settings, never a schema.data.gouv.fr address made up for a mirror's schema."""
    from opendata_publisher.core.metadata.public import reference_schema_ref
    from opendata_publisher.core.schema.catalogue import SchemaCatalogue

    catalogue, calls = _mirror_catalogue(tmp_path)
    ref = reference_schema_ref("etalab/schema-stationnement@0.1.5", catalogue)
    assert (ref.name, ref.version, ref.url) == (
        "etalab/schema-stationnement",
        "0.1.5",
        "http://mirror.test.invalid/stationnement/0.1.5.json",
    )
    # a second catalogue object on the same cache: read from the disk, no download
    again = SchemaCatalogue(catalogue.url, catalogue.cache_dir, _no_download, snapshot_dir=None)
    assert again.known_schema_url("etalab/schema-stationnement", "0.1.5").endswith("/0.1.5.json")
    assert len(calls) == 1
    unknown = reference_schema_ref("etalab/schema-stationnement@9.9.9", catalogue)
    assert (unknown.name, unknown.version, unknown.url) == ("etalab/schema-stationnement", "9.9.9", "")
    assert reference_schema_ref("etalab/schema-stationnement@0.1.5", None).url == ""
    assert reference_schema_ref("https://example.org/s.json").url == "https://example.org/s.json"
    assert reference_schema_ref("/data/parkings-schema.json").name == "parkings-schema"


def _no_download(url):
    raise AssertionError(f"no download expected: {url}")

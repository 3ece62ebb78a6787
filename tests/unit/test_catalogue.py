"""Catalogue client, disk cache and schema loader (pure Python, no QGIS).

The network is replaced by a fetcher that serves the real schema.data.gouv.fr
catalogue and schemas saved in ../shared/scdl (laid out <slug>/<version>/schema.json,
see scdl/SOURCES.md) for the catalogue's real https://schema.data.gouv.fr/... URLs.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from opendata_publisher.core.schema.catalogue import (
    DEFAULT_CATALOGUE_URL,
    CatalogueError,
    SchemaCatalogue,
    fold,
    load_schema_file,
    load_schema_reference,
    sort_versions,
)
from opendata_publisher.core.schema.model import SchemaError, TableSchema

SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
SCDL_DIR = SHARED_DIR / "scdl"
SCHEMAS_PREFIX = "https://schema.data.gouv.fr/schemas/"

# catalogue name -> folder in shared/scdl (renames listed in scdl/SOURCES.md)
LOCAL_FOLDERS = {
    "atlasante/schema-dae": "dae",
    "etalab/schema-irve-statique": "irve-statique",
    "etalab/schema-irve-dynamique": "irve-dynamique",
    "etalab/schema-sdirve": "sdirve",
    "cnigfr/schema-friches": "friches",
    "etalab/schema-lieux-covoiturage": "lieux-covoiturage",
    "datagouv/schema-fontaine-eau": "fontaine-eau",
    "etalab/schema-stationnement": "stationnement",
    "openmaraude/schema-stationstaxi": "stations-taxi",
    "CEREMA/schema-aire-livraison": "aire-livraison",
    "etalab/schema-passage-a-niveau": "passage-a-niveau",
    "datakode/schema-pei": "pei",
    "etalab/schema-stationnement-cyclable": "stationnement-cyclable",
    "LaMednum/standard-mediation-num": "mediation-numerique",
    "scdl/budget": "budget",
    "scdl/prenoms": "prenoms",
    "scdl/catalogue": "catalogue",
    "scdl/equipements": "equipements",
    "scdl/subventions": "subventions",
    "scdl/deliberations": "deliberations",
    "scdl/menus-collectifs": "menus-collectifs",
    "scdl/plats-menus-collectifs": "plats-menus-collectifs",
}


class FakeNetworkError(Exception):
    """Stands for toolbelt.network.NetworkError (French str())."""


class FakeFetcher:
    """Serves URLs from local files; records calls; can be switched off."""

    def __init__(self, routes: Optional[Dict[str, bytes]] = None, scdl_dir: Optional[Path] = None):
        self.routes = dict(routes or {})
        self.scdl_dir = scdl_dir
        self.calls: List[str] = []
        self.down = False

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        if self.down:
            raise FakeNetworkError(f"Connexion refusée par le serveur pour {url} : vérifiez votre connexion.")
        if url in self.routes:
            return self.routes[url]
        if self.scdl_dir is not None:
            if url == DEFAULT_CATALOGUE_URL:
                return (self.scdl_dir / "_catalogue" / "schemas.json").read_bytes()
            path = self._schema_path(url)
            if path is not None and path.is_file():
                return path.read_bytes()
        raise FakeNetworkError(f"Le serveur a répondu 404 (introuvable) pour {url}.")

    def _schema_path(self, url: str) -> Optional[Path]:
        if not url.startswith(SCHEMAS_PREFIX):
            return None
        parts = url[len(SCHEMAS_PREFIX) :].split("/")
        if len(parts) != 4:
            return None
        owner, slug, version, _filename = parts
        folder = LOCAL_FOLDERS.get(f"{owner}/{slug}")
        if folder is None:
            return None
        if version == "latest":
            version = sort_versions([p.name for p in (self.scdl_dir / folder).iterdir()])[0]
        return self.scdl_dir / folder / version / "schema.json"

    def count(self, url: str) -> int:
        return self.calls.count(url)


@pytest.fixture
def scdl() -> Path:
    if not SCDL_DIR.is_dir():
        pytest.skip(f"reference material not found at {SCDL_DIR} (../shared is absent on this machine)")
    return SCDL_DIR


@pytest.fixture
def fetcher(scdl: Path) -> FakeFetcher:
    return FakeFetcher(scdl_dir=scdl)


@pytest.fixture
def catalogue(tmp_path: Path, fetcher: FakeFetcher) -> SchemaCatalogue:
    return SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache", fetcher)


def _names(entries) -> List[str]:
    return [e.name for e in entries]


def _synthetic(schemas: List[dict]) -> bytes:
    return json.dumps({"$schema": "x", "version": 1, "schemas": schemas}).encode("utf-8")


def _item(name: str, title: str, versions: List[str], schema_type: str = "tableschema", labels=None) -> dict:
    base = f"http://test.invalid/schemas/{name}"
    return {
        "name": name,
        "title": title,
        "description": f"Description de {title}",
        "schema_type": schema_type,
        "labels": labels or [],
        "homepage": f"https://example.org/{name}",
        "versions": [{"version_name": v, "schema_url": f"{base}/{v}/schema.json"} for v in versions],
        "schema_url": f"{base}/latest/schema.json",
    }


SYNTH_URL = "http://test.invalid/schemas.json"


def _synthetic_catalogue(tmp_path: Path, schemas: List[dict], routes=None) -> tuple:
    fake = FakeFetcher(routes={SYNTH_URL: _synthetic(schemas), **(routes or {})})
    return SchemaCatalogue(SYNTH_URL, tmp_path / "cache", fake), fake


# --------------------------------------------------------------------------- listing


@pytest.mark.shared
def test_entries_lists_only_table_schemas_scdl_first(catalogue: SchemaCatalogue, scdl: Path):
    entries = catalogue.entries()
    raw = json.loads((scdl / "_catalogue" / "schemas.json").read_text(encoding="utf-8"))["schemas"]
    expected = {s["name"] for s in raw if s["schema_type"] == "tableschema"}
    assert set(_names(entries)) == expected
    assert len(entries) == len(expected) == 60
    assert all(e.schema_type == "tableschema" for e in entries)
    assert "etalab/schema-bal" not in _names(entries)  # "other" (YAML)
    assert "etalab/schema-amenagements-cyclables" not in _names(entries)  # jsonschema
    flags = [e.is_scdl for e in entries]
    first_non_scdl = flags.index(False)
    assert all(flags[:first_non_scdl]) and not any(flags[first_non_scdl:])
    scdl_names = _names(entries[:first_non_scdl])
    assert {"scdl/budget", "atlasante/schema-dae", "etalab/schema-irve-statique"} <= set(scdl_names)
    # accent-insensitive title order: "Équipements" sorts with the E, before "IRVE statique"
    assert scdl_names.index("scdl/equipements") < scdl_names.index("etalab/schema-irve-statique")
    for group in (entries[:first_non_scdl], entries[first_non_scdl:]):
        keys = [fold(e.title) for e in group]
        assert keys == sorted(keys)
    atlas = catalogue.find("cnigfr/atlas-paysager")
    assert atlas.title == "Atlas Paysager"  # stray space of the catalogue removed


@pytest.mark.shared
def test_entry_fields_and_versions_newest_first(catalogue: SchemaCatalogue):
    entry = catalogue.find("scdl/subventions")
    assert entry.versions == ["2.1.1", "2.1.0", "2.0.2", "2.0.1", "2.0.0", "1.1.0"]
    assert entry.latest_version == "2.1.1"
    assert entry.schema_urls["2.0.1"] == "https://schema.data.gouv.fr/schemas/scdl/subventions/2.0.1/schema.json"
    assert entry.latest_url == "https://schema.data.gouv.fr/schemas/scdl/subventions/latest/schema.json"
    assert entry.is_scdl and "Socle Commun des Données Locales" in entry.labels
    assert entry.title == "Subventions" and entry.description
    irve = catalogue.find("etalab/schema-irve-statique")
    assert irve.schema_urls["2.3.1"].endswith("/2.3.1/schema-statique.json")
    assert irve.homepage.startswith("https://")


def test_sort_versions_is_semantic():
    assert sort_versions(["0.9.1", "0.10.0", "0.2.0", "1.0.0", "1.0.0-rc1", "v1.1", "0.9.1"]) == [
        "v1.1",
        "1.0.0",
        "1.0.0-rc1",
        "0.10.0",
        "0.9.1",
        "0.2.0",
    ]
    assert sort_versions(["brouillon", "0.0.1"]) == ["0.0.1", "brouillon"]


def test_synthetic_catalogue_sorting_latest_alias_and_types(tmp_path: Path):
    cat, _ = _synthetic_catalogue(
        tmp_path,
        [
            _item("org/zebre", "Zèbres", ["0.9.1", "0.10.0", "latest", "0.2.0"]),
            _item("org/eclairage", "Éclairage public", ["1.0.0"]),
            _item("org/arbres", "arbres d'alignement", ["1.0.0"]),
            _item("scdl/bancs", "Bancs", ["1.0.0"], labels=["Socle commun des données locales"]),
            _item("org/geo", "Aménagements", ["1.0.0"], schema_type="jsonschema"),
            {"name": None, "schema_type": "tableschema"},  # broken entries are skipped
            "not an entry",
        ],
    )
    entries = cat.entries()
    assert _names(entries) == ["scdl/bancs", "org/arbres", "org/eclairage", "org/zebre"]
    zebre = entries[-1]
    assert zebre.versions == ["0.10.0", "0.9.1", "0.2.0"]  # "latest" is an alias, not a version
    assert zebre.latest_url == "http://test.invalid/schemas/org/zebre/latest/schema.json"


# --------------------------------------------------------------------------- find / search


@pytest.mark.shared
def test_find_by_name_slug_and_case(catalogue: SchemaCatalogue):
    assert catalogue.find("etalab/schema-stationnement").name == "etalab/schema-stationnement"
    assert catalogue.find("schema-stationnement").name == "etalab/schema-stationnement"
    assert catalogue.find("schema-stationnement-cyclable").name == "etalab/schema-stationnement-cyclable"
    assert catalogue.find("stationnement").name == "etalab/schema-stationnement"
    assert catalogue.find("cerema/schema-aire-livraison").name == "CEREMA/schema-aire-livraison"
    assert catalogue.find("  budget ").name == "scdl/budget"


@pytest.mark.shared
def test_unknown_name_suggests_close_names(catalogue: SchemaCatalogue):
    with pytest.raises(CatalogueError) as info:
        catalogue.find("etalab/schema-stationement")
    message = str(info.value)
    assert "n'existe pas dans le catalogue" in message
    assert "« etalab/schema-stationnement »" in message
    assert "Vérifiez l'orthographe" in message
    with pytest.raises(CatalogueError) as info:
        catalogue.find("subvention")
    assert "scdl/subventions" in str(info.value)


@pytest.mark.shared
def test_find_non_table_schema_explains(catalogue: SchemaCatalogue):
    with pytest.raises(CatalogueError, match="pas un schéma tabulaire"):
        catalogue.find("etalab/schema-amenagements-cyclables")


def test_find_ambiguous_slug_lists_both(tmp_path: Path):
    cat, _ = _synthetic_catalogue(
        tmp_path, [_item("a/voirie", "Voirie A", ["1.0.0"]), _item("b/voirie", "Voirie B", ["1.0.0"])]
    )
    with pytest.raises(CatalogueError) as info:
        cat.find("voirie")
    assert "a/voirie" in str(info.value) and "b/voirie" in str(info.value)
    assert cat.find("b/voirie").title == "Voirie B"


@pytest.mark.shared
def test_search_ignores_case_and_accents(catalogue: SchemaCatalogue):
    assert "scdl/equipements" in _names(catalogue.search("EQUIPEMENT"))
    found = _names(catalogue.search("stationnement CYCLABLE"))
    assert found[0] == "etalab/schema-stationnement-cyclable"
    assert "etalab/schema-stationnement" not in found
    scdl_names = {e.name for e in catalogue.entries() if e.is_scdl}
    assert set(_names(catalogue.search("socle commun"))) == scdl_names  # label match
    assert catalogue.search("") == catalogue.entries()
    assert catalogue.search("zzzz-rien-du-tout") == []
    assert "scdl/equipements" in _names(catalogue.search("collectifs PUBLICS"))  # description only
    # name/title matches come before description-only matches
    results = catalogue.search("collectivités")
    in_title = ["collectivites" in fold(e.name + " " + e.title) for e in results]
    assert True in in_title and False in in_title
    assert in_title == sorted(in_title, reverse=True)


# --------------------------------------------------------------------------- fetch + cache


@pytest.mark.shared
def test_fetch_schema_caches_on_disk(tmp_path: Path, fetcher: FakeFetcher):
    cache = tmp_path / "cache"
    cat = SchemaCatalogue(DEFAULT_CATALOGUE_URL, cache, fetcher)
    schema = cat.fetch_schema("etalab/schema-stationnement")
    url = "https://schema.data.gouv.fr/schemas/etalab/schema-stationnement/0.1.5/schema.json"
    assert isinstance(schema, TableSchema)
    assert "Xlong" in schema.field_names() and schema.source == url
    assert (cache / "schemas" / "etalab" / "schema-stationnement" / "0.1.5" / "schema.json").is_file()
    assert (cache / "catalogue" / "schemas.json").is_file()
    meta = json.loads((cache / "catalogue" / "meta.json").read_text(encoding="utf-8"))
    assert meta["url"] == DEFAULT_CATALOGUE_URL and meta["fetched_at"]
    assert cat.fetch_schema("etalab/schema-stationnement", "0.1.5").field_names() == schema.field_names()
    assert fetcher.count(url) == 1
    # a new catalogue object on the same cache never touches the network
    calls_before = len(fetcher.calls)
    again = SchemaCatalogue(DEFAULT_CATALOGUE_URL, cache, fetcher)
    assert again.fetch_schema("schema-stationnement", "latest").field_names() == schema.field_names()
    assert len(fetcher.calls) == calls_before
    assert not again.offline and again.cached_at is not None
    # refresh downloads again
    again.fetch_schema("etalab/schema-stationnement", refresh=True)
    assert fetcher.count(url) == 2
    assert not list((cache / "catalogue").glob(".tmp-*"))  # atomic writes leave nothing behind


@pytest.mark.shared
def test_fetch_schema_carries_the_catalogue_name(tmp_path: Path, fetcher: FakeFetcher):
    # schema-stationnement's schema.json has no "name": the portals know it by the catalogue's owner/slug
    cat = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache", fetcher)
    schema = cat.fetch_schema("etalab/schema-stationnement", "0.1.5")
    assert (schema.name, schema.version) == ("etalab/schema-stationnement", "0.1.5")
    again = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache", fetcher)
    assert again.fetch_schema("schema-stationnement", "0.1.5").name == "etalab/schema-stationnement"


def test_fetch_schema_latest_is_resolved_to_a_number(catalogue: SchemaCatalogue, fetcher: FakeFetcher):
    schema = catalogue.fetch_schema("scdl/budget")
    assert schema.source.endswith("/scdl/budget/0.8.3/schema.json")
    assert (catalogue.cache_dir / "schemas" / "scdl" / "budget" / "0.8.3" / "schema.json").is_file()
    assert not (catalogue.cache_dir / "schemas" / "scdl" / "budget" / "latest").exists()
    assert not any("/latest/" in call for call in fetcher.calls)


@pytest.mark.shared
def test_fetch_schema_unknown_version_lists_versions(catalogue: SchemaCatalogue):
    with pytest.raises(CatalogueError) as info:
        catalogue.fetch_schema("scdl/budget", "9.9.9")
    assert "0.8.3, 0.8.2, 0.8.1" in str(info.value)


@pytest.mark.shared
def test_fetch_schema_server_error_is_french(catalogue: SchemaCatalogue):
    # 0.1.4 is in the catalogue but not in shared/scdl: the fake server answers 404
    with pytest.raises(CatalogueError) as info:
        catalogue.fetch_schema("etalab/schema-stationnement", "0.1.4")
    message = str(info.value)
    assert "Impossible de télécharger le schéma « etalab/schema-stationnement » version 0.1.4" in message
    assert "404" in message and "réessayez" in message
    assert not (catalogue.cache_dir / "schemas" / "etalab" / "schema-stationnement" / "0.1.4").exists()


@pytest.mark.shared
def test_offline_fallback_uses_cached_copies(tmp_path: Path, fetcher: FakeFetcher):
    """The cache alone (no snapshot shipped with the plugin: see the snapshot tests below)."""
    cache = tmp_path / "cache"
    first = SchemaCatalogue(DEFAULT_CATALOGUE_URL, cache, fetcher, snapshot_dir=None)
    first.entries()
    first.fetch_schema("atlasante/schema-dae")
    assert not first.offline
    fetcher.down = True
    cat = SchemaCatalogue(DEFAULT_CATALOGUE_URL, cache, fetcher, snapshot_dir=None)
    entries = cat.entries(refresh=True)
    assert len(entries) == 60
    assert cat.offline is True
    assert cat.cached_at is not None and datetime.now(timezone.utc) - cat.cached_at < timedelta(minutes=5)
    dae = cat.fetch_schema("atlasante/schema-dae", refresh=True)
    assert "lat_coor1" in dae.field_names()
    with pytest.raises(CatalogueError) as info:
        cat.fetch_schema("scdl/budget")  # never fetched: not available offline
    assert "Vérifiez votre connexion" in str(info.value)
    # even without the catalogue file, an already fetched schema stays usable
    (cache / "catalogue" / "schemas.json").unlink()
    alone = SchemaCatalogue(DEFAULT_CATALOGUE_URL, cache, fetcher, snapshot_dir=None)
    assert alone.fetch_schema("atlasante/schema-dae").version == "1.0.7"
    assert alone.offline


def test_no_network_and_no_cache_raises_french_error(tmp_path: Path):
    fake = FakeFetcher()
    fake.down = True
    cat = SchemaCatalogue(SYNTH_URL, tmp_path / "cache", fake)
    with pytest.raises(CatalogueError) as info:
        cat.entries()
    message = str(info.value)
    assert "Impossible de télécharger le catalogue des schémas" in message
    assert "Connexion refusée" in message and "réessayez" in message


def test_corrupted_catalogue_cache_is_refetched(tmp_path: Path):
    cat, fake = _synthetic_catalogue(tmp_path, [_item("org/bancs", "Bancs", ["1.0.0"])])
    cat.catalogue_path.parent.mkdir(parents=True)
    cat.catalogue_path.write_bytes(b'{"schemas": [ tronqu')
    cat.meta_path.write_bytes(b"\x00\xff pas du json")
    assert _names(cat.entries()) == ["org/bancs"]
    assert fake.count(SYNTH_URL) == 1
    assert json.loads(cat.catalogue_path.read_text(encoding="utf-8"))["schemas"][0]["name"] == "org/bancs"
    # corrupted again and the network down: a clear error, not a crash
    cat.catalogue_path.write_text("[]", encoding="utf-8")
    fake.down = True
    with pytest.raises(CatalogueError, match="Impossible de télécharger le catalogue"):
        SchemaCatalogue(SYNTH_URL, cat.cache_dir, fake).entries()


def test_invalid_catalogue_from_server(tmp_path: Path):
    fake = FakeFetcher(routes={SYNTH_URL: b"<html>Maintenance</html>"})
    with pytest.raises(CatalogueError, match="illisible"):
        SchemaCatalogue(SYNTH_URL, tmp_path / "cache", fake).entries()
    assert not (tmp_path / "cache" / "catalogue" / "schemas.json").exists()


def test_cache_of_another_catalogue_url_is_not_used(tmp_path: Path):
    cat, fake = _synthetic_catalogue(tmp_path, [_item("org/bancs", "Bancs", ["1.0.0"])])
    cat.catalogue_path.parent.mkdir(parents=True)
    cat.catalogue_path.write_bytes(_synthetic([_item("autre/chose", "Autre", ["1.0.0"])]))
    cat.meta_path.write_text(json.dumps({"url": "https://ailleurs.example/schemas.json"}), encoding="utf-8")
    assert _names(cat.entries()) == ["org/bancs"]
    assert fake.count(SYNTH_URL) == 1


def test_seeded_cache_without_meta_and_with_bom(tmp_path: Path):
    cache = tmp_path / "cache"
    (cache / "catalogue").mkdir(parents=True)
    (cache / "catalogue" / "schemas.json").write_bytes(
        b"\xef\xbb\xbf" + _synthetic([_item("org/bancs", "Bancs", ["1.0.0"])])
    )
    schema_path = cache / "schemas" / "org" / "bancs" / "1.0.0" / "schema.json"
    schema_path.parent.mkdir(parents=True)
    schema_path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"fields": [{"name": "id", "type": "integer"}]}).encode())
    fake = FakeFetcher()
    fake.down = True
    cat = SchemaCatalogue(SYNTH_URL, cache, fake)
    assert _names(cat.entries()) == ["org/bancs"]
    schema = cat.fetch_schema("org/bancs")
    assert schema.field_names() == ["id"] and schema.version == "1.0.0"
    assert fake.calls == [] and not cat.offline


def test_corrupted_schema_cache_is_refetched(tmp_path: Path):
    url = "http://test.invalid/schemas/org/bancs/1.0.0/schema.json"
    good = json.dumps({"name": "bancs", "fields": [{"name": "id"}]}).encode()
    cat, fake = _synthetic_catalogue(tmp_path, [_item("org/bancs", "Bancs", ["1.0.0"])], routes={url: good})
    path = cat.schema_cache_path("org/bancs", "1.0.0")
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"fields": [')
    assert cat.fetch_schema("org/bancs").field_names() == ["id"]
    assert fake.count(url) == 1
    assert path.read_bytes() == good


def test_broken_schema_from_server_is_not_cached(tmp_path: Path):
    url = "http://test.invalid/schemas/org/bancs/1.0.0/schema.json"
    cat, _ = _synthetic_catalogue(tmp_path, [_item("org/bancs", "Bancs", ["1.0.0"])], routes={url: b'{"fields": [}'})
    with pytest.raises(SchemaError, match="n'est pas un JSON valide"):
        cat.fetch_schema("org/bancs")
    assert not cat.schema_cache_path("org/bancs", "1.0.0").exists()


def test_cache_paths_stay_inside_the_cache(tmp_path: Path):
    cat = SchemaCatalogue(SYNTH_URL, tmp_path / "cache", FakeFetcher())
    path = cat.schema_cache_path("../..", "../x")
    assert (tmp_path / "cache").resolve() in path.resolve().parents
    url = "https://example.org/s.json"
    assert cat.url_cache_path(url).name == hashlib.sha1(url.encode()).hexdigest() + ".json"


def test_unwritable_cache_still_returns_data(tmp_path: Path):
    blocker = tmp_path / "cache"
    blocker.write_text("un fichier, pas un dossier", encoding="utf-8")
    fake = FakeFetcher(routes={SYNTH_URL: _synthetic([_item("org/bancs", "Bancs", ["1.0.0"])])})
    assert _names(SchemaCatalogue(SYNTH_URL, blocker, fake).entries()) == ["org/bancs"]


# --------------------------------------------------------------------------- load_schema_reference


@pytest.mark.shared
def test_lenient_loading_of_dae_1_0_0(scdl: Path):
    path = scdl / "dae" / "1.0.0" / "schema.json"
    schema = load_schema_reference(str(path))
    assert len(schema.fields) == 43
    assert schema.source == str(path)
    assert schema.name == "DAE"
    assert any("DAE" in w for w in schema.warnings)
    assert any("pattern" in w for w in schema.warnings)


@pytest.mark.shared
def test_lenient_loading_of_arbres_0_3_1(scdl: Path):
    path = scdl / "arbres" / "0.3.1" / "schema.json"
    schema = load_schema_file(path)
    assert {"longitude", "latitude"} <= set(schema.field_names())
    assert any("Arbres urbains" in w for w in schema.warnings)


@pytest.mark.shared
def test_relative_path_folder_and_file_url(scdl: Path, monkeypatch):
    monkeypatch.chdir(scdl)
    relative = load_schema_reference("dae/1.0.7/schema.json")
    assert relative.source == "dae/1.0.7/schema.json" and len(relative.fields) == 46
    folder = load_schema_reference("dae/1.0.7")  # looks like owner/slug but is a folder on disk
    assert folder.field_names() == relative.field_names()
    path = scdl / "stationnement" / "0.1.5" / "schema.json"
    from_url = load_schema_reference(path.as_uri())
    assert from_url.source == str(path) and "Xlong" in from_url.field_names()


def test_broken_json_gives_french_position(tmp_path: Path):
    path = tmp_path / "schema.json"
    path.write_text('{\n  "fields": [\n    {"name": "id" "type": "integer"}\n  ]\n}\n', encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        load_schema_reference(str(path))
    message = str(info.value)
    assert "n'est pas un JSON valide" in message
    assert "virgule attendue" in message
    assert "ligne 3, colonne 19" in message
    assert str(path) in message


def test_empty_non_utf8_missing_and_yaml_files(tmp_path: Path):
    empty = tmp_path / "vide.json"
    empty.write_bytes(b"\xef\xbb\xbf  \n")
    with pytest.raises(SchemaError, match="est vide"):
        load_schema_file(empty)
    latin = tmp_path / "latin1.json"
    latin.write_bytes('{"fields": [{"name": "é"}]}'.encode("latin-1"))
    with pytest.raises(SchemaError, match="UTF-8"):
        load_schema_file(latin)
    with pytest.raises(SchemaError, match="introuvable"):
        load_schema_reference(str(tmp_path / "absent.json"))
    yml = tmp_path / "schema.yml"
    yml.write_text("fields: []\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="YAML"):
        load_schema_reference(str(yml))
    with pytest.raises(SchemaError, match="Aucun schéma"):
        load_schema_reference("  ")


def test_bom_is_tolerated(tmp_path: Path):
    path = tmp_path / "schema.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"fields": [{"name": "nom"}]}).encode("utf-8"))
    assert load_schema_file(path).field_names() == ["nom"]


@pytest.mark.shared
def test_json_schema_file_is_refused(scdl: Path):
    with pytest.raises(SchemaError, match="JSON Schema"):
        load_schema_reference(str(scdl / "amenagements-cyclables" / "0.3.5" / "schema.json"))


@pytest.mark.shared
def test_catalogue_reference_with_version(catalogue: SchemaCatalogue):
    schema = load_schema_reference("etalab/schema-lieux-covoiturage@0.3.0", catalogue)
    assert schema.source.endswith("/etalab/schema-lieux-covoiturage/0.3.0/schema.json")
    newest = load_schema_reference("etalab/schema-lieux-covoiturage@latest", catalogue)
    assert newest.source.endswith("/0.3.1/schema.json")
    assert load_schema_reference("etalab/schema-lieux-covoiturage", catalogue).source == newest.source
    with pytest.raises(CatalogueError, match="Versions disponibles"):
        load_schema_reference("etalab/schema-lieux-covoiturage@7.0.0", catalogue)


def test_catalogue_reference_without_catalogue_uses_given_fetcher(tmp_path: Path, monkeypatch):
    from opendata_publisher.core.schema import catalogue as module

    monkeypatch.setattr(module, "_default_location", lambda: (DEFAULT_CATALOGUE_URL, tmp_path / "default-cache"))
    url = "https://schema.data.gouv.fr/schemas/org/bancs/1.0.0/schema.json"
    item = _item("org/bancs", "Bancs", ["1.0.0"])
    item["versions"][0]["schema_url"] = url
    fake = FakeFetcher(routes={DEFAULT_CATALOGUE_URL: _synthetic([item]), url: b'{"fields": [{"name": "id"}]}'})
    schema = load_schema_reference("org/bancs@1.0.0", fetcher=fake)
    assert schema.field_names() == ["id"] and schema.source == url
    assert (tmp_path / "default-cache" / "schemas" / "org" / "bancs" / "1.0.0" / "schema.json").is_file()


def test_url_reference_is_cached_and_used_offline(tmp_path: Path):
    url = "https://example.org/mon-schema/schema.json"
    fake = FakeFetcher(routes={url: json.dumps({"fields": [{"name": "a"}, {"name": "b"}]}).encode()})
    cat = SchemaCatalogue(SYNTH_URL, tmp_path / "cache", fake)
    schema = load_schema_reference(url, cat)
    assert schema.field_names() == ["a", "b"] and schema.source == url
    assert cat.url_cache_path(url).is_file()
    fake.down = True
    offline = load_schema_reference(url, cat)
    assert offline.field_names() == ["a", "b"] and cat.offline
    with pytest.raises(CatalogueError) as info:
        load_schema_reference("https://example.org/autre.json", cat)
    assert "Impossible de télécharger le schéma https://example.org/autre.json" in str(info.value)
    # without a catalogue: the fetcher given is used, nothing is cached
    fake.down = False
    assert load_schema_reference(url, fetcher=fake).field_names() == ["a", "b"]


# --------------------------------------------------------------------------- snapshot shipped with the plugin


def test_first_use_offline_works_from_the_snapshot(tmp_path: Path):
    """Issue 11 item 6: no network and an empty cache: the catalogue and the SCDL schemas shipped with the
    plugin are used (dated, marked offline), so the first check works."""
    from opendata_publisher.core.schema.catalogue import SNAPSHOT_DIR

    assert (SNAPSHOT_DIR / "catalogue" / "schemas.json").is_file(), "run make catalogue-snapshot"
    fake = FakeFetcher()
    fake.down = True
    cat = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache", fake)
    entries = cat.entries()
    assert len(entries) > 40 and entries[0].is_scdl
    assert cat.offline and cat.from_snapshot and cat.cached_at is not None
    budget = cat.fetch_schema("scdl/budget")
    assert budget.version and "BGT_SIRET" in budget.field_names()
    assert (cat.cache_dir / "schemas" / "scdl" / "budget" / budget.version / "schema.json").is_file()


@pytest.mark.shared
def test_live_catalogue_and_a_newer_cache_win_over_the_snapshot(tmp_path: Path, fetcher: FakeFetcher):
    snapshot = tmp_path / "snapshot"
    (snapshot / "catalogue").mkdir(parents=True)
    (snapshot / "catalogue" / "schemas.json").write_text(
        json.dumps({"schemas": [{"name": "old/only-in-snapshot", "title": "Ancien", "schema_type": "tableschema",
                                 "versions": [{"version_name": "1.0", "schema_url": "https://x/1.0/schema.json"}]}]}),
        encoding="utf-8",
    )  # fmt: skip
    meta = {"url": DEFAULT_CATALOGUE_URL, "fetched_at": "2024-01-01T00:00:00+00:00", "snapshot": True}
    (snapshot / "catalogue" / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    cat = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache", fetcher, snapshot_dir=snapshot)
    assert "old/only-in-snapshot" not in _names(cat.entries())  # online: the live catalogue
    assert not cat.from_snapshot
    fetcher.down = True
    again = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache", fetcher, snapshot_dir=snapshot)
    assert "old/only-in-snapshot" not in _names(again.entries(refresh=True))  # the newer cache wins
    assert again.offline and not again.from_snapshot
    # a snapshot newer than the cache wins when offline
    meta["fetched_at"] = "2099-01-01T00:00:00+00:00"
    (snapshot / "catalogue" / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    newer = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache", fetcher, snapshot_dir=snapshot)
    assert _names(newer.entries()) == ["old/only-in-snapshot"] and newer.from_snapshot


def test_the_snapshot_of_another_catalogue_is_not_used(tmp_path: Path):
    fake = FakeFetcher()
    fake.down = True
    cat = SchemaCatalogue("https://catalogue.example.org/schemas.json", tmp_path / "cache", fake)
    with pytest.raises(CatalogueError):
        cat.entries()


@pytest.mark.shared
def test_import_a_catalogue_from_a_folder_or_a_zip(tmp_path: Path, scdl: Path):
    import zipfile

    from opendata_publisher.core.schema.catalogue import SNAPSHOT_DIR

    fake = FakeFetcher()
    fake.down = True
    folder_cat = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache1", fake, snapshot_dir=None)
    count = folder_cat.import_catalogue(SNAPSHOT_DIR)
    assert count >= 5
    assert len(folder_cat.entries()) > 40 and folder_cat.fetch_schema("scdl/budget").version

    archive = tmp_path / "catalogue.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(scdl / "_catalogue" / "schemas.json", "copie/schemas.json")
        zipped.write(scdl / "budget" / "0.8.3" / "schema.json", "copie/schemas/scdl/budget/0.8.3/schema.json")
    zip_cat = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache2", fake, snapshot_dir=None)
    assert zip_cat.import_catalogue(archive) == 1
    fresh = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache2", fake, snapshot_dir=None)
    assert len(fresh.entries()) > 40 and not fresh.offline
    assert "BGT_SIRET" in fresh.fetch_schema("scdl/budget", "0.8.3").field_names()

    empty = tmp_path / "vide"
    empty.mkdir()
    with pytest.raises(CatalogueError) as info:
        zip_cat.import_catalogue(empty)
    assert "schemas.json" in str(info.value)

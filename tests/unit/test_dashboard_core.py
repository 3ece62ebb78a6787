"""Territory dashboard, the pure parts: frequencies and lateness, organisation names to communes, declared
schema references and heuristics, mapping files."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from opendata_publisher.core.dashboard.freshness import assess, frequency_code, late_text, parse_date
from opendata_publisher.core.dashboard.members import (
    commune_key,
    load_mapping_file,
    match_organisations,
    territory_members,
)
from opendata_publisher.core.dashboard.model import PortalDataset, PortalOrganisation, PortalResource
from opendata_publisher.core.dashboard.recognise import KnownSchema, SchemaRecogniser

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "declared, code",
    [
        ("monthly", "MONTHLY"),
        ("MONTHLY", "MONTHLY"),
        ("http://publications.europa.eu/resource/authority/frequency/ANNUAL", "ANNUAL"),
        ("Annuelle", "ANNUAL"),
        ("trimestrielle", "QUARTERLY"),
        ("punctual", "AS_NEEDED"),
        ("n'importe quoi", ""),
        ("", ""),
    ],
)
def test_frequency_spellings(declared, code):
    assert frequency_code(declared) == code


def test_lateness_against_the_declared_frequency():
    assert assess(NOW - timedelta(days=10), "monthly", NOW) == ("fresh", "à jour", 0)
    assert assess(NOW - timedelta(days=120), "monthly", NOW) == ("late", "en retard de 3 mois", 89)
    assert assess(NOW - timedelta(days=3), "daily", NOW) == ("late", "en retard de 2 jours", 2)
    assert assess(NOW - timedelta(days=2000), "annual", NOW)[1] == "en retard de 4 ans"
    state, text, _ = assess(NOW - timedelta(days=900), "irregular", NOW)
    assert state == "no-deadline" and text.startswith("sans échéance")
    assert assess(None, "monthly", NOW)[0] == "no-date"
    assert late_text(1) == "en retard de 1 jour"


def test_dates_from_portals_are_read_as_utc():
    assert parse_date("2026-05-01T00:00:00+00:00") == datetime(2026, 5, 1, tzinfo=timezone.utc)
    assert parse_date("2026-05-01T02:00:00+02:00") == datetime(2026, 5, 1, tzinfo=timezone.utc)
    assert parse_date("2026-05-01") == datetime(2026, 5, 1, tzinfo=timezone.utc)
    assert parse_date("2026-05-01T00:00:00.123456Z").year == 2026
    assert parse_date("hier") is None and parse_date(None) is None


def test_organisation_names_to_communes():
    assert commune_key("Ville d'Orléans") == "orleans"
    assert commune_key("Mairie de Saint-Jean-de-Braye") == "saint jean de braye"
    assert commune_key("Commune de La Chapelle-Saint-Mesmin") == "la chapelle saint mesmin"
    assert commune_key("Orléans Métropole") == "orleans metropole"
    assert commune_key("Mairie du Mans") == "le mans"
    assert commune_key("Ville d'Olivet") == "olivet"
    members = territory_members()
    assert len(members) == 22
    orgs = [
        PortalOrganisation("1", "Ville d'Orléans"),
        PortalOrganisation("2", "Orléans Métropole"),
        PortalOrganisation("3", "OLIVET"),
        PortalOrganisation("4", "Ville de Saint-Jean-le-Blanc"),
        PortalOrganisation("5", "Mairie de la Chapelle-Saint-Mesmin"),
    ]
    matched, unmatched = match_organisations(members, orgs)
    assert [o.id for o in matched["45234"]] == ["1"]
    assert [o.id for o in matched["45232"]] == ["3"]
    assert [o.id for o in matched["45286"]] == ["4"]
    assert [o.id for o in matched["45075"]] == ["5"]
    assert [o.name for o in unmatched] == ["Orléans Métropole"]


def test_a_mapping_replaces_name_matching(tmp_path):
    path = tmp_path / "correspondance.json"
    path.write_text(json.dumps({"members": {"45234": ["orleans-metropole"], "45232": "3"}}), encoding="utf-8")
    mapping = load_mapping_file(path)
    assert mapping == {"45234": ["orleans-metropole"], "45232": ["3"]}
    orgs = [
        PortalOrganisation("1", "Ville d'Orléans"),
        PortalOrganisation("2", "Orléans Métropole", "orleans-metropole"),
    ]
    orgs.append(PortalOrganisation("3", "Olivet"))
    matched, unmatched = match_organisations(territory_members(), orgs, mapping)
    assert [o.id for o in matched["45234"]] == ["2"]
    assert [o.id for o in matched["45232"]] == ["3"]
    assert [o.id for o in unmatched] == ["1"]  # no name matching once a mapping is given
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="objet JSON"):
        load_mapping_file(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="pas du JSON valide"):
        load_mapping_file(path)


IRVE = KnownSchema(
    "etalab/schema-irve-statique",
    "IRVE statique",
    ["2.3.1", "2.3.0", "2.2.1"],
    True,
    ["https://schema.data.gouv.fr/schemas/etalab/schema-irve-statique/2.3.1/schema-statique.json"],
    "https://github.com/etalab/schema-irve",
)
DAE = KnownSchema("atlasante/schema-dae", "Défibrillateurs automatisés externes", ["1.0.7"], True)
PARKING = KnownSchema("etalab/schema-stationnement", "Stationnement", ["0.2.3"], False)


def _dataset(title="x", tags=(), schema_ref="", version="", resource_schema="", resource_version=""):
    resources = [PortalResource("r", "http://x/r.csv", "csv", resource_schema, resource_version)]
    return PortalDataset(
        "id", title, "org", tags=list(tags), schema_ref=schema_ref, schema_version=version, resources=resources
    )


@pytest.mark.parametrize(
    "reference, version, expected",
    [
        ("etalab/schema-irve-statique", "2.3.0", ("etalab/schema-irve-statique", "2.3.0")),
        ("etalab/schema-irve-statique@2.2.1", "", ("etalab/schema-irve-statique", "2.2.1")),
        ("schema-dae", "", ("atlasante/schema-dae", "")),
        (
            "https://schema.data.gouv.fr/schemas/etalab/schema-irve-statique/2.3.1/schema-statique.json",
            "",
            ("etalab/schema-irve-statique", "2.3.1"),
        ),
        ("https://schema.data.gouv.fr/atlasante/schema-dae/1.0.7/", "", ("atlasante/schema-dae", "1.0.7")),
        ("https://schema.data.gouv.fr/atlasante/schema-dae/latest/", "", ("atlasante/schema-dae", "")),
        ("https://github.com/atlasante/schema-dae", "", ("atlasante/schema-dae", "")),
        ("https://example.org/mon-schema.json", "", None),
        ("", "", None),
    ],
)
def test_declared_schema_references(reference, version, expected):
    recogniser = SchemaRecogniser([IRVE, DAE, PARKING])
    match = recogniser.resolve(reference, version)
    assert (None if match is None else (match.name, match.version)) == expected
    if match is not None:
        assert match.how == "declared"


def test_resource_schema_first_then_dataset_then_heuristics():
    recogniser = SchemaRecogniser([IRVE, DAE, PARKING])
    both = _dataset(
        schema_ref="atlasante/schema-dae", resource_schema="etalab/schema-irve-statique", resource_version="2.2.1"
    )
    match = recogniser.recognise(both)
    assert (match.name, match.version, match.outdated, match.latest_version) == (IRVE.name, "2.2.1", True, "2.3.1")
    guessed = recogniser.recognise(_dataset(title="Liste des défibrillateurs (DAE) de la commune"))
    assert (guessed.name, guessed.how) == (DAE.name, "heuristic")
    assert recogniser.recognise(_dataset(title="Bornes IRVE", tags=["statique"])).name == IRVE.name
    assert recogniser.recognise(_dataset(title="Stationnement en centre-ville")) is None  # not common core
    assert recogniser.recognise(_dataset(title="Horaires des piscines")) is None


def test_column_heuristic_needs_most_of_the_fields():
    recogniser = SchemaRecogniser([IRVE, DAE])
    fields = {DAE.name: ["nom", "lat_coor1", "long_coor1", "adr_num", "com_insee"]}
    match = recogniser.by_columns(["NOM", "lat_coor1", "long_coor1", "com_insee", "autre"], fields)
    assert (match.name, match.how) == (DAE.name, "heuristic") and "80 %" in match.reason
    assert recogniser.by_columns(["nom", "lat_coor1"], fields) is None


def test_builtin_territory_communes_are_located_by_the_profile_shipped_for_them():
    """Without a shared profile the members are the 22 communes of metadata/territory.json: the example profile
    shipped for the same EPCI locates each of them (points on the map), at the profile's own coordinates."""
    from opendata_publisher.core.dashboard.members import builtin_territory_locations, territory_members

    locations = builtin_territory_locations()
    assert set(locations) == {member.code for member in territory_members()}
    assert len(locations) == 22
    assert locations["45234"] == pytest.approx((1.909, 47.902), abs=0.01)  # Orléans


def test_configured_profile_locations_without_a_profile_are_the_builtin_ones(monkeypatch):
    from opendata_publisher.core.dashboard import members
    from opendata_publisher.toolbelt import settings

    monkeypatch.setattr(settings.PluginSettings, "load", classmethod(lambda cls, *a, **k: cls(shared_profile="")))
    assert members.configured_profile_locations() == members.builtin_territory_locations()
    assert len(members.configured_profile_locations(offline=True)) == 22

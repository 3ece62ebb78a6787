"""The shared profile of the territory: schema, parsing, rules, member defaults, loader with cache."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from opendata_publisher.core import shared_profile as sp
from opendata_publisher.core.json_schema import UnsupportedKeyword, validate
from opendata_publisher.core.metadata.model import DatasetDescription

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "metadata" / "profiles" / "orleans-metropole.json"
SCHEMA = json.loads((ROOT / "metadata" / "profile.schema.json").read_text(encoding="utf-8"))
SHARED_COMMUNES = ROOT.parent / "shared" / "vocabularies" / "orleans-metropole-communes.json"


@pytest.fixture
def document():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def profile(document):
    return sp.parse_profile(document)


def _broken_variants(document):
    """(label, broken document) pairs, each with one mistake an author could make."""
    variants = []

    def variant(label, change):
        doc = copy.deepcopy(document)
        change(doc)
        variants.append((label, doc))

    variant("missing name", lambda d: d.pop("name"))
    variant("typo key", lambda d: d.__setitem__("portal", d.pop("portals")))
    variant("bad date", lambda d: d.__setitem__("date", "04/12/2026"))
    variant("siren letters", lambda d: d["territory"]["members"][3].__setitem__("siren", "21450A021"))
    variant("insee too short", lambda d: d["territory"]["members"][3].__setitem__("insee", "4530"))
    variant("bad kind", lambda d: d["territory"]["members"][3].__setitem__("kind", "ville"))
    variant("portal type", lambda d: d["portals"][0].__setitem__("type", "arcgis"))
    variant("portal url", lambda d: d["portals"][0].__setitem__("url", "ftp://x"))
    variant("format", lambda d: d.__setitem__("profile_format", 2))
    variant("members empty", lambda d: d["territory"].__setitem__("members", []))
    variant("mandatory unknown", lambda d: d["rules"]["mandatory_fields"].append("couleur"))
    variant("email", lambda d: d["maintainer"].__setitem__("email", "pas-un-courriel"))
    variant("publisher", lambda d: d["defaults"].__setitem__("publisher", "tous"))
    variant("keywords type", lambda d: d["defaults"].__setitem__("keywords", "a;b"))
    variant("title pattern", lambda d: d["rules"].__setitem__("title_pattern", "{membre} seulement"))
    variant("latitude out of range", lambda d: d["territory"]["members"][3]["location"].__setitem__("latitude", 147.9))
    variant("longitude below range", lambda d: d["territory"]["members"][3]["location"].__setitem__("longitude", -190))
    variant("location as text", lambda d: d["territory"]["members"][3]["location"].__setitem__("latitude", "47.9"))
    variant("location incomplete", lambda d: d["territory"]["members"][3]["location"].pop("longitude"))
    variant("location typo", lambda d: d["territory"]["members"][3]["location"].__setitem__("lat", 47.9))
    return variants


def test_example_profile_is_valid_for_both_validators(document):
    assert validate(document, SCHEMA) == []
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    assert sp.check_profile_document(document) == []


def test_our_validator_agrees_with_jsonschema_on_broken_profiles(document):
    reference = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    for label, broken in _broken_variants(document):
        ours = validate(broken, SCHEMA)
        theirs = list(reference.iter_errors(broken))
        assert bool(ours) == bool(theirs), (label, ours, [e.message for e in theirs])
        assert ours, label
        assert all(issue.message for issue in ours)


def test_unsupported_keyword_is_refused_not_ignored():
    with pytest.raises(UnsupportedKeyword):
        validate({"a": 1}, {"type": "object", "patternProperties": {"^a$": {"type": "string"}}})


def test_example_profile_holds_the_real_22_communes(profile):
    communes = [m for m in profile.members if m.kind == "commune"]
    assert len(communes) == 22
    assert profile.epci_siren == "244500468"
    if SHARED_COMMUNES.is_file():
        official = json.loads(SHARED_COMMUNES.read_text(encoding="utf-8"))["communes"]
        expected = {(c["code"], c["nom"], c["siren"], tuple(c["codesPostaux"])) for c in official}
        assert {(m.insee, m.name, m.siren, tuple(m.postal_codes)) for m in communes} == expected
    saran = profile.member("saran")
    assert (saran.insee, saran.siren) == ("45302", "214503021")
    assert profile.member("Saint-Jean-de-Braye").insee == "45284"  # by name, accents/case folded
    assert profile.member("45234").name == "Orléans"  # by INSEE code
    assert all(p.placeholder for p in profile.portals if p.url.endswith(".example"))


def _km(lon1, lat1, lon2, lat2):
    import math

    a = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_example_profile_locates_every_commune_in_the_loiret_near_orleans(profile):
    """Every commune has a sourced location (EPSG:4326) inside the Loiret, within 15 km of Orléans."""
    communes = [m for m in profile.members if m.kind == "commune"]
    locations = profile.locations()
    assert set(locations) == {m.insee for m in communes}
    for member in communes:
        lon, lat = member.location
        assert 1.5 <= lon <= 3.2 and 47.4 <= lat <= 48.4, member.name
        assert _km(lon, lat, 1.909, 47.90) < 15, member.name
        assert member.location_source.startswith("http"), member.name
    assert locations["45234"] == pytest.approx((1.90889, 47.9025))  # Orléans, 47° 54′ 09″ N 1° 54′ 32″ E
    assert profile.epci_member().location is None  # the EPCI is no point on the map


def test_semantic_checks_name_the_mistake(document):
    doc = copy.deepcopy(document)
    saran = next(m for m in doc["territory"]["members"] if m["id"] == "saran")
    saran["siren"] = "214503022"  # wrong Luhn key
    saran["organisations"]["portail-inconnu"] = "x"
    doc["territory"]["members"].append(dict(saran))  # duplicate id
    doc["defaults"]["licence"] = "WTFPL"
    doc["defaults"]["frequency_by_schema"]["etalab/schema-dae"] = "SOMETIMES"
    problems = sp.check_profile_document(doc)
    text = "\n".join(problems)
    assert "214503022 n'est pas un SIREN valide" in text
    assert "portail non déclaré ('portail-inconnu')" in text
    assert "identifiant 'saran' en double" in text
    assert "licence 'WTFPL' inconnue" in text
    assert "fréquence 'SOMETIMES' inconnue" in text
    with pytest.raises(sp.ProfileError, match="n'est pas valide"):
        sp.parse_profile(doc)


def test_commune_codes_checked_against_the_official_list(document):
    official = {m["insee"]: m["name"] for m in document["territory"]["members"] if m.get("insee")}
    assert sp.check_profile_document(document, official) == []
    doc = copy.deepcopy(document)
    saran = next(m for m in doc["territory"]["members"] if m["id"] == "saran")
    saran["insee"] = "45777"  # right shape, no such commune
    olivet = next(m for m in doc["territory"]["members"] if m["id"] == "olivet")
    olivet["insee"] = "45302"  # Saran's code under Olivet's name
    problems = "\n".join(sp.check_profile_document(doc, official))
    assert "45777 n'est pas dans la liste officielle" in problems
    assert "45302 est celui de Saran, pas de Olivet" in problems


def test_member_defaults_follow_the_profile(profile):
    saran = profile.member("saran")
    org = sp.organisation_profile(profile, saran)
    assert (org.organisation_name, org.organisation_siren, org.territory_code) == ("Saran", "214503021", "45302")
    # Saran has no contact of its own in the example: the metropolis' shared service answers
    assert org.contact_email == "opendata@orleans-metropole.example"
    description = DatasetDescription(title="Stationnement — Saran")
    description.schema.name = "etalab/schema-stationnement"
    description.publisher.name = "Mairie (tapé à la main)"
    filled = sp.apply_profile(description, profile, saran)
    assert filled.publisher.name == "Saran"  # locked by the profile: forced
    assert filled.producer.siren == "214503021"
    assert filled.licence == "etalab-2.0"
    assert filled.frequency == "MONTHLY"  # frequency per schema
    assert filled.identifier == "214503021-stationnement"
    assert [a.code for a in filled.spatial_coverage] == ["45302"]
    assert "Orléans Métropole" in filled.keywords and "Saran" in filled.keywords
    assert description.publisher.name == "Mairie (tapé à la main)"  # the original is not modified
    locked = sp.locked_fields(profile, saran)
    assert set(locked) == {"publisher", "producer", "contact", "licence"}


def test_epci_publisher_rule(document):
    document["defaults"]["publisher"] = "epci"
    profile = sp.parse_profile(document)
    org = sp.organisation_profile(profile, profile.member("saran"))
    assert org.organisation_name == "Orléans Métropole"
    assert org.territory_code == "45302"  # coverage stays the commune


def _codes(findings):
    return sorted(f.code for f in findings)


def test_rules_flag_title_identifier_schema_version_and_mandatory_fields(profile):
    saran = profile.member("saran")
    d = DatasetDescription(title="Parkings de la ville", description="x" * 100)
    d.schema.name, d.schema.version = "etalab/schema-stationnement", "0.1.4"
    d.identifier = "parkings-saran"
    findings = sp.check_description(d, profile, saran)
    codes = _codes(findings)
    assert "profile-title-convention" in codes
    assert "profile-identifier-convention" in codes
    assert "profile-schema-version" in codes
    missing = [f for f in findings if f.code == "profile-missing-field"]
    assert {f.field for f in missing} >= {"contact", "frequency", "eu_themes", "spatial_coverage"}
    title = next(f for f in findings if f.code == "profile-title-convention")
    assert title.severity == "error" and "Stationnement — Saran" in title.hint

    good = sp.apply_profile(d, profile, saran)
    good.title = "Stationnement - Saran"  # a plain hyphen typed on a keyboard is accepted
    good.identifier = "214503021-stationnement"
    good.schema.version = "0.1.5"
    good.eu_themes = ["TRAN"]
    assert sp.check_description(good, profile, saran) == []
    good.title = "Stationnement — Olivet"  # another member's name
    assert _codes(sp.check_description(good, profile, saran)) == ["profile-title-convention"]


def test_odbl_forbidden_by_profile(document):
    document["defaults"]["odbl_allowed"] = False
    profile = sp.parse_profile(document)
    d = DatasetDescription(title="Voirie — Saran", licence="ODbL-1.0")
    assert "profile-licence-not-allowed" in _codes(sp.check_description(d, profile, profile.member("saran")))


def test_connections_from_profile_carry_the_members_organisation_and_no_key(profile):
    connections = sp.profile_connections(profile, profile.member("saran"), {"data-gouv": "abc1234"})
    by_type = {c.portal_type: c for c in connections}
    assert by_type["opendatasoft"].organisation == "ville-saran"
    assert by_type["opendatasoft"].authcfg == ""
    assert by_type["udata"].authcfg == "abc1234"
    assert all("[profil]" in c.name for c in connections)


class _Fetcher:
    def __init__(self):
        self.answers = {}
        self.calls = []

    def __call__(self, url):
        self.calls.append(url)
        answer = self.answers[url]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_store_caches_and_keeps_the_last_good_profile(tmp_path, document):
    fetcher = _Fetcher()
    store = sp.ProfileStore(tmp_path, fetcher)
    url = "https://sig.example/profil.json"
    fetcher.answers[url] = json.dumps(document).encode("utf-8")
    first = store.load(url)
    assert first.ok and first.origin == "source" and first.message == ""
    assert (tmp_path / "profile" / "profile.json").is_file()

    fetcher.answers[url] = OSError("réseau coupé")
    offline = store.load(url)
    assert offline.ok and offline.origin == "cache"
    assert "n'a pas pu être relu" in offline.message and "réseau coupé" in offline.message
    assert "dernière version valide" in offline.message

    broken = copy.deepcopy(document)
    broken["territory"]["members"][0]["siren"] = "123"
    fetcher.answers[url] = json.dumps(broken).encode("utf-8")
    kept = store.load(url)
    assert kept.ok and kept.origin == "cache" and "n'est pas valide" in kept.message
    # the broken document did not replace the good copy
    assert json.loads((tmp_path / "profile" / "profile.json").read_text(encoding="utf-8")) == document

    fetcher.answers[url] = b"{ pas du json"
    assert "ligne 1, colonne 3" in store.load(url).message

    assert store.load(url, offline=True).origin == "cache"


def test_store_without_any_good_copy_says_why(tmp_path):
    fetcher = _Fetcher()
    fetcher.answers["p.json"] = b"[]"
    result = sp.ProfileStore(tmp_path, fetcher).load("p.json")
    assert not result.ok and "doit être un objet JSON" in result.message
    assert not sp.ProfileStore(tmp_path, fetcher).load("p.json", offline=True).ok
    assert sp.ProfileStore(tmp_path, fetcher).load("").message == ""


def test_commune_codes_checked_against_the_shipped_cog_list(document):
    official = sp.official_communes()
    assert official and "45302" in official and "75001" not in official  # 75001 is a postal code
    assert sp.check_profile_document(document, official) == []
    saran = next(m for m in document["territory"]["members"] if m["id"] == "saran")
    saran["insee"] = "75001"
    assert any("75001 n'est pas dans la liste officielle" in p for p in sp.check_profile_document(document, official))


def test_dashboard_takes_the_communes_organisations_from_the_profile(profile):
    from opendata_publisher.core.dashboard.members import mapping_from_profile
    from opendata_publisher.core.portals.base import PortalConnection

    metropole = PortalConnection("x", "opendatasoft", "https://data.orleans-metropole.example/")
    mapping = mapping_from_profile(profile, metropole)
    assert len(mapping) == 22 and mapping["45302"] == ["ville-saran"]
    other = PortalConnection("y", "udata", "https://demo.data.gouv.fr")
    assert mapping_from_profile(profile, other) is None

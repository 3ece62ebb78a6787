"""Legal detectors on synthetic data (pure Python: no QGIS needed)."""

from __future__ import annotations

import datetime
from collections import Counter

from opendata_publisher.core.legal import patterns as p
from opendata_publisher.core.legal.detectors import (
    A_VERIFIER,
    BLOQUANT,
    LEVEL_INFO,
    FieldProfile,
    LegalContext,
    MetadataTexts,
    classify_licence,
    run_detectors,
)

IBAN = "FR76 3000 6000 0112 3456 7890 189"


def synthetic_nir(body: str = "1850578006084") -> str:
    return body + f"{p.nir_key(body):02d}"


def ctx(fields, **kwargs) -> LegalContext:
    profiles = [FieldProfile(name, kind, Counter(values)) for name, kind, values in fields]
    return LegalContext(kwargs.pop("layer_name", "couche"), kwargs.pop("feature_count", 10), profiles, **kwargs)


def by_code(findings, code, field=None):
    return [f for f in findings if f.code == code and (field is None or f.field == field)]


def levels(findings, code, field=None):
    return {f.level for f in by_code(findings, code, field)}


def test_checksums_and_masks():
    nir = synthetic_nir()
    assert p.nir_key_ok(nir)
    assert not p.nir_key_ok(nir[:13] + f"{(int(nir[13:]) % 97) + 1:02d}")
    corsica = synthetic_nir("285052A006084")
    assert p.nir_key_ok(corsica) and "2A" in corsica
    assert p.iban_ok(IBAN)
    assert not p.iban_ok(IBAN.replace("189", "188"))
    assert p.mask_email("jean.exemple@orleans.fr") == "j***@o***.fr"
    assert p.mask_phone("0600000012") == "06 ** ** ** 12"


def test_person_names_block_and_examples_are_masked():
    found = run_detectors(ctx([("nom", "string", {"Jean Exemple": 2, "Marie Test": 1, "EXEMPLE Paul": 1})]))
    [finding] = by_code(found, "legal-person-name")
    assert finding.level == BLOQUANT and finding.severity == "error"
    assert finding.basis and "L312-1-2" in finding.basis
    assert finding.extra["count"] == 4
    assert finding.extra["examples"] == ["J*** E***", "M*** T***", "E*** P***"]
    assert "Jean" not in str(finding.to_dict())
    assert "Retirez" in finding.hint


def test_parking_place_names_are_not_person_names():
    values = {"REPUBLIQUE": 1, "Parking Jean Jaurès": 1, "Gare – Frise": 1, "Vallier": 1, "Place du Martroi": 1}
    found = run_detectors(ctx([("nom", "string", values), ("nb_places", "int", {120: 1, 3: 4})]))
    assert not by_code(found, "legal-person-name")
    assert not [f for f in found if f.level == BLOQUANT]


def test_places_named_after_saints_or_people_are_not_person_names():
    """stations-taxi: « Saint Jean », « Victor Hugo » beside « Place Victor Hugo » name places."""
    names = {"Saint Jean": 1, "Victor Hugo": 1, "Sainte Marie": 1, "Vallier": 1, "Joffre": 1, "Gare": 1}
    addresses = {"Avenue Saint Jean": 1, "Place Victor Hugo": 1, "Boulevard Maréchal Joffre": 1, "Rue de la Gare": 1}
    found = run_detectors(ctx([("nom", "string", names), ("adresse", "string", addresses)]))
    assert not by_code(found, "legal-person-name")
    # a person's name is still found when no place of the layer carries it
    persons = {"Jean Exemple": 1, "Marie Test": 1, "Victor Hugo": 1}
    found = run_detectors(ctx([("nom", "string", persons), ("adresse", "string", {"Place Victor Hugo": 1})]))
    assert levels(found, "legal-person-name", "nom") == {BLOQUANT}
    assert by_code(found, "legal-person-name", "nom")[0].extra["distinct"] == 2


def test_first_name_column_blocks_and_family_names_beside_it():
    found = run_detectors(ctx([("prenom", "string", {"Jean": 1, "Marie": 1}), ("nom", "string", {"EXEMPLE": 2})]))
    assert levels(found, "legal-person-name", "prenom") == {BLOQUANT}
    assert levels(found, "legal-person-name", "nom") == {BLOQUANT}


def test_emails_generic_are_info_personal_need_check():
    generic = run_detectors(ctx([("courriel", "string", {"contact@exemple.fr": 3, "mairie@exemple.fr": 1})]))
    assert levels(generic, "legal-email") == {LEVEL_INFO}
    personal = run_detectors(ctx([("courriel", "string", {"jean.exemple@exemple.fr": 1, "contact@exemple.fr": 1})]))
    [finding] = by_code(personal, "legal-email")
    assert finding.level == A_VERIFIER
    assert finding.extra["examples"] == ["j***@e***.fr"]
    assert not by_code(run_detectors(ctx([("courriel", "string", {"pas une adresse": 1})])), "legal-email")


def test_mobiles_stronger_than_landlines():
    mobile = run_detectors(ctx([("tel", "string", {"06 00 00 00 01": 1, "02 38 00 00 00": 1})]))
    assert levels(mobile, "legal-phone") == {A_VERIFIER}
    assert by_code(mobile, "legal-phone")[0].extra["examples"] == ["06 ** ** ** 01"]
    landline = run_detectors(ctx([("tel", "string", {"+33 2 38 00 00 00": 1})]))
    assert levels(landline, "legal-phone") == {LEVEL_INFO}
    assert not by_code(run_detectors(ctx([("tel", "string", {"111111111": 1})])), "legal-phone")


def test_nir_blocks_only_with_a_right_key():
    nir = synthetic_nir()
    assert levels(run_detectors(ctx([("numero", "string", {nir: 1})])), "legal-nir") == {BLOQUANT}
    wrong = nir[:13] + ("00" if nir[13:] != "00" else "01")
    assert not by_code(run_detectors(ctx([("numero", "string", {wrong: 1})])), "legal-nir")
    assert levels(run_detectors(ctx([("nir", "string", {wrong: 1})])), "legal-nir") == {A_VERIFIER}
    # SIRET (14 digits) never looks like a NIR
    assert not by_code(run_detectors(ctx([("siret", "string", {"21920044100018": 1})])), "legal-nir")


def test_iban_blocks_only_with_a_right_checksum():
    assert levels(run_detectors(ctx([("compte", "string", {IBAN: 1})])), "legal-iban") == {BLOQUANT}
    assert not by_code(run_detectors(ctx([("compte", "string", {IBAN.replace("189", "188"): 1})])), "legal-iban")


def test_birth_dates_and_dwelling_points():
    fields = [("nom", "string", {"Jean Exemple": 1}), ("date_naiss", "date", {datetime.date(1980, 1, 2): 1})]
    found = run_detectors(ctx(fields, geometry="point"))
    [birth] = by_code(found, "legal-birth-date")
    assert birth.level == A_VERIFIER and birth.extra["examples"] == ["1980-**-**"]
    assert levels(found, "legal-dwelling-points") == {A_VERIFIER}
    silent = run_detectors(ctx([("date_maj", "date", {datetime.date(2024, 1, 2): 1})], geometry="point"))
    assert not by_code(silent, "legal-birth-date") and not by_code(silent, "legal-dwelling-points")
    # the same persons in a polygon layer: no dwelling-point finding
    assert not by_code(run_detectors(ctx(fields, geometry="polygon")), "legal-dwelling-points")


def test_cadastre_owner_blocks_natural_persons_only():
    parcels = ("idu", "string", {"45234000AB0012": 1, "45234000AB0013": 1})
    natural = run_detectors(ctx([parcels, ("proprietaire", "string", {"EXEMPLE/JEAN": 1, "Marie Test": 1})]))
    assert levels(natural, "legal-cadastre-owner") == {BLOQUANT}
    legal = run_detectors(ctx([parcels, ("proprietaire", "string", {"Commune de Test": 1, "SCI Exemple": 1})]))
    assert levels(legal, "legal-cadastre-owner") == {LEVEL_INFO}
    no_parcel = run_detectors(ctx([("proprietaire", "string", {"Ville de Test": 1})]))
    assert not by_code(no_parcel, "legal-cadastre-owner")


def test_small_counts_need_fine_granularity():
    fields = [("code_iris", "string", {"452340101": 3}), ("nb_enfants", "int", {2: 1, 30: 2})]
    assert levels(run_detectors(ctx(fields)), "legal-small-counts") == {A_VERIFIER}
    coarse = [("commune", "string", {"Test": 3}), ("nb_enfants", "int", {2: 1, 30: 2})]
    assert not by_code(run_detectors(ctx(coarse)), "legal-small-counts")
    places = [("code_iris", "string", {"452340101": 3}), ("nb_places", "int", {2: 1})]
    assert not by_code(run_detectors(ctx(places)), "legal-small-counts")


def test_free_text_only_when_long():
    long_text = "Le riverain s'est plaint plusieurs fois du bruit et a demandé un rendez-vous avec le service."
    assert levels(run_detectors(ctx([("observation", "string", {long_text * 2: 1})])), "legal-free-text") == {
        A_VERIFIER
    }
    assert not by_code(run_detectors(ctx([("commentaire", "string", {"ok": 4})])), "legal-free-text")


def test_special_categories_block_with_persons():
    with_persons = run_detectors(ctx([("nom", "string", {"Jean Exemple": 1}), ("pathologie", "string", {"x": 1})]))
    assert levels(with_persons, "legal-special-category") == {BLOQUANT}
    alone = run_detectors(ctx([("infraction", "string", {"stationnement": 1})]))
    assert levels(alone, "legal-special-category") == {A_VERIFIER}
    parking = run_detectors(ctx([("acces_handicape", "string", {"oui": 1})]))
    assert not by_code(parking, "legal-special-category")


def test_security_third_party_licence_format():
    found = run_detectors(ctx([("id", "string", {"1": 1})], layer_name="vannes_reseau_gaz"))
    assert levels(found, "legal-security-sensitive") == {A_VERIFIER}
    trees = run_detectors(ctx([("id", "string", {"1": 1})], layer_name="arbres"))
    assert not by_code(trees, "legal-security-sensitive")

    osm = MetadataTexts(history=["Extrait d'OpenStreetMap le 2024-01-01"], licenses=["Licence Ouverte 2.0"])
    found = run_detectors(ctx([("id", "string", {"1": 1})], metadata=osm))
    assert levels(found, "legal-third-party-source") == {A_VERIFIER}
    assert levels(found, "legal-licence") == {BLOQUANT}
    odbl = MetadataTexts(history=["Extrait d'OpenStreetMap"], licenses=["ODbL 1.0"])
    assert not [f for f in run_detectors(ctx([], metadata=odbl)) if f.code == "legal-licence" and f.level != "INFO"]
    clean = MetadataTexts(licenses=["etalab-2.0"], attribution="Orléans Métropole")
    found = run_detectors(ctx([("id", "string", {"1": 1})], metadata=clean, source="/data/arbres.gpkg|layername=a"))
    assert not by_code(found, "legal-third-party-source") and not by_code(found, "legal-licence")
    assert not by_code(found, "legal-closed-format")
    assert levels(run_detectors(ctx([], source="/data/liste.xlsx|layername=Feuil1")), "legal-closed-format") == {
        LEVEL_INFO
    }
    assert classify_licence("CC-BY 4.0") == "other"
    assert levels(run_detectors(ctx([], metadata=MetadataTexts(licenses=["CC-BY 4.0"]))), "legal-licence") == {
        A_VERIFIER
    }


def test_every_finding_has_level_basis_message_hint():
    fields = [("nom", "string", {"Jean Exemple": 1}), ("courriel", "string", {"j.exemple@exemple.fr": 1})]
    for finding in run_detectors(ctx(fields, geometry="point")):
        data = finding.to_dict()
        assert data["level"] in (BLOQUANT, A_VERIFIER, LEVEL_INFO)
        assert data["basis"] and data["message"] and data["hint"]


def test_a_sampled_field_says_its_numbers_are_estimated_and_keeps_its_formulas_exact():
    """A profile past the cap of distinct values: the detectors read its sample like exact values, the findings
    say in French that they are estimated; formulas come from the exact list kept over every row."""
    sample = Counter({f"agent{i}@exemple.fr": 40 for i in range(50)})
    sampled = FieldProfile(
        "courriel", "string", sample, sample_rows=50, distinct_over=20000, shapes_over=frozenset({"email"})
    )
    formulas = Counter({"=1+1": 1})
    remarks = FieldProfile("remarque", "string", Counter({"RAS": 2000}), 50, 20000, formulas)
    findings = run_detectors(LegalContext("couche", 2000, [sampled, remarks]))
    email = by_code(findings, "legal-email", "courriel")[0]
    assert email.level == A_VERIFIER and email.extra["estimated"] and email.extra["sample_rows"] == 50
    assert email.message.endswith(
        "Chiffres estimés sur un échantillon de 50 entités sur 2000 (le champ compte plus de 20000 valeurs "
        "distinctes ; les valeurs distinctes citées sont celles de l'échantillon). Toutes les entités ont été "
        "lues : le champ compte plus de 20000 valeurs différentes de cette forme, l'échantillon les représente."
    )
    formula = by_code(findings, "legal-formula", "remarque")[0]
    assert formula.extra["count"] == 1 and "estimated" not in formula.extra and "estimés" not in formula.message
    exact = run_detectors(ctx([("courriel", "string", sample)]))
    assert not any(f.extra.get("estimated") or "estimés" in f.message for f in exact)


def test_a_sampled_field_reads_its_rare_shaped_values_from_every_row():
    """The e-mails, phones, NIR and IBAN of a sampled field come from the exact lists kept over every row: a rare
    one missed by the sample is found with its exact count, and not said estimated; a field with no such value
    in any row has no finding even when its sample would (the sample is not read for these shapes)."""
    body = "1850578006084"
    nir = body + f"{p.nir_key(body):02d}"
    sample = Counter({f"REF-{i}": 40 for i in range(50)})
    shapes = {"nir": Counter({nir: 1}), "iban": Counter({IBAN: 1}), "email": Counter({"jean.exemple@exemple.fr": 1})}
    ref = FieldProfile("ref", "string", sample, 50, 20000, shapes=shapes)
    empty = FieldProfile("autre", "string", Counter({"06 00 00 00 01": 2000}), 50, 20000)
    findings = run_detectors(LegalContext("couche", 2000, [ref, empty]))
    for code, level in (("legal-nir", BLOQUANT), ("legal-iban", BLOQUANT), ("legal-email", A_VERIFIER)):
        finding = by_code(findings, code, "ref")[0]
        assert finding.level == level and finding.extra["count"] == 1, code
        assert (
            "estimated" not in finding.extra and "every_row" not in finding.extra and "estimés" not in finding.message
        )
    assert not by_code(findings, "legal-phone", "autre")

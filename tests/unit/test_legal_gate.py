"""The legal gate and the checklist decision path (pure Python)."""

from __future__ import annotations

from opendata_publisher.core.checks.registry import describe
from opendata_publisher.core.legal.checklist import NO, YES, Checklist
from opendata_publisher.core.legal.detectors import A_VERIFIER, BLOQUANT, LEVEL_INFO, make_finding
from opendata_publisher.core.legal.gate import ack_key, legal_gate
from opendata_publisher.core.legal.report import FINDING_KEYS, LegalReport


def f(code, level, field=None):
    return make_finding(code, level, f"message {code}", "que faire", "base", field)


def test_blocking_cannot_be_acknowledged():
    nir = f("legal-nir", BLOQUANT, "nir")
    result = legal_gate([nir], [ack_key(nir)])
    assert result.blocked and not result.ok
    assert result.status_text().startswith("Publication bloquée : ")


def test_warnings_need_acknowledgement():
    email, info = f("legal-email", A_VERIFIER, "courriel"), f("legal-licence", LEVEL_INFO)
    result = legal_gate([email, info], [])
    assert not result.blocked and result.needs_ack == [email]
    assert result.status_text().startswith("À vérifier : cochez pour confirmer")
    done = legal_gate([email, info], {"legal-email|courriel"})
    assert done.ok and done.acknowledged == [email]
    assert done.status_text() == "Aucun obstacle juridique détecté."
    # an acknowledgement of another field does not count
    assert legal_gate([email], {"legal-email|autre"}).needs_ack == [email]


def test_d312_exemption_turns_person_names_into_a_check_but_not_nir():
    names, nir = f("legal-person-name", BLOQUANT, "nom"), f("legal-nir", BLOQUANT, "nir")
    exempt = Checklist({"exemption": "politique"})
    result = legal_gate([names], [], exempt)
    assert not result.blocked and result.needs_ack == [names]
    assert legal_gate([names, nir], [ack_key(names)], exempt).blocked
    assert legal_gate([names], [], Checklist({"exemption": "none"})).blocked
    # a checklist that declares a legal secret never lifts a BLOQUANT, even with a D312-1-3 category
    assert legal_gate([names], [ack_key(names)], Checklist({"legal_secret": YES, "exemption": "politique"})).blocked
    assert legal_gate([names], [], {"legal_secret": YES, "exemption": "politique"}).blocked


def test_checklist_decision_path_and_history_line():
    assert Checklist({"achieved": NO}).outcome()[0] == "not-required"
    assert Checklist({"achieved": YES, "legal_secret": YES}).outcome()[0] == "do-not-publish"
    assert Checklist({"achieved": YES, "legal_secret": NO, "personal_data": NO}).outcome()[0] == "publish"
    base = {"achieved": YES, "legal_secret": NO, "personal_data": YES}
    assert Checklist({**base, "exemption": "urbanisme"}).outcome()[0] == "publish-exempt"
    assert Checklist({**base, "exemption": "none", "anonymisable": YES}).outcome()[0] == "publish-anonymised"
    assert Checklist({**base, "anonymisable": NO}).outcome()[0] == "not-required"
    assert Checklist({}).outcome()[0] == "incomplete"
    item = Checklist({**base, "anonymisable": YES}, user="Jean Dupont", date="2026-11-27T10:00")
    line = item.history_line()
    prefix = "[opendata_publisher:legal-checklist] 2026-11-27T10:00 — Jean Dupont — "
    assert line.startswith(prefix + "document achevé : oui")
    again = Checklist.from_json(item.to_json())
    assert again.answers == item.answers and again.user == "Jean Dupont"
    assert Checklist.from_json("pas du json") is None


def test_report_shape_and_registry():
    report = LegalReport("couche", 3, [f("legal-nir", BLOQUANT, "nir"), f("legal-email", A_VERIFIER, "mail")])
    data = report.to_dict()
    assert data["blocking_count"] == 1 and data["warning_count"] == 1 and data["valid"] is False
    assert data["layer"] == {"name": "couche", "feature_count": 3}
    assert all(tuple(item) == FINDING_KEYS for item in data["findings"])
    assert data["findings"][0]["level"] == BLOQUANT
    for code in ("legal-person-name", "legal-nir", "legal-iban", "legal-cadastre-owner", "legal-closed-format"):
        assert describe(code).family == "legal"

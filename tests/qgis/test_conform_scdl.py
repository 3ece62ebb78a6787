"""The schemas' invalid examples of ../shared/scdl, read as layers, converted and checked again.

After the conversion (the safe fixes, plus the identifiers for stationnement), what remains is only
what no machine can decide. Each remaining error is listed per file below, with the reason; the
wrong SIRET keys (code ``siret``) are only counted. ``FIXED`` lists, per file, findings that the
source has and the converted layer must not have any more.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opendata_publisher.core.conform.fixes import SAFE_FIX_IDS
from opendata_publisher.core.conform.model import ConformOptions
from opendata_publisher.core.conform.output import memory_layer
from opendata_publisher.core.conform.pipeline import ListSink, convert
from opendata_publisher.core.reader import LayerInput
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.core.validation import validate_layer

from ..conftest import SCDL_DIR
from .test_frictionless_agreement import open_csv_layer

_DAE_PHONES = {
    # one digit too many: which one to drop cannot be decided
    ("expt_tel1", "constraint-error/pattern", "+3310203040506"),
    ("expt_tel2", "constraint-error/pattern", "+3310203040506"),
    ("tel1", "constraint-error/pattern", "+3310203040506"),
    ("tel2", "constraint-error/pattern", "+3310203040506"),
}
_SUBVENTIONS = {
    ("datesPeriodeVersement", "constraint-error/pattern", "2017-06-27_2018-06-27"),  # unknown separator « _ »
    ("idAttribuant", "constraint-error/pattern", "218601946"),  # a SIREN where a SIRET is due
    ("idBeneficiaire", "one-of-required", None),  # neither SIRET nor RNA number: information missing
    ("montant", "constraint-error/required", None),  # amount missing
    ("pourcentageSubvention", "constraint-error/maximum", 80.0),  # 80 % or 0.80? a person must say
    ("pourcentageSubvention", "constraint-error/maximum", 100.0),
    ("rnaBeneficiaire", "constraint-error/pattern", "W1234567"),  # RNA numbers missing digits
    ("rnaBeneficiaire", "constraint-error/pattern", "W12455"),
    ("rnaBeneficiaire", "constraint-error/pattern", "W3222"),
}

# (field, code, value) of every error left, wrong SIRET keys aside (counted in SIRET_LEFT)
REMAINING = {
    "dae/1.0.0/exemple_invalide.csv": _DAE_PHONES
    | {
        ("acc_lib", "type-error", "ouie"),  # « ouie »: oui? a typo of something else? not decided
        ("com_cp", "constraint-error/pattern", "753500"),  # six digits
        ("disp_h", "constraint-error/pattern", "heure ouvrable"),  # near « heures ouvrables », but a guess
        ("disp_h", "constraint-error/pattern", "mercredi"),  # a day in the hours field
        ("disp_h", "constraint-error/pattern", "test"),
        ("disp_j", "constraint-error/pattern", "vendredidimanche"),
        ("dtpr_bat", "type-error", "2019-13-30"),  # month 13
        ("lat_coor1", "constraint-error/maximum", 148.8521329),  # 148°: not even reversed
        ("long_coor1", "french-gps-coordinates", "2.3068453, 148.8521329"),
        ("photo1", "constraint-error/pattern", "http://www.monsite.com/monimage.bmp"),  # not an allowed image type
        ("photo1", "constraint-error/pattern", "http://www.monsite.com/monimage.txt"),
        ("photo2", "constraint-error/pattern", "htp://www.monsite.com/monimage.jpg"),  # typo in the protocol
        ("site_email", "type-error", "p.nom@@domaine.fr"),
        ("tel1", "constraint-error/pattern", "010203040506"),  # 12 digits
        ("tel2", "constraint-error/pattern", "010203040506"),
    },
    "dae/1.0.0/exemple_invalide_complet.csv": {
        ("acc_acc", "type-error", "ouie"),
        ("acc_lib", "type-error", "ouie"),
        ("acc_pcsec", "type-error", "ouie"),
        ("com_cp", "constraint-error/pattern", "753500"),
        ("com_insee", "constraint-error/pattern", "750560"),
        ("disp_h", "constraint-error/pattern", "24h24"),
        ("dtpr_bat", "type-error", "2019-09-300"),
        ("dtpr_lcad", "type-error", "2019-09-300"),
        ("dtpr_lcped", "type-error", "2019-09-300"),
        ("etat_fonct", "constraint-error/enum", "Enn fonctionnement"),  # a typo, not a case difference
        ("expt_email", "type-error", "p.nom@@exemple.com"),
        ("expt_tel1", "constraint-error/pattern", "+331020304005"),
        ("expt_tel2", "constraint-error/pattern", "+331020304005"),
        ("lat_coor1", "constraint-error/maximum", 148.8521329),
        ("long_coor1", "constraint-error/maximum", 292.3068453),
        ("long_coor1", "french-gps-coordinates", "292.3068453, 148.8521329"),
        ("nom", "constraint-error/required", None),
        ("photo2", "constraint-error/pattern", "http://www.monsite.com/monimage2.jpg.txt"),
        ("site_email", "type-error", "p.nom@@domaine.fr"),
        ("tel1", "constraint-error/pattern", "+331020304056"),
        ("tel2", "constraint-error/pattern", "+331020304056"),
    },
    # « lat_coor12 » is not a near match of « lat_coor1 »: the agent must say it in the mapping
    "dae/1.0.0/exemple_invalide_structure.csv": {("lat_coor1", "constraint-error/required", None)},
    # « true »/« false » are not opening hours: what the hours are is unknown
    "lieux-covoiturage/0.3.0/exemple-invalide.csv": {
        ("horaires", "opening-hours-value", "false"),
        ("horaires", "opening-hours-value", "true"),
    },
    "stationnement/0.1.5/exemple-invalide.csv": {("tarif_pmr", "constraint-error/enum", "inconnu")},
    "stations-taxi/0.1.2/exemple-non-valide.csv": set(),
    "subventions/2.1.1/exemple_invalide_erreurs_cellules.csv": _SUBVENTIONS,
    "subventions/2.1.1/exemple_invalide_erreurs_colonnes.csv": _SUBVENTIONS,
}
SIRET_LEFT = {
    "stationnement/0.1.5/exemple-invalide.csv": 1,
    "subventions/2.1.1/exemple_invalide_erreurs_cellules.csv": 49,
    "subventions/2.1.1/exemple_invalide_erreurs_colonnes.csv": 49,
}
# (field, full code) found in the source and gone after the conversion
FIXED = {
    "dae/1.0.0/exemple_invalide.csv": {
        ("acc", "constraint-error/enum"),  # intérieur → Intérieur
        ("acc_acc", "type-error"),  # true → oui
        ("disp_j", "constraint-error/pattern"),  # « mardi, mercredi » → mardi|mercredi (one row; another stays)
    },
    "dae/1.0.0/exemple_invalide_structure.csv": {("adr_cp", "extra-label"), ("expt_insee", "extra-label")},
    "lieux-covoiturage/0.3.0/exemple-invalide.csv": {
        ("date_maj", "type-error"),  # 24-06-2019 → 2019-06-24
        ("Xlong", "reversed-french-gps-coordinates"),
    },
    "stationnement/0.1.5/exemple-invalide.csv": {("id", "constraint-error/pattern")},  # P-001 → 75114-P-001
    "stations-taxi/0.1.2/exemple-non-valide.csv": {
        ("no_appel", "phone-number-value"),  # 476544254 → 0476544254
        ("Identifiant interne", "extra-label"),
        ("Code administratif", "extra-label"),
    },
    "subventions/2.1.1/exemple_invalide_erreurs_cellules.csv": {
        ("dateConvention", "type-error"),
        ("montant", "type-error"),
        ("notificationUE", "type-error"),
        ("nature", "constraint-error/enum"),
    },
    "subventions/2.1.1/exemple_invalide_erreurs_colonnes.csv": {
        ("nomBeneficiaire", "missing-label"),  # NOM_Beneficiaire → nomBeneficiaire
        ("NOM_Beneficiaire", "extra-label"),
        ("pourcentageSubvention", "type-error"),  # 0,5 → 0.5
    },
}

FILES = sorted(REMAINING)


def _plain(value):
    return str(value) if hasattr(value, "isoformat") else value


@pytest.mark.parametrize("relative", FILES)
def test_invalid_example_converted_and_checked_again(relative, scdl_dir):
    path = SCDL_DIR / relative
    schema = parse_schema(json.loads((path.parent / "schema.json").read_text(encoding="utf-8")), str(path))
    layer = open_csv_layer(path)
    before = validate_layer(layer, schema)
    source_values = [f.attributes() for f in layer.getFeatures()]
    holder = {}

    def factory(fields, wkb_type, crs):
        holder["sink"] = ListSink(fields, wkb_type, crs)
        return holder["sink"]

    fixes = list(SAFE_FIX_IDS) + ["identifiers"]
    analysis = convert(LayerInput.from_layer(layer), schema, ConformOptions(fixes=fixes), factory)
    converted = memory_layer(holder["sink"], "converted")
    assert converted.featureCount() == layer.featureCount()
    assert [f.name() for f in converted.fields()] == schema.field_names()
    after = validate_layer(converted, schema)

    errors = {(f.field, f.full_code, _plain(f.value)) for f in after.findings if f.severity == "error"}
    siret = [f for f in after.findings if f.code == "siret"]
    assert {e for e in errors if e[1] != "siret"} == REMAINING[relative]
    assert len(siret) == SIRET_LEFT.get(relative, 0)
    # the schema's own rules that cannot be applied (schema-warning) stay: they are about the schema
    layer_warnings = [f for f in after.findings if f.severity == "warning" and f.code != "schema-warning"]
    assert not layer_warnings, "structure warnings must be gone"

    had = {(f.field, f.full_code) for f in before.findings}
    has = {(f.field, f.full_code, _plain(f.value)) for f in after.findings}
    for field_name, code in FIXED.get(relative, set()):
        assert (field_name, code) in had, f"the source should have {code} on {field_name}"
        if code == "constraint-error/pattern" and field_name == "disp_j":
            assert not any(h[:2] == (field_name, code) and "," in str(h[2]) for h in has)
        else:
            assert not any(h[:2] == (field_name, code) for h in has), f"{code} on {field_name} is still there"
    assert analysis.fixed_count > 0 or relative.startswith("dae/1.0.0/exemple_invalide_structure")
    # the source layer is untouched
    assert [f.attributes() for f in layer.getFeatures()] == source_values
    assert Path(path).is_file()

"""What the conversion dialog suggests before anything is converted: the preview of every fix the layer
offers (:func:`analyse`, counted with examples « avant → après », nothing written), the fields that usually
hold the same value on every row (the organisation's name, SIREN or SIRET) and the values the organisation
profile gives them."""

from __future__ import annotations

from typing import Dict, Optional

from ...toolbelt.settings import PluginSettings
from ..mapping import normalise_name
from ..reader import LayerInput
from ..schema.model import TableSchema
from . import fixes as fx
from .model import ConformAnalysis, ConformOptions
from .pipeline import Conformer, new_analysis

_ROLE_WORDS = (
    "attribuant",
    "producteur",
    "gestionnaire",
    "exploitant",
    "organisme",
    "collectivite",
    "publicateur",
    "diffuseur",
    "responsable",
)


def organisation_profile(settings=None) -> Dict[str, str]:
    """The organisation profile of the plugin settings (name, SIREN, SIRET)."""
    if settings is None:
        settings = PluginSettings.load()
    return {
        "organisation_name": (settings.organisation_name or "").strip(),
        "organisation_siren": (settings.organisation_siren or "").strip(),
        "organisation_siret": (settings.organisation_siret or "").strip(),
    }


PROFILE_LABELS = {
    "organisation_name": "nom de l'organisation",
    "organisation_siren": "SIREN de l'organisation",
    "organisation_siret": "SIRET de l'organisation",
}


def constant_candidates(schema: TableSchema) -> Dict[str, str]:
    """Schema fields that usually hold the same value on every row: schema field -> profile key."""
    result: Dict[str, str] = {}
    for descriptor in schema.fields:
        if descriptor.type not in ("string", "any"):
            continue
        key = normalise_name(descriptor.name)
        pattern = str(descriptor.constraints.get("pattern") or "")
        siret = "siret" in key or r"\d{14}" in pattern
        siren = "siren" in key or r"\d{9}" in pattern
        if any(word in key for word in _ROLE_WORDS):
            if siret:
                result[descriptor.name] = "organisation_siret"
            elif siren:
                result[descriptor.name] = "organisation_siren"
            elif key.startswith("nom") or "raison" in key or key.endswith("nom"):
                result[descriptor.name] = "organisation_name"
        elif key in ("siret", "numsiret", "codesiret"):
            result[descriptor.name] = "organisation_siret"
        elif key in ("siren", "numsiren", "codesiren"):
            result[descriptor.name] = "organisation_siren"
    return result


def suggest_constants(schema: TableSchema, profile: Dict[str, str]) -> Dict[str, str]:
    """schema field -> value from the organisation profile (only the profile values that are set)."""
    return {name: profile[key] for name, key in constant_candidates(schema).items() if (profile.get(key) or "").strip()}


def analyse(
    layer_input: LayerInput, schema: TableSchema, options: Optional[ConformOptions] = None, feedback=None
) -> ConformAnalysis:
    """The preview: every fix the layer needs, counted with examples, nothing written.

    Fixes are counted as if all available fixes were ticked (``options.fixes``
    is ignored), so the agent sees what each one would change; ``enabled``
    lists the ones ticked by default.
    """
    options = options or ConformOptions()
    default = Conformer(layer_input, schema, options)
    everything = ConformOptions(fixes=list(default.available), mapping=options.mapping, constants=options.constants)
    conformer = Conformer(layer_input, schema, everything)
    analysis = new_analysis(conformer)
    analysis.enabled = [f for f in fx.FIX_IDS if f in default.enabled]
    analysis.suggested = dict(conformer.suggested)
    for name, value in conformer.constants.items():
        plan = conformer.plan_by_name[name]
        if not plan.ok(value):
            problems = plan.checker.check(value)
            analysis.constant_problems[name] = problems[0].message if problems else "valeur refusée par le schéma"
    conformer.run(analysis, feedback=feedback)
    return analysis

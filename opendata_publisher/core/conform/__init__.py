"""Make a layer conform to a Table Schema: mechanical fixes per finding code, a preview, and the
conversion to a NEW layer (the source is never modified).

* :mod:`.values` — pure-Python repairs of one value (French dates, decimal commas, oui/non…);
* :mod:`.fixes` — the fixes as data (id, French title, finding codes, default);
* :mod:`.steps` — each fix's steps as specs (when it applies, its repair): the one registry;
* :mod:`.model` — what a conversion is asked (options) and what it found or did (stats, analysis);
* :mod:`.pipeline` — :func:`convert`, the pipeline that writes the conforming layer (needs QGIS);
* :mod:`.suggestions` — what the dialog suggests: :func:`analyse` (preview) and the constant fields;
* :mod:`.output` — memory/GeoPackage layer, metadata history, layer tree (needs QGIS).
"""

from .fixes import FIX_IDS, FIXES, SAFE_FIX_IDS, FixInfo, fix_info, fixes_for_code, has_remedy, parse_fix_ids

__all__ = [
    "FIXES",
    "FIX_IDS",
    "SAFE_FIX_IDS",
    "FixInfo",
    "fix_info",
    "fixes_for_code",
    "has_remedy",
    "parse_fix_ids",
]

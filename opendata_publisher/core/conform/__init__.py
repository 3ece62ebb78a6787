"""Make a layer conform to a Table Schema: mechanical fixes per finding code, a preview, and the
conversion to a NEW layer (the source is never modified).

* :mod:`.values` — pure-Python repairs of one value (French dates, decimal commas, oui/non…);
* :mod:`.fixes` — the fixes as data (id, French title, finding codes, default);
* :mod:`.engine` — :func:`analyse` (preview) and :func:`convert` (needs QGIS);
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

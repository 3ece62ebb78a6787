"""Small text helpers shared by the portals, the publication folder and the layer storage."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Dict, List


def ascii_slug(text: str, max_length: int = 80, keep: str = "") -> str:
    """``"Parkings d'Orléans 2024"`` → ``"parkings-d-orleans-2024"``: lower-case ASCII letters and digits,
    any other run of characters (but those in ``keep``) becoming one hyphen; empty when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(f"[^a-z0-9{re.escape(keep)}]+", "-", ascii_text).strip("-" + keep)
    return slug[:max_length].rstrip("-" + keep)


def json_list_property(layer, key: str) -> List[Dict[str, Any]]:
    """The list of JSON objects stored in a layer's custom property (empty when absent or unreadable)."""
    raw = layer.customProperty(key, "")
    if not raw:
        return []
    try:
        data = json.loads(str(raw))
    except ValueError:
        return []
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []

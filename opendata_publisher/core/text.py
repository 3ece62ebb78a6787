"""Small text helpers shared by the portals, the publication folder and the layer storage."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Dict, List


def fold(text: Any, ascii_only: bool = False) -> str:
    """The plugin's one case- and accent-insensitive form of a text, for comparing, sorting and searching:
    « Prénom  Nom » → « prenom nom » (no accents, case folded, single spaces, no space at either end).

    ``ascii_only``: characters without an ASCII form once their accents are gone (« œ », « ß », « ø ») are
    dropped, for slugs and keys that must stay plain ASCII.
    """
    decomposed = unicodedata.normalize("NFKD", "" if text is None else str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if ascii_only:
        plain = plain.encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.casefold().split())


def fold_words(text: Any) -> str:
    """:func:`fold` to ASCII with every run of other characters than letters and digits as one space:
    « Licence Ouverte / Open Licence v2.0 » → « licence ouverte open licence v2 0 »."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text, ascii_only=True)).strip()


def ascii_slug(text: str, max_length: int = 80, keep: str = "") -> str:
    """``"Parkings d'Orléans 2024"`` → ``"parkings-d-orleans-2024"``: lower-case ASCII letters and digits,
    any other run of characters (but those in ``keep``) becoming one hyphen; empty when nothing is left."""
    ascii_text = fold(text, ascii_only=True)
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

"""One home per idea (issue 16, item 2): the text folding, what the plugin stores on a layer, the schema
references. These tests read the plugin's source: a second definition appearing anywhere fails them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from opendata_publisher.core.text import ascii_slug, fold, fold_words

PACKAGE = Path(__file__).resolve().parents[2] / "opendata_publisher"


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- fold


def test_fold_is_what_every_search_and_comparison_of_the_plugin_shares():
    assert fold("  Prénom\u00a0 NOM ") == "prenom nom"
    assert fold("Documents  d’Urbanisme") == fold("documents d’urbanisme")
    assert fold("Cœur") == "cœur" and fold("Straße") == "strasse"
    assert fold(None) == "" and fold(12) == "12"
    assert fold("Cœur de Ville", ascii_only=True) == "cur de ville"
    assert fold_words("Licence Ouverte / Open Licence v2.0") == "licence ouverte open licence v2 0"
    assert ascii_slug("Parkings d'Orléans 2024") == "parkings-d-orleans-2024"


def test_the_unicode_folding_is_written_once():
    """NFKD/NFD decomposition with the accents dropped lives in core/text.py only; nothing else defines a fold."""
    decomposition = re.compile(r"unicodedata\.normalize\(\s*[\"']NFK?D[\"']|unicodedata\.combining|!= [\"']Mn[\"']")
    copies = []
    for name, text in _sources():
        if name == "core/text.py":
            continue
        copies += [f"{name}: {m.group(0)}" for m in decomposition.finditer(text)]
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.Lambda)) and getattr(node, "name", "").strip("_") == "fold":
                copies.append(f"{name}: def {node.name}")
    assert copies == [], "use opendata_publisher.core.text.fold: " + ", ".join(copies)

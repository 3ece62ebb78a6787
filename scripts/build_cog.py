"""Build the compact list of French commune codes and postal codes the plugin ships (offline checks).

Input: Etalab's ``@etalab/decoupage-administratif`` ``communes.json`` (as stored in
``../shared/vocabularies/cog-communes.json``, or the package's own file). Output: a small text file,
one line per département: ``<dept> <code> <code> …`` for the INSEE codes, then ``CP <postal codes…>``.

Kept: every entry of the official geographic code in mainland France and the overseas départements
(current, delegated and associated communes, municipal arrondissements of Paris, Lyon and Marseille) —
the codes Validata's ``code-commune-insee`` check accepts. Overseas collectivities (Saint-Barthélemy
97701, French Polynesia 987xx, New Caledonia 988xx…) are not in INSEE's commune list: left out.

Usage: ``python scripts/build_cog.py [communes.json] [output]`` (``make cog``).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT.parent / "shared" / "vocabularies" / "cog-communes.json"
DEFAULT_OUTPUT = ROOT / "opendata_publisher" / "resources" / "cog_communes.txt"
ZONES = ("metro", "drom")


def build(data, source: str) -> str:
    entries = data["communes"] if isinstance(data, dict) else data
    by_department = defaultdict(set)
    postal = set()
    for entry in entries:
        for code in entry.get("codesPostaux", []) or []:
            postal.add(code)
        if entry.get("zone") not in ZONES:
            continue
        code = entry["code"]
        department = code[:3] if code.startswith("97") else code[:2]
        by_department[department].add(code[len(department) :])
    lines = [
        "# Codes officiels géographiques (communes, communes déléguées et associées, arrondissements municipaux),",
        "# métropole et départements d'outre-mer, puis codes postaux. Généré par scripts/build_cog.py depuis",
        f"# {source} (Etalab, licence MIT). Ne pas modifier à la main.",
    ]
    for department in sorted(by_department):
        lines.append(department + " " + " ".join(sorted(by_department[department])))
    lines.append("CP " + " ".join(sorted(postal)))
    return "\n".join(lines) + "\n"


def main(argv) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_INPUT
    output = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    data = json.loads(source.read_text(encoding="utf-8"))
    meta = data.get("_meta", {}) if isinstance(data, dict) else {}
    label = meta.get("source", source.name).split(",")[0]
    output.write_text(build(data, label), encoding="utf-8")
    print(f"{output}: {sum(1 for _ in output.open(encoding='utf-8'))} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

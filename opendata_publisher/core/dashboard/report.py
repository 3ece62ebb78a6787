"""Self-contained HTML report of the dashboard: indicators, map image (PNG rendered by QGIS, inlined),
charts as inline SVG, the commune × schema matrix, the datasets, the date of the measure. One file, no
external resource: the metropolis can put it on its site as it is."""

from __future__ import annotations

import base64
from html import escape
from typing import List

from .model import CELL_COLOURS, CELL_LABELS, CELL_ORDER, DECLARED, LEVEL_COLOURS, LEVEL_LABELS, TerritoryDashboard

_CSS = """
body{font-family:Marianne,Arial,Helvetica,sans-serif;margin:2em auto;max-width:1100px;color:#1e1e1e;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:2px solid #000091}
.meta{color:#555}.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:190px;background:#f6f6fb}
.card .value{font-size:1.8em;font-weight:bold;color:#000091}.card .label{font-size:.9em}
table{border-collapse:collapse;font-size:.85em;margin-top:.5em}th,td{border:1px solid #ccc;padding:3px 6px}
th{background:#eee}td.cell{text-align:center;min-width:70px}.legend span{display:inline-block;margin-right:12px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;border:1px solid #999;vertical-align:middle}
.note{font-size:.85em;color:#555}img.map{max-width:100%;border:1px solid #ccc}
"""


def _card(key: str, value, label: str, extra: str = "") -> str:
    return (
        f'<div class="card"><div class="value" data-indicator="{key}">{escape(str(value))}</div>'
        f'<div class="label">{escape(label)}{escape(extra)}</div></div>'
    )


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"


def bar_chart_svg(dashboard: TerritoryDashboard) -> str:
    """Horizontal stacked bars: per commune, common-core datasets and other datasets."""
    rows = list(dashboard.members)
    top = max([m.dataset_count for m in rows] + [1])
    row_h, label_w, bar_w = 18, 210, 420
    height = row_h * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" height="{height}" '
        'role="img" aria-label="Jeux de données par commune" font-family="Arial" font-size="11">'
    ]
    for i, summary in enumerate(rows):
        y = 10 + i * row_h
        scdl = summary.scdl_count
        other = summary.dataset_count - scdl
        w_scdl = bar_w * scdl / top
        w_other = bar_w * other / top
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(summary.member.name)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{w_scdl:.1f}" height="{row_h - 5}" fill="#000091">'
            f"<title>{escape(summary.member.name)} : {scdl} du socle commun</title></rect>"
        )
        parts.append(
            f'<rect x="{label_w + w_scdl:.1f}" y="{y + 2}" width="{w_other:.1f}" height="{row_h - 5}" fill="#9a9aff">'
            f"<title>{escape(summary.member.name)} : {other} hors socle commun</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + w_scdl + w_other + 4:.1f}" y="{y + 12}" data-member="{summary.member.code}">'
            f"{summary.dataset_count}</text>"
        )
    y = 10 + len(rows) * row_h + 14
    parts.append(f'<rect x="{label_w}" y="{y - 9}" width="10" height="10" fill="#000091"/>')
    parts.append(f'<text x="{label_w + 14}" y="{y}">socle commun (schéma déclaré)</text>')
    parts.append(f'<rect x="{label_w + 200}" y="{y - 9}" width="10" height="10" fill="#9a9aff"/>')
    parts.append(f'<text x="{label_w + 214}" y="{y}">autres jeux de données</text>')
    parts.append("</svg>")
    return "".join(parts)


def state_chart_svg(dashboard: TerritoryDashboard) -> str:
    """One bar per matrix cell state: how many commune × schema cells are in each."""
    counts = dict.fromkeys(CELL_ORDER, 0)
    for row in dashboard.matrix().values():
        for state in row.values():
            counts[state] += 1
    top = max(list(counts.values()) + [1])
    bar_w, row_h, label_w = 360, 22, 230
    height = row_h * len(CELL_ORDER) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" height="{height}" '
        'role="img" aria-label="Cases de la matrice par état" font-family="Arial" font-size="11">'
    ]
    for i, state in enumerate(CELL_ORDER):
        y = 5 + i * row_h
        width = bar_w * counts[state] / top
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(CELL_LABELS[state])}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}" fill="{CELL_COLOURS[state]}" '
            'stroke="#999"/>'
        )
        parts.append(f'<text x="{label_w + width + 4:.1f}" y="{y + 14}" data-state="{state}">{counts[state]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def matrix_html(dashboard: TerritoryDashboard) -> str:
    schemas = dashboard.schemas
    if not schemas:
        return "<p>Aucun jeu de données du socle commun n'a été trouvé.</p>"
    head = "".join(
        f'<th title="{escape(name)}">{escape(dashboard.schema_titles.get(name) or name)}</th>' for name in schemas
    )
    rows: List[str] = []
    for summary in dashboard.members:
        cells = []
        for name in schemas:
            state = dashboard.cell(summary.member.code, name)
            cells.append(
                f'<td class="cell" data-state="{state}" style="background:{CELL_COLOURS[state]}" '
                f'title="{escape(CELL_LABELS[state])}">{escape(_cell_mark(state))}</td>'
            )
        rows.append(f"<tr><th>{escape(summary.member.name)}</th>{''.join(cells)}</tr>")
    legend = "".join(
        f'<span><i style="background:{CELL_COLOURS[s]}"></i>{escape(_cell_mark(s))} {escape(CELL_LABELS[s])}</span>'
        for s in CELL_ORDER
    )
    return f'<table class="matrix"><tr><th>Commune</th>{head}</tr>{"".join(rows)}</table><p class="legend">{legend}</p>'


def _cell_mark(state: str) -> str:
    return {
        "conforming": "✔",
        "published": "●",
        "late": "⚠",
        "errors": "✖",
        "probable": "?",
        "absent": "",
    }[state]


def _level_legend() -> str:
    return "".join(
        f'<span><i style="background:{LEVEL_COLOURS[level]}"></i>{escape(label)}</span>'
        for level, label in LEVEL_LABELS.items()
    )


def datasets_html(dashboard: TerritoryDashboard) -> str:
    rows = []
    for summary in dashboard.members:
        for measure in summary.datasets:
            schema = measure.schema
            if schema is None:
                schema_text = "—"
            else:
                schema_text = f"{schema.title or schema.name} {schema.version}".strip()
                if schema.how != DECLARED:
                    schema_text += " (heuristique)"
                elif schema.outdated:
                    schema_text += f" (version {schema.latest_version} disponible)"
            title = escape(measure.dataset.title)
            link = f'<a href="{escape(measure.dataset.url)}">{title}</a>' if measure.dataset.url else title
            conformity = measure.conformity_text or ("non vérifiée" if measure.conformity == "not-checked" else "")
            rows.append(
                f"<tr><td>{escape(summary.member.name)}</td><td>{link}</td><td>{escape(schema_text)}</td>"
                f"<td>{escape(measure.freshness_text)}</td><td>{escape(conformity)}</td></tr>"
            )
    if not rows:
        return "<p>Aucun jeu de données publié par les communes.</p>"
    return (
        "<table><tr><th>Commune</th><th>Jeu de données</th><th>Schéma</th><th>Fraîcheur</th><th>Conformité</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def report_html(dashboard: TerritoryDashboard, map_png: bytes = b"") -> str:
    """The whole report as one HTML document."""
    ind = dashboard.indicators()
    when = dashboard.measured_at.astimezone().strftime("%d/%m/%Y à %H:%M")
    cards = "".join(
        [
            _card(
                "publishing_count",
                f"{ind['publishing_count']} / {ind['member_count']}",
                "communes publiant des données ouvertes",
                f" ({_pct(ind['publishing_share'])})",
            ),
            _card(
                "scdl_publishing_count",
                f"{ind['scdl_publishing_count']} / {ind['member_count']}",
                "communes publiant des données du socle commun",
                f" ({_pct(ind['scdl_publishing_share'])})",
            ),
            _card("dataset_count", ind["dataset_count"], "jeux de données publiés par les communes"),
            _card("scdl_dataset_count", ind["scdl_dataset_count"], "jeux du socle commun (schéma déclaré)"),
            _card("scdl_late_count", ind["scdl_late_count"], "jeux du socle commun en retard"),
            _card(
                "scdl_invalid_count",
                ind["scdl_invalid_count"] if dashboard.validated else "—",
                "jeux du socle commun avec erreurs",
                "" if dashboard.validated else " (données non vérifiées)",
            ),
        ]
    )
    png64 = base64.b64encode(map_png).decode("ascii")
    map_part = (
        f'<img class="map" alt="Carte des communes" src="data:image/png;base64,{png64}"/>'
        f'<p class="legend">{_level_legend()}</p>'
        if map_png
        else "<p class='note'>Pas de carte : aucune couche de communes n'a été donnée.</p>"
    )
    notes = "".join(f"<li>{escape(m)}</li>" for m in dashboard.messages)
    if ind["probable_dataset_count"]:
        notes += (
            f"<li>{ind['probable_dataset_count']} jeu(x) de données ressemble(nt) à un schéma du socle commun "
            "sans le déclarer (reconnaissance heuristique par le titre, les mots-clés ou les colonnes) : ils ne "
            "sont pas comptés dans le socle commun.</li>"
        )
    if dashboard.unmatched_organisations:
        names = ", ".join(o.name for o in dashboard.unmatched_organisations)
        notes += f"<li>Organisations du portail non rattachées à une commune : {escape(names)}.</li>"
    checked = (
        "Données téléchargées et vérifiées avec leur schéma."
        if dashboard.validated
        else "Données non téléchargées : conformité non vérifiée."
    )
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>Tableau de bord du territoire — {escape(dashboard.territory)}</title><style>{_CSS}</style></head>
<body>
<h1>Tableau de bord du territoire — {escape(dashboard.territory)}</h1>
<p class="meta">Mesure du <time datetime="{dashboard.measured_at.isoformat()}">{escape(when)}</time>,
portail : {escape(dashboard.source)}. {checked}</p>
<h2>Indicateurs</h2><div class="cards">{cards}</div>
<h2>Carte</h2>{map_part}
<h2>Communes × schémas du socle commun</h2>{matrix_html(dashboard)}
<h2>Jeux de données par commune</h2>{bar_chart_svg(dashboard)}
<h2>État des cases de la matrice</h2>{state_chart_svg(dashboard)}
<h2>Jeux de données</h2>{datasets_html(dashboard)}
{f'<h2>Remarques</h2><ul class="note">{notes}</ul>' if notes else ""}
<p class="note">Produit par l'extension QGIS opendata_publisher.</p>
</body></html>
"""

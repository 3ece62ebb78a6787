"""PDF of the dashboard through a QGIS print layout: title and date, the members map with its legend, the
territory indicators and the commune × schema matrix (A4 landscape, two pages)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QFont

from .model import TerritoryDashboard
from .report import matrix_html

_MM = QgsUnitTypes.LayoutUnit.LayoutMillimeters


def _label(layout, text: str, x: float, y: float, w: float, h: float, size: int = 10, html: bool = False):
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    if html:
        label.setMode(QgsLayoutItemLabel.Mode.ModeHtml)
    else:
        font = QFont()
        font.setPointSize(size)
        label.setFont(font)
    layout.addLayoutItem(label)
    label.attemptMove(QgsLayoutPoint(x, y, _MM))
    label.attemptResize(QgsLayoutSize(w, h, _MM))
    return label


def indicators_text(dashboard: TerritoryDashboard) -> str:
    ind = dashboard.indicators()
    lines = [
        f"Communes publiant des données ouvertes : {ind['publishing_count']} / {ind['member_count']} "
        f"({ind['publishing_share']:.1f} %)".replace(".", ","),
        f"Communes publiant des données du socle commun : {ind['scdl_publishing_count']} / {ind['member_count']} "
        f"({ind['scdl_publishing_share']:.1f} %)".replace(".", ","),
        f"Jeux de données publiés par les communes : {ind['dataset_count']}",
        f"Jeux du socle commun (schéma déclaré) : {ind['scdl_dataset_count']}",
        f"… en retard sur leur fréquence déclarée : {ind['scdl_late_count']}",
    ]
    if dashboard.validated:
        lines.append(f"… vérifiés conformes : {ind['scdl_valid_count']}, avec erreurs : {ind['scdl_invalid_count']}")
    else:
        lines.append("Données non téléchargées : conformité non vérifiée.")
    return "\n".join(lines)


def build_layout(dashboard: TerritoryDashboard, members: QgsVectorLayer, project: QgsProject) -> QgsPrintLayout:
    """A print layout of the dashboard (not added to the project's layout manager)."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()  # one A4 page
    layout.setName(f"Tableau de bord du territoire — {dashboard.territory}")
    when = dashboard.measured_at.astimezone().strftime("%d/%m/%Y")
    _label(layout, f"Tableau de bord du territoire — {dashboard.territory}", 10, 8, 277, 10, 18)
    _label(layout, f"Mesure du {when} — portail : {dashboard.source}", 10, 18, 277, 6, 9)
    if members.isSpatial():
        item = QgsLayoutItemMap(layout)
        item.setCrs(members.crs())
        item.setLayers([members])
        item.setKeepLayerSet(True)
        layout.addLayoutItem(item)
        item.attemptMove(QgsLayoutPoint(10, 27, _MM))
        item.attemptResize(QgsLayoutSize(170, 170, _MM))
        extent = members.extent()
        half = max(extent.width(), extent.height()) * 0.525  # square, as the item: its size does not change
        centre = extent.center()
        item.setExtent(QgsRectangle(centre.x() - half, centre.y() - half, centre.x() + half, centre.y() + half))
        item.setFrameEnabled(True)
        legend = QgsLayoutItemLegend(layout)
        legend.setLinkedMap(item)
        legend.setAutoUpdateModel(False)
        legend.model().rootGroup().clear()
        legend.model().rootGroup().addLayer(members)
        legend.setTitle("Communes")
        layout.addLayoutItem(legend)
        legend.attemptMove(QgsLayoutPoint(185, 27, _MM))
    _label(layout, indicators_text(dashboard), 185, 95, 105, 70, 9)
    page = QgsLayoutItemPage(layout)
    page.setPageSize("A4", QgsLayoutItemPage.Orientation.Landscape)
    layout.pageCollection().addPage(page)
    top = layout.pageCollection().page(1).pos().y()
    _label(layout, "Communes × schémas du socle commun", 10, top + 8, 277, 8, 14)
    style = (
        "<style>body{font-family:Arial;font-size:9px}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:1px 4px}.legend span{margin-right:14px;white-space:nowrap}"
        ".legend i{display:inline-block;width:9px;height:9px;border:1px solid #999;margin-right:3px}</style>"
    )
    _label(layout, style + matrix_html(dashboard), 10, top + 18, 277, 185, html=True)
    return layout


def export_pdf(dashboard: TerritoryDashboard, members: QgsVectorLayer, path, project=None) -> Path:
    """Write the PDF; raises OSError (French) when QGIS could not."""
    layout = build_layout(dashboard, members, project or QgsProject.instance())
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    result = QgsLayoutExporter(layout).exportToPdf(str(target), QgsLayoutExporter.PdfExportSettings())
    if result != QgsLayoutExporter.ExportResult.Success or not target.is_file():
        raise OSError(f"QGIS n'a pas pu écrire le PDF {target} (code {int(result)}) : vérifiez le dossier choisi.")
    return target

"""« Récapitulatif avant publication »: what will be published, on one screen, before « Publier ».

:class:`ReviewBox` sits on the « Publier » page above the button, the way data.gouv.fr's own form sums up a
dataset before it is published: title, description, licence, schema and version, files and formats, portal
and organisation, and what is new since the last publication of the layer to the same place. Each line that
comes from another step has a « Modifier » link (:attr:`ReviewBox.editRequested` with the step key of
:mod:`opendata_publisher.core.publish`). :func:`review_rows` computes the lines (tests read it too).
"""

from __future__ import annotations

import html
from typing import Any, Dict, List, NamedTuple, Optional, Sequence

from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QGridLayout, QGroupBox, QLabel, QSizePolicy, QWidget

from ..core import publish as pub
from ..core.schema.reference import parse_reference

DESCRIPTION_CHARS = 240
FORMAT_NAMES = {"csv": "CSV", "geojson": "GeoJSON", "gpkg": "GeoPackage", "shp": "Shapefile (zip)"}


class ReviewRow(NamedTuple):
    key: str  # title, description, licence, schema, files, portal, news
    label: str
    text: str  # plain text shown
    step: str  # core.publish.STEP_* to open with « Modifier », "" when edited on this page
    missing: bool = False


def _schema_text(description, layer) -> str:
    if description.schema.name:
        return f"{description.schema.name} {description.schema.version}".strip()
    reference = str(layer.customProperty(pub.SCHEMA_PROPERTY, "") or "").strip() if layer is not None else ""
    if not reference:
        return ""
    return parse_reference(reference).label


def _last_entry(entries: Sequence[Dict[str, Any]], connection) -> Optional[Dict[str, Any]]:
    if connection is None:
        return None
    same = [
        e for e in entries if e.get("portal_type") == connection.portal_type and e.get("connection") == connection.name
    ]
    return same[-1] if same else None


def news_text(last: Optional[Dict[str, Any]], description, feature_count: Optional[int], formats: List[str]) -> str:
    """What changed since ``last`` (a history entry), in French words for the agent."""
    if last is None:
        return QCoreApplication.translate("ReviewBox", "First publication to this place.")
    date = str(last.get("date", ""))[:10]
    changes = []
    before = last.get("feature_count")
    if before is not None and feature_count is not None and int(before) != int(feature_count):
        changes.append(
            QCoreApplication.translate("ReviewBox", "{before} → {after} features").format(
                before=before, after=feature_count
            )
        )
    old_version, new_version = last.get("schema_version") or "", description.schema.version or ""
    if old_version and new_version and old_version != new_version:
        changes.append(
            QCoreApplication.translate("ReviewBox", "schema {before} → {after}").format(
                before=old_version, after=new_version
            )
        )
    if last.get("title") and last.get("title") != description.title:
        changes.append(QCoreApplication.translate("ReviewBox", "new title"))
    if last.get("licence") and last.get("licence") != description.licence:
        changes.append(QCoreApplication.translate("ReviewBox", "new licence"))
    old_formats = last.get("formats")
    if old_formats is not None and sorted(old_formats) != sorted(formats):
        changes.append(
            QCoreApplication.translate("ReviewBox", "files: {formats}").format(
                formats=", ".join(FORMAT_NAMES.get(f, f) for f in formats)
            )
        )
    head = QCoreApplication.translate("ReviewBox", "Update of the publication of {date}").format(date=date)
    if not changes:
        return head + QCoreApplication.translate(
            "ReviewBox", ": same content description (the data files are replaced)."
        )
    return head + ": " + " ; ".join(changes) + "."


def review_rows(layer, connection, formats: List[str]) -> List[ReviewRow]:
    """The lines of the review for ``layer`` published to ``connection`` with ``formats``."""
    from ..core.history import history
    from ..core.metadata.layer_metadata import read_layer_description
    from ..core.metadata.licences import licence_entry
    from .connections_widget import portal_title

    description = read_layer_description(layer)
    rows: List[ReviewRow] = []
    title = description.title.strip()
    rows.append(
        ReviewRow(
            "title",
            QCoreApplication.translate("ReviewBox", "Title"),
            title or QCoreApplication.translate("ReviewBox", "missing"),
            pub.STEP_DESCRIBE,
            not title,
        )
    )
    text = " ".join(description.description.split())
    if len(text) > DESCRIPTION_CHARS:
        text = text[: DESCRIPTION_CHARS - 1].rstrip() + "…"
    rows.append(
        ReviewRow(
            "description",
            QCoreApplication.translate("ReviewBox", "Description"),
            text or QCoreApplication.translate("ReviewBox", "missing"),
            pub.STEP_DESCRIBE,
            not text,
        )
    )
    entry = licence_entry(description.licence)
    licence = (entry or {}).get("title_fr") or description.licence
    rows.append(
        ReviewRow(
            "licence",
            QCoreApplication.translate("ReviewBox", "Licence"),
            licence or QCoreApplication.translate("ReviewBox", "not chosen"),
            pub.STEP_LICENCE,
            not licence,
        )
    )
    schema = _schema_text(description, layer)
    rows.append(
        ReviewRow(
            "schema",
            QCoreApplication.translate("ReviewBox", "Data schema"),
            schema or QCoreApplication.translate("ReviewBox", "none (not checked)"),
            pub.STEP_VERIFY,
        )
    )
    basename = pub._file_basename(description.title or layer.name())
    files = [f"{basename}.{pub.FILE_FORMATS[f]}" for f in formats if f in pub.FILE_FORMATS]
    rows.append(
        ReviewRow(
            "files",
            QCoreApplication.translate("ReviewBox", "Files"),
            ", ".join(files) or QCoreApplication.translate("ReviewBox", "no format ticked"),
            "",
            not files,
        )
    )
    if connection is None:
        portal = QCoreApplication.translate("ReviewBox", "not chosen")
    elif connection.portal_type == "folder":
        portal = QCoreApplication.translate("ReviewBox", "Local folder: {path}").format(path=connection.base_url)
    else:
        portal = f"{connection.name} — {portal_title(connection.portal_type)}"
        portal += " — " + (
            QCoreApplication.translate("ReviewBox", "organisation {name}").format(name=connection.organisation)
            if connection.organisation
            else QCoreApplication.translate("ReviewBox", "your own account")
        )
    rows.append(ReviewRow("portal", QCoreApplication.translate("ReviewBox", "Where"), portal, "", connection is None))
    count = description.feature_count if description.feature_count is not None else int(layer.featureCount())
    last = _last_entry(history(layer), connection)
    rows.append(
        ReviewRow(
            "news",
            QCoreApplication.translate("ReviewBox", "What is new"),
            news_text(last, description, count, formats),
            "",
        )
    )
    return rows


class ReviewBox(QGroupBox):
    """The review lines with their « Modifier » links."""

    editRequested = pyqtSignal(str)  # core.publish.STEP_* key

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(QCoreApplication.translate("ReviewBox", "Review before publishing"), parent)
        self.setObjectName("publishReviewBox")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(6, 6, 6, 6)
        self.grid.setHorizontalSpacing(8)
        self.grid.setColumnStretch(1, 1)
        self.rows: List[ReviewRow] = []
        self.value_labels: Dict[str, QLabel] = {}
        self.edit_links: Dict[str, QLabel] = {}

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # not painted until deleteLater runs
                widget.setParent(None)
                widget.deleteLater()
        self.rows, self.value_labels, self.edit_links = [], {}, {}

    @staticmethod
    def _value_html(row: ReviewRow) -> str:
        # long paths and file names may wrap after « / », « - » and « . » (zero-width spaces)
        return html.escape(row.text).replace("/", "/&#8203;").replace("-", "-&#8203;").replace(".", ".&#8203;")

    def show_rows(self, rows: List[ReviewRow]) -> None:
        if [(r.key, r.step) for r in rows] == [(r.key, r.step) for r in self.rows]:
            for row in rows:  # same lines: only their texts change (no flicker while the agent works)
                self.value_labels[row.key].setText(self._value_html(row))
                self.value_labels[row.key].setStyleSheet("color: #b00020;" if row.missing else "")
            self.rows = list(rows)
            return
        self.clear()
        for index, row in enumerate(rows):
            name = QLabel(f"<b>{html.escape(row.label)}</b>", self)
            self.grid.addWidget(name, index, 0, Qt.AlignmentFlag.AlignTop)
            value = QLabel(self)
            value.setObjectName(f"review_{row.key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setText(self._value_html(row))
            value.setTextFormat(Qt.TextFormat.RichText)
            policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            policy.setHeightForWidth(True)
            value.setSizePolicy(policy)
            value.setMinimumWidth(1)
            if row.missing:
                value.setStyleSheet("color: #b00020;")
            self.grid.addWidget(value, index, 1)
            self.value_labels[row.key] = value
            if row.step:
                edit = QCoreApplication.translate("ReviewBox", "Edit")
                link = QLabel(f'<a href="{row.step}">{html.escape(edit)}</a>', self)
                link.setObjectName(f"reviewEdit_{row.key}")
                link.setToolTip(QCoreApplication.translate("ReviewBox", "Open the step where this is filled in"))
                link.linkActivated.connect(self.editRequested.emit)
                self.grid.addWidget(link, index, 2, Qt.AlignmentFlag.AlignTop)
                self.edit_links[row.key] = link
        self.rows = list(rows)
        self.updateGeometry()

    def text(self, key: str) -> str:
        label = self.value_labels.get(key)
        return html.unescape(label.text()).replace("\u200b", "") if label is not None else ""

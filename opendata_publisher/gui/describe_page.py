"""The « Décrire » page: the dataset description of a layer, in the shared vocabulary.

The form edits a :class:`~opendata_publisher.core.metadata.model.DatasetDescription` stored in the
layer's ``QgsLayerMetadata`` (so what was typed in QGIS's own metadata tab shows up here, and what is
typed here shows up there). Every field has its label, its help (``FIELD_HELP``: first sentence under
the field, whole text in the tooltip and behind « ? ») and, when the completeness check finds a
problem, a red frame (blocking) or an orange line (warning) with the message under it; the same
problems are listed in a :class:`FindingsView` for the targets the agent ticks.

Buttons: « Préremplir » (layer, schema of the last check, organisation profile; fills only empty
fields), « Enregistrer dans la couche » (+ optionally in the GeoPackage / a .qmd beside the file),
« Exporter… » (DCAT-AP JSON-LD / Turtle, ISO 19139, SCDL catalogue row, .qmd). Changing layer with
unsaved changes asks first (see :class:`LayerFormPage`).

The dock adds it with :func:`add_to_dock`; :func:`open_in_dock` shows it for a layer (layer tree
context menu « Décrire pour l'open data… », :mod:`.layer_menu`).
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsCollapsibleGroupBox, QgsDateEdit
from qgis.PyQt.QtCore import QCoreApplication, QDate, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core.checks.finding import ERROR, WARNING, severity_rank
from opendata_publisher.core.layer_properties import SCHEMA_PROPERTY
from opendata_publisher.core.metadata import vocabulary
from opendata_publisher.core.metadata.completeness import TARGET_LABELS, TARGETS, check_completeness
from opendata_publisher.core.metadata.licences import licence_entry
from opendata_publisher.core.metadata.model import FIELD_HELP, FIELD_LABELS, Area, DatasetDescription, SchemaRef

from .findings_model import FindingsModel
from .findings_view import FindingsView
from .widgets.code_list import CheckableCodeList
from .widgets.field_row import FieldRow
from .widgets.keyword_editor import KeywordEditor
from .widgets.layer_page import LayerFormPage
from .widgets.task_host import TaskHost

EXPORT_FORMATS = ("dcat-jsonld", "dcat-turtle", "iso19139", "scdl-catalogue", "qmd")
DATE_FIELDS = ("temporal_start", "temporal_end", "created", "issued", "modified")
#: completeness fields shown on another row of the form
FIELD_ROW_ALIASES = {
    "bbox": "spatial_coverage",
    "licence_url": "licence",
    "licence_justification": "licence",
    "licence_homologation": "licence",
}
DEFAULT_TARGETS = ("datagouv",)


def _searchable(combo: QComboBox, placeholder: str) -> None:
    """A long list the agent can type into: the words typed filter the entries (anywhere in the label)."""
    from qgis.PyQt.QtWidgets import QCompleter

    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.lineEdit().setPlaceholderText(placeholder)
    completer = QCompleter(combo.model(), combo)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    completer.activated.connect(lambda text: combo.setCurrentIndex(max(combo.findText(text), 0)))

    def _restore() -> None:  # text typed that names no entry: show the chosen entry again
        if combo.findText(combo.currentText()) < 0:
            combo.setEditText(combo.itemText(combo.currentIndex()))

    combo.lineEdit().editingFinished.connect(_restore)


class DescribePage(LayerFormPage):
    """The « Décrire » step of the dock."""

    descriptionSaved = pyqtSignal(str)  # layer id
    licenceRequested = pyqtSignal()  # « Choisir la licence… »
    completenessChanged = pyqtSignal(object)  # List[Finding]

    def __init__(  # noqa: QGS105 - the dock passes its iface (tests pass pytest-qgis' one)
        self,
        iface,
        parent: Optional[QWidget] = None,
        run_inline: bool = False,
        schema_loader: Optional[Callable] = None,
        catalogue=None,
        profile_func: Optional[Callable] = None,
    ):
        """``schema_loader(ref, catalogue)`` and ``catalogue`` replace the schema loading of the check
        page (tests); ``profile_func()`` returns the OrganisationProfile (default: plugin settings);
        ``run_inline`` runs the schema task synchronously (tests)."""
        super().__init__(iface, parent)
        self.setObjectName("OpenDataDescribePage")
        self.run_inline = run_inline
        self._schema_loader = schema_loader
        self._catalogue = catalogue
        self._profile_func = profile_func
        self._schemas: Dict[str, Any] = {}
        self._tasks = TaskHost(self)
        self.check_page = None  # set by add_to_dock: its loaded schemas are reused
        #: the targets the description must also satisfy (the portal chosen on « Publier », set by the flow)
        self.required_targets_func: Optional[Callable[[], List[str]]] = None
        self.base = DatasetDescription()
        self.findings: List[Any] = []
        self.rows: Dict[str, FieldRow] = {}
        self._extra_areas: Dict[str, Area] = {}
        self.profile_locks: Dict[str, Any] = {}  # fields fixed by the shared profile (show_profile_locks)
        self._completeness_timer = QTimer(self)
        self._completeness_timer.setSingleShot(True)
        self._completeness_timer.setInterval(300)
        self._completeness_timer.timeout.connect(self.refresh_completeness)
        self._build_ui()
        self.start()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("DescribePage", text)

    # ================================================================= UI
    def _row(self, name: str, editor: QWidget, layout: QVBoxLayout, label: Optional[str] = None) -> FieldRow:
        row = FieldRow(name, label or FIELD_LABELS.get(name, name), FIELD_HELP.get(name, ""), editor)
        self.rows[name] = row
        layout.addWidget(row)
        return row

    @staticmethod
    def _group(title: str, parent: QWidget, collapsed: bool = False) -> QGroupBox:
        box = QgsCollapsibleGroupBox(title, parent)
        box.setCollapsed(collapsed)
        QVBoxLayout(box).setContentsMargins(6, 6, 6, 6)
        return box

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(f"describe_{name}")
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._edited)
        return edit

    def _date(self, name: str) -> QgsDateEdit:
        edit = QgsDateEdit()
        edit.setObjectName(f"describe_{name}")
        edit.setAllowNull(True)
        edit.setNullRepresentation("")  # an empty date reads empty, not « NULL »
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.clear()
        edit.lineEdit().setPlaceholderText(self.tr("dd/mm/yyyy"))
        # QgsDateEdit emits dateValueChanged (valueChanged is for QgsDateTimeEdit): « Ce qui manque » follows
        edit.dateValueChanged.connect(self._edited)
        return edit

    def _build_ui(self) -> None:
        intro = QLabel(
            self.tr(
                "Describe the data once, here: the portals and catalogues read this description. "
                "« Prefill » fills what can be known; you usually only type a title and a description."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.outer.addWidget(intro)
        self.outer.addWidget(self.status_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.scroll = QScrollArea(self.splitter)
        self.scroll.setObjectName("describeScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form = QWidget()
        form.setObjectName("describeForm")
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(2, 2, 8, 2)
        form_layout.setSpacing(6)

        # -- essentials
        box = self._group(self.tr("Essentials"), form)
        lay = box.layout()
        self.title_edit = self._line("title", self.tr("e.g. Bicycle parkings of Orléans Métropole"))
        self._row("title", self.title_edit, lay)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("describe_description")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.description_edit.fontMetrics().height() * 6 + 12)
        self.description_edit.textChanged.connect(self._edited)
        self._row("description", self.description_edit, lay)
        self.keyword_editor = KeywordEditor()
        self.keyword_editor.changed.connect(self._edited)
        self.keyword_editor.line_edit.textEdited.connect(self._edited)
        self._row("keywords", self.keyword_editor, lay)
        form_layout.addWidget(box)

        # -- themes
        box = self._group(self.tr("Themes"), form)
        lay = box.layout()
        self.eu_themes_list = CheckableCodeList(vocabulary.choices(vocabulary.eu_themes()), visible_rows=5)
        self.eu_themes_list.setObjectName("describe_eu_themes")
        self.eu_themes_list.changed.connect(self._edited)
        self._row("eu_themes", self.eu_themes_list, lay)
        self.inspire_list = CheckableCodeList(vocabulary.choices(vocabulary.inspire_themes()), visible_rows=4)
        self.inspire_list.setObjectName("describe_inspire_themes")
        self.inspire_list.changed.connect(self._edited)
        self._row("inspire_themes", self.inspire_list, lay)
        self.iso_list = CheckableCodeList(vocabulary.choices(vocabulary.iso_categories()), visible_rows=4)
        self.iso_list.setObjectName("describe_iso_categories")
        self.iso_list.changed.connect(self._edited)
        self._row("iso_categories", self.iso_list, lay)
        form_layout.addWidget(box)

        # -- who
        box = self._group(self.tr("Producer and contact"), form)
        lay = box.layout()
        self.org_edits: Dict[str, QLineEdit] = {}
        for role in ("producer", "publisher"):
            widget = QWidget()
            sub = QFormLayout(widget)
            sub.setContentsMargins(0, 0, 0, 0)
            sub.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for part, label, placeholder in (
                ("name", self.tr("Name"), self.tr("e.g. Orléans Métropole")),
                ("siren", self.tr("SIREN"), self.tr("9 digits")),
                ("siret", self.tr("SIRET"), self.tr("14 digits")),
            ):
                edit = self._line(f"{role}_{part}", placeholder)
                self.org_edits[f"{role}_{part}"] = edit
                sub.addRow(label, edit)
            self._row(role, widget, lay)
        contact = QWidget()
        sub = QFormLayout(contact)
        sub.setContentsMargins(0, 0, 0, 0)
        sub.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.contact_name_edit = self._line("contact_name", self.tr("e.g. Service SIG"))
        self.contact_email_edit = self._line("contact_email", self.tr("e.g. sig@orleans-metropole.fr"))
        sub.addRow(self.tr("Service"), self.contact_name_edit)
        sub.addRow(self.tr("E-mail"), self.contact_email_edit)
        self._row("contact", contact, lay)
        form_layout.addWidget(box)

        # -- where and when
        box = self._group(self.tr("Territory and dates"), form)
        lay = box.layout()
        areas = []
        for item in vocabulary.territory():
            kind = self.tr("EPCI") if item.get("kind") == "epci" else self.tr("commune")
            areas.append((str(item["code"]), f"{item.get('name', '')} — {kind}"))
        self.coverage_list = CheckableCodeList(areas, visible_rows=5)
        self.coverage_list.setObjectName("describe_spatial_coverage")
        self.coverage_list.changed.connect(self._edited)
        self._row("spatial_coverage", self.coverage_list, lay)
        self.frequency_combo = QComboBox()
        self.frequency_combo.setObjectName("describe_frequency")
        self.frequency_combo.addItem(self.tr("— choose —"), "")
        frequencies = vocabulary.frequencies()
        short = vocabulary.frequency_short_list()
        ordered = sorted(frequencies, key=lambda f: short.index(f["code"]) if f["code"] in short else len(short))
        for item in ordered:
            self.frequency_combo.addItem(item.get("label_fr") or item["code"], item["code"])
        _searchable(self.frequency_combo, self.tr("Type to search (e.g. annual, daily)…"))
        self.frequency_combo.currentIndexChanged.connect(self._edited)
        self._row("frequency", self.frequency_combo, lay)
        self.date_edits: Dict[str, QgsDateEdit] = {}
        for name in DATE_FIELDS:
            self.date_edits[name] = self._date(name)
            self._row(name, self.date_edits[name], lay)
        form_layout.addWidget(box)

        # -- origin, schema, licence
        box = self._group(self.tr("Origin and conditions of use"), form)
        lay = box.layout()
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("describe_language")
        for code, label in vocabulary.choices(vocabulary.languages()):
            self.language_combo.addItem(label or code, code)
        self.language_combo.currentIndexChanged.connect(self._edited)
        self._row("language", self.language_combo, lay)
        self.lineage_edit = QPlainTextEdit()
        self.lineage_edit.setObjectName("describe_lineage")
        self.lineage_edit.setTabChangesFocus(True)
        self.lineage_edit.setFixedHeight(self.lineage_edit.fontMetrics().height() * 4 + 12)
        self.lineage_edit.textChanged.connect(self._edited)
        self._row("lineage", self.lineage_edit, lay)
        self.schema_label = QLabel()
        self.schema_label.setObjectName("describe_schema")
        self.schema_label.setWordWrap(True)
        self.schema_label.setOpenExternalLinks(True)
        self.schema_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self._row("schema", self.schema_label, lay)
        licence = QWidget()
        licence_layout = QHBoxLayout(licence)
        licence_layout.setContentsMargins(0, 0, 0, 0)
        self.licence_label = QLabel()
        self.licence_label.setObjectName("describe_licence")
        self.licence_label.setWordWrap(True)
        licence_layout.addWidget(self.licence_label, 1)
        self.licence_button = QPushButton(self.tr("Choose the licence…"))
        self.licence_button.setObjectName("describeLicenceButton")
        self.licence_button.clicked.connect(self.licenceRequested.emit)
        licence_layout.addWidget(self.licence_button, 0)
        self._row("licence", licence, lay)
        self.attribution_edit = self._line("attribution", self.tr("e.g. Orléans Métropole"))
        self._row("attribution", self.attribution_edit, lay)
        form_layout.addWidget(box)

        # -- identifier and addresses (rarely needed before publishing)
        box = self._group(self.tr("Identifier and addresses (filled at publication)"), form, collapsed=True)
        box.setObjectName("describeAdvancedBox")
        lay = box.layout()
        self.identifier_edit = self._line("identifier")
        self._row("identifier", self.identifier_edit, lay)
        self.landing_edit = self._line("landing_page", "https://")
        self._row("landing_page", self.landing_edit, lay)
        self.download_edit = self._line("download_url", "https://")
        self._row("download_url", self.download_edit, lay)
        self.advanced_box = box
        form_layout.addWidget(box)
        form_layout.addStretch(1)
        self.scroll.setWidget(form)
        self.splitter.addWidget(self.scroll)

        # -- completeness
        check = QGroupBox(self.tr("What is missing"), self.splitter)
        check.setObjectName("describeCompleteness")
        check_layout = QVBoxLayout(check)
        check_layout.setContentsMargins(4, 4, 4, 4)
        targets_label = QLabel(self.tr("Check what these portals and catalogues ask for:"), check)
        targets_label.setWordWrap(True)
        targets_label.setToolTip(self.tr("Each portal asks for different things: tick where the data will go"))
        check_layout.addWidget(targets_label)
        targets_grid = QGridLayout()
        targets_grid.setContentsMargins(0, 0, 0, 0)
        targets_grid.setHorizontalSpacing(8)
        targets_grid.setVerticalSpacing(0)
        self.target_checks: Dict[str, QCheckBox] = {}
        short_labels = {"iso19139": "ISO 19139", "scdl-catalogue": self.tr("SCDL catalogue")}
        for position, target in enumerate(("dcat", "datagouv", "opendatasoft", "ckan", "iso19139", "scdl-catalogue")):
            box_ = QCheckBox(short_labels.get(target, TARGET_LABELS[target]), check)
            box_.setObjectName(f"target_{target}")
            box_.setChecked(target == "dcat" or target in DEFAULT_TARGETS)
            box_.setToolTip(TARGET_LABELS[target])
            if target == "dcat":
                box_.setEnabled(False)
                box_.setToolTip(self.tr("The European standard read by every portal: always checked"))
            box_.toggled.connect(self.refresh_completeness)
            self.target_checks[target] = box_
            targets_grid.addWidget(box_, position // 3, position % 3)
        check_layout.addLayout(targets_grid)
        self.completeness_label = QLabel(check)
        self.completeness_label.setObjectName("describeCompletenessSummary")
        self.completeness_label.setWordWrap(True)
        check_layout.addWidget(self.completeness_label)
        self.findings_view = FindingsView(check)
        self.findings_view.help_button.setChecked(False)
        for column in (FindingsModel.COL_FEATURE, FindingsModel.COL_ROW):
            self.findings_view.tree.setColumnHidden(column, True)
        self.findings_view.findingActivated.connect(self.show_field_of)
        self.findings_view.tree.clicked.connect(
            lambda index: self.show_field_of(self.findings_view.model.finding_at(index))
        )
        check_layout.addWidget(self.findings_view, 1)
        self.splitter.addWidget(check)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([600, 220])
        self.outer.addWidget(self.splitter, 1)

        # -- buttons
        self.save_file_check = QCheckBox(self.tr("Also save in the file (GeoPackage / .qmd)"), self)
        self.save_file_check.setObjectName("describeSaveFile")
        self.save_file_check.setToolTip(
            self.tr(
                "Besides the project, write the description into the GeoPackage itself, or into a .qmd file "
                "beside the data file, so that it travels with the data"
            )
        )
        self.outer.addWidget(self.save_file_check)
        buttons = QHBoxLayout()
        self.prefill_button = QPushButton(self.tr("Prefill"), self)
        self.prefill_button.setObjectName("describePrefillButton")
        self.prefill_button.setToolTip(
            self.tr(
                "Fill the empty fields from the layer (extent, coordinate system, number of features), the schema "
                "of the last check and the organisation profile (Settings > Options > Open data). "
                "Nothing you typed is replaced."
            )
        )
        self.prefill_button.clicked.connect(self.prefill)
        buttons.addWidget(self.prefill_button)
        self.save_button = QPushButton(self.tr("Save in the layer"), self)
        self.save_button.setObjectName("describeSaveButton")
        self.save_button.setToolTip(
            self.tr("Store the description in the layer's metadata; save the project to keep it")
        )
        self.save_button.clicked.connect(lambda _checked=False: self.save())  # not save(checked)
        buttons.addWidget(self.save_button, 1)
        self.export_button = QToolButton(self)
        self.export_button.setObjectName("describeExportButton")
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Write the description to a file for a catalogue or a portal"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        export_menu = QMenu(self.export_button)
        labels = {
            "dcat-jsonld": self.tr("DCAT-AP (JSON-LD)…"),
            "dcat-turtle": self.tr("DCAT-AP (Turtle)…"),
            "iso19139": self.tr("ISO 19139 (geocatalogues, INSPIRE)…"),
            "scdl-catalogue": self.tr("Row of the SCDL catalogue (CSV)…"),
            "qmd": self.tr("QGIS metadata file (.qmd)…"),
        }
        for fmt in EXPORT_FORMATS:
            action = export_menu.addAction(labels[fmt])
            action.triggered.connect(lambda _checked=False, f=fmt: self.export(f))
        self.export_button.setMenu(export_menu)
        buttons.addWidget(self.export_button)
        self.outer.addLayout(buttons)

    # ================================================================= form <-> description
    def _edited(self, *_args) -> None:
        if self._loading:
            return
        self.mark_dirty()
        self._completeness_timer.start()

    def dirty_changed(self) -> None:
        has_layer = self.current_layer() is not None
        for widget in (self.save_button, self.prefill_button, self.export_button, self.scroll):
            widget.setEnabled(has_layer)
        self.save_button.setText(self.tr("Save in the layer") + (" *" if self.dirty else ""))

    def show_profile_locks(self) -> Dict[str, Any]:
        """Fields fixed by the metropolis' shared profile for the agent's member: read-only, with the note
        « défini par le profil de la métropole » (nothing is locked without a shared profile)."""
        from opendata_publisher.core import shared_profile

        try:
            profile, member = shared_profile.current_member()
        except Exception:  # noqa: BLE001 - a broken profile never blocks the form
            profile, member = None, None
        locked = shared_profile.locked_fields(profile, member) if profile and member else {}
        widgets = {
            "publisher": [self.org_edits[f"publisher_{p}"] for p in ("name", "siren", "siret")],
            "producer": [self.org_edits[f"producer_{p}"] for p in ("name", "siren", "siret")],
            "contact": [self.contact_name_edit, self.contact_email_edit],
        }
        for name, edits in widgets.items():
            for edit in edits:
                edit.setReadOnly(name in locked)
                edit.setToolTip(shared_profile.LOCKED_LABEL if name in locked else "")
            if name in self.rows:
                self.rows[name].set_note(shared_profile.LOCKED_LABEL if name in locked else "")
        self.profile_locks = locked
        return locked

    def set_description(self, d: DatasetDescription) -> None:
        """Show a description in the form (does not mark the form as modified)."""
        was_loading, self._loading = self._loading, True
        try:
            self.base = d.copy()
            self.title_edit.setText(d.title)
            self.description_edit.setPlainText(d.description)
            self.keyword_editor.line_edit.clear()
            self.keyword_editor.set_keywords(d.keywords)
            self.eu_themes_list.set_codes(d.eu_themes)
            self.inspire_list.set_codes(d.inspire_themes)
            self.iso_list.set_codes(d.iso_categories)
            for role in ("producer", "publisher"):
                org = getattr(d, role)
                for part in ("name", "siren", "siret"):
                    edit = self.org_edits.get(f"{role}_{part}")
                    if edit is not None:
                        edit.setText(getattr(org, part))
            self.contact_name_edit.setText(d.contact.name)
            self.contact_email_edit.setText(d.contact.email)
            self._extra_areas = {a.code: a for a in d.spatial_coverage if vocabulary.territory_area(a.code) is None}
            self.coverage_list.set_codes(
                [a.code for a in d.spatial_coverage],
                {a.code: f"{a.name or a.code} — {a.kind}" for a in self._extra_areas.values()},
            )
            self._set_combo(self.frequency_combo, d.frequency)
            self._set_combo(self.language_combo, d.language)
            for name, edit in self.date_edits.items():
                value = getattr(d, name)
                qdate = QDate.fromString(value[:10], "yyyy-MM-dd") if value else QDate()
                if qdate.isValid():
                    edit.setDate(qdate)
                else:
                    edit.clear()
            self.lineage_edit.setPlainText(d.lineage)
            self.attribution_edit.setText(d.attribution)
            self.identifier_edit.setText(d.identifier)
            self.landing_edit.setText(d.landing_page)
            self.download_edit.setText(d.download_url)
            self._show_schema(d.schema)
            self._show_licence(d)
        finally:
            self._loading = was_loading
        self.refresh_completeness()

    @staticmethod
    def _set_combo(combo: QComboBox, code: str) -> None:
        index = combo.findData(code or "")
        if index < 0 and code:
            combo.addItem(code, code)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))

    def description(self) -> DatasetDescription:
        """The description as shown in the form (fields the form does not show are kept from the layer)."""
        d = self.base.copy()
        d.title = self.title_edit.text().strip()
        d.description = self.description_edit.toPlainText().strip()
        d.keywords = self.keyword_editor.all_keywords()
        d.eu_themes = self.eu_themes_list.codes()
        d.inspire_themes = self.inspire_list.codes()
        d.iso_categories = self.iso_list.codes()
        for role in ("producer", "publisher"):
            org = getattr(d, role)
            for part in ("name", "siren", "siret"):
                edit = self.org_edits.get(f"{role}_{part}")
                if edit is not None:
                    setattr(org, part, edit.text().strip())
        d.contact.name = self.contact_name_edit.text().strip()
        d.contact.email = self.contact_email_edit.text().strip()
        areas = []
        for code in self.coverage_list.codes():
            entry = vocabulary.territory_area(code)
            if entry is not None:
                areas.append(Area(kind=entry["kind"], code=entry["code"], name=entry.get("name", "")))
            else:
                areas.append(self._extra_areas.get(code) or Area(kind="other", code=code, name=""))
        d.spatial_coverage = areas
        d.frequency = self.frequency_combo.currentData() or ""
        d.language = self.language_combo.currentData() or ""
        for name, edit in self.date_edits.items():
            qdate = edit.date()
            setattr(d, name, qdate.toString("yyyy-MM-dd") if not edit.isNull() and qdate.isValid() else "")
        d.lineage = self.lineage_edit.toPlainText().strip()
        d.attribution = self.attribution_edit.text().strip()
        d.identifier = self.identifier_edit.text().strip()
        d.landing_page = self.landing_edit.text().strip()
        d.download_url = self.download_edit.text().strip()
        return d

    def _show_schema(self, schema: SchemaRef) -> None:
        layer = self.current_layer()
        ref = str(layer.customProperty(SCHEMA_PROPERTY) or "") if layer is not None else ""
        if not schema.is_empty():
            text = f"<b>{schema.name or schema.url}</b>"
            if schema.version:
                version_word = self.tr("version")
                text += f" — {version_word} {schema.version}"
            if schema.url:
                text += f"<br><a href='{schema.url}'>{schema.url}</a>"
        elif ref:
            text = self.tr("Checked with « {ref} »: click « Prefill » to record it.").format(ref=ref)
        elif self._chosen_on_check_page(layer):
            text = self.tr(
                "« {ref} » is chosen on the « Check » page: check the layer, then click « Prefill »."
            ).format(ref=self.check_page.current_reference())
        else:
            text = self.tr("None: check the layer against a schema on the « Check » page to record it here.")
        self.schema_label.setText(text)

    def _chosen_on_check_page(self, layer) -> bool:
        page = self.check_page
        return bool(
            layer is not None and page is not None and page.current_layer() is layer and page.current_reference()
        )

    def _show_licence(self, d: DatasetDescription) -> None:
        entry = licence_entry(d.licence)
        if entry is not None:
            self.licence_label.setText(f"<b>{entry['short_fr']}</b>")
        elif d.licence:
            self.licence_label.setText(self.tr("« {licence} » (not recognised)").format(licence=d.licence))
        else:
            self.licence_label.setText(self.tr("None yet"))

    # ================================================================= layer
    def load_layer(self, layer: Optional[QgsVectorLayer]) -> None:
        from opendata_publisher.core.metadata.layer_metadata import read_layer_description

        if layer is None:
            self.set_description(DatasetDescription())
            self.set_status(self.tr("Choose the layer to describe."))
            return
        try:
            d = read_layer_description(layer)
        except Exception as exc:  # noqa: BLE001 - broken metadata must not break the dock
            self.show_error(
                self.tr("The metadata of « {layer} » cannot be read ({error}). The form starts empty.").format(
                    layer=layer.name(), error=exc
                )
            )
            d = DatasetDescription()
        self.set_description(d)
        if self.show_profile_locks():
            from opendata_publisher.core.shared_profile import apply_configured_profile

            fixed = apply_configured_profile(d, d.schema.name)
            changed = [
                FIELD_LABELS.get(name, name).lower()
                for name in self.profile_locks
                if _field_value(fixed, name) != _field_value(d, name) and (d.title or d.description)
            ]
            if changed:
                self.set_description(fixed)
                self.mark_dirty()
                self.set_status(
                    self.tr("The shared profile of the metropolis set: {fields}. Save to keep it.").format(
                        fields=", ".join(changed)
                    ),
                    "#a05a00",
                )
                return
        if not d.title and not d.description:
            self.set_status(self.tr("No description yet: click « Prefill », then type a title and a description."))
        else:
            self.set_status("")

    def update_licence_from_layer(self, layer_id: str) -> None:
        """The licence page saved the licence of ``layer_id``: take its licence fields and attribution."""
        layer = self.current_layer()
        if layer is None or layer.id() != layer_id:
            return
        from opendata_publisher.core.metadata.layer_metadata import read_layer_description

        saved = read_layer_description(layer)
        for name in ("licence", "licence_url", "licence_justification", "licence_homologation"):
            setattr(self.base, name, getattr(saved, name))
        was_loading, self._loading = self._loading, True
        try:
            if saved.attribution:
                self.attribution_edit.setText(saved.attribution)
            self._show_licence(self.base)
        finally:
            self._loading = was_loading
        self.refresh_completeness()

    # ================================================================= completeness
    def targets(self) -> List[str]:
        return [t for t in TARGETS if self.target_checks[t].isChecked()]

    def set_targets(self, targets) -> None:
        wanted = set(targets) | {"dcat"}
        for target, widget in self.target_checks.items():
            widget.blockSignals(True)
            widget.setChecked(target in wanted)
            widget.blockSignals(False)
        self.refresh_completeness()

    def refresh_completeness(self, *_args) -> List[Any]:
        """Check the form now; update the inline problems and the findings list."""
        self._completeness_timer.stop()
        if self.current_layer() is None:
            self.findings = []
        else:
            from opendata_publisher.core.shared_profile import findings_for

            required = list(self.required_targets_func()) if self.required_targets_func is not None else []
            description = self.description()
            self.findings = check_completeness(description, sorted(set(self.targets()) | set(required)))
            self.findings += findings_for(description)
        self.findings_view.set_findings(
            [
                replace(
                    f, field=FIELD_LABELS.get(f.field or "", f.field), extra={**(f.extra or {}), "form_field": f.field}
                )
                for f in self.findings
            ]
        )
        worst: Dict[str, Any] = {}
        for finding in self.findings:
            name = FIELD_ROW_ALIASES.get(finding.field or "", finding.field or "")
            if finding.severity not in (ERROR, WARNING) or name not in self.rows:
                continue
            if name not in worst or severity_rank(finding.severity) < severity_rank(worst[name].severity):
                worst[name] = finding
        for name, row in self.rows.items():
            finding = worst.get(name)
            if finding is None:
                row.set_problem()
            else:
                kind = "error" if finding.severity == ERROR else "warning"
                row.set_problem(kind, f"{finding.message} {finding.hint}".strip())
        # counted as the step list counts them: the licence has its own step
        from opendata_publisher.core.publish import LICENCE_FIELDS

        own = [f for f in self.findings if (f.field or "") not in LICENCE_FIELDS]
        errors = sum(1 for f in own if f.severity == ERROR)
        warnings = sum(1 for f in own if f.severity == WARNING)
        if self.current_layer() is None:
            self.completeness_label.setText("")
        elif errors:
            self.completeness_label.setText(
                self.tr("{errors} blocking gap(s) (red frames) and {warnings} warning(s).").format(
                    errors=errors, warnings=warnings
                )
            )
            self.completeness_label.setStyleSheet("color: #b00020; font-weight: bold;")
        elif warnings:
            self.completeness_label.setText(
                self.tr("Nothing blocking; {warnings} point(s) worth completing.").format(warnings=warnings)
            )
            self.completeness_label.setStyleSheet("color: #a05a00; font-weight: bold;")
        else:
            self.completeness_label.setText(self.tr("The description is complete for the chosen portals."))
            self.completeness_label.setStyleSheet("color: #1e7b34; font-weight: bold;")
        licence_gaps = sum(1 for f in self.findings if f.severity == ERROR and (f.field or "") in LICENCE_FIELDS)
        if licence_gaps and self.current_layer() is not None:
            licence_note = self.tr("The licence (listed below too) is chosen on the « Licence » step.")
            self.completeness_label.setText(f"{self.completeness_label.text()} {licence_note}")
        self.completenessChanged.emit(self.findings)
        return self.findings

    def problem_fields(self, severity: str = "error") -> List[str]:
        """Names of the rows showing a problem of this severity ("error" or "warning")."""
        return [name for name, row in self.rows.items() if row.severity == severity]

    def show_field_of(self, finding) -> None:
        """Scroll to the field of a finding and put the cursor in it."""
        if finding is None:
            return
        field_name = (finding.extra or {}).get("form_field") or finding.field or ""
        name = FIELD_ROW_ALIASES.get(field_name, field_name)
        row = self.rows.get(name)
        if row is None:
            return
        if name in ("identifier", "landing_page", "download_url"):
            self.advanced_box.setCollapsed(False)
        self.scroll.ensureWidgetVisible(row)
        row.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # ================================================================= prefill
    def schema_reference(self) -> str:
        layer = self.current_layer()
        return str(layer.customProperty(SCHEMA_PROPERTY) or "").strip() if layer is not None else ""

    def _known_schema(self, ref: str):
        if ref in self._schemas:
            return self._schemas[ref]
        return self.check_page.loaded_schema(ref) if self.check_page is not None else None

    def _profile(self):
        if self._profile_func is not None:
            return self._profile_func()
        from opendata_publisher.core.metadata.prefill import profile_from_settings

        return profile_from_settings()

    def prefill(self) -> None:
        """« Préremplir »: load the schema of the last check if needed, then fill the empty fields."""
        layer = self.current_layer()
        if layer is None:
            self.show_error(self.tr("Choose the layer to describe first."))
            return
        ref = self.schema_reference()
        if not ref or self._known_schema(ref) is not None:
            self.apply_prefill(self._known_schema(ref) if ref else None)
            return
        if "schema" in self._tasks:
            return
        from .tasks import SchemaTask

        task = SchemaTask(ref, self._schema_catalogue(), self._schema_loader)
        layer_id = layer.id()
        task.schemaReady.connect(lambda r, schema: self._schema_loaded(r, schema, layer_id))
        task.failed.connect(lambda message: self._schema_failed(message, layer_id))
        task.cancelledByUser.connect(lambda: self._tasks.done("schema"))
        self.prefill_button.setEnabled(False)
        self.set_status(self.tr("Loading the schema « {ref} »…").format(ref=ref))
        self._tasks.start("schema", task)

    def _schema_catalogue(self):
        """The catalogue of the settings, as the « Vérifier » page uses it (None when it cannot be built)."""
        catalogue = self._catalogue
        if catalogue is None and self.check_page is not None:
            with contextlib.suppress(Exception):
                catalogue = self.check_page.catalogue()
        return catalogue

    def _schema_loaded(self, ref: str, schema, layer_id: str) -> None:
        self._tasks.done("schema")
        self.prefill_button.setEnabled(True)
        self._schemas[ref] = schema
        if self.layer_id == layer_id:
            self.apply_prefill(schema)

    def _schema_failed(self, message: str, layer_id: str) -> None:
        self._tasks.done("schema")
        self.prefill_button.setEnabled(True)
        if self.layer_id == layer_id:
            self.apply_prefill(None)
            self.set_status(
                self.tr("Prefilled without the schema's title and keywords: {error}").format(error=message), "#a05a00"
            )

    def apply_prefill(self, schema=None) -> DatasetDescription:
        """Fill the empty fields of the form from the layer, ``schema`` and the organisation profile."""
        from opendata_publisher.core.metadata.prefill import prefill_description

        layer = self.current_layer()
        current = self.description()
        try:
            profile = self._profile()
        except Exception as exc:  # noqa: BLE001 - unreadable settings: prefill from the layer only
            profile = None
            self.show_error(self.tr("The organisation profile cannot be read ({error}).").format(error=exc))
        d = prefill_description(layer, schema, profile, current)
        ref = self.schema_reference()
        if schema is None and ref and d.schema.is_empty():
            from opendata_publisher.core.metadata.public import reference_schema_ref

            d.schema = reference_schema_ref(ref, self._schema_catalogue())
        from opendata_publisher.core.shared_profile import apply_configured_profile

        d = apply_configured_profile(d, d.schema.name)  # the shared profile's member, rules and locked fields
        dirty = self.dirty
        self.set_description(d)
        if d.to_dict() != current.to_dict() or dirty:
            self.mark_dirty()
        missing = [FIELD_LABELS[name].lower() for name in ("title", "description") if not getattr(d, name).strip()]
        if not profile or not (profile.organisation_name or profile.contact_email):
            self.set_status(
                self.tr(
                    "Prefilled from the layer. Fill in the organisation profile (Settings > Options > Open data) "
                    "so that producer, contact and territory are filled too."
                ),
                "#a05a00",
            )
        elif missing:
            self.set_status(
                self.tr("Prefilled. Now type: {fields}; then « Save in the layer ».").format(fields=", ".join(missing))
            )
        else:
            self.set_status(self.tr("Prefilled. Check the fields, then « Save in the layer »."))
        return d

    # ================================================================= save / export
    def save(self, to_datasource: Optional[bool] = None) -> bool:
        """« Enregistrer dans la couche » (and in the GeoPackage / .qmd when ticked or asked)."""
        from opendata_publisher.core.metadata.layer_metadata import save_to_datasource, write_layer_description

        layer = self.current_layer()
        if layer is None:
            self.show_error(self.tr("Choose the layer to describe first."))
            return False
        d = self.description()
        d.ensure_open_data_keyword()
        try:
            write_layer_description(layer, d)
        except Exception as exc:  # noqa: BLE001 - say it, keep the form as it is
            self.show_error(
                self.tr("The description could not be stored in « {layer} » ({error}).").format(
                    layer=layer.name(), error=exc
                )
            )
            return False
        QgsProject.instance().setDirty(True)
        self.base = d.copy()
        self.dirty = False
        self.dirty_changed()
        message = self.tr("Description saved in « {layer} ». Save the project to keep it.").format(layer=layer.name())
        color = "#1e7b34"
        if to_datasource if to_datasource is not None else self.save_file_check.isChecked():
            ok, text = save_to_datasource(layer)
            message += " " + text
            if not ok:
                color = "#a05a00"
        self.set_status(message, color)
        self.refresh_completeness()
        self.descriptionSaved.emit(layer.id())
        return True

    def export(self, fmt: str, path: Optional[str] = None) -> Optional[str]:
        """Write the form's description in ``fmt`` (see EXPORT_FORMATS) to ``path`` (asked when None)."""
        from opendata_publisher.core.metadata.export import EXTENSIONS, render

        layer = self.current_layer()
        if layer is None:
            self.show_error(self.tr("Choose the layer to describe first."))
            return None
        if path is None:
            suggested = str(Path.home() / f"{_safe_name(layer.name())}{EXTENSIONS[fmt]}")
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the description"), suggested, f"*{EXTENSIONS[fmt]}"
            )
            if not path:
                return None
        if not Path(path).suffix:
            path += EXTENSIONS[fmt]
        from ..core.safe_write import WriteError, write_text

        try:
            text = render(self.description(), fmt, layer)
            write_text(path, text, "Le fichier de métadonnées", make_folders=False)  # whole or not at all
        except WriteError as exc:
            self.show_error(
                self.tr("The file {path} could not be written ({error}).").format(path=path, error=exc.detail)
            )
            return None
        except Exception as exc:  # noqa: BLE001 - rendering
            self.show_error(self.tr("The file {path} could not be written ({error}).").format(path=path, error=exc))
            return None
        blocking = [f for f in self.findings if f.severity == ERROR]
        if blocking:
            self.set_status(
                self.tr("Exported to {path}, with {count} blocking gap(s) still to fill.").format(
                    path=path, count=len(blocking)
                ),
                "#a05a00",
            )
        else:
            self.set_status(self.tr("Exported to {path}.").format(path=path), "#1e7b34")
        return path

    def cleanup(self) -> None:
        if self._cleaned:
            return
        self._completeness_timer.stop()
        self._tasks.cleanup()
        super().cleanup()


def _field_value(d: DatasetDescription, name: str):
    return getattr(d, name, None)


def _safe_name(text: str) -> str:
    import re

    return re.sub(r"[^\w\-]+", "_", text).strip("_") or "metadonnees"


# ===================================================================== dock and layer menu
def add_to_dock(dock, iface) -> DescribePage:  # noqa: QGS105 - the dock passes its iface
    """Create the page and append it to ``dock`` (one line in the dock's constructor)."""
    page = DescribePage(iface, dock)
    page.check_page = getattr(dock, "check_page", None)
    if page.check_page is not None:  # the schema row follows the schema chosen on « Vérifier »
        page.check_page.schemaChanged.connect(lambda _ref: page._show_schema(page.base.schema))
    dock.describe_page = page
    dock.add_page(page, QCoreApplication.translate("OpenDataDock", "Describe"))

    def show_licence() -> None:
        licence_page = getattr(dock, "licence_page", None)
        if licence_page is not None:
            licence_page.set_layer(page.current_layer())
            dock.tabs.setCurrentWidget(licence_page)

    page.licenceRequested.connect(show_licence)
    return page


def open_in_dock(dock, layer) -> bool:
    """Show the dock on the « Décrire » page for ``layer``; False when the agent kept the current layer."""
    page = getattr(dock, "describe_page", None)
    if page is None:
        return False
    dock.setVisible(True)
    dock.raise_()
    dock.tabs.setCurrentWidget(page)
    return page.set_layer(layer) if layer is not None else True

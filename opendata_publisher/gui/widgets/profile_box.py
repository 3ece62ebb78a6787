"""« Profil de l'organisation » section of the Options page: what every dataset description starts from.

Edits the ``organisation_*``, ``contact_*``, ``default_licence``, ``default_keywords`` and
``territory_code`` fields of :class:`~opendata_publisher.toolbelt.settings.PluginSettings`. The options
page calls :meth:`OrganisationProfileBox.show_settings` and :meth:`OrganisationProfileBox.apply_to`;
fields forced by an environment variable are shown disabled and never written.
"""

from __future__ import annotations

from typing import Dict, Iterable, Optional

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from opendata_publisher.core.metadata import vocabulary
from opendata_publisher.core.metadata.licences import licence_choices

from .field_row import ERROR_COLOR, HELP_COLOR

PROFILE_FIELDS = (
    "organisation_name",
    "organisation_siren",
    "organisation_siret",
    "contact_name",
    "contact_email",
    "default_licence",
    "default_keywords",
    "territory_code",
)


class OrganisationProfileBox(QGroupBox):
    """The organisation profile, with a help line under each field and inline SIREN / SIRET / e-mail checks."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setTitle(self.tr("Organisation profile"))
        self.setObjectName("organisationProfile")
        outer = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Filled once, used by « Prefill » in every description: the agent then only types a title and a "
                "description."
            ),
            self,
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.locked_note = QLabel(self)
        self.locked_note.setObjectName("profileLockedNote")
        self.locked_note.setWordWrap(True)
        self.locked_note.setStyleSheet(f"color: {HELP_COLOR}; font-style: italic;")
        self.locked_note.setVisible(False)
        outer.addWidget(self.locked_note)
        self._locked: Dict[str, str] = {}
        self._own: Dict[str, str] = {}
        self._forced: set = set()
        self._tooltips: Dict[str, str] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        outer.addLayout(form)
        self.widgets: Dict[str, QWidget] = {}
        self.problems: Dict[str, QLabel] = {}
        helps = {
            "organisation_name": self.tr(
                "The organisation that produces and publishes the data (e.g. Orléans Métropole)."
            ),
            "organisation_siren": self.tr("Its SIREN: 9 digits (annuaire-entreprises.data.gouv.fr)."),
            "organisation_siret": self.tr(
                "Its SIRET: 14 digits starting with the SIREN; the SCDL catalogue asks for it."
            ),
            "contact_name": self.tr("The service that answers questions about the data (e.g. Service SIG)."),
            "contact_email": self.tr("A generic address of that service (sig@…), not a personal one."),
            "default_licence": self.tr("Proposed for every dataset; the Licence Ouverte 2.0 is recommended."),
            "default_keywords": self.tr("Added to every description, separated by « ; » (e.g. Orléans; métropole)."),
            "territory_code": self.tr("The territory covered by default: the EPCI (SIREN) or a commune (INSEE code)."),
        }
        labels = {
            "organisation_name": self.tr("Organisation"),
            "organisation_siren": self.tr("SIREN"),
            "organisation_siret": self.tr("SIRET"),
            "contact_name": self.tr("Contact service"),
            "contact_email": self.tr("Contact e-mail"),
            "default_licence": self.tr("Default licence"),
            "default_keywords": self.tr("Default keywords"),
            "territory_code": self.tr("Territory"),
        }
        for name in PROFILE_FIELDS:
            if name == "default_licence":
                widget = QComboBox(self)
                for choice in licence_choices():
                    widget.addItem(choice.short_label, choice.id)
                widget.currentIndexChanged.connect(self.check)
            elif name == "territory_code":
                widget = QComboBox(self)
                widget.addItem(self.tr("— none —"), "")
                for item in vocabulary.territory():
                    widget.addItem(f"{item['name']} ({item['code']})", item["code"])
            else:
                widget = QLineEdit(self)
                widget.textChanged.connect(self.check)
            widget.setObjectName(f"profile_{name}")
            widget.setToolTip(helps[name])
            self._tooltips[name] = helps[name]
            cell = QWidget(self)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(1)
            cell_layout.addWidget(widget)
            help_label = QLabel(helps[name], cell)
            help_label.setWordWrap(True)
            help_label.setStyleSheet(f"color: {HELP_COLOR}; font-size: 90%;")
            cell_layout.addWidget(help_label)
            problem = QLabel(cell)
            problem.setObjectName(f"profileProblem_{name}")
            problem.setWordWrap(True)
            problem.setStyleSheet(f"color: {ERROR_COLOR};")
            problem.setVisible(False)
            cell_layout.addWidget(problem)
            form.addRow(labels[name], cell)
            self.widgets[name] = widget
            self.problems[name] = problem

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("OrganisationProfileBox", text)

    # -- values -------------------------------------------------------------------------------------------
    def value(self, name: str) -> str:
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        return widget.text().strip()

    def set_value(self, name: str, value: str) -> None:
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            index = widget.findData(value or "")
            if index < 0 and value:
                widget.addItem(value, value)
                index = widget.count() - 1
            widget.setCurrentIndex(max(index, 0))
        else:
            widget.setText(value or "")

    def show_settings(self, settings, overridden: Iterable[str] = ()) -> None:
        forced = set(overridden)
        self._forced = forced
        self._own = {name: str(getattr(settings, name, "") or "") for name in PROFILE_FIELDS}
        for name in PROFILE_FIELDS:
            if name in self._locked:
                continue
            self.set_value(name, self._own[name])
            self.widgets[name].setEnabled(name not in forced)
        self.check()

    def lock(self, values: Dict[str, str], note: str) -> None:
        """Show ``values`` (field → value) as fixed by the shared profile: disabled, with ``note``; the
        other fields go back to the agent's own values. Locked fields are never written to the settings."""
        for name in list(self._locked):
            if name not in values:
                self.set_value(name, self._own.get(name, ""))
                self.widgets[name].setEnabled(name not in self._forced)
                self.widgets[name].setToolTip(self._tooltips[name])
        self._locked = dict(values)
        for name, value in values.items():
            if name not in self.widgets:
                continue
            self.set_value(name, value)
            self.widgets[name].setEnabled(False)
            self.widgets[name].setToolTip(f"{note} — {self._tooltips[name]}" if note else self._tooltips[name])
        self.locked_note.setText(
            self.tr("Fields in grey are {note}: change them in the shared profile, not here.").format(note=note)
            if values
            else ""
        )
        self.locked_note.setVisible(bool(values))
        self.check()

    def locked(self) -> Dict[str, str]:
        return dict(self._locked)

    def apply_to(self, settings, overridden: Iterable[str] = ()) -> None:
        """Copy the shown values into ``settings`` (fields forced by the environment or locked by the shared
        profile are left alone: the agent's own values stay for when the profile says nothing)."""
        forced = set(overridden)
        for name in PROFILE_FIELDS:
            if name not in forced and name not in self._locked:
                setattr(settings, name, self.value(name))

    def check(self, *_args) -> Dict[str, str]:
        """Show and return the problems of the SIREN, SIRET and e-mail fields (field → French message)."""
        from opendata_publisher.core.checks.custom import check_siren, check_siret
        from opendata_publisher.core.metadata.model import is_email

        found: Dict[str, str] = {}
        siren = self.value("organisation_siren")
        siret = self.value("organisation_siret")
        email = self.value("contact_email")
        if siren:
            problem = check_siren(siren)
            if problem:
                found["organisation_siren"] = f"{problem.message} {problem.hint}".strip()
        if siret:
            problem = check_siret(siret)
            if problem:
                found["organisation_siret"] = f"{problem.message} {problem.hint}".strip()
            elif siren and not siret.startswith(siren):
                found["organisation_siret"] = self.tr("The SIRET must start with the 9 digits of the SIREN.")
        if email and not is_email(email):
            found["contact_email"] = self.tr("This is not an e-mail address: write it as service@organisation.fr.")
        for name, label in self.problems.items():
            label.setText(found.get(name, ""))
            label.setVisible(name in found)
        return found

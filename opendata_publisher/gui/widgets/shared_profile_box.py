"""« Profil partagé du territoire » section of the Options page: where the metropolis' shared profile is,
and which member the agent publishes for (« Je publie pour : Saran »).

The profile is read through the QGIS network stack (``core.shared_profile.configured_profile``), cached and
used offline; a profile that cannot be read keeps the last good one, and the status line says so. Fields of
the organisation profile fixed by the shared profile for the chosen member are shown locked, with
« défini par le profil de la métropole » (:meth:`OrganisationProfileBox.lock`).
"""

from __future__ import annotations

from typing import Iterable, Optional

from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core import shared_profile

from .field_row import ERROR_COLOR, HELP_COLOR


class SharedProfileBox(QGroupBox):
    """Address of the shared profile, « Je publie pour », status of the last reading, « Relire »."""

    def __init__(self, organisation_box=None, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.organisation_box = organisation_box
        self.profile: Optional[shared_profile.Profile] = None
        self.setTitle(self.tr("Shared profile of the territory"))
        self.setObjectName("sharedProfile")
        outer = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The common open data language of the metropolis and its communes: organisations on the shared "
                "portal, defaults and naming rules. Its address is given by the metropolis' GIS team."
            ),
            self,
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        outer.addLayout(form)

        self.source = QgsFileWidget(self)
        self.source.setObjectName("shared_profile")
        self.source.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.source.setFilter(self.tr("Shared profile (*.json)"))
        self.source.lineEdit().setPlaceholderText("https://…/profil-partage.json")
        self.source.setToolTip(self.tr("Address (https://…) or file of the shared profile; empty: no shared profile"))
        self.reload_button = QPushButton(self.tr("Read again"), self)
        self.reload_button.setObjectName("reload_shared_profile")
        self.reload_button.setToolTip(self.tr("Read the shared profile now (network or file)"))
        self.reload_button.clicked.connect(self.reload)
        row = QHBoxLayout()
        row.addWidget(self.source, 1)
        row.addWidget(self.reload_button)
        form.addRow(self.tr("Shared profile"), row)

        self.member = QComboBox(self)
        self.member.setObjectName("profile_member")
        self.member.setToolTip(
            self.tr("The organisation, contact and naming rules of your descriptions follow from this choice")
        )
        self.member.currentIndexChanged.connect(self._member_changed)
        form.addRow(self.tr("I publish for"), self.member)

        self.status = QLabel(self)
        self.status.setObjectName("shared_profile_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.status)

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("SharedProfileBox", text)

    # -- reading --------------------------------------------------------------------------------------------

    def reload(self, *_args, refresh: bool = True) -> None:
        """Read the profile at the shown address and fill « Je publie pour »."""
        from opendata_publisher.toolbelt.settings import PluginSettings

        wanted = self.member_id()
        settings = PluginSettings.load()
        settings.shared_profile = self.source.filePath().strip()
        if not settings.shared_profile:
            self.profile = None
            self._fill_members("")
            self._say("", error=False)
            return
        result = shared_profile.configured_profile(settings, refresh=refresh)
        self.profile = result.profile
        self._fill_members(wanted or settings.profile_member)
        if result.ok:
            origin = self.tr(" (copy kept offline)") if result.origin == "cache" else ""
            text = self.tr("{label}: {count} members{origin}.").format(
                label=result.profile.label, count=len(result.profile.members), origin=origin
            )
            if result.profile.maintainer.email:
                text += " " + self.tr("Questions: {email}.").format(email=result.profile.maintainer.email)
            if result.message:
                text += "\n" + result.message
            self._say(text, error=bool(result.message))
        else:
            self._say(result.message, error=True)

    def _say(self, text: str, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {ERROR_COLOR};" if error else f"color: {HELP_COLOR};")

    def _fill_members(self, selected: str) -> None:
        self.member.blockSignals(True)
        self.member.clear()
        self.member.addItem(self.tr("— choose —") if self.profile else self.tr("— no shared profile —"), "")
        if self.profile is not None:
            for member in self.profile.members:
                self.member.addItem(member.label, member.id)
        index = self.member.findData(selected) if selected else 0
        self.member.setCurrentIndex(max(index, 0))
        self.member.setEnabled(self.profile is not None and self.isEnabled())
        self.member.blockSignals(False)
        self._member_changed()

    def member_id(self) -> str:
        return str(self.member.currentData() or "")

    def _member_changed(self, *_args) -> None:
        if self.organisation_box is None:
            return
        member = self.profile.member(self.member_id()) if self.profile and self.member_id() else None
        if member is None:
            self.organisation_box.lock({}, "")
            return
        org = shared_profile.organisation_profile(self.profile, member)
        values = {
            "organisation_name": org.organisation_name,
            "organisation_siren": org.organisation_siren,
            "organisation_siret": org.organisation_siret,
            "contact_name": org.contact_name,
            "contact_email": org.contact_email,
            "default_licence": org.default_licence if self.profile.licence else "",
            "territory_code": org.territory_code,
        }
        self.organisation_box.lock({k: v for k, v in values.items() if v}, shared_profile.LOCKED_LABEL)

    # -- settings -------------------------------------------------------------------------------------------

    def show_settings(self, settings, overridden: Iterable[str] = ()) -> None:
        forced = set(overridden)
        self.source.setFilePath(settings.shared_profile)
        self.source.setEnabled("shared_profile" not in forced)
        self.reload_button.setEnabled("shared_profile" not in forced)
        self.member.setEnabled("profile_member" not in forced)
        self.reload(refresh=False)
        index = self.member.findData(settings.profile_member)
        if index >= 0:
            self.member.setCurrentIndex(index)

    def apply_to(self, settings, overridden: Iterable[str] = ()) -> None:
        forced = set(overridden)
        if "shared_profile" not in forced:
            settings.shared_profile = self.source.filePath().strip()
        if "profile_member" not in forced:
            settings.profile_member = self.member_id()
        shared_profile.forget_session()  # the next use reads the saved address

"""Typed plugin settings stored in the QGIS profile (``QgsSettings`` group ``opendata_publisher``).

Every field can be forced by an environment variable ``QGIS_OPENDATA_PUBLISHER_<FIELD>`` (upper case),
e.g. ``QGIS_OPENDATA_PUBLISHER_CATALOGUE_URL=https://intranet/schemas.json`` for a managed deployment
or ``QGIS_OPENDATA_PUBLISHER_DEBUG=1`` for a support session. The environment wins over the profile.

Usage::

    settings = PluginSettings.load()
    settings.request_timeout_s = 60
    settings.save()
    cache = settings.cache_directory()        # Path, created on demand
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Dict, Optional

from qgis.core import QgsApplication, QgsSettings

from ..compat import to_bool, to_int, to_str

SETTINGS_GROUP = "opendata_publisher"
ENV_PREFIX = "QGIS_OPENDATA_PUBLISHER_"
DEFAULT_CATALOGUE_URL = "https://schema.data.gouv.fr/schemas.json"

#: bumped by every :meth:`PluginSettings.save` (see :func:`revision`)
_revision = 0


def revision() -> int:
    """How many times the settings were saved in this session: a reader that keeps a setting in memory
    (the logger's debug switch) reads it again when this number changes."""
    return _revision


@dataclass
class PluginSettings:
    """What the user can set in Préférences > Options > Données ouvertes."""

    #: catalogue of schemas (schema.data.gouv.fr format)
    catalogue_url: str = DEFAULT_CATALOGUE_URL
    #: folder for downloaded catalogue and schemas; "" = default (see :meth:`cache_directory`)
    cache_dir: str = ""
    #: network timeout, in seconds, for one HTTP request
    request_timeout_s: int = 30
    #: write debug messages to the QGIS message log
    debug: bool = False
    #: "selected features only" ticked by default in the check page
    selected_only_default: bool = False
    # -- shared profile of the territory (opendata_publisher.core.shared_profile) --------------------------
    #: URL or path of the metropolis' shared profile (QGIS_OPENDATA_PUBLISHER_SHARED_PROFILE in deployments)
    shared_profile: str = ""
    #: the member the agent publishes for (member id of the shared profile, e.g. "saran")
    profile_member: str = ""
    #: local publication folder; "" = « Données ouvertes » in the user's Documents (see connections.default_folder)
    publication_dir: str = ""
    # -- organisation profile (prefills every dataset description; opendata_publisher.core.metadata) ----
    #: organisation that produces and publishes the data ("Orléans Métropole")
    organisation_name: str = ""
    #: its SIREN (9 digits)
    organisation_siren: str = ""
    #: its SIRET (14 digits; the SCDL catalogue asks for it)
    organisation_siret: str = ""
    #: contact point: service name and generic e-mail address
    contact_name: str = ""
    contact_email: str = ""
    #: licence id of metadata/licences.json offered by default
    default_licence: str = "etalab-2.0"
    #: keywords added to every description, separated by ";"
    default_keywords: str = ""
    #: territory: SIREN of the EPCI or INSEE code of the commune
    territory_code: str = ""

    # -- persistence ---------------------------------------------------------------------------------

    @classmethod
    def field_names(cls) -> list:
        return [f.name for f in fields(cls)]

    @classmethod
    def env_overrides(cls) -> Dict[str, str]:
        """Field name → raw value of the ``QGIS_OPENDATA_PUBLISHER_*`` variables that are set."""
        result = {}
        for name in cls.field_names():
            value = os.environ.get(ENV_PREFIX + name.upper())
            if value is not None:
                result[name] = value
        return result

    @classmethod
    def load(cls, qsettings: Optional[QgsSettings] = None, apply_env: bool = True) -> PluginSettings:
        """Read the profile settings, then apply the environment overrides (unless ``apply_env`` is False).

        Missing or invalid stored values fall back to the defaults.
        """
        qsettings = qsettings or QgsSettings()
        defaults = cls()
        values: Dict[str, Any] = {}
        qsettings.beginGroup(SETTINGS_GROUP)
        try:
            for f in fields(cls):
                values[f.name] = qsettings.value(f.name, None)
        finally:
            qsettings.endGroup()
        if apply_env:
            values.update(cls.env_overrides())
        kwargs = {name: _coerce(value, getattr(defaults, name)) for name, value in values.items()}
        settings = cls(**kwargs)
        settings._sanitize()
        return settings

    def save(self, qsettings: Optional[QgsSettings] = None) -> None:
        """Write every field to the profile (and refresh the logger's debug switch)."""
        self._sanitize()
        qsettings = qsettings or QgsSettings()
        qsettings.beginGroup(SETTINGS_GROUP)
        try:
            for f in fields(self):
                qsettings.setValue(f.name, getattr(self, f.name))  # noqa: QGS202 - QgsSettings returns nothing
        finally:
            qsettings.endGroup()
        qsettings.sync()
        global _revision
        _revision += 1  # readers that keep a setting (the logger's debug switch) read it again

    @classmethod
    def reset(cls, qsettings: Optional[QgsSettings] = None) -> None:
        """Forget every stored value (back to the defaults)."""
        qsettings = qsettings or QgsSettings()
        qsettings.remove(SETTINGS_GROUP)
        qsettings.sync()

    def _sanitize(self) -> None:
        self.catalogue_url = self.catalogue_url.strip() or DEFAULT_CATALOGUE_URL
        self.cache_dir = self.cache_dir.strip()
        if self.request_timeout_s <= 0:
            self.request_timeout_s = PluginSettings.request_timeout_s

    # -- derived values ------------------------------------------------------------------------------

    def cache_directory(self, create: bool = True) -> Path:
        """The schema cache folder: ``cache_dir`` when set, else ``<QGIS profile>/opendata_publisher/cache``."""
        path = Path(self.cache_dir).expanduser() if self.cache_dir else default_cache_directory()
        if create:
            path.mkdir(parents=True, exist_ok=True)
        return path


def default_cache_directory() -> Path:
    """``<QGIS profile folder>/opendata_publisher/cache`` (not created)."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "opendata_publisher" / "cache"


def cache_directory(settings: Optional[PluginSettings] = None, create: bool = True) -> Path:
    """The schema cache folder of the current settings (see :meth:`PluginSettings.cache_directory`)."""
    return (settings or PluginSettings.load()).cache_directory(create=create)


def _coerce(value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        return to_bool(value, default)
    if isinstance(default, int):
        return to_int(value, default)
    return to_str(value, default)

"""Portal connections saved in the QGIS profile (``QgsSettings`` group ``opendata_publisher/connections``).

A connection is a :class:`~opendata_publisher.core.portals.base.PortalConnection` (portal type, name, URL,
organisation, id of the QGIS authentication configuration holding the key…). The key itself is never stored
here: it lives in the QGIS authentication database (:mod:`opendata_publisher.toolbelt.auth`).

``folder:<path>`` names a pseudo-connection to a local publication folder (no account needed); it is never
stored. :func:`resolve_connection` accepts a saved name or a ``folder:`` reference.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional
from urllib.parse import quote, unquote

from qgis.core import QgsSettings

from .base import PORTAL_TYPES, PortalConnection, PortalError

GROUP = "opendata_publisher/connections"
FOLDER_PREFIX = "folder:"
_FORBIDDEN_KEYS = ("key", "api_key", "apikey", "password", "token", "secret")


PUBLICATION_FOLDER_NAME = "Données ouvertes"


def documents_folder() -> Path:
    """The user's Documents folder (Windows « Documents », Linux ``~/Documents`` or its translation)."""
    from qgis.PyQt.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home() / "Documents"


def default_folder() -> Path:
    """The local publication folder: the one chosen on the « Publier » page (setting ``publication_dir``), else
    « Données ouvertes » in the user's Documents, where an agent finds it (not buried in the QGIS profile)."""
    from ...toolbelt.settings import PluginSettings

    try:
        chosen = PluginSettings.load().publication_dir.strip()
    except Exception:  # noqa: BLE001 - unreadable settings: the default folder
        chosen = ""
    return Path(chosen).expanduser() if chosen else documents_folder() / PUBLICATION_FOLDER_NAME


def remember_folder(path) -> None:
    """Keep ``path`` as the publication folder of the next sessions (setting ``publication_dir``)."""
    from ...toolbelt.settings import PluginSettings

    settings = PluginSettings.load(apply_env=False)
    settings.publication_dir = str(path)
    settings.save()


def folder_connection(path) -> PortalConnection:
    """The pseudo-connection ``folder:<path>`` (local publication folder)."""
    text = str(path).strip()
    folder = Path(text).expanduser() if text else default_folder()
    return PortalConnection(name=f"{FOLDER_PREFIX}{folder}", portal_type="folder", base_url=str(folder))


def _key(name: str) -> str:
    return quote(name, safe="")


PROFILE_AUTH_GROUP = "opendata_publisher/profile_auth"


def _profile_portals(settings: Optional[QgsSettings] = None):
    """(portal id, connection) of the shared profile's portals for the chosen member ([] without them)."""
    try:
        from ..shared_profile import connection_name, current_member, profile_connections
    except ImportError:  # pragma: no cover - packaging problem: the plugin's own connections still work
        return []
    try:
        profile, member = current_member()
    except Exception:  # noqa: BLE001 - a broken profile never hides the agent's own connections
        return []
    if profile is None or member is None:
        return []
    settings = settings or QgsSettings()
    auth = {p.id: str(settings.value(f"{PROFILE_AUTH_GROUP}/{p.id}", "") or "") for p in profile.portals}
    connections = {c.name: c for c in profile_connections(profile, member, auth)}
    return [(p.id, connections[connection_name(p)]) for p in profile.portals]


def is_profile_connection(name: str, settings: Optional[QgsSettings] = None) -> bool:
    """True for a connection given by the shared profile (address and organisation are the profile's)."""
    return any(c.name == name for _id, c in _profile_portals(settings))


def list_connections(settings: Optional[QgsSettings] = None) -> List[PortalConnection]:
    """The shared profile's connections (ready to use once the agent adds a key), then the saved ones, by name."""
    saved = _saved_connections(settings)
    names = {c.name for c in saved}
    shared = [c for _id, c in _profile_portals(settings) if c.name not in names]
    return shared + saved


def _saved_connections(settings: Optional[QgsSettings] = None) -> List[PortalConnection]:
    settings = settings or QgsSettings()
    settings.beginGroup(GROUP)
    try:
        keys = list(settings.childKeys())
        raw = {key: settings.value(key, "") for key in keys}
    finally:
        settings.endGroup()
    result = []
    for key, value in raw.items():
        try:
            data = json.loads(str(value))
        except ValueError:
            continue
        if isinstance(data, dict):
            data.setdefault("name", unquote(key))
            result.append(PortalConnection.from_dict(data))
    return sorted(result, key=lambda c: c.name.casefold())


def get_connection(name: str, settings: Optional[QgsSettings] = None) -> Optional[PortalConnection]:
    """The saved connection called ``name`` (or the ``folder:<path>`` pseudo-connection), else None."""
    if name.startswith(FOLDER_PREFIX):
        return folder_connection(name[len(FOLDER_PREFIX) :])
    for connection in list_connections(settings):
        if connection.name == name:
            return connection
    return None


def save_connection(connection: PortalConnection, settings: Optional[QgsSettings] = None) -> None:
    """Add or update (same name) a connection. Never stores a secret."""
    name = connection.name.strip()
    if not name:
        raise ValueError("Donnez un nom à la connexion.")
    if name.startswith(FOLDER_PREFIX):
        raise ValueError(f"Un nom de connexion ne peut pas commencer par « {FOLDER_PREFIX} ».")
    if connection.portal_type not in PORTAL_TYPES:
        raise ValueError(f"Type de portail inconnu « {connection.portal_type} » (attendu : {', '.join(PORTAL_TYPES)}).")
    for portal_id, shared in _profile_portals(settings):
        if shared.name == name:
            # address, type and organisation come from the shared profile: only the agent's key is kept
            settings = settings or QgsSettings()
            settings.setValue(f"{PROFILE_AUTH_GROUP}/{portal_id}", connection.authcfg or "")
            settings.sync()
            return
    data = connection.to_dict()
    data["name"] = name
    for forbidden in _FORBIDDEN_KEYS:
        data.pop(forbidden, None)
    settings = settings or QgsSettings()
    settings.setValue(f"{GROUP}/{_key(name)}", json.dumps(data, ensure_ascii=False))
    settings.sync()


def remove_connection(name: str, remove_key: bool = False, settings: Optional[QgsSettings] = None) -> bool:
    """Forget a connection; with ``remove_key`` its QGIS authentication configuration is deleted too."""
    settings = settings or QgsSettings()
    connection = get_connection(name, settings)
    if connection is None or name.startswith(FOLDER_PREFIX) or is_profile_connection(name, settings):
        return False
    settings.remove(f"{GROUP}/{_key(name)}")
    settings.sync()
    if remove_key and connection.authcfg:
        from ...toolbelt.auth import remove_api_key

        remove_api_key(connection.authcfg)
    return True


def resolve_connection(reference: str, settings: Optional[QgsSettings] = None) -> PortalConnection:
    """A saved connection name or ``folder:<path>``; raises PortalError (French) when unknown."""
    text = (reference or "").strip()
    if not text:
        return folder_connection("")
    connection = get_connection(text, settings)
    if connection is None:
        known = ", ".join(c.name for c in list_connections(settings)) or "aucune"
        raise PortalError(
            f"Connexion « {text} » inconnue (connexions enregistrées : {known}). Créez-la dans Préférences > "
            "Options > Données ouvertes, ou indiquez folder:<dossier> pour publier dans un dossier local.",
            kind="other",
        )
    return connection


def connection_from_parts(
    portal_type: str, base_url: str, organisation: str = "", authcfg: str = ""
) -> PortalConnection:
    """A connection given in full (unattended runs: no Options dialog), named after the portal's address so that
    the next run finds the same dataset reference. ``authcfg`` is the id of a QGIS authentication
    configuration holding the key, never the key itself."""
    kind = (portal_type or "").strip().lower()
    if kind == "folder":
        return folder_connection(base_url)
    if kind not in PORTAL_TYPES:
        raise PortalError(
            f"Type de portail inconnu « {portal_type} » (attendu : {', '.join(PORTAL_TYPES)}).", kind="other"
        )
    url = (base_url or "").strip().rstrip("/")
    if not url:
        raise PortalError("Indiquez l'adresse du portail (PORTAL_URL).", kind="other")
    return PortalConnection(
        name=f"{kind} {url}",
        portal_type=kind,
        base_url=url,
        organisation=(organisation or "").strip(),
        authcfg=(authcfg or "").strip(),
    )

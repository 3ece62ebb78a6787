"""Publication targets. :func:`adapter_for` gives the adapter of a connection (imported on demand, so a
missing or broken portal module only affects that portal)."""

from __future__ import annotations

import importlib

from .base import PORTAL_TYPES, PortalAdapter, PortalConnection, PortalError

#: portal type -> (module relative to this package, class name)
ADAPTERS = {
    "udata": (".udata", "UdataAdapter"),
    "opendatasoft": (".opendatasoft", "OpendatasoftAdapter"),
    "ckan": (".ckan", "CkanAdapter"),
    "folder": (".folder", "FolderAdapter"),
}

PORTAL_LABELS = {
    "udata": "data.gouv.fr (udata)",
    "opendatasoft": "Opendatasoft",
    "ckan": "CKAN",
    "folder": "dossier de publication local",
}


def adapter_for(connection: PortalConnection) -> PortalAdapter:
    """The adapter for ``connection.portal_type``. Raises :class:`PortalError` (French) when unavailable."""
    portal_type = (connection.portal_type or "").strip().lower()
    if portal_type not in ADAPTERS:
        raise PortalError(
            f"Type de portail inconnu « {connection.portal_type} » pour la connexion « {connection.name} » "
            f"(attendu : {', '.join(PORTAL_TYPES)}). Corrigez la connexion dans Préférences > Options > Données "
            "ouvertes.",
            kind="other",
        )
    module_name, class_name = ADAPTERS[portal_type]
    try:
        module = importlib.import_module(module_name, __name__)
        adapter_class = getattr(module, class_name)
    except (ImportError, AttributeError) as exc:
        raise PortalError(
            f"La publication vers {PORTAL_LABELS[portal_type]} n'est pas disponible dans cette version de "
            f"l'extension ({type(exc).__name__} : {exc}). Mettez l'extension à jour, ou publiez dans un dossier "
            "local en attendant.",
            kind="other",
        ) from exc
    return adapter_class(connection)

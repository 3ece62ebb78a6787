"""Portal API keys in the QGIS authentication database (never in settings, logs or messages).

A key is kept as the password of a QGIS authentication configuration of method ``Basic`` (available on
every QGIS since 3.0; QGIS 3.22 has no "API header" method), user name ``apikey``. The portal adapters
read it with :func:`api_key` and put it in the portal's own header (``X-API-KEY``, ``Authorization``…).

::

    authcfg = store_api_key("data.gouv.fr (Orléans Métropole)", key)   # id of the QGIS auth config
    key = api_key(authcfg)                                               # raises AuthError (French)
    remove_api_key(authcfg)

The QGIS authentication database is encrypted with a master password. In the QGIS window, QGIS asks for it
when needed (:func:`ensure_master_password`, main thread only); in a background thread or in
``qgis_process`` nobody can type it: when it has not been entered yet, :class:`AuthError` says so.
"""

from __future__ import annotations

from qgis.core import QgsApplication, QgsAuthMethodConfig
from qgis.PyQt.QtCore import QCoreApplication, QThread

AUTH_METHOD = "Basic"
USERNAME = "apikey"


class AuthError(Exception):
    """The key cannot be stored or read. ``str()`` is French: what is wrong and what to do."""


def _manager():
    manager = QgsApplication.authManager()
    if manager is None or manager.isDisabled():
        raise AuthError(
            "La base d'authentification de QGIS est indisponible (désactivée ou illisible) : la clé d'API ne peut "
            "être ni enregistrée ni lue. Vérifiez Préférences > Options > Authentification, puis redémarrez QGIS."
        )
    return manager


def _on_main_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


def ensure_master_password(manager=None) -> None:
    """Make sure the master password of the QGIS authentication database is entered.

    On the main thread QGIS asks the agent for it (or reads it from the system keyring); elsewhere, or when it
    is refused, raise :class:`AuthError`.
    """
    manager = manager or _manager()
    if manager.masterPasswordIsSet():
        return
    if _on_main_thread() and manager.setMasterPassword(True):
        return
    if manager.masterPasswordHashInDatabase():
        raise AuthError(
            "Le mot de passe principal de l'authentification QGIS n'a pas été saisi ou a été refusé : la clé d'API "
            "du portail ne peut pas être lue. Ouvrez QGIS, saisissez ce mot de passe quand il est demandé "
            "(Préférences > Options > Authentification), puis relancez la publication."
        )
    raise AuthError(
        "Aucun mot de passe principal n'est défini pour l'authentification QGIS : la clé d'API ne peut pas être "
        "enregistrée. Définissez-le dans Préférences > Options > Authentification, puis recommencez."
    )


def store_api_key(name: str, key: str, authcfg: str = "") -> str:
    """Store ``key`` in the QGIS authentication database; return the configuration id.

    With ``authcfg`` (an existing id), that configuration is updated in place.
    """
    if not key or not str(key).strip():
        raise AuthError("La clé d'API est vide : copiez-la depuis votre compte sur le portail, puis recommencez.")
    manager = _manager()
    ensure_master_password(manager)
    config = QgsAuthMethodConfig(AUTH_METHOD)
    config.setName(name or "Open Data Publisher")
    config.setConfig("username", USERNAME)
    config.setConfig("password", str(key).strip())
    if authcfg and authcfg in manager.configIds():
        config.setId(authcfg)
        ok = manager.updateAuthenticationConfig(config)
    else:
        if authcfg:
            config.setId(authcfg)
        outcome = manager.storeAuthenticationConfig(config)
        ok = outcome[0] if isinstance(outcome, tuple) else bool(outcome)
    if not ok or not config.id():
        raise AuthError(
            "La clé d'API n'a pas pu être enregistrée dans la base d'authentification de QGIS. Vérifiez le mot de "
            "passe principal (Préférences > Options > Authentification), puis recommencez."
        )
    return config.id()


def has_api_key(authcfg: str) -> bool:
    """True when a configuration with this id exists (its secret is not read)."""
    manager = QgsApplication.authManager()
    return bool(authcfg) and manager is not None and authcfg in manager.configIds()


def api_key(authcfg: str) -> str:
    """The key stored in the configuration ``authcfg``. Raises :class:`AuthError` (French) when unavailable."""
    if not authcfg:
        raise AuthError(
            "Aucune clé d'API n'est enregistrée pour ce portail. Saisissez-la dans Préférences > Options > "
            "Données ouvertes (connexions aux portails)."
        )
    manager = _manager()
    if authcfg not in manager.configIds():
        raise AuthError(
            f"La configuration d'authentification « {authcfg} » n'existe plus dans QGIS. Saisissez de nouveau la clé "
            "d'API dans Préférences > Options > Données ouvertes (connexions aux portails)."
        )
    ensure_master_password(manager)
    config = QgsAuthMethodConfig()
    outcome = manager.loadAuthenticationConfig(authcfg, config, True)
    ok = outcome[0] if isinstance(outcome, tuple) else bool(outcome)
    if isinstance(outcome, tuple) and len(outcome) > 1 and isinstance(outcome[1], QgsAuthMethodConfig):
        config = outcome[1]
    key = config.config("password") if ok else ""
    if not key:
        raise AuthError(
            f"La clé d'API de la configuration « {authcfg} » est illisible (mot de passe principal refusé ou "
            "configuration d'un autre type). Saisissez de nouveau la clé dans Préférences > Options > Données "
            "ouvertes."
        )
    return str(key)


def remove_api_key(authcfg: str) -> None:
    """Delete the configuration (nothing happens when it does not exist)."""
    if not authcfg:
        return
    manager = _manager()
    if authcfg in manager.configIds() and not manager.removeAuthenticationConfig(authcfg):
        raise AuthError(
            f"La configuration d'authentification « {authcfg} » n'a pas pu être supprimée. Supprimez-la à la main "
            "dans Préférences > Options > Authentification."
        )

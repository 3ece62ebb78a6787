"""Translations: English source strings, French (and later other) ``.qm`` files in the package's i18n folder.

The ``.ts`` sources live in the repository's ``i18n/`` folder; ``make translate`` refreshes them with
pylupdate5 and compiles them with lrelease; ``make package`` ships the compiled ``.qm`` inside the plugin
folder (``opendata_publisher/i18n/opendata_publisher_fr.qm``). In the source tree the ``.qm`` is looked up
in ``<repo>/i18n/`` too, so ``make run`` shows the French interface after ``make translate``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from ..__about__ import PACKAGE_DIR, PLUGIN_SLUG

DEFAULT_CONTEXT = "OpenDataPublisher"


def tr(text: str, context: str = DEFAULT_CONTEXT) -> str:
    """Translate ``text`` (English source) in ``context`` with the installed translators."""
    return QCoreApplication.translate(context, text)


def user_language() -> str:
    """Two-letter language of the QGIS interface (``locale/userLocale``, else the system locale)."""
    value = QgsSettings().value("locale/userLocale", "") or ""
    value = str(value).strip()
    if not value:
        value = QLocale().name()
    return value[:2].lower() or "en"


def qm_file(language: str) -> Optional[Path]:
    """The compiled translation for ``language``: packaged plugin first, then the source tree's i18n/."""
    name = f"{PLUGIN_SLUG}_{language}.qm"
    for folder in (PACKAGE_DIR / "i18n", PACKAGE_DIR.parent / "i18n"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def install_translator(language: Optional[str] = None) -> Optional[QTranslator]:
    """Load and install the translator for ``language`` (default: the QGIS language).

    Returns the installed ``QTranslator`` (keep it and give it to :func:`remove_translator` on unload),
    or None when there is nothing to install (English, or no ``.qm`` for that language).
    """
    language = language or user_language()
    if language == "en":
        return None
    path = qm_file(language)
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: Optional[QTranslator]) -> None:
    """Uninstall a translator returned by :func:`install_translator` (None is accepted)."""
    if translator is not None:
        QCoreApplication.removeTranslator(translator)

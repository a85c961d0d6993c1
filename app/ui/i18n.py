"""UI languages (French and English) through Qt translations, live-switchable.

English is the source language of the code; French comes from `resources/translations`.
The choice ("system", "fr" or "en") is kept in QSettings; "system" follows the OS locale.
"""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.ui.settings import settings

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
_installed: list[QTranslator] = []
_applied: list[str] = []  # the choice in force in this process (`--lang` is not remembered)


def translations_dir() -> Path:
    return Path(str(files("resources") / "translations"))


def chosen_language() -> str:
    value = str(settings().value("ui/language", "system"))
    return value if value in (*LANGUAGES, "system") else "system"


def current_language() -> str:
    """The choice shown now ("system", "fr" or "en"): the one applied in this process,
    which `--lang` sets without remembering it, else the remembered one. The Language menu
    ticks this: after `--lang en` it ticked "System language", the remembered choice."""
    return _applied[-1] if _applied else chosen_language()


def effective_language(choice: str) -> str:
    if choice in LANGUAGES:
        return choice
    return "fr" if QLocale.system().language() == QLocale.Language.French else "en"


def apply_language(choice: str, remember: bool = True) -> str:
    """Install the translators for `choice`; widgets retranslate on LanguageChange."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("no QCoreApplication")
    for t in _installed:
        QCoreApplication.removeTranslator(t)
    _installed.clear()
    lang = effective_language(choice)
    if lang != "en":
        ours = QTranslator(app)
        if ours.load(f"csu_{lang}", str(translations_dir())):
            QCoreApplication.installTranslator(ours)
            _installed.append(ours)
        else:
            log.warning("no %s translation in %s", lang, translations_dir())
        qt = QTranslator(app)
        if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            QCoreApplication.installTranslator(qt)
            _installed.append(qt)
    if lang == "fr":
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    if remember:
        settings().setValue("ui/language", choice)
    _applied[:] = [choice if choice in (*LANGUAGES, "system") else "system"]
    return lang

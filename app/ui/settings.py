"""Per-user UI state (window layout, language, map view) in QSettings, and the paths of
the journal and caches from platformdirs."""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

APP = "csu-console"
ORG = "CSU Console"

log = logging.getLogger(__name__)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def settings() -> QSettings:
    return QSettings(ORG, APP)


def slug(name: str) -> str:
    """The site's key in QSettings (wall layouts, map view). Kept as it always was, accents
    dropped with their letters ("Démo" -> "d-mo"): a new key would lose every saved layout;
    the operator never sees it. File names use `file_slug`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "site"


def file_slug(name: str) -> str:
    """A site's name as a file name an installer recognises: accents transliterated
    ("Démo centre" -> "demo-centre"), anything else but ASCII letters and digits a dash."""
    name = name.translate(_LIGATURES)  # not split by NFKD
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    return slug(plain)


def journal_path(site_name: str) -> Path:
    """The site's journal. A journal kept under the name of earlier versions (accented
    letters dropped: "d-mo-centre...") stays in use where it is: it holds the site's alarms
    and audit log, and another process (`serve`, a console still running) may have it open,
    so it is neither renamed nor copied."""
    folder = Path(platformdirs.user_data_dir(APP, appauthor=False)) / "journals"
    path = folder / f"{file_slug(site_name)}.sqlite"
    old = folder / f"{slug(site_name)}.sqlite"
    if old != path and old.exists() and not path.exists():
        log.info("journal %s kept under its earlier name (%s would be the name now)",
                 old, path.name)
        return old
    return path


def cache_dir() -> Path:
    p = Path(platformdirs.user_cache_dir(APP, appauthor=False))
    p.mkdir(parents=True, exist_ok=True)
    return p

"""Per-user UI state (window layout, language, map view) in QSettings, and the paths of
the journal and caches from platformdirs."""

from __future__ import annotations

import re
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

APP = "csu-console"
ORG = "CSU Console"


def settings() -> QSettings:
    return QSettings(ORG, APP)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "site"


def journal_path(site_name: str) -> Path:
    base = Path(platformdirs.user_data_dir(APP, appauthor=False))
    return base / "journals" / f"{slug(site_name)}.sqlite"


def cache_dir() -> Path:
    p = Path(platformdirs.user_cache_dir(APP, appauthor=False))
    p.mkdir(parents=True, exist_ok=True)
    return p

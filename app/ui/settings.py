"""Per-user UI state (window layout, language, map view) in QSettings, and the paths of
the journal and caches from platformdirs."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

# the paths live in the Qt-free core, so that `csu-console serve` finds the same journal
from app.core.user_paths import APP, file_slug, journal_path, slug

__all__ = ["APP", "ORG", "cache_dir", "file_slug", "journal_path", "settings", "slug"]

ORG = "CSU Console"


def settings() -> QSettings:
    return QSettings(ORG, APP)


def cache_dir() -> Path:
    p = Path(platformdirs.user_cache_dir(APP, appauthor=False))
    p.mkdir(parents=True, exist_ok=True)
    return p

"""Wall layouts kept per user in QSettings: the named ones an operator saved, and each
wall's current one (restored at start).

Stored as JSON text, not as QSettings lists of maps: the INI backend on Linux and the
registry on Windows round-trip nested lists differently, JSON is the same everywhere.
Anything unreadable (hand-edited, older version) is dropped with a log line: a bad
setting must never keep the console from starting.
"""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QSettings

from app.core.layouts import Layout
from app.core.site import Site
from app.ui.settings import settings

log = logging.getLogger(__name__)

SAVED_KEY = "wall/layouts"


def _read(s: QSettings, key: str) -> object:
    raw = s.value(key)
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        log.warning("setting %s is not JSON: ignored", key)
        return None


def saved_layouts(s: QSettings | None = None) -> list[Layout]:
    """The operator's named layouts, in the order saved."""
    data = _read(s or settings(), SAVED_KEY)
    out: list[Layout] = []
    for item in data if isinstance(data, list) else []:
        try:
            out.append(Layout.from_dict(item))
        except ValueError as exc:
            log.warning("saved layout ignored: %s", exc)
    return out


def save_layout(layout: Layout, s: QSettings | None = None) -> None:
    """Save (or replace, by name) one named layout."""
    s = s or settings()
    others = [lay for lay in saved_layouts(s) if lay.name != layout.name]
    s.setValue(SAVED_KEY, json.dumps([lay.to_dict() for lay in [*others, layout]]))


def delete_layout(name: str, s: QSettings | None = None) -> None:
    s = s or settings()
    s.setValue(SAVED_KEY, json.dumps([lay.to_dict() for lay in saved_layouts(s)
                                      if lay.name != name]))


def site_layouts(site: Site) -> list[Layout]:
    """Layouts the installation shares through the site file (validated on load)."""
    return [Layout(c.name, c.grid, tuple(c.cameras)) for c in site.layouts]


def _stored_layout(wall_key: str, which: str, s: QSettings | None) -> Layout | None:
    """The layout kept under `<wall_key>/<which>`; None when there is none or it no longer
    reads (said in the log, never fatal: a wall then starts as on a first start)."""
    data = _read(s or settings(), f"{wall_key}/{which}")
    try:
        return Layout.from_dict(data) if data is not None else None
    except ValueError as exc:
        log.warning("%s layout of %s ignored: %s", which, wall_key, exc)
        return None


def current_layout(wall_key: str, s: QSettings | None = None) -> Layout | None:
    """The layout a wall had when the console closed (None: first start)."""
    return _stored_layout(wall_key, "current", s)


def save_current(wall_key: str, layout: Layout, s: QSettings | None = None) -> None:
    (s or settings()).setValue(f"{wall_key}/current", json.dumps(layout.to_dict()))


def previous_layout(wall_key: str, s: QSettings | None = None) -> Layout | None:
    """The wall an operator had before an alarm's (or a place's) wall replaced it, kept so
    that one key brings it back, also after a restart (None: nothing to go back to)."""
    return _stored_layout(wall_key, "previous", s)


def save_previous(wall_key: str, layout: Layout | None, s: QSettings | None = None) -> None:
    s = s or settings()
    if layout is None:
        s.remove(f"{wall_key}/previous")
    else:
        s.setValue(f"{wall_key}/previous", json.dumps(layout.to_dict()))

"""Discovers adapters through the `csu_console.adapters` entry-point group.

Built-in adapters come through the same door as third-party ones. An adapter whose import
fails is recorded with the reason and skipped: it never stops the console from starting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib.metadata import entry_points

from app.core.adapter import Adapter

log = logging.getLogger(__name__)

GROUP = "csu_console.adapters"


@dataclass(frozen=True)
class AdapterEntry:
    kind: str
    target: str  # "module:Class"
    cls: type[Adapter] | None
    error: str = ""


def discover() -> dict[str, AdapterEntry]:
    found: dict[str, AdapterEntry] = {}
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
            if not (isinstance(cls, type) and issubclass(cls, Adapter)):
                raise TypeError(f"{ep.value} is not an Adapter subclass")
            kind = getattr(cls, "kind", ep.name)
            found[kind] = AdapterEntry(kind, ep.value, cls)
        except Exception as exc:  # a broken plug-in must not take the console down
            log.error("adapter %s (%s) cannot be loaded: %s", ep.name, ep.value, exc)
            found.setdefault(ep.name, AdapterEntry(ep.name, ep.value, None, f"{exc}"))
    return found

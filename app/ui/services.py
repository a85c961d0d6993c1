"""The services the widgets use, reached through `app.ui` (DESIGN.md: widgets reach services
only through app.ui; import-linter's "Widgets reach services only through app.ui" contract
keeps it so): the runtime a window drives and the distance / nearest-unit queries."""

from __future__ import annotations

from app.services.alarm_book import has_unseen_occurrence
from app.services.console_runtime import ConsoleRuntime
from app.services.geo import can_see, distance_m, nearest_cameras
from app.services.responders import Responder, can_respond, responders, suggestion
from app.services.runtime import Runtime

__all__ = ["ConsoleRuntime", "Responder", "Runtime", "can_respond", "can_see", "distance_m",
           "has_unseen_occurrence", "nearest_cameras", "responders", "suggestion"]

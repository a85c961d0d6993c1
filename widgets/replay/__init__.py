"""The replay wall and its tiles: pictures decoded off the GUI thread, shown for the one
replay clock's instant (the replay window around them is the lead's)."""

from __future__ import annotations

from widgets.replay.tile import ReplayTile
from widgets.replay.wall import ReplayWall

__all__ = ["ReplayTile", "ReplayWall"]

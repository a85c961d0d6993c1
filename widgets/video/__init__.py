"""The video wall: tiles that play camera streams through libvlc into native windows.

`engine` holds the one libvlc instance (and says clearly when libvlc is missing), `tile`
one camera with its header chrome and watchdog, `wall` the grid that drives them.
"""

from widgets.video.engine import EngineStatus, libvlc_status
from widgets.video.tile import TileState, VideoTile
from widgets.video.wall import VideoWall

__all__ = ["EngineStatus", "TileState", "VideoTile", "VideoWall", "libvlc_status"]

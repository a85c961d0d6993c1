"""The replay wall and its tiles: pictures decoded off the GUI thread, shown for the one
replay clock's instant (the replay window around them is the lead's).

Wiring, in the window (services reached through `app.ui`)::

    clock = ReplayClock(incident.start, incident.end)
    source = LocalSource(journal)          # or a VMS adapter's ReplaySource
    playbacks = [CameraPlayback(source, cam.id, clock) for cam in cameras]
    wall.set_playbacks(playbacks, [cam.name for cam in cameras], clock=clock)
    # keys: apply(clock, after_key(Key.L, clock.playing, clock.rate, k_held),
    #             wall.focused_playback())
    # closing: wall.stop(); then pb.close() for each playback

The wall sizes each playback's pictures to its tile, reads the clock once a tick and
shows every tile's picture for that one reading; `shown_times()` says what is on screen.
"""

from __future__ import annotations

from widgets.replay.tile import ReplayTile
from widgets.replay.wall import ReplayWall

__all__ = ["ReplayTile", "ReplayWall"]

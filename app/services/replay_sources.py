"""Which source replays which camera: the console's own recordings first, then a VMS that
records it (Frigate, Milestone... any adapter with the `playback` capability).

The choice is per camera and per range: a camera the console records and a VMS also
records plays from the console's files when they cover the range (no network, no VMS
licence), and from the VMS otherwise (e.g. before the console recorded it). A VMS that
cannot be asked is logged and skipped: the others still answer.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.core.recording import Playable, ReplaySource, VmsSource

log = logging.getLogger(__name__)


@dataclass
class ReplaySources:
    local: ReplaySource | None = None
    vms: Sequence[VmsSource] = field(default_factory=tuple)

    def for_camera(self, camera: str, start: datetime, end: datetime) -> ReplaySource | None:
        """The source to replay `camera` over [start, end) from (None: nobody recorded it).
        Blocking (a VMS is asked over the network): call it off the GUI thread."""
        return self.pick(camera, start, end)[0]

    def pick(self, camera: str, start: datetime, end: datetime
             ) -> tuple[ReplaySource | None, list[Playable]]:
        """`for_camera`'s source with what it holds over the range (asked once: the caller
        has it without asking again)."""
        if self.local is not None:
            held = self.local.playables(camera, start, end)
            if held:
                return self.local, held
        for source in self.vms:
            if camera not in source.cameras:
                continue
            try:
                held = source.playables(camera, start, end)
            except Exception as exc:  # one VMS down must not stop replay of the others
                log.warning("replay: %s cannot be asked about %s: %s", source.name, camera, exc)
                continue
            if held:
                return source, held
        return self.local, []

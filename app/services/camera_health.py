"""Is this camera online? One answer for the camera list, the map's cones and the status
bar, from what was really seen, never assumed.

Evidence comes from two places:
- the video tiles of this seat: a tile that gets pictures says "online"; a tile that
  cannot open the stream, or lost it, says "offline"; a tile connecting, stopped, hidden
  or failing for a local reason (no video engine, no password in the keyring) says nothing;
- the camera's adapter (`CameraStatusChanged`: an RTSP DESCRIBE, an ONVIF session, a
  body-cam platform's report).

The rule: a tile showing the camera *now* wins (playing beats failing when two tiles
disagree: some stream works); otherwise the latest of the adapter's report and the last
verdict of a tile that has since stopped; otherwise "unknown", shown as such. Qt-free.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Health(enum.StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Seen:
    health: Health
    detail: str
    order: int  # which piece of evidence came last


class CameraHealth:
    def __init__(self) -> None:
        self._order = 0
        self._tiles: dict[str, tuple[str, Seen]] = {}  # tile → (camera, what it shows now)
        self._live: dict[str, dict[str, Seen]] = {}  # camera → {tile: what it shows now}
        self._adapter: dict[str, Seen] = {}
        self._last_tile: dict[str, Seen] = {}  # kept after the tile stops or moves on

    def _seen(self, health: Health, detail: str) -> Seen:
        self._order += 1
        return Seen(health, detail, self._order)

    def _best(self, camera_id: str) -> Seen | None:
        live = self._live.get(camera_id)
        if live:
            playing = [s for s in live.values() if s.health is Health.ONLINE]
            return max(playing or live.values(), key=lambda s: s.order)
        known = [s for s in (self._adapter.get(camera_id), self._last_tile.get(camera_id))
                 if s is not None]
        return max(known, key=lambda s: s.order) if known else None

    def state(self, camera_id: str) -> Health:
        best = self._best(camera_id)
        return best.health if best is not None else Health.UNKNOWN

    def detail(self, camera_id: str) -> str:
        """Why it is in that state, in words (e.g. "Connection refused: ..."), or ""."""
        best = self._best(camera_id)
        return best.detail if best is not None else ""

    def adapter_reported(self, camera_id: str, online: bool, detail: str = "") -> bool:
        """The adapter's word; True when what the console shows changes."""
        before = self._view(camera_id)
        self._adapter[camera_id] = self._seen(Health.ONLINE if online else Health.OFFLINE,
                                              detail)
        return self._view(camera_id) != before

    def tile_reported(self, tile: str, camera_id: str, verdict: str,
                      detail: str = "") -> set[str]:
        """What tile `tile` shows now: `camera_id` ("" for none) and "online", "offline"
        or "" (no evidence). Returns the cameras whose shown state changed."""
        touched = {camera_id} if camera_id else set()
        old = self._tiles.get(tile)
        if old is not None:
            touched.add(old[0])
        before = {c: self._view(c) for c in touched}
        if old is not None:
            del self._tiles[tile]
            live = self._live[old[0]]
            live.pop(tile, None)
            if not live:
                del self._live[old[0]]
        if camera_id and verdict in (Health.ONLINE, Health.OFFLINE):
            seen = self._seen(Health(verdict), detail)
            self._tiles[tile] = (camera_id, seen)
            self._live.setdefault(camera_id, {})[tile] = seen
            self._last_tile[camera_id] = seen
        return {c for c in touched if self._view(c) != before[c]}

    def _view(self, camera_id: str) -> tuple[Health, str]:
        return self.state(camera_id), self.detail(camera_id)

    def counts(self, camera_ids: Iterable[str]) -> tuple[int, int, int]:
        """(online, offline, unknown) among these cameras."""
        tally = dict.fromkeys(Health, 0)
        for cid in camera_ids:
            tally[self.state(cid)] += 1
        return tally[Health.ONLINE], tally[Health.OFFLINE], tally[Health.UNKNOWN]

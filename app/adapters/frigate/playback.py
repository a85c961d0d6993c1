"""Replay from Frigate's own recordings: a `ReplaySource` over Frigate's HTTP API.

Where Frigate records a camera, the console need not: replay asks Frigate which recording
segments cover the range (`GET /api/<camera>/recordings?after=&before=`, Unix times) and
plays each one through `GET /api/<camera>/start/<start>/end/<end>/clip.mp4` with exactly
that segment's range, its start nudged by half a second (below). Frigate then concatenates
that one file from its beginning, so the clip's time 0 is the segment's own `start_time`:
the picture at clip time t was seen at start_time + t, which keeps Frigate's cameras in
step with the console's own recordings on one timeline. (A stream with B-frames would show
its pictures later by the reorder delay, two frames with x264's defaults: Frigate's
fragmented clip drops the edit list that hid it. Surveillance cameras send no B-frames.)
The holes between segments are gaps ("not recorded by Frigate": it records on motion, or
the camera was down, or its retention removed it).

The nudge: Frigate's clip takes every segment whose start or end lies in the asked range,
bounds included, with whole-second in- and out-points. Asked exactly [start, end] of a
segment, it also takes the previous segment (its end equals the asked start) with an
in-point at its very end, which FFmpeg's concat starts at that segment's last keyframe: the
clip would begin with up to a GOP of the earlier segment. Asked from start + 0.5 s, the
previous segment is left out, and the in-point into this one, int(0.5), is 0. The next
segment (starting at the asked end) comes with an out-point of 0: nothing of it.

Frigate's answers are untrusted input: the body is bounded, each row checked, a malformed
one skipped and logged. The API token (Frigate's authenticated port) comes from the keyring
and is never logged.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import requests

from app.core.recording import Gap, GapReason, Playable
from app.net.recording_client import fetch_json

log = logging.getLogger(__name__)

CLIP_NUDGE_S = 0.5  # see the module's docstring
JOIN_S = 1.5  # segments closer than this are one span (no gap drawn between them)


class FrigatePlaybackError(Exception):
    """Frigate's recordings could not be listed, in plain words."""


class FrigatePlayback:
    def __init__(self, name: str, api_url: str, cameras: Mapping[str, str],
                 token: str | None = None, verify: bool | str = True,
                 session: requests.Session | None = None) -> None:
        """`cameras`: console camera id -> Frigate camera name."""
        self._name = name
        self._api = api_url.rstrip("/")
        self._cameras = dict(cameras)
        self._headers = (("Authorization", f"Bearer {token}"),) if token else ()
        self._verify = verify
        self._http = session or requests.Session()

    @property
    def name(self) -> str:
        return self._name

    @property
    def cameras(self) -> frozenset[str]:
        return frozenset(self._cameras)

    def playables(self, camera: str, start: datetime, end: datetime) -> list[Playable]:
        frigate = self._cameras.get(camera)
        if frigate is None:
            return []
        out = []
        for s, e in self._segments(frigate, start, end):
            uri = (f"{self._api}/api/{quote(frigate, safe='')}/start/{s + CLIP_NUDGE_S:.6f}"
                   f"/end/{e:.6f}/clip.mp4")
            out.append(Playable(camera, _utc(s), _utc(e), uri, 0.0, self._headers))
        return out

    def gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        frigate = self._cameras.get(camera)
        if frigate is None:
            return []
        lo, hi = start.timestamp(), end.timestamp()
        out, at = [], lo
        for s, e in self._segments(frigate, start, end):
            if s - at > JOIN_S:
                out.append(Gap(camera, _utc(at), _utc(s), GapReason.NOT_RECORDED,
                               f"not recorded by {self._name}"))
            at = max(at, e)
        if hi - at > JOIN_S:
            out.append(Gap(camera, _utc(at), _utc(hi), GapReason.NOT_RECORDED,
                           f"not recorded by {self._name}"))
        return out

    def _segments(self, frigate: str, start: datetime, end: datetime
                  ) -> list[tuple[float, float]]:
        """Frigate's segments overlapping [start, end), in time order (FrigatePlaybackError
        when Frigate cannot be asked)."""
        rows = fetch_json(
            self._http, f"{self._api}/api/{quote(frigate, safe='')}/recordings",
            who=self._name, credential="the API token", error=FrigatePlaybackError,
            headers=self._headers, verify=self._verify,
            params={"after": f"{start.timestamp():.3f}", "before": f"{end.timestamp():.3f}"})
        if not isinstance(rows, list):
            raise FrigatePlaybackError(f"{self._name} answered no list of recordings")
        out = [seg for row in rows if (seg := _segment(row)) is not None]
        if len(out) < len(rows):
            log.warning("%s: %d malformed recording row(s) skipped", self._name,
                        len(rows) - len(out))
        out.sort()
        return out


def _segment(row: Any) -> tuple[float, float] | None:
    if not isinstance(row, dict):
        return None
    s, e = row.get("start_time"), row.get("end_time")
    if isinstance(s, bool) or isinstance(e, bool) or not isinstance(s, int | float) \
            or not isinstance(e, int | float):
        return None
    if not (math.isfinite(s) and math.isfinite(e)) or e <= s or s <= 0:
        return None
    return float(s), float(e)


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)

"""A seat's replay source in a room: the service's recordings, within one grant.

The seat got a `GrantTicket` when the service logged its consultation; it lists a camera's
segments and gaps with it and hands the decoder each segment's URL with the token in its
headers (app/net/recording_share.py serves them). Answers are bounded and checked: a
malformed row is skipped, never shown.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests

from app.core.recording import Gap, GapReason, Playable
from app.net.recording_share import GrantTicket

log = logging.getLogger(__name__)

MAX_BODY = 8 << 20
TIMEOUT_S = 10.0


class RoomRecordingsError(Exception):
    """The service's recordings cannot be listed, in plain words."""


class RoomRecordings:
    def __init__(self, ticket: GrantTicket, session: requests.Session | None = None) -> None:
        self.ticket = ticket
        self._http = session or requests.Session()
        self._headers = (("Authorization", f"Bearer {ticket.token}"),)

    @property
    def name(self) -> str:
        return "the room's service"

    @property
    def cameras(self) -> frozenset[str]:
        return frozenset(self.ticket.cameras)

    def playables(self, camera: str, start: datetime, end: datetime) -> list[Playable]:
        body = self._ask(camera, start, end)
        out = []
        for row in body.get("segments", []):
            try:
                sid = int(row["id"])
                s, e = datetime.fromisoformat(row["start"]), datetime.fromisoformat(row["end"])
            except (KeyError, TypeError, ValueError):
                log.warning("replay: a malformed segment row from the service was skipped")
                continue
            uri = f"{self.ticket.url}/v1/{quote(camera, safe='')}/segments/{sid}"
            out.append(Playable(camera, s, e, uri, 0.0, self._headers))
        return out

    def gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        body = self._ask(camera, start, end)
        out = []
        for row in body.get("gaps", []):
            try:
                out.append(Gap(camera, datetime.fromisoformat(row["start"]),
                               datetime.fromisoformat(row["end"]) if row.get("end") else None,
                               GapReason(row["reason"]), str(row.get("detail", ""))))
            except (KeyError, TypeError, ValueError):
                log.warning("replay: a malformed gap row from the service was skipped")
        return out

    def _ask(self, camera: str, start: datetime, end: datetime) -> dict[str, Any]:
        url = f"{self.ticket.url}/v1/{quote(camera, safe='')}/recordings"
        try:
            with self._http.get(url, params={"start": start.isoformat(),
                                             "end": end.isoformat()},
                                headers=dict(self._headers), timeout=TIMEOUT_S,
                                stream=True) as r:
                if r.status_code in (401, 403):
                    raise RoomRecordingsError(
                        f"the room's service refused: {r.text[:200]} (HTTP {r.status_code})")
                r.raise_for_status()
                raw = r.raw.read(MAX_BODY + 1, decode_content=True)
        except requests.RequestException as exc:
            raise RoomRecordingsError("the room's service cannot be reached for its "
                                      f"recordings: {type(exc).__name__}") from exc
        if len(raw) > MAX_BODY:
            raise RoomRecordingsError("the room's service answered too much: ask a shorter "
                                      "range")
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise RoomRecordingsError("the room's service answered something that is not "
                                      "JSON") from exc
        if not isinstance(body, dict):
            raise RoomRecordingsError("the room's service answered no recordings")
        return body

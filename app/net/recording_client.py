"""A seat's replay source in a room: the service's recordings, within one grant.

The seat got a `GrantTicket` when the service logged its consultation; it lists a camera's
segments and gaps with it and hands the decoder each segment's URL with the token in its
headers (app/net/recording_share.py serves them). Answers are bounded and checked: a
malformed row is skipped, never shown.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests

from app.core.recording import Gap, GapReason, Playable
from app.net.recording_share import GrantTicket

log = logging.getLogger(__name__)

MAX_BODY = 8 << 20  # bytes of one listing (a day of 10-s segments is ~2 MB)
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
        body = fetch_json(
            self._http, f"{self.ticket.url}/v1/{quote(camera, safe='')}/recordings",
            who="the room's service", credential="this consultation's grant",
            error=RoomRecordingsError, headers=self._headers,
            params={"start": start.isoformat(), "end": end.isoformat()})
        if not isinstance(body, dict):
            raise RoomRecordingsError("the room's service answered no recordings")
        return body


def fetch_json(http: requests.Session, url: str, *, who: str, credential: str,
               error: type[Exception], headers: Sequence[tuple[str, str]] = (),
               params: Mapping[str, str] | None = None, verify: bool | str = True,
               limit: int = MAX_BODY) -> Any:
    """A recordings listing from `who` (a VMS, the room's service): JSON read with a
    bounded body and a timeout, or `error` in plain words (refused, unreachable, too much,
    not JSON). A refusal names the `credential` refused, never its value."""
    try:
        with http.get(url, params=params, headers=dict(headers), timeout=TIMEOUT_S,
                      verify=verify, stream=True) as r:
            if r.status_code in (401, 403):
                said = r.text[:200].strip()  # what it says of why (never our credential)
                raise error(f"{who} refused {credential} (HTTP {r.status_code}"
                            + (f": {said})" if said else ")"))
            r.raise_for_status()
            raw = r.raw.read(limit + 1, decode_content=True)
    except requests.RequestException as exc:
        raise error(f"{who} cannot be reached: {type(exc).__name__}") from exc
    if len(raw) > limit:
        raise error(f"{who} answered more than {limit >> 20} MB of recordings: ask a shorter "
                    "range")
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise error(f"{who} answered something that is not JSON") from exc

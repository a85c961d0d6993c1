"""Milestone XProtect: log in to its identity provider, read New alarms over the REST API,
listen to the events WebSocket, and write acknowledgements back to the alarm.

A server that is down or a dropped WebSocket raises out of `start`: the host shows it as
the adapter's state and retries with capped backoff. A refused password (the token endpoint
answers 401, or 400 `invalid_grant`) or an events stream refused to a token just issued
raises `AuthRefused`: the host stops the adapter as "refused" and waits for the installer,
since every further try could count towards locking the service account.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Literal, cast

import requests
from pydantic import BaseModel, ConfigDict, Field

from app.adapters.milestone.parse import (
    Mapped,
    Refused,
    parse_alarms,
    parse_token,
    parse_ws,
)
from app.core.adapter import (
    Adapter,
    AdapterConfig,
    AuthRefused,
    Capability,
    ProbeResult,
    Sink,
)
from app.core.events import AlarmReported
from app.core.model import Alarm, AlarmType
from app.core.refs import IdRef
from app.core.secrets import SecretMissing, get_secret

log = logging.getLogger(__name__)

HTTP_TIMEOUT_S = 10.0
ALARM_PAGE = 100
MAX_SEEN = 20_000


FRESH_TOKEN_S = 60.0  # a token younger than this that is refused was never good


class LoginFailed(ConnectionError):
    """XProtect did not accept the login request for a reason other than the password
    (a wrong client id, a proxy in the way): said in words, retried like an outage."""


class EventTypeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: AlarmType = AlarmType.VIDEO_ANALYTICS
    priority: int = Field(default=3, ge=1, le=4)
    title: str = Field(min_length=1, max_length=120)


class MilestoneConfig(AdapterConfig):
    """`[[adapters]] kind = "milestone"` in the site file."""

    kind: Literal["milestone"] = "milestone"
    url: str = Field(pattern=r"^https?://[^\s/]+(:\d+)?/?$")  # the management server
    username: str = Field(min_length=1)
    password_secret: str = Field(min_length=1)  # keyring name of the password
    events_url: str | None = Field(default=None, pattern=r"^wss?://\S+$")  # default: from url
    client_id: str = "GrantValidatorClient"
    verify_tls: bool | str = True  # False, or the path of the site's CA certificate
    poll_interval_s: float = Field(default=10.0, ge=1, le=600)
    ack_state: int = Field(default=4, ge=1, le=11)  # XProtect state "In progress"
    camera_map: dict[str, str] = Field(default_factory=dict)  # XProtect camera id → ours
    event_types: dict[str, EventTypeConfig] = Field(default_factory=dict)  # type id → alarm

    def references(self) -> list[IdRef]:
        return [IdRef(("camera_map", xp), "camera", ours) for xp, ours in self.camera_map.items()]


class MilestoneAdapter(Adapter):
    kind = "milestone"
    Config = MilestoneConfig
    capabilities = frozenset({Capability.ALARMS, Capability.ACKNOWLEDGE})
    description = "Milestone XProtect: REST alarms, events WebSocket, acknowledgement write-back."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self._session = requests.Session()
        self._session.verify = self.cfg.verify_tls
        self._token = ""
        self._token_until = 0.0
        self._token_since = 0.0
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._types = {k.lower(): Mapped(v.type, v.priority, v.title)
                       for k, v in self.cfg.event_types.items()}

    @property
    def cfg(self) -> MilestoneConfig:
        return cast(MilestoneConfig, self.config)

    @property
    def base(self) -> str:
        return self.cfg.url.rstrip("/")

    # -- REST -----------------------------------------------------------------------------
    def _login(self) -> str:
        """Blocking: a bearer token from the IDP (password grant)."""
        password = get_secret(self.cfg.password_secret)
        r = self._session.post(f"{self.base}/API/IDP/connect/token", timeout=HTTP_TIMEOUT_S,
                               data={"grant_type": "password", "username": self.cfg.username,
                                     "password": password, "client_id": self.cfg.client_id})
        error = _oauth_error(r.content) if r.status_code == 400 else ""
        if r.status_code == 401 or error == "invalid_grant":
            raise AuthRefused(f"XProtect at {self.base} refused the user name or password "
                              f"for {self.cfg.username!r}")
        if r.status_code in (400, 403):
            hint = ": check client_id" if error in ("invalid_client",
                                                   "unauthorized_client") else ""
            raise LoginFailed(f"XProtect at {self.base} did not accept the login request "
                              f"(HTTP {r.status_code} {error or r.reason}{hint})")
        r.raise_for_status()
        token, lasts = parse_token(r.content)
        now = time.monotonic()
        self._token, self._token_until, self._token_since = token, now + lasts * 0.8, now
        return token

    async def _bearer(self) -> dict[str, str]:
        if not self._token or time.monotonic() > self._token_until:
            await asyncio.to_thread(self._login)
        return {"Authorization": f"Bearer {self._token}"}

    async def _poll_alarms(self, sink: Sink) -> int:
        headers = await self._bearer()
        r = await asyncio.to_thread(
            self._session.get, f"{self.base}/API/rest/v1/alarms", headers=headers,
            params={"page": 0, "size": ALARM_PAGE}, timeout=HTTP_TIMEOUT_S)
        if r.status_code == 401:
            self._token = ""
        r.raise_for_status()
        try:
            items = parse_alarms(r.content, self.name, self.cfg.camera_map, datetime.now(UTC))
        except Refused as exc:
            sink.received()
            sink.reject(f"XProtect alarm list: {exc}", r.content[:300])
            return 0
        return self._emit_all(items, sink, count=True)

    def _emit_all(self, items: list[AlarmReported | Refused], sink: Sink, count: bool) -> int:
        """Emit what is new, reject what cannot be read. The REST list comes back at every
        poll: with `count`, each alarm seen for the first time (read or not) is a message
        received; one seen before is skipped, not counted, rejected or raised again."""
        n = 0
        for item in items:
            key = item.key if isinstance(item, Refused) else item.source_id
            if key and key in self._seen:
                continue
            if count:
                sink.received()
            if isinstance(item, Refused):
                sink.reject(f"XProtect: {item}", None)
            else:
                sink.emit(item)
                n += 1
            if key:
                self._seen[key] = None
                while len(self._seen) > MAX_SEEN:
                    self._seen.popitem(last=False)
        return n

    # -- WebSocket ------------------------------------------------------------------------
    def _ws_url(self) -> str:
        if self.cfg.events_url:
            return self.cfg.events_url
        return "ws" + self.base.removeprefix("http") + "/API/ws/events/v1"

    async def _events(self, sink: Sink) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidStatus

        headers = await self._bearer()
        try:
            ws = await connect(self._ws_url(), additional_headers=headers, max_size=1 << 20,
                               open_timeout=HTTP_TIMEOUT_S)
        except InvalidStatus as exc:
            if exc.response.status_code not in (401, 403):
                raise
            if time.monotonic() - self._token_since < FRESH_TOKEN_S:
                raise AuthRefused(f"XProtect at {self.base} refused the events stream to "
                                  f"{self.cfg.username!r} just after logging in") from None
            self._token = ""  # an old token: log in again at the next start
            raise ConnectionError(f"XProtect at {self.base} refused the events stream to an "
                                  "old token: logging in again") from None
        async with ws:
            await ws.send(json.dumps({"command": "startSession", "commandId": 1,
                                      "sessionId": "", "eventId": ""}))
            await ws.send(json.dumps({"command": "addSubscription", "commandId": 2, "filters": [
                {"modifier": "include", "resourceTypes": ["*"], "sourceIds": ["*"],
                 "eventTypes": ["*"]}]}))
            async for message in ws:
                sink.received()
                try:
                    reply, items = parse_ws(message, self.name, self._types,
                                            self.cfg.camera_map, datetime.now(UTC))
                except Refused as exc:
                    sink.reject(f"XProtect event stream: {exc}", message)
                    continue
                if reply is not None and int(reply.get("status", 200) or 200) >= 400:
                    raise ConnectionError(f"XProtect refused event command "
                                          f"{reply.get('commandId')}: {reply.get('error', '')}")
                self._emit_all(items, sink, count=False)
        raise ConnectionError("XProtect closed the events WebSocket")

    async def start(self, sink: Sink) -> None:
        await self._bearer()
        await self._poll_alarms(sink)
        sink.status("running", f"connected to XProtect {self.base} as {self.cfg.username}")
        events = asyncio.create_task(self._events(sink))
        try:
            while True:
                done, _ = await asyncio.wait({events}, timeout=self.cfg.poll_interval_s)
                if done:
                    events.result()  # raises why the stream ended
                await self._poll_alarms(sink)
        finally:
            events.cancel()
            await asyncio.gather(events, return_exceptions=True)

    async def acknowledge(self, alarm: Alarm, actor: str) -> None:
        """Moves the XProtect alarm to `ack_state` (default 4, In progress) with a comment.
        Only alarms that came from the REST list have an XProtect alarm to update."""
        if not alarm.source_id.startswith("alarm:"):
            return
        aid = alarm.source_id.removeprefix("alarm:")
        headers = await self._bearer()
        body: dict[str, int | str] = {"state": self.cfg.ack_state,
                "comment": f"Acknowledged in the CSU console by {actor}"}
        r = await asyncio.to_thread(self._session.patch, f"{self.base}/API/rest/v1/alarms/{aid}",
                                    headers=headers, json=body, timeout=HTTP_TIMEOUT_S)
        r.raise_for_status()

    async def probe(self) -> list[ProbeResult]:
        check = f"log in to XProtect at {self.base} as {self.cfg.username}"
        try:
            await asyncio.to_thread(self._login)
        except (SecretMissing, AuthRefused, LoginFailed) as exc:
            return [ProbeResult(self.name, check, False, str(exc))]
        except requests.RequestException as exc:
            return [ProbeResult(self.name, check, False, f"cannot reach the server: {_short(exc)}")]
        except Refused as exc:
            return [ProbeResult(self.name, check, False, f"unexpected answer: {exc}")]
        finally:
            self._session.close()
        return [ProbeResult(self.name, check, True, "logged in")]

    async def stop(self) -> None:
        """Forget the token and close pooled connections; the next start logs in again."""
        self._token = ""
        self._session.close()


def _oauth_error(body: bytes) -> str:
    """The `error` code of an OAuth 2 error answer (RFC 6749 section 5.2), or ""."""
    try:
        doc = json.loads(body)
    except ValueError:
        return ""
    error = doc.get("error") if isinstance(doc, dict) else None
    return error[:40] if isinstance(error, str) else ""


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "..."


__all__: list[str] = ["MilestoneAdapter", "MilestoneConfig"]

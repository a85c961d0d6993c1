"""One ONVIF device over HTTP (blocking `requests`; the adapter calls it through
`asyncio.to_thread`). Knows the device's clock offset so digests are dated in its time.

A refusal means a wrong password only when the refused call carried our credentials: many
devices also refuse calls made without them, `GetSystemDateAndTime` included (Vivotek,
Panasonic, ipycam: agsh/onvif#301, lumeohq/onvif-rs#65), and taking that refusal for a wrong
password stopped cameras whose password was right.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import requests

from app.adapters.onvif import soap
from app.adapters.onvif.soap import NotAuthorized, OnvifError


class CredentialsRefused(NotAuthorized):
    """The device refused a call that carried our user name and password digest."""


class LoginNeeded(NotAuthorized):
    """The device refused a call made without credentials, and none are configured."""


@dataclass
class OnvifClient:
    url: str  # the device service, e.g. http://10.0.0.5/onvif/device_service
    user: str | None
    password: str | None
    timeout: float = 5.0
    offset: timedelta = timedelta(0)
    services: dict[str, str] = field(default_factory=dict)
    session: requests.Session = field(default_factory=requests.Session)
    last_date: datetime | None = None  # the HTTP Date of the device's last answer
    time_needs_login: bool = False  # it refused to tell its time without credentials

    @property
    def has_credentials(self) -> bool:
        return bool(self.user) and self.password is not None

    def call(self, url: str, body: str, *, auth: bool = True, to: str | None = None,
             action: str | None = None, timeout: float | None = None) -> ET.Element:
        """POST one SOAP request. A refusal raises `CredentialsRefused` when the request
        carried our credentials, else `LoginNeeded` (or plain `NotAuthorized` when we could
        have logged in but chose not to: the caller decides what that means)."""
        security = ""
        if auth and self.user and self.password is not None:
            security = soap.security_header(self.user, self.password,
                                            datetime.now(UTC) + self.offset)
        signed = bool(security)
        r = self.session.post(url, data=soap.envelope(body, security, to, action),
                              headers={"Content-Type": "application/soap+xml; charset=utf-8"},
                              timeout=timeout or self.timeout)
        self.last_date = _http_date(r.headers.get("Date"))
        try:
            if r.status_code in (401, 403):
                raise NotAuthorized(f"HTTP {r.status_code}")
            if len(r.content) > soap.MAX_ANSWER:
                raise soap.BadAnswer("answer too large")
            if r.status_code >= 500 and b"Fault" not in r.content:
                raise OnvifError(f"HTTP {r.status_code}")
            return soap.parse(r.content)
        except NotAuthorized:
            if signed:
                raise CredentialsRefused("refused the user name or password") from None
            if not self.has_credentials:
                raise LoginNeeded("asks for a user name and password, and none is "
                                  "configured for it") from None
            raise

    def sync_clock(self) -> timedelta:
        """Learn how far the device's clock is off, so that digests are dated in its time.
        The time is asked without credentials first (the spec lets anyone ask, and the
        digest needs the time); a device that refuses that is asked again with them, dated
        by the `Date` header of its refusal when it sent one."""
        ask = soap.body("tds", "GetSystemDateAndTime")
        if self.time_needs_login:
            el = self.call(self.url, ask, auth=True)
        else:
            try:
                el = self.call(self.url, ask, auth=False)
            except LoginNeeded:
                raise
            except NotAuthorized:
                self.time_needs_login = True
                if self.last_date is not None:
                    self.offset = soap.clock_offset(self.last_date, datetime.now(UTC))
                el = self.call(self.url, ask, auth=True)
        self.offset = soap.clock_offset(soap.device_time(el), datetime.now(UTC))
        return self.offset

    def device_information(self) -> soap.DeviceInfo:
        return soap.device_information(
            self.call(self.url, soap.body("tds", "GetDeviceInformation")))

    def discover_services(self) -> dict[str, str]:
        el = self.call(self.url, soap.body("tds", "GetCapabilities",
                                           "<tds:Category>All</tds:Category>"))
        self.services = soap.service_addresses(el)
        return self.services

    def profiles(self) -> list[soap.Profile]:
        return soap.profiles(self.call(self._service("media"), soap.body("trt", "GetProfiles")))

    def stream_uri(self, token: str) -> str:
        return soap.stream_uri(self.call(self._service("media"), soap.get_stream_uri(token)))

    def continuous_move(self, token: str, pan: float, tilt: float, zoom: float) -> None:
        self.call(self._service("ptz"), soap.continuous_move(token, pan, tilt, zoom))

    def stop(self, token: str) -> None:
        self.call(self._service("ptz"), soap.stop(token))

    def presets(self, token: str) -> dict[str, str]:
        return soap.presets(self.call(self._service("ptz"), soap.body(
            "tptz", "GetPresets", f"<tptz:ProfileToken>{token}</tptz:ProfileToken>")))

    def goto_preset(self, token: str, preset: str) -> None:
        self.call(self._service("ptz"), soap.goto_preset(token, preset))

    def create_pull_point(self) -> str:
        el = self.call(self._service("events"), soap.body(
            "tev", "CreatePullPointSubscription",
            "<tev:InitialTerminationTime>PT120S</tev:InitialTerminationTime>"))
        return soap.subscription_address(el)

    def pull(self, address: str, wait_s: int, limit: int = 32) -> ET.Element:
        return self.call(address, soap.pull_messages(wait_s, limit), to=address,
                         action="http://www.onvif.org/ver10/events/wsdl/PullPointSubscription"
                                "/PullMessagesRequest", timeout=wait_s + self.timeout)

    def renew(self, address: str) -> None:
        self.call(address, soap.body("wsnt", "Renew",
                                     "<wsnt:TerminationTime>PT120S</wsnt:TerminationTime>"),
                  to=address)

    def unsubscribe(self, address: str) -> None:
        self.call(address, soap.body("wsnt", "Unsubscribe"), to=address)

    def _service(self, name: str) -> str:
        addr = self.services.get(name)
        if addr is None:
            raise OnvifError(f"the device offers no {name} service")
        return addr


def _http_date(value: str | None) -> datetime | None:
    """An HTTP `Date` header as an aware UTC time (None when absent or unreadable)."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when.astimezone(UTC) if when.tzinfo is not None else when.replace(tzinfo=UTC)

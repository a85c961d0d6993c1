"""ONVIF SOAP by hand: envelopes with a WS-Security UsernameToken (password digest), and
readers for the answers we use. Pure: bytes in, values out, `OnvifError` on anything else.
Answers are parsed by `app.adapters.safe_xml` (defusedxml; a DTD anywhere is refused).

Digest = Base64(SHA-1(nonce + created + password)) (WS-Security UsernameToken Profile 1.0,
required by the ONVIF Core spec). `created` is the device's clock (see `clock_offset`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

from app.adapters.safe_xml import XmlRefused, parse_xml

MAX_ANSWER = 2 * 1024 * 1024
NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
}
_PW_DIGEST = ("http://docs.oasis-open.org/wss/2004/01/"
              "oasis-200401-wss-username-token-profile-1.0#PasswordDigest")
_B64 = ("http://docs.oasis-open.org/wss/2004/01/"
        "oasis-200401-wss-soap-message-security-1.0#Base64Binary")


class OnvifError(ValueError):
    """A SOAP fault or an answer we cannot read."""


class NotAuthorized(OnvifError):
    """The device refused the call (HTTP 401/403 or a `NotAuthorized` fault). Whether that
    means a wrong password depends on whether the call carried credentials: see
    `client.CredentialsRefused`."""


class BadAnswer(OnvifError):
    """An answer that cannot be read: not XML, hostile XML, not a SOAP envelope, too large."""


def password_digest(nonce: bytes, created: str, password: str) -> str:
    return base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest()
                            ).decode()


def security_header(user: str, password: str, now: datetime, nonce: bytes | None = None) -> str:
    nonce = nonce if nonce is not None else os.urandom(16)
    created = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return (
        f'<wsse:Security s:mustUnderstand="1" xmlns:wsse="{NS["wsse"]}" xmlns:wsu="{NS["wsu"]}">'
        f"<wsse:UsernameToken><wsse:Username>{escape(user)}</wsse:Username>"
        f'<wsse:Password Type="{_PW_DIGEST}">{password_digest(nonce, created, password)}'
        f"</wsse:Password>"
        f'<wsse:Nonce EncodingType="{_B64}">{base64.b64encode(nonce).decode()}</wsse:Nonce>'
        f"<wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security>")


def envelope(body: str, security: str = "", to: str | None = None,
             action: str | None = None) -> bytes:
    """A SOAP 1.2 envelope around `body` (which declares its own namespaces)."""
    addressing = ""
    if to:
        addressing += f'<wsa:To xmlns:wsa="{NS["wsa"]}">{escape(to)}</wsa:To>'
    if action:
        addressing += f'<wsa:Action xmlns:wsa="{NS["wsa"]}">{escape(action)}</wsa:Action>'
    return (f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="{NS["s"]}">'
            f"<s:Header>{security}{addressing}</s:Header><s:Body>{body}</s:Body></s:Envelope>"
            ).encode()


def parse(answer: bytes) -> ET.Element:
    """The SOAP Body's first child; faults raised as `OnvifError` / `NotAuthorized`, an
    unreadable answer as `BadAnswer`."""
    if len(answer) > MAX_ANSWER:
        raise BadAnswer("answer too large")
    try:
        root = parse_xml(answer, "the answer")
    except XmlRefused as exc:
        raise BadAnswer(str(exc)) from None
    body = root.find("s:Body", NS)
    if body is None or len(body) == 0:
        raise BadAnswer("answer is not a SOAP envelope")
    first = body[0]
    if first.tag == f"{{{NS['s']}}}Fault":
        text = " ".join(t.strip() for t in first.itertext() if t.strip())
        if re.search(r"NotAuthorized|not authori[sz]ed|Sender not Authorized", text, re.I):
            raise NotAuthorized(f"the device refused the call: {text[:120]}")
        raise OnvifError(f"SOAP fault: {text[:200]}")
    return first


def _text(el: ET.Element | None, path: str) -> str:
    if el is None:
        return ""
    found = el.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    manufacturer: str
    model: str
    firmware: str
    serial: str


def device_information(el: ET.Element) -> DeviceInfo:
    return DeviceInfo(_text(el, "tds:Manufacturer"), _text(el, "tds:Model"),
                      _text(el, "tds:FirmwareVersion"), _text(el, "tds:SerialNumber"))


def device_time(el: ET.Element) -> datetime:
    """GetSystemDateAndTimeResponse → the device's UTC clock."""
    utc = el.find(".//tt:UTCDateTime", NS)
    if utc is None:
        raise OnvifError("no UTCDateTime in the answer")
    try:
        vals = [int(_text(utc, p)) for p in ("tt:Date/tt:Year", "tt:Date/tt:Month",
                                             "tt:Date/tt:Day", "tt:Time/tt:Hour",
                                             "tt:Time/tt:Minute", "tt:Time/tt:Second")]
        y, mo, d, h, mi, sec = vals
        return datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
    except ValueError:
        raise OnvifError("UTCDateTime is not a date") from None


def clock_offset(device_now: datetime, our_now: datetime) -> timedelta:
    return device_now - our_now


def service_addresses(el: ET.Element) -> dict[str, str]:
    """GetCapabilitiesResponse → {"media": url, "ptz": url, "events": url} (those present)."""
    out = {}
    for name, path in (("media", ".//tt:Media/tt:XAddr"), ("ptz", ".//tt:PTZ/tt:XAddr"),
                       ("events", ".//tt:Events/tt:XAddr")):
        v = _text(el, path)
        if v.startswith(("http://", "https://")):
            out[name] = v
    return out


@dataclass(frozen=True, slots=True)
class Profile:
    token: str
    name: str
    encoding: str
    width: int
    height: int
    ptz: bool


def profiles(el: ET.Element) -> list[Profile]:
    out = []
    for p in el.findall("trt:Profiles", NS):
        token = p.get("token", "")
        if not token:
            continue
        enc = p.find("tt:VideoEncoderConfiguration", NS)
        try:
            w = int(_text(enc, "tt:Resolution/tt:Width") or 0)
            h = int(_text(enc, "tt:Resolution/tt:Height") or 0)
        except ValueError:
            w = h = 0
        out.append(Profile(token, _text(p, "tt:Name"), _text(enc, "tt:Encoding"), w, h,
                           p.find("tt:PTZConfiguration", NS) is not None))
    return out


def stream_uri(el: ET.Element) -> str:
    uri = _text(el, "trt:MediaUri/tt:Uri")
    if not uri.startswith(("rtsp://", "rtsps://", "http://", "https://")):
        raise OnvifError("GetStreamUri gave no usable URI")
    return uri


def presets(el: ET.Element) -> dict[str, str]:
    """GetPresetsResponse → {name: token}."""
    return {(_text(p, "tt:Name") or p.get("token", "")): p.get("token", "")
            for p in el.findall("tptz:Preset", NS) if p.get("token")}


def subscription_address(el: ET.Element) -> str:
    addr = _text(el, "tev:SubscriptionReference/wsa:Address")
    if not addr.startswith(("http://", "https://")):
        raise OnvifError("CreatePullPointSubscription gave no address")
    return addr


# -- request bodies ------------------------------------------------------------------------
def body(prefix: str, op: str, inner: str = "") -> str:
    return f'<{prefix}:{op} xmlns:{prefix}="{NS[prefix]}" xmlns:tt="{NS["tt"]}">{inner}' \
           f"</{prefix}:{op}>"


def get_stream_uri(token: str) -> str:
    return body("trt", "GetStreamUri",
                "<trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport>"
                "<tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>"
                f"<trt:ProfileToken>{escape(token)}</trt:ProfileToken>")


def continuous_move(token: str, pan: float, tilt: float, zoom: float) -> str:
    return body("tptz", "ContinuousMove",
                f"<tptz:ProfileToken>{escape(token)}</tptz:ProfileToken><tptz:Velocity>"
                f'<tt:PanTilt x="{pan:.3f}" y="{tilt:.3f}"/><tt:Zoom x="{zoom:.3f}"/>'
                "</tptz:Velocity>")


def stop(token: str) -> str:
    return body("tptz", "Stop", f"<tptz:ProfileToken>{escape(token)}</tptz:ProfileToken>"
                "<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom>")


def goto_preset(token: str, preset: str) -> str:
    return body("tptz", "GotoPreset", f"<tptz:ProfileToken>{escape(token)}</tptz:ProfileToken>"
                f"<tptz:PresetToken>{escape(preset)}</tptz:PresetToken>")


def pull_messages(timeout_s: int, limit: int) -> str:
    return body("tev", "PullMessages",
                f"<tev:Timeout>PT{timeout_s}S</tev:Timeout><tev:MessageLimit>{limit}"
                "</tev:MessageLimit>")

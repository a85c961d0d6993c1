"""ONVIF SOAP by hand: the WS-UsernameToken digest (the spec's example), answer readers,
faults, PullPoint notifications → alarms, and hypothesis garbage (never a crash)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.onvif import soap
from app.adapters.onvif.events import Notification, Place, notifications, to_report
from app.adapters.onvif.soap import NotAuthorized, OnvifError
from app.core.events import AlarmReported
from app.core.model import AlarmType
from tests.integration.alarm_adapters.fake_onvif import ENV, FAULT_AUTH, notification

NOW = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
PLACE = Place("cam-1", "Parvis")


def test_password_digest_matches_the_ws_security_example() -> None:
    # WS-Security UsernameToken Profile 1.0, section 3.1 example values
    nonce = base64.b64decode("LKqI6G/AikKCQrN0zqZFlg==")
    digest = soap.password_digest(nonce, "2010-09-16T07:50:45Z", "userpassword")
    assert digest == "tuOSpGlFlIXsozq4HFNeeGeFLEI="


def test_security_header_and_envelope() -> None:
    head = soap.security_header("admin", "pw", NOW, nonce=b"0" * 16)
    assert "<wsse:Username>admin</wsse:Username>" in head
    assert "pw<" not in head
    env = soap.envelope(soap.body("tds", "GetDeviceInformation"), head, to="http://x/sub")
    el = soap.parse(env.replace(b"<s:Header>", b"<s:Header>", 1))
    assert el.tag.endswith("GetDeviceInformation")


def test_faults() -> None:
    with pytest.raises(NotAuthorized):
        soap.parse(ENV.format(FAULT_AUTH).encode())
    with pytest.raises(OnvifError, match="SOAP fault"):
        soap.parse(ENV.format("<s:Fault><s:Reason><s:Text>boom</s:Text></s:Reason></s:Fault>"
                              ).encode())
    with pytest.raises(OnvifError, match="DTD"):
        soap.parse(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')


def pulled(*msgs: str) -> list[Notification | OnvifError]:
    return notifications(soap.parse(ENV.format(
        f"<tev:PullMessagesResponse>{''.join(msgs)}</tev:PullMessagesResponse>").encode()))


def test_motion_tamper_input_and_what_is_ignored() -> None:
    t = NOW - timedelta(seconds=1)
    ns = pulled(
        notification("tns1:RuleEngine/CellMotionDetector/Motion", {"IsMotion": "true"}, {}, t),
        notification("tns1:VideoSource/GlobalSceneChange/ImagingService", {"State": "true"},
                     {}, t),
        notification("tns1:Device/Trigger/DigitalInput", {"LogicalState": "true"},
                     {"InputToken": "DI2"}, t),
        notification("tns1:Device/Trigger/DigitalInput", {"LogicalState": "false"}, {}, t),
        notification("tns1:RuleEngine/CellMotionDetector/Motion", {"IsMotion": "true"}, {}, t,
                     operation="Initialized"),
        notification("tns1:Monitoring/ProcessorUsage", {"Value": "80"}, {}, t))
    reports = [to_report(n, PLACE, "onvif", NOW) for n in ns if isinstance(n, Notification)]
    assert [(r.type, r.priority, r.title) for r in reports if r] == [
        (AlarmType.VIDEO_ANALYTICS, 3, "Motion detected — Parvis"),
        (AlarmType.VIDEO_ANALYTICS, 2, "Camera tampering — Parvis"),
        (AlarmType.INTRUSION, 2, "Input active: DI2 — Parvis")]
    assert reports[3:] == [None, None, None]


def test_times_out_of_range_are_refused() -> None:
    for t in (NOW + timedelta(hours=1), NOW - timedelta(hours=2)):
        (n,) = pulled(notification("tns1:X/Motion", {"IsMotion": "true"}, {}, t))
        assert isinstance(n, Notification)
        with pytest.raises(OnvifError):
            to_report(n, PLACE, "onvif", NOW)


def test_readers() -> None:
    caps = soap.parse(ENV.format(
        "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>http://c/media"
        "</tt:XAddr></tt:Media><tt:PTZ><tt:XAddr>ftp://bad</tt:XAddr></tt:PTZ>"
        "</tds:Capabilities></tds:GetCapabilitiesResponse>").encode())
    assert soap.service_addresses(caps) == {"media": "http://c/media"}
    uri = soap.parse(ENV.format("<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>javascript:x"
                                "</tt:Uri></trt:MediaUri></trt:GetStreamUriResponse>").encode())
    with pytest.raises(OnvifError):
        soap.stream_uri(uri)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=1024))
def test_garbage_answers_never_crash(raw: bytes) -> None:
    try:
        el = soap.parse(raw)
    except OnvifError:
        return
    for n in notifications(el):
        if isinstance(n, Notification):
            try:
                r = to_report(n, PLACE, "onvif", NOW)
            except OnvifError:
                continue
            assert r is None or isinstance(r, AlarmReported)


TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126,
                                     exclude_characters='<>&"'), max_size=30)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.dictionaries(TEXT, TEXT, max_size=3), TEXT, TEXT)
def test_garbage_notifications_never_crash(topic: str, data: dict[str, str], when: str,
                                           op: str) -> None:
    items = "".join(f'<tt:SimpleItem Name="{k}" Value="{v}"/>' for k, v in data.items())
    msg = (f"<wsnt:NotificationMessage><wsnt:Topic>{topic}</wsnt:Topic><wsnt:Message>"
           f'<tt:Message UtcTime="{when}" PropertyOperation="{op}"><tt:Data>{items}</tt:Data>'
           "</tt:Message></wsnt:Message></wsnt:NotificationMessage>")
    for n in pulled(msg):
        if isinstance(n, Notification):
            try:
                r = to_report(n, PLACE, "onvif", NOW)
            except OnvifError:
                continue
            assert r is None or isinstance(r, AlarmReported)

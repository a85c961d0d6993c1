"""DC-09 frame and event-code parsing: known frames, the answers' format, and garbage fed by
hypothesis (never a crash, never a half-built event: an alarm or a `FrameError`/`Refused`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.sia_dc09.codes import Building, Refused, to_report
from app.adapters.sia_dc09.frame import (
    BadTime,
    FrameError,
    NeedsKey,
    answer,
    build_frame,
    crc16,
    parse_frame,
)
from app.core.events import AlarmReported
from app.core.model import AlarmType, LatLon

NOW = datetime(2026, 11, 21, 21, 0, 0, tzinfo=UTC)
KEY = bytes(range(16))
BUILDINGS = {"1234": Building("1234", "Mairie", LatLon(48.85, 2.35), ("cam-1",),
                              (("5", "Hall"),))}


def test_crc_is_crc16_arc() -> None:
    assert crc16(b"123456789") == 0xBB3D  # the catalogue check value of CRC-16/ARC


def test_a_contact_id_frame_becomes_an_intrusion_at_its_building() -> None:
    frame = parse_frame(build_frame("ADM-CID", 42, "1234", "#1234|1130 01 005"), None, NOW)
    assert (frame.seq, frame.account, frame.encrypted) == ("0042", "1234", False)
    report = to_report(frame, BUILDINGS, "dc09", NOW)
    assert isinstance(report, AlarmReported)
    assert (report.type, report.priority, report.title) == (
        AlarmType.INTRUSION, 2, "Burglary — Mairie — Hall")
    assert report.source_id == "1234/130/area1/zone5"
    assert report.camera_ids == ("cam-1",)


def test_encrypted_round_trip_and_time_window() -> None:
    raw = build_frame("SIA-DCS", 7, "1234", "#1234|Nri1/FA12", key=KEY, now=NOW)
    frame = parse_frame(raw, KEY, NOW + timedelta(seconds=10))
    assert frame.encrypted
    assert frame.data == "#1234|Nri1/FA12"
    assert frame.timestamp == NOW
    with pytest.raises(NeedsKey):
        parse_frame(raw, None, NOW)
    with pytest.raises(BadTime):
        parse_frame(raw, KEY, NOW + timedelta(minutes=5))
    with pytest.raises(FrameError):
        parse_frame(raw, bytes(16), NOW)  # wrong key


def test_answers_have_the_standard_shape() -> None:
    frame = parse_frame(build_frame("ADM-CID", 3, "1234", "#1234|1130 01 005", receiver="12",
                                    line="3"), None, NOW)
    ack = answer("ACK", frame, None, NOW)
    assert ack.startswith(b"\n")
    assert ack.endswith(b"\r")
    assert ack[9:] == b'"ACK"0003R12L3#1234[]\r'
    assert crc16(ack[9:-1]) == int(ack[1:5], 16)
    assert int(ack[5:9], 16) == len(ack) - 10
    assert answer("NAK", None, None, NOW)[9:] == b'"NAK"0000R0L0A0[]_21:00:00,11-21-2026\r'


@pytest.mark.parametrize(("data", "why"), [
    ("#1234|1130 01 005", None),
    ("#1234|3130 01 005", "restore"),
    ("#1234|1602 00 000", "test"),
    ("#1234|NOP1", "opening"),
])
def test_only_new_alarms_raise(data: str, why: str | None) -> None:
    token = "SIA-DCS" if "|N" in data else "ADM-CID"
    frame = parse_frame(build_frame(token, 1, "1234", data), None, NOW)
    assert (to_report(frame, BUILDINGS, "dc09", NOW) is None) == (why is not None)


def test_unknown_account_is_refused() -> None:
    frame = parse_frame(build_frame("ADM-CID", 1, "9999", "#9999|1130 01 005"), None, NOW)
    with pytest.raises(Refused, match="unknown account"):
        to_report(frame, BUILDINGS, "dc09", NOW)


def _outcome(raw: bytes, key: bytes | None) -> None:
    try:
        frame = parse_frame(raw, key, NOW)
    except FrameError:
        return
    try:
        report = to_report(frame, BUILDINGS, "dc09", NOW)
    except Refused:
        return
    assert report is None or isinstance(report, AlarmReported)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from([None, KEY]))
def test_garbage_bytes_never_crash(raw: bytes, key: bytes | None) -> None:
    _outcome(raw, key)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["ADM-CID", "SIA-DCS", "NULL", "XYZ"]), st.integers(0, 9999),
       st.text(alphabet="0123456789ABCDEF#|[] NriFABRX.", max_size=60),
       st.sampled_from([None, KEY]))
def test_well_framed_garbage_never_crashes(token: str, seq: int, data: str,
                                           key: bytes | None) -> None:
    _outcome(build_frame(token, seq, "1234", data, key=key, now=NOW), key)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=64), st.integers(0, 200))
def test_corrupted_frames_are_refused(noise: bytes, where: int) -> None:
    good = build_frame("ADM-CID", 5, "1234", "#1234|1130 01 005")
    i = 1 + where % (len(good) - 2)
    bad = good[:i] + noise + good[i + 1:]
    # the CRC and length digits are read case-blind: "a197" is the same CRC as "A197"
    if bad[:9].upper() + bad[9:] != good:
        with pytest.raises(FrameError):
            parse_frame(bad, None, NOW)

"""What names a DC-09 alarm and what names a DC-09 message, from the frame alone.

`source_id` names the condition (account, event code, area, zone): the same zone of the same
panel is the same alarm whatever its sequence number, its path or the hour it arrives.
`message_id` names the message (account, receiver, line, sequence, the frame's own timestamp,
its content): a retransmission repeats it, a rebooted panel reusing a sequence number with
another timestamp does not. Neither depends on when the console received the frame."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.adapters.sia_dc09 import SiaDc09Config
from app.adapters.sia_dc09.codes import Building, Refused, to_report
from app.adapters.sia_dc09.frame import Frame, FrameError, build_frame, parse_frame
from app.core.events import AlarmReported

KEY = bytes(range(16))
BUILDINGS = {"1234": Building("1234", "Mairie")}
BEFORE_HOUR = datetime(2026, 11, 30, 16, 59, 50, tzinfo=UTC)
AFTER_HOUR = datetime(2026, 11, 30, 17, 0, 3, tzinfo=UTC)


def _report(raw: bytes, now: datetime, key: bytes | None = None) -> AlarmReported:
    report = to_report(parse_frame(raw, key, now), BUILDINGS, "dc09", now)
    assert isinstance(report, AlarmReported)
    return report


def _ids(report: AlarmReported) -> tuple[str, str]:
    return report.source_id, report.message_id


def test_the_condition_is_account_code_area_and_zone() -> None:
    report = _report(build_frame("ADM-CID", 42, "1234", "#1234|1130 01 005"), BEFORE_HOUR)
    assert report.source_id == "1234/130/area1/zone5"
    sia = _report(build_frame("SIA-DCS", 43, "1234", "#1234|Nri2/BA12"), BEFORE_HOUR)
    assert sia.source_id == "1234/BA/area2/zone12"


def test_a_retransmission_across_the_hour_keeps_both_ids() -> None:
    """The frame sent at 16:59:50, the console killed, the panel retransmitting at 17:00:03:
    the same frame is the same message of the same alarm (it was two alarms, one per hour)."""
    plain = build_frame("ADM-CID", 7, "1234", "#1234|1130 01 005")
    assert _ids(_report(plain, BEFORE_HOUR)) == _ids(_report(plain, AFTER_HOUR))
    stamped = build_frame("ADM-CID", 7, "1234", "#1234|1130 01 005", now=BEFORE_HOUR)
    assert _ids(_report(stamped, BEFORE_HOUR)) == _ids(_report(stamped, AFTER_HOUR))
    sealed = build_frame("ADM-CID", 7, "1234", "#1234|1130 01 005", key=KEY, now=BEFORE_HOUR)
    first = _report(sealed, BEFORE_HOUR + timedelta(seconds=1), KEY)
    again = _report(sealed, AFTER_HOUR, KEY)
    assert _ids(first) == _ids(again)
    assert first.message_id  # a message identity of its own, not the alarm's


def test_a_rebooted_panel_reusing_its_sequence_is_another_message_of_the_same_alarm() -> None:
    before = build_frame("ADM-CID", 1, "1234", "#1234|1130 01 005", key=KEY, now=BEFORE_HOUR)
    after = build_frame("ADM-CID", 1, "1234", "#1234|1130 01 005", key=KEY, now=AFTER_HOUR)
    first, second = _report(before, BEFORE_HOUR, KEY), _report(after, AFTER_HOUR, KEY)
    assert first.source_id == second.source_id
    assert first.message_id != second.message_id


def test_a_new_sequence_number_is_another_message_of_the_same_alarm() -> None:
    """A panel that restarted its numbering reports the same zone: the same alarm (the book
    shows it as a new occurrence), never a stranger alarm nor a retransmission."""
    first = _report(build_frame("ADM-CID", 9, "1234", "#1234|1130 01 005"), BEFORE_HOUR)
    second = _report(build_frame("ADM-CID", 1, "1234", "#1234|1130 01 005"), BEFORE_HOUR)
    assert first.source_id == second.source_id
    assert first.message_id != second.message_id


def test_what_changes_the_condition_and_what_changes_only_the_message() -> None:
    base = _report(build_frame("ADM-CID", 5, "1234", "#1234|1130 01 005"), BEFORE_HOUR)
    zone = _report(build_frame("ADM-CID", 5, "1234", "#1234|1130 01 006"), BEFORE_HOUR)
    area = _report(build_frame("ADM-CID", 5, "1234", "#1234|1130 02 005"), BEFORE_HOUR)
    code = _report(build_frame("ADM-CID", 5, "1234", "#1234|1120 01 005"), BEFORE_HOUR)
    assert len({r.source_id for r in (base, zone, area, code)}) == 4
    assert len({r.message_id for r in (base, zone, area, code)}) == 4  # content differs
    # the same panel through another receiver or line (its backup path): the same alarm,
    # another message
    routed = _report(build_frame("ADM-CID", 5, "1234", "#1234|1130 01 005", receiver="2",
                                 line="7"), BEFORE_HOUR)
    assert routed.source_id == base.source_id
    assert routed.message_id != base.message_id
    # the same message with extended data (a position) is another message
    extra = build_frame("ADM-CID", 5, "1234", "#1234|1130 01 005][X2.35")
    assert _report(extra, BEFORE_HOUR).message_id != base.message_id


def _identity(frame: Frame, received_at: datetime) -> tuple[str, str] | None:
    try:
        report = to_report(frame, {frame.account: Building(frame.account, "B")}, "dc09",
                           received_at)
    except Refused:
        return None
    return None if report is None else _ids(report)


_CID_DATA = st.builds(lambda q, code, area, zone: f"#1234|{q}{code:03d} {area:02X} {zone:03X}",
                      st.sampled_from("136"), st.sampled_from([110, 120, 130, 137, 150, 602]),
                      st.integers(0, 255), st.integers(0, 4095))
_SIA_DATA = st.builds(lambda area, code, zone: f"#1234|Nri{area}/{code}{zone}",
                      st.integers(0, 999), st.sampled_from(["BA", "FA", "PA", "BR", "OP"]),
                      st.integers(0, 9999))
_EXTRAS = st.lists(st.text(alphabet="XYMV0123456789.", min_size=1, max_size=8), max_size=2)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["ADM-CID", "SIA-DCS"]), st.integers(0, 9999),
       st.one_of(_CID_DATA, _SIA_DATA,
                 st.text(alphabet="0123456789ABCDEF#|[] NriFABRX./", max_size=40)),
       _EXTRAS, st.sampled_from([None, "1", "A2"]), st.sampled_from([None, "3"]),
       st.sampled_from([None, BEFORE_HOUR]))
def test_identities_are_a_pure_function_of_the_frame(
        token: str, seq: int, data: str, extras: list[str], receiver: str | None,
        line: str | None, stamp: datetime | None) -> None:
    data += "".join(f"][{x}" for x in extras)
    raw = build_frame(token, seq, "1234", data, now=stamp, receiver=receiver, line=line)
    try:
        at_first = parse_frame(raw, None, BEFORE_HOUR)
        an_hour_on = parse_frame(raw, None, AFTER_HOUR)
    except FrameError:
        return
    ids = _identity(at_first, BEFORE_HOUR)
    assert ids == _identity(an_hour_on, AFTER_HOUR)
    if ids is not None:
        source_id, message_id = ids
        assert source_id.startswith("1234/")
        assert message_id.startswith("1234/")
        assert message_id != source_id


def test_the_receivers_fast_path_never_outlives_the_books_window() -> None:
    """The receiver may ACK a message it stored moments ago without asking the store; longer
    than the book's retransmission window (10 min) it would swallow what the book calls a
    new occurrence."""
    base = {"kind": "sia_dc09", "name": "dc09"}
    assert SiaDc09Config.model_validate(base).dedup_window_s == 600
    with pytest.raises(ValidationError, match="dedup_window_s"):
        SiaDc09Config.model_validate({**base, "dedup_window_s": 3600})

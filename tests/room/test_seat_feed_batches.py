"""A seat reads a storm of small commits in batches: in a storm the service commits hundreds
of small batches a second (each with its NOTIFY); a seat that looked at the feed once per
notification (and once more per notification that came while it looked) spent its CPU on
round trips: at 2,000 alarms/s three seats could not keep up on two cores
(bench/multiseat.py). Now it looks at most once per LOOK_GAP_S and forgets the
notifications of what it is about to read."""

from __future__ import annotations

import threading
import time

import pytest

from app.services.seat_runtime import LOOK_GAP_S
from app.store.room import Changes, FeedReader
from tests.room.room_rig import Room, report

ALARMS = 150



@pytest.mark.slow
def test_a_storm_of_small_commits_is_read_in_batches(room: Room,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    looks: list[float] = []
    lock = threading.Lock()
    catch_up = FeedReader.catch_up

    def counted(self: FeedReader) -> Changes:
        with lock:
            looks.append(time.monotonic())
        return catch_up(self)

    monkeypatch.setattr(FeedReader, "catch_up", counted)
    service = room.start_service()
    seat = room.seat("alice")
    with lock:
        looks.clear()
    for i in range(ALARMS):  # one commit (and one NOTIFY) each: the source waits for its ACK
        service.hub.post_durable(report(f"door-{i}")).result(10)
    seat.wait_alarm(f"door-{ALARMS - 1}")
    with lock:
        seen = list(looks)
    assert all(seat.alarm(f"door-{i}") is not None for i in range(ALARMS))
    span = seen[-1] - seen[0]
    # at least LOOK_GAP_S apart (a little slack for the clock's reading around the wait)
    assert len(seen) - 1 <= span / LOOK_GAP_S * 1.05 + 1, (len(seen), span)

"""The service's log of adapter and journal changes (app/cli/status_log.py), over a real
hub: one line per change, a flapping adapter bounded, and the state it ends in always
logged, so the log never ends on a state that is no longer true."""

from __future__ import annotations

import logging

import pytest

from app.cli.status_log import BURST, StatusLog, Throttle
from app.core.events import AdapterStatus, JournalStatus
from app.core.hub import Hub
from tests.waiting import wait_until


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def service_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "app.service"]


def test_each_change_is_one_line_and_repeats_are_not_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app.service")
    hub = Hub()
    statuses = StatusLog(hub)
    statuses.start()
    try:
        hub.post(AdapterStatus("panels", "starting"))
        hub.post(AdapterStatus("panels", "running"))
        for n in range(5):  # the host's periodic counters: same state, new counts
            hub.post(AdapterStatus("panels", "running", messages=n, events=n))
        hub.post(AdapterStatus("panels", "retrying", "connection refused — retry in 2 s",
                               messages=4, events=4))
        hub.post(JournalStatus(ok=True))  # healthy from the start: nothing to say
        hub.post(JournalStatus(ok=False, problem="the disk holding the journal is full",
                               waiting_reports=3))
        hub.post(JournalStatus(ok=False, problem="the disk holding the journal is full",
                               waiting_reports=4))
        hub.post(JournalStatus(ok=True))
        wait_until(lambda: len(service_lines(caplog)) >= 5, what="the five changes logged")
    finally:
        statuses.stop()
    assert service_lines(caplog) == [
        "adapter panels: starting (0 message(s), 0 event(s), 0 rejected)",
        "adapter panels: running (0 message(s), 0 event(s), 0 rejected)",
        "adapter panels: retrying — connection refused — retry in 2 s "
        "(4 message(s), 4 event(s), 0 rejected)",
        "journal: NOT storing — the disk holding the journal is full; 3 alarm report(s) "
        "wait, not acknowledged to their sources",
        "journal: storing again",
    ]
    levels = [r.levelno for r in caplog.records if r.name == "app.service"]
    assert levels == [logging.INFO, logging.INFO, logging.WARNING, logging.ERROR, logging.INFO]


def test_a_flapping_adapter_is_bounded_and_its_last_state_is_logged_at_stop(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app.service")
    hub = Hub()
    statuses = StatusLog(hub)
    statuses.start()
    try:
        for n in range(200):
            hub.post(AdapterStatus("mqtt", "retrying" if n % 2 else "running", f"try {n}"))
        hub.post(AdapterStatus("other", "running"))  # another adapter has its own bound
        wait_until(lambda: any("adapter other" in line for line in service_lines(caplog)),
                   what="the other adapter's line")
    finally:
        statuses.stop()
    mqtt = [line for line in service_lines(caplog) if line.startswith("adapter mqtt")]
    assert len(mqtt) == BURST + 1
    assert mqtt[-1].startswith("adapter mqtt: retrying — try 199 ")  # the last state
    assert mqtt[-1].endswith(f"({200 - BURST - 1} earlier change(s) in the last 60 s "
                             "not logged)")


def test_a_held_back_line_comes_out_when_its_window_allows() -> None:
    clock, written = Clock(), []
    throttle = Throttle(lambda _level, text: written.append(text), burst=2, window_s=60,
                        clock=clock)
    for n in range(5):
        throttle.say("a", logging.INFO, f"state {n}")
    assert written == ["state 0", "state 1"]
    clock.now = 30
    throttle.release()
    assert written == ["state 0", "state 1"]  # still within the minute
    clock.now = 61
    throttle.release()
    assert written[-1] == "state 4 (2 earlier change(s) in the last 60 s not logged)"
    throttle.say("a", logging.INFO, "state 5")  # one slot left in the new window
    assert written[-1] == "state 5"

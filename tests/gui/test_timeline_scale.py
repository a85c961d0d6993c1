"""The timeline's ticks, in the workstation's local time at every zoom from ten seconds
to seven days: on round local instants (midnight stays midnight across the change to
winter time), far enough apart to be read, labelled with what changes between them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from widgets.replay.timeline_scale import MAX_SPAN, MIN_SPAN, View, tick_label, tick_step, ticks


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


SPANS = [MIN_SPAN, timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1),
         timedelta(hours=6), timedelta(days=1), timedelta(days=3), MAX_SPAN]


@pytest.mark.parametrize("span", SPANS, ids=str)
def test_ticks_are_round_local_times_and_readable(paris: None, span: timedelta) -> None:
    view = View(datetime(2026, 10, 22, 21, 37, 13, 400_000, tzinfo=UTC), span, 1600)
    step = tick_step(view, min_px=90)
    marks = ticks(view, step)
    assert 2 <= len(marks) <= 1600 / 90 + 1
    assert all(view.start <= t <= view.end for t in marks)
    for t in marks:
        local = t.astimezone()
        since_midnight = local.hour * 3600 + local.minute * 60 + local.second
        assert local.microsecond == 0
        assert since_midnight % min(step.total_seconds(), 86400) == 0, local
    labels = [tick_label(t, step) for t in marks]
    assert all(a != b for a, b in pairwise(labels)), labels
    for t, label in zip(marks, labels, strict=True):  # a new day says which
        if t.astimezone().strftime("%H:%M:%S") == "00:00:00":
            assert label == t.astimezone().strftime("%d/%m")


def test_day_ticks_stay_at_local_midnight_across_the_change_of_hour(paris: None) -> None:
    view = View(datetime(2026, 10, 22, tzinfo=UTC), MAX_SPAN, 1600)  # over 25 October
    marks = ticks(view, timedelta(days=1))
    assert [t.astimezone().strftime("%d %H:%M") for t in marks] == [
        f"{d} 00:00" for d in range(23, 30)]
    assert marks[3] - marks[2] == timedelta(hours=25)  # the night of the change
    assert [tick_label(t, timedelta(days=1)) for t in marks][:2] == ["23/10", "24/10"]


def test_labels_say_seconds_when_ticks_are_seconds_apart(paris: None) -> None:
    t = datetime(2026, 12, 1, 13, 2, 5, tzinfo=UTC)
    assert tick_label(t, timedelta(seconds=5)) == "14:02:05"
    assert tick_label(t, timedelta(minutes=5)) == "14:02"
    assert tick_label(datetime(2026, 11, 30, 23, tzinfo=UTC), timedelta(hours=1)) == "01/12"

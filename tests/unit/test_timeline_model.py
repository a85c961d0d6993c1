"""The timeline's data: a camera's segments become few recorded spans, and a hole longer
than a frame or so stays a hole (the gap itself is drawn from the journal's Gap rows)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.recording import Segment
from app.ui.timeline_model import Span, recorded_spans

T0 = datetime(2026, 12, 1, 12, tzinfo=UTC)


def segment(start_s: float, end_s: float) -> Segment:
    return Segment("c1", T0 + timedelta(seconds=start_s), T0 + timedelta(seconds=end_s),
                   f"/rec/{start_s}.mp4", 1000, "00")


def test_segments_end_to_end_are_one_span_and_a_hole_splits_them() -> None:
    segments = [segment(s, s + 10.02) for s in range(0, 600, 10)]  # 10 min, end to end
    segments += [segment(630, 640), segment(640.05, 650)]  # after a 30-s hole
    spans = recorded_spans(reversed(segments))
    assert spans == (Span(T0, T0 + timedelta(seconds=600.02)),
                     Span(T0 + timedelta(seconds=630), T0 + timedelta(seconds=650)))


def test_an_overlapping_shorter_segment_does_not_shorten_the_span() -> None:
    assert recorded_spans([segment(0, 10), segment(2, 5)]) == (
        Span(T0, T0 + timedelta(seconds=10)),)

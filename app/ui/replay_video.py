"""Replay's clock, transport and per-camera playback, as the widgets reach them (through
`app.ui`, as the dependency rule asks)."""

from __future__ import annotations

from app.services.incident_draft import draft_from_alarm
from app.services.local_replay_source import LocalSource
from app.services.replay_clock import RATES, SPEEDS, ClockState, ReplayClock
from app.services.replay_transport import Key, Move, after_key, apply, faster, slower
from app.services.replay_video import CameraPlayback

__all__ = ["RATES", "SPEEDS", "CameraPlayback", "ClockState", "Key", "LocalSource", "Move",
           "ReplayClock", "after_key", "apply", "draft_from_alarm", "faster", "slower"]

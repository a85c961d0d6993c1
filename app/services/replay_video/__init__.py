"""Replay video without libvlc (libvlc cannot play backwards, cannot step back a picture,
and its players drift apart at 16x): one PyAV decoder thread per camera, all of them
showing the instant the ONE replay clock says. See `playback.CameraPlayback`."""

from __future__ import annotations

from app.services.replay_video.frames import Frame, Status, StatusKind
from app.services.replay_video.playback import CameraPlayback

__all__ = ["CameraPlayback", "Frame", "Status", "StatusKind"]

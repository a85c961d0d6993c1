"""RTSP messages for the RTSP adapter: they live in `app.net.rtsp` (shared with the video
wall); kept here so the adapter's imports stay as they were."""

from __future__ import annotations

from app.net.rtsp import MAX_ANSWER, Answer, RtspError, parse_head, request, sdp_codecs, split_url

__all__ = ["MAX_ANSWER", "Answer", "RtspError", "parse_head", "request", "sdp_codecs",
           "split_url"]

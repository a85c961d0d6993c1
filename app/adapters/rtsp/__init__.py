"""Plain RTSP cameras (main and sub stream URLs from the site file)."""

from app.adapters.rtsp.adapter import CameraEntry, RtspAdapter, RtspConfig

__all__ = ["CameraEntry", "RtspAdapter", "RtspConfig"]

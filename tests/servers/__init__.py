"""Real servers for tests: `RtspServer` (GStreamer RTSP on loopback)."""

from tests.servers.rtsp import RtspServer, rtsp_server_available

__all__ = ["RtspServer", "rtsp_server_available"]

"""OwnTracks (MQTT) position adapter."""

from app.adapters.owntracks.adapter import OwnTracksAdapter, OwnTracksConfig

__all__ = ["OwnTracksAdapter", "OwnTracksConfig"]

"""Frigate NVR (MQTT) video-analytics alarm adapter."""

from app.adapters.frigate.adapter import FrigateAdapter, FrigateConfig

__all__ = ["FrigateAdapter", "FrigateConfig"]

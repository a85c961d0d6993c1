"""Generic body-cam platform adapter (MQTT or webhook)."""

from app.adapters.bodycam.adapter import BodycamAdapter, BodycamConfig

__all__ = ["BodycamAdapter", "BodycamConfig"]

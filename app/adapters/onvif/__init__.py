"""ONVIF cameras: profiles and stream URIs, PTZ, PullPoint events as alarms."""

from app.adapters.onvif.adapter import OnvifAdapter, OnvifConfig

__all__ = ["OnvifAdapter", "OnvifConfig"]

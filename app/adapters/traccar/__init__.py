"""Traccar (REST + WebSocket) position adapter."""

from app.adapters.traccar.adapter import TraccarAdapter, TraccarConfig

__all__ = ["TraccarAdapter", "TraccarConfig"]

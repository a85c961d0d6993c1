"""Cursor-on-Target (TAK) position adapter."""

from app.adapters.cot.adapter import CotAdapter, CotConfig

__all__ = ["CotAdapter", "CotConfig"]

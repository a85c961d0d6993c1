"""The demo adapter: a whole simulated site (cameras, officers on real streets, alarms)."""

from app.adapters.demo.adapter import DemoAdapter, DemoConfig

__all__ = ["DemoAdapter", "DemoConfig"]

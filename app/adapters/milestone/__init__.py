"""Milestone XProtect: REST alarms, events WebSocket, acknowledgement write-back."""

from app.adapters.milestone.adapter import MilestoneAdapter, MilestoneConfig

__all__ = ["MilestoneAdapter", "MilestoneConfig"]

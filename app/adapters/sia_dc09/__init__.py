"""SIA DC-09 alarm receiver for the panels of municipal buildings."""

from app.adapters.sia_dc09.adapter import SiaDc09Adapter, SiaDc09Config

__all__ = ["SiaDc09Adapter", "SiaDc09Config"]

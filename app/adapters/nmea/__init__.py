"""NMEA 0183 over TCP position adapter."""

from app.adapters.nmea.adapter import NmeaAdapter, NmeaConfig

__all__ = ["NmeaAdapter", "NmeaConfig"]

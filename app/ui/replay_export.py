"""What widgets use of the evidence export (widgets reach services only through app.ui)."""

from app.services.evidence.export import ExportResult
from app.services.evidence.request import REFUSALS, ExportRequest

__all__ = ["REFUSALS", "ExportRequest", "ExportResult"]

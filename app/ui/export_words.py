"""The export's steps and outcomes in the chief's language (the service says them in
English words and kinds; the dialog shows these)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.evidence import EvidenceCancelled, EvidenceError
from app.core.journal import JournalUnavailable
from app.services.gate import Refused


def step_words(step: str) -> str:
    if step in ("waiting", "queued"):  # "queued": a room's service has not begun it yet
        return QCoreApplication.translate(
            "ExportWords", "Waiting for the export under way to end (one at a time)…")
    if step == "masters":
        return QCoreApplication.translate(
            "ExportWords", "Copying the recordings into the master files (never re-encoded)…")
    if step == "working copies":
        return QCoreApplication.translate(
            "ExportWords", "Burning the privacy masks into the working copies…")
    if step == "documents":
        return QCoreApplication.translate(
            "ExportWords", "Writing the tracks, the alarms and the operators' actions…")
    if step == "report":
        return QCoreApplication.translate(
            "ExportWords", "Writing the report, the manifest and its signature…")
    if step == "zip":
        return QCoreApplication.translate("ExportWords", "Writing the ZIP…")
    if step == "done":
        return QCoreApplication.translate("ExportWords", "Done.")
    return step


def export_failure(exc: BaseException) -> str:
    """Why an export did not happen, in plain words; always says that nothing was kept."""
    if isinstance(exc, EvidenceCancelled):
        return QCoreApplication.translate("ExportWords",
                                          "Cancelled: nothing of this export was kept.")
    if isinstance(exc, Refused):
        return QCoreApplication.translate(
            "ExportWords", "Refused: %1. Nothing was exported.").replace("%1", str(exc))
    if isinstance(exc, JournalUnavailable):
        return QCoreApplication.translate(
            "ExportWords", "The access log cannot be written, so nothing was exported (the "
            "law requires the log first). Tell the administrator: %1").replace("%1", str(exc))
    if isinstance(exc, EvidenceError):
        return QCoreApplication.translate(
            "ExportWords", "The export failed: %1. Nothing of it was kept.").replace(
                "%1", str(exc))
    return QCoreApplication.translate(
        "ExportWords", "The export failed (%1). Nothing of it was kept.").replace(
            "%1", f"{type(exc).__name__}: {exc}")

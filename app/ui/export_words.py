"""The export's steps and outcomes in the chief's language (the service says them in
English words and kinds; the dialog shows these)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.evidence import EvidenceCancelled, EvidenceError
from app.core.journal import JournalUnavailable
from app.services.gate import Refused


def _t(text: str) -> str:
    return QCoreApplication.translate("ExportWords", text)


def step_words(step: str) -> str:
    return {
        "masters": _t("Copying the recordings into the master files (never re-encoded)…"),
        "working copies": _t("Burning the privacy masks into the working copies…"),
        "documents": _t("Writing the tracks, the alarms and the operators' actions…"),
        "report": _t("Writing the report, the manifest and its signature…"),
        "zip": _t("Writing the ZIP…"),
        "done": _t("Done."),
    }.get(step, step)


def export_failure(exc: BaseException) -> str:
    """Why an export did not happen, in plain words; always says that nothing was kept."""
    if isinstance(exc, EvidenceCancelled):
        return _t("Cancelled: nothing of this export was kept.")
    if isinstance(exc, Refused):
        return _t("Refused: %1. Nothing was exported.").replace("%1", str(exc))
    if isinstance(exc, JournalUnavailable):
        return _t("The access log cannot be written, so nothing was exported (the law "
                  "requires the log first). Tell the administrator: %1").replace(
                      "%1", str(exc))
    if isinstance(exc, EvidenceError):
        return _t("The export failed: %1. Nothing of it was kept.").replace("%1", str(exc))
    return _t("The export failed (%1). Nothing of it was kept.").replace(
        "%1", f"{type(exc).__name__}: {exc}")

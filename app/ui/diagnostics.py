"""The About / diagnostics dialog's text, reached by widgets through app.ui: the service's
report plus what only the Qt side knows (Qt's and PySide6's versions)."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import qVersion

from app.services.diagnostics import Facts, report

__all__ = ["Facts", "qt_versions", "report"]


def qt_versions() -> dict[str, str]:
    return {"qt": qVersion(), "pyside6": PySide6.__version__}

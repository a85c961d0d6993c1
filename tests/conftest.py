"""Session-wide test set-up: an isolated home for settings, journals, caches and the
keyring, and QtWebEngine's root workaround. Runs before Qt is imported."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_HOME = Path(tempfile.mkdtemp(prefix="csu-test-home-"))
for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                 ("XDG_CACHE_HOME", "cache")):
    os.environ[var] = str(_HOME / sub)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

REPO = Path(__file__).resolve().parents[1]


def _register_map_scheme() -> None:
    """The map's mbtiles: scheme and page compositing, set before any QApplication exists."""
    from maps.scheme import prepare_web_engine

    prepare_web_engine()


_register_map_scheme()

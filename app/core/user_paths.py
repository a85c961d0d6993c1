"""Where the console keeps its files for this user (platformdirs), without Qt: the service
(`csu-console serve`) and the console must find the same journal and the same folders."""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import platformdirs

APP = "csu-console"

log = logging.getLogger(__name__)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def slug(name: str) -> str:
    """The site's key in QSettings (wall layouts, map view). Kept as it always was, accents
    dropped with their letters ("Démo" -> "d-mo"): a new key would lose every saved layout;
    the operator never sees it. File names use `file_slug`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "site"


def file_slug(name: str) -> str:
    """A site's name as a file name an installer recognises: accents transliterated
    ("Démo centre" -> "demo-centre"), anything else but ASCII letters and digits a dash."""
    name = name.translate(_LIGATURES)  # not split by NFKD
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    return slug(plain)


def journal_path(site_name: str) -> Path:
    """The site's journal. A journal kept under the name of earlier versions (accented
    letters dropped: "d-mo-centre...") stays in use where it is: it holds the site's alarms
    and audit log, and another process (`serve`, a console still running) may have it open,
    so it is neither renamed nor copied."""
    folder = Path(platformdirs.user_data_dir(APP, appauthor=False)) / "journals"
    path = folder / f"{file_slug(site_name)}.sqlite"
    old = folder / f"{slug(site_name)}.sqlite"
    if old != path and old.exists() and not path.exists():
        log.info("journal %s kept under its earlier name (%s would be the name now)",
                 old, path.name)
        return old
    return path


def service_log_path() -> Path:
    """The service's log file when `--log-file` does not name one."""
    return Path(platformdirs.user_log_dir(APP, appauthor=False)) / "service.log"


def console_log_path() -> Path:
    """The console's own log file (rotated), beside the service's: what a support ticket
    asks for, from a workstation whose console has no terminal."""
    return Path(platformdirs.user_log_dir(APP, appauthor=False)) / "console.log"

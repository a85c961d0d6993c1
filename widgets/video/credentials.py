"""Camera passwords for the players, read from the OS keyring off the GUI thread.

URLs are journaled, logged and shown, so they never carry a password: a camera names its
secret (`password_secret`) and the tile asks here for the URL to hand to the engine. The
first lookup of a secret reads the keyring on a worker thread (a keyring may be a D-Bus
service or a file: no waiting on the GUI thread) and `loaded` tells the tiles to retry.

No lost wake-up: the value is stored before `loaded` is emitted, a tile subscribes to
`loaded` when it is made (before it ever looks up), and a tile still waiting looks again
on every watchdog tick; a lookup never depends on catching the signal alone.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit, urlunsplit

from PySide6.QtCore import QObject, Signal

from app.core.secrets import SecretMissing, get_secret

log = logging.getLogger(__name__)


def with_credentials(url: str, username: str, password: str) -> str:
    """`url` with `username:password@` in its authority (percent-encoded)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    auth = f"{quote(username, safe='')}:{quote(password, safe='')}@"
    return urlunsplit((parts.scheme, auth + host, parts.path, parts.query, parts.fragment))


class CameraCredentials(QObject):
    loaded = Signal(str)  # a secret's name: its lookup finished (found or not)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._values: dict[str, str] = {}
        self._errors: dict[str, str] = {}
        self._pending: set[str] = set()
        self._lock = threading.Lock()  # the worker writes what the GUI thread reads
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="csu-keyring")

    def lookup(self, name: str) -> tuple[str | None, str | None]:
        """(password, None) when known; (None, error) when the keyring has none;
        (None, None) while it is being read (`loaded` follows)."""
        with self._lock:
            if name in self._values:
                return self._values[name], None
            if name in self._errors:
                return None, self._errors[name]
            if name in self._pending:
                return None, None
            self._pending.add(name)
        self._pool.submit(self._read, name)
        return None, None

    def forget(self, name: str) -> None:
        """Read it again next time (the installer changed it)."""
        with self._lock:
            self._values.pop(name, None)
            self._errors.pop(name, None)

    def _read(self, name: str) -> None:
        value: str | None = None
        error: str | None = None
        try:
            value = get_secret(name)
        except SecretMissing as exc:
            error = str(exc)
        except Exception as exc:  # a broken keyring backend must not kill the worker
            log.exception("keyring lookup of %r failed", name)
            error = f"the keyring could not be read: {exc}"
        with self._lock:  # stored before anyone is told
            if error is None and value is not None:
                self._values[name] = value
            else:
                self._errors[name] = error or "no value"
            self._pending.discard(name)
        self.loaded.emit(name)  # queued to the GUI thread's receivers


_shared: CameraCredentials | None = None


def shared() -> CameraCredentials:
    global _shared
    if _shared is None:
        _shared = CameraCredentials()
    return _shared

"""What the set-up assistant's pages use (widgets reach services only through app.ui), and
the connection tests run off the GUI thread, each answer handed back as it comes."""

from __future__ import annotations

import concurrent.futures
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.adapter import AdapterConfig, ProbeResult
from app.core.registry import AdapterEntry
from app.core.site import JournalConfig
from app.services.accounts import MIN_PASSWORD
from app.services.probing import probe_adapter, probe_journal
from app.services.site_draft import (
    AdapterDraft,
    AdminDraft,
    DraftError,
    JournalDraft,
    SecretStash,
    SiteDraft,
    adapter_config,
    check_draft,
    finish,
    site_problems,
)
from app.services.site_form import UNSET, FieldError, FieldSpec, form_fields, parse_value
from app.ui.futures import hand_over

__all__ = ["MIN_PASSWORD", "UNSET", "AdapterDraft", "AdminDraft", "DraftError", "FieldError",
           "FieldSpec", "JournalDraft", "ProbeRunner", "SecretStash", "SiteDraft",
           "adapter_config", "check_draft", "finish", "form_fields", "parse_value",
           "site_problems"]


class ProbeRunner(QObject):
    """Tests connections on worker threads (never the GUI thread: a probe waits up to 20 s
    on a system that does not answer). `answered(key, results, error)` comes on the GUI
    thread once per test, in the order they finish."""

    answered = Signal(str, object, object)

    def __init__(self, registry: dict[str, AdapterEntry], parent: QObject | None = None,
                 workers: int = 4) -> None:
        super().__init__(parent)
        self._registry = registry
        self._pool = concurrent.futures.ThreadPoolExecutor(workers, "csu-setup-probe")
        self._pending: set[concurrent.futures.Future[Any]] = set()

    def probe_adapter(self, key: str, cfg: AdapterConfig) -> None:
        self._submit(key, probe_adapter, cfg, self._registry)

    def probe_journal(self, key: str, journal: JournalConfig, password: str | None) -> None:
        self._submit(key, probe_journal, journal, password, True)

    def _submit(self, key: str, fn: Any, *args: Any) -> None:
        future: concurrent.futures.Future[list[ProbeResult]] = self._pool.submit(fn, *args)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        hand_over(future, self.answered, key)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self, wait: bool = False) -> None:
        """Stop taking tests; those not started are dropped (`wait`: for the running ones,
        which end within their own timeout)."""
        self._pool.shutdown(wait=wait, cancel_futures=True)

"""One connection test at a time: the checks of `check-config --probe`, split so that the
set-up assistant can test each adapter (and the journal) alone, on a worker thread, and
show each answer as it comes. `check-config --probe` runs the same functions."""

from __future__ import annotations

import asyncio

from app.core.adapter import AdapterConfig, ProbeResult
from app.core.journal_url import JournalLocation, JournalUrlError, parse_journal_url
from app.core.registry import AdapterEntry
from app.core.site import JournalConfig

PROBE_TIMEOUT_S = 20.0  # per adapter: an installer waits, but not forever
JOURNAL = "journal"


async def probe_adapter_async(cfg: AdapterConfig, registry: dict[str, AdapterEntry],
                              timeout_s: float = PROBE_TIMEOUT_S) -> list[ProbeResult]:
    """Connect once to this adapter's systems. Never raises: a failure is a result."""
    entry = registry.get(cfg.kind)
    if entry is None or entry.cls is None:
        why = entry.error if entry is not None else "not installed"
        return [ProbeResult(cfg.name, "load the adapter", False,
                            f"adapter {cfg.kind!r} cannot be used: {why}")]
    try:
        async with asyncio.timeout(timeout_s):
            return await entry.cls(cfg).probe()
    except TimeoutError:
        return [ProbeResult(cfg.name, "probe", False, f"no answer within {timeout_s:.0f} s")]
    except Exception as exc:  # a probe must report, never crash its caller
        return [ProbeResult(cfg.name, "probe", False, f"the check failed: {exc}")]


def probe_adapter(cfg: AdapterConfig, registry: dict[str, AdapterEntry],
                  timeout_s: float = PROBE_TIMEOUT_S) -> list[ProbeResult]:
    """`probe_adapter_async` on an event loop of its own (call it off the GUI thread)."""
    return asyncio.run(probe_adapter_async(cfg, registry, timeout_s))


def probe_journal(journal: JournalConfig | None, password: str | None,
                  new_is_fine: bool = False) -> list[ProbeResult]:
    """A room's journal: the database answers, takes the password, holds this console's
    schema (a file journal is checked when a console opens it: nothing to probe).
    `new_is_fine`: an empty database is not a failure (the set-up assistant sets its schema
    up when it creates the first administrator)."""
    if journal is None:
        return []
    from app.store.connection import JournalCannotReach
    from app.store.postgres_journal import JournalOutdated, PostgresJournal

    try:
        where = parse_journal_url(journal.url)
    except JournalUrlError as exc:
        return [ProbeResult(JOURNAL, "read its URL", False, str(exc))]
    if not where.shared:
        return []
    check = f"connect to {where}"
    try:
        PostgresJournal(where, password, purpose="check-config").close()
    except JournalOutdated as exc:
        if new_is_fine and _is_empty(where, password):
            return [ProbeResult(JOURNAL, check, True, "the database answers and holds no "
                                "journal yet: it is set up when the assistant finishes")]
        return [ProbeResult(JOURNAL, check, False, str(exc))]
    except JournalCannotReach as exc:
        return [ProbeResult(JOURNAL, check, False, str(exc))]
    return [ProbeResult(JOURNAL, check, True, "the room's journal answers, schema current")]


def _is_empty(where: JournalLocation, password: str | None) -> bool:
    """An empty database (no schema at all), as against one of an older console."""
    from app.store.connection import connect
    from app.store.postgres_journal import schema_version

    try:
        with connect(where, password, "check-config") as conn:
            return schema_version(conn) is None
    except Exception:  # it answered a moment ago; anything else: not "empty"
        return False

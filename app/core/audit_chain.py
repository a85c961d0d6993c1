"""The access log's hash chain: each row carries the hash of the row before it, so a row
changed, removed or slipped in afterwards shows (the CNIL asks such logs to be write-only
and tamper-evident).

One rule, used by every backend when it writes and by `csu-console audit verify` when it
checks: a row's hash is SHA-256 over the previous row's hash and the row's fields in a
canonical JSON form (UTC times with microseconds, so a time read back from either database
hashes the same as the one written).

The three-year purge removes the oldest rows: it logs itself with the hash of the last row it
removed (`anchor_target`), and the verifier accepts the first remaining row's link to that
hash instead of the start of the log.

What a chain cannot stop: someone able to write the database directly could rebuild every
hash after a change. `audit verify` prints the head hash; a chief who notes it (or the
register that keeps it) can later prove nothing before it was rewritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from app.core.model import OperatorAction

GENESIS = ""  # the "previous hash" of the first row ever written
PURGE_ACTION = "access_log_purged"
_ANCHOR = "access-log-chain:"


def canonical_time(t: datetime | None) -> str | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(action: OperatorAction) -> str:
    """The row's fields, in the one form that is hashed."""
    return json.dumps(
        [canonical_time(action.time), action.actor, action.action, action.target,
         action.detail, action.user_name, action.role, action.workstation, action.purpose,
         list(action.recipients), list(action.cameras), canonical_time(action.range_start),
         canonical_time(action.range_end)],
        ensure_ascii=False, separators=(",", ":"))


def link_hash(prev_hash: str, action: OperatorAction) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(action)}".encode()).hexdigest()


def chained(prev_hash: str, actions: Sequence[OperatorAction]) -> list[tuple[str, str]]:
    """(prev_hash, hash) for each of `actions`, appended after a row whose hash is
    `prev_hash`, in order."""
    out: list[tuple[str, str]] = []
    for action in actions:
        h = link_hash(prev_hash, action)
        out.append((prev_hash, h))
        prev_hash = h
    return out


def anchor_target(last_removed_hash: str) -> str:
    """The purge row's target: where the remaining chain now starts."""
    return _ANCHOR + last_removed_hash


def anchor_of(action: OperatorAction) -> str | None:
    if action.action == PURGE_ACTION and action.target.startswith(_ANCHOR):
        return action.target[len(_ANCHOR):]
    return None


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One access-log row as stored: its number, what it says, and its links."""

    id: int
    action: OperatorAction
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What `verify` found. `broken_at`: the id of the first row that does not hold (None:
    intact); `problem`: what is wrong with it, in plain words; `head`: the last good hash."""

    rows: int
    head: str
    broken_at: int | None = None
    broken_time: datetime | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(rows: Iterable[AuditRow]) -> ChainReport:
    """Walk the rows in id order (streamed: a three-year log need not fit in memory). The
    first row links to the start of the log, or to the hash a later purge row names."""
    it: Iterator[AuditRow] = iter(rows)
    first = next(it, None)
    if first is None:
        return ChainReport(0, GENESIS)
    pending_anchor = first.prev_hash if first.prev_hash != GENESIS else None
    prev, count = first.prev_hash, 0
    for row in _chain(first, it):
        count += 1
        if row.prev_hash != prev:
            return ChainReport(count - 1, prev, row.id, row.action.time,
                               "it does not follow the row before it (a row was removed, "
                               "added or reordered before this one)")
        expected = link_hash(row.prev_hash, row.action)
        if row.hash != expected:
            return ChainReport(count - 1, prev, row.id, row.action.time,
                               "its content does not match its hash (the row was changed)")
        if pending_anchor is not None and anchor_of(row.action) == pending_anchor:
            pending_anchor = None
        prev = row.hash
    if pending_anchor is not None:
        return ChainReport(count, prev, first.id, first.action.time,
                           "the log does not start at its beginning, and no purge row says "
                           "the rows before it were purged (rows were removed)")
    return ChainReport(count, prev)


def _chain(first: AuditRow, rest: Iterator[AuditRow]) -> Iterator[AuditRow]:
    yield first
    yield from rest

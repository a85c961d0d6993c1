"""Judicial holds (*réquisitions*) and the register of purges: what both journal backends
store and what the purge reads.

A hold keeps what it covers past retention until a chief lifts it:
- a time range (and optional cameras: they restrict recordings, which are not in the
  journal; events and alarms in the range are kept whatever the camera);
- or an incident: an alarm, and the events of its time span (from when it was raised to
  when it was last changed; while it is open, everything since it was raised).

The register says what each purge destroyed, how many, the range it lay in and the rule it
applied (the article, or the site's setting): the CNIL asks a controller to show that data
was erased on time, not only that it was.

`SqlHeld` turns the active holds into SQL conditions shared by the two backends (their
placeholders differ: `?` and `%s`), so both keep exactly the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.core.model import OperatorAction

PLACED = "hold_placed"
LIFTED = "hold_lifted"
PURGED = "retention_purge"  # the access-log row of a purge run (the register has the rest)
PURGE_ACTOR = "system:retention"


class HoldError(ValueError):
    """A hold that cannot be placed or lifted, in plain words."""


@dataclass(frozen=True, slots=True)
class Hold:
    """One judicial hold. `id` is 0 until the journal stores it."""

    reference: str  # the réquisition's number, as the parquet wrote it
    placed_by: str
    placed: datetime
    range_start: datetime | None = None
    range_end: datetime | None = None
    cameras: tuple[str, ...] = ()
    incident: str = ""  # an alarm id
    note: str = ""
    id: int = 0
    lifted: datetime | None = None
    lifted_by: str = ""

    @property
    def active(self) -> bool:
        return self.lifted is None

    def check(self) -> None:
        """Refuse a hold that covers nothing or is not said right (HoldError)."""
        if not self.reference.strip():
            raise HoldError("a hold needs the réquisition's reference")
        ranged = self.range_start is not None or self.range_end is not None
        if ranged == bool(self.incident):
            raise HoldError("a hold covers either a time range (--from and --to) or an "
                            "incident (--incident ALARM), not both, not neither")
        if ranged and (self.range_start is None or self.range_end is None):
            raise HoldError("a time range needs both its start (--from) and its end (--to)")
        if ranged and self.range_start and self.range_end \
                and self.range_end <= self.range_start:
            raise HoldError("the range ends before it starts")

    @property
    def target(self) -> str:
        return f"hold:{self.id}"

    def placed_action(self, workstation: str = "") -> OperatorAction:
        """The access-log row of its placing (written in the same transaction)."""
        what = f"incident alarm:{self.incident}" if self.incident else "time range"
        detail = f"réquisition {self.reference}; {what}"
        if self.note:
            detail += f"; {self.note}"
        return OperatorAction(self.placed, self.placed_by, PLACED, self.target, detail,
                              workstation=workstation, purpose="judicial",
                              cameras=self.cameras, range_start=self.range_start,
                              range_end=self.range_end)

    def lifted_action(self, by: str, when: datetime, workstation: str = "") -> OperatorAction:
        return OperatorAction(when, by, LIFTED, self.target,
                              f"réquisition {self.reference}", workstation=workstation,
                              purpose="judicial", cameras=self.cameras,
                              range_start=self.range_start, range_end=self.range_end)


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One line of the register of purges."""

    time: datetime  # when the purge ran
    rule: str  # the article, or the site's setting
    what: str  # positions, events, closed_alarms, access_log
    destroyed: int
    range_start: datetime | None  # what was destroyed lay in [range_start, range_end)
    range_end: datetime | None
    detail: str = ""
    id: int = 0

    def action(self) -> OperatorAction:
        """The access-log row of this purge (deletion is an act the law asks to log)."""
        return OperatorAction(self.time, PURGE_ACTOR, PURGED, f"journal:{self.what}",
                              f"{self.destroyed} destroyed under {self.rule}"
                              + (f"; {self.detail}" if self.detail else ""),
                              range_start=self.range_start, range_end=self.range_end)


Span = tuple[datetime, datetime | None]  # a kept time span; None: still running (open)


@dataclass(frozen=True, slots=True)
class SqlHeld:
    """What active holds keep, as SQL conditions: `spans` of time (ranges, and incidents'
    spans) and `alarms` (incidents' alarm ids). `mark` is the backend's placeholder."""

    spans: Sequence[Span]
    alarms: Sequence[str]
    mark: str = "?"

    def outside(self, column: str) -> tuple[str, list[object]]:
        """` AND <column> is in no kept span`, and its parameters."""
        sql, params = "", list[object]()
        for start, end in self.spans:
            if end is None:
                sql += f" AND {column} < {self.mark}"
                params.append(start)
            else:
                sql += f" AND NOT ({column} >= {self.mark} AND {column} <= {self.mark})"
                params += [start, end]
        return sql, params

    def alarm_kept_out(self) -> tuple[str, list[object]]:
        """` AND the alarm is held by no incident and overlaps no kept span`."""
        sql, params = "", list[object]()
        for start, end in self.spans:
            if end is None:
                sql += f" AND updated_at < {self.mark}"
                params.append(start)
            else:
                sql += f" AND NOT (raised_at <= {self.mark} AND updated_at >= {self.mark})"
                params += [end, start]
        if self.alarms:
            sql += f" AND id NOT IN ({', '.join(self.mark for _ in self.alarms)})"
            params += list(self.alarms)
        return sql, params

    @property
    def references(self) -> str:
        return f"{len(self.spans)} span(s) kept by hold" if self.spans else ""

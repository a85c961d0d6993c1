"""`csu-console hold add|lift|list` and `csu-console register`: judicial holds and the
register of purges, from the command line.

A hold (*réquisition*) keeps a time range or an incident past retention until it is lifted;
placing and lifting are written to the access log with the reference, the OS login as the
actor (an installer's or a chief's command has no console session). The register says what
each purge destroyed, how many, the range and the rule; `--out` writes it as CSV (UTF-8 with
a BOM, as the access log's export). Exit codes: 0 done; 1 nothing done (the message says
why).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TextIO

from app.cli.journal_choice import (
    installer,
    open_or_say,
    workstation,
)
from app.cli.output import say, write_table
from app.core.access_log_csv import cell as _cell
from app.core.access_log_csv import iso_time as _t
from app.core.holds import Hold, HoldError, RegisterRow
from app.core.journal import JournalUnavailable
from app.core.model import utc_now

REGISTER_COLUMNS = ("id", "time_utc", "what", "destroyed", "range_start_utc",
                    "range_end_utc", "rule", "detail")


def cmd_hold(action: str, site_file: str | None, journal: str | None, *,
             reference: str = "", hold_id: int = 0, start: datetime | None = None,
             end: datetime | None = None, cameras: Sequence[str] = (), incident: str = "",
             note: str = "", all_holds: bool = False) -> int:
    store = open_or_say(site_file, journal)
    if store is None:
        return 1
    try:
        if action == "list":
            holds = store.holds(active_only=not all_holds)
            if not holds:
                say(f"no {'' if all_holds else 'active '}hold in the journal {store.where}")
            for h in holds:
                say(hold_line(h))
            return 0
        if action == "lift":
            lifted = store.lift_hold(hold_id, installer(), workstation=workstation())
            say(f"lifted {hold_line(lifted)}")
            return 0
        hold = Hold(reference, installer(), utc_now(), start, end, tuple(cameras), incident,
                    note)
        new_id = store.place_hold(hold, workstation())
        say(f"placed hold {new_id}: {reference} ({_covers(hold)})")
        return 0
    except HoldError as exc:
        say(f"{exc}: nothing was changed", err=True)
        return 1
    except JournalUnavailable as exc:
        say(f"the journal cannot be written: {exc}: nothing was changed", err=True)
        return 1
    finally:
        store.close()


def cmd_register(site_file: str | None, journal: str | None, out_path: str | None) -> int:
    store = open_or_say(site_file, journal)
    if store is None:
        return 1
    try:
        write_table(out_path, lambda out: write_register(store.register_rows(), out),
                    "the register of purges")
    except JournalUnavailable as exc:
        say(f"the register cannot be read: {exc}", err=True)
        return 1
    except OSError as exc:
        say(f"cannot write {out_path}: {exc.strerror or exc}", err=True)
        return 1
    finally:
        store.close()
    return 0


def _covers(h: Hold) -> str:
    if h.incident:
        return f"incident: alarm {h.incident} and the events of its span"
    cams = f", cameras {', '.join(h.cameras)}" if h.cameras else ""
    return f"from {_t(h.range_start)} to {_t(h.range_end)} UTC{cams}"


def hold_line(h: Hold) -> str:
    state = (f"lifted {_t(h.lifted)} by {h.lifted_by}" if h.lifted else "active")
    note = f"  « {h.note} »" if h.note else ""
    return (f"{h.id}  {h.reference}  {_covers(h)}  placed {_t(h.placed)} by {h.placed_by}"
            f"  {state}{note}")


def write_register(rows: Iterable[RegisterRow], out: TextIO) -> int:
    w = csv.writer(out)
    w.writerow(REGISTER_COLUMNS)
    count = 0
    for r in rows:
        w.writerow([r.id, _t(r.time), r.what, r.destroyed, _t(r.range_start),
                    _t(r.range_end), _cell(r.rule), _cell(r.detail)])
        count += 1
    return count

"""`csu-console audit verify|export`: the access log's chain checked, the log written out.

`verify` walks the whole log (streamed) and says whether the chain is intact; when it is
not, it names the first row that does not hold, its time and what is wrong, and exits 1.
It prints the head hash: noted somewhere else (a chief's register, a mail), it later proves
that nothing before it was rewritten. `export` writes the log (or a time range of it) as
CSV, UTF-8 with a BOM so that a spreadsheet opens the accents right; the export itself is
logged.
"""

from __future__ import annotations

from datetime import datetime

from app.cli.journal_choice import (
    installer,
    open_or_say,
    workstation,
)
from app.cli.output import say, write_table
from app.core.access_log_csv import write_csv
from app.core.audit_chain import verify
from app.core.journal import JournalUnavailable
from app.core.model import OperatorAction, utc_now


def cmd_verify(site_file: str | None, journal: str | None) -> int:
    store = open_or_say(site_file, journal)
    if store is None:
        return 1
    try:
        report = verify(store.audit_rows())
    except JournalUnavailable as exc:
        say(f"the access log cannot be read: {exc}", err=True)
        return 1
    finally:
        store.close()
    if report.intact:
        say(f"access log of {store.where}: intact, {report.rows} row(s); head hash "
            f"{report.head or '(empty log)'}")
        return 0
    when = report.broken_time.isoformat(timespec="seconds") if report.broken_time else "?"
    say(f"access log of {store.where}: BROKEN at row {report.broken_at} ({when} UTC): "
        f"{report.problem}. The {report.rows} row(s) before it are intact.", err=True)
    return 1


def cmd_export(site_file: str | None, journal: str | None, out_path: str | None,
               start: datetime | None, end: datetime | None) -> int:
    store = open_or_say(site_file, journal)
    if store is None:
        return 1
    try:
        store.record_action(OperatorAction(  # the law's log first: no log, no export
            utc_now(), installer(), "access_log_exported", f"file:{out_path or '-'}",
            "csu-console audit export", workstation=workstation(), range_start=start,
            range_end=end))
        write_table(out_path, lambda out: write_csv(store.audit_rows(start, end), out),
                    "the access log")
    except JournalUnavailable as exc:
        say(f"the access log cannot be exported: {exc}", err=True)
        return 1
    except OSError as exc:
        say(f"cannot write {out_path}: {exc.strerror or exc}", err=True)
        return 1
    finally:
        store.close()
    return 0

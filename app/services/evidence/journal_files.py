"""The alarms and the operators' actions of an export's range, as CSV and JSON.

CSV for the investigator's spreadsheet, JSON for their tools; both hold the same rows with
times in UTC (ISO 8601, Z). The CSV is written the way Excel on a French Windows opens it
with a double click: UTF-8 with a BOM (else the accents break) and `;` between fields
(French Excel's list separator is `;`, since the comma is the decimal separator: a comma
file lands in one column). LibreOffice and Python's csv module (delimiter=";") read it as
well. A "sep=;" first line is not used: with it Excel ignores the BOM.

An alarm is in the range when it was open at some instant of it (raised before the end and
not closed before the start); it is written as it stood at the end of the range, with its
steps up to then. No internal ids beyond the alarm's number (which the actions refer to)
and no secrets: who (login), what, when, on which alarm, and the words they typed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from app.core.access_log_csv import ENCODING, cell
from app.core.evidence import utc_text
from app.core.model import Alarm, AlarmState
from app.core.site import Site
from app.services.alarm_book import OPERATOR_STEPS
from app.services.replay_history import Act, ReplayHistory, alarm_as_of

ALARMS_CSV, ALARMS_JSON = "alarms.csv", "alarms.json"
ACTIONS_CSV, ACTIONS_JSON = "actions.csv", "actions.json"
DELIMITER = ";"
ALARM_COLUMNS = ("alarm", "source", "type", "priority", "title", "place", "latitude",
                 "longitude", "cameras", "officer", "raised_utc", "acknowledged_utc",
                 "assigned_utc", "assigned_to", "closed_utc", "state", "outcome",
                 "escalated", "acted_by")
ACTION_COLUMNS = ("time_utc", "who", "action", "alarm", "detail")


def write_journal_files(history: ReplayHistory, start: datetime, end: datetime,
                        out_dir: Path, site: Site) -> list[Path]:
    """Writes alarms.csv, alarms.json, actions.csv, actions.json into `out_dir`."""
    alarms = alarms_in_range(history.alarms, start, end)
    acts = [a for a in history.acts if start <= a.time <= end]
    alarm_rows = [alarm_row(a) for a in alarms]
    action_rows = [action_row(a) for a in acts]
    head = {"site": site.site.name, "range": {"start": utc_text(start), "end": utc_text(end)}}
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / n for n in (ALARMS_CSV, ALARMS_JSON, ACTIONS_CSV, ACTIONS_JSON)]
    _csv(paths[0], ALARM_COLUMNS, alarm_rows)
    _json(paths[1], {**head, "alarms": [
        {**r, "steps": steps(a, end)} for r, a in zip(alarm_rows, alarms, strict=True)]})
    _csv(paths[2], ACTION_COLUMNS, action_rows)
    _json(paths[3], {**head, "actions": action_rows})
    return paths


def alarms_in_range(alarms: Iterable[Alarm], start: datetime, end: datetime) -> list[Alarm]:
    """Each alarm open at some instant of [start, end], as it stood at `end`, by raise time."""
    out = []
    for alarm in alarms:
        a = alarm_as_of(alarm, end)
        if a is None:
            continue
        closed = _first(a, "closed")
        if a.state is AlarmState.CLOSED and closed is not None and closed < start:
            continue
        out.append(a)
    return sorted(out, key=lambda a: (a.raised_at, a.id))


def alarm_row(a: Alarm) -> dict[str, object]:
    acted = list(dict.fromkeys(s.actor for s in a.history if s.action in OPERATOR_STEPS))
    return {
        "alarm": a.id, "source": a.source, "type": a.type.value, "priority": a.priority,
        "title": a.title, "place": a.facts.place if a.facts else "",
        "latitude": a.position.lat if a.position else None,
        "longitude": a.position.lon if a.position else None,
        "cameras": list(a.camera_ids), "officer": a.officer_id or "",
        "raised_utc": utc_text(a.raised_at),
        "acknowledged_utc": _time(_first(a, "acknowledged")),
        "assigned_utc": _time(_first(a, "assigned")), "assigned_to": a.assigned_to or "",
        "closed_utc": _time(_first(a, "closed")), "state": a.state.value,
        "outcome": a.outcome.value if a.outcome else "", "escalated": a.escalated,
        "acted_by": acted}


def steps(a: Alarm, end: datetime) -> list[dict[str, str]]:
    return [{"time_utc": utc_text(s.time), "who": s.actor, "action": s.action,
             "state": s.state.value, "detail": s.detail} for s in a.history if s.time <= end]


def action_row(a: Act) -> dict[str, object]:
    return {"time_utc": utc_text(a.time), "who": a.actor, "action": a.action,
            "alarm": a.alarm_id, "detail": a.detail}


def _first(a: Alarm, action: str) -> datetime | None:
    return next((s.time for s in a.history if s.action == action), None)


def _time(t: datetime | None) -> str | None:
    return utc_text(t) if t is not None else None


def _csv(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> None:
    with path.open("w", encoding=ENCODING, newline="") as f:
        w = csv.writer(f, delimiter=DELIMITER)
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r[c]) for c in columns])


def _cell(v: object) -> str:
    """A CSV cell: none empty, numbers as they are (a negative longitude is a number), lists
    joined with ", ", typed text defused (a leading = + - @ would run as a formula)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, list):
        return cell(", ".join(map(str, v)))
    return cell(str(v))


def _json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

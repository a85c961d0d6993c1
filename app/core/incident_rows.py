"""Incidents and their bookmarks as rows of the journal: the SQL both backends share (their
placeholders differ: `?` and `%s`, given as `mark`) and the row decoders."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from app.core.incident import Bookmark, Incident

INCIDENTS_SELECT = ("SELECT id, title, note, range_start, range_end, cameras, officers, alarm_id,"
                    " created_by, created FROM incidents")
BOOKMARKS_SELECT = "SELECT id, incident_id, at, note, created_by, created FROM bookmarks"


def incident_values(i: Incident) -> tuple[object, ...]:
    """The values of INCIDENT_COLUMNS, in order (times as the backend's driver takes them:
    the caller converts for SQLite)."""
    return (i.title, i.note, i.start, i.end, json.dumps(list(i.cameras)),
            json.dumps(list(i.officers)), i.alarm_id, i.created_by, i.created)


INCIDENT_COLUMNS = ("title", "note", "range_start", "range_end", "cameras", "officers",
                    "alarm_id", "created_by", "created")


def insert_incident_sql(mark: str) -> str:
    return (f"INSERT INTO incidents ({', '.join(INCIDENT_COLUMNS)}) VALUES "
            f"({', '.join(mark for _ in INCIDENT_COLUMNS)})")


def update_incident_sql(mark: str) -> str:
    """Everything but who made it and when; the id last."""
    sets = ", ".join(f"{c} = {mark}" for c in INCIDENT_COLUMNS[:-2])
    return f"UPDATE incidents SET {sets} WHERE id = {mark}"


def insert_bookmark_sql(mark: str) -> str:
    return ("INSERT INTO bookmarks (incident_id, at, note, created_by, created) VALUES "
            f"({mark}, {mark}, {mark}, {mark}, {mark})")


def _time(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def incident_of(row: Sequence[object]) -> Incident:
    """An incident from INCIDENTS_SELECT's columns, either backend."""
    (id_, title, note, start, end, cameras, officers, alarm_id, created_by, created) = row
    return Incident(str(title), _time(start), _time(end), tuple(json.loads(str(cameras))),
                    tuple(json.loads(str(officers))), str(note), str(alarm_id),
                    str(created_by), _time(created) if created is not None else None,
                    int(str(id_)))


def bookmark_of(row: Sequence[object]) -> Bookmark:
    id_, incident_id, at, note, created_by, created = row
    return Bookmark(int(str(incident_id)), _time(at), str(note), str(created_by),
                    _time(created) if created is not None else None, int(str(id_)))

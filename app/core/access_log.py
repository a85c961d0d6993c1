"""What a chief asks of the access log: a page of rows, newest first, filtered by time,
person, act and camera. Both journal backends answer it in SQL (`audit_page`): the log
holds three years, a page never loads more than its `limit`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

PAGE_MAX = 1000  # rows a page may hold, whatever a caller asks


@dataclass(frozen=True, slots=True)
class AccessLogQuery:
    start: datetime | None = None
    end: datetime | None = None
    login: str = ""  # exact login
    action: str = ""  # exact act ("bodycam_live_view", "refused"...)
    camera: str = ""  # rows naming this camera (its list, or its target "camera:ID")
    text: str = ""  # anywhere in the detail, target or name (case-insensitive)
    before_id: int | None = None  # the next page: rows older than this one
    limit: int = 200

    @property
    def page_size(self) -> int:
        return max(1, min(self.limit, PAGE_MAX))


def describe(query: AccessLogQuery) -> str:
    """The search, in a few words, for the row that logs it."""
    parts = [f"{name} {value}" for name, value in (
        ("login", query.login), ("act", query.action), ("camera", query.camera),
        ("text", query.text)) if value]
    return "search: " + (", ".join(parts) if parts else "everything")


def page_sql(query: AccessLogQuery, select: str, postgres: bool) -> tuple[str, list[object]]:
    """The SQL of one page and its parameters, for either backend (their placeholders,
    their times: SQLite compares canonical UTC text, PostgreSQL timestamps; a camera in
    the row's JSON list: a substring in SQLite, the jsonb `?` operator in PostgreSQL)."""
    from app.core.audit_chain import canonical_time

    mark = "%s" if postgres else "?"
    where: list[str] = []
    params: list[object] = []

    def add(clause: str, *values: object) -> None:
        where.append(clause)
        params.extend(values)

    if query.before_id is not None:
        add(f"id < {mark}", query.before_id)
    if query.start is not None:
        add(f"ts >= {mark}", query.start if postgres else canonical_time(query.start))
    if query.end is not None:
        add(f"ts <= {mark}", query.end if postgres else canonical_time(query.end))
    if query.login:
        add(f"actor = {mark}", query.login)
    if query.action:
        add(f"action = {mark}", query.action)
    if query.camera:
        if postgres:
            add("(target = %s OR cameras::jsonb ? %s)", f"camera:{query.camera}", query.camera)
        else:
            add("(target = ? OR cameras LIKE ?)", f"camera:{query.camera}",
                f"%{json.dumps(query.camera)}%")
    if query.text:
        add(f"strpos(lower(detail || ' ' || target || ' ' || user_name), {mark}) > 0"
            if postgres else
            "instr(lower(detail || ' ' || target || ' ' || user_name), ?) > 0",
            query.text.lower())
    sql = f"{select} WHERE {' AND '.join(where) or 'true'} ORDER BY id DESC LIMIT {mark}"
    return sql, [*params, query.page_size]

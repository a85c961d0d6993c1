"""What a chief asks of the access log: a page of rows, newest first, filtered by time,
person, act and camera. Both journal backends answer it in SQL (`audit_page`): the log
holds three years, a page never loads more than its `limit`."""

from __future__ import annotations

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

"""Incidents are saved, changed and reopened, with their bookmarks, on both journal backends;
one that says nothing useful is refused in plain words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.core.incident import Bookmark, Incident, IncidentError
from app.core.journal import JournalStore

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


def rixe() -> Incident:
    return Incident("Rixe place de la gare", T0, T0 + timedelta(minutes=10),
                    ("cam-gare", "cam-parvis"), ("pm11", "pm12"), "Deux groupes", "17",
                    "chef.durand")


def test_saved_changed_and_reopened_with_bookmarks(open_journal: Callable[[], JournalStore]
                                                   ) -> None:
    journal = open_journal()
    try:
        first = journal.save_incident(rixe())
        second = journal.save_incident(replace(rixe(), title="Vol à l'arraché", alarm_id=""))
        journal.save_incident(replace(rixe(), id=first, note="Deux groupes, un blessé",
                                      cameras=("cam-gare",)))
        journal.add_bookmark(Bookmark(first, T0 + timedelta(minutes=3), "coup de couteau",
                                      "chef.durand"))
        journal.add_bookmark(Bookmark(first, T0 + timedelta(minutes=1), "arrivée", "chef"))
        again = open_journal()
        try:
            assert [i.id for i in again.incidents()] == [second, first]  # latest first
            got = again.incident(first)
            assert got is not None
            assert (got.title, got.note, got.cameras, got.officers, got.alarm_id) == (
                "Rixe place de la gare", "Deux groupes, un blessé", ("cam-gare",),
                ("pm11", "pm12"), "17")
            assert (got.start, got.end) == (T0, T0 + timedelta(minutes=10))
            assert got.created is not None
            assert got.created.utcoffset() == timedelta(0)
            assert [b.note for b in again.bookmarks(first)] == ["arrivée", "coup de couteau"]
            assert again.bookmarks(second) == []
            assert again.incident(9999) is None
        finally:
            again.close()
    finally:
        journal.close()


@pytest.mark.parametrize(("change", "why"), [
    ({"title": " "}, "needs a title"),
    ({"end": T0}, "ends before it starts"),
    ({"cameras": (), "officers": ()}, "at least one camera or one officer"),
])
def test_an_incident_that_says_nothing_useful_is_refused(
        open_journal: Callable[[], JournalStore], change: dict[str, object], why: str) -> None:
    journal = open_journal()
    try:
        with pytest.raises(IncidentError, match=why):
            journal.save_incident(replace(rixe(), **change))  # type: ignore[arg-type]
        assert journal.incidents() == []
    finally:
        journal.close()

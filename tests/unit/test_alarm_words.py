"""Alarm titles as data: the neutral title adapters' facts give, and journals written before
titles were data still load (their alarms keep their stored title, with no facts)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from app.core import events as ev
from app.core.alarm_words import EVENTS, neutral_title
from app.core.codec import decode, decode_event, dumps
from app.core.model import Alarm, AlarmFacts, AlarmType, Officer

T = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_the_neutral_title_reads_what_plate_text_then_who_and_where() -> None:
    assert neutral_title(AlarmType.WEAPON_DRAWN, AlarmFacts("weapon_drawn", officer="PM 14")) \
        == "Weapon drawn from the holster — PM 14"
    assert neutral_title(AlarmType.LPR_HIT, AlarmFacts("lpr_stolen_plate", plate="AB-123-CD",
                                                       place="Gare (LAPI)")) \
        == "LPR: stolen plate AB-123-CD — Gare (LAPI)"
    assert neutral_title(AlarmType.INTRUSION, AlarmFacts("panel_burglary", place="Mairie",
                                                         zone="Hall")) \
        == "Burglary — Mairie — Hall"
    # the source's own words say what happened; with no event, nor words, the type does
    assert neutral_title(AlarmType.GUNSHOT, AlarmFacts(text="2 impulsions", place="Marché")) \
        == "2 impulsions — Marché"
    assert neutral_title(AlarmType.GUNSHOT, AlarmFacts(place="Marché")) == "Gunshot — Marché"
    # an event this version does not know (a newer adapter): the type's name
    assert neutral_title(AlarmType.OTHER, AlarmFacts("from_the_future")) == "Other"


def test_a_report_with_facts_and_no_title_gets_the_neutral_title() -> None:
    r = ev.AlarmReported("s", "1", AlarmType.GUNSHOT, 1, "", T,
                         facts=AlarmFacts("gunshot_detected", place="capteur Port"))
    assert r.title == "Gunshot detected — capteur Port"
    written = ev.AlarmReported("s", "2", AlarmType.GUNSHOT, 1, "Détonation", T,
                               facts=AlarmFacts("gunshot_detected"))
    assert written.title == "Détonation"  # a title given is kept


def test_facts_round_trip_through_the_journal_codec() -> None:
    facts = AlarmFacts("lpr_stolen_vehicle", place="Gare", plate="AB-123-CD")
    r = ev.AlarmReported("s", "1", AlarmType.LPR_HIT, 2, "", T, facts=facts)
    assert decode_event(r.kind, dumps(r)) == r
    a = Alarm("A-1", "s", "1", AlarmType.LPR_HIT, 2, r.title, T, facts=facts)
    assert decode(Alarm, json.loads(dumps(a))) == a
    o = Officer("o1", "PM 11", "Centre", unit_kind="foot_patrol")
    assert decode(Officer, json.loads(dumps(o))) == o


def test_rows_from_before_titles_were_data_still_load() -> None:
    """Journals hold alarms, reports and officers written without `facts`/`unit_kind`."""
    old_alarm = {"id": "A-7", "source": "demo", "source_id": "DET-1", "type": "gunshot",
                 "priority": 1, "title": "Détonation détectée — capteur Port",
                 "raised_at": T.isoformat(), "position": [60.1, 24.9], "camera_ids": [],
                 "officer_id": None, "state": "new", "assigned_to": None, "outcome": None,
                 "escalated": False, "history": [], "occurrences": 1}
    a = decode(Alarm, old_alarm)
    assert (a.title, a.facts) == ("Détonation détectée — capteur Port", None)
    old_report = {k: old_alarm[k] for k in ("source", "source_id", "type", "priority",
                                            "title")} | {"time": T.isoformat()}
    r = decode_event("alarm_report", json.dumps(old_report))
    assert isinstance(r, ev.AlarmReported)
    assert (r.title, r.facts) == ("Détonation détectée — capteur Port", None)
    o = decode(Officer, {"id": "o1", "callsign": "PM 11", "unit": "Patrouille VL"})
    assert (o.unit, o.unit_kind) == ("Patrouille VL", "")


def test_event_keys_are_plain_names() -> None:
    """Keys are journaled: lower-case ASCII words, never wording that might be reworded."""
    assert all(k.replace("_", "").isalnum() and k.isascii() and k.islower() for k in EVENTS)

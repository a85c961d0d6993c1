"""An incident in the demo town, written into a real SQLite journal and read back as the
export reads it (ReplayHistory.load): three officers (one with an accented callsign, one
with no fix in the range), alarms before, across and after the range, operators' acts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core import events as ev
from app.core.journal_url import parse_journal_url
from app.core.model import (
    Alarm,
    AlarmFacts,
    AlarmOutcome,
    AlarmState,
    AlarmStep,
    AlarmType,
    LatLon,
    OperatorAction,
    PositionFix,
)
from app.core.registry import discover
from app.core.site import OfficerConfig, Site, load_site
from app.services.alarm_book import Acknowledge, AddNote, Assign, Close, apply_command
from app.services.replay_history import ReplayHistory
from app.store.opening import open_store

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
START, END = T0, T0 + timedelta(minutes=10)
ACCENTED = "Équipe Noël-Bérénice"
KNOWN = {"pm12": "Bravo 2"}  # announced by an adapter, not in the site file
OFFICERS = ["pm11", "pm12", "pm13"]  # pm13: no fix in the range


def s(n: float) -> datetime:
    return T0 + timedelta(seconds=n)


def demo_site() -> Site:
    site = load_site(REPO / "resources" / "demo" / "site.toml", discover())
    return site.model_copy(update={"officers": [
        OfficerConfig(id="pm11", callsign=ACCENTED), OfficerConfig(id="pm13", callsign="Charlie")]})


def pm11(i: int) -> LatLon:
    """Walks east along the Esplanadi, a fix every 10 s."""
    return LatLon(60.1675, 24.9400 + i * 0.0002)


def pm12(i: int) -> LatLon:
    """Walks north, a fix every 15 s."""
    return LatLon(60.1660 + i * 0.0001, 24.9480)


def alarms() -> list[Alarm]:
    def raised(aid: str, t: datetime, title: str, place: str) -> Alarm:
        return Alarm(aid, "holster", f"h-{aid}", AlarmType.WEAPON_DRAWN, 1, title, t,
                     LatLon(60.1676, 24.9405), ("cam-01",), "pm11",
                     history=(AlarmStep(t, "holster", "raised", AlarmState.NEW),),
                     facts=AlarmFacts(place=place))

    handled = raised("7", s(60), "Arme dégainée", "Esplanadi")
    handled = apply_command(handled, Acknowledge("7", "op.martin"), s(70))
    handled = apply_command(handled, Assign("7", "op.martin", "pm12"), s(80))
    handled = apply_command(handled, AddNote("7", "op.martin", "=HYPERLINK(\"x\")"), s(90))
    handled = apply_command(handled, Close("7", "chef.dupré", AlarmOutcome.HANDLED,
                                           "interpellé"), s(300))
    old = raised("3", s(-3000), "Ancienne alarme", "Gare")
    old = apply_command(old, Close("3", "op.martin", AlarmOutcome.FALSE_ALARM, ""), s(-2900))
    before_closed = raised("5", s(-400), "Intrusion mairie", "Mairie")
    before_closed = apply_command(before_closed, Close("5", "op.martin",
                                                       AlarmOutcome.HANDLED, ""), s(20))
    later = raised("9", s(900), "Après la plage", "Port")
    return [handled, old, before_closed, later]


def load_history(tmp: Path) -> ReplayHistory:
    journal, _ = open_store(parse_journal_url(str(tmp / "journal.sqlite")), None,
                            create=True)
    try:
        journal.append_events(
            [ev.PositionReported(PositionFix("pm11", pm11(i), s(10 * i))) for i in range(61)]
            + [ev.PositionReported(PositionFix("pm12", pm12(i), s(15 * i))) for i in range(41)]
            # before the range (inside replay's look-back) and after it: not in the tracks
            + [ev.PositionReported(PositionFix("pm11", LatLon(60.0, 24.0), s(-60))),
               ev.PositionReported(PositionFix("pm12", LatLon(60.0, 24.0), s(700))),
               ev.PositionReported(PositionFix("pm13", LatLon(60.17, 24.95), s(-120)))])
        for a in alarms():
            journal.save_alarm(a)
        looked = OperatorAction(s(100), "chef.dupré", "snapshot", "camera:cam-01",
                                "vue d'ensemble")
        return ReplayHistory.load(journal, START, END, officers=OFFICERS, access=[looked])
    finally:
        journal.close()

"""Who is at a seat, proven to the room's service (issue 11; app/services/room_auth.py):
the password sealed to the service, every command signed for its session; and every
refusal (role, territory, locked session, forged or replayed command) made AT THE SERVICE
and logged. The tests write the refused commands straight into the commands table, as a
modified seat would: the seat's own checks are not what stops them."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from app.core.access import Role
from app.core.adapter import PtzCommand
from app.core.audit_chain import verify
from app.core.events import AlarmReported
from app.core.model import AlarmState, AlarmType
from app.core.site import CameraConfig, OfficerConfig, Site, SiteInfo
from app.services.alarm_book import Acknowledge, handled_state
from app.services.room_commands import ALARM, CommandRefused, alarm_command_body
from app.services.runtime import Runtime
from app.store import schema
from tests.room.room_rig import PASSWORD, Room, Seen, quiet_site, signed
from tests.servers.postgres import PostgresServer
from tests.waiting import wait_until


def two_towns() -> Site:
    """An intercommunal CSU: a camera in each town, a body camera worn in the south."""
    site = quiet_site()
    return site.model_copy(update={
        "site": SiteInfo(name="CSU intercommunal", communes=["Nord", "Sud"]),
        "cameras": [
            CameraConfig(id="cam-nord", name="Mairie Nord", main="rtsp://127.0.0.1:1/n",
                         commune="Nord"),
            CameraConfig(id="cam-sud", name="Gare Sud", main="rtsp://127.0.0.1:1/s",
                         commune="Sud"),
            CameraConfig(id="bc-sud", name="PM Sud 1", kind="body", main="rtsp://127.0.0.1:1/b",
                         officer="pm-sud", commune="Sud")],
        "officers": [OfficerConfig(id="pm-sud", callsign="PM Sud 1", commune="Sud",
                                   body_camera="bc-sud")]})


@pytest.fixture
def towns(room: Room) -> Runtime:
    """The service of the two towns (stopped with the room)."""
    service = Runtime(two_towns(), {}, room.where, room.password)
    service.start()
    room.service = service
    return service


def raise_alarm(service: Runtime, source_id: str, cameras: tuple[str, ...] = ()) -> str:
    service.hub.post_durable(AlarmReported(
        "panel", source_id, AlarmType.INTRUSION, 2, f"Intrusion {source_id}",
        datetime.now(UTC), camera_ids=cameras)).result(10)
    return next(a.id for a in service.current_alarms() if a.source_id == source_id)


def refusals(service: Runtime) -> list[tuple[str, str]]:
    return [(r.action.actor, r.action.detail) for r in service.journal.audit_rows()
            if r.action.action == "refused"]


def ack(seen: Seen, alarm_id: str) -> AlarmState:
    alarm = next(a for a in seen.seat.current_alarms() if a.id == alarm_id)
    done = seen.seat.alarms.submit(Acknowledge(alarm_id, "whoever", handled_state(alarm)))
    result = done.result(20)
    assert result is not None
    return result.state


def raw_command(room: Room, pg_server: PostgresServer, seat_id: str, kind: str,
                body: str) -> tuple[str | None, str | None]:
    """Insert a command as a modified seat would, wait for the service: (error, result)."""
    url = room.where.url
    with psycopg.connect(url, password=pg_server.password, autocommit=True) as conn:
        row = conn.execute("INSERT INTO commands (seat_id, kind, body) VALUES (%s, %s, %s)"
                           " RETURNING id", (seat_id, kind, body)).fetchone()
        assert row is not None
        conn.execute("SELECT pg_notify(%s, '')", (schema.COMMANDS_CHANNEL,))

        def settled() -> tuple[str | None, str | None] | None:
            got = conn.execute("SELECT done, error, result FROM commands WHERE id = %s",
                               (row[0],)).fetchone()
            return (got[1], got[2]) if got and got[0] is not None else None

        return wait_until(settled, 20, "the service settles the command")


def test_the_password_never_reaches_the_journal(room: Room, towns: Runtime,
                                                pg_server: PostgresServer) -> None:
    seen = room.seat("amartin")
    assert seen.seat.session is not None
    assert seen.seat.session.user.login == "amartin"
    with psycopg.connect(room.where.url, password=pg_server.password) as conn:
        text = " ".join(str(r) for table in ("commands", "sessions", "audit", "seats")
                        for r in conn.execute(f"SELECT * FROM {table}").fetchall())
    assert PASSWORD not in text
    assert "signed_in" in text


def test_a_command_without_a_session_or_with_a_forged_one_is_refused_and_logged(
        room: Room, towns: Runtime, pg_server: PostgresServer) -> None:
    seen = room.seat("amartin")
    alarm_id = raise_alarm(towns, "door-1")
    body = alarm_command_body(Acknowledge(alarm_id, "amartin"))
    error, _ = raw_command(room, pg_server, seen.seat.seat_id, ALARM, body)
    assert error is not None
    assert "sign in first" in error
    seat_id, kind, good = signed(seen.seat, ALARM, body)
    forged = good.replace('\\"Acknowledge\\"', '\\"Close\\"')
    assert forged != good
    error, _ = raw_command(room, pg_server, seat_id, kind, forged)
    assert error is not None
    assert "signature does not hold" in error
    error, _ = raw_command(room, pg_server, "another-seat", kind, good)  # stolen by another
    assert error is not None
    assert "signature does not hold" in error
    error, _ = raw_command(room, pg_server, seat_id, kind, good)
    assert error is None  # the genuine one goes through once...
    error, _ = raw_command(room, pg_server, seat_id, kind, good)
    assert error is not None
    assert "repeats an earlier one" in error  # ...and a copy of it never again
    assert len(refusals(towns)) == 4
    assert verify(towns.journal.audit_rows()).intact


def test_a_viewer_may_watch_but_not_act(room: Room, towns: Runtime) -> None:
    liaison = room.seat("liaison", role=Role.VIEWER)
    alarm_id = raise_alarm(towns, "door-2")
    liaison.wait_alarm("door-2")
    with pytest.raises(CommandRefused, match="the role 'viewer' may not do this"):
        ack(liaison, alarm_id)
    with pytest.raises(CommandRefused, match="may not do this"):
        liaison.seat.send("ptz", '{"camera_id": "cam-nord", "pan": 0.5}').result(20)
    assert next(a for a in towns.current_alarms() if a.id == alarm_id).state is AlarmState.NEW
    assert [actor for actor, _ in refusals(towns)] == ["liaison", "liaison"]


def test_another_territorys_alarm_camera_and_body_cam_are_refused_and_logged(
        room: Room, towns: Runtime) -> None:
    north = room.seat("nord1", communes=("Nord",))
    south_alarm = raise_alarm(towns, "door-sud", ("cam-sud",))
    north_alarm = raise_alarm(towns, "door-nord", ("cam-nord",))
    north.wait_alarm("door-nord")
    assert ack(north, north_alarm) is AlarmState.ACKNOWLEDGED
    with pytest.raises(CommandRefused, match="another territory's alarm"):
        ack(north, south_alarm)
    with pytest.raises(CommandRefused, match="another territory's camera: 'cam-sud'"):
        north.seat.ptz(PtzCommand("cam-sud", pan=0.5)).result(20)
    decision = north.seat.bodycams.decide(north.seat.cameras["bc-sud"])
    with pytest.raises(CommandRefused, match="another territory's camera: 'bc-sud'"):
        north.seat.open_bodycam(decision, "nord1", "camera list", "agression en cours"
                                ).result(20)
    logged = refusals(towns)
    assert [actor for actor, _ in logged] == ["nord1"] * 3
    assert all("another territory" in detail for _, detail in logged)


def test_a_body_cam_viewing_is_logged_by_the_service_with_every_field(
        room: Room, towns: Runtime) -> None:
    south = room.seat("sud1", communes=("Sud",))
    decision = south.seat.bodycams.decide(south.seat.cameras["bc-sud"])
    with pytest.raises(CommandRefused, match="no reason was given"):
        south.seat.open_bodycam(decision, "sud1", "camera list").result(20)
    south.seat.open_bodycam(decision, "sud1", "camera list", "rixe signalée").result(20)
    [row] = [r.action for r in towns.journal.audit_rows()
             if r.action.action == "bodycam_live_view"]
    assert (row.actor, row.user_name, row.role, row.purpose, row.cameras) == (
        "sud1", "Sud1", "operator", "safety", ("bc-sud",))
    assert row.workstation == south.seat.me.workstation
    assert row.detail.endswith("rixe signalée")


def test_a_locked_session_is_refused_until_its_password_is_typed(room: Room,
                                                                 towns: Runtime) -> None:
    seen = room.seat("amartin")
    alarm_id = raise_alarm(towns, "door-3")
    seen.wait_alarm("door-3")
    seen.seat.lock().result(20)
    with pytest.raises(CommandRefused, match="session is locked"):
        ack(seen, alarm_id)
    with pytest.raises(CommandRefused, match="wrong login or password"):
        seen.seat.unlock("not my password").result(20)
    seen.seat.unlock(PASSWORD).result(20)
    assert ack(seen, alarm_id) is AlarmState.ACKNOWLEDGED
    actions = [r.action.action for r in towns.journal.audit_rows()]
    assert actions[-5:] == ["session_locked", "refused", "unlock_refused", "unlocked",
                            "acknowledged"]


def test_a_session_outlives_a_restart_of_the_service(room: Room, towns: Runtime) -> None:
    seen = room.seat("amartin")
    towns.stop()
    again = Runtime(two_towns(), {}, room.where, room.password)
    again.start()
    room.service = again
    alarm_id = raise_alarm(again, "door-4")
    seen.wait_alarm("door-4")
    assert ack(seen, alarm_id) is AlarmState.ACKNOWLEDGED


def test_a_chief_reads_the_access_log_from_a_seat_and_an_operator_may_not(
        room: Room, towns: Runtime) -> None:
    from app.core.access_log import AccessLogQuery

    chief = room.seat("chef", role=Role.CHIEF)
    operator = room.seat("amartin")
    with pytest.raises(CommandRefused, match="the role 'operator' may not do this"):
        operator.seat.read_access_log(AccessLogQuery()).result(20)
    page = chief.seat.read_access_log(AccessLogQuery(action="refused")).result(20)
    assert [(r.action.actor, r.action.action) for r in page] == [("amartin", "refused")]
    assert "read_access_log" in page[0].action.detail
    viewed = [r.action for r in towns.journal.audit_rows()
              if r.action.action == "access_log_viewed"]
    assert [(v.actor, v.role, v.detail) for v in viewed] == [("chef", "chief",
                                                              "search: act refused")]


def test_a_consultation_of_recordings_from_a_seat_is_judged_and_logged_by_the_service(
        room: Room, towns: Runtime) -> None:
    """Issue 12: replay asks the service, which judges (role, territory) and logs before
    anything is shown."""
    from datetime import timedelta

    from app.services.consultation import CONSULTED, Consultation

    t0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
    asked = Consultation(("cam-sud",), t0, t0 + timedelta(minutes=5), "analyse d'incident",
                         incident_id=3)
    chief = room.seat("chef", role=Role.CHIEF, communes=("Sud",))
    operator = room.seat("amartin")
    with pytest.raises(CommandRefused, match="the role 'operator' may not do this"):
        operator.seat.consult_recordings(asked).result(20)
    north = room.seat("chef.nord", role=Role.CHIEF, communes=("Nord",))
    with pytest.raises(CommandRefused, match="another territory"):
        north.seat.consult_recordings(asked).result(20)
    chief.seat.consult_recordings(asked).result(20)
    [row] = [r.action for r in towns.journal.audit_rows() if r.action.action == CONSULTED]
    assert (row.actor, row.workstation, row.purpose, row.cameras) == (
        "chef", chief.seat.me.workstation, "analyse d'incident", ("cam-sud",))
    assert [who for who, _ in refusals(towns)] == ["amartin", "chef.nord"]


def test_a_chief_at_a_seat_keeps_incidents_at_the_service_and_reads_the_past(
        room: Room, towns: Runtime) -> None:
    """Incidents and bookmarks live in the room's journal, written by the service in the
    chief's name; an operator's seat is refused; the seat reads the past itself."""
    from datetime import timedelta

    from app.core.incident import Bookmark, Incident

    t0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
    chief = room.seat("chef", role=Role.CHIEF)
    operator = room.seat("amartin")
    incident = Incident("Rixe gare", t0, t0 + timedelta(minutes=5), ("cam-sud",), ("pm-sud",))
    iid = chief.seat.save_incident(incident).result(20)
    chief.seat.add_bookmark(Bookmark(iid, t0 + timedelta(minutes=1), "ici", "x")).result(20)
    [saved] = chief.seat.incidents().result(20)
    assert (saved.id, saved.title, saved.created_by, saved.start) == (iid, "Rixe gare",
                                                                      "chef", t0)
    assert [(b.note, b.by) for b in chief.seat.bookmarks(iid).result(20)] == [("ici", "chef")]
    with pytest.raises(CommandRefused, match="the role 'operator' may not do this"):
        operator.seat.incidents().result(20)
    history = chief.seat.replay_history(t0, t0 + timedelta(minutes=5)).result(20)
    assert history.alarms_at(t0) == []

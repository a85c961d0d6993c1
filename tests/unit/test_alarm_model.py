"""The alarm queue's item models: order, batches, filters, the counter, blinking."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported
from app.core.hub import Hub
from app.core.journal import Journal
from app.core.model import (
    Alarm,
    AlarmOutcome,
    AlarmState,
    AlarmStep,
    AlarmType,
    OfficerStatus,
    utc_now,
)
from app.core.site import Site
from app.services.alarm_service import AlarmService
from app.ui.alarm_model import (
    ALARM_ROLE,
    FLASH_ROLE,
    FLUSH_MS,
    OPEN_STATES,
    OVERDUE_FILL,
    OVERDUE_ROLE,
    AlarmTableModel,
    Column,
)
from app.ui.alarm_proxy import AlarmFilterProxy
from app.ui.bridge import HubBridge
from app.ui.labels import (
    alarm_outcome_label,
    alarm_state_label,
    alarm_type_label,
    elapsed,
    officer_status_label,
)
from app.ui.world import World

T0 = datetime(2025, 3, 14, 9, 0, 0, tzinfo=UTC)


def make(aid: int, priority: int = 3, age_s: float = 0, state: AlarmState = AlarmState.NEW,
         type_: AlarmType = AlarmType.INTRUSION, title: str = "", now: datetime = T0,
         escalated: bool = False) -> Alarm:
    raised = now - timedelta(seconds=age_s)
    return Alarm(id=str(aid), source="test", source_id=f"s{aid}", type=type_, priority=priority,
                 title=title or f"alarm {aid}", raised_at=raised, state=state,
                 escalated=escalated,
                 history=(AlarmStep(raised, "test", "raised", AlarmState.NEW),))


def advance(a: Alarm, **changes: object) -> Alarm:
    """The alarm one step later (the model refuses states with a shorter history)."""
    state = changes.get("state", a.state)
    assert isinstance(state, AlarmState)
    step = AlarmStep(a.history[-1].time + timedelta(seconds=1), "op", "x", state)
    return replace(a, history=(*a.history, step), **changes)  # type: ignore[arg-type]


def ids(proxy: AlarmFilterProxy) -> list[str]:
    out = []
    for row in range(proxy.rowCount()):
        alarm = proxy.index(row, 0).data(ALARM_ROLE)
        assert isinstance(alarm, Alarm)
        out.append(alarm.id)
    return out


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def model(qtbot: QtBot, clock: Clock) -> AlarmTableModel:
    return AlarmTableModel(clock=clock)


@pytest.fixture
def proxy(model: AlarmTableModel) -> AlarmFilterProxy:
    return AlarmFilterProxy(model)


def test_sorted_by_priority_then_age_closed_last(model: AlarmTableModel,
                                                  proxy: AlarmFilterProxy) -> None:
    proxy.set_states(set(AlarmState))
    model.upsert_many([
        make(1, priority=3, age_s=100),
        make(2, priority=1, age_s=10),
        make(3, priority=3, age_s=500),
        make(4, priority=1, age_s=900, state=AlarmState.CLOSED),
        make(5, priority=2, age_s=50, state=AlarmState.ASSIGNED),
        make(6, priority=1, age_s=20, state=AlarmState.ACKNOWLEDGED),
        make(7, priority=4, age_s=5000, state=AlarmState.CLOSED),
    ])
    assert ids(proxy) == ["6", "2", "5", "3", "1", "4", "7"]


def test_the_sort_follows_changes(model: AlarmTableModel, proxy: AlarmFilterProxy) -> None:
    a1, a2 = make(1, priority=3, age_s=100), make(2, priority=2, age_s=10)
    model.upsert_many([a1, a2])
    assert ids(proxy) == ["2", "1"]
    model.upsert_many([advance(a1, priority=1, escalated=True)])  # escalation: one step up
    assert ids(proxy) == ["1", "2"]


def test_a_batch_of_2000_is_one_insert(model: AlarmTableModel, proxy: AlarmFilterProxy,
                                       qtbot: QtBot) -> None:
    inserted: list[tuple[int, int]] = []
    proxy_inserted: list[int] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    proxy.rowsInserted.connect(lambda *_a: proxy_inserted.append(1))
    batch = [make(i, priority=1 + i % 4, age_s=i) for i in range(1, 2001)]
    model.upsert_many(batch)
    assert inserted == [(0, 1999)]
    assert model.rowCount() == proxy.rowCount() == 2000
    # and the proxy is sorted: priority, then oldest first
    first = [proxy.index(r, 0).data(ALARM_ROLE) for r in range(3)]
    assert [a.priority for a in first] == [1, 1, 1]
    assert first[0].raised_at <= first[1].raised_at <= first[2].raised_at


def test_updates_are_one_data_changed_over_their_span(model: AlarmTableModel) -> None:
    alarms = [make(i) for i in range(1, 11)]
    model.upsert_many(alarms)
    spans: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda tl, br, _r=None: spans.append((tl.row(), br.row())))
    inserted: list[int] = []
    model.rowsInserted.connect(lambda *_a: inserted.append(1))
    model.upsert_many([advance(alarms[2], state=AlarmState.ACKNOWLEDGED),
                       advance(alarms[6], state=AlarmState.ACKNOWLEDGED),
                       make(11), make(12)])
    assert spans == [(2, 6)]
    assert inserted == [1]
    assert model.rowCount() == 12
    assert model.alarm("3") is not None
    assert model.alarm("3").state is AlarmState.ACKNOWLEDGED  # type: ignore[union-attr]


def test_the_same_alarm_twice_in_a_batch_is_one_row_latest_wins(model: AlarmTableModel) -> None:
    a = make(1)
    model.upsert_many([a, advance(a, state=AlarmState.ACKNOWLEDGED)])
    assert model.rowCount() == 1
    assert model.alarm_at(0).state is AlarmState.ACKNOWLEDGED


def test_an_older_state_arriving_late_is_ignored(model: AlarmTableModel) -> None:
    a = make(1)
    acked = advance(a, state=AlarmState.ACKNOWLEDGED)
    model.upsert_many([acked])
    model.upsert_many([a])
    assert model.alarm_at(0).state is AlarmState.ACKNOWLEDGED


def test_filters(model: AlarmTableModel, proxy: AlarmFilterProxy) -> None:
    model.upsert_many([
        make(1, priority=1, type_=AlarmType.GUNSHOT, title="Tir place du marché"),
        make(2, priority=2, type_=AlarmType.INTRUSION, state=AlarmState.ACKNOWLEDGED),
        make(3, priority=3, type_=AlarmType.LPR_HIT, state=AlarmState.ASSIGNED),
        make(4, priority=4, type_=AlarmType.GUNSHOT, state=AlarmState.CLOSED),
    ])
    assert sorted(ids(proxy)) == ["1", "2", "3"]  # default: every open state
    assert proxy.is_default()
    proxy.set_types({AlarmType.GUNSHOT})
    assert ids(proxy) == ["1"]
    assert not proxy.is_default()
    proxy.set_states(set(AlarmState))
    assert ids(proxy) == ["1", "4"]
    proxy.set_types(None)
    proxy.set_max_priority(2)
    assert ids(proxy) == ["1", "2"]
    proxy.set_max_priority(4)
    proxy.set_states({AlarmState.CLOSED})
    assert ids(proxy) == ["4"]
    proxy.set_states(set(AlarmState))
    proxy.set_text("MARCHÉ")
    assert ids(proxy) == ["1"]
    proxy.set_text("")
    # the filter stays dynamic: an alarm that closes leaves an open-only view
    proxy.set_states({AlarmState.NEW, AlarmState.ACKNOWLEDGED, AlarmState.ASSIGNED})
    model.upsert_many([advance(model.alarm_at(0), state=AlarmState.CLOSED)])
    assert sorted(ids(proxy)) == ["2", "3"]


def test_the_counter_runs_while_new_and_turns_red_past_the_threshold(
        qtbot: QtBot, clock: Clock) -> None:
    site = Site.model_validate({
        "site": {"name": "t"}, "map": {"center": [48.85, 2.35]},
        "alarm_types": {"intrusion": {"escalate_after_s": 90}}})
    model = AlarmTableModel(site, clock=clock)
    a = make(1, type_=AlarmType.INTRUSION, age_s=42)
    model.upsert_many([a])
    cell = model.index(0, Column.WAITING)
    assert cell.data() == "0:42"
    assert not cell.data(OVERDUE_ROLE)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is None
    clock.now = T0 + timedelta(seconds=48)  # 90 s after it was raised
    assert cell.data() == "1:30"
    assert cell.data(OVERDUE_ROLE)
    assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_FILL
    model.upsert_many([advance(a, state=AlarmState.ACKNOWLEDGED)])
    assert cell.data() == "—"
    assert not cell.data(OVERDUE_ROLE)


def test_an_escalated_alarm_is_red_at_once(model: AlarmTableModel) -> None:
    model.upsert_many([make(1, age_s=1, escalated=True, priority=1)])
    assert model.index(0, Column.WAITING).data(OVERDUE_ROLE)
    assert "▲" in model.index(0, Column.PRIORITY).data()


def test_the_counter_tick_is_one_data_changed_of_the_counter_column(
        model: AlarmTableModel, proxy: AlarmFilterProxy, qtbot: QtBot) -> None:
    model.upsert_many([make(i, age_s=i) for i in range(1, 501)]
                      + [make(1000, state=AlarmState.ACKNOWLEDGED)])
    changed: list[tuple[QModelIndex, QModelIndex, list[int]]] = []
    proxy.dataChanged.connect(lambda tl, br, roles: changed.append((tl, br, roles)))
    sorted_again: list[int] = []
    proxy.layoutChanged.connect(lambda *_a: sorted_again.append(1))
    with qtbot.waitSignal(model.ticked, timeout=3000):
        pass
    assert len(changed) == 1
    tl, br, roles = changed[0]
    assert (tl.column(), br.column()) == (Column.WAITING, Column.WAITING)
    assert (tl.row(), br.row()) == (0, proxy.rowCount() - 1)
    assert Qt.ItemDataRole.DisplayRole in roles
    assert not sorted_again


def test_new_p1_p2_rows_blink_others_do_not(model: AlarmTableModel, qtbot: QtBot) -> None:
    p1, p3 = make(1, priority=1), make(2, priority=3)
    model.upsert_many([p1, p3])
    seen: set[bool] = set()

    def blinked() -> bool:
        seen.add(bool(model.index(0, Column.TITLE).data(FLASH_ROLE)))
        assert not model.index(1, Column.TITLE).data(FLASH_ROLE)
        return seen == {True, False}

    qtbot.waitUntil(blinked, timeout=3000)
    model.upsert_many([advance(p1, state=AlarmState.ACKNOWLEDGED)])
    assert not model.index(0, Column.TITLE).data(FLASH_ROLE)
    assert model.index(0, Column.TITLE).data(Qt.ItemDataRole.BackgroundRole) is None


def test_closed_alarms_are_forgotten_after_the_retention(qtbot: QtBot, clock: Clock) -> None:
    model = AlarmTableModel(clock=clock, retain_closed=timedelta(hours=1))
    closed_old = advance(make(1, age_s=7200), state=AlarmState.CLOSED)
    closed_old = replace(closed_old, history=tuple(
        replace(s, time=T0 - timedelta(seconds=7000)) for s in closed_old.history))
    model.upsert_many([closed_old, make(2), advance(make(3), state=AlarmState.CLOSED), make(4)])
    assert model.prune_closed() == 1
    assert [model.alarm_at(r).id for r in range(model.rowCount())] == ["2", "3", "4"]
    assert model.row_of("4") == 2
    assert model.open_count() == 2


def test_raised_time_is_shown_in_local_time(model: AlarmTableModel,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        now = utc_now()
        model.upsert_many([make(1, now=now)])
        shown = model.index(0, Column.RAISED).data()
        assert shown == now.astimezone().strftime("%H:%M:%S")
        # Paris is UTC+1 or +2: never the UTC wall time
        assert shown != now.strftime("%H:%M:%S")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_every_enum_has_a_label() -> None:
    for t in AlarmType:
        assert alarm_type_label(t)
        assert alarm_type_label(t) != t.value
    for s in AlarmState:
        assert alarm_state_label(s)
    for o in AlarmOutcome:
        assert alarm_outcome_label(o)
    for status in OfficerStatus:
        assert officer_status_label(status)
    assert elapsed(42) == "0:42"
    assert elapsed(3725) == "1:02:05"


@pytest.fixture
def live(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[Hub, AlarmService, HubBridge]]:
    hub = Hub()
    journal = Journal(tmp_path / "journal.sqlite")
    service = AlarmService(hub, journal, lambda _t: 3600)
    bridge = HubBridge(hub, World(), interval_ms=20)
    try:
        service.start()
        bridge.start()
        yield hub, service, bridge
    finally:
        bridge.stop()
        service.stop()
        journal.close()


def test_a_report_sent_twice_is_one_row(live: tuple[Hub, AlarmService, HubBridge],
                                        qtbot: QtBot) -> None:
    hub, _service, bridge = live
    model = AlarmTableModel(world=bridge.world)
    model.attach(bridge)
    report = AlarmReported("sensor", "S-04/1", AlarmType.GUNSHOT, 1, "Détonation", utc_now(),
                           message_id="m1")
    hub.post(report)
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    hub.post(report)  # a retransmission: nothing changes
    hub.post(replace(report, message_id="m2"))  # a new occurrence: shown on the same row
    qtbot.waitUntil(lambda: [s.action for s in model.alarm_at(0).history]
                    == ["raised", "occurred"], timeout=5000)
    assert model.rowCount() == 1
    assert model.alarm_at(0).occurrences == 2


# -- the desk's order and filters over a big desk (AlarmFilterProxy) ------------------------
def expected_order(alarms: list[Alarm], pred: Callable[[Alarm], bool]) -> list[str]:
    """The queue's rule written plainly: open first, then priority 1 first, oldest first,
    then by number."""
    shown = [a for a in alarms if pred(a)]
    shown.sort(key=lambda a: (not a.is_open, a.priority, a.raised_at, int(a.id)))
    return [a.id for a in shown]


def big_desk(n: int) -> list[Alarm]:
    types, states = list(AlarmType), list(AlarmState)
    return [make(i, priority=1 + i % 4, age_s=(i * 7919) % 86_400 + (i % 3) * 0.001,
                 type_=types[i % len(types)], state=states[(i // 4) % 4],
                 title=f"Alarme {i} rue {i % 313} Marché" if i % 5 else f"Alarm {i}")
            for i in range(1, n + 1)]


def test_filtering_and_sorting_60000_alarms_gives_the_right_rows_in_order(
        model: AlarmTableModel) -> None:
    alarms = big_desk(60_000)
    model.upsert_many(alarms)
    proxy = AlarmFilterProxy(model)
    assert ids(proxy) == expected_order(alarms, lambda a: a.is_open)
    proxy.set_states(set(AlarmState))
    assert ids(proxy) == expected_order(alarms, lambda a: True)
    proxy.set_types({AlarmType.GUNSHOT, AlarmType.LPR_HIT})
    assert ids(proxy) == expected_order(
        alarms, lambda a: a.type in (AlarmType.GUNSHOT, AlarmType.LPR_HIT))
    proxy.set_types(None)
    proxy.set_max_priority(2)
    assert ids(proxy) == expected_order(alarms, lambda a: a.priority <= 2)
    proxy.set_text("RUE 42 marché")  # the case of what the operator types does not matter
    assert ids(proxy) == expected_order(
        alarms, lambda a: a.priority <= 2 and "rue 42 marché" in a.title.casefold())
    assert proxy.rowCount() > 0
    proxy.set_text("")
    proxy.set_max_priority(4)
    proxy.set_states({AlarmState.CLOSED})
    assert ids(proxy) == expected_order(alarms, lambda a: a.state is AlarmState.CLOSED)


def test_a_scattered_batch_is_one_insertion_and_one_layout_change(
        model: AlarmTableModel, proxy: AlarmFilterProxy) -> None:
    """New alarms that land between old ones all over the desk (reports that carry their own,
    older times) are not hundreds of row insertions; the selection stays on its alarm."""
    model.upsert_many([make(i, priority=3, age_s=2 * i) for i in range(1, 1001)])
    held = QPersistentModelIndex(proxy.index(proxy.row_of("500") or 0, Column.TITLE))
    inserted: list[tuple[int, int]] = []
    laid_out: list[int] = []
    proxy.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    proxy.layoutChanged.connect(lambda *_a: laid_out.append(1))
    batch = [make(i, priority=3, age_s=2 * (i - 2000) + 1) for i in range(2001, 2501)]
    model.upsert_many(batch)
    assert len(inserted) == 1
    assert len(laid_out) == 1
    assert ids(proxy) == expected_order([*model.alarms()], lambda a: a.is_open)
    assert held.isValid()
    assert held.data(ALARM_ROLE).id == "500"
    assert held.column() == Column.TITLE


def test_an_escalated_alarm_moves_and_the_selection_goes_with_it(
        model: AlarmTableModel, proxy: AlarmFilterProxy) -> None:
    alarms = [make(i, priority=3, age_s=i) for i in range(1, 301)]
    model.upsert_many(alarms)
    held = QPersistentModelIndex(proxy.index(proxy.row_of("150") or 0, 0))
    model.upsert_many([advance(alarms[149], priority=2, escalated=True)])
    assert proxy.row_of("150") == 0
    assert held.isValid()
    assert held.row() == 0
    assert held.data(ALARM_ROLE).id == "150"
    assert ids(proxy) == expected_order(model.alarms(), lambda a: a.is_open)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["add", "change", "close", "filter", "prune"]),
                          st.integers(0, 10_000)), min_size=1, max_size=25))
def test_the_desk_always_shows_what_a_full_filter_and_sort_would(
        qtbot: QtBot, steps: list[tuple[str, int]]) -> None:
    """Whatever arrives in whatever order (batches, escalations, closings, filter changes,
    pruning), the rows kept up to date piece by piece are those a full re-sort would give,
    and a held row stays on its alarm while it is shown."""
    clock = Clock(T0 + timedelta(hours=1))
    model = AlarmTableModel(clock=clock, retain_closed=timedelta(minutes=30))
    proxy = AlarmFilterProxy(model)
    held: QPersistentModelIndex | None = None
    held_id = ""
    next_id = 1
    for op, seed in steps:
        alarms = model.alarms()
        if op == "add":
            n = 1 + seed % 40
            model.upsert_many([make(next_id + k, priority=1 + (seed + k) % 4,
                                    age_s=(seed * 31 + k * 977) % 3000,
                                    type_=list(AlarmType)[(seed + k) % len(AlarmType)])
                               for k in range(n)])
            next_id += n
        elif op == "change" and alarms:
            picks = alarms[seed % len(alarms)::1 + seed % 7][:20]
            model.upsert_many([advance(a, priority=max(1, a.priority - seed % 2),
                                       state=AlarmState.ACKNOWLEDGED if seed % 3 == 0
                                       else a.state) for a in picks if a.is_open])
        elif op == "close" and alarms:
            model.upsert_many([replace(advance(a, state=AlarmState.CLOSED), history=(
                *a.history, AlarmStep(T0 - timedelta(hours=seed % 2), "op", "closed",
                                      AlarmState.CLOSED)))
                for a in alarms[seed % len(alarms)::1 + seed % 5][:10] if a.is_open])
        elif op == "filter":
            proxy.set_states(set(AlarmState) if seed % 2 else OPEN_STATES)
            proxy.set_max_priority(1 + seed % 4)
        elif op == "prune":
            model.prune_closed()
        assert ids(proxy) == expected_order(
            model.alarms(), lambda a: a.state in proxy.states and a.priority <= proxy.max_priority)
        if held is not None and held.isValid():
            assert held.data(ALARM_ROLE).id == held_id
        elif held is not None:  # lost only when its alarm left the view, or on a new filter
            assert op == "filter" or proxy.row_of(held_id) is None
            held = None
        if held is None and proxy.rowCount():
            held = QPersistentModelIndex(proxy.index(seed % proxy.rowCount(), 0))
            held_id = held.data(ALARM_ROLE).id


def test_counting_new_p1_alarms_follows_acknowledgements_and_escalations(
        model: AlarmTableModel) -> None:
    a1, a2, a3 = make(1, priority=1), make(2, priority=2), make(3, priority=3)
    model.upsert_many([a1, a2, a3])
    assert model.new_count(max_priority=1) == 1
    assert model.new_count() == 3
    model.upsert_many([advance(a2, priority=1, escalated=True)])
    assert model.new_count(max_priority=1) == 2
    model.upsert_many([advance(a1, state=AlarmState.ACKNOWLEDGED)])
    assert model.new_count(max_priority=1) == 1
    assert [a.id for a in model.new_alarms(max_priority=1)] == ["2"]
    assert model.new_count(max_priority=3) == 2


# -- alarms from the bridge: applied at a bounded rate, none lost ----------------------------
def test_received_alarms_are_applied_at_once_after_a_quiet_spell_then_once_a_tick(
        qtbot: QtBot, model: AlarmTableModel, proxy: AlarmFilterProxy) -> None:
    batches: list[list[Alarm]] = []
    model.upserted.connect(batches.append)
    first = make(1, priority=1)
    model.receive([first])  # the desk was quiet: on screen now, not a tick later
    assert proxy.row_of("1") == 0
    assert len(batches) == 1
    # a storm: 50 bridge batches before the next tick are one batch for the desk
    later = [make(i, priority=1 + i % 4) for i in range(2, 502)]
    for k in range(50):
        model.receive(later[10 * k:10 * (k + 1)])
    model.receive([advance(first, state=AlarmState.ACKNOWLEDGED)])
    model.receive([first])  # an older state arriving late never wins
    assert len(batches) == 1
    assert model.pending_count() == 501
    qtbot.waitUntil(lambda: model.pending_count() == 0, timeout=FLUSH_MS * 20)
    assert len(batches) == 2
    assert len(batches[1]) == 501
    assert model.rowCount() == proxy.rowCount() == 501
    assert model.alarm("1").state is AlarmState.ACKNOWLEDGED  # type: ignore[union-attr]
    assert ids(proxy) == expected_order(model.alarms(), lambda a: a.is_open)

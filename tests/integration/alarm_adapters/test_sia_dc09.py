"""The DC-09 receiver against dc09-spt frames on loopback: ACK/NAK/DUH on the wire, the
identity of alarms and messages (across a restart, the hour, a panel's reboot), encrypted
frames with the key from the keyring, alarms at the right building."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.adapters.sia_dc09 import SiaDc09Adapter, SiaDc09Config
from app.adapters.sia_dc09 import adapter as adapter_module
from app.adapters.sia_dc09.links import Outcome
from app.core.adapter import Sink
from app.core.events import AlarmReported
from app.core.journal import Journal
from app.core.model import AlarmOutcome, AlarmType, LatLon
from app.services.alarm_book import Close
from tests.integration.alarm_adapters.conftest import BOUND_S, Running, Store
from tests.integration.alarm_adapters.dc09_sender import Dc09Msg, Sender, cid, sia
from tests.waiting import wait_until

dc09_spt = pytest.importorskip("dc09_spt.dc09_spt")

KEY = bytes.fromhex("000102030405060708090A0B0C0D0E0F")
ACCOUNTS = [{"account": "1234", "building": "Mairie", "position": [48.8566, 2.3522],
             "cameras": ["cam-hdv"], "zones": {"5": "Hall d'entrée"}},
            {"account": "5678", "building": "École Jaurès"}]


@pytest.fixture
def receiver(run_adapter: Callable[[SiaDc09Adapter], Running],
             secret: Callable[[str], str]) -> Iterator[tuple[Running, int]]:
    cfg = SiaDc09Config(kind="sia_dc09", name="dc09", listen="127.0.0.1", port=0,
                        key_secret=secret(KEY.hex()), accounts=ACCOUNTS)  # type: ignore[arg-type]
    adapter = SiaDc09Adapter(cfg)
    running = run_adapter(adapter)
    port = wait_until(lambda: adapter.bound_port, what="the receiver listens")
    return running, port


def test_contact_id_burglary_is_acked_and_raised_at_its_building(
        receiver: tuple[Running, int]) -> None:
    running, port = receiver
    panel = Sender(port, "1234")
    try:
        raw, kind = panel.send(1, "ADM-CID", cid("1234", 130, 5))
    finally:
        panel.close()
    assert kind == "ACK"
    assert '"ACK"0001' in raw
    assert "#1234[]" in raw
    (alarm,) = running.sink.of(AlarmReported)
    assert alarm.type is AlarmType.INTRUSION
    assert alarm.title == "Burglary — Mairie — Hall d'entrée"
    assert alarm.position == LatLon(48.8566, 2.3522)
    assert alarm.camera_ids == ("cam-hdv",)
    assert running.sink.rejects == []


def test_a_repeated_sequence_is_acked_again_but_raised_once(
        receiver: tuple[Running, int]) -> None:
    running, port = receiver
    panel = Sender(port, "1234")
    try:
        first = panel.send(7, "ADM-CID", cid("1234", 130, 5))[1]
        again = panel.send(7, "ADM-CID", cid("1234", 130, 5))[1]
        other = panel.send(8, "SIA-DCS", sia("1234", "BA", 3))[1]
        rebooted = panel.send(7, "ADM-CID", cid("1234", 130, 6))[1]  # same seq, new content
    finally:
        panel.close()
    assert (first, again, other, rebooted) == ("ACK", "ACK", "ACK", "ACK")
    alarms = running.sink.of(AlarmReported)
    assert [a.title for a in alarms] == ["Burglary — Mairie — Hall d'entrée",
                                         "Burglary — Mairie — zone 3", "Burglary — Mairie — zone 6"]


def test_every_frame_is_counted_as_received_before_it_is_parsed(
        receiver: tuple[Running, int]) -> None:
    running, port = receiver
    panel = Sender(port, "1234")
    try:
        assert panel.send(30, "ADM-CID", cid("1234", 130, 5))[1] == "ACK"
        good = panel.msg.dc09block(31, "ADM-CID", cid("1234", 130, 5)).encode()
        assert panel.msg.dc09answer(31, panel.send_raw(good[:1] + b"0000" + good[5:]))[0] \
            == "NAK"
        assert panel.msg.dc09answer(0, panel.send_raw(panel.msg.dc09poll().encode()))[0] \
            == "ACK"
    finally:
        panel.close()
    stranger = Sender(port, "9999")
    try:
        assert stranger.send(1, "ADM-CID", cid("9999", 130, 1))[1] == "DUH"
    finally:
        stranger.close()
    assert running.sink.messages == 4
    assert len(running.sink.rejects) == 2


def test_a_storm_of_connections_is_not_a_storm_of_statuses(
        receiver: tuple[Running, int]) -> None:
    """Each status is posted to the hub and journaled: 200 connections opened (each with a
    poll answered, so the receiver has seen it) and closed in a loop give at most one
    status a second, the last one with the right count."""
    running, port = receiver
    adapter = running.adapter
    assert isinstance(adapter, SiaDc09Adapter)
    wait_until(lambda: running.sink.states, what="the first status")
    poll = Dc09Msg("1234").dc09poll().encode()
    began = time.monotonic()
    for _ in range(200):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(poll)
            assert s.recv(64).endswith(b"\r")
    wait_until(lambda: not adapter.open_connections(), what="all closed")
    wait_until(lambda: running.sink.states[-1][1].endswith(", 0 panel connection(s)"),
               what="the last status counts no connection")
    elapsed = time.monotonic() - began
    assert len(running.sink.states) <= 2 + elapsed / adapter.status_every_s


def test_a_bug_in_parsing_is_a_counted_rejection_not_a_dead_connection(
        receiver: tuple[Running, int], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    real = adapter_module.parse_frame

    def buggy(raw: bytes, *args: object) -> object:
        if b"|1130 01 013" in raw:
            raise ZeroDivisionError("a bug")
        return real(raw, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(adapter_module, "parse_frame", buggy)
    running, port = receiver
    panel = Sender(port, "1234")
    try:
        assert panel.send(40, "ADM-CID", cid("1234", 130, 13))[1] == "NAK"
        assert panel.send(41, "ADM-CID", cid("1234", 130, 5))[1] == "ACK"  # same connection
    finally:
        panel.close()
    assert running.sink.rejects == ["DC-09: internal error while reading the frame: "
                                    "ZeroDivisionError"]
    (bug,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "ZeroDivisionError: a bug" in bug.getMessage()
    assert len(running.sink.of(AlarmReported)) == 1


def test_stopping_with_panels_connected_closes_them_without_an_error(
        receiver: tuple[Running, int], caplog: pytest.LogCaptureFixture) -> None:
    """Python 3.11 logs 'Exception in callback ... connection_made' for every cancelled
    connection task of `start_server`: a stop must end connections without it."""
    running, port = receiver
    panels = [Sender(port, "1234") for _ in range(3)]
    try:
        assert panels[0].send(50, "ADM-CID", cid("1234", 130, 5))[1] == "ACK"
        adapter = running.adapter
        assert isinstance(adapter, SiaDc09Adapter)
        wait_until(lambda: sum(adapter.open_connections().values()) == 3, what="3 panels")
        running.close()
        for panel in panels:
            assert panel.sock.recv(1) == b""  # closed by the receiver
    finally:
        for panel in panels:
            panel.close()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


BEFORE_HOUR = datetime(2026, 11, 30, 16, 59, 50, tzinfo=UTC)
AFTER_HOUR = datetime(2026, 11, 30, 17, 0, 3, tzinfo=UTC)


def test_the_same_frame_across_a_console_restart_and_the_hour_is_one_alarm(
        run_adapter: Callable[..., Running], secret: Callable[[str], str],
        tmp_path: Path) -> None:
    """The issue's case: a frame stamped 16:59:50, the console killed and started again, the
    panel retransmitting the same frame at 17:00:03. The same message of the same alarm,
    in the journal once (it was two alarms, one per receive hour)."""
    journal = tmp_path / "journal.sqlite"
    key_name = secret(KEY.hex())
    stamp_at = Dc09Msg("1234", key=KEY,
                       offset=(BEFORE_HOUR - datetime.now(UTC)).total_seconds())
    frame = stamp_at.dc09block(7, "ADM-CID", cid("1234", 130, 5)).encode()
    reports: list[AlarmReported] = []
    for now in (BEFORE_HOUR + timedelta(seconds=1), AFTER_HOUR):
        store = Store(journal)
        try:
            store.start()
            cfg = SiaDc09Config(kind="sia_dc09", name="dc09", listen="127.0.0.1", port=0,
                                key_secret=key_name, accounts=ACCOUNTS)  # type: ignore[arg-type]
            adapter = SiaDc09Adapter(cfg, clock=lambda now=now: now)
            running = run_adapter(adapter, store.hub)
            panel = Sender(wait_until(lambda a=adapter: a.bound_port), "1234", key=KEY)
            try:
                assert stamp_at.dc09answer(7, panel.send_raw(frame))[0] == "ACK"
            finally:
                panel.close()
            reports += running.sink.of(AlarmReported)
            running.close()
        finally:
            store.close()
    first, again = reports
    assert (first.source_id, first.message_id) == (again.source_id, again.message_id)
    assert first.source_id == "1234/130/area1/zone5"
    after = Journal(journal)
    try:
        assert [a.source_id for a in after.load_alarms()] == [first.source_id]
    finally:
        after.close()


def test_a_rebooted_panel_reusing_its_sequence_is_another_message_of_the_same_alarm(
        receiver: tuple[Running, int]) -> None:
    """Before its reboot the panel sent #0001 (its clock 10 s behind); after it, numbering
    restarts and #0001 reports the same zone again, with another timestamp. Not a
    retransmission: it reaches the alarm book, whose rule makes it a new occurrence."""
    running, port = receiver
    before = Sender(port, "1234", key=KEY, offset=-10)
    try:
        assert before.send(1, "ADM-CID", cid("1234", 130, 5))[1] == "ACK"
    finally:
        before.close()
    after = Sender(port, "1234", key=KEY)
    try:
        assert after.send(1, "ADM-CID", cid("1234", 130, 5))[1] == "ACK"
    finally:
        after.close()
    first, second = running.sink.of(AlarmReported)
    assert first.source_id == second.source_id
    assert first.message_id != second.message_id


def test_encrypted_frames_are_decrypted_and_answered_encrypted(
        receiver: tuple[Running, int]) -> None:
    running, port = receiver
    panel = Sender(port, "5678", key=KEY)
    try:
        raw, kind = panel.send(3, "ADM-CID", cid("5678", 120, 2))
    finally:
        panel.close()
    assert kind == "ACK"  # dc09-spt decrypted our answer and found its timestamp
    assert '"*ACK"0003#5678[' in raw
    (alarm,) = running.sink.of(AlarmReported)
    assert alarm.title == "Panic / duress — École Jaurès — zone 2"
    assert alarm.priority == 1


def test_an_encrypted_frame_out_of_the_time_window_gets_nak(
        receiver: tuple[Running, int]) -> None:
    running, port = receiver
    panel = Sender(port, "1234", key=KEY, offset=-3600)  # the panel's clock is an hour late
    try:
        raw, kind = panel.send(4, "ADM-CID", cid("1234", 130, 5))
    finally:
        panel.close()
    assert kind == "NAK"
    assert '"NAK"0000R0L0A0[]_' in raw  # with our time, so the panel can correct its clock
    assert running.sink.of(AlarmReported) == []
    assert any("outside the allowed window" in r for r in running.sink.rejects)


def test_unknown_account_gets_duh_and_a_counted_reject(receiver: tuple[Running, int]) -> None:
    running, port = receiver
    panel = Sender(port, "9999")
    try:
        kind = panel.send(1, "ADM-CID", cid("9999", 130, 1))[1]
    finally:
        panel.close()
    assert kind == "DUH"
    assert running.sink.of(AlarmReported) == []
    assert running.sink.rejects == ["DC-09: unknown account '9999' (not in this adapter's "
                                    "accounts)"]


def test_a_corrupted_frame_gets_nak_and_the_link_survives(receiver: tuple[Running, int]) -> None:
    running, port = receiver
    panel = Sender(port, "1234")
    try:
        good = panel.msg.dc09block(9, "ADM-CID", cid("1234", 130, 5)).encode()
        bad = good[:1] + b"0000" + good[5:]  # wrong CRC
        assert panel.msg.dc09answer(9, panel.send_raw(bad))[0] == "NAK"
        assert panel.send(9, "ADM-CID", cid("1234", 130, 5))[1] == "ACK"
    finally:
        panel.close()
    assert len(running.sink.of(AlarmReported)) == 1
    assert running.sink.rejects == ["DC-09: CRC mismatch"]


def test_polls_and_restores_are_acked_without_alarm(receiver: tuple[Running, int]) -> None:
    running, port = receiver
    panel = Sender(port, "1234")
    try:
        poll = panel.msg.dc09poll().encode()
        assert panel.msg.dc09answer(0, panel.send_raw(poll))[0] == "ACK"
        restore = cid("1234", 130, 5).replace("|1130", "|3130")
        assert panel.send(11, "ADM-CID", restore)[1] == "ACK"
        assert panel.send(12, "ADM-CID", cid("1234", 602, 0))[1] == "ACK"  # periodic test
    finally:
        panel.close()
    assert running.sink.of(AlarmReported) == []


def test_the_dc09_spt_dialler_delivers_and_empties_its_queue_on_our_ack(
        receiver: tuple[Running, int]) -> None:
    running, port = receiver
    dialler = dc09_spt.dc09_spt("1234")
    dialler.set_path("main", "primary", "127.0.0.1", port, type="TCP")
    dialler.send_msg("CID", {"code": 130, "zone": 5, "area": 1})
    dialler.send_msg("SIA", {"code": "FA", "zone": 2})
    wait_until(lambda: len(running.sink.of(AlarmReported)) == 2, what="two alarms")
    # dc09-spt keeps a message queued until it reads an ACK for it
    wait_until(lambda: dialler.state()["msgs queued"] == 0 and not dialler.state().get(
        "send active"), what="the dialler's queue empties")
    titles = sorted(a.title for a in running.sink.of(AlarmReported))
    assert titles == ["Burglary — Mairie — Hall d'entrée", "Fire alarm — Mairie — zone 2"]


def test_the_dialler_over_udp(run_adapter: Callable[[SiaDc09Adapter], Running]) -> None:
    cfg = SiaDc09Config(kind="sia_dc09", name="dc09-udp", listen="127.0.0.1", port=0,
                        udp=True, accounts=ACCOUNTS)  # type: ignore[arg-type]
    adapter = SiaDc09Adapter(cfg)
    running = run_adapter(adapter)
    port = wait_until(lambda: adapter.bound_port)
    wait_until(lambda: running.sink.states, what="the receiver is up")
    dialler = dc09_spt.dc09_spt("5678")
    dialler.set_path("main", "primary", "127.0.0.1", port, type="UDP")
    dialler.send_msg("CID", {"code": 130, "zone": 1, "area": 1})
    (alarm,) = wait_until(lambda: running.sink.of(AlarmReported), what="the UDP alarm")
    assert alarm.title == "Burglary — École Jaurès — zone 1"
    assert running.sink.messages >= 1  # datagrams are counted too
    wait_until(lambda: dialler.state()["msgs queued"] == 0 and not dialler.state().get(
        "send active"), what="the dialler read our ACK")


# -- the ACK means stored --------------------------------------------------------------------

def _receiver(run_adapter: Callable[..., Running], store: Store, **kw: object
              ) -> tuple[SiaDc09Adapter, int]:
    cfg = SiaDc09Config.model_validate({"kind": "sia_dc09", "name": "dc09-store",
                                        "listen": "127.0.0.1", "port": 0,
                                        "accounts": ACCOUNTS, **kw})
    adapter = _CountingReceiver(cfg)
    run_adapter(adapter, store.hub)
    return adapter, wait_until(lambda: adapter.bound_port, what="the receiver listens")


class _CountingReceiver(SiaDc09Adapter):
    """The real receiver, counting the frames it is handed (to see a panel retry)."""

    frames = 0

    async def handle(self, raw: bytes, sink: Sink) -> Outcome:
        self.frames += 1
        return await super().handle(raw, sink)


def test_the_ack_comes_once_the_alarm_is_in_the_journal(
        run_adapter: Callable[..., Running], store: Store) -> None:
    store.start()
    _adapter, port = _receiver(run_adapter, store)
    panel = Sender(port, "1234")
    try:
        kind = panel.send(21, "ADM-CID", cid("1234", 130, 5))[1]
        assert kind == "ACK"
        alarms = store.journal.load_alarms()  # at once: the ACK waited for the commit
    finally:
        panel.close()
    assert [a.title for a in alarms] == ["Burglary — Mairie — Hall d'entrée"]


def test_without_the_store_there_is_no_ack_and_the_retry_is_acked_once_stored(
        run_adapter: Callable[..., Running], store: Store) -> None:
    """The alarm service is not running: nothing commits. The panel hears nothing (no
    ACK, no NAK: NAK means a bad timestamp in DC-09, DUH means give up), the connection
    closes, and its retry is acknowledged once the store is back, the alarm stored once."""
    _adapter, port = _receiver(run_adapter, store, store_timeout_s=0.3)
    panel = Sender(port, "1234")
    frame = panel.msg.dc09block(22, "ADM-CID", cid("1234", 130, 7)).encode()
    try:
        assert panel.send_raw(frame) == ""  # closed without an answer
    finally:
        panel.close()
    assert store.journal.load_alarms() == []
    store.start()
    panel = Sender(port, "1234")  # the panel sends the same frame again
    try:
        assert panel.send(22, "ADM-CID", cid("1234", 130, 7))[1] == "ACK"
        alarms = store.journal.load_alarms()
    finally:
        panel.close()
    assert [a.title for a in alarms] == ["Burglary — Mairie — zone 7"]


# dc09-spt's UDP path drops (without closing) its socket when no answer comes: its leak
@pytest.mark.filterwarnings("ignore::ResourceWarning",
                            "ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_dc09_spt_dialler_retries_until_the_alarm_is_stored(
        run_adapter: Callable[..., Running], store: Store) -> None:
    adapter, port = _receiver(run_adapter, store, udp=True, store_timeout_s=0.3)
    dialler = dc09_spt.dc09_spt("5678")
    dialler.set_path("main", "primary", "127.0.0.1", port, type="UDP")
    dialler.send_msg("CID", {"code": 130, "zone": 4, "area": 1})
    # no ACK: the dialler sends it again (and keeps it queued)
    wait_until(lambda: adapter.frames >= 2, what="the dialler retries")
    assert store.journal.load_alarms() == []
    store.start()
    wait_until(lambda: dialler.state()["msgs queued"] == 0 and not dialler.state().get(
        "send active"), what="the dialler got its ACK")
    assert [a.title for a in store.journal.load_alarms()] == ["Burglary — École Jaurès — zone 4"]


# -- with the alarm book: what the names above make of a report -------------------------------
# The book's rule: a retransmission within the window is ignored; a new message on a closed
# alarm raises a new one.


def _send(port: int, seq: int, zone: int) -> str:
    panel = Sender(port, "1234")
    try:
        return panel.send(seq, "ADM-CID", cid("1234", 130, zone))[1]
    finally:
        panel.close()


def test_the_same_zone_again_on_an_open_alarm_is_one_alarm_with_one_more_step(
        run_adapter: Callable[..., Running], store: Store) -> None:
    store.start()
    _adapter, port = _receiver(run_adapter, store)
    assert _send(port, 1, 5) == "ACK"
    assert _send(port, 2, 5) == "ACK"  # another message about the same zone
    (alarm,) = store.journal.load_alarms()
    assert len(alarm.history) >= 2


def test_the_same_zone_after_its_alarm_was_closed_is_a_new_alarm(
        run_adapter: Callable[..., Running], store: Store) -> None:
    store.start()
    _adapter, port = _receiver(run_adapter, store)
    assert _send(port, 1, 5) == "ACK"
    (first,) = store.journal.load_alarms()
    store.alarms.submit(Close(first.id, "op.martin", AlarmOutcome.HANDLED)).result(BOUND_S)
    assert _send(port, 2, 5) == "ACK"
    states = sorted(a.state.value for a in store.journal.load_alarms())
    assert states == ["closed", "new"]


def test_a_retransmission_after_a_receiver_restart_leaves_the_alarm_as_it_was(
        run_adapter: Callable[..., Running], store: Store) -> None:
    """The receiver restarted (its fast path forgot): the book alone recognises the message."""
    store.start()
    for _ in range(2):
        _adapter, port = _receiver(run_adapter, store)
        assert _send(port, 1, 5) == "ACK"
    (alarm,) = store.journal.load_alarms()
    assert len(alarm.history) == 1  # raised; the retransmission added nothing

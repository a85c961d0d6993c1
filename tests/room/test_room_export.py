"""A chief at a seat of a room exports evidence (issue 13): the room's service, which has the
recordings, judges and logs the export, writes the package in ITS export folder, and the
seat follows the progress and may cancel it. Only the chief who asked may follow or cancel
an export; an operator is refused and nothing is written."""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.access import Role
from app.core.evidence import EvidenceCancelled, EvidenceError
from app.core.export_config import ExportConfig
from app.core.recording import Segment
from app.core.site import Site
from app.services import room_auth
from app.services.evidence.export import ExportResult
from app.services.evidence.keys import init_export_key
from app.services.evidence.request import (
    EXPORT_CANCELLED,
    EXPORT_DONE,
    EXPORTED,
    ExportRequest,
)
from app.services.evidence.verify import verify_package
from app.services.gate import Refused
from app.services.room_commands import CommandRefused
from app.services.runtime import Runtime
from tests.room.room_rig import Room, Seen, quiet_site
from tests.servers.recorded import record
from tests.waiting import wait_until

if TYPE_CHECKING:
    from widgets.replay.export_dialog import ExportDialog

CAMERAS = ("cam-gare", "cam-parc")
RECIPIENT = "Parquet de Melun, OPJ Durand"
# a few minutes ago, on a whole minute (well within the retention)
T0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=10)
SECONDS = 90  # long enough that a stop or a cancel lands while the export runs
MASK = [(0.0, 0.0), (0.5, 0.0), (0.5, 0.5), (0.0, 0.5)]  # a quarter of each picture


@dataclass
class Exporting:
    room: Room
    site: Site
    exports: Path  # the service's [export] folder

    @property
    def service(self) -> Runtime:
        assert self.room.service is not None
        return self.room.service

    def restart_service(self) -> Runtime:
        self.room.stop_service()
        return self.room.start_service(self.site)


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> list[Segment]:
    """Two cameras' segments over SECONDS (made once: the slow part)."""
    return record(tmp_path_factory.mktemp("recorded"), CAMERAS, T0,
                  T0 + timedelta(seconds=SECONDS), segment_s=10)


@pytest.fixture
def exporting(room: Room, recordings: list[Segment], tmp_path: Path) -> Exporting:
    """The room's service with its export key and folder, the recordings in its journal."""
    exports = tmp_path / "exports"
    site = quiet_site().model_copy(update={"export": ExportConfig(
        folder=str(exports), certificate=str(tmp_path / "cert.pem"),
        key_file=str(tmp_path / "key.pem"), privacy_masks={c: [MASK] for c in CAMERAS})})
    init_export_key(site)
    service = room.start_service(site)
    service.journal.add_segments(recordings)
    return Exporting(room, site, exports)


def asked(**changes: object) -> ExportRequest:
    r = ExportRequest(CAMERAS, T0 + timedelta(seconds=2), T0 + timedelta(seconds=SECONDS - 2),
                      "judicial", RECIPIENT, words="Réquisition du 1er décembre",
                      reference="PV 2026/1234")
    return replace(r, **changes)  # type: ignore[arg-type]


def written(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def actions(service: Runtime) -> list[str]:
    return [r.action.action for r in service.journal.audit_rows()]


def test_a_chief_s_seat_exports_into_the_service_s_folder(exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    fractions: list[float] = []
    result = chief.seat.export_evidence(asked(hold=True), lambda f, _s: fractions.append(f),
                                        threading.Event()).result(300)
    assert result.folder.parent == exporting.exports
    assert result.folder.is_dir()
    assert result.zip is not None
    assert result.zip.is_file()
    checked = verify_package(result.folder)
    assert checked.ok, checked.conclusion()
    assert verify_package(result.zip).ok
    assert result.manifest.recipient == RECIPIENT
    assert result.manifest.exported_by["user"] == "chef"
    assert len(fractions) >= 2
    assert fractions == sorted(fractions), "the seat's progress never goes back"
    assert len(set(fractions)) > 1
    assert fractions[-1] == 1.0
    rows = [r.action for r in exporting.service.journal.audit_rows()]
    (logged,) = [a for a in rows if a.action == EXPORTED]
    assert logged.actor == "chef"
    assert logged.workstation == chief.seat.me.workstation
    assert logged.recipients == (RECIPIENT,)
    assert logged.cameras == CAMERAS
    (done,) = [a for a in rows if a.action == EXPORT_DONE]
    assert result.folder.name in done.detail
    assert done.workstation == logged.workstation
    (hold,) = exporting.service.journal.holds()  # asked from the seat, placed by the service
    assert (hold.reference, hold.cameras) == ("PV 2026/1234", CAMERAS)


def test_a_cancel_from_the_seat_leaves_nothing(exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    cancel = threading.Event()
    with pytest.raises(EvidenceCancelled):
        chief.seat.export_evidence(asked(), lambda _f, _s: cancel.set(), cancel).result(300)
    assert written(exporting.exports) == []
    assert actions(exporting.service)[-1] == EXPORT_CANCELLED


def test_an_operator_s_seat_is_refused_and_nothing_is_written(exporting: Exporting) -> None:
    operator = exporting.room.seat("op.martin", role=Role.OPERATOR)
    with pytest.raises(Refused, match="operator"):
        operator.seat.export_evidence(asked(), lambda _f, _s: None,
                                      threading.Event()).result(120)
    assert written(exporting.exports) == []
    assert EXPORTED not in actions(exporting.service)


def test_nobody_follows_or_cancels_another_s_export(exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    other = exporting.room.seat("chef.adjoint", role=Role.CHIEF)
    started = chief.seat.send(room_auth.EXPORT, _body(asked()), int).result(60)
    for kind in (room_auth.EXPORT_STATUS, room_auth.EXPORT_CANCEL):
        with pytest.raises(Exception, match=f"no export number {started} of yours"):
            other.seat.send(kind, json.dumps({"export": started})).result(60)
    mine = chief.seat.send(room_auth.EXPORT_STATUS, json.dumps({"export": started}),
                           json.loads).result(60)
    assert mine["state"] in ("running", "done")


def _body(request: ExportRequest) -> str:
    from app.core.codec import to_jsonable

    return json.dumps(to_jsonable(request))


def exporting_from(seat: Seen) -> tuple[Future[ExportResult], threading.Event]:
    """An export the seat asked for, and the event set at its first progress."""
    progressed = threading.Event()
    fut = seat.seat.export_evidence(asked(), lambda _f, _s: progressed.set(),
                                    threading.Event())
    wait_until(progressed.is_set, 120, "the export's first progress at the seat")
    return fut, progressed


def test_the_service_stopping_mid_export_cancels_it_and_the_seat_is_told(
        exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    fut, _ = exporting_from(chief)
    exporting.room.stop_service()
    assert written(exporting.exports) == [], "nothing half-made is left"
    with pytest.raises(EvidenceError, match="console service stopped during the export"):
        fut.result(30)  # told once the seat sees the service gone, not after a minute
    service = exporting.room.start_service(exporting.site)
    assert actions(service)[-1] == EXPORT_CANCELLED  # logged before the journal closed
    assert written(exporting.exports) == []


def test_a_service_restarted_mid_export_is_said_so_at_the_seat(exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    fut, _ = exporting_from(chief)
    exporting.restart_service()  # back before the seat could see it gone
    with pytest.raises(EvidenceError, match="console service"):
        fut.result(60)
    assert written(exporting.exports) == []


def test_a_status_after_a_restart_is_never_another_export_s(exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    first = chief.seat.send(room_auth.EXPORT, _body(asked(hold=False)), int).result(60)
    wait_until(lambda: status(chief, first)["state"] != "running", 120, "the first export")
    exporting.restart_service()
    second = chief.seat.send(room_auth.EXPORT, _body(asked()), int).result(60)
    assert second != first
    with pytest.raises(CommandRefused, match=f"no export number {first} of yours"):
        status(chief, first)
    wait_until(lambda: status(chief, second)["state"] != "running", 120, "the second export")


def status(seat: Seen, number: int) -> dict[str, Any]:
    return seat.seat.send(room_auth.EXPORT_STATUS, json.dumps({"export": number}),
                          json.loads).result(60)


def test_the_follow_thread_ends_with_the_seat(exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    fut, _ = exporting_from(chief)
    exporting.room.stop_service()  # its status is not answered: the thread waits for it
    chief.seat.stop()
    with pytest.raises(EvidenceError, match="this console stopped"):
        fut.result(5)
    assert not [t for t in threading.enumerate() if t.name == "export-follow"]


def test_no_service_no_export_and_the_seat_says_so_at_once(exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    exporting.room.stop_service()
    wait_until(lambda: (st := chief.status()) is not None and not st.service_ok, 30,
               "the seat sees the service gone")
    with pytest.raises(Refused, match="console service is not running"):
        chief.seat.export_evidence(asked(), lambda _f, _s: None,
                                   threading.Event()).result(5)
    service = exporting.room.start_service(exporting.site)
    wait_until(lambda: (st := chief.status()) is not None and st.service_ok, 30,
               "the seat sees the service back")
    assert EXPORTED not in actions(service), "nothing asked meanwhile runs later"


def test_two_chiefs_export_at_once_and_both_get_theirs(exporting: Exporting) -> None:
    one = exporting.room.seat("chef", role=Role.CHIEF)
    two = exporting.room.seat("chef.adjoint", role=Role.CHIEF)
    first = one.seat.export_evidence(asked(), lambda _f, _s: None, threading.Event())
    second = two.seat.export_evidence(asked(recipient="OPJ Leroy"), lambda _f, _s: None,
                                      threading.Event())
    a, b = first.result(300), second.result(300)
    assert a.folder != b.folder
    assert (a.manifest.recipient, b.manifest.recipient) == (RECIPIENT, "OPJ Leroy")
    assert b.manifest.exported_by["user"] == "chef.adjoint"
    assert verify_package(a.folder).ok
    assert verify_package(b.folder).ok


def export_dialog(qtbot: QtBot, seat: Seen) -> ExportDialog:
    """The real Export dialog, on a seat's runtime, filled as a chief fills it."""
    from widgets.replay.export_dialog import ExportDialog

    r = asked()
    d = ExportDialog(seat.seat, [(c, c.removeprefix("cam-").title()) for c in CAMERAS], [],
                     r.start, r.end)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.purposes.setCurrentIndex(1)
    QTest.keyClicks(d.recipient, RECIPIENT)
    QTest.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
    return d


def test_the_export_dialog_at_a_seat_shows_the_service_s_package(
        qtbot: QtBot, exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    d = export_dialog(qtbot, chief)
    shown: list[int] = []
    d.bar.valueChanged.connect(shown.append)
    qtbot.waitUntil(lambda: d.cancel_button.text() == "Close", timeout=300_000)
    assert d.outcome is not None, d.step.text()
    assert any(0 < v < 1000 for v in shown), "the bar moved while the service exported"
    assert d.outcome.folder.parent == exporting.exports
    assert str(d.outcome.folder) in d.step.text()
    assert d.bar.value() == 1000
    assert verify_package(d.outcome.folder).ok
    _keep_grab("room-export-dialog-done.png")


def test_cancel_in_the_export_dialog_at_a_seat_leaves_nothing(
        qtbot: QtBot, exporting: Exporting) -> None:
    chief = exporting.room.seat("chef", role=Role.CHIEF)
    d = export_dialog(qtbot, chief)
    qtbot.waitUntil(lambda: d.bar.value() > 0, timeout=120_000)
    QTest.mouseClick(d.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.cancel_button.text() == "Close", timeout=120_000)
    assert d.step.text() == "Cancelled: nothing of this export was kept.", d.step.text()
    assert d.outcome is None
    assert not d.open_button.isVisible(), "no folder to open: nothing was kept"
    assert written(exporting.exports) == []
    assert actions(exporting.service)[-1] == EXPORT_CANCELLED
    _keep_grab("room-export-dialog-cancelled.png")


def _keep_grab(name: str) -> None:
    """The X server's picture, kept for a person to look at (CSU_TEST_GRABS=folder)."""
    folder = os.environ.get("CSU_TEST_GRABS")
    if folder:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.primaryScreen().grabWindow(0).save(str(Path(folder) / name))

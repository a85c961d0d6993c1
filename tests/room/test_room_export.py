"""A chief at a seat of a room exports evidence (issue 13): the room's service, which has the
recordings, judges and logs the export, writes the package in ITS export folder, and the
seat follows the progress and may cancel it. Only the chief who asked may follow or cancel
an export; an operator is refused and nothing is written."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.access import Role
from app.core.evidence import EvidenceCancelled
from app.core.export_config import ExportConfig
from app.core.recording import Segment
from app.services import room_auth
from app.services.evidence.keys import init_export_key
from app.services.evidence.request import (
    EXPORT_CANCELLED,
    EXPORT_DONE,
    EXPORTED,
    ExportRequest,
)
from app.services.evidence.verify import verify_package
from app.services.gate import Refused
from app.services.runtime import Runtime
from tests.room.room_rig import Room, quiet_site
from tests.servers.recorded import record

CAMERAS = ("cam-gare", "cam-parc")
RECIPIENT = "Parquet de Melun, OPJ Durand"
# a few minutes ago, on a whole minute (well within the retention)
T0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=10)
SECONDS = 40
MASK = [(0.0, 0.0), (0.5, 0.0), (0.5, 0.5), (0.0, 0.5)]  # a quarter of each picture


@dataclass
class Exporting:
    room: Room
    service: Runtime
    exports: Path  # the service's [export] folder


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> list[Segment]:
    """Two cameras' segments over SECONDS (made once: the slow part)."""
    return record(tmp_path_factory.mktemp("recorded"), CAMERAS, T0,
                  T0 + timedelta(seconds=SECONDS), segment_s=10)


@pytest.fixture
def exporting(room: Room, recordings: list[Segment], tmp_path: Path) -> Iterator[Exporting]:
    """The room's service with its export key and folder, the recordings in its journal."""
    exports = tmp_path / "exports"
    site = quiet_site().model_copy(update={"export": ExportConfig(
        folder=str(exports), certificate=str(tmp_path / "cert.pem"),
        key_file=str(tmp_path / "key.pem"), privacy_masks={c: [MASK] for c in CAMERAS})})
    init_export_key(site)
    service = room.start_service(site)
    service.journal.add_segments(recordings)
    yield Exporting(room, service, exports)


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
    result = chief.seat.export_evidence(asked(), lambda f, _s: fractions.append(f),
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
    assert fractions[-1] == 1.0
    rows = [r.action for r in exporting.service.journal.audit_rows()]
    (logged,) = [a for a in rows if a.action == EXPORTED]
    assert logged.actor == "chef"
    assert logged.workstation == chief.seat.me.workstation
    assert logged.recipients == (RECIPIENT,)
    assert logged.cameras == CAMERAS
    (done,) = [a for a in rows if a.action == EXPORT_DONE]
    assert result.folder.name in done.detail


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

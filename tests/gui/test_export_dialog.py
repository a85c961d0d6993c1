"""The Export dialog as a chief uses it (issue 13): nothing can start before a purpose and a
recipient are given, the progress bar runs while the runtime exports on its own thread, and
at the end the dialog says where the signed package is; a person who may not export reads
why, and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.access import Role, User
from app.core.evidence import MANIFEST, SIGNATURE
from app.core.site import Site
from app.services.evidence.keys import init_export_key
from app.services.runtime import Runtime
from tests.servers.recorded import record
from widgets.replay.export_dialog import ExportDialog

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
CHIEF = User("chef.durand", "Claire Durand", Role.CHIEF)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    site = Site.model_validate({
        "site": {"name": "Ville"}, "map": {"center": [48.54, 2.66]},
        "export": {"folder": str(tmp_path / "exports"),
                   "certificate": str(tmp_path / "cert.pem"),
                   "key_file": str(tmp_path / "key.pem")}})
    init_export_key(site)
    rt = Runtime(site, {}, tmp_path / "journal.sqlite")
    rt.journal.add_segments(record(tmp_path / "rec", ["cam-a", "cam-b"], T0,
                                   T0 + timedelta(seconds=12), segment_s=4))
    yield rt
    rt.stop()


def dialog(qtbot: QtBot, runtime: Runtime) -> ExportDialog:
    d = ExportDialog(runtime, [("cam-a", "Gare"), ("cam-b", "Parc")], [("pm11", "PM11")],
                     T0, T0 + timedelta(seconds=12), incident_id=3, incident_title="Rixe")
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def fill(d: ExportDialog) -> None:
    d.purposes.setCurrentIndex(1)
    QTest.keyClicks(d.recipient, "Parquet de Melun")


def test_a_chief_exports_and_reads_where_the_package_is(qtbot: QtBot, runtime: Runtime
                                                        ) -> None:
    runtime.sign_in_as_demo(CHIEF)
    d = dialog(qtbot, runtime)
    assert not d.export_button.isEnabled()
    assert not d.open_button.isVisible(), "no folder to open yet"
    assert d.step.text() == "Choose the purpose of the export."
    d.purposes.setCurrentIndex(1)
    assert d.step.text() == "Say for whom the export is made."
    assert not d.export_button.isEnabled()
    QTest.keyClicks(d.recipient, "Parquet de Melun")
    assert d.export_button.isEnabled()
    d.hold.setChecked(True)
    assert not d.export_button.isEnabled(), "a hold needs the requisition's reference"
    QTest.keyClicks(d.reference, "PV 2026/77")
    QTest.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
    assert d.bar.isVisible()
    assert not d.recipient.isEnabled(), "what is being exported cannot change under it"
    qtbot.waitUntil(lambda: d.outcome is not None or "failed" in d.step.text(),
                    timeout=120_000)
    assert d.outcome is not None, d.step.text()
    assert d.bar.value() == 1000
    assert str(d.outcome.folder) in d.step.text()
    assert d.open_button.isVisible()
    assert (d.outcome.folder / MANIFEST).is_file()
    assert (d.outcome.folder / SIGNATURE).is_file()
    assert d.cancel_button.text() == "Close"
    (hold,) = runtime.journal.holds()
    assert hold.reference == "PV 2026/77"


def test_an_operator_reads_why_not(qtbot: QtBot, runtime: Runtime, tmp_path: Path) -> None:
    runtime.sign_in_as_demo(User("op.martin", "Paul Martin", Role.OPERATOR))
    d = dialog(qtbot, runtime)
    fill(d)
    QTest.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.step.text().startswith("Refused"), timeout=30_000)
    assert "Nothing was exported" in d.step.text()
    assert not (tmp_path / "exports").exists() or not any((tmp_path / "exports").iterdir())


def test_a_seat_reads_that_the_package_is_in_the_service_s_folder(
        qtbot: QtBot, runtime: Runtime) -> None:
    runtime.sign_in_as_demo(CHIEF)
    d = ExportDialog(runtime, [("cam-a", "Gare")], [], T0, T0 + timedelta(seconds=12),
                     on_service=True)
    qtbot.addWidget(d)
    d.show()
    fill(d)
    QTest.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.outcome is not None or "failed" in d.step.text(),
                    timeout=120_000)
    assert d.outcome is not None, d.step.text()
    assert "by the console service, in its folder" in d.step.text()
    assert not d.open_button.isVisible(), "the service's folder is not this machine's"

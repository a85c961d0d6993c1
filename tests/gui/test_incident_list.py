"""Console > Replay… lists the saved incidents latest first, in the site's time; a chief
reopens one or asks for a new one; a refusal is said in the dialog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.access import Role, User
from app.core.incident import Incident
from app.core.site import Site
from app.services.runtime import Runtime
from widgets.replay.incident_list import Choice, IncidentList

SITE = Site.model_validate({"site": {"name": "Ville", "operator_timezone": "Europe/Paris"},
                            "map": {"center": [48.54, 2.66]}})
T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)  # 22:00 in Paris


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = Runtime(SITE, {}, tmp_path / "journal.sqlite")
    for n, title in enumerate(("Rixe gare", "Vol parking")):
        rt.journal.save_incident(Incident(title, T0 + timedelta(hours=n),
                                          T0 + timedelta(hours=n, minutes=5), ("cam-gare",),
                                          created_by="chef.durand"))
    yield rt
    rt.stop()


def test_latest_first_in_the_site_s_time_and_reopened(qtbot: QtBot, runtime: Runtime) -> None:
    runtime.sign_in_as_demo(User("chef", "Chef", Role.CHIEF))
    dialog = IncidentList(runtime, "Europe/Paris")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["Vol parking", "Rixe gare"]
    assert dialog.table.item(1, 1).text() == "30/11/2026 22:00:00"
    assert dialog.open_button.isEnabled()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is Choice.OPEN
    assert dialog.chosen is not None
    assert dialog.chosen.title == "Vol parking"


def test_a_refusal_is_said(qtbot: QtBot, runtime: Runtime) -> None:
    runtime.sign_in_as_demo(User("op", "Op", Role.OPERATOR))
    dialog = IncidentList(runtime, "Europe/Paris")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "cannot be read" in dialog.status.text(), timeout=10_000)
    assert "role 'operator'" in dialog.status.text()
    assert not dialog.open_button.isEnabled()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is Choice.NEW


def test_an_incident_is_exported_from_the_list(qtbot: QtBot, runtime: Runtime) -> None:
    runtime.sign_in_as_demo(User("chef", "Chef", Role.CHIEF))
    dialog = IncidentList(runtime, "Europe/Paris")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    dialog.table.selectRow(1)
    assert dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is Choice.EXPORT
    assert dialog.chosen is not None
    assert dialog.chosen.title == "Rixe gare"

"""The adapters status panel fed through the real hub and bridge: one row per adapter,
state in words and colour, what is wrong, last message in local time, counters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from app.core.events import AdapterStatus
from app.core.hub import Hub
from app.ui.adapter_model import ADAPTER, DETAIL, EVENTS, LAST, MESSAGES, REJECTED, STATE
from app.ui.bridge import HubBridge
from app.ui.world import World
from widgets.adapter_panel import AdapterPanel


def cell(panel: AdapterPanel, row: int, col: int, role: int = Qt.ItemDataRole.DisplayRole
         ) -> object:
    return panel.model.data(panel.model.index(row, col), role)


def test_panel_lists_adapters_with_state_detail_time_and_counters(
        qtbot: QtBot, request: pytest.FixtureRequest) -> None:
    hub, world = Hub(), World()
    bridge = HubBridge(hub, world, interval_ms=10)
    hub.post(AdapterStatus("dc09", "running", "listening on 0.0.0.0:12128"))
    bridge.drain()  # statuses that arrived before the panel exists are shown too
    panel = AdapterPanel(bridge)
    qtbot.addWidget(panel)
    bridge.start()
    request.addfinalizer(bridge.stop)  # stopped even when an assertion below fails
    last = datetime(2026, 11, 21, 20, 15, 7, tzinfo=UTC)
    hub.post(AdapterStatus("xprotect", "retrying",
                           "XProtect refused the user name or password — retry in 4 s"))
    hub.post(AdapterStatus("dc09", "running", "listening on 0.0.0.0:12128, 2 panel(s)",
                           messages=45, events=41, rejected=3, last_message=last))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2 and cell(panel, 0, EVENTS) == "41",
                    timeout=5000)
    assert [cell(panel, 0, c) for c in (ADAPTER, STATE, DETAIL, MESSAGES, EVENTS, REJECTED)
            ] == ["dc09", "running", "listening on 0.0.0.0:12128, 2 panel(s)", "45", "41", "3"]
    assert cell(panel, 0, LAST) == last.astimezone().strftime("%d/%m/%Y %H:%M:%S") or \
        cell(panel, 0, LAST) == last.astimezone().strftime("%H:%M:%S")
    assert cell(panel, 1, STATE) == "retrying"
    assert cell(panel, 1, LAST) == "never"
    assert cell(panel, 1, DETAIL).startswith("XProtect refused")  # type: ignore[union-attr]
    assert cell(panel, 0, STATE, Qt.ItemDataRole.ForegroundRole) == QColor("#43a047")
    assert cell(panel, 1, STATE, Qt.ItemDataRole.ForegroundRole) == QColor("#fb8c00")
    assert cell(panel, 0, REJECTED, Qt.ItemDataRole.ForegroundRole) == QColor("#fb8c00")
    assert panel.model.headerData(LAST, Qt.Orientation.Horizontal) == "Last message"
    panel.resize(900, 160)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.table.horizontalHeader().sectionSize(DETAIL) > 200

"""French and English UI: every string of the code is translated, the compiled catalogue is
current, and switching the language is live."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.alarm_words import EVENTS, UNIT_KINDS
from app.core.model import AlarmType
from app.core.site import Site
from app.ui.alarm_model import AlarmTableModel
from app.ui.i18n import apply_language
from app.ui.labels import EVENT_SOURCES, UNIT_SOURCES, alarm_type_label
from app.ui.world import World
from tests.conftest import REPO
from widgets.alarms import AlarmDesk

TS = REPO / "resources" / "translations" / "csu_fr.ts"
QM = REPO / "resources" / "translations" / "csu_fr.qm"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    out = subprocess.run(["git", "ls-files", "app/*.py", "widgets/*.py", "maps/*.py"],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout
    return out.split()


def test_every_ui_string_has_a_french_translation(tmp_path: Path) -> None:
    ts = tmp_path / "csu_fr.ts"
    shutil.copy(TS, ts)
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources(), "-ts", str(ts),
                    "-source-language", "en", "-target-language", "fr"],
                   cwd=REPO, capture_output=True, check=True)
    untranslated = [
        f"{ctx.findtext('name')}: {m.findtext('source')!r}"
        for ctx in ET.parse(ts).getroot()
        for m in ctx.findall("message")
        if (m.find("translation").get("type") or "") == "unfinished"  # type: ignore[union-attr]
    ]
    assert not untranslated, "run packaging/tools/update_translations.sh and translate:\n" \
        + "\n".join(untranslated)


def test_the_compiled_catalogue_is_current(tmp_path: Path) -> None:
    qm = tmp_path / "csu_fr.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(qm)],
                   capture_output=True, check=True)
    assert qm.read_bytes() == QM.read_bytes(), "run packaging/tools/update_translations.sh"


def test_switching_language_is_live(qtbot: QtBot) -> None:
    site = Site.model_validate({"site": {"name": "T"}, "map": {"center": [48.8, 2.3]}})
    model = AlarmTableModel(site, World())
    desk = AlarmDesk(model, None, site, World(), sound=False)
    qtbot.addWidget(desk)
    try:
        apply_language("fr", remember=False)
        assert alarm_type_label(AlarmType.WEAPON_DRAWN) == "Arme sortie"
        assert model.headerData(3, Qt.Orientation.Horizontal) == "Alarme"
        qtbot.waitUntil(lambda: desk.menu.title() == "&Alarmes", timeout=2000)
        apply_language("en", remember=False)
        assert alarm_type_label(AlarmType.WEAPON_DRAWN) == "Weapon drawn"
        qtbot.waitUntil(lambda: desk.menu.title() == "&Alarms", timeout=2000)
    finally:
        apply_language("en", remember=False)


def test_every_alarm_event_is_offered_for_translation() -> None:
    """Adapters name events by key (app.core.alarm_words); the UI translates their English
    words, which lupdate finds only in labels.EVENT_SOURCES."""
    assert sorted(map(str, EVENT_SOURCES)) == sorted(EVENTS.values())
    assert sorted(map(str, UNIT_SOURCES)) == sorted(UNIT_KINDS.values())

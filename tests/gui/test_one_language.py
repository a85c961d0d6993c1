"""One language at a time: the whole console on the demo site (its adapter running: officers,
cameras, its own alarms) plus an alarm for every event the console has words for, switched
live English → French → English from the Language menu. After each switch, and with each
alarm type's detail (title, procedure) shown, every string the window shows is read from
the widget tree (labels, buttons, line edits, combo items, group and tab titles, dock
titles, menus, every row and header of the item views) and must hold no giveaway of the
other language. Names are the site's and the devices' (cameras, zones, officers, places,
plates): they are taken out before the check."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTabBar,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.core.alarm_words import EVENTS
from app.core.events import AlarmReported
from app.core.model import AlarmFacts, AlarmType, LatLon, utc_now
from app.core.site import Site
from app.services.runtime import Runtime
from tests.gui.conftest import demo_window
from widgets.alarms.dialogs import AssignDialog, CloseDialog, NoteDialog
from widgets.bodycam_reason import BodyCamReasonDialog
from widgets.main_window import MainWindow

pytestmark = pytest.mark.video

# What gives a language away. Accented letters (× is not one), French words and a colon
# after a space in English; English words and a colon glued to its word in French.
ACCENTS = re.compile(r"[À-ÖØ-öø-ÿŒœ]")
FRENCH = re.compile(
    r"\b(Caméras?|Arme|Priorités?|Alarmes?|Agents?|Nouvelles?|Affect\w*|Clôtur\w*|Prise en"
    r" compte|Signalement|Détonation|LAPI|Analyse|Toutes|Rechercher|Entrée|Retour|Lecture"
    r"|Procédure|Historique|Levée|Attente|Son actif|Son coupé|Patrouille|Mur|Affichage"
    r"|Langue|en marche|Carte|Aucune?|Suggéré|Suivi|le|la|les|des|du|une|et|à)\b"
    r"|\w [:;!?](\s|$)")
ENGLISH = re.compile(
    r"\b(Cameras?|Body|Weapon|Priority|Priorities|Alarms?|Acknowledge\w*|Assign\w*|Close\w*"
    r"|Search|Find|Enter|Return|running|Officers?|Gunshot|Video analytics|Citizen|LPR"
    r"|Sound on|Sound off|unknown|never|Playing|Procedure|History|Raised|Waiting|Wall"
    r"|View|Language|Map|Intrusion detected|Burglary|Tamper|Motion|Connected|New|All"
    r"|State|Outcome|Suggested|Following|the|and|with|from|of)\b|\w[:;!?](\s|$)")
SAME_IN_BOTH = {"Source", "Position", "Intrusion", "Note", "Distance", "Messages", "Journal",
                "Prio.", "Détails", "Details",
                "Français", "English"}  # the Language menu names each language in itself


KINDS = (("weapon", AlarmType.WEAPON_DRAWN), ("bodycam_emergency", AlarmType.BODYCAM_EMERGENCY),
         ("gunshot", AlarmType.GUNSHOT), ("intrusion", AlarmType.INTRUSION),
         ("panel_burglary", AlarmType.INTRUSION), ("lpr", AlarmType.LPR_HIT),
         ("analytics", AlarmType.VIDEO_ANALYTICS), ("object", AlarmType.VIDEO_ANALYTICS),
         ("citizen", AlarmType.CITIZEN_REPORT))


ARROW_AND_FRAME_PX = 24  # what a combo box keeps beside its text (Fusion: arrow, frame)


def make_reports(site: Site) -> list[AlarmReported]:
    """One alarm for every event of app.core.alarm_words, as adapters send them: data, with
    names from the site (a camera, a zone) and a device's own words."""
    out = []
    centre = LatLon(*site.map.center)
    for n, event in enumerate(EVENTS):
        facts = AlarmFacts(event, place=f"Site-{n}", officer="PM 11" if n % 3 == 0 else "",
                           plate="AB-123-CD" if "lpr" in event else "",
                           zone="Z-9" if event.startswith("panel_") else "")
        kind = next((t for prefix, t in KINDS if event.startswith(prefix)), AlarmType.OTHER)
        out.append(AlarmReported("lang-test", f"ev-{n}", kind, 1 + n % 4, "", utc_now(),
                                 centre, facts=facts))
    return out


def columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    """A model's column count (a list model hides columnCount from Python)."""
    try:
        return model.columnCount(parent)
    except TypeError:
        return 1


def texts_of(window: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything the window shows: its visible widgets, its menus (their
    actions' texts), every row and header of its item views."""
    out: list[tuple[str, str]] = []

    def add(where: QWidget | str, text: str) -> None:
        if "<" in text:  # rich text: what it reads as
            text = QTextDocumentFragment.fromHtml(text).toPlainText()
        text = text.replace("&&", "&").replace("&", "").replace("\u00a0", " ").strip()
        if text:
            name = where if isinstance(where, str) else (
                where.objectName() or type(where).__name__)
            out.append((name, text))

    def menu(m: QMenu, path: str) -> None:
        add(path, m.title())
        for act in m.actions():
            add(f"{path} > action", act.text())
            add(f"{path} > tip", act.toolTip())
            if act.menu() is not None:
                menu(act.menu(), f"{path} > {act.text()}")  # type: ignore[arg-type]

    def model_rows(view: QWidget, model: QAbstractItemModel, parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            for col in range(columns(model, parent)):
                index = model.index(row, col, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if isinstance(value, str):
                        add(view, value)
            first = model.index(row, 0, parent)
            if isinstance(view, QTreeView) and model.rowCount(first):  # tables: flat
                model_rows(view, model, first)

    if isinstance(window, QMainWindow):
        for act in window.menuBar().actions():
            if act.menu() is not None:
                menu(act.menu(), "menu")  # type: ignore[arg-type]
    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window):
            continue
        add(w, w.toolTip())
        if isinstance(w, QDockWidget):
            add(w, w.windowTitle())
        elif isinstance(w, (QLabel, QAbstractButton)):
            add(w, w.text())
        elif isinstance(w, QLineEdit):
            add(w, w.placeholderText())
            add(w, w.text())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, w.itemText(i))
        elif isinstance(w, QGroupBox):
            add(w, w.title())
        elif isinstance(w, (QTabBar, QTabWidget)):
            for i in range(w.count()):
                add(w, w.tabText(i))
        elif (isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView)
              and w.model() is not None):  # a header: read with its view
            model = w.model()
            header = (w.header() if isinstance(w, QTreeView)
                      else w.horizontalHeader() if isinstance(w, QTableView) else None)
            if header is not None and header.isVisibleTo(window):
                for section in range(columns(model, QModelIndex())):
                    head = model.headerData(section, Qt.Orientation.Horizontal,
                                            Qt.ItemDataRole.DisplayRole)
                    if isinstance(head, str):
                        add(w, head)
            model_rows(w, model, QModelIndex())
    return out


def names_of(window: MainWindow, site: Site, reports: list[AlarmReported]) -> list[str]:
    """Words that are names, shown as written whatever the language: the site's and the
    devices' (longest first, so that a name inside another goes with it)."""
    world = window.bridge.world
    names = {site.site.name, *(c.name for c in world.cameras.values()),
             *(c.zone for c in world.cameras.values()),
             *(o.callsign for o in world.officers.values()),
             *(layout.name for layout in site.layouts), *(t.name for t in site.map.tiles),
             *(a.name for a in site.adapters)}
    session = window.runtime.session
    if session is not None:  # the person signed in, named in the status bar
        names.add(session.user.name)
    for a in window.alarms.model.alarms():
        if a.facts is not None:
            f = a.facts
            names |= {f.place, f.officer, f.plate, f.zone, f.text}
    if site.map.sectors_geojson:  # patrol sectors and geofences, named on the map
        sectors = json.loads(site.resolve(site.map.sectors_geojson).read_text("utf-8"))
        names |= {str(f["properties"].get("name", "")) for f in sectors["features"]}
    for r in reports:
        assert r.facts is not None
        names |= {r.facts.place, r.facts.zone}
    return sorted((n for n in names if n), key=len, reverse=True)


def giveaways_in(text: str, lang: str, names: list[str]) -> str:
    """What in `text` belongs to the other language ("" when nothing does)."""
    if text in SAME_IN_BOTH:
        return ""
    bare = text
    for name in names:  # a word in no list: "demo: en marche" still shows its colon
        bare = bare.replace(name, "X")
    wrong = FRENCH if lang == "en" else ENGLISH
    hit = wrong.search(bare) or (ACCENTS.search(bare) if lang == "en" else None)
    return hit.group(0) if hit else ""


def giveaways(window: QWidget, lang: str, names: list[str]) -> list[str]:
    return [f"{where}: {text!r} ({hit!r})" for where, text in texts_of(window)
            if (hit := giveaways_in(text, lang, names))]


def map_texts(qtbot: QtBot, window: MainWindow) -> list[str]:
    """The lines of text the map page shows (labels, controls, attribution)."""
    qtbot.waitUntil(lambda: window.map_view.is_ready, timeout=30_000)
    box: list[object] = []
    window.map_view.run_js_for_test("document.body.innerText", box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    lines = [line.strip() for line in str(box[0]).splitlines() if line.strip()]
    box.clear()  # and the alarms' tooltips (drawn on a canvas: not in the page's text)
    window.map_view.run_js_for_test(
        "JSON.stringify(Array.from(CSU.alarms.values()).map("
        "a => a.marker.getTooltip() ? a.marker.getTooltip().getContent() : ''))", box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return lines + [html.unescape(t) for t in json.loads(str(box[0]))]


@pytest.fixture
def console(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, Runtime, Site]]:
    with demo_window(tmp_path / "journal.sqlite") as window:
        qtbot.waitExposed(window)
        yield window, window.runtime, window.site


def test_every_visible_string_is_in_the_language_chosen(
        qtbot: QtBot, console: tuple[MainWindow, Runtime, Site]) -> None:
    window, runtime, site = console
    window.lang_actions["en"].trigger()
    reports = make_reports(site)
    for r in reports:
        runtime.hub.post(r)
    model = window.alarms.model
    # the demo's own: officers, body cams (their group), its first alarms
    qtbot.waitUntil(lambda: len(window.bridge.world.officers) == 6, timeout=30_000)
    qtbot.waitUntil(lambda: any(c.officer_id for c in window.bridge.world.cameras.values()),
                    timeout=30_000)
    qtbot.waitUntil(lambda: len(model.alarms()) >= len(reports) + 3, timeout=60_000)
    by_type: dict[AlarmType, str] = {}
    for a in model.alarms():
        if a.source != "lang-test" or a.type not in by_type:
            by_type[a.type] = a.id  # the demo's own first, where it sent one

    # a procedure step ticked (journaled as a note): the history shows it in each language
    detail = window.alarms.detail
    window.alarms.select_alarm(by_type[AlarmType.WEAPON_DRAWN])
    qtbot.waitUntil(lambda: bool(detail.steps()), timeout=5000)
    detail.tick(detail.steps()[0].key, True)
    qtbot.waitUntil(lambda: detail.alarm is not None and any(
        step.action == "note" for step in detail.alarm.history), timeout=10_000)

    for lang in ("en", "fr", "en"):
        window.lang_actions[lang].trigger()
        title = {"en": "&Language", "fr": "&Langue"}[lang]
        qtbot.waitUntil(lambda t=title: window.lang_menu.title() == t, timeout=5000)
        QApplication.processEvents()  # every widget's LanguageChange, posted at once
        names = names_of(window, site, reports)
        problems: list[str] = []
        for alarm_id in by_type.values():  # each type's title and procedure in the detail
            window.alarms.select_alarm(alarm_id)
            qtbot.waitUntil(lambda i=alarm_id: window.alarms.detail.alarm is not None
                            and window.alarms.detail.alarm.id == i, timeout=5000)
            tabs = window.alarms.detail.tabs  # officers, history, details: each in front
            for tab in range(tabs.count()):
                tabs.setCurrentIndex(tab)
                problems += giveaways(window, lang, names)
        problems += cut_or_misnamed(window)
        problems += [f"map: {t!r}" for t in map_texts(qtbot, window)
                     if giveaways_in(t, lang, names)]
        # the docks tabbed behind others: each in front in turn
        for dock in (window.adapter_dock, window.alarm_dock):
            dock.raise_()
            qtbot.waitUntil(lambda d=dock: d.widget().isVisibleTo(window), timeout=5000)
            problems += giveaways(window, lang, names)
        # the alarm's dialogs (the officers' units in the assign dialog's list)
        weapon = model.alarm(by_type[AlarmType.WEAPON_DRAWN])
        assert weapon is not None
        camera = window.bridge.world.cameras[weapon.camera_ids[0]]
        for dialog in (AssignDialog(weapon, window.bridge.world, window),
                       CloseDialog(weapon, window), NoteDialog(weapon, window),
                       BodyCamReasonDialog(camera, "PM 11", window)):
            dialog.show()
            qtbot.waitExposed(dialog)
            problems += [f"{type(dialog).__name__}: {p}"
                         for p in giveaways(dialog, lang, names)]
            dialog.reject()
            dialog.deleteLater()
        assert not sorted(set(problems)), f"{lang} UI shows the other language:\n" + "\n".join(
            sorted(set(problems)))


def cut_or_misnamed(window: MainWindow) -> list[str]:
    """A combo too narrow for its texts in this language ("Toutes priori"), a button naming
    its key otherwise than the menus do ("(Entrée)" beside a menu's "Retour")."""
    out = []
    for combo in window.findChildren(QComboBox):
        if combo.isVisibleTo(window):
            room = combo.width() - ARROW_AND_FRAME_PX
            out += [f"{combo.objectName()}: {combo.itemText(i)!r} cut to {room} px"
                    for i in range(combo.count())
                    if combo.fontMetrics().horizontalAdvance(combo.itemText(i)) > room]
    queue = window.alarms.queue
    for act in queue.command_actions():
        key = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if f"({key})" not in act.iconText():
            out.append(f"button {act.iconText()!r}: the menus call its key {key!r}")
    return out

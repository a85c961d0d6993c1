"""An export's documents read back as an investigator's tools read them: the tracks (GPX 1.1
parsed with ElementTree, GeoJSON in RFC 7946's lon/lat order), the alarms and actions (CSV
through the csv module as a French Excel would split it, JSON with UTC times)."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import gpxpy
import pytest

from app.core.evidence import parse_utc
from app.core.journal_url import parse_journal_url
from app.core.model import Alarm, AlarmState, AlarmStep, AlarmType
from app.services.evidence.journal_files import write_journal_files
from app.services.evidence.tracks import GPX_NS, NO_POSITION, write_tracks
from app.services.replay_history import ReplayHistory
from app.store.opening import open_store
from tests.unit.evidence_history import (
    ACCENTED,
    END,
    KNOWN,
    OFFICERS,
    START,
    demo_site,
    load_history,
    pm11,
    pm12,
    s,
)

NS = {"g": GPX_NS}


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("evidence")
    history = load_history(tmp)
    site = demo_site()
    out = tmp / "package"
    written = write_tracks(history, OFFICERS, site, out / "tracks", known_callsigns=KNOWN)
    written += write_journal_files(history, START, END, out / "journal", site)
    assert [p.name for p in written] == ["tracks.gpx", "tracks.geojson", "alarms.csv",
                                         "alarms.json", "actions.csv", "actions.json"]
    return out


def test_gpx_holds_each_officers_fixes_of_the_range_with_utc_times(docs: Path) -> None:
    root = ET.parse(docs / "tracks" / "tracks.gpx").getroot()
    assert root.tag == f"{{{GPX_NS}}}gpx"
    assert root.get("version") == "1.1"
    assert root.get("creator")
    # the schema's order: metadata first, then the tracks
    assert [c.tag.split("}")[1] for c in root] == ["metadata", "trk", "trk", "trk"]
    trks = root.findall("g:trk", NS)
    assert [t.findtext("g:name", namespaces=NS) for t in trks] == [
        f"{ACCENTED} (pm11)", "Bravo 2 (pm12)", "Charlie (pm13)"]
    pts = trks[0].findall("g:trkseg/g:trkpt", NS)
    assert len(pts) == 61  # the fix before the range (look-back) is not in the track
    assert [(float(p.get("lat", "")), float(p.get("lon", ""))) for p in pts[:3]] == [
        (pytest.approx(pm11(i).lat), pytest.approx(pm11(i).lon)) for i in range(3)]
    times = [p.findtext("g:time", namespaces=NS) or "" for p in pts]
    assert all(t.endswith("Z") for t in times)
    assert [parse_utc(t) for t in times] == [s(10 * i) for i in range(61)]
    assert len(pts[0]) == 1  # no elevation: the time alone
    assert pts[0][0].tag == f"{{{GPX_NS}}}time"
    assert len(trks[1].findall("g:trkseg/g:trkpt", NS)) == 41  # the one after: not either
    # an officer with no fix in the range is listed, and said to have none
    assert trks[2].find("g:trkseg", NS) is None
    assert trks[2].findtext("g:desc", namespaces=NS) == NO_POSITION
    assert "Charlie (pm13)" in (root.findtext("g:metadata/g:desc", namespaces=NS) or "")


def test_a_gps_library_written_by_others_reads_the_same_tracks(docs: Path) -> None:
    """gpxpy (what GPS tools in Python use) reads the file as GPX 1.1 with the same points."""
    with (docs / "tracks" / "tracks.gpx").open(encoding="utf-8") as f:
        gpx = gpxpy.parse(f)
    assert gpx.version == "1.1"
    assert [t.name for t in gpx.tracks] == [f"{ACCENTED} (pm11)", "Bravo 2 (pm12)",
                                            "Charlie (pm13)"]
    pts = [p for seg in gpx.tracks[1].segments for p in seg.points]
    assert [(p.latitude, p.longitude, p.time) for p in pts[:2]] == [
        (pytest.approx(pm12(i).lat), pytest.approx(pm12(i).lon), s(15 * i)) for i in range(2)]
    assert all(p.elevation is None for p in pts)
    assert gpx.tracks[2].segments == []


def test_geojson_lines_are_lon_lat_with_their_times(docs: Path) -> None:
    fc = json.loads((docs / "tracks" / "tracks.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    by = {f["properties"]["officer"]: f for f in fc["features"]}
    assert list(by) == OFFICERS
    line = by["pm12"]["geometry"]
    assert line["type"] == "LineString"
    # RFC 7946: [longitude, latitude]; the demo town is at 24.9 E, 60.2 N
    assert line["coordinates"][5] == [pytest.approx(pm12(5).lon), pytest.approx(pm12(5).lat)]
    props = by["pm12"]["properties"]
    assert props["callsign"] == "Bravo 2"
    assert len(props["times"]) == len(line["coordinates"]) == 41
    assert parse_utc(props["times"][5]) == s(75)
    assert (parse_utc(props["start"]), parse_utc(props["end"])) == (s(0), s(600))
    assert by["pm11"]["properties"]["callsign"] == ACCENTED
    assert by["pm13"]["geometry"] is None
    assert by["pm13"]["properties"]["note"] == NO_POSITION


def test_alarms_csv_and_json_hold_the_alarms_of_the_range(docs: Path) -> None:
    raw = (docs / "journal" / "alarms.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 then
    with (docs / "journal" / "alarms.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    # open at some instant of the range: 5 (closed inside it) and 7; not 3 (closed long
    # before) nor 9 (raised after)
    assert [r["alarm"] for r in rows] == ["5", "7"]
    seven = rows[1]
    assert seven["title"] == "Arme dégainée"
    assert seven["place"] == "Esplanadi"
    assert seven["state"] == "closed"
    assert seven["outcome"] == "handled"
    assert parse_utc(seven["raised_utc"]) == s(60)
    assert parse_utc(seven["acknowledged_utc"]) == s(70)
    assert parse_utc(seven["closed_utc"]) == s(300)
    assert seven["assigned_to"] == "pm12"
    assert seven["acted_by"] == "op.martin, chef.dupré"
    data = json.loads((docs / "journal" / "alarms.json").read_text(encoding="utf-8"))
    assert parse_utc(data["range"]["start"]) == START
    j7 = data["alarms"][1]
    assert j7["acted_by"] == ["op.martin", "chef.dupré"]
    assert [st["action"] for st in j7["steps"]] == [
        "raised", "acknowledged", "assigned", "note", "closed"]
    assert all(st["time_utc"].endswith("Z") for st in j7["steps"])


def test_actions_csv_and_json_hold_who_did_what_when(docs: Path) -> None:
    with (docs / "journal" / "actions.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert [(r["who"], r["action"], r["alarm"]) for r in rows] == [
        ("op.martin", "acknowledged", "5"), ("op.martin", "closed", "5"),
        ("op.martin", "acknowledged", "7"),
        ("op.martin", "assigned", "7"), ("op.martin", "note", "7"),
        ("chef.dupré", "snapshot", ""), ("chef.dupré", "closed", "7")]
    assert parse_utc(rows[0]["time_utc"]) == s(20)
    # a note typed as a formula stays text in a spreadsheet
    assert rows[4]["detail"] == "'=HYPERLINK(\"x\")"
    assert rows[6]["detail"] == "handled: interpellé"
    data = json.loads((docs / "journal" / "actions.json").read_text(encoding="utf-8"))
    assert data["actions"][4]["detail"] == "=HYPERLINK(\"x\")"  # the JSON keeps it as typed
    assert all(a["time_utc"].endswith("Z") for a in data["actions"])


def test_an_alarm_left_open_for_hours_is_in_the_alarms_of_the_range(tmp_path: Path) -> None:
    journal, _ = open_store(parse_journal_url(str(tmp_path / "j.sqlite")), None, create=True)
    try:
        journal.save_alarm(Alarm("11", "panel", "p-1", AlarmType.INTRUSION, 2,
                                 "Intrusion école", s(-7200), history=(
                                     AlarmStep(s(-7200), "panel", "raised", AlarmState.NEW),)))
        history = ReplayHistory.load(journal, START, END)
    finally:
        journal.close()
    write_journal_files(history, START, END, tmp_path, demo_site())
    with (tmp_path / "alarms.csv").open(encoding="utf-8-sig", newline="") as f:
        assert [r["alarm"] for r in csv.DictReader(f, delimiter=";")] == ["11"]

"""The export's human-readable documents, read back: the map image's pixels (the officers'
colours along their tracks, the demo town's tiles under them) and the PDF report's text as
pypdf extracts it (every digest, the purpose, the recipient, the commands, the accents)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from app.core.evidence import (
    ALARMS,
    MAP,
    MASTER,
    TRACKS,
    WORKING_COPY,
    CameraPart,
    Manifest,
    PackageFile,
    utc_text,
)
from app.services.evidence import verify_commands as cmd
from app.services.evidence.map_image import ALARM, officer_colours, write_map_image
from app.services.evidence.report import write_report
from tests.unit.evidence_history import (
    ACCENTED,
    END,
    KNOWN,
    OFFICERS,
    START,
    demo_site,
    load_history,
    s,
)

SIZE = (1600, 1200)


# -- the map image ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Image.Image]:
    tmp = tmp_path_factory.mktemp("map")
    history = load_history(tmp)
    site = demo_site()
    plain = site.model_copy(update={"map": site.map.model_copy(update={"tiles": []})})
    out = {}
    for name, which in (("tiles", site), ("plain", plain)):
        path = write_map_image(history, OFFICERS, which, START, END, tmp / f"{name}.png",
                               SIZE, known_callsigns=KNOWN)
        with Image.open(path) as img:
            out[name] = img.convert("RGB")
    return out


def _extent(img: Image.Image, colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """(pixel count, width, height) of `colour` on the map, the legend's corner left out."""
    a = np.asarray(img)[80:img.height - 420]  # below the header, above the legend
    ys, xs = np.nonzero(np.all(a == np.array(colour, np.uint8), axis=2))
    if not len(xs):
        return 0, 0, 0
    return len(xs), int(xs.max() - xs.min()), int(ys.max() - ys.min())


@pytest.mark.parametrize("name", ["tiles", "plain"])
def test_each_officer_is_drawn_along_their_track_in_their_colour(
        maps: dict[str, Image.Image], name: str) -> None:
    img = maps[name]
    assert img.size == SIZE
    colours = officer_colours(OFFICERS)
    assert len(set(colours.values())) == len(OFFICERS)
    # pm11 walked ~670 m east, pm12 ~450 m north (tests/unit/evidence_history.py)
    n11, w11, h11 = _extent(img, colours["pm11"])
    n12, w12, h12 = _extent(img, colours["pm12"])
    assert (n11 > 300, w11 > 450, h11 < 30) == (True, True, True), (n11, w11, h11)
    assert (n12 > 150, h12 > 300, w12 < 30) == (True, True, True), (n12, w12, h12)
    # pm13 has no fix in the range: no track of theirs (their colour only in the legend)
    assert _extent(img, colours["pm13"])[0] == 0
    # alarms 5 and 7 were raised at one place, near pm11's start: one mark for both
    n, w, h = _extent(img, ALARM)
    assert (n > 20, w < 30, h < 30) == (True, True, True), (n, w, h)


def test_the_demo_towns_tiles_are_under_the_tracks(maps: dict[str, Image.Image]) -> None:
    building = (217, 210, 201)  # maps/mbtiles.py's building colour (BGR 201, 210, 217)
    tiled = maps["tiles"].getcolors(SIZE[0] * SIZE[1]) or []
    plain = maps["plain"].getcolors(SIZE[0] * SIZE[1]) or []
    share = {c: n / (SIZE[0] * SIZE[1]) for n, c in tiled}
    assert share.get(building, 0) > 0.05, "no buildings: the tiles are not drawn"
    assert building not in {c for _, c in plain}
    assert len(tiled) > 10 * len(plain)  # streets, buildings, antialiasing vs a flat grid


# -- the report ------------------------------------------------------------------------------
PURPOSE = "Réquisition judiciaire n° 2026/118 : vol à l'arraché, rue de l'Église"
RECIPIENT = "Parquet de Créteil — substitute Bérénice Noël"
FINGERPRINT = hashlib.sha256(b"the export certificate").hexdigest()


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def manifest() -> Manifest:
    def video(cam: str, role: str, suffix: str = "") -> PackageFile:
        path = f"video/{cam}_20261130T210000Z{suffix}.mp4"
        return PackageFile(path, _digest(path), 12_345_678, role, cam, utc_text(s(0)),
                           utc_text(s(600)))

    files = (
        video("cam-01", MASTER), video("cam-01", WORKING_COPY, "_masked-working-copy"),
        video("cam-02", MASTER),
        *(PackageFile(p, _digest(p), 2_048, role) for p, role in (
            ("tracks/tracks.gpx", TRACKS), ("tracks/tracks.geojson", TRACKS),
            ("tracks/map.png", MAP), ("journal/alarms.csv", ALARMS))))
    gaps = ({"start": utc_text(s(120)), "end": utc_text(s(150)),
             "reason": "camera_unreachable", "detail": "RTSP timeout"},)
    return Manifest(
        site="Démo — Centre de Supervision Urbaine", software_version="0.1.0",
        exported_by={"user": "chef.dupre", "name": "Hélène Dupré", "role": "chief"},
        exported_at=utc_text(END + (END - START)), purpose=PURPOSE, recipient=RECIPIENT,
        range_start=utc_text(START), range_end=utc_text(END),
        cameras=(CameraPart("cam-01", "Place de l'Hôtel-de-Ville", "fixed", gaps),
                 CameraPart("cam-02", "Rue Pietonne", "fixed"),
                 CameraPart("bc-pm11", "Caméra-piéton pm11", "body",
                            note="non enregistrée par ce site")),
        officers=tuple(OFFICERS), files=files, incident={"id": "42", "title": "Vol à l'arraché"},
        hold=3)


def pdf_text(path: Path) -> tuple[list[str], str]:
    """Each page's text, and all of it with whitespace and shell line continuations joined
    (a command cut between its arguments reads back as the one line it is)."""
    pages = [p.extract_text() for p in PdfReader(path, strict=True).pages]
    flat = " ".join(" ".join(pages).split()).replace(" \\ ", " ")
    return pages, flat


@pytest.fixture(scope="module")
def report_fr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.pdf"
    return write_report(manifest(), out, demo_site(), language="fr",
                        certificate_fingerprint=FINGERPRINT, timestamped=True,
                        known_callsigns=KNOWN)


def test_the_report_holds_every_digest_whole(report_fr: Path) -> None:
    pages, flat = pdf_text(report_fr)
    for f in manifest().files:
        assert f.path in flat
        # never cut: the 64 hex digits stand on one line of one page
        assert any(f.sha256 in line for page in pages for line in page.splitlines()), f.path
    colons = ":".join(re.findall("..", FINGERPRINT.upper()))
    assert colons in flat


def test_the_report_says_who_why_for_whom_what_and_when(report_fr: Path) -> None:
    _, flat = pdf_text(report_fr)
    for text in (PURPOSE, RECIPIENT, "Hélène Dupré", "chef.dupre", "chef de salle",
                 "Place de l'Hôtel-de-Ville (cam-01)", "Caméra-piéton pm11",
                 "non enregistrée par ce site", "Vol à l'arraché (n° 42)",
                 f"{ACCENTED} (pm11)", "Bravo 2 (pm12)", "Charlie (pm13)",
                 # the range in the site's time (Paris, UTC+1 in November) and in UTC
                 "30/11/2026 22:00:00 (UTC+01:00) = 21:00:00 UTC",
                 "30/11/2026 22:10:00 (UTC+01:00) = 21:10:00 UTC",
                 # the gap, its reason in words
                 "22:02:00 (UTC+01:00) = 21:02:00 UTC → 30/11/2026 22:02:30 (UTC+01:00)",
                 "caméra injoignable", "RTSP timeout",
                 "video/cam-01_20261130T210000Z_masked-working-copy.mp4", "Gel judiciaire"):
        assert text in flat, text


def test_the_report_gives_the_commands_that_verify_without_us(report_fr: Path) -> None:
    _, flat = pdf_text(report_fr)
    for command in (cmd.SHA256SUM, cmd.POWERSHELL, cmd.CMS_VERIFY, cmd.FINGERPRINT,
                    cmd.TS_VERIFY, cmd.CONSOLE_VERIFY):
        assert command in flat, command
    assert "Get-FileHash -Algorithm SHA256" in flat


def test_every_page_names_the_site_and_its_number(report_fr: Path) -> None:
    pages, _ = pdf_text(report_fr)
    assert len(pages) >= 2
    for n, page in enumerate(pages, 1):
        assert "Démo — Centre de Supervision Urbaine" in page
        assert f"page {n} / {len(pages)}" in page


def test_the_english_report_and_one_without_a_timestamp(tmp_path: Path) -> None:
    out = write_report(manifest(), tmp_path / "report.pdf", demo_site(), language="en",
                       certificate_fingerprint=FINGERPRINT, timestamped=False)
    _, flat = pdf_text(out)
    for text in ("Evidence export report", "How to verify", "camera unreachable",
                 "2026-11-30 22:00:00 (UTC+01:00) = 21:00:00 UTC", "shift chief",
                 "no third-party timestamp", cmd.CMS_VERIFY, PURPOSE, RECIPIENT,
                 "pm12"):  # no callsign known for pm12 here: its id stands
        assert text in flat, text
    assert "openssl ts -verify" not in flat
    # the DejaVu fonts are embedded: accents print on a reader without them
    fonts = {str(f.get_object()["/BaseFont"]) for p in PdfReader(out).pages
             for f in p["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in f and "Mono" not in f for f in fonts), fonts
    assert any("DejaVuSansMono" in f for f in fonts), fonts


def test_a_map_where_nobody_has_a_fix_still_shows_the_town(tmp_path: Path) -> None:
    """pm13 has no fix in the range: the picture is the site's map at its centre, with
    pm13 in the legend as having no position, and no track."""
    history = load_history(tmp_path)
    path = write_map_image(history, ["pm13"], demo_site(), START, END, tmp_path / "map.png",
                           SIZE)
    with Image.open(path) as img:
        rgb = img.convert("RGB")
    building = (217, 210, 201)
    assert dict((c, n) for n, c in rgb.getcolors(SIZE[0] * SIZE[1]) or []).get(
        building, 0) > 0.02 * SIZE[0] * SIZE[1]
    assert _extent(rgb, officer_colours(["pm13"])["pm13"])[0] == 0


def test_a_range_without_alarms_has_no_alarm_mark(tmp_path: Path) -> None:
    history = load_history(tmp_path)
    later = END + (END - START)  # every alarm of the history was closed by END
    path = write_map_image(history, OFFICERS, demo_site(), END, later, tmp_path / "m.png",
                           SIZE)
    with Image.open(path) as img:
        assert _extent(img.convert("RGB"), ALARM)[0] == 0

"""An export that fails leaves the console usable and says why in plain words (issue 13, the
house rule): a folder that cannot take the package is refused before the extraction is
logged; a full disk, a recording purged or damaged under the export, a console stopped in
the middle each leave nothing that looks like a package; a stale `.partial` of a console
killed mid-export is swept at the next start; a second export waits for the first and
says so; an unreachable timestamp authority still gives a signed package whose report
claims no timestamp.

Recordings are written as the recorder writes them (tests/servers/recorded.py) and put in
the journal's index: live RTSP is not the point here."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.access import Role, User
from app.core.evidence import REPORT, SIGNATURE, TIMESTAMP, EvidenceCancelled, EvidenceError
from app.core.recording import Segment
from app.core.site import Site
from app.services.evidence.export import OWNER, PARTIALS_SWEPT, sweep_partials
from app.services.evidence.keys import init_export_key
from app.services.evidence.request import (
    EXPORT_DONE,
    EXPORT_FAILED,
    EXPORTED,
    ExportRequest,
)
from app.services.runtime import Runtime
from tests.servers.recorded import record
from tests.waiting import wait_until
from widgets.replay.export_dialog import ExportDialog

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
T1 = T0 + timedelta(seconds=12)
CAMERAS = ("cam-a", "cam-b")
CHIEF = User("chef.durand", "Claire Durand", Role.CHIEF)
HERE = Path(__file__).parent


@dataclass
class Setup:
    runtime: Runtime
    segments: list[Segment]
    exports: Path
    tmp: Path


def site_of(tmp: Path, **export: object) -> Site:
    return Site.model_validate({
        "site": {"name": "Ville"}, "map": {"center": [48.54, 2.66]},
        "export": {"folder": str(tmp / "exports"), "certificate": str(tmp / "cert.pem"),
                   "key_file": str(tmp / "key.pem"), **export}})


def make(tmp: Path, **export: object) -> Setup:
    site = site_of(tmp, **export)
    init_export_key(site)
    rt = Runtime(site, {}, tmp / "journal.sqlite")
    segments = record(tmp / "rec", list(CAMERAS), T0, T1, segment_s=4)
    rt.journal.add_segments(segments)
    rt.sign_in_as_demo(CHIEF)
    return Setup(rt, segments, tmp / "exports", tmp)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    s = make(tmp_path)
    yield s
    s.runtime.stop()


def asked(**changes: object) -> ExportRequest:
    return replace(ExportRequest(CAMERAS, T0, T1, "judicial", "Parquet de Melun",
                                 make_zip=True), **changes)  # type: ignore[arg-type]


def actions(rt: Runtime) -> list[str]:
    return [r.action.action for r in rt.journal.audit_rows()]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def nothing(f: float, s: str) -> None:
    pass


# -- 1. a folder that cannot take the package -------------------------------------------------
@pytest.mark.parametrize("how", ["a file", "under a file", "immutable"])
def test_an_unusable_folder_is_refused_before_the_extraction_is_logged(
        tmp_path: Path, how: str) -> None:
    s = make(tmp_path)
    try:
        if how == "a file":
            s.exports.write_text("not a folder")
            folder = s.exports
        elif how == "under a file":
            s.exports.write_text("not a folder")
            folder = s.exports / "2026"
        else:  # root writes through permissions; an immutable folder stops even root
            s.exports.mkdir()
            if shutil.which("chattr") is None or subprocess.run(
                    ["chattr", "+i", str(s.exports)], capture_output=True).returncode:
                pytest.skip("chattr +i is not available here (needs root on ext4/tmpfs)")
            folder = s.exports
        try:
            with pytest.raises(EvidenceError) as err:
                s.runtime.export_evidence_as(s.runtime.session, asked(), nothing,
                                             threading.Event(), folder=folder).result(60)
        finally:
            subprocess.run(["chattr", "-i", str(s.exports)], capture_output=True)
        words = str(err.value)
        assert str(folder) in words
        assert "export folder" in words
        assert EXPORTED not in actions(s.runtime), "refused before the extraction is logged"
        if s.exports.is_dir():
            assert leftovers(s.exports) == []
        # the console is still usable: the same export to a good folder works
        good = s.runtime.export_evidence_as(s.runtime.session, asked(), nothing,
                                            threading.Event(),
                                            folder=tmp_path / "good").result(120)
        assert good.folder.is_dir()
    finally:
        s.runtime.stop()


# -- 2. the disk fills up mid-export ----------------------------------------------------------
def full_disk_unavailable() -> str | None:
    if os.geteuid() != 0:
        return "a small tmpfs in a private mount namespace needs root (unshare -m, mount)"
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    tried = subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                           capture_output=True, text=True)
    if tried.returncode:
        return f"unshare -m is refused here: {tried.stderr.strip()[:200]}"
    return None


def full_disk(tmp_path: Path, size: str, fill_at: str) -> dict[str, object]:
    """Export into a `size` tmpfs mounted by a child in a mount namespace of its own
    (nothing outside sees it; it goes with the child), another writer filling it at the
    step `fill_at` ("none": never); then into a folder with room."""
    why = full_disk_unavailable()
    if why:
        pytest.skip(why)
    s = make(tmp_path)
    s.runtime.stop()  # the child opens the same journal on its own
    out = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "--", sys.executable,
         str(HERE / "evidence_full_disk_run.py"), str(tmp_path), size, fill_at],
        capture_output=True, text=True, timeout=300, cwd=Path.cwd(),
        env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    assert out.returncode == 0, out.stdout + out.stderr
    said: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    assert said["error_type"] == "EvidenceError"
    error = str(said["error"])
    assert "disk" in error, error
    assert "FFmpeg" not in error, "plain words, not FFmpeg's"
    assert str(tmp_path / "small") in error, "it names the folder"
    assert said["left_on_small"] == [], "the partial folder is gone"
    assert said["later"] is not None, "an export to a folder with room works after"
    assert said["final_action"] == EXPORT_DONE
    return said


@pytest.mark.parametrize("fill_at", ["masters", "zip"])  # in a master's FFmpeg; the ZIP
def test_a_disk_filled_mid_export_says_so_leaves_nothing_and_a_later_export_works(
        tmp_path: Path, fill_at: str) -> None:
    said = full_disk(tmp_path, "4m", fill_at)
    assert "is full" in str(said["error"]), said["error"]
    assert said["actions"][-2:] == [EXPORTED, EXPORT_FAILED], said["actions"]  # type: ignore[index]


def test_a_disk_too_small_is_said_before_the_extraction_is_logged(tmp_path: Path) -> None:
    said = full_disk(tmp_path, "200k", "none")
    assert "needs about" in str(said["error"]), said["error"]
    assert EXPORTED not in said["actions"]  # type: ignore[operator]


# -- 3. a recording purged or damaged between the plan and the copy ---------------------------
def test_a_recording_purged_under_the_export_is_named(setup: Setup) -> None:
    victim = next(sg for sg in setup.segments if sg.camera == "cam-b")
    gone = threading.Event()

    def purge_when_copying(fraction: float, step: str) -> None:
        if step == "masters" and not gone.is_set():  # after the plan, before cam-b's copy
            gone.set()
            Path(victim.path).unlink()

    with pytest.raises(EvidenceError) as err:
        setup.runtime.export_evidence(asked(), purge_when_copying,
                                      threading.Event()).result(120)
    words = str(err.value)
    assert "cam-b" in words, words
    assert Path(victim.path).name in words, words
    assert "FFmpeg" not in words, words
    assert leftovers(setup.exports) == []
    assert actions(setup.runtime)[-1] == EXPORT_FAILED


def test_a_damaged_recording_is_named(setup: Setup) -> None:
    victim = [sg for sg in setup.segments if sg.camera == "cam-a"][1]
    Path(victim.path).write_bytes(b"\0garbage" * 1000)
    with pytest.raises(EvidenceError) as err:
        setup.runtime.export_evidence(asked(), nothing, threading.Event()).result(120)
    words = str(err.value)
    assert "cam-a" in words, words
    assert Path(victim.path).name in words, words
    assert "FFmpeg" not in words, words
    assert leftovers(setup.exports) == []


# -- 4. the console stops mid-export; a stale partial of a killed console ---------------------
def ffmpeg_children() -> list[str]:
    me = str(os.getpid())
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and "ffmpeg" in (stat.parent / "cmdline").read_bytes().decode(
                "utf-8", "replace"):
            found.append(stat.parent.name)
    return found


def test_stopping_the_console_mid_export_kills_ffmpeg_and_leaves_nothing(tmp_path: Path
                                                                         ) -> None:
    # a privacy mask: the working copy is a re-encode, the longest FFmpeg of the export
    s = make(tmp_path, privacy_masks={"cam-a": [[[0, 0], [0.5, 0], [0.5, 0.5]]]})
    in_ffmpeg, go_on = threading.Event(), threading.Event()

    def progress(fraction: float, step: str) -> None:
        if step == "working copies" and not in_ffmpeg.is_set():
            in_ffmpeg.set()  # its FFmpeg runs: hold the worker here until stop is called
            go_on.wait(30)

    running = s.runtime.export_evidence(asked(), progress, threading.Event())
    wait_until(in_ffmpeg.is_set, 60, "the working copy's FFmpeg running")
    assert ffmpeg_children(), "an FFmpeg child runs"
    stopper = threading.Thread(target=s.runtime.stop)
    stopper.start()
    go_on.set()
    stopper.join(60)
    assert not stopper.is_alive()
    assert running.done(), "stop waits for the export to end"
    with pytest.raises(EvidenceCancelled):
        running.result(0)
    assert ffmpeg_children() == []
    assert leftovers(s.exports) == []


def test_a_stale_partial_of_a_killed_console_is_swept_at_start(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    exports = tmp_path / "exports"
    half = exports / "20261130T210000Z_incident-3.partial"
    (half / "video").mkdir(parents=True)
    (half / "video" / "cam-a_20261130T210000Z.mp4").write_bytes(b"half")
    (exports / "20261130T210000Z_judicial.zip.partial").write_bytes(b"PK half")
    whole = exports / "20261129T100000Z_judicial"
    whole.mkdir()
    (whole / "manifest.json").write_text("{}")
    old = datetime.now().timestamp() - 3600  # left by a console killed an hour ago
    for p in [*exports.rglob("*")]:
        os.utime(p, (old, old))
    s = make(tmp_path)
    caplog.set_level(logging.WARNING)
    s.runtime.start()
    try:
        wait_until(lambda: leftovers(exports) == [whole.name], 30, "the partials swept")
        words = caplog.text
        assert "20261130T210000Z_incident-3.partial" in words
        assert "20261130T210000Z_judicial.zip.partial" in words
        assert "never complete" in words
        wait_until(lambda: PARTIALS_SWEPT in actions(s.runtime), 30, "the sweep logged")
        (row,) = [r.action for r in s.runtime.journal.audit_rows()
                  if r.action.action == PARTIALS_SWEPT]
        assert "20261130T210000Z_incident-3.partial" in row.detail
    finally:
        s.runtime.stop()


def test_a_fresh_partial_is_swept_only_when_its_writer_is_dead(tmp_path: Path) -> None:
    """A shared export folder: another console's export under way is never swept; one of
    this machine whose process is gone is, at once."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    host = socket.gethostname()
    for name, owner in (("killed.partial", f"{host} {dead}"),
                        ("running-here.partial", f"{host} 1"),  # init: alive
                        ("other-console.partial", f"another-host {dead}")):
        (tmp_path / name).mkdir()
        (tmp_path / name / OWNER).write_text(owner)
    assert sweep_partials(tmp_path) == ["killed.partial"]
    assert leftovers(tmp_path) == ["other-console.partial", "running-here.partial"]


# -- 5. two exports at once ---------------------------------------------------------------------
def test_a_second_export_waits_for_the_first_and_says_so(setup: Setup) -> None:
    first_steps: list[str] = []
    second_steps: list[str] = []
    hold, held = threading.Event(), threading.Event()

    def first(fraction: float, step: str) -> None:
        first_steps.append(step)
        if step == "masters" and not held.is_set():
            held.set()
            hold.wait(60)

    a = setup.runtime.export_evidence(asked(), first, threading.Event())
    wait_until(held.is_set, 60, "the first export copying")
    b = setup.runtime.export_evidence(asked(make_zip=False), lambda f, s:
                                      second_steps.append(s), threading.Event())
    try:
        wait_until(lambda: "waiting" in second_steps, 30, "the second says it waits")
        assert set(second_steps) == {"waiting"}, "nothing of it runs while the first does"
    finally:
        hold.set()
    a.result(120)
    b.result(120)
    assert first_steps[-1] == "done"
    assert second_steps[-1] == "done"
    assert second_steps.index("masters") > second_steps.index("waiting")


def test_an_export_cancelled_while_waiting_never_begins(setup: Setup) -> None:
    hold, held = threading.Event(), threading.Event()

    def first(fraction: float, step: str) -> None:
        if step == "masters" and not held.is_set():
            held.set()
            hold.wait(60)

    a = setup.runtime.export_evidence(asked(), first, threading.Event())
    wait_until(held.is_set, 60, "the first export copying")
    cancel = threading.Event()
    b = setup.runtime.export_evidence(asked(purpose="administrative"), nothing, cancel)
    cancel.set()  # the chief gives up waiting
    hold.set()
    a.result(120)
    with pytest.raises(EvidenceCancelled):
        b.result(120)
    rows = [r.action for r in setup.runtime.journal.audit_rows()]
    assert [r.purpose for r in rows if r.action == EXPORTED] == ["judicial"], \
        "the one never begun is not logged as an extraction"
    assert len(leftovers(setup.exports)) == 2  # the first's folder and ZIP


# -- 6. the timestamp authority unreachable -----------------------------------------------------
def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"  # nothing listens there any more


def test_an_unreachable_authority_gives_a_signed_package_that_claims_no_timestamp(
        tmp_path: Path) -> None:
    url = closed_port_url()
    s = make(tmp_path, tsa_url=url)
    try:
        result = s.runtime.export_evidence(asked(), nothing, threading.Event()).result(120)
    finally:
        s.runtime.stop()
    assert result.timestamped is None
    (warning,) = result.warnings
    assert "not timestamped" in warning, warning
    assert url in warning, warning
    assert not (result.folder / TIMESTAMP).exists()
    assert (result.folder / SIGNATURE).is_file()
    text = " ".join(page.extract_text() for page in PdfReader(result.folder / REPORT).pages)
    text = " ".join(text.split())
    assert "no third-party timestamp" in text or "pas d'horodatage tiers" in text, text
    assert "horodaté par une autorité tierce" not in text
    checked = subprocess.run([sys.executable, "-m", "app.main", "verify", str(result.folder)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# -- the chief's window: the Export dialog says it waits, and why an export failed ------------
def dialog(qtbot: QtBot, runtime: Runtime) -> ExportDialog:
    d = ExportDialog(runtime, [("cam-a", "Gare"), ("cam-b", "Parc")], [], T0, T1)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.purposes.setCurrentIndex(1)
    QTest.keyClicks(d.recipient, "Parquet de Melun")
    return d


def test_the_dialog_says_it_waits_for_the_export_under_way(qtbot: QtBot, setup: Setup
                                                          ) -> None:
    hold, held = threading.Event(), threading.Event()

    def first(fraction: float, step: str) -> None:
        if step == "masters" and not held.is_set():
            held.set()
            hold.wait(60)

    under_way = setup.runtime.export_evidence(asked(), first, threading.Event())
    wait_until(held.is_set, 60, "the first export copying")
    d = dialog(qtbot, setup.runtime)
    try:
        QTest.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: d.step.text().startswith("Waiting for the export under way"),
                        timeout=30_000)
        assert d.step.isVisible()
        assert d.bar.isVisible()
    finally:
        hold.set()
    under_way.result(120)
    qtbot.waitUntil(lambda: d.outcome is not None or "failed" in d.step.text(),
                    timeout=120_000)
    assert d.outcome is not None, d.step.text()


def test_the_dialog_says_why_in_plain_words_when_the_folder_is_a_file(
        qtbot: QtBot, tmp_path: Path) -> None:
    s = make(tmp_path)
    try:
        s.exports.write_text("not a folder")
        d = dialog(qtbot, s.runtime)
        QTest.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "failed" in d.step.text(), timeout=60_000)
        assert d.step.text() == (f"The export failed: the export folder {s.exports} is a "
                                 "file, not a folder: choose another folder. Nothing of it "
                                 "was kept.")
        assert d.cancel_button.text() == "Close"
        assert EXPORTED not in actions(s.runtime)
    finally:
        s.runtime.stop()

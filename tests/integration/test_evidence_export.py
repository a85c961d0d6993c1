"""The issue's proof (issue 13): a range recorded from three real cameras (the RTSP test
server, the console's own recorder) with two officers on patrol is exported by a chief;
`csu-console verify`, `openssl cms -verify`, `openssl ts -verify` and `sha256sum -c` all
pass on the package, and each fails, naming the part, once one byte is flipped in an MP4, in
the manifest, in the signature. The export is in the access log with its recipient before
the first file exists; an operator is refused and nothing is written; a cancelled export
leaves nothing behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core import events as ev
from app.core.access import Role, User
from app.core.evidence import (
    MANIFEST,
    MASTER,
    SIGNATURE,
    SUMS,
    TIMESTAMP,
    WORKING_COPY,
    EvidenceCancelled,
    Manifest,
)
from app.core.model import AlarmType, LatLon, PositionFix
from app.core.site import Site
from app.services.alarm_book import Acknowledge
from app.services.evidence.keys import init_export_key
from app.services.evidence.request import (
    EXPORT_CANCELLED,
    EXPORT_DONE,
    EXPORTED,
    ExportRequest,
)
from app.services.gate import Refused
from app.services.runtime import Runtime
from tests.servers.rtsp import RtspServer, rtsp_server_available
from tests.servers.tsa import TsaServer
from tests.waiting import wait_until

CAMERAS = ("cam-gare", "cam-parc", "cam-pont")
OFFICERS = ("pm11", "pm12")
CHIEF = User("chef.durand", "Claire Durand", Role.CHIEF)
OPERATOR = User("op.martin", "Paul Martin", Role.OPERATOR)
WIDE, FAR = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
MASK = [[0.0, 0.0], [0.5, 0.0], [0.5, 0.5], [0.0, 0.5]]  # the top-left quarter of cam-gare


@dataclass
class Recorded:
    runtime: Runtime
    site: Site
    start: datetime
    end: datetime
    tsa: TsaServer
    exports: Path


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def verify(package: Path) -> subprocess.CompletedProcess[str]:
    """`csu-console verify`, as a parquet's clerk would run it."""
    return run(sys.executable, "-m", "app.main", "verify", package)


def openssl_cms(package: Path) -> subprocess.CompletedProcess[str]:
    return run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", SIGNATURE,
               "-content", MANIFEST, "-CAfile", "certificate.pem", "-purpose", "any",
               "-out", os.devnull, cwd=package)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    why = rtsp_server_available()
    if why:
        pytest.fail(why)
    tmp = tmp_path_factory.mktemp("evidence")
    with RtspServer(list(CAMERAS), width=320, height=180) as server, TsaServer() as tsa:
        site = Site.model_validate({
            "site": {"name": "Ville-Témoin"}, "map": {"center": [48.54, 2.66]},
            "cameras": [{"id": c, "name": c.removeprefix("cam-").title(),
                         "main": server.url(c)} for c in CAMERAS],
            "officers": [{"id": o, "callsign": o.upper()} for o in OFFICERS],
            "recording": {"cameras": "*", "segment_s": 2,
                          "storage": [{"path": str(tmp / "rec"), "budget_gb": 1}]},
            "export": {"folder": str(tmp / "exports"), "certificate": str(tmp / "cert.pem"),
                       "key_file": str(tmp / "key.pem"), "tsa_url": tsa.url,
                       "tsa_certificate": str(tsa.ca),
                       "privacy_masks": {"cam-gare": [MASK]}},
        })
        init_export_key(site)
        runtime = Runtime(site, {}, tmp / "journal.sqlite")
        runtime.start()
        try:
            runtime.sign_in_as_demo(CHIEF)
            wait_until(lambda: all(len(runtime.journal.recorded_segments(c, WIDE, FAR)) >= 4
                                   for c in CAMERAS), 90, "four segments of each camera")
            first = max(runtime.journal.recorded_segments(c, WIDE, FAR)[0].start
                        for c in CAMERAS)
            start = first + timedelta(seconds=0.5)  # mid-segment: trimmed at a keyframe
            end = min(runtime.journal.recorded_segments(c, WIDE, FAR)[-1].end
                      for c in CAMERAS) - timedelta(seconds=0.5)
            fixes = [ev.PositionReported(PositionFix(
                o, LatLon(48.54 + i * 0.001 + k * 0.0002, 2.66 + k * 0.0003),
                start + timedelta(seconds=k))) for i, o in enumerate(OFFICERS)
                for k in range(int((end - start).total_seconds()))]
            runtime.journal.append_events(fixes)
            runtime.hub.post(ev.AlarmReported("sensors", "door-1", AlarmType.INTRUSION, 1,
                                              "Intrusion au parc", start + timedelta(
                                                  seconds=1)))
            wait_until(lambda: runtime.current_alarms(), 30, "the alarm in the book")
            (alarm,) = runtime.current_alarms()
            runtime.submit(Acknowledge(alarm.id, CHIEF.login)).result(30)
            yield Recorded(runtime, site, start, end, tsa, tmp / "exports")
        finally:
            runtime.stop()


def request(r: Recorded, **changes: object) -> ExportRequest:
    asked = ExportRequest(CAMERAS, r.start, r.end, "judicial",
                          "Parquet de Melun, OPJ Durand", OFFICERS,
                          words="Réquisition du 1er décembre", reference="PV 2026/1234")
    return replace(asked, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def package(recorded: Recorded) -> Path:
    steps: list[tuple[float, str]] = []
    result = recorded.runtime.export_evidence(
        request(recorded, hold=True), lambda f, s: steps.append((f, s)),
        threading.Event()).result(300)
    assert result.zip is not None
    assert result.zip.is_file()
    assert result.timestamped is not None, result.warnings
    assert result.warnings == ()
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions), "the progress bar never goes back"
    assert fractions[-1] == 1.0
    assert {"masters", "working copies", "documents", "report", "zip"} <= {s for _, s in steps}
    return result.folder


def test_the_package_holds_what_a_parquet_needs(package: Path, recorded: Recorded) -> None:
    manifest = Manifest.from_bytes((package / MANIFEST).read_bytes())
    masters = [f for f in manifest.files if f.role == MASTER]
    assert sorted(f.camera for f in masters) == sorted(CAMERAS)
    (masked,) = [f for f in manifest.files if f.role == WORKING_COPY]
    assert masked.camera == "cam-gare"
    assert masked.path.endswith("_masked-working-copy.mp4")
    roles = {f.role for f in manifest.files}
    assert {"tracks", "map", "alarms", "actions", "report"} <= roles
    assert manifest.recipient == "Parquet de Melun, OPJ Durand"
    assert manifest.exported_by["user"] == CHIEF.login
    assert sorted(manifest.officers) == sorted(OFFICERS)
    gpx = (package / "tracks" / "tracks.gpx").read_text(encoding="utf-8")
    assert all(o.upper() in gpx for o in OFFICERS)
    for f in masters:  # an ordinary MP4 (no fragments) an independent tool reads
        probe = json.loads(run("ffprobe", "-v", "error", "-show_format", "-of", "json",
                               package / f.path).stdout)
        assert "mp4" in probe["format"]["format_name"]
        assert float(probe["format"]["duration"]) > 1
        assert b"moof" not in (package / f.path).read_bytes()[:1_000_000]
    alarms = json.loads((package / "journal" / "alarms.json").read_text(encoding="utf-8"))
    assert "Intrusion au parc" in json.dumps(alarms, ensure_ascii=False)


def test_free_tools_and_ours_verify_it(package: Path, recorded: Recorded) -> None:
    ours = verify(package)
    assert ours.returncode == 0, ours.stdout + ours.stderr
    zipped = verify(package.with_name(package.name + ".zip"))
    assert zipped.returncode == 0, zipped.stdout + zipped.stderr
    cms = openssl_cms(package)
    assert cms.returncode == 0, cms.stderr
    sums = run("sha256sum", "-c", SUMS, cwd=package)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    stamp = run("openssl", "ts", "-verify", "-in", TIMESTAMP, "-data", SIGNATURE,
                "-CAfile", recorded.tsa.ca, "-untrusted", "tsa-chain.pem", cwd=package)
    assert stamp.returncode == 0, stamp.stdout + stamp.stderr


def flipped(package: Path, tmp_path: Path, relative: str) -> Path:
    copy = tmp_path / f"tampered-{relative.replace('/', '-')}" / package.name
    shutil.copytree(package, copy)
    target = copy / relative
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    return copy


def test_one_flipped_byte_is_found_and_named(package: Path, tmp_path: Path) -> None:
    manifest = Manifest.from_bytes((package / MANIFEST).read_bytes())
    mp4 = next(f.path for f in manifest.files if f.role == MASTER)

    bad_video = flipped(package, tmp_path, mp4)
    out = verify(bad_video)
    assert out.returncode == 1
    assert mp4 in out.stdout
    assert run("sha256sum", "-c", SUMS, cwd=bad_video).returncode != 0
    assert openssl_cms(bad_video).returncode == 0  # the manifest itself is intact

    bad_manifest = flipped(package, tmp_path, MANIFEST)
    out = verify(bad_manifest)
    assert out.returncode == 1
    assert "manifest" in out.stdout
    assert openssl_cms(bad_manifest).returncode != 0

    bad_signature = flipped(package, tmp_path, SIGNATURE)
    out = verify(bad_signature)
    assert out.returncode == 1
    assert "signature" in out.stdout
    assert openssl_cms(bad_signature).returncode != 0


def test_logged_with_its_recipient_before_a_file_is_written(package: Path,
                                                            recorded: Recorded) -> None:
    rows = [r.action for r in recorded.runtime.journal.audit_rows()]
    (asked,) = [a for a in rows if a.action == EXPORTED]
    assert asked.recipients == ("Parquet de Melun, OPJ Durand",)
    assert asked.cameras == CAMERAS
    assert asked.purpose == "judicial"
    assert (asked.range_start, asked.range_end) == (recorded.start, recorded.end)
    first_file = min(p.stat().st_mtime for p in package.rglob("*") if p.is_file())
    assert asked.time.timestamp() <= first_file
    (done,) = [a for a in rows if a.action == EXPORT_DONE]
    assert package.name in done.detail
    (hold,) = recorded.runtime.journal.holds()
    assert hold.reference == "PV 2026/1234"
    assert hold.cameras == CAMERAS
    manifest = Manifest.from_bytes((package / MANIFEST).read_bytes())
    assert manifest.hold == hold.id, "the package names the hold placed for it"
    assert manifest.purpose == "judicial"  # the law's category, the words beside it
    assert manifest.extra["purpose_detail"] == "Réquisition du 1er décembre"
    report = "".join(p.extract_text() for p in PdfReader(package / "report.pdf").pages)
    assert f"(no. {hold.id})" in report or f"(n° {hold.id})" in report


def test_an_operator_is_refused_and_nothing_is_written(recorded: Recorded) -> None:
    before = sorted(recorded.exports.iterdir())
    session = recorded.runtime.session
    recorded.runtime.sign_in_as_demo(OPERATOR)
    try:
        with pytest.raises(Refused, match="role 'operator'"):
            recorded.runtime.export_evidence(request(recorded), lambda f, s: None,
                                             threading.Event()).result(60)
    finally:
        recorded.runtime.session = session
    assert sorted(recorded.exports.iterdir()) == before


def test_a_cancelled_export_leaves_nothing(recorded: Recorded) -> None:
    before = sorted(recorded.exports.iterdir())
    cancel = threading.Event()

    def progress(fraction: float, step: str) -> None:
        if step == "masters" and fraction > 0:
            cancel.set()

    with pytest.raises(EvidenceCancelled):
        recorded.runtime.export_evidence(request(recorded, reference=""), progress,
                                         cancel).result(120)
    assert sorted(recorded.exports.iterdir()) == before
    rows = [r.action.action for r in recorded.runtime.journal.audit_rows()]
    assert rows[-1] == EXPORT_CANCELLED

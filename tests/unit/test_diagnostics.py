"""The support ticket's text: everything support asks for, never a secret, even one a
system echoed back into an adapter's state."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.core.events import AdapterStatus, JournalStatus
from app.core.registry import discover
from app.core.secrets import set_secret
from app.core.site import load_site
from app.services.diagnostics import HIDDEN, Facts, ffmpeg_version, report, scrub
from tests.unit.cli_run import site_file

ROOM = ('[journal]\nurl = "postgresql://csu@db.csu.local/room"\n'
        'password_secret = "diag-room-db"\n')


def test_the_text_names_versions_site_journal_systems_and_log(tmp_path: Path) -> None:
    path = site_file(tmp_path, ROOM)
    site = load_site(path, discover())
    set_secret("diag-room-db", "S3cret-of-the-room")
    states = [AdapterStatus("mqtt-gps", "retrying",
                            "broker refused user csu with password S3cret-of-the-room",
                            messages=12, events=10, rejected=2,
                            last_message=datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
              AdapterStatus("cameras", "running")]
    text = report(site, Facts(str(path), "postgresql://csu@db.csu.local/room",
                              "/var/log/csu/console.log", "poste-3"),
                  states, JournalStatus(ok=False, problem="the database does not answer",
                                        waiting_reports=3),
                  {"qt": "6.9.0", "libvlc": "3.0.21"})
    assert "S3cret-of-the-room" not in text
    assert f"broker refused user csu with password {HIDDEN}" in text
    for expected in (f"file: {path}", "poste-3", "postgresql://csu@db.csu.local/room",
                     "NOT STORING: the database does not answer", "3 report(s)",
                     "mqtt-gps: retrying", "messages 12, events 10, rejected 2",
                     "last message 2026-12-01T08:00:00Z", "cameras: running",
                     "qt: 6.9.0", "libvlc: 3.0.21", "ffmpeg: ", "csu-console: ",
                     "/var/log/csu/console.log"):
        assert expected in text, expected
    # the order of the sections is the ticket's: versions, site, journal, systems, log
    heads = [text.index(h) for h in ("[versions]", "[site]", "[journal]",
                                     "[connected systems]", "[log]")]
    assert heads == sorted(heads)


def test_scrub_hides_the_longest_secret_whole_and_short_ones_too() -> None:
    out = scrub("pin 4821, key 4821-abc, end", ["4821", "4821-abc", ""])
    assert out == f"pin {HIDDEN}, key {HIDDEN}, end"


def test_an_ffmpeg_that_cannot_run_is_said_not_raised(tmp_path: Path) -> None:
    assert "cannot run" in ffmpeg_version(str(tmp_path / "no-ffmpeg"))

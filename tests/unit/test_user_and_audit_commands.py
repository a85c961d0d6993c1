"""`csu-console user …` and `csu-console audit …` as an installer runs them (issue 11): the
password from standard input only, refusals in plain words with nothing changed, and a
tampered access log found by `audit verify`, which names the row."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import psycopg

from app.core.journal import Journal
from app.core.model import OperatorAction
from tests.servers.postgres import PostgresServer
from tests.unit.cli_run import csu, site_file
from tests.unit.test_journal import T

GOOD = "a good long password\n"


def test_accounts_are_added_listed_and_disabled(tmp_path: Path) -> None:
    j = str(tmp_path / "j.sqlite")
    added = csu("user", "add", "amartin", "--name", "Alice Martin", "--role", "chief",
                "--commune", "Melun", "--commune", "Dammarie", "--journal", j, stdin=GOOD)
    assert added.returncode == 0, added.stderr
    assert "Dammarie, Melun" in added.stdout
    again = csu("user", "add", "amartin", "--name", "A", "--journal", j, stdin=GOOD)
    assert again.returncode == 1
    assert "already an account 'amartin'" in again.stderr
    short = csu("user", "passwd", "amartin", "--journal", j, stdin="short\n")
    assert short.returncode == 1
    assert "too short" in short.stderr
    assert "nothing was changed" in short.stderr
    assert csu("user", "disable", "amartin", "--journal", j).returncode == 0
    listed = csu("user", "list", "--journal", j)
    assert "amartin  Alice Martin  chief  Dammarie, Melun  (disabled)" in listed.stdout
    missing = csu("user", "passwd", "nobody", "--journal", j, stdin=GOOD)
    assert "no local account 'nobody'" in missing.stderr
    for out in (added, again, short, listed):
        assert "good long password" not in out.stdout + out.stderr


def test_the_site_file_names_the_journal(tmp_path: Path) -> None:
    site = site_file(tmp_path, '[journal]\nurl = "sqlite:///room.sqlite"\n')
    assert csu("user", "add", "bdupont", "--name", "B Dupont", "--site", str(site),
               stdin=GOOD).returncode == 0
    j = Journal(tmp_path / "room.sqlite")
    try:
        assert j.account("bdupont") is not None
    finally:
        j.close()
    nothing = csu("user", "list")
    assert nothing.returncode == 1
    assert "say which journal" in nothing.stderr


def test_audit_verify_names_the_row_that_was_changed(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    j = Journal(path)
    j.store(actions=[OperatorAction(T, "bob", "replay", f"camera:c{i}", purpose="judicial")
                     for i in range(4)])
    j.close()
    ok = csu("audit", "verify", "--journal", str(path))
    assert ok.returncode == 0, ok.stderr
    assert "intact, 4 row(s)" in ok.stdout
    db = sqlite3.connect(path)
    db.executescript("DROP TRIGGER audit_no_update;"
                     "UPDATE audit SET purpose = 'training' WHERE id = 3;")
    db.close()
    broken = csu("audit", "verify", "--journal", str(path))
    assert broken.returncode == 1
    assert "BROKEN at row 3" in broken.stderr
    assert "was changed" in broken.stderr


def test_audit_verify_on_a_rooms_journal(pg_server: PostgresServer, pg_url: str) -> None:
    assert csu("user", "add", "amartin", "--name", "Alice Martin", "--journal", pg_url,
               stdin=GOOD, env=pg_server.env()).returncode == 1  # no journal there yet
    assert csu("db", "upgrade", "--journal", pg_url, env=pg_server.env()).returncode == 0
    for login in ("amartin", "bdupont"):
        assert csu("user", "add", login, "--name", login, "--journal", pg_url, stdin=GOOD,
                   env=pg_server.env()).returncode == 0
    assert csu("audit", "verify", "--journal", pg_url, env=pg_server.env()).returncode == 0
    with psycopg.connect(pg_url, password=pg_server.password) as conn:
        conn.execute("ALTER TABLE audit DISABLE TRIGGER audit_append_only")
        conn.execute("DELETE FROM audit WHERE id = 1")
    broken = csu("audit", "verify", "--journal", pg_url, env=pg_server.env())
    assert broken.returncode == 1
    assert "BROKEN at row 2" in broken.stderr


def test_audit_export_writes_csv_that_a_spreadsheet_cannot_run(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    j = Journal(path)
    j.record_action(OperatorAction(T, "bob", "export", "camera:c1", "=HYPERLINK(\"x\")",
                                   recipients=("OPJ Durand",), cameras=("c1", "c2")))
    j.close()
    out = tmp_path / "log.csv"
    done = csu("audit", "export", "--journal", str(path), "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0]["detail"] == "'=HYPERLINK(\"x\")"
    assert rows[0]["cameras"] == "c1; c2"
    assert rows[-1]["action"] == "access_log_exported"  # the export itself is logged first

"""The room as an installer writes it in the site file: `[journal] url` and its keyring
secret; `check-config` says what is wrong in plain words, `--probe` reaches the database."""

from __future__ import annotations

from pathlib import Path

from app.core.journal_url import parse_journal_url
from app.core.secrets import set_secret
from app.store.postgres_journal import PostgresJournal
from tests.servers.postgres import PostgresServer
from tests.unit.cli_run import csu, site_file


def test_a_password_in_the_journal_url_is_refused_with_what_to_do(tmp_path: Path) -> None:
    site = site_file(tmp_path, '[journal]\nurl = "postgresql://csu:secret@db.csu.local/room"\n')
    run = csu("check-config", str(site))
    assert run.returncode == 1
    assert "journal.url" in run.stdout + run.stderr
    assert "store it in the keyring" in run.stdout + run.stderr
    assert "secret@" not in (run.stdout + run.stderr).replace("csu:secret@", "")


def test_probe_reaches_the_room_s_journal_with_the_keyring_password(
        tmp_path: Path, pg_server: PostgresServer, pg_url: str) -> None:
    PostgresJournal(parse_journal_url(pg_url), pg_server.password, create=True).close()
    site = site_file(tmp_path, f'[journal]\nurl = "{pg_url}"\npassword_secret = "room-db"\n')
    missing = csu("check-config", str(site), "--probe")
    assert missing.returncode == 1
    assert "room-db" in missing.stdout + missing.stderr
    set_secret("room-db", "not-the-password")
    wrong = csu("check-config", str(site), "--probe")
    assert wrong.returncode == 1
    assert "refused the password of user 'csu'" in wrong.stdout
    set_secret("room-db", pg_server.password)
    ok = csu("check-config", str(site), "--probe")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "the room's journal answers" in ok.stdout
    assert pg_server.password not in ok.stdout + ok.stderr + wrong.stdout + wrong.stderr

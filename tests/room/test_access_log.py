"""The access log the law asks for (issue 11), on both journal backends: every field of CSI
R241-14 / R241-5 kept, append-only for real, and a hash chain that shows a row changed,
removed or slipped in; local accounts stored with their hash only."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from app.core.access import Account, Role, User
from app.core.audit_chain import GENESIS, PURGE_ACTION, anchor_target, verify
from app.core.journal import Journal, JournalStore
from app.core.model import OperatorAction
from tests.servers.postgres import PostgresServer
from tests.unit.test_journal import T

Opener = Callable[[], JournalStore]


def viewing(i: int, actor: str = "alice") -> OperatorAction:
    return OperatorAction(
        T + timedelta(seconds=i), actor, "replay", "camera:cam-mairie", f"consultation {i}",
        user_name="Alice Martin", role="chief", workstation="poste-2", purpose="judicial",
        recipients=("OPJ Durand, commissariat de Melun",), cameras=("cam-mairie", "cam-gare"),
        range_start=T - timedelta(hours=2), range_end=T - timedelta(hours=1))


def raw(j: JournalStore, *statements: str) -> None:
    """SQL as someone with the database's own rights would run it (not through the console)."""
    if isinstance(j, Journal):
        for statement in statements:
            j._db.execute(statement)
        return
    j._in_transaction(lambda cur: [cur.execute(s) for s in statements])  # type: ignore[attr-defined]


def lift_append_only(j: JournalStore) -> str:
    return ("DROP TRIGGER audit_no_update" if isinstance(j, Journal)
            else "ALTER TABLE audit DISABLE TRIGGER audit_append_only")


def test_every_field_is_kept_and_read_back_in_utc(open_journal: Opener) -> None:
    j = open_journal()
    j.record_action(viewing(1))
    again = open_journal()
    [row] = list(again.audit_rows())
    assert row.action == viewing(1)
    assert row.action.time.utcoffset() == timedelta(0)
    assert row.prev_hash == GENESIS
    assert len(row.hash) == 64


def test_the_chain_holds_across_writers_and_batches(open_journal: Opener) -> None:
    """Two connections (two writers) append concurrently: each row still follows the one
    before it, whoever wrote it."""
    first, second = open_journal(), open_journal()
    first.store(actions=[viewing(0), viewing(1)])

    def write(j: JournalStore, base: int) -> None:
        for i in range(base, base + 20):
            j.record_action(viewing(i, actor=f"writer{base}"))

    threads = [threading.Thread(target=write, args=(j, base))
               for j, base in ((first, 100), (second, 200))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    report = verify(first.audit_rows(chunk=7))  # read in small chunks: streamed
    assert report.intact, report.problem
    assert report.rows == 42


def test_the_log_refuses_to_be_changed_or_cut(open_journal: Opener) -> None:
    j = open_journal()
    j.store(actions=[viewing(1), viewing(2)])
    for statement in ("UPDATE audit SET detail = 'nothing to see' WHERE id = 1",
                      "DELETE FROM audit WHERE id = 1"):
        with pytest.raises(Exception, match="append-only"):
            raw(j, statement)
    assert [r.action.detail for r in j.audit_rows()] == ["consultation 1", "consultation 2"]


def test_a_changed_row_is_found_and_named(open_journal: Opener) -> None:
    j = open_journal()
    j.store(actions=[viewing(i) for i in range(1, 6)])
    assert verify(j.audit_rows()).intact
    raw(j, lift_append_only(j), "UPDATE audit SET purpose = 'training' WHERE id = 3")
    report = verify(j.audit_rows())
    assert (report.broken_at, report.rows) == (3, 2)
    assert "changed" in report.problem


def test_a_removed_row_is_found_and_the_row_after_it_named(open_journal: Opener) -> None:
    j = open_journal()
    j.store(actions=[viewing(i) for i in range(1, 6)])
    raw(j, "DROP TRIGGER audit_no_delete" if isinstance(j, Journal)
        else "ALTER TABLE audit DISABLE TRIGGER audit_append_only",
        "DELETE FROM audit WHERE id = 2")
    report = verify(j.audit_rows())
    assert report.broken_at == 3
    assert "removed" in report.problem


def test_cutting_the_start_shows_unless_a_purge_row_says_so(open_journal: Opener) -> None:
    """The three-year purge removes the oldest rows and logs the hash the chain now starts
    from; without that row, rows missing at the start are found."""
    j = open_journal()
    j.store(actions=[viewing(i) for i in range(1, 5)])
    removed_hash = next(r.hash for r in j.audit_rows() if r.id == 2)
    raw(j, lift_append_only(j) if not isinstance(j, Journal) else "DROP TRIGGER audit_no_delete",
        "DELETE FROM audit WHERE id <= 2")
    report = verify(j.audit_rows())
    assert report.broken_at == 3
    assert "purge" in report.problem
    j.record_action(OperatorAction(T + timedelta(days=1), "service", PURGE_ACTION,
                                   anchor_target(removed_hash), "2 rows older than 3 years"))
    assert verify(j.audit_rows()).intact


def test_accounts_keep_the_hash_never_the_password(open_journal: Opener) -> None:
    j = open_journal()
    account = Account(User("amartin", "Alice Martin", Role.CHIEF, ("Melun", "Dammarie")),
                      "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", T, T)
    j.put_account(account)
    again = open_journal()
    assert again.account("amartin") == account
    assert again.account("nobody") is None
    disabled = Account(User("amartin", "Alice Martin", Role.CHIEF, ("Melun",), disabled=True),
                       account.password_hash, T, T + timedelta(days=1))
    again.put_account(disabled)
    assert [a.user for a in j.accounts()] == [disabled.user]


# -- journals written before the access log had its chain (schema 1) -----------------------
V1_AUDIT = ("CREATE TABLE audit (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL,"
            " action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL)")
OLD_ROWS = [(T.isoformat(), "bob", "bodycam_live_view", "camera:bc-pm11", "alarm 3"),
            ((T + timedelta(minutes=1)).isoformat(), "bob", "acknowledged", "alarm:3", "")]


def test_an_sqlite_journal_of_schema_1_gets_its_old_rows_chained(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "journal.sqlite"
    db = sqlite3.connect(path)
    db.execute(V1_AUDIT)
    db.executemany("INSERT INTO audit (ts, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                   OLD_ROWS)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    j = Journal(path)
    try:
        j.record_action(viewing(9))
        rows = list(j.audit_rows())
        assert [r.action.actor for r in rows] == ["bob", "bob", "alice"]
        assert rows[0].action.time == T
        assert rows[0].action.purpose == ""
        report = verify(rows)
        assert report.intact
        assert report.rows == 3
        with pytest.raises(Exception, match="append-only"):
            raw(j, "DELETE FROM audit")
    finally:
        j.close()


def test_a_postgresql_journal_of_schema_1_is_upgraded_with_its_rows_chained(
        pg_server: PostgresServer, pg_url: str) -> None:
    import psycopg

    from app.core.journal_url import parse_journal_url
    from app.store import schema
    from app.store.postgres_journal import PostgresJournal, upgrade

    with psycopg.connect(pg_url, password=pg_server.password) as conn:
        conn.execute("CREATE TABLE csu_schema (version INTEGER NOT NULL, applied TIMESTAMPTZ"
                     " NOT NULL DEFAULT now(), about TEXT NOT NULL)")
        conn.execute(schema.MIGRATIONS[0][2])
        conn.execute("INSERT INTO csu_schema (version, about) VALUES (1, 'v1')")
        conn.cursor().executemany(
            "INSERT INTO audit (ts, actor, action, target, detail) VALUES (%s, %s, %s, %s, %s)",
            OLD_ROWS)
        conn.commit()
        assert upgrade(conn) == list(range(2, schema.LATEST + 1))
    j = PostgresJournal(parse_journal_url(pg_url), pg_server.password)
    try:
        j.record_action(viewing(9))
        report = verify(j.audit_rows())
        assert report.intact
        assert report.rows == 3
    finally:
        j.close()


def test_a_chief_reads_the_log_a_page_at_a_time_newest_first(open_journal: Opener) -> None:
    from app.core.access_log import AccessLogQuery

    j = open_journal()
    j.store(actions=[viewing(i, actor="alice" if i % 2 else "bob") for i in range(1, 8)])
    j.record_action(OperatorAction(T + timedelta(minutes=5), "carl", "refused", "alarm:3",
                                   "handle_alarms: another territory's alarm"))
    page = j.audit_page(AccessLogQuery(limit=3))
    assert [r.id for r in page] == [8, 7, 6]
    older = j.audit_page(AccessLogQuery(limit=3, before_id=page[-1].id))
    assert [r.id for r in older] == [5, 4, 3]
    assert [r.action.actor for r in j.audit_page(AccessLogQuery(login="bob"))] == ["bob"] * 3
    assert [r.id for r in j.audit_page(AccessLogQuery(action="refused"))] == [8]
    assert len(j.audit_page(AccessLogQuery(camera="cam-gare"))) == 7
    assert [r.id for r in j.audit_page(AccessLogQuery(text="TERRITORY"))] == [8]
    window = AccessLogQuery(start=T + timedelta(seconds=2), end=T + timedelta(seconds=4))
    assert [r.id for r in j.audit_page(window)] == [4, 3, 2]
    assert j.audit_page(AccessLogQuery(camera="cam-nowhere")) == []

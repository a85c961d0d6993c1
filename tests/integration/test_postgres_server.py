"""The PostgreSQL server the journal's tests run against (tests/servers/postgres.py, issue
10) is a real one, set up the way a site's would be: `csu` logs in over TCP with its
password and nothing else gets in, a committed row survives a crash of the server, TLS
works when the server offers it, and the databases of a session do not see each other."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.servers.postgres import SUPERUSER, PostgresServer, PostgresStartError


@pytest.fixture
def server_root() -> Iterator[Path]:
    """A folder for a server of the test's own (not tmp_path: closed to the server's user)."""
    root = Path(tempfile.mkdtemp(prefix="csu-pg-test-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_csu_connects_over_tcp_with_its_password(pg_server: PostgresServer,
                                                 pg_url: str) -> None:
    assert pg_server.password not in pg_url
    assert pg_url.startswith(f"postgresql://csu@127.0.0.1:{pg_server.port}/")
    with psycopg.connect(pg_url, password=pg_server.password) as conn:
        user, address, owner = conn.execute(
            "SELECT current_user, host(inet_server_addr()), pg_get_userbyid(datdba) "
            "FROM pg_database WHERE datname = current_database()").fetchone() or ()
        assert (user, address, owner) == ("csu", "127.0.0.1", "csu")
        assert conn.execute("SHOW fsync").fetchone() == ("on",)  # durability tests mean it
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)


def test_the_server_runs_unprivileged(pg_server: PostgresServer) -> None:
    """postgres refuses root; the harness runs it as the postgres (or nobody) user."""
    pid = pg_server.pid
    assert pid is not None
    uid = int(re.search(r"^Uid:\s+(\d+)", Path(f"/proc/{pid}/status").read_text(),
                        re.M).group(1))  # type: ignore[union-attr]
    if os.geteuid() == 0:
        assert uid != 0
    else:
        assert uid == os.geteuid()


def test_a_wrong_password_and_the_superuser_over_tcp_are_refused(
        pg_server: PostgresServer, pg_url: str) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg_url, password=pg_server.password + "x", connect_timeout=10)
    # no trust over TCP: the server asks even the harness's own superuser for a password,
    # and it has none (it gets in through its private socket only)
    with pytest.raises(psycopg.OperationalError, match="no password supplied"):
        psycopg.connect(host=pg_server.host, port=pg_server.port, user=SUPERUSER,
                        dbname="postgres", connect_timeout=10, passfile=os.devnull)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(host=pg_server.host, port=pg_server.port, user=SUPERUSER,
                        password=pg_server.password, dbname="postgres", connect_timeout=10)


def test_a_committed_row_survives_a_crash(pg_server: PostgresServer, pg_url: str) -> None:
    port = pg_server.port
    conn = psycopg.connect(pg_url, password=pg_server.password)
    conn.execute("CREATE TABLE alarm (id integer PRIMARY KEY, label text)")
    conn.execute("INSERT INTO alarm VALUES (1, 'arme sortie')")
    conn.commit()
    conn.execute("INSERT INTO alarm VALUES (2, 'never committed')")  # open transaction

    pg_server.kill()
    assert not pg_server.running
    with pytest.raises(psycopg.OperationalError):
        conn.execute("SELECT 1")
    conn.close()

    pg_server.restart()
    assert pg_server.port == port
    with psycopg.connect(pg_url, password=pg_server.password) as again:
        assert again.execute("SELECT id, label FROM alarm").fetchall() == [(1, "arme sortie")]
    # it was a crash, not a shutdown: the server recovered from its WAL
    assert "automatic recovery in progress" in pg_server.log_tail(60)


def test_tls_when_the_server_offers_it(server_root: Path) -> None:
    with PostgresServer(server_root, ssl=True) as server:
        url = server.create_database("tls")
        with psycopg.connect(url, password=server.password, sslmode="require") as conn:
            assert conn.execute("SHOW ssl").fetchone() == ("on",)
            row = conn.execute("SELECT ssl, version FROM pg_stat_ssl "
                               "WHERE pid = pg_backend_pid()").fetchone()
            assert row is not None
            assert row[0] is True
            assert str(row[1]).startswith("TLS")
        # its certificate is for 127.0.0.1, signed by the test CA: a client that checks works
        assert server.ca_file is not None
        with psycopg.connect(url, password=server.password, sslmode="verify-full",
                             sslrootcert=str(server.ca_file)) as conn:
            assert conn.execute("SELECT ssl FROM pg_stat_ssl "
                                "WHERE pid = pg_backend_pid()").fetchone() == (True,)
        # "offers": a client without TLS still gets in
        with psycopg.connect(url, password=server.password, sslmode="disable") as conn:
            assert conn.execute("SELECT ssl FROM pg_stat_ssl "
                                "WHERE pid = pg_backend_pid()").fetchone() == (False,)


def test_a_server_that_insists_on_tls_refuses_plain_tcp(server_root: Path) -> None:
    with PostgresServer(server_root, ssl_only=True) as server:
        url = server.create_database("tls_only")
        with pytest.raises(psycopg.OperationalError, match="no encryption"):
            psycopg.connect(url, password=server.password, sslmode="disable")
        with psycopg.connect(url, password=server.password) as conn:  # libpq prefers TLS
            assert conn.info.pgconn.ssl_in_use


def test_the_session_server_offers_no_tls(pg_server: PostgresServer, pg_url: str) -> None:
    with pytest.raises(psycopg.OperationalError, match="does not support SSL"):
        psycopg.connect(pg_url, password=pg_server.password, sslmode="require")


def test_two_databases_of_one_server_are_independent(pg_server: PostgresServer) -> None:
    first, second = (pg_server.create_database(n) for n in ("room_a", "room_b"))
    try:
        with psycopg.connect(first, password=pg_server.password) as a:
            a.execute("CREATE TABLE journal (seq bigint)")
            a.execute("INSERT INTO journal VALUES (1), (2)")
        with psycopg.connect(second, password=pg_server.password) as b:
            assert b.execute("SELECT to_regclass('journal')").fetchone() == (None,)
            b.execute("CREATE TABLE journal (seq bigint)")
            held_open = psycopg.connect(first, password=pg_server.password)
            pg_server.drop_database("room_a")  # cuts the connection left open on it
            with pytest.raises(psycopg.OperationalError):
                held_open.execute("SELECT 1")
            held_open.close()
            assert b.execute("SELECT count(*) FROM journal").fetchone() == (0,)
    finally:
        pg_server.drop_database("room_a")
        pg_server.drop_database("room_b")
    with pg_server.admin() as admin:
        names = {r[0] for r in admin.execute("SELECT datname FROM pg_database")}
    assert not names & {"room_a", "room_b"}


def test_a_child_process_reaches_the_server_from_env(pg_server: PostgresServer,
                                                     pg_url: str) -> None:
    """The service, the seats and the bench are processes: libpq's variables suffice."""
    dbname = pg_url.rsplit("/", 1)[1]
    code = ("import psycopg, sys\n"
            "with psycopg.connect(dbname=sys.argv[1]) as c:\n"
            "    print(c.execute('SELECT current_user').fetchone()[0])\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    result = subprocess.run([sys.executable, "-c", code, dbname], capture_output=True,
                            text=True, timeout=60, check=False,
                            env={**env, **pg_server.env()})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "csu"


def test_a_failed_start_says_why_from_the_log(pg_server: PostgresServer,
                                              server_root: Path) -> None:
    """A second server told to take the first's port: the error carries the server's own
    words, not just an exit code."""
    clash = PostgresServer(server_root)
    clash.port = pg_server.port  # a fixed port is not re-picked
    with pytest.raises(PostgresStartError, match=r"could not bind|could not create"):
        clash.start()
    assert not clash.running

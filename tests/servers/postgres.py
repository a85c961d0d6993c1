"""`PostgresServer`: a private PostgreSQL server on loopback for the journal's tests, the
multi-seat tests and the bench (issue 10), run from Debian's `postgresql` package.

Why it looks like this:
- postgres refuses to run as root, and the tests run as root here and in CI: the server runs
  as the `postgres` system user (`runuser`), else as `nobody` (`setpriv`); not root: as us.
  Its folder must be reachable by that user, which pytest's `tmp_path` (under a 0700
  /tmp/pytest-of-root) is not: give it a folder made by `tempfile.mkdtemp()`.
- The role the console uses, `csu`, logs in over TCP on 127.0.0.1 with a random password
  (scram-sha-256, never trust over TCP), and owns the databases made for it. The harness
  administers the server as the bootstrap superuser through the unix socket in the private
  folder (0700): trust there reaches no one but the harness.
- fsync stays on: the durability tests mean it. `kill()` is a crash (SIGKILL of every
  server process), `restart()` brings the same data back on the same port.
- The postmaster is our own child process (not daemonised by pg_ctl), so whatever runs the
  tests (PID 1 of a container may not reap) never leaves a dead postmaster in the way of
  the next start.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import psycopg
from psycopg import sql

from tests.waiting import poll_until

if TYPE_CHECKING:
    from tests.tls import TlsFiles

PG_PROGRAMS = ("initdb", "postgres")  # what this harness runs (tests/unit/test_fresh_machine.py)
DEBIAN_PG_LIB = Path("/usr/lib/postgresql")
SUPERUSER = "postgres"  # the bootstrap superuser: unix socket only
USER = "csu"
_STOP_SIGNALS = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}
_BIND_FAILED = re.compile(r"could not bind IPv4 address|could not create any TCP/IP sockets")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SOCKET_PATH_MAX = 107  # sun_path, less the terminating NUL


class PostgresStartError(RuntimeError):
    """The server did not start; the message carries the end of its log."""


def pg_bin_dir() -> Path:
    """Where initdb and postgres are: `CSU_PG_BIN`, else Debian's newest
    /usr/lib/postgresql/<version>/bin (off PATH), else the folder of `initdb` on PATH."""
    if os.environ.get("CSU_PG_BIN"):
        return Path(os.environ["CSU_PG_BIN"])
    versions = sorted((p for p in DEBIAN_PG_LIB.glob("*/bin") if (p / "initdb").exists()),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if versions:
        return versions[-1]
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else DEBIAN_PG_LIB / "missing" / "bin"


def postgres_missing() -> str:
    """"" when the server programs are here, else what is missing, in plain words."""
    folder = pg_bin_dir()
    absent = [p for p in PG_PROGRAMS if not (folder / p).exists()]
    if not absent:
        return ""
    return (f"PostgreSQL's {', '.join(absent)} not found in {folder}: install Debian's "
            "`postgresql` package (packaging/dev.sh lists it) or set CSU_PG_BIN")


@dataclass(frozen=True)
class _Account:
    """Who the server runs as when we are root: the command that becomes them, and the
    owner its files need."""

    name: str
    prefix: list[str]
    uid: int
    gid: int


def _server_account() -> _Account | None:
    """None: not root, the server runs as we are."""
    if os.geteuid() != 0:
        return None
    try:
        pg = pwd.getpwnam("postgres")
        return _Account("postgres", ["runuser", "-u", "postgres", "--"], pg.pw_uid, pg.pw_gid)
    except KeyError:
        nobody, nogroup = pwd.getpwnam("nobody"), grp.getgrnam("nogroup")
        return _Account("nobody",
                        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"],
                        nobody.pw_uid, nogroup.gr_gid)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie (a zombie holds no shared memory)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    m = re.search(r"^State:\s+(\S)", status, re.M)
    return not (m and m.group(1) in "ZX")


def _parent(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    m = re.search(r"^PPid:\s+(\d+)", status, re.M)
    return int(m.group(1)) if m else None


def _working_in(folder: Path) -> list[int]:
    """Processes whose working folder is `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if Path(os.readlink(entry / "cwd")) == folder:
                    found.append(int(entry.name))
    return found


class PostgresServer:
    """`PostgresServer(Path(tempfile.mkdtemp()), ssl=False).start()`, then
    `create_database("x")` -> "postgresql://csu@127.0.0.1:PORT/x" (the password is
    `.password`, or PGPASSWORD in `env()`), `stop()`, `kill()`, `restart()`.

    ssl=True: the server also offers TLS (a certificate for 127.0.0.1 signed by a test CA,
    `ca_file`, so `sslmode=verify-full` works too). ssl_only=True: TCP without TLS is
    refused (a site whose server insists on TLS)."""

    host = "127.0.0.1"
    user = USER

    def __init__(self, root: Path, ssl: bool = False, *, ssl_only: bool = False,
                 start_timeout_s: float = 60.0) -> None:
        self.root = Path(root).resolve()
        self.ssl = ssl or ssl_only
        self.ssl_only = ssl_only
        self.start_timeout_s = start_timeout_s
        self.password = secrets.token_urlsafe(24)
        self.port = 0  # picked at the first start, kept afterwards
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log_file = self.root / "server.log"
        self.ca_file: Path | None = None  # ssl: the CA that signed the server's certificate
        self._tls: TlsFiles | None = None
        self._account = _server_account()
        self._proc: subprocess.Popen[bytes] | None = None
        self._initialised = False
        self._role_made = False

    # -- context manager -------------------------------------------------------------------

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while it runs (from its postmaster.pid)."""
        lines = self._pid_file()
        return self._ours(lines[0]) if lines else None

    def start(self) -> None:
        """initdb the first time, then run the server and return once it accepts
        connections; later starts reuse the data and the port."""
        if self.running:
            return
        missing = postgres_missing()
        if missing:
            raise PostgresStartError(missing)
        if not self._initialised:
            self._initialise()
        fixed_port = self.port != 0
        for _attempt in range(5):
            if not fixed_port:
                self.port = _free_port()
            self._write_settings()
            try:
                self._launch()
                break
            except PostgresStartError as error:
                # another process took the port between our pick and the server's bind
                if fixed_port or not _BIND_FAILED.search(str(error)):
                    raise
        else:
            raise PostgresStartError(f"no free port after 5 tries:\n{self.log_tail()}")
        if not self._role_made:
            with self.admin() as conn:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(self.user), sql.Literal(self.password)))
            self._role_made = True

    def stop(self, mode: str = "fast") -> None:
        """pg_ctl's shutdown modes: "smart" waits for clients, "fast" disconnects them
        (a clean shutdown checkpoint), "immediate" quits without one (recovery on start)."""
        if mode not in _STOP_SIGNALS:
            raise ValueError(f"stop mode {mode!r}: one of {', '.join(_STOP_SIGNALS)}")
        proc, pid = self._proc, self.pid
        if proc is None:
            return
        if pid is not None and proc.poll() is None:
            os.kill(pid, _STOP_SIGNALS[mode])
        try:
            proc.wait(timeout=self.start_timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            raise PostgresStartError(f"the server did not stop ({mode}) within "
                                     f"{self.start_timeout_s:g} s; killed it:\n"
                                     f"{self.log_tail()}") from None
        self._proc = None

    def kill(self) -> None:
        """A crash: SIGKILL the postmaster and every server process at once (as the OOM
        killer or a power cut would; no shutdown checkpoint), and wait until none is left,
        so `restart()` can run crash recovery at once."""
        proc, pid = self._proc, self.pid
        if proc is None:
            return
        if pid is not None:
            os.kill(pid, signal.SIGKILL)  # first: a dead postmaster starts no new process
        else:
            proc.kill()  # no postmaster (yet): runuser, or a postgres still starting
        # its backends and helpers, found by their working folder (every server process
        # works in the data folder; not by parent: they are orphans now)
        children = [p for p in _working_in(self.data) if p != pid]
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        try:
            proc.wait(timeout=30)  # runuser reaps the postmaster, then exits
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        self._proc = None
        if not poll_until(lambda: not [c for c in children if _alive(c)], 30):
            raise PostgresStartError(f"server processes {children} outlived SIGKILL")

    def restart(self) -> None:
        """Start again on the same port with the same data (after `stop()` or `kill()`;
        a running server is stopped first)."""
        if self.running:
            self.stop()
        self.start()

    # -- databases -------------------------------------------------------------------------

    def url(self, dbname: str) -> str:
        """The URL the console is given: no password in it (`password`, PGPASSWORD)."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A new empty database owned by `csu`; its URL."""
        self._check_name(name)
        with self.admin() as conn:
            # WAL_LOG (the default since 15) copies the small template through the WAL:
            # no checkpoint, so a database per test costs tens of milliseconds
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE template0 "
                                 "STRATEGY wal_log").format(
                sql.Identifier(name), sql.Identifier(self.user)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop it even when a test left connections open (they are cut)."""
        self._check_name(name)
        with self.admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))

    def connect(self, dbname: str, **kwargs: object) -> psycopg.Connection[tuple[object, ...]]:
        """A psycopg connection as `csu` over TCP, with the password (for tests)."""
        return psycopg.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, dbname=dbname,
                               **kwargs)  # type: ignore[arg-type]

    def admin(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        """The superuser through the private unix socket, autocommit (harness only)."""
        return psycopg.connect(host=str(self.sockets), port=self.port, user=SUPERUSER,
                               dbname=dbname, autocommit=True, connect_timeout=10)

    def env(self) -> dict[str, str]:
        """What a child process (the service, a seat, the bench) needs to reach the server
        as `csu` with libpq's own variables; merge it into os.environ."""
        env = {"PGHOST": self.host, "PGPORT": str(self.port), "PGUSER": self.user,
               "PGPASSWORD": self.password}
        if self.ca_file is not None:
            env["PGSSLROOTCERT"] = str(self.ca_file)
        return env

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return f"(no server log at {self.log_file})"
        return "\n".join(text.splitlines()[-lines:])

    # -- inside ----------------------------------------------------------------------------

    @staticmethod
    def _check_name(name: str) -> None:
        if not _NAME.match(name):
            raise ValueError(f"database name {name!r}: lower-case letters, digits and _, "
                             "at most 63, not starting with a digit")

    def _as_server(self, argv: list[str]) -> list[str]:
        return (self._account.prefix if self._account else []) + argv

    def _own(self, path: Path) -> None:
        if self._account:
            os.chown(path, self._account.uid, self._account.gid)

    def _run(self, argv: list[str], what: str) -> None:
        result = subprocess.run(self._as_server(argv), capture_output=True, text=True,
                                check=False, env=self._server_env(),
                                timeout=self.start_timeout_s)
        if result.returncode != 0:
            raise PostgresStartError(f"{what} failed (exit {result.returncode}):\n"
                                     f"{(result.stdout + result.stderr)[-2000:]}")

    @staticmethod
    def _server_env() -> dict[str, str]:
        """Ours without libpq's variables (a PGDATA of the caller must not leak in), with
        messages in English so the log reads the same everywhere."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_MESSAGES"] = "C"
        return env

    def _initialise(self) -> None:
        socket_path = self.sockets / ".s.PGSQL.65535"
        if len(str(socket_path)) > _SOCKET_PATH_MAX:
            raise PostgresStartError(f"{self.root} is too long a path for a unix socket "
                                     f"({len(str(socket_path))} > {_SOCKET_PATH_MAX} bytes)")
        self.root.mkdir(parents=True, exist_ok=True)
        self._own(self.root)
        if self._account:
            probe = subprocess.run(self._as_server(["test", "-w", str(self.root)]),
                                   capture_output=True, check=False)
            if probe.returncode != 0:
                raise PostgresStartError(
                    f"the server's user ({self._account.name}) cannot reach {self.root}: a "
                    "parent folder is closed to it (pytest's tmp_path is under a 0700 "
                    "folder); use tempfile.mkdtemp()")
        self.sockets.mkdir(mode=0o700, exist_ok=True)
        self._own(self.sockets)
        if self.ssl:
            self._make_certificate()
        initdb = str(pg_bin_dir() / "initdb")
        self._run([initdb, "-D", str(self.data), "-U", SUPERUSER, "--auth-local=trust",
                   "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-locale",
                   "--no-instructions"], "initdb")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\ninclude 'csu_test.conf'  # written by tests/servers/postgres.py\n")
        host = "hostssl" if self.ssl_only else "host"
        (self.data / "pg_hba.conf").write_text(
            "# tests/servers/postgres.py: the harness through its private socket; csu over\n"
            "# TCP on loopback with its password only\n"
            "local all all trust\n"
            f"{host} all all 127.0.0.1/32 scram-sha-256\n")
        self._initialised = True

    def _make_certificate(self) -> None:
        from tests.tls import make_tls_files

        folder = self.root / "tls"
        folder.mkdir(exist_ok=True)
        files = make_tls_files(folder)
        files.key.chmod(0o600)  # postgres refuses a key others can read
        for path in (folder, files.cert, files.key):
            self._own(path)
        self.ca_file = files.ca
        self._tls = files

    def _write_settings(self) -> None:
        lines = [
            "listen_addresses = '127.0.0.1'",
            f"port = {self.port}",
            f"unix_socket_directories = '{self.sockets}'",
            "fsync = on",  # the durability tests mean it
            "synchronous_commit = on",
            "shared_buffers = 32MB",  # the machine is shared
            "max_connections = 200",  # seats, the service and the bench, each with a few
            "password_encryption = 'scram-sha-256'",
            "log_line_prefix = '%m [%p] '",
            "lc_messages = 'C'",
        ]
        if self._tls is not None:
            lines += ["ssl = on", f"ssl_cert_file = '{self._tls.cert}'",
                      f"ssl_key_file = '{self._tls.key}'"]
        target = self.data / "csu_test.conf"
        target.write_text("\n".join(lines) + "\n")
        self._own(target)

    def _launch(self) -> None:
        postgres = str(pg_bin_dir() / "postgres")
        with self.log_file.open("ab") as log:
            start_at = log.tell()
            proc = subprocess.Popen(self._as_server([postgres, "-D", str(self.data)]),
                                    stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, env=self._server_env(),
                                    start_new_session=True)
        self._proc = proc
        poll_until(lambda: self._ready() or proc.poll() is not None, self.start_timeout_s)
        if not self._ready():
            why = (f"exited with {proc.returncode}" if proc.poll() is not None
                   else f"not ready within {self.start_timeout_s:g} s")
            if proc.poll() is None:
                self.kill()
            self._proc = None
            text = self.log_file.read_bytes()[start_at:].decode(errors="replace")
            tail = "\n".join(text.splitlines()[-30:]) or "(the log is empty)"
            raise PostgresStartError(f"PostgreSQL {why} (port {self.port}, data "
                                     f"{self.data}); end of {self.log_file}:\n{tail}")

    def _ready(self) -> bool:
        """postmaster.pid's last line says "ready" once it accepts connections (what
        `pg_ctl start -w` waits for)."""
        lines = self._pid_file()
        return len(lines) >= 8 and lines[7].strip() == "ready" and self._ours(lines[0]) is not None

    def _pid_file(self) -> list[str]:
        try:
            return (self.data / "postmaster.pid").read_text().splitlines()
        except OSError:
            return []

    def _ours(self, first_line: str) -> int | None:
        """The pid of postmaster.pid when it is the postmaster we run (our child, or
        runuser's), not the dead one a crash left in the file."""
        proc = self._proc
        if proc is None or proc.poll() is not None or not first_line.strip().isdigit():
            return None
        pid = int(first_line)
        return pid if _alive(pid) and proc.pid in (pid, _parent(pid)) else None


if __name__ == "__main__":  # a manual check: python -m tests.servers.postgres
    import tempfile

    with PostgresServer(Path(tempfile.mkdtemp(prefix="csu-pg-"))) as srv:
        sys.stdout.write(f"{srv.create_database('demo')}\nPGPASSWORD={srv.password}\n")
        input("Enter to stop\n")

"""Session-wide test set-up: an isolated home for settings, journals, caches and the
keyring, and QtWebEngine's root workaround. Runs before Qt is imported. Per test: a fresh
QSettings folder, and a check that no hub->Qt bridge is left running. On request: a real
PostgreSQL server for the session (`pg_server`) and a fresh database per test (`pg_url`);
a real OpenLDAP directory for the session (`slapd`)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from app.core.journal import JournalStore
    from tests.room.room_rig import Room
    from tests.servers.postgres import PostgresServer
    from tests.servers.slapd import SlapdServer

_HOME = Path(tempfile.mkdtemp(prefix="csu-test-home-"))
for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                 ("XDG_CACHE_HOME", "cache")):
    os.environ[var] = str(_HOME / sub)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
# No sound server for the tests: with pulseaudio installed (tests/gui/test_alarm_sound.py
# starts its own), a non-root run could autospawn one and make "no audio" machine-dependent.
os.environ["PULSE_SERVER"] = "unix:/nonexistent/csu-tests-have-no-sound-server"

REPO = Path(__file__).resolve().parents[1]


def _register_map_scheme() -> None:
    """The map's mbtiles: scheme and page compositing, set before any QApplication exists."""
    from maps.scheme import prepare_web_engine

    prepare_web_engine()


_register_map_scheme()


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh QSettings folder for each test, so no test sees another's window geometry,
    dock layout, wall layouts or language: QSettings.setPath for this process (Qt reads
    XDG_CONFIG_HOME only once), XDG_CONFIG_HOME for the consoles a test starts."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    return folder


_started_bridges: weakref.WeakSet[object] = weakref.WeakSet()


@pytest.fixture(scope="session", autouse=True)
def _record_bridges() -> Iterator[None]:
    """Remember every HubBridge a test starts (see `no_bridge_left_running`)."""
    from app.ui.bridge import HubBridge

    start = HubBridge.start

    def recording_start(self: HubBridge) -> None:
        _started_bridges.add(self)
        start(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(HubBridge, "start", recording_start)
        yield


@pytest.fixture(autouse=True)
def no_bridge_left_running(_record_bridges: None) -> Iterator[None]:
    """A test (or its fixtures) that starts a hub->Qt bridge stops it, in a `finally`: a
    bridge left running keeps draining its hub into the models of a finished test while
    the next one runs. Checked after the test's own fixtures are torn down."""
    _started_bridges.clear()
    yield
    running = [b for b in _started_bridges
               if b._timer.isActive()]  # type: ignore[attr-defined]
    for bridge in running:
        bridge.stop()  # type: ignore[attr-defined]
    _started_bridges.clear()
    assert not running, (f"{len(running)} HubBridge(s) still running after the test: call "
                         "bridge.stop() in a finally (or a fixture's teardown)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the whole session (tests/servers/postgres.py), started
    the first time a test asks for it, stopped at the end. Tests may `kill()`/`restart()`
    it (same port, same data); `pg_url` brings it back if a test left it down."""
    from tests.servers.postgres import PostgresServer

    # not under tmp_path: pytest's 0700 folder is closed to the server's unprivileged user
    root = Path(tempfile.mkdtemp(prefix="csu-pg-"))
    server = PostgresServer(root)
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            server.kill()  # nothing left if stop failed
            shutil.rmtree(root, ignore_errors=True)


_databases = itertools.count(1)


@pytest.fixture
def pg_url(pg_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh empty database for this test, owned by `csu`, dropped after it (even with
    connections left open): "postgresql://csu@127.0.0.1:PORT/NAME", no password in it:
    it is `pg_server.password` (or PGPASSWORD in `pg_server.env()` for a child process)."""
    base = re.sub(r"[^a-z0-9_]+", "_", request.node.name.lower()).strip("_")
    name = f"t{next(_databases)}_{base}"[:63]
    if not pg_server.running:
        pg_server.start()
    url = pg_server.create_database(name)
    yield url
    if not pg_server.running:  # the test crashed it and did not restart it
        pg_server.start()
    pg_server.drop_database(name)


@pytest.fixture
def room(pg_server: PostgresServer, pg_url: str) -> Iterator[Room]:
    """A room on this test's database: start its service and seats in the test
    (tests/room/room_rig.py); all stopped at the end."""
    from app.core.journal_url import parse_journal_url
    from tests.room.room_rig import Room

    r = Room(parse_journal_url(pg_url), pg_server.password)
    try:
        yield r
    finally:
        r.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def open_journal(request: pytest.FixtureRequest, tmp_path: Path
                 ) -> Iterator[Callable[[], JournalStore]]:
    """Opens (again) the same journal on the backend of the test's parameter: the journal's
    contract is tested once, on both backends."""
    from app.core.journal_url import parse_journal_url
    from app.store.opening import open_store

    opened: list[JournalStore] = []
    if request.param == "sqlite":
        where = parse_journal_url(str(tmp_path / "journal.sqlite"))
        password = None
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        where = parse_journal_url(request.getfixturevalue("pg_url"))
        password = server.password

    def opener() -> JournalStore:
        journal, _ = open_store(where, password, create=True)
        opened.append(journal)
        return journal

    yield opener
    for j in opened:
        j.close()


@pytest.fixture(scope="session")
def slapd() -> Iterator[SlapdServer]:
    """One real OpenLDAP server for the session, with the town's people and groups
    (tests/servers/slapd.py). Like `pg_server`, a missing package is a failure, not a
    skip: packaging/dev.sh installs it."""
    from tests.servers.slapd import SlapdServer, slapd_missing

    if slapd_missing():
        pytest.fail(slapd_missing())
    root = Path(tempfile.mkdtemp(prefix="csu-slapd-"))  # not tmp_path: see pg_server
    server = SlapdServer(root)
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            server.kill()
            shutil.rmtree(root, ignore_errors=True)

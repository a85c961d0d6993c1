"""The video engines under a real X server: RTSP from a real GStreamer RTSP server (played
by the OpenCV/FFmpeg engine where libvlc has no live555), HTTP MJPEG through libvlc, one
watchdog for both. What the operator sees is read from the X server's own picture."""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera
from app.core.model import Camera, CameraKind, Streams
from app.core.site import CameraConfig
from tests.gui.screen import grab_screen, moved, shows_picture
from tests.servers import RtspServer, rtsp_server_available
from tests.servers.mjpeg import MjpegServer
from widgets.video import VideoWall, engine
from widgets.video.engine import EngineStatus, MediaOptions
from widgets.video.engines.opencv import ffmpeg_options
from widgets.video.reconnect import shared_holds
from widgets.video.tile import STALL_S, TileState

pytestmark = pytest.mark.video

_WHY_NO_RTSP = rtsp_server_available()
needs_rtsp = pytest.mark.skipif(bool(_WHY_NO_RTSP), reason=_WHY_NO_RTSP)
MOUNTS = ["cam1", "cam2", "cam3", "cam4", "cam5"]


def lost_for(message: str) -> int:
    """The N of "No signal for N s" (-1 if absent)."""
    found = re.search(r"No signal for (\d+) s", message)
    return int(found.group(1)) if found else -1


def rtsp_camera(server: RtspServer, mount: str, **kw: object) -> Camera:
    url = server.url(mount)
    return Camera(mount, f"RTSP {mount}", CameraKind.FIXED, Streams(main=url, sub=url),
                  **kw)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_login_held_from_another_test() -> Iterator[None]:
    """Refused logins are held for the process (every tile, every wall): not across tests."""
    shared_holds().clear()
    yield
    shared_holds().clear()


@pytest.fixture(scope="module")
def rtsp() -> Iterator[RtspServer]:
    if _WHY_NO_RTSP:
        pytest.skip(_WHY_NO_RTSP)
    srv = RtspServer(MOUNTS, width=320, height=180, fps=15).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http_cams() -> Iterator[CameraServerProcess]:
    srv = CameraServerProcess([SyntheticCamera("h1", "HTTP 1", "fixed", seed=1),
                               SyntheticCamera("bwc", "BWC", "body", seed=4)], fps=10)
    srv.start()
    yield srv
    srv.stop()


def http_camera(srv: CameraServerProcess, cam_id: str, kind: CameraKind = CameraKind.FIXED,
                ) -> Camera:
    return Camera(cam_id, f"HTTP {cam_id}", kind,
                  Streams(main=srv.url(cam_id, "main"), sub=srv.url(cam_id, "sub")),
                  officer_id="officer-7" if kind is CameraKind.BODY else None)


# --- options and choice (no X needed, but cheap) ------------------------------------------


def test_site_options_reach_the_camera_and_the_engines() -> None:
    cfg = CameraConfig.model_validate({"id": "c", "name": "C", "main": "rtsp://10.0.0.5/main",
                                       "network_caching_ms": 150, "rtsp_tcp": False,
                                       "hw_decoding": True})
    cam = cfg.to_camera()
    assert (cam.network_caching_ms, cam.rtsp_tcp, cam.hw_decoding) == (150, False, True)
    hash(cam)  # still a frozen, hashable domain value
    opts = MediaOptions(cam.network_caching_ms, cam.rtsp_tcp, cam.hw_decoding)
    vlc_opts = engine.media_options(cam.streams.main, network_caching_ms=150, rtsp_tcp=False,
                                    hw_decoding=True)
    assert ":network-caching=150" in vlc_opts
    assert ":rtsp-tcp" not in vlc_opts
    assert ":avcodec-hw=any" in vlc_opts
    ff = ffmpeg_options(cam.streams.main, opts)
    assert "rtsp_transport;udp" in ff
    assert "max_delay;150000" in ff
    assert "rtsp_transport;tcp" in ffmpeg_options(cam.streams.main, MediaOptions())
    assert "rtsp_transport" not in ffmpeg_options("http://x/a.mjpg", MediaOptions())


def test_engine_choice_per_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert engine.choose("http://127.0.0.1/a.mjpg").engine == engine.ENGINE_NAME
    # a login over HTTP: FFmpeg (libvlc 3 answers Basic only, and loops on Digest)
    assert engine.choose("http://127.0.0.1/a.mjpg", login=True).engine == engine.OPENCV_ENGINE
    assert engine.choose("http://op:pw@127.0.0.1/a.mjpg").reason == engine.HTTP_LOGIN_WHY
    rtsp_choice = engine.choose("rtsp://127.0.0.1/a")
    if engine.libvlc_has_rtsp():
        assert rtsp_choice.engine == engine.ENGINE_NAME
    else:  # Debian's libvlc: built without live555
        assert rtsp_choice.engine == engine.OPENCV_ENGINE
        assert "live555" in rtsp_choice.reason
    monkeypatch.setattr(engine, "libvlc_status", lambda: EngineStatus(False, "gone"))
    assert engine.choose("http://127.0.0.1/a.mjpg").engine == engine.OPENCV_ENGINE
    monkeypatch.setattr(engine, "opencv_status", lambda: EngineStatus(False, "none"))
    assert engine.choose("http://127.0.0.1/a.mjpg").engine == ""


# --- real streams on a real X server --------------------------------------------------------


@needs_rtsp
def test_rtsp_and_http_tiles_play_side_by_side(qtbot: QtBot, wall: VideoWall, rtsp: RtspServer,
                                               http_cams: CameraServerProcess) -> None:
    """A 3×3 wall: RTSP tiles and HTTP tiles, each engine named in its tooltip; the
    screenshot is kept for people to look at (CSU_SCREENSHOT, unset: not kept)."""
    wall.set_grid(3)
    wall.set_callsign("bwc", "PM 7")
    cams = [rtsp_camera(rtsp, m) for m in MOUNTS] + [
        http_camera(http_cams, "h1"), http_camera(http_cams, "bwc", CameraKind.BODY)]
    wall.show_cameras(list[Camera | None](cams))
    tiles = wall.tiles()[: len(cams)]
    qtbot.waitUntil(lambda: all(t.state is TileState.PLAYING for t in tiles), timeout=15_000)
    qtbot.waitUntil(lambda: all(shows_picture(grab_screen(), t) for t in tiles), timeout=5_000)
    first = grab_screen()
    qtbot.waitUntil(lambda: all(moved(first, grab_screen(), t) for t in tiles), timeout=5_000)
    qtbot.waitUntil(lambda: all("fps" in t._stats.text() for t in tiles), timeout=5_000)
    if not engine.libvlc_has_rtsp():
        assert "opencv-ffmpeg" in tiles[0]._header.toolTip()
        assert "live555" in tiles[0]._header.toolTip()
        assert wall._banner.isVisible()
        assert "rtsp://" in wall._banner.text()
    assert "libvlc" in tiles[5]._header.toolTip()
    body = tiles[6]
    assert body._live.isVisible()
    assert body._callsign_label.text() == "PM 7"
    shot = Path(os.environ.get("CSU_SCREENSHOT", "")) if os.environ.get("CSU_SCREENSHOT") \
        else None
    if shot is not None:
        QGuiApplication.primaryScreen().grabWindow(0, 0, 0, wall.width(),
                                                   wall.height()).save(str(shot))


@needs_rtsp
def test_hidden_rtsp_tiles_stop_their_player(qtbot: QtBot, wall: VideoWall,
                                             rtsp: RtspServer) -> None:
    wall.set_grid(2)
    wall.show_cameras([rtsp_camera(rtsp, "cam1"), rtsp_camera(rtsp, "cam2")])
    first, second = wall.tiles()[:2]
    qtbot.waitUntil(lambda: second.state is TileState.PLAYING, timeout=8_000)
    player = second._player.current
    assert player is not None
    wall.set_grid(1)  # tile 2 leaves the screen
    assert second.state is TileState.STOPPED
    assert player.state() == "idle"
    stopped_at = player.frames()
    other = first._player.current
    assert other is not None
    seen = other.frames()
    qtbot.waitUntil(lambda: other.frames() >= seen + 10, timeout=5_000)  # time passes
    assert player.frames() <= stopped_at + 1  # at most a frame already in flight
    wall.set_grid(2)
    qtbot.waitUntil(lambda: second.state is TileState.PLAYING, timeout=8_000)


@needs_rtsp
def test_rtsp_signal_lost_and_back(qtbot: QtBot, wall: VideoWall) -> None:
    server = RtspServer(["live"], width=320, height=180, fps=15).start()
    try:
        wall.set_grid(1)
        wall.show_camera(rtsp_camera(server, "live"), 0)
        tile = wall.tile(0)
        qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
        qtbot.waitUntil(lambda: shows_picture(grab_screen(), tile), timeout=5_000)
        server.stop()
        qtbot.waitUntil(lambda: tile.state is TileState.NO_SIGNAL,
                        timeout=int((STALL_S + 1.5) * 1000))
        assert "No signal for" in tile.message
        assert not tile.surface().isVisible()  # the message page, not a frozen picture
        # the time since the last frame keeps counting across the reconnect attempts
        qtbot.waitUntil(lambda: lost_for(tile.message) >= 3, timeout=5_000)
        server.start()  # same port: the camera comes back
        qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=6_000)
        qtbot.waitUntil(lambda: shows_picture(grab_screen(), tile), timeout=5_000)
        assert "↻" in tile._stats.text()  # the reconnect count is in the header
    finally:
        server.stop()


@needs_rtsp
@pytest.mark.skipif(sys.platform == "win32", reason="freezes the server with SIGSTOP")
def test_rtsp_stall_is_caught_by_the_watchdog(qtbot: QtBot, wall: VideoWall) -> None:
    """The connection stays open and frames stop: only the frame watchdog sees it."""
    server = RtspServer(["live"], width=320, height=180, fps=15).start()
    try:
        wall.set_grid(1)
        wall.show_camera(rtsp_camera(server, "live"), 0)
        tile = wall.tile(0)
        qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
        assert server.pid is not None
        os.kill(server.pid, signal.SIGSTOP)
        try:
            qtbot.waitUntil(lambda: tile.state is TileState.NO_SIGNAL,
                            timeout=int((STALL_S + 1.5) * 1000))
            assert "No signal for" in tile.message
        finally:
            os.kill(server.pid, signal.SIGCONT)
        qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=12_000)
    finally:
        server.stop()


@needs_rtsp
@pytest.mark.parametrize("method", ["basic", "digest"])
def test_wrong_mount_and_refused_credentials_say_so(qtbot: QtBot, wall: VideoWall,
                                                    method: str) -> None:
    """Basic and Digest cameras alike: the right password plays, a wrong one is named as
    such (the tile's diagnosis is the one stream client: before it, a Digest camera with
    the right password was also called a refused password when its stream failed)."""
    server = RtspServer(["cam"], auth=("op", "s3cret"), auth_method=method, width=320,
                        height=180, fps=15).start()
    try:
        wall.set_grid(2)
        bad_pw = Camera("pw", "Bad password", CameraKind.FIXED,
                        Streams(main=server.url("cam", credentials=("op", "badpass"))))
        nowhere = Camera("nf", "No such mount", CameraKind.FIXED,
                         Streams(main=server.url("nothing")))
        good = rtsp_camera(server, "cam")
        wall.show_cameras([bad_pw, nowhere, good])
        t_pw, t_nf, t_ok = wall.tiles()[:3]
        qtbot.waitUntil(lambda: t_ok.state is TileState.PLAYING, timeout=10_000)
        if engine.choose(good.streams.main).engine != engine.OPENCV_ENGINE:
            pytest.skip("the reasons come from the FFmpeg engine's RTSP probe")
        qtbot.waitUntil(lambda: "refused the user name or password" in t_pw.message,
                        timeout=8_000)
        qtbot.waitUntil(lambda: "no stream at this address" in t_nf.message, timeout=8_000)
        assert engine.diagnose(good.streams.main) == ""
        assert t_pw.state is TileState.ERROR
        assert t_nf.state is TileState.ERROR
        for tile in (t_pw, t_nf, t_ok):
            assert "s3cret" not in tile.message
            assert "badpass" not in tile.message
            assert "s3cret" not in tile._header.toolTip()
    finally:
        server.stop()


def test_http_wrong_url_is_named_on_a_libvlc_tile(qtbot: QtBot, wall: VideoWall,
                                                   http_cams: CameraServerProcess) -> None:
    """libvlc only says "error": the tile asks the server itself (off the GUI thread)."""
    url = http_cams.url("h1", "sub").replace("/h1/", "/no-such-camera/")
    wall.set_grid(1)
    wall.show_camera(Camera("x", "Wrong URL", CameraKind.FIXED, Streams(main=url)), 0)
    tile = wall.tile(0)
    assert engine.choose(url).engine == engine.ENGINE_NAME
    qtbot.waitUntil(lambda: "no stream at this address" in tile.message, timeout=8_000)
    assert tile.state is TileState.ERROR
    assert url in tile.message


def test_without_libvlc_http_plays_through_ffmpeg(qtbot: QtBot, wall: VideoWall,
                                                   http_cams: CameraServerProcess,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "libvlc_status",
                        lambda: EngineStatus(False, "libvlc cannot be loaded: test"))
    wall.set_grid(1)
    wall.show_camera(http_camera(http_cams, "h1"), 0)
    tile = wall.tile(0)
    qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
    qtbot.waitUntil(lambda: shows_picture(grab_screen(), tile), timeout=5_000)
    assert "opencv-ffmpeg" in tile._header.toolTip()
    assert wall._banner.isVisible()
    assert "libvlc is missing" in wall._banner.text()


def test_a_camera_login_comes_from_the_keyring(qtbot: QtBot, wall: VideoWall) -> None:
    """The URL (journaled, shown) has no password: the tile reads it from the keyring by
    name, off the GUI thread, and plays; a name the keyring does not hold is said plainly."""
    from app.core.secrets import set_secret

    server = RtspServer(["cam"], auth=("op", "k3yring-pw"), width=320, height=180,
                        fps=15).start()
    try:
        set_secret("test-cam-login", "k3yring-pw")
        url = f"rtsp://127.0.0.1:{server.port}/cam"  # what the site file and journal hold
        good = Camera("kr", "Keyring login", CameraKind.FIXED, Streams(main=url),
                      username="op", password_secret="test-cam-login")
        missing = Camera("km", "No such secret", CameraKind.FIXED, Streams(main=url),
                         username="op", password_secret="test-cam-nobody")
        wall.set_grid(2)
        wall.show_cameras([good, missing])
        t_good, t_missing = wall.tiles()[:2]
        qtbot.waitUntil(lambda: t_good.state is TileState.PLAYING, timeout=10_000)
        qtbot.waitUntil(lambda: "No password for this camera" in t_missing.message,
                        timeout=5_000)
        assert "test-cam-nobody" in t_missing.message
        assert "k3yring-pw" not in t_good._header.toolTip()
        assert "k3yring-pw" not in t_good.url
    finally:
        server.stop()


# --- one rule for refused credentials, for every engine -------------------------------------

REFUSAL_WINDOW_MS = 8_000  # long enough for ~8 tries at the outage pace, far below 5 min


def keyring_camera(cam_id: str, url: str, secret: str, password: str) -> Camera:
    from app.core.secrets import set_secret

    set_secret(secret, password)
    return Camera(cam_id, f"Camera {cam_id}", CameraKind.FIXED, Streams(main=url),
                  username="op", password_secret=secret)


@pytest.mark.parametrize("forced", ["", "libvlc"])
def test_an_http_camera_refusing_the_password_is_not_hammered(
        qtbot: QtBot, wall: VideoWall, forced: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Engines say little about why an HTTP stream fails: before the one rule, a libvlc
    tile retried every second (33 tries in 43 s); now the camera's answer ("refused") puts
    the login on the slow schedule, for every tile that shows it, whichever engine plays
    it (FFmpeg, chosen for HTTP logins, or libvlc when forced)."""
    monkeypatch.setenv(engine.ENGINE_ENV, forced)
    with MjpegServer(auth=("op", "right-pw")) as cam:
        good = keyring_camera("hg", cam.url(), "test-http-right", "right-pw")
        bad = keyring_camera("hb", cam.url(), "test-http-wrong", "wrong-pw")
        wall.set_grid(2)
        wall.show_cameras([good, bad])
        t_good, t_bad = wall.tiles()[:2]
        qtbot.waitUntil(lambda: t_good.state is TileState.PLAYING, timeout=10_000)
        assert (forced or engine.OPENCV_ENGINE) in t_good._header.toolTip()
        qtbot.waitUntil(lambda: "refused the user name or password" in t_bad.message,
                        timeout=15_000)  # libvlc gives an attempt up after 8 s
        assert t_bad.health() == ("hb", "offline",
                                  "The camera refused the user name or password.")
        refused, connections = cam.count("refused"), cam.count("connections")
        assert refused <= 3  # libvlc's login, then the tile's one question
        wall.show_camera(bad, 2)  # the same login on another tile: held, not tried
        qtbot.waitUntil(lambda: "refused the user name or password" in wall.tile(2).message,
                        timeout=3_000)
        qtbot.wait(REFUSAL_WINDOW_MS)  # a window in which the old rule tried ~8 times
        assert cam.count("refused") == refused
        assert cam.count("connections") == connections
        assert "retrying in" in t_bad.message
        assert "wrong-pw" not in t_bad.message + t_bad._header.toolTip()


def test_an_http_camera_asking_for_digest_plays_without_a_login_storm(
        qtbot: QtBot, wall: VideoWall) -> None:
    """libvlc 3 answers an HTTP Digest challenge with Basic, again and again (6,717 failed
    logins in 4 s, measured with the right password): such a camera plays through FFmpeg,
    which answers Digest."""
    with MjpegServer(auth=("op", "right-pw"), method="digest") as cam:
        wall.set_grid(1)
        wall.show_camera(keyring_camera("hd", cam.url(), "test-http-digest", "right-pw"), 0)
        tile = wall.tile(0)
        qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=10_000)
        qtbot.waitUntil(lambda: shows_picture(grab_screen(), tile), timeout=5_000)
        assert cam.count("refused") == 0


@needs_rtsp
def test_an_rtsp_camera_refusing_the_password_is_not_hammered(qtbot: QtBot,
                                                              wall: VideoWall) -> None:
    """The same rule through the FFmpeg engine and RTSP Digest: one refusal holds the
    login for every tile (a tour or a second wall showing the camera tries nothing)."""
    server = RtspServer(["cam"], auth=("op", "right-pw"), auth_method="digest", width=320,
                        height=180, fps=15).start()
    try:
        url = f"rtsp://127.0.0.1:{server.port}/cam"
        bad = keyring_camera("rb", url, "test-rtsp-wrong", "wrong-pw")
        wall.set_grid(2)
        wall.show_camera(bad, 0)
        first = wall.tile(0)
        qtbot.waitUntil(lambda: "refused the user name or password" in first.message,
                        timeout=10_000)
        connections = server.connections
        wall.show_camera(bad, 1)
        wall.tile(3).play(bad)
        for tile in (wall.tile(1), wall.tile(3)):
            qtbot.waitUntil(lambda t=tile: "refused the user name or password" in t.message,
                            timeout=3_000)
        qtbot.wait(REFUSAL_WINDOW_MS)
        assert server.connections == connections
        assert all(wall.tile(i).health()[1] == "offline" for i in (0, 1, 3))
    finally:
        server.stop()


def test_a_keyring_answer_that_comes_before_the_tile_listens_is_not_lost(
        qtbot: QtBot, wall: VideoWall, http_cams: CameraServerProcess,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The race behind "Connecting… for ever", made certain: the keyring's answer
    (`loaded`) is emitted before the lookup returns, i.e. before a tile that subscribes
    after looking up could hear it. The tile must still start."""
    from widgets.video import credentials

    creds = credentials.shared()
    real = creds.lookup
    calls: list[str] = []

    def lookup_that_answers_first(name: str) -> tuple[str | None, str | None]:
        calls.append(name)
        if len(calls) == 1:
            creds.loaded.emit(name)  # the worker finished first...
            return None, None  # ...but this caller was told "being read"
        return "any-password", None

    monkeypatch.setattr(creds, "lookup", lookup_that_answers_first)
    cam = http_camera(http_cams, "h1")
    cam = Camera(cam.id, cam.name, cam.kind, cam.streams, username="op",
                 password_secret="test-race-secret")
    wall.set_grid(1)
    wall.show_camera(cam, 0)
    tile = wall.tile(0)
    qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
    assert len(calls) >= 2
    monkeypatch.setattr(creds, "lookup", real)


def test_a_tile_left_waiting_for_the_keyring_plays_the_next_camera_steadily(
        qtbot: QtBot, wall: VideoWall, http_cams: CameraServerProcess,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The watchdog revisits a tile waiting for its password; a tile given another camera
    (one without a password) meanwhile must not be restarted on every tick."""
    from widgets.video import credentials

    creds = credentials.shared()
    monkeypatch.setattr(creds, "lookup", lambda _name: (None, None))  # a keyring that hangs
    cam = http_camera(http_cams, "h1")
    waiting = Camera("kw", "Waits for its password", CameraKind.FIXED, cam.streams,
                     username="op", password_secret="test-slow-keyring")
    wall.set_grid(1)
    wall.show_camera(waiting, 0)
    tile = wall.tile(0)
    qtbot.waitUntil(lambda: tile.state is TileState.CONNECTING, timeout=2_000)
    wall.show_camera(cam, 0)
    qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
    qtbot.waitUntil(lambda: "fps" in tile._stats.text(), timeout=5_000)  # over a second
    assert tile._reconnects == 0
    assert tile.state is TileState.PLAYING

"""The one stream client (`app.net.stream_check`) against real peers on loopback: GStreamer's
RTSP server asking for Basic, then for Digest, with the right, a wrong and no password,
through both of its users: the RTSP adapter's probe (`check_stream`, asyncio) and the video
tile's diagnosis (`engine.diagnose`, blocking). Then an MJPEG-over-HTTP camera asking for
Basic or Digest with qop=auth, a stale nonce, and one failed login per check, never two."""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import socket
from collections.abc import Iterator

import pytest

from app.adapters.rtsp.probe import check_stream
from app.net.stream_check import Outcome, StreamAnswer, ask
from tests.servers import RtspServer, rtsp_server_available
from tests.servers.mjpeg import MjpegServer
from widgets.video.engine import diagnose

WHY = rtsp_server_available()
needs_rtsp = pytest.mark.skipif(bool(WHY), reason=f"no real RTSP server here: {WHY}")
AUTH = ("op", "pw-of-the-op")


@pytest.fixture(scope="module", params=["basic", "digest"])
def rtsp(request: pytest.FixtureRequest) -> Iterator[RtspServer]:
    if WHY:
        pytest.skip(WHY)
    with RtspServer(["cam"], auth=AUTH, auth_method=request.param, width=320, height=180,
                    fps=10) as srv:
        yield srv


def plain(srv: RtspServer, mount: str = "cam") -> str:
    return f"rtsp://127.0.0.1:{srv.port}/{mount}"


@needs_rtsp
def test_the_probe_logs_in_with_basic_and_digest(rtsp: RtspServer) -> None:
    right = asyncio.run(check_stream(plain(rtsp), *AUTH))
    assert (right.ok, right.detail, right.codecs) == (True, "answered, H.264 stream", ("H.264",))
    wrong = asyncio.run(check_stream(plain(rtsp), AUTH[0], "not-it"))
    assert (wrong.ok, wrong.detail) == (False, "refused the password of user 'op'")
    none = asyncio.run(check_stream(plain(rtsp), None, None))
    assert not none.ok
    assert "asks for a user name and password" in none.detail
    missing = asyncio.run(check_stream(plain(rtsp, "nothing-here"), *AUTH))
    assert (missing.ok, missing.detail) == (False, "answered, but has no stream at this path "
                                                   "(404)")


@needs_rtsp
def test_the_tile_diagnosis_logs_in_with_basic_and_digest(rtsp: RtspServer) -> None:
    """Before the one client, a Digest camera with the right password was diagnosed
    "auth" (the tile's own client sent Basic) and put on the slow back-off."""
    assert diagnose(rtsp.url("cam")) == ""
    assert diagnose(rtsp.url("cam", credentials=(AUTH[0], "not-it"))) == "auth"
    assert diagnose(f"rtsp://127.0.0.1:{rtsp.port}/cam") == "no_login"
    assert diagnose(rtsp.url("nothing-here")) == "not_found"


@needs_rtsp
def test_a_refused_check_costs_one_connection_and_one_login(rtsp: RtspServer) -> None:
    before = rtsp.connections
    assert asyncio.run(ask(plain(rtsp), AUTH[0], "not-it")).outcome is Outcome.AUTH_REFUSED
    assert rtsp.connections == before + 1  # the challenge and the answer on one connection


def test_a_closed_port_and_a_silent_one() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = asyncio.run(ask(f"rtsp://127.0.0.1:{port}/cam", timeout=3))
    assert down.outcome is Outcome.REFUSED
    assert down.detail.startswith(f"cannot connect to 127.0.0.1:{port}")
    assert diagnose(f"http://127.0.0.1:{port}/cam.mjpg") == "refused"
    with socket.socket() as quiet:  # accepts (the backlog), never answers
        quiet.bind(("127.0.0.1", 0))
        quiet.listen(1)
        silent = asyncio.run(ask(f"rtsp://127.0.0.1:{quiet.getsockname()[1]}/cam", timeout=0.5))
    assert silent.outcome is Outcome.SILENT
    assert "accepted the connection but did not answer" in silent.detail


@pytest.mark.parametrize("method", ["basic", "digest"])
def test_an_mjpeg_camera_over_http(method: str) -> None:
    with MjpegServer(auth=AUTH, method=method) as cam:
        url = cam.url()
        ok = asyncio.run(ask(url, *AUTH))
        assert (ok.outcome, ok.codecs) == (Outcome.OK, ("MJPEG",))
        assert diagnose(url.replace("http://", f"http://{AUTH[0]}:{AUTH[1]}@")) == ""
        refused_before = cam.count("refused")
        wrong = asyncio.run(ask(url, AUTH[0], "not-it"))
        assert wrong.outcome is Outcome.AUTH_REFUSED
        assert cam.count("refused") == refused_before + 1  # one failed login, never two
        assert diagnose(url.replace("http://", f"http://{AUTH[0]}:not-it@")) == "auth"
        assert asyncio.run(ask(url)).outcome is Outcome.NO_LOGIN


def test_a_stale_nonce_is_answered_again_not_called_a_wrong_password() -> None:
    with MjpegServer(auth=AUTH, method="digest") as cam:
        cam.stale_once = True
        answer = asyncio.run(ask(cam.url(), *AUTH))
        assert answer.outcome is Outcome.OK
        assert (cam.count("stale"), cam.count("refused")) == (1, 0)


class QopCamera:
    """An RTSP camera like many real ones and unlike GStreamer's: Digest with qop=auth,
    and it hangs up after every 401. Checks the answer with its own arithmetic."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password, self.realm = user, password, "IP Camera(23731)"
        self.connections = 0
        self.refused = 0
        self.nonces: dict[str, int] = {}  # nonce -> the last nc seen

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode()
                lines = head.split("\r\n")
                method, uri, _ = lines[0].split(" ")
                headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
                cseq = headers.get("CSeq", "0")
                auth = headers.get("Authorization")
                if auth is not None and self.check(method, uri, auth):
                    sdp = b"v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\n"
                    writer.write(f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nContent-Type: "
                                 f"application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n"
                                 .encode() + sdp)
                    await writer.drain()
                    continue
                if auth is not None:
                    self.refused += 1
                nonce = secrets.token_hex(8)
                self.nonces[nonce] = 0
                writer.write(f'RTSP/1.0 401 Unauthorized\r\nCSeq: {cseq}\r\nWWW-Authenticate: '
                             f'Digest realm="{self.realm}", nonce="{nonce}", qop="auth", '
                             f'algorithm="MD5"\r\nContent-Length: 0\r\n\r\n'.encode())
                await writer.drain()
                break  # and hang up, as some cameras do
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def check(self, method: str, uri: str, header: str) -> bool:
        p = dict(re.findall(r'(\w+)="?([^",]+)"?', header.removeprefix("Digest ")))
        nonce, nc = p.get("nonce", ""), int(p.get("nc", "0"), 16)
        if nonce not in self.nonces or nc <= self.nonces[nonce] or p.get("uri") != uri:
            return False
        self.nonces[nonce] = nc
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"{self.user}:{self.realm}:{self.password}")
        ha2 = md5(f"{method}:{uri}")
        return p.get("response") == md5(f"{ha1}:{nonce}:{p['nc']}:{p['cnonce']}:auth:{ha2}")


def test_digest_with_qop_on_a_camera_that_hangs_up_after_401() -> None:
    async def run() -> tuple[QopCamera, StreamAnswer, StreamAnswer]:
        cam = QopCamera(*AUTH)
        server = await asyncio.start_server(cam.serve, "127.0.0.1", 0)
        url = f"rtsp://127.0.0.1:{server.sockets[0].getsockname()[1]}/Streaming/101"
        try:
            right = await ask(url, *AUTH)
            wrong = await ask(url, AUTH[0], "not-it")
        finally:
            server.close()
            await server.wait_closed()
        return cam, right, wrong

    cam, right, wrong = asyncio.run(run())
    assert (right.outcome, right.codecs) == (Outcome.OK, ("H.265",))
    assert wrong.outcome is Outcome.AUTH_REFUSED
    assert cam.refused == 1  # one failed login for the wrong password, none for the right
    assert cam.connections == 4  # each check: the challenge, then (hung up) the answer

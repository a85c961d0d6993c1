"""The one stream client's pure parts (`app.net`): URLs (no password allowed in them),
answers, challenges, Basic and Digest authorisation checked against the RFCs' own worked
examples (RFC 2617 3.5, RFC 7616 3.9.1), SDP codecs, and hypothesis garbage."""

from __future__ import annotations

import ast
import contextlib
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.net.auth import (
    Authenticator,
    AuthError,
    Challenge,
    answerable,
    parse_challenges,
    pick,
)
from app.net.rtsp import (
    RtspError,
    parse_answer_head,
    parse_head,
    sdp_codecs,
    split_url,
    target,
)
from tests.conftest import REPO


def params(header: str) -> dict[str, str]:
    (challenge,) = parse_challenges([header.removeprefix("Authorization: ")])
    return challenge.params


def test_urls() -> None:
    assert split_url("rtsp://cam.local/s1") == ("cam.local", 554, "rtsp://cam.local/s1")
    assert split_url("rtsp://user@10.0.0.2:8554/a?x=1")[1:] == (8554, "rtsp://10.0.0.2:8554/a?x=1")
    for bad in ("http://x/", "rtsp://u:secret@x/", "rtsp:///x", "rtsp://x:99999/"):
        with pytest.raises(RtspError):
            split_url(bad)
    http = target("http://cam:8080/video.mjpg?res=1", ("rtsp", "http"))
    assert (http.scheme, http.host, http.port, http.path) == ("http", "cam", 8080,
                                                              "/video.mjpg?res=1")


def test_digest_without_qop_follows_rfc_2069() -> None:
    """GStreamer's RTSP server and many cameras offer no qop: MD5(HA1:nonce:HA2)."""
    ch = 'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"'
    auth = Authenticator(parse_challenges([ch])[0], "Mufasa", "Circle Of Life")
    p = params(auth.header("GET", "/dir/index.html"))
    assert p["response"] == "670fd8c2df070c60b045671b8b24ff02"
    assert "nc" not in p
    assert "cnonce" not in p


def test_digest_with_qop_auth_follows_rfc_2617() -> None:
    ch = ('Digest realm="testrealm@host.com", qop="auth,auth-int", '
          'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')
    auth = Authenticator(parse_challenges([ch])[0], "Mufasa", "Circle Of Life",
                         cnonce=lambda: "0a4f113b")
    p = params(auth.header("GET", "/dir/index.html"))
    assert p["response"] == "6629fae49393a05397450978507c4ef1"
    assert (p["qop"], p["nc"], p["cnonce"]) == ("auth", "00000001", "0a4f113b")
    assert p["opaque"] == "5ccc069c403ebaf9f0171e9517f40e41"
    # the same nonce again: the count goes on (a server refuses a repeated nc as a replay)
    assert params(auth.header("GET", "/dir/index.html"))["nc"] == "00000002"


@pytest.mark.parametrize(("algorithm", "response"), [
    ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
    ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
])
def test_digest_follows_rfc_7616(algorithm: str, response: str) -> None:
    ch = (f'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, '
          'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
          'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"')
    auth = Authenticator(parse_challenges([ch])[0], "Mufasa", "Circle of Life",
                         cnonce=lambda: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
    p = params(auth.header("GET", "/dir/index.html"))
    assert p["response"] == response
    assert p["algorithm"] == algorithm


def test_a_stale_nonce_renews_and_restarts_the_count() -> None:
    first = parse_challenges(['Digest realm="r", nonce="n1", qop="auth"'])[0]
    auth = Authenticator(first, "u", "p", cnonce=lambda: "c")
    auth.header("DESCRIBE", "rtsp://x/")
    assert params(auth.header("DESCRIBE", "rtsp://x/"))["nc"] == "00000002"
    stale = parse_challenges(['Digest realm="r", nonce="n2", qop="auth", stale=TRUE'])[0]
    assert stale.stale
    assert not first.stale
    auth.renew(stale)
    p = params(auth.header("DESCRIBE", "rtsp://x/"))
    assert (p["nonce"], p["nc"]) == ("n2", "00000001")


def test_sess_algorithms_and_auth_int() -> None:
    sess = parse_challenges(['Digest realm="r", nonce="n", algorithm=MD5-sess'])[0]
    p = params(Authenticator(sess, "u", "p", cnonce=lambda: "c").header("DESCRIBE", "/"))
    assert p["cnonce"] == "c"  # MD5-sess needs a cnonce even without qop
    only_int = parse_challenges(['Digest realm="r", nonce="n", qop="auth-int"'])[0]
    assert params(Authenticator(only_int, "u", "p").header("DESCRIBE", "/"))["qop"] == "auth-int"


def test_challenges_are_read_and_the_strongest_is_picked() -> None:
    both = parse_challenges(['Basic realm="cam"', 'Digest realm="cam", nonce="abc=="'])
    assert [c.scheme for c in both] == ["basic", "digest"]
    assert both[1].params["nonce"] == "abc=="
    picked = pick(both)
    assert picked is not None
    assert picked.scheme == "digest"  # never Basic (the password itself) when Digest is there
    # several challenges in one header value, quoted commas and escapes
    one = parse_challenges(['Digest realm="a, b \\"c\\"", nonce="n", algorithm=SHA-256, '
                            'Basic realm="x"'])
    assert [(c.scheme, c.params.get("realm")) for c in one] == [("digest", 'a, b "c"'),
                                                                 ("basic", "x")]
    strongest = pick(one + both)
    assert strongest is not None
    assert strongest.algorithm == "SHA-256"
    assert Authenticator(Challenge("basic"), "a", "b").header("DESCRIBE", "/") == "Basic YTpi"


def test_challenges_we_cannot_answer_are_said_so() -> None:
    for header in ('Digest realm="r"',  # no nonce
                   'Digest realm="r", nonce="n", algorithm=SHA-512-256',
                   'Digest realm="r", nonce="n", qop="auth-conf"',
                   'Negotiate'):
        (challenge,) = parse_challenges([header])
        assert not answerable(challenge)
        assert pick([challenge]) is None
        with pytest.raises(AuthError):
            Authenticator(challenge, "u", "p")


def test_answers_and_sdp() -> None:
    status, _, headers, challenges = parse_answer_head(
        b"RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n"
        b'WWW-Authenticate: Digest realm="r", nonce="n"\r\n'
        b'WWW-Authenticate: Basic realm="r"\r\n\r\n')
    assert status == 401
    assert headers["cseq"] == "2"
    assert challenges == ('Digest realm="r", nonce="n"', 'Basic realm="r"')
    assert parse_answer_head(b"HTTP/1.1 200 OK\r\n\r\n", "HTTP")[0] == 200
    sdp = b"v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 0 RTP/AVP 8\r\n" \
          b"a=rtpmap:8 PCMA/8000\r\n"
    assert sdp_codecs(sdp) == ["H.264", "PCMA"]
    with pytest.raises(RtspError):
        parse_head(b"HTTP/1.1 200 OK\r\n\r\n")


# the one library each network client of app.net may bring besides the standard library
NET_LIBRARIES = {"directory.py": "ldap3", "directory_tls.py": "ldap3",
                 # a room's recordings: the service's server and the seat's client
                 "recording_share.py": "aiohttp", "recording_client.py": "requests"}


def test_the_client_uses_only_the_core_and_the_standard_library() -> None:
    """`app.net` is shared by adapters and widgets: nothing else may come in with it (the
    directory client brings ldap3, the recordings' server aiohttp and their client requests,
    which only they import)."""
    for path in sorted((REPO / "app" / "net").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                allowed = top in sys.stdlib_module_names or top == "__future__" or \
                    name.startswith(("app.core", "app.net")) or \
                    top == NET_LIBRARIES.get(path.name)
                assert allowed, f"{Path(path).name} imports {name}"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_garbage_answers_never_crash(raw: bytes) -> None:
    with contextlib.suppress(RtspError):
        parse_head(raw)
    sdp_codecs(raw)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=160))
def test_garbage_challenges_and_urls_never_crash(text: str) -> None:
    for challenge in parse_challenges([text]):
        with contextlib.suppress(AuthError):
            Authenticator(challenge, "u", "p").header("DESCRIBE", "rtsp://x/")
    with contextlib.suppress(RtspError):
        split_url(text)

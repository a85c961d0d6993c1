"""RTSP probe parsing: URLs (no password allowed in them), answers, Digest/Basic
authorisation (RFC 2617's example), SDP codecs, and hypothesis garbage."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.rtsp.protocol import (
    RtspError,
    authorization,
    parse_challenge,
    parse_head,
    sdp_codecs,
    split_url,
)


def test_urls() -> None:
    assert split_url("rtsp://cam.local/s1") == ("cam.local", 554, "rtsp://cam.local/s1")
    assert split_url("rtsp://user@10.0.0.2:8554/a?x=1")[1:] == (8554, "rtsp://10.0.0.2:8554/a?x=1")
    for bad in ("http://x/", "rtsp://u:secret@x/", "rtsp:///x", "rtsp://x:99999/"):
        with pytest.raises(RtspError):
            split_url(bad)


def test_digest_follows_rfc_2617() -> None:
    # RFC 2617 3.5 computes with qop; without qop the response is MD5(HA1:nonce:HA2)
    ch = 'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"'
    auth = authorization(ch, "GET", "/dir/index.html", "Mufasa", "Circle Of Life")
    assert 'response="670fd8c2df070c60b045671b8b24ff02"' in auth
    assert authorization("Basic realm=x", "DESCRIBE", "/", "a", "b") == "Basic YTpi"
    assert parse_challenge('Digest realm="r", nonce=abc')[1] == {"realm": "r", "nonce": "abc"}


def test_answers_and_sdp() -> None:
    status, _, headers = parse_head(b"RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n"
                                    b'WWW-Authenticate: Digest realm="r", nonce="n"\r\n'
                                    b'WWW-Authenticate: Basic realm="r"\r\n\r\n')
    assert status == 401
    assert headers["www-authenticate"].startswith("Digest")
    sdp = b"v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 0 RTP/AVP 8\r\n" \
          b"a=rtpmap:8 PCMA/8000\r\n"
    assert sdp_codecs(sdp) == ["H.264", "PCMA"]
    with pytest.raises(RtspError):
        parse_head(b"HTTP/1.1 200 OK\r\n\r\n")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_garbage_answers_never_crash(raw: bytes) -> None:
    with contextlib.suppress(RtspError):
        parse_head(raw)
    sdp_codecs(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_garbage_challenges_and_urls_never_crash(text: str) -> None:
    with contextlib.suppress(RtspError):
        authorization(text, "DESCRIBE", "rtsp://x/", "u", "p")
    with contextlib.suppress(RtspError):
        split_url(text)

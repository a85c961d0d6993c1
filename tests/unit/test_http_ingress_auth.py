"""The webhooks' authentication, without a network: the signature covers the timestamp and
the body; a stale or future timestamp, a copy inside the window, a wrong or missing header
are refused with their status; the replay memory forgets with time and never grows past its
cap; a bearer token is compared as a whole."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from requests.structures import CaseInsensitiveDict as CIMultiDict  # headers: any case

from app.adapters.http_ingress.auth import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BearerAuth,
    HmacAuth,
    Refusal,
    ReplayMemory,
    sign,
    signed_headers,
)

T0 = 1_800_000_000
BODY = b'{"id": "e1", "type": "gunshot"}'


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def auth(clock: Clock, **kw: object) -> HmacAuth:
    return HmacAuth("s3cret", clock=clock, **kw)  # type: ignore[arg-type]


def refused(a: HmacAuth | BearerAuth, headers: dict[str, str], body: bytes = BODY) -> Refusal:
    with pytest.raises(Refusal) as err:
        a.check(CIMultiDict(headers), body)
    return err.value


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    expected = hmac.new(b"s3cret", b"1800000000." + BODY, hashlib.sha256).hexdigest()
    assert sign(BODY, "s3cret", T0) == "sha256=" + expected
    assert signed_headers(BODY, "s3cret", T0) == {TIMESTAMP_HEADER: str(T0),
                                                  SIGNATURE_HEADER: "sha256=" + expected}


def test_a_fresh_signed_request_passes_once_and_its_copy_is_a_replay() -> None:
    a = auth(Clock(T0 + 30))
    headers = CIMultiDict(signed_headers(BODY, "s3cret", T0))
    a.check(headers, BODY)
    copy = refused(a, dict(headers))
    assert copy.status == 409
    assert "replay" in copy.reason
    # the same body signed at another second is another request
    a.check(CIMultiDict(signed_headers(BODY, "s3cret", T0 + 1)), BODY)


@pytest.mark.parametrize(("headers", "status", "words"), [
    ({}, 401, f"missing {SIGNATURE_HEADER}"),
    ({SIGNATURE_HEADER: sign(BODY, "s3cret", T0)}, 401, f"missing {TIMESTAMP_HEADER}"),
    ({TIMESTAMP_HEADER: "soon", SIGNATURE_HEADER: "sha256=00"}, 401, "not a Unix time"),
    ({TIMESTAMP_HEADER: str(T0), SIGNATURE_HEADER: sign(BODY, "guess", T0)}, 401,
     f"wrong {SIGNATURE_HEADER}"),
    # a body signed alone (the former scheme) is no longer enough
    ({TIMESTAMP_HEADER: str(T0), SIGNATURE_HEADER: "sha256=" + hmac.new(
        b"s3cret", BODY, hashlib.sha256).hexdigest()}, 401, f"wrong {SIGNATURE_HEADER}"),
    # the timestamp is signed: moving it breaks the signature
    ({TIMESTAMP_HEADER: str(T0 + 1), SIGNATURE_HEADER: sign(BODY, "s3cret", T0)}, 401,
     f"wrong {SIGNATURE_HEADER}"),
])
def test_bad_headers_are_refused_with_the_reason(headers: dict[str, str], status: int,
                                                 words: str) -> None:
    r = refused(auth(Clock()), headers)
    assert r.status == status
    assert words in r.reason


def test_the_body_is_covered() -> None:
    r = refused(auth(Clock()), signed_headers(BODY, "s3cret", T0), BODY + b" ")
    assert (r.status, r.reason.startswith(f"wrong {SIGNATURE_HEADER}")) == (401, True)


@pytest.mark.parametrize(("offset", "words"), [(-301, "301 s old"), (301, "301 s in the future")])
def test_a_timestamp_outside_the_window_is_refused(offset: int, words: str) -> None:
    r = refused(auth(Clock(T0 - offset)), signed_headers(BODY, "s3cret", T0))
    assert r.status == 401
    assert words in r.reason
    assert "clock" in r.reason


def test_a_released_claim_lets_the_same_request_through_again() -> None:
    """A request not stored (503) is retried as is by the sender: that is no replay."""
    a = auth(Clock(T0))
    headers = CIMultiDict(signed_headers(BODY, "s3cret", T0))
    a.release(a.check(headers, BODY))
    a.check(headers, BODY)
    assert refused(a, dict(headers)).status == 409


def test_the_memory_forgets_what_the_window_refuses_anyway() -> None:
    clock = Clock(T0)
    a = auth(clock)
    for i in range(50):
        a.check(CIMultiDict(signed_headers(b"%d" % i, "s3cret", T0)), b"%d" % i)
    assert len(a.memory) == 50
    clock.now = T0 + 301  # all 50 now refused by their timestamp: no need to remember them
    a.check(CIMultiDict(signed_headers(BODY, "s3cret", T0 + 301)), BODY)
    assert len(a.memory) == 1


def test_a_full_memory_answers_retry_later_rather_than_forget_early() -> None:
    a = auth(Clock(T0), memory=ReplayMemory(cap=3))
    for i in range(3):
        a.check(CIMultiDict(signed_headers(b"%d" % i, "s3cret", T0)), b"%d" % i)
    r = refused(a, signed_headers(BODY, "s3cret", T0))
    assert (r.status, r.retry_after_s) == (503, 5)
    assert len(a.memory) == 3


def test_bearer_token() -> None:
    a = BearerAuth("tok-123")
    a.check(CIMultiDict({"Authorization": "Bearer tok-123"}), BODY)
    a.check(CIMultiDict({"authorization": "bearer   tok-123 "}), BODY)
    for value in ("", "Bearer", "Bearer tok-12", "Bearer tok-1234", "Basic tok-123",
                  "tok-123"):
        assert refused(a, {"Authorization": value} if value else {}).status == 401

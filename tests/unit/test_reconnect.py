"""The one retry rule of the video tiles (`widgets.video.reconnect`), on a virtual clock: how
often a camera that refuses the password is asked again over an hour, for an engine that
says why (OpenCV's TCP check) and one that says nothing (libvlc); a refused login held for
every tile; outages retried within a second; the camera asked why at most every 10 s."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

import pytest

from widgets.video.reconnect import (
    CREDENTIALS_SCHEDULE,
    OUTAGE_SCHEDULE,
    WRONG_ADDRESS_SCHEDULE,
    LoginHolds,
    Reconnector,
    retry_delay,
)

LOGIN = "rtsp://op:wrong@10.0.0.5/cam"


class Camera:
    """A camera that refuses (or takes) one login; counts the logins tried on it."""

    def __init__(self, answer: str = "auth") -> None:
        self.answer = answer
        self.logins = 0
        self.questions = 0

    def diagnose(self, _url: str) -> str:
        self.questions += 1
        self.logins += 1
        return self.answer


def run_now(job: Callable[[], None]) -> None:
    job()  # the question "on a worker thread", answered at once


def tile(camera: Camera, holds: LoginHolds) -> Reconnector:
    return Reconnector(camera.diagnose, holds, spawn=run_now)


def simulate(r: Reconnector, camera: Camera, seconds: float, *, engine_reason: str = "",
             start: float = 0.0, step: float = 0.25) -> list[float]:
    """Drive one tile for `seconds` of virtual time; every engine attempt fails with
    `engine_reason` (and costs the camera a login when it refuses logins)."""
    attempts: list[float] = []
    now = start
    running = r.begin(LOGIN)
    while now < start + seconds:
        if running:
            attempts.append(now)
            if camera.answer in ("auth", "no_login"):
                camera.logins += 1
            r.failed(now, engine_reason)
            running = False
        elif r.due(now):
            running = r.begin(LOGIN)
        now += step
    return attempts


def test_the_schedules() -> None:
    rng = random.Random(7)
    for reason, first, cap in (("auth", 300, 1800), ("no_login", 300, 1800),
                               ("not_found", 30, 300), ("refused", 0.25, 1.0),
                               ("", 0.25, 1.0), ("stalled", 0.25, 1.0)):
        delays = [retry_delay(reason, n, rng) for n in range(1, 12)]
        assert first * 0.8 <= delays[0] <= first * 1.2
        assert all(d <= cap for d in delays)
        assert delays[-1] >= cap * 0.8  # it reaches the cap
    assert (CREDENTIALS_SCHEDULE.first_s, CREDENTIALS_SCHEDULE.cap_s) == (300, 1800)
    assert (WRONG_ADDRESS_SCHEDULE.first_s, WRONG_ADDRESS_SCHEDULE.cap_s) == (30, 300)
    assert (OUTAGE_SCHEDULE.first_s, OUTAGE_SCHEDULE.cap_s) == (0.25, 1.0)


@pytest.mark.parametrize("engine_reason", ["", "auth"])
def test_a_refused_password_costs_few_logins_an_hour(engine_reason: str) -> None:
    """"" is libvlc (no reason: the camera is asked), "auth" an engine that can tell.
    Before the rule, libvlc retried every second: about 3,600 failed logins an hour."""
    camera = Camera("auth")
    r = tile(camera, LoginHolds())
    attempts = simulate(r, camera, 3600, engine_reason=engine_reason)
    assert len(attempts) == 1  # the engine opened once; afterwards only the login is checked
    assert r.reason == "auth"
    assert 3 <= camera.logins <= 6, camera.logins  # t = 0 (twice), ~5, ~15, ~35 min


def test_the_first_half_hour_stays_under_a_five_failure_lockout() -> None:
    camera = Camera("auth")
    simulate(tile(camera, LoginHolds()), camera, 1800 * 0.8)  # jitter: the earliest case
    assert camera.logins <= 4


def test_a_refused_login_is_held_for_every_tile() -> None:
    holds = LoginHolds()
    camera = Camera("auth")
    first = tile(camera, holds)
    simulate(first, camera, 5)
    logins = camera.logins
    second = tile(camera, holds)  # a tour, the second wall, the operator re-opening it
    assert not second.begin(LOGIN)
    assert second.reason == "auth"
    assert second.retry_at == first.retry_at
    assert camera.logins == logins
    assert tile(camera, holds).begin("rtsp://op:new-password@10.0.0.5/cam")  # a new login
    # when the time comes, one tile asks; the other learns the answer
    when = first.retry_at
    assert when is not None
    assert not first.due(when)  # it asks (one login; the answer comes on a later tick)
    assert not first.due(when)  # refused again
    assert camera.logins == logins + 1
    assert not second.due(when)
    assert camera.logins == logins + 1
    assert second.retry_at == first.retry_at
    assert second.retry_at is not None
    assert second.retry_at > when


def test_a_login_taken_again_opens_the_stream_on_every_tile() -> None:
    holds = LoginHolds()
    camera = Camera("auth")
    first, second = tile(camera, holds), tile(camera, holds)
    simulate(first, camera, 5)
    assert not second.begin(LOGIN)
    camera.answer = ""  # the installer fixed the account on the camera
    when = first.retry_at
    assert when is not None
    assert not first.due(when)  # it asks
    assert first.due(when)  # the login works: open the stream
    assert first.begin(LOGIN)
    assert second.due(when + 1)  # the hold is gone for the other tile too
    assert second.reason == ""


def test_an_outage_is_retried_within_a_second_and_asked_about_sparingly() -> None:
    camera = Camera("refused")
    r = tile(camera, LoginHolds())
    attempts = simulate(r, camera, 60)
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert max(gaps) <= 1.5
    assert len(attempts) >= 40
    assert camera.questions <= 7  # every 10 s at most, not on every retry
    assert r.reason == "refused"


def test_a_wrong_address_waits_once_the_camera_says_so() -> None:
    camera = Camera("not_found")
    r = tile(camera, LoginHolds())
    attempts = simulate(r, camera, 120)
    assert 2 <= len(attempts) <= 4  # 0 s, ~30 s, ~90 s
    assert r.reason == "not_found"


def test_a_stream_that_plays_forgets_the_old_reason() -> None:
    holds = LoginHolds()
    camera = Camera("refused")
    r = tile(camera, holds)
    simulate(r, camera, 3)
    assert r.reason == "refused"
    assert r.begin(LOGIN)
    r.played()
    assert (r.reason, r.failures, r.retry_at) == ("", 0, None)

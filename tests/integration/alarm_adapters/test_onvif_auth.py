"""ONVIF and refused passwords, in the console's adapter host (real HTTP, SOAP and digest
checks by the camera stand-in): a password is called wrong only when a call that carried
it was refused; then the adapter stops as "refused" and asks the camera nothing more
(each try could count towards locking the account) until the installer retries, while an
outage is retried with backoff. A camera that will not tell its time without credentials
(Vivotek, Panasonic, ipycam) works with the right password, even with its clock an hour
off."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from app.adapters.onvif import OnvifAdapter, OnvifConfig
from app.adapters.onvif import adapter as onvif_adapter
from app.core import retry
from app.core.events import CameraAnnounced, CameraStatusChanged
from app.core.secrets import set_secret
from tests.integration.adapters.adapter_harness import running
from tests.integration.alarm_adapters.fake_onvif import FakeOnvifCamera

PASSWORD = "onvif-pass"
REFUSED = "refused the user name or password"


@pytest.fixture
def cameras() -> Iterator[Callable[..., FakeOnvifCamera]]:
    made: list[FakeOnvifCamera] = []

    def make(**kw: Any) -> FakeOnvifCamera:
        fake = FakeOnvifCamera("admin", PASSWORD, **kw).start()
        made.append(fake)
        return fake

    yield make
    for fake in made:
        fake.stop()


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one backoff, shortened: an outage is retried within a fraction of a second."""
    monkeypatch.setattr(retry, "BACKOFF_FIRST_S", 0.05)


def config(name: str, secret_name: str | None, *urls: str, username: str | None = "admin",
           **device: Any) -> OnvifConfig:
    return OnvifConfig(kind="onvif", name=name, username=username,
                       password_secret=secret_name, devices=[  # type: ignore[list-item]
                           {"id": f"cam-{i}", "name": f"Caméra {i}", "url": url, **device}
                           for i, url in enumerate(urls, 1)])


def probe(cfg: OnvifConfig) -> list[tuple[bool, str]]:
    return [(r.ok, r.detail) for r in asyncio.run(OnvifAdapter(cfg).probe())]


def test_time_refused_without_credentials_but_the_right_password_works(
        cameras: Callable[..., FakeOnvifCamera], secret: Callable[[str], str]) -> None:
    """The camera refuses GetSystemDateAndTime without credentials (HTTP 401 + fault, as
    ipycam) and its clock is an hour ahead: the time is asked again with the digest dated
    by the Date header of the refusal, and the camera is announced."""
    cam = cameras(time_needs_auth=True, auth_status=401, clock_skew=timedelta(hours=1))
    cfg = config("onvif", secret(PASSWORD), cam.url)
    with running(OnvifAdapter(cfg), store=False) as r:
        [announced] = r.wait_for(CameraAnnounced)
        assert isinstance(announced, CameraAnnounced)
        assert announced.camera.streams.main == "rtsp://127.0.0.1:8554/main"
        r.wait_status("running", "1 of 1 device(s) connected")
    assert not any(s.state == "refused" for s in r.statuses)
    [(ok, detail)] = probe(cfg)
    assert ok, detail
    assert detail.startswith("camera cam-1 answered: Acme PTZ-3000")


def test_a_wrong_password_stops_as_refused_while_an_outage_is_retried(
        cameras: Callable[..., FakeOnvifCamera], secret: Callable[[str], str],
        fast_backoff: None) -> None:
    refusing = cameras(time_needs_auth=True, auth_status=401)
    broken = cameras()
    broken.down = True
    wrong = secret("not-the-password")
    with running(OnvifAdapter(config("onvif-a", wrong, refusing.url)), store=False) as bad, \
            running(OnvifAdapter(config("onvif-b", secret(PASSWORD), broken.url)),
                    store=False) as down:
        detail = bad.wait_status("refused", "fix the secret")
        assert detail == f"ONVIF camera(s) cam-1 {REFUSED} — fix the secret, then retry"
        asked = refusing.requests
        assert refusing.signed_calls == 1  # one call carried the password: it was refused
        # within the same time, the outage is retried again and again by the same backoff
        down.wait_until(lambda: broken.requests >= asked + 4, what="the outage retried")
        down.wait_status("retrying", "cam-1: HTTP 503")
        bad.wait_until(lambda: True)
        assert refusing.requests == asked, "a refused password was tried again"
        assert [s.state for s in bad.statuses].count("starting") == 1
        assert bad.sink.state == "refused"
        assert not bad.events

        set_secret(wrong, PASSWORD)  # the installer fixes it, then asks for a retry
        bad.host.retry("onvif-a")
        bad.wait_for(CameraAnnounced)
        bad.wait_status("running", "1 of 1 device(s) connected")


def test_one_refused_camera_waits_for_its_password_while_the_others_run(
        cameras: Callable[..., FakeOnvifCamera], secret: Callable[[str], str],
        fast_backoff: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(onvif_adapter, "SECRET_RECHECK_S", 0.05)
    good, other = cameras(), cameras()
    other.password = "its-own-password"
    own = secret("stale-password")
    cfg = config("onvif", secret(PASSWORD), good.url)
    cfg.devices.append(cfg.devices[0].model_copy(update={
        "id": "cam-2", "url": other.url, "password_secret": own}))
    with running(OnvifAdapter(cfg), store=False) as r:
        r.wait_for(CameraAnnounced)
        detail = r.wait_status("refused", "1 of 2")
        assert detail == f"1 of 2 device(s) connected; cam-2: {REFUSED}"
        asked = other.requests
        r.wait_until(lambda: good.calls.count("PullMessages") >= 3,
                     what="the other camera goes on pulling meanwhile")
        assert other.requests == asked
        set_secret(own, "its-own-password")
        r.wait_status("running", "2 of 2 device(s) connected")
        assert {e.camera.id for e in r.events if isinstance(e, CameraAnnounced)} == {
            "cam-1", "cam-2"}


def test_no_credentials_configured_is_not_called_a_wrong_password(
        cameras: Callable[..., FakeOnvifCamera], fast_backoff: None) -> None:
    cam = cameras(time_needs_auth=True)
    cfg = config("onvif", None, cam.url, username=None)
    with running(OnvifAdapter(cfg), store=False) as r:
        detail = r.wait_status("retrying", "cam-1")
        assert "asks for a user name and password, and none is configured" in detail
    assert not any(REFUSED in s.detail or s.state == "refused" for s in r.statuses)
    [(ok, detail)] = probe(cfg)
    assert not ok
    assert detail == ("camera cam-1: asks for a user name and password, and none is "
                      "configured for it")


def test_the_probe_says_refused_only_for_a_refused_password(
        cameras: Callable[..., FakeOnvifCamera], secret: Callable[[str], str]) -> None:
    cam = cameras(time_needs_auth=True, auth_status=401)
    [(ok, detail)] = probe(config("onvif", secret("wrong"), cam.url))
    assert (ok, detail) == (False, f"camera cam-1: {REFUSED}")
    cam.down = True
    [(ok, detail)] = probe(config("onvif", secret(PASSWORD), cam.url))
    assert (ok, detail) == (False, "camera cam-1: HTTP 503")
    [(ok, detail)] = probe(config("onvif", secret(PASSWORD), "http://127.0.0.1:9/onvif"))
    assert (ok, detail) == (False, "camera cam-1: cannot connect (down, wrong address, or a "
                                   "firewall)")


def test_a_refused_camera_that_was_online_goes_offline_in_words(
        cameras: Callable[..., FakeOnvifCamera], secret: Callable[[str], str],
        fast_backoff: None) -> None:
    """The password is changed on the camera while the console watches it: the next login
    is refused, the camera shows offline with the reason, and the adapter stops."""
    cam = cameras()
    with running(OnvifAdapter(config("onvif", secret(PASSWORD), cam.url)), store=False) as r:
        r.wait_for(CameraAnnounced)
        r.wait_until(lambda: cam.subscriptions == 1, what="a subscription")
        cam.password = "changed-on-the-camera"
        cam.down = True  # the session drops...
        r.wait_until(lambda: cam.requests > 0 and any(
            isinstance(e, CameraStatusChanged) and not e.online for e in r.events))
        cam.down = False  # ...and the camera is back, with its new password
        r.wait_status("refused", "fix the secret")
        offline = [e for e in r.events if isinstance(e, CameraStatusChanged) and not e.online]
        assert offline[-1].detail == REFUSED

"""The webhook adapter served for real on loopback, posted to with `requests`: signed JSON
becomes an alarm; a wrong signature, garbage or an oversized body is refused and counted."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from app.adapters.webhook import WebhookAdapter, WebhookConfig
from app.adapters.webhook.parse import sign
from app.core.events import AlarmReported
from app.core.model import AlarmType, LatLon
from tests.integration.alarm_adapters.conftest import Running, Store
from tests.waiting import wait_until

SECRET = "s3cr3t-shared-with-the-sensor-vendor"


@pytest.fixture
def hook(run_adapter: Callable[[WebhookAdapter], Running],
         secret: Callable[[str], str]) -> Iterator[tuple[Running, str]]:
    cfg = WebhookConfig(kind="webhook", name="capteurs", listen="127.0.0.1", port=0,
                        secret=secret(SECRET), devices=[  # type: ignore[list-item]
                            {"id": "sound-07", "name": "Place du marché",
                             "position": [48.857, 2.353], "cameras": ["cam-marche"]},
                            {"id": "lpr-2", "name": "Entrée nord"}])
    adapter = WebhookAdapter(cfg)
    running = run_adapter(adapter)
    port = wait_until(lambda: adapter.bound_port, what="the webhook listens")
    return running, f"http://127.0.0.1:{port}/alarms"


def post(url: str, doc: object, secret: str = SECRET) -> requests.Response:
    body = json.dumps(doc).encode()
    return requests.post(url, data=body, timeout=10, headers={
        "Content-Type": "application/json", "X-CSU-Signature": sign(body, secret)})


def now_iso(delta_s: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=delta_s)).isoformat()


def test_a_signed_gunshot_becomes_an_alarm_at_its_sensor(hook: tuple[Running, str]) -> None:
    running, url = hook
    r = post(url, {"id": "evt-1", "type": "gunshot", "time": now_iso(-2), "device": "sound-07",
                   "title": "2 impulsions"})
    assert r.status_code == 202
    (alarm,) = running.sink.of(AlarmReported)
    assert (alarm.type, alarm.priority) == (AlarmType.GUNSHOT, 1)
    assert alarm.title == "2 impulsions (Place du marché)"
    assert alarm.position == LatLon(48.857, 2.353)
    assert alarm.camera_ids == ("cam-marche",)


def test_lpr_hit_and_citizen_report(hook: tuple[Running, str]) -> None:
    running, url = hook
    assert post(url, {"id": "lpr-9", "type": "lpr_hit", "time": now_iso(), "device": "lpr-2",
                      "plate": "AB-123-CD"}).status_code == 202
    assert post(url, {"id": "app-3", "type": "citizen_report", "time": now_iso(),
                      "device": "lpr-2", "position": {"lat": 48.85, "lon": 2.35},
                      "priority": 2}).status_code == 202
    lpr, citizen = running.sink.of(AlarmReported)
    assert lpr.type is AlarmType.LPR_HIT
    assert lpr.title == \
        "Plate on a watch list — AB-123-CD (Entrée nord)"
    assert citizen.type is AlarmType.CITIZEN_REPORT
    assert citizen.priority == 2
    assert citizen.position == LatLon(48.85, 2.35)


def test_a_wrong_or_missing_signature_is_refused(hook: tuple[Running, str]) -> None:
    running, url = hook
    doc = {"id": "evt-2", "type": "gunshot", "time": now_iso(), "device": "sound-07"}
    assert post(url, doc, secret="guessed").status_code == 401
    assert requests.post(url, json=doc, timeout=10).status_code == 401
    assert running.sink.of(AlarmReported) == []
    assert running.sink.rejects == ["webhook: missing or wrong signature"] * 2


@pytest.mark.parametrize(("doc", "reason"), [
    ({"id": "x", "type": "gunshot", "time": "soon", "device": "sound-07"},
     "time: not an ISO 8601 date-time"),
    ({"id": "x", "type": "gunshot", "time": now_iso(3600), "device": "sound-07"},
     "time: in the future"),
    ({"id": "x", "type": "meteor", "time": now_iso(), "device": "sound-07"},
     "type: expected one of gunshot, lpr_hit, citizen_report, other"),
    ({"id": "x", "type": "gunshot", "time": now_iso(), "device": "sound-99"},
     "device: 'sound-99' is not a known device"),
    ({"id": "x", "type": "other", "time": now_iso(), "device": "lpr-2",
      "position": {"lat": 95, "lon": 2}}, "position: out of range"),
])
def test_bad_documents_get_400_with_the_reason(hook: tuple[Running, str], doc: object,
                                               reason: str) -> None:
    running, url = hook
    r = post(url, doc)
    assert (r.status_code, r.text.strip()) == (400, reason)
    assert running.sink.rejects == [f"webhook: {reason}"]
    assert running.sink.of(AlarmReported) == []


def test_oversized_bodies_and_wrong_paths_are_refused(hook: tuple[Running, str]) -> None:
    _running, url = hook
    big = b"{" + b" " * (200 * 1024) + b"}"
    assert requests.post(url, data=big, timeout=10).status_code == 413
    assert requests.post(url.replace("/alarms", "/other"), data=b"{}", timeout=10
                         ).status_code == 404
    assert requests.get(url, timeout=10).status_code == 405
    assert post(url, {"id": "ok-1", "type": "other", "time": now_iso(), "device": "lpr-2"}
                ).status_code == 202  # the server is still up


# -- 202 means stored ------------------------------------------------------------------------

def _stored_hook(run_adapter: Callable[..., Running], secret: Callable[[str], str],
                 store: Store, **kw: object) -> str:
    cfg = WebhookConfig.model_validate({"kind": "webhook", "name": "capteurs-store",
                                        "listen": "127.0.0.1", "port": 0,
                                        "secret": secret(SECRET), **kw})
    adapter = WebhookAdapter(cfg)
    run_adapter(adapter, store.hub)
    port = wait_until(lambda: adapter.bound_port, what="the webhook listens")
    return f"http://127.0.0.1:{port}/alarms"


def test_202_comes_once_the_alarm_is_in_the_journal(
        run_adapter: Callable[..., Running], secret: Callable[[str], str],
        store: Store) -> None:
    store.start()
    url = _stored_hook(run_adapter, secret, store)
    r = post(url, {"id": "evt-31", "type": "gunshot", "time": now_iso(), "title": "Détonation"})
    assert r.status_code == 202
    alarms = store.journal.load_alarms()  # at once: the answer waited for the commit
    assert [(a.source_id, a.title) for a in alarms] == [("evt-31", "Détonation")]


def test_503_with_retry_after_when_nothing_stores_then_the_retry_is_stored_once(
        run_adapter: Callable[..., Running], secret: Callable[[str], str],
        store: Store) -> None:
    url = _stored_hook(run_adapter, secret, store, store_timeout_s=0.3)  # not started
    doc = {"id": "evt-32", "type": "other", "time": now_iso(), "title": "Capteur"}
    r = post(url, doc)
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "5"
    assert "not stored, retry later" in r.text
    assert store.journal.load_alarms() == []
    store.start()
    assert post(url, doc).status_code == 202  # the sender's retry
    assert [a.source_id for a in store.journal.load_alarms()] == ["evt-32"]

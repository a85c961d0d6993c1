"""The webhook adapter served for real on loopback, posted to with `requests` and raw
sockets: signed JSON becomes an alarm; every refusal (HTTP-level ones that aiohttp answers
itself included) is answered with its status and counted with its reason; a replayed
signed request is refused; TLS with a certificate made by `trustme`."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import ssl
import struct
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import requests

from app.adapters.http_ingress import signed_headers
from app.adapters.webhook import WebhookAdapter, WebhookConfig
from app.core.events import AlarmReported
from app.core.model import AlarmType, LatLon
from tests.integration.adapters.adapter_harness import running
from tests.integration.alarm_adapters.conftest import Running, Store
from tests.tls import TlsFiles, make_tls_files
from tests.waiting import wait_until

SECRET = "s3cr3t-shared-with-the-sensor-vendor"
Hook = tuple[Running, str]


def start_hook(run_adapter: Callable[..., Running], secret: Callable[[str], str],
               hub: object = None, **kw: object) -> tuple[Running, WebhookAdapter]:
    cfg = WebhookConfig.model_validate({
        "kind": "webhook", "name": "capteurs", "listen": "127.0.0.1", "port": 0,
        "hmac_secret": secret(SECRET), **kw})
    adapter = WebhookAdapter(cfg)
    running = run_adapter(adapter, hub)
    wait_until(lambda: adapter.bound_port, what="the webhook listens")
    return running, adapter


@pytest.fixture
def hook(run_adapter: Callable[..., Running], secret: Callable[[str], str]) -> Hook:
    running, adapter = start_hook(run_adapter, secret, devices=[
        {"id": "sound-07", "name": "Place du marché", "position": [48.857, 2.353],
         "cameras": ["cam-marche"]},
        {"id": "lpr-2", "name": "Entrée nord"}])
    return running, f"http://127.0.0.1:{adapter.bound_port}/alarms"


def body_of(doc: object) -> bytes:
    return json.dumps(doc).encode()


def post(url: str, doc: object, secret: str = SECRET, **kw: object) -> requests.Response:
    body = body_of(doc)
    return requests.post(url, data=body, timeout=10, headers={  # type: ignore[arg-type]
        "Content-Type": "application/json", **signed_headers(body, secret)}, **kw)


def now_iso(delta_s: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=delta_s)).isoformat()


def raw(port: int, data: bytes) -> bytes:
    """Send bytes as they are, read the answer's first line. A server that closes with our
    bytes still unread resets the connection, which may drop its answer: `RESET`."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            s.sendall(data)
            return s.recv(4096).split(b"\r\n", 1)[0]
        except ConnectionResetError:
            return b"RESET"


def test_a_signed_gunshot_becomes_an_alarm_at_its_sensor(hook: Hook) -> None:
    running, url = hook
    r = post(url, {"id": "evt-1", "type": "gunshot", "time": now_iso(-2), "device": "sound-07",
                   "title": "2 impulsions"})
    assert r.status_code == 202
    (alarm,) = running.sink.of(AlarmReported)
    assert (alarm.type, alarm.priority) == (AlarmType.GUNSHOT, 1)
    assert alarm.title == "2 impulsions — Place du marché"
    assert alarm.position == LatLon(48.857, 2.353)
    assert alarm.camera_ids == ("cam-marche",)
    assert running.sink.messages == 1
    assert running.sink.rejects == []


def test_lpr_hit_and_citizen_report(hook: Hook) -> None:
    running, url = hook
    assert post(url, {"id": "lpr-9", "type": "lpr_hit", "time": now_iso(), "device": "lpr-2",
                      "plate": "AB-123-CD"}).status_code == 202
    assert post(url, {"id": "app-3", "type": "citizen_report", "time": now_iso(),
                      "device": "lpr-2", "position": {"lat": 48.85, "lon": 2.35},
                      "priority": 2}).status_code == 202
    lpr, citizen = running.sink.of(AlarmReported)
    assert lpr.type is AlarmType.LPR_HIT
    assert lpr.title == "LPR: plate on a watch list AB-123-CD — Entrée nord"
    assert citizen.type is AlarmType.CITIZEN_REPORT
    assert citizen.priority == 2
    assert citizen.position == LatLon(48.85, 2.35)


def test_a_wrong_or_missing_signature_is_refused(hook: Hook) -> None:
    running, url = hook
    doc = {"id": "evt-2", "type": "gunshot", "time": now_iso(), "device": "sound-07"}
    assert post(url, doc, secret="guessed").status_code == 401
    assert requests.post(url, json=doc, timeout=10).status_code == 401
    assert running.sink.of(AlarmReported) == []
    assert [r.split(" (")[0] for r in running.sink.rejects] == [
        "HTTP 401: wrong X-CSU-Signature", "HTTP 401: missing X-CSU-Signature"]


@pytest.mark.parametrize(("doc", "reason"), [
    ({"id": "x", "type": "gunshot", "time": "soon", "device": "sound-07"},
     "time: not an ISO 8601 date-time"),
    ({"id": "x", "type": "gunshot", "time": now_iso(3600), "device": "sound-07"},
     "time: in the future"),
    ({"id": "x", "type": "meteor", "time": now_iso(), "device": "sound-07"},
     "type: expected one of gunshot, lpr_hit, citizen_report, other"),
    ({"id": "x", "type": "gunshot", "time": now_iso(), "device": "sound-99"},
     "device: 'sound-99' is not a known device (known: lpr-2, sound-07)"),
    ({"id": "x", "type": "gunshot", "time": now_iso()},
     "device: required (this webhook knows lpr-2, sound-07)"),
    ({"id": "x", "type": "other", "time": now_iso(), "device": "lpr-2",
      "position": {"lat": 95, "lon": 2}}, "position: out of range"),
])
def test_bad_documents_get_400_with_the_reason(hook: Hook, doc: object, reason: str) -> None:
    running, url = hook
    r = post(url, doc)
    assert (r.status_code, r.text.strip()) == (400, f"webhook: {reason}")
    assert running.sink.rejects == [f"HTTP 400: webhook: {reason}"]
    assert running.sink.of(AlarmReported) == []


def test_every_http_level_refusal_is_answered_and_counted_with_its_reason(hook: Hook) -> None:
    """The issue's list: random bytes, 10 MB, no Content-Length, GET, wrong path, bad
    signature, replay; none was counted before (the counter saw only signature and JSON
    failures). aiohttp answers the first itself, before any handler."""
    running, url = hook
    port = int(url.split(":")[2].split("/")[0])
    good = body_of({"id": "ok-1", "type": "other", "time": now_iso(), "device": "lpr-2"})
    signed = signed_headers(good, SECRET)
    stale = signed_headers(good, SECRET, int(time.time()) - 3600)
    assert raw(port, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n"
               ).startswith(b"HTTP/1.0 400")
    assert requests.post(url, data=b"{" * 10_000_000, timeout=30).status_code == 413
    assert raw(port, b"POST /alarms HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 411")
    assert requests.get(url, timeout=10).status_code == 405
    assert requests.post(url.replace("/alarms", "/other"), data=b"{}", timeout=10
                         ).status_code == 404
    assert requests.post(url, data=good, timeout=10, headers={
        **signed, "X-CSU-Signature": "sha256=" + "0" * 64}).status_code == 401
    assert requests.post(url, data=good, timeout=10, headers=stale).status_code == 401
    assert requests.post(url, data=good, timeout=10, headers=signed).status_code == 202
    assert requests.post(url, data=good, timeout=10, headers=signed).status_code == 409
    expected = [
        "HTTP 400: not a valid HTTP request",
        "HTTP 413: body of 10000000 bytes is over the 65536-byte limit",
        "HTTP 411: Content-Length required",
        "HTTP 405: method GET not allowed (POST only)",
        "HTTP 404: no such path '/other' (POST to /alarms)",
        "HTTP 401: wrong X-CSU-Signature",
        "HTTP 401: X-CSU-Timestamp is 36",  # 3600 s old (or 3601: the second may turn)
        "HTTP 409: replay",
    ]
    rejects = running.sink.rejects
    assert len(rejects) == len(expected), rejects
    for got, start in zip(rejects, expected, strict=True):
        assert got.startswith(start), (got, start)
    assert running.sink.messages == 9  # every request, refused or not
    assert len(running.sink.of(AlarmReported)) == 1


def test_a_flood_of_garbage_is_counted_in_full_and_logged_in_part(
        caplog: pytest.LogCaptureFixture, secret: Callable[[str], str]) -> None:
    """300 malformed requests and 100 connections reset mid-request, through the console's
    own sink (counts every rejection, logs a sample): no traceback, a handful of log
    lines, every refusal counted, and a signed request still served."""
    cfg = WebhookConfig(kind="webhook", name="flood", listen="127.0.0.1", port=0,
                        hmac_secret=secret(SECRET))
    caplog.set_level(logging.DEBUG)
    with running(WebhookAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        adapter = r.adapter
        assert isinstance(adapter, WebhookAdapter)
        assert adapter.bound_port is not None
        port = adapter.bound_port
        for i in range(300):
            junk = [b"\x00\xff\xfe garbage\r\n\r\n",
                    b"POST /alarms HTTP/1.1\r\nX: " + b"a" * 9000 + b"\r\n\r\n",
                    b"POST /alarms HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"][i % 3]
            assert raw(port, junk).startswith((b"HTTP/1.0 400", b"RESET"))
        for _ in range(100):  # from another address: the caps per peer are not the point here
            s = socket.create_connection(("127.0.0.1", port), timeout=10,
                                         source_address=("127.0.0.2", 0))
            s.sendall(b"POST /alarms HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()  # RST
        r.wait_rejected(300)
        body = body_of({"id": "after-flood", "type": "gunshot", "time": now_iso()})
        assert requests.post(f"http://127.0.0.1:{port}/alarms", data=body, timeout=10,
                             headers=signed_headers(body, SECRET)).status_code == 202
        r.wait_for(AlarmReported)
        # a reset after the headers is counted too (its body could not be read; or its
        # connection was over the cap for that peer), unless the reset beat the parser
        assert 300 <= r.sink.rejected <= 400
    tracebacks = [rec for rec in caplog.records if rec.exc_info]
    assert tracebacks == []
    noisy = [rec for rec in caplog.records if rec.levelno >= logging.WARNING]
    assert len(noisy) <= 10, [rec.getMessage()[:100] for rec in noisy]


def test_a_thousand_replays_of_one_signed_request_are_refused(hook: Hook) -> None:
    """The issue: 1,000 replays of one signed request were all accepted with 202. Now the
    first is accepted, the 999 copies get 409 and are counted; one alarm."""
    running, url = hook
    body = body_of({"id": "evt-r", "type": "gunshot", "time": now_iso(), "device": "sound-07"})
    headers = signed_headers(body, SECRET)
    with requests.Session() as http:
        codes = [http.post(url, data=body, headers=headers, timeout=10).status_code
                 for _ in range(1000)]
    assert codes[0] == 202
    assert codes[1:] == [409] * 999
    assert len(running.sink.of(AlarmReported)) == 1
    assert len(running.sink.rejects) == 999
    assert set(running.sink.rejects) == {
        "HTTP 409: replay: this signed request was already received (sign each new request "
        "with a new timestamp)"}


def test_chunked_bodies_are_taken_within_the_same_bound(hook: Hook) -> None:
    """Some HTTP stacks stream every body (no Content-Length): accepted, and cut at 64 KiB."""
    running, url = hook
    body = body_of({"id": "evt-c", "type": "other", "time": now_iso(), "device": "lpr-2"})
    r = requests.post(url, data=iter([body[:10], body[10:]]), timeout=10,
                      headers=signed_headers(body, SECRET))
    assert r.status_code == 202
    big = iter([b" " * 65536, b"{}"])
    r = requests.post(url, data=big, timeout=10, headers=signed_headers(b"", SECRET))
    assert r.status_code == 413
    assert running.sink.rejects == ["HTTP 413: body over the 65536-byte limit"]
    assert [a.source_id for a in running.sink.of(AlarmReported)] == ["evt-c"]


# -- TLS --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


def test_tls_from_the_site_files_certificate(run_adapter: Callable[..., Running],
                                             secret: Callable[[str], str],
                                             tls_files: TlsFiles) -> None:
    ca_file, cert_file, key_file = tls_files.ca, tls_files.cert, tls_files.key
    running, adapter = start_hook(run_adapter, secret, tls_cert=str(cert_file),
                                  tls_key=str(key_file))
    url = f"https://127.0.0.1:{adapter.bound_port}/alarms"
    assert ("running", f"listening on {url} (HMAC-signed requests)") in running.sink.states
    doc = {"id": "evt-tls", "type": "gunshot", "time": now_iso()}
    assert post(url, doc, verify=str(ca_file)).status_code == 202
    assert post(url, {**doc, "id": "evt-2"}, secret="guessed", verify=str(ca_file)
                ).status_code == 401
    # plain HTTP to the TLS port: no answer in clear, the failed handshake is counted
    with pytest.raises(requests.ConnectionError):
        post(url.replace("https:", "http:"), {**doc, "id": "evt-3"})
    wait_until(lambda: any(r.startswith("TLS handshake failed") for r in running.sink.rejects),
               what="the failed handshake counted")
    # a client that does not trust the certificate gets nowhere either
    with pytest.raises(requests.exceptions.SSLError):
        post(url, {**doc, "id": "evt-4"})
    assert [a.source_id for a in running.sink.of(AlarmReported)] == ["evt-tls"]
    ctx = ssl.create_default_context(cafile=str(ca_file))
    with socket.create_connection(("127.0.0.1", adapter.bound_port), timeout=10) as s, \
            ctx.wrap_socket(s, server_hostname="127.0.0.1") as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


@pytest.mark.parametrize(("files", "words"), [
    (("nope.pem", "nope.key"), "TLS certificate file 'nope.pem' does not exist"),
    (("KEY", "CERT"), "cannot use TLS certificate"),
])
def test_unusable_tls_files_are_said_in_plain_words(
        run_adapter: Callable[..., Running], secret: Callable[[str], str],
        tls_files: TlsFiles, files: tuple[str, str], words: str) -> None:
    names = {"CERT": str(tls_files.cert), "KEY": str(tls_files.key)}
    cert, key = (names.get(f, f) for f in files)
    cfg = WebhookConfig.model_validate({"kind": "webhook", "name": "t", "listen": "127.0.0.1",
                                        "port": 0, "hmac_secret": secret(SECRET),
                                        "tls_cert": cert, "tls_key": key})
    running = run_adapter(WebhookAdapter(cfg))
    wait_until(lambda: running.error is not None, what="the adapter failed")
    assert words in str(running.error)


def test_the_probe_checks_port_secret_and_tls_files(secret: Callable[[str], str],
                                                   tls_files: TlsFiles) -> None:
    name = secret(SECRET)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        cfg = WebhookConfig.model_validate({
            "kind": "webhook", "name": "p", "listen": "127.0.0.1", "port": port,
            "hmac_secret": name, "tls_cert": str(tls_files.cert), "tls_key": "missing.key"})
        results = asyncio.run(WebhookAdapter(cfg).probe())
    assert [(r.check, r.ok) for r in results] == [
        (f"listen on https://127.0.0.1:{port}/alarms", False),
        (f"shared secret {name!r} in the keyring", True),
        (f"TLS certificate {str(tls_files.cert)!r} and key 'missing.key'", False)]
    assert "cannot listen there: Address already in use" in results[0].detail
    assert results[2].detail == "TLS key file 'missing.key' does not exist (or is not a file)"


def test_a_busy_port_is_said_in_plain_words(run_adapter: Callable[..., Running],
                                            secret: Callable[[str], str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        running = run_adapter(WebhookAdapter(WebhookConfig(
            kind="webhook", name="t", listen="127.0.0.1", port=port,
            hmac_secret=secret(SECRET))))
        wait_until(lambda: running.error is not None, what="the adapter failed")
    assert str(running.error) == f"[Errno 98] cannot listen on 127.0.0.1:{port}: Address " \
                                 "already in use"


def test_tls_needs_both_files() -> None:
    with pytest.raises(ValueError, match="both a certificate and its key"):
        WebhookConfig.model_validate({"kind": "webhook", "name": "t", "hmac_secret": "x",
                                      "tls_cert": "c.pem"})


def test_tls_paths_are_taken_as_given_or_from_the_site_files_folder() -> None:
    base = {"kind": "webhook", "name": "t", "hmac_secret": "x", "tls_cert": "certs/c.pem",
            "tls_key": "/etc/csu/k.pem"}
    cfg = WebhookConfig.model_validate(base)
    assert (cfg.tls_cert, cfg.tls_key) == ("certs/c.pem", "/etc/csu/k.pem")
    cfg = WebhookConfig.model_validate(base, context={"site_dir": "/srv/site"})
    assert (cfg.tls_cert, cfg.tls_key) == ("/srv/site/certs/c.pem", "/etc/csu/k.pem")


def test_the_former_name_of_the_secret_key_still_reads() -> None:
    cfg = WebhookConfig.model_validate({"kind": "webhook", "name": "t", "secret": "old-name"})
    assert cfg.hmac_secret == "old-name"
    with pytest.raises(ValueError, match="hmac_secret"):
        WebhookConfig.model_validate({"kind": "webhook", "name": "t"})


# -- 202 means stored ------------------------------------------------------------------------

def test_202_comes_once_the_alarm_is_in_the_journal(
        run_adapter: Callable[..., Running], secret: Callable[[str], str],
        store: Store) -> None:
    store.start()
    _running, adapter = start_hook(run_adapter, secret, store.hub)
    url = f"http://127.0.0.1:{adapter.bound_port}/alarms"
    r = post(url, {"id": "evt-31", "type": "gunshot", "time": now_iso(), "title": "Détonation"})
    assert r.status_code == 202
    alarms = store.journal.load_alarms()  # at once: the answer waited for the commit
    assert [(a.source_id, a.title) for a in alarms] == [("evt-31", "Détonation")]


def test_503_with_retry_after_when_nothing_stores_then_the_same_request_is_stored_once(
        run_adapter: Callable[..., Running], secret: Callable[[str], str],
        store: Store) -> None:
    running, adapter = start_hook(run_adapter, secret, store.hub, store_timeout_s=0.3)
    url = f"http://127.0.0.1:{adapter.bound_port}/alarms"
    body = body_of({"id": "evt-32", "type": "other", "time": now_iso(), "title": "Capteur"})
    headers = signed_headers(body, SECRET)
    r = requests.post(url, data=body, headers=headers, timeout=10)
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "5"
    assert "not stored, retry later" in r.text
    assert store.journal.load_alarms() == []
    store.start()
    # the sender's retry of the very same signed request: not a replay, it was not stored
    assert requests.post(url, data=body, headers=headers, timeout=10).status_code == 202
    assert [a.source_id for a in store.journal.load_alarms()] == ["evt-32"]
    assert running.sink.rejects == []  # a 503 is our failure, not the sender's

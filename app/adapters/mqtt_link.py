"""One MQTT connection shared by the MQTT-family adapters (OwnTracks, Frigate, body cams).

paho is blocking, so it runs its own network thread; the adapter's coroutine only waits.
Why these settings: a fixed client id with a persistent session (clean_session false) and
QoS 1 subscriptions make the broker keep what arrives while the console is away and
deliver it on reconnect. Acknowledgements are manual: a message's PUBACK is sent only once
every event made from it is committed by its store (`sink.emit_durable`), so a console
that crashes before that gets the message again from the broker. A message that makes no
event (ignored, rejected: final) is acknowledged at once. PUBACKs leave in the order the
messages arrived (MQTT 3.1.1 §4.6), whatever order the stores commit in; a message whose
store FAILED is never acknowledged: the adapter reconnects (the host's capped backoff) and
the broker delivers it again. Redelivery can repeat an event: alarms are de-duplicated by
the alarm book on (source, source_id); a repeated position fix is harmless.
Reconnection after a drop is paho's, with a capped backoff; a first connection that fails
raises, and the host retries.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from pydantic import Field

from app.core.adapter import Adapter, AdapterConfig, ProbeResult, Sink
from app.core.events import Event
from app.core.secrets import get_secret

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
RECONNECT_MIN_S, RECONNECT_MAX_S = 1, 60

Stored = concurrent.futures.Future[None]
# (topic, payload) -> the futures of the events made from the message (none: ack at once)
MessageHandler = Callable[[str, bytes], Sequence[Stored]]
StatusFn = Callable[[str, str], None]
FailureFn = Callable[[str], None]


@dataclass(slots=True)
class _Inbound:
    """A QoS>0 message waiting for its events to be stored before its PUBACK."""

    mid: int
    qos: int
    topic: str
    left: int  # futures not yet completed
    error: BaseException | None = None


class MqttConfig(AdapterConfig):
    """Broker settings shared by the MQTT adapters. The password lives in the keyring under
    `password_secret`, never here."""

    host: str = "127.0.0.1"
    port: int = Field(default=1883, ge=1, le=65535)
    username: str | None = None
    password_secret: str | None = None
    client_id: str | None = None  # default "csu-console-<name>": fixed, so the session persists
    tls: bool = False
    ca_file: str | None = None  # a private CA for the broker's certificate
    keepalive_s: int = Field(default=30, ge=5, le=600)

    @property
    def where(self) -> str:
        return f"MQTT broker {self.host}:{self.port}"

    @property
    def fixed_client_id(self) -> str:
        return self.client_id or f"csu-console-{self.name}"


def refusal(cfg: MqttConfig, reason: object) -> str:
    """A CONNACK refusal in an installer's words."""
    words = str(reason).lower()
    if "password" in words or "not authori" in words:
        if cfg.username:
            return f"{cfg.where} refused the password for user '{cfg.username}'"
        return f"{cfg.where} refused an anonymous connection (set `username` and `password_secret`)"
    return f"{cfg.where} refused the connection: {reason}"


def os_failure(cfg: MqttConfig, exc: BaseException | None) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return (f"nothing answers at {cfg.host}:{cfg.port} (connection refused): "
                "is the broker running?")
    if exc is None:
        return f"cannot reach {cfg.where}"
    return f"cannot reach {cfg.where}: {exc}"


class MqttLink:
    """A paho client on its own thread, reporting its state in plain words."""

    def __init__(self, cfg: MqttConfig, topics: list[str], on_message: MessageHandler,
                 status: StatusFn, *, probe: bool = False,
                 on_store_failure: FailureFn | None = None) -> None:
        self.cfg = cfg
        self.topics = topics
        self._handler = on_message
        self._status = status
        self._probe = probe
        self._on_store_failure = on_store_failure
        client_id = cfg.fixed_client_id + ("-probe" if probe else "")
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                                  clean_session=probe, protocol=mqtt.MQTTv311,
                                  manual_ack=not probe)
        self.client.reconnect_delay_set(RECONNECT_MIN_S, RECONNECT_MAX_S)
        if cfg.username:
            password = get_secret(cfg.password_secret) if cfg.password_secret else None
            self.client.username_pw_set(cfg.username, password)
        if cfg.tls:
            self.client.tls_set(ca_certs=cfg.ca_file)
        self.client.on_connect = self._on_connect
        self.client.on_connect_fail = self._on_connect_fail
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self._first: asyncio.Future[str] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self.connected = threading.Event()
        self.session_present = False
        self.subscribed = threading.Event()
        # messages of the current connection awaiting their PUBACK, in arrival order
        self._inbound: deque[_Inbound] = deque()
        self._ack_lock = threading.Lock()
        self._closed = False
        self.acked = 0  # PUBACKs sent (for tests and the log)

    # -- paho thread callbacks --------------------------------------------------------
    def _settle(self, error: str | None, ok: str = "") -> None:
        fut, loop = self._first, self._loop
        if fut is None or loop is None:
            return

        def settle() -> None:
            if not fut.done():
                if error is None:
                    fut.set_result(ok)
                else:
                    fut.set_exception(ConnectionError(error))

        loop.call_soon_threadsafe(settle)

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any,
                    props: Any) -> None:
        if reason.is_failure:
            words = refusal(self.cfg, reason)
            log.warning("%s", words)
            self._status("retrying", words)
            self._settle(words)
            return
        self.session_present = bool(getattr(flags, "session_present", False))
        self._forget_inbound()  # the broker re-sends the unacknowledged ones itself
        self.connected.set()
        if not self._probe:
            client.subscribe([(t, 1) for t in self.topics])
        else:
            client.subscribe([(t, 0) for t in self.topics])
        resumed = "; session resumed (messages kept by the broker follow)" \
            if self.session_present else ""
        self._status("running", f"connected to {self.cfg.where}{resumed}")
        self._settle(None, "connected")

    def _on_subscribe(self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any,
                      props: Any) -> None:
        if any(getattr(r, "is_failure", False) for r in reasons):
            self._status("running", f"{self.cfg.where} refused a subscription to "
                                    f"{', '.join(self.topics)} (check the broker's ACL)")
        self.subscribed.set()

    def _on_connect_fail(self, client: mqtt.Client, userdata: Any) -> None:
        words = os_failure(self.cfg, None)
        self._status("retrying", words)
        self._settle(words)

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any,
                       props: Any) -> None:
        self.connected.clear()
        self.subscribed.clear()
        self._forget_inbound()
        if reason.is_failure:
            self._status("retrying", f"lost the connection to {self.cfg.where} ({reason}); "
                                     "reconnecting")

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            futures = list(self._handler(msg.topic, bytes(msg.payload)))
        except Exception:  # a bug in one message must not stop the network thread
            log.exception("MQTT message on %s could not be handled; not acknowledged "
                          "(the broker delivers it again on reconnect)", msg.topic)
            return
        if msg.qos == 0 or self._probe:
            return
        self._track(_Inbound(msg.mid, msg.qos, msg.topic, len(futures)), futures)

    # -- acknowledgements (paho's thread and the stores' threads) ----------------------
    def _track(self, entry: _Inbound, futures: list[Stored]) -> None:
        """Queue the PUBACK of one message; it leaves once its futures all completed and
        every earlier message was settled. Never blocks: the stores' threads finish it."""
        with self._ack_lock:
            if self._closed:
                return
            self._inbound.append(entry)
        if not futures:
            self._flush()
        for fut in futures:  # a future already done calls back here, at once
            fut.add_done_callback(lambda f, e=entry: self._stored(e, f))  # type: ignore[misc]

    def _stored(self, entry: _Inbound, fut: Stored) -> None:
        error: BaseException | None = (concurrent.futures.CancelledError()
                                       if fut.cancelled() else fut.exception())
        with self._ack_lock:
            entry.left -= 1
            if error is not None and entry.error is None:
                entry.error = error
        if error is not None:
            words = (f"the console could not store a message from {self.cfg.where} "
                     f"(topic {entry.topic}): {error}; not acknowledged, the broker will "
                     "deliver it again")
            log.warning("%s", words)
            if self._on_store_failure is not None:
                self._on_store_failure(words)
        self._flush()

    def _flush(self) -> None:
        """Send the PUBACKs that are due, in arrival order (held under the lock so that two
        stores completing at once cannot reorder them; `client.ack` only queues a packet
        for paho's thread, as `publish` from another thread does)."""
        with self._ack_lock:
            while self._inbound and self._inbound[0].left <= 0:
                entry = self._inbound.popleft()
                if entry.error is None and not self._closed:
                    self.client.ack(entry.mid, entry.qos)
                    self.acked += 1

    def _forget_inbound(self) -> None:
        """A new or lost connection: PUBACKs of the old one are not sent (packet ids belong
        to it); with our persistent session, the broker sends those messages again."""
        with self._ack_lock:
            self._inbound.clear()

    # -- from the adapter's coroutine -------------------------------------------------
    async def connect(self) -> str:
        """Connect, subscribe; raise ConnectionError in plain words if that fails."""
        self._loop = asyncio.get_running_loop()
        self._first = self._loop.create_future()
        try:
            await asyncio.to_thread(self.client.connect, self.cfg.host, self.cfg.port,
                                    self.cfg.keepalive_s)
        except OSError as exc:
            raise ConnectionError(os_failure(self.cfg, exc)) from None
        self.client.loop_start()
        try:
            return await asyncio.wait_for(self._first, CONNECT_TIMEOUT_S)
        except TimeoutError:
            raise ConnectionError(f"{self.cfg.where} did not answer within "
                                  f"{CONNECT_TIMEOUT_S:.0f} s") from None

    def publish(self, topic: str, payload: str, qos: int = 1) -> None:
        info = self.client.publish(topic, payload, qos=qos)
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            raise ConnectionError(f"cannot publish to {self.cfg.where}: "
                                  f"{mqtt.error_string(info.rc)}")

    async def close(self) -> None:
        """Disconnect cleanly: the broker keeps our session and queues for us meanwhile."""
        with self._ack_lock:
            self._closed = True
            self._inbound.clear()

        def close() -> None:
            with self._lock:
                self.client.disconnect()
                self.client.loop_stop()
        await asyncio.to_thread(close)


async def probe_mqtt(adapter: str, cfg: MqttConfig, topics: list[str]) -> list[ProbeResult]:
    """Connect once (separate client id, clean session: the running adapter is not kicked)."""
    check = f"connect to mqtt://{cfg.host}:{cfg.port}"
    try:
        link = MqttLink(cfg, topics, lambda t, p: (), lambda s, d: None, probe=True)
    except Exception as exc:  # a missing secret, a bad CA file
        return [ProbeResult(adapter, check, False, str(exc))]
    try:
        await link.connect()
        who = f" as '{cfg.username}'" if cfg.username else " anonymously"
        subscribed = await asyncio.to_thread(link.subscribed.wait, CONNECT_TIMEOUT_S)
        detail = f"connected to {cfg.where}{who}" + (
            f"; subscribed to {', '.join(topics)}" if subscribed else "; no subscription answer")
        return [ProbeResult(adapter, check, True, detail)]
    except ConnectionError as exc:
        return [ProbeResult(adapter, check, False, str(exc))]
    finally:
        await link.close()


class MqttAdapter(Adapter):
    """Base of the MQTT adapters: connect, subscribe, hand each message to `handle`, run
    until cancelled. Subclasses give the topics and the per-message work."""

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self._link: MqttLink | None = None

    @property
    def mqtt(self) -> MqttConfig:
        assert isinstance(self.config, MqttConfig)
        return self.config

    def topics(self) -> list[str]:
        raise NotImplementedError

    def handle(self, topic: str, payload: bytes, sink: Sink) -> Sequence[Stored]:
        """One message (on paho's thread): emit its events with `sink.emit_durable` (or
        reject it) and return their futures; the PUBACK waits for them all."""
        raise NotImplementedError

    @staticmethod
    def emit_all(events: Sequence[Event], sink: Sink,
                 undo: Callable[[Event], None] | None = None) -> list[Stored]:
        """Emit durably; `undo(event)` runs if its store fails (forget a de-duplication
        memory so that the broker's redelivery raises the event again)."""
        futures = []
        for event in events:
            fut = sink.emit_durable(event)
            if undo is not None:
                fut.add_done_callback(
                    lambda f, e=event: undo(e)  # type: ignore[misc]
                    if f.cancelled() or f.exception() is not None else None)
            futures.append(fut)
        return futures

    async def start(self, sink: Sink) -> None:
        loop = asyncio.get_running_loop()
        failed: asyncio.Future[str] = loop.create_future()

        def store_failed(words: str) -> None:  # a store's thread
            def fail() -> None:
                if not failed.done():
                    failed.set_result(words)
            with contextlib.suppress(RuntimeError):  # the loop is closed: we are stopping
                loop.call_soon_threadsafe(fail)

        link = self._link = MqttLink(self.mqtt, self.topics(),
                                     lambda t, p: self.handle(t, p, sink), sink.status,
                                     on_store_failure=store_failed)
        await link.connect()
        # paho's thread does the work until we are cancelled, or a store failed: then
        # reconnect (the host's capped backoff) so the broker delivers the message again
        raise RuntimeError(await failed)

    async def stop(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            await link.close()

    @property
    def acked(self) -> int:
        """PUBACKs sent on the current connection's link (0 when not running)."""
        return self._link.acked if self._link is not None else 0

    def publish(self, topic: str, payload: str) -> None:
        if self._link is None or not self._link.connected.is_set():
            raise ConnectionError(f"not connected to {self.mqtt.where}")
        self._link.publish(topic, payload)

    async def probe(self) -> list[ProbeResult]:
        return await probe_mqtt(self.name, self.mqtt, self.topics())

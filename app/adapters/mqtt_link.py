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
the broker delivers it again. Redelivery can repeat an event: the alarm book takes a report
whose message it saw within its retransmission window for a retransmission; a repeated
position fix is harmless.

Reconnection after a drop is paho's: first after RECONNECT_FIRST_S, doubling, capped at
RECONNECT_CAP_S (not the host's backoff to a minute: a broker that comes back must see us
again within about a second, as phones flush their backlog the moment it is back); the
same when the broker is not there as we start. What the broker kept for us is delivered
then, if it kept our session: the client id is fixed per workstation and adapter, so the
session is ours alone and two consoles never kick each other off; a broker restarted
without persistence has forgotten it, and what was published before we subscribed again
is lost: the status says so. A broker that answers but does not accept us raises, and the
host retries; one that refuses our credentials is not an outage: `AuthRefused`, no retry
(it would lock the account).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import logging
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import paho.mqtt.client as mqtt
from pydantic import Field

from app.core.adapter import Adapter, AdapterConfig, AuthRefused, ProbeResult, Sink
from app.core.events import Event
from app.core.secrets import get_secret

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
# paho's reconnection after a drop: 0.25, 0.5, 1, 1, 1... s. A broker back at any moment is
# seen again within RECONNECT_CAP_S plus one connection set-up; a quick restart sooner.
# Each attempt on a broker still away costs it one refused TCP connection.
RECONNECT_FIRST_S, RECONNECT_CAP_S = 0.25, 1.0
# CONNACK refusals that mean "these credentials": retrying cannot help and may lock them
AUTH_REFUSALS = frozenset({"Bad user name or password", "Not authorized",
                           "Bad authentication method"})
CLIENT_ID_MAX = 64  # brokers must take 23 characters, mosquitto takes 65535: stay modest

Stored = concurrent.futures.Future[None]
# (topic, payload) -> the futures of the events made from the message (none: ack at once)
MessageHandler = Callable[[str, bytes], Sequence[Stored]]
StatusFn = Callable[[str, str], None]
FailureFn = Callable[[str], None]
RefusedFn = Callable[[AuthRefused], None]


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
    client_id: str | None = None  # default "csu-<workstation>-<name>": see `fixed_client_id`
    tls: bool = False
    ca_file: str | None = None  # a private CA for the broker's certificate
    keepalive_s: int = Field(default=30, ge=5, le=600)

    @property
    def where(self) -> str:
        return f"MQTT broker {self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"

    @property
    def fixed_client_id(self) -> str:
        """The same on every start of this adapter on this workstation (the broker keeps
        the session of that id), and different on another workstation (a broker drops
        the older of two clients with one id: two consoles would kick each other off)."""
        return self.client_id or workstation_client_id(self.name)


def workstation_client_id(name: str, host: str | None = None) -> str:
    """`csu-<host>-<name>` in characters every broker takes; too long: cut, plus a hash of
    the whole so that two long names stay apart."""
    host = host if host is not None else socket.gethostname()
    whole = f"csu-{host}-{name}"
    cid = re.sub(r"[^A-Za-z0-9_.-]", "_", whole)
    if len(cid) > CLIENT_ID_MAX:
        digest = hashlib.sha256(whole.encode()).hexdigest()[:8]
        cid = f"{cid[:CLIENT_ID_MAX - 9]}-{digest}"
    return cid


def is_auth_refusal(reason: object) -> bool:
    """A CONNACK that refuses the credentials (paho's reason codes, compared by name as
    paho advises: MQTT 3.1.1 codes 4 and 5 arrive as their MQTT 5 names)."""
    return str(reason) in AUTH_REFUSALS


def refusal(cfg: MqttConfig, reason: object) -> str:
    """A CONNACK refusal in an installer's words."""
    words = str(reason).lower()
    if "password" in words or "not authori" in words:
        if cfg.username:
            return f"{cfg.where} refused the password for user '{cfg.username}'"
        return f"{cfg.where} refused an anonymous connection (set `username` and `password_secret`)"
    return f"{cfg.where} refused the connection: {reason}"


def lost_words(reason: object, keepalive_s: int) -> str:
    """Why a connection dropped, as paho's disconnect reason tells it."""
    name = str(reason)
    if name == "Unspecified error":  # paho's name for a connection closed under us
        return "the connection closed (the broker stopped, or the network failed)"
    if name == "Keep alive timeout":
        return f"no answer from the broker within the {keepalive_s} s keep-alive"
    return name


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
                 on_store_failure: FailureFn | None = None,
                 on_refused: RefusedFn | None = None) -> None:
        self.cfg = cfg
        self.topics = topics
        self._handler = on_message
        self._status_fn = status
        self._probe = probe
        self._on_store_failure = on_store_failure
        self._on_refused = on_refused
        client_id = cfg.fixed_client_id + ("-probe" if probe else "")
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                                  clean_session=probe, protocol=mqtt.MQTTv311,
                                  manual_ack=not probe)
        # paho types the delays as int but computes in float seconds (time arithmetic)
        self.client.reconnect_delay_set(cast(int, RECONNECT_FIRST_S),
                                        cast(int, RECONNECT_CAP_S))
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
        self._gave_up = False  # credentials refused: paho's loop is told to stop
        self._dropped_at: float | None = None  # time.monotonic() of the last drop
        self._last_status: tuple[str, str] | None = None
        self.acked = 0  # PUBACKs sent (for tests and the log)

    def _status(self, state: str, detail: str) -> None:
        """Report a state once: paho calls back on every attempt while the broker is away,
        the panel and the journal need each change, not each attempt."""
        if (state, detail) != self._last_status:
            self._last_status = (state, detail)
            self._status_fn(state, detail)

    # -- paho thread callbacks --------------------------------------------------------
    def _settle(self, error: BaseException | None, ok: str = "") -> None:
        fut, loop = self._first, self._loop
        if fut is None or loop is None:
            return

        def settle() -> None:
            if not fut.done():
                if error is None:
                    fut.set_result(ok)
                else:
                    fut.set_exception(error)

        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits now
            loop.call_soon_threadsafe(settle)

    def _give_up(self, client: mqtt.Client, refused: AuthRefused) -> None:
        """Credentials refused: stop paho's reconnection (each attempt would count against
        the account) and let the adapter raise `AuthRefused` (the host stops it)."""
        self._gave_up = True
        log.warning("%s; not retrying until the installer fixes it", refused)
        client.disconnect()  # paho's loop ends instead of reconnecting
        self._settle(refused)  # the first connection: `connect()` raises it
        if self._on_refused is not None:
            self._on_refused(refused)  # a later one: the running adapter raises it

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any,
                    props: Any) -> None:
        if reason.is_failure:
            words = refusal(self.cfg, reason)
            if is_auth_refusal(reason) and not self._probe:
                self._give_up(client, AuthRefused(words))
                return
            log.warning("%s", words)
            self._status("retrying", words)
            self._settle(ConnectionError(words))
            return
        self.session_present = bool(getattr(flags, "session_present", False))
        self._forget_inbound()  # the broker re-sends the unacknowledged ones itself
        self.connected.set()
        if not self._probe:
            client.subscribe([(t, 1) for t in self.topics])
        else:
            client.subscribe([(t, 0) for t in self.topics])
        self._status("running", self._connected_words())
        self._settle(None, "connected")

    def _connected_words(self) -> str:
        if self._dropped_at is None:  # the first connection of this link
            resumed = "; session resumed (messages kept by the broker follow)" \
                if self.session_present else ""
            return f"connected to {self.cfg.where}{resumed}"
        away = time.monotonic() - self._dropped_at
        back = f"connected again to {self.cfg.url} after {away:.1f} s away"
        if self.session_present:
            return f"{back}; session resumed (what the broker kept for us follows)"
        return (f"{back}, but the broker had forgotten our session (restarted without "
                "persistence?): what was published to it before we subscribed again "
                "is lost")

    def _on_subscribe(self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any,
                      props: Any) -> None:
        if any(getattr(r, "is_failure", False) for r in reasons):
            self._status("running", f"{self.cfg.where} refused a subscription to "
                                    f"{', '.join(self.topics)} (check the broker's ACL)")
        self.subscribed.set()

    def _on_connect_fail(self, client: mqtt.Client, userdata: Any) -> None:
        """A reconnection attempt found nobody (the drop is already reported)."""
        log.debug("%s: %s", self.cfg.fixed_client_id, os_failure(self.cfg, None))
        self._settle(ConnectionError(os_failure(self.cfg, None)))

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any,
                       props: Any) -> None:
        was_connected = self.connected.is_set()
        self.connected.clear()
        self.subscribed.clear()
        self._forget_inbound()
        if not reason.is_failure or self._closed or self._gave_up:
            return
        if not was_connected:  # an attempt that failed: its CONNACK said why, if any
            self._settle(ConnectionError(f"{self.cfg.where} closed the connection before "
                                         "accepting it"))
            return
        self._dropped_at = time.monotonic()
        self._status("retrying", f"lost the connection to {self.cfg.url}: "
                                 f"{lost_words(reason, self.cfg.keepalive_s)}; "
                                 f"reconnecting every {RECONNECT_CAP_S:g} s at most")

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
        """Connect and subscribe, or raise ConnectionError in plain words (a broker that
        does not answer or refuses us) or AuthRefused (our credentials). A broker that
        is not there at all is not an error: paho keeps trying (a probe raises)."""
        self._loop = asyncio.get_running_loop()
        self._first = self._loop.create_future()
        where = (self.cfg.host, self.cfg.port, self.cfg.keepalive_s)
        try:
            await asyncio.to_thread(self.client.connect, *where)
        except OSError as exc:
            if self._probe:
                raise ConnectionError(os_failure(self.cfg, exc)) from None
            # the broker is away as we start: paho tries again at the pace it keeps after
            # a drop (the host's backoff would grow to a minute)
            self._first = None
            self._status("retrying", f"{os_failure(self.cfg, exc)}; trying again every "
                                     f"{RECONNECT_CAP_S:g} s at most")
            self.client.connect_async(*where)
            self.client.loop_start()
            return "waiting for the broker"
        self.client.loop_start()
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT_S):
                return await self._first
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
                # paho closes the socket pair its loop opened only in `__del__`, which a
                # garbage collection may run after the sockets' own finalizers (Python then
                # warns of two unclosed sockets; the strict test settings fail on it):
                # `reinitialise` is its public way to close them now
                self.client.reinitialise()
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
        """One message (on paho's thread, already counted as received): emit its events
        with `sink.emit_durable` (or reject it) and return their futures; the PUBACK waits
        for them all."""
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

    def _received(self, topic: str, payload: bytes, sink: Sink) -> Sequence[Stored]:
        """Every message from the broker is counted before it is parsed (the panel shows
        messages, the events made from them and rejections apart): here, once for every
        MQTT adapter, so `handle` must not count it again."""
        sink.received()
        return self.handle(topic, payload, sink)

    async def start(self, sink: Sink) -> None:
        loop = asyncio.get_running_loop()
        # what ends the run: a store failed (reconnect, so the broker delivers the message
        # again) or the broker refused our credentials (AuthRefused: the host stops us)
        ended: asyncio.Future[BaseException] = loop.create_future()

        def end(exc: BaseException) -> None:  # from paho's or a store's thread
            def settle() -> None:
                if not ended.done():
                    ended.set_result(exc)
            with contextlib.suppress(RuntimeError):  # the loop is closed: we are stopping
                loop.call_soon_threadsafe(settle)

        link = self._link = MqttLink(self.mqtt, self.topics(),
                                     lambda t, p: self._received(t, p, sink), sink.status,
                                     on_store_failure=lambda words: end(RuntimeError(words)),
                                     on_refused=end)
        await link.connect()
        # paho's thread does the work until we are cancelled or `end` is called
        raise await ended

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

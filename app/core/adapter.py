"""The plug-in contract every adapter implements (built-in ones included).

An adapter is registered under the entry-point group `csu_console.adapters`. It declares a
`kind`, a pydantic `Config` (validated from its `[[adapters]]` table of the site file) and
its capabilities. The host runs `start()` as a coroutine on the adapter thread; if it
raises, the host logs it, shows the status and retries with capped backoff.
"""

from __future__ import annotations

import abc
import concurrent.futures
import enum
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

from app.core.events import AdapterStatus, Event
from app.core.model import Alarm
from app.core.recording import VmsSource
from app.core.refs import IdRef
from app.core.retry import SampledLog

log = logging.getLogger(__name__)


class AuthRefused(Exception):
    """The system refused our credentials (a wrong password, a revoked token or key).

    Not an outage: retrying would only lock the service account. The host stops the
    adapter, shows it as "refused" with this message, and waits until the installer fixes
    the secret and asks for a retry (Home Assistant's `ConfigEntryAuthFailed` is the model).
    Raise it only when an *authenticated* request was refused, never on a refusal that
    could have another cause."""


class Capability(enum.StrEnum):
    CAMERAS = "cameras"
    POSITIONS = "positions"
    ALARMS = "alarms"
    PTZ = "ptz"
    PLAYBACK = "playback"
    ACKNOWLEDGE = "acknowledge"


class AdapterConfig(BaseModel):
    """Base of every adapter's config: `kind` picks the adapter, `name` names the instance."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    name: str
    enabled: bool = True
    # the territory of what it reports (an intercommunal CSU: a town hall's alarm panel);
    # "": the whole site's. A camera or officer it announces without a commune takes this one.
    commune: str = ""

    def references(self) -> list[IdRef]:
        """The camera/officer ids this config links to (ids that must exist elsewhere)."""
        return []

    def provides(self) -> list[IdRef]:
        """The camera/officer ids this adapter announces itself once running."""
        return []


@dataclass(frozen=True, slots=True)
class PtzCommand:
    """A PTZ order for one camera: a continuous move (speeds in -1..1, all 0 = stop) or a
    preset to go to."""

    camera_id: str
    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0
    preset: str | None = None

    @property
    def is_stop(self) -> bool:
        return self.preset is None and self.pan == self.tilt == self.zoom == 0.0


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """One check of `check-config --probe`, in words an installer understands."""

    adapter: str
    check: str  # e.g. "connect to mqtt://10.0.0.5:1883"
    ok: bool
    detail: str = ""


class Sink(Protocol):
    """What an adapter emits into. Thread-safe."""

    def received(self, count: int = 1) -> None:
        """`count` messages arrived from the outside (before parsing): the panel shows
        messages received, events produced and rejections apart."""

    def emit(self, event: Event) -> None: ...

    def emit_durable(self, event: Event) -> concurrent.futures.Future[None]:
        """Emit, with a future that completes once the event is stored durably: acknowledge
        the source only then. Wait without cancelling it on a timeout (see
        `app.adapters.sinks.stored`): `asyncio.wait_for(asyncio.wrap_future(fut))` would."""
        ...

    def reject(self, reason: str, raw: object = None) -> None:
        """Count an input the adapter could not turn into an event (and log a sample:
        a flood of garbage is counted in full, logged in part)."""

    def status(self, state: str, detail: str = "") -> None:
        """The adapter's state in plain words, for the status panel."""


class Adapter(abc.ABC):
    kind: ClassVar[str]
    Config: ClassVar[type[AdapterConfig]]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    description: ClassVar[str] = ""

    def __init__(self, config: AdapterConfig) -> None:
        self.config = config

    @property
    def name(self) -> str:
        return self.config.name

    @abc.abstractmethod
    async def start(self, sink: Sink) -> None:
        """Connect and run until cancelled. Raise to signal a failure (the host retries)."""

    async def stop(self) -> None:  # noqa: B027 - optional hook
        """Release resources. Called after `start` was cancelled or failed."""

    def replay_source(self) -> VmsSource | None:
        """Where replay gets the recordings this adapter's system keeps (adapters with
        PLAYBACK; None: not configured for it). Called once, off the GUI thread."""
        return None

    async def acknowledge(self, alarm: Alarm, actor: str) -> None:  # noqa: B027
        """Write an acknowledgement back to the source (adapters with ACKNOWLEDGE)."""

    async def ptz(self, command: PtzCommand) -> None:
        """Move a camera this adapter serves (adapters with PTZ)."""
        raise NotImplementedError(f"{self.kind} adapters cannot move cameras")

    async def probe(self) -> list[ProbeResult]:
        """Connect once to each configured system and say what works (check-config --probe).
        Must not emit events and must finish within a few seconds per system."""
        return [ProbeResult(self.name, "probe", True, "this adapter has nothing to probe")]


class CountingSink:
    """The sink the host hands an adapter: forwards to the hub, counts messages, events and
    rejections apart, logs a sample of rejections, and logs each change of state once
    (so the log says when a system drops and when it is back)."""

    def __init__(self, adapter_name: str, post: PostFn,
                 post_durable: PostDurableFn | None = None) -> None:
        self.adapter_name = adapter_name
        self._post = post
        self._post_durable = post_durable
        self.messages = 0
        self.emitted = 0
        self.rejected = 0
        self.last_reject = ""
        self.last_message_at: float | None = None  # time.time() of the last message
        self.state, self.detail = "starting", ""
        self._reject_log = SampledLog(log)

    def received(self, count: int = 1) -> None:
        self.messages += count
        self.last_message_at = time.time()

    def emit(self, event: Event) -> None:
        self.emitted += 1
        self.last_message_at = time.time()
        self._post(event)

    def emit_durable(self, event: Event) -> concurrent.futures.Future[None]:
        if self._post_durable is None:
            raise RuntimeError("this sink cannot tell when an event is stored")
        self.emitted += 1
        self.last_message_at = time.time()
        return self._post_durable(event)

    def reject(self, reason: str, raw: object = None) -> None:
        self.rejected += 1
        self.last_reject = reason
        self._reject_log.log(logging.WARNING, "%s rejected input: %s (%.200r)",
                             self.adapter_name, reason, raw)

    def status(self, state: str, detail: str = "") -> None:
        if state != self.state:
            level = logging.WARNING if state in ("retrying", "failed", "refused") else (
                logging.INFO)
            log.log(level, "%s: %s -> %s%s", self.adapter_name, self.state, state,
                    f" ({detail})" if detail else "")
        self.state, self.detail = state, detail
        self._post(self.snapshot())

    def snapshot(self) -> AdapterStatus:
        """State and counters now (the host posts one every few seconds for the UI)."""
        last = (datetime.fromtimestamp(self.last_message_at, UTC)
                if self.last_message_at is not None else None)
        return AdapterStatus(adapter=self.adapter_name, state=self.state, detail=self.detail,
                             messages=self.messages, events=self.emitted,
                             rejected=self.rejected, last_message=last)


class PostFn(Protocol):
    def __call__(self, event: Event) -> None: ...


class PostDurableFn(Protocol):
    def __call__(self, event: Event) -> concurrent.futures.Future[None]: ...

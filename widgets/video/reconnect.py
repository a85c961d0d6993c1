"""When a tile tries its camera again: one rule for every engine (libvlc, OpenCV) and every
protocol (RTSP, HTTP). Qt-free, so it is read and tested on its own.

A failed attempt has a reason, from the engine (OpenCV's TCP check says "refused" or
"unreachable") or from asking the camera itself (`engine.diagnose()`: "auth", "no_login",
"not_found", ...). The reason picks the schedule, `app.core.retry.backoff_delay` the delay:

- refused credentials ("auth", "no_login"): first retry after about 5 min, doubling to a
  30 min cap. Why so slow: a wrong password does not mend by itself, and cameras lock the
  account after a few failures (Dahua: 5 failures lock it for 30 min by default; Hikvision
  locks after 5 to 7), which would also lock every other seat and the recorder that share
  it. With the tile's own first try (the engine's and the diagnosis' logins) that makes 4
  failed logins in the first 30 min (t = 0, 5, 15 min), then 2 an hour. An operator who
  re-opens the camera retries at once; so does a password fixed by the installer on the
  next start.
- no such stream ("not_found"): the URL is wrong; first retry after about 30 s, to 5 min.
- everything else (refused connection, unreachable, timeout, stalled, unknown): a camera
  that comes back must show within about 3 s, and a refused connection costs nothing:
  0.25 s, 0.5 s, then every second (the cap).
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.core.retry import backoff_delay

log = logging.getLogger(__name__)

CREDENTIALS = frozenset({"auth", "no_login"})
WRONG_ADDRESS = frozenset({"not_found"})


@dataclass(frozen=True, slots=True)
class Schedule:
    first_s: float
    cap_s: float


CREDENTIALS_SCHEDULE = Schedule(300.0, 1800.0)
WRONG_ADDRESS_SCHEDULE = Schedule(30.0, 300.0)
OUTAGE_SCHEDULE = Schedule(0.25, 1.0)


def kind(reason: str) -> str:
    """The failure class of a reason: "credentials", "address" or "outage"."""
    if reason in CREDENTIALS:
        return "credentials"
    if reason in WRONG_ADDRESS:
        return "address"
    return "outage"


def schedule(reason: str) -> Schedule:
    return {"credentials": CREDENTIALS_SCHEDULE,
            "address": WRONG_ADDRESS_SCHEDULE}.get(kind(reason), OUTAGE_SCHEDULE)


def retry_delay(reason: str, failures: int, rng: random.Random | None = None) -> float:
    """Seconds before the next try after `failures` failures in a row of this reason's
    class (1 for the first), jittered ±20% so that seats do not knock in step."""
    s = schedule(reason)
    return backoff_delay(max(1, failures), rng, first_s=s.first_s, cap_s=s.cap_s)


def check_first(reason: str) -> bool:
    """Whether the next try asks the camera (one login) before the engine opens the stream
    (another login): after refused credentials, a retry costs the camera one failure."""
    return kind(reason) == "credentials"


# --- refused logins, shared by every tile of every wall ------------------------------------

CHECK_CLAIM_S = 10.0  # a tile that asked the camera has this long to report before another may


@dataclass(slots=True)
class Hold:
    """A camera login refused: nobody tries it again before `retry_at`."""

    reason: str
    failures: int
    retry_at: float
    claimed_until: float = 0.0


def login_key(login_url: str) -> str:
    """Who logs in where: the URL with its user and password, hashed (memory only, never
    shown): a password changed in the keyring is a new login, tried at once."""
    return hashlib.sha256(login_url.encode()).hexdigest()


class LoginHolds:
    """Logins that cameras refused. Per login, not per tile: a tour, a second wall or the
    operator re-opening the camera must not try a refused password again before its time
    (each try is a failed login on the camera's lock-out counter)."""

    MAX = 4096

    def __init__(self) -> None:
        self._holds: dict[str, Hold] = {}

    def get(self, key: str) -> Hold | None:
        return self._holds.get(key)

    def refused(self, key: str, reason: str, now: float, rng: random.Random | None = None
                ) -> Hold:
        """One more refusal of this login: when it may be tried next."""
        hold = self._holds.pop(key, None) or Hold(reason, 0, now)
        hold.reason, hold.failures = reason, hold.failures + 1
        hold.retry_at = now + retry_delay(reason, hold.failures, rng)
        hold.claimed_until = 0.0
        self._holds[key] = hold  # the newest last: the oldest go first past MAX
        while len(self._holds) > self.MAX:
            del self._holds[next(iter(self._holds))]
        return hold

    def accepted(self, key: str) -> None:
        """The camera took this login (or no longer refuses it): no hold."""
        self._holds.pop(key, None)

    def clear(self) -> None:
        """Forget every hold (tests; an installer's "try every camera again")."""
        self._holds.clear()

    def claim(self, key: str, now: float) -> bool:
        """Whether the caller may ask the camera now (one asker at a time per login)."""
        hold = self._holds.get(key)
        if hold is None or now < hold.retry_at or now < hold.claimed_until:
            return False
        hold.claimed_until = now + CHECK_CLAIM_S
        return True


_holds = LoginHolds()


def shared_holds() -> LoginHolds:
    return _holds


# --- one tile's bookkeeping ------------------------------------------------------------------

DIAGNOSE_EVERY_S = 10.0  # at most one question to the camera per tile this often (outages)


@dataclass(slots=True)
class _Question:
    """A diagnosis running on a worker thread; `answer` is set once, by that thread."""

    login_url: str
    checking: bool  # asked before a retry (refused login), not after a failure
    answer: str | None = None


class Reconnector:
    """When one tile tries again, and why its last try failed. The tile reports attempts
    (`begin`, `failed`, `played`) and asks `due()` on every watchdog tick; everything
    about reasons, schedules and refused logins is decided here.

    `diagnose(login_url)` asks the camera why (blocking: it runs on a worker thread).
    """

    def __init__(self, diagnose: Callable[[str], str], holds: LoginHolds | None = None,
                 spawn: Callable[[Callable[[], None]], None] | None = None) -> None:
        self._diagnose = diagnose
        self._holds = holds or shared_holds()
        self._spawn = spawn or _thread
        self.reset()

    def reset(self) -> None:
        """A new camera or stream: nothing known yet."""
        self.reason = ""  # why the last try failed ("" when unknown)
        self.failures = 0  # failures in a row of this reason's kind
        self.retry_at: float | None = None
        self._kind = ""
        self._key = ""
        self._login = ""
        self._failed_at = 0.0
        self._asked_at = -DIAGNOSE_EVERY_S
        self._question: _Question | None = None

    @property
    def asking(self) -> bool:
        """A question to the camera is under way (a retry waits for its answer)."""
        return self._question is not None

    def begin(self, login_url: str) -> bool:
        """Before the engine opens `login_url`: False when a refused login holds it back
        (`reason` and `retry_at` then say why and until when)."""
        self._login, self._key = login_url, login_key(login_url)
        hold = self._holds.get(self._key)
        if hold is not None:
            self.reason, self.failures, self.retry_at = hold.reason, hold.failures, hold.retry_at
            self._kind = kind(hold.reason)
            return False
        self.retry_at = None
        self._question = None  # an answer about an older attempt would mislead this one
        return True

    def played(self) -> None:
        """Pictures arrived: the camera is fine, whatever was said before."""
        self.reason, self.failures, self._kind, self.retry_at = "", 0, "", None
        self._question = None
        self._holds.accepted(self._key)

    def failed(self, now: float, reason: str) -> None:
        """An attempt ended without pictures (or they stopped). `reason` from the engine,
        "" when it cannot say: the camera is then asked (at most every few seconds)."""
        self._failed_at = now
        if reason in CREDENTIALS:
            self._refused(now, reason)
            return
        if reason:
            self.reason = reason
        elif self._question is None and now - self._asked_at >= DIAGNOSE_EVERY_S:
            self._ask(now, checking=False)
        # an engine that cannot say why: the cause the camera gave last time is presumed to
        # hold (until its new answer says otherwise), so a wrong address keeps doubling its
        # wait instead of starting again at every try as an outage would
        self._count(now, reason or self.reason)

    def due(self, now: float) -> bool:
        """Called on every tick while no attempt runs: True when the engine should open
        the stream now. Takes in the camera's answers as they come."""
        q = self._question
        if q is not None:
            if q.answer is None:
                return False  # never retry while the camera is being asked
            self._question = None
            return self._answered(now, q)
        if self.retry_at is None or now < self.retry_at:
            return False
        if kind(self.reason) != "credentials":
            return True
        hold = self._holds.get(self._key)
        if hold is None:  # another tile's question found the login accepted
            self.reason, self.failures, self._kind = "", 0, ""
            return True
        if hold.retry_at > now:  # another tile asked, and was refused again
            self.failures, self.retry_at = hold.failures, hold.retry_at
            return False
        if self._holds.claim(self._key, now):
            self._ask(now, checking=True)  # one login, not the engine's and ours
        return False

    # --- internals ---------------------------------------------------------------------

    def _answered(self, now: float, q: _Question) -> bool:
        answer = q.answer or ""
        if q.checking:
            if answer in CREDENTIALS:
                self._refused(now, answer)
                return False
            self._holds.accepted(self._key)
            if not answer:
                self.reason, self.failures, self._kind = "", 0, ""
                return True  # the camera takes the login again: open the stream
            self.reason = answer
            self._count(now, answer)
            return False
        if answer in CREDENTIALS:
            self._refused(self._failed_at, answer)
        elif answer:
            if kind(answer) != self._kind:  # re-plan that failure under its true kind
                self._count(self._failed_at, answer)
            self.reason = answer
        return False

    def _count(self, at: float, reason: str) -> None:
        k = kind(reason)
        if k != self._kind:
            self.failures, self._kind = 0, k
        self.failures += 1
        self.retry_at = at + retry_delay(reason, self.failures)

    def _refused(self, at: float, reason: str) -> None:
        hold = self._holds.refused(self._key, reason, at)
        self.reason, self.failures, self.retry_at = reason, hold.failures, hold.retry_at
        self._kind = "credentials"

    def _ask(self, now: float, *, checking: bool) -> None:
        q = _Question(self._login, checking)
        self._question, self._asked_at = q, now
        diagnose = self._diagnose

        def run() -> None:
            try:
                answer = diagnose(q.login_url)
            except Exception:  # a question that breaks must still end: "" (cannot tell)
                log.exception("asking the camera why its stream does not open failed")
                answer = ""
            q.answer = answer

        self._spawn(run)


def _thread(run: Callable[[], None]) -> None:
    threading.Thread(target=run, name="csu-video-diagnose", daemon=True).start()

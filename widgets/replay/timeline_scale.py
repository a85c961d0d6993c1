"""The timeline's arithmetic, without Qt: which span of time the widget shows, how an
instant maps to a pixel and back, how zoom keeps the instant under the pointer, how the
view pages along with a playing clock, and where ticks fall (in local time: an operator
reads "14:00", not "13:00Z").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MIN_SPAN = timedelta(seconds=10)
MAX_SPAN = timedelta(days=7)
_WALL_EPOCH = datetime(1970, 1, 1)  # of the local wall clock

# tick steps in seconds, smallest first: the first one far enough apart in pixels is used
_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600,
          6 * 3600, 12 * 3600, 86400, 2 * 86400)


@dataclass(frozen=True, slots=True)
class View:
    """The time shown across `width` pixels, from `start` for `span`."""

    start: datetime
    span: timedelta
    width: int

    @property
    def end(self) -> datetime:
        return self.start + self.span

    def x_of(self, t: datetime) -> float:
        return (t - self.start) / self.span * self.width

    def t_of(self, x: float) -> datetime:
        return self.start + self.span * (x / max(1, self.width))

    def contains(self, t: datetime) -> bool:
        return self.start <= t <= self.end

    def zoomed(self, factor: float, x: float) -> View:
        """`factor` < 1 zooms in. The instant at pixel `x` stays at pixel `x`."""
        pivot = self.t_of(x)
        span = min(MAX_SPAN, max(MIN_SPAN, self.span * factor))
        start = pivot - span * (x / max(1, self.width))
        return View(start, span, self.width)

    def panned(self, pixels: float) -> View:
        return View(self.start + self.span * (pixels / max(1, self.width)), self.span,
                    self.width)

    def following(self, t: datetime) -> View:
        """The view that shows `t`: itself when it already does, else the page that starts
        a little before `t` (a page at a time, so the ruler does not crawl under the eye)."""
        if self.contains(t):
            return self
        lead = self.span * 0.05
        if t > self.end:  # playing forwards: `t` enters at the left
            return View(t - lead, self.span, self.width)
        return View(t - self.span + lead, self.span, self.width)  # backwards: at the right

    def resized(self, width: int) -> View:
        return View(self.start, self.span, width)


def fit(start: datetime, end: datetime, width: int) -> View:
    """The view of [start, end] with a small margin each side, within the zoom limits."""
    span = min(MAX_SPAN, max(MIN_SPAN, (end - start) * 1.04))
    middle = start + (end - start) / 2
    return View(middle - span / 2, span, width)


def tick_step(view: View, min_px: float) -> timedelta:
    """The smallest usual step (1 s, 5 min, 1 h, 1 day...) at least `min_px` apart."""
    seconds_per_px = view.span.total_seconds() / max(1, view.width)
    for step in _STEPS:
        if step / seconds_per_px >= min_px:
            return timedelta(seconds=step)
    return timedelta(seconds=_STEPS[-1])


def ticks(view: View, step: timedelta) -> list[datetime]:
    """The instants (UTC) of ticks `step` apart that fall in the view, placed on round
    local times (midnight, the hour, the minute) of the workstation's time zone. Counted
    on the local wall clock, so a day tick stays at midnight across a change of hour."""
    wall = view.start.astimezone().replace(tzinfo=None)  # naive local time
    step_s = step.total_seconds()
    since = (wall - _WALL_EPOCH).total_seconds()
    n = _WALL_EPOCH + timedelta(seconds=-(-since // step_s) * step_s)
    out = []
    while (t := n.astimezone(UTC)) <= view.end:  # a naive time is read as local
        if t >= view.start:
            out.append(t)
        n += step
    return out


def tick_label(t: datetime, step: timedelta) -> str:
    """A tick's words in local time: seconds when ticks are seconds apart, the day at
    midnight and when ticks are days apart."""
    local = t.astimezone()
    if step >= timedelta(days=1) or (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.strftime("%d/%m")
    if step < timedelta(minutes=1):
        return local.strftime("%H:%M:%S")
    return local.strftime("%H:%M")

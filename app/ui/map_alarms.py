"""Which alarms the map draws: the open ones with a place, at most `limit` of them, the most
urgent first and, within a priority, the latest reported.

A map with tens of thousands of alarm markers is no map, and drawing them took the page a
whole CPU in an alarm storm (which then starved the GUI thread). The desk lists every alarm;
the map shows what an operator can read, and says how many it leaves out. The choice costs
O(limit) per batch: open alarms are kept per priority in report order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from app.core.model import Alarm

DEFAULT_LIMIT = 300


class MapAlarms:
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._by_priority: dict[int, OrderedDict[str, Alarm]] = {
            p: OrderedDict() for p in (1, 2, 3, 4)}
        self._where: dict[str, int] = {}
        self.drawn: set[str] = set()

    def update(self, alarms: Iterable[Alarm]) -> tuple[list[Alarm], list[str]]:
        """(alarms to draw or redraw, ids to take off the map) after a batch of changes."""
        changed: set[str] = set()
        for a in alarms:
            old = self._where.pop(a.id, None)
            if old is not None:
                self._by_priority[old].pop(a.id, None)
            if a.is_open and a.position is not None:
                bucket = self._by_priority[a.priority]
                bucket[a.id] = a  # the latest reported last
                self._where[a.id] = a.priority
            changed.add(a.id)
        chosen = self._choose()
        gone = [i for i in self.drawn if i not in chosen]
        draw = [self._alarm(i) for i in chosen if i in changed or i not in self.drawn]
        self.drawn = chosen
        return draw, gone

    def drawn_alarms(self) -> list[Alarm]:
        """The alarms on the map now (to send again, e.g. titled in a new language)."""
        return [self._alarm(i) for i in self.drawn]

    @property
    def left_out(self) -> int:
        """Open alarms with a place that the map does not draw."""
        return len(self._where) - len(self.drawn)

    def _alarm(self, alarm_id: str) -> Alarm:
        return self._by_priority[self._where[alarm_id]][alarm_id]

    def _choose(self) -> set[str]:
        out: set[str] = set()
        for p in (1, 2, 3, 4):
            for alarm_id in reversed(self._by_priority[p]):
                if len(out) >= self.limit:
                    return out
                out.add(alarm_id)
        return out

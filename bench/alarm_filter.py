"""Filtering and sorting a big alarm desk: the time the GUI thread spends on each change of
filter, with the desk's real models (`AlarmTableModel` + `AlarmFilterProxy`).

Printed per operation: wall milliseconds and CPU milliseconds of the thread (the CPU figure
holds on a machine shared with other work), and the rows shown. `--qsort` adds the
reference the desk used before: a QSortFilterProxyModel with the same rules in a Python
`lessThan` and `filterAcceptsRow`.

    .venv/bin/python -m bench.alarm_filter [--alarms 60000] [--qsort]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QModelIndex, QSortFilterProxyModel

from app.core.model import Alarm, AlarmState, AlarmStep, AlarmType
from app.ui.alarm_model import OPEN_STATES, SORT_ROLE, AlarmTableModel
from app.ui.alarm_proxy import AlarmFilterProxy

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def desk(n: int) -> list[Alarm]:
    types, states = list(AlarmType), list(AlarmState)
    out = []
    for i in range(1, n + 1):
        raised = T0 - timedelta(seconds=(i * 7919) % 86_400)
        out.append(Alarm(id=str(i), source="bench", source_id=f"b{i}", type=types[i % len(types)],
                         priority=1 + i % 4, title=f"Alarme {i} rue {i % 313}",
                         raised_at=raised, state=states[(i // 4) % 4],
                         history=(AlarmStep(raised, "bench", "raised", AlarmState.NEW),)))
    return out


class QSortReference(QSortFilterProxyModel):
    """The desk's former proxy: the same order and filters, one Python call per comparison
    and per row."""

    def __init__(self, source: AlarmTableModel) -> None:
        super().__init__()
        self._source = source
        self.states: frozenset[AlarmState] = OPEN_STATES
        self.types: frozenset[AlarmType] | None = None
        self.top = 4
        self.text = ""
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self.sort(0)

    def lessThan(self, left: Any, right: Any) -> bool:
        keys = self._source.keyed()[0]
        return keys[left.row()] < keys[right.row()]

    def filterAcceptsRow(self, row: int, _parent: Any) -> bool:
        a = self._source.alarm_at(row)
        if a.state not in self.states or a.priority > self.top:
            return False
        if self.types is not None and a.type not in self.types:
            return False
        return not self.text or self.text in self._source.haystack(a)

    def change(self, apply: Callable[[], None]) -> None:
        self.beginFilterChange()
        apply()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)


def timed(op: Callable[[], object]) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.thread_time()
    op()
    return (time.perf_counter() - w0) * 1000, (time.thread_time() - c0) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--alarms", type=int, default=60_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each operation (median)")
    ap.add_argument("--qsort", action="store_true", help="also the former QSortFilterProxyModel")
    args = ap.parse_args()
    app = QCoreApplication(sys.argv[:1])
    model = AlarmTableModel()
    alarms = desk(args.alarms)
    load_ms = timed(lambda: model.upsert_many(alarms))[0]
    every = set(AlarmState)
    proxy: AlarmFilterProxy | None = None

    def build() -> None:
        nonlocal proxy
        proxy = AlarmFilterProxy(model)

    build_ms = timed(build)
    assert proxy is not None
    p = proxy
    ops: list[tuple[str, Callable[[], None], Callable[[], None]]] = [
        ("every state (closed too)", lambda: p.set_states(every),
         lambda: p.set_states(OPEN_STATES)),
        ("one type", lambda: p.set_types({AlarmType.GUNSHOT}), lambda: p.set_types(None)),
        ("P1-P2 only", lambda: p.set_max_priority(2), lambda: p.set_max_priority(4)),
        ("free text 'rue 42'", lambda: p.set_text("rue 42"), lambda: p.set_text("")),
    ]
    print(f"filter and sort a desk of {args.alarms} alarms; load average "
          f"{os.getloadavg()[0]:.2f}; ms wall / ms CPU of the thread, median of {args.repeat}")
    print(f"model filled in {load_ms:.0f} ms; sorted view built in {build_ms[0]:.0f} / "
          f"{build_ms[1]:.0f} ms ({p.rowCount()} open alarms)")
    print(f"{'filter':<26} {'on: wall':>9} {'CPU':>6} {'rows':>6}   {'off: wall':>9} {'CPU':>6} "
          f"{'rows':>6}")
    for name, on, off in ops:
        ons, offs = [], []
        for _ in range(args.repeat):
            ons.append(timed(on))
            rows_on = p.rowCount()
            offs.append(timed(off))
        print(f"{name:<26} {statistics.median(w for w, _ in ons):>9.1f} "
              f"{statistics.median(c for _, c in ons):>6.1f} {rows_on:>6}   "
              f"{statistics.median(w for w, _ in offs):>9.1f} "
              f"{statistics.median(c for _, c in offs):>6.1f} {p.rowCount():>6}")
    if args.qsort:
        ref: QSortReference | None = None

        def build_ref() -> None:
            nonlocal ref
            ref = QSortReference(model)

        ms = timed(build_ref)
        assert ref is not None
        r = ref
        print(f"former QSortFilterProxyModel: built and sorted in {ms[0]:.0f} / {ms[1]:.0f} ms")
        for name, attr, on_value, off_value in [
                ("every state (closed too)", "states", every, OPEN_STATES),
                ("one type", "types", {AlarmType.GUNSHOT}, None),
                ("free text 'rue 42'", "text", "rue 42", "")]:
            w, c = timed(lambda a=attr, v=on_value: r.change(lambda: setattr(r, a, v)))
            rows_on = r.rowCount(QModelIndex())
            w2, c2 = timed(lambda a=attr, v=off_value: r.change(lambda: setattr(r, a, v)))
            print(f"{name:<26} {w:>9.1f} {c:>6.1f} {rows_on:>6}   {w2:>9.1f} {c2:>6.1f} "
                  f"{r.rowCount(QModelIndex()):>6}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())

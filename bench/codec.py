"""How long decoding one journaled alarm takes (what a seat does for every alarm change of
the room's feed), beside `json.loads` of the same text in the same run: the part of the
cost that is ours.

    .venv/bin/python -m bench.codec [--count 20000]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime

from app.core.codec import decode, dumps
from app.core.model import Alarm, AlarmState, AlarmStep, AlarmType, LatLon


def sample() -> Alarm:
    """An alarm as a storm leaves it: a few steps of history, two messages, cameras."""
    t = datetime.now(UTC)
    return Alarm("1", "panel", "s1", AlarmType.INTRUSION, 2, "Intrusion", t, LatLon(48.8, 2.3),
                 ("c1", "c2"), None, history=tuple(
                     AlarmStep(t, "panel", "raised", AlarmState.NEW, "x") for _ in range(5)),
                 messages=(("m1", t), ("m2", t)))


def per_call_us(fn: object, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        fn()  # type: ignore[operator]
    return (time.perf_counter() - start) / count * 1e6


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--count", type=int, default=20_000)
    args = p.parse_args()
    alarm = sample()
    body = dumps(alarm)
    assert decode(Alarm, json.loads(body)) == alarm
    loads = per_call_us(lambda: json.loads(body), args.count)
    whole = per_call_us(lambda: decode(Alarm, json.loads(body)), args.count)
    print(f"alarm of {len(body)} bytes, {args.count} times")
    print(f"  json.loads alone     {loads:7.1f} µs")
    print(f"  decode(json.loads)   {whole:7.1f} µs  ({whole / loads:.1f}× json.loads)")


if __name__ == "__main__":
    main()

"""Demo footage benchmark: what one synthetic camera frame costs the demo camera server
(paint + burned-in captions, then JPEG), per size and kind, and the captions alone.

The captions' masks are rendered once per text (the clock's once a second): a frame only
blends them. Measured at 10 frames a second of scene time, so the clock changes every 10th
frame as it does live. Best of several rounds (a shared machine is noisy).

    .venv/bin/python -m bench.demo_footage [--frames 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np

from app.adapters.demo.footage import BODY, DEMO_MARK, FIXED, FootagePainter, put_text

SIZES = ((480, 270), (1280, 720))
T0 = 1_750_000_000.0


def per_frame_ms(fn: Callable[[int], object], frames: int, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(frames):
            fn(i)
        best = min(best, (time.perf_counter() - start) / frames * 1000)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    out = sys.stdout
    out.write("demo footage, ms per frame (best of rounds)\n")
    out.write(f"{'size':>10} {'kind':>6} {'paint':>8} {'+jpeg':>8} {'captions':>9}\n")
    for w, h in SIZES:
        for kind in (FIXED, BODY):
            p = FootagePainter("Kaivokatu × Rautatientori", kind, seed=3,
                               label="PM 12 — Dupont", size=(w, h))
            paint = per_frame_ms(lambda i, p=p: p.paint(T0 + i / 10), args.frames, args.rounds)
            jpeg = per_frame_ms(lambda i, p=p: p.jpeg(T0 + i / 10), args.frames, args.rounds)
            frame = np.full((h, w, 3), 128, np.uint8)
            k = h / 270
            texts = [("Kaivokatu × Rautatientori", (8, 20)), (DEMO_MARK, (330, 260)),
                     ("PM 12 — Dupont", (8, 38))]

            def captions(i: int, frame: np.ndarray = frame, k: float = k,
                         texts: list[tuple[str, tuple[int, int]]] = texts) -> None:
                clock = time.strftime("%d/%m/%Y %H:%M:%S", time.localtime(T0 + i / 10))
                for text, (x, y) in [*texts, (clock, (300, 20))]:
                    put_text(frame, text, (int(x * k), int(y * k)), 0.42 * k, (255, 255, 255),
                             max(1, round(k)))

            text = per_frame_ms(captions, args.frames, args.rounds)
            out.write(f"{w}x{h:<6} {kind:>6} {paint:8.2f} {jpeg:8.2f} {text:9.3f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

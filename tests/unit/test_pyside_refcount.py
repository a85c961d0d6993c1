"""Guards the PySide6 pin: 6.12.0 on Python 3.11 leaks a reference to None per void Qt call
and aborts the console within minutes ("Fatal Python error: none_dealloc")."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject, Signal

class Emitter(QObject):
    changed = Signal(bool)

o = Emitter()
o.changed.connect(lambda _v: None)
none0, true0 = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(5000):
    o.setObjectName("x")
    o.changed.emit(True)
print(sys.getrefcount(None) - none0, sys.getrefcount(True) - true0)
"""


def test_void_calls_and_emits_do_not_leak_singletons() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         timeout=60, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    none_delta, true_delta = (int(x) for x in out.stdout.split())
    assert abs(none_delta) < 50
    assert abs(true_delta) < 50

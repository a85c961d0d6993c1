"""A peer that opens many connections, sends a request line on each, then falls silent:
the issue's descriptor exhaustion, from a process of its own. Run by
test_webhook_descriptors.py.

    python -m tests.integration.alarm_adapters.idle_peer PORT COUNT SOURCE_ADDRESS

Prints `CONNECTED <n>` once all are open (the server may close some at once: that is its
business), then holds them until stdin closes."""

from __future__ import annotations

import contextlib
import resource
import socket
import sys


def main(port: int, count: int, source: str) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 64)), hard))
    socks = []
    for _ in range(count):
        s = socket.socket()
        s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        with contextlib.suppress(OSError):  # already closed by the server
            s.sendall(b"POST /alarms HTTP/1.1\r\n")
        socks.append(s)
    print(f"CONNECTED {len(socks)}", flush=True)  # noqa: T201
    sys.stdin.read()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])

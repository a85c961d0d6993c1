"""The one bounded wait of the non-Qt tests (Qt tests use `qtbot.waitUntil`): poll a
condition until it holds, fail after the bound saying what was awaited. Never a fixed
sleep standing in for "it should be done by now"."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")
POLL_S = 0.01


def wait_until(cond: Callable[[], T], timeout: float = 20.0, what: str = "") -> T:
    """`cond()`'s first truthy value, or a test failure after `timeout` seconds."""
    value = poll_until(cond, timeout)
    if not value:
        pytest.fail(f"not within {timeout:g} s: {what or cond}")
    return value


def poll_until(cond: Callable[[], T], timeout: float) -> T | None:
    """`cond()`'s first truthy value, None after `timeout` seconds: the one bounded poll,
    for harnesses that run outside pytest too (the bench, the demo room) and say their
    own failure."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > deadline:
            return None
        time.sleep(POLL_S)  # the poll interval of a bounded wait, not a wait in itself


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Something accepts connections on host:port."""
    import socket

    with socket.socket() as s:
        return s.connect_ex((host, port)) == 0

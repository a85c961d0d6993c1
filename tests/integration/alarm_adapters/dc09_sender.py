"""A real DC-09 sender for the tests: dc09-spt's own frame builder and answer checker.

dc09-spt 0.0.4 hands `str` keys/IVs to pycryptodome, which modern pycryptodome refuses;
`Dc09Msg` only re-does its two AES calls with bytes (same padding, same format)."""

from __future__ import annotations

import datetime
import random
import socket

from Crypto.Cipher import AES
from dc09_spt.msg.dc03_msg import dc03_msg
from dc09_spt.msg.dc05_msg import dc05_msg
from dc09_spt.msg.dc09_msg import dc09_msg


class Dc09Msg(dc09_msg):  # type: ignore[misc]
    def dc09crypt(self, data: str) -> bytes:
        pad = (len(data) + 21) % 16
        crypt = ""
        for _ in range(17 - pad):
            rnd = "["
            while rnd in "[]|":
                rnd = chr(random.randint(32, 125))
            crypt += rnd
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + \
            datetime.timedelta(seconds=self.offset)
        crypt += data + f"_{now:%H:%M:%S,%m-%d-%Y}"
        return AES.new(self.key, AES.MODE_CBC, bytes(16)).encrypt(crypt.encode())

    def dc09decrypt(self, data: bytes) -> bytes:
        return AES.new(self.key, AES.MODE_CBC, bytes(16)).decrypt(data)


def cid(account: str, code: int, zone: int, area: int = 1) -> str:
    return dc05_msg.dc05event(account, {"code": code, "zone": zone, "area": area})


def sia(account: str, code: str, zone: int) -> str:
    return dc03_msg.dc03event(account, {"code": code, "zone": zone})


class Sender:
    """One panel: a TCP connection to the receiver, frames built by dc09-spt."""

    def __init__(self, port: int, account: str, key: bytes | None = None,
                 offset: int = 0) -> None:
        self.msg = Dc09Msg(account, key=key, offset=offset)
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)

    def send_raw(self, frame: bytes) -> str:
        self.sock.sendall(frame)
        answer = b""
        while not answer.endswith(b"\r"):
            chunk = self.sock.recv(1024)
            if not chunk:
                break
            answer += chunk
        return answer.decode()

    def send(self, seq: int, token: str, payload: str) -> tuple[str, str]:
        """(raw answer, its type as dc09-spt reads it: ACK, NAK, DUH)."""
        raw = self.send_raw(self.msg.dc09block(seq, token, payload).encode())
        kind, _offset = self.msg.dc09answer(seq, raw)
        return raw, kind

    def close(self) -> None:
        self.sock.close()

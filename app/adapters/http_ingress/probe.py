"""The checks `check-config --probe` runs for a webhook adapter."""

from __future__ import annotations

import socket

from app.adapters.http_ingress.connections import TlsFilesError, tls_context
from app.core.adapter import ProbeResult
from app.core.secrets import SecretMissing, get_secret


def probe_port(adapter: str, host: str, port: int, check: str) -> ProbeResult:
    """Can the receiver bind there (nothing else holds the port)?"""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
        return ProbeResult(adapter, check, True, "the port is free")
    except OSError as exc:
        return ProbeResult(adapter, check, False, f"cannot listen there: {exc.strerror or exc}")


def probe_secret(adapter: str, check: str, name: str) -> ProbeResult:
    try:
        get_secret(name)
        return ProbeResult(adapter, check, True, "found")
    except SecretMissing as exc:
        return ProbeResult(adapter, check, False, str(exc))


def probe_tls(adapter: str, cert: str | None, key: str | None) -> list[ProbeResult]:
    if not cert or not key:
        return []
    check = f"TLS certificate {cert!r} and key {key!r}"
    try:
        tls_context(cert, key)
        return [ProbeResult(adapter, check, True, "loaded")]
    except TlsFilesError as exc:
        return [ProbeResult(adapter, check, False, str(exc))]

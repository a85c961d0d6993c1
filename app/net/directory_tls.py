"""TLS to the town's directory with the standard library's own checks.

Why not ldap3's: ldap3 2.9.1 checks no certificate unless told (`validate=CERT_NONE` by
default), and when told, checks the server's name with `ssl.match_hostname`, deprecated
since Python 3.7 and gone in 3.12. Here `ssl.create_default_context()` does it all during
the handshake, as every HTTPS client does: the chain up to the CA in `ca_file` (else the
workstation's trusted CAs), the server's name as written in the URL (a DNS name or an IP
address), TLS 1.2 at least. Imported only when a site signs people in with the directory.
"""

from __future__ import annotations

import ssl
from typing import Any

from ldap3 import Tls


class CheckedTls(Tls):  # ldap3 has no type hints: Tls is Any to mypy
    def __init__(self, host: str, ca_file: str | None) -> None:
        # ldap3's own checks of ca_file (it exists), and its flags for StartTLS
        super().__init__(validate=ssl.CERT_REQUIRED, ca_certs_file=ca_file)
        self._host = host
        self._context = ssl.create_default_context(cafile=ca_file)

    def wrap_socket(self, connection: Any, do_handshake: bool = False) -> None:
        """What ldap3 calls for ldaps:// and for StartTLS: the connection's socket, in TLS."""
        raw = connection.socket
        try:
            connection.socket = self._context.wrap_socket(
                raw, server_hostname=self._host, do_handshake_on_connect=do_handshake)
        except BaseException:
            raw.close()
            raise

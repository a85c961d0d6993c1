"""A certificate authority and a server certificate for 127.0.0.1, made by `trustme` in the
test (nothing downloaded, nothing kept): what an installer names in `tls_cert`/`tls_key`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class TlsFiles:
    ca: Path  # what a sender trusts
    cert: Path  # the server's certificate chain (PEM)
    key: Path  # its unencrypted key (PEM)


def make_tls_files(folder: Path) -> TlsFiles:
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    files = TlsFiles(folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    ca.cert_pem.write_to_path(str(files.ca))
    files.cert.write_bytes(b"".join(pem.bytes() for pem in issued.cert_chain_pems))
    issued.private_key_pem.write_to_path(str(files.key))
    return files

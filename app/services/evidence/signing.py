"""The package's signature: a detached CMS (PKCS#7) over manifest.json's exact bytes.

Detached CMS in DER with SHA-256 and the signer's certificate inside is what
`openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json
-CAfile certificate.pem -purpose any` checks without us; `Binary` keeps the bytes as they
are (no MIME canonicalisation of line ends), so the signature covers the file itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from app.core.evidence import CERTIFICATE, MANIFEST, SIGNATURE, EvidenceError
from app.services.evidence.keys import ExportKey


def sign_manifest(root: Path, key: ExportKey) -> None:
    """Write root/manifest.json.p7s (the signature) and root/certificate.pem (the signer)."""
    try:
        manifest = (root / MANIFEST).read_bytes()
    except OSError as exc:
        raise EvidenceError(f"cannot read the manifest to sign it: {exc.strerror}") from None
    signature = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(manifest)
        .add_signer(key.certificate, key.private_key, hashes.SHA256())
        .sign(serialization.Encoding.DER,
              [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])
    )
    write_whole(root / SIGNATURE, signature)
    write_whole(root / CERTIFICATE, key.certificate.public_bytes(serialization.Encoding.PEM))


def write_whole(path: Path, data: bytes) -> None:
    """Whole or not at all: a crash never leaves half a signature that looks like one."""
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EvidenceError(f"cannot write {path.name}: {exc.strerror}") from None

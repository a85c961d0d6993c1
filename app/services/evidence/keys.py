"""The site's export key: the private key that signs evidence packages and its certificate.

The certificate is public (printed for the parquet, copied into every package); the private
key never leaves this machine. It lives in the OS keyring by default, or, when the site file
sets `[export] key_file`, in a PEM file created readable by its owner only (mode 0600; on
Windows the folder's ACL is the installer's job, POSIX modes mean nothing there).

Windows' Credential Manager holds at most 2,560 bytes (1,280 UTF-16 characters) per entry;
an RSA-3072 key in PEM is about 2,500 characters. The key is therefore kept in the keyring
as base64 DER in numbered parts of 1,000 characters ("export-key" says how many), which
any backend holds.
"""

from __future__ import annotations

import base64
import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.core.evidence import EvidenceError
from app.core.secrets import (
    KeyringUnusable,
    SecretMissing,
    delete_secret,
    get_secret,
    has_secret,
    set_secret,
)
from app.core.site import Site

KEY_SECRET = "export-key"  # the keyring entry (and KEY_SECRET/1, /2... its parts)
PART_CHARS = 1000  # under Windows' 1,280-character limit per credential
RSA_BITS = 3072
VALID_DAYS = 3653  # ten years: a package is checked long after it was made
NO_KEY = "No export key on this machine: run `csu-console export-key init`"

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class ExportKey:
    """What signs a package: the certificate anyone may hold and its private key."""

    certificate: x509.Certificate
    private_key: SigningKey


def certificate_path(site: Site) -> Path:
    """Where the site's export certificate is (relative paths from the site file's folder)."""
    cfg = site.export
    return site.resolve(cfg.certificate) if cfg.certificate else cfg.certificate_path()


def key_file_path(site: Site) -> Path | None:
    return site.resolve(site.export.key_file) if site.export.key_file else None


def init_export_key(site: Site, *, force: bool = False) -> x509.Certificate:
    """Make a new RSA-3072 key and a self-signed certificate for the site, store both."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    cert = _self_signed(site.site.name, key)
    _store(site, ExportKey(cert, key), force)
    return cert


def _self_signed(site_name: str, key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, f"{site_name} — CSU export"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, site_name),
    ])
    now = datetime.now(UTC).replace(microsecond=0)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))  # a verifier's clock a little behind
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def import_export_key(site: Site, path: Path, password: str | None = None, *,
                      certificate: Path | None = None, force: bool = False) -> x509.Certificate:
    """Take the town's own key and certificate: a PEM file holding both (or the key, with
    the certificate in `certificate`), or a PKCS#12 file (.p12/.pfx)."""
    try:
        data = path.read_bytes()
        cert_data = certificate.read_bytes() if certificate else None
    except OSError as exc:
        raise EvidenceError(f"cannot read {exc.filename}: {exc.strerror}") from None
    secret = password.encode() if password else None
    if b"-----BEGIN" in data:
        key, cert = _from_pem(data, secret, cert_data)
    else:
        key, cert = _from_pkcs12(data, secret, cert_data)
    if not isinstance(key, SigningKey):
        raise EvidenceError(f"{path}: the key is a {type(key).__name__}; an export key is "
                            "RSA or elliptic-curve")
    _check_pair(cert, key, str(path))
    _store(site, ExportKey(cert, key), force)
    return cert


def _from_pem(data: bytes, password: bytes | None, cert_data: bytes | None
              ) -> tuple[object, x509.Certificate]:
    try:
        key = serialization.load_pem_private_key(data, password)
    except TypeError as exc:  # encrypted without a password, or a password not needed
        if password is None:
            raise NeedsPassword(str(exc)) from None
        return _from_pem(data, None, cert_data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise EvidenceError(f"the private key cannot be read (wrong password?): {exc}") from None
    certs = _certificates(cert_data or data) \
        if b"CERTIFICATE-----" in (cert_data or data) else []
    if not certs:
        raise EvidenceError("no certificate found: give the PEM holding the key and its "
                            "certificate, or the certificate with --certificate")
    return key, _matching(certs, key)


def _from_pkcs12(data: bytes, password: bytes | None, cert_data: bytes | None
                 ) -> tuple[object, x509.Certificate]:
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError as exc:
        if password is None:
            raise NeedsPassword(str(exc)) from None
        raise EvidenceError("not a PEM nor a PKCS#12 file, or the password is "
                            f"wrong: {exc}") from None
    if key is None:
        raise EvidenceError("the PKCS#12 file holds no private key")
    certs = [c for c in (cert, *extra) if c is not None]
    if cert_data:
        certs = _certificates(cert_data)
    return key, _matching(certs, key)


def _certificates(pem: bytes) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise EvidenceError(f"a certificate cannot be read: {exc}") from None


def _matching(certs: list[x509.Certificate], key: object) -> x509.Certificate:
    """The certificate of `key` among a chain (a town's PKI sends its CA along)."""
    public = getattr(key, "public_key", None)
    if public is not None:
        wanted = _public_der(public())
        for c in certs:
            if _public_der(c.public_key()) == wanted:
                return c
    raise EvidenceError("none of the certificates given is the private key's own")


class NeedsPassword(EvidenceError):
    """The key file is protected by a password and none was given."""


def _public_der(public: object) -> bytes:
    return public.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _check_pair(cert: x509.Certificate, key: SigningKey, where: str) -> None:
    if _public_der(cert.public_key()) != _public_der(key.public_key()):
        raise EvidenceError(f"the export key ({where}) does not match the certificate "
                            f"{cert.subject.rfc4514_string()}: one of them was replaced; "
                            "run `csu-console export-key init --force` or import the pair")


def export_key_exists(site: Site) -> bool:
    kf = key_file_path(site)
    if kf is not None:
        return kf.exists()
    try:
        return has_secret(KEY_SECRET)
    except KeyringUnusable as exc:
        raise EvidenceError(f"cannot look for the export key: {exc}") from None


def _store(site: Site, key: ExportKey, force: bool) -> None:
    cert_path = certificate_path(site)
    if not force and (export_key_exists(site) or cert_path.exists()):
        where = key_file_path(site) or "the keyring"
        raise EvidenceError(f"there is already an export key ({where}, certificate "
                            f"{cert_path}): nothing was changed. Packages signed with it "
                            "stay verifiable with its certificate; replace it only with "
                            "--force")
    der = key.private_key.private_bytes(serialization.Encoding.DER,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    tmp = cert_path.with_name(cert_path.name + ".new")
    try:  # the certificate first, beside its place: a folder we cannot write stores nothing
        cert_path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(key.certificate.public_bytes(serialization.Encoding.PEM))
    except OSError as exc:
        raise EvidenceError(f"cannot write the certificate {cert_path}: {exc.strerror}: "
                            "nothing was changed") from None
    try:
        kf = key_file_path(site)
        if kf is not None:
            _write_private_file(kf, der, force)
        else:
            _keyring_put(base64.b64encode(der).decode("ascii"))
        os.replace(tmp, cert_path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_private_file(path: Path, der: bytes, force: bool) -> None:
    """PEM, created with mode 0600 from the start (never readable by others, even for an
    instant); replaced atomically with --force."""
    pem = serialization.load_der_private_key(der, None).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    target = path.with_name(path.name + ".new") if force else path
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new folder's mode
        with contextlib.suppress(FileNotFoundError):
            if force:
                target.unlink()
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise EvidenceError(f"the key file {path} already exists: nothing was changed "
                            "(replace it only with --force)") from None
    except OSError as exc:
        raise EvidenceError(f"cannot create the key file {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        if force:
            os.replace(target, path)
    except OSError as exc:
        (target if force else path).unlink(missing_ok=True)
        raise EvidenceError(f"cannot write the key file {path}: {exc.strerror}") from None


def _keyring_put(text: str) -> None:
    parts = [text[i:i + PART_CHARS] for i in range(0, len(text), PART_CHARS)]
    try:
        old = _part_count()
        for i, part in enumerate(parts, 1):
            set_secret(f"{KEY_SECRET}/{i}", part)
        set_secret(KEY_SECRET, f"parts:{len(parts)}")
        for i in range(len(parts) + 1, old + 1):
            delete_secret(f"{KEY_SECRET}/{i}")
    except KeyringUnusable as exc:
        raise EvidenceError(f"cannot store the export key in the keyring: {exc}") from None


def _part_count() -> int:
    try:
        head = get_secret(KEY_SECRET)
    except SecretMissing:
        return 0
    return int(head.removeprefix("parts:")) if head.startswith("parts:") else 0


def _keyring_get() -> bytes:
    try:
        head = get_secret(KEY_SECRET)
        if not head.startswith("parts:"):
            raise EvidenceError(f"the keyring entry {KEY_SECRET!r} is not an export key")
        count = int(head.removeprefix("parts:"))
        text = "".join(get_secret(f"{KEY_SECRET}/{i}") for i in range(1, count + 1))
    except SecretMissing as exc:
        if "no usable keyring" in str(exc) or "cannot read" in str(exc):
            raise EvidenceError(f"cannot read the export key: {exc}") from None
        raise EvidenceError(f"{NO_KEY} (the keyring holds no complete key)") from None
    except ValueError:
        raise EvidenceError(f"the keyring entry {KEY_SECRET!r} is damaged: {NO_KEY} "
                            "--force") from None
    return base64.b64decode(text)


def load_export_key(site: Site) -> ExportKey:
    """The site's key and certificate, or EvidenceError saying what is missing."""
    cert_path = certificate_path(site)
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except FileNotFoundError:
        raise EvidenceError(f"{NO_KEY} (no certificate at {cert_path})") from None
    except (OSError, ValueError) as exc:
        raise EvidenceError(f"the export certificate {cert_path} cannot be read: {exc}") \
            from None
    kf = key_file_path(site)
    try:
        if kf is not None:
            key = serialization.load_pem_private_key(kf.read_bytes(), None)
        else:
            key = serialization.load_der_private_key(_keyring_get(), None)
    except FileNotFoundError:
        raise EvidenceError(f"{NO_KEY} (no key file {kf})") from None
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise EvidenceError(f"the export key ({kf or 'keyring'}) cannot be read: {exc}") \
            from None
    if not isinstance(key, SigningKey):
        raise EvidenceError("the export key is neither RSA nor elliptic-curve")
    _check_pair(cert, key, str(kf or "keyring"))
    return ExportKey(cert, key)


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate, colon hex: what the parquet compares with its copy."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def certificate_summary(cert: x509.Certificate) -> str:
    """The certificate in words, for printing beside its PEM."""
    serial = f"{cert.serial_number:x}"
    serial = bytes.fromhex(serial.rjust(len(serial) + len(serial) % 2, "0")).hex(":")
    return "\n".join([
        f"Subject:     {cert.subject.rfc4514_string()}",
        f"Issuer:      {cert.issuer.rfc4514_string()}",
        f"Serial:      {serial.upper()}",
        f"Valid from:  {cert.not_valid_before_utc:%Y-%m-%d %H:%M:%S} UTC",
        f"Valid until: {cert.not_valid_after_utc:%Y-%m-%d %H:%M:%S} UTC",
        f"SHA-256 fingerprint: {fingerprint(cert)}",
    ])


def certificate_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")

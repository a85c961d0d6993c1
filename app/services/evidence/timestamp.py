"""An RFC 3161 timestamp over the package's signature: a third party says when it existed.

The query is the SHA-256 of manifest.json.p7s with a nonce, certReq set (so the token
carries the authority's certificate); the authority's whole reply (TimeStampResp, DER) is
kept as manifest.json.p7s.tsr, which is what `openssl ts -verify -in manifest.json.p7s.tsr
-data manifest.json.p7s -CAfile tsa-chain.pem` reads. Because the signature covers the
manifest and the manifest every file's hash, the time covers them all.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import ExtendedKeyUsageOID

from app.core.evidence import SIGNATURE, TIMESTAMP, TSA_CERTIFICATES, EvidenceError
from app.services.evidence.cms_check import check_signed_data, load_signed_data
from app.services.evidence.signing import write_whole

TST_INFO = "1.2.840.113549.1.9.16.1.4"  # id-ct-TSTInfo (RFC 3161 §2.4.2)
MAX_REPLY = 1 << 20  # a reply is a few kilobytes; a megabyte is already no authority


class _Reply(tsp.TimeStampResp):
    """TimeStampResp as RFC 3161 says it: a refusal carries no token (asn1crypto 1.5 makes
    the token mandatory, so a refusal could not even be read to say why)."""

    _fields = [("status", tsp.PKIStatusInfo),
               ("time_stamp_token", cms.ContentInfo, {"optional": True})]


@dataclass(frozen=True)
class Stamp:
    """A timestamp that holds: when, by whom, and whether a trusted chain vouches for it."""

    time: datetime
    authority: x509.Certificate
    anchored: bool  # the authority's certificate leads to a chain we were given


def timestamp_signature(root: Path, tsa_url: str, tsa_chain: Path | None,
                        timeout_s: float = 10) -> datetime:
    """Ask the authority to stamp root/manifest.json.p7s; write its reply and its chain.
    Returns the authority's time (genTime)."""
    try:
        signature = (root / SIGNATURE).read_bytes()
        chain_pem = tsa_chain.read_bytes() if tsa_chain else None
    except OSError as exc:
        raise EvidenceError(f"cannot read {exc.filename}: {exc.strerror}") from None
    chain = _load_chain(chain_pem, str(tsa_chain)) if chain_pem else None
    nonce = secrets.randbits(63)
    query = tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": hashlib.sha256(signature).digest()},
        "nonce": nonce,
        "cert_req": True,
    }).dump()
    reply = _post(tsa_url, query, timeout_s)
    stamp = check_timestamp(reply, signature, chain, nonce=nonce)
    if chain is not None and not stamp.anchored:
        raise EvidenceError("the timestamp authority's certificate does not lead to the "
                            f"chain {tsa_chain}")
    write_whole(root / TIMESTAMP, reply)
    if chain_pem is not None:
        write_whole(root / TSA_CERTIFICATES, chain_pem)
    return stamp.time


def _post(url: str, query: bytes, timeout_s: float) -> bytes:
    import requests

    try:
        with requests.post(url, data=query, timeout=timeout_s, stream=True,
                           headers={"Content-Type": "application/timestamp-query"}) as r:
            if r.status_code != 200:
                raise EvidenceError(f"the timestamp authority {url} answered HTTP "
                                    f"{r.status_code} {r.reason}: no timestamp")
            body = b""
            for chunk in r.iter_content(65536):
                body += chunk
                if len(body) > MAX_REPLY:
                    raise EvidenceError(f"the timestamp authority {url} sent more than "
                                        f"{MAX_REPLY} bytes: not a timestamp reply")
            return body
    except requests.RequestException as exc:
        raise EvidenceError(f"cannot reach the timestamp authority {url}: "
                            f"{type(exc).__name__}") from None


def _load_chain(pem: bytes, where: str) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise EvidenceError(f"the timestamp authority's chain {where} cannot be read: "
                            f"{exc}") from None


def check_timestamp(reply: bytes, signature: bytes, chain: list[x509.Certificate] | None,
                    nonce: int | None = None) -> Stamp:
    """Check an authority's reply: granted, over these signature bytes (and this nonce),
    its token's signature valid, made by a time-stamping certificate."""
    try:
        resp = _Reply.load(reply, strict=True)
        info = resp["status"]
        status = info["status"].native
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise EvidenceError(f"the timestamp cannot be read: {exc}") from None
    if status not in ("granted", "granted_with_mods"):
        words = info["status_string"].native or []
        fail = info["fail_info"].native
        raise EvidenceError(
            f"the timestamp authority refused: {str(status).replace('_', ' ')}"
            + (f" ({', '.join(sorted(fail))})" if fail else "")
            + (f": {' '.join(words)}" if words else ""))
    token = resp["time_stamp_token"]
    if token is None or not token.contents:
        raise EvidenceError("the timestamp authority's reply holds no token")
    signed = load_signed_data(token.dump(), "timestamp token")
    checked = check_signed_data(signed, None, "timestamp token")
    if checked.content_type != TST_INFO:
        raise EvidenceError("the timestamp token does not carry a timestamp (TSTInfo)")
    try:
        tst = tsp.TSTInfo.load(checked.content, strict=True)
        imprint = tst["message_imprint"]
        algo = imprint["hash_algorithm"]["algorithm"].native
        hashed = imprint["hashed_message"].native
        gen_time: datetime = tst["gen_time"].native
        got_nonce = tst["nonce"].native
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise EvidenceError(f"the timestamp's content cannot be read: {exc}") from None
    if algo not in hashlib.algorithms_available or \
            hashlib.new(algo, signature).digest() != hashed:
        raise EvidenceError("the timestamp is not about this signature (its imprint "
                            "differs): the signature was changed, or the stamp belongs to "
                            "another package")
    if nonce is not None and got_nonce != nonce:
        raise EvidenceError("the timestamp answers another query (its nonce differs)")
    try:
        _check_authority(checked.signer, gen_time)
        anchored = chain is not None and _leads_to(checked.signer, chain,
                                                   checked.certificates, gen_time)
    except ValueError as exc:  # a damaged certificate, parsed only when read
        raise EvidenceError(f"the timestamp authority's chain cannot be read: {exc}") \
            from None
    return Stamp(gen_time, checked.signer, anchored)


def _check_authority(cert: x509.Certificate, at: datetime) -> None:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        eku = None
    if eku is None or list(eku.value) != [ExtendedKeyUsageOID.TIME_STAMPING] \
            or not eku.critical:  # RFC 3161 §2.3: the one, critical, purpose
        raise EvidenceError("the timestamp was signed by a certificate that is not a "
                            f"timestamp authority's ({cert.subject.rfc4514_string()})")
    if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
        raise EvidenceError("the timestamp authority's certificate was not valid at the "
                            "time it gave")


def _leads_to(cert: x509.Certificate, trusted: list[x509.Certificate],
              carried: tuple[x509.Certificate, ...], at: datetime) -> bool:
    """Whether `cert` leads, through `carried` or `trusted` certificates, to a self-signed
    root of `trusted`: each valid at `at`, each issuer a CA, no critical extension left
    unread (what `openssl ts -verify -CAfile` asks too)."""
    pool = [*trusted, *carried]
    current = cert
    for depth in range(8):
        if not _usable(current, at, as_ca=depth > 0):
            return False
        if current.issuer == current.subject:  # a root: trusted, and really self-signed
            return any(current == t for t in trusted) and _issued(current, current)
        issuer = next((c for c in pool if c.subject == current.issuer
                       and c != current and _issued(current, c)), None)
        if issuer is None:
            return False
        current = issuer
    return False


def _usable(cert: x509.Certificate, at: datetime, as_ca: bool) -> bool:
    if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
        return False
    if any(e.critical and isinstance(e.value, x509.UnrecognizedExtension)
           for e in cert.extensions):
        return False
    if as_ca:
        try:
            return bool(cert.extensions.get_extension_for_class(
                x509.BasicConstraints).value.ca)
        except x509.ExtensionNotFound:
            return False
    return True


def _issued(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError):  # not its issuer, unsupported key
        return False
    return True

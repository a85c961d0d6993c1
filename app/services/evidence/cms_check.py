"""Checking a CMS SignedData ourselves: the package's signature and the timestamp token.

`cryptography` makes CMS signatures but has no public API to check one, so the structure is
read with asn1crypto and the arithmetic done by cryptography: the signed attributes'
messageDigest must be the digest of the content, and the signer's key must have signed
those attributes (RFC 5652 §5.4). Exactly what `openssl cms -verify` does, minus the chain
building, which the callers do against the certificate they trust.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import algos, cms, core
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.utils import CryptographyDeprecationWarning

from app.core.evidence import EvidenceError

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512,
    "sha224": hashes.SHA224, "sha1": hashes.SHA1,
}


SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12"  # ESS, RFC 2634: SHA-1 of the signer
SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"  # ESS, RFC 5035: any digest


class _EssCertIdV2(core.Sequence):
    _fields = [("hash_algorithm", algos.DigestAlgorithm, {"default": {"algorithm": "sha256"}}),
               ("cert_hash", core.OctetString), ("issuer_serial", core.Any, {"optional": True})]


class _EssCertId(core.Sequence):
    _fields = [("cert_hash", core.OctetString), ("issuer_serial", core.Any, {"optional": True})]


class _SigningCertificateV2(core.Sequence):
    _fields = [("certs", core.SequenceOf, {"spec": _EssCertIdV2}),
               ("policies", core.Any, {"optional": True})]


class _SigningCertificate(core.Sequence):
    _fields = [("certs", core.SequenceOf, {"spec": _EssCertId}),
               ("policies", core.Any, {"optional": True})]


class DigestMismatch(EvidenceError):
    """The signature is over other bytes than the ones given."""


@dataclass(frozen=True)
class Signed:
    """A SignedData that holds: who signed, when they said they did, what it carries."""

    signer: x509.Certificate
    certificates: tuple[x509.Certificate, ...]  # every certificate the structure carries
    signing_time: datetime | None  # the signer's own clock (signingTime attribute)
    content_type: str  # dotted OID of what was signed (data; TSTInfo for a timestamp)
    content: bytes  # the encapsulated content (b"" when detached)


def load_signed_data(der: bytes, what: str) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise EvidenceError(f"the {what} is not a CMS signature")
        signed = info["content"]
        signed.native  # noqa: B018 - parse it all now: a damaged structure fails here
    except EvidenceError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise EvidenceError(f"the {what} cannot be read as CMS: {exc}") from None
    return signed


def check_signed_data(signed: cms.SignedData, detached: bytes | None, what: str) -> Signed:
    """Check the one signer's signature over `detached` (or over the encapsulated content
    when None). EvidenceError in plain words when it does not hold."""
    try:
        with warnings.catch_warnings():  # a certificate RFC 5280 forbids: not ours to pass
            warnings.simplefilter("error", CryptographyDeprecationWarning)
            return _check(signed, detached, what)
    except EvidenceError:
        raise
    except CryptographyDeprecationWarning as exc:
        raise EvidenceError(f"the {what} carries a malformed certificate: {exc}") from None
    except (ValueError, TypeError, KeyError, AttributeError, UnsupportedAlgorithm) as exc:
        # a damaged certificate or key inside the structure
        raise EvidenceError(f"the {what} cannot be read: {exc}") from None


def _check(signed: cms.SignedData, detached: bytes | None, what: str) -> Signed:
    infos = signed["signer_infos"]
    if len(infos) != 1:
        raise EvidenceError(f"the {what} has {len(infos)} signers, not one")
    info = infos[0]
    certs = tuple(x509.load_der_x509_certificate(c.chosen.dump())
                  for c in signed["certificates"] or () if c.name == "certificate")
    signer = _signer_certificate(info["sid"], certs, what)
    if detached is None:
        econtent = signed["encap_content_info"]["content"]
        if econtent is None:
            raise EvidenceError(f"the {what} carries no content")
        content = econtent.contents
    else:
        content = detached
    content_type = signed["encap_content_info"]["content_type"].dotted
    digest_name = info["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        raise EvidenceError(f"the {what} uses the digest {digest_name}, unknown here")
    if digest_name not in {a["algorithm"].native for a in signed["digest_algorithms"]}:
        raise EvidenceError(f"the {what} is malformed: its signer's digest is not among "
                            "the structure's")
    attrs = info["signed_attrs"]
    if not attrs:  # no attributes: the signature is over the content itself
        signed_bytes = content
        signing_time = None
    else:
        values = {a["type"].native: a["values"] for a in attrs}
        digest = values.get("message_digest")
        if digest is None or digest[0].native != hashlib.new(digest_name, content).digest():
            raise DigestMismatch(f"the {what} was not made over these bytes (its digest of "
                                 "the signed data differs): the data or the signature was "
                                 "changed")
        said_type = values.get("content_type")
        if said_type is None or said_type[0].dotted != content_type:
            raise EvidenceError(f"the {what} is malformed: the content type it signed is "
                                "not the one it carries")
        _check_ess({a["type"].dotted: a["values"] for a in attrs}, signer, what)
        found = values.get("signing_time")
        signing_time = found[0].native if found else None
        signed_bytes = b"\x31" + attrs.dump()[1:]  # the SET OF, not its [0] IMPLICIT tag
    _check_signature(signer, info, signed_bytes, _HASHES[digest_name](), what)
    return Signed(signer, certs, signing_time, content_type,
                  content if detached is None else b"")


def _check_ess(values: dict[str, cms.SetOfAny], signer: x509.Certificate, what: str) -> None:
    """The signing-certificate attribute (a timestamp token carries one) must name the
    certificate that signed: what `openssl ts -verify` checks too (RFC 5816)."""
    der = signer.public_bytes(serialization.Encoding.DER)
    for oid, spec in ((SIGNING_CERTIFICATE_V2, _SigningCertificateV2),
                      (SIGNING_CERTIFICATE, _SigningCertificate)):
        if oid not in values:
            continue
        first = spec.load(values[oid][0].dump(), strict=True)["certs"][0]
        algo = first["hash_algorithm"]["algorithm"].native if oid == SIGNING_CERTIFICATE_V2 \
            else "sha1"
        if hashlib.new(algo, der).digest() != first["cert_hash"].native:
            raise EvidenceError(f"the {what} names another certificate than the one that "
                                "signed it")


def _signer_certificate(sid: cms.SignerIdentifier, certs: tuple[x509.Certificate, ...],
                        what: str) -> x509.Certificate:
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (cert.serial_number == wanted["serial_number"].native
                    and cert.issuer.public_bytes() == wanted["issuer"].dump()):
                return cert
        else:
            try:
                ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == sid.chosen.native:
                return cert
    raise EvidenceError(f"the {what} does not carry its signer's certificate")


def _check_signature(cert: x509.Certificate, info: cms.SignerInfo, data: bytes,
                     digest: hashes.HashAlgorithm, what: str) -> None:
    algo = info["signature_algorithm"]
    kind = algo.signature_algo
    sig = info["signature"].native
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pkcs1v15":
            key.verify(sig, data, padding.PKCS1v15(), digest)
        elif isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pss":
            params = algo["parameters"]
            key.verify(sig, data, padding.PSS(
                padding.MGF1(_HASHES[params["mask_gen_algorithm"]["parameters"]
                                     ["algorithm"].native]()),
                params["salt_length"].native), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey) and kind == "ecdsa":
            key.verify(sig, data, ec.ECDSA(digest))
        else:
            raise EvidenceError(f"the {what} uses {kind} with a "
                                f"{type(key).__name__}, unknown here")
    except InvalidSignature:
        raise EvidenceError(f"the {what} does not hold: it was changed, or not made "
                            "by the certificate it names") from None
    except (ValueError, KeyError) as exc:
        raise EvidenceError(f"the {what} cannot be checked: {exc}") from None

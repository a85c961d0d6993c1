"""`verify_package`: every check a recipient can redo with free tools, said in plain words.

The same checks as `sha256sum -c SHA256SUMS`, `openssl cms -verify` and `openssl ts
-verify`, each a result naming the part it concerns (a file's path, "manifest",
"SHA256SUMS", "signature", "timestamp"), so that a changed byte is found and named. A bad
package is a list of failed checks, never an exception.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509

from app.core.evidence import (
    CERTIFICATE,
    FORMAT,
    MANIFEST,
    SIGNATURE,
    SUMS,
    TIMESTAMP,
    TSA_CERTIFICATES,
    EvidenceError,
    Manifest,
    PackageFile,
    utc_text,
)
from app.services.evidence.cms_check import (
    DigestMismatch,
    Signed,
    check_signed_data,
    load_signed_data,
)
from app.services.evidence.keys import fingerprint
from app.services.evidence.package_source import (
    PackageSource,
    Unreadable,
    hash_bounded,
    open_package,
    read_bounded,
)
from app.services.evidence.timestamp import Stamp, check_timestamp

SMALL = 16 << 20  # the manifest, the signature, the sums, the certificates
OS_LITTER = {".DS_Store", "Thumbs.db", "desktop.ini", "Desktop.ini", "ehthumbs.db"}
SIGNED_PARTS = {MANIFEST, SIGNATURE, TIMESTAMP, CERTIFICATE, TSA_CERTIFICATES, SUMS}


@dataclass(frozen=True)
class Check:
    ok: bool
    part: str  # a file's path in the package, "manifest", "signature", "timestamp"...
    words: str


@dataclass(frozen=True)
class Verification:
    checks: tuple[Check, ...]
    signer: str = ""  # the signing certificate's subject, when the signature holds
    fingerprint: str = ""  # its SHA-256, to compare with the printed certificate
    signed_at: str = ""  # when, and on whose clock

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def failed(self, part: str) -> bool:
        return any(c.part == part for c in self.problems)

    def conclusion(self) -> str:
        if self.ok:
            return f"The package is intact and signed by {self.signer} on {self.signed_at}."
        n = len(self.problems)
        parts = ", ".join(dict.fromkeys(c.part for c in self.problems))
        return f"The package does NOT verify: {n} problem{'s' if n > 1 else ''} ({parts})."


class _Run:
    def __init__(self, source: PackageSource) -> None:
        self.source = source
        self.checks: list[Check] = []

    def say(self, ok: bool, part: str, words: str) -> None:
        self.checks.append(Check(ok, part, words))


def verify_package(path: Path, trusted: Path | None = None) -> Verification:
    """Check the package at `path` (its folder or its ZIP). `trusted`: the export
    certificate the recipient holds (the parquet's printed copy), if any."""
    try:
        source = open_package(path)
    except EvidenceError as exc:
        return Verification((Check(False, "package", str(exc)),))
    try:
        return _verify(_Run(source), trusted)
    finally:
        source.close()


def _verify(run: _Run, trusted: Path | None) -> Verification:
    manifest_bytes = _read(run, MANIFEST, "manifest")
    manifest = None
    if manifest_bytes is not None:
        try:
            manifest = Manifest.from_bytes(manifest_bytes)
            run.say(True, "manifest", f"readable, format {FORMAT}, {len(manifest.files)} "
                                      f"files, site {manifest.site!r}")
        except EvidenceError as exc:
            run.say(False, "manifest", str(exc))
    if manifest is not None:
        for f in manifest.files:
            _check_file(run, f)
        _check_unlisted(run, manifest)
        assert manifest_bytes is not None
        _check_sums(run, manifest, manifest_bytes)
    else:
        _check_by_sums_alone(run)
    signed = _check_signature(run, manifest_bytes, trusted)
    stamp = _check_timestamp(run, signed is not None)
    if signed is None:
        return Verification(tuple(run.checks))
    cert = signed.signer
    moment = stamp.time if stamp else signed.signing_time
    if moment is not None and not cert.not_valid_before_utc <= moment <= \
            cert.not_valid_after_utc:
        run.say(False, "signature", f"signed at {utc_text(moment)}, when the certificate "
                                    f"{_cn(cert)} was not valid (from "
                                    f"{utc_text(cert.not_valid_before_utc)} to "
                                    f"{utc_text(cert.not_valid_after_utc)})")
    when = (f"{utc_text(stamp.time)} (time given by the timestamp authority "
            f"{_cn(stamp.authority)})" if stamp else
            f"{_time(signed.signing_time)} (the signer's own clock: no timestamp)")
    return Verification(tuple(run.checks), _cn(cert), fingerprint(cert), when)


def _read(run: _Run, name: str, part: str, missing_ok: bool = False) -> bytes | None:
    if not run.source.has(name):
        if not missing_ok:
            run.say(False, part, f"{name} is missing from the package")
        return None
    try:
        return read_bounded(run.source, name, SMALL)
    except EvidenceError as exc:
        run.say(False, part, str(exc))
        return None


def _check_file(run: _Run, f: PackageFile) -> None:
    try:
        if not run.source.has(f.path):
            run.say(False, f.path, "listed in the manifest but missing from the package")
            return
        sha, size = hash_bounded(run.source, f.path, f.size)
    except Unreadable as exc:
        run.say(False, f.path, str(exc))
        return
    except EvidenceError as exc:
        run.say(False, f.path, f"refused: {exc}")
        return
    if size != f.size:
        more = "larger" if size > f.size else "smaller"
        run.say(False, f.path, f"{more} than the manifest says ({f.size} bytes): the file "
                               "was changed")
    elif sha != f.sha256:
        run.say(False, f.path, "its SHA-256 differs from the manifest's: the file was "
                               "changed")
    else:
        run.say(True, f.path, f"SHA-256 and size ({size} bytes) as in the manifest")


def _check_unlisted(run: _Run, manifest: Manifest) -> None:
    listed = {f.path for f in manifest.files} | SIGNED_PARTS
    for name in sorted(run.source.names() - listed):
        if _litter(name):
            run.say(True, name, "ignored: a file the operating system adds to folders it "
                                "shows (not part of the package)")
        else:
            run.say(False, name, "in the package but not in the manifest: the signature "
                                 "does not cover it")


def _litter(name: str) -> bool:
    """What Finder, Explorer and macOS's ZIP tool leave in a folder once someone opened it:
    a recipient who looked at the package must not see it fail for that."""
    base = name.rsplit("/", 1)[-1]
    return (base in OS_LITTER or base.startswith("._")) or name.startswith("__MACOSX/")


def _sums(run: _Run, missing_ok: bool = False) -> dict[str, str] | None:
    """SHA256SUMS as {path: sha256} (sha256sum's text and binary forms)."""
    data = _read(run, SUMS, SUMS, missing_ok)
    if data is None:
        return None
    found: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        sha, _, name = line.partition(" ")
        if line.strip():
            found[name[1:] if name[:1] in (" ", "*") else name] = sha.lower()
    return found


def _check_by_sums_alone(run: _Run) -> None:
    """The manifest cannot be read: the files are still held against SHA256SUMS, so the
    recipient learns which exhibits are intact (the sums are not signed: said as such)."""
    found = _sums(run, missing_ok=True)
    for name, sha in sorted((found or {}).items()):
        if name == MANIFEST:
            continue
        try:
            if not run.source.has(name):
                run.say(False, name, f"listed in {SUMS} but missing from the package")
                continue
            got, _ = hash_bounded(run.source, name, 1 << 40)
        except EvidenceError as exc:
            run.say(False, name, str(exc))
            continue
        if got == sha:
            run.say(True, name, f"SHA-256 as in {SUMS} (which is not signed: the manifest, "
                                "which is, cannot be read)")
        else:
            run.say(False, name, f"its SHA-256 differs from {SUMS}'s: the file was changed")


def _check_sums(run: _Run, manifest: Manifest, manifest_bytes: bytes) -> None:
    found = _sums(run)
    if found is None:
        return
    expected = {f.path: f.sha256 for f in manifest.files}
    expected[MANIFEST] = hashlib.sha256(manifest_bytes).hexdigest()
    wrong = sorted(n for n in expected.keys() & found.keys() if expected[n] != found[n])
    missing = sorted(expected.keys() - found.keys())
    extra = sorted(found.keys() - expected.keys())
    if not (wrong or missing or extra):
        run.say(True, SUMS, f"agrees with the manifest ({len(found)} files)")
        return
    words = [f"{', '.join(wrong)}: another hash than the manifest's"] if wrong else []
    words += [f"does not list {', '.join(missing)}"] if missing else []
    words += [f"lists files the manifest does not: {', '.join(extra)}"] if extra else []
    run.say(False, SUMS, "; ".join(words))


def _check_signature(run: _Run, manifest_bytes: bytes | None,
                     trusted: Path | None) -> Signed | None:
    signature = _read(run, SIGNATURE, "signature")
    cert_pem = _read(run, CERTIFICATE, "signature")
    if signature is None or cert_pem is None or manifest_bytes is None:
        return None
    try:
        signed = check_signed_data(load_signed_data(signature, "signature"), manifest_bytes,
                                   "signature")
        packaged = _one_certificate(cert_pem, CERTIFICATE)
        if signed.signer != packaged:
            raise EvidenceError(f"the signature was made by "
                                f"{signed.signer.subject.rfc4514_string()}, not by the "
                                f"certificate {CERTIFICATE} of the package")
        if trusted is not None:
            try:
                held = _one_certificate(trusted.read_bytes(), str(trusted))
            except OSError as exc:
                raise EvidenceError(f"cannot read {trusted}: {exc.strerror}") from None
            if held != signed.signer:
                raise EvidenceError(
                    f"signed by {_cn(signed.signer)} (SHA-256 {fingerprint(signed.signer)}), "
                    f"which is NOT the certificate {trusted} (SHA-256 {fingerprint(held)})")
    except DigestMismatch:
        run.say(False, "signature", f"does not match {MANIFEST}: the manifest or the "
                                    "signature was changed after signing")
        return None
    except EvidenceError as exc:
        run.say(False, "signature", str(exc))
        return None
    trust = (f"it is the certificate {trusted}" if trusted else
             f"the certificate in the package was trusted as it is: compare its SHA-256 "
             f"fingerprint {fingerprint(signed.signer)} with the printed one")
    run.say(True, "signature", f"valid over manifest.json, made by {_cn(signed.signer)}; "
                               f"{trust}")
    return signed


def _one_certificate(pem: bytes, where: str) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise EvidenceError(f"{where} is not a PEM certificate: {exc}") from None


def _check_timestamp(run: _Run, signature_ok: bool) -> Stamp | None:
    if not run.source.has(TIMESTAMP):
        run.say(True, "timestamp", "none (the site names no timestamp authority): the time "
                                   "of signing is the signer's own clock")
        return None
    reply = _read(run, TIMESTAMP, "timestamp")
    signature = _read(run, SIGNATURE, "timestamp", missing_ok=True)
    if reply is None or signature is None:
        return None
    chain_pem = _read(run, TSA_CERTIFICATES, "timestamp", missing_ok=True)
    try:
        chain = x509.load_pem_x509_certificates(chain_pem) if chain_pem else None
    except ValueError as exc:
        run.say(False, "timestamp", f"{TSA_CERTIFICATES} cannot be read: {exc}")
        return None
    try:
        stamp = check_timestamp(reply, signature, chain)
    except EvidenceError as exc:
        run.say(False, "timestamp", str(exc))
        return None
    if chain is not None and not stamp.anchored:
        run.say(False, "timestamp", f"the authority's certificate ({_cn(stamp.authority)}) "
                                    f"does not lead to the chain {TSA_CERTIFICATES}")
        return None
    how = (f"its certificate leads to {TSA_CERTIFICATES}" if chain is not None else
           f"no {TSA_CERTIFICATES} in the package: its certificate was taken as it is")
    run.say(True, "timestamp", f"the signature existed at {utc_text(stamp.time)}, says "
                               f"{_cn(stamp.authority)}; {how}")
    return stamp if signature_ok else None


def _cn(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def _time(t: datetime | None) -> str:
    return utc_text(t) if t else "an unknown date"

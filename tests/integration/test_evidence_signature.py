"""A signed evidence package checks with free tools nobody on the project wrote, and with
`verify_package`: one changed byte in a file, the manifest or the signature fails, naming
that part (issue 13). The timestamp comes from a real RFC 3161 authority (OpenSSL's own,
on loopback) and passes `openssl ts -verify`."""

from __future__ import annotations

import random
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.evidence import (
    CERTIFICATE,
    MANIFEST,
    SIGNATURE,
    SUMS,
    TIMESTAMP,
    TSA_CERTIFICATES,
    EvidenceError,
)
from app.services.evidence.keys import ExportKey, init_export_key, load_export_key
from app.services.evidence.timestamp import timestamp_signature
from app.services.evidence.verify import verify_package
from tests.integration.evidence_rig import (
    VIDEO,
    copy_of,
    flip_byte,
    make_package,
    openssl_cms_verify,
    openssl_ts_verify,
    sha256sum_check,
    signing_site,
)
from tests.servers.tsa import TsaServer


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> ExportKey:
    site = signing_site(tmp_path_factory.mktemp("site"))
    init_export_key(site)
    return load_export_key(site)


@pytest.fixture(scope="module")
def tsa() -> Iterator[TsaServer]:
    with TsaServer() as server:
        yield server


@pytest.fixture
def package(tmp_path: Path, key: ExportKey) -> Path:
    root = tmp_path / "package"
    root.mkdir()
    return make_package(root, key)


def test_a_signed_package_verifies_with_ours_openssl_and_sha256sum(package: Path) -> None:
    result = verify_package(package)
    assert result.ok, [c for c in result.problems]
    assert result.signer == "Ville-Témoin — CSU export"
    assert {c.part for c in result.checks} >= {VIDEO, "manifest", SUMS, "signature", "timestamp"}
    cms = openssl_cms_verify(package)
    assert cms.returncode == 0, cms.stderr
    assert "Verification successful" in cms.stderr
    sums = sha256sum_check(package)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert f"{VIDEO}: OK" in sums.stdout


@pytest.mark.parametrize(("changed", "part", "openssl_fails", "sha256sum_fails"), [
    (VIDEO, VIDEO, False, True),
    (MANIFEST, "signature", True, True),
    (SIGNATURE, "signature", True, False),
])
def test_one_flipped_byte_fails_naming_the_part(package: Path, tmp_path: Path, changed: str,
                                                part: str, openssl_fails: bool,
                                                sha256sum_fails: bool) -> None:
    copy = copy_of(package, tmp_path / "copy")
    at = None
    if changed == MANIFEST:  # inside the purpose text: still JSON, still readable
        at = copy.joinpath(MANIFEST).read_bytes().index(b"rixe") + 1
    elif changed == SIGNATURE:  # inside the RSA signature value at the end of the DER
        at = copy.joinpath(SIGNATURE).stat().st_size - 10
    flip_byte(copy / changed, at)

    result = verify_package(copy)
    assert not result.ok
    assert result.failed(part), result.checks
    assert "NOT verify" in result.conclusion()
    if changed == MANIFEST:  # the manifest's own hash in SHA256SUMS no longer holds either
        assert result.failed(SUMS)
        assert any("does not match manifest.json" in c.words for c in result.problems)
    if changed == VIDEO:  # the signature itself still holds: only that file is named
        assert [c.part for c in result.problems] == [VIDEO]
        assert "SHA-256 differs" in result.problems[0].words
    assert (openssl_cms_verify(copy).returncode != 0) is openssl_fails
    assert (sha256sum_check(copy).returncode != 0) is sha256sum_fails


def test_a_timestamp_from_a_real_authority_passes_openssl_ts_and_ours(
        package: Path, tsa: TsaServer) -> None:
    when = timestamp_signature(package, tsa.url, tsa.ca)
    assert (package / TIMESTAMP).is_file()
    assert (package / TSA_CERTIFICATES).read_bytes() == tsa.ca.read_bytes()
    ts = openssl_ts_verify(package)
    assert ts.returncode == 0, ts.stdout + ts.stderr
    assert "Verification: OK" in ts.stdout
    result = verify_package(package)
    assert result.ok, result.problems
    stamp = next(c for c in result.checks if c.part == "timestamp")
    assert "Test Time-Stamping Authority" in stamp.words
    assert "timestamp authority" in result.signed_at
    assert when.isoformat()[:19] in result.signed_at.replace("Z", "").replace(" ", "T")


def test_a_flipped_signature_byte_fails_the_timestamp_too(package: Path, tsa: TsaServer
                                                          ) -> None:
    timestamp_signature(package, tsa.url, tsa.ca)
    flip_byte(package / SIGNATURE, (package / SIGNATURE).stat().st_size - 10)
    result = verify_package(package)
    assert result.failed("signature")
    assert result.failed("timestamp")
    assert any("imprint differs" in c.words for c in result.problems)
    assert openssl_ts_verify(package).returncode != 0


@pytest.mark.parametrize(("mode", "words"), [
    ("refuse", "refused: rejection (bad_alg)"),
    ("wrong-imprint", "imprint differs"),
    ("http-error", "answered HTTP 503"),
])
def test_an_authority_that_does_not_stamp_is_said_in_plain_words(
        package: Path, tsa: TsaServer, mode: str, words: str) -> None:
    tsa.mode = mode
    try:
        with pytest.raises(EvidenceError, match=words.replace("(", r"\(").replace(")", r"\)")):
            timestamp_signature(package, tsa.url, tsa.ca)
    finally:
        tsa.mode = "accept"
    assert not (package / TIMESTAMP).exists()


def test_an_unreachable_authority_is_said_in_plain_words(package: Path) -> None:
    with pytest.raises(EvidenceError, match="cannot reach the timestamp authority"):
        timestamp_signature(package, "http://127.0.0.1:9/tsa", None, timeout_s=5)


def test_a_zip_of_the_package_verifies_the_same(package: Path, tmp_path: Path,
                                                tsa: TsaServer) -> None:
    timestamp_signature(package, tsa.url, tsa.ca)
    archive = Path(shutil.make_archive(str(tmp_path / "export"), "zip", package.parent,
                                       package.name))
    result = verify_package(archive)
    assert result.ok, result.problems
    assert len(result.checks) == len(verify_package(package).checks)
    flip_byte(package / VIDEO)
    damaged = Path(shutil.make_archive(str(tmp_path / "damaged"), "zip", package))
    assert [c.part for c in verify_package(damaged).problems] == [VIDEO]


def test_a_manifest_naming_a_file_outside_the_package_is_refused(tmp_path: Path,
                                                                 key: ExportKey) -> None:
    root = tmp_path / "package"
    (root / "sub").mkdir(parents=True)
    make_package(root / "sub", key, {"../../etc/passwd": b"root:x:0:0\n"})
    result = verify_package(root / "sub")
    problem = next(c for c in result.problems if c.part == "../../etc/passwd")
    assert "outside the package" in problem.words
    with zipfile.ZipFile(tmp_path / "p.zip", "w") as z:
        for p in (root / "sub").iterdir():
            z.write(p, p.name)
    assert verify_package(tmp_path / "p.zip").failed("../../etc/passwd")


def test_a_file_added_to_the_package_is_named_as_unlisted(package: Path) -> None:
    (package / "video" / "extra.mp4").write_bytes(b"not in the manifest")
    (package / "video" / "Thumbs.db").write_bytes(b"Explorer was here")
    (package / ".DS_Store").write_bytes(b"so was Finder")
    result = verify_package(package)
    assert [c.part for c in result.problems] == ["video/extra.mp4"]
    assert "not in the manifest" in result.problems[0].words
    assert {c.part for c in result.checks} >= {"video/Thumbs.db", ".DS_Store"}


def test_a_certificate_other_than_the_one_given_fails(package: Path, tmp_path: Path) -> None:
    other = signing_site(tmp_path / "other", name="Autre-Ville")
    (tmp_path / "other").mkdir()
    cert = init_export_key(other)
    held = tmp_path / "held.pem"
    from cryptography.hazmat.primitives import serialization

    held.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    result = verify_package(package, trusted=held)
    assert result.failed("signature")
    assert "NOT the certificate" in result.problems[0].words
    assert verify_package(package, trusted=package / "certificate.pem").ok


def test_a_damaged_package_or_zip_is_a_list_of_failed_checks_never_an_exception(
        package: Path, tmp_path: Path, tsa: TsaServer) -> None:
    """Seeded random damage to every signed part and to the ZIP: verify_package answers
    each with checks (zlib.error from a damaged ZIP and ValueError from a damaged
    certificate inside a signature once escaped), and never says a changed signature,
    timestamp or certificate is fine when `openssl` says it is not."""
    timestamp_signature(package, tsa.url, tsa.ca)
    rnd = random.Random(13)
    parts = [SIGNATURE, TIMESTAMP, CERTIFICATE, TSA_CERTIFICATES, MANIFEST]
    copy = tmp_path / "copy"
    for _ in range(150):
        shutil.rmtree(copy, ignore_errors=True)
        copy_of(package, copy)
        name = rnd.choice(parts)
        data = bytearray((copy / name).read_bytes())
        for _ in range(rnd.randint(1, 3)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        (copy / name).write_bytes(bytes(data))
        result = verify_package(copy)
        if result.ok and (copy / name).read_bytes() != (package / name).read_bytes():
            tool = openssl_ts_verify if name in (TIMESTAMP, TSA_CERTIFICATES) \
                else openssl_cms_verify
            assert tool(copy).returncode == 0, f"ours passed a damaged {name}"
    archive = Path(shutil.make_archive(str(tmp_path / "export"), "zip", package))
    whole = archive.read_bytes()
    for _ in range(300):
        data = bytearray(whole)
        for _ in range(rnd.randint(1, 4)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        archive.write_bytes(bytes(data))
        verify_package(archive)  # no exception


def test_a_signature_made_outside_its_certificates_validity_fails(tmp_path: Path,
                                                                   key: ExportKey) -> None:
    """A key whose certificate had expired (or was not yet valid) when it signed."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = datetime.now(UTC)
    old = (x509.CertificateBuilder().subject_name(key.certificate.subject)
           .issuer_name(key.certificate.subject).public_key(key.private_key.public_key())
           .serial_number(x509.random_serial_number())
           .not_valid_before(now - timedelta(days=30)).not_valid_after(now - timedelta(days=1))
           .sign(key.private_key, hashes.SHA256()))
    root = tmp_path / "package"
    root.mkdir()
    make_package(root, ExportKey(old, key.private_key))
    result = verify_package(root)
    assert [c.part for c in result.problems] == ["signature"]
    assert "was not valid" in result.problems[0].words


def test_an_unreadable_manifest_still_says_which_files_match_the_sums(package: Path) -> None:
    manifest = package / MANIFEST
    manifest.write_bytes(manifest.read_bytes()[:-40])  # cut: no longer JSON
    flip_byte(package / VIDEO)
    result = verify_package(package)
    failed = [c.part for c in result.problems]
    assert failed[:1] == ["manifest"]
    assert VIDEO in failed
    assert "signature" in failed
    intact = next(c for c in result.checks if c.part == "journal/alarms.csv")
    assert intact.ok
    assert "not signed" in intact.words


def test_a_towns_elliptic_curve_key_signs_packages_both_verify(tmp_path: Path) -> None:
    """A town's own PKI may issue a P-256 key: imported, it signs what openssl and ours
    verify (ECDSA instead of RSA in the CMS)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from app.services.evidence.keys import import_export_key

    ec_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Mairie — PKI")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(ec_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=9))
            .sign(ec_key, hashes.SHA256()))
    pem = tmp_path / "town.pem"
    pem.write_bytes(ec_key.private_bytes(serialization.Encoding.PEM,
                                         serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
                    + cert.public_bytes(serialization.Encoding.PEM))
    site = signing_site(tmp_path)
    import_export_key(site, pem)
    root = tmp_path / "package"
    root.mkdir()
    make_package(root, load_export_key(site))
    assert verify_package(root).ok
    assert openssl_cms_verify(root).returncode == 0
    flip_byte(root / SIGNATURE, (root / SIGNATURE).stat().st_size - 5)
    assert verify_package(root).failed("signature")
    assert openssl_cms_verify(root).returncode != 0


def test_a_zip_with_backslashes_in_its_names_verifies(package: Path, tmp_path: Path) -> None:
    """Windows PowerShell 5's Compress-Archive writes `video\\cam.mp4`: the recipient's
    re-zipped copy still verifies, and a changed file in it is still named."""
    archive = tmp_path / "powershell.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(package.rglob("*")):
            if p.is_file():
                z.writestr(p.relative_to(package).as_posix().replace("/", "\\"),
                           p.read_bytes())
    assert verify_package(archive).ok, verify_package(archive).problems
    flip_byte(package / VIDEO)
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted(package.rglob("*")):
            if p.is_file():
                z.writestr(p.relative_to(package).as_posix().replace("/", "\\"),
                           p.read_bytes())
    assert [c.part for c in verify_package(archive).problems] == [VIDEO]

"""`csu-console export-key init|import|show`: the site's signing key for evidence exports
(issue 13). Its private part goes to the keyring (in parts Windows' Credential Manager can
hold) or to a key file only its owner can read; it is never printed; its certificate is."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.evidence import EvidenceError
from app.core.registry import discover
from app.core.secrets import SecretMissing, delete_secret, get_secret
from app.core.site import load_site
from app.services.evidence.keys import (
    KEY_SECRET,
    NO_KEY,
    PART_CHARS,
    fingerprint,
    init_export_key,
    load_export_key,
)
from tests.integration.evidence_rig import signing_site
from tests.unit.cli_run import csu, site_file

FINGERPRINT = re.compile(r"SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})")


@pytest.fixture(autouse=True)
def no_export_key_in_the_keyring() -> Iterator[None]:
    """The suite's keyring is its own (tests/conftest.py); this keeps tests apart in it."""
    def clear() -> None:
        for i in range(20):
            delete_secret(f"{KEY_SECRET}/{i}" if i else KEY_SECRET)

    clear()
    yield
    clear()


def _keyring_parts() -> list[str]:
    head = get_secret(KEY_SECRET)
    count = int(head.removeprefix("parts:"))
    return [get_secret(f"{KEY_SECRET}/{i}") for i in range(1, count + 1)]


def test_init_then_show_in_the_keyring(tmp_path: Path) -> None:
    site_path = site_file(tmp_path, '[export]\ncertificate = "export.pem"\n')
    made = csu("export-key", "init", "--site", str(site_path))
    assert made.returncode == 0, made.stderr
    assert "PRIVATE KEY" not in made.stdout + made.stderr
    assert "CN=Test — CSU export" in made.stdout
    printed = FINGERPRINT.search(made.stdout)
    assert printed
    cert = x509.load_pem_x509_certificate((tmp_path / "export.pem").read_bytes())
    assert printed.group(1) == fingerprint(cert)
    assert cert.public_bytes(serialization.Encoding.PEM).decode() in made.stdout
    parts = _keyring_parts()  # each small enough for Windows' Credential Manager
    assert len(parts) > 1
    assert all(len(p) <= PART_CHARS for p in parts)
    site = load_site(str(site_path), discover())
    key = load_export_key(site)
    assert key.certificate == cert

    shown = csu("export-key", "show", "--site", str(site_path))
    assert shown.returncode == 0, shown.stderr
    assert printed.group(0) in shown.stdout
    assert "PRIVATE KEY" not in shown.stdout

    again = csu("export-key", "init", "--site", str(site_path))
    assert again.returncode == 1
    assert "already an export key" in again.stderr
    assert load_export_key(site).certificate == cert  # untouched
    forced = csu("export-key", "init", "--force", "--site", str(site_path))
    assert forced.returncode == 0, forced.stderr
    assert load_export_key(site).certificate != cert


def test_a_key_file_is_made_readable_by_its_owner_only(tmp_path: Path) -> None:
    site_path = site_file(tmp_path, '[export]\ncertificate = "export.pem"\n'
                                    'key_file = "private/export-key.pem"\n')
    made = csu("export-key", "init", "--site", str(site_path))
    assert made.returncode == 0, made.stderr
    key_file = tmp_path / "private" / "export-key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert b"BEGIN PRIVATE KEY" in key_file.read_bytes()
    with pytest.raises(SecretMissing):
        get_secret(KEY_SECRET)  # not in the keyring
    assert csu("export-key", "init", "--site", str(site_path)).returncode == 1
    forced = csu("export-key", "init", "--force", "--site", str(site_path))
    assert forced.returncode == 0, forced.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    shown = csu("export-key", "show", "--site", str(site_path))
    assert FINGERPRINT.findall(shown.stdout) == FINGERPRINT.findall(forced.stdout)


def test_import_a_towns_pkcs12_with_its_password_on_stdin(tmp_path: Path) -> None:
    town = signing_site(tmp_path / "town")
    (tmp_path / "town").mkdir()
    init_export_key(town)
    theirs = load_export_key(town)
    p12 = tmp_path / "town.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"town", theirs.private_key, theirs.certificate, None,
        serialization.BestAvailableEncryption(b"s3cret-p12")))
    site_path = site_file(tmp_path, '[export]\ncertificate = "export.pem"\n')
    wrong = csu("export-key", "import", str(p12), "--site", str(site_path), stdin="nope\n")
    assert wrong.returncode == 1
    assert "password" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    done = csu("export-key", "import", str(p12), "--site", str(site_path),
               stdin="s3cret-p12\n")
    assert done.returncode == 0, done.stderr
    assert "s3cret-p12" not in done.stdout + done.stderr
    ours = load_export_key(load_site(str(site_path), discover()))
    assert ours.certificate == theirs.certificate
    assert ours.private_key.private_numbers() == theirs.private_key.private_numbers()


def test_import_a_pem_key_and_certificate(tmp_path: Path) -> None:
    town = signing_site(tmp_path / "town")
    (tmp_path / "town").mkdir()
    init_export_key(town)
    theirs = load_export_key(town)
    pem = tmp_path / "town.pem"
    pem.write_bytes(theirs.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()) + theirs.certificate.public_bytes(
        serialization.Encoding.PEM))
    site_path = site_file(tmp_path, '[export]\ncertificate = "export.pem"\n')
    done = csu("export-key", "import", str(pem), "--site", str(site_path))
    assert done.returncode == 0, done.stderr
    assert load_export_key(load_site(str(site_path), discover())).certificate == \
        theirs.certificate


def test_no_key_says_how_to_make_one(tmp_path: Path) -> None:
    site_path = site_file(tmp_path, '[export]\ncertificate = "export.pem"\n')
    shown = csu("export-key", "show", "--site", str(site_path))
    assert shown.returncode == 1
    assert NO_KEY in shown.stderr
    assert "Traceback" not in shown.stderr


def test_a_key_that_does_not_match_its_certificate_is_named(tmp_path: Path) -> None:
    site = signing_site(tmp_path)
    init_export_key(site)
    other = signing_site(tmp_path / "other")
    (tmp_path / "other").mkdir()
    init_export_key(other)
    (tmp_path / "export-certificate.pem").write_bytes(
        (tmp_path / "other" / "export-certificate.pem").read_bytes())
    with pytest.raises(EvidenceError, match="does not match the certificate"):
        load_export_key(site)


def test_no_usable_keyring_is_said_and_nothing_is_written(tmp_path: Path) -> None:
    site_path = site_file(tmp_path, '[export]\ncertificate = "export.pem"\n')
    out = csu("export-key", "init", "--site", str(site_path),
              env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert out.returncode == 1
    assert "no usable keyring" in out.stderr
    assert "PYTHON_KEYRING_BACKEND" in out.stderr  # how to choose one
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "export.pem").exists()


def test_a_certificate_that_cannot_be_written_stores_no_key(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("a file where the folder should be")
    site_path = site_file(tmp_path, '[export]\ncertificate = "not-a-folder/export.pem"\n')
    out = csu("export-key", "init", "--site", str(site_path))
    assert out.returncode == 1
    assert "cannot write the certificate" in out.stderr
    assert "nothing was changed" in out.stderr
    assert "Traceback" not in out.stderr
    with pytest.raises(SecretMissing):
        get_secret(KEY_SECRET)

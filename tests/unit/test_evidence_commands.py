"""The commands the report prints (app/services/evidence/verify_commands.py) run as written,
in a package's folder, with the free tools a reader has: sha256sum and OpenSSL. The
package here is signed and timestamped by OpenSSL itself (a self-signed export certificate
and a local timestamp authority), so that a drifted command line fails here, whoever signs
packages in the product; a flipped byte makes each check fail."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from app.core.evidence import (
    CERTIFICATE,
    MANIFEST,
    SIGNATURE,
    SUMS,
    TIMESTAMP,
    TSA_CERTIFICATES,
)
from app.services.evidence import verify_commands as cmd

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None
                                or shutil.which("sha256sum") is None,
                                reason="needs openssl and sha256sum (packaging/dev.sh)")

TSA_CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {dir}/tsaserial
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
"""


def run(command: str, where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, cwd=where, capture_output=True, text=True,
                          timeout=60, check=False)


def ok(command: str, where: Path) -> str:
    done = run(command, where)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture
def package(tmp_path: Path) -> Path:
    keys, pkg = tmp_path / "keys", tmp_path / "package"
    keys.mkdir()
    (pkg / "video").mkdir(parents=True)
    (pkg / "video" / "cam-01.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(1000))
    (pkg / "report.pdf").write_bytes(b"%PDF-1.4 pretend")
    (pkg / MANIFEST).write_text('{"format": "csu-evidence/1", "files": []}\n',
                                encoding="utf-8")
    sums = "".join(f"{hashlib.sha256((pkg / p).read_bytes()).hexdigest()}  {p}\n"
                   for p in ("video/cam-01.mp4", "report.pdf", MANIFEST))
    (pkg / SUMS).write_text(sums, encoding="utf-8")
    # the site's export certificate (self-signed) and a detached CMS signature (DER)
    ok(f"openssl req -x509 -newkey rsa:2048 -nodes -keyout {keys}/export.key -out "
       f"{pkg}/{CERTIFICATE} -days 30 -subj '/CN=Export CSU Démo'", keys)
    ok(f"openssl cms -sign -binary -in {MANIFEST} -signer {CERTIFICATE} -inkey "
       f"{keys}/export.key -outform DER -out {SIGNATURE}", pkg)
    # a local timestamp authority over the signature's bytes (RFC 3161)
    (keys / "tsaserial").write_text("01\n")
    (keys / "tsa.cnf").write_text(TSA_CONFIG.format(dir=keys))
    ok("openssl req -x509 -newkey rsa:2048 -nodes -keyout tsa.key -out tsa.pem -days 30 "
       "-subj '/CN=Local TSA' -addext 'extendedKeyUsage=critical,timeStamping' "
       "-addext 'keyUsage=critical,digitalSignature'", keys)
    ok(f"openssl ts -query -data {pkg}/{SIGNATURE} -sha256 -cert -out req.tsq", keys)
    ok(f"openssl ts -reply -config tsa.cnf -queryfile req.tsq -signer tsa.pem -inkey tsa.key "
       f"-out {pkg}/{TIMESTAMP}", keys)
    shutil.copy(keys / "tsa.pem", pkg / TSA_CERTIFICATES)
    return pkg


def test_every_printed_command_passes_on_a_good_package(package: Path) -> None:
    assert "OK" in ok(cmd.SHA256SUM, package)
    assert "Verification successful" in ok(cmd.CMS_VERIFY, package)
    assert "Verification: OK" in ok(cmd.TS_VERIFY, package)
    der = subprocess.run(["openssl", "x509", "-in", CERTIFICATE, "-outform", "DER"],
                         cwd=package, capture_output=True, check=True, timeout=60).stdout
    colons = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
    # what the report prints as the fingerprint is what the printed command shows
    assert colons in ok(cmd.FINGERPRINT, package)


@pytest.mark.parametrize("victim", ["video/cam-01.mp4", MANIFEST, SIGNATURE])
def test_a_flipped_byte_fails_a_printed_command(package: Path, victim: str) -> None:
    path = package / victim
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    failed = [c for c in (cmd.SHA256SUM, cmd.CMS_VERIFY, cmd.TS_VERIFY)
              if run(c, package).returncode != 0]
    expected = {"video/cam-01.mp4": [cmd.SHA256SUM],
                MANIFEST: [cmd.SHA256SUM, cmd.CMS_VERIFY],
                SIGNATURE: [cmd.CMS_VERIFY, cmd.TS_VERIFY]}[victim]
    assert failed == expected

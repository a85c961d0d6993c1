"""`TsaServer`: a real RFC 3161 timestamp authority on loopback.

Each query is answered by OpenSSL's own authority (`openssl ts -reply`), not by our code:
a throwaway CA and a TSA certificate (critical extendedKeyUsage timeStamping) are made in a
temporary folder at start. The stdlib `ThreadingHTTPServer` runs on a thread of the test
process. `mode` makes it misbehave like a real one can: "refuse" answers with OpenSSL's
own rejection (a policy that accepts only SHA-512 imprints), "wrong-imprint" answers a
query about other data, "http-error" returns 503. Not imported by the console.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CONFIG = """\
[ tsa ]
default_tsa = accepting

[ accepting ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256

[ sha512_only ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha512
ess_cert_id_alg = sha256
"""


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test TSA")])


def make_tsa_files(folder: Path) -> None:
    """ca.pem (the root anyone trusts), tsa.pem + tsa.key (the authority), serial."""
    now = datetime.now(UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (x509.CertificateBuilder().subject_name(_name("Test Root CA"))
          .issuer_name(_name("Test Root CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = (x509.CertificateBuilder().subject_name(_name("Test Time-Stamping Authority"))
           .issuer_name(ca.subject).public_key(key.public_key())
           .serial_number(x509.random_serial_number())
           .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
           .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
           .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                        False), critical=True)
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                          critical=True)
           .sign(ca_key, hashes.SHA256()))
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.pem").write_bytes(tsa.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(CONFIG.format(dir=folder))


class TsaServer:
    """`with TsaServer() as tsa:` then `tsa.url`, `tsa.ca` (the chain to trust),
    `tsa.queries` (how many were answered), `tsa.mode`."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="csu-tsa-")
        self.dir = Path(self._tmp.name)
        make_tsa_files(self.dir)
        self.ca = self.dir / "ca.pem"
        self.mode = "accept"
        self.queries = 0
        self._lock = threading.Lock()  # openssl's serial file takes one reply at a time
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._http.server_port}/tsa"
        self._thread = threading.Thread(target=self._http.serve_forever, name="test-tsa",
                                        daemon=True)

    def __enter__(self) -> TsaServer:
        self._thread.start()
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(10)
        self._tmp.cleanup()

    def reply(self, query: bytes) -> bytes:
        """OpenSSL's answer to a DER TimeStampReq, as the current mode wants it."""
        with self._lock:
            self.queries += 1
            q = self.dir / "query.tsq"
            section = "accepting"
            if self.mode == "refuse":
                section = "sha512_only"
            if self.mode == "wrong-imprint":  # a valid reply about other data
                (self.dir / "other.bin").write_bytes(b"some other data")
                subprocess.run(["openssl", "ts", "-query", "-data", str(self.dir / "other.bin"),
                                "-sha256", "-cert", "-out", str(q)], check=True,
                               capture_output=True, timeout=30)
            else:
                q.write_bytes(query)
            out = self.dir / "reply.tsr"
            subprocess.run(["openssl", "ts", "-reply", "-config", str(self.dir / "tsa.cnf"),
                            "-section", section, "-queryfile", str(q), "-out", str(out)],
                           check=True, capture_output=True, timeout=30)
            return out.read_bytes()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(min(length, 65536))
                if server.mode == "http-error" or \
                        self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(503, "Service Unavailable")
                    return
                answer = server.reply(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

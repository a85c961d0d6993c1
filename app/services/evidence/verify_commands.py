"""The commands that check an evidence package with free tools nobody on the project wrote.

One home for them: the PDF report prints them, the README can quote them, and the tests
run them as written (a command that drifted from the package's layout would fail there).
Each is one shell line, run from inside the package's folder.
"""

from __future__ import annotations

from app.core.evidence import CERTIFICATE, MANIFEST, SIGNATURE, SUMS, TIMESTAMP, TSA_CERTIFICATES

SHA256SUM = f"sha256sum -c {SUMS}"
# PowerShell has no `-c`: it shows each file's digest, to compare with SHA256SUMS
POWERSHELL = ("Get-ChildItem -Recurse -File | Get-FileHash -Algorithm SHA256 | "
              "Format-List Hash, Path")
CMS_VERIFY = (f"openssl cms -verify -binary -inform DER -in {SIGNATURE} -content {MANIFEST} "
              f"-CAfile {CERTIFICATE} -purpose any -out /dev/null")
FINGERPRINT = f"openssl x509 -in {CERTIFICATE} -noout -fingerprint -sha256"
TS_VERIFY = f"openssl ts -verify -in {TIMESTAMP} -data {SIGNATURE} -CAfile {TSA_CERTIFICATES}"
CONSOLE_VERIFY = "csu-console verify <folder>"


def continued(command: str, width: int) -> list[str]:
    """A long command cut between its arguments into lines of at most `width` characters,
    each but the last ending in " \\" (a POSIX shell reads them back as one line), so that
    a page never cuts an argument in two."""
    lines: list[str] = []
    line = ""
    for word in command.split(" "):
        if line and len(line) + 1 + len(word) + 2 > width:
            lines.append(line + " \\")
            line = "    " + word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]

"""`csu-console export-key init|import|show` and `csu-console verify EXPORT`.

export-key: the site's signing key for evidence packages (app/services/evidence/keys.py).
`show` prints the certificate in words and in PEM, for the parquet's printed copy; the
private key is never printed. verify: one line per check, then the conclusion; exit 0
when the package verifies, 1 when it does not (never a traceback for a bad package).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.output import say
from app.core.evidence import EvidenceError
from app.core.site import Site, SiteError, load_site

if TYPE_CHECKING:
    from cryptography import x509


def _site(site_file: str) -> Site | None:
    from app.core.registry import discover

    try:
        return load_site(site_file, discover())
    except SiteError as exc:
        say(f"cannot open the site file {site_file}:", err=True)
        for p in exc.problems:
            say(f"  - {p}", err=True)
        return None


def cmd_export_key(action: str, site_file: str, *, force: bool = False,
                   file: str | None = None, certificate: str | None = None) -> int:
    from app.services.evidence import keys

    site = _site(site_file)
    if site is None:
        return 1
    where = keys.key_file_path(site) or "the keyring"
    try:
        if action == "init":
            cert = keys.init_export_key(site, force=force)
            say(f"made a new export key (private part in {where}) and its certificate "
                f"{keys.certificate_path(site)}:")
        elif action == "import":
            imported = _import(site, Path(str(file)),
                               Path(certificate) if certificate else None, force)
            if imported is None:
                return 1
            cert = imported
            say(f"imported the export key (private part in {where}) and its certificate "
                f"{keys.certificate_path(site)}:")
        else:
            cert = keys.load_export_key(site).certificate
    except EvidenceError as exc:
        say(str(exc), err=True)
        return 1
    say(keys.certificate_summary(cert))
    say()
    say(keys.certificate_pem(cert).rstrip("\n"))
    return 0


def _import(site: Site, path: Path, certificate: Path | None,
            force: bool) -> x509.Certificate | None:
    from app.cli.terminal import read_secret_input
    from app.services.evidence import keys

    try:
        return keys.import_export_key(site, path, None, certificate=certificate, force=force)
    except keys.NeedsPassword:
        password = read_secret_input(f"Password of {path.name} (typing is not shown): ",
                                     "nothing was imported")
        if password is None:
            return None
        return keys.import_export_key(site, path, password, certificate=certificate,
                                      force=force)


def cmd_verify(export: str, certificate: str | None) -> int:
    from app.services.evidence.verify import verify_package

    result = verify_package(Path(export), Path(certificate) if certificate else None)
    good, bad = _marks()
    for c in result.checks:
        say(f"{good if c.ok else bad} {c.part}: {c.words}")
    say(result.conclusion())
    if result.ok and not certificate:
        say("No certificate was given: compare the signer's SHA-256 fingerprint above with "
            "the printed one, or run again with --certificate CERT.")
    return 0 if result.ok else 1


def _marks() -> tuple[str, str]:
    """✓ and ✗ where the console can show them (a Windows console in cp1252 cannot)."""
    try:
        "✓✗".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "OK  ", "FAIL"
    return "✓", "✗"

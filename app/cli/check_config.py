"""`csu-console check-config FILE [--probe]`: is this site file ready to run?

Exit 0: the console can run it (warnings, if any, are printed and do not stop it).
Exit 1: problems to fix (each names the file, the key path and what was expected), or with
--probe, a system that cannot be reached or a secret the keyring lacks.
"""

from __future__ import annotations

import asyncio

from app.cli.output import listing, say
from app.core.adapter import ProbeResult
from app.core.registry import AdapterEntry, discover
from app.core.secrets import KeyringUnusable
from app.core.site import Site, SiteError, load_site
from app.core.site_check import (
    SITE,
    check_references,
    check_secrets,
    missing_secrets,
    missing_text,
)
from app.services.probing import probe_adapter_async, probe_journal


def cmd_check_config(path: str, probe: bool = False) -> int:
    registry = discover()
    try:
        site = load_site(path, registry)
    except SiteError as exc:
        listing(f"{path}: {len(exc.problems)} problem(s):", exc.problems, err=True)
        return 1
    errors, warnings = check_references(site)
    if not probe:
        warnings += check_secrets(site)
    if errors:
        listing(f"{path}: {len(errors)} problem(s):", errors, err=True)
        if warnings:
            listing(f"{path}: {len(warnings)} warning(s):", warnings, err=True)
        return 1
    say(f"{path}: OK — site {site.site.name!r}: {len(site.adapters)} adapter(s), "
        f"{len(site.cameras)} camera(s), {len(site.officers)} officer(s), "
        f"{len(site.alarm_types)} alarm type(s) configured")
    if warnings:
        listing(f"{path}: {len(warnings)} warning(s):", warnings)
        say("Warnings do not stop the console (exit code 0), but what they name will not "
            "work until fixed; `--probe` counts a missing secret as a failure.")
    if probe:
        return _probe(site, registry)
    return 0


def _site_secret_checks(site: Site) -> list[ProbeResult]:
    """The secrets of the site's own cameras (the adapters' probes check their own)."""
    try:
        absent = missing_secrets(site)
    except KeyringUnusable as exc:
        return [ProbeResult("site file", "read the keyring", False, str(exc))]
    return [ProbeResult("site file", f"secret {name!r} of {loc.where} in the keyring", False,
                        missing_text(name))
            for name, loc in absent if loc.owner == SITE]


def _journal_check(site: Site) -> list[ProbeResult]:
    """A room's journal: the database answers, takes the password, holds this console's
    schema (a file journal is checked when a console opens it)."""
    if site.journal is None:
        return []
    from app.core.secrets import SecretMissing
    from app.store.opening import journal_password

    try:
        password = journal_password(site)
    except SecretMissing as exc:
        return [ProbeResult("journal", "read its password", False, str(exc))]
    return probe_journal(site.journal, password)


def _probe(site: Site, registry: dict[str, AdapterEntry]) -> int:
    """Connect once to each enabled adapter's systems and say what works (exit 0: all)."""

    async def run() -> list[list[ProbeResult]]:
        return list(await asyncio.gather(*(probe_adapter_async(c, registry)
                                           for c in site.adapters if c.enabled)))

    results = _site_secret_checks(site) + _journal_check(site) + \
        [r for rs in asyncio.run(run()) for r in rs]
    for r in results:
        say(f"  {'ok  ' if r.ok else 'FAIL'} {r.adapter}: {r.check} — {r.detail}")
    failed = sum(not r.ok for r in results)
    say(f"probe: {len(results) - failed} check(s) ok, {failed} failed", err=bool(failed))
    return 1 if failed else 0

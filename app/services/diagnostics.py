"""What a support ticket needs, as text an operator copies: versions, the site file, the
journal, each connected system's state and the log file's path. Never a secret: only states
and addresses are gathered, and every secret value the site names is looked up in the
keyring and blanked out of the text before anyone sees it (an adapter's error message could
quote a password a server echoed back).

Gathered off the GUI thread: FFmpeg is asked its version (a subprocess) and the keyring may
be slow."""

from __future__ import annotations

import contextlib
import platform
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from app.core.events import AdapterStatus, JournalStatus
from app.core.secrets import get_secret
from app.core.site import Site
from app.core.site_check import secrets_named
from app.core.version import console_version

HIDDEN = "[secret hidden]"
FFMPEG_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class Facts:
    """Where this console runs from, as its start-up found it."""

    site_path: str = ""
    journal: str = ""  # a path, or postgresql://user@host/db (no password in it, ever)
    log_file: str = ""
    workstation: str = ""


def ffmpeg_version(exe: str) -> str:
    """FFmpeg's first line (`ffmpeg version 7.0.2-static ...`), or why it cannot run."""
    try:
        out = subprocess.run([exe, "-hide_banner", "-version"], capture_output=True,
                             text=True, timeout=FFMPEG_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run {exe}: {exc}"
    first = (out.stdout or out.stderr).strip().splitlines()
    return f"{first[0]} ({exe})" if first else f"{exe} printed nothing"


def secret_values(site: Site) -> list[str]:
    """The values of every secret the site names that this user's keyring holds."""
    values: list[str] = []
    for name, _where in secrets_named(site):
        with contextlib.suppress(Exception):  # missing, or no keyring: nothing to hide
            value = get_secret(name)
            if value:
                values.append(value)
    return values


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret value replaced, the longest first (a secret that holds
    another is hidden whole), however short (a PIN is a secret too)."""
    for value in sorted(set(secrets), key=len, reverse=True):
        if value:
            text = text.replace(value, HIDDEN)
    return text


def report(site: Site, facts: Facts, adapters: Iterable[AdapterStatus],
           journal: JournalStatus, versions: Mapping[str, str], cameras: int = 0,
           now: datetime | None = None) -> str:
    """The diagnostics text, scrubbed. `versions`: what only the window knows (Qt, libvlc);
    `cameras`: how many the console knows now (the file's and the adapters' own)."""
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        "CSU Console diagnostics",
        f"written: {when}",
        "",
        "[versions]",
        f"csu-console: {console_version()}",
        f"python: {platform.python_version()} ({sys.executable})",
        f"system: {platform.platform()}",
        *(f"{k}: {v}" for k, v in versions.items()),
        f"ffmpeg: {ffmpeg_version(site.recording.ffmpeg_exe())}",
        f"frozen build: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
        "",
        "[site]",
        f"name: {site.site.name}",
        f"file: {facts.site_path or site.source_path or 'unknown'}",
        f"workstation: {facts.workstation or platform.node()}",
        f"adapters: {len(site.adapters)}; cameras: {cameras} known, "
        f"{len(site.cameras)} of them in the file",
        "",
        "[journal]",
        f"where: {facts.journal or 'unknown'}",
        f"state: {'storing' if journal.ok else 'NOT STORING: ' + journal.problem}",
    ]
    if not journal.ok:
        lines.append(f"waiting: {journal.waiting_reports} report(s), "
                     f"{journal.waiting_actions} action(s)")
    if journal.recovered_from:
        lines.append(f"replaced at start, the old one kept as {journal.recovered_from} "
                     f"({journal.recovery_problem})")
    lines += ["", "[connected systems]"]
    states = sorted(adapters, key=lambda s: s.adapter)
    for s in states:
        last = s.last_message.strftime("%Y-%m-%dT%H:%M:%SZ") if s.last_message else "never"
        lines.append(f"{s.adapter}: {s.state}" + (f" - {s.detail}" if s.detail else "")
                     + f" (messages {s.messages}, events {s.events}, rejected {s.rejected},"
                       f" last message {last})")
    if not states:
        lines.append("none reported yet")
    lines += ["", "[log]", f"file: {facts.log_file or 'standard error only'}"]
    return scrub("\n".join(lines) + "\n", secret_values(site))

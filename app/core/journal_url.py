"""Where the journal is, from the site file's `[journal] url` or `--journal`.

A file path or `sqlite:///path` is the embedded journal of one console; `postgresql://user@
host[:port]/database[?sslmode=…]` is a room's shared journal. A password never belongs in
the URL (site files are copied, logged, mailed): it comes from the keyring, under the name
the site file gives (`[journal] password_secret`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class JournalUrlError(ValueError):
    """The journal's URL is wrong: the message says what and how to write it."""


@dataclass(frozen=True, slots=True)
class JournalLocation:
    backend: str  # SQLITE or POSTGRESQL
    path: Path | None = None  # SQLITE
    url: str = ""  # POSTGRESQL, without password
    user: str = ""
    host: str = ""
    database: str = ""

    @property
    def shared(self) -> bool:
        """A room's journal, which seats attach to (versus one console's own file)."""
        return self.backend == POSTGRESQL

    def __str__(self) -> str:
        return str(self.path) if self.path is not None else self.url


def parse_journal_url(text: str) -> JournalLocation:
    """The journal `text` names; `JournalUrlError` in plain words when it cannot be used."""
    text = text.strip()
    if not text:
        raise JournalUrlError("the journal's URL is empty")
    if text.startswith("sqlite:"):
        if not text.startswith("sqlite:///"):
            raise JournalUrlError(
                f"{text!r}: write an SQLite journal as sqlite:///path/to/journal.sqlite "
                "(three slashes, then the path) or just the file's path")
        return JournalLocation(SQLITE, path=Path(text[len("sqlite:///"):] or "."))
    if text.startswith(("postgresql:", "postgres:")):
        return _postgresql(text)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise JournalUrlError(f"{text!r}: a journal is a file path, sqlite:///… or "
                              f"postgresql://…, not {scheme}://")
    return JournalLocation(SQLITE, path=Path(text))


def _postgresql(text: str) -> JournalLocation:
    parts = urlsplit(text)
    if parts.password is not None:
        raise JournalUrlError(
            "the journal's URL carries a password: remove it from the URL and store it in "
            "the keyring (`csu-console secret set NAME`, and `password_secret = \"NAME\"` "
            "under [journal] in the site file)")
    if not parts.hostname:
        raise JournalUrlError(f"{text!r}: name the database server, as "
                              "postgresql://user@host/database")
    database = parts.path.lstrip("/")
    if not database or "/" in database:
        raise JournalUrlError(f"{text!r}: name one database after the host, as "
                              "postgresql://user@host/database")
    if not parts.username:
        raise JournalUrlError(f"{text!r}: name the database user, as "
                              "postgresql://user@host/database")
    try:
        port = parts.port
    except ValueError as exc:
        raise JournalUrlError(f"{text!r}: the port is not a number") from exc
    for key, values in parse_qs(parts.query).items():
        if key == "sslmode" and values[-1] not in SSL_MODES:
            raise JournalUrlError(f"{text!r}: sslmode must be one of {', '.join(SSL_MODES)}")
        if key in ("password", "passfile"):
            raise JournalUrlError("the journal's URL carries a password: store it in the "
                                  "keyring instead (`password_secret` under [journal])")
    netloc = f"{parts.username}@{parts.hostname}" + (f":{port}" if port else "")
    url = urlunsplit(("postgresql", netloc, "/" + database, parts.query, ""))
    return JournalLocation(POSTGRESQL, url=url, user=parts.username, host=parts.hostname,
                           database=database)

"""Opening the journal a site names, whatever its backend: the one door the services use."""

from __future__ import annotations

from pathlib import Path

from app.core.journal import JournalStore
from app.core.journal_recovery import Recovery, open_journal
from app.core.journal_url import SQLITE, JournalLocation
from app.core.secrets import get_secret
from app.core.site import Site
from app.store.postgres_journal import PostgresJournal


def journal_location(site: Site, override: str | Path | None, default: Path
                     ) -> JournalLocation:
    """`--journal` first, then the site file's `[journal] url`, then `default` (one
    console's own file). JournalUrlError when the URL is wrong."""
    from app.core.journal_url import parse_journal_url

    if override is not None:
        return parse_journal_url(str(override))
    if site.journal is not None:
        return site.journal.location(Path(site.source_path).parent)
    return JournalLocation(SQLITE, path=default)


def journal_password(site: Site) -> str | None:
    """The room database's password, from the keyring under the name the site file gives
    (SecretMissing when it is named and absent); None lets libpq use its own means."""
    if site.journal is None or not site.journal.password_secret:
        return None
    return get_secret(site.journal.password_secret)


def open_store(where: JournalLocation, password: str | None = None, purpose: str = "journal",
               create: bool = False) -> tuple[JournalStore, Recovery | None]:
    """The journal at `where`. SQLite: checked, a damaged file set aside and replaced
    (JournalCannotOpen when even that fails). PostgreSQL: connected and its schema checked
    (JournalCannotReach, in plain words, when it cannot be used)."""
    if where.path is not None:
        return open_journal(where.path)
    return PostgresJournal(where, password, purpose=purpose, create=create), None

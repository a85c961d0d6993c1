"""Which journal an installer's command works on: `--journal URL`, else the site file's
`[journal]`, else the one console's own file for that site in this OS user's data folder
(the one the console opens when this same OS user runs it)."""

from __future__ import annotations

from app.core.journal import JournalStore
from app.core.journal_url import JournalUrlError, parse_journal_url
from app.core.secrets import SecretMissing
from app.core.site import SiteError, load_site
from app.services.accounts import installer, workstation

__all__ = ["JournalChoiceError", "installer", "open_chosen_journal", "open_or_say",
           "workstation"]


class JournalChoiceError(Exception):
    """The journal cannot be named or opened: plain words, one line each."""


def open_chosen_journal(site_file: str | None, journal: str | None) -> JournalStore:
    from app.core.registry import discover
    from app.core.user_paths import journal_path
    from app.store.connection import JournalCannotReach
    from app.store.opening import journal_location, journal_password, open_store

    if not site_file and not journal:
        raise JournalChoiceError("say which journal: --site FILE (its [journal], else this "
                                 "user's own journal for that site) or --journal URL")
    try:
        if site_file:
            site = load_site(site_file, discover())
            where = journal_location(site, journal, journal_path(site.site.name))
            password = journal_password(site)
        else:
            where, password = parse_journal_url(str(journal)), None
        store, _ = open_store(where, password, purpose="installer")
    except SiteError as exc:
        raise JournalChoiceError("\n".join([f"cannot open the site file {site_file}:",
                                            *(f"  - {p}" for p in exc.problems)])) from exc
    except (JournalUrlError, SecretMissing, JournalCannotReach) as exc:
        raise JournalChoiceError(f"cannot open the journal: {exc}") from exc
    except Exception as exc:  # e.g. JournalCannotOpen (SQLite), OSError
        raise JournalChoiceError(f"cannot open the journal: {exc}") from exc
    return store


def open_or_say(site_file: str | None, journal: str | None) -> JournalStore | None:
    """The chosen journal, or None with what is wrong said on standard error."""
    from app.cli.output import say

    try:
        return open_chosen_journal(site_file, journal)
    except JournalChoiceError as exc:
        say(str(exc), err=True)
        return None

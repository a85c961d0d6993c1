"""`csu-console db upgrade`: bring a journal's schema to this console's version.

For a room's PostgreSQL journal this is the installer's explicit step after updating the
console (back the database up first): the service and the seats refuse an older schema and
name this command. Each migration is one transaction: an interrupted upgrade leaves the
previous version whole, and running it again finishes it. An SQLite journal migrates itself
when a console opens it; the command does the same, to check it.
"""

from __future__ import annotations

from pathlib import Path

from app.core.journal_url import JournalLocation, JournalUrlError
from app.core.secrets import SecretMissing
from app.core.site import SiteError, load_site


def cmd_upgrade(site_file: str | None, journal: str | None, out: list[str]) -> int:
    """Upgrade; the lines to print go to `out`. Exit code: 0 done or up to date, 1 not."""
    import psycopg

    from app.core.journal import SCHEMA_VERSION, Journal
    from app.core.registry import discover
    from app.core.site import Site
    from app.store import schema
    from app.store.connection import connect, explain
    from app.store.opening import journal_location, journal_password
    from app.store.postgres_journal import schema_version, upgrade

    site: Site | None = None
    if site_file:
        try:
            site = load_site(site_file, discover())
        except SiteError as exc:
            out += [f"cannot open the site file {site_file}:", *(f"  - {p}" for p in exc.problems)]
            return 1
    if site is None and not journal:
        out.append("say which journal: --journal URL, or --site FILE whose [journal] names it")
        return 1
    try:
        if site is not None:
            where = journal_location(site, journal, Path("journal.sqlite"))
            password = journal_password(site)
        else:
            from app.core.journal_url import parse_journal_url

            where, password = parse_journal_url(str(journal)), None
    except (JournalUrlError, SecretMissing) as exc:
        out.append(f"cannot upgrade: {exc}")
        return 1
    if where.path is not None:
        try:
            Journal(where.path).close()
        except Exception as exc:
            out.append(f"the journal {where.path} cannot be opened: {exc}")
            return 1
        out.append(f"journal {where.path}: schema {SCHEMA_VERSION}, up to date")
        return 0
    try:
        with connect(where, password, "db upgrade") as conn:
            before = schema_version(conn)
            conn.rollback()
            if before is not None and before > schema.LATEST:
                out.append(f"journal {where}: schema {before} is newer than this console's "
                           f"({schema.LATEST}): update the console, not the database")
                return 1
            applied = upgrade(conn)
    except psycopg.Error as exc:
        out.append(f"journal {where}: cannot upgrade: {explain(exc, where)}")
        return 1
    if applied:
        was = "no journal" if before is None else f"schema {before}"
        out.append(f"journal {where}: {was} -> schema {schema.LATEST} "
                   f"(applied migration {', '.join(map(str, applied))})")
    else:
        out.append(f"journal {where}: schema {schema.LATEST}, up to date")
    return 0


def cmd_grant_seat(site_file: str | None, journal: str | None, role: str,
                   out: list[str]) -> int:
    """Give a seat's database role what a seat needs, and nothing else. Run it as the
    owner of the journal's tables (the service's role)."""
    import psycopg

    from app.store.connection import connect, explain
    from app.store.grants import BadRole, seat_grants

    try:
        statements = seat_grants(role)
    except BadRole as exc:
        out.append(str(exc))
        return 1
    where, password, problem = _room_journal(site_file, journal)
    if where is None:
        out.append(problem)
        return 1
    try:
        with connect(where, password, "db grant-seat") as conn:
            for statement in statements:
                conn.execute(statement)
            conn.commit()
    except psycopg.Error as exc:
        out.append(f"journal {where}: cannot grant: {explain(exc, where)}")
        return 1
    out.append(f"journal {where}: the role {role!r} may now read what a seat shows and write "
               "its commands and its presence; nothing else (the access log, accounts, "
               "sessions, holds and register are out of its reach)")
    return 0


def _room_journal(site_file: str | None, journal: str | None
                  ) -> tuple[JournalLocation | None, str | None, str]:
    """(where, password, "") of a room's PostgreSQL journal, or (None, None, why not)."""
    from app.core.journal_url import parse_journal_url
    from app.core.registry import discover
    from app.store.opening import journal_password

    try:
        if site_file:
            site = load_site(site_file, discover())
            if site.journal is None:
                return None, None, f"{site_file} names no room journal ([journal] url)"
            where = site.journal.location(Path(site_file).parent)
            password = journal_password(site)
        elif journal:
            where, password = parse_journal_url(journal), None
        else:
            return None, None, "say which journal: --journal URL, or --site FILE"
    except SiteError as exc:
        return None, None, "\n".join([f"cannot open the site file {site_file}:",
                                       *(f"  - {p}" for p in exc.problems)])
    except (JournalUrlError, SecretMissing) as exc:
        return None, None, f"cannot grant: {exc}"
    if not where.shared:
        return None, None, f"{where.url} is one console's own file: only a room's " \
                           "PostgreSQL journal has seats"
    return where, password, ""

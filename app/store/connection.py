"""Connecting to a room's PostgreSQL journal, and its failures in plain words.

Every connection: UTC session time zone (times are UTC in storage and come back so), TCP
keepalives (a cable pulled is noticed in seconds, not hours), a connect timeout, TLS when
the server offers it (libpq's `sslmode=prefer` unless the URL says more), and an
application name that says which part of the console it is (pg_stat_activity).
"""

from __future__ import annotations

import psycopg

from app.core.journal_url import JournalLocation

CONNECT_TIMEOUT_S = 5


class JournalCannotReach(Exception):
    """The room's database cannot be used at all (at start): plain words, what to do."""


def connect(where: JournalLocation, password: str | None, purpose: str,
            autocommit: bool = False) -> psycopg.Connection:
    """A new connection to the journal's database (psycopg.OperationalError on failure)."""
    return psycopg.connect(
        where.url, password=password or None, autocommit=autocommit,
        connect_timeout=CONNECT_TIMEOUT_S, application_name=f"csu-console {purpose}"[:63],
        keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=3,
        options="-c timezone=UTC -c statement_timeout=30000")


class JournalUnreachable(JournalCannotReach):
    """The database server does not answer now (down, restarting, the network): a seat
    may start anyway and attach when it answers; a wrong password or schema may not."""


def unreachable(exc: BaseException) -> bool:
    """The server did not answer at all (as opposed to answering no)."""
    low = str(exc).lower()
    return any(k in low for k in ("connection refused", "timeout", "timed out",
                                  "could not translate host name", "name or service not known",
                                  "no route to host", "network is unreachable",
                                  "the database system is starting up",
                                  "the database system is shutting down"))


def explain(exc: BaseException, where: JournalLocation) -> str:
    """A PostgreSQL or connection error in words an operator or installer can act on."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = str(exc).lower()
    server = where.host
    if "password authentication failed" in low or "no password supplied" in low:
        return (f"the database server {server} refused the password of user "
                f"{where.user!r} (check the keyring secret the site file names)")
    if "does not exist" in low and "database" in low:
        return f"the database {where.database!r} does not exist on {server}"
    if "connection refused" in low:
        return f"the database server {server} does not answer (connection refused)"
    if "timeout" in low or "timed out" in low:
        return f"the database server {server} does not answer (timed out)"
    if "could not translate host name" in low or "name or service not known" in low:
        return f"the database server's name {server!r} is unknown to this workstation"
    if "no pg_hba.conf entry" in low:
        return (f"the database server {server} does not let this workstation or user in "
                "(pg_hba.conf)")
    if "ssl" in low and ("required" in low or "not support" in low):
        return f"the database server {server} and this console disagree on TLS ({text})"
    if "terminating connection" in low or "server closed the connection" in low \
            or "connection is closed" in low or "connection is lost" in low \
            or "consuming input failed" in low or "the connection is lost" in low:
        return f"the connection to the database server {server} was lost"
    if "no space left" in low or "disk full" in low:
        return f"the database server {server} has no disk space left"
    if "read-only" in low:
        return f"the database on {server} is read-only (a standby?)"
    return f"the database server {server} failed ({text})"

"""What a seat's own database role may do in a room's journal: read what it shows, write
its commands and its presence, nothing else (never trust the seat).

A seat connects with a role of its own (made by the database's administrator, e.g.
`CREATE ROLE csu_seat LOGIN PASSWORD '…'`), not the service's, which owns the tables.
`csu-console db grant-seat ROLE` gives that role exactly this; the access log, the accounts,
the sessions, the holds and the register stay out of its reach, and a seat may write only
seats' rows of the seats list (row-level security: it cannot pose as the service, whose
row carries the key seats seal their sign-ins to).
"""

from __future__ import annotations

import re

from psycopg import sql

SEAT_READS = ("csu_schema", "alarms", "events", "seats", "commands")
SEAT_ROWS_POLICY = """
ALTER TABLE seats ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS seats_everyone_reads ON seats;
CREATE POLICY seats_everyone_reads ON seats FOR SELECT USING (true);
DROP POLICY IF EXISTS seats_write_seats ON seats;
CREATE POLICY seats_write_seats ON seats FOR ALL USING (role = 'seat') WITH CHECK (role = 'seat');
"""
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class BadRole(ValueError):
    """Not a role name this command accepts: plain words."""


def seat_grants(role: str) -> list[sql.Composed | sql.SQL]:
    """The statements, in order (the owner of the tables runs them; run again, same end)."""
    if not _ROLE.match(role):
        raise BadRole(f"{role!r} is not a database role name: lower-case letters, digits "
                      "and '_', starting with a letter")
    who = sql.Identifier(role)
    tables = sql.SQL(", ").join(sql.Identifier(t) for t in SEAT_READS)
    return [
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(who),
        sql.SQL("GRANT SELECT ON {} TO {}").format(tables, who),
        sql.SQL("GRANT INSERT ON commands TO {}").format(who),
        sql.SQL("GRANT INSERT, UPDATE, DELETE ON seats TO {}").format(who),
        *(sql.SQL(s.strip()) for s in SEAT_ROWS_POLICY.split(";") if s.strip()),
    ]

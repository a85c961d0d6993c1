"""The PostgreSQL journal's schema, as versioned migrations (the same idea as Alembic, kept
small): each step is one script, applied in one transaction with the version it brings, so
an interrupted upgrade leaves the previous version intact. `csu-console db upgrade` applies
what is missing; a service or a seat refuses a journal older or newer than it knows, saying
which command fixes it.

Feed order: `feed` numbers every row a seat must learn about (alarm changes, events). Each
transaction that takes feed numbers first takes the transaction lock FEED_LOCK, so feed
numbers become visible in the order they were taken: a seat reading "rows after N" never
skips a row that commits late.
"""

from __future__ import annotations

FEED_LOCK = 0x43535546  # "CSUF": serialises the writers of the feed (pg_advisory_xact_lock)
SERVICE_LOCK = 0x43535553  # "CSUS": held by the one service of a room (pg_try_advisory_lock)
FEED_CHANNEL = "csu_feed"  # NOTIFY payload: the newest feed number committed
COMMANDS_CHANNEL = "csu_commands"  # NOTIFY payload: a command's id (seat -> service)
DONE_CHANNEL = "csu_done"  # NOTIFY payload: the last id of the commands settled together

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "the journal: events, alarms, audit; the feed; seats and their commands", """
CREATE SEQUENCE feed;
CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    ts TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL
);
CREATE INDEX events_ts ON events (ts);
CREATE INDEX events_latest ON events (kind, subject, id);
CREATE TABLE alarms (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    state TEXT NOT NULL,
    raised_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    revision INTEGER NOT NULL,
    feed BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX alarms_key ON alarms (source, source_id);
CREATE INDEX alarms_feed ON alarms (feed);
CREATE UNIQUE INDEX alarms_one_open_per_key ON alarms (source, source_id)
    WHERE state <> 'closed';
CREATE TABLE audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ts TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE seats (
    seat_id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    workstation TEXT NOT NULL,
    user_name TEXT NOT NULL,
    since TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL
);
CREATE TABLE commands (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    seat_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    done TIMESTAMPTZ,
    error TEXT,
    result TEXT
);
CREATE INDEX commands_waiting ON commands (id) WHERE done IS NULL;
"""),
    (2, "users; the access log's fields (CSI R241-14, R241-5) and hash chain; append-only",
     """
ALTER TABLE audit
    ADD COLUMN user_name TEXT NOT NULL DEFAULT '',
    ADD COLUMN role TEXT NOT NULL DEFAULT '',
    ADD COLUMN workstation TEXT NOT NULL DEFAULT '',
    ADD COLUMN purpose TEXT NOT NULL DEFAULT '',
    ADD COLUMN recipients TEXT NOT NULL DEFAULT '[]',
    ADD COLUMN cameras TEXT NOT NULL DEFAULT '[]',
    ADD COLUMN range_start TIMESTAMPTZ,
    ADD COLUMN range_end TIMESTAMPTZ,
    ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '',
    ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_ts ON audit (ts);
CREATE TABLE users (
    login TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    communes TEXT NOT NULL,
    source TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
-- Append-only for real: changing or removing a row of the access log is refused, except
-- inside the three-year purge's own transaction (SET LOCAL csu.purging = 'on').
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('csu.purging', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the access log is append-only';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"""),
    (3, "judicial holds and the register of purges; the seats' sign-in sessions",
     """
CREATE TABLE holds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placed TIMESTAMPTZ NOT NULL,
    placed_by TEXT NOT NULL,
    reference TEXT NOT NULL,
    range_start TIMESTAMPTZ,
    range_end TIMESTAMPTZ,
    cameras TEXT NOT NULL DEFAULT '[]',
    incident TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    lifted TIMESTAMPTZ,
    lifted_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE register (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ts TIMESTAMPTZ NOT NULL,
    rule TEXT NOT NULL,
    what TEXT NOT NULL,
    destroyed BIGINT NOT NULL,
    range_start TIMESTAMPTZ,
    range_end TIMESTAMPTZ,
    detail TEXT NOT NULL DEFAULT ''
);
ALTER TABLE seats ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
-- the seats' sign-in sessions, kept by the service so that they outlive its restart; the
-- session secret is sealed with the service's own key (app.services.room_auth)
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    seat_id TEXT NOT NULL,
    login TEXT NOT NULL,
    user_body TEXT NOT NULL,
    workstation TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    locked BOOLEAN NOT NULL DEFAULT false,
    started TIMESTAMPTZ NOT NULL,
    ended TIMESTAMPTZ
);
"""),
    (4, "replay: the recording index (segments, gaps, the recorder's runs:"
        " app.core.journal_recordings), incidents and their bookmarks", """
CREATE TABLE segments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    camera TEXT NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ NOT NULL,
    path TEXT NOT NULL UNIQUE,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage TEXT NOT NULL DEFAULT '',
    partial BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX segments_camera ON segments (camera, start_ts);
CREATE INDEX segments_age ON segments (storage, start_ts);
CREATE TABLE gaps (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    camera TEXT NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX gaps_camera ON gaps (camera, start_ts);
CREATE TABLE recording_runs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    camera TEXT NOT NULL,
    folder TEXT NOT NULL,
    storage TEXT NOT NULL,
    started TIMESTAMPTZ NOT NULL,
    anchor TIMESTAMPTZ,
    ended TIMESTAMPTZ
);

CREATE TABLE incidents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title TEXT NOT NULL,
    note TEXT NOT NULL,
    range_start TIMESTAMPTZ NOT NULL,
    range_end TIMESTAMPTZ NOT NULL,
    cameras TEXT NOT NULL,
    officers TEXT NOT NULL,
    alarm_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created TIMESTAMPTZ
);
CREATE TABLE bookmarks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    at TIMESTAMPTZ NOT NULL,
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created TIMESTAMPTZ
);
CREATE INDEX bookmarks_incident ON bookmarks (incident_id, at);
"""),
)
AUDIT_LOCK = 0x43535541  # "CSUA": serialises the access log's writers (its hash chain)

LATEST = MIGRATIONS[-1][0]

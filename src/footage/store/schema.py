"""The index schema as numbered migrations. ``PRAGMA user_version`` holds the applied number.

Add a migration by appending to ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

from footage.errors import StoreError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]

MIGRATIONS: tuple[str, ...] = (
    # 1: cameras, recordings, tracks
    """
    CREATE TABLE cameras (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_utc_us INTEGER NOT NULL
    );
    CREATE TABLE recordings (
        id INTEGER PRIMARY KEY,
        camera_id INTEGER NOT NULL REFERENCES cameras(id),
        path TEXT NOT NULL UNIQUE,
        content_hash TEXT,
        size_bytes INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        duration_s REAL,
        width INTEGER,
        height INTEGER,
        codec TEXT,
        time_base_num INTEGER,
        time_base_den INTEGER,
        frame_rate TEXT,
        start_utc_us INTEGER,
        start_pts INTEGER,
        clock_source TEXT,
        status TEXT NOT NULL CHECK (status IN ('indexing', 'done', 'damaged', 'failed', 'interrupted')),
        error TEXT,
        indexed_s REAL NOT NULL DEFAULT 0,
        settings TEXT,
        updated_utc_us INTEGER NOT NULL
    );
    CREATE INDEX recordings_by_hash ON recordings(content_hash);
    CREATE INDEX recordings_by_camera_start ON recordings(camera_id, start_utc_us);
    CREATE TABLE tracks (
        id INTEGER PRIMARY KEY,
        recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
        camera_id INTEGER NOT NULL REFERENCES cameras(id),
        local_id INTEGER NOT NULL,
        label TEXT NOT NULL,
        first_pts INTEGER NOT NULL,
        last_pts INTEGER NOT NULL,
        first_utc_us INTEGER NOT NULL,
        last_utc_us INTEGER NOT NULL,
        confidence REAL NOT NULL,
        box_count INTEGER NOT NULL,
        boxes BLOB NOT NULL,
        thumbnail TEXT,
        UNIQUE (recording_id, local_id)
    );
    CREATE INDEX tracks_by_camera_time ON tracks(camera_id, first_utc_us);
    CREATE INDEX tracks_by_label_time ON tracks(label, first_utc_us);
    """,
    # 2: moments and the events they are made of
    """
    ALTER TABLE recordings ADD COLUMN first_s REAL;
    CREATE TABLE moments (
        id INTEGER PRIMARY KEY,
        recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
        camera_id INTEGER NOT NULL REFERENCES cameras(id),
        kind TEXT NOT NULL,
        start_s REAL NOT NULL,
        end_s REAL NOT NULL,
        start_utc_us INTEGER NOT NULL,
        end_utc_us INTEGER NOT NULL,
        people INTEGER NOT NULL,
        tracks TEXT NOT NULL,
        description TEXT NOT NULL,
        keyframe TEXT,
        score REAL NOT NULL DEFAULT 0
    );
    CREATE INDEX moments_by_camera_time ON moments(camera_id, start_utc_us);
    CREATE INDEX moments_by_recording ON moments(recording_id);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        moment_id INTEGER NOT NULL REFERENCES moments(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        start_s REAL NOT NULL,
        end_s REAL NOT NULL,
        subjects TEXT NOT NULL,
        facts TEXT NOT NULL
    );
    CREATE INDEX events_by_kind ON events(kind, moment_id);
    CREATE INDEX events_by_moment ON events(moment_id);
    """,
    # 3: what search reads: each moment's labels, event lengths and the labels of everything in
    # view meanwhile, a full-text index of the descriptions, and embeddings from an optional model
    """
    ALTER TABLE moments ADD COLUMN labels TEXT NOT NULL DEFAULT '';
    ALTER TABLE moments ADD COLUMN spans TEXT NOT NULL DEFAULT '';
    ALTER TABLE moments ADD COLUMN seen TEXT NOT NULL DEFAULT '';
    UPDATE moments SET
        seen = COALESCE((SELECT group_concat(DISTINCT t.label) FROM tracks t WHERE t.recording_id = moments.recording_id
                         AND t.first_utc_us <= moments.end_utc_us AND t.last_utc_us >= moments.start_utc_us), ''),
        labels = COALESCE((SELECT group_concat(t.label, ',') FROM json_each(moments.tracks) j
                           JOIN tracks t ON t.id = j.value), ''),
        spans = COALESCE((SELECT group_concat(kind || ':' || longest, ',') FROM
                          (SELECT kind, round(max(end_s - start_s), 2) AS longest FROM events e
                           WHERE e.moment_id = moments.id GROUP BY kind)), '');
    CREATE VIRTUAL TABLE moments_text USING fts5(description, content='moments', content_rowid='id',
                                                 tokenize='porter unicode61');
    INSERT INTO moments_text(moments_text) VALUES ('rebuild');
    CREATE TRIGGER moments_text_insert AFTER INSERT ON moments BEGIN
        INSERT INTO moments_text(rowid, description) VALUES (new.id, new.description);
    END;
    CREATE TRIGGER moments_text_delete AFTER DELETE ON moments BEGIN
        INSERT INTO moments_text(moments_text, rowid, description) VALUES ('delete', old.id, old.description);
    END;
    CREATE TRIGGER moments_text_update AFTER UPDATE OF description ON moments BEGIN
        INSERT INTO moments_text(moments_text, rowid, description) VALUES ('delete', old.id, old.description);
        INSERT INTO moments_text(rowid, description) VALUES (new.id, new.description);
    END;
    CREATE TABLE embeddings (
        moment_id INTEGER NOT NULL REFERENCES moments(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('text', 'image')),
        vector BLOB NOT NULL,
        PRIMARY KEY (moment_id, model, source)
    );
    CREATE INDEX moments_by_score ON moments(score);
    """,
    # 4: share links of the review app (a redacted copy of a moment in a folder beside the index,
    # served without login to whoever has the token until it expires or is revoked), and each
    # moment's key time, so the review pages can place things over its key frame
    """
    ALTER TABLE moments ADD COLUMN key_s REAL;
    CREATE TABLE shares (
        token TEXT PRIMARY KEY,
        moment_id INTEGER NOT NULL REFERENCES moments(id) ON DELETE CASCADE,
        folder TEXT NOT NULL,
        created_utc_us INTEGER NOT NULL,
        expires_utc_us INTEGER NOT NULL,
        revoked_utc_us INTEGER,
        keep TEXT NOT NULL DEFAULT '[]',
        redact TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX shares_by_moment ON shares(moment_id);
    CREATE INDEX shares_by_created ON shares(created_utc_us);
    """,
    # 5: live cameras: the owner's star and the time a moment was last exported or shared (both keep
    # its recording from retention), gaps in a camera's recording, and each live camera's state
    """
    ALTER TABLE moments ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE moments ADD COLUMN exported_utc_us INTEGER;
    CREATE TABLE gaps (
        id INTEGER PRIMARY KEY,
        camera_id INTEGER NOT NULL REFERENCES cameras(id),
        start_utc_us INTEGER NOT NULL,
        end_utc_us INTEGER,
        reason TEXT NOT NULL
    );
    CREATE INDEX gaps_by_camera_start ON gaps(camera_id, start_utc_us);
    CREATE TABLE live_status (
        camera_id INTEGER PRIMARY KEY REFERENCES cameras(id),
        state TEXT NOT NULL CHECK (state IN ('starting', 'recording', 'reconnecting', 'failed', 'stopped')),
        detail TEXT NOT NULL DEFAULT '',
        since_utc_us INTEGER NOT NULL,
        updated_utc_us INTEGER NOT NULL,
        last_segment_utc_us INTEGER
    );
    """,
    # 6: scores kept up to date without rescoring a camera's history: each moment's score before
    # rarity (the weights below are those of footage.events.score when this shipped; later ones
    # reach old moments with `footage events --rebuild`), and the moments of visible recordings
    # counted by camera and headline kind with the rarity those counts give (footage.events.score.rarity),
    # kept by triggers in the transaction that changes them: each change rewrites the rarity of the
    # camera's few kinds, never its moments. Deleting a recording deletes its moments first, while it
    # still counts as visible.
    """
    CREATE TEMP TABLE weights_at_6 (kind TEXT PRIMARY KEY, weight REAL NOT NULL);
    INSERT INTO weights_at_6 VALUES ('handed_over', 3.0), ('played_catch', 3.0), ('adult_with_child', 2.5),
        ('left_vehicle', 2.0), ('entered_vehicle', 2.0), ('vehicle_stopped_near_person', 2.0), ('together', 2.0),
        ('approached', 1.5), ('sat_or_crouched', 1.5), ('lingered', 1.0), ('vehicle_stopped', 1.0),
        ('vehicle_departed', 0.5), ('appeared', 0.0), ('left', 0.0);
    DROP INDEX moments_by_score;
    ALTER TABLE moments DROP COLUMN score;
    ALTER TABLE moments ADD COLUMN base_score REAL NOT NULL DEFAULT 0;
    UPDATE moments SET base_score =
        COALESCE((SELECT max(w.weight) FROM events e JOIN weights_at_6 w ON w.kind = e.kind WHERE e.moment_id = moments.id),
                 (SELECT w.weight FROM weights_at_6 w WHERE w.kind = moments.kind), 0.0)
        + log2(1 + (end_s - start_s) / 60.0) + 0.5 * max(0, people - 1);
    DROP TABLE weights_at_6;
    CREATE TABLE moment_counts (
        camera_id INTEGER NOT NULL REFERENCES cameras(id),
        kind TEXT NOT NULL,
        moments INTEGER NOT NULL,
        rarity REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (camera_id, kind)
    ) WITHOUT ROWID;
    INSERT INTO moment_counts (camera_id, kind, moments)
        SELECT m.camera_id, m.kind, COUNT(*) FROM moments m JOIN recordings r ON r.id = m.recording_id
        WHERE r.status IN ('done', 'damaged') GROUP BY m.camera_id, m.kind;
    UPDATE moment_counts SET rarity = log2(
        (1.0 + (SELECT SUM(t.moments) FROM moment_counts t WHERE t.camera_id = moment_counts.camera_id)) / (moments + 1.0));
    CREATE TRIGGER moment_counts_insert AFTER INSERT ON moments
    WHEN (SELECT status FROM recordings WHERE id = new.recording_id) IN ('done', 'damaged') BEGIN
        INSERT INTO moment_counts (camera_id, kind, moments) VALUES (new.camera_id, new.kind, 1)
            ON CONFLICT (camera_id, kind) DO UPDATE SET moments = moments + 1;
        UPDATE moment_counts SET rarity = log2(
            (1.0 + (SELECT SUM(t.moments) FROM moment_counts t WHERE t.camera_id = new.camera_id)) / (moments + 1.0))
            WHERE camera_id = new.camera_id;
    END;
    CREATE TRIGGER moment_counts_delete AFTER DELETE ON moments
    WHEN (SELECT status FROM recordings WHERE id = old.recording_id) IN ('done', 'damaged') BEGIN
        UPDATE moment_counts SET moments = moments - 1 WHERE camera_id = old.camera_id AND kind = old.kind;
        UPDATE moment_counts SET rarity = log2(
            (1.0 + (SELECT SUM(t.moments) FROM moment_counts t WHERE t.camera_id = old.camera_id)) / (moments + 1.0))
            WHERE camera_id = old.camera_id;
    END;
    CREATE TRIGGER moment_counts_visibility AFTER UPDATE OF status ON recordings
    WHEN (old.status IN ('done', 'damaged')) <> (new.status IN ('done', 'damaged')) BEGIN
        INSERT INTO moment_counts (camera_id, kind, moments)
            SELECT camera_id, kind, CASE WHEN new.status IN ('done', 'damaged') THEN COUNT(*) ELSE -COUNT(*) END
            FROM moments WHERE recording_id = new.id GROUP BY camera_id, kind
            ON CONFLICT (camera_id, kind) DO UPDATE SET moments = moments + excluded.moments;
        UPDATE moment_counts SET rarity = log2(
            (1.0 + (SELECT SUM(t.moments) FROM moment_counts t WHERE t.camera_id = moment_counts.camera_id)) / (moments + 1.0))
            WHERE camera_id IN (SELECT DISTINCT camera_id FROM moments WHERE recording_id = new.id);
    END;
    CREATE TRIGGER recording_moments_first BEFORE DELETE ON recordings BEGIN
        DELETE FROM moments WHERE recording_id = old.id;
    END;
    """,
    # 7: a camera as one timeline: the piece of the same object in the previous recording of a
    # stretch (unset when that recording is deleted), where each recording ends on the wall clock,
    # moments still going on at the end of a live camera's last segment, and counts that follow a
    # moment whose headline kind changes as it grows
    """
    ALTER TABLE tracks ADD COLUMN previous_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL;
    CREATE INDEX tracks_by_previous ON tracks(previous_id);
    CREATE INDEX tracks_by_camera_last ON tracks(camera_id, last_utc_us);
    ALTER TABLE recordings ADD COLUMN end_utc_us INTEGER;
    UPDATE recordings SET end_utc_us = start_utc_us
        + CAST(1000000 * MAX(COALESCE(duration_s, 0), COALESCE(indexed_s, 0)) AS INTEGER) WHERE start_utc_us IS NOT NULL;
    CREATE INDEX recordings_by_camera_end ON recordings(camera_id, end_utc_us);
    ALTER TABLE moments ADD COLUMN ongoing INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX moments_by_camera_end ON moments(camera_id, end_utc_us);
    CREATE TRIGGER moment_counts_rekind AFTER UPDATE OF kind ON moments
    WHEN old.kind <> new.kind AND (SELECT status FROM recordings WHERE id = new.recording_id) IN ('done', 'damaged') BEGIN
        UPDATE moment_counts SET moments = moments - 1 WHERE camera_id = old.camera_id AND kind = old.kind;
        INSERT INTO moment_counts (camera_id, kind, moments) VALUES (new.camera_id, new.kind, 1)
            ON CONFLICT (camera_id, kind) DO UPDATE SET moments = moments + 1;
        UPDATE moment_counts SET rarity = log2(
            (1.0 + (SELECT SUM(t.moments) FROM moment_counts t WHERE t.camera_id = new.camera_id)) / (moments + 1.0))
            WHERE camera_id = new.camera_id;
    END;
    """,
    # 8: an event's key time (media seconds of its moment's recording, as start_s) and the tracks
    # of its subjects (every piece), so a moment continued past the part found again keeps its
    # earlier events whole and knows who they were about
    """
    ALTER TABLE events ADD COLUMN key_s REAL;
    ALTER TABLE events ADD COLUMN tracks TEXT;
    """,
    # 9: people: what each person wore, the poses looked at (POSE_DTYPE), and their posture over time
    """
    ALTER TABLE tracks ADD COLUMN upper_colour TEXT;
    ALTER TABLE tracks ADD COLUMN lower_colour TEXT;
    ALTER TABLE tracks ADD COLUMN poses BLOB;
    CREATE TABLE postures (
        id INTEGER PRIMARY KEY,
        track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
        posture TEXT NOT NULL,
        start_pts INTEGER NOT NULL,
        end_pts INTEGER NOT NULL,
        start_utc_us INTEGER NOT NULL,
        end_utc_us INTEGER NOT NULL,
        confidence REAL NOT NULL
    );
    CREATE INDEX postures_by_posture ON postures(posture, start_utc_us);
    CREATE INDEX postures_by_track ON postures(track_id);
    """,
    # 10: people's gestures (footage.people.gestures.GESTURES), each with the other person it was
    # made to or with (their local id in the same recording; NULL: no one)
    """
    CREATE TABLE gestures (
        id INTEGER PRIMARY KEY,
        track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        start_pts INTEGER NOT NULL,
        end_pts INTEGER NOT NULL,
        start_utc_us INTEGER NOT NULL,
        end_utc_us INTEGER NOT NULL,
        confidence REAL NOT NULL,
        other_local_id INTEGER
    );
    CREATE INDEX gestures_by_kind ON gestures(kind, start_utc_us);
    CREATE INDEX gestures_by_track ON gestures(track_id);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`; returns the version found before.
    Refuses an index written by a newer footage."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise StoreError(f"index schema {found} is newer than this footage understands ({SCHEMA_VERSION}); upgrade footage")
    for number in range(found, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise
    return found


def _statements(script: str) -> list[str]:
    """Split a migration into whole statements (a trigger's body holds semicolons of its own)."""
    statements: list[str] = []
    pending = ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    return statements

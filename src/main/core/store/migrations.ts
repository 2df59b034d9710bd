// Numbered, forward-only schema steps. Each runs inside the one migration transaction and the
// version lands in `user_version` in that same transaction, so a crash leaves the old schema or
// the new one, never half of it. A shipped step is never edited: add a new one.
import { sql, type Db } from './db.ts';

export interface Migration {
  readonly version: number;
  readonly summary: string;
  readonly up: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    summary: 'event log, devices and local metadata',
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE devices (
          id          TEXT PRIMARY KEY,
          public_key  BLOB NOT NULL,
          fingerprint TEXT NOT NULL,
          first_seen  TEXT NOT NULL,
          is_self     INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)),
          -- The last seq and hash recorded for the device: lets verify notice a truncated tail,
          -- which a chain walk alone cannot see.
          head_seq    INTEGER NOT NULL DEFAULT 0,
          head_hash   BLOB
        ) STRICT;

        CREATE TABLE events (
          id          TEXT PRIMARY KEY,
          device      TEXT NOT NULL REFERENCES devices (id),
          seq         INTEGER NOT NULL CHECK (seq >= 1),
          hlc         TEXT NOT NULL,
          type        TEXT NOT NULL,
          entity_kind TEXT NOT NULL,
          entity_id   TEXT NOT NULL,
          release     TEXT,
          actor       TEXT NOT NULL,
          v           INTEGER NOT NULL,
          -- Canonical JSON of the envelope without hash and sig: exactly the bytes hashed.
          body        TEXT NOT NULL,
          hash        BLOB NOT NULL,
          sig         BLOB NOT NULL,
          origin      TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
          -- Why this version does not fold the event (newer envelope or unknown type); NULL when folded.
          deferred    TEXT,
          UNIQUE (device, seq)
        ) STRICT;

        CREATE INDEX events_entity ON events (entity_kind, entity_id, hlc, seq);
      `);
    },
  },
  {
    version: 2,
    summary: 'entity projections, per-release counts and timeline indexes',
    up(db) {
      db.exec(`
        CREATE TABLE entities (
          kind  TEXT NOT NULL,
          id    TEXT NOT NULL,
          state TEXT NOT NULL,
          PRIMARY KEY (kind, id)
        ) STRICT, WITHOUT ROWID;

        -- A live count over a million rows costs ~100 ms; this one is kept in the append transaction.
        CREATE TABLE release_counts (
          release TEXT PRIMARY KEY,
          events  INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;

        -- Keyset paging of a release's timeline, newest first, optionally by type or actor.
        CREATE INDEX events_release       ON events (release, hlc, seq)        WHERE release IS NOT NULL;
        CREATE INDEX events_release_type  ON events (release, type, hlc, seq)  WHERE release IS NOT NULL;
        CREATE INDEX events_release_actor ON events (release, actor, hlc, seq) WHERE release IS NOT NULL;

        INSERT INTO release_counts (release, events)
          SELECT release, count(*) FROM events WHERE release IS NOT NULL GROUP BY release;
      `);
      // Projections did not exist before: the store folds them on open.
      db.run(sql`INSERT INTO meta (key, value) VALUES ('projection_key', '') ON CONFLICT (key) DO UPDATE SET value = ''`);
    },
  },
  {
    version: 3,
    summary: 'metric series and samples (not events), feed offsets and sample-batch sync state',
    up(db) {
      db.exec(`
        -- One row per stored series: a panel query (key panel:<id>:<index>) or a rule (rule:<id>)
        -- of a release, with the source, the query text and the canonical label set.
        CREATE TABLE metric_series (
          id      INTEGER PRIMARY KEY,
          release TEXT NOT NULL,
          key     TEXT NOT NULL,
          source  TEXT NOT NULL,
          query   TEXT NOT NULL,
          labels  TEXT NOT NULL,
          UNIQUE (release, key, source, query, labels)
        ) STRICT;

        -- Samples: v NULL is NaN; ±Infinity is stored as such. device: who queried or read it.
        -- batch: this device's local publication counter (NULL for samples from other devices).
        CREATE TABLE metric_samples (
          series INTEGER NOT NULL REFERENCES metric_series (id),
          t      INTEGER NOT NULL,
          v      REAL,
          device TEXT NOT NULL,
          batch  INTEGER,
          PRIMARY KEY (series, t)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX metric_samples_batch ON metric_samples (batch) WHERE batch IS NOT NULL;

        -- How far each file feed has been read (byte offset, line number, CSV header).
        CREATE TABLE metric_feeds (
          path    TEXT PRIMARY KEY,
          offset  INTEGER NOT NULL,
          line_no INTEGER NOT NULL,
          header  TEXT,
          format  TEXT
        ) STRICT;

        -- Counters: the last local batch number, the last batch published to the shared folder.
        CREATE TABLE metric_state (
          name  TEXT PRIMARY KEY,
          value INTEGER NOT NULL
        ) STRICT;

        -- Other devices' sample batch files already taken in.
        CREATE TABLE metric_ingested (
          device TEXT NOT NULL,
          file   TEXT NOT NULL,
          at     INTEGER NOT NULL,
          PRIMARY KEY (device, file)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class FutureSchemaError extends Error {
  constructor(
    readonly path: string,
    readonly found: number,
  ) {
    super(
      `The database ${path} was written by a newer version of Release War Room (schema ${found}; this version knows up to ${SCHEMA_VERSION}). ` +
        'Update the app to open it. The file was not changed.',
    );
    this.name = 'FutureSchemaError';
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma<number>('user_version');
}

/** Runs every step above the database's version, up to `target`, in one transaction. */
export function migrate(db: Db, target = SCHEMA_VERSION): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) throw new FutureSchemaError(db.path, from);
  if (from >= target) return { from, to: from };
  db.write(() => {
    // Re-read under the write lock: another process may have migrated while we waited.
    const current = schemaVersion(db);
    for (const step of MIGRATIONS) {
      if (step.version <= current || step.version > target) continue;
      step.up(db);
    }
    // PRAGMA takes no bound parameters; `target` is an integer from this module, never input.
    db.pragma(`user_version = ${Math.trunc(target)}`);
  });
  return { from, to: target };
}

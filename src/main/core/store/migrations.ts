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

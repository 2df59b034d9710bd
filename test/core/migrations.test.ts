// Migrations: from an empty file and from every earlier version (with data), atomicity, a
// database from the future refused untouched, and the hot queries' plans.
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Db } from '../../src/main/core/store/db.ts';
import { KEY_FILE } from '../../src/main/core/store/identity.ts';
import { FutureSchemaError, migrate, MIGRATIONS, SCHEMA_VERSION } from '../../src/main/core/store/migrations.ts';
import { DB_FILE, openStore } from '../../src/main/core/store/index.ts';
import { timelineSql } from '../../src/main/core/store/timeline.ts';
import { releaseView } from '../../src/shared/events/views.ts';
import { open, openWithProfile, tempDir, tick } from './helpers.ts';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A realistic log written by the current code, to be replayed into an older schema. */
function sampleSource() {
  const store = openWithProfile();
  store.appendEvents([
    { type: 'release.created', entity: { kind: 'release', id: 'r1' }, data: { title: 'Payments 4.2' } },
    { type: 'note.added', entity: { kind: 'release', id: 'r1' }, data: { text: 'window agreed' } },
    tick('r1', 's1'),
    tick('r1', 's2'),
    tick('r1', 's1', false),
  ]);
  const digest = store.digest();
  const dir = store.dataDir;
  store.close();
  return { dir, digest };
}

/** Builds a database at `version` holding the source's devices, events and local metadata. */
function databaseAt(version: number, source: string): string {
  const dir = tempDir();
  const db = new Db(join(dir, DB_FILE));
  migrate(db, version);
  db.close();
  copyFileSync(join(source, KEY_FILE), join(dir, KEY_FILE));
  const raw = new Database(join(dir, DB_FILE));
  raw.exec(`ATTACH '${join(source, DB_FILE)}' AS src`);
  raw.exec(`INSERT INTO devices SELECT * FROM src.devices`);
  // Every version so far keeps the events table's columns; copy them by name.
  raw.exec(`INSERT INTO events SELECT * FROM src.events`);
  raw.exec(`INSERT INTO meta SELECT * FROM src.meta WHERE key IN ('person_id', 'clock')`);
  raw.exec('DETACH src');
  raw.close();
  return dir;
}

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('build the current schema from an empty file', () => {
    const store = open();
    expect(store.migrated).toMatchObject({ from: 0, to: SCHEMA_VERSION });
    expect(store.settings().schema).toBe(SCHEMA_VERSION);
    store.close();
    const again = open({ dataDir: store.dataDir });
    expect(again.migrated).toMatchObject({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, quickChecked: true });
  });

  for (let version = 1; version < SCHEMA_VERSION; version++) {
    it(`upgrade a database at version ${version} with data, and the projections match`, () => {
      const source = sampleSource();
      const dir = databaseAt(version, source.dir);
      const store = open({ dataDir: dir });
      expect(store.migrated).toMatchObject({ from: version, to: SCHEMA_VERSION });
      expect(store.digest()).toBe(source.digest);
      expect(store.profile()?.name).toBe('Ada');
      expect(releaseView(store.entity('release', 'r1')!).title.value).toBe('Payments 4.2');
      expect(store.timeline({ release: 'r1' })).toMatchObject({ total: 5 });
      expect(store.verify().ok).toBe(true);
      // And it keeps working: the next append continues the chain.
      expect(store.appendEvents([tick('r1', 's3')])[0]!.seq).toBe(7);
    });
  }

  it('run in one transaction: a failing step leaves the old version and no half schema', () => {
    const dir = tempDir();
    const db = new Db(join(dir, DB_FILE));
    migrate(db, 1);
    // Something already named like a table version 2 creates: that step must fail as a whole.
    db.exec('CREATE TABLE release_counts (x)');
    db.close();
    expect(() => openStore({ dataDir: dir, log: () => {} })).toThrow(/release_counts/);
    const raw = new Database(join(dir, DB_FILE), { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'entities'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('refuse a database from a newer version with a clear message, without touching the file', () => {
    const dir = tempDir();
    openWithProfile({ dataDir: dir }).close();
    const raw = new Database(join(dir, DB_FILE));
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const before = { hash: sha(join(dir, DB_FILE)), files: readdirSync(dir).sort() };
    let error: unknown;
    try {
      openStore({ dataDir: dir, log: () => {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FutureSchemaError);
    expect((error as Error).message).toMatch(new RegExp(`newer version of Release War Room .*schema ${SCHEMA_VERSION + 5}.*Update the app.*not changed`));
    expect({ hash: sha(join(dir, DB_FILE)), files: readdirSync(dir).sort() }).toEqual(before);
  });
});

describe('query plans (EXPLAIN QUERY PLAN) of the hot queries', () => {
  const plan = (db: Database.Database, query: { text: string; params: readonly unknown[] }) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${query.text}`).all(...query.params) as { detail: string }[]).map((r) => r.detail).join(' | ');

  it('page timelines from an index, in index order, never sorting', () => {
    const store = openWithProfile();
    store.appendEvents([tick('r1', 's1')]);
    const cursor = store.timeline({ release: 'r1', limit: 1 }).items[0]!;
    store.close();
    const db = new Database(store.path, { readonly: true });
    try {
      const after = Buffer.from(JSON.stringify([cursor.hlc, cursor.seq])).toString('base64url');
      const cases: [Parameters<typeof timelineSql>[0], string][] = [
        [{ release: 'r1' }, 'events_release'],
        [{ release: 'r1', cursor: after }, 'events_release'],
        [{ release: 'r1', type: 'step.ticked', cursor: after }, 'events_release_type'],
        [{ release: 'r1', actor: 'p1', cursor: after }, 'events_release_actor'],
        [{ entity: { kind: 'step', id: 's1' }, cursor: after }, 'events_entity'],
      ];
      for (const [query, index] of cases) {
        const detail = plan(db, timelineSql(query));
        expect(detail, JSON.stringify(query)).toContain(`USING INDEX ${index}`);
        expect(detail, JSON.stringify(query)).not.toMatch(/TEMP B-TREE|SCAN events(?! USING)/);
      }
      expect(plan(db, { text: 'SELECT head_seq, head_hash FROM devices WHERE id = ?', params: ['x'] })).toMatch(/SEARCH devices USING INDEX/);
      expect(plan(db, { text: 'SELECT release, events FROM release_counts WHERE release = ?', params: ['r1'] })).toMatch(/SEARCH release_counts USING PRIMARY KEY/);
    } finally {
      db.close();
    }
  });
});

describe('quick_check on open', () => {
  it('runs on every open of a small database, and refuses a damaged file, leaving it as it is', () => {
    const dir = tempDir();
    const store = openWithProfile({ dataDir: dir });
    store.appendEvents(Array.from({ length: 400 }, (_, i) => tick('r1', `s${i}`)));
    store.close();
    expect(open({ dataDir: dir }).migrated.quickChecked).toBe(true);
    expect(open({ dataDir: dir, quickCheck: 'never' }).migrated.quickChecked).toBe(false);

    // Scribble over one b-tree page in the middle of the file (a torn write, a bad sector).
    const path = join(dir, DB_FILE);
    const raw = new Database(path);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const page = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'events_entity'").get() as { rootpage: number };
    raw.close();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, (page.rootpage - 1) * 4096 + 100, page.rootpage * 4096);
    writeFileSync(path, bytes);
    const before = sha(path);
    expect(() => openStore({ dataDir: dir, log: () => {} })).toThrow(/failed its integrity check [\s\S]*warroom restore/);
    expect(sha(path)).toBe(before);
  });
});

// Backup (SQLite online backup, while another connection writes) and restore (refuses to drop
// events unless forced, verifies before replacing, keeps the replaced file, re-keys if needed).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { restoreBackup, openStore } from '../../src/main/core/store/index.ts';
import { SCHEMA_VERSION } from '../../src/main/core/store/migrations.ts';
import { open, openWithProfile, tempDir, tick } from './helpers.ts';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function withStore<T>(dataDir: string, fn: (store: ReturnType<typeof openStore>) => T): T {
  const store = openStore({ dataDir, log: () => {} });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

describe('backup', () => {
  it('copies a consistent snapshot while another connection keeps appending', async () => {
    const app = openWithProfile();
    for (let i = 0; i < 30; i++) app.appendEvents(Array.from({ length: 100 }, (_, j) => tick('r1', `s${i}-${j}`)));
    const cli = open({ dataDir: app.dataDir });
    const file = join(tempDir(), 'nested', 'backup.db');
    let writing = true;
    let appended = 0;
    const writer = (async () => {
      while (writing) {
        app.appendEvents([tick('r1', `during-${appended}`)]);
        appended += 1;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const report = await cli.backup(file);
    writing = false;
    await writer;
    expect(report).toMatchObject({ file, schema: SCHEMA_VERSION });
    expect(report.events).toBeGreaterThanOrEqual(3001);
    // Several copy steps with writes between them: the copy restarted and still finished.
    expect(report.bytes).toBeGreaterThan(4 * 256 * 4096);
    expect(appended).toBeGreaterThan(1);
    // One self-contained file, in rollback-journal mode, that verifies on its own.
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    raw.close();
    const restored = tempDir();
    const result = await restoreBackup({ dataDir: restored, file });
    expect(result.verify.ok).toBe(true);
    expect(result.events).toBe(report.events);
  });

  it('refuses to overwrite an existing file', async () => {
    const store = openWithProfile();
    const file = join(tempDir(), 'b.db');
    await store.backup(file);
    await expect(store.backup(file)).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('restore', () => {
  it('into an empty data folder: same events, profile and projections; this machine gets its own device key', async () => {
    const source = openWithProfile();
    source.appendEvents([{ type: 'release.created', entity: { kind: 'release', id: 'r1' }, data: { title: 'R' } }, tick('r1', 's1')]);
    const file = join(tempDir(), 'b.db');
    await source.backup(file);
    const target = tempDir();
    const result = await restoreBackup({ dataDir: target, file });
    expect(result).toMatchObject({ previous: null, dropped: [], events: 3, devices: 1 });
    withStore(target, (store) => {
      expect(store.device().id).not.toBe(source.device().id);
      expect(store.profile()).toEqual(source.profile());
      expect(store.digest()).toBe(source.digest());
      expect(store.appendEvents([tick('r1', 's2')])[0]!.seq).toBe(1);
      expect(store.verify()).toMatchObject({ ok: true, events: 4 });
    });
  });

  it('of a backup as current as the database: no force needed, the device carries on', async () => {
    const store = openWithProfile();
    store.appendEvents([tick('r1', 's1')]);
    const file = join(tempDir(), 'b.db');
    await store.backup(file);
    const { dataDir } = store;
    const device = store.device().id;
    store.close();
    const result = await restoreBackup({ dataDir, file });
    expect(result).toMatchObject({ dropped: [], rekeyed: false });
    expect(existsSync(result.previous!)).toBe(true);
    withStore(dataDir, (s) => {
      expect(s.device().id).toBe(device);
      expect(s.appendEvents([tick('r1', 's2')])[0]!.seq).toBe(3);
      expect(s.verify().ok).toBe(true);
    });
  });

  it('refuses to replace a newer database unless forced; forced, it keeps the old file and re-keys', async () => {
    const store = openWithProfile();
    store.appendEvents([tick('r1', 's1')]);
    const file = join(tempDir(), 'b.db');
    await store.backup(file);
    store.appendEvents([tick('r1', 's2'), tick('r1', 's3')]);
    const { dataDir, path } = store;
    const device = store.device().id;
    store.close();
    const before = sha(path);

    await expect(restoreBackup({ dataDir, file })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(new RegExp(`newer than the backup.*device ${device} seq 3–4.*--force`)),
    });
    expect(sha(path)).toBe(before);

    const forced = await restoreBackup({ dataDir, file, force: true });
    expect(forced).toMatchObject({ dropped: [{ device, from: 3, to: 4 }], rekeyed: true });
    // The kept copy still holds the dropped events.
    const kept = new Database(forced.previous!, { readonly: true });
    expect(kept.prepare('SELECT max(seq) AS s FROM events').get()).toEqual({ s: 4 });
    kept.close();
    withStore(dataDir, (s) => {
      // Seqs 3 and 4 of the old device exist elsewhere: signing as it again would fork its chain.
      expect(s.device().id).not.toBe(device);
      expect(s.readEvents(device).map((e) => e.seq)).toEqual([1, 2]);
      expect(s.appendEvents([tick('r1', 's9')])[0]!.seq).toBe(1);
      expect(s.verify().ok).toBe(true);
    });
  });

  it('refuses a backup that does not verify, or comes from a newer version, and changes nothing', async () => {
    const store = openWithProfile();
    store.appendEvents([tick('r1', 's1')]);
    const file = join(tempDir(), 'b.db');
    await store.backup(file);
    const target = tempDir();

    const raw = new Database(file);
    raw.prepare("UPDATE events SET body = replace(body, 'Ada', 'Eve') WHERE seq = 1").run();
    raw.close();
    await expect(restoreBackup({ dataDir: target, file })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/does not verify/) });
    expect(existsSync(join(target, 'warroom.db'))).toBe(false);

    const future = new Database(file);
    future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    future.close();
    await expect(restoreBackup({ dataDir: target, file })).rejects.toThrow(/newer version/);
    await expect(restoreBackup({ dataDir: target, file: join(target, 'missing.db') })).rejects.toMatchObject({ code: 'not_found' });
  });
});

// `warroom init | verify | rebuild | backup | restore` through the real CLI program.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { tempDir } from './helpers.ts';
import { openStore } from '../../src/main/core/store/index.ts';
import { SCHEMA_VERSION } from '../../src/main/core/store/migrations.ts';

async function warroom(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

function seed(dataDir: string, ticks = 5): void {
  const store = openStore({ dataDir, log: () => {} });
  try {
    store.appendEvents(Array.from({ length: ticks }, (_, i) => ({ type: 'step.ticked', entity: { kind: 'step', id: `s${i}` }, data: { release: 'r1', done: true } })));
  } finally {
    store.close();
  }
}

describe('warroom store commands', () => {
  it('init sets the profile (and says so); other commands ask for init first', async () => {
    const dir = tempDir();
    const before = await warroom('verify', '--data-dir', dir);
    expect(before.code).toBe(1);
    expect(before.err).toMatch(/run `warroom init --name NAME --role ROLE` first/);

    const init = await warroom('init', '--name', 'Ada Lovelace', '--role', 'coordinator', '--data-dir', dir);
    expect(init).toMatchObject({ code: 0, err: '' });
    expect(init.out).toMatch(/^Profile created: Ada Lovelace \(coordinator\) on device [0-9a-f]{16}, key fingerprint [0-9a-f-]{24}, data in /);
    expect((await warroom('init', '--name', 'Ada Lovelace', '--role', 'coordinator', '--data-dir', dir)).out).toMatch(/^Profile unchanged/);
    expect((await warroom('--data-dir', dir, 'init', '--name', 'Ada', '--role', 'lead')).out).toMatch(/^Profile updated: Ada \(lead\)/);

    const bad = await warroom('init', '--name', 'X', '--role', 'boss', '--data-dir', dir);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Choose a role.*\(invalid_input, field: role\)/);
  });

  it('verify prints one line and exits 0 only when every chain holds', async () => {
    const dir = tempDir();
    await warroom('init', '--name', 'Ada', '--role', 'engineer', '--data-dir', dir);
    seed(dir);
    const ok = await warroom('verify', '--data-dir', dir);
    expect(ok).toEqual({ code: 0, out: 'verify: OK: 1 device, 6 events; every chain and signature holds, file intact.\n', err: '' });

    const raw = new Database(join(dir, 'warroom.db'));
    raw.prepare("UPDATE events SET body = replace(body, '\"done\":true', '\"done\":false') WHERE seq = 3").run();
    raw.close();
    const bad = await warroom('verify', '--data-dir', dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/^warroom: verify: FAILED: device [0-9a-f]{16} at seq 3: the hash does not match/);
    const json = await warroom('verify', '--json', '--data-dir', dir);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, firstFailure: { seq: 3 } });
  });

  it('rebuild reports the digest and that nothing changed', async () => {
    const dir = tempDir();
    await warroom('init', '--name', 'Ada', '--role', 'engineer', '--data-dir', dir);
    seed(dir);
    const r = await warroom('rebuild', '--data-dir', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rebuild: 6 events into 6 entities in \d+ ms; digest [0-9a-f]{16}, identical to before\n$/);
  });

  it('backup, then restore refuses a newer database unless --force', async () => {
    const dir = tempDir();
    const file = join(tempDir(), 'war-room.backup');
    await warroom('init', '--name', 'Ada', '--role', 'engineer', '--data-dir', dir);
    seed(dir, 3);
    const backup = await warroom('backup', file, '--data-dir', dir);
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(new RegExp(`^backup: .*war-room\\.backup \\(4 events, \\d+ KiB, schema ${SCHEMA_VERSION}\\)`));
    expect((await warroom('backup', file, '--data-dir', dir)).err).toMatch(/already exists/);

    seed(dir, 2);
    const refused = await warroom('restore', file, '--data-dir', dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/newer than the backup.*seq 5–6.*--force/);

    const forced = await warroom('restore', file, '--force', '--data-dir', dir);
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/previous database is kept as .*pre-restore/);
    expect(forced.out).toMatch(/seq 5–6 are only in that kept copy/);
    expect(forced.out).toMatch(/new identity/);
    expect(forced.out).toMatch(/restore: 4 events from .*; verify: OK/);
    expect((await warroom('verify', '--data-dir', dir)).code).toBe(0);
  });
});

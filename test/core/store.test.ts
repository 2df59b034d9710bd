// The store's seam: identity, profile, the append path and change notices, on real files.
import { createHash, createPublicKey, verify as verifySig } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../src/shared/api/changes.ts';
import { ApiError } from '../../src/shared/api/errors.ts';
import { canonicalJson } from '../../src/shared/events/canonical.ts';
import { checkEnvelope, unsignedPart } from '../../src/shared/events/envelope.ts';
import { releaseView } from '../../src/shared/events/views.ts';
import { KEY_FILE } from '../../src/main/core/store/identity.ts';
import { SCHEMA_VERSION } from '../../src/main/core/store/migrations.ts';
import { open, openWithProfile, tempDir, tick } from './helpers.ts';

describe('device identity', () => {
  it('creates an id and an Ed25519 key on first open, keeps them, and keeps the private key owner-only', () => {
    const dir = tempDir();
    const first = open({ dataDir: dir });
    const device = first.device();
    expect(device.id).toMatch(/^[0-9a-f]{16}$/);
    expect(device.fingerprint).toMatch(/^([0-9a-f]{4}-){4}[0-9a-f]{4}$/);
    first.close();
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(createPublicKey(readFileSync(join(dir, KEY_FILE), 'utf8')).asymmetricKeyType).toBe('ed25519');
    const again = open({ dataDir: dir });
    expect(again.device()).toEqual(device);
  });

  it('gives a copied database without its key a new identity instead of signing as the old one', () => {
    const dir = tempDir();
    const a = openWithProfile({ dataDir: dir });
    a.appendEvents([tick('r1', 's1')]);
    const old = a.device().id;
    a.close();
    // The key file is not in backups or copies of the database.
    rmSync(join(dir, KEY_FILE));
    const b = open({ dataDir: dir });
    expect(b.device().id).not.toBe(old);
    const [e] = b.appendEvents([tick('r1', 's1', false)]);
    expect(e!.seq).toBe(1);
    expect(b.verify().ok).toBe(true);
    expect(b.verify().devices.map((d) => [d.device === old, d.self])).toEqual([[false, true], [true, false]]);
  });
});

describe('profile', () => {
  it('is null before first run; setting it is an event; the person id survives changes', () => {
    const store = open();
    const notices: ChangeNotice[] = [];
    store.onChange((n) => notices.push(n));
    expect(store.profile()).toBeNull();
    const created = store.setProfile({ name: '  Grace ', role: 'engineer' });
    expect(created).toMatchObject({ name: 'Grace', role: 'engineer' });
    const changed = store.setProfile({ name: 'Grace H.', role: 'lead' });
    expect(changed.id).toBe(created.id);
    expect(store.profile()).toEqual(changed);
    // Setting the same values again records nothing.
    store.setProfile({ name: 'Grace H.', role: 'lead' });
    const log = store.readEvents(store.device().id);
    expect(log.map((e) => [e.type, e.entity.id, e.data])).toEqual([
      ['profile.changed', created.id, { name: 'Grace', role: 'engineer' }],
      ['profile.changed', created.id, { name: 'Grace H.', role: 'lead' }],
    ]);
    expect(log[1]!.pred).toEqual([log[0]!.id]);
    expect(notices).toEqual([
      { topic: 'events', entities: [{ kind: 'person', id: created.id }], count: 1 },
      { topic: 'profile' },
      { topic: 'events', entities: [{ kind: 'person', id: created.id }], count: 1 },
      { topic: 'profile' },
    ]);
  });

  it('rejects a bad profile naming the field', () => {
    const store = open();
    expect(() => store.setProfile({ name: '', role: 'engineer' })).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'name' }));
    expect(() => store.setProfile({ name: 'X', role: 'boss' as never })).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'role' }));
  });
});

describe('appendEvents', () => {
  it('writes a signed, hash-chained envelope that anyone can check with the public key', () => {
    const store = openWithProfile();
    const [created, renamed] = store.appendEvents([
      { type: 'release.created', entity: { kind: 'release', id: 'r1' }, data: { title: 'Payments 4.2' } },
      { type: 'release.updated', entity: { kind: 'release', id: 'r1' }, data: { field: 'title', value: 'Payments 4.2.1' } },
    ]);
    expect(created).toMatchObject({ seq: 2, v: 1, type: 'release.created', actor: { name: 'Ada', role: 'coordinator' } });
    expect(renamed!.prev).toBe(created!.hash);
    expect(renamed!.pred).toEqual([created!.id]);
    expect(checkEnvelope(renamed)).toMatchObject({ ok: true, newer: false });
    const body = canonicalJson(unsignedPart(renamed!));
    expect(createHash('sha256').update(body).digest('hex')).toBe(renamed!.hash);
    const keyPem = readFileSync(join(store.dataDir, KEY_FILE), 'utf8');
    expect(verifySig(null, Buffer.from(renamed!.hash, 'hex'), createPublicKey(keyPem), Buffer.from(renamed!.sig, 'base64url'))).toBe(true);
    expect(releaseView(store.entity('release', 'r1')!).title).toMatchObject({ value: 'Payments 4.2.1', conflict: false });
  });

  it('validates before writing: the first problem names its field and nothing is stored', () => {
    const store = openWithProfile();
    const before = store.readEvents(store.device().id).length;
    const cases: [unknown, string][] = [
      [{ type: 'release.nope', entity: { kind: 'release', id: 'r' }, data: {} }, 'type'],
      [{ type: 'release.created', entity: { kind: 'step', id: 'r' }, data: { title: 'x' } }, 'entity'],
      [{ type: 'release.created', entity: { kind: 'release', id: 'r' }, data: { title: '' } }, 'data.title'],
      [{ type: 'release.created', entity: { kind: 'release', id: 'r' }, data: { title: 'x', extra: 1 } }, 'data.extra'],
      [{ type: 'step.ticked', entity: { kind: 'step', id: 's' }, data: { release: 'r', done: 'yes' } }, 'data.done'],
    ];
    for (const [command, field] of cases) {
      let error: unknown;
      try {
        store.appendEvents([command as never]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'invalid_input', field });
    }
    // In a batch, one bad command stops all of them.
    expect(() => store.appendEvents([tick('r', 's1'), { type: 'note.added', entity: { kind: 'release', id: 'r' }, data: {} }])).toThrow(
      expect.objectContaining({ field: 'events.1.data.text' }),
    );
    expect(store.readEvents(store.device().id)).toHaveLength(before);
  });

  it('refuses to write without a profile, and profile changes only through setProfile', () => {
    const store = open();
    expect(() => store.appendEvents([tick('r', 's')])).toThrow(expect.objectContaining({ code: 'no_profile' }));
    store.setProfile({ name: 'Ada', role: 'lead' });
    expect(() =>
      store.appendEvents([{ type: 'profile.changed', entity: { kind: 'person', id: 'x' }, data: { name: 'Eve', role: 'lead' } }]),
    ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('publishes one notice per committed append, naming each entity once', () => {
    const store = openWithProfile();
    const notices: ChangeNotice[] = [];
    const stop = store.onChange((n) => notices.push(n));
    store.appendEvents([tick('r1', 'a'), tick('r1', 'a', false), tick('r1', 'b')]);
    stop();
    store.appendEvents([tick('r1', 'c')]);
    expect(notices).toEqual([{ topic: 'events', entities: [{ kind: 'step', id: 'a' }, { kind: 'step', id: 'b' }], count: 3 }]);
  });

  it('lets two processes share one database: the app and the CLI append to one contiguous chain', () => {
    const dir = tempDir();
    const app = openWithProfile({ dataDir: dir });
    const cli = open({ dataDir: dir });
    for (let i = 0; i < 20; i++) (i % 2 ? app : cli).appendEvents([tick('r1', `s${i}`)]);
    const seqs = app.readEvents(app.device().id).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(cli.verify()).toMatchObject({ ok: true, events: 21 });
  });

  it('keeps concurrent register writes visible as a conflict until an edit that saw both', () => {
    const store = openWithProfile();
    const [c] = store.appendEvents([{ type: 'release.created', entity: { kind: 'release', id: 'r1' }, data: { title: 'A' } }]);
    // Two edits that both saw only the creation (as two devices would write them).
    store.appendEvents([{ type: 'release.updated', entity: { kind: 'release', id: 'r1' }, data: { field: 'title', value: 'B' }, pred: [c!.id] }]);
    store.appendEvents([{ type: 'release.updated', entity: { kind: 'release', id: 'r1' }, data: { field: 'title', value: 'C' }, pred: [c!.id] }]);
    const view = releaseView(store.entity('release', 'r1')!);
    expect(view.title).toMatchObject({ value: 'C', conflict: true });
    expect(view.title.values.map((v) => v.value)).toEqual(['C', 'B']);
    expect(view.conflicts).toEqual(['title']);
    // A new edit names what it sees (both), which resolves the conflict.
    store.appendEvents([{ type: 'release.updated', entity: { kind: 'release', id: 'r1' }, data: { field: 'title', value: 'D' } }]);
    expect(releaseView(store.entity('release', 'r1')!).title).toMatchObject({ value: 'D', conflict: false });
  });

  it('runs with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const store = openWithProfile();
    store.appendEvents([tick('r', 's')]);
    expect(existsSync(`${store.path}-wal`)).toBe(true);
    expect(store.settings()).toEqual({ journalMode: 'wal', synchronous: 2, foreignKeys: true, busyTimeoutMs: 5000, schema: SCHEMA_VERSION });
  });
});

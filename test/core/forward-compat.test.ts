// T20: events written by a newer version — envelope v2, an unknown type, unknown payload or
// envelope fields — are stored, listed as from a newer version, not folded, kept through
// rebuilds, and folded once this device upgrades to a version that knows them.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/shared/events/canonical.ts';
import { EVENT_CATALOG, type EventCatalog } from '../../src/shared/events/catalog.ts';
import { releaseView } from '../../src/shared/events/views.ts';
import { openStore } from '../../src/main/core/store/index.ts';
import { open } from './helpers.ts';

/** A device running a newer version: it signs whatever shape it likes, correctly chained. */
function newerDevice(id = 'newer_device_1') {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  let seq = 0;
  let prev: string | null = null;
  let wall = Date.UTC(2027, 0, 1);
  const actor = { id: 'p_new', name: 'Nia', role: 'approver' };
  return {
    id,
    publicKey: raw,
    write(fields: Record<string, unknown>) {
      seq += 1;
      wall += 1000;
      const unsigned = {
        id: `${id}:${seq}`,
        device: id,
        seq,
        hlc: `${wall}-00000000-${id}`,
        at: new Date(wall).toISOString(),
        actor,
        entity: { kind: 'release', id: 'r1' },
        v: 1,
        prev,
        ...fields,
      };
      const hash = createHash('sha256').update(canonicalJson(unsigned)).digest();
      prev = hash.toString('hex');
      return { ...unsigned, hash: prev, sig: sign(null, hash, privateKey).toString('base64url') };
    },
  };
}

/** What the next version of the app knows: canary promotions, and notes with a mood. */
const UPGRADED: EventCatalog = {
  ...EVENT_CATALOG,
  'canary.promoted': {
    entity: 'release',
    summary: 'A canary pool was promoted.',
    data: z.strictObject({ pool: z.string() }),
    effects: () => [{ op: 'flag', name: 'promoted' }],
  },
  'note.added': {
    ...EVENT_CATALOG['note.added']!,
    data: z.strictObject({ text: z.string(), mood: z.string().optional() }),
  },
};

describe('T20: forward compatibility', () => {
  it('stores newer events, lists them, does not fold them, keeps them through rebuild, and folds them after an upgrade', () => {
    const store = open();
    const newer = newerDevice();
    store.registerDevice({ id: newer.id, publicKey: newer.publicKey });
    const events = [
      newer.write({ type: 'release.created', data: { title: 'R', type: 'minor' }, pred: [] }),
      newer.write({ type: 'note.added', data: { text: 'known' } }),
      newer.write({ type: 'canary.promoted', data: { pool: 'eu-1' } }),
      newer.write({ type: 'note.added', data: { text: 'with mood', mood: 'tense' } }),
      newer.write({ type: 'note.added', v: 2, actor: 'p_new', data: { text: 'v2 shape' } }),
      newer.write({ type: 'note.added', data: { text: 'tagged' }, tags: ['x'] }),
    ];
    const report = store.ingestEvents(events);
    expect(report).toMatchObject({ inserted: 6, deferred: 4, rejected: [] });

    const items = store.timeline({ release: 'r1' }).items;
    expect(items.map((i) => [i.seq, i.newerVersion])).toEqual([
      [6, 'unknown envelope fields: tags'],
      [5, 'envelope version 2'],
      [4, expect.stringMatching(/^payload not understood/)],
      [3, 'unknown event type canary.promoted'],
      [2, null],
      [1, null],
    ]);
    expect(releaseView(store.entity('release', 'r1')!).notes).toBe(1);
    expect(store.verify()).toMatchObject({ ok: true, deferred: 4, summary: expect.stringMatching(/4 from a newer version/) });

    const rebuilt = store.rebuild();
    expect(rebuilt).toMatchObject({ events: 6, deferred: 4, unchanged: true });
    expect(store.readEvents(newer.id)).toHaveLength(6);
    const { dataDir } = store;
    store.close();

    // The upgrade: a version that knows promotions and moods refolds on its first start.
    const upgraded = openStore({ dataDir, catalog: UPGRADED, log: () => {} });
    try {
      const state = upgraded.entity('release', 'r1')!;
      expect(state.counts.notes).toBe(2);
      expect(Object.keys(state.flags).sort()).toEqual(['created', 'promoted']);
      expect(upgraded.timeline({ release: 'r1' }).items.filter((i) => i.newerVersion).map((i) => i.seq)).toEqual([6, 5]);
      expect(upgraded.verify()).toMatchObject({ ok: true, deferred: 2 });
    } finally {
      upgraded.close();
    }
  });

  it('refuses to write types it does not know (only reading is lenient)', () => {
    const store = open();
    store.setProfile({ name: 'Ada', role: 'lead' });
    expect(() => store.appendEvents([{ type: 'canary.promoted', entity: { kind: 'release', id: 'r1' }, data: { pool: 'x' } }])).toThrow(
      expect.objectContaining({ code: 'invalid_input', field: 'type' }),
    );
  });
});

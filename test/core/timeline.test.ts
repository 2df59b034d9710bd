// The timeline query: newest first by (hlc, device, seq), keyset pages that do not shift when
// new events arrive, filters by type and actor, entity timelines, and input errors via the API.
import { describe, expect, it } from 'vitest';
import type { TimelineItem, TimelineQuery } from '../../src/shared/api/store.ts';
import { openCore } from '../../src/main/core/core.ts';
import type { Store } from '../../src/main/core/store/index.ts';
import { fleet, sync } from './fleet.ts';
import { tick } from './helpers.ts';

function everything(store: Store, query: TimelineQuery): TimelineItem[] {
  const items: TimelineItem[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = store.timeline({ ...query, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    if (!page.nextCursor) return items;
    cursor = page.nextCursor;
  }
}

function setup() {
  const [ann, bob] = fleet([0, -90_000]);
  for (let i = 0; i < 12; i++) {
    ann!.clock.advance(1000);
    bob!.clock.advance(1000);
    ann!.store.appendEvents([tick(i % 3 ? 'r1' : 'r2', `s${i % 4}`, i % 2 === 0)]);
    bob!.store.appendEvents([{ type: 'note.added', entity: { kind: 'release', id: 'r1' }, data: { text: `note ${i}` } }]);
  }
  sync(bob!.store, ann!.store);
  return { ann: ann!, bob: bob! };
}

describe('timeline', () => {
  it('pages through a release newest first, each event exactly once, with the total from the kept count', () => {
    const { ann } = setup();
    const items = everything(ann.store, { release: 'r1', limit: 5 });
    expect(items).toHaveLength(8 + 12);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    const keys = items.map((i) => `${i.hlc}/${String(i.seq).padStart(6, '0')}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(ann.store.timeline({ release: 'r1', limit: 5 }).total).toBe(20);
    expect(ann.store.timeline({ release: 'r2' }).total).toBe(4);
    expect(ann.store.timeline({ release: 'nope' })).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('filters by type and by actor, and serves an entity’s own timeline', () => {
    const { ann, bob } = setup();
    const notes = everything(ann.store, { release: 'r1', type: 'note.added', limit: 4 });
    expect(notes.map((n) => n.data.text)).toEqual(Array.from({ length: 12 }, (_, i) => `note ${11 - i}`));
    const bobId = bob.store.profile()!.id;
    expect(everything(ann.store, { release: 'r1', actor: bobId, limit: 3 }).every((i) => i.actor.id === bobId)).toBe(true);
    expect(everything(ann.store, { release: 'r1', actor: bobId, type: 'step.ticked' })).toEqual([]);
    const s1 = everything(ann.store, { entity: { kind: 'step', id: 's1' }, limit: 2 });
    expect(s1.map((i) => i.entity.id)).toEqual(['s1', 's1', 's1']);
    expect(ann.store.timeline({ release: 'r1', type: 'note.added' }).total).toBeNull();
  });

  it('keeps the next page stable while new events arrive (keyset, not OFFSET)', () => {
    const { ann } = setup();
    const first = ann.store.timeline({ release: 'r1', limit: 6 });
    const second = ann.store.timeline({ release: 'r1', limit: 6, cursor: first.nextCursor! });
    ann.clock.advance(5000);
    ann.store.appendEvents([tick('r1', 'new-1'), tick('r1', 'new-2')]);
    expect(ann.store.timeline({ release: 'r1', limit: 6, cursor: first.nextCursor! })).toEqual({ ...second, total: 22 });
    expect(ann.store.timeline({ release: 'r1', limit: 1 }).items[0]!.entity.id).toBe('new-2');
  });

  it('places a late-arriving older event where its clock puts it', () => {
    const { ann, bob } = setup();
    bob.clock.set(bob.clock() - 3_600_000); // Bob's laptop was offline with an hour-slow clock
    const [late] = bob.store.appendEvents([{ type: 'note.added', entity: { kind: 'release', id: 'r1' }, data: { text: 'offline note' } }]);
    sync(bob.store, ann.store);
    const items = everything(ann.store, { release: 'r1' });
    // Written "now" but by a clock behind Ann's: it sorts below Ann's newer ticks, right after
    // Bob's own previous note (his HLC never goes backwards, even when his wall clock does).
    const at = items.findIndex((i) => i.id === late!.id);
    expect(at).toBeGreaterThan(0);
    expect(items[at + 1]!.data.text).toBe('note 11');
    expect(items.slice(0, at).every((i) => i.hlc > late!.hlc)).toBe(true);
  });

  it('answers bad input with a typed error naming the field, through the API', async () => {
    const { ann } = setup();
    const core = openCore({ dataDir: ann.store.dataDir, log: () => {} });
    try {
      expect(await core.dispatch('timeline.page', { release: 'r1', cursor: 'not-a-cursor' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'cursor' } });
      expect(await core.dispatch('timeline.page', {})).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'release' } });
      expect(await core.dispatch('timeline.page', { release: 'r1', limit: 501 })).toMatchObject({ ok: false, error: { field: 'limit' } });
      expect(await core.dispatch('timeline.page', { release: 'r1', type: 'Bad Type' })).toMatchObject({ ok: false, error: { field: 'type' } });
      const ok = await core.dispatch('timeline.page', { release: 'r1', limit: 2 });
      expect(ok).toMatchObject({ ok: true, value: { total: 20, items: [{}, {}] } });
    } finally {
      core.close();
    }
  });
});

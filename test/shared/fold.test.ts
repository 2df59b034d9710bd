// The pure fold: register, set and decision rules, then T14's properties with fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/shared/events/canonical.ts';
import { classifyEvent, EVENT_CATALOG } from '../../src/shared/events/catalog.ts';
import type { UnsignedEvent } from '../../src/shared/events/envelope.ts';
import { applyEvent, emptyState, foldEntity, type EntityState } from '../../src/shared/events/fold.ts';
import { fieldView, releaseView } from '../../src/shared/events/views.ts';
import { buildHistory, byEntity, opArb } from './event-gen.ts';

const ann = { id: 'p_ann', name: 'Ann', role: 'approver' };
const bob = { id: 'p_bob', name: 'Bob', role: 'coordinator' };

function ev(device: string, seq: number, wall: number, type: string, data: UnsignedEvent['data'], extra: Partial<UnsignedEvent> = {}): UnsignedEvent {
  return {
    id: `${device}:${seq}`,
    device,
    seq,
    hlc: `${String(wall).padStart(13, '0')}-00000000-${device}`,
    at: new Date(wall).toISOString(),
    actor: ann,
    type,
    entity: { kind: 'release', id: 'r1' },
    data,
    v: 1,
    prev: null,
    ...extra,
  };
}

const fold = (events: UnsignedEvent[]) => foldEntity(events, EVENT_CATALOG);

describe('registers', () => {
  it('an edit that saw the other wins whatever the clocks say', () => {
    const base = ev('a', 1, 1000, 'release.created', { title: 'A', type: 'minor' }, { pred: [] });
    // b's clock is far ahead; a's later edit saw b's value and names it.
    const fast = ev('b', 1, 9_000_000, 'release.updated', { field: 'title', value: 'B' }, { pred: ['a:1'] });
    const slow = ev('a', 2, 2000, 'release.updated', { field: 'title', value: 'C' }, { pred: ['b:1'] });
    expect(releaseView(fold([base, fast, slow])).title).toMatchObject({ value: 'C', conflict: false });
  });

  it('shows truly concurrent edits as a conflict, newest first, until an edit names both', () => {
    const base = ev('a', 1, 1000, 'release.created', { title: 'A', type: 'minor' }, { pred: [] });
    const x = ev('a', 2, 2000, 'release.updated', { field: 'title', value: 'X' }, { pred: ['a:1'] });
    const y = ev('b', 1, 3000, 'release.updated', { field: 'title', value: 'Y' }, { pred: ['a:1'] });
    const title = releaseView(fold([base, x, y])).title;
    expect(title).toMatchObject({ value: 'Y', conflict: true });
    expect(title.values.map((v) => v.value)).toEqual(['Y', 'X']);
    const fix = ev('c', 1, 2500, 'release.updated', { field: 'title', value: 'Z' }, { pred: ['a:2', 'b:1'] });
    expect(releaseView(fold([base, x, y, fix])).title).toMatchObject({ value: 'Z', conflict: false });
  });

  it('falls back to last-writer-wins by (hlc, device) for writes without pred', () => {
    const a = ev('a', 1, 1000, 'release.updated', { field: 'severity', value: 'high' });
    const b = ev('b', 1, 1000, 'release.updated', { field: 'severity', value: 'low' });
    expect(fieldView(fold([b, a]).registers.severity)).toMatchObject({ value: 'low', conflict: false });
  });

  it('blocks on concurrent go/no-go decisions (decision_conflict) until resolved', () => {
    const go = ev('a', 1, 1000, 'decision.made', { outcome: 'go' }, { pred: [] });
    const noGo = ev('b', 1, 1001, 'decision.made', { outcome: 'no_go' }, { pred: [] });
    expect(releaseView(fold([go, noGo])).decision.state).toBe('decision_conflict');
    const settle = ev('c', 1, 1002, 'decision.made', { outcome: 'no_go' }, { pred: ['a:1', 'b:1'] });
    expect(releaseView(fold([go, noGo, settle])).decision.state).toBe('no_go');
  });
});

describe('sign-offs (observed-remove set with rules inside the fold)', () => {
  it('a withdrawal removes exactly that sign-off, even when it arrives first; a re-sign is new', () => {
    const give = ev('a', 1, 1000, 'signoff.given', { criterion: 'tests', as: 'approver' });
    const withdraw = ev('a', 2, 1001, 'signoff.withdrawn', { of: 'a:1' });
    const again = ev('a', 3, 1002, 'signoff.given', { criterion: 'tests', as: 'approver' });
    expect(releaseView(fold([withdraw, give])).signoffs).toEqual([]);
    expect(releaseView(fold([give, withdraw, again])).signoffs.map((s) => s.id)).toEqual(['a:3']);
    // Someone else cannot withdraw Ann's sign-off.
    const foreign = ev('b', 1, 1003, 'signoff.withdrawn', { of: 'a:3' }, { actor: bob });
    expect(releaseView(fold([again, foreign])).signoffs).toHaveLength(1);
  });

  it('keeps invalid sign-offs visible as rejected, with the rule', () => {
    const owner = ev('b', 1, 900, 'release.updated', { field: 'owner', value: 'p_ann' }, { pred: [], actor: bob });
    const own = ev('a', 1, 1000, 'signoff.given', { criterion: 'tests', as: 'approver' });
    const wrongRole = ev('b', 2, 1001, 'signoff.given', { criterion: 'tests', as: 'coordinator' }, { actor: bob });
    const pretend = ev('b', 3, 1002, 'signoff.given', { criterion: 'tests', as: 'approver' }, { actor: bob });
    const view = releaseView(fold([owner, own, wrongRole, pretend]));
    expect(view.signoffs.map((s) => [s.id, s.rejected])).toEqual([
      ['a:1', 'the release owner may not approve their own release'],
      ['b:2', 'the coordinator role may not sign off'],
      ['b:3', 'signed as approver by someone whose role is coordinator'],
    ]);
  });
});

describe('classification', () => {
  it('defers unknown types, wrong entity kinds and payloads with unknown fields', () => {
    expect(classifyEvent(EVENT_CATALOG, { type: 'rollback.started', v: 1, entity: { kind: 'release' }, data: {} })).toMatchObject({ fold: false });
    expect(classifyEvent(EVENT_CATALOG, { type: 'note.added', v: 1, entity: { kind: 'step' }, data: { text: 'x' } })).toMatchObject({ fold: false });
    expect(classifyEvent(EVENT_CATALOG, { type: 'note.added', v: 1, entity: { kind: 'release' }, data: { text: 'x', mood: 'calm' } })).toMatchObject({ fold: false });
    expect(classifyEvent(EVENT_CATALOG, { type: 'note.added', v: 1, entity: { kind: 'release' }, data: { text: 'x' } })).toMatchObject({ fold: true });
  });
});

// ---- T14: fold properties ---------------------------------------------------------------

function shuffle<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)]! * 1000 + i }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

function foldAll(events: readonly UnsignedEvent[]): string {
  const out: Record<string, EntityState> = {};
  for (const [key, list] of byEntity(events)) out[key] = fold([...list]);
  return canonicalJson(out);
}

const history = fc.array(opArb, { minLength: 1, maxLength: 60 }).map((ops) => buildHistory(ops));
const T14 = { seed: Number(process.env.WR_T14_SEED ?? 14_2026), numRuns: Number(process.env.WR_T14_RUNS ?? 200) };

describe('T14: fold properties (fast-check, fixed seed)', () => {
  it('converges: any delivery order gives the same state', () => {
    fc.assert(
      fc.property(history, fc.array(fc.nat(1000), { minLength: 1, maxLength: 80 }), (events, keys) => {
        expect(foldAll(shuffle(events, keys))).toBe(foldAll(events));
      }),
      T14,
    );
  });

  it('is idempotent: duplicates count once', () => {
    fc.assert(
      fc.property(history, fc.array(fc.nat(1000), { minLength: 1, maxLength: 80 }), (events, keys) => {
        const twice = [...events, ...shuffle(events, keys).slice(0, keys.length)];
        expect(foldAll(shuffle(twice, keys))).toBe(foldAll(events));
      }),
      T14,
    );
  });

  it('gives the same state applied incrementally in random batches as folded at once', () => {
    fc.assert(
      fc.property(history, fc.array(fc.nat(1000), { minLength: 1, maxLength: 80 }), (events, keys) => {
        const order = shuffle(events, keys);
        const states = new Map<string, EntityState>();
        const folded = new Set<string>();
        for (const e of order) {
          const verdict = classifyEvent(EVENT_CATALOG, e);
          if (!verdict.fold || folded.has(e.id)) continue;
          const key = `${e.entity.kind}/${e.entity.id}`;
          states.set(key, applyEvent(states.get(key) ?? emptyState(), e, verdict.effects, (id) => folded.has(id)));
          folded.add(e.id);
        }
        const incremental = canonicalJson(Object.fromEntries([...states].filter(([, s]) => s.events > 0)));
        expect(incremental).toBe(foldAll(events));
      }),
      T14,
    );
  });

  it('loses nothing: every event is counted, and every register write is current, superseded or flagged', () => {
    fc.assert(
      fc.property(history, (events) => {
        for (const [, list] of byEntity(events)) {
          const state = fold(list);
          expect(state.events).toBe(list.length);
          for (const [name, reg] of Object.entries(state.registers)) {
            const writes = list.filter((e) => classifyEvent(EVENT_CATALOG, e).fold && registerNames(e).includes(name));
            // pred supersedes within the register the edit writes, not the event's other fields.
            const named = new Set(writes.flatMap((e) => e.pred ?? []));
            const floor = writes.filter((w) => !w.pred).reduce((max, w) => (w.hlc > max ? w.hlc : max), '');
            const expected = writes.filter((w) => !named.has(w.id) && w.hlc >= floor).map((w) => w.id);
            expect(reg.values.map((v) => v.id).sort()).toEqual(expected.sort());
            const distinct = new Set(reg.values.map((v) => JSON.stringify(v.value)));
            expect(fieldView(reg).conflict).toBe(distinct.size > 1);
          }
        }
      }),
      T14,
    );
  });
});

function registerNames(e: UnsignedEvent): string[] {
  if (e.type === 'release.created') return ['title', 'type'];
  if (e.type === 'release.updated') return [e.data.field as string];
  if (e.type === 'decision.made') return ['decision'];
  if (e.type === 'step.ticked') return ['done'];
  return [];
}

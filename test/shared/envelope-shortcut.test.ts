// checkEnvelope answers the common envelope without the schemas; it must give the schemas'
// verdict, reason and "newer" flag for any input, including near misses on every field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBySchema, checkEnvelope } from '../../src/shared/events/envelope.ts';

// Keys in canonical order, as a segment line holds them.
const first = {
  actor: { id: 'p1', name: 'Ann', role: 'approver' },
  at: '2026-11-23T09:00:01Z',
  data: { title: 'R 1', steps: [{ n: 1, done: false, note: null }], '10': 'x', '\u20ac': -3 },
  device: 'dev1',
  entity: { kind: 'release', id: 'r1' },
  hash: 'b'.repeat(64),
  hlc: '1795424401000-00000000-dev1',
  id: 'dev1:1',
  pred: [],
  prev: null,
  seq: 1,
  sig: 'c'.repeat(86),
  type: 'release.created',
  v: 1,
};
const second = { ...first, id: 'dev1:2', seq: 2, hlc: '1795424401000-00000003-dev1', at: '2026-11-23T09:00:01.123Z', prev: 'a'.repeat(64), pred: ['dev1:1'] };

/** Values on both sides of each field's limits, of the wrong type, and of the wrong shape. */
const nearMisses: unknown[] = [
  ...[0, 1, 39, 40, 41, 64, 65, 79, 80, 81, 85, 86, 87, 100, 101, 140, 141, 200, 201].map((n) => 'a'.repeat(n)),
  'A'.repeat(64),
  'c'.repeat(86),
  '-'.repeat(86),
  'a'.repeat(63) + 'g',
  'dev1',
  'dev1:1',
  'dev1:2',
  'dev 1',
  'Note',
  'note.added',
  `a.${'b'.repeat(78)}`,
  `a.${'b'.repeat(79)}`,
  'note.',
  '1795424401000-00000003-dev1',
  '1795424401000-00000003-dev2',
  '2026-11-23T09:00:01.1234Z',
  '2026-11-23 09:00:01Z',
  '\ud800',
  ...[0, 1, 2, 3, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, NaN, Infinity, -0].map((n) => n),
  null,
  undefined,
  true,
  [],
  ['dev1:1'],
  [1],
  Array.from({ length: 65 }, () => 'p'),
  ['a'.repeat(141)],
  {},
  Object.create(null),
  { kind: 'release', id: 'r1' },
  { kind: 'release', id: 'r1', extra: 1 },
  { kind: 'Release', id: 'r1' },
  { kind: 'release' },
  { id: 'p1', name: 'Ann', role: 'approver' },
  { id: 'p1', name: 'Ann', role: 'approver', team: 'x' },
  { id: 'p1', name: '', role: 'approver' },
  { ratio: 0.5 },
  { deep: [{ n: 2 ** 60 }] },
  { list: [1, undefined] },
  { when: new Date(0) },
  { [Symbol('s')]: 1 },
  JSON.parse('{"__proto__": {"x": 1}}'),
  Object.assign(Object.create(null), { a: 1 }),
  new Date(0),
  () => 1,
];

const fields = [...Object.keys(first), 'tags', '__proto__'];
const nested = new Map([
  ['actor', ['id', 'name', 'role', 'team']],
  ['entity', ['kind', 'id', 'extra']],
  ['data', ['title', 'steps', 'n', '__proto__']],
]);

/** A copy of `base` with one field (or one field of a nested object) set to `value`, or removed. */
function mutate(base: Record<string, unknown>, field: string, inner: string | null, value: unknown, remove: boolean): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base };
  const target: Record<string, unknown> = inner === null ? copy : { ...(copy[field] as Record<string, unknown>) };
  const key = inner ?? field;
  if (remove) delete target[key];
  else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  if (inner !== null) copy[field] = target;
  return copy;
}

describe('checkEnvelope shortcut', () => {
  it('accepts good envelopes itself, with the same answer as the schemas', () => {
    for (const event of [first, second]) {
      expect(checkEnvelope(event)).toEqual({ ok: true, event, newer: false });
      expect(checkBySchema(event)).toEqual(checkEnvelope(event));
    }
    const parsed: unknown = JSON.parse(JSON.stringify(second));
    expect(checkEnvelope(parsed)).toEqual(checkBySchema(parsed));
  });

  it('agrees with the schemas on every near miss of every field, and on a missing field', () => {
    let accepted = 0;
    for (const base of [first, second]) {
      for (const name of fields) {
        for (const inner of [null, ...(nested.get(name) ?? [])]) {
          for (let i = 0; i <= nearMisses.length; i++) {
            const event = mutate(base, name, inner, nearMisses[i], i === nearMisses.length);
            const verdict = checkEnvelope(event);
            expect(verdict, `${name}${inner ? `.${inner}` : ''} set to near miss #${i}`).toEqual(checkBySchema(event));
            if (verdict.ok) accepted += 1;
          }
        }
      }
    }
    // Enough near misses pass for the sweep to test acceptance, not only refusals.
    expect(accepted).toBeGreaterThan(200);
    // seq near misses with an id that agrees, so only the seq check can refuse them.
    for (const seq of [0, -1, 1.5, 2 ** 53]) {
      const event = { ...second, seq, id: `dev1:${seq}` };
      expect(checkEnvelope(event)).toEqual(checkBySchema(event));
      expect(checkEnvelope(event).ok).toBe(false);
    }
    const arrayShaped = Object.assign([], second);
    expect(checkEnvelope(arrayShaped)).toEqual(checkBySchema(arrayShaped));
    expect(checkEnvelope(arrayShaped).ok).toBe(false);
  });

  it('agrees with the schemas on combined near misses (property)', () => {
    const field = fc.constantFrom(...fields);
    fc.assert(
      fc.property(
        fc.constantFrom(first, second),
        fc.array(fc.tuple(field, fc.boolean(), fc.constantFrom(...nearMisses), fc.boolean(), fc.nat()), { minLength: 1, maxLength: 3 }),
        (base, changes) => {
          let event: Record<string, unknown> = base;
          for (const [name, deep, value, remove, pick] of changes) {
            const inners = nested.get(name);
            const inner = deep && inners && typeof event[name] === 'object' && event[name] !== null ? inners[pick % inners.length]! : null;
            event = mutate(event, name, inner, value, remove);
          }
          expect(checkEnvelope(event)).toEqual(checkBySchema(event));
        },
      ),
      { seed: 1202, numRuns: 3000 },
    );
  });

  it('agrees with the schemas on arbitrary data payloads (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withSparseArray: true, withBigInt: true, withDate: true }), (data) => {
        const event = { ...second, data };
        expect(checkEnvelope(event)).toEqual(checkBySchema(event));
      }),
      { seed: 1203, numRuns: 1000 },
    );
  });
});

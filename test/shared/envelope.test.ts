// Envelope checks for events read from anywhere, and the order and release they fold under.
import { describe, expect, it } from 'vitest';
import { checkEnvelope, compareEvents, releaseOf } from '../../src/shared/events/envelope.ts';

const good = {
  id: 'dev1:2',
  device: 'dev1',
  seq: 2,
  hlc: '1795424401000-00000003-dev1',
  at: '2026-11-23T09:00:01.000Z',
  actor: { id: 'p1', name: 'Ann', role: 'approver' },
  type: 'note.added',
  entity: { kind: 'release', id: 'r1' },
  data: { text: 'hello' },
  v: 1,
  prev: 'a'.repeat(64),
  hash: 'b'.repeat(64),
  sig: 'c'.repeat(86),
};

describe('checkEnvelope', () => {
  it('accepts a well-formed v1 envelope', () => {
    expect(checkEnvelope(good)).toEqual({ ok: true, event: good, newer: false });
  });

  it('rejects broken frames with a reason', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ id: 'dev1:3' }, /device:seq/],
      [{ hlc: '1795424401000-00000003-other' }, /hlc/],
      [{ prev: null }, /prev must be null exactly for seq 1/],
      [{ seq: 1, id: 'dev1:1' }, /prev must be null/],
      [{ seq: 0, id: 'dev1:0' }, /seq/],
      [{ hash: 'xyz' }, /hash/],
      [{ type: 'Note' }, /type/],
      [{ data: { ratio: 0.5 } }, /non-integer/],
      [{ actor: { id: 'p1' } }, /actor/],
    ];
    for (const [change, reason] of cases) {
      const result = checkEnvelope({ ...good, ...change });
      expect(result.ok, JSON.stringify(change)).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    }
    expect(checkEnvelope(null)).toMatchObject({ ok: false });
  });

  it('marks newer envelopes (higher v, unknown fields) to be kept but not folded', () => {
    expect(checkEnvelope({ ...good, v: 2, actor: 'someone new' })).toMatchObject({ ok: true, newer: true, reason: 'envelope version 2' });
    expect(checkEnvelope({ ...good, tags: ['x'] })).toMatchObject({ ok: true, newer: true, reason: 'unknown envelope fields: tags' });
  });
});

describe('order and release', () => {
  it('orders by hlc then seq', () => {
    expect(compareEvents({ hlc: '1-a', seq: 9 }, { hlc: '2-a', seq: 1 })).toBeLessThan(0);
    expect(compareEvents({ hlc: '2-a', seq: 2 }, { hlc: '2-a', seq: 1 })).toBeGreaterThan(0);
  });

  it('finds the release of any event, known type or not', () => {
    expect(releaseOf({ entity: { kind: 'release', id: 'r1' }, data: {} })).toBe('r1');
    expect(releaseOf({ entity: { kind: 'step', id: 's1' }, data: { release: 'r2' } })).toBe('r2');
    expect(releaseOf({ entity: { kind: 'person', id: 'p1' }, data: { name: 'x' } })).toBeNull();
  });
});

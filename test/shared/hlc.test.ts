// The hybrid logical clock under skewed, frozen, backwards and broken wall clocks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareHlc,
  formatHlc,
  MAX_COUNTER,
  MAX_PULL_MS,
  parseHlc,
  receiveClock,
  sendClock,
  stamp,
  ZERO_CLOCK,
  type ClockState,
} from '../../src/shared/events/hlc.ts';

const T = Date.UTC(2026, 10, 23, 9, 0, 0);
const MIN = 60_000;

describe('hlc format', () => {
  it('round-trips and compares as (wall, counter, device)', () => {
    const a = formatHlc({ wall: T, counter: 15, device: 'aa' });
    expect(a).toBe(`${T}-0000000f-aa`);
    expect(parseHlc(a)).toEqual({ wall: T, counter: 15, device: 'aa' });
    expect(parseHlc('12-0-x')).toBeNull();
    expect(parseHlc(`${T}-0000000f-a:b`)).toBeNull();
    fc.assert(
      fc.property(
        fc.record({ wall: fc.integer({ min: 0, max: 9_999_999_999_999 }), counter: fc.integer({ min: 0, max: MAX_COUNTER }), device: fc.constantFrom('a1', 'b2', 'c3') }),
        fc.record({ wall: fc.integer({ min: 0, max: 9_999_999_999_999 }), counter: fc.integer({ min: 0, max: MAX_COUNTER }), device: fc.constantFrom('a1', 'b2', 'c3') }),
        (x, y) => {
          const tuple = x.wall - y.wall || x.counter - y.counter || (x.device < y.device ? -1 : x.device > y.device ? 1 : 0);
          expect(Math.sign(compareHlc(formatHlc(x), formatHlc(y)))).toBe(Math.sign(tuple));
        },
      ),
      { seed: 1, numRuns: 300 },
    );
  });
});

describe('send', () => {
  it('follows the wall clock when it moves forward', () => {
    const s = sendClock({ wall: T, counter: 7 }, T + 5);
    expect(s).toEqual({ wall: T + 5, counter: 0 });
  });

  it('counts within a frozen millisecond and never goes back when the wall clock does', () => {
    let s: ClockState = sendClock(ZERO_CLOCK, T);
    const first = stamp(s, 'a');
    s = sendClock(s, T);
    expect(s).toEqual({ wall: T, counter: 1 });
    s = sendClock(s, T - 3_600_000); // NTP yanked the clock an hour back
    expect(s).toEqual({ wall: T, counter: 2 });
    expect(compareHlc(stamp(s, 'a'), first)).toBe(1);
  });

  it('borrows the next millisecond on counter overflow instead of throwing', () => {
    expect(sendClock({ wall: T, counter: MAX_COUNTER }, T)).toEqual({ wall: T + 1, counter: 0 });
    // A million events in one millisecond stay strictly ordered.
    let s: ClockState = { wall: T, counter: 0 };
    let previous = stamp(s, 'a');
    for (let i = 0; i < 1_000_000; i++) {
      s = sendClock(s, T);
      const next = stamp(s, 'a');
      if (!(next > previous)) throw new Error(`not increasing at ${i}`);
      previous = next;
    }
    expect(s).toEqual({ wall: T, counter: 1_000_000 });
  });

  it('survives a broken wall clock (NaN, negative) by counting on', () => {
    expect(sendClock({ wall: T, counter: 1 }, NaN)).toEqual({ wall: T, counter: 2 });
    expect(sendClock({ wall: T, counter: 1 }, -5)).toEqual({ wall: T, counter: 2 });
    expect(sendClock(ZERO_CLOCK, NaN)).toEqual({ wall: 0, counter: 1 });
  });
});

describe('receive', () => {
  it('adopts a remote time that is slightly ahead', () => {
    const r = receiveClock({ wall: T, counter: 3 }, { wall: T + 2 * MIN, counter: 9 }, T);
    expect(r).toEqual({ state: { wall: T + 2 * MIN, counter: 10 }, futureDated: false, aheadMs: 2 * MIN });
  });

  it('caps the pull of a far-future remote at MAX_PULL (10 min) and flags it', () => {
    const year = 365 * 24 * 60 * MIN;
    const r = receiveClock({ wall: T, counter: 0 }, { wall: T + year, counter: 5 }, T);
    expect(MAX_PULL_MS).toBe(10 * MIN);
    expect(r.state.wall).toBe(T + MAX_PULL_MS);
    expect(r.futureDated).toBe(true);
    expect(r.aheadMs).toBe(year);
    // Later local events still follow the capped clock, not the remote one.
    expect(sendClock(r.state, T + 1).wall).toBe(T + MAX_PULL_MS);
  });

  it('keeps local order for a remote that is behind (a slow laptop)', () => {
    const r = receiveClock({ wall: T, counter: 4 }, { wall: T - 30 * MIN, counter: 99 }, T);
    expect(r).toEqual({ state: { wall: T, counter: 5 }, futureDated: false, aheadMs: 0 });
    const same = receiveClock({ wall: T, counter: 4 }, { wall: T, counter: 99 }, T - 1);
    expect(same.state).toEqual({ wall: T, counter: 100 });
  });

  it('never throws, never goes backwards and stays within now + MAX_PULL (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('send' as const), skew: fc.integer({ min: -3_600_000, max: 3_600_000 }) }),
      fc.record({
        kind: fc.constant('recv' as const),
        skew: fc.integer({ min: -3_600_000, max: 3_600_000 }),
        remoteAhead: fc.oneof(fc.integer({ min: -86_400_000, max: 86_400_000 }), fc.constant(365 * 86_400_000)),
        counter: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(MAX_COUNTER)),
      }),
      fc.record({ kind: fc.constant('broken' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 200 }), (ops) => {
        let state: ClockState = ZERO_CLOCK;
        let last = '';
        let realNow = T;
        let bound = 0;
        for (const o of ops) {
          realNow += 1;
          const now = o.kind === 'broken' ? NaN : realNow + o.skew;
          const next =
            o.kind === 'recv' ? receiveClock(state, { wall: Math.max(0, now + o.remoteAhead), counter: o.counter }, now).state : sendClock(state, now);
          const s = stamp(next, 'dev');
          expect(s > last).toBe(true);
          if (o.kind !== 'broken') bound = Math.max(bound, now + MAX_PULL_MS);
          // +1: a counter overflow may borrow one millisecond.
          expect(next.wall).toBeLessThanOrEqual(Math.max(bound, state.wall) + 1);
          state = next;
          last = s;
        }
      }),
      { seed: 20261123, numRuns: 300 },
    );
  });
});

// query_range planning: nice steps, the 11 000-points-per-series limit, alignment and chunking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_POINTS_PER_SERIES, NICE_STEPS, chooseStep, planQueryRange } from '../../src/shared/metrics/step.ts';

const HOUR = 3_600_000;
const pointsOf = (rangeMs: number, step: number) => Math.floor(rangeMs / 1000 / step) + 1;

describe('chooseStep', () => {
  it('rounds range / points up to a nice step: 24 h at 1000 points is 86.4 s → 2 min', () => {
    expect(chooseStep(24 * HOUR, 1000)).toBe(120);
    expect(chooseStep(HOUR, 1000)).toBe(5);
    expect(chooseStep(6 * HOUR, 1000)).toBe(30);
    expect(chooseStep(7 * 24 * HOUR, 1000)).toBe(15 * 60);
    expect(chooseStep(90 * 24 * HOUR, 1000)).toBe(3 * 3600);
  });

  it('never lets 72 h exceed 11 000 points, whatever is asked (72 h needs ≥ 24 s → 30 s)', () => {
    expect(chooseStep(72 * HOUR, 1_000_000)).toBe(30);
    expect(pointsOf(72 * HOUR, 30)).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });

  it('is never below the minimum step (the scrape interval) and always nice', () => {
    expect(chooseStep(HOUR, 1000, 15)).toBe(15);
    expect(chooseStep(60_000, 1000)).toBe(1);
    expect(chooseStep(HOUR, 1000, 7)).toBe(10);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 24 * HOUR }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 600 }), (range, points, min) => {
        const step = chooseStep(range, points, min);
        expect(step).toBeGreaterThanOrEqual(min);
        expect(NICE_STEPS.includes(step) || step % 86_400 === 0).toBe(true);
        expect(pointsOf(range, step)).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
      }),
    );
  });
});

describe('planQueryRange', () => {
  it('aligns start down and end up to the step (seconds)', () => {
    const start = Date.UTC(2026, 10, 24, 10, 0, 7, 500);
    const end = Date.UTC(2026, 10, 24, 11, 0, 1);
    const plan = planQueryRange(start, end, { stepSeconds: 15 });
    expect(plan.stepSeconds).toBe(15);
    expect(plan.start).toBe(Date.UTC(2026, 10, 24, 10, 0, 0) / 1000);
    expect(plan.end).toBe(Date.UTC(2026, 10, 24, 11, 0, 15) / 1000);
    expect(plan.chunks).toEqual([{ start: plan.start, end: plan.end }]);
  });

  it('chooses the step from points when none is forced', () => {
    const end = Date.UTC(2026, 10, 24, 12);
    expect(planQueryRange(end - 24 * HOUR, end, { points: 1000 }).stepSeconds).toBe(120);
    expect(planQueryRange(end - 24 * HOUR, end, {}).stepSeconds).toBe(120);
  });

  it('splits a forced small step into consecutive chunks of at most maxPoints points, covering the range once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
        fc.integer({ min: 0, max: 14 * 24 * HOUR }),
        fc.constantFrom(1, 5, 15, 60),
        fc.integer({ min: 500, max: 20_000 }),
        (start, length, step, maxPoints) => {
          const plan = planQueryRange(start, start + length, { stepSeconds: step, maxPoints });
          expect(plan.chunks[0]!.start).toBe(plan.start);
          expect(plan.chunks.at(-1)!.end).toBe(plan.end);
          for (const [i, c] of plan.chunks.entries()) {
            expect((c.end - c.start) / step + 1).toBeLessThanOrEqual(maxPoints);
            if (i > 0) expect(c.start).toBe(plan.chunks[i - 1]!.end + step);
          }
        },
      ),
      { numRuns: 200 },
    );
    const end = Date.UTC(2026, 10, 24, 12);
    expect(planQueryRange(end - 72 * HOUR, end, { stepSeconds: 10 }).chunks).toHaveLength(3);
  });

  it('keeps a forced step at or above the minimum step and rejects a reversed range', () => {
    expect(planQueryRange(0, HOUR, { stepSeconds: 5, minStepSeconds: 15 }).stepSeconds).toBe(15);
    expect(() => planQueryRange(HOUR, 0, {})).toThrow(/end must be a time at or after the start/);
  });
});

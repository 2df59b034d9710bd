// Baseline comparison: the two window modes, the band on the current axis, means, percent change
// and the canary/baseline split.
import { describe, expect, it } from 'vitest';
import { baselineBand, baselineWindow, canaryRole, meanOf, percentChange } from '../../src/shared/metrics/baseline.ts';

const H = 3_600_000;
const DEPLOY = Date.UTC(2026, 10, 24, 14, 0, 0);

describe('baselineWindow', () => {
  it('before_deploy: the same length just before the deployment, shifted onto the current range', () => {
    const range = { from: DEPLOY, to: DEPLOY + 6 * H };
    const w = baselineWindow('before_deploy', range, DEPLOY);
    expect(w).toEqual({ from: DEPLOY - 6 * H, to: DEPLOY, shiftMs: 6 * H });
    expect(w!.from + w!.shiftMs).toBe(range.from);
    expect(w!.to + w!.shiftMs).toBe(range.to);
    // A range that starts before the deployment still compares with the same length before it.
    expect(baselineWindow('before_deploy', { from: DEPLOY - H, to: DEPLOY + H }, DEPLOY)).toEqual({ from: DEPLOY - 2 * H, to: DEPLOY, shiftMs: H });
  });
  it('before_deploy without a deployment time has no window', () => {
    expect(baselineWindow('before_deploy', { from: DEPLOY, to: DEPLOY + H }, null)).toBeNull();
  });
  it('week_before: the same hours 7 days earlier', () => {
    expect(baselineWindow('week_before', { from: DEPLOY, to: DEPLOY + 24 * H }, null)).toEqual({ from: DEPLOY - 168 * H, to: DEPLOY - 144 * H, shiftMs: 168 * H });
  });
});

describe('baselineBand', () => {
  it('draws p10/p90 of the shifted baseline per bucket, min/max for small buckets, and skips empty ones', () => {
    const t: number[] = [];
    const v: number[] = [];
    // Baseline week: 100 samples in the first hour (0…99), 3 in the second, none in the third.
    for (let i = 0; i < 100; i++) {
      t.push(DEPLOY - 168 * H + i * 30_000);
      v.push(i);
    }
    t.push(DEPLOY - 167 * H + 1000, DEPLOY - 167 * H + 2000, DEPLOY - 167 * H + 3000, DEPLOY - 167 * H + 4000);
    v.push(7, NaN, -2, Infinity);
    const band = baselineBand(t, v, 168 * H, { from: DEPLOY, to: DEPLOY + 3 * H }, 3);
    expect(band).toEqual([
      [DEPLOY + 0.5 * H, 9, 89],
      [DEPLOY + 1.5 * H, -2, 7],
    ]);
  });
  it('returns nothing for an empty range', () => {
    expect(baselineBand([DEPLOY], [1], 0, { from: DEPLOY, to: DEPLOY }, 10)).toEqual([]);
  });
});

describe('means and change', () => {
  it('meanOf uses finite values only; none → null', () => {
    expect(meanOf([1, 2, NaN, Infinity, 3])).toBe(2);
    expect(meanOf(new Float64Array([NaN]))).toBeNull();
    expect(meanOf([])).toBeNull();
  });
  it('percentChange is null when either side is missing or the baseline is 0', () => {
    expect(percentChange(150, 100)).toBe(50);
    expect(percentChange(50, -100)).toBe(150);
    expect(percentChange(null, 100)).toBeNull();
    expect(percentChange(1, null)).toBeNull();
    expect(percentChange(1, 0)).toBeNull();
  });
});

describe('canaryRole', () => {
  it('tells canary from baseline by the label value', () => {
    expect(canaryRole({ track: 'canary' }, 'track')).toBe('canary');
    expect(canaryRole({ track: 'api-Canary-1' }, 'track')).toBe('canary');
    expect(canaryRole({ track: 'stable' }, 'track')).toBe('baseline');
    expect(canaryRole({ track: 'primary' }, 'track')).toBe('baseline');
    expect(canaryRole({ track: 'baseline' }, 'track')).toBe('baseline');
    expect(canaryRole({ track: 'blue' }, 'track')).toBeNull();
    expect(canaryRole({ job: 'canary' }, 'track')).toBeNull();
  });
});

// Chart downsampling: LTTB keeps the shape (first, last, spikes, the requested count), min/max keeps
// every bucket's extremes, and `downsample` keeps gaps visible and survives ±Infinity readings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsample, downsampleColumns, lttbIndices, minMaxIndices } from '../../src/shared/metrics/lttb.ts';
import { seededRandom } from '../helpers/prng.ts';

const columns = (values: readonly number[]) => ({ t: values.map((_, i) => 1_700_000_000_000 + i * 10_000), v: values });
const ascending = (idx: Uint32Array) => idx.every((x, i) => i === 0 || x > idx[i - 1]!);
const finiteSeries = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 400 });

describe('lttbIndices', () => {
  it('keeps first and last and returns exactly min(threshold, n) ascending indices, ±Infinity readings included', () => {
    const series = fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(Infinity, -Infinity)), { maxLength: 400 });
    fc.assert(
      fc.property(fc.oneof(finiteSeries, series), fc.integer({ min: 3, max: 500 }), (values, threshold) => {
        const { t, v } = columns(values);
        const idx = lttbIndices(t, v, threshold);
        expect(idx.length).toBe(Math.min(threshold, values.length));
        expect(ascending(idx)).toBe(true);
        if (values.length > 0) {
          expect(idx[0]).toBe(0);
          expect(idx[idx.length - 1]).toBe(values.length - 1);
        }
      }),
    );
  });

  it('keeps a ±Infinity reading in the bucket holding it', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10));
    values[333] = Infinity;
    values[666] = -Infinity;
    const { t, v } = columns(values);
    const kept = Array.from(lttbIndices(t, v, 50));
    expect(kept).toContain(333);
    expect(kept).toContain(666);
  });

  it('returns every index for a threshold below 3 or at least n', () => {
    const { t, v } = columns([1, 2, 3, 4, 5]);
    expect(Array.from(lttbIndices(t, v, 2))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(lttbIndices(t, v, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(lttbIndices(t, v, 99))).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps the global maximum and minimum of a noisy series with spikes', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 25_920 }, () => 100 + random() * 5);
    values[4_321] = 900; // an error burst
    values[17_000] = -300; // a drop to below zero
    const { t, v } = columns(values);
    const kept = Array.from(lttbIndices(t, v, 1000));
    expect(kept).toContain(4_321);
    expect(kept).toContain(17_000);
    expect(kept).toHaveLength(1000);
  });
});

describe('minMaxIndices', () => {
  it('keeps every bucket’s extremes: the max/min deviation per bucket is 0', () => {
    fc.assert(
      fc.property(finiteSeries, fc.integer({ min: 1, max: 100 }), (values, buckets) => {
        const { t, v } = columns(values);
        const idx = minMaxIndices(t, v, buckets);
        expect(ascending(idx)).toBe(true);
        if (buckets >= values.length) expect(idx.length).toBe(values.length);
        for (let b = 0; b < buckets; b++) {
          const start = Math.floor((b * values.length) / buckets);
          const end = Math.floor(((b + 1) * values.length) / buckets);
          if (start === end) continue;
          const slice = values.slice(start, end);
          const kept = Array.from(idx)
            .filter((i) => i >= start && i < end)
            .map((i) => values[i]!);
          expect(Math.max(...kept)).toBe(Math.max(...slice));
          expect(Math.min(...kept)).toBe(Math.min(...slice));
        }
      }),
    );
  });

  it('returns one index for a flat bucket and skips NaN', () => {
    const { t, v } = columns([5, 5, 5, 5, NaN, NaN, 1, 9]);
    expect(Array.from(minMaxIndices(t, v, 2))).toEqual([0, 6, 7]);
  });
});

describe('downsample', () => {
  it('keeps a gap as one null between runs and downsamples runs in proportion to their length', () => {
    const points: [number, number | null][] = [];
    for (let i = 0; i < 3000; i++) points.push([i * 1000, i >= 1000 && i < 1100 ? null : Math.sin(i / 50)]);
    const out = downsample(points, 300);
    const nulls = out.filter((p) => p[1] === null);
    expect(nulls).toHaveLength(1);
    const gapAt = out.indexOf(nulls[0]!);
    // 1000 of 2900 points before the gap → about 103 of 300.
    expect(gapAt).toBeGreaterThan(95);
    expect(gapAt).toBeLessThan(110);
    expect(out.length).toBeLessThanOrEqual(301 + 1);
    expect(out[0]).toEqual([0, Math.sin(0)]);
    expect(out.at(-1)).toEqual([2_999_000, Math.sin(2999 / 50)]);
    // The last point before the gap and the first after it survive (the chart draws the break there).
    expect(out[gapAt - 1]![0]).toBe(999_000);
    expect(out[gapAt + 1]![0]).toBe(1_100_000);
  });

  it('treats NaN as a gap and keeps ±Infinity readings without breaking the triangle arithmetic', () => {
    const points: [number, number | null][] = Array.from({ length: 2000 }, (_, i) => [i, i % 7]);
    points[500] = [500, Infinity];
    points[1500] = [1500, -Infinity];
    points[1000] = [1000, NaN];
    const out = downsample(points, 200);
    expect(out.filter((p) => p[1] === null)).toEqual([[1000, null]]);
    expect(out).toContainEqual([500, Infinity]);
    expect(out).toContainEqual([1500, -Infinity]);
    expect(out.every(([, v]) => v === null || !Number.isNaN(v))).toBe(true);
  });

  it('gives the same result from columns as from points', () => {
    const points: [number, number | null][] = Array.from({ length: 5000 }, (_, i) => [i * 1000, i % 997 < 20 ? null : i % 13 === 0 ? Infinity : Math.cos(i / 40)]);
    const t = points.map((p) => p[0]);
    const v = points.map((p) => p[1] ?? NaN);
    expect(downsampleColumns(t, new Float64Array(v), 400)).toEqual(downsample(points, 400));
  });

  it('returns short series unchanged (apart from NaN as null) and an empty series as empty', () => {
    expect(downsample([[1, 1], [2, NaN], [3, 3]], 100)).toEqual([[1, 1], [2, null], [3, 3]]);
    expect(downsample([], 100)).toEqual([]);
    expect(downsample([[1, null], [2, null]], 100)).toEqual([]);
  });

  it('stays near the budget on a very fragmented series', () => {
    const points: [number, number | null][] = Array.from({ length: 10_000 }, (_, i) => [i, i % 2 ? null : i]);
    const out = downsample(points, 1000);
    expect(out.filter((p) => p[1] !== null).length).toBeLessThanOrEqual(1000);
    expect(out.some((p, i) => i > 0 && p[1] === null && out[i - 1]![1] === null)).toBe(false);
  });
});

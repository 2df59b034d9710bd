// The metric panels' chart maths: what a person sees drawn — ±Infinity pinned to the plot edge
// and marked, NaN as a gap, the threshold inside the value range, readable numbers, durations
// typed the way people write them, round time ticks and the stabilization countdown.
import { describe, expect, it } from 'vitest';
import type { SeriesData } from '../../src/shared/api/metrics.ts';
import { chartModel, niceDomain, formatChange, formatCountdown, formatDuration, formatValue, parseDuration, slugify, timeTicks } from '../../src/renderer/features/metrics/chart-data.ts';

const series = (points: [number, number | null][]): SeriesData => ({ key: 'k', panel: 'p', queryIndex: 0, name: 'errors', labels: {}, points, raw: points.length, devices: ['d'] });

describe('chartModel', () => {
  it('pins +Inf and -Inf to the edges of the finite range and marks them; NaN and null stay gaps', () => {
    const model = chartModel([series([[1, 10], [2, Infinity], [3, NaN], [4, null], [5, -Infinity], [6, 20]])], [], null, 0, 10);
    const [lo, hi] = model.domain;
    expect(lo).toBeLessThanOrEqual(10);
    expect(hi).toBeGreaterThanOrEqual(20);
    expect(model.series[0]!.points.map((p) => p.v)).toEqual([10, hi, null, null, lo, 20]);
    expect(model.series[0]!.edges.map((p) => p.edge)).toEqual(['top', 'bottom']);
  });

  it('keeps the threshold and the baseline band inside the value range', () => {
    const model = chartModel([series([[1, 1], [2, 2]])], [{ key: 'k', band: [[1, 0.5, 8]], mean: 3, current: 2, changePercent: -33 }], 5, 0, 10);
    expect(model.domain[0]).toBeLessThanOrEqual(0.5);
    expect(model.domain[1]).toBeGreaterThanOrEqual(8);
    expect(model.bands[0]!.points).toEqual([{ t: 1, band: [0.5, 8] }]);
  });

  it('draws an empty or flat series on a usable range', () => {
    expect(chartModel([series([])], [], null, 0, 1).domain).toEqual([0, 1]);
    const [lo, hi] = chartModel([series([[1, 0], [2, 0]])], [], null, 0, 1).domain;
    expect(hi).toBeGreaterThan(lo);
  });
});

describe('niceDomain', () => {
  it('rounds the ends to multiples of 1, 2 or 5 × 10^k around the values', () => {
    expect(niceDomain(63.2, 156.1)).toEqual([60, 160]);
    expect(niceDomain(0, 0.0213)).toEqual([0, 0.025]);
  });
});

describe('formatting', () => {
  it('writes values, changes, durations and countdowns as people read them', () => {
    expect(formatValue(1234567)).toBe('1.23M');
    expect(formatValue(0.0213, '%')).toBe('0.0213 %');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatChange(12.4)).toBe('+12 % vs baseline');
    expect(formatChange(-3.44)).toBe('−3.4 % vs baseline');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatCountdown(86_399)).toBe('23:59:59');
    expect(formatCountdown(72 * 3600)).toBe('72:00:00');
    expect(formatCountdown(-5)).toBe('00:00:00');
  });

  it('reads durations typed as 90, 90s, 5m, 1h30m and refuses the rest', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('5s')).toBe(5);
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('')).toBeNull();
  });

  it('makes ids from titles and round time ticks', () => {
    expect(slugify('Error rate above 2 %')).toBe('error-rate-above-2');
    expect(timeTicks(0, 60_000, 6)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    for (const t of timeTicks(1_000, 3_600_000 * 6, 6)) expect(t % 3_600_000).toBe(0);
  });
});

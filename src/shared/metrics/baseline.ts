// Comparing a release's metrics with a baseline: which earlier window to compare with (just before
// the deployment, or the same hours a week earlier), the band that window draws on the current
// axis, means and percent change, and which series of a canary split is the canary.
import type { BaselineMode } from './model.ts';

const WEEK_MS = 7 * 86_400_000;

/**
 * The comparison window for the current `range`. before_deploy: the same length immediately before
 * the deployment started (null without a deployment time); week_before: the same hours 7 days
 * earlier. `shiftMs` maps baseline time onto the current axis (current = baseline + shiftMs).
 */
export function baselineWindow(mode: BaselineMode, range: { from: number; to: number }, deployAt: number | null): { from: number; to: number; shiftMs: number } | null {
  const length = Math.max(range.to - range.from, 0);
  if (mode === 'week_before') return { from: range.from - WEEK_MS, to: range.to - WEEK_MS, shiftMs: WEEK_MS };
  if (deployAt === null || !Number.isFinite(deployAt)) return null;
  return { from: deployAt - length, to: deployAt, shiftMs: range.from - (deployAt - length) };
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * The baseline as a band on the current axis: `buckets` equal slices of `range`, each
 * [middle, low, high] over the finite baseline values shifted into it — p10/p90 with 10 or more
 * values, else min/max. Empty buckets are skipped (the band has a gap there).
 */
export function baselineBand(t: ArrayLike<number>, v: ArrayLike<number>, shiftMs: number, range: { from: number; to: number }, buckets: number): [number, number, number][] {
  const count = Math.max(Math.floor(buckets), 1);
  const width = (range.to - range.from) / count;
  if (!(width > 0)) return [];
  const slots: number[][] = Array.from({ length: count }, () => []);
  const n = Math.min(t.length, v.length);
  for (let i = 0; i < n; i++) {
    const at = t[i]! + shiftMs;
    const value = v[i]!;
    if (!Number.isFinite(value) || at < range.from || at > range.to) continue;
    slots[Math.min(Math.floor((at - range.from) / width), count - 1)]!.push(value);
  }
  const band: [number, number, number][] = [];
  for (const [b, values] of slots.entries()) {
    if (values.length === 0) continue;
    values.sort((x, y) => x - y);
    const wide = values.length >= 10;
    band.push([range.from + (b + 0.5) * width, wide ? quantile(values, 0.1) : values[0]!, wide ? quantile(values, 0.9) : values.at(-1)!]);
  }
  return band;
}

/** The mean of the finite values; null when there are none. */
export function meanOf(v: ArrayLike<number>): number | null {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (Number.isFinite(x)) {
      sum += x;
      count++;
    }
  }
  return count ? sum / count : null;
}

/** (current − baseline) / |baseline| in percent; null when either is missing or the baseline is 0. */
export function percentChange(current: number | null, baseline: number | null): number | null {
  if (current === null || baseline === null || !Number.isFinite(current) || !Number.isFinite(baseline) || baseline === 0) return null;
  return ((current - baseline) / Math.abs(baseline)) * 100;
}

/** By the value of `label`: containing "canary" → canary; "baseline", "stable" or "primary" → baseline. */
export function canaryRole(labels: Record<string, string>, label: string): 'canary' | 'baseline' | null {
  const value = labels[label]?.toLowerCase();
  if (value === undefined) return null;
  if (value.includes('canary')) return 'canary';
  return /baseline|stable|primary/.test(value) ? 'baseline' : null;
}

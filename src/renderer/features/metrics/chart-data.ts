// Chart maths for the metric panels, kept out of the recharts components so it can be read and
// tested alone: the value domain, ±Infinity clamped to the plot's edge (with a marker), the
// baseline band, number formatting and the durations people type ("5m", "90s").
import type { BaselineView, SeriesData } from '../../../shared/api/metrics.ts';

/** One drawn point: `v` null is a gap; `edge` marks a value that was ±Infinity, clamped. */
export interface ChartPoint {
  t: number;
  v: number | null;
  edge?: 'top' | 'bottom';
}

export interface ChartSeries {
  key: string;
  name: string;
  role?: 'canary' | 'baseline';
  points: ChartPoint[];
  /** Points that were ±Infinity (drawn as markers at the edge). */
  edges: ChartPoint[];
}

export interface ChartModel {
  series: ChartSeries[];
  /** Baseline bands, one per series that has one: `[t, lo, hi]` as `{t, band:[lo,hi]}`. */
  bands: { key: string; points: { t: number; band: [number, number] }[] }[];
  domain: [number, number];
  /** Time axis: the requested window. */
  from: number;
  to: number;
}

/** The y domain from every finite value, the bands and the threshold, with a little headroom. */
export function valueDomain(series: readonly SeriesData[], bands: readonly BaselineView['series'][number][], threshold: number | null): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number | null) => {
    if (v === null || !Number.isFinite(v)) return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (const s of series) for (const p of s.points) see(p[1]);
  for (const b of bands)
    for (const p of b.band) {
      see(p[1]);
      see(p[2]);
    }
  see(threshold);
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return lo === 0 ? [0, 1] : [Math.min(0, lo), Math.max(0, hi) * 1.1 || 1];
  const pad = (hi - lo) * 0.08;
  return niceDomain(lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad);
}

/** Widens a range to round ends (multiples of 1, 2 or 5 × 10^k) so the axis ticks read well. */
export function niceDomain(lo: number, hi: number, ticks = 5): [number, number] {
  const raw = (hi - lo) / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

/** Builds what the chart draws; only the already-downsampled points come in. */
export function chartModel(
  series: readonly SeriesData[],
  baselines: readonly BaselineView['series'][number][],
  threshold: number | null,
  from: number,
  to: number,
): ChartModel {
  const bandsByKey = new Map(baselines.map((b) => [b.key, b]));
  const relevant = series.map((s) => bandsByKey.get(s.key)).filter((b): b is BaselineView['series'][number] => b !== undefined);
  const domain = valueDomain(series, relevant, threshold);
  const out: ChartSeries[] = series.map((s) => {
    const points: ChartPoint[] = [];
    const edges: ChartPoint[] = [];
    for (const [t, v] of s.points) {
      if (v === Infinity || v === -Infinity) {
        const p: ChartPoint = { t, v: v > 0 ? domain[1] : domain[0], edge: v > 0 ? 'top' : 'bottom' };
        points.push(p);
        edges.push(p);
      } else points.push({ t, v: v === null || Number.isNaN(v) ? null : v });
    }
    return { key: s.key, name: s.name, ...(s.role ? { role: s.role } : {}), points, edges };
  });
  const bands = relevant.map((b) => ({ key: b.key, points: b.band.map(([t, lo, hi]) => ({ t, band: [lo, hi] as [number, number] })) }));
  return { series: out, bands, domain, from, to };
}

/** "1.23k", "0.021", "15" — short enough for an axis tick, with the panel's unit. */
export function formatValue(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : value < 0 ? '−Inf' : 'NaN';
  const abs = Math.abs(value);
  let text: string;
  if (abs >= 1e9) text = `${trim(value / 1e9)}G`;
  else if (abs >= 1e6) text = `${trim(value / 1e6)}M`;
  else if (abs >= 1e4) text = `${trim(value / 1e3)}k`;
  else if (abs === 0) text = '0';
  else if (abs < 0.001) text = value.toExponential(1);
  else text = trim(value);
  return unit ? `${text} ${unit}` : text;
}

function trim(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** "+12 % vs baseline", "−3.4 % vs baseline". */
export function formatChange(percent: number): string {
  const rounded = Math.abs(percent) >= 10 ? Math.round(percent) : Math.round(percent * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded)} % vs baseline`;
}

/** Accepts "90", "90s", "5m", "1h", "1h30m"; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(?:(\d+)h)?(?:(\d+)m(?:in)?)?(?:(\d+)s)?$/.exec(t);
  if (!m || t === '') return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** 300 → "5 min", 5 → "5 s", 5400 → "1 h 30 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean).join(' ');
}

/** 86399 → "23:59:59"; more than a day stays in hours ("71:59:59"). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** "HH:MM" for the time axis; seconds too for a window under 15 min, the date over a day. */
export function timeTick(t: number, spanMs: number): string {
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (spanMs < 15 * 60_000) return `${hm}:${pad(d.getSeconds())}`;
  return spanMs > 86_400_000 ? `${d.getMonth() + 1}/${d.getDate()} ${hm}` : hm;
}

const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400].map((s) => s * 1000);

/** About `count` round times between `from` and `to` (every 10 s, 5 min, 1 h …) for the time axis. */
export function timeTicks(from: number, to: number, count = 6): number[] {
  if (!(to > from)) return [from];
  const step = TICK_STEPS_MS.find((s) => (to - from) / s <= count) ?? TICK_STEPS_MS.at(-1)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** A slug from a title, for ids people need not type ("Error rate" → "error-rate"). */
export function slugify(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'item'
  );
}

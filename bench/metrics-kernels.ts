// Metrics kernel benchmarks (BENCHMARKS B10 and the alert evaluator): LTTB and min/max over
// 20 × 25 920 points (72 h at 10 s) → 1 000 per series against a naive every-n-th sampler, and the
// time to evaluate 50 alert rules, each over its own 24 h series (8 640 samples at 10 s).
// Run: npx tsx bench/metrics-kernels.ts [--runs 31]; figures go to bench/results/metrics-kernels.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateAlertRule, type AlertInput } from '../src/shared/metrics/alerts.ts';
import { downsample, downsampleColumns, lttbIndices, minMaxIndices } from '../src/shared/metrics/lttb.ts';
import { ruleDoc, type RuleDoc } from '../src/shared/metrics/model.ts';
import { seededRandom } from '../test/helpers/prng.ts';
import { fmt, machine, sample, summarize, table } from './stats.ts';

const here = dirname(fileURLToPath(import.meta.url));
const at = process.argv.indexOf('--runs');
const RUNS = Math.max(at >= 0 ? Number(process.argv[at + 1]) : 31, 5);
const SERIES = 20;
const TARGET = 1000;
const STEP_MS = 10_000;
const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);
const median = (xs: readonly number[]) => summarize(xs).p50;

/** `count` series of `length` samples at 10 s ending at NOW: noise, a daily wave, bursts and a gap. */
function columns(count: number, length: number, seed: number): { t: Float64Array; v: Float64Array }[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, s) => {
    const t = new Float64Array(length);
    const v = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      t[i] = NOW - (length - 1 - i) * STEP_MS;
      v[i] = 100 + 30 * Math.sin((i / 8640) * 2 * Math.PI + s) + random() * 10 + (random() < 0.0005 ? 400 * random() : 0);
    }
    return { t, v };
  });
}

/** The naive sampler a chart would otherwise use: walk every point, keep each n-th. */
function everyNth(t: Float64Array, v: Float64Array, target: number): [number, number][] {
  const n = Math.ceil(t.length / target);
  const out: [number, number][] = [];
  for (let i = 0; i < t.length; i++) if (i % n === 0) out.push([t[i]!, v[i]!]);
  return out;
}

/** The stride-only variant (touches just the kept points): a floor, not a fair peer. */
function strideNth(t: Float64Array, v: Float64Array, target: number): [number, number][] {
  const n = Math.ceil(t.length / target);
  const out: [number, number][] = [];
  for (let i = 0; i < t.length; i += n) out.push([t[i]!, v[i]!]);
  return out;
}

/** Largest gap between a series' maximum and the maximum of the points kept. */
function peakDeviation(data: { v: Float64Array }[], kept: (s: number) => ArrayLike<number>): number {
  let worst = 0;
  for (const [s, { v }] of data.entries()) {
    let max = -Infinity;
    let keptMax = -Infinity;
    for (const x of v) max = Math.max(max, x);
    for (const x of Array.from(kept(s))) keptMax = Math.max(keptMax, x);
    worst = Math.max(worst, max - keptMax);
  }
  return worst;
}

const rows: (string | number)[][] = [];
const results: Record<string, unknown> = {};
const figure = (name: string, samples: number[], note = '') => {
  const s = summarize(samples);
  rows.push([name, s.n, fmt(s.p50), fmt(s.p99), note]);
  results[name] = s;
  return s.p50;
};

const box = machine();
console.log(`machine: ${box.cpu}, ${box.cores} cores, ${box.memoryGiB} GiB, ${box.os}, Node ${box.node}`);

// ---- B10: downsampling kernel ------------------------------------------------------------------
let sink = 0;
const allSeries = (fn: (d: { t: Float64Array; v: Float64Array }) => { length: number }, data: { t: Float64Array; v: Float64Array }[]) => () => {
  for (const d of data) sink += fn(d).length;
};
for (const [label, length] of [
  ['72 h', 25_920],
  ['24 h', 8_640],
] as const) {
  const data = columns(SERIES, length, 72);
  const tag = `${SERIES} × ${length} (${label}) → ${TARGET}`;
  // The kernels and their peers take turns within each run, so a busy moment hits them alike.
  const kernels = {
    lttb: allSeries((d) => lttbIndices(d.t, d.v, TARGET), data),
    minmax: allSeries((d) => minMaxIndices(d.t, d.v, TARGET / 2), data),
    naive: allSeries((d) => everyNth(d.t, d.v, TARGET), data),
    stride: allSeries((d) => strideNth(d.t, d.v, TARGET), data),
  };
  const times: Record<keyof typeof kernels, number[]> = { lttb: [], minmax: [], naive: [], stride: [] };
  for (let run = -3; run < RUNS; run++) {
    for (const [name, fn] of Object.entries(kernels) as [keyof typeof kernels, () => void][]) {
      const started = performance.now();
      fn();
      if (run >= 0) times[name].push(performance.now() - started);
    }
  }
  const lttb = figure(`B10 LTTB ${tag}`, times.lttb);
  figure(`B10 min/max ${tag}`, times.minmax, '500 buckets × (min, max)');
  const naive = figure(`B10 every-n-th ${tag}`, times.naive, 'peer: walks every point');
  const stride = figure(`B10 stride-only n-th ${tag}`, times.stride, 'floor: touches kept points only');
  const points = data.map((d) => Array.from(d.t, (x, i): [number, number | null] => [x, d.v[i]!]));
  figure(`B10 downsample() on [t, v] tuples ${tag}`, sample(Math.min(RUNS, 9), () => points.forEach((p) => (sink += downsample(p, TARGET).length)), 2), 'the charts\' call, gaps kept');
  figure(`B10 downsampleColumns() ${tag}`, sample(Math.min(RUNS, 9), allSeries((d) => downsampleColumns(d.t, d.v, TARGET), data), 2), 'the same from stored columns');
  // Ratios of paired runs (the same moment's load on both sides), then their median.
  const paired = (other: number[]) => median(times.lttb.map((x, i) => x / other[i]!));
  results[`B10 LTTB ÷ every-n-th ${label}`] = paired(times.naive);
  results[`B10 LTTB ÷ stride-only ${label}`] = paired(times.stride);
  results[`B10 LTTB ÷ every-n-th ${label}, medians`] = lttb / naive;
  results[`B10 LTTB ÷ stride-only ${label}, medians`] = lttb / stride;
  const valuesOf = (idx: (d: { t: Float64Array; v: Float64Array }) => ArrayLike<number>) => (s: number) => Array.from(idx(data[s]!), (i) => data[s]!.v[i]!);
  results[`B10 min/max peak deviation ${label}`] = peakDeviation(data, valuesOf((d) => minMaxIndices(d.t, d.v, TARGET / 2)));
  results[`B10 LTTB peak deviation ${label}`] = peakDeviation(data, valuesOf((d) => lttbIndices(d.t, d.v, TARGET)));
  results[`B10 every-n-th peak deviation ${label}`] = peakDeviation(data, (s) => everyNth(data[s]!.t, data[s]!.v, TARGET).map((p) => p[1]));
}

// ---- alert rules: 50 rules, each over its own 24 h series --------------------------------------
const RULES = 50;
const kinds = ['threshold', 'threshold', 'baseline_ratio', 'absent', 'threshold'] as const;
const rules: RuleDoc[] = Array.from({ length: RULES }, (_, i) => {
  const kind = kinds[i % kinds.length]!;
  return ruleDoc.parse({
    id: `rule-${i}`,
    title: `Rule ${i}`,
    source: 'prom',
    query: `metric_${i}`,
    kind,
    ...(kind === 'absent' ? {} : { op: i % 2 ? '>' : '<', threshold: kind === 'baseline_ratio' ? '1.5' : '110' }),
    ...(kind === 'baseline_ratio' ? { baseline: 'before_deploy' } : {}),
    forSeconds: [300, 600, 900, 1800, 3600][i % 5]!,
  });
});
const ruleSeries = columns(RULES, 8_640, 24).map((c, i) => ({ labels: { job: `svc-${i}` }, t: Array.from(c.t), v: Array.from(c.v) }));
const inputs: AlertInput[] = ruleSeries.map((s) => ({ now: NOW, series: [s], stepSeconds: 10, baseline: 100, previous: { state: 'ok', since: NOW - 86_400_000 } }));
const evaluateAll = (now: number) => {
  for (const [i, rule] of rules.entries()) sink += evaluateAlertRule(rule, { ...inputs[i]!, now }).detail.length;
};
const pass = figure(`alerts: ${RULES} rules × 8 640 samples (24 h), one pass`, sample(Math.max(RUNS, 200), () => evaluateAll(NOW), 20), 'all rules once at now');
// A 24 h replay at a 1-minute tick (what a runtime does to backfill state after a restart).
const replay = figure(
  `alerts: ${RULES} rules replayed over 24 h at 1 min (1 440 passes)`,
  sample(
    Math.min(RUNS, 5),
    () => {
      for (let now = NOW - 86_400_000 + 3_600_000; now <= NOW; now += 60_000) evaluateAll(now);
    },
    1,
  ),
);

console.log(`\n${table(rows, ['benchmark', 'n', 'p50 ms', 'p99 ms', 'note'])}\n`);
for (const [name, value] of Object.entries(results)) if (typeof value === 'number') console.log(`${name}: ${fmt(value)}`);
const lttb72 = (results[`B10 LTTB ${SERIES} × 25920 (72 h) → ${TARGET}`] as { p50: number }).p50;
const ratio72 = results['B10 LTTB ÷ every-n-th 72 h'] as number;
const gates: [string, boolean][] = [
  [`B10 LTTB within 2× every-n-th (${fmt(ratio72)}×)`, ratio72 <= 2],
  [`B10 min/max keeps every peak (max deviation ${results['B10 min/max peak deviation 72 h']})`, results['B10 min/max peak deviation 72 h'] === 0],
  [`B10 LTTB 72 h < 15 ms (${fmt(lttb72)} ms)`, lttb72 < 15],
];
for (const [text, ok] of gates) console.log(`${ok ? 'PASS' : 'MISS'}  ${text}`);
console.log(`alerts: ${fmt(pass)} ms for ${RULES} rules per pass; ${fmt(replay)} ms for a 24 h replay`);

const resultsFile = join(here, 'results', 'metrics-kernels.json');
if (existsSync(resultsFile)) {
  const previous = JSON.parse(readFileSync(resultsFile, 'utf8')) as { at: string; results: Record<string, { p50?: number } | number> };
  const worse = Object.entries(results).flatMap(([name, value]) => {
    const before = previous.results[name];
    if (typeof value !== 'object' || typeof before !== 'object' || !before?.p50) return [];
    const now = (value as { p50: number }).p50;
    return now > before.p50 * 1.2 ? [`${name}: ${fmt(before.p50)} → ${fmt(now)} ms`] : [];
  });
  console.log(worse.length ? `\nslower than the previous run (${previous.at}) by > 20%:\n  ${worse.join('\n  ')}` : `\nno regression > 20% against the previous run (${previous.at})`);
}
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify({ name: 'metrics-kernels', at: new Date().toISOString(), machine: box, runs: RUNS, results, sink: sink > 0 }, null, 2)}\n`);
console.log(`results written to ${resultsFile}`);

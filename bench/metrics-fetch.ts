// B8 (BENCHMARKS.md): fetching a 24 h × 20-series panel from a real local Prometheus at a step of
// range ÷ 1000 against the raw 10 s step, then an incremental refresh and a 72 h window at 15 s.
// 24 h of history is backfilled with promtool before Prometheus starts; a synthetic answer of the
// same shape (built here) gives the parse-only figures. Writes bench/results/metrics-fetch.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { queryRange, resolveSecretFor, type PrometheusTarget } from '../src/main/core/metrics/prometheus-client.ts';
import { parseQueryRange } from '../src/shared/metrics/prometheus.ts';
import { chooseStep, DEFAULT_POINTS } from '../src/shared/metrics/step.ts';
import { startPrometheus } from '../test/helpers/prometheus.ts';
import { fmt, machine, sample, sampleAsync, summarize, table, type Summary } from './stats.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
const quick = process.argv.includes('--quick');
const RUNS = quick ? 10 : 40;
const SERIES = 20;
const RAW_STEP = 10;
const DAY_MS = 86_400_000;
const METRIC = 'bench_requests_per_second';

/** 24 h of SERIES gauges at RAW_STEP ending at `endS`, as OpenMetrics for promtool. */
function history(endS: number): string {
  const points = DAY_MS / 1000 / RAW_STEP;
  const lines = [`# TYPE ${METRIC} gauge`];
  for (let s = 0; s < SERIES; s++) {
    for (let i = points; i >= 0; i--) {
      const at = endS - i * RAW_STEP;
      const value = 100 + 20 * Math.sin((at / 3600 + s) * 0.7) + ((at * 7 + s * 13) % 10);
      lines.push(`${METRIC}{instance="web-${String(s).padStart(2, '0')}"} ${value.toFixed(3)} ${at}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** A query_range answer of `series` × `points`, as Prometheus writes it. */
function syntheticAnswer(series: number, points: number, stepS: number): string {
  const result = Array.from({ length: series }, (_, s) => ({
    metric: { __name__: METRIC, instance: `web-${s}`, job: 'api' },
    values: Array.from({ length: points }, (_, i) => [1_795_000_000 + i * stepS, String(100 + ((i * 31 + s) % 97) / 7)]),
  }));
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

const parse = (text: string) => {
  const answer = parseQueryRange(JSON.parse(text));
  if (!answer.ok) throw new Error(answer.error);
  return answer;
};

async function main(): Promise<void> {
  const box = machine();
  log(`machine: ${box.cpu}, ${box.cores} cores, ${box.memoryGiB} GiB, ${box.os}, Node ${box.node}`);
  const endS = Math.floor(Date.now() / 1000 / RAW_STEP) * RAW_STEP - 60;
  const t = performance.now();
  const text = history(endS);
  const prom = await startPrometheus({ backfill: text, retention: '3d' });
  log(`Prometheus ${prom.url}: ${SERIES} series × 24 h at ${RAW_STEP} s backfilled (${(text.length / 2 ** 20).toFixed(1)} MiB OpenMetrics) and started in ${fmt(performance.now() - t)} ms`);
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown> = { at: new Date().toISOString(), machine: box, series: SERIES, rangeHours: 24, rawStepSeconds: RAW_STEP };
  try {
    const target: PrometheusTarget = { url: prom.url, timeoutMs: 30_000 };
    const secrets = resolveSecretFor({ secrets: null, env: {} }, 'bench');
    const endMs = endS * 1000;
    const startMs = endMs - DAY_MS;
    const fetchAt = async (stepS: number, from = startMs, to = endMs) => {
      const answer = await queryRange(target, secrets, METRIC, from, to, stepS);
      if (!answer.ok) throw new Error(`${answer.errorType}: ${answer.error}`);
      return answer;
    };
    const measure = async (name: string, stepS: number, from?: number, to?: number) => {
      const first = await fetchAt(stepS, from, to);
      const points = first.series.reduce((n, s) => n + s.t.length, 0);
      const runs = summarize(await sampleAsync(RUNS, async () => void (await fetchAt(stepS, from, to)), 3));
      rows.push([name, runs.n, fmt(runs.p50), fmt(runs.p99), `${first.bytes} B`, `${first.series.length} series, ${points} points`]);
      return { bytes: first.bytes, series: first.series.length, points, fetchParse: runs };
    };

    // ---- the panel: range ÷ 1000 vs the raw scrape step ----------------------------------------
    const panelStep = DAY_MS / 1000 / 1000;
    const panel = await measure(`B8 fetch+parse 24h @ ${panelStep} s (range÷1000)`, panelStep);
    const raw = await measure(`B8 fetch+parse 24h @ ${RAW_STEP} s (raw)`, RAW_STEP);
    // What a panel actually asks for: range ÷ 1000 rounded up to a nice step.
    const niceStep = chooseStep(DAY_MS, DEFAULT_POINTS);
    const nice = await measure(`24h @ ${niceStep} s (nice step the panels use)`, niceStep);

    // Parse alone, on the bodies Prometheus sent (same shape as above).
    const bodyOf = async (stepS: number) => {
      const params = new URLSearchParams({ query: METRIC, start: String(startMs / 1000), end: String(endMs / 1000), step: String(stepS) });
      return (await fetch(`${prom.url}/api/v1/query_range?${params.toString()}`)).text();
    };
    const parseOnly = async (name: string, body: string) => {
      const runs = summarize(sample(RUNS, () => void parse(body), 3));
      rows.push([name, runs.n, fmt(runs.p50), fmt(runs.p99), `${body.length} B`, '']);
      return runs;
    };
    const panelBody = await bodyOf(panelStep);
    const rawBody = await bodyOf(RAW_STEP);
    const panelParse = await parseOnly('B8 parse only, range÷1000 answer', panelBody);
    const rawParse = await parseOnly('B8 parse only, raw answer', rawBody);
    // How much of that is JSON.parse (the rest is validation and number conversion).
    const jsonOnly = summarize(sample(RUNS, () => void JSON.parse(panelBody), 3));
    rows.push(['  of which JSON.parse, range÷1000 answer', jsonOnly.n, fmt(jsonOnly.p50), fmt(jsonOnly.p99), '', '']);

    // ---- incremental refresh: only the points after the last one shown -------------------------
    // The panel's last point is at endMs; a refresh a minute later asks only for what follows.
    const incremental = await measure('B8 incremental refresh (the last minute)', panelStep, endMs, endMs + 60_000);

    // ---- 72 h at 15 s: more than 11 000 points, split by the client ----------------------------
    const long = await fetchAt(15, endMs - 3 * DAY_MS, endMs);
    const longPoints = long.series[0]?.t.length ?? 0;
    rows.push(['72h @ 15 s (split under 11 000 points)', 1, fmt(long.ms), '', `${long.bytes} B`, `${longPoints} points per series, no 400`]);

    // ---- synthetic recorded answers: 20 × 8 640 vs 20 × 1 000 ----------------------------------
    const synthRaw = syntheticAnswer(SERIES, 8640, RAW_STEP);
    const synthPanel = syntheticAnswer(SERIES, 1000, panelStep);
    const synthRawParse = await parseOnly('synthetic 20 × 8 640 parse', synthRaw);
    const synthPanelParse = await parseOnly('synthetic 20 × 1 000 parse', synthPanel);

    const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
    const figures = {
      bytesRatio: ratio(raw.bytes, panel.bytes),
      parseRatio: ratio(rawParse.p50, panelParse.p50),
      fetchParseRatio: ratio(raw.fetchParse.p50, panel.fetchParse.p50),
      syntheticBytesRatio: ratio(synthRaw.length, synthPanel.length),
      syntheticParseRatio: ratio(synthRawParse.p50, synthPanelParse.p50),
    };
    const round = (s: Summary) => ({ n: s.n, p50: Number(fmt(s.p50)), p99: Number(fmt(s.p99)), max: Number(fmt(s.max)) });
    Object.assign(results, {
      panel: { stepSeconds: panelStep, bytes: panel.bytes, points: panel.points, fetchParseMs: round(panel.fetchParse), parseMs: round(panelParse), jsonParseMs: round(jsonOnly) },
      raw: { stepSeconds: RAW_STEP, bytes: raw.bytes, points: raw.points, fetchParseMs: round(raw.fetchParse), parseMs: round(rawParse) },
      niceStep: { stepSeconds: niceStep, bytes: nice.bytes, points: nice.points, fetchParseMs: round(nice.fetchParse) },
      incremental: { bytes: incremental.bytes, points: incremental.points, fetchParseMs: round(incremental.fetchParse) },
      window72h: { stepSeconds: 15, ok: true, pointsPerSeries: longPoints, bytes: long.bytes, ms: Math.round(long.ms) },
      synthetic: {
        raw: { series: SERIES, points: 8640, bytes: synthRaw.length, parseMs: round(synthRawParse) },
        panel: { series: SERIES, points: 1000, bytes: synthPanel.length, parseMs: round(synthPanelParse) },
      },
      ratios: figures,
      gates: {
        bytesAtLeast5x: figures.bytesRatio >= 5,
        parseAtLeast5x: figures.parseRatio >= 5,
        fetchParseUnder50ms: panel.fetchParse.p50 < 50,
        incrementalUnder10ms: incremental.fetchParse.p50 < 10,
        window72hNo400: true,
      },
    });
    process.stdout.write(`\n${table(rows, ['benchmark', 'n', 'p50 ms', 'p99 ms', 'bytes', 'note'])}\n`);
    process.stdout.write(
      `\nraw ÷ panel: bytes ${figures.bytesRatio}×, parse ${figures.parseRatio}×, fetch+parse ${figures.fetchParseRatio}× ` +
        `(synthetic: bytes ${figures.syntheticBytesRatio}×, parse ${figures.syntheticParseRatio}×)\n`,
    );
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/metrics-fetch.json', `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await prom.stop();
  }
}

await main();

// B5 page: a grid of 4 panels × 5 series (20 series × 8 640 points, 24 h at 10 s) drawn by the
// app's own PanelChart. The data arrives as a recorded Prometheus query_range body (a JSON
// string built once at load). window.bench.firstFrame(mode) times parse → (LTTB) → render →
// next animation frame; window.bench.update() times one live update (one sample per series).
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { SeriesData } from '../../src/shared/api/metrics.ts';
import { downsample } from '../../src/shared/metrics/lttb.ts';
import { parseQueryRange, seriesName } from '../../src/shared/metrics/prometheus.ts';
import { PanelChart } from '../../src/renderer/features/metrics/PanelChart.tsx';
import '../../src/renderer/styles/tokens.css';
import '../../src/renderer/features/metrics/metrics.css';

const SERIES = 20;
const PER_PANEL = 5;
const POINTS = 8640;
const STEP_MS = 10_000;
const WIDTH = 600;
const HEIGHT = 200;
const END = Date.UTC(2026, 10, 23, 12, 0, 0);
const START = END - (POINTS - 1) * STEP_MS;

/** A recorded-looking answer: noisy rates with a daily wave, a spike, and a short NaN gap. */
function recordedAnswer(): string {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const result = [];
  for (let s = 0; s < SERIES; s++) {
    const values: [number, string][] = [];
    for (let i = 0; i < POINTS; i++) {
      const t = (START + i * STEP_MS) / 1000;
      const base = 100 + 30 * Math.sin((i / POINTS) * Math.PI * 2 + s) + rnd() * 10;
      const v = i >= 4000 && i < 4010 && s % 4 === 0 ? 'NaN' : i === 6000 ? String(base * 3) : base.toFixed(3);
      values.push([t, v]);
    }
    result.push({ metric: { __name__: 'http_requests', job: 'api', instance: `api-${s}` }, values });
  }
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

const BODY = recordedAnswer();
const root: Root = createRoot(document.getElementById('root')!);
let current: SeriesData[][] = [];

/** Where the time of the last first frame went (ms). */
const split = { parse: 0, thin: 0, render: 0 };

function toPanels(downsampled: boolean): SeriesData[][] {
  const t0 = performance.now();
  const answer = parseQueryRange(JSON.parse(BODY));
  if (!answer.ok) throw new Error(answer.error);
  const t1 = performance.now();
  split.parse = t1 - t0;
  const series: SeriesData[] = answer.series.map((s, i) => {
    const raw: [number, number | null][] = s.t.map((t, j) => [t, Number.isNaN(s.v[j]!) ? null : s.v[j]!]);
    return {
      key: `s${i}`,
      panel: `p${Math.floor(i / PER_PANEL)}`,
      queryIndex: 0,
      name: seriesName(s.labels),
      labels: s.labels,
      points: downsampled ? downsample(raw, Math.min(1000, WIDTH)) : raw,
      raw: raw.length,
      devices: ['bench'],
    };
  });
  split.thin = performance.now() - t1;
  const panels: SeriesData[][] = [];
  for (let p = 0; p < SERIES / PER_PANEL; p++) panels.push(series.slice(p * PER_PANEL, (p + 1) * PER_PANEL));
  return panels;
}

function Grid({ panels, to }: { panels: SeriesData[][]; to: number }) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: `repeat(2, ${WIDTH}px)`, gap: 16, padding: 16 }}>
      {panels.map((series, i) => (
        <PanelChart key={i} series={series} markers={[{ at: START + 3600_000, kind: 'deploy', label: 'Deployment started' }]} threshold={180} from={START} to={to} width={WIDTH} height={HEIGHT} />
      ))}
    </div>
  );
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

async function firstFrame(mode: 'raw' | 'lttb'): Promise<{ total: number; parse: number; thin: number; render: number }> {
  flushSync(() => root.render(<div />));
  await nextFrame();
  const started = performance.now();
  current = toPanels(mode === 'lttb');
  const rendering = performance.now();
  flushSync(() => root.render(<Grid panels={current} to={END} />));
  await nextFrame();
  const done = performance.now();
  split.render = done - rendering;
  return { total: done - started, ...split };
}

/** One live sample per series, the window sliding by one step; downsampled mode re-thins. */
async function update(mode: 'raw' | 'lttb', n: number): Promise<number> {
  const started = performance.now();
  const at = END + n * STEP_MS;
  current = current.map((panel) =>
    panel.map((s) => {
      const points = [...s.points.slice(1), [at, 100 + Math.sin(n) * 20] as [number, number | null]];
      return { ...s, points: mode === 'lttb' ? downsample(points, Math.min(1000, WIDTH)) : points };
    }),
  );
  flushSync(() => root.render(<Grid panels={current} to={at} />));
  await nextFrame();
  return performance.now() - started;
}

function drawnPaths(): number {
  return document.querySelectorAll('.recharts-line-curve').length;
}

function heapBytes(): number | null {
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? memory.usedJSHeapSize : null;
}

/** Not timed: one panel with everything a chart can show (band, canary, gap, ±Inf, markers), to look at. */
function showcase(theme: 'dark' | 'light'): void {
  document.documentElement.dataset.theme = theme;
  const from = START + 7800 * STEP_MS;
  const at = (i: number) => from + i * 60_000;
  const wave = (i: number, k: number) => 100 + 20 * Math.sin(i / 3) + k;
  const canary: [number, number | null][] = Array.from({ length: 14 }, (_, i) => [at(i), i === 5 || i === 6 ? null : i === 9 ? Infinity : wave(i, 25)]);
  const stable: [number, number | null][] = Array.from({ length: 14 }, (_, i) => [at(i), wave(i, 0)]);
  const series: SeriesData[] = [
    { key: 'c', panel: 'p', queryIndex: 0, name: 'p95 {track="canary"}', labels: {}, points: canary, raw: 14, devices: ['d'], role: 'canary' },
    { key: 'b', panel: 'p', queryIndex: 0, name: 'p95 {track="stable"}', labels: {}, points: stable, raw: 14, devices: ['d'], role: 'baseline' },
  ];
  const band = { key: 'b', band: stable.map(([t, v]) => [t, (v ?? 0) - 12, (v ?? 0) + 12] as [number, number, number]), mean: 100, current: 112, changePercent: 12 };
  const markers = [
    { at: at(2), kind: 'deploy', label: 'Deployment started' },
    { at: at(8), kind: 'run.step', label: 'Step 3 done: traffic to 50 %' },
  ];
  flushSync(() =>
    root.render(
      <div style={{ padding: 16, background: 'var(--surface)' }}>
        <PanelChart series={series} baselines={[band]} markers={markers} threshold={150} unit="ms" from={from} to={at(13)} width={WIDTH} height={HEIGHT} />
      </div>,
    ),
  );
}

Object.assign(window, { bench: { firstFrame, update, drawnPaths, heapBytes, showcase, ready: true } });

// The chart's data: a release's panels' stored samples in a range, each series downsampled
// (LTTB, gaps kept) to the requested points, named by its legend, with the devices it came
// from, its canary role, and the baseline band and change for panels that compare.
import { ApiError } from '../../../shared/api/errors.ts';
import type { BaselineView, SeriesData, SeriesResult } from '../../../shared/api/metrics.ts';
import type { ParsedInputOf } from '../../../shared/api/contract.ts';
import { baselineBand, baselineWindow, canaryRole, meanOf, percentChange } from '../../../shared/metrics/baseline.ts';
import { downsample } from '../../../shared/metrics/lttb.ts';
import type { PanelDoc } from '../../../shared/metrics/model.ts';
import { seriesName } from '../../../shared/metrics/prometheus.ts';
import { deployStartedAt, readPanels, readSource } from './config.ts';
import type { RuntimeEnv } from './env.ts';
import { locate, storedSeries } from './locate.ts';
import { DEFAULT_RANGE_MS, panelStepSeconds } from './refresh.ts';
import { panelKey } from './samples.ts';

const HOUR = 3_600_000;
const PRESET_MS = { '1h': HOUR, '6h': 6 * HOUR, '24h': 24 * HOUR, '72h': 72 * HOUR } as const;
/** Buckets of a baseline band (min/max per bucket, drawn behind the series). */
const BAND_BUCKETS = 100;

type SeriesInput = ParsedInputOf<'metrics.series'>;

export function resolveRange(range: SeriesInput['range'], now: number, deployAt: number | null): { from: number; to: number } {
  if (typeof range === 'object') {
    if (range.to < range.from) throw new ApiError('invalid_input', 'The range ends before it starts: give a `to` at or after `from`.', 'range');
    return range;
  }
  if (range === 'since_deploy') return { from: deployAt ?? now - DEFAULT_RANGE_MS, to: now };
  return { from: now - PRESET_MS[range], to: now };
}

export function readSeries(env: RuntimeEnv, input: SeriesInput): SeriesResult {
  const { store } = env.deps;
  const now = env.deps.now();
  const deployAt = deployStartedAt(store, input.release);
  const { from, to } = resolveRange(input.range, now, deployAt);
  let panels = readPanels(store, input.release);
  if (input.panel !== undefined) {
    panels = panels.filter((p) => p.id === input.panel);
    if (panels.length === 0) throw new ApiError('not_found', `The release has no panel ${input.panel}: list its panels with metrics.view.`, 'panel');
  }
  const series: SeriesData[] = [];
  const baselines: Record<string, BaselineView> = {};
  for (const panel of panels) {
    const drawn = panelSeries(env, input.release, panel, from, to, input.points);
    series.push(...drawn.map((d) => d.data));
    const window = panel.baseline ? baselineWindow(panel.baseline, { from, to }, deployAt) : null;
    if (!panel.baseline || !window) continue;
    baselines[panel.id] = {
      mode: panel.baseline,
      from: window.from,
      to: window.to,
      series: drawn.map(({ data, id, values }) => {
        const past = env.samples.samples(id, window.from, window.to);
        const mean = meanOf(past.v);
        const current = meanOf(values);
        return { key: data.key, band: baselineBand(past.t, past.v, window.shiftMs, { from, to }, BAND_BUCKETS), mean, current, changePercent: percentChange(current, mean) };
      }),
    };
  }
  return { from, to, stepSeconds: panelStepSeconds(now, deployAt), series, baselines };
}

function panelSeries(env: RuntimeEnv, release: string, panel: PanelDoc, from: number, to: number, points: number) {
  const kind = readSource(env.deps.store, panel.source)?.config.kind ?? null;
  return panel.queries.flatMap((q, queryIndex) =>
    storedSeries(env.samples, release, locate(kind, panelKey(panel.id, queryIndex), panel.source), q.query).map((stored) => {
      const labels = JSON.parse(stored.labels) as Record<string, string>;
      const cols = env.samples.samples(stored.id, from, to);
      const role = panel.canaryLabel ? canaryRole(labels, panel.canaryLabel) : null;
      const data: SeriesData = {
        key: `${panelKey(panel.id, queryIndex)}:${stored.labels}`,
        panel: panel.id,
        queryIndex,
        name: seriesName(labels, q.legend),
        labels,
        points: downsample(
          cols.t.map((t, i) => [t, cols.v[i]!] as const),
          points,
        ),
        raw: cols.t.length,
        devices: cols.devices,
        ...(role ? { role } : {}),
      };
      return { data, id: stored.id, values: cols.v };
    }),
  );
}

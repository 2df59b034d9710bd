// API group: live post-deployment metrics — sources, panels, alert rules, dashboards, samples,
// refreshes with rule evaluation, manual readings and the stabilization session.
import { z } from 'zod';
import { method } from './define.ts';
import type { ReleaseStatus } from '../domain/releases.ts';
import type { Actor } from '../events/envelope.ts';
import type { AlertEvidence, AlertTransition } from '../events/metric-events.ts';
import {
  criterionText,

  panelDoc,
  ruleDoc,
  slug,
  sourceConfig,
  type DashboardDoc,
  type PanelDoc,
  type RuleDoc,
  type RuleState,
  type SourceConfig,
  type SourceKind,
} from '../metrics/model.ts';

const releaseId = z.string().trim().min(1, 'Name a release.').max(200);
const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);
/** A reading: a JSON number, or NaN / ±Infinity spelled out. */
const readingValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity', '+Inf', '-Inf']).transform((v) => Number(v.replace('Inf', 'Infinity')))]);

// ---- results ------------------------------------------------------------------------------

export interface SourceSummary {
  name: string;
  kind: SourceKind;
  config: SourceConfig;
  /** "none", "env PROM_TOKEN", "keychain (stored on this device)", "keychain (not on this device)". */
  auth: string;
  /** The last request this device made to it. */
  health: { ok: boolean; message: string; at: string } | null;
  updatedBy: Actor | null;
  updatedAt: string | null;
}

/** One series as the chart draws it: already downsampled (LTTB) to at most `points`. */
export interface SeriesData {
  /** Stable across refreshes: panel, query index and the label set. */
  key: string;
  panel: string;
  queryIndex: number;
  /** The legend: the query's legend template filled in, else the metric name and labels. */
  name: string;
  labels: Record<string, string>;
  /** `[epoch ms, value]`; null is a gap (NaN, or no sample). ±Infinity is drawn at the edge. */
  points: [number, number | null][];
  /** Samples stored in the range before downsampling. */
  raw: number;
  /** The devices whose queries or feeds the samples came from. */
  devices: string[];
  /** Canary-versus-baseline role when the panel names a `canaryLabel`. */
  role?: 'canary' | 'baseline';
}

export interface BaselineView {
  mode: 'before_deploy' | 'week_before';
  /** The comparison window (epoch ms). */
  from: number;
  to: number;
  /** Per panel series key: the band drawn behind the series and the change against it. */
  series: { key: string; band: [number, number, number][]; mean: number | null; current: number | null; changePercent: number | null }[];
}

export interface PanelView {
  doc: PanelDoc;
  /** ok: data; no_data: the query answered nothing; error: the last request failed (data kept). */
  state: 'ok' | 'no_data' | 'error' | 'never';
  message: string | null;
  lastGoodAt: string | null;
  lastTriedAt: string | null;
}

export interface RuleStatus {
  rule: RuleDoc;
  state: RuleState;
  /** Since when the rule is in this state (the start of the `for` window when firing). */
  since: string | null;
  /** "error rate 3.1 % > 2 % for 5 min (31 samples)". */
  detail: string;
  evidence: AlertEvidence;
  evaluatedAt: string | null;
  /** The latest metric.alert event of this rule, if any. */
  lastEvent: { id: string; state: AlertTransition; at: string; by: Actor } | null;
  /** Go/no-go criteria this rule answers (criterion id and title). */
  criteria: { id: string; title: string }[];
}

export interface AlertView {
  rule: string;
  title: string;
  state: 'firing' | 'no_data';
  since: string | null;
  detail: string;
  evidence: AlertEvidence;
  /** The runbook rollback is available (a rollback section exists and no rollback is running). */
  rollbackAvailable: boolean;
}

export interface StabilizationView {
  startedAt: string;
  endsAt: string;
  durationSeconds: number;
  /** Seconds left at `computedAt` (0 once over; the session stays open until closed). */
  remainingSeconds: number;
  criteria: { id: string; text: string; done: boolean; note: string | null; by: Actor | null; at: string | null }[];
  handoffs: { id: string; at: string; by: Actor; from: string; to: string; notes: string; watch: string | null }[];
  closed: { at: string; by: Actor; note: string | null } | null;
  /** Why it cannot be closed now (open criteria); empty when it can. */
  blockers: string[];
}

export interface MetricsMarker {
  at: number;
  /** `deploy` for the deployment start; otherwise the event type. */
  kind: string;
  label: string;
}

export interface MetricsViewData {
  release: { id: string; name: string; version: string; status: ReleaseStatus; deployStartedAt: string | null };
  sources: SourceSummary[];
  panels: PanelView[];
  rules: RuleStatus[];
  /** Rules firing or without data now: the banner. */
  alerts: AlertView[];
  markers: MetricsMarker[];
  stabilization: StabilizationView | null;
  dashboards: { id: string; title: string; panels: number; rules: number; versions: number }[];
  /** The core refreshes live releases on its own every `refreshMs` (0: only on request). */
  refreshMs: number;
  lastRefreshAt: string | null;
  computedAt: string;
}

export interface RefreshReport {
  at: string;
  release: string;
  panels: { panel: string; state: PanelView['state']; message: string | null; samples: number }[];
  rules: RuleStatus[];
  /** metric.alert events written by this refresh. */
  alertsWritten: number;
  durationMs: number;
}

export interface SeriesResult {
  from: number;
  to: number;
  /** Step the samples were queried at for this range, in seconds (for the legend). */
  stepSeconds: number;
  series: SeriesData[];
  baselines: Record<string, BaselineView>;
}

// ---- methods ------------------------------------------------------------------------------

export const RANGE_PRESETS = ['since_deploy', '1h', '6h', '24h', '72h'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const metricsApi = {
  'metrics.source.list': method<SourceSummary[]>()({
    input: z.strictObject({}),
    access: 'read',
    summary: 'Every metric source of the workspace with how this device last reached it.',
  }),
  'metrics.source.save': method<SourceSummary>()({
    input: z.strictObject({
      name: slug,
      config: sourceConfig,
      /** A token or password to keep in this device's keychain (`auth.*.from: keychain`); never logged or synced. */
      secret: z.string().min(1).max(8192).optional(),
    }),
    access: 'write',
    summary: 'Add or change a metric source; a secret goes to the OS keychain, the event only says where it is.',
  }),
  'metrics.source.remove': method<{ name: string }>()({
    input: z.strictObject({ name: slug }),
    access: 'write',
    summary: 'Remove a metric source (panels that use it show the error until changed).',
  }),
  'metrics.source.test': method<{ ok: boolean; message: string; latencyMs: number }>()({
    input: z.strictObject({ name: slug }),
    access: 'read',
    summary: 'Ask a source whether it answers (Prometheus: a tiny instant query; file: the file is readable).',
  }),
  'metrics.view': method<MetricsViewData>()({
    input: z.strictObject({ release: releaseId }),
    access: 'read',
    summary: 'A release’s metrics: panels and their state, rules with the samples that decided them, alerts, markers, stabilization.',
  }),
  'metrics.series': method<SeriesResult>()({
    input: z.strictObject({
      release: releaseId,
      /** A preset, or an explicit window (epoch ms). */
      range: z.union([z.enum(RANGE_PRESETS), z.strictObject({ from: epochMs, to: epochMs })]).default('since_deploy'),
      panel: slug.optional(),
      /** Points per series after downsampling (the plot's width in px, at most 2 000). */
      points: z.number().int().min(10).max(2000).default(1000),
    }),
    access: 'read',
    summary: 'Stored samples of the release’s panels in a range, downsampled with LTTB, with baseline bands.',
  }),
  'metrics.refresh': method<RefreshReport>()({
    input: z.strictObject({ release: releaseId }),
    access: 'write',
    summary: 'Query every source of the release now, store the samples, evaluate the rules and record alert transitions.',
  }),
  'metrics.rules': method<RuleStatus[]>()({
    input: z.strictObject({ release: releaseId }),
    access: 'read',
    summary: 'Each alert rule’s state (ok, firing, no data) with its query, window, threshold, baseline and deciding samples.',
  }),
  'metrics.panel.save': method<PanelView>()({
    input: z.strictObject({ release: releaseId, panel: panelDoc }),
    access: 'write',
    summary: 'Add or change a panel of the release (queries, unit, chart, threshold line, baseline band).',
  }),
  'metrics.panel.remove': method<{ release: string; panel: string }>()({
    input: z.strictObject({ release: releaseId, panel: slug }),
    access: 'write',
    summary: 'Remove a panel from the release (its samples stay for the post-mortem).',
  }),
  'metrics.rule.save': method<RuleStatus>()({
    input: z.strictObject({ release: releaseId, rule: ruleDoc }),
    access: 'write',
    summary: 'Add or change an alert rule of the release.',
  }),
  'metrics.rule.remove': method<{ release: string; rule: string }>()({
    input: z.strictObject({ release: releaseId, rule: slug }),
    access: 'write',
    summary: 'Remove an alert rule from the release.',
  }),
  'metrics.record': method<{ event: string }>()({
    input: z.strictObject({
      release: releaseId,
      metric: z.string().trim().min(1).max(200),
      value: readingValue,
      at: epochMs.optional(),
      unit: z.string().trim().max(16).optional(),
      note: z.string().trim().min(1).max(1000).optional(),
    }),
    access: 'write',
    summary: 'Record a reading by hand (a business KPI from another tool): a sample and a timeline event.',
  }),
  'metrics.dashboard.list': method<{ id: string; title: string; panels: number; rules: number; versions: number; doc: DashboardDoc }[]>()({
    input: z.strictObject({}),
    access: 'read',
    summary: 'Saved dashboard templates.',
  }),
  'metrics.dashboard.save': method<{ id: string; version: number }>()({
    input: z.strictObject({ release: releaseId, id: slug, title: z.string().trim().min(1).max(200) }),
    access: 'write',
    summary: 'Save the release’s panels and rules as a dashboard template (a new version if it exists).',
  }),
  'metrics.dashboard.apply': method<MetricsViewData>()({
    input: z.strictObject({ release: releaseId, dashboard: slug }),
    access: 'write',
    summary: 'Copy a dashboard template’s panels and rules onto a release (same ids are replaced).',
  }),
  'stabilization.start': method<MetricsViewData>()({
    input: z.strictObject({
      release: releaseId,
      durationSeconds: z.number().int().min(3600, 'A stabilization period is at least 1 hour.').max(14 * 86_400, 'A stabilization period is at most 14 days.'),
      criteria: z.array(criterionText).max(30).optional(),
    }),
    access: 'write',
    summary: 'Start the stabilization session (a deploying release moves to stabilizing) with a countdown and exit criteria.',
  }),
  'stabilization.check': method<MetricsViewData>()({
    input: z.strictObject({ release: releaseId, criterion: slug, done: z.boolean(), note: z.string().trim().min(1).max(1000).optional() }),
    access: 'write',
    summary: 'Tick or untick an exit criterion.',
  }),
  'stabilization.handoff': method<MetricsViewData>()({
    input: z.strictObject({
      release: releaseId,
      from: z.string().trim().min(1, 'Who hands over?').max(100),
      to: z.string().trim().min(1, 'Who takes over?').max(100),
      notes: z.string().trim().min(1, 'Write what the next shift needs to know.').max(4000),
      watch: z.string().trim().min(1).max(2000).optional(),
    }),
    access: 'write',
    summary: 'Record a shift hand-off: who hands over to whom, notes and what to watch.',
  }),
  'stabilization.close': method<MetricsViewData>()({
    input: z.strictObject({ release: releaseId, note: z.string().trim().min(1).max(2000).optional() }),
    access: 'write',
    summary: 'Close stabilization (every exit criterion must be met); the release moves to closed.',
  }),
};



// The metrics feature's documents: sources (per workspace), panels and alert rules (per release),
// dashboard templates and stabilization sessions. Their schemas are shared by the API, the event
// catalog and the renderer. Numbers that go into the signed log travel as decimal strings (the
// event log carries no floats); samples never go into the log (see docs/metrics.md).
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A decimal as text (the log has no floats): 2, 0.02, -1.5, 1500. */
export const decimal = z
  .string()
  .trim()
  .regex(/^-?\d{1,15}(\.\d{1,9})?$/, 'Expected a decimal number such as 0.02 or 250.');

/** Names of sources, panels, rules, dashboards and stabilization criteria. */
export const slug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'Use 1–63 lower-case letters, digits, dot, dash or underscore, starting with a letter or digit.');

/** An environment variable name (where a token is read from in `serve` and the CLI). */
export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'Expected an environment variable name such as PROM_TOKEN.');

/**
 * Where a source's secret comes from. Never the secret itself: `keychain` means the OS keychain
 * of each device (Electron's safeStorage, under `metrics.source.<name>`), `env` a variable of the
 * process running the core (`serve`, CLI). Each device supplies its own.
 */
export const secretRef = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('env'), env: envName }),
  z.strictObject({ from: z.literal('keychain') }),
]);
export type SecretRef = z.output<typeof secretRef>;

export const prometheusAuth = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), token: secretRef }),
  z.strictObject({ type: z.literal('basic'), username: text(200), password: secretRef }),
]);
export type PrometheusAuth = z.output<typeof prometheusAuth>;

export const FEED_FORMATS = ['ndjson', 'csv'] as const;

export const sourceConfig = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('prometheus'),
    url: z.url({ protocol: /^https?$/, error: 'Expected the Prometheus base URL, such as http://127.0.0.1:9090.' }).max(2000),
    auth: prometheusAuth.optional(),
    /** Per request; a slower answer is shown on the panel as a timeout. */
    timeoutMs: z.number().int().min(200).max(120_000).default(10_000),
  }),
  z.strictObject({
    kind: z.literal('file'),
    /** Absolute, or relative to the shared sync folder (so every laptop finds it). */
    path: text(4096),
    format: z.enum(FEED_FORMATS).optional(),
  }),
  z.strictObject({ kind: z.literal('manual') }),
]);
export type SourceConfig = z.output<typeof sourceConfig>;
export type SourceKind = SourceConfig['kind'];

export const CHART_KINDS = ['line', 'area'] as const;
export const BASELINE_MODES = ['before_deploy', 'week_before'] as const;
export type BaselineMode = (typeof BASELINE_MODES)[number];

export const panelQuery = z.strictObject({
  /** PromQL for Prometheus; the metric name for file feeds and manual readings. */
  query: text(4000),
  /** Legend template; `{{label}}` is replaced by the series' label (Grafana style). */
  legend: text(200).optional(),
});

export const panelDoc = z.strictObject({
  id: slug,
  title: text(200),
  source: slug,
  queries: z.array(panelQuery).min(1).max(20),
  unit: z.string().trim().max(16).default(''),
  chart: z.enum(CHART_KINDS).default('line'),
  threshold: decimal.optional(),
  baseline: z.enum(BASELINE_MODES).optional(),
  /** Label that tells canary from baseline series (e.g. `track`): shown as a comparison. */
  canaryLabel: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/).optional(),
});
export type PanelDoc = z.output<typeof panelDoc>;
export type PanelInput = z.input<typeof panelDoc>;

export const RULE_KINDS = ['threshold', 'baseline_ratio', 'absent'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/**
 * An alert rule: "error rate > 2 % for 5 min" is `{kind:'threshold', op:'>', threshold:'0.02',
 * forSeconds:300}`; "p95 > 1.5 × baseline for 10 min" is `{kind:'baseline_ratio', op:'>',
 * threshold:'1.5', baseline:'before_deploy', forSeconds:600}`; "no data for 5 min" is
 * `{kind:'absent', forSeconds:300}`.
 */
export const ruleDoc = z
  .strictObject({
    id: slug,
    title: text(200),
    source: slug,
    query: text(4000),
    kind: z.enum(RULE_KINDS).default('threshold'),
    op: z.enum(['>', '<']).optional(),
    threshold: decimal.optional(),
    baseline: z.enum(BASELINE_MODES).optional(),
    /** The condition must hold this long before the rule fires (and clear this long to resolve). */
    forSeconds: z.number().int().min(0).max(7 * 86_400),
    /** Offer the runbook rollback when it fires (default true). */
    rollback: z.boolean().default(true),
  })
  .refine((r) => r.kind === 'absent' || (r.op !== undefined && r.threshold !== undefined), {
    message: 'A threshold rule needs --above or --below and a value.',
    path: ['threshold'],
  })
  .refine((r) => r.kind !== 'baseline_ratio' || r.baseline !== undefined, { message: 'A baseline rule names its baseline window.', path: ['baseline'] });
export type RuleDoc = z.output<typeof ruleDoc>;
export type RuleInput = z.input<typeof ruleDoc>;

export const RULE_STATES = ['ok', 'firing', 'no_data'] as const;
export type RuleState = (typeof RULE_STATES)[number];

export const dashboardDoc = z.strictObject({
  id: slug,
  title: text(200),
  panels: z.array(panelDoc).max(50),
  rules: z.array(ruleDoc).max(100),
});
export type DashboardDoc = z.output<typeof dashboardDoc>;

export const criterionText = text(300);
export const DEFAULT_EXIT_CRITERIA = [
  'No alert rule fired during the last 4 hours',
  'Error rate and latency within baseline',
  'No open incident linked to this release',
  'Support and on-call agree to close',
] as const;

/** Stabilization periods offered in the UI; any 1 h – 14 d is accepted. */
export const STABILIZATION_PRESETS_HOURS = [24, 72] as const;

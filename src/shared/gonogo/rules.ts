// The one rule evaluator for automatic criteria (and, later, metric alerts): a rule and the data
// it reads go in, an outcome with the inputs it rested on comes out. Pure, so every device that
// evaluates the same inputs records the same answer. Decimal values travel as strings because
// the event log carries no floats.
import { z } from 'zod';
import type { JUnitSummary } from './junit.ts';

const decimal = z.string().trim().regex(/^-?\d{1,15}(\.\d{1,9})?$/, 'Expected a decimal number such as 0.5 or 250.');

export const autoRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('runbook_section'),
    /** Section title, compared without case; every step in every such section must be done (or skipped). */
    section: z.string().trim().min(1).max(200),
  }),
  z.strictObject({
    kind: z.literal('metric_threshold'),
    metric: z.string().trim().min(1).max(120),
    aggregate: z.enum(['max', 'min', 'avg', 'every']),
    op: z.enum(['<', '<=', '>', '>=']),
    threshold: decimal,
    /** Samples from `now − windowSeconds` to `now` count. */
    windowSeconds: z.number().int().min(1).max(30 * 86_400),
    /** Fewer finite samples than this in the window: no answer (default 1). */
    minSamples: z.number().int().min(1).max(100_000).optional(),
  }),
  z.strictObject({ kind: z.literal('junit_pass_rate'), minPercent: z.number().int().min(0).max(100) }),
  z.strictObject({
    kind: z.literal('metric_rule'),
    /** The id of one of the release's metric alert rules: met while it is ok, not met while it fires. */
    rule: z.string().trim().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'Name a metric alert rule by its id, such as error-rate.'),
  }),
]);

export type AutoRule = z.output<typeof autoRuleSchema>;

export interface SectionInput {
  run: string;
  runTitle: string;
  section: string;
  steps: { number: number; title: string; state: string }[];
}

export interface MetricSample {
  /** Epoch milliseconds. */
  at: number;
  value: number;
}

export interface RuleInputs {
  now: number;
  /** Every runbook section of the release (for runbook_section). */
  sections?: readonly SectionInput[];
  /** Samples per metric name (for metric_threshold). */
  samples?: Readonly<Record<string, readonly MetricSample[]>>;
  /** The latest imported test report (for junit_pass_rate). */
  junit?: (JUnitSummary & { name: string }) | null;
  /** Each metric alert rule of the release as the metrics runtime evaluates it now (for metric_rule). */
  alertRules?: Readonly<Record<string, AlertRuleInput>>;
}

/** A metric alert rule's current state and what decided it (the shape of its alert evidence). */
export interface AlertRuleInput {
  state: 'ok' | 'firing' | 'no_data';
  detail: string;
  evidence: { query: string; condition: string; threshold?: string | undefined; baseline?: string | undefined; observed?: string | undefined; samples: readonly unknown[] };
}

export type RuleOutcome = 'met' | 'not_met' | 'unknown';

export interface RuleResult {
  outcome: RuleOutcome;
  /** One sentence a person reads on the board and in the timeline. */
  detail: string;
  /** What the outcome rested on (integers and strings only: it goes into an event). */
  inputs: Record<string, string | number | boolean | string[]>;
}

/** Decimal text for the log: finite numbers only, at most 6 decimals. */
export function decimalText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return String(Math.round(value * 1e6) / 1e6);
}

const compare: Record<'<' | '<=' | '>' | '>=', (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

export function evaluateRule(rule: AutoRule, inputs: RuleInputs): RuleResult {
  switch (rule.kind) {
    case 'runbook_section':
      return evaluateSection(rule, inputs.sections ?? []);
    case 'metric_threshold':
      return evaluateMetric(rule, inputs.samples?.[rule.metric] ?? [], inputs.now);
    case 'junit_pass_rate':
      return evaluateJUnit(rule, inputs.junit ?? null);
    case 'metric_rule':
      return evaluateAlertRule(rule.rule, inputs.alertRules?.[rule.rule]);
  }
}

function evaluateAlertRule(id: string, status: AlertRuleInput | undefined): RuleResult {
  if (!status) return { outcome: 'unknown', detail: `No metric alert rule “${id}” on this release.`, inputs: { rule: id } };
  const { evidence } = status;
  const inputs = {
    rule: id,
    state: status.state,
    query: evidence.query.slice(0, 2000),
    condition: evidence.condition,
    ...(evidence.threshold !== undefined ? { threshold: evidence.threshold } : {}),
    ...(evidence.baseline !== undefined ? { baseline: evidence.baseline } : {}),
    ...(evidence.observed !== undefined ? { observed: evidence.observed } : {}),
    samples: evidence.samples.length,
  };
  const detail = (what: string) => `Alert rule “${id}” ${what}: ${status.detail}`.slice(0, 1000);
  if (status.state === 'ok') return { outcome: 'met', detail: detail('is ok'), inputs };
  if (status.state === 'firing') return { outcome: 'not_met', detail: detail('is firing'), inputs };
  return { outcome: 'unknown', detail: detail('has no data'), inputs };
}

function evaluateSection(rule: Extract<AutoRule, { kind: 'runbook_section' }>, sections: readonly SectionInput[]): RuleResult {
  const wanted = rule.section.toLowerCase();
  const matching = sections.filter((s) => s.section.trim().toLowerCase() === wanted);
  if (matching.length === 0) return { outcome: 'unknown', detail: `No runbook section “${rule.section}” on this release.`, inputs: { section: rule.section, runs: 0 } };
  const steps = matching.flatMap((s) => s.steps.map((step) => ({ ...step, run: s.run })));
  const open = steps.filter((s) => s.state !== 'done' && s.state !== 'skipped');
  const inputs = { section: rule.section, runs: matching.map((s) => s.run), steps: steps.length, open: open.map((s) => `${s.run}/${s.number} ${s.state}`) };
  if (steps.length === 0) return { outcome: 'unknown', detail: `Section “${rule.section}” has no steps.`, inputs };
  if (open.length === 0) return { outcome: 'met', detail: `All ${steps.length} steps of “${rule.section}” are done.`, inputs };
  return { outcome: 'not_met', detail: `${open.length} of ${steps.length} steps of “${rule.section}” are not done (first: step ${open[0]!.number}, ${open[0]!.state}).`, inputs };
}

function evaluateMetric(rule: Extract<AutoRule, { kind: 'metric_threshold' }>, samples: readonly MetricSample[], now: number): RuleResult {
  const from = now - rule.windowSeconds * 1000;
  const inWindow = samples.filter((s) => Number.isFinite(s.at) && s.at >= from && s.at <= now);
  // NaN is a missing reading: it neither passes nor fails. ±Infinity is a reading (a division by
  // zero in an error rate is a real failure) and is compared as it is.
  const readings = inWindow.filter((s) => !Number.isNaN(s.value)).map((s) => s.value);
  const threshold = Number(rule.threshold);
  const base = {
    metric: rule.metric,
    rule: `${rule.aggregate} ${rule.op} ${rule.threshold} over ${rule.windowSeconds}s`,
    samples: readings.length,
    missing: inWindow.length - readings.length,
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
  };
  const needed = rule.minSamples ?? 1;
  if (readings.length < needed) {
    return { outcome: 'unknown', detail: `${rule.metric}: ${readings.length} usable sample(s) in the last ${rule.windowSeconds}s, ${needed} needed.`, inputs: base };
  }
  const test = compare[rule.op];
  if (rule.aggregate === 'every') {
    const bad = readings.filter((v) => !test(v, threshold));
    const inputs = { ...base, violations: bad.length, worst: decimalText(bad.length ? bad.reduce((w, v) => (Math.abs(v - threshold) > Math.abs(w - threshold) ? v : w)) : readings[0]!) };
    return bad.length === 0
      ? { outcome: 'met', detail: `${rule.metric}: all ${readings.length} samples ${rule.op} ${rule.threshold}.`, inputs }
      : { outcome: 'not_met', detail: `${rule.metric}: ${bad.length} of ${readings.length} samples not ${rule.op} ${rule.threshold}.`, inputs };
  }
  const value = rule.aggregate === 'max' ? Math.max(...readings) : rule.aggregate === 'min' ? Math.min(...readings) : readings.reduce((a, b) => a + b, 0) / readings.length;
  const inputs = { ...base, observed: decimalText(value) };
  const ok = Number.isNaN(value) ? false : test(value, threshold);
  return {
    outcome: ok ? 'met' : 'not_met',
    detail: `${rule.metric}: ${rule.aggregate} ${decimalText(value)} ${ok ? '' : 'not '}${rule.op} ${rule.threshold} over ${rule.windowSeconds}s (${readings.length} samples).`,
    inputs,
  };
}

function evaluateJUnit(rule: Extract<AutoRule, { kind: 'junit_pass_rate' }>, report: RuleInputs['junit']): RuleResult {
  if (!report) return { outcome: 'unknown', detail: 'No test report imported yet.', inputs: { minPercent: rule.minPercent } };
  const inputs = {
    report: report.name,
    tests: report.tests,
    passed: report.passed,
    failures: report.failures,
    errors: report.errors,
    skipped: report.skipped,
    passRate: report.passRate ?? -1,
    minPercent: rule.minPercent,
    failing: report.failing,
  };
  if (report.passRate === null) return { outcome: 'unknown', detail: `${report.name}: every test was skipped.`, inputs };
  const ok = report.passRate >= rule.minPercent;
  return {
    outcome: ok ? 'met' : 'not_met',
    detail: `${report.name}: ${report.passed}/${report.tests - report.skipped} passed (${report.passRate}%), ${ok ? 'at least' : 'below'} ${rule.minPercent}%.`,
    inputs,
  };
}

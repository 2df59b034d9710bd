// Alert rules against stored samples: each rule's window and step, its evaluation with the pure
// evaluator (previous state from this process or the folded `alert.<rule>` register), and the
// metric.alert events for transitions that the folded state does not already record.
import type { RuleStatus } from '../../../shared/api/metrics.ts';
import type { AlertTransition } from '../../../shared/events/metric-events.ts';
import { fieldView } from '../../../shared/events/views.ts';
import { evaluateAlertRule } from '../../../shared/metrics/alerts.ts';
import { baselineWindow, meanOf } from '../../../shared/metrics/baseline.ts';
import type { RuleDoc, RuleState } from '../../../shared/metrics/model.ts';
import { NICE_STEPS } from '../../../shared/metrics/step.ts';
import { deployStartedAt, readRules, readSource } from './config.ts';
import { ruleMemoryKey, type RuntimeEnv } from './env.ts';
import { locate, storedSeries } from './locate.ts';
import { criteriaByRule } from './view.ts';
import { ruleKey } from './samples.ts';

/** Rule source errors of the current refresh, by rule id. */
export type SourceErrors = Map<string, string>;

/** The largest nice step of at most a tenth of the `for` window (at least 1 s). */
export function ruleStepSeconds(rule: RuleDoc): number {
  const wanted = Math.max(1, rule.forSeconds / 10);
  return [...NICE_STEPS].reverse().find((s) => s <= wanted) ?? 1;
}

/** What a rule's evaluation reads: its `for` window plus a margin of 5 steps. */
export function ruleWindow(rule: RuleDoc, now: number): { from: number; to: number } {
  const step = ruleStepSeconds(rule) * 1000;
  return { from: now - Math.max(rule.forSeconds * 1000, step) - 5 * step, to: now };
}

/** The recorded state (the folded `alert.<rule>` register), `ok` when nothing was recorded. */
function recordedState(env: RuntimeEnv, release: string, rule: string): { state: RuleState; at: number | null } {
  const entity = env.deps.store.entity('release', release);
  const field = fieldView<{ state: AlertTransition } | null>(entity?.registers[`alert.${rule}`]);
  const latest = field.values[0];
  const state = field.value?.state;
  return { state: state === 'firing' || state === 'no_data' ? state : 'ok', at: latest ? Date.parse(latest.at) : null };
}

export function lastEvents(env: RuntimeEnv, release: string): Map<string, RuleStatus['lastEvent']> {
  const out = new Map<string, RuleStatus['lastEvent']>();
  for (const item of env.deps.store.timeline({ release, type: 'metric.alert', limit: 500 }).items) {
    const data = item.data as { rule?: string; state?: AlertTransition };
    if (!data.rule || !data.state) continue;
    const known = out.get(data.rule);
    if (!known || item.at > known.at) out.set(data.rule, { id: item.id, state: data.state, at: item.at, by: item.actor });
  }
  return out;
}

/** Each rule evaluated now from stored samples; source errors of this refresh (or the last one) count as no data. */
export function evaluateRules(env: RuntimeEnv, release: string, now: number, sourceErrors?: SourceErrors): RuleStatus[] {
  const { store } = env.deps;
  const deployAt = deployStartedAt(store, release);
  const events = lastEvents(env, release);
  const entity = store.entity('release', release);
  const criteria = entity ? criteriaByRule(entity) : new Map<string, { id: string; title: string }[]>();
  return readRules(store, release).map((rule): RuleStatus => {
    const memoryKey = ruleMemoryKey(release, rule.id);
    const remembered = env.memory.rules.get(memoryKey);
    if (sourceErrors) env.memory.ruleErrors.set(memoryKey, sourceErrors.get(rule.id) ?? null);
    const sourceError = env.memory.ruleErrors.get(memoryKey) ?? null;
    const recorded = recordedState(env, release, rule.id);
    const previous = remembered ?? { state: recorded.state, since: recorded.at };
    const kind = readSource(store, rule.source)?.config.kind ?? null;
    const at = locate(kind, ruleKey(rule.id), rule.source);
    const stored = storedSeries(env.samples, release, at, rule.query);
    const window = ruleWindow(rule, now);
    const series = stored.map((s) => ({ labels: JSON.parse(s.labels) as Record<string, string>, ...env.samples.samples(s.id, window.from, window.to) }));
    let baseline: number | null = null;
    if (rule.kind === 'baseline_ratio' && rule.baseline) {
      const w = baselineWindow(rule.baseline, { from: now - rule.forSeconds * 1000, to: now }, deployAt);
      if (w) baseline = meanOf(stored.flatMap((s) => env.samples.samples(s.id, w.from, w.to).v));
    }
    const stepSeconds = kind === 'prometheus' ? ruleStepSeconds(rule) : medianSpacingSeconds(series);
    // This device could not ask the source, but another device's samples (through sync) are
    // recent: judge those rather than reporting no data.
    const fresh = series.some((s) => s.t.length > 0 && now - s.t[s.t.length - 1]! <= 3 * stepSeconds * 1000);
    const evaluation = evaluateAlertRule(rule, {
      now,
      series,
      stepSeconds,
      baseline,
      sourceError: fresh ? null : (sourceError ?? (kind === null ? `the source ${rule.source} is not configured` : null)),
      previous,
    });
    return {
      rule,
      state: evaluation.state,
      since: evaluation.since === null ? null : new Date(evaluation.since).toISOString(),
      detail: evaluation.detail,
      evidence: evaluation.evidence,
      evaluatedAt: new Date(now).toISOString(),
      lastEvent: events.get(rule.id) ?? null,
      criteria: criteria.get(rule.id) ?? [],
    };
  });
}

/** Feeds and manual readings have no query step: judge coverage by their typical spacing. */
function medianSpacingSeconds(series: readonly { t: readonly number[] }[]): number {
  const gaps = series.flatMap((s) => s.t.slice(1).map((t, i) => t - s.t[i]!)).sort((a, b) => a - b);
  return gaps.length === 0 ? 1 : Math.max(1, gaps[Math.floor(gaps.length / 2)]! / 1000);
}

/**
 * Records each rule's transition as a metric.alert event, unless the folded state already says
 * it (another device wrote it); remembers the state for the next evaluation. Returns how many
 * events were written.
 */
export function recordTransitions(env: RuntimeEnv, release: string, statuses: readonly RuleStatus[]): number {
  let written = 0;
  for (const status of statuses) {
    const key = ruleMemoryKey(release, status.rule.id);
    env.memory.rules.set(key, { state: status.state, since: status.since === null ? null : Date.parse(status.since) });
    if (recordedState(env, release, status.rule.id).state === status.state) continue;
    const state: AlertTransition = status.state === 'ok' ? 'resolved' : status.state;
    try {
      env.deps.store.appendEvents([
        { type: 'metric.alert', entity: { kind: 'release', id: release }, data: { rule: status.rule.id, title: status.rule.title, state, detail: status.detail, evidence: status.evidence } },
      ]);
    } catch (error) {
      env.deps.log(`[metrics] could not record ${status.rule.id} ${state} for ${release}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    written++;
    env.deps.changes.publish({ topic: 'alert', release, rule: status.rule.id, title: status.rule.title, state, detail: status.detail });
  }
  return written;
}

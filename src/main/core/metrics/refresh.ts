// One refresh of a release: query every panel query and rule of the release from its source
// (Prometheus incrementally since the last stored sample, feeds from their offset), store the
// samples, keep each panel's outcome (a failure never erases stored data), then evaluate the
// rules and record each transition as a metric.alert event (unless the folded state says so).
import type { RefreshReport } from '../../../shared/api/metrics.ts';
import type { BaselineMode, PanelDoc, RuleDoc, SourceConfig } from '../../../shared/metrics/model.ts';
import { baselineWindow } from '../../../shared/metrics/baseline.ts';
import { chooseStep, DEFAULT_POINTS } from '../../../shared/metrics/step.ts';
import { collectFeed, collectPrometheus, storePending, type CollectEnv, type FeedOutcome, type Outcome } from './collect.ts';
import { deployStartedAt, readPanels, readRules, readSource } from './config.ts';
import type { PanelRecord, RuntimeEnv } from './env.ts';
import { locate, storedSeries } from './locate.ts';
import { evaluateRules, lastEvents, recordTransitions, ruleStepSeconds, ruleWindow, type SourceErrors } from './rules.ts';
import { panelKey, ruleKey } from './samples.ts';

export type { RefreshMemory } from './env.ts';

const HOUR = 3_600_000;
/** The longest range a chart shows (and so the most a first refresh fetches). */
export const VISIBLE_MS = 72 * HOUR;
/** Without a deployment start, panels show (and fetch) the last 6 hours. */
export const DEFAULT_RANGE_MS = 6 * HOUR;

/** The range "since deploy" covers now: from the deployment start (at least 1 h, at most 72 h). */
export function liveRange(now: number, deployAt: number | null): { from: number; to: number } {
  const span = deployAt === null ? DEFAULT_RANGE_MS : Math.min(Math.max(now - deployAt, HOUR), VISIBLE_MS);
  return { from: now - span, to: now };
}

/** The step a panel stores its samples at while the release is live. */
export function panelStepSeconds(now: number, deployAt: number | null): number {
  const { from, to } = liveRange(now, deployAt);
  return chooseStep(to - from, DEFAULT_POINTS);
}

type PromSource = Extract<SourceConfig, { kind: 'prometheus' }>;

interface Fetch {
  env: RuntimeEnv;
  cenv: CollectEnv;
  release: string;
  now: number;
  deployAt: number | null;
}

/**
 * Fetches [from, to] of a stored key incrementally: what lies after the last stored sample, and
 * before the first one when the window has grown backwards (a before-deploy baseline).
 */
async function fetchSince(f: Fetch, key: string, sourceName: string, source: PromSource, query: string, from: number, to: number, stepSeconds: number): Promise<Outcome[]> {
  const ids = storedSeries(f.env.samples, f.release, { key, source: sourceName }, query).map((s) => s.id);
  const step = stepSeconds * 1000;
  const last = f.env.samples.lastT(ids, from, to);
  const first = f.env.samples.firstT(ids, from, to);
  // The last whole step before `to`: Prometheus would fill later points with the latest sample.
  const end = Math.floor(to / step) * step;
  if (end < from) return [];
  const ask = (a: number, b: number) => collectPrometheus(f.cenv, { release: f.release, key, sourceName, source, query, from: a, to: b, stepSeconds });
  const head = first !== null && first - from > step ? await ask(from, first - step) : null;
  if (head?.state === 'error') return [head];
  // Nothing new yet: ask for the last step again anyway, so the panel shows whether the source answers.
  const tail = await ask(last === null ? from : Math.min(last + step, end), end);
  return head ? [head, tail] : [tail];
}

/** The comparison window's samples, fetched once and stored like any others. */
async function fetchBaseline(f: Fetch, key: string, sourceName: string, source: PromSource, query: string, mode: BaselineMode, range: { from: number; to: number }, stepSeconds: number): Promise<Outcome[]> {
  const window = baselineWindow(mode, range, f.deployAt);
  if (!window) return [];
  return fetchSince(f, key, sourceName, source, query, window.from, window.to, stepSeconds);
}

interface Combined {
  state: Outcome['state'] | null;
  message: string | null;
  /** The requests' outcomes: their `samples` are known once the refresh has stored them. */
  parts: Outcome[];
}

/** Combines outcomes: any error wins, then any data, else no data. */
function combine(parts: Outcome[]): Combined {
  const error = parts.find((o) => o.state === 'error');
  if (error) return { state: 'error', message: error.message, parts };
  if (parts.length === 0) return { state: null, message: null, parts };
  return { state: parts.some((o) => o.state === 'ok') ? 'ok' : 'no_data', message: null, parts };
}

async function refreshPanel(f: Fetch, panel: PanelDoc, feed: (name: string, config: Extract<SourceConfig, { kind: 'file' }>) => FeedOutcome) {
  const entry = readSource(f.env.deps.store, panel.source);
  if (!entry) return { state: 'error' as const, message: `Panel ${panel.id} uses the source ${panel.source}, which is not configured: add that source or change the panel.`, parts: [] };
  const config = entry.config;
  const hasData = () =>
    panel.queries.some((q, i) => {
      const ids = storedSeries(f.env.samples, f.release, locate(config.kind, panelKey(panel.id, i), panel.source), q.query).map((s) => s.id);
      return f.env.samples.lastT(ids) !== null;
    });
  if (config.kind === 'file') {
    const outcome = feed(panel.source, config);
    if (outcome.state === 'error') return { state: 'error' as const, message: outcome.message, parts: [outcome] };
    return { state: hasData() ? ('ok' as const) : ('no_data' as const), message: outcome.message, parts: [outcome] };
  }
  if (config.kind === 'manual') return { state: hasData() ? ('ok' as const) : ('no_data' as const), message: null, parts: [] };
  const range = liveRange(f.now, f.deployAt);
  const step = panelStepSeconds(f.now, f.deployAt);
  const outcomes: Outcome[] = [];
  for (const [i, q] of panel.queries.entries()) {
    const key = panelKey(panel.id, i);
    outcomes.push(...(await fetchSince(f, key, panel.source, config, q.query, range.from, range.to, step)));
    if (panel.baseline && outcomes.at(-1)?.state !== 'error') outcomes.push(...(await fetchBaseline(f, key, panel.source, config, q.query, panel.baseline, range, step)));
  }
  const combined = combine(outcomes);
  // Nothing new to ask for (refreshed within the step): the panel reads as its stored data.
  return { ...combined, state: combined.state ?? (hasData() ? ('ok' as const) : ('no_data' as const)) };
}

async function refreshRule(f: Fetch, rule: RuleDoc, feed: (name: string, config: Extract<SourceConfig, { kind: 'file' }>) => FeedOutcome): Promise<string | null> {
  const entry = readSource(f.env.deps.store, rule.source);
  if (!entry) return `Rule ${rule.id} uses the source ${rule.source}, which is not configured: add that source or change the rule.`;
  const config = entry.config;
  if (config.kind === 'file') {
    const outcome = feed(rule.source, config);
    return outcome.state === 'error' ? outcome.message : null;
  }
  if (config.kind === 'manual') return null;
  const window = ruleWindow(rule, f.now);
  const step = ruleStepSeconds(rule);
  const outcomes = await fetchSince(f, ruleKey(rule.id), rule.source, config, rule.query, window.from, window.to, step);
  if (rule.kind === 'baseline_ratio' && rule.baseline && outcomes.at(-1)?.state !== 'error') {
    outcomes.push(...(await fetchBaseline(f, ruleKey(rule.id), rule.source, config, rule.query, rule.baseline, { from: f.now - rule.forSeconds * 1000, to: f.now }, step)));
  }
  const combined = combine(outcomes);
  if (combined.state) noteHealth(f.env, rule.source, { state: combined.state, message: combined.message }, new Date(f.now).toISOString());
  return combined.state === 'error' ? combined.message : null;
}

export async function refreshRelease(env: RuntimeEnv, release: string): Promise<RefreshReport> {
  const started = performance.now();
  const { store } = env.deps;
  const now = env.deps.now();
  const f: Fetch = {
    env,
    cenv: { samples: env.samples, secrets: env.deps.secrets, device: store.device().id, syncFolder: env.deps.syncFolder, pending: [] },
    release,
    now,
    deployAt: deployStartedAt(store, release),
  };
  // A feed is read once per refresh, however many panels and rules name it.
  const feeds = new Map<string, FeedOutcome>();
  const feed = (name: string, config: Extract<SourceConfig, { kind: 'file' }>) => {
    let outcome = feeds.get(name);
    if (!outcome) {
      outcome = collectFeed(f.cenv, release, name, config);
      feeds.set(name, outcome);
      env.memory.health.set(name, { ok: outcome.state !== 'error', message: outcome.message ?? `${outcome.samples} new readings`, at: new Date(now).toISOString() });
    }
    return outcome;
  };

  const panelStates = env.memory.panels.get(release) ?? new Map<string, PanelRecord>();
  env.memory.panels.set(release, panelStates);
  const panels: RefreshReport['panels'] = [];
  // Sources are asked in parallel (a few requests at a time); storing stays one transaction each.
  const panelDocs = readPanels(store, release);
  const outcomes = await inParallel(panelDocs, (panel) => refreshPanel(f, panel, feed));
  panelDocs.forEach((panel, i) => {
    const outcome = outcomes[i]!;
    const at = new Date(now).toISOString();
    const before = panelStates.get(panel.id);
    panelStates.set(panel.id, { state: outcome.state, message: outcome.message, lastGoodAt: outcome.state === 'error' ? (before?.lastGoodAt ?? null) : at, lastTriedAt: at });
    noteHealth(env, panel.source, outcome, at);
    panels.push({ panel: panel.id, state: outcome.state, message: outcome.message, samples: 0 });
  });

  const sourceErrors: SourceErrors = new Map();
  const ruleDocs = readRules(store, release);
  const errors = await inParallel(ruleDocs, (rule) => refreshRule(f, rule, feed));
  ruleDocs.forEach((rule, i) => {
    if (errors[i]) sourceErrors.set(rule.id, errors[i]);
  });
  storePending(f.cenv);
  panelDocs.forEach((_, i) => {
    panels[i]!.samples = outcomes[i]!.parts.reduce((n, o) => n + o.samples, 0);
  });
  const rules = evaluateRules(env, release, env.deps.now(), sourceErrors);
  const alertsWritten = recordTransitions(env, release, rules);
  env.memory.lastRefresh.set(release, now);
  env.deps.changes.publish({ topic: 'metrics', release });
  const events = alertsWritten > 0 ? lastEvents(env, release) : null;
  const reported = events ? rules.map((r) => ({ ...r, lastEvent: events.get(r.rule.id) ?? r.lastEvent })) : rules;
  return { at: new Date(now).toISOString(), release, panels, rules: reported, alertsWritten, durationMs: Math.round(performance.now() - started) };
}

/** At most this many source requests of one refresh in flight. */
const PARALLEL_REQUESTS = 6;

async function inParallel<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, items.length) }, worker));
  return results;
}

function noteHealth(env: RuntimeEnv, source: string, outcome: { state: string; message: string | null }, at: string): void {
  const kind = readSource(env.deps.store, source)?.config.kind;
  if (kind !== 'prometheus') return;
  env.memory.health.set(source, { ok: outcome.state !== 'error', message: outcome.message ?? (outcome.state === 'ok' ? 'answered' : 'answered with no data'), at });
}

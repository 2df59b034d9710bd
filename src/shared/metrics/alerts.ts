// The alert rule evaluator: a rule, the series its query returned and the previous state go in; the
// new state, since when, one sentence for the banner and the evidence for the log come out. It is
// built on the go/no-go evaluator (`evaluateRule`, metric_threshold, aggregate 'every'), so alerts and
// automatic criteria judge a window the same way.
//
// Semantics. W = max(forSeconds, stepSeconds) is the window [now − W, now]; NaN samples are missing.
// - threshold / baseline_ratio: a series BREACHES when every usable sample in the window meets the
//   condition (`op threshold`, or `op factor × baseline`) and those samples cover it: the oldest is at
//   most now − forSeconds + 2 × step, and no gap between samples (or from the last one to now) is
//   longer than 3 × step. The rule FIRES when any series breaches. A firing rule RESOLVES only when no
//   sample of any series met the condition in the window, so a value oscillating around the threshold
//   faster than `for` neither fires nor resolves: it keeps the previous state (a rule evaluated for
//   the first time, or coming back from no data, starts from ok).
// - NO DATA when the source errored, no series returned, the window holds no usable sample (all NaN),
//   or (baseline_ratio) the baseline is unknown, NaN, infinite or 0. Never read as passing.
// - absent: FIRES when no usable sample exists in the window, whatever the cause (source errors
//   included, the detail names it); ok otherwise.
// - since: kept while the state is unchanged; a new firing state starts at its breaching window
//   (the deciding series' oldest sample in it; the window start for absent); other changes: now.
import type { AlertEvidence } from '../events/metric-events.ts';
import { decimalText, evaluateRule } from '../gonogo/rules.ts';
import type { RuleDoc, RuleState } from './model.ts';
import { seriesName } from './prometheus.ts';

export interface AlertInput {
  now: number;
  /** Every series the rule's query returned, samples ascending (epoch ms); NaN = missing. */
  series: readonly { labels: Record<string, string>; t: readonly number[]; v: readonly number[] }[];
  /** The sample spacing (query step) in seconds, so coverage of the `for` window can be judged; 0 = unknown (the samples' median spacing is used). */
  stepSeconds: number;
  /** For baseline_ratio: the baseline's value (mean over the comparison window); null = unknown. */
  baseline?: number | null;
  /** The source could not be queried this time (timeout, HTTP/PromQL error): its message. */
  sourceError?: string | null;
  /** The rule's previous state and since when (damping). */
  previous?: { state: RuleState; since: number | null } | null;
}

export interface AlertEvaluation {
  state: RuleState;
  since: number | null;
  detail: string;
  evidence: AlertEvidence;
}

/** Evidence keeps at most this many samples (evenly thinned). */
export const EVIDENCE_SAMPLES = 120;
const LOG_DECIMAL_LIMIT = 999_999_999_999_999;

/** "5 min", "30 s", "1 h 30 min", "2 d". */
export function durationText(seconds: number): string {
  const s = Math.max(Math.round(seconds), 0);
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const shown = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`);
  return shown.length ? shown.join(' ') : '0 s';
}

/** Sample text for the log: decimalText, clamped to the log's 15-digit decimal range. */
export function logSampleText(value: number): string {
  if (Number.isFinite(value) && Math.abs(value) > LOG_DECIMAL_LIMIT) return decimalText(Math.sign(value) * LOG_DECIMAL_LIMIT);
  return decimalText(value);
}

/** At most `max` items, evenly spread, first and last kept. */
export function thinEvenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  if (max <= 1) return items.slice(0, max);
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return out;
}

/** First index with t[i] ≥ x (t ascending). */
function lowerBound(t: readonly number[], x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface SeriesWindow {
  name: string;
  /** Every sample in the window, NaN included (evidence). */
  all: [number, number][];
  /** The usable (non-NaN) ones, as the go/no-go evaluator takes them. */
  usable: { at: number; value: number }[];
  /** The most extreme usable value in the rule's direction (max for '>', min for '<'). */
  worst: number;
  latest: number;
  breaches: boolean;
  /** Usable samples that met the condition. */
  breaching: number;
}

function windowOf(s: AlertInput['series'][number], from: number, now: number, up: boolean): SeriesWindow {
  const all: [number, number][] = [];
  const usable: { at: number; value: number }[] = [];
  let worst = up ? -Infinity : Infinity;
  for (let i = lowerBound(s.t as number[], from); i < s.t.length && s.t[i]! <= now; i++) {
    const at = s.t[i]!;
    const value = s.v[i]!;
    all.push([at, value]);
    if (Number.isNaN(value)) continue;
    usable.push({ at, value });
    if (up ? value > worst : value < worst) worst = value;
  }
  return { name: seriesName(s.labels), all, usable, worst, latest: usable.at(-1)?.value ?? NaN, breaches: false, breaching: 0 };
}

/** The samples cover the `for` window: early enough a start, no gap over 3 steps (to now included). */
function covers(usable: readonly { at: number }[], now: number, forSeconds: number, stepSeconds: number): boolean {
  const step = stepSeconds * 1000;
  if (usable.length === 0 || usable[0]!.at > now - forSeconds * 1000 + 2 * step) return false;
  for (let i = 1; i < usable.length; i++) if (usable[i]!.at - usable[i - 1]!.at > 3 * step) return false;
  return now - usable.at(-1)!.at <= 3 * step;
}

/** When no step is known (0): the median spacing of the series' samples, in seconds (1 with fewer than two). */
function medianSpacingSeconds(series: AlertInput['series']): number {
  const gaps: number[] = [];
  for (const s of series) for (let i = 1; i < s.t.length; i++) if (s.t[i]! > s.t[i - 1]!) gaps.push(s.t[i]! - s.t[i - 1]!);
  gaps.sort((a, b) => a - b);
  return gaps.length ? gaps[gaps.length >> 1]! / 1000 : 1;
}

/** Why there is nothing to judge: no series, or only NaN, or nothing in the window. */
function emptyCause(windows: readonly SeriesWindow[], windowSeconds: number): string {
  if (windows.length === 0) return 'the query returned no series';
  const nan = windows.reduce((n, w) => n + w.all.length, 0);
  return nan > 0 ? `all ${nan} samples in the last ${durationText(windowSeconds)} are NaN` : `no samples in the last ${durationText(windowSeconds)}`;
}

/** Why a series whose every sample met the condition still does not breach. */
function uncovered(windows: readonly SeriesWindow[], forText: string): string {
  const held = windows.filter((w) => w.usable.length > 0 && w.breaching === w.usable.length);
  return held.length ? `; ${held[0]!.name} meets it in every sample, but the samples do not cover ${forText} yet` : '';
}

function nextSince(input: AlertInput, state: RuleState, startOfBreach: number): number {
  const previous = input.previous;
  if (previous && previous.state === state && previous.since !== null) return previous.since;
  return state === 'firing' ? startOfBreach : input.now;
}

export function evaluateAlertRule(rule: RuleDoc, input: AlertInput): AlertEvaluation {
  const step = input.stepSeconds > 0 ? input.stepSeconds : medianSpacingSeconds(input.series);
  const windowSeconds = Math.ceil(Math.max(rule.forSeconds, step));
  const from = input.now - windowSeconds * 1000;
  const op = rule.op ?? '>';
  const up = op === '>';
  const windows = input.series.map((s) => windowOf(s, from, input.now, up));
  const usableCount = windows.reduce((n, w) => n + w.usable.length, 0);
  const evidence = (condition: string, decider: SeriesWindow | null, extra: Partial<AlertEvidence> = {}): AlertEvidence => ({
    query: rule.query,
    source: rule.source,
    condition,
    windowSeconds,
    ...extra,
    samples: thinEvenly(decider?.all ?? [], EVIDENCE_SAMPLES).map(([at, v]) => [Math.max(Math.round(at), 0), logSampleText(v)]),
  });
  const result = (state: RuleState, detail: string, ev: AlertEvidence, startOfBreach = input.now): AlertEvaluation => ({
    state,
    since: nextSince(input, state, startOfBreach),
    detail: `${rule.title}: ${detail}`.slice(0, 1000),
    evidence: ev,
  });

  if (rule.kind === 'absent') {
    const condition = `no data for ${rule.forSeconds}s`;
    const gone = `no data for ${durationText(windowSeconds)}`;
    if (input.sourceError) return result('firing', `${gone}: source unreachable: ${input.sourceError}`, evidence(condition, null), from);
    if (usableCount === 0) return result('firing', `${gone}: ${emptyCause(windows, windowSeconds)}`, evidence(condition, null), from);
    const decider = windows.reduce((a, b) => (b.usable.length > a.usable.length ? b : a));
    return result('ok', `${usableCount} samples in the last ${durationText(windowSeconds)}`, evidence(condition, decider, { observed: logSampleText(decider.latest) }));
  }

  const ratio = rule.kind === 'baseline_ratio';
  const factor = rule.threshold ?? '0';
  const condition = ratio ? `${op} ${factor} × baseline for ${rule.forSeconds}s` : `${op} ${factor} for ${rule.forSeconds}s`;
  const baseline = input.baseline ?? null;
  const known = { threshold: factor, ...(ratio && baseline !== null ? { baseline: logSampleText(baseline) } : {}) };
  const noData = (why: string) => result('no_data', `no data: ${why}`, evidence(condition, null, known));
  if (input.sourceError) return noData(`source unreachable: ${input.sourceError}`);
  if (ratio && (baseline === null || !Number.isFinite(baseline) || baseline === 0)) {
    return noData(baseline === null ? 'the baseline is unknown (no samples in its comparison window)' : `the baseline is ${decimalText(baseline)}, so no ratio can be taken`);
  }
  if (usableCount === 0) return noData(emptyCause(windows, windowSeconds));

  const limit = ratio ? Number(factor) * baseline! : Number(factor);
  for (const w of windows) {
    if (w.usable.length === 0) continue;
    const judged = evaluateRule(
      { kind: 'metric_threshold', metric: 'series', aggregate: 'every', op, threshold: String(limit), windowSeconds },
      { now: input.now, samples: { series: w.usable } },
    );
    w.breaching = w.usable.length - Number(judged.inputs.violations ?? w.usable.length);
    w.breaches = judged.outcome === 'met' && covers(w.usable, input.now, rule.forSeconds, step);
  }
  const more = (a: SeriesWindow, b: SeriesWindow) => (b.usable.length > 0 && (a.usable.length === 0 || (up ? b.worst > a.worst : b.worst < a.worst)) ? b : a);
  const breaching = windows.filter((w) => w.breaches);
  const decider = (breaching.length ? breaching : windows).reduce(more);
  const anyBreach = windows.some((w) => w.breaching > 0);
  const previous = input.previous?.state ?? null;
  const state: RuleState = breaching.length > 0 ? 'firing' : previous === 'firing' && anyBreach ? 'firing' : 'ok';

  const limitText = ratio ? `${factor} × baseline ${decimalText(baseline!)} (= ${decimalText(limit)})` : factor;
  const samples = decider.usable.length;
  // A query that aggregates everything returns one series without labels: nothing to name.
  const worst = `worst ${decimalText(decider.worst)}${decider.name === '{}' ? '' : ` on ${decider.name}`}`;
  const forText = durationText(rule.forSeconds);
  const detail =
    breaching.length > 0
      ? `${decimalText(decider.latest)} ${op} ${limitText} for ${forText} (${samples} samples, ${worst}${breaching.length > 1 ? `; ${breaching.length} series breaching` : ''})`
      : state === 'firing'
        ? `still firing: ${windows.reduce((n, w) => n + w.breaching, 0)} sample(s) ${op} ${limitText} in the last ${durationText(windowSeconds)} (${worst}); it resolves once clear for ${forText}`
        : `${decimalText(decider.latest)}, not ${op} ${limitText} for ${forText} (${samples} samples, ${worst}${uncovered(windows, forText)})`;
  const observed = logSampleText(decider.latest);
  return result(state, detail, evidence(condition, decider, { ...known, observed }), decider.usable[0]?.at ?? from);
}

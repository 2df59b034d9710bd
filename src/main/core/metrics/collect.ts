// Fetching samples for one release: Prometheus range queries (incremental from the last stored
// sample, at the panel's or rule's step) and file feeds read from their kept offset. Results
// are stored at once; the outcome per panel query / rule says ok, no data or the error.
import { isAbsolute, join } from 'node:path';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import type { PromSeries } from '../../../shared/metrics/prometheus.ts';
import { planQueryRange } from '../../../shared/metrics/step.ts';
import type { FeedFormat } from '../../../shared/metrics/feed.ts';
import type { SourceConfig } from '../../../shared/metrics/model.ts';
import type { SecretStore } from '../secrets.ts';
import { readFeed } from './feed-reader.ts';
import { FEED_KEY } from './locate.ts';
import { queryRange, resolveSecretFor } from './prometheus-client.ts';
import type { SampleStore } from './samples.ts';

export interface CollectEnv {
  samples: SampleStore;
  secrets: SecretStore | null;
  device: string;
  /** The shared folder, for feeds with relative paths. */
  syncFolder: () => string | null;
  /**
   * When set, answers are queued here instead of stored at once, so a refresh stores all of
   * them in one transaction (one commit, one fsync); `outcome.samples` is filled in then.
   */
  pending?: { outcome: Outcome; batches: Parameters<SampleStore['insert']>[0] }[];
}

/** Stores queued answers in one transaction. */
export function storePending(env: CollectEnv): void {
  const queued = env.pending?.splice(0) ?? [];
  if (queued.length === 0) return;
  env.samples.db.write(() => {
    for (const { outcome, batches } of queued) outcome.samples = env.samples.insert(batches, env.device, true);
  });
}

export interface Outcome {
  state: 'ok' | 'no_data' | 'error';
  message: string | null;
  /** Samples newly stored. */
  samples: number;
  bytes: number;
  ms: number;
}

export interface PromTarget {
  release: string;
  /** The stored key (`panel:<id>:<i>` or `rule:<id>`). */
  key: string;
  sourceName: string;
  source: Extract<SourceConfig, { kind: 'prometheus' }>;
  query: string;
  /** [from, to] epoch ms and the step to ask at. */
  from: number;
  to: number;
  stepSeconds: number;
}

/** Queries [from, to] in chunks of at most 11 000 points and stores what answers. */
export async function collectPrometheus(env: CollectEnv, target: PromTarget): Promise<Outcome> {
  const plan = planQueryRange(target.from, target.to, { stepSeconds: target.stepSeconds });
  const out: Outcome = { state: 'no_data', message: null, samples: 0, bytes: 0, ms: 0 };
  const series: PromSeries[] = [];
  for (const chunk of plan.chunks) {
    const answer = await queryRange(target.source, resolveSecretFor({ secrets: env.secrets }, target.sourceName), target.query, chunk.start * 1000, chunk.end * 1000, plan.stepSeconds);
    out.bytes += answer.bytes;
    out.ms += answer.ms;
    if (!answer.ok) return { ...out, state: 'error', message: promError(target.sourceName, answer.errorType, answer.error) };
    series.push(...answer.series);
  }
  const batches = series.map((s) => ({ series: { release: target.release, key: target.key, source: target.sourceName, query: target.query, labels: canonicalJson(s.labels) }, t: s.t, v: s.v }));
  if (env.pending) env.pending.push({ outcome: out, batches });
  else out.samples = env.samples.insert(batches, env.device, true);
  if (series.some((s) => s.t.length > 0)) out.state = 'ok';
  return out;
}

function promError(source: string, type: string, error: string): string {
  if (type === 'timeout') return `Prometheus source ${source} did not answer in time: ${error}`;
  if (type === 'unreachable') return `Prometheus source ${source} cannot be reached: ${error}`;
  if (type === 'http') return `Prometheus source ${source} answered with an HTTP error: ${error}`;
  return `The query was refused by Prometheus (${type}): ${error}`;
}

export interface FeedOutcome extends Outcome {
  problems: string[];
}

/** Where a feed's file is: absolute, or relative to the shared folder. */
export function feedPath(env: CollectEnv, path: string): string | null {
  if (isAbsolute(path)) return path;
  const folder = env.syncFolder();
  return folder ? join(folder, path) : null;
}

/** Reads a feed from its kept offset and stores every reading (any metric name) of the release. */
export function collectFeed(env: CollectEnv, release: string, sourceName: string, source: Extract<SourceConfig, { kind: 'file' }>): FeedOutcome {
  const empty: FeedOutcome = { state: 'no_data', message: null, samples: 0, bytes: 0, ms: 0, problems: [] };
  const path = feedPath(env, source.path);
  if (!path) return { ...empty, state: 'error', message: `File feed ${sourceName} names a relative path (${source.path}) but no shared folder is set up: give an absolute path or set up sync.` };
  const started = performance.now();
  const positionKey = `${release}\u0000${path}`;
  const position = env.samples.feedPosition(positionKey);
  let result: ReturnType<typeof readFeed>;
  try {
    result = readFeed(path, { offset: position.offset, lineNo: position.lineNo, header: position.header, format: source.format ?? (position.format as FeedFormat | null) });
  } catch (error) {
    return { ...empty, state: 'error', message: `File feed ${sourceName} cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const bySeries = new Map<string, { series: { release: string; key: string; source: string; query: string; labels: string }; t: number[]; v: number[] }>();
  for (const r of result.readings) {
    const labels = canonicalJson(r.labels);
    const id = `${r.metric}\u0000${labels}`;
    let entry = bySeries.get(id);
    if (!entry) {
      entry = { series: { release, key: FEED_KEY, source: sourceName, query: r.metric, labels }, t: [], v: [] };
      bySeries.set(id, entry);
    }
    entry.t.push(r.at);
    entry.v.push(r.value);
  }
  const fileError = result.problems.find((p) => p.line === 0 && result.readings.length === 0 && p.message.includes('reading it again') === false);
  if (fileError) return { ...empty, state: 'error', message: fileError.message };
  const problems = result.problems.map((p) => (p.line > 0 ? `${source.path}: ${p.message}` : p.message));
  env.samples.db.write(() => {
    empty.samples = env.samples.insert([...bySeries.values()], env.device, true);
    env.samples.setFeedPosition(positionKey, { offset: result.offset, lineNo: result.lineNo, header: result.header, format: result.format });
  });
  return {
    ...empty,
    state: result.readings.length > 0 ? 'ok' : 'no_data',
    message: problems.length > 0 ? problems.join('; ') : null,
    bytes: result.offset - position.offset,
    ms: performance.now() - started,
    problems,
  };
}

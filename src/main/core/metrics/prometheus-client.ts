// The Prometheus HTTP client: query_range and instant queries with the source's auth and timeout.
// It never throws: a timeout, an unreachable server, a PromQL error, an HTTP error or a body that is
// not Prometheus JSON all come back as `{ok:false, errorType, error}` for the panel to show. Ranges
// over 11 000 points at their step are split into requests and the series merged by label set.
import type { PrometheusAuth, SecretRef } from '../../../shared/metrics/model.ts';
import { parseInstant, parseQueryRange, type PromAnswer, type PromSeries } from '../../../shared/metrics/prometheus.ts';
import { planQueryRange } from '../../../shared/metrics/step.ts';
import { sourceSecretName, type SecretStore } from '../secrets.ts';

export interface PrometheusTarget {
  url: string;
  auth?: PrometheusAuth;
  timeoutMs: number;
}

export interface SecretResolver {
  resolve(ref: SecretRef): string | null;
}

/** An answer plus what it cost: bytes of JSON received and ms spent fetching and parsing. */
export type FetchedAnswer = PromAnswer & { bytes: number; ms: number };

type Failure = Extract<PromAnswer, { ok: false }>;
const fail = (errorType: string, error: string): Failure => ({ ok: false, errorType, error });

/**
 * A source's secrets: `{from:'env'}` reads the variable from `env` (default process.env),
 * `{from:'keychain'}` this device's keychain entry for the source (`metrics.source.<name>`).
 */
export function resolveSecretFor(ctx: { secrets: SecretStore | null; env?: Record<string, string | undefined> }, source: string): SecretResolver {
  return {
    resolve(ref) {
      if (ref.from === 'env') return (ctx.env ?? process.env)[ref.env] || null;
      return ctx.secrets?.get(sourceSecretName(source)) ?? null;
    },
  };
}

function missingSecret(ref: SecretRef, what: string): Failure {
  return fail(
    'auth',
    ref.from === 'env'
      ? `The ${what} of this source comes from the environment variable ${ref.env}, which is not set: set it for the process running the war room (serve or the CLI).`
      : `The ${what} of this source is not in this device's keychain: enter it in the source's settings on this device.`,
  );
}

/** The Authorization header value, or the auth failure to report. */
function authorization(auth: PrometheusAuth | undefined, secrets: SecretResolver): { header: string | null } | Failure {
  if (!auth) return { header: null };
  if (auth.type === 'bearer') {
    const token = secrets.resolve(auth.token);
    return token === null ? missingSecret(auth.token, 'token') : { header: `Bearer ${token}` };
  }
  const password = secrets.resolve(auth.password);
  if (password === null) return missingSecret(auth.password, 'password');
  return { header: `Basic ${Buffer.from(`${auth.username}:${password}`).toString('base64')}` };
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** What went wrong with the request itself (no HTTP answer), in words naming the URL. */
function requestFailure(err: unknown, target: PrometheusTarget, caller: AbortSignal | undefined): Failure {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return fail('timeout', `Prometheus did not answer within ${seconds(target.timeoutMs)}.`);
  if (e.name === 'AbortError' || caller?.aborted) return fail('aborted', 'The query was cancelled.');
  const code = e.cause?.code ?? e.cause?.message ?? e.message;
  return fail('unreachable', `Cannot reach Prometheus at ${target.url} (${code}): check the URL and that the server is running.`);
}

/** One GET against the API; the body is parsed by `parse` once it is JSON. */
async function get(
  target: PrometheusTarget,
  secrets: SecretResolver,
  path: string,
  params: Record<string, string>,
  parse: (body: unknown) => PromAnswer,
  signal?: AbortSignal,
): Promise<FetchedAnswer> {
  const started = performance.now();
  const done = (answer: PromAnswer, bytes = 0): FetchedAnswer => ({ ...answer, bytes, ms: performance.now() - started });
  const auth = authorization(target.auth, secrets);
  if ('ok' in auth) return done(auth);
  const url = `${target.url.replace(/\/+$/, '')}${path}?${new URLSearchParams(params).toString()}`;
  const timeout = AbortSignal.timeout(target.timeoutMs);
  let status: number;
  let statusText: string;
  let text: string;
  let bytes: number;
  try {
    const res = await fetch(url, {
      headers: { accept: 'application/json', ...(auth.header ? { authorization: auth.header } : {}) },
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    const raw = await res.arrayBuffer();
    ({ status, statusText } = res);
    bytes = raw.byteLength;
    text = new TextDecoder().decode(raw);
  } catch (err) {
    return done(requestFailure(err, target, signal));
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (status < 200 || status > 299) return done(fail('http', `Prometheus answered HTTP ${status} ${statusText}${hint(status)}`), bytes);
    return done(fail('bad_response', `The answer from ${target.url} is not JSON: is this a Prometheus server? It begins “${text.slice(0, 60)}”.`), bytes);
  }
  const answer = parse(body);
  if (status >= 200 && status <= 299) return done(answer, bytes);
  // PromQL errors arrive as HTTP 400/422 with status:error: keep Prometheus's own words.
  if (!answer.ok && answer.errorType !== 'bad_response') return done(answer, bytes);
  return done(fail('http', `Prometheus answered HTTP ${status} ${statusText}${hint(status)}`), bytes);
}

function hint(status: number): string {
  if (status === 401 || status === 403) return ': check the source’s token or password.';
  if (status === 404) return ': check the source’s URL (the base URL of Prometheus, without /api/v1).';
  return '.';
}

const labelKey = (labels: Record<string, string>) =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );

/** Concatenates the chunks' series (in time order), one series per label set. */
function mergeChunks(answers: Extract<PromAnswer, { ok: true }>[]): PromAnswer {
  const byKey = new Map<string, PromSeries>();
  for (const answer of answers) {
    for (const s of answer.series) {
      const key = labelKey(s.labels);
      const into = byKey.get(key);
      if (!into) byKey.set(key, { labels: s.labels, t: [...s.t], v: [...s.v] });
      else {
        into.t.push(...s.t);
        into.v.push(...s.v);
      }
    }
  }
  return { ok: true, series: [...byKey.values()], warnings: [...new Set(answers.flatMap((a) => a.warnings))] };
}

/**
 * query_range over [startMs, endMs] at `stepSeconds`. A range of more than 11 000 points is asked
 * for in consecutive chunks on the same grid (start + k·step) and merged, so a 72 h window at a
 * 15 s step does not meet Prometheus's "exceeded maximum resolution" error.
 */
export async function queryRange(
  target: PrometheusTarget,
  secrets: SecretResolver,
  query: string,
  startMs: number,
  endMs: number,
  stepSeconds: number,
  signal?: AbortSignal,
): Promise<FetchedAnswer> {
  const started = performance.now();
  let plan;
  try {
    plan = planQueryRange(startMs, endMs, { stepSeconds, minStepSeconds: 0 });
  } catch (e) {
    return { ...fail('bad_data', (e as Error).message), bytes: 0, ms: 0 };
  }
  // The plan aligns to the step; shift it back onto this range's own grid and clip the end.
  const startS = startMs / 1000;
  const endS = endMs / 1000;
  const offset = startS - plan.start;
  const chunks = plan.chunks.map((c) => ({ start: c.start + offset, end: Math.min(c.end + offset, endS) })).filter((c) => c.start <= endS);
  const answers: Extract<PromAnswer, { ok: true }>[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    const params = { query, start: String(chunk.start), end: String(chunk.end), step: String(plan.stepSeconds) };
    const answer = await get(target, secrets, '/api/v1/query_range', params, parseQueryRange, signal);
    bytes += answer.bytes;
    if (!answer.ok) return { ...answer, bytes, ms: performance.now() - started };
    answers.push(answer);
  }
  const merged = answers.length === 1 ? answers[0]! : mergeChunks(answers);
  return { ...merged, bytes, ms: performance.now() - started };
}

/** An instant query (vector or scalar) at `atMs` (default: Prometheus's now) — "test source". */
export function instantQuery(target: PrometheusTarget, secrets: SecretResolver, query: string, atMs?: number, signal?: AbortSignal): Promise<FetchedAnswer> {
  const params: Record<string, string> = { query };
  if (atMs !== undefined) params.time = String(atMs / 1000);
  return get(target, secrets, '/api/v1/query', params, parseInstant, signal);
}

// Reading the Prometheus HTTP API's answers (query_range and instant queries) into plain series,
// and naming series Grafana-style. No fetching here: the main process fetches, this validates the
// body with zod and turns sample strings ("NaN", "+Inf", "1.5e-3") into numbers.
import { z } from 'zod';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INF = /^([+-]?)inf(inity)?$/i;

/** A Prometheus sample value: "+Inf" → Infinity, "-Inf" → -Infinity, "NaN" → NaN, decimals and exponents. */
export function parsePromValue(text: string): number {
  const s = text.trim();
  if (DECIMAL.test(s)) return Number(s);
  const inf = INF.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  throw new Error(`Sample value “${text.slice(0, 40)}” is not a number (expected a decimal, NaN, +Inf or -Inf).`);
}

export interface PromSeries {
  labels: Record<string, string>;
  /** Epoch milliseconds, ascending. */
  t: number[];
  v: number[];
}

export type PromAnswer = { ok: true; series: PromSeries[]; warnings: string[] } | { ok: false; errorType: string; error: string };

const sample = z.tuple([z.number().finite(), z.string()]);
const labelSet = z.record(z.string(), z.string());
const errorBody = z.looseObject({ status: z.literal('error'), errorType: z.string().default('error'), error: z.string().default('') });
const successBody = z.looseObject({
  status: z.literal('success'),
  data: z.looseObject({ resultType: z.string(), result: z.unknown() }),
  warnings: z.array(z.string()).optional(),
});
// Samples are checked by hand in toSeries: zod over every [t, "v"] pair of a 20 × 8 640 answer
// cost ~35 ms of a 42 ms parse (B8); the shape around them is still validated here.
const matrix = z.array(z.looseObject({ metric: labelSet, values: z.unknown().optional(), histograms: z.unknown().optional() }));
const vector = z.array(z.looseObject({ metric: labelSet, value: sample }));

const bad = (error: string): PromAnswer => ({ ok: false, errorType: 'bad_response', error });

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? issue.path.join('.') : 'body';
  return `${path}: ${issue.message}`;
}

/** Validates the envelope; returns the data part of a success, or the answer to give back. */
function envelope(body: unknown): { resultType: string; result: unknown; warnings: string[] } | PromAnswer {
  const failed = errorBody.safeParse(body);
  if (failed.success) return { ok: false, errorType: failed.data.errorType, error: failed.data.error || 'Prometheus answered with an error and no message.' };
  const parsed = successBody.safeParse(body);
  if (!parsed.success) return bad(`Not a Prometheus API answer (${issueText(parsed.error)}).`);
  return { resultType: parsed.data.data.resultType, result: parsed.data.data.result, warnings: parsed.data.warnings ?? [] };
}

function toSeries(labels: Record<string, string>, samples: readonly unknown[], where: string): PromSeries {
  const n = samples.length;
  const t: number[] = new Array<number>(n);
  const v: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const pair = samples[i];
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || !Number.isFinite(pair[0]) || typeof pair[1] !== 'string') {
      throw new Error(`Malformed matrix (${where}, values.${i}: expected [unix seconds, "value"], got ${JSON.stringify(pair)?.slice(0, 60) ?? String(pair)}).`);
    }
    const text = pair[1];
    // The common case (a plain decimal) skips the regular expressions; Number() alone would also
    // take 0x/0b/0o literals, which go the strict way.
    const prefix = text.charCodeAt(1) | 32;
    const quick = text === '' || prefix === 120 || prefix === 98 || prefix === 111 ? NaN : Number(text);
    try {
      v[i] = Number.isNaN(quick) || !Number.isFinite(quick) ? parsePromValue(text) : quick;
    } catch (e) {
      throw new Error(`${where}, sample ${i}: ${(e as Error).message}`, { cause: e });
    }
    t[i] = Math.round(pair[0] * 1000);
  }
  return { labels, t, v };
}

/** Builds the series, turning a bad sample value into a bad_response answer. */
function collect(warnings: string[], build: () => PromSeries[]): PromAnswer {
  try {
    return { ok: true, series: build(), warnings };
  } catch (e) {
    return bad((e as Error).message);
  }
}

/** A query_range answer: a matrix; anything else (vector, scalar, malformed) is a bad_response. */
export function parseQueryRange(body: unknown): PromAnswer {
  const data = envelope(body);
  if ('ok' in data) return data;
  if (data.resultType !== 'matrix') return bad(`Expected a range answer (resultType "matrix"), got "${data.resultType}": use query_range, not query.`);
  const result = matrix.safeParse(data.result);
  if (!result.success) return bad(`Malformed matrix (data.result.${issueText(result.error)}).`);
  const histogram = result.data.findIndex((s) => s.values === undefined);
  if (histogram >= 0) {
    const why = result.data[histogram]!.histograms === undefined ? 'has no values' : 'is a native histogram';
    return bad(`Series ${histogram} ${why}: chart a number, e.g. histogram_quantile(0.95, sum by (le) (rate(…[5m]))).`);
  }
  return collect(data.warnings, () =>
    result.data.map((s, i) => {
      if (!Array.isArray(s.values)) throw new Error(`Malformed matrix (data.result.${i}.values: expected an array of samples).`);
      return toSeries(s.metric, s.values, `series ${i}`);
    }),
  );
}

/** An instant query answer: a vector (one point per series) or a scalar (one series without labels). */
export function parseInstant(body: unknown): PromAnswer {
  const data = envelope(body);
  if ('ok' in data) return data;
  if (data.resultType === 'scalar') {
    const result = sample.safeParse(data.result);
    if (!result.success) return bad(`Malformed scalar (data.result.${issueText(result.error)}).`);
    return collect(data.warnings, () => [toSeries({}, [result.data], 'scalar')]);
  }
  if (data.resultType !== 'vector') return bad(`Expected an instant answer (resultType "vector" or "scalar"), got "${data.resultType}".`);
  const result = vector.safeParse(data.result);
  if (!result.success) return bad(`Malformed vector (data.result.${issueText(result.error)}).`);
  return collect(data.warnings, () => result.data.map((s, i) => toSeries(s.metric, [s.value], `series ${i}`)));
}

const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
const pairs = (labels: Record<string, string>, skip: string | null) =>
  Object.keys(labels)
    .filter((k) => k !== skip)
    .sort()
    .map((k) => `${k}=${quoted(labels[k]!)}`)
    .join(',');

/**
 * A series' display name, Grafana-like: with a legend, `{{label}}` is replaced by the label's value
 * (empty when absent); without, `name{k="v",…}` (labels sorted; `{}` for an empty set).
 */
export function seriesName(labels: Record<string, string>, legend?: string): string {
  if (legend !== undefined && legend.trim() !== '') return legend.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, key: string) => labels[key] ?? '');
  const name = labels.__name__ ?? '';
  const rest = pairs(labels, '__name__');
  return rest || !name ? `${name}{${rest}}` : name;
}

/** A canonical string for a label set: sorted, quoted and escaped, so equal sets give equal keys. */
export function labelsKey(labels: Record<string, string>): string {
  return `{${pairs(labels, null)}}`;
}

// File feeds a pipeline appends to: NDJSON or CSV lines of (timestamp, metric, value, labels).
// The main process hands over complete lines with the number of the first one; this turns them
// into readings and reports each malformed line by number, naming the field, while reading the
// rest. `formatFeedLine` is the exact inverse (used by `warroom metrics feed`).
import { parsePromValue } from './prometheus.ts';

export interface FeedReading {
  /** Epoch milliseconds. */
  at: number;
  metric: string;
  value: number;
  labels: Record<string, string>;
}

export interface FeedProblem {
  line: number;
  message: string;
}

export type FeedFormat = 'ndjson' | 'csv';

/** The columns of a CSV feed without a header line. */
export const CSV_COLUMNS = ['timestamp', 'metric', 'value', 'labels'] as const;
const REQUIRED = ['timestamp', 'metric', 'value'] as const;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** By extension (.ndjson/.jsonl/.json vs .csv), else by the first line (`{` → NDJSON). */
export function detectFeedFormat(fileName: string, firstLine: string): FeedFormat {
  const name = fileName.toLowerCase();
  if (/\.(ndjson|jsonl|json)$/.test(name)) return 'ndjson';
  if (name.endsWith('.csv')) return 'csv';
  return firstLine.trimStart().startsWith('{') ? 'ndjson' : 'csv';
}

class LineError extends Error {}
const fail = (message: string): never => {
  throw new LineError(message);
};
const show = (value: unknown) => `“${String(typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 60)}”`;

/** Epoch seconds (< 1e11) or milliseconds, or ISO 8601 text, to epoch milliseconds. */
export function parseFeedTime(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(Math.abs(value) < 1e11 ? value * 1000 : value);
  if (typeof value === 'string' && value.trim() !== '') {
    const s = value.trim();
    if (/^[+-]?\d+(\.\d+)?$/.test(s)) return parseFeedTime(Number(s));
    if (/^[+-]?\d{4,6}-\d\d-\d\d/.test(s)) {
      // Without a zone, UTC (not the local time of whichever device reads the file).
      const zoned = /T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(s) ? `${s}Z` : s;
      const ms = Date.parse(zoned);
      if (Number.isFinite(ms)) return ms;
    }
  }
  return fail(`timestamp ${show(value)} is not a time (expected ISO 8601 text, epoch seconds or epoch milliseconds)`);
}

function parseValue(value: unknown): number {
  if (value === undefined || value === '') return fail('value is missing');
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    try {
      return parsePromValue(value);
    } catch {
      /* reported below */
    }
  }
  return fail(`value ${show(value)} is not a number`);
}

function parseMetric(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return fail(`metric ${show(value ?? '')} is missing or empty`);
  return value;
}

function checkLabel(name: string): void {
  if (!LABEL_NAME.test(name)) fail(`label name ${show(name)} is not valid (letters, digits and _, not starting with a digit)`);
}

/** `k=v;k2=v2`, with `\;` and `\\` escaping inside values. */
export function parseLabelText(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text.trim() === '') return labels;
  let part = '';
  const parts: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) part += c + text[++i]!;
    else if (c !== ';') part += c;
    else {
      parts.push(part);
      part = '';
    }
  }
  parts.push(part);
  for (const raw of parts) {
    if (raw.trim() === '') continue;
    const eq = raw.indexOf('=');
    if (eq < 0) fail(`labels ${show(text)}: “${raw}” is not k=v`);
    const key = raw.slice(0, eq).trim();
    checkLabel(key);
    labels[key] = raw.slice(eq + 1).replace(/\\(.)/g, '$1');
  }
  return labels;
}

export function formatLabelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v.replace(/[\\;]/g, (c) => `\\${c}`)}`)
    .join(';');
}

/** One CSV line split into fields, RFC 4180 quoting ("" inside quotes is a quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) fail('unterminated quoted field');
        if (line[i] === '"') {
          if (line[i + 1] !== '"') break;
          field += '"';
          i += 2;
        } else field += line[i++];
      }
      i++;
      if (i < line.length && line[i] !== ',') fail(`unexpected text after a quoted field at column ${i + 1}`);
    } else {
      const next = line.indexOf(',', i);
      field = line.slice(i, next < 0 ? line.length : next);
      i = next < 0 ? line.length : next;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

function readNdjson(line: string): FeedReading {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    return fail('not valid JSON');
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return fail('expected a JSON object {"timestamp", "metric", "value", "labels"}');
  const r = row as Record<string, unknown>;
  const labels: Record<string, string> = {};
  if (r.labels !== undefined && r.labels !== null) {
    if (typeof r.labels !== 'object' || Array.isArray(r.labels)) fail('labels must be an object of text values');
    for (const [k, v] of Object.entries(r.labels as object)) {
      checkLabel(k);
      // Numbers and booleans ({"code": 500}) are read as their text.
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') fail(`label ${k} must be text, got ${show(v)}`);
      labels[k] = String(v);
    }
  }
  return { at: parseFeedTime(r.timestamp), metric: parseMetric(r.metric), value: parseValue(r.value), labels };
}

function readCsv(fields: string[], columns: readonly string[]): FeedReading {
  // Trailing optional columns (labels, extra label columns) may be left out.
  const least = Math.max(...REQUIRED.map((name) => columns.indexOf(name))) + 1;
  if (fields.length < least || fields.length > columns.length) {
    fail(`expected ${least === columns.length ? least : `${least} to ${columns.length}`} fields (${columns.join(',')}), found ${fields.length}`);
  }
  const get = (name: string) => {
    const i = columns.indexOf(name);
    return i < 0 ? undefined : fields[i];
  };
  const labels = parseLabelText(get('labels') ?? '');
  // With a header, further columns are labels too.
  for (const [i, name] of columns.entries()) {
    if (!(CSV_COLUMNS as readonly string[]).includes(name) && fields[i]) labels[name] = fields[i];
  }
  return { at: parseFeedTime(get('timestamp')!.trim()), metric: parseMetric(get('metric')), value: parseValue(get('value')!.trim()), labels };
}

/** A header line's columns, or null when the line is data. */
function headerOf(fields: string[]): string[] | null {
  const columns = fields.map((f) => f.trim().toLowerCase());
  const missing = REQUIRED.find((name) => !columns.includes(name));
  if (missing && columns[0] !== 'timestamp') return null; // data (even with a metric named "timestamp")
  if (missing) fail(`header has no “${missing}” column (expected ${CSV_COLUMNS.join(',')})`);
  for (const name of columns) if (!(CSV_COLUMNS as readonly string[]).includes(name)) checkLabel(name);
  return columns;
}

/**
 * Parses complete lines (`firstLine` is the 1-based number of the first). Blank lines are skipped;
 * a malformed line becomes a problem ("line 7: value “abc” is not a number") and the rest are read.
 * CSV: a first line of the file naming the timestamp, metric and value columns is the header
 * (in any order, extra columns are labels); pass the returned `header` back with the next lines.
 */
export function parseFeedLines(
  text: string,
  opts: { format: FeedFormat; firstLine: number; header?: string[] | null },
): { readings: FeedReading[]; problems: FeedProblem[]; header: string[] | null } {
  const readings: FeedReading[] = [];
  const problems: FeedProblem[] = [];
  let header = opts.header?.length ? opts.header : null;
  // A byte-order mark (spreadsheet exports) is not part of the first line.
  const lines = (opts.firstLine === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  let seen = opts.firstLine > 1;
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const number = opts.firstLine + i;
    if (line.trim() === '') continue;
    try {
      if (opts.format === 'ndjson') readings.push(readNdjson(line));
      else {
        const fields = splitCsvLine(line);
        const first = !seen;
        seen = true;
        const found = first && !header ? headerOf(fields) : null;
        if (found) header = found;
        else readings.push(readCsv(fields, header ?? CSV_COLUMNS));
      }
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      problems.push({ line: number, message: `line ${number}: ${e.message}` });
    }
  }
  return { readings, problems, header };
}

const csvField = (s: string) => (/[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const valueText = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

/** One line (without '\n') that `parseFeedLines` reads back as the same reading. */
export function formatFeedLine(reading: FeedReading, format: FeedFormat): string {
  if (format === 'csv' && [reading.metric, ...Object.values(reading.labels)].some((s) => /[\r\n]/.test(s))) {
    throw new Error(`Metric “${reading.metric}” or one of its labels contains a line break, which a CSV feed cannot hold: use NDJSON.`);
  }
  const timestamp = new Date(reading.at).toISOString();
  if (format === 'ndjson') {
    const value = Number.isFinite(reading.value) ? reading.value : valueText(reading.value);
    const labels = Object.keys(reading.labels).length ? { labels: reading.labels } : {};
    return JSON.stringify({ timestamp, metric: reading.metric, value, ...labels });
  }
  return [timestamp, csvField(reading.metric), valueText(reading.value), csvField(formatLabelText(reading.labels))].join(',');
}

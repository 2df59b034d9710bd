// File feeds: NDJSON and CSV lines a pipeline appends, read in pieces as the main process hands them
// over; malformed lines are reported by number and the rest still read; format → parse round-trips.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFeedFormat, formatFeedLine, parseFeedLines, type FeedReading } from '../../src/shared/metrics/feed.ts';
import { tempDir } from '../helpers/tmp.ts';

const AT = Date.UTC(2026, 10, 24, 21, 0, 0);

describe('detectFeedFormat', () => {
  it('goes by the extension, else by the first line', () => {
    expect(detectFeedFormat('/feeds/kpi.ndjson', '')).toBe('ndjson');
    expect(detectFeedFormat('kpi.JSONL', 'timestamp,metric')).toBe('ndjson');
    expect(detectFeedFormat('kpi.csv', '{"a":1}')).toBe('csv');
    expect(detectFeedFormat('kpi.log', '  {"timestamp": 1}')).toBe('ndjson');
    expect(detectFeedFormat('kpi.log', 'timestamp,metric,value')).toBe('csv');
  });
});

describe('NDJSON feeds', () => {
  it('reads ISO, epoch-second and epoch-ms timestamps, numbers and spelled-out values, labels', () => {
    const text = [
      '{"timestamp":"2026-11-24T21:00:00Z","metric":"orders_per_min","value":412,"labels":{"region":"eu"}}',
      '{"timestamp":1795554000,"metric":"orders_per_min","value":"NaN"}',
      '{"timestamp":1795554000123,"metric":"error_ratio","value":"+Inf"}',
      '{"timestamp":"2026-11-24T21:00:00","metric":"no_zone_is_utc","value":-1.5,"labels":{"code":500,"canary":true}}',
      '',
    ].join('\n');
    const { readings, problems } = parseFeedLines(text, { format: 'ndjson', firstLine: 1 });
    expect(problems).toEqual([]);
    expect(readings).toEqual([
      { at: AT, metric: 'orders_per_min', value: 412, labels: { region: 'eu' } },
      { at: 1_795_554_000_000, metric: 'orders_per_min', value: NaN, labels: {} },
      { at: 1_795_554_000_123, metric: 'error_ratio', value: Infinity, labels: {} },
      { at: AT, metric: 'no_zone_is_utc', value: -1.5, labels: { code: '500', canary: 'true' } },
    ]);
  });

  it('reports each malformed line with its number and the field, and reads the others', () => {
    const text = [
      '{"timestamp":1795554000,"metric":"a","value":1}',
      '{"timestamp":1795554000,"metric":"a","value":"abc"}',
      'not json',
      '{"timestamp":"yesterday","metric":"a","value":1}',
      '{"timestamp":1795554000,"value":1}',
      '{"timestamp":1795554000,"metric":"a","value":2,"labels":{"1bad":"x"}}',
      '{"timestamp":1795554000,"metric":"a","value":2,"labels":{"env":["a"]}}',
      '{"timestamp":1795554000,"metric":"a","value":3}',
    ].join('\n');
    const { readings, problems } = parseFeedLines(text, { format: 'ndjson', firstLine: 5 });
    expect(readings.map((r) => r.value)).toEqual([1, 3]);
    expect(problems).toEqual([
      { line: 6, message: 'line 6: value “abc” is not a number' },
      { line: 7, message: 'line 7: not valid JSON' },
      { line: 8, message: expect.stringMatching(/^line 8: timestamp “yesterday” is not a time/) },
      { line: 9, message: expect.stringMatching(/^line 9: metric .* is missing or empty/) },
      { line: 10, message: expect.stringMatching(/^line 10: label name “1bad” is not valid/) },
      { line: 11, message: 'line 11: label env must be text, got “["a"]”' },
    ]);
  });
});

describe('CSV feeds', () => {
  it('detects the header on the first line of the file and carries it to later pieces', () => {
    const first = parseFeedLines('timestamp,metric,value,labels\n2026-11-24T21:00:00Z,checkout_ok,0.97,region=eu;tier=1\n', { format: 'csv', firstLine: 1 });
    expect(first.header).toEqual(['timestamp', 'metric', 'value', 'labels']);
    expect(first.readings).toEqual([{ at: AT, metric: 'checkout_ok', value: 0.97, labels: { region: 'eu', tier: '1' } }]);
    const next = parseFeedLines('1795554000,checkout_ok,0.95\n', { format: 'csv', firstLine: 3, header: first.header });
    expect(next).toEqual({ readings: [{ at: AT, metric: 'checkout_ok', value: 0.95, labels: {} }], problems: [], header: first.header });
  });

  it('reads a spreadsheet export that starts with a byte-order mark', () => {
    const { readings, header, problems } = parseFeedLines('\uFEFFtimestamp,metric,value\n1795554000,nps,41\n', { format: 'csv', firstLine: 1 });
    expect(problems).toEqual([]);
    expect(header).toEqual(['timestamp', 'metric', 'value']);
    expect(readings).toEqual([{ at: AT, metric: 'nps', value: 41, labels: {} }]);
  });

  it('reads a first line with a metric named "timestamp" as data, and names a header’s missing column', () => {
    expect(parseFeedLines('1795554000,timestamp,1\n', { format: 'csv', firstLine: 1 })).toEqual({
      readings: [{ at: AT, metric: 'timestamp', value: 1, labels: {} }],
      problems: [],
      header: null,
    });
    expect(parseFeedLines('timestamp,name,value\n', { format: 'csv', firstLine: 1 }).problems).toEqual([
      { line: 1, message: 'line 1: header has no “metric” column (expected timestamp,metric,value,labels)' },
    ]);
  });

  it('reads a header in another order, with extra columns as labels', () => {
    const { readings, problems } = parseFeedLines('metric,timestamp,value,region\nsignups,1795554000,12,us\nsignups,1795554000,13\n', { format: 'csv', firstLine: 1 });
    expect(problems).toEqual([]);
    expect(readings).toEqual([
      { at: AT, metric: 'signups', value: 12, labels: { region: 'us' } },
      { at: AT, metric: 'signups', value: 13, labels: {} },
    ]);
  });

  it('reads a file without a header, RFC 4180 quoting, CRLF endings and blank lines', () => {
    const text = '1795554000,"orders, paid",5,"shop=a;note=x\\;y"\r\n\r\n1795554000000,"say ""hi""",-Inf\r\n';
    const { readings, problems, header } = parseFeedLines(text, { format: 'csv', firstLine: 1 });
    expect(header).toBeNull();
    expect(problems).toEqual([]);
    expect(readings).toEqual([
      { at: AT, metric: 'orders, paid', value: 5, labels: { shop: 'a', note: 'x;y' } },
      { at: AT, metric: 'say "hi"', value: -Infinity, labels: {} },
    ]);
  });

  it('reports malformed lines with their number and the field', () => {
    const text = ['timestamp,metric,value', '1795554000,a,1', '1795554000,a,abc', '1795554000,a', '"unterminated,a,1', 'soon,a,1', '1795554000,a,2'].join('\n');
    const { readings, problems } = parseFeedLines(text, { format: 'csv', firstLine: 1 });
    expect(readings.map((r) => r.value)).toEqual([1, 2]);
    expect(problems.map((p) => p.message)).toEqual([
      'line 3: value “abc” is not a number',
      'line 4: expected 3 fields (timestamp,metric,value), found 2',
      'line 5: unterminated quoted field',
      expect.stringMatching(/^line 6: timestamp “soon” is not a time/),
    ]);
  });
});

describe('formatFeedLine', () => {
  const label = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
  const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\r\n]/.test(s) && s.trim() !== '');
  const reading = fc.record({
    at: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    metric: text,
    value: fc.oneof(fc.double({ noNaN: false }).filter((v) => !Object.is(v, -0)), fc.constantFrom(NaN, Infinity, -Infinity)),
    labels: fc.dictionary(label, fc.string({ maxLength: 10 }).filter((s) => !/[\r\n]/.test(s)), { maxKeys: 4 }),
  });

  it('is the exact inverse of parseFeedLines in both formats', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 20 }), fc.constantFrom('ndjson' as const, 'csv' as const), (readings, format) => {
        const text = readings.map((r) => `${formatFeedLine(r, format)}\n`).join('');
        const parsed = parseFeedLines(text, { format, firstLine: 2 });
        expect(parsed.problems).toEqual([]);
        expect(parsed.readings).toEqual(readings);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a line break in CSV text, naming the way out', () => {
    expect(() => formatFeedLine({ at: AT, metric: 'a\nb', value: 1, labels: {} }, 'csv')).toThrow(/use NDJSON/);
  });

  it('appends lines to a real file that read back in pieces at their line numbers', () => {
    const file = join(tempDir(), 'kpi.csv');
    writeFileSync(file, 'timestamp,metric,value,labels\n');
    const written: FeedReading[] = [
      { at: AT, metric: 'orders', value: 10, labels: { shop: 'eu' } },
      { at: AT + 60_000, metric: 'orders', value: NaN, labels: {} },
      { at: AT + 120_000, metric: 'orders', value: 12.5, labels: { shop: 'us, west' } },
    ];
    for (const r of written) appendFileSync(file, `${formatFeedLine(r, 'csv')}\n`);
    appendFileSync(file, '2026-11-24T21:03:00Z,orders,twelve\n2026-11-24T21:04:00Z,orders,1'); // no '\n' yet: incomplete
    const bytes = readFileSync(file, 'utf8');
    const complete = bytes.slice(0, bytes.lastIndexOf('\n') + 1);
    const cut = complete.indexOf('\n', complete.indexOf('\n') + 1) + 1; // after header + first reading
    const a = parseFeedLines(complete.slice(0, cut), { format: detectFeedFormat(file, ''), firstLine: 1 });
    const b = parseFeedLines(complete.slice(cut), { format: 'csv', firstLine: 3, header: a.header });
    expect([...a.readings, ...b.readings]).toEqual(written);
    expect(b.problems).toEqual([{ line: 5, message: 'line 5: value “twelve” is not a number' }]);
  });
});

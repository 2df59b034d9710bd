// The file-feed reader on real files a test appends to like a pipeline would: new lines on the next
// read, a half-written line only once its newline arrives, malformed lines reported by number while
// the rest are read, CSV with a header, a rotated/truncated file, and a missing one.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeed, type FeedRead, type FeedState } from '../../src/main/core/metrics/feed-reader.ts';
import { tempDir } from '../helpers/tmp.ts';

const START: FeedState = { offset: 0, lineNo: 0, header: null };
const T0 = Date.UTC(2026, 10, 24, 20, 0, 0);
const line = (minute: number, value: number | string, labels?: Record<string, string>) =>
  `${JSON.stringify({ timestamp: new Date(T0 + minute * 60_000).toISOString(), metric: 'error_rate', value, ...(labels ? { labels } : {}) })}\n`;
const next = (r: FeedRead): FeedState => ({ offset: r.offset, lineNo: r.lineNo, header: r.header, format: r.format });

describe('readFeed', () => {
  it('reads appended lines on the next read, and nothing twice', () => {
    const path = join(tempDir(), 'errors.ndjson');
    writeFileSync(path, line(0, 0.01) + line(1, 0.02, { region: 'eu' }));
    const first = readFeed(path, START);
    expect(first.readings).toEqual([
      { at: T0, metric: 'error_rate', value: 0.01, labels: {} },
      { at: T0 + 60_000, metric: 'error_rate', value: 0.02, labels: { region: 'eu' } },
    ]);
    expect(first).toMatchObject({ problems: [], lineNo: 2, format: 'ndjson', truncatedTail: false });

    expect(readFeed(path, next(first)).readings).toEqual([]);
    appendFileSync(path, line(2, 0.03));
    const second = readFeed(path, next(first));
    expect(second.readings.map((r) => r.value)).toEqual([0.03]);
    expect(second.lineNo).toBe(3);
  });

  it('leaves a half-written line until its newline arrives', () => {
    const path = join(tempDir(), 'errors.ndjson');
    const whole = line(0, 0.5);
    writeFileSync(path, line(0, 0.25) + whole.slice(0, 20));
    const first = readFeed(path, START);
    expect(first.readings.map((r) => r.value)).toEqual([0.25]);
    expect(first).toMatchObject({ problems: [], truncatedTail: true, lineNo: 1 });

    appendFileSync(path, whole.slice(20));
    const second = readFeed(path, next(first));
    expect(second.readings.map((r) => r.value)).toEqual([0.5]);
    expect(second).toMatchObject({ problems: [], truncatedTail: false, lineNo: 2 });
  });

  it('reports a malformed line by its number and reads the others', () => {
    const path = join(tempDir(), 'errors.ndjson');
    writeFileSync(path, line(0, 1) + line(1, 2));
    const first = readFeed(path, START);
    appendFileSync(path, line(2, 3) + '{"timestamp": "2026-11-24T20:03:00Z", "metric": "error_rate", "value": "abc"}\n' + 'not json\n' + line(5, 6));
    const second = readFeed(path, next(first));
    expect(second.readings.map((r) => r.value)).toEqual([3, 6]);
    expect(second.problems.map((p) => p.line)).toEqual([4, 5]);
    expect(second.problems[0]!.message).toMatch(/line 4: .*abc.* is not a number/);
    expect(second.lineNo).toBe(6);
  });

  it('reads a CSV feed with a header, keeping the header for later reads', () => {
    const path = join(tempDir(), 'checkout.csv');
    writeFileSync(path, 'timestamp,metric,value,region\n2026-11-24T20:00:00Z,checkout_success_ratio,0.99,eu\n');
    const first = readFeed(path, START);
    expect(first.header).toEqual(['timestamp', 'metric', 'value', 'region']);
    expect(first.readings).toEqual([{ at: T0, metric: 'checkout_success_ratio', value: 0.99, labels: { region: 'eu' } }]);
    appendFileSync(path, '2026-11-24T20:01:00Z,checkout_success_ratio,0.97,us\n');
    const second = readFeed(path, next(first));
    expect(second.readings).toEqual([{ at: T0 + 60_000, metric: 'checkout_success_ratio', value: 0.97, labels: { region: 'us' } }]);
    expect(second.lineNo).toBe(3);
  });

  it('detects the format from the first line when the name does not say', () => {
    const path = join(tempDir(), 'feed.log');
    writeFileSync(path, line(0, 1) + line(1, 2));
    const first = readFeed(path, { ...START, offset: line(0, 1).length, lineNo: 1 });
    expect(first).toMatchObject({ format: 'ndjson', problems: [] });
    expect(first.readings.map((r) => r.value)).toEqual([2]);
  });

  it('starts again from the top when the file was rotated or truncated, and says so', () => {
    const path = join(tempDir(), 'errors.ndjson');
    writeFileSync(path, line(0, 1) + line(1, 2) + line(2, 3));
    const first = readFeed(path, START);
    writeFileSync(path, line(3, 4));
    const second = readFeed(path, next(first));
    expect(second.readings.map((r) => r.value)).toEqual([4]);
    expect(second.problems).toHaveLength(1);
    expect(second.problems[0]!.message).toMatch(/shrank .*rotated or truncated.*from the start/);
    expect(second).toMatchObject({ offset: line(3, 4).length, lineNo: 1 });
  });

  it('reports a missing file by its path without throwing, and reads it once it appears', () => {
    const dir = tempDir();
    const path = join(dir, 'later.ndjson');
    const missing = readFeed(path, START);
    expect(missing).toMatchObject({ readings: [], offset: 0, lineNo: 0 });
    expect(missing.problems[0]!.message).toContain(`${path} does not exist`);

    writeFileSync(path, line(0, 7));
    expect(readFeed(path, next(missing)).readings.map((r) => r.value)).toEqual([7]);
  });

  it('reads at most maxBytes at a time, ending on a whole line', () => {
    const path = join(tempDir(), 'errors.ndjson');
    writeFileSync(path, [0, 1, 2, 3].map((m) => line(m, m)).join(''));
    const first = readFeed(path, START, line(0, 0).length * 2 + 5);
    expect(first.readings.map((r) => r.value)).toEqual([0, 1]);
    expect(first.truncatedTail).toBe(true);
    const rest = readFeed(path, next(first));
    expect(rest.readings.map((r) => r.value)).toEqual([2, 3]);
    expect(rest.lineNo).toBe(4);
  });
});

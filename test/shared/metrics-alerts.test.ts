// The alert evaluator: fires only when a covered window breaches, resolves only after a clean `for`
// window (no flapping), never reads missing data as passing, and writes evidence the log accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertEvidence } from '../../src/shared/events/metric-events.ts';
import { evaluateAlertRule, type AlertEvaluation, type AlertInput } from '../../src/shared/metrics/alerts.ts';
import { ruleDoc, type RuleDoc, type RuleInput } from '../../src/shared/metrics/model.ts';

const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);
const STEP = 10;
const rule = (input: Partial<RuleInput> = {}): RuleDoc =>
  ruleDoc.parse({ id: 'error-rate', title: 'Error rate', source: 'prom', query: 'sum(rate(errors[1m])) / sum(rate(requests[1m]))', op: '>', threshold: '0.02', forSeconds: 300, ...input });

/** A series sampled every STEP seconds over [from, to], value by time. */
function series(labels: Record<string, string>, from: number, to: number, value: (at: number) => number) {
  const t: number[] = [];
  const v: number[] = [];
  for (let at = from; at <= to; at += STEP * 1000) {
    t.push(at);
    v.push(value(at));
  }
  return { labels, t, v };
}
const evaluate = (r: RuleDoc, input: Partial<AlertInput>): AlertEvaluation => {
  const result = evaluateAlertRule(r, { now: NOW, series: [], stepSeconds: STEP, ...input });
  alertEvidence.parse(result.evidence); // what goes into the signed log must validate
  return result;
};
const lastHour = (value: (at: number) => number, labels: Record<string, string> = { job: 'api' }) => series(labels, NOW - 3_600_000, NOW, value);

/** Evaluates every STEP seconds over [from, to] carrying the previous state; returns the transitions. */
function replay(r: RuleDoc, s: AlertInput['series'], from: number, to: number, start: AlertInput['previous'] = null) {
  let previous = start;
  const transitions: { at: number; state: string }[] = [];
  for (let now = from; now <= to; now += STEP * 1000) {
    const visible = s.map((x) => {
      const n = x.t.findIndex((at) => at > now);
      const end = n < 0 ? x.t.length : n;
      return { labels: x.labels, t: x.t.slice(0, end), v: x.v.slice(0, end) };
    });
    const out = evaluateAlertRule(r, { now, series: visible, stepSeconds: STEP, previous });
    if (out.state !== previous?.state) transitions.push({ at: now, state: out.state });
    previous = { state: out.state, since: out.since };
  }
  return { transitions, last: previous };
}

describe('threshold rules', () => {
  it('fire when every sample of a covered window breaches, with the evidence that decided it', () => {
    const out = evaluate(rule(), { series: [lastHour(() => 0.01, { job: 'web' }), lastHour((at) => (at >= NOW - 400_000 ? 0.031 + (at === NOW - 60_000 ? 0.011 : 0) : 0.01))] });
    expect(out.state).toBe('firing');
    expect(out.since).toBe(NOW - 300_000);
    expect(out.detail).toBe('Error rate: 0.031 > 0.02 for 5 min (31 samples, worst 0.042 on {job="api"})');
    expect(out.evidence).toMatchObject({ condition: '> 0.02 for 300s', windowSeconds: 300, threshold: '0.02', observed: '0.031', source: 'prom' });
    expect(out.evidence.samples).toHaveLength(31);
    expect(out.evidence.samples[0]).toEqual([NOW - 300_000, '0.031']);
    // A query aggregated to one series without labels names no series in the sentence.
    const aggregated = evaluate(rule(), { series: [lastHour(() => 0.2, {})] });
    expect(aggregated.detail).toBe('Error rate: 0.2 > 0.02 for 5 min (31 samples, worst 0.2)');
  });

  it('do not fire while the breaching samples cover only part of the window', () => {
    const young = series({ job: 'api' }, NOW - 120_000, NOW, () => 0.5);
    const out = evaluate(rule(), { series: [young] });
    expect(out.state).toBe('ok');
    expect(out.detail).toMatch(/meets it in every sample, but the samples do not cover 5 min yet/);
  });

  it('do not fire across a gap longer than 3 steps (missing scrapes are not a breach)', () => {
    const gappy = lastHour((at) => (at > NOW - 200_000 && at < NOW - 150_000 ? NaN : 0.5));
    expect(evaluate(rule(), { series: [gappy] }).state).toBe('ok');
    const short = lastHour((at) => (at > NOW - 200_000 && at < NOW - 170_000 ? NaN : 0.5));
    expect(evaluate(rule(), { series: [short] }).state).toBe('firing');
    const stale = series({ job: 'api' }, NOW - 3_600_000, NOW - 60_000, () => 0.5);
    expect(evaluate(rule(), { series: [stale] }).state).toBe('ok');
  });

  it('have no data when every sample is NaN, none is in the window or nothing came back: never passing', () => {
    expect(evaluate(rule(), { series: [lastHour(() => NaN)] })).toMatchObject({ state: 'no_data', detail: 'Error rate: no data: all 31 samples in the last 5 min are NaN' });
    expect(evaluate(rule(), { series: [series({}, NOW - 3_600_000, NOW - 1_800_000, () => 0.5)] })).toMatchObject({
      state: 'no_data',
      detail: 'Error rate: no data: no samples in the last 5 min',
    });
    expect(evaluate(rule(), { series: [] })).toMatchObject({ state: 'no_data', detail: 'Error rate: no data: the query returned no series' });
    const wasFiring = evaluate(rule(), { series: [], previous: { state: 'firing', since: NOW - 900_000 } });
    expect(wasFiring).toMatchObject({ state: 'no_data', since: NOW });
  });

  it('have no data when the source errored, saying so', () => {
    const out = evaluate(rule(), { series: [lastHour(() => 0.5)], sourceError: 'timeout after 10 s' });
    expect(out).toMatchObject({ state: 'no_data', detail: 'Error rate: no data: source unreachable: timeout after 10 s' });
  });

  it('judge coverage by the samples’ own spacing when no step is known (file feeds)', () => {
    const feed = { labels: {}, t: [0, 1, 2, 3, 4, 5, 6].map((k) => NOW - k * 60_000).reverse(), v: [9, 9, 9, 9, 9, 9, 9] };
    expect(evaluate(rule(), { series: [feed], stepSeconds: 0 }).state).toBe('firing');
    expect(evaluate(rule(), { series: [{ labels: {}, t: [NOW], v: [9] }], stepSeconds: 0 }).state).toBe('ok');
  });

  it('count ±Infinity as readings (a division by zero breaches a > rule)', () => {
    expect(evaluate(rule(), { series: [lastHour(() => Infinity)] })).toMatchObject({ state: 'firing', evidence: { observed: 'Infinity' } });
    expect(evaluate(rule({ op: '<', threshold: '100' }), { series: [lastHour(() => -Infinity)] }).state).toBe('firing');
  });

  it('do not flap on a value oscillating around the threshold faster than `for`', () => {
    // 0.03 for 2 min, 0.01 for 2 min, … : the condition never holds for 5 min, nor clears for 5 min.
    const wobble = series({ job: 'api' }, NOW - 6 * 3_600_000, NOW, (at) => (Math.floor(at / 120_000) % 2 ? 0.03 : 0.01));
    expect(replay(rule(), [wobble], NOW - 5 * 3_600_000, NOW).transitions).toEqual([{ at: NOW - 5 * 3_600_000, state: 'ok' }]);
    const firing = replay(rule(), [wobble], NOW - 5 * 3_600_000, NOW, { state: 'firing', since: NOW - 6 * 3_600_000 });
    expect(firing.transitions).toEqual([]);
    expect(firing.last).toEqual({ state: 'firing', since: NOW - 6 * 3_600_000 });
  });

  it('fire after `for` of breach and resolve only after `for` clear', () => {
    const incident = series({ job: 'api' }, NOW - 3_600_000, NOW, (at) => (at >= NOW - 2_400_000 && at < NOW - 1_200_000 ? 0.05 : 0.01));
    const { transitions } = replay(rule(), [incident], NOW - 3_000_000, NOW);
    expect(transitions).toEqual([
      { at: NOW - 3_000_000, state: 'ok' },
      { at: NOW - 2_100_000, state: 'firing' },
      { at: NOW - 900_000, state: 'ok' },
    ]);
  });

  it('keep `since` while the state holds', () => {
    const out = evaluate(rule(), { series: [lastHour(() => 0.5)], previous: { state: 'firing', since: NOW - 1_000_000 } });
    expect(out).toMatchObject({ state: 'firing', since: NOW - 1_000_000 });
    expect(evaluate(rule(), { series: [lastHour(() => 0)], previous: { state: 'ok', since: NOW - 5000 } }).since).toBe(NOW - 5000);
  });

  it('fire when any one series breaches, naming it', () => {
    const out = evaluate(rule({ op: '<', threshold: '0.99', title: 'Availability' }), {
      series: [lastHour(() => 0.999, { region: 'eu' }), lastHour(() => 0.95, { region: 'us' }), lastHour(() => 0.97, { region: 'ap' })],
    });
    expect(out.state).toBe('firing');
    expect(out.detail).toBe('Availability: 0.95 < 0.99 for 5 min (31 samples, worst 0.95 on {region="us"}; 2 series breaching)');
  });

  it('thin evidence to 120 samples and keep huge values within the log’s decimal range', () => {
    const out = evaluate(rule({ forSeconds: 3600 }), { series: [lastHour((at) => (at === NOW ? 1e20 : 5))] });
    expect(out.state).toBe('firing');
    expect(out.evidence.samples).toHaveLength(120);
    expect(out.evidence.samples[0]![0]).toBe(NOW - 3_600_000);
    expect(out.evidence.samples.at(-1)).toEqual([NOW, '999999999999999']);
  });
});

describe('any series, any history', () => {
  it('a new firing state always rests on a covered window where every usable sample breached; no usable sample is never ok', () => {
    const value = fc.oneof(fc.double({ min: 0, max: 0.05, noNaN: true }), fc.constantFrom(NaN, Infinity));
    const seriesArb = fc.array(fc.record({ values: fc.array(value, { maxLength: 60 }), offset: fc.integer({ min: 0, max: 30 }) }), { maxLength: 3 });
    fc.assert(
      fc.property(seriesArb, fc.constantFrom(0, 60, 300), fc.constantFrom('ok', 'firing', 'no_data'), (shapes, forSeconds, before) => {
        const s = shapes.map(({ values, offset }, i) => ({
          labels: { i: String(i) },
          t: values.map((_, k) => NOW - (values.length - 1 - k + offset) * STEP * 1000),
          v: values,
        }));
        const r = rule({ forSeconds });
        const out = evaluate(r, { series: s, previous: { state: before as 'ok', since: NOW - 1 } });
        const window = Math.max(forSeconds, STEP) * 1000;
        const usable = s.map((x) => x.v.filter((v, k) => !Number.isNaN(v) && x.t[k]! >= NOW - window));
        if (usable.every((u) => u.length === 0)) expect(out.state).toBe('no_data');
        if (out.state === 'firing' && before !== 'firing') {
          expect(usable.some((u) => u.length > 0 && u.every((v) => v > 0.02))).toBe(true);
        }
        if (out.state === 'ok' && before === 'firing') expect(usable.flat().every((v) => !(v > 0.02))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('baseline ratio rules', () => {
  const p95 = rule({ kind: 'baseline_ratio', title: 'p95 latency', threshold: '1.5', baseline: 'before_deploy', forSeconds: 600 });

  it('fire when every sample exceeds factor × baseline for the window', () => {
    const out = evaluate(p95, { series: [lastHour(() => 0.7)], baseline: 0.4 });
    expect(out.state).toBe('firing');
    expect(out.detail).toBe('p95 latency: 0.7 > 1.5 × baseline 0.4 (= 0.6) for 10 min (61 samples, worst 0.7 on {job="api"})');
    expect(out.evidence).toMatchObject({ condition: '> 1.5 × baseline for 600s', threshold: '1.5', baseline: '0.4', observed: '0.7' });
    expect(evaluate(p95, { series: [lastHour(() => 0.5)], baseline: 0.4 }).state).toBe('ok');
  });

  it('have no data when the baseline is missing, NaN or 0', () => {
    expect(evaluate(p95, { series: [lastHour(() => 0.7)], baseline: null })).toMatchObject({ state: 'no_data', detail: expect.stringMatching(/baseline is unknown/) });
    expect(evaluate(p95, { series: [lastHour(() => 0.7)] }).state).toBe('no_data');
    expect(evaluate(p95, { series: [lastHour(() => 0.7)], baseline: NaN })).toMatchObject({ state: 'no_data', detail: expect.stringMatching(/baseline is NaN/) });
    expect(evaluate(p95, { series: [lastHour(() => 0.7)], baseline: 0 })).toMatchObject({ state: 'no_data', detail: expect.stringMatching(/baseline is 0/) });
  });
});

describe('absent rules', () => {
  const heartbeat = rule({ kind: 'absent', title: 'Checkout heartbeat', op: undefined, threshold: undefined });

  it('fire when no usable sample exists in the window, naming the cause', () => {
    expect(evaluate(heartbeat, { series: [] })).toMatchObject({
      state: 'firing',
      since: NOW - 300_000,
      detail: 'Checkout heartbeat: no data for 5 min: the query returned no series',
      evidence: { condition: 'no data for 300s', samples: [] },
    });
    expect(evaluate(heartbeat, { series: [lastHour(() => NaN)] }).detail).toBe('Checkout heartbeat: no data for 5 min: all 31 samples in the last 5 min are NaN');
    expect(evaluate(heartbeat, { series: [lastHour(() => 1)], sourceError: 'HTTP 502 from http://prom:9090' })).toMatchObject({
      state: 'firing',
      detail: 'Checkout heartbeat: no data for 5 min: source unreachable: HTTP 502 from http://prom:9090',
    });
  });

  it('are ok while samples arrive', () => {
    expect(evaluate(heartbeat, { series: [lastHour(() => 0)] })).toMatchObject({ state: 'ok', detail: 'Checkout heartbeat: 31 samples in the last 5 min' });
  });
});

// The metrics runtime on real files and a real SQLite database: file feeds read incrementally
// (a half-written line waits, a malformed one is named by its line), rules judged from feed
// samples with one event per transition, series downsampled to the asked points with baseline
// bands, and the live loop refreshing only deploying and stabilizing releases.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';
import { addPanel, addRule, addSource, alertEvents, liveRelease, metricsCore, sleep } from './metrics-runtime-helpers.ts';

const START = Date.UTC(2026, 10, 23, 9, 0, 0);
const line = (at: number, metric: string, value: number | string, labels?: Record<string, string>) => `${JSON.stringify({ timestamp: new Date(at).toISOString(), metric, value, ...(labels ? { labels } : {}) })}\n`;

async function feedSetup() {
  const test = await metricsCore();
  test.clock.now = START;
  const release = liveRelease(test.core, 'r1');
  const feed = join(tempDir('wr-feed-'), 'orders.ndjson');
  writeFileSync(feed, '');
  addSource(test.core, 'pipeline', { kind: 'file', path: feed });
  return { ...test, release, feed };
}

const rawOf = (core: Awaited<ReturnType<typeof metricsCore>>['core'], release: string) =>
  core.ctx.metrics.series({ release, range: '1h', points: 1000 }).series.reduce((n, s) => n + s.raw, 0);

describe('file feeds', () => {
  it('take appended lines on the next refresh, wait for a half-written line and name a malformed one by its line', async () => {
    const { core, clock, release, feed } = await feedSetup();
    addPanel(core, release, { id: 'orders', title: 'Orders/min', source: 'pipeline', queries: [{ query: 'orders_per_min', legend: '{{region}}' }] });
    expect(core.ctx.metrics.panelStates(release)[0]!.state).toBe('never');
    appendFileSync(feed, line(START - 3000, 'orders_per_min', 120, { region: 'eu' }) + line(START - 2000, 'orders_per_min', 118, { region: 'eu' }) + line(START - 2000, 'other_metric', 1));
    clock.now = START + 1000;
    let report = await core.ctx.metrics.refresh(release);
    expect(report.panels[0]).toMatchObject({ state: 'ok', message: null });
    expect(rawOf(core, release)).toBe(2);
    expect(core.ctx.metrics.series({ release, range: '1h', points: 100 }).series[0]).toMatchObject({ name: 'eu', devices: [core.ctx.store.device().id] });

    // A pipeline mid-write: the last line has no newline yet.
    const half = line(START - 1000, 'orders_per_min', 121, { region: 'eu' });
    appendFileSync(feed, line(START - 1500, 'orders_per_min', 119, { region: 'eu' }) + half.slice(0, 20));
    await core.ctx.metrics.refresh(release);
    expect(rawOf(core, release)).toBe(3);
    appendFileSync(feed, half.slice(20));
    await core.ctx.metrics.refresh(release);
    expect(rawOf(core, release)).toBe(4);

    appendFileSync(feed, '{"timestamp": "2026-11-23T09:00:00Z", "metric": "orders_per_min", "value": "lots"}\n' + line(START, 'orders_per_min', 122, { region: 'eu' }));
    report = await core.ctx.metrics.refresh(release);
    expect(report.panels[0]!.state).toBe('ok');
    expect(report.panels[0]!.message).toMatch(/orders\.ndjson: line 6: value/);
    expect(rawOf(core, release)).toBe(5);
  });

  it('show an unreadable feed as an error on the panel while its stored data stays', async () => {
    const { core, clock, release, feed } = await feedSetup();
    addPanel(core, release, { id: 'orders', title: 'Orders/min', source: 'pipeline', queries: [{ query: 'orders_per_min' }] });
    appendFileSync(feed, line(START - 1000, 'orders_per_min', 120));
    await core.ctx.metrics.refresh(release);
    addSource(core, 'pipeline', { kind: 'file', path: `${feed}.moved` });
    clock.now = START + 5000;
    const report = await core.ctx.metrics.refresh(release);
    expect(report.panels[0]).toMatchObject({ state: 'error' });
    expect(report.panels[0]!.message).toMatch(/does not exist/);
    expect(core.ctx.metrics.panelStates(release)[0]!.lastGoodAt).toBe(new Date(START).toISOString());
    expect(rawOf(core, release)).toBe(1);
    addSource(core, 'relative', { kind: 'file', path: 'feeds/orders.ndjson' });
    addPanel(core, release, { id: 'orders', title: 'Orders/min', source: 'relative', queries: [{ query: 'orders_per_min' }] });
    expect((await core.ctx.metrics.refresh(release)).panels[0]!.message).toMatch(/no shared folder is set up/);
  });
});

describe('alert rules on feed samples', () => {
  it('fire once when every sample of the window breaches, evaluate without writing, and resolve once', async () => {
    const { core, clock, release, feed } = await feedSetup();
    addRule(core, release, { id: 'errors', title: 'Checkout errors', source: 'pipeline', query: 'error_rate', op: '>', threshold: '0.02', forSeconds: 60 });
    const write = (from: number, to: number, value: number) => {
      let text = '';
      for (let t = from; t <= to; t += 10_000) text += line(t, 'error_rate', value);
      appendFileSync(feed, text);
    };
    write(START - 120_000, START, 0.01);
    let report = await core.ctx.metrics.refresh(release);
    expect(report.rules[0]!.state).toBe('ok');
    expect(alertEvents(core, release)).toEqual([]);

    write(START + 10_000, START + 80_000, 0.05);
    clock.now = START + 80_000;
    // Not refreshed yet: the new lines are unread, the window is empty; evaluating writes nothing.
    expect(core.ctx.metrics.ruleStatuses(release)[0]!.state).toBe('no_data');
    expect(alertEvents(core, release)).toEqual([]);
    report = await core.ctx.metrics.refresh(release);
    expect(report.alertsWritten).toBe(1);
    expect(report.rules[0]).toMatchObject({ state: 'firing', lastEvent: { state: 'firing' } });
    expect(report.rules[0]!.detail).toMatch(/^Checkout errors: 0\.05 > 0\.02/);
    // Evaluating again (on request or another refresh) writes nothing new.
    expect(core.ctx.metrics.ruleStatuses(release)[0]!.state).toBe('firing');
    clock.now = START + 85_000;
    expect((await core.ctx.metrics.refresh(release)).alertsWritten).toBe(0);

    write(START + 90_000, START + 160_000, 0.0);
    clock.now = START + 160_000;
    report = await core.ctx.metrics.refresh(release);
    expect(report.rules[0]).toMatchObject({ state: 'ok', lastEvent: { state: 'resolved' } });
    const events = alertEvents(core, release);
    expect(events.map((e) => e.state)).toEqual(['firing', 'resolved']);
  });

  it('record no data when the feed stops, and do not repeat a transition the folded state already holds', async () => {
    const { core, clock, release, feed } = await feedSetup();
    addRule(core, release, { id: 'errors', title: 'Checkout errors', source: 'pipeline', query: 'error_rate', op: '>', threshold: '0.02', forSeconds: 60 });
    appendFileSync(feed, line(START - 10_000, 'error_rate', 0.01) + line(START, 'error_rate', 0.01));
    await core.ctx.metrics.refresh(release);
    clock.now = START + 600_000;
    const report = await core.ctx.metrics.refresh(release);
    expect(report.rules[0]!.state).toBe('no_data');
    expect(alertEvents(core, release).map((e) => e.state)).toEqual(['no_data']);

    // A fresh process (no memory) reads the recorded state and stays quiet.
    const reopened = await metricsCore({ dataDir: core.ctx.dataDir });
    core.close();
    reopened.clock.now = START + 610_000;
    expect((await reopened.core.ctx.metrics.refresh(release)).alertsWritten).toBe(0);
  });
});

describe('series', () => {
  it('downsample every series to the asked number of points and report the raw count', async () => {
    const { core, clock } = await feedSetup();
    const release = 'r1';
    addSource(core, 'kpi', { kind: 'manual' });
    addPanel(core, release, { id: 'checkout', title: 'Checkout', source: 'kpi', queries: [{ query: 'checkout_ratio' }] });
    for (let i = 0; i < 3000; i++) core.ctx.metrics.storeReading(release, 'checkout_ratio', Math.sin(i / 50), START - 3_000_000 + i * 1000);
    clock.now = START;
    const result = core.ctx.metrics.series({ release, range: '1h', points: 200 });
    const [s] = result.series;
    expect(s!.raw).toBe(3000);
    expect(s!.points.length).toBeLessThanOrEqual(200);
    expect(s!.points.length).toBeGreaterThan(150);
    expect(s!.points[0]![0]).toBe(START - 3_000_000);
    expect(s!.points.at(-1)![0]).toBe(START - 3_000_000 + 2999_000);
    // Peaks survive: LTTB keeps the extremes of a sine.
    expect(Math.max(...s!.points.map(([, v]) => v ?? -2))).toBeGreaterThan(0.99);
    expect(() => core.ctx.metrics.series({ release, range: '1h', points: 100, panel: 'nope' })).toThrow(/no panel nope/);
  });

  it('draw a before-deploy baseline band with the mean, the current mean and the change', async () => {
    const test = await metricsCore();
    const { core, clock } = test;
    const deployAt = START;
    clock.now = deployAt;
    const release = liveRelease(core, 'r1');
    addSource(core, 'kpi', { kind: 'manual' });
    addPanel(core, release, { id: 'latency', title: 'p95', source: 'kpi', queries: [{ query: 'p95_ms' }], baseline: 'before_deploy' });
    for (let i = 0; i < 60; i++) core.ctx.metrics.storeReading(release, 'p95_ms', 100 + (i % 2), deployAt - 3_600_000 + i * 60_000);
    for (let i = 0; i < 60; i++) core.ctx.metrics.storeReading(release, 'p95_ms', 120 + (i % 2), deployAt + (i + 1) * 60_000);
    clock.now = deployAt + 3_600_000;
    const result = core.ctx.metrics.series({ release, range: 'since_deploy', points: 500 });
    expect(result).toMatchObject({ from: deployAt, to: deployAt + 3_600_000 });
    expect(result.series[0]!.raw).toBe(60);
    const baseline = result.baselines.latency!;
    expect(baseline).toMatchObject({ mode: 'before_deploy', from: deployAt - 3_600_000, to: deployAt });
    const [band] = baseline.series;
    expect(band!.key).toBe(result.series[0]!.key);
    expect(band!.mean).toBeCloseTo(100.5);
    expect(band!.current).toBeCloseTo(120.5);
    expect(band!.changePercent).toBeCloseTo(19.9, 1);
    expect(band!.band.length).toBeGreaterThan(10);
    for (const [t, lo, hi] of band!.band) {
      expect(t).toBeGreaterThanOrEqual(deployAt);
      expect(lo).toBeGreaterThanOrEqual(100);
      expect(hi).toBeLessThanOrEqual(101);
    }
  });
});

describe('the live loop', () => {
  it('refreshes deploying releases on its own, leaves others alone, and stops on close', async () => {
    const { core } = await metricsCore({ metrics: { refreshMs: 50 } });
    const feed = join(tempDir('wr-feed-'), 'orders.ndjson');
    writeFileSync(feed, line(Date.now() - 1000, 'orders_per_min', 100));
    addSource(core, 'pipeline', { kind: 'file', path: feed });
    const live = liveRelease(core, 'live');
    core.ctx.store.appendEvents([{ type: 'release.created', entity: { kind: 'release', id: 'planned' }, data: { title: 'Planned' } }]);
    for (const release of [live, 'planned']) addPanel(core, release, { id: 'orders', title: 'Orders', source: 'pipeline', queries: [{ query: 'orders_per_min' }] });
    expect(core.ctx.metrics.refreshMs).toBe(50);
    await core.startSync();
    const deadline = Date.now() + 10_000;
    while (rawOf(core, live) === 0 && Date.now() < deadline) await sleep(20);
    expect(rawOf(core, live)).toBe(1);
    expect(core.ctx.metrics.lastRefreshAt(live)).not.toBeNull();
    expect(core.ctx.metrics.lastRefreshAt('planned')).toBeNull();
    expect(core.ctx.metrics.panelStates(live)[0]!.state).toBe('ok');
    core.ctx.metrics.close();
    await sleep(100);
    const last = core.ctx.metrics.lastRefreshAt(live);
    appendFileSync(feed, line(Date.now(), 'orders_per_min', 101));
    await sleep(200);
    expect(core.ctx.metrics.lastRefreshAt(live)).toBe(last);
    expect(rawOf(core, live)).toBe(1);
  });
});

describe('through the API', () => {
  it('a reading recorded by hand is a sample the panel draws, and the view shows the refreshed panel', async () => {
    const { core, clock } = await metricsCore();
    clock.now = START;
    const release = liveRelease(core, 'r1');
    const call = async <T,>(method: string, input: unknown): Promise<T> => {
      const result = await core.dispatch(method, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
      return result.value as T;
    };
    await call('metrics.source.save', { name: 'kpi', config: { kind: 'manual' } });
    await call('metrics.panel.save', { release, panel: { id: 'checkout', title: 'Checkout success', source: 'kpi', queries: [{ query: 'checkout_ratio' }] } });
    await call('metrics.record', { release, metric: 'checkout_ratio', value: 0.97, at: START - 60_000 });
    await call('metrics.record', { release, metric: 'checkout_ratio', value: 'NaN', at: START - 30_000 });
    const report = await call<{ panels: { state: string }[] }>('metrics.refresh', { release });
    expect(report.panels).toMatchObject([{ state: 'ok' }]);
    const series = await call<{ series: { raw: number; points: [number, number | null][] }[] }>('metrics.series', { release, range: '1h', points: 100 });
    // Both stored; a trailing NaN draws nothing after the last value.
    expect(series.series[0]).toMatchObject({ raw: 2, points: [[START - 60_000, 0.97]] });
    const view = await call<{ panels: { state: string }[]; lastRefreshAt: string | null }>('metrics.view', { release });
    expect(view.panels).toMatchObject([{ state: 'ok' }]);
    expect(view.lastRefreshAt).toBe(new Date(START).toISOString());
  });
});

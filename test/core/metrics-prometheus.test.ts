// The metrics runtime against a real Prometheus (Debian's binary scraping a test exporter every
// second): panel data is queried and stored, an error-rate rule fires and resolves with exactly
// one event each, and a bad query or an unreachable server marks the panel without losing data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';
import { addPanel, addRule, addSource, alertEvents, liveRelease, metricsCore, refreshUntil, sleep } from './metrics-runtime-helpers.ts';

const ERROR_RATE = 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))';
const REQUEST_RATE = 'sum by (code) (rate(http_requests_total[5s]))';

let prom: RunningPrometheus;
let promStarted = 0;
beforeAll(async () => {
  prom = await startPrometheus();
  promStarted = Date.now();
}, 60_000);
afterAll(async () => {
  await prom?.stop();
});

async function setUp() {
  const { core } = await metricsCore();
  const release = liveRelease(core, 'r1');
  addSource(core, 'prom', { kind: 'prometheus', url: prom.url, timeoutMs: 2000 });
  return { core, release };
}

describe('metrics runtime with a real Prometheus', () => {
  it('stores a panel query’s series and draws them by legend, recorded as queried by this device', async () => {
    const { core, release } = await setUp();
    addPanel(core, release, { id: 'traffic', title: 'Requests/s', source: 'prom', queries: [{ query: REQUEST_RATE, legend: 'HTTP {{code}}' }] });
    const series = () => core.ctx.metrics.series({ release, range: '1h', points: 100 });
    // Right after Prometheus starts, rate() over a 5 s window still reads low: wait for ~100/s.
    const steady = () => series().series.some((s) => s.name === 'HTTP 200' && s.points.some(([, v]) => v !== null && v > 50));
    const report = await refreshUntil(core, release, (r) => (r.panels[0]!.state === 'ok' && steady() ? r : false));
    expect(report.panels[0]).toMatchObject({ panel: 'traffic', state: 'ok', message: null });
    const result = series();
    expect(result.series.map((s) => s.name).sort()).toEqual(['HTTP 200', 'HTTP 500']);
    for (const s of result.series) {
      expect(s.raw).toBeGreaterThan(0);
      expect(s.devices).toEqual([core.ctx.store.device().id]);
    }
    expect(core.ctx.metrics.panelStates(release)[0]).toMatchObject({ state: 'ok', message: null });
  }, 60_000);

  it('fires an error-rate rule once when errors rise above 2 % for 5 s, and resolves it once when they fall', async () => {
    const { core, release } = await setUp();
    addRule(core, release, { id: 'errors', title: 'Error rate', source: 'prom', query: ERROR_RATE, kind: 'threshold', op: '>', threshold: '0.02', forSeconds: 5 });
    const notices: string[] = [];
    core.subscribe((n) => {
      if (n.topic === 'alert') notices.push(`${n.rule}:${n.state}`);
    });
    const first = await core.ctx.metrics.refresh(release);
    expect(first.rules[0]!.state).not.toBe('firing');

    prom.exporter.setErrorRate(0.1);
    const fired = await refreshUntil(core, release, (r) => (r.rules[0]!.state === 'firing' ? r : false));
    expect(fired.rules[0]!.detail).toMatch(/Error rate/);
    expect(fired.rules[0]!.evidence.samples.length).toBeGreaterThan(0);
    // More refreshes while it keeps firing write nothing new.
    await sleep(1500);
    await core.ctx.metrics.refresh(release);
    expect(alertEvents(core, release).filter((e) => e.state === 'firing')).toHaveLength(1);

    prom.exporter.setErrorRate(0);
    const resolved = await refreshUntil(core, release, (r) => (r.rules[0]!.state === 'ok' ? r : false), 60_000);
    expect(resolved.rules[0]!.lastEvent).toMatchObject({ state: 'resolved' });
    const events = alertEvents(core, release).filter((e) => e.state !== 'no_data');
    expect(events.map((e) => `${e.rule}:${e.state}`)).toEqual(['errors:firing', 'errors:resolved']);
    expect(notices.filter((n) => n !== 'errors:no_data')).toEqual(['errors:firing', 'errors:resolved']);
    expect(core.ctx.metrics.ruleStatuses(release)[0]!.state).toBe('ok');
  }, 120_000);

  it('marks a panel with a PromQL syntax error and recovers when the query is fixed', async () => {
    const { core, release } = await setUp();
    addPanel(core, release, { id: 'broken', title: 'Broken', source: 'prom', queries: [{ query: 'sum(rate(http_requests_total[5s]' }] });
    const report = await core.ctx.metrics.refresh(release);
    expect(report.panels[0]).toMatchObject({ state: 'error' });
    expect(report.panels[0]!.message).toMatch(/refused by Prometheus \(bad_data\)/);
    expect(core.ctx.metrics.panelStates(release)[0]).toMatchObject({ state: 'error', lastGoodAt: null });
    addPanel(core, release, { id: 'broken', title: 'Broken', source: 'prom', queries: [{ query: REQUEST_RATE }] });
    await refreshUntil(core, release, (r) => (r.panels[0]!.state === 'ok' ? r : false));
  }, 60_000);

  it('keeps the stored data while Prometheus is unreachable and catches up when it is back', async () => {
    const { core, release } = await setUp();
    addPanel(core, release, { id: 'traffic', title: 'Requests/s', source: 'prom', queries: [{ query: REQUEST_RATE }] });
    await refreshUntil(core, release, (r) => (r.panels[0]!.samples > 0 ? r : false));
    const before = core.ctx.metrics.series({ release, range: '1h', points: 100 }).series.reduce((n, s) => n + s.raw, 0);
    const goodAt = core.ctx.metrics.panelStates(release)[0]!.lastGoodAt;

    await prom.kill();
    try {
      await sleep(1100);
      const down = await core.ctx.metrics.refresh(release);
      expect(down.panels[0]!.state).toBe('error');
      expect(down.panels[0]!.message).toMatch(/cannot be reached/);
      const view = core.ctx.metrics.panelStates(release)[0]!;
      expect(view).toMatchObject({ state: 'error', lastGoodAt: goodAt });
      expect(core.ctx.metrics.series({ release, range: '1h', points: 100 }).series.reduce((n, s) => n + s.raw, 0)).toBe(before);
    } finally {
      await prom.start();
    }
    const stored = () => core.ctx.metrics.series({ release, range: '1h', points: 100 }).series.reduce((n, s) => n + s.raw, 0);
    await refreshUntil(core, release, (r) => (r.panels[0]!.state === 'ok' && stored() > before ? r : false));
    expect(core.ctx.metrics.panelStates(release)[0]).toMatchObject({ state: 'ok', message: null });
  }, 90_000);

  it('fetches a before-deploy baseline with the panel and compares the series against it', async () => {
    // Some history before the deployment: Prometheus has scraped for at least 15 s by then.
    await sleep(Math.max(0, promStarted + 15_000 - Date.now()));
    const { core, clock } = await metricsCore();
    clock.now = Date.now() - 5000;
    const release = liveRelease(core, 'r1');
    clock.now = null;
    addSource(core, 'prom', { kind: 'prometheus', url: prom.url, timeoutMs: 2000 });
    addPanel(core, release, { id: 'traffic', title: 'Requests/s', source: 'prom', queries: [{ query: 'sum(rate(http_requests_total[5s]))' }], baseline: 'before_deploy' });
    await refreshUntil(core, release, (r) => (r.panels[0]!.state === 'ok' ? r : false));
    const result = core.ctx.metrics.series({ release, range: '1h', points: 200 });
    const view = result.baselines.traffic!;
    expect(view.mode).toBe('before_deploy');
    expect(view.to).toBe(core.ctx.store.timeline({ release, type: 'release.transitioned', limit: 1 }).items.map((i) => Date.parse(i.at))[0]);
    const [compared] = view.series;
    expect(compared!.key).toBe(result.series[0]!.key);
    // About 100 requests/s before and after: a mean near it, and a change near zero.
    expect(compared!.mean).toBeGreaterThan(50);
    expect(compared!.band.length).toBeGreaterThan(0);
    expect(Math.abs(compared!.changePercent ?? 100)).toBeLessThan(50);
  }, 90_000);
});

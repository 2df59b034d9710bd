// Metrics configuration through dispatch on real databases: sources with secrets kept out of the
// log and the database, a connection test against a real HTTP server, panels and rules, manual
// readings on the timeline, dashboards copied to another release, the metrics view's shape, and
// the go/no-go criterion answered by a metric alert rule.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src/main/core/core.ts';
import type { SecretStore } from '../../src/main/core/secrets.ts';
import type { GoNoGoDetail } from '../../src/shared/api/gonogo.ts';
import type { MetricsViewData, PanelView, RuleStatus, SourceSummary } from '../../src/shared/api/metrics.ts';
import type { ReleaseDetail } from '../../src/shared/api/releases.ts';
import type { TimelinePage } from '../../src/shared/api/store.ts';
import { DEFAULT_CHECKLIST, type ChecklistDoc } from '../../src/shared/gonogo/checklist.ts';
import { evaluateRule } from '../../src/shared/gonogo/rules.ts';
import { tempDir } from '../helpers/tmp.ts';
import { callers } from './helpers.ts';

const cores: Core[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) core.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A keychain that keeps secrets in memory (what Electron's safeStorage store does on disk). */
function memoryKeychain(): SecretStore & { all: Map<string, string> } {
  const all = new Map<string, string>();
  return { all, get: (n) => all.get(n) ?? null, set: (n, v) => void all.set(n, v), delete: (n) => void all.delete(n), names: () => [...all.keys()] };
}

async function device(options: { secrets?: SecretStore } = {}) {
  let now = Date.UTC(2026, 10, 24, 20, 0, 0);
  const dataDir = tempDir();
  const core = openCore({ dataDir, now: () => now, log: () => {}, ...options });
  cores.push(core);
  const { call, fails } = callers(core);
  await call('profile.set', { name: 'Casey', role: 'coordinator' });
  const timeline = async (release: string) => (await call<TimelinePage>('timeline.page', { release, limit: 200 })).items;
  return { core, call, fails, dataDir, timeline, advance: (minutes: number) => (now += minutes * 60_000) };
}
type Device = Awaited<ReturnType<typeof device>>;

/** An emergency release moved to deploying (no window needed). */
async function deploying(d: Device, name = 'Checkout 7.3') {
  const release = await d.call<ReleaseDetail>('release.create', { name, version: '7.3.0', type: 'emergency' });
  await d.call('release.transition', { id: release.id, to: 'go_no_go' });
  await d.call('release.transition', { id: release.id, to: 'deploying' });
  return release.id;
}

const prom = { kind: 'prometheus', url: 'http://127.0.0.1:9', timeoutMs: 1000 } as const;
const panel = { id: 'error-rate', title: 'Error rate', source: 'prom', queries: [{ query: 'sum(rate(http_requests_total{code="500"}[1m]))' }], unit: '%' };
const rule = { id: 'errors', title: 'Error rate', source: 'prom', query: 'job:errors:ratio', op: '>', threshold: '0.02', forSeconds: 300 };

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on (opened, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('metric sources', () => {
  it('refuses a keychain secret where there is no keychain (serve, CLI) and says to use an environment variable', async () => {
    const d = await device();
    const keychain = { ...prom, auth: { type: 'bearer', token: { from: 'keychain' } } };
    const refused = await d.fails('metrics.source.save', { name: 'prom', config: keychain, secret: 's3cret-token' });
    expect(refused).toMatchObject({ code: 'unavailable', field: 'secret' });
    expect(refused.message).toMatch(/--token-env VAR.*desktop app/);
    const noRef = await d.fails('metrics.source.save', { name: 'prom', config: prom, secret: 's3cret-token' });
    expect(noRef).toMatchObject({ code: 'invalid_input', field: 'secret' });

    await d.call('metrics.source.save', { name: 'prom', config: { ...prom, auth: { type: 'bearer', token: { from: 'env', env: 'PROM_TOKEN' } } } });
    await d.call('metrics.source.save', { name: 'feed', config: { kind: 'file', path: '/tmp/feed.ndjson' } });
    const list = await d.call<SourceSummary[]>('metrics.source.list', {});
    expect(list.map((s) => [s.name, s.kind, s.auth, s.updatedBy?.name])).toEqual([
      ['feed', 'file', 'none', 'Casey'],
      ['prom', 'prometheus', 'env PROM_TOKEN', 'Casey'],
    ]);
  });

  it('keeps a secret in the keychain only: never in an event, never in the database', async () => {
    const keychain = memoryKeychain();
    const d = await device({ secrets: keychain });
    const config = { ...prom, auth: { type: 'basic', username: 'grafana', password: { from: 'keychain' } } };
    const saved = await d.call<SourceSummary>('metrics.source.save', { name: 'prom', config, secret: 'hunter2-very-secret' });
    expect(saved.auth).toBe('keychain (stored on this device)');
    expect(keychain.all.get('metrics.source.prom')).toBe('hunter2-very-secret');

    const device2 = d.core.ctx.store.device().id;
    const bodies = JSON.stringify(d.core.ctx.store.readEvents(device2));
    expect(bodies).toContain('"from":"keychain"');
    expect(bodies).not.toContain('hunter2');
    for (const file of readdirSync(d.dataDir).filter((f) => f.endsWith('.db') || f.endsWith('-wal'))) {
      expect(readFileSync(join(d.dataDir, file)).includes('hunter2'), file).toBe(false);
    }

    // Another device (no secret stored) sees where it should be; removing forgets it here.
    keychain.all.clear();
    expect((await d.call<SourceSummary[]>('metrics.source.list', {}))[0]!.auth).toBe('keychain (not on this device)');
    keychain.all.set('metrics.source.prom', 'x');
    // Switching to an environment variable forgets the keychain entry; removing does too.
    await d.call('metrics.source.save', { name: 'prom', config: { ...config, auth: { type: 'basic', username: 'grafana', password: { from: 'env', env: 'PROM_PW' } } } });
    expect(keychain.all.size).toBe(0);
    keychain.all.set('metrics.source.prom', 'x');
    await d.call('metrics.source.remove', { name: 'prom' });
    expect(keychain.all.size).toBe(0);
    expect(await d.call('metrics.source.list', {})).toEqual([]);
    expect(await d.fails('metrics.source.remove', { name: 'prom' })).toMatchObject({ code: 'not_found' });
  });

  it('tests a Prometheus with its token, an unreachable one, and a file feed', async () => {
    const seen: string[] = [];
    const url = await listen((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [0, '1'] } }));
    });
    const keychain = memoryKeychain();
    const d = await device({ secrets: keychain });
    await d.call('metrics.source.save', { name: 'prom', config: { ...prom, url, auth: { type: 'bearer', token: { from: 'keychain' } } }, secret: 'tok-1' });
    const ok = await d.call<{ ok: boolean; message: string }>('metrics.source.test', { name: 'prom' });
    expect(ok).toMatchObject({ ok: true, message: `Prometheus at ${url} answers.` });
    expect(seen).toEqual(['/api/v1/query?query=1 Bearer tok-1']);

    const port = await closedPort();
    await d.call('metrics.source.save', { name: 'down', config: { ...prom, url: `http://127.0.0.1:${port}` } });
    const down = await d.call<{ ok: boolean; message: string }>('metrics.source.test', { name: 'down' });
    expect(down).toMatchObject({ ok: false, message: `Cannot reach Prometheus at http://127.0.0.1:${port} (ECONNREFUSED): check the URL and that the server is running.` });

    const file = join(tempDir(), 'feed.ndjson');
    await d.call('metrics.source.save', { name: 'feed', config: { kind: 'file', path: file } });
    expect((await d.call<{ ok: boolean; message: string }>('metrics.source.test', { name: 'feed' })).message).toMatch(/cannot be read: ENOENT/);
    writeFileSync(file, '');
    expect(await d.call('metrics.source.test', { name: 'feed' })).toMatchObject({ ok: true });

    // After a refresh the list says how this device last reached each source.
    writeFileSync(file, '{"timestamp":"2026-11-24T19:59:00Z","metric":"error_rate","value":0.01}\n');
    const id = await deploying(d);
    await d.call('metrics.panel.save', { release: id, panel: { ...panel, source: 'feed', queries: [{ query: 'error_rate' }] } });
    await d.call('metrics.refresh', { release: id });
    const health = (await d.call<SourceSummary[]>('metrics.source.list', {})).find((s) => s.name === 'feed')!.health;
    expect(health).toMatchObject({ ok: true, at: new Date(Date.UTC(2026, 10, 24, 20, 0, 0)).toISOString() });
  });
});

describe('panels, rules, readings and the view', () => {
  it('saves panels and rules against existing sources, shows them before any query, and removes them', async () => {
    const d = await device();
    const id = await deploying(d);
    expect(await d.fails('metrics.panel.save', { release: id, panel })).toMatchObject({ code: 'not_found', field: 'panel.source' });
    await d.call('metrics.source.save', { name: 'prom', config: prom });
    const saved = await d.call<PanelView>('metrics.panel.save', { release: id, panel });
    expect(saved).toMatchObject({ doc: { id: 'error-rate', chart: 'line' }, state: 'never' });
    const ruleSaved = await d.call<RuleStatus>('metrics.rule.save', { release: id, rule });
    expect(ruleSaved).toMatchObject({ rule: { id: 'errors', kind: 'threshold' }, state: 'no_data', evidence: { condition: '> 0.02 for 300s', query: 'job:errors:ratio' } });
    // Saving the same id again changes it (one panel, the new title).
    await d.call('metrics.panel.save', { release: id, panel: { ...panel, title: '5xx rate' } });

    const view = await d.call<MetricsViewData>('metrics.view', { release: id });
    expect(view.panels.map((p) => [p.doc.id, p.doc.title, p.state])).toEqual([['error-rate', '5xx rate', 'never']]);
    expect(view.rules.map((r) => [r.rule.id, r.state])).toEqual([['errors', 'no_data']]);
    // No data is never a pass: it is on the banner.
    expect(view.alerts).toEqual([expect.objectContaining({ rule: 'errors', state: 'no_data', rollbackAvailable: false })]);
    const saves = (await d.timeline(id)).filter((e) => e.type.startsWith('metric.'));
    expect(saves.map((e) => e.type)).toEqual(['metric.panel_saved', 'metric.rule_saved', 'metric.panel_saved']);
    // The change names the version it replaces (so a concurrent edit elsewhere shows as a conflict).
    expect(saves[0]!.pred).toEqual([saves[2]!.id]);

    await d.call('metrics.panel.remove', { release: id, panel: 'error-rate' });
    await d.call('metrics.rule.remove', { release: id, rule: 'errors' });
    expect(await d.fails('metrics.rule.remove', { release: id, rule: 'errors' })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/has no alert rule "errors" \(it has none\)/) });
    const after = await d.call<MetricsViewData>('metrics.view', { release: id });
    expect([after.panels, after.rules, after.alerts]).toEqual([[], [], []]);
  });

  it('records a manual reading as a sample and a sentence on the timeline, NaN spelled out', async () => {
    const d = await device();
    const id = await deploying(d);
    const { event } = await d.call<{ event: string }>('metrics.record', { release: id, metric: 'checkout_success', value: 97.5, unit: '%', note: 'from the BI tool' });
    await d.call('metrics.record', { release: id, metric: 'checkout_success', value: 'NaN' });
    const items = (await d.timeline(id)).filter((e) => e.type === 'metric.recorded');
    expect(items.map((e) => e.data.value)).toEqual(['NaN', '97.5']);
    expect(items[1]).toMatchObject({ id: event, data: { metric: 'checkout_success', unit: '%', at: Date.UTC(2026, 10, 24, 20, 0, 0) } });
    expect(await d.fails('metrics.record', { release: id, metric: 'x', value: 1e20 })).toMatchObject({ code: 'invalid_input', field: 'value' });
  });

  it('shows the release header, markers from the deploy start and the timeline, and refresh facts', async () => {
    const d = await device();
    const id = await deploying(d);
    d.advance(5);
    await d.call('release.note', { id, text: 'canary at 10 %' });
    await d.call('metrics.source.save', { name: 'prom', config: prom });
    await d.call('metrics.panel.save', { release: id, panel });
    const view = await d.call<MetricsViewData>('metrics.view', { release: id });
    const deployAt = Date.UTC(2026, 10, 24, 20, 0, 0);
    expect(view.release).toMatchObject({ id, name: 'Checkout 7.3', version: '7.3.0', status: 'deploying', deployStartedAt: new Date(deployAt).toISOString() });
    expect(view.sources.map((s) => s.name)).toEqual(['prom']);
    expect(view.markers.find((m) => m.kind === 'deploy')).toEqual({ at: deployAt, kind: 'deploy', label: 'deployment started' });
    expect(view.markers.at(-1)).toEqual({ at: deployAt + 5 * 60_000, kind: 'note.added', label: 'noted: “canary at 10 %”' });
    expect(view.markers.some((m) => m.kind.startsWith('metric.'))).toBe(false);
    expect(view).toMatchObject({ stabilization: null, refreshMs: 0, lastRefreshAt: null, computedAt: new Date(deployAt + 5 * 60_000).toISOString() });
  });

  it('keeps the latest 200 timeline markers', async () => {
    const d = await device();
    const id = await deploying(d);
    for (let i = 0; i < 205; i++) {
      d.advance(1);
      await d.call('release.note', { id, text: `note ${i}` });
    }
    const view = await d.call<MetricsViewData>('metrics.view', { release: id });
    expect(view.markers).toHaveLength(201);
    expect(view.markers[0]!.kind).toBe('deploy');
    expect(view.markers[1]!.label).toBe('noted: “note 5”');
    expect(view.markers.at(-1)!.label).toBe('noted: “note 204”');
  });

  it('offers the runbook rollback next to an alert while a rollback section waits', async () => {
    const d = await device();
    const id = await deploying(d);
    const canary = readFileSync(join(import.meta.dirname, '../fixtures/runbooks/canary-metrics.md'), 'utf8');
    await d.call('runbook.import', { text: canary, name: 'canary-metrics.md', release: id });
    await d.call('metrics.source.save', { name: 'prom', config: prom });
    await d.call('metrics.rule.save', { release: id, rule });
    await d.call('metrics.rule.save', { release: id, rule: { ...rule, id: 'quiet', rollback: false } });
    const view = await d.call<MetricsViewData>('metrics.view', { release: id });
    expect(view.alerts.map((a) => [a.rule, a.rollbackAvailable])).toEqual([
      ['errors', true],
      ['quiet', false],
    ]);
    await d.call('rollback.start', { release: id, reason: 'errors up' });
    expect((await d.call<MetricsViewData>('metrics.view', { release: id })).alerts.map((a) => a.rollbackAvailable)).toEqual([false, false]);
  });
});

describe('dashboards', () => {
  it('saves a release’s panels and rules as a template, versions it, and applies it to another release in one append', async () => {
    const d = await device();
    const first = await deploying(d, 'Checkout 7.3');
    const second = await deploying(d, 'Checkout 7.4');
    await d.call('metrics.source.save', { name: 'prom', config: prom });
    expect(await d.fails('metrics.dashboard.save', { release: first, id: 'web', title: 'Web' })).toMatchObject({ code: 'conflict' });
    await d.call('metrics.panel.save', { release: first, panel });
    await d.call('metrics.rule.save', { release: first, rule });
    expect(await d.call('metrics.dashboard.save', { release: first, id: 'web', title: 'Web service' })).toEqual({ id: 'web', version: 1 });
    await d.call('metrics.panel.save', { release: first, panel: { ...panel, id: 'latency', title: 'p95 latency' } });
    expect(await d.call('metrics.dashboard.save', { release: first, id: 'web', title: 'Web service' })).toEqual({ id: 'web', version: 2 });

    const applied = await d.call<MetricsViewData>('metrics.dashboard.apply', { release: second, dashboard: 'web' });
    expect(applied.panels.map((p) => p.doc.id)).toEqual(['error-rate', 'latency']);
    expect(applied.rules.map((r) => r.rule.id)).toEqual(['errors']);
    expect(applied.dashboards).toEqual([{ id: 'web', title: 'Web service', panels: 2, rules: 1, versions: 2 }]);
    const items = await d.timeline(second);
    const appliedEvent = items.find((e) => e.type === 'dashboard.applied')!;
    expect(appliedEvent.data).toEqual({ dashboard: 'web', title: 'Web service', panels: 2, rules: 1 });
    // One append: the copies and the marker share one transaction (consecutive seqs of this device).
    const copies = items.filter((e) => e.type === 'metric.panel_saved' || e.type === 'metric.rule_saved');
    expect(copies.map((e) => e.seq).sort((a, b) => a - b)).toEqual([appliedEvent.seq - 3, appliedEvent.seq - 2, appliedEvent.seq - 1]);
    expect(await d.fails('metrics.dashboard.apply', { release: second, dashboard: 'nope' })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/saved: web/) });
  });
});

describe('go/no-go criterion answered by a metric rule', () => {
  const status = (state: 'ok' | 'firing' | 'no_data') => ({
    state,
    detail: 'error rate 3.1 % > 2 % for 5 min (31 samples)',
    evidence: { query: 'job:errors:ratio', condition: '> 0.02 for 300s', threshold: '0.02', observed: '0.031', samples: [[1, '0.031']] },
  });

  it('is met when the rule is ok, not met when it fires, unknown without data or without the rule, with the rule’s numbers as inputs', () => {
    const auto = { kind: 'metric_rule', rule: 'errors' } as const;
    const met = evaluateRule(auto, { now: 0, alertRules: { errors: status('ok') } });
    expect(met.outcome).toBe('met');
    const firing = evaluateRule(auto, { now: 0, alertRules: { errors: status('firing') } });
    expect(firing).toEqual({
      outcome: 'not_met',
      detail: 'Alert rule “errors” is firing: error rate 3.1 % > 2 % for 5 min (31 samples)',
      inputs: { rule: 'errors', state: 'firing', query: 'job:errors:ratio', condition: '> 0.02 for 300s', threshold: '0.02', observed: '0.031', samples: 1 },
    });
    expect(evaluateRule(auto, { now: 0, alertRules: { errors: status('no_data') } }).outcome).toBe('unknown');
    expect(evaluateRule(auto, { now: 0 })).toMatchObject({ outcome: 'unknown', detail: 'No metric alert rule “errors” on this release.' });
  });

  it('shows next to the rule the criterion it answers, and stays open on the board while the rule has no data', async () => {
    const d = await device();
    const release = await d.call<ReleaseDetail>('release.create', { name: 'Pay', version: '2.0.0', type: 'emergency' });
    const doc: ChecklistDoc = {
      ...DEFAULT_CHECKLIST,
      title: 'With metrics',
      criteria: [...DEFAULT_CHECKLIST.criteria.slice(0, 2), { ...DEFAULT_CHECKLIST.criteria[2]!, id: 'errors-ok', statement: 'Error rate rule is ok', auto: { kind: 'metric_rule', rule: 'errors' } }],
    };
    const template = await d.call<{ id: string }>('gonogo.saveTemplate', { doc });
    await d.call('gonogo.attach', { release: release.id, template: template.id });
    await d.call('metrics.source.save', { name: 'prom', config: prom });
    await d.call('metrics.rule.save', { release: release.id, rule });
    const view = await d.call<MetricsViewData>('metrics.view', { release: release.id });
    expect(view.rules[0]!.criteria).toEqual([{ id: 'errors-ok', title: 'Error rate rule is ok' }]);
    const board = await d.call<GoNoGoDetail>('gonogo.evaluate', { release: release.id });
    const criterion = board.groups.flatMap((g) => g.criteria).find((c) => c.id === 'errors-ok')!;
    expect(criterion.auto).toEqual({ kind: 'metric_rule', rule: 'errors' });
    expect(criterion.answer).toBeNull();
  });

  it('answers the criterion not met while the rule fires on recorded readings, with the rule’s numbers on the board', async () => {
    const d = await device();
    const release = await d.call<ReleaseDetail>('release.create', { name: 'Pay', version: '2.0.0', type: 'emergency' });
    const doc: ChecklistDoc = { ...DEFAULT_CHECKLIST, title: 'Metrics', criteria: [{ ...DEFAULT_CHECKLIST.criteria[0]!, id: 'errors-ok', statement: 'Error rate ok', auto: { kind: 'metric_rule', rule: 'errors' } }] };
    await d.call('gonogo.attach', { release: release.id, template: (await d.call<{ id: string }>('gonogo.saveTemplate', { doc })).id });
    await d.call('metrics.source.save', { name: 'bi', config: { kind: 'manual' } });
    await d.call('metrics.rule.save', { release: release.id, rule: { ...rule, source: 'bi', query: 'error_rate', forSeconds: 0 } });
    await d.call('metrics.record', { release: release.id, metric: 'error_rate', value: 0.05 });
    await d.call('metrics.refresh', { release: release.id });
    // The refresh's alert transition answered it: nobody asked for an evaluation.
    const board = await d.call<GoNoGoDetail>('gonogo.get', { release: release.id });
    const answer = board.groups.flatMap((g) => g.criteria).find((c) => c.id === 'errors-ok')!.answer!;
    expect(answer).toMatchObject({ answer: 'not_met', auto: { rule: 'metric_rule', detail: expect.stringMatching(/^Alert rule “errors” is firing: /) } });
    expect(answer.auto!.inputs).toMatchObject({ rule: 'errors', state: 'firing', query: 'error_rate', condition: '> 0.02 for 0s', threshold: '0.02', observed: '0.05' });
  });
});

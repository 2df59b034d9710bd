// Metric samples through a real shared folder: what device A queried from a real Prometheus or
// recorded by hand reaches device B (which never queries) as signed batch files, with A named as
// the source; a batch edited in the folder is reported and its samples are not taken.
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h16 } from '../../src/main/core/sync/segments.ts';
import { sha256 } from '../../src/main/core/store/identity.ts';
import { segmentName, parseSegmentName } from '../../src/shared/sync/names.ts';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';
import { tempDir } from '../helpers/tmp.ts';
import { openCore } from '../../src/main/core/core.ts';
import type { SecretStore } from '../../src/main/core/secrets.ts';
import { addPanel, addRule, addSource, liveRelease, refreshUntil } from './metrics-runtime-helpers.ts';
import { peer, settle, team, type Peer } from './sync/harness.ts';

let prom: RunningPrometheus;
beforeAll(async () => {
  prom = await startPrometheus();
}, 60_000);
afterAll(async () => {
  await prom?.stop();
});

function batchFiles(shared: string, device: string): string[] {
  try {
    return readdirSync(join(shared, 'devices', device, 'metrics')).filter((n) => parseSegmentName(n));
  } catch {
    return [];
  }
}

/** A and B on one folder, with a release that has a manual KPI panel (config travels as events). */
async function pair(): Promise<{ shared: string; a: Peer; b: Peer; release: string }> {
  const shared = tempDir('wr-metrics-shared-');
  const [a, b] = await team(shared, ['Ann', 'Bob']);
  // Prometheus answers in real time: both devices' clocks follow it.
  for (const p of [a!, b!]) Object.defineProperty(p.clock, 'now', { get: () => Date.now(), configurable: true });
  const core = a!.core;
  const release = liveRelease(core, 'r1');
  addSource(core, 'kpi', { kind: 'manual' });
  addPanel(core, release, { id: 'checkout', title: 'Checkout success', source: 'kpi', queries: [{ query: 'checkout_ratio' }] });
  await settle([a!, b!]);
  return { shared, a: a!, b: b!, release };
}

/** A pair where A has published one batch with one reading: its folder and file name. */
async function oneBatch() {
  const { a, b, release, shared } = await pair();
  a.core.ctx.metrics.storeReading(release, 'checkout_ratio', 0.97, Date.now() - 5000);
  await a.pass();
  const [name] = batchFiles(shared, a.id());
  return { a, b, release, dir: join(shared, 'devices', a.id(), 'metrics'), name: name! };
}

const rawOn = (p: Peer, release: string) => p.core.ctx.metrics.series({ release, range: '24h', points: 100 }).series;

describe('metric samples through the shared folder', () => {
  it('samples A queried from Prometheus appear on B after sync passes, with A as the source device', async () => {
    const { a, b, release, shared } = await pair();
    addSource(a.core, 'prom', { kind: 'prometheus', url: prom.url, timeoutMs: 2000 });
    addPanel(a.core, release, { id: 'traffic', title: 'Requests/s', source: 'prom', queries: [{ query: 'sum by (code) (rate(http_requests_total[5s]))', legend: '{{code}}' }] });
    await refreshUntil(a.core, release, (r) => (r.panels.find((p) => p.panel === 'traffic')!.samples > 0 ? r : false));
    const onA = rawOn(a, release).filter((s) => s.panel === 'traffic');
    const notices: string[] = [];
    b.core.subscribe((n) => {
      if (n.topic === 'metrics') notices.push(n.release);
    });
    await settle([a, b]);
    expect(batchFiles(shared, a.id()).length).toBeGreaterThan(0);
    const onB = rawOn(b, release).filter((s) => s.panel === 'traffic');
    expect(onB.map((s) => [s.name, s.raw])).toEqual(onA.map((s) => [s.name, s.raw]));
    expect(onB.map((s) => s.points)).toEqual(onA.map((s) => s.points));
    for (const s of onB) expect(s.devices).toEqual([a.id()]);
    expect(notices).toContain(release);
    // B never asked Prometheus: it has no panel state of its own.
    expect(b.core.ctx.metrics.panelStates(release).find((p) => p.doc.id === 'traffic')!.state).toBe('never');
  }, 90_000);

  it('manual readings, NaN and ±Infinity included, arrive intact; later ones travel in a new batch', async () => {
    const { a, b, release, shared } = await pair();
    const t0 = Date.now() - 60_000;
    a.core.ctx.metrics.storeReading(release, 'checkout_ratio', 0.97, t0);
    a.core.ctx.metrics.storeReading(release, 'checkout_ratio', Number.NaN, t0 + 1000);
    a.core.ctx.metrics.storeReading(release, 'checkout_ratio', Number.POSITIVE_INFINITY, t0 + 2000);
    await settle([a, b]);
    a.core.ctx.metrics.storeReading(release, 'checkout_ratio', Number.NEGATIVE_INFINITY, t0 + 3000);
    a.core.ctx.metrics.storeReading(release, 'checkout_ratio', 0.5, t0 + 4000);
    await settle([a, b]);
    expect(batchFiles(shared, a.id())).toHaveLength(2);
    const [series] = rawOn(b, release);
    expect(series!.raw).toBe(5);
    expect(series!.devices).toEqual([a.id()]);
    const values = b.core.ctx.metrics.series({ release, range: { from: t0, to: t0 + 4000 }, points: 100 }).series[0]!.points;
    expect(values).toEqual([
      [t0, 0.97],
      [t0 + 1000, null],
      [t0 + 2000, Infinity],
      [t0 + 3000, -Infinity],
      [t0 + 4000, 0.5],
    ]);
  }, 60_000);

  it('a batch edited in the folder is reported on B and none of its samples are taken', async () => {
    const { a, b, release, dir, name } = await oneBatch();
    const original = readFileSync(join(dir, name));

    // Edited in place: the bytes no longer match the name.
    writeFileSync(join(dir, name), original.toString('utf8').replace('0.97', '0.99'));
    let status = await b.pass();
    expect(status.problems.find((p) => p.file === `devices/${a.id()}/metrics/${name}`)).toMatchObject({ code: 'in_flight', severity: 'info', device: a.id() });
    expect(rawOn(b, release)).toEqual([]);
    // Unchanged a minute later: not arriving but damaged or edited, and quarantined.
    Object.defineProperty(b.clock, 'now', { get: () => Date.now() + 61_000 });
    status = await b.pass();
    expect(status.problems.find((p) => p.file === `devices/${a.id()}/metrics/${name}`)).toMatchObject({ code: 'corrupt_segment', severity: 'error', device: a.id() });
    Object.defineProperty(b.clock, 'now', { get: () => Date.now() });

    // Edited and renamed to match: the signature gives it away.
    const edited = Buffer.from(original.toString('utf8').replace('0.97', '0.99'));
    const parsed = parseSegmentName(name)!;
    const forged = segmentName(parsed.from, parsed.to, h16(edited));
    rmSync(join(dir, name));
    writeFileSync(join(dir, 'tmp'), edited);
    renameSync(join(dir, 'tmp'), join(dir, forged));
    status = await b.pass();
    const problem = status.problems.find((p) => p.file === `devices/${a.id()}/metrics/${forged}`);
    expect(problem).toMatchObject({ code: 'bad_signature', severity: 'error', device: a.id() });
    expect(problem!.message).toMatch(/signature is not valid/);
    expect(rawOn(b, release)).toEqual([]);
    // Reported again on later passes, never fatal: other sync work goes on.
    status = await b.pass();
    expect(status.problems.some((p) => p.code === 'bad_signature')).toBe(true);
  }, 60_000);

  it('a signed batch with a malformed line is reported with the line number and not taken', async () => {
    const { a, b, release, dir } = await oneBatch();
    const good = JSON.stringify({ release, key: 'reading', source: 'manual', query: 'checkout_ratio', labels: '{}', t0: Date.now() - 4000, dt: [], v: [0.5] });
    const bad = JSON.stringify({ release, key: 'reading', source: 'manual', query: 'checkout_ratio', labels: '{}', t0: Date.now() - 3000, dt: [1000], v: [0.5] });
    const body = Buffer.from(`${good}\n${bad}\n`);
    const bytes = Buffer.concat([body, Buffer.from(`${JSON.stringify({ sig: a.core.ctx.store.signDigest(sha256(body)).toString('base64') })}\n`)]);
    const name = segmentName(7, 7, h16(bytes));
    writeFileSync(join(dir, name), bytes);
    const status = await b.pass();
    const problem = status.problems.find((p) => p.file?.endsWith(name));
    expect(problem).toMatchObject({ code: 'corrupt_line', line: 2, device: a.id() });
    expect(problem!.message).toMatch(/line 2: 1 values for 2 times/);
    // The good batch before it arrived; nothing of the malformed one did.
    expect(rawOn(b, release)[0]!.raw).toBe(1);
  }, 60_000);

  it('ignores its own temp files and reports a conflicted copy without reading it', async () => {
    const { b, release, dir, name } = await oneBatch();
    writeFileSync(join(dir, '.wr-0123456789abcdef.tmp'), 'half');
    const copy = name.replace('.ndjson', ' (Bob’s conflicted copy).ndjson');
    writeFileSync(join(dir, copy), readFileSync(join(dir, name)));
    const status = await b.pass();
    expect(status.problems.find((p) => p.file?.endsWith(copy))).toMatchObject({ code: 'foreign_file' });
    expect(status.problems.some((p) => p.file?.includes('.wr-'))).toBe(false);
    expect(rawOn(b, release)[0]!.raw).toBe(1);
  }, 60_000);

  it('takes a device’s samples only once it is admitted, like its events', async () => {
    const shared = tempDir('wr-metrics-shared-');
    const a = await peer('Ann', shared);
    await a.pass();
    const b = await peer('Bob', shared);
    for (const p of [a, b]) Object.defineProperty(p.clock, 'now', { get: () => Date.now(), configurable: true });
    const release = liveRelease(a.core, 'r1');
    addSource(a.core, 'kpi', { kind: 'manual' });
    addPanel(a.core, release, { id: 'checkout', title: 'Checkout success', source: 'kpi', queries: [{ query: 'checkout_ratio' }] });
    await settle([a, b]);
    b.core.ctx.metrics.storeReading(release, 'checkout_ratio', 0.42, Date.now() - 1000);
    await settle([a, b]);
    expect(batchFiles(shared, b.id())).toHaveLength(1);
    expect(rawOn(a, release)).toEqual([]);
    await a.call('sync.admit', { device: b.id() });
    await settle([a, b]);
    expect(rawOn(a, release)[0]).toMatchObject({ raw: 1, devices: [b.id()] });
  }, 60_000);

  it('a device that cannot reach the source judges rules from the samples another device shares', async () => {
    const shared = tempDir('wr-metrics-shared-');
    // Only A holds the source's token (its keychain); B's requests fail for the missing secret.
    const keychain = new Map<string, string>([['metrics.source.prom', 'token-on-a']]);
    const secrets: SecretStore = { get: (n) => keychain.get(n) ?? null, set: (n, v) => void keychain.set(n, v), delete: (n) => void keychain.delete(n), names: () => [...keychain.keys()] };
    const open = async (name: string, withSecrets: boolean) => {
      const core = openCore({ dataDir: tempDir(`wr-${name}-`), log: () => {}, ...(withSecrets ? { secrets } : {}), sync: { run: true, folder: shared, pollMs: 3_600_000, watch: false, debounceMs: 3_600_000 } });
      const profile = await core.dispatch('profile.set', { name, role: 'coordinator' });
      if (!profile.ok) throw new Error(profile.error.message);
      await core.startSync();
      return core;
    };
    const a = await open('Ann', true);
    const b = await open('Bob', false);
    try {
      const passes = async () => {
        for (let i = 0; i < 3; i++) for (const c of [a, b]) await c.ctx.sync.syncNow();
      };
      await passes();
      const admitted = await a.dispatch('sync.admit', { device: b.ctx.store.device().id });
      expect(admitted.ok).toBe(true);
      const release = liveRelease(a, 'r1');
      addSource(a, 'prom', { kind: 'prometheus', url: prom.url, timeoutMs: 2000, auth: { type: 'bearer', token: { from: 'keychain' } } });
      addRule(a, release, { id: 'errors', title: 'Error rate', source: 'prom', query: 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))', op: '>', threshold: '0.02', forSeconds: 5 });
      await refreshUntil(a, release, (r) => (r.rules[0]!.state === 'ok' ? r : false));
      await passes();
      const onB = await b.ctx.metrics.refresh(release);
      expect(onB.rules[0]!.state).toBe('ok');
      expect(onB.rules[0]!.evidence.samples.length).toBeGreaterThan(0);
      // B recorded nothing of its own (A's transitions arrive as A's events).
      const mine = b.ctx.store.timeline({ release, type: 'metric.alert', limit: 100 }).items.filter((i) => i.device === b.ctx.store.device().id);
      expect(mine).toEqual([]);
    } finally {
      b.close();
      a.close();
    }
  }, 90_000);
});

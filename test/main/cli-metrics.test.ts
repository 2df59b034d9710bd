// `warroom metrics …` and `warroom stabilize …` against real data folders: sources, panels and
// rules configured from the shell, rule states explained, a manual reading, the stabilization
// session refusing to close with open criteria, `metrics feed` appending whole lines from a real
// pipe, and `metrics pull` firing a rule against a real Prometheus.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsViewData, RefreshReport, SourceSummary } from '../../src/shared/api/metrics.ts';
import type { ReleaseDetail } from '../../src/shared/api/releases.ts';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';
import { cliIn } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '../..');

/** A data folder with a profile and an emergency release moved to deploying. */
async function deployingRelease() {
  const dir = tempDir();
  const cli = cliIn(dir);
  expect((await cli('init', '--name', 'Ana Silva', '--role', 'lead')).code).toBe(0);
  const id = (JSON.parse((await cli('release', 'create', '--name', 'Checkout', '--version', '7.3.0', '--type', 'emergency', '--json')).out) as ReleaseDetail).id;
  expect((await cli('release', 'move', id, 'go_no_go')).code).toBe(0);
  expect((await cli('release', 'move', id, 'deploying')).code).toBe(0);
  return { dir, cli, id };
}

/** Runs the real `warroom` entry point (through tsx) with `input` piped to its stdin. */
function pipeInto(argv: string[], input: string): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/main/cli/main.ts'), ...argv], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err }));
    child.stdin.end(input);
  });
}

describe('warroom metrics', () => {
  it('configures sources, panels and rules, explains rule states and records a reading', async () => {
    const { cli, id } = await deployingRelease();
    expect(await cli('metrics', 'source', 'add', 'prom')).toMatchObject({ code: 2, err: expect.stringMatching(/exactly one of --prometheus URL, --file PATH or --manual/) });
    const added = await cli('metrics', 'source', 'add', 'prom', '--prometheus', 'http://127.0.0.1:9090', '--token-env', 'PROM_TOKEN');
    expect(added).toMatchObject({ code: 0, out: 'Saved source prom: prometheus http://127.0.0.1:9090, auth env PROM_TOKEN.\n' });
    expect((await cli('metrics', 'source', 'add', 'bi', '--manual')).code).toBe(0);
    const list = await cli('metrics', 'source', 'list');
    expect(list.out).toMatch(/NAME\s+KIND\s+WHERE\s+AUTH\s+LAST REQUEST\nbi\s+manual\s+readings entered by hand\s+none\s+—\nprom\s+prometheus\s+http:\/\/127\.0\.0\.1:9090\s+env PROM_TOKEN/);
    expect((JSON.parse((await cli('metrics', 'source', 'list', '--json')).out) as SourceSummary[]).map((s) => s.name)).toEqual(['bi', 'prom']);

    const panel = await cli('metrics', 'panel', 'add', id, '--source', 'prom', '--query', 'sum(rate(http_requests_total[1m]))', '--title', 'Requests per second', '--unit', 'req/s');
    expect(panel.out).toBe(`Saved panel requests-per-second “Requests per second” on ${id} (source prom).\n`);
    expect((await cli('metrics', 'panel', 'add', id, '--source', 'nope', '--query', 'up')).err).toMatch(/No metric source "nope" \(known: bi, prom\)/);

    expect((await cli('metrics', 'rule', 'add', id, '--source', 'prom', '--query', 'q', '--for', '5m')).err).toMatch(/exactly one of --above VALUE, --below VALUE or --absent/);
    expect((await cli('metrics', 'rule', 'add', id, '--source', 'prom', '--query', 'q', '--above', '1', '--for', 'soon')).err).toMatch(/--for "soon" is not a duration/);
    const rule = await cli('metrics', 'rule', 'add', id, '--source', 'prom', '--query', 'job:errors:ratio', '--above', '0.02', '--for', '5m', '--title', 'Error rate');
    expect(rule.out).toBe(`Saved rule error-rate “Error rate” on ${id}: > 0.02 for 300s; now no data.\n`);
    const ratio = await cli('metrics', 'rule', 'add', id, '--source', 'prom', '--query', 'p95', '--above', '1.5', '--baseline', 'before-deploy', '--ratio', '--for', '10m', '--json');
    expect(JSON.parse(ratio.out)).toMatchObject({ rule: { id: 'p95', kind: 'baseline_ratio', baseline: 'before_deploy', threshold: '1.5', forSeconds: 600 } });

    const rules = await cli('metrics', 'rules', id);
    expect(rules.out).toMatch(/RULE\s+STATE\s+SINCE\s+DETAIL\s+CONDITION\s+QUERY\s+ANSWERS\nerror-rate\s+NO DATA\s+\S+\s+Error rate: no data.*\s+> 0\.02 for 300s\s+job:errors:ratio\s+—/);

    // A dashboard of this release's panels and rules, applied to the next release.
    expect((await cli('metrics', 'dashboard', 'save', id, '--id', 'checkout', '--title', 'Checkout')).out).toBe('Saved dashboard checkout version 1.\n');
    const next = (JSON.parse((await cli('release', 'create', '--name', 'Checkout', '--version', '7.4.0', '--json')).out) as ReleaseDetail).id;
    expect((await cli('metrics', 'dashboard', 'apply', next, 'checkout')).out).toBe(`Applied checkout to ${next}: 1 panel(s), 2 rule(s) now.\n`);
    expect((await cli('metrics', 'dashboard', 'list')).out).toMatch(/checkout\s+Checkout\s+1\s+2\s+1/);
    expect((await cli('metrics', 'rule', 'remove', next, 'p95')).out).toBe('Removed rule p95.\n');
    expect((await cli('metrics', 'panel', 'remove', next, 'nope')).err).toMatch(/has no panel "nope" \(it has requests-per-second\)/);

    const recorded = await cli('metrics', 'record', id, '--metric', 'checkout_success', '--value', '97.5', '--unit', '%');
    expect(recorded.out).toMatch(/^Recorded checkout_success = 97\.5 % \(event [\w]+:\d+\)\.\n$/);
    expect((await cli('metrics', 'record', id, '--metric', 'x', '--value', 'lots')).err).toMatch(/Sample value “lots” is not a number/);
    const timeline = await cli('release', 'show', id);
    expect(timeline.out).toMatch(/Ana Silva recorded checkout_success = 97\.5 %/);
    expect(timeline.out).toMatch(/Ana Silva saved the alert rule “Error rate”/);
  });

  it('runs the stabilization session: start, tick, hand off, refuse to close with open criteria, close', async () => {
    const { cli, id } = await deployingRelease();
    expect((await cli('stabilize', id)).err).toMatch(/Say how long: --hours 24/);
    const started = await cli('stabilize', id, '--hours', '24', '--criterion', 'No alerts for 4 h', 'Support agrees');
    expect(started.code).toBe(0);
    expect(started.out).toMatch(/Checkout 7\.3\.0 \(.+\) — stabilizing\nStabilization ends .+ \(24h left\)/);
    expect(started.out).toMatch(/no-alerts-for-4-h\s+No alerts for 4 h\s+no/);
    expect((await cli('stabilize', 'check', id, 'no-alerts-for-4-h', '--note', 'quiet')).code).toBe(0);
    const handed = await cli('stabilize', 'handoff', id, '--from', 'Ana', '--to', 'Bo', '--notes', 'All calm', '--watch', 'p95');
    expect(handed.out).toMatch(/hand-off .+: Ana → Bo: All calm \(watch: p95\)/);
    const refused = await cli('stabilize', 'close', id);
    expect(refused).toMatchObject({ code: 1, err: 'warroom: Stabilization cannot close: 1 exit criterion is not met: “Support agrees” (support-agrees). Tick it first. (conflict, field: criteria)\n' });
    expect((await cli('stabilize', 'check', id, 'support-agrees')).code).toBe(0);
    const closed = JSON.parse((await cli('stabilize', 'close', id, '--note', 'stable', '--json')).out) as MetricsViewData;
    expect(closed.release.status).toBe('closed');
    expect(closed.stabilization?.closed?.note).toBe('stable');
  });

  it('feed appends whole lines from a pipe, in the file’s format, and reports lines that are not readings', async () => {
    const dir = tempDir();
    const ndjson = join(dir, 'kpi.ndjson');
    const piped = await pipeInto(['metrics', 'feed', ndjson, '--metric', 'checkout_success', '--labels', 'service=checkout,track=canary'], '0.99\n2026-11-24T22:00:00Z 0.97\nNaN\n');
    expect(piped).toMatchObject({ code: 0, err: `Appended 3 reading(s) to ${ndjson}.\n` });
    const lines = readFileSync(ndjson, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(JSON.parse(lines[1]!)).toEqual({ timestamp: '2026-11-24T22:00:00.000Z', metric: 'checkout_success', value: 0.97, labels: { service: 'checkout', track: 'canary' } });
    expect(JSON.parse(lines[2]!)).toMatchObject({ value: 'NaN' });

    const csv = join(dir, 'feed.txt');
    writeFileSync(csv, '2026-11-24T21:00:00.000Z,errors,0.01,\n');
    const bad = await pipeInto(['metrics', 'feed', csv, '--metric', 'errors'], '1732485600 0.02\nnot-a-number\n');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/stdin line 2: Sample value “not-a-number” is not a number .*; skipped\./);
    expect(bad.err).toMatch(/Appended 1 reading\(s\) to .*feed\.txt; skipped 1 line\(s\)/);
    expect(readFileSync(csv, 'utf8')).toBe('2026-11-24T21:00:00.000Z,errors,0.01,\n2024-11-24T22:00:00.000Z,errors,0.02,\n');
  }, 60_000);
});

describe('warroom metrics pull against a real Prometheus', () => {
  let prom: RunningPrometheus;
  beforeAll(async () => {
    prom = await startPrometheus({ errorRate: 0.1 });
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });

  it('prints each panel’s state and each rule’s state with its detail, and the firing rule lands on the timeline', async () => {
    const { cli, id } = await deployingRelease();
    expect((await cli('metrics', 'source', 'add', 'prom', '--prometheus', prom.url, '--timeout-ms', '3000')).code).toBe(0);
    expect((await cli('metrics', 'source', 'test', 'prom')).out).toMatch(/^ok \(\d+ ms\): Prometheus at http:\/\/127\.0\.0\.1:\d+ answers\.\n$/);
    const errorRate = 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))';
    expect((await cli('metrics', 'panel', 'add', id, '--source', 'prom', '--query', errorRate, '--title', 'Error rate', '--threshold', '0.02')).code).toBe(0);
    expect((await cli('metrics', 'rule', 'add', id, '--source', 'prom', '--query', errorRate, '--above', '0.02', '--for', '2s', '--title', 'Error rate')).code).toBe(0);

    // Pull until the panel has samples at its step and the rule has seen errors above 2 % for 2 s
    // (a fresh Prometheus has only seconds of data; each pull is a new core's refresh).
    let report: RefreshReport | null = null;
    const settled = (r: RefreshReport | null) => r?.rules[0]?.state === 'firing' && r.panels[0]?.state === 'ok';
    for (let i = 0; i < 40 && !settled(report); i++) {
      const pulled = await cli('metrics', 'pull', id, '--json');
      expect(pulled.code).toBe(0);
      report = JSON.parse(pulled.out) as RefreshReport;
      if (!settled(report)) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(report!.panels[0]).toMatchObject({ panel: 'error-rate', state: 'ok' });
    expect(report!.rules[0]).toMatchObject({ state: 'firing', evidence: { condition: '> 0.02 for 2s' } });

    const text = await cli('metrics', 'pull', id);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/PANEL\s+STATE\s+SAMPLES\s+MESSAGE\nerror-rate\s+ok\s+\d+/);
    expect(text.out).toMatch(/error-rate\s+FIRING\s+\S+\s+.+> 0\.02 for 2s/);
    expect((await cli('metrics', 'rules', id)).out).toMatch(/error-rate\s+FIRING/);
    expect((await cli('release', 'show', id)).out).toMatch(/alert “Error rate” fired: /);
  }, 120_000);
});

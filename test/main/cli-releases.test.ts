// `warroom release | runbook | step | rollback`, run in-process against a real data folder:
// tables for people, JSON for scripts, one clear line and a non-zero exit on errors.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import type { ReleaseDetail, ReleaseSummary } from '../../src/shared/api/releases.ts';
import type { RunDetail } from '../../src/shared/api/runbooks.ts';
import { importMarkdown, importYaml } from '../../src/shared/runbook-format/index.ts';
import { tempDir } from '../helpers/tmp.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/runbooks');

async function setUp() {
  const dir = tempDir();
  const cli = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(['--data-dir', dir, ...argv], { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  };
  expect((await cli('init', '--name', 'Ana Silva', '--role', 'coordinator')).code).toBe(0);
  return { dir, cli };
}

describe('warroom release', () => {
  it('creates with the issue’s flags (including --version) and lists as a table or JSON', async () => {
    const { cli } = await setUp();
    const created = await cli(
      'release', 'create', '--name', 'Orders v43', '--version', '7.3.0', '--type', 'minor', '--change-class', 'normal',
      '--ticket', 'CHG-20418', '--strategy', 'rolling', '--window-start', '2026-11-24T22:00', '--window-end', '2026-11-25T01:00', '--tz', 'Europe/Berlin',
    );
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toMatch(/^Planned rel-[2-9a-z]{8}: Orders v43 7\.3\.0 \(minor, normal change\), window .*Europe\/Berlin: 2026-11-24 22:00 GMT\+1/);
    await cli('release', 'create', '--name', 'Search 3.8', '--version', '3.8.0', '--type', 'patch');

    const table = await cli('release', 'list');
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+VERSION\s+TYPE\s+STATUS\s+WINDOW\s+OWNER$/);
    expect(lines[1]).toMatch(/^rel-\S+\s+Orders v43\s+7\.3\.0\s+minor\s+planned\s+2026-11-24 21:00 GMT\+0 \(Europe\/Berlin\)\s+—$/);
    expect(lines[2]).toMatch(/Search 3\.8\s+3\.8\.0\s+patch\s+planned\s+—/);

    const json = JSON.parse((await cli('release', 'list', '--type', 'patch', '--json')).out) as ReleaseSummary[];
    expect(json.map((r) => r.name)).toEqual(['Search 3.8']);
    expect((await cli('--version')).out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('shows a release with its runbooks and timeline, and refuses illegal moves with exit 1', async () => {
    const { cli } = await setUp();
    const r = JSON.parse((await cli('release', 'create', '--name', 'Orders v43', '--version', '7.3.0', '--json')).out) as ReleaseDetail;
    expect((await cli('runbook', 'import', join(FIXTURES, 'database-migration.md'), '--release', r.id)).out).toMatch(
      /^Attached “Orders DB schema migration \(v42 → v43\)” to rel-\S+ as run-\S+ \(5 sections, 14 steps, rollback target 30m\)\n$/,
    );
    const refused = await cli('release', 'move', r.id, 'closed');
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('warroom: A release cannot go from planned to closed. Allowed now: cancelled. (conflict, field: to)\n');
    const shown = await cli('release', 'show', r.id);
    expect(shown.out).toContain('status       planned (next: cancelled)');
    expect(shown.out).toMatch(/run-\S+\s+Orders DB schema migration \(v42 → v43\)\s+not started\s+0\/10 \(0%\)\s+1h43m\s+target 30m/);
    expect(shown.out).toContain('Ana Silva attached the runbook “Orders DB schema migration (v42 → v43)” (imported from database-migration.md)');
    const missing = await cli('release', 'show', 'rel-nothere');
    expect(missing).toMatchObject({ code: 1, err: 'warroom: No release "rel-nothere" on this device (`warroom release list` shows them). (not_found)\n' });
  });

  it('names the problem with a flag', async () => {
    const { cli } = await setUp();
    expect(await cli('release', 'create', '--name', 'X', '--version', '1', '--type', 'huge')).toMatchObject({ code: 2, err: 'warroom: --type must be one of major, minor, patch, emergency, not "huge".\n' });
    expect((await cli('release', 'create', '--name', 'X', '--version', '1', '--window-start', '2026-11-24T22:00')).err).toBe('warroom: Give both --window-start and --window-end.\n');
    const zone = await cli('release', 'create', '--name', 'X', '--version', '1', '--window-start', '2026-11-24T22:00', '--window-end', '2026-11-24T23:00', '--tz', 'Mars/Base');
    expect(zone).toMatchObject({ code: 1, err: expect.stringContaining('Not an IANA time zone') });
    expect((await cli('release', 'create', '--name', 'X')).code).not.toBe(0);
  });
});

describe('warroom runbook and step', () => {
  it('imports a template, exports it as Markdown and YAML that read back the same', async () => {
    const { cli, dir } = await setUp();
    const imported = await cli('runbook', 'import', join(FIXTURES, 'mobile-backend.yaml'));
    expect(imported.out).toMatch(/^Saved “Mobile backend 2026\.11” as template (tpl-\S+) version 1 \(4 sections, 11 steps\)\n$/);
    const id = /template (tpl-\S+)/.exec(imported.out)![1]!;
    const doc = importYaml(readFileSync(join(FIXTURES, 'mobile-backend.yaml'), 'utf8')).doc;
    const md = await cli('runbook', 'export', id);
    expect(importMarkdown(md.out).doc).toEqual(doc);
    const out = join(dir, 'mobile.yaml');
    expect((await cli('runbook', 'export', id, '--format', 'yaml', '--out', out)).out).toBe(`Wrote ${out}\n`);
    expect(importYaml(readFileSync(out, 'utf8')).doc).toEqual(doc);
    expect((await cli('runbook', 'list')).out).toMatch(/tpl-\S+\s+Mobile backend 2026\.11\s+1\s+11\s+20m/);
    expect(await cli('runbook', 'export', id, '--format', 'pdf')).toMatchObject({ code: 2, err: 'warroom: --format is md or yaml, not "pdf".\n' });
  });

  it('reports the line of a broken runbook and exits 1', async () => {
    const { cli, dir } = await setUp();
    const file = join(dir, 'broken.md');
    writeFileSync(file, '# Broken\n\n1. Fine\n2. Wrong (expect: a while)\n');
    const r = await cli('runbook', 'import', file);
    expect(r).toMatchObject({ code: 1, err: 'warroom: line 4: expect "a while" is not a duration (write e.g. 10m, 1h30m or 90s) (invalid_input, field: text)\n' });
  });

  it('runs steps by number or id, with reasons for skip and fail, and rolls back', async () => {
    const { cli } = await setUp();
    const r = JSON.parse((await cli('release', 'create', '--name', 'Checkout 5', '--version', '5.0.0', '--type', 'emergency', '--json')).out) as ReleaseDetail;
    const run = JSON.parse((await cli('runbook', 'import', join(FIXTURES, 'blue-green-cutover.md'), '--release', r.id, '--json')).out) as { run: RunDetail };
    const runId = run.run.id;
    const started = await cli('step', 'start', r.id, '1', '--note', 'helm running');
    expect(started.out).toMatch(/^Step 1 “Deploy checkout 5\.0 to green”: in progress\nCheckout blue-green cutover: 0\/11 steps \(0%\), about 1h28m left/);
    expect((await cli('step', 'done', r.id, `${runId}/1`)).out).toMatch(/^Step 1 .*: done\n/);
    expect(await cli('step', 'skip', r.id, '3')).toMatchObject({ code: 2, err: 'warroom: skip needs a reason: --reason TEXT (or --note TEXT).\n' });
    expect((await cli('step', 'skip', r.id, '3', '--note', 'caches are warm')).out).toMatch(/^Step 3 .*: skipped \(caches are warm\)\n/);
    expect((await cli('step', 'fail', r.id, '2', '--reason', 'smoke suite red')).out).toMatch(/: failed \(smoke suite red\)\n/);
    const waiting = await cli('step', 'start', r.id, '5');
    expect(waiting).toMatchObject({ code: 1, err: 'warroom: Step 5 waits for step 2 (failed); finish it first or force it. (conflict, field: step)\n' });
    const json = JSON.parse((await cli('step', 'start', r.id, '5', '--force', '--json')).out) as RunDetail;
    expect(json.steps[4]!.state).toBe('in_progress');
    expect((await cli('release', 'show', r.id)).out).toContain('started step 5 “Post "switching traffic now" in #incident-bridge” ahead of step 2');

    for (const to of ['go_no_go', 'deploying']) expect((await cli('release', 'move', r.id, to)).code).toBe(0);
    expect((await cli('rollback', 'start', r.id, '--reason', 'smoke suite red')).out).toBe('Rollback started: target 10m; steps 12, 13, 14\n');
    for (const step of ['12', '13']) await cli('step', 'done', r.id, step);
    const last = await cli('step', 'done', r.id, '14');
    expect(last.out).toMatch(/rollback took 0s, within 10m; release rolled back\n$/);
    const closed = await cli('step', 'done', r.id, '4');
    expect(closed).toMatchObject({ code: 1, err: expect.stringContaining('The release is rolled back') });
    const shown = await cli('runbook', 'show', runId);
    expect(shown.out).toMatch(/^Checkout blue-green cutover: 2\/11 steps \(18%\), 1 failed/);
    expect(shown.out).toMatch(/\n2\s+Run the smoke suite against green directly\s+failed\s+qa\s+10m\s+—\s+smoke suite red\n/);
    expect(shown.out).toMatch(/\nR14\s+Confirm 5xx back at baseline on blue\s+done/);
  });
});

// Releases and runbooks through core.dispatch — the path every transport takes — on a real
// database in a temporary folder: plan, import, attach, run, roll back, and read the timeline.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src/main/core/core.ts';
import type { ReleaseDetail } from '../../src/shared/api/releases.ts';
import type { ImportOutcome, RunDetail, TemplateDetail } from '../../src/shared/api/runbooks.ts';
import type { TimelinePage } from '../../src/shared/api/store.ts';
import { describeEvent } from '../../src/shared/domain/describe.ts';
import { importMarkdown } from '../../src/shared/runbook-format/index.ts';
import { tempDir } from '../helpers/tmp.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/runbooks');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

let core: Core | null = null;
afterEach(() => {
  core?.close();
  core = null;
});

function setUp() {
  let now = Date.UTC(2026, 10, 24, 20, 0, 0);
  const dataDir = tempDir();
  core = openCore({ dataDir, now: () => now, log: () => {} });
  const c = core;
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await c.dispatch(method, input);
    if (!result.ok) throw Object.assign(new Error(`${method}: ${result.error.message}`), { error: result.error });
    return result.value as T;
  };
  const fail = async (method: string, input: unknown) => {
    const result = await c.dispatch(method, input);
    if (result.ok) throw new Error(`${method} should have failed`);
    return result.error;
  };
  return { dataDir, call, fail, advance: (minutes: number) => (now += minutes * 60_000) };
}

async function withProfile() {
  const t = setUp();
  await t.call('profile.set', { name: 'Ana Silva', role: 'coordinator' });
  return t;
}

const WINDOW = { start: '2026-11-24T22:00', end: '2026-11-25T01:00', zone: 'Europe/Berlin' };

describe('releases', () => {
  it('creates a release with every fact and reads it back', async () => {
    const { call } = await withProfile();
    const created = await call<ReleaseDetail>('release.create', {
      name: 'Orders 7.3',
      version: '7.3.0',
      type: 'minor',
      changeClass: 'normal',
      ticket: 'CHG-20418',
      services: ['orders-api', 'orders-db', 'orders-api'],
      environment: 'production',
      strategy: 'rolling',
      window: WINDOW,
      owner: 'Ana Silva',
      scope: 'Adds fulfilment regions.\n\nNo API changes.',
    });
    expect(created.id).toMatch(/^rel-[2-9a-z]{8}$/);
    expect(created).toMatchObject({
      name: 'Orders 7.3',
      version: '7.3.0',
      status: 'planned',
      statusLabel: 'planned',
      services: ['orders-api', 'orders-db'],
      window: { start: '2026-11-24T21:00:00.000Z', end: '2026-11-25T00:00:00.000Z', zone: 'Europe/Berlin' },
      ownerName: 'Ana Silva',
      createdBy: { name: 'Ana Silva' },
      allowed: ['scheduled', 'cancelled'],
      runs: [],
    });
    expect(created.owner).toMatch(/^p[0-9a-f]{16}$/);
    expect(await call<ReleaseDetail>('release.get', { id: created.id.slice(0, 7) })).toMatchObject({ id: created.id });
  });

  it('refuses bad input naming the field', async () => {
    const { fail } = await withProfile();
    expect(await fail('release.create', { name: 'R', version: '1', window: { ...WINDOW, zone: 'Mars/Base' } })).toMatchObject({ code: 'invalid_input', field: 'window.zone' });
    expect(await fail('release.create', { name: 'R', version: '1', window: { ...WINDOW, end: '2026-11-24T21:00' } })).toMatchObject({
      code: 'invalid_input',
      field: 'window.end',
      message: 'The window must end after it starts.',
    });
    expect(await fail('release.create', { name: 'R', version: '1', window: { ...WINDOW, start: 'tonight' } })).toMatchObject({ field: 'window.start' });
    expect(await fail('release.create', { name: ' ', version: '1' })).toMatchObject({ field: 'name' });
    expect(await fail('release.create', { name: 'R', version: '1', strategy: 'yolo' })).toMatchObject({ field: 'strategy' });
    expect(await fail('release.get', { id: 'rel-nothere' })).toMatchObject({ code: 'not_found' });
  });

  it('lists by status and type, sorted by window with unscheduled releases last', async () => {
    const { call, advance } = await withProfile();
    const late = await call<ReleaseDetail>('release.create', { name: 'Late', version: '1', window: { ...WINDOW, start: '2026-12-01T10:00', end: '2026-12-01T12:00' } });
    advance(1);
    const none = await call<ReleaseDetail>('release.create', { name: 'Someday', version: '2', type: 'major' });
    advance(1);
    const early = await call<ReleaseDetail>('release.create', { name: 'Early', version: '3', type: 'patch', window: WINDOW });
    advance(1);
    const fix = await call<ReleaseDetail>('release.create', { name: 'Hotfix', version: '4', type: 'emergency' });
    await call('release.transition', { id: early.id, to: 'scheduled' });
    const names = async (input: object) => (await call<{ name: string }[]>('release.list', input)).map((r) => r.name);
    expect(await names({})).toEqual(['Early', 'Late', 'Someday', 'Hotfix']);
    expect(await names({ sort: '-window' })).toEqual(['Late', 'Early', 'Someday', 'Hotfix']);
    expect(await names({ status: 'scheduled' })).toEqual(['Early']);
    expect(await names({ status: ['planned'], type: ['major', 'emergency'] })).toEqual(['Someday', 'Hotfix']);
    expect(await names({ text: 'hot' })).toEqual(['Hotfix']);
    expect([late.changeClass, none.changeClass, fix.changeClass]).toEqual(['normal', 'normal', 'emergency']);
  });

  it('edits field by field, skips unchanged values and shows then settles concurrent edits', async () => {
    const { call } = await withProfile();
    const r = await call<ReleaseDetail>('release.create', { name: 'R', version: '1.0' });
    const edited = await call<ReleaseDetail>('release.update', { id: r.id, set: { version: '1.0', ticket: 'CHG-1', strategy: 'canary' } });
    expect(edited).toMatchObject({ version: '1.0', ticket: 'CHG-1', strategy: 'canary' });
    const page = await call<TimelinePage>('timeline.page', { release: r.id });
    expect(page.items.filter((i) => i.type === 'release.updated')).toHaveLength(2);
    // An editor that saw nothing of the ticket (offline, say) writes concurrently with CHG-1.
    const conflicted = await call<ReleaseDetail>('release.update', { id: r.id, set: { ticket: 'CHG-2' }, pred: { ticket: [] } });
    expect(conflicted.conflicts).toEqual(['ticket']);
    expect(conflicted.fields.ticket.values.map((v) => v.value).sort()).toEqual(['CHG-1', 'CHG-2']);
    const settled = await call<ReleaseDetail>('release.update', { id: r.id, set: { ticket: 'CHG-2' } });
    expect(settled).toMatchObject({ ticket: 'CHG-2', conflicts: [] });
    expect((await call<ReleaseDetail>('release.update', { id: r.id, set: { ticket: null } })).ticket).toBeNull();
  });

  it('refuses an illegal transition with the transitions allowed now', async () => {
    const { call, fail } = await withProfile();
    const r = await call<ReleaseDetail>('release.create', { name: 'R', version: '1' });
    expect(await fail('release.transition', { id: r.id, to: 'closed' })).toEqual({
      code: 'conflict',
      field: 'to',
      message: 'A release cannot go from planned to closed. Allowed now: cancelled.',
    });
    expect(await fail('release.transition', { id: r.id, to: 'scheduled' })).toMatchObject({ message: 'Cannot move to scheduled: set a planned window first. Allowed now: cancelled.' });
    await call('release.update', { id: r.id, set: { window: WINDOW } });
    for (const to of ['scheduled', 'go_no_go', 'deploying', 'stabilizing', 'closed']) await call('release.transition', { id: r.id, to });
    expect(await fail('release.transition', { id: r.id, to: 'deploying' })).toMatchObject({ message: 'A release cannot go from closed to deploying. No transitions are allowed from closed.' });
  });
});

describe('templates', () => {
  it('imports, versions, attaches a copy that later edits never change, and exports', async () => {
    const { call, fail } = await withProfile();
    const imported = await call<ImportOutcome>('runbook.import', { text: fixture('canary-metrics.md'), name: 'canary-metrics.md' });
    const tpl = imported.template!;
    expect(tpl).toMatchObject({ kind: 'template', version: 1, versions: 1, steps: 10, rollbackTarget: 300, title: 'Search service canary 3.8' });
    const release = await call<ReleaseDetail>('release.create', { name: 'Search 3.8', version: '3.8.0', strategy: 'canary' });
    const run = await call<RunDetail>('runbook.attach', { release: release.id, template: tpl.id });
    expect(run).toMatchObject({ kind: 'run', release: release.id, origin: { template: { id: tpl.id, version: 1 } }, releaseName: 'Search 3.8' });

    const edited = { ...tpl.doc, title: 'Search canary (v2)' };
    const v2 = await call<TemplateDetail>('runbook.saveTemplate', { id: tpl.id, doc: edited, basedOn: tpl.event });
    expect(v2).toMatchObject({ version: 2, versions: 2, title: 'Search canary (v2)' });
    expect((await call<TemplateDetail>('runbook.saveTemplate', { id: tpl.id, doc: edited })).versions).toBe(2);
    expect(await fail('runbook.saveTemplate', { id: tpl.id, doc: tpl.doc, basedOn: tpl.event })).toMatchObject({ code: 'conflict', field: 'basedOn' });
    expect((await call<RunDetail>('runbook.get', { id: run.id })).title).toBe('Search service canary 3.8');
    expect((await call<TemplateDetail>('runbook.get', { id: tpl.id, version: 1 })).title).toBe('Search service canary 3.8');
    expect((await call<TemplateDetail>('runbook.get', { id: tpl.id })).history.map((h) => h.version)).toEqual([1, 2]);
    expect((await call<{ title: string }[]>('runbook.list', {})).map((t) => t.title)).toEqual(['Search canary (v2)']);

    const md = await call<{ text: string; fileName: string }>('runbook.export', { id: run.id, format: 'md' });
    expect(md.fileName).toBe('search-service-canary-3-8.md');
    expect(importMarkdown(md.text).doc).toEqual(run.doc);
    const yaml = await call<{ text: string }>('runbook.export', { id: tpl.id, format: 'yaml', version: 1 });
    const again = await call<ImportOutcome>('runbook.import', { text: yaml.text, format: 'yaml', template: tpl.id });
    expect(again.template).toMatchObject({ version: 3, title: 'Search service canary 3.8' });
    expect(again.template!.doc).toEqual(tpl.doc);
  });

  it('names the line of an import error and records nothing', async () => {
    const { call, fail } = await withProfile();
    const error = await fail('runbook.import', { text: '# T\n\n1. ok\n2. bad (kind: dance)\n', name: 'bad.md' });
    expect(error).toEqual({ code: 'invalid_input', field: 'text', message: 'line 4: unknown step kind "dance" (use manual, command, verification, communication)' });
    expect(await call('runbook.list', {})).toEqual([]);
  });
});

describe('running a runbook', () => {
  it('runs a database migration to a failure and rolls it back by the clock', async () => {
    const { call, fail, advance, dataDir } = await withProfile();
    const release = await call<ReleaseDetail>('release.create', { name: 'Orders v43', version: '7.3.0', window: WINDOW });
    const { run } = await call<ImportOutcome>('runbook.import', { text: fixture('database-migration.md'), name: 'database-migration.md', release: release.id });
    const id = release.id;
    expect(run!.progress).toMatchObject({ total: 10, remaining: 6180 });
    for (const to of ['scheduled', 'go_no_go', 'deploying']) await call('release.transition', { id, to });

    await call('step.done', { release: id, step: 1, note: 'CAB approved at 19:40' });
    await call('step.start', { release: id, step: `${run!.id}/2` });
    advance(18);
    let v = await call<RunDetail>('step.done', { release: id, step: 2 });
    expect(v.steps[1]).toMatchObject({ state: 'done', elapsed: 1080, overrun: 180, changed: { by: { name: 'Ana Silva' } } });

    expect(await fail('step.skip', { release: id, step: 3 })).toMatchObject({ code: 'invalid_input', field: 'reason' });
    await call('step.skip', { release: id, step: 3, reason: 'Lag checked on the dashboard: 0.4 s' });
    expect(await fail('step.start', { release: id, step: 6 })).toMatchObject({ code: 'conflict', message: 'Step 6 waits for step 5 (pending); finish it first or force it.' });
    await call('step.start', { release: id, step: 5 });
    advance(3);
    expect(await fail('step.fail', { release: id, step: 5, reason: '' })).toMatchObject({ field: 'reason' });
    await call('step.fail', { release: id, step: 5, reason: 'Flyway: lock held by the nightly job' });
    await call('step.note', { release: id, step: 5, text: 'Paged the DBA on call' });
    const png = Buffer.from('\x89PNG fake screenshot bytes');
    v = await call<RunDetail>('step.attach', { release: id, step: 5, name: 'flyway.png', mime: 'image/png', base64: png.toString('base64') });
    const evidence = v.steps[4]!.evidence[0]!;
    expect(evidence).toMatchObject({ name: 'flyway.png', mime: 'image/png', size: png.length });
    expect(readFileSync(join(dataDir, 'blobs', evidence.sha256))).toEqual(png);
    await call('step.attach', { release: id, step: 6, name: 'same.png', base64: png.toString('base64') });
    expect((await call<{ base64: string }>('evidence.get', { sha256: evidence.sha256 })).base64).toBe(png.toString('base64'));
    expect(await fail('step.attach', { release: id, step: 5, name: 'x', base64: 'not base64!' })).toMatchObject({ field: 'base64' });
    await call('step.assign', { release: id, step: 9, to: 'Ana Silva' });

    expect(await fail('step.done', { release: id, step: 11 })).toMatchObject({ message: 'Step 11 belongs to the rollback plan: start the rollback first.' });
    v = await call<RunDetail>('rollback.start', { release: id, reason: 'Migration cannot take its lock; stop here' });
    expect(v).toMatchObject({ state: 'rolling_back', focus: 11, rollback: { target: 1800, started: { reason: 'Migration cannot take its lock; stop here' } } });
    expect(await fail('rollback.start', { release: id, reason: 'again' })).toMatchObject({ code: 'conflict' });
    for (const step of [11, 12, 13]) {
      advance(6);
      await call('step.done', { release: id, step });
    }
    advance(4);
    v = await call<RunDetail>('step.done', { release: id, step: 14 });
    expect(v).toMatchObject({ state: 'rolled_back', releaseStatus: 'rolled_back', rollback: { elapsed: 1320, missed: false, recorded: { seconds: 1320, target: 1800, missed: false } } });
    const after = await call<ReleaseDetail>('release.get', { id });
    expect(after).toMatchObject({ status: 'rolled_back', allowed: [] });
    expect(after.runs[0]).toMatchObject({ state: 'rolled_back', rollback: { available: true, missed: false } });
    expect(await fail('step.start', { release: id, step: 7 })).toMatchObject({ code: 'conflict', message: 'The release is rolled back: steps no longer change (notes and evidence still can).' });
    await call('step.note', { release: id, step: 7, text: 'Never reached' });

    // Every action is on the release timeline, with actor, device, time and a sentence.
    const page = await call<TimelinePage>('timeline.page', { release: id, limit: 200 });
    const device = (await call<{ device: { id: string } }>('app.info', {})).device.id;
    expect(page.items.every((i) => i.device === device && i.actor.name === 'Ana Silva' && i.at.endsWith('Z'))).toBe(true);
    const sentences = page.items.map(describeEvent).reverse();
    expect(sentences).toEqual([
      'Ana Silva planned the release “Orders v43” version 7.3.0',
      'Ana Silva attached the runbook “Orders DB schema migration (v42 → v43)” (imported from database-migration.md)',
      'Ana Silva moved the release from planned to scheduled',
      'Ana Silva moved the release from scheduled to go/no-go',
      'Ana Silva moved the release from go/no-go to deploying',
      'Ana Silva completed step 1 “Confirm the change ticket CHG-20418 is approved in the CAB tool” with the note “CAB approved at 19:40”',
      'Ana Silva started step 2 “Take a fresh snapshot of the primary”',
      'Ana Silva completed step 2 “Take a fresh snapshot of the primary”',
      'Ana Silva skipped step 3 “Check replication lag on all replicas is below 5 s”: Lag checked on the dashboard: 0.4 s',
      'Ana Silva started step 5 “Apply migration `V43__add_fulfilment_region.sql`”',
      'Ana Silva marked step 5 “Apply migration `V43__add_fulfilment_region.sql`” as failed: Flyway: lock held by the nightly job',
      'Ana Silva added a note to step 5 “Apply migration `V43__add_fulfilment_region.sql`”: “Paged the DBA on call”',
      `Ana Silva attached flyway.png (${png.length} B) to step 5 “Apply migration \`V43__add_fulfilment_region.sql\`”`,
      `Ana Silva attached same.png (${png.length} B) to step 6 “Start the batched backfill job”`,
      `Ana Silva assigned step 9 “Error rate of orders-api below 0.5 % for 15 minutes” to ${after.owner ?? (await call<{ id: string }[]>('people.list', {}))[0]!.id}`,
      'Ana Silva started the rollback (target 30m): Migration cannot take its lock; stop here',
      'Ana Silva completed step 11 “Redeploy orders-api 7.2.4”',
      'Ana Silva completed step 12 “Stop the backfill job”',
      'Ana Silva completed step 13 “Revert the migration with `V43__undo.sql`”',
      'Ana Silva completed step 14 “Tell #releases and the status page that the release was rolled back”',
      'Ana Silva finished the rollback in 22m, within the 30m target',
      'Ana Silva moved the release from deploying to rolled back: Rollback of “Orders DB schema migration (v42 → v43)” finished in 22m, within the 30m target.',
      'Ana Silva added a note to step 7 “Deploy orders-api 7.3.0, which reads the new column”: “Never reached”',
    ]);
    expect(page.total).toBe(sentences.length);

    // The projections are a pure fold of the log: rebuilding them changes nothing.
    expect(await call('store.rebuild', {})).toMatchObject({ unchanged: true });
    expect(await call('audit.verify', {})).toMatchObject({ ok: true });
    expect(existsSync(join(dataDir, 'blobs'))).toBe(true);
  });

  it('records a missed time-to-restore target', async () => {
    const { call, advance } = await withProfile();
    const r = await call<ReleaseDetail>('release.create', { name: 'Checkout 5', version: '5.0', type: 'emergency' });
    await call('runbook.import', { text: fixture('blue-green-cutover.md'), release: r.id });
    for (const to of ['go_no_go', 'deploying']) await call('release.transition', { id: r.id, to });
    await call('rollback.start', { release: r.id, reason: '5xx at 4 %', target: 300 });
    advance(4);
    await call('step.done', { release: r.id, step: 12 });
    await call('step.skip', { release: r.id, step: 13, reason: 'DNS never moved' });
    advance(3);
    const v = await call<RunDetail>('step.done', { release: r.id, step: 14 });
    expect(v.rollback).toMatchObject({ target: 300, elapsed: 420, missed: true, recorded: { seconds: 420, missed: true } });
    const page = await call<TimelinePage>('timeline.page', { release: r.id, type: 'rollback.finished' });
    expect(describeEvent(page.items[0]!)).toBe('Ana Silva finished the rollback in 7m, missing the 5m target');
  });

  it('addresses a step by number only when one runbook has it', async () => {
    const { call, fail } = await withProfile();
    const r = await call<ReleaseDetail>('release.create', { name: 'Mobile', version: '2026.11' });
    expect(await fail('step.start', { release: r.id, step: 1 })).toMatchObject({ code: 'not_found', message: expect.stringContaining('has no runbook yet') });
    const a = (await call<ImportOutcome>('runbook.import', { text: fixture('mobile-backend.yaml'), name: 'mobile-backend.yaml', release: r.id })).run!;
    const b = (await call<ImportOutcome>('runbook.import', { text: fixture('emergency-hotfix.md'), release: r.id })).run!;
    expect(await fail('step.start', { release: r.id, step: 2 })).toMatchObject({ code: 'invalid_input', message: expect.stringContaining(`${a.id}/2`) });
    expect((await call<RunDetail>('step.note', { release: r.id, step: 7, text: 'only the mobile runbook has a step 7' })).id).toBe(a.id);
    expect((await call<RunDetail>('step.start', { release: r.id, step: 2, run: b.id })).id).toBe(b.id);
    expect((await call<RunDetail>('step.done', { release: r.id, step: `${b.id}/1` })).steps[0]!.state).toBe('done');
    expect(await fail('step.start', { release: r.id, step: 'first' })).toMatchObject({ field: 'step' });
    expect((await call<ReleaseDetail>('release.get', { id: r.id })).runs.map((x) => x.id)).toEqual([a.id, b.id]);
  });

  it('needs a deploying release and a rollback plan to start a rollback', async () => {
    const { call, fail } = await withProfile();
    const r = await call<ReleaseDetail>('release.create', { name: 'Hotfix', version: '4.18.3', type: 'emergency' });
    await call('runbook.import', { text: fixture('emergency-hotfix.md'), release: r.id });
    expect(await fail('rollback.start', { release: r.id, reason: 'x' })).toMatchObject({ code: 'conflict', message: expect.stringContaining('is planned') });
    for (const to of ['go_no_go', 'deploying']) await call('release.transition', { id: r.id, to });
    expect(await fail('rollback.start', { release: r.id, reason: 'x' })).toMatchObject({ code: 'conflict', message: expect.stringContaining('has a Rollback section') });
  });
});

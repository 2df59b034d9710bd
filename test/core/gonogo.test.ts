// Go/no-go through dispatch on real databases: the default checklist, answers, sign-offs with
// segregation of duties (at the API and in the board for events from other devices), decisions
// with their blockers, exceptions and lifecycle moves, decision conflicts and automatic criteria.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src/main/core/core.ts';
import type { AnswerHistoryItem, ChecklistTemplateDetail, ChecklistTemplateSummary, GoNoGoDetail } from '../../src/shared/api/gonogo.ts';
import type { ReleaseDetail } from '../../src/shared/api/releases.ts';
import type { ImportOutcome } from '../../src/shared/api/runbooks.ts';
import type { Role } from '../../src/shared/domain/people.ts';
import { DEFAULT_CHECKLIST, type ChecklistDoc } from '../../src/shared/gonogo/checklist.ts';
import { missing } from './fleet.ts';
import { tempDir } from '../helpers/tmp.ts';
import { callers } from './helpers.ts';

const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
});

async function device(name: string, role: Role) {
  let now = Date.UTC(2026, 10, 24, 20, 0, 0);
  const core = openCore({ dataDir: tempDir(), now: () => now, log: () => {} });
  cores.push(core);
  const { call, fails } = callers(core);
  await call('profile.set', { name, role });
  return { core, call, fails, store: core.ctx.store, advance: (m: number) => (now += m * 60_000) };
}

type Device = Awaited<ReturnType<typeof device>>;

function link(...devices: Device[]) {
  for (const x of devices) for (const y of devices) if (x !== y) x.store.registerDevice({ id: y.store.device().id, publicKey: y.store.publicKey() });
}
function sync(...devices: Device[]) {
  for (const from of devices) for (const to of devices) if (from !== to) to.store.ingestEvents(missing(from.store, to.store));
}

const canary = readFileSync(join(import.meta.dirname, '../fixtures/runbooks/canary-metrics.md'), 'utf8');
const junit = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/junit', name), 'utf8');
const window = { start: '2026-11-24T22:00', end: '2026-11-24T23:30', zone: 'Europe/Berlin' };

/** A release at go/no-go with the default checklist. */
async function atGoNoGo(d: Device, extra: Record<string, unknown> = {}) {
  const release = await d.call<ReleaseDetail>('release.create', { name: 'Checkout 7.3', version: '7.3.0', window, ...extra });
  await d.call('release.transition', { id: release.id, to: 'scheduled' });
  await d.call('release.transition', { id: release.id, to: 'go_no_go' });
  await d.call('gonogo.attach', { release: release.id });
  return release.id;
}

async function answerAll(d: Device, release: string, except: string[] = []) {
  for (const c of DEFAULT_CHECKLIST.criteria) if (!except.includes(c.id)) await d.call('gonogo.answer', { release, criterion: c.id, answer: 'met' });
}

describe('checklist templates', () => {
  it('ships a default, versions the team’s own, and a release keeps the version it copied', async () => {
    const a = await device('Casey', 'coordinator');
    const templates = await a.call<ChecklistTemplateSummary[]>('gonogo.templates', {});
    expect(templates).toEqual([expect.objectContaining({ id: 'default', builtIn: true, version: 0, criteria: 14 })]);

    const doc: ChecklistDoc = { ...DEFAULT_CHECKLIST, title: 'Payments', criteria: DEFAULT_CHECKLIST.criteria.slice(0, 3) };
    const v1 = await a.call<ChecklistTemplateDetail>('gonogo.saveTemplate', { doc });
    expect(v1).toMatchObject({ version: 1, builtIn: false, criteria: 3 });
    const release = await a.call<ReleaseDetail>('release.create', { name: 'Pay 2.0', version: '2.0.0' });
    const attached = await a.call<GoNoGoDetail>('gonogo.attach', { release: release.id, template: v1.id });
    expect(attached.checklist).toEqual({ title: 'Payments', template: { id: v1.id, version: 1, event: v1.event } });
    expect(attached.requiredRoles).toEqual(['technical_lead', 'operations', 'business_owner', 'change_manager']);

    const v2 = await a.call<ChecklistTemplateDetail>('gonogo.saveTemplate', { id: v1.id, doc: { ...doc, criteria: DEFAULT_CHECKLIST.criteria.slice(0, 5) } });
    expect(v2).toMatchObject({ version: 2, versions: 2, criteria: 5 });
    const board = await a.call<GoNoGoDetail>('gonogo.get', { release: release.id });
    expect(board.counts.criteria).toBe(3);
    expect((await a.call<ChecklistTemplateDetail>('gonogo.template', { id: v1.id, version: 1 })).criteria).toBe(3);
    const bad = await a.fails('gonogo.saveTemplate', { doc: { ...doc, criteria: [doc.criteria[0], doc.criteria[0]] } });
    expect(bad.message).toMatch(/used twice/);
  });
});

describe('answering', () => {
  it('needs a comment for not met and waived, records who, role and when, and keeps every change in the history', async () => {
    const a = await device('Casey', 'coordinator');
    const release = await atGoNoGo(a);
    expect((await a.fails('gonogo.answer', { release, criterion: 'rollback-tested', answer: 'not_met' })).message).toMatch(/need a comment/);
    expect((await a.fails('gonogo.answer', { release, criterion: 'nope', answer: 'met' })).code).toBe('not_found');
    expect((await a.fails('gonogo.answer', { release, criterion: 'rollback-tested', answer: 'met', evidence: { url: 'javascript:alert(1)' } })).field).toMatch(/evidence/);

    await a.call('gonogo.answer', { release, criterion: 'rollback-tested', answer: 'not_met', comment: 'staging rollback took 40 min' });
    a.advance(5);
    const board = await a.call<GoNoGoDetail>('gonogo.answer', { release, criterion: 'rollback-tested', answer: 'met', evidence: { url: 'https://ci.example.com/rollback/812' } });
    const criterion = board.groups.flatMap((g) => g.criteria).find((c) => c.id === 'rollback-tested')!;
    expect(criterion).toMatchObject({ state: 'met', answer: { as: 'operations', by: { name: 'Casey', role: 'coordinator' }, at: '2026-11-24T20:05:00.000Z', evidence: { url: 'https://ci.example.com/rollback/812' } } });
    await a.call('gonogo.answer', { release, criterion: 'security-review', answer: 'waived', comment: 'no code change in scope', evidence: { name: 'scan.txt', mime: 'text/plain', base64: Buffer.from('0 findings').toString('base64') } });

    const history = await a.call<AnswerHistoryItem[]>('gonogo.history', { release, criterion: 'rollback-tested' });
    expect(history.map((h) => [h.answer, h.comment])).toEqual([
      ['not_met', 'staging rollback took 40 min'],
      ['met', null],
    ]);
    expect(history[1]!.replaces).toEqual([history[0]!.event]);
    const after = await a.call<GoNoGoDetail>('gonogo.get', { release });
    const waived = after.groups.flatMap((g) => g.criteria).find((c) => c.id === 'security-review')!;
    expect(waived.answer?.evidence).toMatchObject({ name: 'scan.txt', size: 10 });
    const timeline = a.store.timeline({ release, type: 'criterion.answered', limit: 10 });
    expect(timeline.items).toHaveLength(3);
  });
});

describe('sign-offs and segregation of duties', () => {
  it('refuses the creator, a deployer (assigned or completed a step) and the change author, naming the rule', async () => {
    const casey = await device('Casey', 'lead');
    const dana = await device('Dana', 'lead');
    const erin = await device('Erin', 'approver');
    const frank = await device('Frank', 'approver');
    const gil = await device('Gil', 'approver');
    const obs = await device('Olly', 'observer');
    link(casey, dana, erin, frank, gil, obs);
    sync(casey, dana, erin, frank, gil, obs);
    const release = await atGoNoGo(casey, { owner: 'Frank' });
    const run = (await casey.call<ImportOutcome>('runbook.import', { text: canary, release })).run!;
    sync(casey, dana, erin, frank, gil, obs);
    await casey.call('step.assign', { release, step: 2, to: dana.store.profile()!.id });
    sync(casey, erin);
    await erin.call('step.done', { release, run: run.id, step: 1 });
    sync(casey, dana, erin, frank, gil, obs);

    const refusal = async (d: Device) => {
      const error = await d.fails('gonogo.signoff', { release, role: 'technical_lead' });
      expect(error.code).toBe('forbidden');
      return error.message;
    };
    expect(await refusal(casey)).toBe('Refused: segregation of duties (creator): Casey created the release and may not approve it.');
    expect(await refusal(dana)).toMatch(/\(deployer\): Dana is assigned step 2 of Search service canary 3.8/);
    expect(await refusal(erin)).toMatch(/\(deployer\): Erin completed step 1/);
    expect(await refusal(frank)).toMatch(/\(change author\): Frank owns the change/);
    expect(await refusal(obs)).toMatch(/only approvers and leads sign off/);
    const ok = await gil.call<GoNoGoDetail>('gonogo.signoff', { release, role: 'technical_lead' });
    expect(ok.roles.find((r) => r.role === 'technical_lead')).toMatchObject({ signed: true, signoffs: [{ by: { name: 'Gil' }, rejected: null }] });
    expect((await gil.fails('gonogo.signoff', { release, role: 'security' })).message).toMatch(/does not need a security sign-off/);
    expect((await gil.fails('gonogo.signoff', { release, role: 'technical_lead' })).code).toBe('conflict');
    expect((await casey.call<GoNoGoDetail>('gonogo.get', { release })).you?.mayNotSign).toMatch(/creator/);
  });

  it('a sign-off from a device that had not seen the deployment is invalid on both devices after sync, and never counts', async () => {
    const casey = await device('Casey', 'lead');
    const onB = await device('Dana', 'lead');
    const onC = await device('Dana', 'lead'); // the same person on her second laptop
    link(casey, onB, onC);
    const release = await atGoNoGo(casey);
    const run = (await casey.call<ImportOutcome>('runbook.import', { text: canary, release })).run!;
    sync(casey, onB, onC);
    // Offline: Dana completes a step on one laptop and signs off on the other.
    await onC.call('step.done', { release, run: run.id, step: 1 });
    const signed = await onB.call<GoNoGoDetail>('gonogo.signoff', { release, role: 'operations' });
    expect(signed.roles.find((r) => r.role === 'operations')!.signed).toBe(true);
    // A device that skips the checks entirely: the creator signs by writing the event itself.
    casey.store.appendEvents([{ type: 'signoff.given', entity: { kind: 'release', id: release }, data: { as: 'change_manager' } }]);
    sync(casey, onB, onC);
    for (const d of [casey, onB, onC]) {
      const board = await d.call<GoNoGoDetail>('gonogo.get', { release });
      expect(board.roles.find((r) => r.role === 'operations')).toMatchObject({ signed: false, signoffs: [{ rejected: expect.stringMatching(/\(deployer\): Dana completed step 1/) }] });
      expect(board.roles.find((r) => r.role === 'change_manager')).toMatchObject({ signed: false, signoffs: [{ rejected: expect.stringMatching(/creator/) }] });
      expect(board.invalidSignoffs).toHaveLength(2);
      expect(board.blockers.filter((b) => b.kind === 'signoff_missing').map((b) => b.ref)).toEqual(['technical_lead', 'operations', 'business_owner', 'change_manager']);
    }
  });

  it('withdraws with a reason and re-signs as a new sign-off; only the signer withdraws', async () => {
    const casey = await device('Casey', 'coordinator');
    const gil = await device('Gil', 'approver');
    link(casey, gil);
    const release = await atGoNoGo(casey);
    sync(casey, gil);
    const first = (await gil.call<GoNoGoDetail>('gonogo.signoff', { release, role: 'business_owner' })).roles.find((r) => r.role === 'business_owner')!.signoffs[0]!;
    sync(casey, gil);
    expect((await casey.fails('gonogo.withdraw', { release, signoff: first.id, reason: 'no' })).code).toBe('forbidden');
    expect((await gil.fails('gonogo.withdraw', { release, signoff: first.id, reason: '' })).field).toBe('reason');
    const withdrawn = await gil.call<GoNoGoDetail>('gonogo.withdraw', { release, signoff: 'business_owner', reason: 'pricing page copy changed' });
    expect(withdrawn.roles.find((r) => r.role === 'business_owner')).toMatchObject({ signed: false, signoffs: [] });
    const again = await gil.call<GoNoGoDetail>('gonogo.signoff', { release, role: 'business_owner' });
    const second = again.roles.find((r) => r.role === 'business_owner')!.signoffs[0]!;
    expect(second.id).not.toBe(first.id);
    const timeline = gil.store.timeline({ release, type: 'signoff.withdrawn', limit: 5 }).items;
    expect(timeline[0]!.data).toEqual({ of: first.id, reason: 'pricing page copy changed' });
  });
});

describe('the decision', () => {
  it('lists its blockers, needs an exception for a go with open items, and moves the lifecycle', async () => {
    const casey = await device('Casey', 'coordinator');
    const release = await atGoNoGo(casey, { type: 'emergency' });
    const board = await casey.call<GoNoGoDetail>('gonogo.get', { release });
    expect(board.state).toBe('open');
    expect(board.blockers.filter((b) => b.kind === 'criterion_open')).toHaveLength(DEFAULT_CHECKLIST.criteria.filter((c) => c.mandatory).length);
    await answerAll(casey, release, ['rollback-tested']);
    await casey.call('gonogo.answer', { release, criterion: 'monitoring-ready', answer: 'not_met', comment: 'payment dashboard missing' });
    const refused = await casey.fails('gonogo.decide', { release, outcome: 'go', rationale: 'hotfix for the payment outage' });
    expect(refused).toMatchObject({ code: 'conflict', field: 'exception' });
    expect(refused.message).toMatch(/Unanswered: Rollback was tested/);
    expect(refused.message).toMatch(/Not met: Monitoring and alerts/);
    expect(refused.message).toMatch(/Missing sign-off: Technical lead\./);
    expect((await casey.fails('gonogo.decide', { release, outcome: 'go_with_conditions', rationale: 'x' })).field).toBe('conditions');

    const decided = await casey.call<GoNoGoDetail>('gonogo.decide', {
      release,
      outcome: 'go_with_conditions',
      rationale: 'payments are down; the fix is one line',
      conditions: 'roll back at the first 5xx spike',
      exception: 'emergency change INC-4411, CAB chair informed by phone',
    });
    expect(decided).toMatchObject({ state: 'go_with_conditions', status: 'deploying' });
    expect(decided.decision.values).toEqual([expect.objectContaining({ outcome: 'go_with_conditions', conditions: 'roll back at the first 5xx spike', exception: 'emergency change INC-4411, CAB chair informed by phone' })]);
    const event = casey.store.timeline({ release, type: 'decision.made', limit: 1 }).items[0]!;
    expect(event.data).toMatchObject({ exception: 'emergency change INC-4411, CAB chair informed by phone', basis: { missing: ['technical_lead', 'operations', 'business_owner', 'change_manager'] } });
    expect((event.data.basis as { open: string[] }).open).toEqual(expect.arrayContaining([expect.stringMatching(/^Unanswered: Rollback/), expect.stringMatching(/^Not met: Monitoring/)]));
    expect((await casey.fails('gonogo.decide', { release, outcome: 'no_go', rationale: 'late' })).message).toMatch(/deploying: move it to go\/no-go/);
  });

  it('no-go sends the release back to scheduled with the reason; a go with nothing open needs no exception', async () => {
    const casey = await device('Casey', 'coordinator');
    const gil = await device('Gil', 'approver');
    const hana = await device('Hana', 'lead');
    link(casey, gil, hana);
    const release = await atGoNoGo(casey);
    const noGo = await casey.call<GoNoGoDetail>('gonogo.decide', { release, outcome: 'no_go', rationale: 'load test failed' });
    expect(noGo).toMatchObject({ state: 'no_go', status: 'scheduled' });
    const moved = casey.store.timeline({ release, type: 'release.transitioned', limit: 1 }).items[0]!;
    expect(moved.data).toEqual({ from: 'go_no_go', to: 'scheduled', reason: 'no-go: load test failed' });

    await casey.call('release.transition', { id: release, to: 'go_no_go' });
    await answerAll(casey, release);
    sync(casey, gil, hana);
    await gil.call('gonogo.signoff', { release, role: 'technical_lead' });
    await gil.call('gonogo.signoff', { release, role: 'operations' });
    await hana.call('gonogo.signoff', { release, role: 'business_owner' });
    await hana.call('gonogo.signoff', { release, role: 'change_manager' });
    sync(casey, gil, hana);
    expect((await casey.call<GoNoGoDetail>('gonogo.get', { release })).state).toBe('ready');
    // A no-go on a release without a window cannot send it back to scheduled: it stays at
    // go/no-go and the no-go still stands.
    const hotfix = await casey.call<ReleaseDetail>('release.create', { name: 'Hotfix', version: '7.3.2', type: 'emergency' });
    await casey.call('release.transition', { id: hotfix.id, to: 'go_no_go' });
    await casey.call('gonogo.attach', { release: hotfix.id });
    expect(await casey.call<GoNoGoDetail>('gonogo.decide', { release: hotfix.id, outcome: 'no_go', rationale: 'wait for the vendor' })).toMatchObject({ state: 'no_go', status: 'go_no_go' });
    const go = await casey.call<GoNoGoDetail>('gonogo.decide', { release, outcome: 'go', rationale: 'all green' });
    expect(go).toMatchObject({ state: 'go', status: 'deploying', blockers: [] });
    expect(casey.store.timeline({ release, type: 'decision.made', limit: 1 }).items[0]!.data).not.toHaveProperty('exception');
  });

  it('concurrent decisions on two devices are a decision_conflict that blocks go until one decision settles both', async () => {
    const a = await device('Casey', 'coordinator');
    const b = await device('Ines', 'coordinator');
    link(a, b);
    const release = await atGoNoGo(a);
    sync(a, b);
    await a.call('gonogo.decide', { release, outcome: 'go', rationale: 'ship it', exception: 'vendor deadline' });
    await b.call('gonogo.decide', { release, outcome: 'no_go', rationale: 'payment provider maintenance tonight' });
    sync(a, b);
    for (const d of [a, b]) {
      const board = await d.call<GoNoGoDetail>('gonogo.get', { release });
      expect(board.state).toBe('decision_conflict');
      expect(board.blockers.find((x) => x.kind === 'decision_conflict')?.text).toMatch(/go by Casey, no_go by Ines|no_go by Ines, go by Casey/);
      const release_ = await d.call<ReleaseDetail>('release.get', { id: release });
      expect(release_.transitions.find((t) => t.to === 'deploying')?.blockedBy ?? 'blocked').toMatch(/conflict|blocked/);
    }
    expect((await a.fails('gonogo.decide', { release, outcome: 'go', rationale: 'still', exception: 'x' })).message).toMatch(/recorded concurrently/);
    const settled = await a.call<GoNoGoDetail>('gonogo.decide', { release, outcome: 'no_go', rationale: 'agreed: wait for the provider', resolveConflict: true });
    expect(settled).toMatchObject({ state: 'no_go', status: 'scheduled' });
    const resolution = a.store.timeline({ release, type: 'decision.made', limit: 1 }).items[0]!;
    expect(resolution.pred).toHaveLength(2);
    sync(a, b);
    expect(await b.call<GoNoGoDetail>('gonogo.get', { release })).toMatchObject({ state: 'no_go', status: 'scheduled' });
  });
});

describe('automatic criteria', () => {
  it('answers from a JUnit report, a runbook section and metric samples, recording the inputs', async () => {
    const a = await device('Casey', 'coordinator');
    const doc: ChecklistDoc = {
      title: 'Canary',
      signoffRoles: ['technical_lead'],
      criteria: [
        ...DEFAULT_CHECKLIST.criteria.filter((c) => c.id === 'regression-passed'),
        { id: 'before-done', group: 'operations', role: 'operations', statement: 'Everything before the canary is done', mandatory: true, auto: { kind: 'runbook_section', section: 'Before' } },
        { id: 'errors-low', group: 'operations', role: 'operations', statement: 'Error rate ≤ 0.5 % over 5 minutes', mandatory: true, auto: { kind: 'metric_threshold', metric: 'error_rate', aggregate: 'max', op: '<=', threshold: '0.5', windowSeconds: 300 } },
      ],
    };
    const template = await a.call<ChecklistTemplateDetail>('gonogo.saveTemplate', { doc });
    const release = await a.call<ReleaseDetail>('release.create', { name: 'Search 3.8', version: '3.8.0' });
    await a.call('runbook.import', { text: canary, release: release.id });
    await a.call('gonogo.attach', { release: release.id, template: template.id });
    const state = (board: GoNoGoDetail, id: string) => board.groups.flatMap((g) => g.criteria).find((c) => c.id === id)!;

    const bad = await a.fails('gonogo.importJunit', { release: release.id, name: 'broken.xml', xml: junit('malformed.xml') });
    expect(bad).toMatchObject({ code: 'invalid_input', field: 'xml' });
    expect(bad.message).toMatch(/^broken.xml: Not well-formed XML at line/);
    let board = await a.call<GoNoGoDetail>('gonogo.importJunit', { release: release.id, name: 'surefire.xml', xml: junit('surefire.xml') });
    expect(state(board, 'regression-passed')).toMatchObject({ state: 'not_met', answer: { auto: { rule: 'junit_pass_rate', inputs: { passRate: 66, failures: 1 } }, by: { name: 'Casey' } } });
    board = await a.call<GoNoGoDetail>('gonogo.importJunit', { release: release.id, name: 'jest.xml', xml: junit('jest-junit.xml') });
    expect(state(board, 'regression-passed').state).toBe('met');
    expect(board.testReport).toMatchObject({ name: 'jest.xml', passRate: 100 });

    expect(state(board, 'before-done')).toMatchObject({ state: 'not_met', answer: { auto: { inputs: { open: [expect.stringMatching(/\/1 pending$/), expect.stringMatching(/\/2 pending$/)] } } } });
    await a.call('step.done', { release: release.id, step: 1 });
    await a.call('step.done', { release: release.id, step: 2 });
    const now = Date.UTC(2026, 10, 24, 20, 0, 0);
    board = await a.call<GoNoGoDetail>('gonogo.evaluate', { release: release.id, samples: { error_rate: [{ at: now - 60_000, value: 0.2 }, { at: now - 30_000, value: 'NaN' }] } });
    expect(state(board, 'before-done')).toMatchObject({ state: 'met', answer: { auto: { inputs: { steps: 2 } } } });
    expect(state(board, 'errors-low')).toMatchObject({ state: 'met', answer: { auto: { inputs: { observed: '0.2', missing: 1 } } } });
    board = await a.call<GoNoGoDetail>('gonogo.evaluate', { release: release.id, samples: { error_rate: [{ at: now - 10_000, value: 'Infinity' }] } });
    expect(state(board, 'errors-low').state).toBe('not_met');
    // A person's answer is not overwritten by the rule.
    await a.call('gonogo.answer', { release: release.id, criterion: 'errors-low', answer: 'waived', comment: 'metrics pipeline down; checked by hand' });
    board = await a.call<GoNoGoDetail>('gonogo.evaluate', { release: release.id, samples: { error_rate: [{ at: now - 10_000, value: 3 }] } });
    expect(state(board, 'errors-low').state).toBe('waived');
  });
});

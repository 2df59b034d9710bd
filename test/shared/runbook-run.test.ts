// Running a runbook, as pure calculations over a folded run: dependencies and waiting, elapsed
// against expected, progress and ETA, the rollback clock, and which actions are allowed.
import { describe, expect, it } from 'vitest';
import {
  advanceRunView,
  buildRunView,
  elapsedSeconds,
  overrunSeconds,
  progressOf,
  rollbackClock,
  stepActionProblem,
  waitingOn,
  type StepState,
} from '../../src/shared/domain/runbooks.ts';
import { EVENT_CATALOG } from '../../src/shared/events/catalog.ts';
import { foldEntity, type FoldInput } from '../../src/shared/events/fold.ts';
import type { RunbookDoc } from '../../src/shared/runbook-format/model.ts';

const T0 = Date.UTC(2026, 10, 24, 21, 0, 0);
const min = (m: number) => T0 + m * 60_000;
const ana = { id: 'p_ana', name: 'Ana', role: 'engineer' };
const bob = { id: 'p_bob', name: 'Bob', role: 'engineer' };

const step = (title: string, expect: number | null, after: number[] = []) => ({ title, details: '', owner: null, expect, kind: 'manual' as const, after });
const doc: RunbookDoc = {
  title: 'Cutover',
  services: [],
  tags: [],
  extra: '',
  sections: [
    { title: 'Deploy', notes: '', target: null, steps: [step('Deploy green', 600), step('Smoke test', 300, [1]), step('Warm caches', null, [1]), step('Switch LB', 120, [2, 3])] },
    { title: 'Rollback', notes: '', target: 900, steps: [step('Switch back', 180), step('Confirm', 300, [5])] },
  ],
};

/** Events of one run, each by `device` at minute `m`; seq orders them. */
function runEvents(list: [string, Record<string, unknown>, number, { device?: string; actor?: typeof ana; pred?: string[] }?][]): FoldInput[] {
  const seqs: Record<string, number> = {};
  const attached: FoldInput = event('d', 0, 'runbook.attached', { release: 'rel-1', doc, template: null, source: null }, ana, min(0), []);
  return [attached, ...list.map(([type, data, m, o = {}]) => event(o.device ?? 'd', (seqs[o.device ?? 'd'] = (seqs[o.device ?? 'd'] ?? 1) + 1), type, { release: 'rel-1', ...(type.startsWith('step.') ? { title: 't' } : {}), ...data }, o.actor ?? ana, min(m), o.pred))];
}

function event(device: string, seq: number, type: string, data: Record<string, unknown>, actor: typeof ana, at: number, pred?: string[]): FoldInput {
  return {
    id: `${device}:${seq}`,
    hlc: `${String(at).padStart(13, '0')}-${seq.toString(16).padStart(8, '0')}-${device}`,
    seq,
    at: new Date(at).toISOString(),
    actor,
    type,
    v: 1,
    entity: { kind: 'run', id: 'run-1' },
    data: data as FoldInput['data'],
    ...(pred ? { pred } : {}),
  };
}

const view = (events: FoldInput[], now: number) => buildRunView('run-1', foldEntity(events, EVENT_CATALOG), now);

describe('small calculations', () => {
  it('waits on dependencies that are neither done nor skipped', () => {
    const states: Record<number, StepState> = { 1: 'done', 2: 'skipped', 3: 'failed', 4: 'in_progress' };
    expect(waitingOn([1, 2, 3, 4, 9], (n) => states[n])).toEqual([3, 4, 9]);
    expect(waitingOn([], () => 'pending')).toEqual([]);
  });

  it('measures elapsed to the finish or to now, and the overrun past the expectation', () => {
    expect(elapsedSeconds(null, null, min(5))).toBeNull();
    expect(elapsedSeconds(new Date(min(0)).toISOString(), null, min(12))).toBe(720);
    expect(elapsedSeconds(new Date(min(0)).toISOString(), new Date(min(3)).toISOString(), min(12))).toBe(180);
    expect(overrunSeconds(720, 600)).toBe(120);
    expect(overrunSeconds(500, 600)).toBe(0);
    expect(overrunSeconds(720, null)).toBe(0);
  });

  it('computes the ETA from the remaining expected durations', () => {
    const p = progressOf(
      [
        { number: 1, state: 'done', expect: 600, elapsed: 700, waiting: false, overrun: 100 },
        { number: 2, state: 'in_progress', expect: 300, elapsed: 120, waiting: false, overrun: 0 },
        { number: 3, state: 'pending', expect: null, elapsed: null, waiting: false, overrun: 0 },
        { number: 4, state: 'pending', expect: 120, elapsed: null, waiting: true, overrun: 0 },
        { number: 5, state: 'in_progress', expect: 60, elapsed: 90, waiting: false, overrun: 30 },
      ],
      min(10),
    );
    // 180 left of step 2, all of step 4, nothing of the overrunning step 5; step 3 is unestimated.
    expect(p).toMatchObject({ total: 5, done: 1, inProgress: 2, pending: 2, waiting: 1, percent: 20, remaining: 300, unestimated: 1, overrunning: [5] });
    expect(p.eta).toBe(new Date(min(15)).toISOString());
    expect(progressOf([], min(0))).toMatchObject({ total: 0, percent: 100, eta: null });
  });

  it('times a rollback against its target', () => {
    const start = new Date(min(0)).toISOString();
    expect(rollbackClock(start, null, 900, min(10))).toEqual({ elapsed: 600, remaining: 300, missed: null });
    expect(rollbackClock(start, null, 900, min(16))).toEqual({ elapsed: 960, remaining: -60, missed: true });
    expect(rollbackClock(start, new Date(min(14)).toISOString(), 900, min(30))).toEqual({ elapsed: 840, remaining: 60, missed: false });
    expect(rollbackClock(start, new Date(min(14)).toISOString(), null, min(30))).toEqual({ elapsed: 840, remaining: null, missed: false });
  });
});

describe('a run, folded', () => {
  it('starts with every step pending and dependants waiting', () => {
    const v = view(runEvents([]), min(0));
    expect(v.state).toBe('not_started');
    expect(v.steps.map((s) => [s.number, s.state, s.waitingOn])).toEqual([
      [1, 'pending', []],
      [2, 'pending', [1]],
      [3, 'pending', [1]],
      [4, 'pending', [2, 3]],
      [5, 'pending', []],
      [6, 'pending', [5]],
    ]);
    expect(v.progress).toMatchObject({ total: 4, remaining: 1020, unestimated: 1, waiting: 3 });
    expect(v.rollback).toMatchObject({ steps: [5, 6], target: 900, started: null, missed: null });
    expect(v.focus).toBe(1);
    expect(v.sections.map((s) => s.rollback)).toEqual([false, true]);
    expect(v.steps[1]!.id).toBe('run-1/2');
  });

  it('records who changed a step and when, the reason of a skip or failure, notes and evidence', () => {
    const v = view(
      runEvents([
        ['step.started', { step: 1 }, 1],
        ['step.completed', { step: 1, note: 'green is up' }, 13],
        ['step.skipped', { step: 3, reason: 'caches warm themselves' }, 14, { actor: bob }],
        ['step.started', { step: 2 }, 14],
        ['step.failed', { step: 2, reason: 'checkout 500s' }, 16],
        ['step.noted', { step: 2, text: 'retrying' }, 17],
        ['step.evidence_added', { step: 2, sha256: 'a'.repeat(64), name: 'smoke.log', mime: 'text/plain', size: 12 }, 17],
        ['step.assigned', { step: 4, to: 'p_bob' }, 17],
      ]),
      min(20),
    );
    const [s1, s2, s3, s4] = v.steps;
    expect(s1).toMatchObject({ state: 'done', elapsed: 720, overrun: 120, finishedAt: new Date(min(13)).toISOString() });
    expect(s1!.notes.map((n) => n.text)).toEqual(['green is up']);
    expect(s3).toMatchObject({ state: 'skipped', reason: 'caches warm themselves', changed: { by: bob, at: new Date(min(14)).toISOString() } });
    expect(s2).toMatchObject({ state: 'failed', reason: 'checkout 500s', elapsed: 120, overrun: 0 });
    expect(s2!.notes[0]).toMatchObject({ text: 'retrying', by: ana });
    expect(s2!.evidence[0]).toMatchObject({ sha256: 'a'.repeat(64), name: 'smoke.log', size: 12 });
    expect(s4).toMatchObject({ waitingOn: [2], waiting: true, assignee: { to: 'p_bob' } });
    expect(v.state).toBe('running');
    expect(v.focus).toBe(2);
    expect(v.progress).toMatchObject({ done: 1, skipped: 1, failed: 1, percent: 50 });
  });

  it('shows an overrun while a step is still running, and counts it in the ETA as zero left', () => {
    const v = view(runEvents([['step.started', { step: 1 }, 0]]), min(14));
    expect(v.steps[0]).toMatchObject({ state: 'in_progress', elapsed: 840, overrun: 240 });
    expect(v.progress.overrunning).toEqual([1]);
    expect(v.progress.remaining).toBe(420);
  });

  it('forgets the start time when a step is reset', () => {
    const v = view(runEvents([['step.started', { step: 1 }, 0], ['step.reset', { step: 1 }, 2], ['step.completed', { step: 1 }, 5]]), min(6));
    expect(v.steps[0]).toMatchObject({ state: 'done', startedAt: null, elapsed: null });
  });

  it('shows concurrent state changes from two devices as a conflict', () => {
    const v = view(
      runEvents([
        ['step.completed', { step: 1 }, 3, { device: 'a', pred: [] }],
        ['step.failed', { step: 1, reason: 'no' }, 3, { device: 'b', actor: bob, pred: [] }],
      ]),
      min(4),
    );
    expect(v.steps[0]!.conflict?.map((c) => c.state).sort()).toEqual(['done', 'failed']);
  });

  it('is completed when every main step is done or skipped', () => {
    const v = view(
      runEvents([
        ['step.completed', { step: 1 }, 1],
        ['step.completed', { step: 2 }, 2],
        ['step.skipped', { step: 3, reason: 'n/a' }, 2],
        ['step.completed', { step: 4 }, 3],
      ]),
      min(4),
    );
    expect(v.state).toBe('completed');
    expect(v.progress).toMatchObject({ percent: 100, eta: null });
  });

  it('times the rollback from the decision; a miss shows while it runs and once it is done', () => {
    const base = runEvents([
      ['step.completed', { step: 1 }, 1],
      ['rollback.started', { reason: 'errors', target: null }, 2],
    ]);
    const running = view(base, min(10));
    expect(running.state).toBe('rolling_back');
    expect(running.rollback).toMatchObject({ started: { reason: 'errors', by: ana }, target: 900, elapsed: 480, remaining: 420, missed: null });
    expect(running.focus).toBe(5);
    expect(view(base, min(20)).rollback).toMatchObject({ missed: true, remaining: -180 });
    const done = view(
      runEvents([
        ['step.completed', { step: 1 }, 1],
        ['rollback.started', { reason: 'errors', target: null }, 2],
        ['step.completed', { step: 5 }, 5],
        ['step.completed', { step: 6 }, 21],
      ]),
      min(30),
    );
    expect(done.state).toBe('rolled_back');
    expect(done.rollback).toMatchObject({ finishedAt: new Date(min(21)).toISOString(), elapsed: 1140, missed: true });
  });

  it('uses the target given when the rollback started over the section’s', () => {
    const v = view(runEvents([['rollback.started', { reason: 'x', target: 300 }, 0]]), min(1));
    expect(v.rollback.target).toBe(300);
  });
});

describe('a run, later', () => {
  it('moves the clocks of running steps and of the rollback without the core', () => {
    const events = runEvents([
      ['step.started', { step: 1 }, 0],
      ['rollback.started', { reason: 'x', target: null }, 1],
    ]);
    const later = advanceRunView(view(events, min(2)), min(16));
    expect(later).toEqual(view(events, min(16)));
    expect(later.steps[0]).toMatchObject({ elapsed: 960, overrun: 360 });
    expect(later.rollback).toMatchObject({ elapsed: 900, remaining: 0, missed: null });
  });
});

describe('what a runner may do', () => {
  const v = view(runEvents([['step.completed', { step: 1 }, 1], ['step.started', { step: 2 }, 2]]), min(3));

  it('allows the natural moves', () => {
    expect(stepActionProblem(v, 2, 'done', 'deploying')).toBeNull();
    expect(stepActionProblem(v, 3, 'start', 'deploying')).toBeNull();
    expect(stepActionProblem(v, 2, 'fail', 'deploying')).toBeNull();
    expect(stepActionProblem(v, 1, 'reset', 'deploying')).toBeNull();
  });

  it('refuses with a reason people can act on', () => {
    expect(stepActionProblem(v, 1, 'done', 'deploying')).toBe('Cannot complete step 1: it is done (reset it first).');
    expect(stepActionProblem(v, 2, 'start', 'deploying')).toBe('Cannot start step 2: it is in progress.');
    expect(stepActionProblem(v, 4, 'start', 'deploying')).toBe('Step 4 waits for step 2 (in progress), step 3 (pending); finish those first or force it.');
    expect(stepActionProblem(v, 4, 'start', 'deploying', true)).toBeNull();
    expect(stepActionProblem(v, 5, 'done', 'deploying')).toBe('Step 5 belongs to the rollback plan: start the rollback first.');
    expect(stepActionProblem(v, 9, 'done', 'deploying')).toBe('This runbook has steps 1–6; there is no step 9.');
    expect(stepActionProblem(v, 3, 'done', 'closed')).toBe('The release is closed: steps no longer change (notes and evidence still can).');
    const rolling = view(runEvents([['rollback.started', { reason: 'x', target: null }, 1]]), min(2));
    expect(stepActionProblem(rolling, 5, 'done', 'rolled_back')).toBeNull();
    expect(stepActionProblem(rolling, 1, 'done', 'rolled_back')).toMatch(/^The release is rolled back/);
  });
});

// Running a runbook: each step's state from the run's folded registers, what waits on what,
// elapsed against expected, the ETA, and the rollback clock. Pure and clock-free (`now` is
// passed in), so the renderer can re-run it every second without asking the core.
import type { Actor } from '../events/envelope.ts';
import type { EntityState, Written } from '../events/fold.ts';
import { fieldView } from '../events/views.ts';
import { stepRegister, type StepState } from '../events/release-events.ts';
import { isRollbackTitle, numberSteps, rollbackTarget, type NumberedStep, type RunbookDoc } from '../runbook-format/model.ts';
import { isTerminal, type ReleaseStatus } from './releases.ts';

export { STEP_STATES, type StepState } from '../events/release-events.ts';

/** Done and skipped both let dependants go ahead (a skip is a decision with a reason). */
export const RESOLVED: readonly StepState[] = ['done', 'skipped'];

export interface ByWhom {
  by: Actor;
  at: string;
}

export interface StepNote extends ByWhom {
  id: string;
  text: string;
}

export interface StepEvidence extends ByWhom {
  id: string;
  sha256: string;
  name: string;
  mime: string;
  size: number;
}

export interface RunStep extends NumberedStep {
  /** `<run id>/<number>`: what the CLI and the API accept besides the number. */
  id: string;
  state: StepState;
  /** Reason of a skip, a failure or a block. */
  reason: string | null;
  /** Who set the current state, and when (null while never touched). */
  changed: ByWhom | null;
  /** Concurrent state changes from different devices, newest first, when they disagree. */
  conflict: { state: StepState; reason: string | null; by: Actor; at: string }[] | null;
  startedAt: string | null;
  /** When it was done, skipped or failed. */
  finishedAt: string | null;
  /** Seconds from start to finish (or to `now` while in progress); null if never started. */
  elapsed: number | null;
  /** Seconds past the expected duration (0 when within it or not estimated). */
  overrun: number;
  /** Earlier steps it depends on that are neither done nor skipped. */
  waitingOn: number[];
  waiting: boolean;
  assignee: (ByWhom & { to: string }) | null;
  notes: StepNote[];
  evidence: StepEvidence[];
}

export interface RunProgress {
  total: number;
  done: number;
  skipped: number;
  failed: number;
  blocked: number;
  inProgress: number;
  pending: number;
  waiting: number;
  /** Done + skipped, as a whole percentage of `total` (100 for an empty list). */
  percent: number;
  /** Expected seconds still to go: untouched steps in full, running ones minus their elapsed. */
  remaining: number;
  /** Unfinished steps without an expected duration (the ETA leaves them out). */
  unestimated: number;
  eta: string | null;
  overrunning: number[];
}

export interface RollbackView {
  /** Step numbers of the rollback plan (sections named Rollback). */
  steps: number[];
  /** Time-to-restore target in seconds: the one given when starting, else the section's. */
  target: number | null;
  started: (ByWhom & { reason: string }) | null;
  /** Two devices started the rollback concurrently with different reasons. */
  conflict: boolean;
  finishedAt: string | null;
  elapsed: number | null;
  /** Seconds left before the target is missed (negative once missed); null without a target. */
  remaining: number | null;
  /** True once over target (running or finished), false when finished within it, null otherwise. */
  missed: boolean | null;
  /** What was recorded when the last rollback step finished. */
  recorded: { seconds: number; target: number | null; missed: boolean; at: string } | null;
  progress: RunProgress;
}

export type RunState = 'not_started' | 'running' | 'completed' | 'rolling_back' | 'rolled_back';

export interface RunOrigin {
  release: string;
  template: { id: string; version: number; event: string } | null;
  source: { format: 'md' | 'yaml'; name?: string } | null;
}

export interface RunView {
  id: string;
  release: string;
  title: string;
  doc: RunbookDoc;
  origin: RunOrigin;
  attached: ByWhom | null;
  sections: { index: number; title: string; notes: string; rollback: boolean; target: number | null; steps: number[] }[];
  steps: RunStep[];
  /** The main plan (everything but the rollback sections). */
  progress: RunProgress;
  rollback: RollbackView;
  state: RunState;
  /** The step a runner should look at first (in progress, else the first one that can start). */
  focus: number | null;
  computedAt: string;
}

// ---- small calculations -----------------------------------------------------------------------

export function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

/** Seconds from start to finish, or to `now` while running; null when it never started. */
export function elapsedSeconds(startedAt: string | null, finishedAt: string | null, now: number): number | null {
  if (!startedAt) return null;
  return secondsBetween(startedAt, finishedAt ?? new Date(now).toISOString());
}

export function overrunSeconds(elapsed: number | null, expect: number | null): number {
  return elapsed === null || expect === null ? 0 : Math.max(0, elapsed - expect);
}

/** The dependencies of a step that are not yet done or skipped. */
export function waitingOn(after: readonly number[], stateOf: (n: number) => StepState | undefined): number[] {
  return after.filter((n) => {
    const state = stateOf(n);
    return state === undefined || !RESOLVED.includes(state);
  });
}

export function progressOf(steps: readonly Pick<RunStep, 'number' | 'state' | 'expect' | 'elapsed' | 'waiting' | 'overrun'>[], now: number): RunProgress {
  const count = (state: StepState) => steps.filter((s) => s.state === state).length;
  let remaining = 0;
  let unestimated = 0;
  for (const step of steps) {
    if (RESOLVED.includes(step.state)) continue;
    if (step.expect === null) unestimated += 1;
    else remaining += step.state === 'in_progress' ? Math.max(0, step.expect - (step.elapsed ?? 0)) : step.expect;
  }
  const done = count('done');
  const skipped = count('skipped');
  const finished = done + skipped;
  const open = steps.length - finished;
  return {
    total: steps.length,
    done,
    skipped,
    failed: count('failed'),
    blocked: count('blocked'),
    inProgress: count('in_progress'),
    pending: count('pending'),
    waiting: steps.filter((s) => s.waiting).length,
    percent: steps.length === 0 ? 100 : Math.floor((finished * 100) / steps.length),
    remaining,
    unestimated,
    eta: open === 0 ? null : new Date(now + remaining * 1000).toISOString(),
    overrunning: steps.filter((s) => s.overrun > 0 && !RESOLVED.includes(s.state)).map((s) => s.number),
  };
}

/** The rollback clock: elapsed since the decision, against the target. */
export function rollbackClock(startedAt: string, finishedAt: string | null, target: number | null, now: number) {
  const elapsed = elapsedSeconds(startedAt, finishedAt, now)!;
  const remaining = target === null ? null : target - elapsed;
  const missed = target === null ? (finishedAt ? false : null) : elapsed > target ? true : finishedAt ? false : null;
  return { elapsed, remaining, missed };
}

// ---- the run as folded -----------------------------------------------------------------------

interface StatusValue {
  state: StepState;
  reason?: string;
}

function latest(w: Written | undefined): ByWhom | null {
  return w ? { by: w.by, at: w.at } : null;
}

export function buildRunView(id: string, state: EntityState, now: number): RunView {
  const doc = fieldView<RunbookDoc>(state.registers.doc).values.at(-1)?.value as RunbookDoc;
  const origin = (fieldView<RunOrigin>(state.registers.origin).value ?? { release: '', template: null, source: null }) as RunOrigin;
  const numbered = numberSteps(doc);
  const notes = setItems<{ step: number; text: string }>(state, 'notes');
  const evidence = setItems<{ step: number; sha256: string; name: string; mime: string; size: number }>(state, 'evidence');

  const base = numbered.map((step) => {
    const statusReg = state.registers[stepRegister.status(step.number)];
    const current = statusReg?.values[0];
    const value = (current?.value as unknown as StatusValue | undefined) ?? { state: 'pending' as StepState };
    const values = (statusReg?.values ?? []).map((w) => ({ ...(w.value as unknown as StatusValue), by: w.by, at: w.at }));
    const disagree = new Set(values.map((v) => `${v.state}\u0000${v.reason ?? ''}`)).size > 1;
    const started = state.registers[stepRegister.started(step.number)]?.values[0];
    const startedAt = started && started.value === true ? started.at : null;
    const finishedAt = current && ['done', 'skipped', 'failed'].includes(value.state) ? current.at : null;
    // A step ticked done without being started has no measured duration.
    const elapsed = startedAt && value.state !== 'pending' ? elapsedSeconds(startedAt, finishedAt, now) : null;
    const assigned = state.registers[stepRegister.assignee(step.number)]?.values[0];
    return {
      ...step,
      id: `${id}/${step.number}`,
      state: value.state,
      reason: value.reason ?? null,
      changed: latest(current),
      conflict: disagree ? values.map((v) => ({ state: v.state, reason: v.reason ?? null, by: v.by, at: v.at })) : null,
      startedAt,
      finishedAt,
      elapsed,
      overrun: value.state === 'skipped' ? 0 : overrunSeconds(elapsed, step.expect),
      assignee: assigned && typeof assigned.value === 'string' ? { to: assigned.value, by: assigned.by, at: assigned.at } : null,
      notes: notes.filter((n) => n.value.step === step.number).map((n) => ({ id: n.id, text: n.value.text, by: n.by, at: n.at })),
      evidence: evidence
        .filter((e) => e.value.step === step.number)
        .map((e) => ({ id: e.id, sha256: e.value.sha256, name: e.value.name, mime: e.value.mime, size: e.value.size, by: e.by, at: e.at })),
    };
  });
  const stateOf = (n: number) => base[n - 1]?.state;
  const steps: RunStep[] = base.map((step) => {
    const deps = waitingOn(step.after, stateOf);
    return { ...step, waitingOn: deps, waiting: deps.length > 0 && !RESOLVED.includes(step.state) };
  });

  const main = steps.filter((s) => !s.rollback);
  const back = steps.filter((s) => s.rollback);
  const rollback = rollbackView(state, back, doc, now);
  const progress = progressOf(main, now);
  const runState: RunState = rollback.finishedAt
    ? 'rolled_back'
    : rollback.started
      ? 'rolling_back'
      : main.length > 0 && progress.done + progress.skipped === main.length
        ? 'completed'
        : steps.some((s) => s.state !== 'pending')
          ? 'running'
          : 'not_started';
  const pool = runState === 'rolling_back' ? back : main;
  const focus =
    pool.find((s) => s.state === 'in_progress') ??
    pool.find((s) => (s.state === 'pending' || s.state === 'blocked' || s.state === 'failed') && !s.waiting) ??
    pool.find((s) => !RESOLVED.includes(s.state));

  let index = 0;
  const sections = doc.sections.map((section, i) => ({
    index: i,
    title: section.title,
    notes: section.notes,
    rollback: isRollbackTitle(section.title),
    target: section.target,
    steps: section.steps.map(() => (index += 1)),
  }));
  const attached = state.registers.doc?.values.at(-1);
  return {
    id,
    release: origin.release,
    title: doc.title,
    doc,
    origin,
    attached: latest(attached),
    sections,
    steps,
    progress,
    rollback,
    state: runState,
    focus: focus?.number ?? null,
    computedAt: new Date(now).toISOString(),
  };
}

function setItems<T>(state: EntityState, name: string): { id: string; value: T; by: Actor; at: string }[] {
  const set = state.sets[name];
  if (!set) return [];
  return Object.entries(set.added)
    .filter(([, w]) => !(set.removed[w.id] ?? []).includes(w.by.id))
    .map(([eventId, w]) => ({ id: eventId, value: w.value as T, by: w.by, at: w.at, hlc: w.hlc }))
    .sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0))
    .map(({ hlc: _hlc, ...rest }) => rest);
}

function rollbackView(state: EntityState, back: RunStep[], doc: RunbookDoc, now: number): RollbackView {
  const decision = fieldView<{ reason: string; target: number | null }>(state.registers.rollback);
  const mark = state.flags.rollback;
  const first = state.registers.rollback?.values.at(-1);
  const chosen = decision.value;
  const target = chosen?.target ?? rollbackTarget(doc);
  const started = mark && chosen ? { by: first!.by, at: mark.at, reason: chosen.reason } : null;
  const finished = started && back.length > 0 && back.every((s) => RESOLVED.includes(s.state));
  const finishedAt = finished ? back.map((s) => s.finishedAt ?? s.changed?.at ?? started.at).sort().at(-1)! : null;
  const clock = started ? rollbackClock(started.at, finishedAt, target, now) : null;
  const result = state.registers.rollbackResult?.values[0];
  const recorded = result ? { ...(result.value as unknown as { seconds: number; target: number | null; missed: boolean }), at: result.at } : null;
  return {
    steps: back.map((s) => s.number),
    target,
    started,
    conflict: decision.conflict,
    finishedAt,
    elapsed: clock?.elapsed ?? null,
    remaining: clock?.remaining ?? null,
    missed: recorded ? recorded.missed : (clock?.missed ?? null),
    recorded,
    progress: progressOf(back, now),
  };
}

/**
 * The same run a little later: running steps' elapsed and overrun, progress, ETA and the rollback
 * clock at `now`. A runner calls it every second instead of asking the core again.
 */
export function advanceRunView(run: RunView, now: number): RunView {
  const steps = run.steps.map((step) => {
    if (step.state !== 'in_progress' || !step.startedAt) return step;
    const elapsed = elapsedSeconds(step.startedAt, null, now);
    return { ...step, elapsed, overrun: overrunSeconds(elapsed, step.expect) };
  });
  const back = steps.filter((s) => s.rollback);
  const r = run.rollback;
  const clock = r.started ? rollbackClock(r.started.at, r.finishedAt, r.target, now) : null;
  return {
    ...run,
    steps,
    progress: progressOf(steps.filter((s) => !s.rollback), now),
    rollback: {
      ...r,
      elapsed: clock?.elapsed ?? null,
      remaining: clock?.remaining ?? null,
      missed: r.recorded ? r.recorded.missed : (clock?.missed ?? null),
      progress: progressOf(back, now),
    },
    computedAt: new Date(now).toISOString(),
  };
}

// ---- what a runner may do -----------------------------------------------------------------------

export const STEP_ACTIONS = ['start', 'done', 'skip', 'fail', 'block', 'reset'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

const FROM: Record<StepAction, readonly StepState[]> = {
  start: ['pending', 'blocked', 'failed'],
  done: ['pending', 'in_progress', 'blocked', 'failed'],
  skip: ['pending', 'in_progress', 'blocked', 'failed'],
  fail: ['pending', 'in_progress', 'blocked'],
  block: ['pending', 'in_progress'],
  reset: ['in_progress', 'done', 'skipped', 'failed', 'blocked'],
};

const STATE_WORDS: Record<StepState, string> = {
  pending: 'pending',
  in_progress: 'in progress',
  done: 'done',
  skipped: 'skipped',
  failed: 'failed',
  blocked: 'blocked',
};

export function stateLabel(state: StepState): string {
  return STATE_WORDS[state];
}

/**
 * Null when `action` may be applied to the step now, else a sentence saying why not. `force`
 * lets a runner start or finish a step whose dependencies are not done (it is recorded anyway).
 */
export function stepActionProblem(run: RunView, number: number, action: StepAction, releaseStatus: ReleaseStatus, force = false): string | null {
  const step = run.steps[number - 1];
  if (!step) return `This runbook has steps 1–${run.steps.length}; there is no step ${number}.`;
  // A release marked rolled back by hand mid-rollback still lets its rollback steps finish.
  const finishingRollback = releaseStatus === 'rolled_back' && step.rollback && run.rollback.started !== null && run.rollback.finishedAt === null;
  if (isTerminal(releaseStatus) && !finishingRollback) {
    return `The release is ${releaseStatus.replace('_', ' ')}: steps no longer change (notes and evidence still can).`;
  }
  if (step.rollback && !run.rollback.started && action !== 'reset') {
    return `Step ${number} belongs to the rollback plan: start the rollback first.`;
  }
  if (!FROM[action].includes(step.state)) {
    const verb = { start: 'start', done: 'complete', skip: 'skip', fail: 'fail', block: 'block', reset: 'reset' }[action];
    return `Cannot ${verb} step ${number}: it is ${STATE_WORDS[step.state]}${step.state === 'done' || step.state === 'skipped' ? ' (reset it first)' : ''}.`;
  }
  if ((action === 'start' || action === 'done') && step.waiting && !force) {
    const list = step.waitingOn.map((n) => `step ${n} (${STATE_WORDS[run.steps[n - 1]!.state]})`).join(', ');
    return `Step ${number} waits for ${list}; finish ${step.waitingOn.length > 1 ? 'those' : 'it'} first or force it.`;
  }
  return null;
}

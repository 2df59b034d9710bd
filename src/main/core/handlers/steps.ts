// Handlers for running a runbook: step states, notes, assignees, evidence and the rollback.
// Completing the last rollback step also records the time to restore and rolls the release
// back, in the same append (one transaction), so no device ever sees one without the other.
import { ApiError } from '../../../shared/api/errors.ts';
import { MAX_EVIDENCE_BYTES, type runbooksApi } from '../../../shared/api/runbooks.ts';
import { allowedTransitions, releaseFacts, type ReleaseFacts } from '../../../shared/domain/releases.ts';
import { RESOLVED, secondsBetween, stepActionProblem, type RunView, type StepAction } from '../../../shared/domain/runbooks.ts';
import { formatDuration } from '../../../shared/runbook-format/attributes.ts';
import { releaseView } from '../../../shared/events/views.ts';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../dispatch.ts';
import { decodeBase64, getBlob, putBlob } from '../runbooks/blobs.ts';
import { loadRun, resolveEntity, resolvePerson, runDetail, runIdsOf } from '../runbooks/read.ts';
import type { EventCommand } from '../store/index.ts';

interface Target {
  release: string;
  step: number | string;
  run?: string | undefined;
}

interface Located {
  release: ReleaseFacts;
  decision: ReturnType<typeof releaseView>['decision']['state'];
  run: RunView;
  number: number;
}

/** The run and step a request names: `3` (when one runbook has a step 3) or `run-…/3`. */
function locate(ctx: CoreContext, target: Target): Located {
  const { id, state } = resolveEntity(ctx, 'release', target.release);
  const release = releaseFacts(id, state);
  let runId = target.run;
  let number: number;
  if (typeof target.step === 'number') number = target.step;
  else {
    const m = /^(?:(.+)\/)?#?(\d{1,5})$/.exec(target.step);
    if (!m) throw new ApiError('invalid_input', `Name a step by its number (3) or id (run-…/3), not "${target.step}".`, 'step');
    number = Number(m[2]);
    if (m[1]) runId = m[1];
  }
  let views: RunView[];
  if (runId) {
    const view = loadRun(ctx, runId);
    if (view.release !== id) throw new ApiError('invalid_input', `Runbook ${view.id} belongs to release ${view.release}, not ${id}.`, 'run');
    views = [view];
  } else {
    const runs = runIdsOf(ctx, id);
    if (runs.length === 0) throw new ApiError('not_found', `Release ${id} has no runbook yet: attach one (\`warroom runbook import FILE --release ${id}\`).`, 'release');
    views = runs.map((r) => loadRun(ctx, r)).filter((v) => v.steps.length >= number);
  }
  if (views.length === 0 || number < 1) throw new ApiError('not_found', `Release ${id} has no step ${number}.`, 'step');
  if (views.length > 1) {
    const list = views.map((v) => `${v.id}/${number} (“${v.steps[number - 1]!.title}” in ${v.title})`).join(', ');
    throw new ApiError('invalid_input', `Release ${id} has ${views.length} runbooks with a step ${number}: name it as ${list}.`, 'step');
  }
  const run = views[0]!;
  if (!run.steps[number - 1]) throw new ApiError('not_found', `${run.title} has steps 1–${run.steps.length}; there is no step ${number}.`, 'step');
  return { release, decision: releaseView(state).decision.state, run, number };
}

function stepData(at: Located, extra: Record<string, unknown> = {}) {
  return { release: at.release.id, step: at.number, title: at.run.steps[at.number - 1]!.title, ...extra };
}

const EVENT_OF: Record<StepAction, string> = {
  start: 'step.started',
  done: 'step.completed',
  skip: 'step.skipped',
  fail: 'step.failed',
  block: 'step.blocked',
  reset: 'step.reset',
};

function act(ctx: CoreContext, target: Target, action: StepAction, extra: { note?: string | undefined; reason?: string | undefined; force?: boolean }) {
  const at = locate(ctx, target);
  const problem = stepActionProblem(at.run, at.number, action, at.release.status, extra.force ?? false);
  if (problem) throw new ApiError('conflict', problem, 'step');
  const entity = { kind: 'run', id: at.run.id };
  const data: Record<string, unknown> = {};
  if (extra.reason) data.reason = extra.reason;
  if (action === 'done' && extra.note) data.note = extra.note;
  const ahead = at.run.steps[at.number - 1]!.waitingOn;
  if ((action === 'start' || action === 'done') && ahead.length > 0) data.forced = ahead;
  const commands: EventCommand[] = [{ type: EVENT_OF[action], entity, data: stepData(at, data) }];
  if (action !== 'done' && extra.note) commands.push({ type: 'step.noted', entity, data: stepData(at, { text: extra.note }) });
  commands.push(...rollbackCompletion(ctx, at, action));
  ctx.store.appendEvents(commands);
  return runDetail(ctx, loadRun(ctx, at.run.id));
}

/** When this action finishes the last open rollback step: the time to restore, and rolled back. */
function rollbackCompletion(ctx: CoreContext, at: Located, action: StepAction): EventCommand[] {
  const { run, number, release } = at;
  const step = run.steps[number - 1]!;
  const started = run.rollback.started;
  if (!step.rollback || !started || run.rollback.recorded || (action !== 'done' && action !== 'skip')) return [];
  const others = run.steps.filter((s) => s.rollback && s.number !== number);
  if (!others.every((s) => RESOLVED.includes(s.state))) return [];
  const seconds = secondsBetween(started.at, new Date(ctx.now()).toISOString());
  const target = run.rollback.target;
  const missed = target !== null && seconds > target;
  const out: EventCommand[] = [{ type: 'rollback.finished', entity: { kind: 'run', id: run.id }, data: { release: release.id, seconds, target, missed } }];
  if (allowedTransitions(release, { decision: at.decision }).includes('rolled_back')) {
    const verdict = target === null ? '' : missed ? `, missing the ${formatDuration(target)} target` : `, within the ${formatDuration(target)} target`;
    out.push({
      type: 'release.transitioned',
      entity: { kind: 'release', id: release.id },
      data: { from: release.status, to: 'rolled_back', reason: `Rollback of “${run.title}” finished in ${formatDuration(seconds) || '0s'}${verdict}.` },
    });
  }
  return out;
}

export const stepHandlers = {
  'step.start': (input, ctx) => act(ctx, input, 'start', { note: input.note, force: input.force }),
  'step.done': (input, ctx) => act(ctx, input, 'done', { note: input.note, force: input.force }),
  'step.skip': (input, ctx) => act(ctx, input, 'skip', { reason: input.reason }),
  'step.fail': (input, ctx) => act(ctx, input, 'fail', { reason: input.reason }),
  'step.block': (input, ctx) => act(ctx, input, 'block', { reason: input.reason }),
  'step.reset': (input, ctx) => act(ctx, input, 'reset', { reason: input.reason }),

  'step.note': (input, ctx) => {
    const at = locate(ctx, input);
    ctx.store.appendEvents([{ type: 'step.noted', entity: { kind: 'run', id: at.run.id }, data: stepData(at, { text: input.text }) }]);
    return runDetail(ctx, loadRun(ctx, at.run.id));
  },

  'step.assign': (input, ctx) => {
    const at = locate(ctx, input);
    const to = input.to === null ? null : resolvePerson(ctx, input.to);
    if ((at.run.steps[at.number - 1]!.assignee?.to ?? null) !== to) {
      ctx.store.appendEvents([{ type: 'step.assigned', entity: { kind: 'run', id: at.run.id }, data: stepData(at, { to }) }]);
    }
    return runDetail(ctx, loadRun(ctx, at.run.id));
  },

  'step.attach': (input, ctx) => {
    const at = locate(ctx, input);
    const bytes = decodeBase64(input.base64, 'base64');
    if (bytes.length > MAX_EVIDENCE_BYTES) throw new ApiError('invalid_input', `Evidence is at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MiB; this file is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB.`, 'base64');
    // The bytes land first: an event must never name a blob that is not on disk.
    const sha256 = putBlob(ctx.dataDir, bytes);
    ctx.store.appendEvents([
      { type: 'step.evidence_added', entity: { kind: 'run', id: at.run.id }, data: stepData(at, { sha256, name: input.name, mime: input.mime, size: bytes.length }) },
    ]);
    return runDetail(ctx, loadRun(ctx, at.run.id));
  },

  'evidence.get': (input, ctx) => {
    const bytes = getBlob(ctx.dataDir, input.sha256);
    return { sha256: input.sha256, size: bytes.length, base64: bytes.toString('base64') };
  },

  'rollback.start': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.release);
    const release = releaseFacts(id, state);
    if (release.status !== 'deploying' && release.status !== 'stabilizing') {
      throw new ApiError('conflict', `A rollback starts while deploying or stabilizing; release ${id} is ${release.status.replace('_', ' ')}.`, 'release');
    }
    let runs = (input.run ? [loadRun(ctx, input.run)] : runIdsOf(ctx, id).map((r) => loadRun(ctx, r))).filter((v) => v.release === id);
    if (input.run && runs.length === 0) throw new ApiError('invalid_input', `Runbook ${input.run} does not belong to release ${id}.`, 'run');
    runs = runs.filter((v) => v.rollback.steps.length > 0);
    if (runs.length === 0) throw new ApiError('conflict', `No runbook of release ${id} has a Rollback section to run.`, 'run');
    const open = runs.filter((v) => !v.rollback.started);
    if (open.length === 0) {
      const s = runs[0]!.rollback.started!;
      throw new ApiError('conflict', `The rollback already started at ${s.at} (${s.by.name}: ${s.reason}).`, 'run');
    }
    if (open.length > 1) throw new ApiError('invalid_input', `Release ${id} has ${open.length} runbooks with a rollback plan (${open.map((v) => v.id).join(', ')}): name one as run.`, 'run');
    const run = open[0]!;
    const target = input.target ?? run.rollback.target;
    ctx.store.appendEvents([{ type: 'rollback.started', entity: { kind: 'run', id: run.id }, data: { release: id, reason: input.reason, target } }]);
    return runDetail(ctx, loadRun(ctx, run.id));
  },
} satisfies Omit<HandlersOf<typeof runbooksApi, CoreContext>, 'runbook.import' | 'runbook.export' | 'runbook.list' | 'runbook.get' | 'runbook.saveTemplate' | 'runbook.archive' | 'runbook.attach'>;

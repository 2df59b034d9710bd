// The stabilization session of a release: after deployment it runs for a set period with a
// countdown, exit criteria, shift hand-offs and a close that needs every criterion met. Reads
// the folded registers (see metric-events.ts) and writes events; the release's lifecycle moves
// (deploying → stabilizing, stabilizing → closed) are appended together with the session events.
import { ApiError } from '../../../shared/api/errors.ts';
import type { StabilizationView } from '../../../shared/api/metrics.ts';
import { STATUS_LABELS, releaseFacts, transitionProblem, type ReleaseFacts } from '../../../shared/domain/releases.ts';
import type { EntityState } from '../../../shared/events/fold.ts';
import { fieldView, releaseView } from '../../../shared/events/views.ts';
import { DEFAULT_EXIT_CRITERIA } from '../../../shared/metrics/model.ts';
import type { CoreContext } from '../context.ts';
import { allEvents } from '../runbooks/read.ts';
import type { EventCommand } from '../store/index.ts';

interface Session {
  startedAt: number;
  durationSeconds: number;
  criteria: { id: string; text: string }[];
}

const onRelease = (id: string) => ({ kind: 'release', id }) as const;

/** "Error rate and latency within baseline" → "error-rate-and-latency-within-baseline", unique in `taken`. */
export function slugify(text: string, taken: Set<string>): string {
  const base = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56).replace(/-+$/, '') || 'criterion';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

function sessionOf(state: EntityState): Session | null {
  return fieldView<Session | null>(state.registers.stabilization).value;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The session as shown: countdown from now, criteria with who ticked them, hand-offs, blockers. */
export function stabilizationView(ctx: CoreContext, release: string, state: EntityState): StabilizationView | null {
  const session = sessionOf(state);
  if (!session) return null;
  const endsAt = session.startedAt + session.durationSeconds * 1000;
  const criteria = session.criteria.map((c) => {
    const field = fieldView<{ done: boolean; note: string | null } | null>(state.registers[`exit.${c.id}`]);
    const latest = field.values[0];
    return { id: c.id, text: c.text, done: field.value?.done ?? false, note: field.value?.note ?? null, by: latest?.by ?? null, at: latest?.at ?? null };
  });
  const handoffs = allEvents(ctx, { release, type: 'stabilization.handoff' }).map((e) => {
    const d = e.data as { from: string; to: string; notes: string; watch?: string };
    return { id: e.id, at: e.at, by: e.actor, from: d.from, to: d.to, notes: d.notes, watch: d.watch ?? null };
  });
  const closedField = fieldView<{ note: string | null } | null>(state.registers.stabilizationClosed);
  const closedBy = closedField.values[0];
  const closed = closedField.value && closedBy ? { at: closedBy.at, by: closedBy.by, note: closedField.value.note } : null;
  return {
    startedAt: iso(session.startedAt),
    endsAt: iso(endsAt),
    durationSeconds: session.durationSeconds,
    remainingSeconds: Math.max(0, Math.ceil((endsAt - ctx.now()) / 1000)),
    criteria,
    handoffs,
    closed,
    blockers: closed ? [] : criteria.filter((c) => !c.done).map((c) => `Exit criterion “${c.text}” is not met.`),
  };
}

/** The open session of a live release, or a refusal saying why there is none. */
function openSession(ctx: CoreContext, id: string, state: EntityState): { facts: ReleaseFacts; view: StabilizationView; session: Session } {
  const facts = releaseFacts(id, state);
  const session = sessionOf(state);
  const view = stabilizationView(ctx, id, state);
  if (!session || !view) throw new ApiError('conflict', `Release ${id} has no stabilization session: start one (\`warroom stabilize ${id} --hours 24\`).`, 'release');
  if (view.closed) throw new ApiError('conflict', `The stabilization of release ${id} was closed at ${view.closed.at} by ${view.closed.by.name}.`, 'release');
  if (facts.status !== 'stabilizing') throw new ApiError('conflict', `Release ${id} is ${STATUS_LABELS[facts.status]}: its stabilization session no longer runs.`, 'release');
  return { facts, view, session };
}

export function startCommands(ctx: CoreContext, id: string, state: EntityState, durationSeconds: number, texts: readonly string[] | undefined): EventCommand[] {
  const facts = releaseFacts(id, state);
  if (facts.status !== 'deploying' && facts.status !== 'stabilizing') {
    throw new ApiError('conflict', `Stabilization starts after deployment; release ${id} is ${STATUS_LABELS[facts.status]}.`, 'release');
  }
  const existing = stabilizationView(ctx, id, state);
  if (existing && !existing.closed) throw new ApiError('conflict', `Release ${id} already has a stabilization session (started ${existing.startedAt}, ends ${existing.endsAt}).`, 'release');
  const taken = new Set<string>();
  const criteria = [...new Set((texts ?? DEFAULT_EXIT_CRITERIA).map((t) => t.trim()))].map((text) => ({ id: slugify(text, taken), text }));
  const commands: EventCommand[] = [{ type: 'stabilization.started', entity: onRelease(id), data: { startedAt: ctx.now(), durationSeconds, criteria } }];
  if (facts.status === 'deploying') {
    const hours = Math.round((durationSeconds / 3600) * 10) / 10;
    const reason = `stabilization started (${hours} h)`;
    const problem = transitionProblem(facts, 'stabilizing', reason, { decision: releaseView(state).decision.state });
    if (problem) throw new ApiError('conflict', problem, 'release');
    commands.push({ type: 'release.transitioned', entity: onRelease(id), data: { from: facts.status, to: 'stabilizing', reason } });
  }
  return commands;
}

export function checkCommands(ctx: CoreContext, id: string, state: EntityState, criterion: string, done: boolean, note: string | undefined): EventCommand[] {
  const { session } = openSession(ctx, id, state);
  const found = session.criteria.find((c) => c.id === criterion);
  if (!found) throw new ApiError('not_found', `The stabilization has no exit criterion "${criterion}" (it has ${session.criteria.map((c) => c.id).join(', ') || 'none'}).`, 'criterion');
  return [{ type: 'stabilization.checked', entity: onRelease(id), data: { criterion, text: found.text, done, ...(note ? { note } : {}) } }];
}

export function handoffCommands(ctx: CoreContext, id: string, state: EntityState, handoff: { from: string; to: string; notes: string; watch?: string | undefined }): EventCommand[] {
  openSession(ctx, id, state);
  const data = { from: handoff.from, to: handoff.to, notes: handoff.notes, ...(handoff.watch ? { watch: handoff.watch } : {}) };
  return [{ type: 'stabilization.handoff', entity: onRelease(id), data }];
}

export function closeCommands(ctx: CoreContext, id: string, state: EntityState, note: string | undefined): EventCommand[] {
  const { facts, view } = openSession(ctx, id, state);
  const open = view.criteria.filter((c) => !c.done);
  if (open.length > 0) {
    throw new ApiError(
      'conflict',
      `Stabilization cannot close: ${open.length} exit criteri${open.length === 1 ? 'on is' : 'a are'} not met: ${open.map((c) => `“${c.text}” (${c.id})`).join(', ')}. Tick ${open.length === 1 ? 'it' : 'them'} first.`,
      'criteria',
    );
  }
  const reason = `stabilization closed${note ? `: ${note}` : ''}`.slice(0, 2000);
  const problem = transitionProblem(facts, 'closed', reason, { decision: releaseView(state).decision.state });
  if (problem) throw new ApiError('conflict', problem, 'release');
  return [
    { type: 'stabilization.closed', entity: onRelease(id), data: { criteria: view.criteria.length, ...(note ? { note } : {}) } },
    { type: 'release.transitioned', entity: onRelease(id), data: { from: facts.status, to: 'closed', reason } },
  ];
}

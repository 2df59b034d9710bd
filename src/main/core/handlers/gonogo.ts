// Handlers for go/no-go: every answer, sign-off and decision is an event on the release. The
// checks here refuse early with the rule that applies; the same rules run again in the board
// (a pure function of the log), which is what counts for events ingested from other devices.
import { ApiError } from '../../../shared/api/errors.ts';
import type { gonogoApi, GoNoGoDetail } from '../../../shared/api/gonogo.ts';
import { releaseFacts, transitionProblem, type ReleaseStatus } from '../../../shared/domain/releases.ts';
import { SIGNING_ROLES, fieldView } from '../../../shared/events/views.ts';
import { exceptionNeeded } from '../../../shared/gonogo/board.ts';
import { DEFAULT_TEMPLATE_ID, SIGNOFF_ROLE_LABELS, type Answer } from '../../../shared/gonogo/checklist.ts';
import { JUnitError, parseJUnit } from '../../../shared/gonogo/junit.ts';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../dispatch.ts';
import { autoAnswers } from '../gonogo/auto.ts';
import { answerHistory, checklistTemplate, checklistTemplates, gonogoDetail } from '../gonogo/read.ts';
import { decodeBase64, putBlob } from '../runbooks/blobs.ts';
import { newId } from '../runbooks/ids.ts';
import { resolveEntity } from '../runbooks/read.ts';
import type { EventCommand } from '../store/index.ts';

const onRelease = (id: string) => ({ kind: 'release', id }) as const;

function reread(ctx: CoreContext, id: string): GoNoGoDetail {
  return gonogoDetail(ctx, id, ctx.store.entity('release', id)!);
}

function requireChecklist(detail: GoNoGoDetail): void {
  if (!detail.checklist) throw new ApiError('conflict', `Release ${detail.release} has no checklist yet: attach one first (\`warroom gonogo attach ${detail.release}\`).`, 'release');
}

export const gonogoHandlers = {
  'gonogo.get': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.release);
    return gonogoDetail(ctx, id, state);
  },

  'gonogo.templates': (_input, ctx) => checklistTemplates(ctx),

  'gonogo.template': (input, ctx) => checklistTemplate(ctx, input.id, input.version),

  'gonogo.saveTemplate': (input, ctx) => {
    let id = input.id;
    if (id === undefined || id === DEFAULT_TEMPLATE_ID) id = newId('chk');
    else if (!ctx.store.entity('checklist', id)) throw new ApiError('not_found', `No checklist template "${id}"; leave out the id to create one.`, 'id');
    ctx.store.appendEvents([{ type: 'checklist.saved', entity: { kind: 'checklist', id }, data: { doc: input.doc } }]);
    return checklistTemplate(ctx, id);
  },

  'gonogo.attach': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.release);
    const template = checklistTemplate(ctx, input.template);
    ctx.store.appendEvents([
      { type: 'checklist.attached', entity: onRelease(id), data: { doc: template.doc, template: { id: template.id, version: template.version, event: template.event } } },
    ]);
    const auto = autoAnswers(ctx, id, ctx.store.entity('release', id)!);
    if (auto.length) ctx.store.appendEvents(auto);
    return reread(ctx, id);
  },

  'gonogo.requireRoles': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.release);
    ctx.store.appendEvents([{ type: 'signoffs.required', entity: onRelease(id), data: { roles: [...new Set(input.roles)] } }]);
    return reread(ctx, id);
  },

  'gonogo.answer': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.release);
    const detail = gonogoDetail(ctx, id, state);
    requireChecklist(detail);
    const criterion = detail.groups.flatMap((g) => g.criteria).find((c) => c.id === input.criterion);
    if (!criterion) {
      const ids = detail.groups.flatMap((g) => g.criteria.map((c) => c.id));
      throw new ApiError('not_found', `The checklist has no criterion "${input.criterion}" (it has ${ids.join(', ')}).`, 'criterion');
    }
    if (ctx.store.profile()?.role === 'observer') throw new ApiError('forbidden', 'Observers do not answer go/no-go criteria.', 'criterion');
    let evidence: Record<string, unknown> | undefined;
    if (input.evidence && 'url' in input.evidence) evidence = { url: input.evidence.url };
    else if (input.evidence) {
      const bytes = decodeBase64(input.evidence.base64, 'evidence.base64');
      evidence = { sha256: putBlob(ctx.dataDir, bytes), name: input.evidence.name, mime: input.evidence.mime, size: bytes.length };
    }
    const current = criterion.answer;
    const same = current && !criterion.conflict && current.answer === input.answer && current.comment === (input.comment ?? null) && !evidence && !current.auto;
    if (!same) {
      const data = { criterion: criterion.id, answer: input.answer as Answer, as: criterion.role, ...(input.comment ? { comment: input.comment } : {}), ...(evidence ? { evidence } : {}) };
      ctx.store.appendEvents([{ type: 'criterion.answered', entity: onRelease(id), data }]);
    }
    return reread(ctx, id);
  },

  'gonogo.history': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.release);
    return answerHistory(ctx, id, input.criterion);
  },

  'gonogo.signoff': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.release);
    const detail = gonogoDetail(ctx, id, state);
    const you = detail.you;
    if (!you) throw new ApiError('no_profile', 'Set up who you are first.');
    const label = SIGNOFF_ROLE_LABELS[input.role];
    if (!SIGNING_ROLES.includes(you.role)) throw new ApiError('forbidden', `Refused: only approvers and leads sign off; you are ${you.role === 'engineer' ? 'an' : 'a'} ${you.role}.`, 'role');
    if (you.mayNotSign) throw new ApiError('forbidden', `Refused: ${you.mayNotSign}.`, 'role');
    if (!detail.requiredRoles.includes(input.role)) {
      const needed = detail.requiredRoles.map((r) => SIGNOFF_ROLE_LABELS[r].toLowerCase()).join(', ') || 'none';
      throw new ApiError('invalid_input', `Release ${id} does not need a ${label.toLowerCase()} sign-off (needed: ${needed}).`, 'role');
    }
    const row = detail.roles.find((r) => r.role === input.role)!;
    if (row.signoffs.some((s) => s.by.id === you.id && s.rejected === null)) throw new ApiError('conflict', `You already signed off as ${label.toLowerCase()}.`, 'role');
    ctx.store.appendEvents([{ type: 'signoff.given', entity: onRelease(id), data: { as: input.role } }]);
    return reread(ctx, id);
  },

  'gonogo.withdraw': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.release);
    const detail = gonogoDetail(ctx, id, state);
    const all = [...detail.roles.flatMap((r) => r.signoffs), ...detail.otherSignoffs];
    const unique = [...new Map(all.map((s) => [s.id, s])).values()];
    const me = detail.you?.id;
    const target = unique.find((s) => s.id === input.signoff) ?? unique.find((s) => s.as === input.signoff && s.by.id === me);
    if (!target) throw new ApiError('not_found', `No current sign-off "${input.signoff}" of yours on release ${id}.`, 'signoff');
    // The fold only honours a withdrawal by the signer; refusing here says so instead of recording a no-op.
    if (target.by.id !== me) throw new ApiError('forbidden', `Only ${target.by.name} can withdraw their sign-off.`, 'signoff');
    ctx.store.appendEvents([{ type: 'signoff.withdrawn', entity: onRelease(id), data: { of: target.id, reason: input.reason } }]);
    return reread(ctx, id);
  },

  'gonogo.decide': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.release);
    const detail = gonogoDetail(ctx, id, state);
    const facts = releaseFacts(id, state);
    const conflict = detail.decision.state === 'decision_conflict';
    if (conflict && !input.resolveConflict) {
      const both = detail.decision.values.map((v) => `${v.outcome} by ${v.by.name}`).join(' and ');
      throw new ApiError('conflict', `Decisions were recorded concurrently (${both}): decide again to settle them (resolveConflict, or --resolve on the CLI).`, 'outcome');
    }
    if (!conflict && facts.status !== 'go_no_go') throw new ApiError('conflict', `Release ${id} is ${detail.statusLabel}: move it to go/no-go before deciding.`, 'release');
    const open = exceptionNeeded(detail);
    const going = input.outcome !== 'no_go';
    if (going && open.length > 0 && !input.exception) {
      throw new ApiError('conflict', `A go with open items needs an explicit exception with its reason: ${open.map((b) => b.text).join(' ')}`, 'exception');
    }
    const target: ReleaseStatus = going ? 'deploying' : 'scheduled';
    const statusField = fieldView(state.registers.status);
    const reason = going ? `go/no-go: ${input.outcome.replace(/_/g, ' ')}` : `no-go: ${input.rationale}`;
    const commands: EventCommand[] = [
      {
        type: 'decision.made',
        entity: onRelease(id),
        data: {
          outcome: input.outcome,
          rationale: input.rationale,
          ...(input.conditions ? { conditions: input.conditions } : {}),
          ...(going && open.length > 0 ? { exception: input.exception } : {}),
          basis: {
            open: detail.blockers.filter((b) => b.kind === 'criterion_open' || b.kind === 'criterion_failed' || b.kind === 'no_checklist' || b.kind === 'answer_conflict').map((b) => b.text.slice(0, 300)),
            missing: detail.roles.filter((r) => !r.signed).map((r) => r.role),
            invalid: detail.invalidSignoffs.map((s) => `${s.by.name} as ${s.label}: ${s.rejected}`.slice(0, 300)),
          },
        },
        ...(conflict ? { pred: detail.decision.values.map((v) => v.event) } : {}),
      },
    ];
    if (facts.status !== target || statusField.conflict) {
      const problem = statusField.conflict ? null : transitionProblem(facts, target, reason, { decision: input.outcome });
      if (problem && going) throw new ApiError('conflict', problem, 'outcome');
      // A no-go on a release without a window stays at go/no-go: the decision is still recorded.
      if (!problem) {
        commands.push({ type: 'release.transitioned', entity: onRelease(id), data: { from: facts.status, to: target, reason }, ...(statusField.conflict ? { pred: statusField.values.map((v) => v.id) } : {}) });
      }
    }
    ctx.store.appendEvents(commands);
    return reread(ctx, id);
  },

  'gonogo.importJunit': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.release);
    let summary;
    try {
      summary = parseJUnit(input.xml);
    } catch (error) {
      if (error instanceof JUnitError) throw new ApiError('invalid_input', `${input.name}: ${error.message}`, 'xml');
      throw error;
    }
    const sha256 = putBlob(ctx.dataDir, Buffer.from(input.xml, 'utf8'));
    ctx.store.appendEvents([{ type: 'testreport.imported', entity: onRelease(id), data: { name: input.name, sha256, ...summary } }]);
    const auto = autoAnswers(ctx, id, ctx.store.entity('release', id)!);
    if (auto.length) ctx.store.appendEvents(auto);
    return reread(ctx, id);
  },

  'gonogo.evaluate': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.release);
    const auto = autoAnswers(ctx, id, state, input.samples ?? {});
    if (auto.length) ctx.store.appendEvents(auto);
    return reread(ctx, id);
  },
} satisfies HandlersOf<typeof gonogoApi, CoreContext>;

// Read side of go/no-go: who holds which duty on a release (from its events), the board, the
// checklist templates and answer history. No tables of its own: all of it is the log, folded.
import { ApiError } from '../../../shared/api/errors.ts';
import type { AnswerHistoryItem, ChecklistTemplateDetail, ChecklistTemplateSummary, GoNoGoDetail } from '../../../shared/api/gonogo.ts';
import { STATUS_LABELS, releaseFacts } from '../../../shared/domain/releases.ts';
import type { EntityState } from '../../../shared/events/fold.ts';
import { fieldView } from '../../../shared/events/views.ts';
import { buildBoard, segregationProblem, type Duties, type Party } from '../../../shared/gonogo/board.ts';
import { DEFAULT_CHECKLIST, DEFAULT_TEMPLATE_ID, type Answer, type ChecklistDoc, type SignoffRole } from '../../../shared/gonogo/checklist.ts';
import type { SectionInput } from '../../../shared/gonogo/rules.ts';
import type { CoreContext } from '../context.ts';
import { allEvents, loadRun, people, runIdsOf } from '../runbooks/read.ts';

/** Creator, deployers (assigned or completed a step) and change authors (owner, scope writers). */
export function dutiesOf(ctx: CoreContext, release: string, state: EntityState): Duties {
  const names = new Map(people(ctx).map((p) => [p.id, p.name]));
  const party = (idOrText: string, did: string): Party => (names.has(idOrText) ? { id: idOrText, name: names.get(idOrText)!, did } : { id: null, name: idOrText, did });
  const creators: Party[] = [];
  const changeAuthors: Party[] = [];
  for (const e of allEvents(ctx, { entity: { kind: 'release', id: release }, type: 'release.created' })) {
    creators.push({ id: e.actor.id, name: e.actor.name, did: 'created the release' });
    if (typeof e.data.scope === 'string' && e.data.scope.trim()) changeAuthors.push({ id: e.actor.id, name: e.actor.name, did: 'wrote the change scope' });
  }
  for (const e of allEvents(ctx, { entity: { kind: 'release', id: release }, type: 'release.updated' })) {
    if (e.data.field === 'scope' && typeof e.data.value === 'string' && e.data.value.trim()) changeAuthors.push({ id: e.actor.id, name: e.actor.name, did: 'wrote the change scope' });
  }
  for (const owner of fieldView<string>(state.registers.owner).values) {
    if (typeof owner.value === 'string' && owner.value.trim()) changeAuthors.push(party(owner.value, 'owns the change'));
  }
  const deployers: Party[] = [];
  const runs = runIdsOf(ctx, release).map((id) => loadRun(ctx, id));
  for (const run of runs) {
    for (const step of run.steps) if (step.assignee) deployers.push(party(step.assignee.to, `is assigned step ${step.number} of ${run.title}`));
  }
  for (const e of allEvents(ctx, { release, type: 'step.completed' })) {
    const run = runs.find((r) => r.id === e.entity.id);
    deployers.push({ id: e.actor.id, name: e.actor.name, did: `completed step ${String(e.data.step)}${run ? ` of ${run.title}` : ''}` });
  }
  return { creators, deployers, changeAuthors };
}

/** Every runbook section of the release with its steps' states (for runbook_section rules). */
export function sectionsOf(ctx: CoreContext, release: string): SectionInput[] {
  return runIdsOf(ctx, release).flatMap((id) => {
    const run = loadRun(ctx, id);
    return run.sections.map((s) => ({
      run: run.id,
      runTitle: run.title,
      section: s.title,
      steps: s.steps.map((n) => run.steps[n - 1]!).map((step) => ({ number: step.number, title: step.title, state: step.state })),
    }));
  });
}

export function gonogoDetail(ctx: CoreContext, id: string, state: EntityState): GoNoGoDetail {
  const duties = dutiesOf(ctx, id, state);
  const facts = releaseFacts(id, state);
  const profile = ctx.store.profile();
  const board = buildBoard(id, state, duties);
  if (board.decision.values.length > 0) {
    const events = new Map(allEvents(ctx, { entity: { kind: 'release', id }, type: 'decision.made' }).map((e) => [e.id, e.data]));
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    for (const v of board.decision.values) {
      const data = events.get(v.event) ?? {};
      Object.assign(v, { rationale: text(data.rationale ?? data.reason), conditions: text(data.conditions), exception: text(data.exception) });
    }
  }
  return {
    ...board,
    name: facts.name,
    version: facts.version,
    status: facts.status,
    statusLabel: STATUS_LABELS[facts.status],
    you: profile ? { id: profile.id, name: profile.name, role: profile.role, mayNotSign: segregationProblem(profile, duties)?.text ?? null } : null,
    computedAt: new Date(ctx.now()).toISOString(),
  };
}

interface TemplateVersionRecord {
  version: number;
  event: string;
  at: string;
  by: ChecklistTemplateDetail['updatedBy'];
  doc: ChecklistDoc;
}

function versionsOf(ctx: CoreContext, id: string): TemplateVersionRecord[] {
  return allEvents(ctx, { entity: { kind: 'checklist', id }, type: 'checklist.saved' }).map((e, i) => ({
    version: i + 1,
    event: e.id,
    at: e.at,
    by: e.actor,
    doc: e.data.doc as unknown as ChecklistDoc,
  }));
}

const builtIn = (): ChecklistTemplateDetail => ({
  id: DEFAULT_TEMPLATE_ID,
  title: DEFAULT_CHECKLIST.title,
  version: 0,
  versions: 1,
  criteria: DEFAULT_CHECKLIST.criteria.length,
  builtIn: true,
  updatedAt: null,
  updatedBy: null,
  doc: DEFAULT_CHECKLIST,
  event: null,
});

export function checklistTemplate(ctx: CoreContext, id: string, version?: number): ChecklistTemplateDetail {
  if (id === DEFAULT_TEMPLATE_ID) {
    if (version !== undefined && version !== 0) throw new ApiError('not_found', 'The shipped default checklist has only version 0.', 'version');
    return builtIn();
  }
  const state = ctx.store.entity('checklist', id);
  if (!state || !('created' in state.flags)) throw new ApiError('not_found', `No checklist template "${id}" (\`warroom gonogo templates\` lists them).`, 'template');
  const versions = versionsOf(ctx, id);
  const currentId = fieldView(state.registers.doc).values[0]?.id;
  const current = versions.find((v) => v.event === currentId) ?? versions[versions.length - 1]!;
  const shown = version === undefined ? current : versions.find((v) => v.version === version);
  if (!shown) throw new ApiError('not_found', `Checklist ${id} has versions 1–${versions.length}; there is no version ${version}.`, 'version');
  return { id, title: shown.doc.title, version: shown.version, versions: versions.length, criteria: shown.doc.criteria.length, builtIn: false, updatedAt: shown.at, updatedBy: shown.by, doc: shown.doc, event: shown.event };
}

export function checklistTemplates(ctx: CoreContext): ChecklistTemplateSummary[] {
  const strip = ({ doc: _doc, event: _event, ...rest }: ChecklistTemplateDetail): ChecklistTemplateSummary => rest;
  const own = ctx.store
    .entities('checklist')
    .filter((e) => 'created' in e.state.flags)
    .map((e) => strip(checklistTemplate(ctx, e.id)))
    .sort((a, b) => a.title.localeCompare(b.title));
  return [strip(builtIn()), ...own];
}

export function answerHistory(ctx: CoreContext, release: string, criterion?: string): AnswerHistoryItem[] {
  return allEvents(ctx, { entity: { kind: 'release', id: release }, type: 'criterion.answered' })
    .filter((e) => criterion === undefined || e.data.criterion === criterion)
    .map((e) => ({
      event: e.id,
      criterion: String(e.data.criterion),
      answer: e.data.answer as Answer,
      as: e.data.as as SignoffRole,
      comment: typeof e.data.comment === 'string' ? e.data.comment : null,
      evidence: e.data.evidence ?? null,
      auto: e.data.auto !== undefined,
      by: e.actor,
      at: e.at,
      replaces: e.pred ?? [],
    }));
}

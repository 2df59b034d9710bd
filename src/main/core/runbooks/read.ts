// Read models for releases, templates and runs, built from the store's folded entities and its
// indexed timeline (runs of a release, versions of a template). No tables of their own: what
// the UI reads is always a pure function of the log.
import { ApiError } from '../../../shared/api/errors.ts';
import type { PersonSummary, ReleaseDetail, ReleaseSummary, RunSummary } from '../../../shared/api/releases.ts';
import type { RunDetail, TemplateDetail, TemplateSummary, TemplateVersion } from '../../../shared/api/runbooks.ts';
import type { TimelineItem, TimelineQuery } from '../../../shared/api/store.ts';
import {
  STATUS_LABELS,
  allowedTransitions,
  releaseFacts,
  releaseFieldViews,
  transitionOptions,
  type ReleaseFacts,
} from '../../../shared/domain/releases.ts';
import { buildRunView, type RunView } from '../../../shared/domain/runbooks.ts';
import type { EntityState } from '../../../shared/events/fold.ts';
import { fieldView, personView, releaseView } from '../../../shared/events/views.ts';
import { numberSteps, rollbackTarget, type RunbookDoc } from '../../../shared/runbook-format/model.ts';
import type { CoreContext } from '../context.ts';

type Kind = 'release' | 'runbook' | 'run';
const WHAT: Record<Kind, { noun: string; hint: string }> = {
  release: { noun: 'release', hint: '`warroom release list` shows them' },
  runbook: { noun: 'runbook template', hint: '`warroom runbook list` shows them' },
  run: { noun: 'runbook run', hint: '`warroom release show ID` lists a release’s runbooks' },
};

/** An entity by id or by a unique prefix of its id (people type short ids). */
export function resolveEntity(ctx: CoreContext, kind: Kind, text: string): { id: string; state: EntityState } {
  const exact = ctx.store.entity(kind, text);
  if (exact && 'created' in exact.flags) return { id: text, state: exact };
  const matches = text.length >= 3 ? ctx.store.entities(kind).filter((e) => e.id.startsWith(text) && 'created' in e.state.flags) : [];
  if (matches.length === 1) return matches[0]!;
  const { noun, hint } = WHAT[kind];
  if (matches.length > 1) throw new ApiError('invalid_input', `"${text}" matches ${matches.length} ${noun}s (${matches.slice(0, 5).map((m) => m.id).join(', ')}); give more of the id.`);
  throw new ApiError('not_found', `No ${noun} "${text}" on this device (${hint}).`);
}

/** Every page of a timeline query, oldest first. */
export function allEvents(ctx: CoreContext, query: Omit<TimelineQuery, 'cursor' | 'limit'>): TimelineItem[] {
  const out: TimelineItem[] = [];
  let cursor: string | undefined;
  do {
    const page = ctx.store.timeline({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out.reverse();
}

export function people(ctx: CoreContext): PersonSummary[] {
  return ctx.store
    .entities('person')
    .map(({ id, state }) => {
      const view = personView(state);
      return view ? { id, name: view.name, role: view.role, updatedAt: view.updatedAt } : null;
    })
    .filter((p): p is PersonSummary => p !== null)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A person id when `text` is one, or names exactly one known person; else the text itself. */
export function resolvePerson(ctx: CoreContext, text: string): string {
  const known = people(ctx);
  if (known.some((p) => p.id === text)) return text;
  const byName = known.filter((p) => p.name.toLowerCase() === text.toLowerCase());
  return byName.length === 1 ? byName[0]!.id : text;
}

export function summarize(facts: ReleaseFacts, names: ReadonlyMap<string, string>): ReleaseSummary {
  return { ...facts, statusLabel: STATUS_LABELS[facts.status], ownerName: facts.owner === null ? null : (names.get(facts.owner) ?? facts.owner) };
}

export function releaseDetail(ctx: CoreContext, id: string, state: EntityState): ReleaseDetail {
  const names = new Map(people(ctx).map((p) => [p.id, p.name]));
  const facts = releaseFacts(id, state);
  const decision = releaseView(state).decision.state;
  const created = ctx.store.timeline({ entity: { kind: 'release', id }, type: 'release.created', limit: 1 }).items[0];
  return {
    ...summarize(facts, names),
    createdBy: created?.actor ?? null,
    fields: releaseFieldViews(state),
    transitions: transitionOptions(facts, { decision }),
    allowed: allowedTransitions(facts, { decision }),
    decision,
    runs: runIdsOf(ctx, id).map((runId) => runSummary(loadRun(ctx, runId))),
    computedAt: new Date(ctx.now()).toISOString(),
  };
}

/** Runs attached to a release, in the order they were attached. */
export function runIdsOf(ctx: CoreContext, release: string): string[] {
  const ids = allEvents(ctx, { release, type: 'runbook.attached' }).map((e) => e.entity.id);
  return [...new Set(ids)];
}

export function loadRun(ctx: CoreContext, id: string): RunView {
  const { id: runId, state } = resolveEntity(ctx, 'run', id);
  return buildRunView(runId, state, ctx.now());
}

export function runDetail(ctx: CoreContext, view: RunView): RunDetail {
  const release = ctx.store.entity('release', view.release);
  const facts = release ? releaseFacts(view.release, release) : null;
  return { ...view, kind: 'run', releaseStatus: facts?.status ?? 'planned', releaseName: facts?.name ?? view.release };
}

export function runSummary(view: RunView): RunSummary {
  const { target, started, finishedAt, elapsed, missed, recorded, steps } = view.rollback;
  return {
    id: view.id,
    title: view.title,
    origin: view.origin,
    attached: view.attached,
    state: view.state,
    steps: view.steps.length,
    progress: view.progress,
    rollback: { available: steps.length > 0, target, started, finishedAt, elapsed, missed, recorded },
    focus: view.focus,
  };
}

// ---- templates -----------------------------------------------------------------------------

interface VersionRecord extends TemplateVersion {
  doc: RunbookDoc;
}

/** Every saved version of a template, numbered 1… in (hlc, device) order. */
export function templateVersions(ctx: CoreContext, id: string): VersionRecord[] {
  return allEvents(ctx, { entity: { kind: 'runbook', id }, type: 'runbook.saved' }).map((e, i) => {
    const doc = e.data.doc as unknown as RunbookDoc;
    return { version: i + 1, event: e.id, at: e.at, by: e.actor, title: doc.title, steps: numberSteps(doc).length, doc };
  });
}

export function templateDetail(ctx: CoreContext, id: string, state: EntityState, version?: number): TemplateDetail {
  const versions = templateVersions(ctx, id);
  const register = fieldView<RunbookDoc>(state.registers.doc);
  const currentIds = register.values.map((v) => v.id);
  const current = versions.find((v) => v.event === currentIds[0]) ?? versions[versions.length - 1]!;
  const shown = version === undefined ? current : versions.find((v) => v.version === version);
  if (!shown) throw new ApiError('not_found', `Template ${id} has versions 1–${versions.length}; there is no version ${version}.`, 'version');
  const strip = ({ doc: _doc, ...rest }: VersionRecord): TemplateVersion => rest;
  return {
    ...summaryOf(id, state, shown, versions.length, current.version, register.conflict),
    kind: 'template',
    doc: shown.doc,
    event: shown.event,
    conflictVersions: register.conflict ? versions.filter((v) => currentIds.includes(v.event)).map(strip) : [],
    history: versions.map(strip),
  };
}

function summaryOf(id: string, state: EntityState, shown: VersionRecord, count: number, currentVersion: number, conflict: boolean): TemplateSummary {
  return {
    id,
    title: shown.doc.title,
    services: shown.doc.services,
    tags: shown.doc.tags,
    version: shown.version,
    versions: count,
    sections: shown.doc.sections.length,
    steps: numberSteps(shown.doc).length,
    rollbackTarget: rollbackTarget(shown.doc),
    updatedAt: shown.at,
    updatedBy: shown.by,
    archived: 'archived' in state.flags,
    conflict: conflict && shown.version === currentVersion,
  };
}

/** The library: one summary per template from its folded state (no history reads). */
export function templateSummaries(ctx: CoreContext): TemplateSummary[] {
  return ctx.store.entities('runbook').flatMap(({ id, state }) => {
    const register = fieldView<RunbookDoc>(state.registers.doc);
    const top = state.registers.doc?.values[0];
    if (!top || !register.value) return [];
    const doc = register.value;
    const record: VersionRecord = { version: state.counts.versions ?? 1, event: top.id, at: top.at, by: top.by, title: doc.title, steps: 0, doc };
    return [summaryOf(id, state, record, state.counts.versions ?? 1, record.version, register.conflict)];
  });
}

// Handlers for the releases group: every change is an event on the release entity.
import { stabilizationView } from '../metrics/stabilization.ts';
import { ApiError } from '../../../shared/api/errors.ts';
import type { releasesApi } from '../../../shared/api/releases.ts';
import { RELEASE_FIELD_REGISTERS, compareByWindow, releaseFacts, transitionProblem, type ReleaseField } from '../../../shared/domain/releases.ts';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import { fieldView, releaseView } from '../../../shared/events/views.ts';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../dispatch.ts';
import { newId } from '../runbooks/ids.ts';
import { people, releaseDetail, resolveEntity, resolvePerson, summarize } from '../runbooks/read.ts';
import type { EventCommand } from '../store/index.ts';

const sameJson = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

export const releaseHandlers = {
  'release.create': (input, ctx) => {
    const id = newId('rel');
    const type = input.type ?? 'minor';
    const data: Record<string, unknown> = {
      title: input.name,
      version: input.version,
      type,
      // An emergency release is an emergency change unless someone says otherwise.
      changeClass: input.changeClass ?? (type === 'emergency' ? 'emergency' : 'normal'),
    };
    for (const key of ['ticket', 'services', 'environment', 'strategy', 'window', 'scope'] as const) {
      if (input[key] !== undefined) data[key] = input[key];
    }
    if (input.owner !== undefined) data.owner = resolvePerson(ctx, input.owner);
    ctx.store.appendEvents([{ type: 'release.created', entity: { kind: 'release', id }, data }]);
    return releaseDetail(ctx, id, ctx.store.entity('release', id)!);
  },

  'release.update': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.id);
    const commands: EventCommand[] = [];
    for (const [field, raw] of Object.entries(input.set) as [ReleaseField, unknown][]) {
      if (raw === undefined) continue;
      const register = RELEASE_FIELD_REGISTERS[field];
      const value = field === 'owner' && typeof raw === 'string' ? resolvePerson(ctx, raw) : raw;
      const current = fieldView(state.registers[register]);
      // Writing the shown value again is a no-op, unless it settles a conflict.
      if (!current.conflict && sameJson(current.value, value)) continue;
      const pred = input.pred?.[field];
      commands.push({ type: 'release.updated', entity: { kind: 'release', id }, data: { field: register, value }, ...(pred ? { pred } : {}) });
    }
    if (commands.length > 0) ctx.store.appendEvents(commands);
    return releaseDetail(ctx, id, ctx.store.entity('release', id)!);
  },

  'release.transition': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.id);
    const facts = releaseFacts(id, state);
    const problem = transitionProblem(facts, input.to, input.reason, { decision: releaseView(state).decision.state });
    if (problem) throw new ApiError('conflict', problem, 'to');
    // A release under a stabilization session closes through that session, which requires its
    // exit criteria; a plain move to closed would skip them.
    const session = input.to === 'closed' ? stabilizationView(ctx, id, state) : null;
    if (session && !session.closed) {
      throw new ApiError('conflict', `Release ${id} is in a stabilization session: close it with \`warroom stabilize close ${id}\` or in Metrics, which checks its exit criteria${session.blockers.length ? ` (${session.blockers.length} not met yet)` : ''}.`, 'to');
    }
    const data = { from: facts.status, to: input.to, ...(input.reason ? { reason: input.reason } : {}) };
    ctx.store.appendEvents([{ type: 'release.transitioned', entity: { kind: 'release', id }, data }]);
    return releaseDetail(ctx, id, ctx.store.entity('release', id)!);
  },

  'release.note': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.id);
    ctx.store.appendEvents([{ type: 'note.added', entity: { kind: 'release', id }, data: { text: input.text } }]);
    return releaseDetail(ctx, id, ctx.store.entity('release', id)!);
  },

  'release.list': (input, ctx) => {
    const names = new Map(people(ctx).map((p) => [p.id, p.name]));
    const statuses = input.status === undefined ? null : [input.status].flat();
    const types = input.type === undefined ? null : [input.type].flat();
    const text = input.text?.toLowerCase();
    const list = ctx.store
      .entities('release')
      .filter(({ state }) => 'created' in state.flags)
      .map(({ id, state }) => summarize(releaseFacts(id, state), names))
      .filter((r) => input.includeArchived || !r.archived)
      .filter((r) => !statuses || statuses.includes(r.status))
      .filter((r) => !types || types.includes(r.type))
      .filter((r) => !text || [r.name, r.version, r.ticket ?? '', r.id, ...r.services].some((s) => s.toLowerCase().includes(text)));
    const byCreated = (a: typeof list[number], b: typeof list[number]) => ((a.createdAt ?? '') < (b.createdAt ?? '') ? -1 : (a.createdAt ?? '') > (b.createdAt ?? '') ? 1 : 0);
    switch (input.sort) {
      case 'window':
        return list.sort(compareByWindow);
      case '-window': {
        // Latest window first; releases without a window still come last.
        const dated = list.filter((r) => r.window).sort(compareByWindow).reverse();
        return [...dated, ...list.filter((r) => !r.window).sort(compareByWindow)];
      }
      case 'created':
        return list.sort(byCreated);
      case '-created':
        return list.sort(byCreated).reverse();
    }
  },

  'release.get': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.id);
    return releaseDetail(ctx, id, state);
  },

  'people.list': (_input, ctx) => people(ctx),
} satisfies HandlersOf<typeof releasesApi, CoreContext>;

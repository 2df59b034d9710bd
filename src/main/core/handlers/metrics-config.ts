// Handlers for the metrics configuration: sources (secrets to the keychain only), panels and
// alert rules of a release, manual readings, dashboard templates, the metrics view and the
// stabilization session. Every change is an event; the runtime (ctx.metrics) does the querying.
import { ApiError } from '../../../shared/api/errors.ts';
import type { metricsApi } from '../../../shared/api/metrics.ts';
import type { EntityState } from '../../../shared/events/fold.ts';
import { decimalText } from '../../../shared/gonogo/rules.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { CoreContext } from '../context.ts';
import { readPanels, readRules } from '../metrics/config.ts';
import { applyCommands, listDashboards, saveDashboard } from '../metrics/dashboards.ts';
import { listSources, removeSource, requireSource, saveSource, testSource } from '../metrics/sources.ts';
import { checkCommands, closeCommands, handoffCommands, startCommands } from '../metrics/stabilization.ts';
import { metricsView, neverQueried, notEvaluated, panelViews, ruleViews } from '../metrics/view.ts';
import { resolveEntity } from '../runbooks/read.ts';
import type { EventCommand } from '../store/index.ts';

type ConfigMethods = Omit<typeof metricsApi, 'metrics.series' | 'metrics.refresh' | 'metrics.rules'>;

const onRelease = (id: string) => ({ kind: 'release', id }) as const;

/** Appends the commands a step built from the release's state, then returns the fresh view. */
function withRelease(ctx: CoreContext, release: string, build: (id: string, state: EntityState) => EventCommand[]) {
  const { id, state } = resolveEntity(ctx, 'release', release);
  const commands = build(id, state);
  if (commands.length > 0) ctx.store.appendEvents(commands);
  return metricsView(ctx, id, ctx.store.entity('release', id)!);
}

/** Sample values beyond this do not fit the log's decimal text. */
const MAX_READING = 1e15;

export const metricsConfigHandlers = {
  'metrics.source.list': (_input, ctx) => listSources(ctx),
  'metrics.source.save': (input, ctx) => saveSource(ctx, input.name, input.config, input.secret),
  'metrics.source.remove': (input, ctx) => removeSource(ctx, input.name),
  'metrics.source.test': (input, ctx) => testSource(ctx, input.name),

  'metrics.view': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.release);
    return metricsView(ctx, id, state);
  },

  'metrics.panel.save': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.release);
    requireSource(ctx, input.panel.source, 'panel.source');
    ctx.store.appendEvents([{ type: 'metric.panel_saved', entity: onRelease(id), data: { id: input.panel.id, panel: input.panel } }]);
    return panelViews(ctx, id).find((p) => p.doc.id === input.panel.id) ?? neverQueried(input.panel);
  },

  'metrics.panel.remove': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.release);
    if (!readPanels(ctx.store, id).some((p) => p.id === input.panel)) {
      throw new ApiError('not_found', `Release ${id} has no panel "${input.panel}" (it has ${readPanels(ctx.store, id).map((p) => p.id).join(', ') || 'none'}).`, 'panel');
    }
    ctx.store.appendEvents([{ type: 'metric.panel_saved', entity: onRelease(id), data: { id: input.panel, panel: null } }]);
    return { release: id, panel: input.panel };
  },

  'metrics.rule.save': (input, ctx) => {
    const { id, state } = resolveEntity(ctx, 'release', input.release);
    requireSource(ctx, input.rule.source, 'rule.source');
    ctx.store.appendEvents([{ type: 'metric.rule_saved', entity: onRelease(id), data: { id: input.rule.id, rule: input.rule } }]);
    return ruleViews(ctx, id, ctx.store.entity('release', id) ?? state).find((r) => r.rule.id === input.rule.id) ?? notEvaluated(input.rule);
  },

  'metrics.rule.remove': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.release);
    if (!readRules(ctx.store, id).some((r) => r.id === input.rule)) {
      throw new ApiError('not_found', `Release ${id} has no alert rule "${input.rule}" (it has ${readRules(ctx.store, id).map((r) => r.id).join(', ') || 'none'}).`, 'rule');
    }
    ctx.store.appendEvents([{ type: 'metric.rule_saved', entity: onRelease(id), data: { id: input.rule, rule: null } }]);
    return { release: id, rule: input.rule };
  },

  'metrics.record': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.release);
    if (Math.abs(input.value) >= MAX_READING && Number.isFinite(input.value)) {
      throw new ApiError('invalid_input', `A reading is at most ±${MAX_READING.toExponential()} (got ${input.value}); record it in a larger unit.`, 'value');
    }
    const at = input.at ?? ctx.now();
    // The sample first: an event must never announce a reading the charts cannot show.
    ctx.metrics.storeReading(id, input.metric, input.value, at);
    const data = { metric: input.metric, value: decimalText(input.value), at, ...(input.unit ? { unit: input.unit } : {}), ...(input.note ? { note: input.note } : {}) };
    const [event] = ctx.store.appendEvents([{ type: 'metric.recorded', entity: onRelease(id), data }]);
    return { event: event!.id };
  },

  'metrics.dashboard.list': (_input, ctx) => listDashboards(ctx),

  'metrics.dashboard.save': (input, ctx) => saveDashboard(ctx, resolveEntity(ctx, 'release', input.release).id, input.id, input.title),

  'metrics.dashboard.apply': (input, ctx) => withRelease(ctx, input.release, (id) => applyCommands(ctx, id, input.dashboard)),

  'stabilization.start': (input, ctx) => withRelease(ctx, input.release, (id, state) => startCommands(ctx, id, state, input.durationSeconds, input.criteria)),

  'stabilization.check': (input, ctx) => withRelease(ctx, input.release, (id, state) => checkCommands(ctx, id, state, input.criterion, input.done, input.note)),

  'stabilization.handoff': (input, ctx) => withRelease(ctx, input.release, (id, state) => handoffCommands(ctx, id, state, input)),

  'stabilization.close': (input, ctx) => withRelease(ctx, input.release, (id, state) => closeCommands(ctx, id, state, input.note)),
} satisfies HandlersOf<ConfigMethods, CoreContext>;

// Dashboard templates: a release's panels and rules saved under a name (each save a new version)
// and copied onto another release in one append, so no device sees half a dashboard applied.
import { ApiError } from '../../../shared/api/errors.ts';
import { fieldView } from '../../../shared/events/views.ts';
import type { DashboardDoc } from '../../../shared/metrics/model.ts';
import type { CoreContext } from '../context.ts';
import type { EventCommand } from '../store/index.ts';
import { readPanels, readRules, readSources } from './config.ts';

export interface DashboardEntry {
  id: string;
  title: string;
  panels: number;
  rules: number;
  versions: number;
  doc: DashboardDoc;
}

export function listDashboards(ctx: CoreContext): DashboardEntry[] {
  return ctx.store
    .entities('dashboard')
    .map(({ id, state }) => {
      const doc = fieldView<DashboardDoc | null>(state.registers.doc).value;
      return doc ? { id, title: doc.title, panels: doc.panels.length, rules: doc.rules.length, versions: state.counts.versions ?? 0, doc } : null;
    })
    .filter((d): d is DashboardEntry => d !== null)
    .sort((a, b) => a.title.localeCompare(b.title));
}

export function saveDashboard(ctx: CoreContext, release: string, id: string, title: string): { id: string; version: number } {
  const doc: DashboardDoc = { id, title, panels: readPanels(ctx.store, release), rules: readRules(ctx.store, release) };
  if (doc.panels.length === 0 && doc.rules.length === 0) {
    throw new ApiError('conflict', `Release ${release} has no panels or rules to save as a dashboard: add some first.`, 'release');
  }
  ctx.store.appendEvents([{ type: 'dashboard.saved', entity: { kind: 'dashboard', id }, data: { doc } }]);
  return { id, version: ctx.store.entity('dashboard', id)?.counts.versions ?? 1 };
}

/** One panel and rule event per document and the applied marker, for one append. */
export function applyCommands(ctx: CoreContext, release: string, dashboard: string): EventCommand[] {
  const entry = listDashboards(ctx).find((d) => d.id === dashboard);
  if (!entry) {
    const ids = listDashboards(ctx).map((d) => d.id);
    throw new ApiError('not_found', `No dashboard "${dashboard}" (${ids.length ? `saved: ${ids.join(', ')}` : 'none is saved yet'}).`, 'dashboard');
  }
  const { doc } = entry;
  const known = new Set(readSources(ctx.store).map((s) => s.name));
  const missing = [...new Set([...doc.panels, ...doc.rules].map((d) => d.source).filter((s) => !known.has(s)))];
  if (missing.length > 0) {
    throw new ApiError('conflict', `Dashboard “${doc.title}” uses metric sources this workspace no longer has: ${missing.join(', ')}. Add them again first.`, 'dashboard');
  }
  const entity = { kind: 'release', id: release } as const;
  return [
    ...doc.panels.map((panel): EventCommand => ({ type: 'metric.panel_saved', entity, data: { id: panel.id, panel } })),
    ...doc.rules.map((rule): EventCommand => ({ type: 'metric.rule_saved', entity, data: { id: rule.id, rule } })),
    { type: 'dashboard.applied', entity, data: { dashboard: doc.id, title: doc.title, panels: doc.panels.length, rules: doc.rules.length } },
  ];
}

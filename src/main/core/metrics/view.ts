// The metrics view of a release, assembled for one read: header, sources, panels with this
// device's query state, rules with their states and the go/no-go criteria they answer, the alert
// banner (with the rollback offer), timeline markers, the stabilization countdown and dashboards.
// Everything tolerates a runtime that knows nothing yet (panels read `never`, rules `no_data`).
import type { AlertView, MetricsMarker, MetricsViewData, PanelView, RuleStatus } from '../../../shared/api/metrics.ts';
import { describeAction } from '../../../shared/domain/describe.ts';
import { releaseFacts } from '../../../shared/domain/releases.ts';
import type { EntityState } from '../../../shared/events/fold.ts';
import { fieldView } from '../../../shared/events/views.ts';
import type { ChecklistDoc } from '../../../shared/gonogo/checklist.ts';
import type { PanelDoc, RuleDoc } from '../../../shared/metrics/model.ts';
import type { CoreContext } from '../context.ts';
import { loadRun, runIdsOf } from '../runbooks/read.ts';
import { deployStartedAt, readPanels, readRules } from './config.ts';
import { listDashboards } from './dashboards.ts';
import { listSources } from './sources.ts';
import { stabilizationView } from './stabilization.ts';

export const MAX_MARKERS = 200;

/** "> 0.02 for 300s", "> 1.5 × baseline for 600s", "no data for 300s" (as in alert evidence). */
export function conditionText(rule: RuleDoc): string {
  if (rule.kind === 'absent') return `no data for ${rule.forSeconds}s`;
  const value = rule.kind === 'baseline_ratio' ? `${rule.threshold} × baseline` : rule.threshold;
  return `${rule.op} ${value} for ${rule.forSeconds}s`;
}

export function neverQueried(doc: PanelDoc): PanelView {
  return { doc, state: 'never', message: null, lastGoodAt: null, lastTriedAt: null };
}

export function notEvaluated(rule: RuleDoc): RuleStatus {
  return {
    rule,
    state: 'no_data',
    since: null,
    detail: 'Not evaluated yet on this device: no samples.',
    evidence: { query: rule.query, source: rule.source, condition: conditionText(rule), windowSeconds: rule.forSeconds, ...(rule.threshold ? { threshold: rule.threshold } : {}), samples: [] },
    evaluatedAt: null,
    lastEvent: null,
    criteria: [],
  };
}

/** The release's go/no-go criteria answered by each metric rule (from the attached checklist). */
export function criteriaByRule(state: EntityState): Map<string, { id: string; title: string }[]> {
  const doc = fieldView<{ doc: ChecklistDoc } | null>(state.registers.checklist).value?.doc;
  const out = new Map<string, { id: string; title: string }[]>();
  for (const c of doc?.criteria ?? []) {
    if (c.auto?.kind !== 'metric_rule') continue;
    out.set(c.auto.rule, [...(out.get(c.auto.rule) ?? []), { id: c.id, title: c.statement }]);
  }
  return out;
}

export function panelViews(ctx: CoreContext, release: string): PanelView[] {
  const known = new Map(ctx.metrics.panelStates(release).map((p) => [p.doc.id, p]));
  return readPanels(ctx.store, release).map((doc) => {
    const live = known.get(doc.id);
    return live ? { ...live, doc } : neverQueried(doc);
  });
}

export function ruleViews(ctx: CoreContext, release: string, state: EntityState): RuleStatus[] {
  const known = new Map(ctx.metrics.ruleStatuses(release).map((r) => [r.rule.id, r]));
  const criteria = criteriaByRule(state);
  return readRules(ctx.store, release).map((rule) => {
    const status = known.get(rule.id) ?? notEvaluated(rule);
    return { ...status, rule, criteria: criteria.get(rule.id) ?? status.criteria };
  });
}

/** A rollback can be started: live release, a runbook with a rollback section, none running. */
function rollbackAvailable(ctx: CoreContext, release: string, status: string): boolean {
  if (status !== 'deploying' && status !== 'stabilizing') return false;
  const runs = runIdsOf(ctx, release).map((r) => loadRun(ctx, r)).filter((v) => v.rollback.steps.length > 0);
  return runs.length > 0 && runs.every((v) => !v.rollback.started);
}

function alertViews(rules: RuleStatus[], rollback: boolean): AlertView[] {
  return rules
    .filter((r): r is RuleStatus & { state: AlertView['state'] } => r.state === 'firing' || r.state === 'no_data')
    .map((r) => ({ rule: r.rule.id, title: r.rule.title, state: r.state, since: r.since, detail: r.detail, evidence: r.evidence, rollbackAvailable: rollback && r.rule.rollback }));
}

/** The deployment start and the latest timeline events (metric events excluded), oldest first. */
function markers(ctx: CoreContext, release: string, deployAt: number | null): MetricsMarker[] {
  const out: MetricsMarker[] = [];
  let cursor: string | undefined;
  do {
    const page = ctx.store.timeline({ release, limit: 500, ...(cursor ? { cursor } : {}) });
    for (const item of page.items) {
      if (item.type.startsWith('metric.')) continue;
      out.push({ at: Date.parse(item.at), kind: item.type, label: describeAction(item) });
      if (out.length >= MAX_MARKERS) break;
    }
    cursor = out.length < MAX_MARKERS ? (page.nextCursor ?? undefined) : undefined;
  } while (cursor);
  if (deployAt !== null) out.push({ at: deployAt, kind: 'deploy', label: 'deployment started' });
  return out.sort((a, b) => a.at - b.at);
}

export function metricsView(ctx: CoreContext, id: string, state: EntityState): MetricsViewData {
  const facts = releaseFacts(id, state);
  const deployAt = deployStartedAt(ctx.store, id);
  const rules = ruleViews(ctx, id, state);
  return {
    release: { id, name: facts.name, version: facts.version, status: facts.status, deployStartedAt: deployAt === null ? null : new Date(deployAt).toISOString() },
    sources: listSources(ctx),
    panels: panelViews(ctx, id),
    rules,
    alerts: alertViews(rules, rollbackAvailable(ctx, id, facts.status)),
    markers: markers(ctx, id, deployAt),
    stabilization: stabilizationView(ctx, id, state),
    dashboards: listDashboards(ctx).map(({ doc: _doc, ...summary }) => summary),
    refreshMs: ctx.metrics.refreshMs,
    lastRefreshAt: ctx.metrics.lastRefreshAt(id),
    computedAt: new Date(ctx.now()).toISOString(),
  };
}

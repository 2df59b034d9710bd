// Event types of the metrics feature. Configuration (sources, panels, rules, dashboards), alert
// transitions, manual readings and the stabilization session are signed events; samples are not
// (they live in their own tables and travel through sync as compact batches).
//
// Folded layout (what readers look up):
// - metric_source/<name>: register `config` (SourceConfig, or null once removed).
// - release/<id>: registers `panel.<id>` and `rule.<id>` (doc or null once removed), `alert.<rule>`
//   ({state, at, event}: the last recorded transition), `stabilization` (the session),
//   `exit.<criterion>` ({done, note}), `stabilizationClosed`; set `handoffs`; count `readings`.
// - dashboard/<id>: register `doc` (DashboardDoc), count `versions`.
import { z } from 'zod';
import { criterionText, dashboardDoc, decimal, panelDoc, ruleDoc, slug, sourceConfig } from '../metrics/model.ts';
import type { JsonValue } from './canonical.ts';
import type { Effect, EventTypeSpec } from './catalog.ts';
import type { EventData } from './envelope.ts';

function spec<S extends z.ZodType<EventData>>(entity: string, summary: string, data: S, effects: (data: z.output<S>) => Effect[]): EventTypeSpec {
  return { entity, summary, data, effects: effects as (data: EventData) => Effect[] };
}

const text = (max: number) => z.string().trim().min(1).max(max);
const reg = (name: string, value: JsonValue): Effect => ({ op: 'register', name, value });
const json = (value: unknown) => value as JsonValue;
const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);
/** A sample value in the log: decimal text, or NaN / ±Infinity spelled out. */
export const sampleText = z.union([decimal, z.enum(['NaN', 'Infinity', '-Infinity'])]);

export const ALERT_TRANSITIONS = ['firing', 'resolved', 'no_data'] as const;
export type AlertTransition = (typeof ALERT_TRANSITIONS)[number];

/** What an alert decision rested on: written into the event so the timeline can explain it. */
export const alertEvidence = z.strictObject({
  query: text(4000),
  source: slug,
  /** "> 0.02 for 300s", "> 1.5 × baseline for 600s", "no data for 300s". */
  condition: text(300),
  windowSeconds: z.number().int().min(0),
  threshold: decimal.optional(),
  baseline: sampleText.optional(),
  observed: sampleText.optional(),
  /** The samples that decided it, `[epoch ms, value]`, at most 120 (evenly thinned). */
  samples: z.array(z.tuple([epochMs, sampleText])).max(120),
});
export type AlertEvidence = z.output<typeof alertEvidence>;

export const METRIC_EVENTS: Record<string, EventTypeSpec> = {
  'metric.source_saved': spec(
    'metric_source',
    'A metric source (Prometheus, file feed or manual readings) was configured, changed or removed (null).',
    z.strictObject({ config: sourceConfig.nullable() }),
    (d) => [reg('config', json(d.config))],
  ),
  'metric.panel_saved': spec(
    'release',
    'A metrics panel of a release was added, changed or removed (null).',
    z.strictObject({ id: slug, panel: panelDoc.nullable() }),
    (d) => [reg(`panel.${d.id}`, json(d.panel))],
  ),
  'metric.rule_saved': spec(
    'release',
    'An alert rule of a release was added, changed or removed (null).',
    z.strictObject({ id: slug, rule: ruleDoc.nullable() }),
    (d) => [reg(`rule.${d.id}`, json(d.rule))],
  ),
  'metric.alert': spec(
    'release',
    'An alert rule changed state (firing, resolved, no data), with the samples that decided it.',
    z.strictObject({ rule: slug, title: text(200), state: z.enum(ALERT_TRANSITIONS), detail: text(1000), evidence: alertEvidence }),
    (d) => [reg(`alert.${d.rule}`, { state: d.state }), { op: 'count', name: 'alerts' }],
  ),
  'metric.recorded': spec(
    'release',
    'A person recorded a metric reading by hand (a business KPI from another tool).',
    z.strictObject({ metric: text(200), value: sampleText, at: epochMs, unit: z.string().trim().max(16).optional(), note: text(1000).optional() }),
    () => [{ op: 'count', name: 'readings' }],
  ),
  'dashboard.saved': spec('dashboard', 'A metrics dashboard was saved as a template (a new version).', z.strictObject({ doc: dashboardDoc }), (d) => [
    reg('doc', json(d.doc)),
    { op: 'count', name: 'versions' },
  ]),
  'dashboard.applied': spec(
    'release',
    'A dashboard template was applied to a release (its panels and rules were copied).',
    z.strictObject({ dashboard: slug, title: text(200), panels: z.number().int().min(0), rules: z.number().int().min(0) }),
    () => [{ op: 'count', name: 'dashboards' }],
  ),
  'stabilization.started': spec(
    'release',
    'The release entered its stabilization session: a period with a countdown and exit criteria.',
    z.strictObject({
      startedAt: epochMs,
      durationSeconds: z.number().int().min(60).max(30 * 86_400),
      criteria: z.array(z.strictObject({ id: slug, text: criterionText })).max(30),
    }),
    (d) => [reg('stabilization', json(d))],
  ),
  'stabilization.checked': spec(
    'release',
    'An exit criterion of the stabilization session was ticked or unticked.',
    z.strictObject({ criterion: slug, text: criterionText, done: z.boolean(), note: text(1000).optional() }),
    (d) => [reg(`exit.${d.criterion}`, json({ done: d.done, note: d.note ?? null }))],
  ),
  'stabilization.handoff': spec(
    'release',
    'A shift hand-off during stabilization: who hands over to whom, and what to watch.',
    z.strictObject({ from: text(100), to: text(100), notes: text(4000), watch: text(2000).optional() }),
    (d) => [{ op: 'add', set: 'handoffs', value: json({ from: d.from, to: d.to, notes: d.notes, watch: d.watch ?? null }) as { [key: string]: JsonValue } }],
  ),
  'stabilization.closed': spec(
    'release',
    'The stabilization session was closed with every exit criterion met.',
    z.strictObject({ note: text(2000).optional(), criteria: z.number().int().min(0) }),
    (d) => [reg('stabilizationClosed', json({ note: d.note ?? null, criteria: d.criteria }))],
  ),
};

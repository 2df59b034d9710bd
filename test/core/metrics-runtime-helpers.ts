// Plumbing for the metrics runtime tests: a real core in a temp data folder with a profile and a
// clock the test controls, and a live release with sources, panels and rules written as the
// configuration events the handlers would append.
import { afterEach } from 'vitest';
import { openCore, type Core, type OpenCoreOptions } from '../../src/main/core/core.ts';
import { panelDoc, ruleDoc, sourceConfig, type PanelInput, type RuleInput } from '../../src/shared/metrics/model.ts';
import { tempDir } from '../helpers/tmp.ts';

const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
});

export interface TestCore {
  core: Core;
  clock: { now: number | null };
}

/** A core whose clock is real time unless the test sets `clock.now`. */
export async function metricsCore(options: Partial<OpenCoreOptions> = {}, name = 'Ada'): Promise<TestCore> {
  const clock: { now: number | null } = { now: null };
  const core = openCore({ dataDir: options.dataDir ?? tempDir('wr-metrics-'), now: () => clock.now ?? Date.now(), log: () => {}, ...options });
  cores.push(core);
  const set = await core.dispatch('profile.set', { name, role: 'coordinator' });
  if (!set.ok) throw new Error(set.error.message);
  return { core, clock };
}

/** A release that moved into `deploying` at `deployAt` (the clock then). */
export function liveRelease(core: Core, id: string): string {
  const store = core.ctx.store;
  store.appendEvents([{ type: 'release.created', entity: { kind: 'release', id }, data: { title: `Release ${id}` } }]);
  store.appendEvents([{ type: 'release.transitioned', entity: { kind: 'release', id }, data: { from: 'go_no_go', to: 'deploying' } }]);
  return id;
}

export function addSource(core: Core, name: string, config: unknown): void {
  core.ctx.store.appendEvents([{ type: 'metric.source_saved', entity: { kind: 'metric_source', id: name }, data: { config: sourceConfig.parse(config) } }]);
}

export function addPanel(core: Core, release: string, panel: PanelInput): void {
  const doc = panelDoc.parse(panel);
  core.ctx.store.appendEvents([{ type: 'metric.panel_saved', entity: { kind: 'release', id: release }, data: { id: doc.id, panel: doc } }]);
}

export function addRule(core: Core, release: string, rule: RuleInput): void {
  const doc = ruleDoc.parse(rule);
  core.ctx.store.appendEvents([{ type: 'metric.rule_saved', entity: { kind: 'release', id: release }, data: { id: doc.id, rule: doc } }]);
}

/** metric.alert events of a release, oldest first. */
export function alertEvents(core: Core, release: string): { rule: string; state: string; detail: string }[] {
  return core.ctx.store
    .timeline({ release, type: 'metric.alert', limit: 500 })
    .items.map((i) => i.data as { rule: string; state: string; detail: string })
    .reverse();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Refreshes until `done` holds (real Prometheus needs a few scrapes); returns the last report. */
export async function refreshUntil<T>(core: Core, release: string, done: (report: Awaited<ReturnType<Core['ctx']['metrics']['refresh']>>) => T | false, withinMs = 40_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const report = await core.ctx.metrics.refresh(release);
    const result = done(report);
    if (result !== false) return result;
    if (Date.now() > deadline) throw new Error(`Condition not reached within ${withinMs} ms; last report: ${JSON.stringify(report).slice(0, 2000)}`);
    await sleep(500);
  }
}

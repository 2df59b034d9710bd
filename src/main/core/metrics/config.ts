// Reads the metrics configuration out of the folded state: sources (workspace-wide), the panels
// and alert rules of a release, and the moment its deployment started. Pure reads; every writer
// goes through the handlers, which append events.
import type { Actor } from '../../../shared/events/envelope.ts';
import type { EntityState } from '../../../shared/events/fold.ts';
import { fieldView } from '../../../shared/events/views.ts';
import type { PanelDoc, RuleDoc, SourceConfig } from '../../../shared/metrics/model.ts';
import type { Store } from '../store/index.ts';

export interface SourceEntry {
  name: string;
  config: SourceConfig;
  updatedBy: Actor | null;
  updatedAt: string | null;
}

function sourceEntry(name: string, state: EntityState): SourceEntry | null {
  const field = fieldView<SourceConfig | null>(state.registers.config);
  const latest = field.values[0];
  return field.value ? { name, config: field.value, updatedBy: latest?.by ?? null, updatedAt: latest?.at ?? null } : null;
}

export function readSources(store: Store): SourceEntry[] {
  return store
    .entities('metric_source')
    .map(({ id, state }) => sourceEntry(id, state))
    .filter((s): s is SourceEntry => s !== null)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** One source by name: a single entity read (refreshes and rule evaluation call it per panel and rule). */
export function readSource(store: Store, name: string): SourceEntry | null {
  const state = store.entity('metric_source', name);
  return state ? sourceEntry(name, state) : null;
}

function docsWithPrefix<T extends { id: string }>(state: EntityState | null, prefix: string): T[] {
  if (!state) return [];
  const out: T[] = [];
  for (const [name, reg] of Object.entries(state.registers)) {
    if (!name.startsWith(prefix)) continue;
    const value = fieldView<T | null>(reg).value;
    if (value) out.push(value);
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export function readPanels(store: Store, release: string): PanelDoc[] {
  return docsWithPrefix<PanelDoc>(store.entity('release', release), 'panel.');
}

export function readRules(store: Store, release: string): RuleDoc[] {
  return docsWithPrefix<RuleDoc>(store.entity('release', release), 'rule.');
}

/**
 * When the deployment started: the latest move into `deploying` (epoch ms), or null if the
 * release never deployed. Read from the status register's history on the timeline.
 */
export function deployStartedAt(store: Store, release: string): number | null {
  const page = store.timeline({ release, type: 'release.transitioned', limit: 200 });
  let latest: number | null = null;
  for (const item of page.items) {
    const data = item.data as { to?: string };
    if (data.to !== 'deploying') continue;
    const at = Date.parse(item.at);
    if (Number.isFinite(at) && (latest === null || at > latest)) latest = at;
  }
  return latest;
}

// What the runtime's parts share: the host's dependencies, the sample store and the in-memory
// state of this device's refreshes (panel outcomes, rule states, source health). The memory is
// per process; the samples and alert events it is derived from survive restarts.
import type { PanelView, SourceSummary } from '../../../shared/api/metrics.ts';
import type { RuleState } from '../../../shared/metrics/model.ts';
import type { MetricsHostDeps } from './host.ts';
import type { SampleStore } from './samples.ts';

export type PanelRecord = Omit<PanelView, 'doc'>;

export interface RuleMemory {
  state: RuleState;
  /** Epoch ms: since when the rule is in this state. */
  since: number | null;
}

export interface RefreshMemory {
  /** release → panel id → last outcome. */
  panels: Map<string, Map<string, PanelRecord>>;
  /** `release\0rule` → last evaluated state. */
  rules: Map<string, RuleMemory>;
  /** `release\0rule` → the source error of the last refresh (null: it answered). */
  ruleErrors: Map<string, string | null>;
  /** source name → last request outcome. */
  health: Map<string, NonNullable<SourceSummary['health']>>;
  /** release → epoch ms of the last refresh. */
  lastRefresh: Map<string, number>;
}

export interface RuntimeEnv {
  deps: MetricsHostDeps;
  samples: SampleStore;
  memory: RefreshMemory;
}

export const ruleMemoryKey = (release: string, rule: string) => `${release}\u0000${rule}`;

// What every handler receives: the open store, the change bus and facts about this process.
import type { ChangeBus } from './changes.ts';
import type { Store } from './store/index.ts';
import type { SyncHost } from './sync/host.ts';
import type { MetricsRuntime } from './metrics/runtime.ts';
import type { SecretStore } from './secrets.ts';

export interface CoreContext {
  readonly product: string;
  readonly version: string;
  readonly dataDir: string;
  readonly startedAt: string;
  readonly store: Store;
  readonly changes: ChangeBus;
  /** The shared-folder sync: status, passes, admission (an engine runs only when configured and asked to). */
  readonly sync: SyncHost;
  /** Live metrics: source queries, stored samples, rule evaluation and alert transitions. */
  readonly metrics: MetricsRuntime;
  /** The OS keychain (Electron); null in `serve` and the CLI, where sources name environment variables. */
  readonly secrets: SecretStore | null;
  /** Wall clock in ms (the store's; tests move it by hand to time steps and rollbacks). */
  readonly now: () => number;
}

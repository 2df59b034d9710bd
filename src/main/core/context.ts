// What every handler receives: the open store, the change bus and facts about this process.
import type { ChangeBus } from './changes.ts';
import type { Store } from './store/index.ts';

export interface CoreContext {
  readonly product: string;
  readonly version: string;
  readonly dataDir: string;
  readonly startedAt: string;
  readonly store: Store;
  readonly changes: ChangeBus;
  /** Wall clock in ms (the store's; tests move it by hand to time steps and rollbacks). */
  readonly now: () => number;
}

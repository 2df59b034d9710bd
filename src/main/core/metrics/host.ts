// PLACEHOLDER (replaced by the metrics runtime work): the runtime on the core context.
import { ApiError } from '../../../shared/api/errors.ts';
import type { Store } from '../store/index.ts';
import type { ChangeBus } from '../changes.ts';
import type { SecretStore } from '../secrets.ts';
import type { MetricsRuntime } from './runtime.ts';

export interface MetricsHostDeps {
  store: Store;
  changes: ChangeBus;
  secrets: SecretStore | null;
  now: () => number;
  log: (line: string) => void;
  /** The shared folder (for file feeds with relative paths and sample batches), when configured. */
  syncFolder: () => string | null;
}

export interface MetricsHostOptions {
  /** Live refresh interval for deploying/stabilizing releases; 0 or omitted in the CLI. */
  refreshMs?: number;
}

export function createMetricsRuntime(_deps: MetricsHostDeps, options: MetricsHostOptions = {}): MetricsRuntime {
  const notBuilt = (): never => {
    throw new ApiError('unavailable', 'Metrics are not available in this build yet.');
  };
  return {
    refreshMs: options.refreshMs ?? 0,
    lastRefreshAt: () => null,
    panelStates: () => [],
    ruleStatuses: () => [],
    refresh: () => Promise.reject(new ApiError('unavailable', 'Metrics are not available in this build yet.')),
    series: notBuilt,
    storeReading: notBuilt,
    start: () => undefined,
    close: () => undefined,
  };
}

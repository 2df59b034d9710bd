// Opens the core for one data folder: the store, the change bus and the dispatch table.
// Electron's main process, `warroom serve` and the CLI all go through here.
import { mkdirSync } from 'node:fs';
import { ChangeBus, type ChangeListener } from './changes.ts';
import type { CoreContext } from './context.ts';
import { createDispatch, type Dispatch } from './dispatch.ts';
import { handlers } from './handlers/index.ts';
import { openStore, type OpenStoreOptions } from './store/index.ts';
import { SyncHost, type SyncHostOptions } from './sync/host.ts';
import { createMetricsRuntime, type MetricsHostOptions } from './metrics/host.ts';
import type { SecretStore } from './secrets.ts';
import { reanswerAutomatic } from './gonogo/auto.ts';
import { APP_VERSION, PRODUCT_NAME } from './version.ts';

export interface OpenCoreOptions extends Omit<OpenStoreOptions, 'dataDir'> {
  dataDir: string;
  log?: (line: string) => void;
  /**
   * Shared-folder sync. Omitted or `run: false` (CLI one-shots): no timers; passes only on request.
   * `run: true` (serve, Electron): the engine runs when a folder is configured or given.
   */
  sync?: SyncHostOptions;
  /** Live metrics refresh (serve, Electron); the CLI refreshes only on request. */
  metrics?: MetricsHostOptions;
  /** The OS keychain (Electron only). */
  secrets?: SecretStore;
}

export interface Core {
  readonly ctx: CoreContext;
  readonly dispatch: Dispatch;
  subscribe(listener: ChangeListener): () => void;
  /** Starts sync when configured (first pass included: it checks this identity before writes) and the live metrics refresh. */
  startSync(): Promise<void>;
  close(): void;
}

export function openCore(options: OpenCoreOptions): Core {
  const { log, sync: syncOptions, metrics: metricsOptions, secrets, ...storeOptions } = options;
  mkdirSync(options.dataDir, { recursive: true });
  const changes = new ChangeBus();
  const store = openStore({ ...storeOptions, ...(log ? { log } : {}), dataDir: options.dataDir });
  const stopForwarding = store.onChange((notice) => changes.publish(notice));
  const now = options.now ?? Date.now;
  let sync: SyncHost;
  try {
    sync = new SyncHost(
      { store, dataDir: options.dataDir, appVersion: APP_VERSION, changes, now, log: log ?? ((line) => process.stderr.write(`${line}\n`)) },
      syncOptions ?? { run: false },
    );
  } catch (error) {
    store.close();
    throw error;
  }
  const logLine = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const metrics = createMetricsRuntime({ store, changes, sync, secrets: secrets ?? null, now, log: logLine, syncFolder: () => sync.folder }, metricsOptions);
  const ctx: CoreContext = {
    product: PRODUCT_NAME,
    version: APP_VERSION,
    dataDir: options.dataDir,
    startedAt: new Date().toISOString(),
    store,
    changes,
    sync,
    metrics,
    secrets: secrets ?? null,
    now,
  };
  const dispatch = createDispatch(handlers, ctx, log);
  // A go/no-go criterion answered by an alert rule follows the rule's transitions.
  const stopReanswering = changes.subscribe((notice) => {
    if (notice.topic !== 'alert') return;
    try {
      reanswerAutomatic(ctx, notice.release);
    } catch (error) {
      logLine(`[gonogo] could not re-answer automatic criteria of ${notice.release}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  let closed = false;
  return {
    ctx,
    dispatch,
    subscribe: (listener) => changes.subscribe(listener),
    startSync: async () => {
      await sync.open();
      // Long-lived processes also refresh live releases' metrics (a no-op when refreshMs is 0).
      metrics.start();
    },
    close() {
      if (closed) return;
      closed = true;
      stopReanswering();
      metrics.close();
      sync.close();
      stopForwarding();
      store.close();
    },
  };
}

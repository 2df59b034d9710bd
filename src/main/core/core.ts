// Opens the core for one data folder: the store, the change bus and the dispatch table.
// Electron's main process, `warroom serve` and the CLI all go through here.
import { mkdirSync } from 'node:fs';
import { ChangeBus, type ChangeListener } from './changes.ts';
import type { CoreContext } from './context.ts';
import { createDispatch, type Dispatch } from './dispatch.ts';
import { handlers } from './handlers/index.ts';
import { openStore, type OpenStoreOptions } from './store/index.ts';
import { APP_VERSION, PRODUCT_NAME } from './version.ts';

export interface OpenCoreOptions extends Omit<OpenStoreOptions, 'dataDir'> {
  dataDir: string;
  log?: (line: string) => void;
}

export interface Core {
  readonly ctx: CoreContext;
  readonly dispatch: Dispatch;
  subscribe(listener: ChangeListener): () => void;
  close(): void;
}

export function openCore(options: OpenCoreOptions): Core {
  const { log, ...storeOptions } = options;
  mkdirSync(options.dataDir, { recursive: true });
  const changes = new ChangeBus();
  const store = openStore({ ...storeOptions, dataDir: options.dataDir });
  const stopForwarding = store.onChange((notice) => changes.publish(notice));
  const ctx: CoreContext = {
    product: PRODUCT_NAME,
    version: APP_VERSION,
    dataDir: options.dataDir,
    startedAt: new Date().toISOString(),
    store,
    changes,
    now: options.now ?? Date.now,
  };
  const dispatch = createDispatch(handlers, ctx, log);
  let closed = false;
  return {
    ctx,
    dispatch,
    subscribe: (listener) => changes.subscribe(listener),
    close() {
      if (closed) return;
      closed = true;
      stopForwarding();
      store.close();
    },
  };
}

// The metrics runtime on the core context: refreshes (on request and, in serve/Electron, every
// refreshMs for deploying and stabilizing releases; one at a time, never overlapping), panel
// states, rule statuses, downsampled series, manual readings, and sample batches through sync.
import type { PanelView, SourceSummary } from '../../../shared/api/metrics.ts';
import { fieldView } from '../../../shared/events/views.ts';
import type { ChangeBus } from '../changes.ts';
import type { SecretStore } from '../secrets.ts';
import type { Store } from '../store/index.ts';
import type { SyncHost } from '../sync/host.ts';
import { readPanels, readRules } from './config.ts';
import { MANUAL_SOURCE, READING_KEY } from './locate.ts';
import { refreshRelease, type RefreshMemory } from './refresh.ts';
import { evaluateRules } from './rules.ts';
import type { MetricsRuntime } from './runtime.ts';
import { SampleSync } from './sample-sync.ts';
import { SampleStore } from './samples.ts';
import { readSeries } from './series.ts';

export interface MetricsHostDeps {
  store: Store;
  changes: ChangeBus;
  /** Sample batches travel through the shared folder as a sync extension. */
  sync: SyncHost;
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

const LIVE_STATUSES = new Set(['deploying', 'stabilizing']);

/** The runtime plus what the source handlers read when present (each source's last request). */
export type MetricsHost = MetricsRuntime & { sourceHealth(name: string): SourceSummary['health'] };

export function createMetricsRuntime(deps: MetricsHostDeps, options: MetricsHostOptions = {}): MetricsHost {
  const refreshMs = options.refreshMs ?? 0;
  const samples = new SampleStore(deps.store.db);
  const memory: RefreshMemory = { panels: new Map(), rules: new Map(), ruleErrors: new Map(), health: new Map(), lastRefresh: new Map() };
  const env = { deps, samples, memory };
  deps.sync.addExtension(
    new SampleSync({
      samples,
      signDigest: (digest) => deps.store.signDigest(digest),
      trusted: (device) => {
        const trust = deps.store.trust();
        const t = trust?.get(device);
        return !trust || (t !== undefined && t.admitted && t.foldUpTo === null);
      },
      now: deps.now,
      onArrived: (releases) => {
        for (const release of releases) deps.changes.publish({ topic: 'metrics', release });
      },
    }),
  );

  // Refreshes run one after another: a request during the live loop's refresh waits for it.
  let chain: Promise<unknown> = Promise.resolve();
  const refresh = (release: string) => {
    const run = chain.then(() => refreshRelease(env, release));
    chain = run.catch(() => undefined);
    return run;
  };

  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const liveReleases = () =>
    deps.store
      .entities('release')
      .filter(({ id, state }) => LIVE_STATUSES.has(String(fieldView(state.registers.status).value ?? '')) && (readPanels(deps.store, id).length > 0 || readRules(deps.store, id).length > 0))
      .map(({ id }) => id);
  const round = async () => {
    for (const release of liveReleases()) {
      if (closed) return;
      try {
        await refresh(release);
      } catch (error) {
        deps.log(`[metrics] refresh of ${release} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  };
  const schedule = () => {
    if (closed || refreshMs <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      void round().finally(schedule);
    }, refreshMs);
    timer.unref();
  };

  return {
    refreshMs,
    lastRefreshAt: (release) => {
      const at = memory.lastRefresh.get(release);
      return at === undefined ? null : new Date(at).toISOString();
    },
    panelStates: (release) =>
      readPanels(deps.store, release).map((doc): PanelView => {
        const known = memory.panels.get(release)?.get(doc.id);
        return known ? { doc, ...known } : { doc, state: 'never', message: null, lastGoodAt: null, lastTriedAt: null };
      }),
    ruleStatuses: (release) => evaluateRules(env, release, deps.now()),
    refresh,
    series: (input) => readSeries(env, input),
    storeReading: (release, metric, value, at) => {
      samples.insert([{ series: { release, key: READING_KEY, source: MANUAL_SOURCE, query: metric, labels: '{}' }, t: [at], v: [value] }], deps.store.device().id, true);
      deps.changes.publish({ topic: 'metrics', release });
    },
    sourceHealth: (name) => memory.health.get(name) ?? null,
    start: () => {
      if (closed || timer || refreshMs <= 0) return;
      // The first round runs soon after start, then every refreshMs after the previous one ends.
      timer = setTimeout(() => {
        timer = null;
        void round().finally(schedule);
      }, 0);
      timer.unref();
    },
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

// Metrics slice: the release the Metrics section watches, remembered per machine, so the section
// reopens on it and the shell's alert banner knows which release to follow.
import type { StateCreator } from 'zustand/vanilla';
import type { AppState, StoreDeps } from './store.ts';

export const METRICS_RELEASE_KEY = 'warroom.metrics.release';

export interface MetricsSlice {
  /** The release id chosen in the Metrics section, or null before any choice. */
  metricsRelease: string | null;
  chooseMetricsRelease(release: string | null): void;
}

export function createMetricsSlice(deps: StoreDeps): StateCreator<AppState, [], [], MetricsSlice> {
  return (set) => ({
    metricsRelease: deps.prefs.get(METRICS_RELEASE_KEY) || null,
    chooseMetricsRelease(release) {
      set({ metricsRelease: release });
      deps.prefs.set(METRICS_RELEASE_KEY, release ?? '');
    },
  });
}

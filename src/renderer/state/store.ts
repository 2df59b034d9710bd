// The one bound store, built from typed slices by a factory: the app makes one at start-up,
// and anything that needs a clean slate (a test, a second window) makes its own.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SectionId } from '../../shared/api/bridge.ts';
import type { ApiClient } from '../api/client.ts';
import { createAuditSlice, type AuditSlice } from '../features/audit/index.ts';
import { createReleasesSlice, type ReleasesSlice } from '../features/releases/index.ts';
import { createRunbooksSlice, type RunbooksSlice } from '../features/runbooks/index.ts';
import { createTimelineSlice, type TimelineSlice } from '../features/timeline/index.ts';
import { createMetricsSlice, type MetricsSlice } from './metrics.ts';
import { createSessionSlice, type SessionSlice } from './session.ts';
import { createUiSlice, type UiSlice } from './ui.ts';

export type AppState = SessionSlice & UiSlice & AuditSlice & ReleasesSlice & RunbooksSlice & TimelineSlice & MetricsSlice;
export type AppStore = StoreApi<AppState>;

/** Small key-value storage for per-machine preferences (localStorage in the app). */
export interface Preferences {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export interface StoreDeps {
  client: ApiClient;
  prefs: Preferences;
  networkOnline: boolean;
  initialSection?: SectionId;
  initialView?: string;
}

export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()((...args) => ({
    ...createSessionSlice(deps)(...args),
    ...createUiSlice(deps)(...args),
    ...createAuditSlice(deps)(...args),
    ...createReleasesSlice(deps)(...args),
    ...createRunbooksSlice(deps)(...args),
    ...createTimelineSlice(deps)(...args),
    ...createMetricsSlice(deps)(...args),
  }));
}

/** Preferences in localStorage; a storage that refuses (private mode, quota) only loses memory. */
export function browserPreferences(storage: Storage | undefined): Preferences {
  return {
    get(key) {
      try {
        return storage?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        storage?.setItem(key, value);
      } catch {
        // Nothing useful to do: the choice still applies for this session.
      }
    },
  };
}

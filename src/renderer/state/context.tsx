// Hands the store and the API client to components without module-level singletons, so a
// fresh store can be mounted anywhere.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ApiClient } from '../api/client.ts';
import type { AppState, AppStore } from './store.ts';

interface AppContextValue {
  store: AppStore;
  client: ApiClient;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ store, client, children }: AppContextValue & { children: ReactNode }) {
  return <AppContext.Provider value={{ store, client }}>{children}</AppContext.Provider>;
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('AppProvider is missing above this component.');
  return value;
}

/** Select one value from the store; components re-render only when it changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

export function useClient(): ApiClient {
  return useAppContext().client;
}

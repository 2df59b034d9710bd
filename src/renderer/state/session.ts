// Session slice: what the core says about this device and its person, and whether we can
// reach the core at all. Everything here comes from the API client; nothing is invented.
import type { StateCreator } from 'zustand/vanilla';
import type { AppInfo } from '../../shared/api/app.ts';
import { ApiError, type ErrorCode } from '../../shared/api/errors.ts';
import type { Profile, ProfileInput } from '../../shared/domain/people.ts';
import type { AppState, StoreDeps } from './store.ts';

/** A failure as the UI shows it: the API's code, its message and the field it names, if any. */
export interface Problem {
  code: ErrorCode;
  message: string;
  field?: string;
  /** The API's stable reason for a refusal, when it gives one (e.g. a sync set-up's). */
  reason?: string;
}

/** The core link: over HTTP this follows the change stream; over IPC it is always connected. */
export type CoreLink = 'connecting' | 'connected' | 'unreachable';

export type SaveProfileResult = { ok: true; profile: Profile } | { ok: false; problem: Problem };

export interface SessionSlice {
  info: AppInfo | null;
  profile: Profile | null;
  /** True while app.info is in flight (first load, retry or refresh). */
  infoLoading: boolean;
  /** Why the last app.info failed; cleared by the next success. */
  infoError: Problem | null;
  connection: { core: CoreLink; networkOnline: boolean };
  loadInfo(): Promise<void>;
  saveProfile(input: ProfileInput): Promise<SaveProfileResult>;
  setCoreLink(link: CoreLink): void;
  setNetworkOnline(online: boolean): void;
}

export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) {
    const problem: Problem = { code: error.code, message: error.message };
    if (error.field !== undefined) problem.field = error.field;
    if (error.reason !== undefined) problem.reason = error.reason;
    return problem;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected problem: ${message}` };
}

export function createSessionSlice(deps: StoreDeps): StateCreator<AppState, [], [], SessionSlice> {
  // Several refreshes can overlap (a change notice while a retry runs); only the newest may
  // write, so an older, slower answer never overwrites a newer one.
  let latestRequest = 0;

  return (set, get) => ({
    info: null,
    profile: null,
    infoLoading: false,
    infoError: null,
    connection: { core: deps.client.transport === 'ipc' ? 'connected' : 'connecting', networkOnline: deps.networkOnline },

    async loadInfo() {
      const request = ++latestRequest;
      const askedWhileUnreachable = get().connection.core === 'unreachable';
      set({ infoLoading: true });
      try {
        const info = await deps.client.call('app.info', {});
        if (request !== latestRequest) return;
        set({ info, profile: info.profile, infoLoading: false, infoError: null });
        // A request sent after the link was lost and answered proves the core is back. One sent
        // before the loss proves nothing: its answer may have left just before the core stopped.
        if (askedWhileUnreachable && get().connection.core === 'unreachable') get().setCoreLink('connected');
      } catch (error) {
        if (request !== latestRequest) return;
        const problem = toProblem(error);
        // Once the shell is up, a failed refresh keeps the last known info on screen; the
        // connection indicator tells the user the core is gone.
        set({ infoLoading: false, infoError: problem });
        if (problem.code === 'unavailable') get().setCoreLink('unreachable');
      }
    },

    async saveProfile(input) {
      try {
        const profile = await deps.client.call('profile.set', input);
        const info = get().info;
        set({ profile, info: info ? { ...info, profile } : info });
        return { ok: true, profile };
      } catch (error) {
        return { ok: false, problem: toProblem(error) };
      }
    },

    setCoreLink(core) {
      if (get().connection.core === core) return;
      set({ connection: { ...get().connection, core } });
    },

    setNetworkOnline(networkOnline) {
      if (get().connection.networkOnline === networkOnline) return;
      set({ connection: { ...get().connection, networkOnline } });
    },
  });
}

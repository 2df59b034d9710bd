// The renderer's only way to the core: the preload bridge inside Electron, HTTP + server-sent
// events in a browser (`warroom serve`). Same types, same errors, either way.
import type { ChangeNotice } from '../../shared/api/changes.ts';
import type { InputOf, MethodName, ResultOf } from '../../shared/api/contract.ts';
import { API_PREFIX, CHANGES_PATH, type MenuCommand, type WarroomBridge } from '../../shared/api/bridge.ts';
import { ApiError, errorFromShape, isApiErrorShape, type ApiResult } from '../../shared/api/errors.ts';

export type ChangeListener = (notice: ChangeNotice) => void;
export type ConnectionListener = (connected: boolean) => void;

export interface ApiClient {
  readonly transport: 'ipc' | 'http';
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>>;
  subscribe(listener: ChangeListener): () => void;
  /** Whether the core is reachable (always true over IPC; the SSE stream's state over HTTP). */
  onConnection(listener: ConnectionListener): () => void;
  /** Native menu commands (Electron only; a browser never sends any). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

declare global {
  interface Window {
    warroom?: WarroomBridge;
  }
}

export function createClient(win: Window = window): ApiClient {
  return win.warroom ? bridgeClient(win.warroom) : httpClient(win);
}

function unwrap<T>(result: ApiResult<unknown>): T {
  if (result.ok) return result.value as T;
  throw errorFromShape(result.error);
}

function bridgeClient(bridge: WarroomBridge): ApiClient {
  return {
    transport: 'ipc',
    async call(method, input) {
      return unwrap(await bridge.invoke(method, input));
    },
    subscribe: (listener) => bridge.subscribe(listener),
    onConnection(listener) {
      listener(true);
      return () => {};
    },
    onMenuCommand: (listener) => bridge.onMenuCommand(listener),
  };
}

function httpClient(win: Window): ApiClient {
  const base = win.location.origin;
  const changeListeners = new Set<ChangeListener>();
  const connectionListeners = new Set<ConnectionListener>();
  let source: EventSource | null = null;
  // Unknown until the stream opens or fails, so the first failure is reported as a change too.
  let connected: boolean | null = null;

  const setConnected = (value: boolean) => {
    if (value === connected) return;
    connected = value;
    for (const l of connectionListeners) l(value);
  };

  // One EventSource shared by every subscriber; the browser reconnects it by itself.
  const ensureStream = () => {
    if (source) return;
    source = new EventSource(new URL(CHANGES_PATH, base), { withCredentials: true });
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (message) => {
      let notice: ChangeNotice;
      try {
        notice = JSON.parse(message.data as string) as ChangeNotice;
      } catch {
        return;
      }
      for (const l of changeListeners) l(notice);
    };
  };

  return {
    transport: 'http',
    async call(method, input) {
      let response: Response;
      try {
        response = await fetch(new URL(API_PREFIX + method, base), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        setConnected(false);
        throw new ApiError('unavailable', 'Cannot reach the War Room core; is `warroom serve` still running?');
      }
      // Any HTTP answer means the core is up, even while the change stream is reconnecting.
      setConnected(true);
      const body: unknown = await response.json().catch(() => null);
      if (body && typeof body === 'object' && 'ok' in body) {
        const result = body as ApiResult<unknown>;
        if (result.ok || isApiErrorShape(result.error)) return unwrap(result);
      }
      throw new ApiError('internal', `Unexpected answer from the core (HTTP ${response.status}).`);
    },
    subscribe(listener) {
      changeListeners.add(listener);
      ensureStream();
      return () => changeListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      ensureStream();
      if (connected !== null) listener(connected);
      return () => connectionListeners.delete(listener);
    },
    onMenuCommand: () => () => {},
  };
}

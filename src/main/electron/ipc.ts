// IPC registration derived from the contract: one channel per API method, registered in one
// loop, each call checked for its sender frame before it reaches the dispatch table.
// No `electron` import here, so a test can pass a plain object with the same `handle` method.
import { IPC_CHANGE_CHANNEL } from '../../shared/api/bridge.ts';
import type { ChangeNotice } from '../../shared/api/changes.ts';
import { METHOD_NAMES } from '../../shared/api/contract.ts';
import { ApiError, type ApiResult } from '../../shared/api/errors.ts';
import type { Dispatch } from '../core/dispatch.ts';

export const channelFor = (method: string): string => `api:${method}`;

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcEventLike {
  senderFrame?: { url: string } | null;
}

export interface IpcOptions {
  /** Accepts only frames showing our own renderer (VS Code checks the frame, not just the channel). */
  isTrustedFrameUrl(url: string): boolean;
}

export function registerIpc(ipcMain: IpcMainLike, dispatch: Dispatch, options: IpcOptions): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(channelFor(method), async (event, input): Promise<ApiResult<unknown>> => {
      const url = event.senderFrame?.url;
      if (!url || !options.isTrustedFrameUrl(url)) {
        return { ok: false, error: new ApiError('forbidden', 'Calls are accepted only from the War Room window.').toJSON() };
      }
      return dispatch(method, input);
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(channelFor(method));
  };
}

export interface WebContentsLike {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Forwards core changes to a window until it closes. */
export function forwardChanges(
  subscribe: (listener: (notice: ChangeNotice) => void) => () => void,
  contents: WebContentsLike,
): () => void {
  const unsubscribe = subscribe((notice) => {
    if (contents.isDestroyed()) {
      unsubscribe();
      return;
    }
    contents.send(IPC_CHANGE_CHANNEL, notice);
  });
  return unsubscribe;
}

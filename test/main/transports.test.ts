// The three transports share one dispatch table: the same call through HTTP and through the
// IPC registration gives the same result and the same typed error.
import { afterEach, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src/shared/api/contract.ts';
import type { ApiResult } from '../../src/shared/api/errors.ts';
import { openCore, type Core } from '../../src/main/core/core.ts';
import { startHost, type RunningHost } from '../../src/main/host/server.ts';
import { channelFor, forwardChanges, registerIpc, type IpcEventLike, type IpcMainLike } from '../../src/main/electron/ipc.ts';
import { tempDir } from '../helpers/tmp.ts';

/** The only fake in the suite: Electron's ipcMain, which cannot run here. Same `handle` contract. */
class RecordingIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  invoke(channel: string, frameUrl: string, input: unknown): Promise<ApiResult<unknown>> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return Promise.resolve(handler({ senderFrame: { url: frameUrl } }, input) as ApiResult<unknown>);
  }
}

const TRUSTED = 'app://warroom/index.html';

describe('transports over one dispatch table', () => {
  let core: Core;
  let host: RunningHost;
  const ipc = new RecordingIpcMain();

  const setUp = async () => {
    core = openCore({ dataDir: tempDir() });
    host = await startHost({ host: '127.0.0.1', port: 0, dispatch: core.dispatch, subscribe: core.subscribe, staticDir: null });
    registerIpc(ipc, core.dispatch, { isTrustedFrameUrl: (url) => url.startsWith('app://warroom/') });
  };
  const http = async (method: string, body: string): Promise<{ status: number; json: ApiResult<unknown> }> => {
    const res = await fetch(`${host.url}api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, json: (await res.json()) as ApiResult<unknown> };
  };

  afterEach(async () => {
    await host?.close();
    core?.close();
    for (const channel of [...ipc.handlers.keys()]) ipc.removeHandler(channel);
  });

  it('registers exactly one IPC channel per contract method', async () => {
    await setUp();
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(channelFor).sort());
  });

  it('gives the same field-level error for the same bad input', async () => {
    await setUp();
    const bad = { name: '   ', role: 'coordinator' };
    const viaHttp = await http('profile.set', JSON.stringify(bad));
    const viaIpc = await ipc.invoke(channelFor('profile.set'), TRUSTED, bad);
    expect(viaHttp.status).toBe(400);
    expect(viaHttp.json).toEqual(viaIpc);
    expect(viaIpc).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Enter a name.', field: 'name' } });

    const badRole = { name: 'Ada', role: 'janitor' };
    const roleHttp = await http('profile.set', JSON.stringify(badRole));
    expect(roleHttp.json).toEqual(await ipc.invoke(channelFor('profile.set'), TRUSTED, badRole));
    expect(roleHttp.json).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'role' } });
  });

  it('gives the same result for the same good call, and both see each other’s writes', async () => {
    await setUp();
    const viaIpc = await ipc.invoke(channelFor('profile.set'), TRUSTED, { name: 'Ada Lovelace', role: 'coordinator' });
    expect(viaIpc).toMatchObject({ ok: true, value: { name: 'Ada Lovelace', role: 'coordinator' } });
    const viaHttp = await http('profile.get', '{}');
    expect(viaHttp.json).toEqual(await ipc.invoke(channelFor('profile.get'), TRUSTED, {}));
    expect(viaHttp.json).toMatchObject({ ok: true, value: { name: 'Ada Lovelace' } });
    const info = await http('app.info', '');
    expect(info.json).toMatchObject({ ok: true, value: { profile: { name: 'Ada Lovelace' }, sync: { state: 'not_configured' } } });
  });

  it('refuses calls from a frame that is not the War Room window', async () => {
    await setUp();
    const result = await ipc.invoke(channelFor('app.info'), 'https://evil.example/', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('answers unknown methods with the same typed error over HTTP as the dispatch table', async () => {
    await setUp();
    const viaHttp = await http('release.explode', '{}');
    expect(viaHttp.status).toBe(400);
    expect(viaHttp.json).toEqual(await core.dispatch('release.explode', {}));
    expect(viaHttp.json).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });
});

describe('change forwarding to a window', () => {
  it('sends each change on the change channel and stops once the window is gone', async () => {
    const core = openCore({ dataDir: tempDir() });
    try {
      const sent: Array<[string, unknown]> = [];
      let destroyed = false;
      const contents = { isDestroyed: () => destroyed, send: (channel: string, notice: unknown) => sent.push([channel, notice]) };
      // The core listens to its own bus (alert transitions re-answer go/no-go criteria).
      const ownListeners = core.ctx.changes.size;
      forwardChanges(core.subscribe, contents);
      await core.dispatch('profile.set', { name: 'Ada', role: 'engineer' });
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every(([channel]) => channel === 'warroom:change')).toBe(true);
      destroyed = true;
      const before = sent.length;
      await core.dispatch('profile.set', { name: 'Ada L.', role: 'engineer' });
      await core.dispatch('profile.set', { name: 'Ada Lovelace', role: 'engineer' });
      expect(sent.length).toBe(before);
      expect(core.ctx.changes.size).toBe(ownListeners);
    } finally {
      core.close();
    }
  });
});

// The preload script: exposes the tiny `window.warroom` surface and nothing else. It runs
// sandboxed, so only `electron` may be required; the rest is bundled in by esbuild.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANGE_CHANNEL, IPC_MENU_CHANNEL, type MenuCommand, type WarroomBridge } from '../../shared/api/bridge.ts';
import type { ChangeNotice } from '../../shared/api/changes.ts';
import { isMethodName } from '../../shared/api/contract.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { channelFor } from './ipc.ts';

const bridge: WarroomBridge = {
  async invoke(method, input) {
    if (typeof method !== 'string' || !isMethodName(method)) {
      return { ok: false, error: new ApiError('unknown_method', `Unknown API method "${String(method)}".`).toJSON() };
    }
    return ipcRenderer.invoke(channelFor(method), input);
  },
  subscribe(listener) {
    const wrapped = (_event: IpcRendererEvent, notice: ChangeNotice) => listener(notice);
    ipcRenderer.on(IPC_CHANGE_CHANNEL, wrapped);
    return () => {
      ipcRenderer.off(IPC_CHANGE_CHANNEL, wrapped);
    };
  },
  onMenuCommand(listener) {
    const wrapped = (_event: IpcRendererEvent, command: MenuCommand) => listener(command);
    ipcRenderer.on(IPC_MENU_CHANNEL, wrapped);
    return () => {
      ipcRenderer.off(IPC_MENU_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('warroom', bridge);

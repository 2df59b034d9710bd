// Electron's main process: thin. It opens the core on userData, registers IPC from the contract,
// and shows one hardened window. All behaviour lives in the core and the renderer.
import { app, BrowserWindow, dialog, ipcMain, Menu } from 'electron';
import { join } from 'node:path';
import { openCore, type Core } from '../core/core.ts';
import type { ChangeNotice } from '../../shared/api/changes.ts';
import { forwardChanges, registerIpc } from './ipc.ts';
import { buildMenu } from './menu.ts';
import { notify } from './notify.ts';
import { openSecretStore } from './secrets.ts';
import { APP_ENTRY, hardenSessions, isTrustedFrameUrl, registerAppScheme, serveRenderer } from './security.ts';
import { createSecureWindow, windowStateFile } from './window.ts';

const isDev = !app.isPackaged && process.env.WARROOM_DEV === '1';
// Tests and power users may point the app at another data folder; otherwise userData.
if (process.env.WARROOM_DATA_DIR) app.setPath('userData', process.env.WARROOM_DATA_DIR);

registerAppScheme();

// One instance per user: a second launch focuses the first (and the core's database lock holds).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: Core | null = null;
  let mainWindow: BrowserWindow | null = null;

  const alertNotification = (notice: ChangeNotice) => {
    if (notice.topic !== 'alert' || notice.state === 'resolved') return;
    const what = notice.state === 'firing' ? 'fired' : 'has no data';
    notify({
      title: `Alert “${notice.title}” ${what}`,
      body: notice.detail,
      urgency: notice.state === 'firing' ? 'critical' : 'normal',
      onClick: () => {
        if (!mainWindow) showWindow();
        mainWindow?.show();
        mainWindow?.focus();
      },
    });
  };

  const showWindow = () => {
    if (!core) return;
    const bundleDir = __dirname; // dist/main/electron
    mainWindow = createSecureWindow({
      title: 'Release War Room',
      preload: join(bundleDir, 'preload.cjs'),
      stateFile: windowStateFile(app.getPath('userData')),
    });
    const stopForwarding = forwardChanges(core.subscribe, mainWindow.webContents);
    mainWindow.on('closed', () => {
      stopForwarding();
      mainWindow = null;
    });
    void mainWindow.loadURL(APP_ENTRY);
  };

  app.on('second-instance', () => {
    if (!mainWindow) return showWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.whenReady().then(
    () => {
      hardenSessions();
      serveRenderer(join(__dirname, '..', '..', 'renderer'));
      try {
        const userData = app.getPath('userData');
        core = openCore({ dataDir: userData, sync: { run: true }, secrets: openSecretStore(userData), metrics: { refreshMs: 15_000 } });
        // An alert that fires (or loses its data) is a desktop notification; a resolution stays quiet (timeline and banner).
        core.subscribe((notice) => alertNotification(notice));
        // Sync starts only when a folder is configured; its problems are reported in the app, never fatal.
        void core.startSync().catch((error: unknown) => process.stderr.write(`[sync] not started: ${String(error)}\n`));
      } catch (error) {
        dialog.showErrorBox('Release War Room cannot open its data', error instanceof Error ? error.message : String(error));
        app.exit(1);
        return;
      }
      registerIpc(ipcMain, core.dispatch, { isTrustedFrameUrl });
      Menu.setApplicationMenu(buildMenu(isDev));
      showWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) showWindow();
      });
    },
    (error: unknown) => {
      process.stderr.write(`Release War Room failed to start: ${String(error)}\n`);
      app.exit(1);
    },
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    core?.close();
    core = null;
  });
}

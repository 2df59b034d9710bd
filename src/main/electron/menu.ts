// The application menu: the usual roles plus one shortcut per main section, sent to the
// focused window as menu commands the renderer handles.
import { app, BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron';
import { IPC_MENU_CHANNEL, SECTION_LABELS, SECTIONS, type MenuCommand } from '../../shared/api/bridge.ts';
import { openExternalSafely } from './security.ts';

function send(command: MenuCommand): void {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  win?.webContents.send(IPC_MENU_CHANNEL, command);
}

export function buildMenu(isDev: boolean): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'Go',
      submenu: SECTIONS.map((id, index) => ({
        label: SECTION_LABELS[id],
        accelerator: `CmdOrCtrl+${index + 1}`,
        click: () => send(`navigate:${id}`),
      })),
    },
    {
      label: 'View',
      submenu: [
        { label: 'Toggle Light/Dark Theme', accelerator: 'CmdOrCtrl+Shift+L', click: () => send('theme:toggle') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(isDev ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Keyboard Shortcuts', accelerator: 'Shift+/', click: () => send('help:shortcuts') },
        { label: 'About Release War Room', click: () => app.showAboutPanel() },
        { label: 'Project Website', click: () => openExternalSafely('https://github.com/release-war-room/release-war-room') },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}

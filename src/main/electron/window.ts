// The one window factory: secure defaults in one place, size and position remembered.
import { BrowserWindow, screen } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { secureWebPreferences } from './web-preferences.ts';

const windowState = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(640),
  height: z.number().int().min(480),
  maximized: z.boolean(),
});
type WindowState = z.infer<typeof windowState>;

export interface WindowOptions {
  preload: string;
  stateFile: string;
  title: string;
}

export function createSecureWindow(options: WindowOptions): BrowserWindow {
  const saved = readState(options.stateFile);
  const win = new BrowserWindow({
    title: options.title,
    width: saved?.width ?? 1280,
    height: saved?.height ?? 800,
    ...(saved ? { x: saved.x, y: saved.y } : {}),
    minWidth: 640,
    minHeight: 480,
    show: false,
    backgroundColor: '#0f1419', // the dark theme's background: no white flash in a dim room
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(options.preload),
  });
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const remember = () => writeState(options.stateFile, win);
  win.on('resized', remember);
  win.on('moved', remember);
  win.on('close', remember);
  return win;
}

function readState(file: string): WindowState | null {
  try {
    const parsed = windowState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return null;
    // A monitor that was unplugged since: do not open the window off screen.
    const visible = screen.getAllDisplays().some(({ workArea: a }) => {
      const s = parsed.data;
      return s.x < a.x + a.width - 50 && s.x + s.width > a.x + 50 && s.y >= a.y - 10 && s.y < a.y + a.height - 50;
    });
    return visible ? parsed.data : { ...parsed.data, x: 0, y: 0 };
  } catch {
    return null;
  }
}

function writeState(file: string, win: BrowserWindow): void {
  if (win.isDestroyed()) return;
  const bounds = win.isMaximized() ? win.getNormalBounds() : win.getBounds();
  const state: WindowState = { ...bounds, maximized: win.isMaximized() };
  try {
    writeFileSync(file, JSON.stringify(state));
  } catch {
    // Losing the window position is not worth interrupting the user for.
  }
}

export function windowStateFile(userData: string): string {
  return join(userData, 'window-state.json');
}

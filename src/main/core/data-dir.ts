// Where a device keeps its data. The CLI and `serve` default to the folder Electron uses as
// userData for this product on each OS, so all three share one database.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PRODUCT_NAME } from './version.ts';

export interface DataDirEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

/** Electron's appData for the platform, joined with the product name (Electron's userData). */
export function defaultDataDir(
  { platform, env, home }: DataDirEnv = { platform: process.platform, env: process.env, home: homedir() },
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}

/** `--data-dir` wins, then WARROOM_DATA_DIR, then the OS default. */
export function resolveDataDir(flag: string | undefined, env: Record<string, string | undefined> = process.env): string {
  if (flag && flag.trim()) return flag;
  const fromEnv = env.WARROOM_DATA_DIR;
  if (fromEnv && fromEnv.trim()) return fromEnv;
  return defaultDataDir();
}

// This device's sync settings, kept in the data folder (never in the shared folder): which
// shared folder, which war room it belongs to, how often to poll.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { publishFile } from './fsops.ts';

export const SYNC_CONFIG_FILE = 'sync.json';
export const DEFAULT_POLL_MS = 2000;

const configSchema = z.strictObject({
  folder: z.string().min(1),
  workspaceId: z.string().min(1).nullable(),
  pollMs: z.number().int().min(50).max(600_000).optional(),
});
export type SyncConfig = z.infer<typeof configSchema>;

export function readSyncConfig(dataDir: string): SyncConfig | null {
  const path = join(dataDir, SYNC_CONFIG_FILE);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); fix or remove it to set up sync again.`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a sync configuration (${parsed.error.issues[0]?.message}); fix or remove it.`);
  return parsed.data;
}

export function writeSyncConfig(dataDir: string, config: SyncConfig): void {
  publishFile(join(dataDir, SYNC_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`, { overwrite: true });
}

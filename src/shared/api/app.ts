// API group: the application itself and the person at this device.
import { z } from 'zod';
import { method } from './define.ts';
import { profileInput, type Profile } from '../domain/people.ts';

export type SyncState = 'not_configured' | 'in_step' | 'syncing' | 'offline' | 'problem';

export interface DeviceInfo {
  id: string;
  /** Short, human-comparable fingerprint of the device's public key. */
  fingerprint: string;
}

export interface AppInfo {
  product: string;
  version: string;
  dataDir: string;
  device: DeviceInfo;
  profile: Profile | null;
  sync: { state: SyncState; folder: string | null; lastSyncAt: string | null };
  startedAt: string;
  /** What this connection may do: 'read' for a wall display opened with a read-only token. */
  access: 'read' | 'write';
}

const noInput = z.strictObject({});

export const appApi = {
  'app.info': method<AppInfo>()({
    input: noInput,
    access: 'read',
    summary: 'Product, version, data folder, this device, the person at it and the sync state.',
  }),
  'profile.get': method<Profile | null>()({
    input: noInput,
    access: 'read',
    summary: 'The person at this device, or null before first run.',
  }),
  'profile.set': method<Profile>()({
    input: profileInput,
    access: 'write',
    summary: 'Create or change the person at this device (first run, or a profile change).',
  }),
};

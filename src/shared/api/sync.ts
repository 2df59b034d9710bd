// API group: the shared-folder sync — status, set-up, "sync now", devices and their admission.
import { z } from 'zod';
import { method } from './define.ts';
import { DEVICE_ID } from '../events/envelope.ts';
import type { SyncStatus } from '../sync/status.ts';

const noInput = z.strictObject({});
const deviceId = z.string().regex(DEVICE_ID, 'Expected a device id.');

export const syncApi = {
  'sync.status': method<SyncStatus>()({
    input: noInput,
    access: 'read',
    summary: 'Folder, state, last successful sync, peer devices and every problem with what to do.',
  }),
  'sync.now': method<SyncStatus>()({
    input: noInput,
    access: 'write',
    summary: 'Run one sync pass now (publish, pull, receipts) and return the status after it.',
  }),
  'sync.setup': method<SyncStatus>()({
    input: z.strictObject({
      folder: z.string().trim().min(1).max(4096),
      pollMs: z.number().int().min(50).max(600_000).optional(),
    }),
    access: 'write',
    summary: 'Use a shared folder: initialise an empty one, join an existing war room, refuse anything else.',
  }),
  'sync.admit': method<SyncStatus>()({
    input: z.strictObject({ device: deviceId }),
    access: 'write',
    summary: 'Admit a device (after comparing its key fingerprint): its events fold from now on.',
  }),
  'sync.revoke': method<SyncStatus>()({
    input: z.strictObject({ device: deviceId, reason: z.string().trim().min(1).max(500) }),
    access: 'write',
    summary: 'Revoke a device: events it writes after what we have seen are kept but not folded.',
  }),
};

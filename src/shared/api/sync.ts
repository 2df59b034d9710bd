// API group: the shared-folder sync — status, set-up, "sync now", devices and their admission,
// and the §1.7 repair of another device's log folder. Set-up and repair refusals carry a stable
// `reason` (SETUP_REFUSALS, REPAIR_REFUSALS in shared/sync/status.ts).
import { z } from 'zod';
import { method } from './define.ts';
import { DEVICE_ID } from '../events/envelope.ts';
import type { RepairPlan, RepairResult, SyncStatus } from '../sync/status.ts';

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
  'sync.repairPlan': method<RepairPlan>()({
    input: z.strictObject({ device: deviceId }),
    access: 'read',
    summary: "Which of a device's events this database holds that its log folder lost, and the files a repair would write.",
  }),
  'sync.repair': method<RepairResult>()({
    input: z.strictObject({ device: deviceId, confirm: z.boolean().optional() }),
    access: 'write',
    summary: "Re-publish a device's lost segments byte-identically into its folder (needs confirm: true); never overwrites.",
  }),
};

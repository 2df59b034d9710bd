// How each sync state reads to a person, and how urgent it is (the status bar colours by tone).
import type { SyncState } from '../../../shared/api/app.ts';

export type Tone = 'neutral' | 'ok' | 'warn' | 'danger';

export const SYNC_STATE_TEXT: Record<SyncState, { label: string; tone: Tone; detail: string }> = {
  not_configured: {
    label: 'Sync not set up',
    tone: 'neutral',
    detail: 'Everything you record stays on this device until a shared folder is set up.',
  },
  in_step: { label: 'Synced', tone: 'ok', detail: 'This device has every change the shared folder holds.' },
  syncing: { label: 'Syncing…', tone: 'ok', detail: 'Exchanging changes with the shared folder.' },
  offline: {
    label: 'Sync folder offline',
    tone: 'warn',
    detail: 'The shared folder cannot be reached; you keep working locally and catch up when it returns.',
  },
  problem: {
    label: 'Sync problem',
    tone: 'danger',
    detail: 'Some files in the shared folder could not be used; open Sync for the details.',
  },
};

// How each sync state reads to a person, and how urgent it is (the status bar colours by tone).
import type { SyncState } from '../../../shared/api/app.ts';
import type { Admission, ProblemCode, Severity } from '../../../shared/sync/status.ts';

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

/** How a device's standing reads, and its tone. */
export const ADMISSION_TEXT: Record<Admission, { label: string; tone: Tone }> = {
  self: { label: 'This device', tone: 'neutral' },
  admitted: { label: 'Admitted', tone: 'ok' },
  waiting: { label: 'Waiting for admission', tone: 'warn' },
  revoked: { label: 'Revoked', tone: 'danger' },
};

/** A short title per kind of problem; the core's message says what exactly, its action what to do. */
export const PROBLEM_TITLE: Record<ProblemCode, string> = {
  folder_unavailable: 'Folder unreachable',
  folder_mismatch: 'Another war room’s folder',
  format_unsupported: 'Unknown or newer folder format',
  foreign_file: 'Foreign or conflicted file',
  in_flight: 'Segment still arriving',
  corrupt_segment: 'Corrupt segment',
  corrupt_line: 'Quarantined line',
  bad_signature: 'Bad signature (quarantined)',
  chain_break: 'Chain break',
  key_changed: 'Device key changed',
  bad_device_file: 'Unusable device file',
  gap: 'Missing segment',
  fork: 'Forked device identity',
  went_backwards: 'Log went backwards',
  future_dated: 'Clock ahead',
  publish_failed: 'Publishing failed',
  corrupt_blob: 'Damaged evidence file',
};

export const SEVERITY_TEXT: Record<Severity, { label: string; tone: Tone }> = {
  info: { label: 'Info', tone: 'neutral' },
  warn: { label: 'Warning', tone: 'warn' },
  error: { label: 'Error', tone: 'danger' },
};

// How each sync state reads to a person, and how urgent it is (the status bar colours by tone);
// how each set-up refusal reads, chosen by the core's stable reason, never by its message text.
import type { SyncState } from '../../../shared/api/app.ts';
import type { Admission, ProblemCode, SetupRefusal, Severity } from '../../../shared/sync/status.ts';

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
  log_unreadable: 'Device log unreadable',
  log_incomplete: 'Device log has holes',
  corrupt_blob: 'Damaged evidence file',
};

export const SEVERITY_TEXT: Record<Severity, { label: string; tone: Tone }> = {
  info: { label: 'Info', tone: 'neutral' },
  warn: { label: 'Warning', tone: 'warn' },
  error: { label: 'Error', tone: 'danger' },
};

/** A set-up refusal's title and what to do, by the reason the core gives (SETUP_REFUSALS). */
export const SETUP_REFUSAL_TEXT: Record<SetupRefusal, { title: string; hint: string }> = {
  not_empty: {
    title: 'This folder is not empty and is not a war room folder.',
    hint: 'Choose an empty folder to start a war room, or the folder your colleagues already use.',
  },
  format_unsupported: {
    title: 'This folder uses an unknown format.',
    hint: 'It was not made by Release War Room, or its warroom-sync.json is damaged. Choose another folder.',
  },
  format_newer: {
    title: 'This folder uses a newer format than this app.',
    hint: 'Another laptop runs a newer Release War Room. Install that version on this device, then choose the folder again; nothing was changed.',
  },
  other_workspace: {
    title: 'This folder belongs to another war room.',
    hint: 'This device already syncs with a different war room; choose that war room’s folder.',
  },
  other_genesis: {
    title: 'This folder belongs to another war room.',
    hint: 'This device’s data comes from a war room another device started; choose that war room’s folder.',
  },
  genesis_key_mismatch: {
    title: 'This folder’s founding device shows another key.',
    hint: 'It may be a forged or mixed-up copy. Check with the war room’s coordinator before using it.',
  },
  already_in_war_room: {
    title: 'This device already belongs to a war room.',
    hint: 'Choose that war room’s shared folder; if it went missing, restore it rather than starting a new war room.',
  },
  cannot_create: { title: 'This folder cannot be created.', hint: 'Check the path and that you may write there.' },
  unreadable: { title: 'This folder cannot be read.', hint: 'Check it is reachable and fully copied by the sync client, then try again.' },
};

/** Problems a repair from this device's copy may fix (the folder lost a device's segments). */
export const REPAIRABLE: readonly ProblemCode[] = ['went_backwards', 'gap', 'log_incomplete'];

// What the sync engine reports: overall state, each peer device, and every problem with what to
// do about it. Shared by the core (which builds it), the CLI (which prints it) and the renderer.
import type { SyncState } from '../api/app.ts';

export type ProblemCode =
  | 'folder_unavailable'
  | 'folder_mismatch'
  | 'format_unsupported'
  | 'foreign_file'
  | 'in_flight'
  | 'corrupt_segment'
  | 'corrupt_line'
  | 'bad_signature'
  | 'chain_break'
  | 'key_changed'
  | 'bad_device_file'
  | 'gap'
  | 'fork'
  | 'went_backwards'
  | 'future_dated'
  | 'publish_failed'
  | 'log_unreadable'
  | 'log_incomplete'
  | 'corrupt_blob';

export type Severity = 'info' | 'warn' | 'error';

export interface SyncProblem {
  code: ProblemCode;
  severity: Severity;
  /** Path relative to the shared folder, when a file is involved. */
  file: string | null;
  line: number | null;
  device: string | null;
  seq: number | null;
  message: string;
  /** What a person can do about it. */
  action: string;
}

export type Admission = 'self' | 'admitted' | 'waiting' | 'revoked';

export interface PeerStatus {
  id: string;
  person: string | null;
  fingerprint: string | null;
  admission: Admission;
  /** When the device last wrote its head.json (its own clock), or null. */
  lastSeen: string | null;
  /** Events of this device stored here (its ingested seq). */
  eventsApplied: number;
  /** The highest seq the folder holds for it, when known. */
  published: number | null;
  /** What it reports having ingested of this device (its delivery receipt), when known. */
  hasOurs: number | null;
  /** The device that admitted it ('genesis' for the workspace's first device), when admitted. */
  admittedBy: string | null;
  /** Why it was revoked (the reason given in `device.revoked`), when revoked. */
  revokedReason: string | null;
}

export interface SyncStatus {
  state: SyncState;
  folder: string | null;
  workspaceId: string | null;
  lastSyncAt: string | null;
  pollMs: number;
  /** File-system notifications are in use (polling always runs as well). */
  watching: boolean;
  device: { id: string; fingerprint: string; admission: Admission | null };
  /** Local events not yet in the shared folder. */
  unpublished: number;
  peers: PeerStatus[];
  problems: SyncProblem[];
  /** Merging of this device's small segments (§1.8), when a folder is in use. */
  compaction?: CompactionStatus;
}

export interface CompactionStatus {
  enabled: boolean;
  /** Small segments already merged whose files stay until the grace period ends (slow clients catch up). */
  awaitingDeletion: number;
  /** When the next of them may be deleted, or null. */
  nextDeletionAt: string | null;
  graceMs: number;
}

/** One line on compaction, for the CLI status and the Sync view. */
export function describeCompaction(c: CompactionStatus): string {
  if (!c.enabled) return 'off: small segments are never merged';
  if (c.awaitingDeletion === 0) return 'on: nothing waits for deletion';
  return `on: ${c.awaitingDeletion} merged segment file${c.awaitingDeletion === 1 ? '' : 's'} kept through a grace period of ${spell(c.graceMs)} (the first may go at ${c.nextDeletionAt})`;
}

function spell(ms: number): string {
  const [n, unit] = ms >= 86_400_000 ? [ms / 86_400_000, 'day'] : ms >= 3_600_000 ? [ms / 3_600_000, 'hour'] : [Math.max(1, ms / 60_000), 'minute'];
  const rounded = Math.round(n * 10) / 10;
  return `${rounded} ${unit}${rounded === 1 ? '' : 's'}`;
}

/** The overall state from the problems (offline wins; then errors; else in step). */
export function stateFrom(problems: readonly SyncProblem[], running: boolean): SyncState {
  if (problems.some((p) => p.code === 'folder_unavailable')) return 'offline';
  if (problems.some((p) => p.severity === 'error')) return 'problem';
  return running ? 'syncing' : 'in_step';
}

export function describeProblem(p: SyncProblem): string {
  const where = [p.file && `${p.file}${p.line ? `:${p.line}` : ''}`, p.device && `device ${p.device}${p.seq ? ` seq ${p.seq}` : ''}`].filter(Boolean).join(', ');
  return `${where ? `${where}: ` : ''}${p.message}`;
}

/**
 * Why `sync.setup` refused a folder: the `reason` of its ApiError. Screens and scripts pick their
 * words by these, never by the message text.
 */
export const SETUP_REFUSALS = [
  /** The folder holds other files and no warroom-sync.json. */
  'not_empty',
  /** warroom-sync.json of an unknown format, or malformed. */
  'format_unsupported',
  /** warroom-sync.json of a newer format version than this app understands. */
  'format_newer',
  /** The folder holds another war room than the one this device syncs with. */
  'other_workspace',
  /** The folder was started by another genesis device than this device's data. */
  'other_genesis',
  /** The folder's genesis device has another key than the one this device pinned. */
  'genesis_key_mismatch',
  /** The folder is empty but this device already belongs to a war room. */
  'already_in_war_room',
  /** The folder does not exist and cannot be created. */
  'cannot_create',
  /** The folder or its marker cannot be read (permissions, half-copied). */
  'unreadable',
] as const;
export type SetupRefusal = (typeof SETUP_REFUSALS)[number];

/** Why `sync.repairPlan` / `sync.repair` refused (§1.7 repair). */
export const REPAIR_REFUSALS = [
  /** No shared folder is set up. */
  'not_configured',
  /** The device is this one: our own log is published by the normal path. */
  'own_device',
  /** The device's device.json is missing or unusable: only its owner can restore that. */
  'no_device_file',
  /** The device is blocked by a fork, bad signature or key change: a person decides first. */
  'device_blocked',
  /** `sync.repair` was called without `confirm: true`. */
  'not_confirmed',
  /** An event we hold does not reproduce the hash or signature its device gave it. */
  'not_identical',
] as const;
export type RepairRefusal = (typeof REPAIR_REFUSALS)[number];

/** A run of consecutive seqs of one device. */
export interface SeqRange {
  from: number;
  to: number;
}

/** What a repair would write for one device: the ranges we hold that no valid file covers. */
export interface RepairPlan {
  device: string;
  person: string | null;
  /** The highest seq of the device this database holds. */
  held: number;
  /** Seq ranges we hold that no valid segment file in the device's log folder covers. */
  missing: SeqRange[];
  /** Files that would be written, relative to the shared folder. */
  files: { path: string; from: number; to: number; events: number }[];
  events: number;
}

export interface RepairResult {
  device: string;
  /** Files written (relative to the shared folder). */
  written: string[];
  /** Files skipped because a file of that name already exists (never overwritten). */
  existed: string[];
  events: number;
  /** The plan after the repair (empty `missing` when everything is covered again). */
  after: RepairPlan;
}

/** The parts of 1..held that none of the ranges (in any order, overlapping or nested) covers. */
export function uncovered(covered: readonly SeqRange[], held: number): SeqRange[] {
  const missing: SeqRange[] = [];
  let next = 1;
  for (const r of [...covered].sort((a, b) => a.from - b.from)) {
    if (next > held) break;
    if (r.from > next) missing.push({ from: next, to: Math.min(r.from - 1, held) });
    next = Math.max(next, r.to + 1);
  }
  if (next <= held) missing.push({ from: next, to: held });
  return missing;
}

/** "5–12, 20" for seq ranges, as the CLI and the Sync view name them. */
export function describeRanges(ranges: readonly SeqRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`)).join(', ');
}

/** Who admitted a peer, as a person reads it: the genesis, this device, or the admitter's person and id. */
export function describeAdmitter(status: Pick<SyncStatus, 'device' | 'peers'>, admittedBy: string | null): string | null {
  if (admittedBy === null) return null;
  if (admittedBy === 'genesis') return 'started the war room';
  if (admittedBy === status.device.id) return 'this device';
  const person = status.peers.find((p) => p.id === admittedBy)?.person;
  return person ? `${person} (${admittedBy})` : admittedBy;
}

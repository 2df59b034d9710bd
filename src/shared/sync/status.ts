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

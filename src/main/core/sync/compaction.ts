// Segment compaction (SYNC-PROTOCOL §1.8), owner only: a run of small, contiguous, published
// segments of this device is merged into one segment whose bytes are exactly their concatenation
// (byte-identical events, so readers accept the overlap). The replaced files are deleted only once
// the grace period has passed since the merge, as recorded locally in <dataDir>/sync-compaction.json.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { segmentName, type SegmentName } from '../../../shared/sync/names.ts';
import type { CompactionStatus, SyncProblem } from '../../../shared/sync/status.ts';
import { logDir } from './folder.ts';
import { errorCode, failpoint, publishFile } from './fsops.ts';
import { h16, parseSegment, readMatchingSegment, SEGMENT_BYTES, segmentFiles } from './segments.ts';

export interface CompactionOptions {
  /** Merge only when at least this many small segments form a contiguous run. */
  minSegments: number;
  /** How long replaced files stay after the merge (slow cloud clients catch up): ≥ 7 days. */
  graceMs: number;
}

export const DEFAULT_COMPACTION: CompactionOptions = { minSegments: 20, graceMs: 7 * 24 * 60 * 60 * 1000 };
/** Segments below this size count as small. */
export const SMALL_SEGMENT_BYTES = 256 * 1024;
export const COMPACTION_RECORD = 'sync-compaction.json';

export interface CompactionContext extends CompactionOptions {
  dataDir: string;
  now: () => number;
  /** Our events up to this seq are published; later segments are not touched. */
  publishedTo: number;
}

const SEGMENT_FILE = z.string().regex(/^\d{12}-\d{12}\.[0-9a-f]{16}\.ndjson$/);
const Entry = z.object({ device: z.string().min(1), merged: SEGMENT_FILE, replaced: z.array(SEGMENT_FILE), at: z.number() });
const CompactionRecord = z.object({ version: z.literal(1), entries: z.array(Entry) });
type Entry = z.infer<typeof Entry>;
type CompactionRecord = z.infer<typeof CompactionRecord>;

interface Present extends SegmentName {
  name: string;
  size: number;
}

/** The local record; a missing or unreadable one is empty (nothing is then deleted until re-adopted). */
export function readCompactionRecord(dataDir: string): CompactionRecord {
  try {
    const parsed = CompactionRecord.safeParse(JSON.parse(readFileSync(join(dataDir, COMPACTION_RECORD), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // missing or torn: start empty
  }
  return { version: 1, entries: [] };
}

/** What the Sync view and `warroom sync status` say about compaction. */
export function compactionStatus(dataDir: string, deviceId: string, options: CompactionOptions | false): CompactionStatus {
  const graceMs = options ? options.graceMs : DEFAULT_COMPACTION.graceMs;
  const entries = readCompactionRecord(dataDir).entries.filter((e) => e.device === deviceId);
  const next = entries.length > 0 ? Math.min(...entries.map((e) => e.at)) + graceMs : null;
  return {
    enabled: options !== false,
    awaitingDeletion: entries.reduce((n, e) => n + e.replaced.length, 0),
    nextDeletionAt: next === null ? null : new Date(next).toISOString(),
    graceMs,
  };
}

function saveRecord(dataDir: string, record: CompactionRecord): void {
  publishFile(join(dataDir, COMPACTION_RECORD), `${JSON.stringify(record, null, 1)}\n`, { overwrite: true });
}

/** One compaction step for our own log folder: adopt unrecorded merges, delete expired, merge. */
export function compactOwn(folder: string, deviceId: string, ctx: CompactionContext, problems: SyncProblem[]): void {
  const dir = logDir(folder, deviceId);
  try {
    const record = readCompactionRecord(ctx.dataDir);
    const segs = listSegments(dir);
    adoptUnrecorded(dir, segs, deviceId, ctx, record);
    const deleted = deleteExpired(dir, deviceId, ctx, record);
    mergeSmallRuns(dir, deleted ? listSegments(dir) : segs, deviceId, ctx, record);
  } catch (error) {
    problems.push({
      code: 'publish_failed',
      severity: 'warn',
      file: null,
      line: null,
      device: deviceId,
      seq: null,
      message: `Compacting this device's log segments failed (${errorCode(error) || String(error)}). Nothing was lost: every event stays in the folder.`,
      action: 'It is retried automatically; check the shared folder and the data folder are writable.',
    });
  }
}

function listSegments(dir: string): Present[] {
  const out: Present[] = [];
  for (const seg of segmentFiles(dir)) {
    try {
      out.push({ ...seg, size: statSync(join(dir, seg.name)).size });
    } catch {
      // vanished meanwhile
    }
  }
  return out.sort((a, b) => a.from - b.from || a.to - b.to);
}

function replacedNames(record: CompactionRecord, deviceId: string): Set<string> {
  return new Set(record.entries.filter((e) => e.device === deviceId).flatMap((e) => e.replaced));
}

/**
 * For each segment lying inside a larger one, that larger one (the one reaching furthest among
 * those starting no later). One sweep over segments sorted by from, then longest first.
 */
function containers(segs: readonly Present[]): Map<string, Present> {
  const sorted = [...segs].sort((a, b) => a.from - b.from || b.to - a.to);
  const out = new Map<string, Present>();
  let reach: Present | null = null;
  for (const seg of sorted) {
    if (reach && seg.to <= reach.to && (reach.from < seg.from || seg.to < reach.to)) out.set(seg.name, reach);
    if (!reach || seg.to > reach.to) reach = seg;
  }
  return out;
}

/**
 * A merge that crashed before its record was saved leaves small files inside a valid larger one:
 * record them now (the grace period then starts now, later than the real merge).
 */
function adoptUnrecorded(dir: string, segs: readonly Present[], deviceId: string, ctx: CompactionContext, record: CompactionRecord): void {
  const listed = replacedNames(record, deviceId);
  const adopted = new Map<string, string[]>();
  const inside = containers(segs);
  for (const seg of segs) {
    const container = inside.get(seg.name);
    if (!container || listed.has(seg.name) || seg.to > ctx.publishedTo || !readMatchingSegment(dir, container)) continue;
    adopted.set(container.name, [...(adopted.get(container.name) ?? []), seg.name]);
  }
  if (adopted.size === 0) return;
  for (const [merged, replaced] of adopted) record.entries.push({ device: deviceId, merged, replaced, at: ctx.now() });
  saveRecord(ctx.dataDir, record);
}

/**
 * Deletes the files of merges older than the grace period, each only while a valid file covers
 * it; true when any entry was due.
 */
function deleteExpired(dir: string, deviceId: string, ctx: CompactionContext, record: CompactionRecord): boolean {
  const due = record.entries.filter((e) => e.device === deviceId && ctx.now() - e.at >= ctx.graceMs);
  if (due.length === 0) return false;
  const done = new Set<Entry>();
  for (const entry of due) {
    const segs = listSegments(dir);
    const doomed = new Set(entry.replaced);
    const keepers = segs.filter((s) => !doomed.has(s.name));
    let left = 0;
    for (const seg of segs.filter((s) => doomed.has(s.name))) {
      const cover = keepers.find((k) => k.from <= seg.from && seg.to <= k.to && readMatchingSegment(dir, k));
      if (!cover) {
        left += 1;
        continue;
      }
      rmSync(join(dir, seg.name), { force: true });
      failpoint('compact-during-delete');
    }
    if (left === 0) done.add(entry);
  }
  if (done.size === 0) return true;
  record.entries = record.entries.filter((e) => !done.has(e));
  saveRecord(ctx.dataDir, record);
  return true;
}

/** Contiguous runs of small published segments, each within the normal segment size cap. */
function smallRuns(segs: readonly Present[], skip: ReadonlySet<string>, publishedTo: number): Present[][] {
  const inside = containers(segs);
  const usable = segs.filter((s) => !skip.has(s.name) && s.to <= publishedTo && !inside.has(s.name));
  const runs: Present[][] = [];
  let run: Present[] = [];
  let bytes = 0;
  for (const seg of usable) {
    const last = run[run.length - 1];
    const joins = last !== undefined && seg.from === last.to + 1 && bytes + seg.size <= SEGMENT_BYTES;
    if (!joins) {
      if (run.length > 0) runs.push(run);
      run = [];
      bytes = 0;
    }
    if (seg.size >= SMALL_SEGMENT_BYTES) continue;
    run.push(seg);
    bytes += seg.size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function mergeSmallRuns(dir: string, segs: readonly Present[], deviceId: string, ctx: CompactionContext, record: CompactionRecord): void {
  const runs = smallRuns(segs, replacedNames(record, deviceId), ctx.publishedTo).filter((r) => r.length >= ctx.minSegments);
  for (const run of runs) {
    const parts: Buffer[] = [];
    for (const seg of run) {
      const bytes = readMatchingSegment(dir, seg);
      if (!bytes) return; // being rewritten or damaged: not ours to merge now
      parts.push(bytes);
    }
    const bytes = Buffer.concat(parts);
    const from = run[0]!.from;
    const to = run[run.length - 1]!.to;
    const name = segmentName(from, to, h16(bytes));
    // The merged file must read back as the whole range, or it is not written at all.
    if (parseSegment(bytes, { from, to, h16: h16(bytes) }, deviceId).bad) return;
    publishFile(join(dir, name), bytes, { failpoints: 'compact' });
    failpoint('compact-before-record');
    record.entries.push({ device: deviceId, merged: name, replaced: run.map((s) => s.name), at: ctx.now() });
    saveRecord(ctx.dataDir, record);
    failpoint('compact-after-record');
  }
}

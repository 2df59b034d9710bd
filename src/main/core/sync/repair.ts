// §1.7 "repair": when another device's log folder lost segments (restored from an old backup, a
// cloud version restore), re-publish the events we hold for it, byte-identical to what it signed,
// into its folder. Never overwrites or deletes a file, never touches our own folder, and refuses
// a device whose device.json is gone or that is blocked by a fork, bad signature or key change.
// Reads, checks and encodes in batches, letting the event loop turn between them (a window stays
// responsive while 100 000 events are prepared).
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, type ErrorCode } from '../../../shared/api/errors.ts';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import { unsignedPart, type EventEnvelope } from '../../../shared/events/envelope.ts';
import { DEVICES_DIR, LOG_DIR } from '../../../shared/sync/names.ts';
import { uncovered, type RepairPlan, type RepairRefusal, type RepairResult, type SeqRange, type SyncProblem } from '../../../shared/sync/status.ts';
import { publicKeyFromRaw, verifyHash } from '../store/identity.ts';
import type { Store } from '../store/index.ts';
import { logDir, readDeviceFile } from './folder.ts';
import { publishFile } from './fsops.ts';
import { encodeSegments, readMatchingSegment, SEGMENT_EVENTS, segmentFiles } from './segments.ts';

/** Problems that stop us taking a device's events, and so stop us vouching for them too. */
const BLOCKING: readonly SyncProblem['code'][] = ['fork', 'bad_signature', 'key_changed'];
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Prepared {
  plan: RepairPlan;
  segments: { name: string; bytes: Buffer; from: number; to: number }[];
}

function refuse(code: ErrorCode, message: string, reason: RepairRefusal): ApiError {
  return new ApiError(code, message, 'device', reason);
}

function relPath(device: string, name: string): string {
  return [DEVICES_DIR, device, LOG_DIR, name].join('/');
}

/** Seq ranges covered by files whose name parses and whose bytes match the name's hash. */
export function validCoverage(folder: string, device: string): SeqRange[] {
  const dir = logDir(folder, device);
  // A file unreadable right now, or still arriving, covers nothing.
  return segmentFiles(dir)
    .filter((seg) => readMatchingSegment(dir, seg) !== null)
    .map(({ from, to }) => ({ from, to }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
}

/**
 * Our stored events of `device` after seq `after` up to `to`, checked: consecutive, each
 * reproducing the hash its device gave it and linking to the one before (`prev`).
 */
function checkedEvents(store: Store, device: string, after: number, to: number, prev: string | null): EventEnvelope[] {
  const events = store.readEvents(device, after, to - after);
  const fail = (what: string) => refuse('conflict', `${what}; nothing is written. Run \`warroom verify\`.`, 'not_identical');
  for (const e of events) {
    if (e.seq !== after + 1) throw fail(`This database lacks seq ${after + 1} of device ${device}`);
    const hash = createHash('sha256').update(canonicalJson(unsignedPart(e))).digest('hex');
    if (hash !== e.hash) throw fail(`Stored event ${e.id} does not reproduce the hash its device gave it`);
    if (e.prev !== prev) throw fail(`Stored event ${e.id} does not link to the event before it`);
    after = e.seq;
    prev = e.hash;
  }
  if (after !== to) throw fail(`This database lacks seq ${after + 1} of device ${device}`);
  return events;
}

async function prepare(folder: string, store: Store, device: string, problems: readonly SyncProblem[]): Promise<Prepared> {
  if (device === store.device().id) {
    throw refuse('invalid_input', 'This is this device: its own log is published by every sync pass, not repaired.', 'own_device');
  }
  const head = store.heads().find((h) => h.device === device);
  if (!head) throw new ApiError('not_found', `No device ${device} is known here: this database holds none of its events.`, 'device');
  const file = readDeviceFile(folder, device);
  if (file.kind !== 'ok') {
    const why = file.kind === 'missing' ? 'its device.json is missing from the shared folder' : `its device.json is unusable (${file.reason})`;
    throw refuse('conflict', `Cannot repair device ${device}: ${why}. Only that device's owner can restore it (opening the app there republishes it).`, 'no_device_file');
  }
  const blocking = problems.find((p) => p.device === device && p.severity === 'error' && BLOCKING.includes(p.code));
  if (blocking) {
    throw refuse('conflict', `Device ${device} is blocked (${blocking.code}: ${blocking.message}); its events are not republished until a person has decided what to do.`, 'device_blocked');
  }
  const key = publicKeyFromRaw(file.publicKey);
  const missing = uncovered(validCoverage(folder, device), head.seq);
  const segments: Prepared['segments'] = [];
  for (const range of missing) {
    let prev = range.from > 1 ? (store.readEvents(device, range.from - 2, 1)[0]?.hash ?? null) : null;
    // One segment's worth at a time, so encoding never holds the event loop for long.
    for (let after = range.from - 1; after < range.to; ) {
      const events = checkedEvents(store, device, after, Math.min(range.to, after + SEGMENT_EVENTS), prev);
      await yieldTurn();
      for (const segment of encodeSegments(events)) {
        const last = events[segment.to - events[0]!.seq]!;
        // The last event's signature covers the whole segment through the hash chain.
        if (!verifyHash(key, Buffer.from(last.hash, 'hex'), Buffer.from(last.sig, 'base64url'))) {
          throw refuse('conflict', `Event ${last.id} is not signed by the key in device ${device}'s device.json; nothing is written.`, 'not_identical');
        }
        segments.push(segment);
      }
      after = events[events.length - 1]!.seq;
      prev = events[events.length - 1]!.hash;
      await yieldTurn();
    }
  }
  const latest = head.seq > 0 ? store.readEvents(device, head.seq - 1, 1)[0] : undefined;
  const plan: RepairPlan = {
    device,
    person: latest?.actor.name ?? file.file.displayName ?? null,
    held: head.seq,
    missing,
    files: segments.map((s) => ({ path: relPath(device, s.name), from: s.from, to: s.to, events: s.to - s.from + 1 })),
    events: segments.reduce((n, s) => n + s.to - s.from + 1, 0),
  };
  return { plan, segments };
}

/**
 * Which seq ranges of `device` this database holds that no valid segment file covers, and the
 * files a repair would write. `problems` are the sync status's (a blocked device is refused).
 */
export async function planRepair(folder: string, store: Store, device: string, problems: readonly SyncProblem[] = []): Promise<RepairPlan> {
  return (await prepare(folder, store, device, problems)).plan;
}

/** Writes the planned files with the engine's atomic publish; an existing name is left alone. */
export async function applyRepair(folder: string, store: Store, device: string, problems: readonly SyncProblem[] = []): Promise<RepairResult> {
  const { plan, segments } = await prepare(folder, store, device, problems);
  const written: string[] = [];
  const existed: string[] = [];
  let events = 0;
  if (segments.length > 0) mkdirSync(logDir(folder, device), { recursive: true });
  for (const segment of segments) {
    const outcome = publishFile(join(logDir(folder, device), segment.name), segment.bytes);
    if (outcome === 'written') {
      written.push(relPath(device, segment.name));
      events += segment.to - segment.from + 1;
    } else {
      existed.push(relPath(device, segment.name));
    }
    await yieldTurn();
  }
  // Usually nothing is left to cover, and then nothing needs encoding again.
  const left = uncovered(validCoverage(folder, device), plan.held);
  const after = left.length === 0 ? { ...plan, missing: [], files: [], events: 0 } : (await prepare(folder, store, device, problems)).plan;
  return { device, written, existed, events, after };
}

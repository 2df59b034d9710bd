// §1.7 "repair": when another device's log folder lost segments (restored from an old backup, a
// cloud version restore), re-publish the events we hold for it, byte-identical to what it signed,
// into its folder. Never overwrites or deletes a file, never touches our own folder, and refuses
// a device whose device.json is gone or that is blocked by a fork, bad signature or key change.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, type ErrorCode } from '../../../shared/api/errors.ts';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import { unsignedPart, type EventEnvelope } from '../../../shared/events/envelope.ts';
import { DEVICES_DIR, LOG_DIR, parseSegmentName } from '../../../shared/sync/names.ts';
import type { RepairPlan, RepairRefusal, RepairResult, SeqRange, SyncProblem } from '../../../shared/sync/status.ts';
import { publicKeyFromRaw, verifyHash } from '../store/identity.ts';
import type { Store } from '../store/index.ts';
import { logDir, readDeviceFile } from './folder.ts';
import { publishFile } from './fsops.ts';
import { encodeSegments, h16 } from './segments.ts';

/** Problems that stop us taking a device's events, and so stop us vouching for them too. */
const BLOCKING: readonly SyncProblem['code'][] = ['fork', 'bad_signature', 'key_changed'];
const READ_BATCH = 1000;

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
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const ranges: SeqRange[] = [];
  for (const name of names) {
    const seg = parseSegmentName(name);
    if (!seg) continue;
    try {
      if (h16(readFileSync(join(dir, name))) === seg.h16) ranges.push({ from: seg.from, to: seg.to });
    } catch {
      // unreadable right now: it covers nothing
    }
  }
  return ranges.sort((a, b) => a.from - b.from || a.to - b.to);
}

/** The parts of 1..held that no range covers. */
export function uncovered(covered: readonly SeqRange[], held: number): SeqRange[] {
  const missing: SeqRange[] = [];
  let next = 1;
  for (const r of covered) {
    if (next > held) break;
    if (r.from > next) missing.push({ from: next, to: Math.min(r.from - 1, held) });
    next = Math.max(next, r.to + 1);
  }
  if (next <= held) missing.push({ from: next, to: held });
  return missing;
}

/** Our stored events `from..to` of `device`, checked to reproduce the hashes the device gave them. */
function heldEvents(store: Store, device: string, range: SeqRange): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  for (let after = range.from - 1; after < range.to; ) {
    const batch = store.readEvents(device, after, Math.min(READ_BATCH, range.to - after));
    if (batch.length === 0) break;
    for (const e of batch) {
      if (e.seq !== after + 1) throw refuse('conflict', `This database lacks seq ${after + 1} of device ${device}; nothing is written.`, 'not_identical');
      const hash = createHash('sha256').update(canonicalJson(unsignedPart(e))).digest('hex');
      if (hash !== e.hash) throw refuse('conflict', `Stored event ${e.id} does not reproduce the hash its device gave it; nothing is written. Run \`warroom verify\`.`, 'not_identical');
      events.push(e);
      after = e.seq;
    }
  }
  if (events.length !== range.to - range.from + 1) {
    throw refuse('conflict', `This database holds only ${events.length} of seq ${range.from}–${range.to} of device ${device}; nothing is written.`, 'not_identical');
  }
  return events;
}

function prepare(folder: string, store: Store, device: string, problems: readonly SyncProblem[]): Prepared {
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
    const events = heldEvents(store, device, range);
    for (const segment of encodeSegments(events)) {
      const last = events[segment.to - range.from]!;
      // The last event's signature covers the whole segment through the hash chain.
      if (!verifyHash(key, Buffer.from(last.hash, 'hex'), Buffer.from(last.sig, 'base64url'))) {
        throw refuse('conflict', `Event ${last.id} is not signed by the key in device ${device}'s device.json; nothing is written.`, 'not_identical');
      }
      segments.push(segment);
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
export function planRepair(folder: string, store: Store, device: string, problems: readonly SyncProblem[] = []): RepairPlan {
  return prepare(folder, store, device, problems).plan;
}

/** Writes the planned files with the engine's atomic publish; an existing name is left alone. */
export function applyRepair(folder: string, store: Store, device: string, problems: readonly SyncProblem[] = []): RepairResult {
  const { segments } = prepare(folder, store, device, problems);
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
  }
  return { device, written, existed, events, after: prepare(folder, store, device, problems).plan };
}

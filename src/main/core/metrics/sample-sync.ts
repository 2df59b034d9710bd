// Metric samples through the shared folder (not events): each sync pass publishes this
// device's new samples as one immutable, hash-named, signed batch file under
// devices/<self>/metrics/, and takes in other devices' batches after checking name hash and
// signature against the device's registered key. Faults become sync problems, never throws.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICES_DIR, METRICS_DIR, classifyForeign, isOwnTemp, parseSegmentName, segmentName } from '../../../shared/sync/names.ts';
import type { SyncProblem } from '../../../shared/sync/status.ts';
import type { SyncExtension } from '../sync/engine.ts';
import { publishFile } from '../sync/fsops.ts';
import { h16 } from '../sync/segments.ts';
import { decodeBatch, encodeBatch } from './sample-batch.ts';
import type { SampleStore } from './samples.ts';

/** A batch file larger than this is never read (a day of 20 series at 1 s is ~10 MB). */
const MAX_BATCH_BYTES = 64 * 1024 * 1024;
const STALE_TEMP_MS = 60 * 60 * 1000;
/** A hash-mismatched file unchanged this long is damaged, not arriving (as for log segments). */
const STABLE_MS = 60_000;

export interface SampleSyncDeps {
  samples: SampleStore;
  signDigest: (digest: Buffer) => Buffer;
  /** Whether a device's samples may be taken (admitted and not revoked, like its events). */
  trusted: (device: string) => boolean;
  now: () => number;
  /** Samples from another device arrived for these releases. */
  onArrived: (releases: string[]) => void;
}

export class SampleSync implements SyncExtension {
  readonly name = 'metric samples';
  /** Files never read again this session: path → the problem to keep reporting. */
  readonly #quarantine = new Map<string, SyncProblem>();

  /** Files whose bytes do not match their name yet: path → size, mtime and since when unchanged. */
  readonly #arriving = new Map<string, { size: number; mtimeMs: number; since: number }>();

  constructor(readonly deps: SampleSyncDeps) {}

  /** Still arriving, or (unchanged for a minute) damaged or edited: quarantined, never read. */
  #mismatched(device: string, path: string, file: string, problems: SyncProblem[]): void {
    let st: { size: number; mtimeMs: number };
    try {
      st = statSync(path);
    } catch {
      return;
    }
    const now = this.deps.now();
    const seen = this.#arriving.get(path);
    const entry = seen && seen.size === st.size && seen.mtimeMs === st.mtimeMs ? seen : { size: st.size, mtimeMs: st.mtimeMs, since: now };
    this.#arriving.set(path, entry);
    if (now - entry.since < STABLE_MS) {
      problems.push(problem('in_flight', 'info', { device, file, message: `${file} does not match the hash in its name yet (still arriving?). Its samples are not used until it matches.`, action: 'Nothing; it is read once complete.' }));
      return;
    }
    this.#arriving.delete(path);
    this.#quarantine.set(
      path,
      problem('corrupt_segment', 'error', { device, file, message: `${file} does not match the hash in its name and has not changed for a minute: it was damaged or edited. None of its samples are used; nothing is deleted.`, action: 'The writing device keeps its samples; keep the file for investigation or delete it.' }),
    );
  }

  pass(folder: string, deviceId: string, problems: SyncProblem[]): void {
    this.#publish(folder, deviceId, problems);
    this.#pull(folder, deviceId, problems);
    for (const p of this.#quarantine.values()) problems.push(p);
  }

  #publish(folder: string, deviceId: string, problems: SyncProblem[]): void {
    const { samples } = this.deps;
    removeStaleTemps(join(folder, DEVICES_DIR, deviceId, METRICS_DIR));
    const upTo = samples.counter('batch');
    const after = samples.counter('published');
    if (upTo <= after) return;
    const series = samples.ownSince(after, upTo);
    if (series.length > 0) {
      const bytes = encodeBatch(series, this.deps.signDigest);
      const dir = join(folder, DEVICES_DIR, deviceId, METRICS_DIR);
      const name = segmentName(after + 1, upTo, h16(bytes));
      try {
        mkdirSync(dir, { recursive: true });
        publishFile(join(dir, name), bytes);
      } catch (error) {
        problems.push(problem('publish_failed', 'warn', { file: `${DEVICES_DIR}/${deviceId}/${METRICS_DIR}/${name}`, message: `Could not publish metric samples: ${String(error)}. They stay on this device and are retried.`, action: 'Check the shared folder is writable and has space.' }));
        return;
      }
    }
    samples.setCounter('published', upTo);
  }

  #pull(folder: string, deviceId: string, problems: SyncProblem[]): void {
    let devices: string[];
    try {
      devices = readdirSync(join(folder, DEVICES_DIR));
    } catch {
      return;
    }
    const arrived = new Set<string>();
    for (const device of devices.sort()) {
      if (device === deviceId || !/^[A-Za-z0-9_]{1,64}$/.test(device)) continue;
      const dir = join(folder, DEVICES_DIR, device, METRICS_DIR);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names.sort()) this.#pullFile(device, dir, name, problems, arrived);
    }
    if (arrived.size > 0) this.deps.onArrived([...arrived].sort());
  }

  #pullFile(device: string, dir: string, name: string, problems: SyncProblem[], arrived: Set<string>): void {
    const { samples } = this.deps;
    const file = `${DEVICES_DIR}/${device}/${METRICS_DIR}/${name}`;
    const path = join(dir, name);
    const seg = parseSegmentName(name);
    if (!seg) {
      if (isOwnTemp(name)) return;
      const foreign = classifyForeign(name);
      problems.push(problem('foreign_file', foreign.kind === 'unknown' ? 'warn' : 'info', { device, file, message: `Ignored, never read: ${foreign.explanation}`, action: foreign.kind === 'sync_temp' ? 'Nothing; it goes away by itself.' : 'You may delete it.' }));
      return;
    }
    if (this.#quarantine.has(path) || samples.ingested(device, name)) return;
    if (!this.deps.trusted(device)) return; // taken once an admitted device admits it
    const key = samples.devicePublicKey(device);
    if (!key) return; // the device's key arrives with its device.json; retried next pass
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return; // still arriving
    }
    if (bytes.length > MAX_BATCH_BYTES) {
      this.#quarantine.set(path, problem('corrupt_segment', 'error', { device, file, message: `${file} is far larger than any sample batch this app writes; it is not read.`, action: 'Remove it.' }));
      return;
    }
    if (h16(bytes) !== seg.h16) {
      this.#mismatched(device, path, file, problems);
      return;
    }
    this.#arriving.delete(path);
    const decoded = decodeBatch(bytes, key);
    if (!decoded.ok) {
      this.#quarantine.set(path, problem(decoded.reason.includes('signature') ? 'bad_signature' : 'corrupt_line', 'error', { device, file, line: decoded.line, message: `${file}${decoded.line ? ` line ${decoded.line}` : ''}: ${decoded.reason}. None of its samples are used.`, action: 'Ask the device’s owner; revoke the device if it cannot be explained. Nothing is deleted.' }));
      return;
    }
    samples.db.write(() => {
      samples.insert(decoded.series, device, false);
      samples.markIngested(device, name, this.deps.now());
    });
    for (const s of decoded.series) arrived.add(s.series.release);
  }
}

function problem(code: SyncProblem['code'], severity: SyncProblem['severity'], fields: Partial<SyncProblem> & { message: string; action: string }): SyncProblem {
  return { code, severity, file: null, line: null, device: null, seq: null, ...fields };
}

/** Our own temp files left by a crash mid-publish (an hour old: no publish takes that long). */
function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter(isOwnTemp);
  } catch {
    return;
  }
  for (const name of names) {
    try {
      if (Date.now() - statSync(join(dir, name)).mtimeMs > STALE_TEMP_MS) rmSync(join(dir, name), { force: true });
    } catch {
      // gone already
    }
  }
}

// The shared-folder sync engine (SYNC-PROTOCOL §1): one pass publishes this device's new events
// as immutable hash-named segments, pulls every other device's segments past what we hold, and
// rewrites our signed head.json receipt. Passes run after local changes (debounced), on
// file-system notifications where they work, and on a poll timer. Every fault becomes a
// reported problem; none stops the pass for other devices, and nothing is deleted except our own
// compacted small segments once their grace period is over (§1.8, compaction.ts).
import { verify as verifySignature } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import { ApiError } from '../../../shared/api/errors.ts';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import type { EventEnvelope } from '../../../shared/events/envelope.ts';
import { BLOBS_DIR, DEVICES_DIR, HEAD_FILE, DEVICE_FILE, LOG_DIR, METRICS_DIR, SHA256_NAME, classifyForeign, isOwnTemp, parseSegmentName, type SegmentName } from '../../../shared/sync/names.ts';
import { describeRanges, stateFrom, uncovered, type Admission, type CompactionStatus, type PeerStatus, type ProblemCode, type Severity, type SyncProblem, type SyncStatus } from '../../../shared/sync/status.ts';
import type { IngestReport, Store } from '../store/index.ts';
import { publicKeyFromRaw, sha256 } from '../store/identity.ts';
import { deviceDir, logDir, readDeviceFile, readHeadFile, readMarker, writeDeviceFile, writeHeadFile, type UnsignedHead } from './folder.ts';
import { compactionStatus, compactOwn, DEFAULT_COMPACTION, type CompactionOptions } from './compaction.ts';
import { describeFsError, errorCode, failpoint, isDenied, publishFile } from './fsops.ts';
import { encodeSegments, h16, MAX_SEGMENT_BYTES, parseSegment, SEGMENT_EVENTS, type PulledSegment } from './segments.ts';
import { SegmentReader, type ReadResult, type SegmentParsing } from './segment-reader.ts';

export interface SyncEngineOptions {
  store: Store;
  folder: string;
  dataDir: string;
  appVersion: string;
  /** The war room this data folder belongs to; a folder with another id is refused. */
  workspaceId: string;
  pollMs?: number;
  /** Use fs.watch where it works (polling runs regardless). */
  watch?: boolean;
  /** Quiet time after a local change before publishing (bursts coalesce). */
  debounceMs?: number;
  /** How long a hash-mismatched file must stay unchanged before it counts as corrupt (§1.6: 60 s). */
  stabilityMs?: number;
  now?: () => number;
  log?: (line: string) => void;
  /** Called when what the status shows changed (the core publishes `{topic:'sync'}`). */
  onStatusChange?: () => void;
  /**
   * Other data that travels through the folder beside the event log (metric sample batches):
   * each runs once per pass after the pull, with the folder known to be present and ours. Its
   * problems are shown with the sync status; a throw is reported, never fatal.
   */
  extensions?: readonly SyncExtension[];
  /** Merge small own segments (§1.8); false turns it off. Default DEFAULT_COMPACTION. */
  compaction?: CompactionOptions | false;
  /** Where peer segments are parsed: 'auto' (default) uses a worker thread for large ones. */
  segmentParsing?: SegmentParsing;
}

export interface SyncExtension {
  readonly name: string;
  pass(folder: string, deviceId: string, problems: SyncProblem[]): Promise<void> | void;
}

/**
 * Ingest pacing: each chunk is one transaction whose size adapts so it takes about
 * CHUNK_TARGET_MS, and the loop yields a turn whenever BREATHE_MS of work ran since the last one
 * (BENCHMARKS B3: the main thread never stalls 50 ms).
 */
const CHUNK_FIRST = 250;
const CHUNK_MIN = 25;
const CHUNK_MAX = 2000;
const CHUNK_TARGET_MS = 15;
const BREATHE_MS = 10;
const HEAD_REFRESH_MS = 5 * 60 * 1000;
const STALE_TEMP_MS = 60 * 60 * 1000;
const MAX_BLOB_BYTES = 64 * 1024 * 1024;
const IN_FLIGHT_POLLS = 3;

interface InFlight {
  size: number;
  mtimeMs: number;
  polls: number;
  stableSince: number;
}

/** A segment read (or not) for the pull; what it means is decided when it is used (#accept). */
interface SegmentLoad {
  after: number;
  size: number;
  mtimeMs: number;
  result: ReadResult | { kind: 'missing' } | { kind: 'too_large' };
}

/**
 * Events per transaction on the ingest writer thread: the main thread's own writes (a tick)
 * wait for at most one of them (SYNC-PROTOCOL §1.6.4: ≤ 250–500).
 */
const WRITER_BATCH = 500;

/** Segments parsed ahead of the one being ingested, so the parser thread and the inserts overlap. */
const PREFETCH = 2;

interface PeerInfo {
  person: string | null;
  fingerprint: string | null;
  publicKey: Buffer | null;
  lastSeen: string | null;
  published: number | null;
  hasOurs: number | null;
}

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The next chunk size: scaled towards CHUNK_TARGET_MS from the last chunk's cost. */
function nextChunk(events: number, ms: number): number {
  return Math.max(CHUNK_MIN, Math.min(CHUNK_MAX, Math.round((events * CHUNK_TARGET_MS) / Math.max(ms, 0.5))));
}

export class SyncEngine {
  readonly folder: string;
  readonly pollMs: number;
  readonly #o: Required<Omit<SyncEngineOptions, 'onStatusChange' | 'extensions'>> & Pick<SyncEngineOptions, 'onStatusChange' | 'extensions'>;
  #problems: SyncProblem[] = [];
  #chunk = CHUNK_FIRST;
  /** Pulled events committed without an fsync since the last durable commit. */
  #relaxedCommits = false;
  #lastTurn = 0;
  #lastSyncAt: string | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = true;
  /**
   * stop() was called (app quitting, core closing): a pass still running ends quietly. Distinct
   * from #stopped, which is also true for a one-shot engine that never starts its timers and
   * must still pull every device and run its signature checks.
   */
  #closed = false;
  #pollTimer: NodeJS.Timeout | null = null;
  #debounceTimer: NodeJS.Timeout | null = null;
  #watcher: FSWatcher | null = null;
  #lastNotified = '';
  #lastNotifiedAt = 0;
  /** Own segments whose last event matches our database (so not a clone's). */
  readonly #vettedOwn = new Map<string, SegmentName>();
  /** Peer segments already compared against our copy (fork check). */
  readonly #vetted = new Set<string>();
  readonly #inFlight = new Map<string, InFlight>();
  /** Files never read again this session: path → the problem to keep reporting. */
  readonly #quarantine = new Map<string, SyncProblem>();
  /** Devices whose later events we stop taking until a person decides (fork, bad signature, key change). */
  readonly #blocked = new Map<string, SyncProblem>();
  readonly #futureDated = new Map<string, number>();
  readonly #peers = new Map<string, PeerInfo>();
  readonly #badBlobs = new Set<string>();
  #lastHead: { key: string; at: number } | null = null;
  #lazy: { device: string; key: Buffer; from: number; to: number; file: string; segFrom: number }[] = [];
  #lazyRunning: Promise<void> | null = null;
  #inPass = false;
  #publishedOwn = 0;
  readonly #reader: SegmentReader;
  /** What our published segments were when compaction last ran (see #compact). */
  #compactedFor: string | null = null;
  /** The compaction record as of this pass (status() is called far more often than it changes). */
  #compaction: CompactionStatus | null = null;

  constructor(options: SyncEngineOptions) {
    this.#o = {
      pollMs: 2000,
      watch: true,
      debounceMs: 250,
      stabilityMs: 60_000,
      now: Date.now,
      log: (line) => process.stderr.write(`${line}\n`),
      ...options,
      compaction: options.compaction ?? DEFAULT_COMPACTION,
      segmentParsing: options.segmentParsing ?? 'auto',
    };
    this.folder = options.folder;
    this.pollMs = this.#o.pollMs;
    this.#reader = new SegmentReader(this.#o.segmentParsing, this.#o.log);
  }

  get #store(): Store {
    return this.#o.store;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Starts timers and the watcher; the first pass (with the identity check) runs at once. */
  start(): Promise<void> {
    this.#stopped = false;
    this.#closed = false;
    this.#startWatcher();
    return this.#requestPass();
  }

  stop(): void {
    this.#stopped = true;
    this.#closed = true;
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    if (this.#debounceTimer) clearTimeout(this.#debounceTimer);
    this.#pollTimer = null;
    this.#debounceTimer = null;
    this.#watcher?.close();
    this.#watcher = null;
    this.#reader.close();
  }

  /** Runs one pass now (after any pass in progress) and waits for background checks. */
  async syncNow(): Promise<SyncStatus> {
    await this.#requestPass(true);
    await this.#lazyRunning;
    return this.status();
  }

  /** Resolves when no pass and no background signature check is running. */
  async idle(): Promise<void> {
    while (this.#running || this.#lazyRunning) {
      await this.#running;
      await this.#lazyRunning;
    }
  }

  /** A local change: publish soon (debounced so bursts share one segment). */
  localChanged(): void {
    if (this.#stopped || this.#inPass) return;
    this.#schedule(this.#o.debounceMs);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#debounceTimer) return;
    this.#debounceTimer = setTimeout(() => {
      this.#debounceTimer = null;
      void this.#requestPass();
    }, delayMs);
    this.#debounceTimer.unref();
  }

  #startWatcher(): void {
    if (!this.#o.watch || this.#watcher || this.#stopped) return;
    try {
      const watcher = watch(this.folder, { recursive: true, persistent: false }, (_type, name) => {
        // Our own temp files come and go during a publish; they are not news.
        if (typeof name === 'string' && name.includes('.wr-')) return;
        this.#schedule(30);
      });
      watcher.on('error', () => {
        watcher.close();
        if (this.#watcher === watcher) this.#watcher = null;
      });
      this.#watcher = watcher;
    } catch {
      // Not available here (network share, folder missing): polling covers it.
      this.#watcher = null;
    }
  }

  #requestPass(force = false): Promise<void> {
    if (this.#running) {
      this.#again = true;
      if (!force) return this.#running;
      return this.#running.then(() => this.#requestPass(false));
    }
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          await this.#pass();
        } catch (error) {
          // Closed under a running pass (app quitting): nothing to report.
          if (this.#closed) return;
          // A bug or an unexpected error: report it and keep the engine alive.
          this.#o.log(`[sync] pass failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          this.#problems = [...this.#problems.filter((p) => p.code !== 'publish_failed'), problem('publish_failed', 'error', { message: `The last sync pass failed: ${String(error)}`, action: 'It is retried automatically; if it persists, report it with the log.' })];
        }
      } while (this.#again && !this.#stopped);
    })().finally(() => {
      this.#running = null;
      if (this.#closed) return;
      this.#notifyIfChanged();
      if (!this.#stopped) {
        if (!this.#watcher) this.#startWatcher();
        this.#pollTimer = setTimeout(() => void this.#requestPass(), this.pollMs);
        this.#pollTimer.unref();
      }
    });
    return this.#running;
  }

  // ---- status ----------------------------------------------------------------------------

  status(): SyncStatus {
    const me = this.#store.device();
    const trust = this.#store.trust();
    const heads = this.#store.heads();
    const selfHead = heads.find((h) => h.self)?.seq ?? 0;
    const admissionOf = (id: string, self: boolean): Admission => {
      const t = trust?.get(id);
      if (t && t.foldUpTo !== null) return 'revoked';
      if (t?.admitted || !trust) return self ? 'self' : 'admitted';
      return 'waiting';
    };
    const peers: PeerStatus[] = [];
    const ids = new Set([...this.#peers.keys(), ...heads.filter((h) => !h.self).map((h) => h.device)]);
    for (const id of [...ids].sort()) {
      if (id === me.id) continue;
      const info = this.#peers.get(id);
      const applied = heads.find((h) => h.device === id)?.seq ?? 0;
      // device.json is written once, so its name goes stale (or stays empty when the device
      // joined before its first-run); the actor of its latest event is who is at it now.
      const latestActor = applied > 0 ? this.#store.readEvents(id, applied - 1, 1)[0]?.actor.name : undefined;
      peers.push({
        id,
        person: latestActor ?? info?.person ?? null,
        fingerprint: info?.fingerprint ?? null,
        admission: admissionOf(id, false),
        lastSeen: info?.lastSeen ?? null,
        eventsApplied: applied,
        published: info?.published ?? null,
        hasOurs: info?.hasOurs ?? null,
        admittedBy: trust?.get(id)?.admittedBy ?? null,
        revokedReason: trust?.get(id)?.revokedReason ?? null,
      });
    }
    const selfAdmission = admissionOf(me.id, true);
    // Background checks may have found something since the last pass ended.
    const problems = dedupe([...this.#problems, ...this.#blocked.values()]);
    return {
      state: stateFrom(problems, this.#running !== null && this.#inPass),
      folder: this.folder,
      workspaceId: this.#o.workspaceId,
      lastSyncAt: this.#lastSyncAt,
      pollMs: this.pollMs,
      watching: this.#watcher !== null,
      device: { id: me.id, fingerprint: me.fingerprint, admission: selfAdmission === 'self' ? 'admitted' : selfAdmission },
      unpublished: Math.max(0, selfHead - this.#publishedOwn),
      peers,
      problems,
      compaction: this.#compactionStatus(),
    };
  }

  #notifyIfChanged(): void {
    const s = this.status();
    const key = canonicalJson({ state: s.state, problems: s.problems, peers: s.peers, device: s.device, unpublished: s.unpublished > 0, watching: s.watching });
    const now = Date.now();
    // lastSyncAt alone changes every poll: pass it on at most twice a minute.
    if (key === this.#lastNotified && now - this.#lastNotifiedAt < 30_000) return;
    this.#lastNotified = key;
    this.#lastNotifiedAt = now;
    this.#o.onStatusChange?.();
  }

  /**
   * §1.8 compaction, when there can be something to do: our published segments changed since the
   * last run, or a merge's grace period is over. Otherwise a pass would stat every own segment
   * file for nothing (about 15 ms with 1 000 of them, on every poll).
   */
  #compact(problems: SyncProblem[]): void {
    const { compaction, dataDir, now } = this.#o;
    // Read once a pass; the status shows this until the next one.
    this.#compaction = null;
    if (!compaction) return;
    const me = this.#store.device().id;
    const key = `${me}:${this.#vettedOwn.size}:${this.#publishedOwn}`;
    const { nextDeletionAt } = this.#compactionStatus();
    const due = nextDeletionAt !== null && Date.parse(nextDeletionAt) <= now();
    if (key === this.#compactedFor && !due) return;
    const before = problems.length;
    compactOwn(this.folder, me, { ...compaction, dataDir, now, publishedTo: this.#publishedOwn }, problems);
    this.#compaction = null;
    // A failed run is tried again next pass.
    this.#compactedFor = problems.length === before ? key : null;
  }

  #compactionStatus(): CompactionStatus {
    this.#compaction ??= compactionStatus(this.#o.dataDir, this.#store.device().id, this.#o.compaction);
    return this.#compaction;
  }

  /**
   * The fork check of a pass alone (§1.9), for a process about to sign an event without running
   * the engine (a CLI write): when this identity is also used elsewhere, this copy's own branch
   * is published and it re-keys first. Returns that problem, or null (no folder, or no fork).
   */
  checkIdentity(): SyncProblem | null {
    if (this.#inPass) return null;
    const problems: SyncProblem[] = [];
    if (!this.#checkFolder(problems) || !this.#checkOwnIdentity(problems)) return null;
    return problems.find((p) => p.code === 'fork') ?? null;
  }

  // ---- one pass --------------------------------------------------------------------------

  async #pass(): Promise<void> {
    this.#inPass = true;
    const problems: SyncProblem[] = [];
    try {
      if (!this.#checkFolder(problems)) return;
      this.#ensureDeviceFile(problems);
      if (this.#checkOwnIdentity(problems)) {
        // Re-keyed: the new identity needs its device.json before it writes anything.
        this.#ensureDeviceFile(problems);
      }
      this.#publish(problems);
      this.#compact(problems);
      await this.#pullAll(problems);
      this.#mirrorBlobs(problems);
      await this.#runExtensions(problems);
      this.#writeHead(problems);
      for (const [device, aheadMs] of this.#futureDated) {
        problems.push(
          problem('future_dated', 'warn', {
            device,
            message: `Device ${device}'s clock is ahead by ~${formatAhead(aheadMs)}. Its events are kept and ordered by their own time stamps.`,
            action: 'Ask its owner to correct the computer clock (automatic time).',
          }),
        );
      }
      this.#lastSyncAt = new Date(this.#o.now()).toISOString();
    } finally {
      for (const p of this.#quarantine.values()) if (!problems.includes(p)) problems.push(p);
      for (const p of this.#blocked.values()) if (!problems.includes(p)) problems.push(p);
      this.#problems = dedupe(problems);
      this.#inPass = false;
      this.#kickLazyVerification();
    }
  }

  async #runExtensions(problems: SyncProblem[]): Promise<void> {
    for (const extension of this.#o.extensions ?? []) {
      if (this.#closed) return;
      try {
        await extension.pass(this.folder, this.#store.device().id, problems);
      } catch (error) {
        this.#o.log(`[sync] ${extension.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        problems.push(problem('publish_failed', 'error', { message: `Syncing ${extension.name} failed: ${String(error)}`, action: 'It is retried automatically; if it persists, report it with the log.' }));
      }
    }
  }

  /** The folder is there, readable and ours; otherwise offline or refused (never "deleted"). */
  #checkFolder(problems: SyncProblem[]): boolean {
    const offline = (why: string, denied = false) => {
      problems.push(
        problem('folder_unavailable', 'warn', {
          message: `The shared folder is unavailable: ${why}. Work continues on this device; changes are published when it is back. Nothing is deleted.`,
          action: denied
            ? 'Give this user account read and write access to the folder (its permissions, or the share’s access rights).'
            : 'Reconnect the share, VPN or drive, or check the folder still exists.',
        }),
      );
      return false;
    };
    let isDir = false;
    try {
      isDir = statSync(this.folder).isDirectory();
    } catch (error) {
      return offline(`${this.folder} cannot be reached (${describeFsError(error)})`, isDenied(error));
    }
    if (!isDir) return offline(`${this.folder} is not a folder`);
    const marker = readMarker(this.folder);
    if (marker.kind === 'missing') return offline(`${this.folder} is empty or has no warroom-sync.json (replaced or not yet synced)`);
    if (marker.kind === 'unreadable') return offline(marker.reason, marker.denied);
    if (marker.kind === 'refused') {
      problems.push(problem(marker.error.code === 'format_unsupported' ? 'format_unsupported' : 'folder_mismatch', 'error', { message: marker.error.message, action: 'Point this device at the right folder in Sync, or update the app.' }));
      return false;
    }
    if (marker.marker.workspaceId !== this.#o.workspaceId) {
      problems.push(
        problem('folder_mismatch', 'error', {
          message: `${this.folder} belongs to another war room (workspace ${marker.marker.workspaceId}; this device syncs with ${this.#o.workspaceId}). Nothing is read from or written to it.`,
          action: 'Restore the right folder at this path, or choose the right folder in Sync.',
        }),
      );
      return false;
    }
    return true;
  }

  #ensureDeviceFile(problems: SyncProblem[]): void {
    const me = this.#store.device();
    const current = readDeviceFile(this.folder, me.id);
    if (current.kind === 'ok') return;
    try {
      writeDeviceFile(this.folder, {
        deviceId: me.id,
        publicKey: this.#store.publicKey().toString('base64url'),
        fingerprint: me.fingerprint,
        displayName: this.#store.profile()?.name ?? null,
        createdAt: new Date(this.#o.now()).toISOString(),
        appVersion: this.#o.appVersion,
      });
    } catch (error) {
      problems.push(this.#publishProblem(error, 'device.json'));
    }
  }

  /**
   * §1.9 fork check: a segment or head.json under our own id that our database did not write
   * means this identity is used elsewhere (a copied profile, a restored backup). Both branches
   * stay; this device stops writing as that id and re-keys.
   */
  #checkOwnIdentity(problems: SyncProblem[]): boolean {
    const me = this.#store.device().id;
    const dbHead = this.#selfHead();
    const dir = logDir(this.folder, me);
    let names: string[] = [];
    let listed = false;
    try {
      names = readdirSync(dir);
      listed = true;
    } catch {
      names = [];
    }
    // A segment of ours that vanished from the folder (an old backup restored over it) no
    // longer counts as published: the publish below writes its events again.
    if (listed) {
      const present = new Set(names);
      for (const name of this.#vettedOwn.keys()) if (!present.has(name)) this.#vettedOwn.delete(name);
    }
    let fork: { seq: number; file: string | null; why: string } | null = null;
    for (const name of names) {
      const seg = parseSegmentName(name);
      if (!seg) {
        if (isOwnTemp(name)) this.#removeStaleTemp(join(dir, name));
        continue;
      }
      if (this.#vettedOwn.has(name)) continue;
      if (seg.to > dbHead) {
        fork = { seq: Math.max(seg.from, dbHead + 1), file: name, why: `the folder holds seq ${seg.from}–${seg.to} under this device id, beyond this database's last seq ${dbHead}` };
        break;
      }
      const diverged = this.#divergence(join(dir, name), seg, me);
      if (diverged === 'unreadable') continue;
      if (diverged !== null) {
        fork = { seq: diverged, file: name, why: `seq ${diverged} in the folder differs from the event this database signed` };
        break;
      }
      this.#vettedOwn.set(name, seg);
    }
    if (!fork) {
      const head = readHeadFile(this.folder, me, this.#store.publicKey());
      if (head.kind === 'ok' && head.head.seq > 0) {
        const mine = this.#store.readEvents(me, head.head.seq - 1, 1)[0];
        if (!mine || mine.hash !== head.head.hash) {
          fork = { seq: head.head.seq, file: HEAD_FILE, why: `head.json claims seq ${head.head.seq} which this database ${mine ? 'signed differently' : 'never wrote'}` };
        }
      }
    }
    this.#publishedOwn = coverage([...this.#vettedOwn.values()]);
    if (!fork) return false;
    // Publish what only this copy holds under the old id (both branches survive), then re-key.
    this.#publish(problems);
    const next = this.#store.rekey(`duplicated identity detected: ${fork.why}`);
    const p = problem('fork', 'error', {
      device: me,
      seq: fork.seq,
      file: fork.file ? rel(this.folder, join(dir, fork.file)) : null,
      message: `Device ${me} was duplicated (a copied profile or restored backup): ${fork.why}. Both branches are kept. This device now writes as ${next.id} (fingerprint ${next.fingerprint}).`,
      action: 'Ask a coordinator to admit the new device id after comparing its fingerprint; stop using the copy if it was unintended.',
    });
    this.#blocked.set(`fork:${me}`, p);
    problems.push(p);
    this.#vettedOwn.clear();
    this.#publishedOwn = 0;
    this.#lastHead = null;
    return true;
  }

  /** First seq where a segment's events differ from ours, null when equal, or 'unreadable'. */
  #divergence(path: string, seg: SegmentName, device: string): number | null | 'unreadable' {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return 'unreadable';
    }
    if (h16(bytes) !== seg.h16) return 'unreadable';
    const parsed = parseSegment(bytes, seg, device);
    const ours = this.#store.readEvents(device, seg.from - 1, seg.to - seg.from + 1);
    for (let i = 0; i < parsed.events.length; i++) {
      const theirs = parsed.events[i]!;
      const mine = ours[i];
      if (!mine) return null; // beyond what we hold: not comparable here
      if (mine.hash !== theirs.hash) return theirs.seq;
    }
    return null;
  }

  #removeStaleTemp(path: string): void {
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
    } catch {
      // gone already
    }
  }

  #selfHead(): number {
    return this.#store.heads().find((h) => h.self)?.seq ?? 0;
  }

  // ---- push ------------------------------------------------------------------------------

  #publish(problems: SyncProblem[]): void {
    const me = this.#store.device().id;
    const dbHead = this.#selfHead();
    while (this.#publishedOwn < dbHead) {
      const events = this.#store.readEvents(me, this.#publishedOwn, SEGMENT_EVENTS);
      if (events.length === 0) break;
      for (const segment of encodeSegments(events)) {
        try {
          publishFile(join(logDir(this.folder, me), segment.name), segment.bytes, { failpoints: true });
        } catch (error) {
          problems.push(this.#publishProblem(error, rel(this.folder, join(logDir(this.folder, me), segment.name)), segment.from));
          return;
        }
        failpoint('before-watermark');
        this.#vettedOwn.set(segment.name, { from: segment.from, to: segment.to, h16: segment.name.slice(26, 42) });
        this.#publishedOwn = segment.to;
      }
    }
  }

  #publishProblem(error: unknown, file: string, seq: number | null = null): SyncProblem {
    const code = errorCode(error);
    const why = code === 'ENOSPC' ? 'the shared folder’s disk is full' : describeFsError(error);
    // A full disk or a missing permission needs a person: the state says "problem", not "in step".
    const needsPerson = ['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EDQUOT'].includes(code);
    return problem('publish_failed', needsPerson ? 'error' : 'warn', {
      file,
      seq,
      message: `Could not publish ${file}: ${why}. The events stay on this device, unpublished, and are retried automatically.`,
      action: code === 'ENOSPC' ? 'Free space on the shared folder’s disk.' : 'Check the shared folder is writable.',
    });
  }

  // ---- pull ------------------------------------------------------------------------------

  async #pullAll(problems: SyncProblem[]): Promise<void> {
    const me = this.#store.device().id;
    let entries: string[];
    try {
      entries = readdirSync(join(this.folder, DEVICES_DIR));
    } catch {
      entries = [];
    }
    for (const device of entries.sort()) {
      if (this.#closed) return;
      if (device === me) continue;
      if (!/^[A-Za-z0-9_]{1,64}$/.test(device)) {
        const foreign = classifyForeign(device);
        problems.push(problem('foreign_file', 'info', { file: `${DEVICES_DIR}/${device}`, message: `Not a device folder: ${foreign.explanation}`, action: 'Nothing to do unless it keeps coming back.' }));
        continue;
      }
      try {
        await this.#pullDevice(device, problems);
      } catch (error) {
        problems.push(problem('corrupt_segment', 'error', { device, message: `Reading device ${device} failed: ${String(error)}`, action: 'Retried automatically; report it if it persists.' }));
      }
      await yieldTurn();
    }
    // Pulled events are on disk before head.json tells other devices they are here.
    if (this.#relaxedCommits) {
      await this.#store.makeDurable();
      this.#relaxedCommits = false;
    }
  }

  async #pullDevice(device: string, problems: SyncProblem[]): Promise<void> {
    const dfile = readDeviceFile(this.folder, device);
    const info: PeerInfo = this.#peers.get(device) ?? { person: null, fingerprint: null, publicKey: null, lastSeen: null, published: null, hasOurs: null };
    this.#peers.set(device, info);
    if (dfile.kind === 'missing') return; // still being copied
    if (dfile.kind === 'bad') {
      problems.push(problem('bad_device_file', 'error', { device, file: `${DEVICES_DIR}/${device}/${DEVICE_FILE}`, message: `device.json of ${device} cannot be used: ${dfile.reason}.`, action: 'Ask the device’s owner to re-open the app so it rewrites it.' }));
      return;
    }
    info.person = dfile.file.displayName;
    info.fingerprint = dfile.file.fingerprint;
    try {
      this.#store.registerDevice({ id: device, publicKey: dfile.publicKey });
      info.publicKey = dfile.publicKey;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'conflict') {
        const p = problem('key_changed', 'error', {
          device,
          file: `${DEVICES_DIR}/${device}/${DEVICE_FILE}`,
          message: `Device ${device} now shows another key (fingerprint ${dfile.file.fingerprint}) than the one first seen. Its new events are held, not applied.`,
          action: 'Check with its owner; if the device was reinstalled it should appear under a new id and be admitted again.',
        });
        this.#blocked.set(`key:${device}`, p);
        return;
      }
      throw error;
    }
    const head = readHeadFile(this.folder, device, dfile.publicKey);
    if (head.kind === 'ok') {
      info.lastSeen = head.head.writtenAt;
      info.hasOurs = head.head.ingested[this.#store.device().id]?.seq ?? null;
    }
    this.#listDeviceFolder(device, problems);
    if (this.#blocked.has(`sig:${device}`) || this.#blocked.has(`fork:${device}`) || this.#blocked.has(`key:${device}`)) return;

    const dir = logDir(this.folder, device);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      // No log folder yet is normal (a device that has only joined); anything else hides its events.
      if (errorCode(error) !== 'ENOENT') {
        problems.push(
          problem('log_unreadable', 'error', {
            device,
            file: rel(this.folder, dir),
            message: `${rel(this.folder, dir)} cannot be read (${describeFsError(error)}): device ${device}'s new events cannot be taken.`,
            action: isDenied(error) ? 'Give this user account read access to the shared folder (its permissions, or the share’s access rights).' : 'Retried automatically; check the shared folder if it persists.',
          }),
        );
      }
      return;
    }
    const segments: (SegmentName & { name: string })[] = [];
    for (const name of names) {
      const seg = parseSegmentName(name);
      if (seg) segments.push({ ...seg, name });
      else if (!isOwnTemp(name)) {
        const foreign = classifyForeign(name);
        problems.push(problem('foreign_file', foreign.kind === 'unknown' ? 'warn' : 'info', { device, file: rel(this.folder, join(dir, name)), message: `Ignored, never read: ${foreign.explanation}`, action: foreign.kind === 'sync_temp' ? 'Nothing; it goes away by itself.' : 'You may delete it.' }));
      }
    }
    if (segments.length === 0) return;
    const published = Math.max(...segments.map((s) => s.to));
    info.published = published;
    let have = this.#storedHead(device);
    if (published < have) {
      problems.push(
        problem('went_backwards', 'warn', {
          device,
          seq: published,
          message: `Device ${device}'s log went backwards: the folder holds up to seq ${published}, this device already has ${have}. Our copy is kept.`,
          action: 'Usually a restore of the shared folder from an old version; nothing is lost here.',
        }),
      );
    }
    const holes = uncovered(segments, Math.min(published, have));
    if (holes.length > 0) {
      const ranges = describeRanges(holes);
      problems.push(
        problem('log_incomplete', 'warn', {
          device,
          seq: holes[0]!.from,
          file: rel(this.folder, dir),
          message: `Device ${device}'s log folder lost seq ${ranges}, which this device holds: devices that do not have them yet cannot get them from the folder.`,
          action: `It heals when device ${device} next syncs (it republishes what is missing); or repair it from here now.`,
        }),
      );
    }
    this.#vetOverlaps(device, segments, have, problems);
    if (this.#blocked.has(`fork:${device}`)) return;

    const loads = new Map<string, Promise<SegmentLoad>>();
    const load = (seg: SegmentName & { name: string }, after: number): Promise<SegmentLoad> => {
      const key = `${seg.name}@${after}`;
      let loading = loads.get(key);
      if (!loading) {
        loading = this.#load(device, join(dir, seg.name), seg, after);
        loads.set(key, loading);
      }
      return loading;
    };
    for (;;) {
      const next = have + 1;
      const candidates = segments.filter((s) => s.from <= next && s.to >= next && !this.#quarantine.has(join(dir, s.name))).sort((a, b) => b.to - a.to);
      if (candidates.length === 0) {
        const later = segments.filter((s) => s.from > next).sort((a, b) => a.from - b.from)[0];
        if (later) {
          problems.push(problem('gap', 'warn', { device, seq: next, message: `Waiting for seq ${next} of device ${device}: the folder has seq ${later.from} onwards but not ${next} yet.`, action: 'Usually the sync client is still copying; it resolves by itself.' }));
        }
        break;
      }
      let advanced = false;
      for (const seg of candidates) {
        const loading = load(seg, have);
        // Parse what should follow while this one is inserted (a guess: a wrong one is re-read).
        for (let k = 0, at = seg; k < PREFETCH; k++) {
          const following = segments.filter((s) => s.from <= at.to + 1 && s.to > at.to && !this.#quarantine.has(join(dir, s.name))).sort((a, b) => b.to - a.to)[0];
          if (!following) break;
          void load(following, at.to);
          at = following;
        }
        const parsed = this.#accept(device, dir, seg, await loading, problems);
        if (!parsed) continue;
        const after = await this.#ingestSegment(device, dir, seg, parsed, have, info);
        if (after > have) {
          have = after;
          advanced = true;
          break;
        }
        if (this.#blocked.has(`sig:${device}`) || this.#blocked.has(`fork:${device}`)) return;
      }
      if (!advanced) break;
    }
    // Segments we just went past may disagree with what we took: a fork, seen in this same poll.
    this.#vetOverlaps(device, segments, have, problems);
  }

  #storedHead(device: string): number {
    return this.#store.heads().find((h) => h.device === device)?.seq ?? 0;
  }

  /** Conflicted copies of head.json are themselves evidence of a duplicated identity. */
  #listDeviceFolder(device: string, problems: SyncProblem[]): void {
    let names: string[] = [];
    try {
      names = readdirSync(deviceDir(this.folder, device));
    } catch {
      return;
    }
    for (const name of names) {
      if (name === LOG_DIR || name === METRICS_DIR || name === HEAD_FILE || name === DEVICE_FILE || name === 'snapshots' || isOwnTemp(name)) continue;
      const file = `${DEVICES_DIR}/${device}/${name}`;
      if (/^head\b.*\.json$/i.test(name)) {
        problems.push(problem('fork', 'warn', { device, file, message: `A second head.json variant (${name}) exists for device ${device}: possibly the same device identity on two computers.`, action: 'Check nobody copied this device’s profile to another computer.' }));
      } else {
        problems.push(problem('foreign_file', 'info', { device, file, message: `Ignored: ${classifyForeign(name).explanation}`, action: 'You may delete it.' }));
      }
    }
  }

  /** Overlapping segments must hold identical events; different ones are a fork (§1.8, §1.9). */
  #vetOverlaps(device: string, segments: (SegmentName & { name: string })[], have: number, problems: SyncProblem[]): void {
    const dir = logDir(this.folder, device);
    const sorted = [...segments].sort((a, b) => a.from - b.from || a.to - b.to);
    for (let i = 0; i < sorted.length; i++) {
      const seg = sorted[i]!;
      const path = join(dir, seg.name);
      if (this.#vetted.has(path) || seg.from > have) continue;
      const overlaps = sorted.some((o, j) => j !== i && o.from <= seg.to && seg.from <= o.to);
      if (!overlaps) continue;
      const diverged = this.#divergence(path, seg, device);
      if (diverged === 'unreadable') continue;
      this.#vetted.add(path);
      if (diverged !== null) {
        const p = problem('fork', 'error', {
          device,
          seq: diverged,
          file: rel(this.folder, path),
          message: `Device ${device} forked at seq ${diverged}: two different events carry that number (a copied profile or restored backup). Both are kept; later events of ${device} are not taken.`,
          action: 'The device with the copy re-keys by itself; admit its new id after comparing fingerprints.',
        });
        this.#blocked.set(`fork:${device}`, p);
        problems.push(p);
        return;
      }
    }
  }

  /** Reads and parses a segment (in the parser thread when large); never throws, never reports. */
  async #load(device: string, path: string, seg: SegmentName, after: number): Promise<SegmentLoad> {
    let st;
    try {
      st = statSync(path);
    } catch {
      return { after, size: 0, mtimeMs: 0, result: { kind: 'missing' } };
    }
    const base = { after, size: st.size, mtimeMs: st.mtimeMs };
    if (st.size > MAX_SEGMENT_BYTES) return { ...base, result: { kind: 'too_large' } };
    // Its events go on to the writer thread: start it while this one is parsed.
    if (this.#reader.threaded(st.size)) this.#store.warmIngestThread();
    return { ...base, result: await this.#reader.read(path, seg, device, after, st.size, () => this.#breathe()) };
  }

  /** The segment's events if its bytes match its name; else in flight, then corrupt (§1.6.2). */
  #accept(device: string, dir: string, seg: SegmentName & { name: string }, load: SegmentLoad, problems: SyncProblem[]): PulledSegment | null {
    const path = join(dir, seg.name);
    const file = rel(this.folder, path);
    const { result } = load;
    switch (result.kind) {
      case 'missing':
        return null;
      case 'too_large':
        this.#quarantine.set(path, problem('corrupt_segment', 'error', { device, seq: seg.from, file, message: `${file} is ${Math.round(load.size / 1048576)} MiB, far larger than any segment this app writes; it is not read.`, action: 'Remove it; if it was meant to be a segment, the writing device republishes its events.' }));
        return null;
      case 'unreadable':
        problems.push(problem('in_flight', 'info', { device, file, message: `${file} could not be read yet (${result.code}).`, action: 'Retried automatically.' }));
        return null;
      case 'parsed':
        this.#inFlight.delete(path);
        return result.parsed;
      case 'mismatch':
        break;
    }
    const now = this.#o.now();
    const seen = this.#inFlight.get(path);
    const changed = !seen || seen.size !== load.size || seen.mtimeMs !== load.mtimeMs;
    const entry: InFlight = changed ? { size: load.size, mtimeMs: load.mtimeMs, polls: 1, stableSince: now } : { ...seen, polls: seen.polls + 1 };
    this.#inFlight.set(path, entry);
    if (entry.polls >= IN_FLIGHT_POLLS && now - entry.stableSince >= this.#o.stabilityMs) {
      this.#inFlight.delete(path);
      this.#quarantine.set(
        path,
        problem('corrupt_segment', 'error', {
          device,
          seq: seg.from,
          file,
          message: `${file} does not match the hash in its name and has not changed for ${Math.round((now - entry.stableSince) / 1000)} s: it is damaged (torn write, disk error) and quarantined. Nothing from it is used; nothing is deleted.`,
          action: 'The writing device republishes these events if it still has them; otherwise keep the file for investigation.',
        }),
      );
    } else {
      problems.push(problem('in_flight', 'info', { device, seq: seg.from, file, message: `${file} is still arriving (its bytes do not match its name yet).`, action: 'Nothing; it is read once complete.' }));
    }
    return null;
  }

  /** Ingests the events past `have`; returns the new stored head of the device. */
  async #ingestSegment(
    device: string,
    dir: string,
    seg: SegmentName & { name: string },
    parsed: PulledSegment,
    have: number,
    info: PeerInfo,
  ): Promise<number> {
    const path = join(dir, seg.name);
    const file = rel(this.folder, path);
    const lineOf = (seq: number) => seq - seg.from + 1;
    // Loaded after `have` unless the guess behind a prefetch was wrong: then skip what we hold.
    let i = Math.max(0, have + 1 - parsed.firstSeq);
    let head = have;
    let threaded = parsed.wire !== undefined;
    while (i < parsed.length) {
      const next = await this.#ingestSlice(parsed, i, threaded);
      if (!next) {
        threaded = false; // the writer thread was not available: the rest of this segment here
        continue;
      }
      const { report, count } = next;
      i += count;
      const last = parsed.firstSeq + i - 1;
      if (report.inserted > 0) this.#relaxedCommits = true;
      for (const f of report.futureDated) this.#futureDated.set(device, Math.max(this.#futureDated.get(device) ?? 0, f.aheadMs));
      const rejected = report.rejected.find((r) => !r.reason.startsWith('not read'));
      const stored = this.#storedHead(device);
      if (stored > head && info.publicKey && count > 1) {
        // The slice's last signature vouched for the rest; check them off the main path.
        this.#lazy.push({ device, key: info.publicKey, from: head + 1, to: Math.min(stored, last) - 1, file, segFrom: seg.from });
      }
      head = stored;
      if (rejected) {
        const seq = rejected.seq ?? head + 1;
        const { code, what, action } = classifyRejection(rejected.reason);
        const p = problem(code, 'error', { device, seq, file, line: lineOf(seq), message: `${file} line ${lineOf(seq)} (device ${device}, seq ${seq}): ${what}. Nothing after it is taken from this device.`, action });
        if (code === 'fork') this.#blocked.set(`fork:${device}`, p);
        else this.#quarantine.set(path, p);
        return head;
      }
    }
    if (parsed.bad) {
      const { line, seq, reason } = parsed.bad;
      this.#quarantine.set(
        path,
        problem('corrupt_line', 'error', {
          device,
          seq,
          file,
          line,
          message: `${file} line ${line} (device ${device}, seq ${seq}): ${reason}. The line is quarantined; nothing after it is taken from this device.`,
          action: 'The writing device republishes its events in a new segment if it still has them.',
        }),
      );
    }
    return head;
  }

  /**
   * Ingests the events of a segment from index `start`: all of them at once on the ingest writer
   * thread when the parser thread read them (a large segment), else one chunk here, in a turn
   * of its own and sized to take CHUNK_TARGET_MS. Null: the writer thread was not available.
   */
  async #ingestSlice(parsed: PulledSegment, start: number, threaded: boolean): Promise<{ report: IngestReport; count: number } | null> {
    const options = { signatures: 'last', prechecked: true, relaxed: true } as const;
    if (threaded && parsed.wire) {
      const report = await this.#store.ingestInThread(parsed.wire, start, parsed.length, { ...options, batch: WRITER_BATCH });
      return report ? { report, count: parsed.length - start } : null;
    }
    // Each chunk in a turn of its own: resumed from the parser thread's answer (the poll phase),
    // a chunk and the next one (the check phase) would otherwise share one loop iteration.
    await yieldTurn();
    this.#lastTurn = performance.now();
    // The chunk's cost includes rebuilding its events from the parser thread's answer.
    const started = performance.now();
    const { events: chunk, hashed } = parsed.take(start, start + this.#chunk);
    const report = this.#store.ingestEvents(chunk, { ...options, batch: chunk.length, ...(hashed ? { hashed } : {}) });
    this.#chunk = nextChunk(chunk.length, performance.now() - started);
    return { report, count: chunk.length };
  }

  /** A turn of the event loop once BREATHE_MS of work ran since the last one. */
  async #breathe(): Promise<void> {
    if (performance.now() - this.#lastTurn < BREATHE_MS) return;
    await yieldTurn();
    this.#lastTurn = performance.now();
  }

  // ---- lazy signature checks -------------------------------------------------------------

  #kickLazyVerification(): void {
    if (this.#closed) return;
    if (this.#lazyRunning || this.#lazy.length === 0) return;
    this.#lazyRunning = (async () => {
      while (this.#lazy.length > 0 && !this.#closed) {
        const job = this.#lazy.shift()!;
        if (job.to < job.from) continue;
        const key = publicKeyFromRaw(job.key);
        for (let after = job.from - 1; after < job.to; ) {
          const events = this.#store.readEvents(job.device, after, Math.min(200, job.to - after));
          if (events.length === 0) break;
          const results = await Promise.all(events.map((e) => checkSignature(key, e)));
          const bad = results.findIndex((ok) => !ok);
          if (bad >= 0) {
            const seq = events[bad]!.seq;
            this.#blocked.set(
              `sig:${job.device}`,
              problem('bad_signature', 'error', {
                device: job.device,
                seq,
                file: job.file,
                line: seq - job.segFrom + 1,
                message: `${job.file} line ${seq - job.segFrom + 1}: signature failure at seq ${seq} of device ${job.device} (found by the background check). Its events are kept; later ones are not taken until someone decides.`,
                action: 'Run `warroom verify`; ask the device’s owner; revoke the device if it cannot be explained.',
              }),
            );
            this.#lazy = this.#lazy.filter((j) => j.device !== job.device);
            break;
          }
          after = events[events.length - 1]!.seq;
        }
      }
    })()
      .catch((error: unknown) => {
        if (!this.#closed) this.#o.log(`[sync] background signature check failed: ${String(error)}`);
      })
      .finally(() => {
        this.#lazyRunning = null;
        if (!this.#closed) this.#notifyIfChanged();
      });
  }

  // ---- blobs and receipts ----------------------------------------------------------------

  /** Evidence files both ways, once each: content-named, so two writers write the same bytes. */
  #mirrorBlobs(problems: SyncProblem[]): void {
    const local = join(this.#o.dataDir, BLOBS_DIR);
    const shared = join(this.folder, BLOBS_DIR);
    const list = (dir: string) => {
      try {
        return new Set(readdirSync(dir).filter((n) => SHA256_NAME.test(n)));
      } catch {
        return new Set<string>();
      }
    };
    const mine = list(local);
    const theirs = list(shared);
    for (const name of mine) {
      if (theirs.has(name)) continue;
      try {
        mkdirSync(shared, { recursive: true });
        publishFile(join(shared, name), readFileSync(join(local, name)));
      } catch (error) {
        problems.push(this.#publishProblem(error, `${BLOBS_DIR}/${name}`));
      }
    }
    for (const name of theirs) {
      if (mine.has(name) || this.#badBlobs.has(name)) continue;
      const path = join(shared, name);
      try {
        if (statSync(path).size > MAX_BLOB_BYTES) throw new Error('too large');
        const bytes = readFileSync(path);
        if (sha256(bytes).toString('hex') !== name) {
          this.#badBlobs.add(name);
          problems.push(problem('corrupt_blob', 'warn', { file: `${BLOBS_DIR}/${name}`, message: `The evidence file ${BLOBS_DIR}/${name} does not match its hash; it is not used.`, action: 'The device that attached it republishes it when it next syncs; otherwise ask for the file again.' }));
          continue;
        }
        mkdirSync(local, { recursive: true, mode: 0o700 });
        publishFile(join(local, name), bytes);
      } catch {
        // still arriving or unreadable: retried next pass
      }
    }
  }

  /** §1.6.6: our head plus what we hold of everyone else, signed: a receipt and a witness. */
  #writeHead(problems: SyncProblem[]): void {
    const me = this.#store.device().id;
    const seq = this.#publishedOwn;
    const last = seq > 0 ? this.#store.readEvents(me, seq - 1, 1)[0] : undefined;
    const ingested: Record<string, { seq: number; hash: string | null }> = {};
    for (const h of this.#store.heads()) {
      if (h.self || h.seq === 0 || h.device === me) continue;
      ingested[h.device] = { seq: h.seq, hash: this.#store.readEvents(h.device, h.seq - 1, 1)[0]?.hash ?? null };
    }
    const body = { deviceId: me, seq, hash: last?.hash ?? null, hlc: last?.hlc ?? null, ingested };
    const key = canonicalJson(body);
    const now = this.#o.now();
    if (this.#lastHead && this.#lastHead.key === key && Date.now() - this.#lastHead.at < HEAD_REFRESH_MS) return;
    const head: UnsignedHead = { ...body, merkleRoot: sha256(key).toString('hex'), writtenAt: new Date(Number.isFinite(now) && now > 0 ? now : Date.now()).toISOString() };
    try {
      writeHeadFile(this.folder, head, (digest) => this.#store.signDigest(digest));
      this.#lastHead = { key, at: Date.now() };
    } catch (error) {
      problems.push(this.#publishProblem(error, `${DEVICES_DIR}/${me}/${HEAD_FILE}`));
    }
  }
}

function checkSignature(key: ReturnType<typeof publicKeyFromRaw>, event: EventEnvelope): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      // With a callback, Node runs the check on its thread pool: the main thread stays free.
      verifySignature(null, Buffer.from(event.hash, 'hex'), key, Buffer.from(event.sig, 'base64url'), (error, ok) => resolve(!error && ok));
    } catch {
      resolve(false);
    }
  });
}

function classifyRejection(reason: string): { code: ProblemCode; what: string; action: string } {
  if (reason.startsWith('fork')) return { code: 'fork', what: `a different event with this number is already stored (${reason})`, action: 'The duplicated device re-keys by itself; admit its new id.' };
  if (reason.includes('signature')) return { code: 'bad_signature', what: 'the signature is not valid for the device’s key', action: 'Run `warroom verify`; ask the device’s owner; revoke the device if it cannot be explained.' };
  if (reason.includes('hash')) return { code: 'corrupt_line', what: 'the event does not match its hash (edited or damaged)', action: 'The writing device republishes its events if it still has them.' };
  if (reason.startsWith('gap') || reason.startsWith('prev')) return { code: 'chain_break', what: reason, action: 'Waiting for the missing events; if it persists, run `warroom verify` on the writing device.' };
  return { code: 'corrupt_line', what: reason, action: 'The writing device republishes its events if it still has them.' };
}

function problem(code: ProblemCode, severity: Severity, fields: Partial<SyncProblem> & { message: string; action: string }): SyncProblem {
  return { code, severity, file: null, line: null, device: null, seq: null, ...fields };
}

function dedupe(problems: SyncProblem[]): SyncProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}|${p.file}|${p.device}|${p.seq}|${p.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The highest seq n such that 1..n is covered by the given ranges. */
function coverage(ranges: readonly { from: number; to: number }[]): number {
  let cover = 0;
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    if (r.from > cover + 1) break;
    cover = Math.max(cover, r.to);
  }
  return cover;
}

function rel(folder: string, path: string): string {
  return relative(folder, path).split('\\').join('/');
}

function formatAhead(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

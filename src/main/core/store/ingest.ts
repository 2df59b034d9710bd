// Events from other devices (a shared-folder segment, an import): each is checked — envelope,
// hash, signature, chain link — then stored with INSERT-or-ignore semantics and folded. Sync
// reads the files; this is the part that decides what enters the log.
import type { KeyObject } from 'node:crypto';
import { ApiError } from '../../../shared/api/errors.ts';
import type { EntityRef } from '../../../shared/api/changes.ts';
import type { EventCatalog } from '../../../shared/events/catalog.ts';
import { classifyEvent } from '../../../shared/events/catalog.ts';
import { checkEnvelope, envelopeNewerReason, releaseOf, unsignedPart, type EnvelopeCheck, type EventEnvelope, type UnsignedEvent } from '../../../shared/events/envelope.ts';
import { parseHlc, receiveClock } from '../../../shared/events/hlc.ts';
import { sql, type Db } from './db.ts';
import { fingerprintOf, publicKeyFromRaw, sha256, verifyHash } from './identity.ts';
import { addReleaseEvents, canonicalBody, deviceRow, insertDevice, insertEventRow, readClock, setDeviceHead, writeClock } from './log.ts';
import { FoldBatch } from './projections.ts';

export interface IngestRejection {
  id: string | null;
  device: string | null;
  seq: number | null;
  reason: string;
}

export interface IngestReport {
  inserted: number;
  duplicates: number;
  deferred: number;
  rejected: IngestRejection[];
  /** Events whose clock was more than MAX_PULL ahead of ours: ingested, ordered by their own hlc, flagged. */
  futureDated: { id: string; aheadMs: number }[];
  entities: EntityRef[];
}

export interface IngestContext {
  readonly db: Db;
  readonly catalog: EventCatalog;
  readonly now: () => number;
  /** Why a device's event is stored but not folded (trust: not admitted, revoked), or null. */
  readonly holdReason?: (device: string, seq: number) => string | null;
}

export interface IngestOptions {
  /**
   * 'each' (default) verifies every signature. 'last' verifies, per device, the signature of the
   * last event of the call before inserting any of them: with every hash and prev link checked,
   * it covers the whole prefix (SYNC-PROTOCOL §1.6); the caller verifies the others lazily.
   */
  signatures?: 'each' | 'last';
  /**
   * The events are envelopes that already passed checkEnvelope (parseSegment's output): only
   * the cheap "from a newer version" test is repeated, not the structural validation.
   */
  prechecked?: boolean;
  /** Events per transaction (default 250); the sync engine sizes its chunks by time itself. */
  batch?: number;
  /**
   * Commit without waiting for the disk (synchronous=NORMAL for these transactions only). For
   * events that can be fetched again — the shared folder keeps them: a power cut loses at most
   * the newest, which the next pull takes again. Call makeDurable before saying they are here.
   */
  relaxed?: boolean;
  /**
   * Each event's canonical body and its sha256, aligned with the events, when the caller already
   * computed them (the segment parser thread): they are not computed again. The hash is still
   * compared with the one the event claims.
   */
  hashed?: readonly HashedBody[];
}

/** The canonical bytes of an event without hash and sig (what is hashed and stored), and their sha256. */
export interface HashedBody {
  body: string;
  hash: Buffer;
  /** The hash in hex, once someone needed it (it is compared with the hash the event claims). */
  hex?: string;
}

export function hexOf(hashed: HashedBody): string {
  return (hashed.hex ??= hashed.hash.toString('hex'));
}

/** One commit at synchronous=FULL: its fsync of the WAL also covers every relaxed commit before it. */
export function makeDurable(db: Db): void {
  db.write(() => writeClock(db, readClock(db)));
}

/** Small transactions keep the main thread responsive (BENCHMARKS: never stall > 50 ms). */
const BATCH = 250;

export function registerDevice(db: Db, device: { id: string; publicKey: Buffer; firstSeen: string }): void {
  if (device.publicKey.length !== 32) throw new ApiError('invalid_input', 'A device public key is 32 bytes (raw Ed25519).', 'publicKey');
  publicKeyFromRaw(device.publicKey);
  db.write(() => {
    const existing = deviceRow(db, device.id);
    if (existing && !existing.public_key.equals(device.publicKey)) {
      throw new ApiError('conflict', `Device ${device.id} is already known with another key.`);
    }
    if (!existing) insertDevice(db, { ...device, fingerprint: fingerprintOf(device.publicKey), self: false });
  });
}

export function ingestEvents(ctx: IngestContext, events: readonly unknown[], options: IngestOptions = {}): IngestReport {
  const report: IngestReport = { inserted: 0, duplicates: 0, deferred: 0, rejected: [], futureDated: [], entities: [] };
  const keys = new Map<string, KeyObject | null>();
  const hashed: Hashed = new WeakMap();
  if (options.hashed) {
    if (options.hashed.length !== events.length) throw new Error('ingestEvents: `hashed` must have one entry per event');
    events.forEach((e, i) => {
      if (typeof e === 'object' && e !== null) hashed.set(e, options.hashed![i]!);
    });
  }
  // Each envelope is validated once per call; vouching and ingesting share the verdict.
  const checks = events.map((raw) => (options.prechecked ? recheck(raw as EventEnvelope) : checkEnvelope(raw)));
  const vouched = options.signatures === 'last' ? vouchedDevices(ctx.db, events, checks, keys, hashed) : new Set<string>();
  // A device whose chain broke in this call is not read further: never skip past a gap.
  const stopped = new Set<string>();
  const touched = new Map<string, EntityRef>();
  const batch = Math.max(1, options.batch ?? BATCH);
  const synchronous = ctx.db.pragma<number>('synchronous');
  if (options.relaxed) ctx.db.pragma('synchronous = NORMAL');
  try {
    ingestBatches(ctx, events, batch, checks, keys, stopped, vouched, hashed, report, touched);
  } finally {
    if (options.relaxed) ctx.db.pragma(`synchronous = ${Number(synchronous)}`);
  }
  report.entities = [...touched.values()];
  return report;
}

function ingestBatches(
  ctx: IngestContext,
  events: readonly unknown[],
  batch: number,
  checks: readonly EnvelopeCheck[],
  keys: Map<string, KeyObject | null>,
  stopped: Set<string>,
  vouched: ReadonlySet<string>,
  hashed: Hashed,
  report: IngestReport,
  touched: Map<string, EntityRef>,
): void {
  for (let start = 0; start < events.length; start += batch) {
    ctx.db.write(() => {
      const tx: Tx = { clock: readClock(ctx.db), heads: new Map(), releases: new Map(), folds: new FoldBatch(ctx.db, ctx.catalog) };
      for (let i = start; i < Math.min(events.length, start + batch); i++) {
        const outcome = ingestOne(ctx, events[i], checks[i]!, keys, stopped, tx, vouched, hashed);
        if (outcome.kind === 'rejected') {
          report.rejected.push(outcome.rejection);
          continue;
        }
        if (outcome.kind === 'duplicate') {
          report.duplicates += 1;
          continue;
        }
        report.inserted += 1;
        if (outcome.deferred) report.deferred += 1;
        if (outcome.aheadMs !== null) report.futureDated.push({ id: outcome.event.id, aheadMs: outcome.aheadMs });
        const { kind, id } = outcome.event.entity;
        touched.set(`${kind}\u0000${id}`, { kind, id });
      }
      // Once per transaction: entity states, device heads, release counts, the clock.
      tx.folds.flush();
      for (const [device, head] of tx.heads) if (head.moved) setDeviceHead(ctx.db, device, head.seq, head.hash!);
      for (const [release, n] of tx.releases) addReleaseEvents(ctx.db, release, n);
      writeClock(ctx.db, tx.clock);
    });
  }
}

/** What one transaction accumulates and writes once at its end. */
interface Tx {
  clock: ReturnType<typeof readClock>;
  heads: Map<string, { seq: number; hash: Buffer | null; hex?: string | null; moved: boolean }>;
  releases: Map<string, number>;
  folds: FoldBatch;
}

/** The verdict checkEnvelope gave an envelope that passed it: only "newer" is recomputed. */
function recheck(event: EventEnvelope): EnvelopeCheck {
  const newer = envelopeNewerReason(event as unknown as Record<string, unknown>);
  return newer ? { ok: true, event, newer: true, reason: newer } : { ok: true, event, newer: false };
}

type Outcome =
  | { kind: 'rejected'; rejection: IngestRejection }
  | { kind: 'duplicate' }
  | { kind: 'inserted'; event: UnsignedEvent; deferred: boolean; aheadMs: number | null };

/** Canonical bytes and hash of each event, computed once per call. */
type Hashed = WeakMap<object, HashedBody>;

function hashOf(hashed: Hashed, event: EventEnvelope): HashedBody {
  let found = hashed.get(event);
  if (!found) {
    const body = canonicalBody(unsignedPart(event) as unknown as UnsignedEvent);
    found = { body, hash: sha256(body) };
    hashed.set(event, found);
  }
  return found;
}

/**
 * Devices whose events in this call form one intact chain (contiguous seqs, every hash and prev
 * link right) ending in an event with a valid signature: that signature covers the whole run.
 * Any doubt leaves the device to per-event signature checks, which then name the exact seq.
 */
function vouchedDevices(db: Db, events: readonly unknown[], checks: readonly EnvelopeCheck[], keys: Map<string, KeyObject | null>, hashed: Hashed): Set<string> {
  const byDevice = new Map<string, EventEnvelope[]>();
  const broken = new Set<string>();
  for (const [i, raw] of events.entries()) {
    const checked = checks[i]!;
    const device = (raw as { device?: unknown } | null)?.device;
    if (!checked.ok) {
      if (typeof device === 'string') broken.add(device);
      continue;
    }
    const list = byDevice.get(checked.event.device) ?? [];
    list.push(checked.event);
    byDevice.set(checked.event.device, list);
  }
  const vouched = new Set<string>();
  for (const [device, list] of byDevice) {
    if (broken.has(device)) continue;
    let intact = true;
    for (let i = 0; i < list.length && intact; i++) {
      const e = list[i]!;
      if (hexOf(hashOf(hashed, e)) !== e.hash) intact = false;
      else if (i > 0 && (e.seq !== list[i - 1]!.seq + 1 || e.prev !== list[i - 1]!.hash)) intact = false;
    }
    if (!intact) continue;
    const row = deviceRow(db, device);
    if (!row) continue;
    if (!keys.has(device)) keys.set(device, publicKeyFromRaw(row.public_key));
    const key = keys.get(device);
    const last = list[list.length - 1]!;
    if (key && verifyHash(key, hashOf(hashed, last).hash, Buffer.from(last.sig, 'base64url'))) vouched.add(device);
  }
  return vouched;
}

/** An event refused, named as well as its raw form allows. */
function rejection(raw: unknown, reason: string): Outcome {
  const guess = raw as { id?: unknown; device?: unknown; seq?: unknown } | null;
  return {
    kind: 'rejected',
    rejection: {
      id: typeof guess?.id === 'string' ? guess.id : null,
      device: typeof guess?.device === 'string' ? guess.device : null,
      seq: typeof guess?.seq === 'number' ? guess.seq : null,
      reason,
    },
  };
}

/** A refusal that also stops the device: nothing after it is read (never skip past a gap). */
function halt(stopped: Set<string>, raw: unknown, device: string, reason: string): Outcome {
  stopped.add(device);
  return rejection(raw, reason);
}

function ingestOne(
  ctx: IngestContext,
  raw: unknown,
  checked: EnvelopeCheck,
  keys: Map<string, KeyObject | null>,
  stopped: Set<string>,
  tx: Tx,
  vouched: ReadonlySet<string>,
  hashed: Hashed,
): Outcome {
  const { db } = ctx;
  if (!checked.ok) return rejection(raw, `invalid envelope: ${checked.reason}`);
  const envelope = checked.event;
  if (stopped.has(envelope.device)) return rejection(raw, 'not read: an earlier event of this device was rejected');
  const unsigned: UnsignedEvent = envelope;
  const hashedBody = hashOf(hashed, envelope);
  const { body, hash } = hashedBody;
  if (hexOf(hashedBody) !== envelope.hash) return halt(stopped, raw, envelope.device, 'the hash does not match the event');
  let head = tx.heads.get(envelope.device);
  if (!head) {
    const row = deviceRow(db, envelope.device);
    if (!keys.has(envelope.device)) keys.set(envelope.device, row ? publicKeyFromRaw(row.public_key) : null);
    head = row ? { seq: row.head_seq, hash: row.head_hash, moved: false } : { seq: 0, hash: null, moved: false };
    tx.heads.set(envelope.device, head);
  }
  // A device's events are stored contiguously up to its head and the id is device:seq, so only
  // a seq at or below the head can already be here.
  if (envelope.seq <= head.seq) {
    const existing = db.get<{ hash: Buffer }>(sql`SELECT hash FROM events WHERE id = ${envelope.id}`);
    if (existing) {
      if (existing.hash.equals(hash)) return { kind: 'duplicate' };
      // Same device and seq, different content: a duplicated identity. Keep ours, report it.
      return halt(stopped, raw, envelope.device, `fork: ${envelope.id} is already stored with a different hash`);
    }
  }
  const key = keys.get(envelope.device);
  if (!key) return halt(stopped, raw, envelope.device, `unknown device ${envelope.device}: its public key was never registered`);
  const sig = Buffer.from(envelope.sig, 'base64url');
  if (!vouched.has(envelope.device) && !verifyHash(key, hash, sig)) return halt(stopped, raw, envelope.device, 'the signature is not valid for this device key');
  if (envelope.seq !== head.seq + 1) return halt(stopped, raw, envelope.device, `gap: expected seq ${head.seq + 1}, got ${envelope.seq}`);
  const expectedPrev = (head.hex ??= head.hash ? head.hash.toString('hex') : null);
  if (envelope.prev !== expectedPrev) return halt(stopped, raw, envelope.device, 'prev does not link to the stored head of this device');

  const remote = parseHlc(envelope.hlc)!;
  const received = receiveClock(tx.clock, remote, ctx.now());
  const verdict = checked.newer ? { fold: false as const, reason: checked.reason } : classifyEvent(ctx.catalog, unsigned);
  const held = ctx.holdReason?.(envelope.device, envelope.seq) ?? null;
  const deferred = held ?? (verdict.fold ? null : verdict.reason);
  insertEventRow(db, { event: unsigned, body, hash, sig, origin: 'remote', deferred });
  Object.assign(head, { seq: envelope.seq, hash, hex: envelope.hash, moved: true });
  const release = releaseOf(unsigned);
  if (release !== null) tx.releases.set(release, (tx.releases.get(release) ?? 0) + 1);
  if (verdict.fold && !held) tx.folds.fold(unsigned, verdict.effects);
  tx.clock = received.state;
  return {
    kind: 'inserted',
    event: unsigned,
    deferred: deferred !== null,
    aheadMs: received.futureDated ? received.aheadMs : null,
  };
}

// The store: one data folder's database, this device's identity and the person at it, and the
// single write path. Everything above (handlers, CLI, sync) goes through this interface.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceInfo } from '../../../shared/api/app.ts';
import type { ChangeNotice, EntityRef } from '../../../shared/api/changes.ts';
import { ApiError } from '../../../shared/api/errors.ts';
import type { RebuildResult, TimelinePage, TimelineQuery, VerifyReport } from '../../../shared/api/store.ts';
import { profileInput, type Profile, type ProfileInput } from '../../../shared/domain/people.ts';
import { EVENT_CATALOG, type EventCatalog } from '../../../shared/events/catalog.ts';
import type { Actor, EventEnvelope } from '../../../shared/events/envelope.ts';
import type { EntityState } from '../../../shared/events/fold.ts';
import { personView } from '../../../shared/events/views.ts';
import { inputError } from '../dispatch.ts';
import { appendPrepared, prepareCommands, storageError, type EventCommand } from './append.ts';
import { backupTo, type BackupReport } from './backup.ts';
import type { Db } from './db.ts';
import { newPersonId, signHash, type DeviceKeys } from './identity.ts';
import { ingestEvents, makeDurable, registerDevice, type IngestOptions, type IngestReport } from './ingest.ts';
import { IngestThread, type ThreadIngestOptions } from './ingest-thread.ts';
import type { WireEvents } from './wire.ts';
import { getMeta, rowToEnvelope, setMeta } from './log.ts';
import { DB_FILE, ensureIdentity, openDatabase, replaceIdentity, type QuickCheckPolicy } from './open.ts';
import { changedDevices, holdFor, loadTrust, reapplyTrust, type TrustMap } from './trust.ts';
import { TRUST_TYPES } from '../../../shared/sync/trust.ts';
import { enforceDataPath } from './path-guard.ts';
import { loadEntity, projectionDigest, projectionKey, rebuildProjections } from './projections.ts';
import { timelinePage } from './timeline.ts';
import { verifyLog } from './verify.ts';
import { sql } from './db.ts';

export type { EventCommand } from './append.ts';
export type { IngestReport, IngestOptions } from './ingest.ts';
export type { TrustMap } from './trust.ts';
export type { BackupReport } from './backup.ts';
export { restoreBackup, type RestoreOptions, type RestoreReport } from './backup.ts';
export { DB_FILE, type QuickCheckPolicy } from './open.ts';

export interface OpenStoreOptions {
  dataDir: string;
  /** Wall clock in ms; tests inject skewed or backwards clocks. */
  now?: () => number;
  /** The event types this version folds (tests stand in a newer version's catalog). */
  catalog?: EventCatalog;
  /** When to run `quick_check` on open: 'auto' (default: small files always, large ones daily), 'always', 'never'. */
  quickCheck?: QuickCheckPolicy;
  /** Open even on a network or cloud-synced folder (not recommended; see docs/storage.md). */
  allowUnsafeLocation?: boolean;
  log?: (line: string) => void;
  /** Another script for the ingest writer thread than the built-in one (tests of a thread that fails). */
  ingestWorkerFile?: string;
}

export interface Store {
  readonly dataDir: string;
  readonly path: string;
  /** Schema versions before and after this open's migrations, and whether it ran quick_check. */
  readonly migrated: { from: number; to: number; quickChecked: boolean };
  /** Problems with the data folder's location that do not stop us (e.g. a FUSE mount). */
  readonly warnings: readonly string[];
  /** The database, for core modules with their own tables (metric samples); never for the event log. */
  readonly db: Db;
  device(): DeviceInfo;
  /** This device's raw 32-byte Ed25519 public key (what other devices register). */
  publicKey(): Buffer;
  /** Signs a 32-byte digest with this device's key (sync receipts: head.json). */
  signDigest(digest: Buffer): Buffer;
  profile(): Profile | null;
  setProfile(input: ProfileInput): Profile;
  appendEvents(commands: readonly EventCommand[]): EventEnvelope[];
  /** Events of one device after a seq, in seq order (for publishing and tests). */
  readEvents(device: string, afterSeq?: number, limit?: number): EventEnvelope[];
  registerDevice(device: { id: string; publicKey: Buffer }): void;
  /** Every known device and the last seq stored for it (the ingest frontier). */
  heads(): { device: string; seq: number; self: boolean }[];
  ingestEvents(events: readonly unknown[], options?: IngestOptions): IngestReport;
  /**
   * ingestEvents for events [start, end) in their wire form (the sync parser thread's answer), on
   * the ingest writer thread's own connection, so the main thread stays free (SYNC-PROTOCOL
   * §1.6.4): same checks, same report, same change notices. Null when that thread is not
   * available (or this store folds with another catalog than the built-in one): the caller then
   * ingests them here, with ingestEvents, in slices of its choosing.
   */
  ingestInThread(wire: WireEvents, start: number, end: number, options: ThreadIngestOptions): Promise<IngestReport | null>;
  /** Starts the ingest writer thread ahead of ingestInThread (its start-up overlaps the parse). */
  warmIngestThread(): void;
  /**
   * One commit at synchronous=FULL: its fsync of the WAL also covers every `relaxed` commit before
   * it. On the ingest writer thread when that ran (the fsync of a large WAL can take long on a
   * busy disk), else here.
   */
  makeDurable(): Promise<void>;
  /**
   * The shared folder's genesis device: from then on other devices' events are held until an
   * admitted device admits them (device.admitted). Null before any folder is set up.
   */
  trustRoot(): string | null;
  setTrustRoot(deviceId: string): void;
  /** Per device: admitted, revocation bound. Null without a trust root (everyone folds). */
  trust(): TrustMap | null;
  /** Stop signing as this device (a duplicated identity was detected) and start a new one. */
  rekey(reason: string): DeviceInfo;
  entity(kind: string, id: string): EntityState | null;
  /** Every entity of a kind with its folded state, by id (lists: releases, templates, people). */
  entities(kind: string): { id: string; state: EntityState }[];
  timeline(query: TimelineQuery): TimelinePage;
  verify(): VerifyReport;
  rebuild(): RebuildResult;
  digest(): string;
  /** The connection's durability settings, as SQLite reports them (diagnostics, tests). */
  settings(): StoreSettings;
  backup(file: string): Promise<BackupReport>;
  onChange(listener: (notice: ChangeNotice) => void): () => void;
  close(): void;
}

export interface StoreSettings {
  journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  synchronous: number;
  foreignKeys: boolean;
  busyTimeoutMs: number;
  schema: number;
}

export function openStore(options: OpenStoreOptions): Store {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const catalog = options.catalog ?? EVENT_CATALOG;
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const warnings = enforceDataPath(options.dataDir, options.allowUnsafeLocation ?? process.env.WARROOM_ALLOW_UNSAFE_LOCATION === '1');
  const path = join(options.dataDir, DB_FILE);
  const { db, migrated, checked } = openDatabase(path, { quickCheck: options.quickCheck ?? 'auto', now, log });
  let keys: DeviceKeys;
  try {
    keys = ensureIdentity(db, options.dataDir, now, log);
    if (getMeta(db, 'projection_key') !== projectionKey(catalog)) {
      const selfId = keys.id;
      db.write(() => rebuildProjections(db, catalog, holdFor(loadTrust(db), () => selfId)));
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return new LocalStore(db, options.dataDir, path, { ...migrated, quickChecked: checked }, warnings, keys, catalog, now, log, options.ingestWorkerFile);
}

class LocalStore implements Store {
  readonly #listeners = new Set<(notice: ChangeNotice) => void>();
  /** The ingest writer thread, made by the first ingestInThread or warmIngestThread. */
  #writer: IngestThread | null = null;
  #trust: TrustMap | null;
  /** Ingest asks this whether a device's event is held (not admitted, revoked). */
  readonly holdReason: (device: string, seq: number) => string | null;

  constructor(
    readonly db: Db,
    readonly dataDir: string,
    readonly path: string,
    readonly migrated: { from: number; to: number; quickChecked: boolean },
    readonly warnings: readonly string[],
    public keys: DeviceKeys,
    readonly catalog: EventCatalog,
    readonly now: () => number,
    readonly log: (line: string) => void,
    private readonly ingestWorkerFile?: string,
  ) {
    this.#trust = loadTrust(db);
    this.holdReason = (device, seq) => holdFor(this.#trust, () => this.keys.id)(device, seq);
  }

  device(): DeviceInfo {
    return { id: this.keys.id, fingerprint: this.keys.fingerprint };
  }

  publicKey(): Buffer {
    return Buffer.from(this.keys.publicKey);
  }

  signDigest(digest: Buffer): Buffer {
    return signHash(this.keys.privateKey, digest);
  }

  profile(): Profile | null {
    const personId = getMeta(this.db, 'person_id');
    if (!personId) return null;
    const state = loadEntity(this.db, 'person', personId);
    const view = state ? personView(state) : null;
    return view ? { id: personId, name: view.name, role: view.role as Profile['role'], updatedAt: view.updatedAt } : null;
  }

  setProfile(input: ProfileInput): Profile {
    const parsed = profileInput.safeParse(input);
    if (!parsed.success) throw inputError(parsed.error);
    const { name, role } = parsed.data;
    let personId: string | null = null;
    try {
      this.db.write(() => {
        const current = this.profile();
        if (current && current.name === name && current.role === role) return;
        let id = getMeta(this.db, 'person_id');
        if (!id) {
          // The person id outlives name and role changes: it is who signed what.
          id = newPersonId();
          setMeta(this.db, 'person_id', id);
        }
        const prepared = prepareCommands(this.catalog, [{ type: 'profile.changed', entity: { kind: 'person', id }, data: { name, role } }]);
        appendPrepared(this, prepared, () => ({ id: id, name, role }));
        personId = id;
      });
    } catch (error) {
      throw storageError(error);
    }
    if (personId) {
      this.#publish({ topic: 'events', entities: [{ kind: 'person', id: personId }], count: 1 });
      this.#publish({ topic: 'profile' });
    }
    return this.profile()!;
  }

  appendEvents(commands: readonly EventCommand[]): EventEnvelope[] {
    const prepared = prepareCommands(this.catalog, commands);
    if (prepared.some((p) => p.command.type === 'profile.changed')) {
      throw new ApiError('invalid_input', 'Profile changes go through profile.set.', 'type');
    }
    const written = appendPrepared(this, prepared, () => this.#actor());
    this.#publish({ topic: 'events', entities: uniqueEntities(written), count: written.length });
    if (written.some((e) => isTrustType(e.type))) this.#refreshTrust();
    return written;
  }

  #actor(): Actor {
    const profile = this.profile();
    if (!profile) throw new ApiError('no_profile', 'Set up who you are first: the first-run screen, or `warroom init --name NAME --role ROLE`.');
    return { id: profile.id, name: profile.name, role: profile.role };
  }

  readEvents(device: string, afterSeq = 0, limit = 1000): EventEnvelope[] {
    return this.db
      .all<{ body: string; hash: Buffer; sig: Buffer }>(sql`
        SELECT body, hash, sig FROM events WHERE device = ${device} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`)
      .map(rowToEnvelope);
  }

  registerDevice(device: { id: string; publicKey: Buffer }): void {
    const wall = this.now();
    registerDevice(this.db, { ...device, firstSeen: new Date(Number.isFinite(wall) && wall > 0 ? wall : Date.now()).toISOString() });
  }

  heads(): { device: string; seq: number; self: boolean }[] {
    return this.db
      .all<{ id: string; head_seq: number; is_self: number }>(sql`SELECT id, head_seq, is_self FROM devices ORDER BY id`)
      .map((row) => ({ device: row.id, seq: row.head_seq, self: row.is_self === 1 }));
  }

  ingestEvents(events: readonly unknown[], options: IngestOptions = {}): IngestReport {
    let report: IngestReport;
    try {
      report = ingestEvents(this, events, options);
    } catch (error) {
      throw storageError(error);
    }
    return this.#ingested(report);
  }

  async ingestInThread(wire: WireEvents, start: number, end: number, options: ThreadIngestOptions): Promise<IngestReport | null> {
    const writer = this.#ingestThread();
    if (!writer) return null;
    const report = await writer.ingest(wire, start, end, { now: this.now(), self: this.keys.id, options });
    if (!report) return null;
    return this.db.open ? this.#ingested(report) : report;
  }

  warmIngestThread(): void {
    this.#ingestThread()?.warm();
  }

  /** The thread folds with the built-in catalog; a store opened with another (tests of newer versions) ingests here. */
  #ingestThread(): IngestThread | null {
    if (this.catalog !== EVENT_CATALOG || !this.db.open) return null;
    return (this.#writer ??= new IngestThread(this.path, this.log, this.ingestWorkerFile));
  }

  async makeDurable(): Promise<void> {
    if (await this.#writer?.makeDurable()) return;
    if (this.db.open) makeDurable(this.db);
  }

  /** What other devices' new events change here: listeners hear of them; trust events apply. */
  #ingested(report: IngestReport): IngestReport {
    if (report.inserted > 0) this.#publish({ topic: 'events', entities: report.entities, count: report.inserted });
    if (report.inserted > 0 && report.entities.some((e) => e.kind === 'device')) this.#refreshTrust();
    return report;
  }

  trustRoot(): string | null {
    return getMeta(this.db, 'trust_root') ?? null;
  }

  setTrustRoot(deviceId: string): void {
    if (this.trustRoot() === deviceId) return;
    try {
      this.db.write(() => setMeta(this.db, 'trust_root', deviceId));
    } catch (error) {
      throw storageError(error);
    }
    this.#refreshTrust(true);
  }

  trust(): TrustMap | null {
    return this.#trust;
  }

  /** After a trust event or a new root: hold or release the affected devices' events. */
  #refreshTrust(all = false): void {
    const before = this.#trust;
    let entities: EntityRef[] = [];
    try {
      entities = this.db.write(() => {
        const after = loadTrust(this.db);
        const devices = all ? changedDevices(null, after, this.db) : changedDevices(before, after, this.db);
        this.#trust = after;
        return devices.length > 0 ? reapplyTrust(this.db, this.catalog, devices, this.holdReason) : [];
      });
    } catch (error) {
      this.#trust = before;
      throw storageError(error);
    }
    if (entities.length > 0) this.#publish({ topic: 'events', entities, count: 0 });
  }

  rekey(reason: string): DeviceInfo {
    try {
      this.keys = replaceIdentity(this.db, this.dataDir, this.now, this.log, reason);
    } catch (error) {
      throw storageError(error);
    }
    this.#publish({ topic: 'sync' });
    return this.device();
  }

  entity(kind: string, id: string): EntityState | null {
    return loadEntity(this.db, kind, id);
  }

  entities(kind: string): { id: string; state: EntityState }[] {
    return this.db
      .all<{ id: string; state: string }>(sql`SELECT id, state FROM entities WHERE kind = ${kind} ORDER BY id`)
      .map((row) => ({ id: row.id, state: JSON.parse(row.state) as EntityState }));
  }

  timeline(query: TimelineQuery): TimelinePage {
    return timelinePage(this.db, query, this.now());
  }

  verify(): VerifyReport {
    return this.db.read(() => verifyLog(this.db, this.now, true));
  }

  rebuild(): RebuildResult {
    let result: RebuildResult;
    try {
      result = this.db.write(() => rebuildProjections(this.db, this.catalog, this.holdReason));
    } catch (error) {
      throw storageError(error);
    }
    // An empty entity list means "anything may have changed": readers reload what they show.
    if (!result.unchanged) this.#publish({ topic: 'events', entities: [], count: 0 });
    return result;
  }

  digest(): string {
    return this.db.read(() => projectionDigest(this.db));
  }

  settings(): StoreSettings {
    return {
      journalMode: this.db.pragma<string>('journal_mode'),
      synchronous: this.db.pragma<number>('synchronous'),
      foreignKeys: this.db.pragma<number>('foreign_keys') === 1,
      busyTimeoutMs: this.db.pragma<number>('busy_timeout'),
      schema: this.db.pragma<number>('user_version'),
    };
  }

  backup(file: string): Promise<BackupReport> {
    return backupTo(this.db, file);
  }

  onChange(listener: (notice: ChangeNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #publish(notice: ChangeNotice): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(notice);
      } catch (error) {
        process.stderr.write(`[store] change listener failed: ${String(error)}\n`);
      }
    }
  }

  close(): void {
    this.#listeners.clear();
    this.#writer?.close();
    this.db.close();
  }
}

function isTrustType(type: string): boolean {
  return (TRUST_TYPES as readonly string[]).includes(type);
}

function uniqueEntities(events: readonly EventEnvelope[]): EntityRef[] {
  const seen = new Map<string, EntityRef>();
  for (const e of events) seen.set(`${e.entity.kind}\u0000${e.entity.id}`, { kind: e.entity.kind, id: e.entity.id });
  return [...seen.values()];
}

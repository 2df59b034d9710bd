// Opening the database file: refuse one from the future without touching it, set the
// durability pragmas, check the file, migrate, and make sure this device has an identity.
import { existsSync, renameSync } from 'node:fs';
import { Db, isSqliteError, sql } from './db.ts';
import {
  fingerprintOf,
  generateKeys,
  keyFilePath,
  newDeviceId,
  rawPublicKey,
  readKeyFile,
  writeKeyFile,
  type DeviceKeys,
} from './identity.ts';
import { insertDevice, selfDevice } from './log.ts';
import { FutureSchemaError, migrate, schemaVersion, SCHEMA_VERSION } from './migrations.ts';

export const DB_FILE = 'warroom.db';

export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

/**
 * Reads the schema version through a read-only connection, so a database written by a newer
 * version is refused before anything (WAL switch, migration) could change it.
 */
export function probeSchemaVersion(path: string): number | null {
  if (!existsSync(path)) return null;
  let probe: Db | null = null;
  try {
    probe = new Db(path, { readonly: true, mustExist: true });
    return schemaVersion(probe);
  } catch (error) {
    if (isSqliteError(error, 'SQLITE_NOTADB', 'SQLITE_CORRUPT')) {
      throw new StoreOpenError(`${path} is not a readable Release War Room database (${(error as Error).message}). Restore a backup with \`warroom restore\`.`);
    }
    throw error;
  } finally {
    probe?.close();
  }
}

/**
 * Durability, chosen deliberately (docs/storage.md):
 * - WAL: readers (the UI, `serve`, the CLI) never block the single writer.
 * - synchronous=FULL: every commit fsyncs the WAL, so a committed event survives power loss and
 *   an OS crash. NORMAL would also survive SIGKILL of this process (the WAL is in the OS cache,
 *   which outlives the process), but a power cut could drop the last commits; FULL costs one
 *   fsync per commit, well inside the tick budget.
 * - busy_timeout: the app, `serve` and the CLI share one file; a writer waits for the lock
 *   instead of failing.
 */
export function configure(db: Db): void {
  const mode = db.pragma<string>('journal_mode = WAL');
  if (String(mode).toLowerCase() !== 'wal') {
    throw new StoreOpenError(`Could not switch ${db.path} to WAL journaling (got "${mode}"); is the folder on a local disk?`);
  }
  db.pragma('synchronous = FULL');
  // macOS: without fullfsync a FULL commit reaches the drive cache, not the platter/flash.
  if (process.platform === 'darwin') db.pragma('fullfsync = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
}

export function quickCheck(db: Db): void {
  const result = db.pragma<string>('quick_check');
  if (result !== 'ok') {
    throw new StoreOpenError(
      `The database ${db.path} failed its integrity check (${result}). It was left as it is; restore a backup with \`warroom restore FILE\`.`,
    );
  }
}

export interface OpenedDb {
  db: Db;
  migrated: { from: number; to: number };
  /** Whether this open ran quick_check (see `shouldQuickCheck`). */
  checked: boolean;
}

/**
 * `quick_check` reads every page: ~1 ms per MB here, so ~0.1 s at 100k events and ~1 s at 1M.
 * 'auto' checks on every open while the file is small, and for a large file once a day (the
 * tick and timeline budgets cannot absorb a second at every start); `warroom verify` and the
 * Audit panel always check.
 */
export type QuickCheckPolicy = 'auto' | 'always' | 'never';
export const QUICK_CHECK_ALWAYS_BYTES = 32 * 1024 * 1024;
const QUICK_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

function fileBytes(db: Db): number {
  return db.pragma<number>('page_count') * db.pragma<number>('page_size');
}

function shouldQuickCheck(db: Db, policy: QuickCheckPolicy, now: number): boolean {
  if (policy !== 'auto') return policy === 'always';
  if (fileBytes(db) <= QUICK_CHECK_ALWAYS_BYTES) return true;
  const last = db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = 'quick_check_at'`)?.value;
  return !last || !(now - Date.parse(last) < QUICK_CHECK_INTERVAL_MS);
}

/** Best effort: a full disk must not stop the app from opening to read. */
function recordQuickCheck(db: Db, now: number): void {
  if (!Number.isFinite(now) || now <= 0 || fileBytes(db) <= QUICK_CHECK_ALWAYS_BYTES) return;
  try {
    db.run(sql`INSERT INTO meta (key, value) VALUES ('quick_check_at', ${new Date(now).toISOString()})
               ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  } catch (error) {
    if (!isSqliteError(error, 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_BUSY', 'SQLITE_IOERR')) throw error;
  }
}

export function openDatabase(path: string, options: { quickCheck: QuickCheckPolicy; now: () => number; log: (line: string) => void }): OpenedDb {
  const version = probeSchemaVersion(path);
  if (version !== null && version > SCHEMA_VERSION) throw new FutureSchemaError(path, version);
  const db = new Db(path, { log: options.log });
  try {
    db.pragma('busy_timeout = 5000');
    configure(db);
    const wall = options.now();
    const checked = version !== null && version > 0 && shouldQuickCheck(db, options.quickCheck, wall);
    if (checked) quickCheck(db);
    const migrated = migrate(db);
    if (checked) recordQuickCheck(db, wall);
    return { db, migrated, checked };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * This device's keys. A database whose self device has no matching key file was copied or
 * restored onto another machine: it keeps the old device's events and gets a new identity, so
 * two machines never sign as one device (a fork).
 */
export function ensureIdentity(db: Db, dataDir: string, now: () => number, log: (line: string) => void): DeviceKeys {
  return db.write(() => {
    const self = selfDevice(db);
    const path = keyFilePath(dataDir);
    const privateKey = readKeyFile(path);
    if (self && privateKey) {
      const publicKey = rawPublicKey(privateKey);
      if (publicKey.equals(self.public_key)) return { id: self.id, publicKey, privateKey, fingerprint: self.fingerprint };
    }
    if (self) {
      log(`[store] device ${self.id}: ${privateKey ? 'the key file belongs to another device' : 'its key file is missing'}; this copy gets a new device identity.`);
      db.exec('UPDATE devices SET is_self = 0 WHERE is_self = 1');
    }
    return newIdentity(db, dataDir, now, privateKey ? 'unused' : null);
  });
}

/**
 * Gives this data folder a new device id and key (inside the caller's transaction). The old key
 * file, if any, is renamed with `keptAs` in its name, never deleted: it may be the only copy.
 */
function newIdentity(db: Db, dataDir: string, now: () => number, keptAs: string | null): DeviceKeys {
  const path = keyFilePath(dataDir);
  if (keptAs && existsSync(path)) renameSync(path, `${path}.${keptAs}-${Date.now()}`);
  const keys = generateKeys(newDeviceId());
  writeKeyFile(path, keys.pem);
  const wall = now();
  const firstSeen = new Date(Number.isFinite(wall) && wall > 0 ? wall : Date.now()).toISOString();
  insertDevice(db, { id: keys.id, publicKey: keys.publicKey, fingerprint: fingerprintOf(keys.publicKey), firstSeen, self: true });
  return { id: keys.id, publicKey: keys.publicKey, privateKey: keys.privateKey, fingerprint: keys.fingerprint };
}

/**
 * Stops signing as the current device (its identity was duplicated: a fork, SYNC-PROTOCOL §1.9)
 * and starts a new one. The old device's events stay, verifiable with its public key.
 */
export function replaceIdentity(db: Db, dataDir: string, now: () => number, log: (line: string) => void, reason: string): DeviceKeys {
  return db.write(() => {
    const self = selfDevice(db);
    if (self) db.run(sql`UPDATE devices SET is_self = 0 WHERE id = ${self.id}`);
    const keys = newIdentity(db, dataDir, now, 'forked');
    log(`[store] device ${self?.id ?? '?'} re-keyed as ${keys.id}: ${reason}`);
    return keys;
  });
}

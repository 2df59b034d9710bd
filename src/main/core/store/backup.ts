// Backups through SQLite's online backup (consistent while the app keeps writing) and a restore
// that never silently drops events: it refuses to replace a database holding events the backup
// lacks unless forced, verifies the backup's chains first, and keeps the replaced file.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ApiError } from '../../../shared/api/errors.ts';
import type { VerifyReport } from '../../../shared/api/store.ts';
import { Db, sql } from './db.ts';
import { fsyncDir } from '../durable.ts';
import { keyFilePath } from './identity.ts';
import type { DeviceRow } from './log.ts';
import { FutureSchemaError, SCHEMA_VERSION } from './migrations.ts';
import { DB_FILE, probeSchemaVersion, quickCheck, StoreOpenError } from './open.ts';
import { verifyLog } from './verify.ts';

export interface BackupReport {
  file: string;
  bytes: number;
  events: number;
  schema: number;
  ms: number;
}

export async function backupTo(db: Db, file: string): Promise<BackupReport> {
  const started = performance.now();
  const target = resolve(file);
  if (existsSync(target)) throw new ApiError('conflict', `${target} already exists; choose a new file name.`, 'file');
  mkdirSync(dirname(target), { recursive: true });
  await db.backup(target);
  // A backup should be one self-contained file: leave it in rollback-journal mode, then check it.
  const copy = new Db(target, { mustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    quickCheck(copy);
    const events = copy.get<{ n: number }>(sql`SELECT count(*) AS n FROM events`)?.n ?? 0;
    const schema = copy.pragma<number>('user_version');
    return { file: target, bytes: statSync(target).size, events, schema, ms: Math.round(performance.now() - started) };
  } finally {
    copy.close();
  }
}

export interface RestoreOptions {
  dataDir: string;
  file: string;
  /** Replace a database that holds events the backup lacks (the replaced file is kept). */
  force?: boolean;
}

export interface RestoreReport {
  file: string;
  events: number;
  devices: number;
  /** Where the replaced database now lives (null when there was none). */
  previous: string | null;
  /** Events the replaced database held that the backup lacks (only with force). */
  dropped: { device: string; from: number; to: number }[];
  /** The backup's own device had moved on since: this device signs under a new identity. */
  rekeyed: boolean;
  verify: VerifyReport;
}

type Heads = Map<string, { seq: number; self: boolean }>;

function readHeads(db: Db): Heads {
  const heads: Heads = new Map();
  for (const row of db.all<Pick<DeviceRow, 'id' | 'head_seq' | 'is_self'>>(sql`SELECT id, head_seq, is_self FROM devices`)) {
    heads.set(row.id, { seq: row.head_seq, self: row.is_self === 1 });
  }
  return heads;
}

/** Restores FILE into the data folder. The store for that folder must be closed (quit the app first). */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const source = resolve(options.file);
  if (!existsSync(source)) throw new ApiError('not_found', `No backup at ${source}.`, 'file');
  const sourceVersion = probeSchemaVersion(source);
  if (sourceVersion !== null && sourceVersion > SCHEMA_VERSION) throw new FutureSchemaError(source, sourceVersion);
  if (!sourceVersion) throw new ApiError('invalid_input', `${source} is not a Release War Room backup (no schema).`, 'file');

  const path = join(options.dataDir, DB_FILE);
  const temp = `${path}.restore-${process.pid}.tmp`;
  rmSync(temp, { force: true });
  const backup = new Db(source, { readonly: true, mustExist: true });
  let backupHeads: Heads;
  try {
    quickCheck(backup);
    backupHeads = readHeads(backup);
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    await backup.backup(temp);
  } finally {
    backup.close();
  }

  const dropped = compareWithCurrent(path, backupHeads);
  if (dropped.length > 0 && !options.force) {
    rmSync(temp, { force: true });
    const list = dropped.map((d) => `device ${d.device} seq ${d.from}–${d.to}`).join(', ');
    throw new ApiError(
      'conflict',
      `The database in ${options.dataDir} is newer than the backup: it holds events the backup lacks (${list}). Nothing was changed. Restore anyway with --force (the current database is kept beside it).`,
    );
  }

  // Check the copy's chains before it replaces anything.
  const copy = new Db(temp, { mustExist: true });
  let report: VerifyReport;
  try {
    copy.pragma('journal_mode = DELETE');
    report = verifyLog(copy);
  } finally {
    copy.close();
  }
  if (!report.ok) {
    rmSync(temp, { force: true });
    throw new ApiError('invalid_input', `The backup does not verify: ${report.summary} Nothing was changed.`, 'file');
  }

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let previous: string | null = null;
  if (existsSync(path)) {
    previous = `${path}.pre-restore-${stamp}`;
    // Move the WAL and shared-memory files with it, so the kept copy stays whole.
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${previous}${suffix}`);
    }
  }
  renameSync(temp, path);
  fsyncDir(options.dataDir);

  // The backup's own device already signed past the backup's head (in the replaced database):
  // continuing its chain would reuse seqs. Retire the key so this copy signs as a new device.
  const selfDropped = dropped.some((d) => backupHeads.get(d.device)?.self);
  if (selfDropped && existsSync(keyFilePath(options.dataDir))) {
    renameSync(keyFilePath(options.dataDir), `${keyFilePath(options.dataDir)}.retired-${stamp}`);
  }
  return {
    file: source,
    events: report.events,
    devices: report.devices.length,
    previous,
    dropped,
    rekeyed: selfDropped,
    verify: report,
  };
}

/** Ranges the current database holds beyond the backup, per device. */
function compareWithCurrent(path: string, backupHeads: Heads): { device: string; from: number; to: number }[] {
  let version: number | null;
  try {
    version = probeSchemaVersion(path);
  } catch (error) {
    // An unreadable current database is what restores are for; nothing in it can be compared.
    if (error instanceof StoreOpenError) return [];
    throw error;
  }
  if (version === null || version === 0) return [];
  if (version > SCHEMA_VERSION) throw new FutureSchemaError(path, version);
  const current = new Db(path, { readonly: true, mustExist: true });
  try {
    const dropped = [];
    for (const [device, head] of readHeads(current)) {
      const kept = backupHeads.get(device)?.seq ?? 0;
      if (head.seq > kept) dropped.push({ device, from: kept + 1, to: head.seq });
    }
    return dropped;
  } finally {
    current.close();
  }
}

// File operations on the shared folder: publish = open(wx) → write → fsync → close → rename →
// fsync(dir), retried on the errors Windows and cloud clients cause by holding files
// (EBUSY/EPERM/EACCES, laurent22/joplin#8512). Failpoints (WR_FAIL) let tests kill us mid-way.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDir } from '../durable.ts';

const RETRY_CODES = new Set(['EBUSY', 'EPERM', 'EACCES']);
const RETRY_DELAYS_MS = [20, 50, 100, 250, 500];

type PublishPoint = 'after-write' | 'after-fsync' | 'after-rename';
export type Failpoint = PublishPoint | 'before-watermark' | `compact-${PublishPoint}` | 'compact-before-record' | 'compact-after-record' | 'compact-during-delete';

/** Crash here if the test asked for it (SYNC-PROTOCOL T2). */
export function failpoint(point: Failpoint): void {
  if (process.env.WR_FAIL === point) process.kill(process.pid, 'SIGKILL');
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** This user account may not do it (on Linux and macOS never a file briefly held by someone). */
export function isDenied(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EACCES' || code === 'EPERM';
}

/** A file-system error as a person reads it: "permission denied", else its code. */
export function describeFsError(error: unknown): string {
  return isDenied(error) ? 'permission denied' : errorCode(error) || String(error);
}

/**
 * Folders where every retry failed lately (a real permission problem, not a file briefly held):
 * operations there try once for a while, since each round of retries blocks this thread ~1 s.
 */
const refusedLately = new Map<string, number>();
const REFUSED_MEMORY_MS = 60_000;

/**
 * Retries an operation a file-holding process may briefly refuse; other errors pass through.
 * With `folder`, a folder that refused every retry within the last minute gets one attempt.
 */
export function withRetries<T>(op: () => T, folder?: string): T {
  const refusedAt = folder === undefined ? undefined : refusedLately.get(folder);
  const patient = refusedAt === undefined || Date.now() - refusedAt >= REFUSED_MEMORY_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = op();
      if (folder !== undefined) refusedLately.delete(folder);
      return result;
    } catch (error) {
      const retryable = RETRY_CODES.has(errorCode(error));
      if (!retryable || !patient || attempt >= RETRY_DELAYS_MS.length) {
        if (retryable && folder !== undefined) refusedLately.set(folder, Date.now());
        throw error;
      }
      sleepSync(RETRY_DELAYS_MS[attempt]!);
    }
  }
}


export const TEMP_PREFIX = '.wr-';

/**
 * Writes `bytes` to `final` atomically. With `overwrite` false an existing final file is left
 * alone (immutable, content-named files: same name, same bytes). On failure the temp file is
 * removed and the error rethrown; the final name never holds a partial file.
 */
export function publishFile(final: string, bytes: Buffer | string, options: { overwrite?: boolean; failpoints?: boolean | 'compact' } = {}): 'written' | 'existed' {
  const at = (point: PublishPoint) => {
    if (options.failpoints) failpoint(options.failpoints === 'compact' ? `compact-${point}` : point);
  };
  if (!options.overwrite && existsSync(final)) return 'existed';
  const dir = dirname(final);
  const temp = join(dir, `${TEMP_PREFIX}${randomUUID()}.tmp`);
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  try {
    const fd = withRetries(() => openSync(temp, 'wx', 0o644), dir);
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
      at('after-write');
      fsyncSync(fd);
      at('after-fsync');
    } finally {
      closeSync(fd);
    }
    withRetries(() => renameSync(temp, final), dir);
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // the folder may be gone; the temp file is then gone with it
    }
    throw error;
  }
  at('after-rename');
  try {
    fsyncDir(dir);
  } catch {
    // Some file systems (SMB, some FUSE) cannot fsync a folder; the file itself is flushed.
  }
  return 'written';
}

export function isTempName(name: string): boolean {
  return basename(name).startsWith(TEMP_PREFIX) && name.endsWith('.tmp');
}

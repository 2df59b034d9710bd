// Evidence files, stored once by content: `<data>/blobs/<sha256>`. Written to a temporary name,
// flushed, then renamed, so a crash leaves either nothing or the whole file under its hash.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors.ts';
import { fsyncDir } from '../durable.ts';

export const BLOB_DIR = 'blobs';

export function blobPath(dataDir: string, sha256: string): string {
  return join(dataDir, BLOB_DIR, sha256);
}

/** Stores bytes under their SHA-256 (a no-op when already stored); returns the hash. */
export function putBlob(dataDir: string, bytes: Buffer): string {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dir = join(dataDir, BLOB_DIR);
  const final = join(dir, sha256);
  if (existsSync(final)) return sha256;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, final);
  } catch (error) {
    rmSync(temp, { force: true });
    if ((error as { code?: string }).code === 'ENOSPC') {
      throw new ApiError('storage_full', 'Evidence not stored: the disk holding the data folder is full.');
    }
    throw error;
  }
  // The rename is durable only once the folder's entry is.
  try {
    fsyncDir(dir);
  } catch {
    // Some platforms cannot fsync a directory; the file itself is flushed.
  }
  return sha256;
}

export function getBlob(dataDir: string, sha256: string): Buffer {
  const path = blobPath(dataDir, sha256);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new ApiError('not_found', `No evidence ${sha256.slice(0, 12)}… in this data folder (it may not have synced yet).`);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
    throw new ApiError('conflict', `The stored evidence ${sha256.slice(0, 12)}… no longer matches its hash: the file was changed on disk.`);
  }
  return bytes;
}

/** Strict base64 decode: refuses text that does not re-encode to itself. */
export function decodeBase64(text: string, field: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  const canonical = bytes.toString('base64');
  if (canonical.replace(/=+$/, '') !== text.replace(/=+$/, '')) throw new ApiError('invalid_input', 'The file content is not valid base64.', field);
  return bytes;
}

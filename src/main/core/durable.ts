// Durability shared by the store, evidence blobs and sync: a renamed file survives a power cut
// only once its directory entry is flushed too.
import { closeSync, fsyncSync, openSync } from 'node:fs';

/** Flushes a directory's entries after a rename. Windows cannot open a directory for this; NTFS journals the rename itself. */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

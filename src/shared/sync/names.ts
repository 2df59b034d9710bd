// Names in the shared folder (SYNC-PROTOCOL §1.1): the strict segment pattern, our own temp
// files, and what every other name in a log folder probably is, so a person can act on it.

export const MARKER_FILE = 'warroom-sync.json';
export const DEVICES_DIR = 'devices';
export const BLOBS_DIR = 'blobs';
export const LOG_DIR = 'log';
export const DEVICE_FILE = 'device.json';
export const HEAD_FILE = 'head.json';
/** `devices/<id>/metrics/`: compact metric sample batches (not events; see docs/metrics.md). */
export const METRICS_DIR = 'metrics';

const SEGMENT = /^(\d{12})-(\d{12})\.([0-9a-f]{16})\.ndjson$/;
const OWN_TEMP = /^\.wr-[0-9a-f-]{8,64}\.tmp$/;
export const SHA256_NAME = /^[0-9a-f]{64}$/;

export interface SegmentName {
  from: number;
  to: number;
  /** First 16 hex digits of the SHA-256 of the file's bytes. */
  h16: string;
}

export function parseSegmentName(name: string): SegmentName | null {
  const match = SEGMENT.exec(name);
  if (!match) return null;
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (from < 1 || to < from) return null;
  return { from, to, h16: match[3]! };
}

export function segmentName(from: number, to: number, h16: string): string {
  return `${String(from).padStart(12, '0')}-${String(to).padStart(12, '0')}.${h16}.ndjson`;
}

export function isOwnTemp(name: string): boolean {
  return OWN_TEMP.test(name);
}

export type ForeignKind = 'conflict_copy' | 'sync_temp' | 'os_metadata' | 'unknown';

export interface ForeignFile {
  kind: ForeignKind;
  explanation: string;
}

/**
 * Anything in a log folder that is neither a segment nor one of our temp files. Never parsed:
 * a conflicted copy of an immutable, hash-named file is at best a duplicate and at worst an
 * edit, and the original (if any) is what counts.
 */
export function classifyForeign(name: string): ForeignFile {
  if (/\(.*conflicted copy.*\)/i.test(name) || /\.sync-conflict-\d{8}-\d{6}/i.test(name) || /\s\(\d+\)\.ndjson$/i.test(name)) {
    return {
      kind: 'conflict_copy',
      explanation: 'A conflicted copy made by the sync client (Dropbox, OneDrive, Syncthing) when two versions met. It is ignored; the hash-named original is what counts. You may delete it.',
    };
  }
  if (/-[A-Z0-9_-]{2,}\.ndjson$/.test(name) && !parseSegmentName(name)) {
    return {
      kind: 'conflict_copy',
      explanation: 'A file renamed with a computer name, as OneDrive does when two copies collide. It is ignored; you may delete it.',
    };
  }
  if (/^\.syncthing\..*\.tmp$/.test(name) || /^~syncthing~.*\.tmp$/.test(name) || /^\.~.*$/.test(name) || /\.(partial|part|crdownload|!sync)$/i.test(name)) {
    return { kind: 'sync_temp', explanation: 'A temporary file of the sync client while it copies; it goes away by itself.' };
  }
  if (/^(desktop\.ini|thumbs\.db|\.ds_store|icon\r?)$/i.test(name) || name.startsWith('._')) {
    return { kind: 'os_metadata', explanation: 'Operating-system metadata; harmless and ignored.' };
  }
  return { kind: 'unknown', explanation: 'Not a Release War Room file name; it is never read. Remove it if nobody needs it.' };
}

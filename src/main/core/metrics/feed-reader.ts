// Reads what a pipeline appended to a file feed since the last read: from the saved byte offset to
// the last complete line (a half-written last line waits for its newline). A file that shrank was
// rotated or truncated and is read again from the start; a missing file is a problem, not a throw.
// Parsing is src/shared/metrics/feed.ts; this only handles bytes, offsets and line numbers.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { detectFeedFormat, parseFeedLines, type FeedFormat, type FeedProblem, type FeedReading } from '../../../shared/metrics/feed.ts';

export interface FeedState {
  /** Bytes already read (always just after a '\n'). */
  offset: number;
  /** Lines already read; the next line is lineNo + 1. */
  lineNo: number;
  /** A CSV feed's header columns, once read. */
  header: string[] | null;
  /** Configured on the source; detected from the file name or first line when absent. */
  format?: FeedFormat | null;
}

export interface FeedRead {
  readings: FeedReading[];
  problems: FeedProblem[];
  offset: number;
  lineNo: number;
  header: string[] | null;
  /** Null only while the file is missing or empty and the source names no format. */
  format: FeedFormat | null;
  /** Bytes remain after `offset`: a half-written line, or more than `maxBytes` waiting. */
  truncatedTail: boolean;
}

export const FEED_READ_MAX_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

function read(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const n = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, n);
}

/** The feed's format: configured, else by file name, else by its first line. */
function formatOf(fd: number, path: string, configured: FeedFormat | null | undefined, size: number): FeedFormat | null {
  if (configured) return configured;
  if (size === 0) return null;
  const head = read(fd, 0, Math.min(size, 4096)).toString('utf8');
  return detectFeedFormat(basename(path), head.split('\n')[0] ?? '');
}

export function readFeed(path: string, state: FeedState, maxBytes = FEED_READ_MAX_BYTES): FeedRead {
  const problems: FeedProblem[] = [];
  let { offset, lineNo, header } = state;
  const unchanged = (format: FeedFormat | null): FeedRead => ({ readings: [], problems, offset, lineNo, header, format, truncatedTail: false });
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be opened (${code ?? (e as Error).message})`;
    problems.push({ line: 0, message: `The feed file ${path} ${why}: check the source's path and that the pipeline writes there.` });
    return unchanged(state.format ?? null);
  }
  try {
    const size = fstatSync(fd).size;
    if (size < offset) {
      problems.push({ line: 0, message: `The feed file ${path} shrank from ${offset} to ${size} bytes (rotated or truncated): reading it again from the start.` });
      offset = 0;
      lineNo = 0;
      header = null;
    }
    const format = formatOf(fd, path, state.format, size);
    if (!format || size === offset) return unchanged(format);
    const chunk = read(fd, offset, Math.min(size - offset, maxBytes));
    const end = chunk.lastIndexOf(NEWLINE) + 1;
    if (end === 0) {
      if (chunk.length < maxBytes) return { ...unchanged(format), truncatedTail: true };
      // One line longer than a whole read: skip it rather than wait for it forever.
      problems.push({ line: lineNo + 1, message: `line ${lineNo + 1}: longer than ${maxBytes} bytes without a line break; skipped.` });
      return { ...unchanged(format), offset: offset + chunk.length, truncatedTail: true };
    }
    const text = chunk.subarray(0, end).toString('utf8');
    const parsed = parseFeedLines(text.slice(0, -1), { format, firstLine: lineNo + 1, header });
    let lines = 0;
    for (let i = 0; i < end; i++) if (chunk[i] === NEWLINE) lines++;
    return {
      readings: parsed.readings,
      problems: [...problems, ...parsed.problems],
      offset: offset + end,
      lineNo: lineNo + lines,
      header: parsed.header,
      format,
      truncatedTail: offset + end < size,
    };
  } finally {
    closeSync(fd);
  }
}

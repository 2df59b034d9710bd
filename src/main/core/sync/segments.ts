// Segment bytes: one canonical-JSON envelope per line, each ending in "\n". The same events give
// the same bytes, so a republished range gets the same hash-name and the rename is harmless.
import { createHash, hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import { checkEnvelope, unsignedPart, type EventEnvelope } from '../../../shared/events/envelope.ts';
import { parseSegmentName, segmentName, type SegmentName } from '../../../shared/sync/names.ts';
import type { HashedBody } from '../store/ingest.ts';
import { fromWire, toWireEvents, wireLength, type WireEvents } from '../store/wire.ts';
import { errorCode } from './fsops.ts';

/** Events per segment and bytes per segment written by us; readers refuse files above the cap. */
export const SEGMENT_EVENTS = 1000;
export const SEGMENT_BYTES = 8 * 1024 * 1024;
export const MAX_SEGMENT_BYTES = 32 * 1024 * 1024;

export function h16(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** Splits consecutive events of one device into segment-sized runs and encodes each. */
export function encodeSegments(events: readonly EventEnvelope[]): { name: string; bytes: Buffer; from: number; to: number }[] {
  const out: { name: string; bytes: Buffer; from: number; to: number }[] = [];
  let lines: string[] = [];
  let size = 0;
  let from = 0;
  const flush = (to: number) => {
    if (lines.length === 0) return;
    const bytes = Buffer.from(lines.join(''), 'utf8');
    out.push({ name: segmentName(from, to, h16(bytes)), bytes, from, to });
    lines = [];
    size = 0;
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (lines.length === 0) from = e.seq;
    const line = `${canonicalJson(e)}\n`;
    lines.push(line);
    size += line.length;
    if (lines.length >= SEGMENT_EVENTS || size >= SEGMENT_BYTES) flush(e.seq);
  }
  if (events.length > 0) flush(events[events.length - 1]!.seq);
  return out;
}

export interface BadLine {
  line: number;
  seq: number;
  reason: string;
}

export interface ParsedSegment {
  /** Events past `after`, in seq order. */
  events: EventEnvelope[];
  /** With `hash: true`, each event's canonical body and computed hash, aligned with `events`. */
  hashed: HashedBody[] | null;
  /** The first line that cannot be used: nothing after it is read (never skip past a break). */
  bad: BadLine | null;
}

export interface ParseOptions {
  /** Events with seq ≤ after are checked but not returned (the reader already holds them). */
  after?: number;
  /** Also compute each returned event's canonical body and hash (the ingest needs both). */
  hash?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a segment whose bytes match its name. Every line must be a well-framed envelope of
 * `device` with the next seq; a final line without "\n" is left alone (a writer still going).
 */
export function parseSegment(bytes: Buffer, name: SegmentName, device: string, options: ParseOptions = {}): ParsedSegment {
  return runSteps(segmentSteps(bytes, name, device, options));
}

/** Runs a stepped parse to its end without pausing. */
export function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Reading a segment file for the pull: parsed, not (yet) matching its name's hash, or unreadable. */
export type SegmentRead = { kind: 'parsed'; parsed: ParsedSegment } | { kind: 'mismatch' } | { kind: 'unreadable'; code: string };

/**
 * Reads a segment file, checks it against its name's hash and parses the events past `after`
 * with their bodies and hashes, in steps: the one path of the parser thread and the main thread.
 */
export function* readSegmentSteps(path: string, name: SegmentName, device: string, after: number): Generator<void, SegmentRead, void> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { kind: 'unreadable', code: errorCode(error) || String(error) };
  }
  if (h16(bytes) !== name.h16) return { kind: 'mismatch' };
  return { kind: 'parsed', parsed: yield* segmentSteps(bytes, name, device, { after, hash: true }) };
}

/** The files of a log folder whose names are segment names; none when it cannot be listed. */
export function segmentFiles(dir: string): (SegmentName & { name: string })[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const seg = parseSegmentName(name);
    return seg ? [{ ...seg, name }] : [];
  });
}

/** A segment file's bytes when they match the hash in its name; null when missing, unreadable or still arriving. */
export function readMatchingSegment(dir: string, seg: SegmentName & { name: string }): Buffer | null {
  try {
    const bytes = readFileSync(join(dir, seg.name));
    return h16(bytes) === seg.h16 ? bytes : null;
  } catch {
    return null;
  }
}

/** Lines parsed between two pauses of segmentSteps. */
const LINES_PER_STEP = 100;

/** parseSegment in steps of LINES_PER_STEP lines, so a caller can let the event loop turn between them. */
export function* segmentSteps(bytes: Buffer, name: SegmentName, device: string, options: ParseOptions = {}): Generator<void, ParsedSegment, void> {
  const after = options.after ?? 0;
  const events: EventEnvelope[] = [];
  const hashed: HashedBody[] | null = options.hash ? [] : null;
  let start = 0;
  let line = 0;
  let block = Buffer.alloc(0);
  let used = 0;
  while (start < bytes.length) {
    if (line > 0 && line % LINES_PER_STEP === 0) yield;
    const end = bytes.indexOf(0x0a, start);
    if (end < 0) break;
    line += 1;
    const seq = name.from + line - 1;
    const bad = (reason: string): ParsedSegment => ({ events, hashed, bad: { line, seq, reason } });
    if (seq > name.to) return bad(`more lines than the name's range ${name.from}–${name.to}`);
    let text: string;
    try {
      text = utf8.decode(bytes.subarray(start, end));
    } catch {
      return bad('the line is not valid UTF-8');
    }
    start = end + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return bad('the line is not valid JSON');
    }
    const checked = checkEnvelope(raw);
    if (!checked.ok) return bad(`not a valid event: ${checked.reason}`);
    if (checked.event.device !== device) return bad(`the event belongs to device ${checked.event.device}, not ${device}`);
    if (checked.event.seq !== seq) return bad(`seq ${checked.event.seq} where ${seq} was expected`);
    if (seq <= after) continue;
    if (hashed) {
      let body: string;
      // Valid JSON can still have no canonical form (a lone UTF-16 surrogate): nothing could sign it.
      try {
        body = canonicalJson(unsignedPart(checked.event));
      } catch (error) {
        return bad(`not a valid event: ${error instanceof Error ? error.message : String(error)}`);
      }
      // A hex digest written into a shared block costs half a Buffer digest per event.
      if (used === block.length) {
        block = Buffer.allocUnsafe(32 * LINES_PER_STEP);
        used = 0;
      }
      block.write(hash('sha256', body, 'hex'), used, 'hex');
      hashed.push({ body, hash: block.subarray(used, (used += 32)) });
    }
    events.push(checked.event);
  }
  const complete = line === name.to - name.from + 1;
  if (!complete) {
    return { events, hashed, bad: { line: line + 1, seq: name.from + line, reason: `the file holds ${line} complete events; its name promises ${name.to - name.from + 1}` } };
  }
  return { events, hashed, bad: null };
}

/** A hashed ParsedSegment as it crosses a thread boundary (store/wire.ts), with its bad line if any. */
export interface WireSegment extends WireEvents {
  bad: BadLine | null;
}

/** For a parse made with `hash: true` (the wire carries the bodies and hashes, not the objects). */
export function toWire(parsed: ParsedSegment): WireSegment {
  if (!parsed.hashed) throw new Error('toWire needs a parse made with hash: true');
  return { ...toWireEvents(parsed.events, parsed.hashed), bad: parsed.bad };
}

/**
 * A parsed segment as the pull consumes it: in slices, so that rebuilding events from the wire
 * form happens chunk by chunk between event-loop turns, not all at once when the thread answers.
 */
export interface PulledSegment {
  /** Events past the `after` the segment was read with, contiguous from firstSeq. */
  readonly length: number;
  readonly firstSeq: number;
  take(start: number, end: number): { events: EventEnvelope[]; hashed: HashedBody[] | null };
  readonly bad: BadLine | null;
  /** The parser thread's answer itself, which can go on to the ingest writer thread as it is. */
  readonly wire?: WireSegment;
}

export function pulledFromParsed(parsed: ParsedSegment): PulledSegment {
  return {
    length: parsed.events.length,
    firstSeq: parsed.events[0]?.seq ?? 0,
    take: (start, end) => ({ events: parsed.events.slice(start, end), hashed: parsed.hashed?.slice(start, end) ?? null }),
    bad: parsed.bad,
  };
}

export function pulledFromWire(wire: WireSegment, firstSeq: number): PulledSegment {
  return {
    length: wireLength(wire),
    firstSeq,
    take: (start, end) => fromWire(wire, start, end),
    bad: wire.bad,
    wire,
  };
}

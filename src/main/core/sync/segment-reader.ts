// Reads and parses peer segments for the pull (SYNC-PROTOCOL §1.6.2–3). Large segments go to a
// worker thread (segment-worker.ts) that validates lines and computes hashes, so on a 2-core
// machine parsing overlaps the inserts (BENCHMARKS B3: 100 k events in < 3 s); small ones, the
// usual incremental case, are parsed here in steps. A thread that cannot start or dies is not
// fatal: that reader parses on the main thread from then on (threads.ts).
import type { SegmentName } from '../../../shared/sync/names.ts';
import { HelperThread } from '../threads.ts';
import { pulledFromParsed, pulledFromWire, readSegmentSteps, type PulledSegment, type WireSegment } from './segments.ts';

export type ReadResult = { kind: 'parsed'; parsed: PulledSegment } | { kind: 'mismatch' } | { kind: 'unreadable'; code: string };

export interface WorkerRequest {
  id: number;
  path: string;
  name: SegmentName;
  device: string;
  after: number;
}

export type WorkerReply =
  | { id: number; kind: 'parsed'; wire: WireSegment }
  | { id: number; kind: 'mismatch' }
  | { id: number; kind: 'unreadable'; code: string }
  | { id: number; kind: 'failed'; message: string };

/**
 * 'auto' sends segments of at least WORKER_MIN_BYTES to the threads (parser and writer);
 * 'worker' sends every one (tests); 'inline' never starts a thread.
 */
export type SegmentParsing = 'auto' | 'worker' | 'inline';

/** About 100 events: below this the round trip costs more than it saves. */
export const WORKER_MIN_BYTES = 48 * 1024;

export class SegmentReader {
  readonly #thread: HelperThread<Omit<WorkerRequest, 'id'>, WorkerReply>;

  constructor(
    private readonly mode: SegmentParsing,
    log: (line: string) => void,
    /** Another worker script than the built-in one (a test of a thread that fails). */
    workerFile?: string,
  ) {
    this.#thread = new HelperThread(
      {
        title: 'the segment parser thread',
        name: 'warroom-segment-parser',
        bundled: 'segment-worker.cjs',
        source: () => new URL('./segment-worker.ts', import.meta.url),
        ...(workerFile ? { file: workerFile } : {}),
      },
      log,
    );
  }

  /** True once the thread failed and this reader parses on the main thread instead. */
  get degraded(): boolean {
    return this.#thread.broken;
  }

  /** Whether a segment of this size goes to the threads. */
  threaded(size: number): boolean {
    return !this.#thread.broken && (this.mode === 'worker' || (this.mode === 'auto' && size >= WORKER_MIN_BYTES));
  }

  /** The events of `name` past `after`, each with its canonical body and hash. */
  async read(path: string, name: SegmentName, device: string, after: number, size: number, breathe: () => Promise<void>): Promise<ReadResult> {
    if (this.threaded(size)) {
      const request = { path, name: { from: name.from, to: name.to, h16: name.h16 }, device, after };
      const reply = await this.#thread.request(request, path);
      if (reply?.kind === 'parsed') return { kind: 'parsed', parsed: pulledFromWire(reply.wire, Math.max(name.from, after + 1)) };
      if (reply?.kind === 'mismatch') return { kind: 'mismatch' };
      if (reply?.kind === 'unreadable') return { kind: 'unreadable', code: reply.code };
    }
    return readInline(path, name, device, after, breathe);
  }

  close(): void {
    this.#thread.close();
  }
}

/** The same work as the worker, on this thread, letting the event loop turn between steps. */
async function readInline(path: string, name: SegmentName, device: string, after: number, breathe: () => Promise<void>): Promise<ReadResult> {
  const steps = readSegmentSteps(path, name, device, after);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value.kind === 'parsed' ? { kind: 'parsed', parsed: pulledFromParsed(step.value.parsed) } : step.value;
    await breathe();
  }
}

// Reads and parses peer segments for the pull (SYNC-PROTOCOL §1.6.2–3). Large segments go to a
// worker thread (segment-worker.ts) that validates lines and computes hashes, so on a 2-core
// machine parsing overlaps the main thread's inserts (BENCHMARKS B3: 100 k events in < 3 s);
// small ones, the usual incremental case, are parsed here in steps. A worker that cannot start
// or dies is not fatal: that reader parses on the main thread from then on and says so once.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SegmentName } from '../../../shared/sync/names.ts';
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
 * 'auto' sends segments of at least WORKER_MIN_BYTES to the worker; 'worker' sends every one
 * (tests); 'inline' never starts a thread.
 */
export type SegmentParsing = 'auto' | 'worker' | 'inline';

/** About 100 events: below this the round trip costs more than it saves. */
export const WORKER_MIN_BYTES = 48 * 1024;
/** A worker with nothing to do for this long is stopped; the next large pull starts another. */
const IDLE_MS = 30_000;

/**
 * The worker: the bundle beside this one when built; from sources (tests, benchmarks) a small
 * boot script registers tsx in the thread first, found through tsx's own package exports.
 */
function startWorker(file?: string): Worker {
  const options = { name: 'warroom-segment-parser' };
  if (file) return new Worker(file, options);
  if (process.env.WARROOM_BUNDLED === '1') {
    // Packaged, the script is unpacked beside app.asar (electron-builder.yml asarUnpack).
    const packed = join(__dirname, 'segment-worker.cjs');
    const unpacked = packed.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
    return new Worker(unpacked !== packed && existsSync(unpacked) ? unpacked : packed, options);
  }
  const source = new URL('./segment-worker.ts', import.meta.url).href;
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const api = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const register = pathToFileURL(join(dirname(manifest), api)).href;
  const boot = `import(${JSON.stringify(register)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

export class SegmentReader {
  #worker: Worker | null = null;
  #broken = false;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (r: ReadResult | Promise<ReadResult>) => void; request: WorkerRequest; breathe: () => Promise<void> }>();
  #idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly mode: SegmentParsing,
    private readonly log: (line: string) => void,
    /** Another worker script than the built-in one (a test of a thread that fails). */
    private readonly workerFile?: string,
  ) {}

  /** True once a worker failed and this reader parses on the main thread instead. */
  get degraded(): boolean {
    return this.#broken;
  }

  /** The events of `name` past `after`, each with its canonical body and hash. */
  read(path: string, name: SegmentName, device: string, after: number, size: number, breathe: () => Promise<void>): Promise<ReadResult> {
    const useWorker = !this.#broken && (this.mode === 'worker' || (this.mode === 'auto' && size >= WORKER_MIN_BYTES));
    if (!useWorker) return readInline(path, name, device, after, breathe);
    const request: WorkerRequest = { id: this.#nextId++, path, name: { from: name.from, to: name.to, h16: name.h16 }, device, after };
    return new Promise((resolve) => {
      const worker = this.#ensureWorker();
      if (!worker) {
        resolve(readInline(path, name, device, after, breathe));
        return;
      }
      this.#pending.set(request.id, { resolve, request, breathe });
      if (this.#idleTimer) clearTimeout(this.#idleTimer);
      this.#idleTimer = null;
      worker.ref();
      worker.postMessage(request);
    });
  }

  close(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    const worker = this.#worker;
    this.#worker = null;
    void worker?.terminate();
    this.#failPending();
  }

  #ensureWorker(): Worker | null {
    if (this.#worker) return this.#worker;
    let worker: Worker;
    try {
      worker = startWorker(this.workerFile);
    } catch (error) {
      this.#giveUp(error);
      return null;
    }
    worker.on('message', (reply: WorkerReply) => this.#onReply(reply));
    worker.on('error', (error) => {
      if (this.#worker === worker) this.#giveUp(error);
    });
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#giveUp(new Error(`it exited with code ${code}`));
    });
    this.#worker = worker;
    return worker;
  }

  #onReply(reply: WorkerReply): void {
    const waiting = this.#pending.get(reply.id);
    if (!waiting) return;
    this.#pending.delete(reply.id);
    const { name, after } = waiting.request;
    if (reply.kind === 'parsed') waiting.resolve({ kind: 'parsed', parsed: pulledFromWire(reply.wire, Math.max(name.from, after + 1)) });
    else if (reply.kind === 'failed') {
      // A bug in the parser, not in the file: say so, and parse this one here.
      this.log(`[sync] the segment parser failed on ${waiting.request.path}: ${reply.message}; parsed on the main thread instead`);
      waiting.resolve(readInline(waiting.request.path, name, waiting.request.device, after, waiting.breathe));
    } else waiting.resolve(reply);
    if (this.#pending.size === 0 && this.#worker) {
      this.#worker.unref();
      this.#idleTimer = setTimeout(() => this.close(), IDLE_MS);
      this.#idleTimer.unref();
    }
  }

  #giveUp(error: unknown): void {
    this.#broken = true;
    const worker = this.#worker;
    this.#worker = null;
    void worker?.terminate();
    this.log(`[sync] the segment parser thread is not available (${error instanceof Error ? error.message : String(error)}); segments are parsed on the main thread`);
    this.#failPending();
  }

  /** Requests the worker will never answer are parsed here instead. */
  #failPending(): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { resolve, request, breathe } of pending) resolve(readInline(request.path, request.name, request.device, request.after, breathe));
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

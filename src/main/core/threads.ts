// Helper threads that are an optimisation, never a requirement (the sync parser and writer,
// BENCHMARKS B3): started on first use, stopped when idle, and when one cannot start, dies or
// fails a request, the caller is told (null) and does the work on the main thread; the thread is
// then given up for good, with one log line saying so.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface ThreadSpec {
  /** Shown in the log line of a thread given up ("the segment parser thread"). */
  readonly title: string;
  /** The thread's name in debuggers and profiles. */
  readonly name: string;
  /** The built script's file name, beside the bundle (scripts/build-main.mjs): `segment-worker.cjs`. */
  readonly bundled: string;
  /** The script's source, for runs from sources (tests, benchmarks): `new URL('./x.ts', import.meta.url)`. */
  readonly source: () => URL;
  readonly workerData?: unknown;
  /** Another script than the built-in one (a test of a thread that fails). */
  readonly file?: string;
  /** Idle time after which the thread is stopped; the next request starts another. */
  readonly idleMs?: number;
}

/** Every request and reply carries an id; a reply of kind 'failed' is a bug in the thread's code. */
export interface ThreadReply {
  id: number;
  kind: string;
  message?: string;
}

const IDLE_MS = 30_000;

/**
 * Bundled, the script sits beside this bundle (packaged: unpacked beside app.asar, see
 * electron-builder.yml asarUnpack); from sources a small boot script registers tsx in the thread
 * first, found through tsx's own package exports (it takes ~0.4 s to start where the built
 * script takes ~0.1 s, so benchmarks point WARROOM_THREAD_DIR at the built scripts).
 */
function startWorker(spec: ThreadSpec): Worker {
  const options = { name: spec.name, workerData: spec.workerData };
  // A built script needs none of this process's loader flags (tsx's, under which the benchmarks run).
  const plain = { ...options, execArgv: [] };
  if (spec.file) return new Worker(spec.file, plain);
  // Benchmarks run the sources but time the threads as they ship (scripts/build-main.mjs output).
  const built = process.env.WARROOM_THREAD_DIR;
  if (built) return new Worker(join(built, spec.bundled), plain);
  if (process.env.WARROOM_BUNDLED === '1') {
    const packed = join(__dirname, spec.bundled);
    const unpacked = packed.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
    return new Worker(unpacked !== packed && existsSync(unpacked) ? unpacked : packed, plain);
  }
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const api = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const register = pathToFileURL(join(dirname(manifest), api)).href;
  const boot = `import(${JSON.stringify(register)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(spec.source().href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

export class HelperThread<Request extends object, Reply extends ThreadReply> {
  #worker: Worker | null = null;
  #broken = false;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (reply: Reply | null) => void; what: string }>();
  #idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly spec: ThreadSpec,
    private readonly log: (line: string) => void,
  ) {}

  /** True once the thread failed: callers do the work on the main thread from then on. */
  get broken(): boolean {
    return this.#broken;
  }

  /**
   * The thread's reply, or null when it is not available, died before answering or failed on
   * this request (logged, naming `what`): the caller then does the work itself.
   */
  request(message: Request, what: string, transfer: ArrayBuffer[] = []): Promise<Reply | null> {
    if (this.#broken) return Promise.resolve(null);
    const worker = this.#ensureWorker();
    if (!worker) return Promise.resolve(null);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, { resolve, what });
      if (this.#idleTimer) clearTimeout(this.#idleTimer);
      this.#idleTimer = null;
      worker.ref();
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  /**
   * Starts the thread ahead of its first request, so its start-up (loading its modules) overlaps
   * other work; stopped again when idle if no request comes.
   */
  warm(): void {
    if (this.#broken || this.#worker || !this.#ensureWorker()) return;
    this.#stopWhenIdle();
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
      worker = startWorker(this.spec);
    } catch (error) {
      this.#giveUp(error);
      return null;
    }
    worker.on('message', (reply: Reply) => this.#onReply(reply));
    worker.on('error', (error) => {
      if (this.#worker === worker) this.#giveUp(error);
    });
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#giveUp(new Error(`it exited with code ${code}`));
    });
    this.#worker = worker;
    return worker;
  }

  #onReply(reply: Reply): void {
    const waiting = this.#pending.get(reply.id);
    if (!waiting) return;
    this.#pending.delete(reply.id);
    if (reply.kind === 'failed') {
      // A bug in the thread's code or a state only it sees: the caller redoes this one itself.
      this.log(`[threads] ${this.spec.title} failed on ${waiting.what}: ${reply.message ?? 'no reason given'}; done on the main thread instead`);
      waiting.resolve(null);
    } else waiting.resolve(reply);
    if (this.#pending.size === 0) this.#stopWhenIdle();
  }

  #stopWhenIdle(): void {
    if (!this.#worker) return;
    this.#worker.unref();
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.close(), this.spec.idleMs ?? IDLE_MS);
    this.#idleTimer.unref();
  }

  #giveUp(error: unknown): void {
    this.#broken = true;
    const worker = this.#worker;
    this.#worker = null;
    void worker?.terminate();
    this.log(`[threads] ${this.spec.title} is not available (${error instanceof Error ? error.message : String(error)}); its work is done on the main thread`);
    this.#failPending();
  }

  /** Requests the thread will never answer go back to their callers. */
  #failPending(): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { resolve } of pending) resolve(null);
  }
}

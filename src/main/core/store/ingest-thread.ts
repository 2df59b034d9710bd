// The main thread's side of the ingest writer thread (ingest-worker.ts): large pulls are
// inserted and folded there, on a connection of its own. Null from `ingest` means "do it here":
// the thread could not start, died or failed on this request (threads.ts logs it once).
import { HelperThread } from '../threads.ts';
import type { IngestOptions, IngestReport } from './ingest.ts';
import { sliceWire, wireBuffers, wireLength, type WireEvents } from './wire.ts';

/** What crosses to the thread: plain options only (no `hashed`: the wire carries the hashes). */
export type ThreadIngestOptions = Pick<IngestOptions, 'signatures' | 'prechecked' | 'batch' | 'relaxed'>;

export type IngestThreadRequest = IngestRequest | { id: number; kind: 'durable' };

export interface IngestRequest {
  id: number;
  kind: 'ingest';
  wire: WireEvents;
  /** The store's clock, read when the request is sent (the thread cannot call the store's `now`). */
  now: number;
  /** This device's id: its own events are never held. */
  self: string;
  options: ThreadIngestOptions;
}

export type IngestThreadReply = { id: number; kind: 'ingested'; report: IngestReport } | { id: number; kind: 'durable' } | { id: number; kind: 'failed'; message: string };

/** A request without its id (HelperThread numbers them). */
type Unnumbered<T> = T extends { id: number } ? Omit<T, 'id'> : never;

export class IngestThread {
  readonly #thread: HelperThread<Unnumbered<IngestThreadRequest>, IngestThreadReply>;
  /** Events were committed on the thread since its last durable commit. */
  #relaxed = false;

  constructor(path: string, log: (line: string) => void, file?: string) {
    this.#thread = new HelperThread(
      {
        title: 'the ingest writer thread',
        name: 'warroom-ingest-writer',
        bundled: 'ingest-worker.cjs',
        source: () => new URL('./ingest-worker.ts', import.meta.url),
        workerData: { path },
        ...(file ? { file } : {}),
      },
      log,
    );
  }

  /** Starts the thread now, so it is ready when the first events arrive. */
  warm(): void {
    this.#thread.warm();
  }

  async ingest(wire: WireEvents, start: number, end: number, request: Omit<IngestRequest, 'id' | 'kind' | 'wire'>): Promise<IngestReport | null> {
    const slice = sliceWire(wire, start, end);
    const reply = await this.#thread.request({ ...request, kind: 'ingest', wire: slice }, `${wireLength(slice)} events`, wireBuffers(slice));
    if (reply?.kind !== 'ingested') return null;
    this.#relaxed ||= reply.report.inserted > 0;
    return reply.report;
  }

  /**
   * makeDurable on the thread's connection, off the main thread: after a large pull the fsync of
   * the WAL can take long on a busy disk. False when the thread committed nothing since its last
   * one or is not available: the caller commits on its own connection.
   */
  async makeDurable(): Promise<boolean> {
    if (!this.#relaxed || this.#thread.broken) return false;
    const done = (await this.#thread.request({ kind: 'durable' }, 'the durable commit'))?.kind === 'durable';
    if (done) this.#relaxed = false;
    return done;
  }

  close(): void {
    this.#thread.close();
  }
}

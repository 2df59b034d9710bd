// The ingest writer's thread (SYNC-PROTOCOL §1.6.4, BENCHMARKS B3): its own connection to the
// store's database inserts and folds the events of a large pull, so the main thread stays free
// for the window. Same checks, same transactions as on the main thread (ingest.ts); WAL lets
// the main connection read meanwhile, and its own writes wait on busy_timeout for one batch.
import { parentPort, workerData } from 'node:worker_threads';
import { EVENT_CATALOG } from '../../../shared/events/catalog.ts';
import { Db } from './db.ts';
import { ingestEvents, makeDurable } from './ingest.ts';
import type { IngestThreadReply, IngestThreadRequest } from './ingest-thread.ts';
import { configure } from './open.ts';
import { holdFor, loadTrust } from './trust.ts';
import { fromWire } from './wire.ts';

const db = new Db((workerData as { path: string }).path, { mustExist: true });
configure(db);
/**
 * Checkpoints every 16 MB of WAL rather than SQLite's 4 MB: each one waits for the disk, which
 * made a 100 k pull ~25% slower on a real disk. A tick on the main connection meanwhile meets at
 * most that much to checkpoint; the rest is checkpointed here when the pull ends (`durable`).
 */
db.pragma('wal_autocheckpoint = 4000');

function checkpoint(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: SQLite's own checkpoints catch up.
  }
}

function handle(request: IngestThreadRequest): IngestThreadReply {
  if (request.kind === 'durable') {
    makeDurable(db);
    // Once the pull has its answer: the main connection then starts from a short WAL.
    setImmediate(checkpoint);
    return { id: request.id, kind: 'durable' };
  }
  const { events, hashed } = fromWire(request.wire);
  const ctx = { db, catalog: EVENT_CATALOG, now: () => request.now, holdReason: holdFor(loadTrust(db), () => request.self) };
  const report = ingestEvents(ctx, events, { ...request.options, hashed });
  return { id: request.id, kind: 'ingested', report };
}

parentPort?.on('message', (request: IngestThreadRequest) => {
  let reply: IngestThreadReply;
  try {
    reply = handle(request);
  } catch (error) {
    reply = { id: request.id, kind: 'failed', message: String(error) };
  }
  parentPort!.postMessage(reply);
});

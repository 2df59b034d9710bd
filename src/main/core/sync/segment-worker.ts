// The segment parser's thread (BENCHMARKS B3, SYNC-PROTOCOL §1.6): reads a peer's segment file,
// checks it against its name's hash, validates every line and computes each event's canonical
// body and hash, so the main thread only inserts and folds. It holds no state and never writes.
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { SegmentName } from '../../../shared/sync/names.ts';
import { h16, parseSegment, toWire } from './segments.ts';
import type { WorkerReply, WorkerRequest } from './segment-reader.ts';

function handle(request: WorkerRequest): { reply: WorkerReply; transfer: ArrayBuffer[] } {
  const { id, path, name, device, after } = request;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { reply: { id, kind: 'unreadable', code: (error as { code?: string }).code ?? String(error) }, transfer: [] };
  }
  if (h16(bytes) !== name.h16) return { reply: { id, kind: 'mismatch' }, transfer: [] };
  const wire = toWire(parseSegment(bytes, name as SegmentName, device, { after, hash: true }));
  return { reply: { id, kind: 'parsed', wire }, transfer: [wire.hashes.buffer as ArrayBuffer] };
}

parentPort?.on('message', (request: WorkerRequest) => {
  let out: { reply: WorkerReply; transfer: ArrayBuffer[] };
  try {
    out = handle(request);
  } catch (error) {
    out = { reply: { id: request.id, kind: 'failed', message: String(error) }, transfer: [] };
  }
  parentPort!.postMessage(out.reply, out.transfer);
});

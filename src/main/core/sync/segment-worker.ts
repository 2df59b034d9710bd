// The segment parser's thread (BENCHMARKS B3, SYNC-PROTOCOL §1.6): reads a peer's segment file,
// checks it against its name's hash, validates every line and computes each event's canonical
// body and hash, so the main thread only inserts and folds. It holds no state and never writes.
import { parentPort } from 'node:worker_threads';
import { wireBuffers } from '../store/wire.ts';
import { readSegmentSteps, runSteps, toWire } from './segments.ts';
import type { WorkerReply, WorkerRequest } from './segment-reader.ts';

function handle(request: WorkerRequest): { reply: WorkerReply; transfer: ArrayBuffer[] } {
  const { id, path, name, device, after } = request;
  const read = runSteps(readSegmentSteps(path, name, device, after));
  if (read.kind !== 'parsed') return { reply: { id, ...read }, transfer: [] };
  const wire = toWire(read.parsed);
  return { reply: { id, kind: 'parsed', wire }, transfer: wireBuffers(wire) };
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

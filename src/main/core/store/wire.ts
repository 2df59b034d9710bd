// Events as they cross a thread boundary (the sync parser thread to the main thread to the
// writer thread): canonical bodies, signatures and hashes rather than objects — strings and one
// buffer clone far cheaper than object graphs. A body is the envelope without hash and sig in
// canonical form, so parsing it gives back the same values.
import type { EventEnvelope } from '../../../shared/events/envelope.ts';
import type { HashedBody } from './ingest.ts';

export interface WireEvents {
  bodies: string[];
  sigs: string[];
  /** 32 bytes per event: the hash computed from its body. */
  hashes: Uint8Array;
  /** [index, hash the line claimed] where it differs from the computed one (the ingest rejects it). */
  claimed: [number, string][];
}

/** The events [start, end) rebuilt, each with its body and hash (ingestEvents' `hashed`). */
export function fromWire(wire: WireEvents, start = 0, end = wire.bodies.length): { events: EventEnvelope[]; hashed: HashedBody[] } {
  const claimed = new Map(wire.claimed);
  const buffer = Buffer.from(wire.hashes.buffer, wire.hashes.byteOffset, wire.hashes.byteLength);
  const events: EventEnvelope[] = [];
  const hashed: HashedBody[] = [];
  for (let i = start; i < Math.min(end, wire.bodies.length); i++) {
    const body = wire.bodies[i]!;
    const hash = buffer.subarray(i * 32, i * 32 + 32);
    const hex = hash.toString('hex');
    const event = JSON.parse(body) as EventEnvelope;
    event.hash = claimed.get(i) ?? hex;
    event.sig = wire.sigs[i]!;
    events.push(event);
    hashed.push({ body, hash, hex });
  }
  return { events, hashed };
}

/** The events [start, end) alone, re-indexed from 0, with a hash buffer of their own (it is copied or transferred). */
export function sliceWire(wire: WireEvents, start: number, end: number): WireEvents {
  const stop = Math.min(end, wire.bodies.length);
  return {
    bodies: wire.bodies.slice(start, stop),
    sigs: wire.sigs.slice(start, stop),
    hashes: wire.hashes.slice(start * 32, stop * 32),
    claimed: wire.claimed.filter(([i]) => i >= start && i < stop).map(([i, hash]) => [i - start, hash]),
  };
}

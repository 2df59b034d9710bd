// Events as they cross thread boundaries (the sync parser thread to the main thread to the
// writer thread): canonical bodies, signatures and hashes as bytes in transferable buffers, so
// the main thread passes a segment on without building (or later collecting) a string per event
// — at 100 k events those strings made the main thread's collector stall it for 50–80 ms. A body
// is the envelope without hash and sig in canonical form, so parsing it gives back the same values.
import type { EventEnvelope } from '../../../shared/events/envelope.ts';
import { hexOf, type HashedBody } from './ingest.ts';

/** A signature in base64url: always this long (64 bytes; checkEnvelope refuses any other). */
const SIG_CHARS = 86;

export interface WireEvents {
  /** The bodies' UTF-8 bytes back to back: body i is bodies[offsets[i] .. offsets[i + 1]). */
  bodies: Uint8Array;
  offsets: Uint32Array;
  /** SIG_CHARS ASCII bytes per event. */
  sigs: Uint8Array;
  /** 32 bytes per event: the hash computed from its body. */
  hashes: Uint8Array;
  /** [index, hash the line claimed] where it differs from the computed one (the ingest rejects it). */
  claimed: [number, string][];
}

export function wireLength(wire: WireEvents): number {
  return wire.offsets.length - 1;
}

/** The wire form of events with their bodies and hashes. */
export function toWireEvents(events: readonly EventEnvelope[], hashed: readonly HashedBody[]): WireEvents {
  const offsets = new Uint32Array(hashed.length + 1);
  for (let i = 0; i < hashed.length; i++) offsets[i + 1] = offsets[i]! + Buffer.byteLength(hashed[i]!.body);
  const bodies = Buffer.allocUnsafeSlow(offsets[hashed.length]!);
  const sigs = Buffer.allocUnsafeSlow(events.length * SIG_CHARS);
  const hashes = new Uint8Array(hashed.length * 32);
  const claimed: [number, string][] = [];
  for (let i = 0; i < hashed.length; i++) {
    const h = hashed[i]!;
    const event = events[i]!;
    bodies.write(h.body, offsets[i]!, 'utf8');
    if (event.sig.length !== SIG_CHARS || sigs.write(event.sig, i * SIG_CHARS, 'latin1') !== SIG_CHARS) throw new Error(`toWireEvents: event ${event.id} has a malformed signature`);
    hashes.set(h.hash, i * 32);
    if (event.hash !== hexOf(h)) claimed.push([i, event.hash]);
  }
  return { bodies, offsets, sigs, hashes, claimed };
}

/** The buffers to transfer with a wire (each is its own, never a view into a shared pool). */
export function wireBuffers(wire: WireEvents): ArrayBuffer[] {
  return [wire.bodies.buffer, wire.offsets.buffer, wire.sigs.buffer, wire.hashes.buffer] as ArrayBuffer[];
}

/** The events [start, end) rebuilt, each with its body and hash (ingestEvents' `hashed`). */
export function fromWire(wire: WireEvents, start = 0, end = wireLength(wire)): { events: EventEnvelope[]; hashed: HashedBody[] } {
  const claimed = new Map(wire.claimed);
  const view = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [bodies, sigs, hashes] = [view(wire.bodies), view(wire.sigs), view(wire.hashes)];
  const events: EventEnvelope[] = [];
  const hashed: HashedBody[] = [];
  for (let i = start; i < Math.min(end, wireLength(wire)); i++) {
    const body = bodies.toString('utf8', wire.offsets[i], wire.offsets[i + 1]);
    const hash = hashes.subarray(i * 32, i * 32 + 32);
    const hex = hash.toString('hex');
    const event = JSON.parse(body) as EventEnvelope;
    event.hash = claimed.get(i) ?? hex;
    event.sig = sigs.toString('latin1', i * SIG_CHARS, (i + 1) * SIG_CHARS);
    events.push(event);
    hashed.push({ body, hash, hex });
  }
  return { events, hashed };
}

/** The events [start, end) alone, re-indexed from 0, in buffers of their own (copied, so they can be transferred). */
export function sliceWire(wire: WireEvents, start: number, end: number): WireEvents {
  const stop = Math.min(end, wireLength(wire));
  const [from, to] = [wire.offsets[start]!, wire.offsets[stop]!];
  return {
    bodies: wire.bodies.slice(from, to),
    offsets: wire.offsets.slice(start, stop + 1).map((o) => o - from),
    sigs: wire.sigs.slice(start * SIG_CHARS, stop * SIG_CHARS),
    hashes: wire.hashes.slice(start * 32, stop * 32),
    claimed: wire.claimed.filter(([i]) => i >= start && i < stop).map(([i, hash]) => [i - start, hash]),
  };
}

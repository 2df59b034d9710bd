// The event envelope (SYNC-PROTOCOL §1.2) and its validation for events read from anywhere:
// the local database, a shared-folder segment, an import.
import { z } from 'zod';
import type { JsonValue } from './canonical.ts';
import { hasOnlyIntegers } from './canonical.ts';
import { parseHlc } from './hlc.ts';

export const ENVELOPE_VERSION = 1;

export interface Actor {
  id: string;
  name: string;
  role: string;
}

export interface EntityKey {
  kind: string;
  id: string;
}

export type EventData = { [key: string]: JsonValue };

/** Everything the hash covers. */
export interface UnsignedEvent {
  id: string;
  device: string;
  seq: number;
  hlc: string;
  at: string;
  actor: Actor;
  type: string;
  entity: EntityKey;
  data: EventData;
  pred?: string[];
  v: number;
  prev: string | null;
}

export interface EventEnvelope extends UnsignedEvent {
  /** SHA-256 hex of the canonical JSON of the envelope without `hash` and `sig`. */
  hash: string;
  /** base64url Ed25519 signature of the 32 hash bytes by the device key. */
  sig: string;
}

export const DEVICE_ID = /^[A-Za-z0-9_]{1,64}$/;
export const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const HEX64 = /^[0-9a-f]{64}$/;
const SIG = /^[A-Za-z0-9_-]{86}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function eventId(device: string, seq: number): string {
  return `${device}:${seq}`;
}

const ENTITY_KIND = /^[a-z][a-z0-9_]*$/;
const entityKey = z.strictObject({ kind: z.string().regex(ENTITY_KIND).max(40), id: z.string().min(1).max(200) });

/**
 * The frame every envelope version keeps, so chains and signatures can be checked for events
 * this version cannot interpret (they are stored and deferred, never dropped).
 */
const frameSchema = z.looseObject({
  id: z.string(),
  device: z.string().regex(DEVICE_ID),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  hlc: z.string(),
  type: z.string().regex(EVENT_TYPE).max(80),
  entity: entityKey,
  v: z.number().int().min(1),
  prev: z.string().regex(HEX64).nullable(),
  hash: z.string().regex(HEX64),
  sig: z.string().regex(SIG),
});

const V1_KEYS = new Set(['id', 'device', 'seq', 'hlc', 'at', 'actor', 'type', 'entity', 'data', 'pred', 'v', 'prev', 'hash', 'sig']);

const v1Schema = z.looseObject({
  at: z.string().regex(ISO_TIME),
  actor: z.strictObject({ id: z.string().min(1).max(100), name: z.string().min(1).max(80), role: z.string().min(1).max(40) }),
  data: z.record(z.string(), z.json()),
  pred: z.array(z.string().max(140)).max(64).optional(),
});

export type EnvelopeCheck =
  | { ok: true; event: EventEnvelope; newer: false }
  /** A well-framed event this version cannot interpret: keep it, do not fold it. */
  | { ok: true; event: EventEnvelope; newer: true; reason: string }
  | { ok: false; reason: string };

/** Checks an envelope's structure (not its hash or signature, which need node:crypto). */
export function checkEnvelope(raw: unknown): EnvelopeCheck {
  if (isPlainV1(raw)) return { ok: true, event: raw, newer: false };
  return checkBySchema(raw);
}

/** checkEnvelope through the schemas alone: the reference the shortcut must agree with. */
export function checkBySchema(raw: unknown): EnvelopeCheck {
  const frame = frameSchema.safeParse(raw);
  if (!frame.success) return { ok: false, reason: describe(frame.error) };
  const f = frame.data;
  if (f.id !== eventId(f.device, f.seq)) return { ok: false, reason: `id "${f.id}" is not device:seq` };
  const hlc = parseHlc(f.hlc);
  if (!hlc || hlc.device !== f.device) return { ok: false, reason: `hlc "${f.hlc}" is malformed or names another device` };
  if ((f.prev === null) !== (f.seq === 1)) return { ok: false, reason: 'prev must be null exactly for seq 1' };
  const event = raw as EventEnvelope;
  if (f.v > ENVELOPE_VERSION) return { ok: true, event, newer: true, reason: `envelope version ${f.v}` };
  const body = v1Schema.safeParse(raw);
  if (!body.success) return { ok: false, reason: describe(body.error) };
  if (!hasOnlyIntegers(body.data.data)) return { ok: false, reason: 'data holds a non-integer number' };
  const newer = envelopeNewerReason(f);
  if (newer) return { ok: true, event, newer: true, reason: newer };
  return { ok: true, event, newer: false };
}

/**
 * The common case without zod (two schema parses cost ~8 µs an event, most of a segment's
 * parse): a v1 envelope of plain objects with no unknown field that passes every check. It
 * accepts nothing the schemas would refuse; anything unusual returns false and goes through
 * them, so the verdict and the reason for a refusal are the schemas'.
 */
function isPlainV1(raw: unknown): raw is EventEnvelope {
  if (!isPlainRecord(raw)) return false;
  for (const key of Object.keys(raw)) if (!V1_KEYS.has(key)) return false;
  const { id, device, seq, hlc, at, actor, type, entity, data, pred, v, prev, hash, sig } = raw;
  if (v !== ENVELOPE_VERSION || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return false;
  if (!matches(device, DEVICE_ID) || !matches(hash, HEX64) || !matches(sig, SIG) || !matches(at, ISO_TIME)) return false;
  if (!matches(type, EVENT_TYPE) || type.length > 80) return false;
  if (prev === null ? seq !== 1 : seq === 1 || !matches(prev, HEX64)) return false;
  if (id !== eventId(device, seq) || typeof hlc !== 'string' || parseHlc(hlc)?.device !== device) return false;
  if (!isPlainRecord(entity) || Object.keys(entity).length !== 2 || !matches(entity.kind, ENTITY_KIND) || entity.kind.length > 40) return false;
  if (!sized(entity.id, 200)) return false;
  if (!isPlainRecord(actor) || Object.keys(actor).length !== 3 || !sized(actor.id, 100) || !sized(actor.name, 80) || !sized(actor.role, 40)) return false;
  if (pred !== undefined && !(Array.isArray(pred) && pred.length <= 64 && pred.every((p) => typeof p === 'string' && p.length <= 140))) return false;
  return isPlainRecord(data) && isIntegerJson(data);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function matches(value: unknown, pattern: RegExp): value is string {
  return typeof value === 'string' && pattern.test(value);
}

function sized(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

/** JSON of plain objects and arrays, integers only, string keys other than __proto__. */
function isIntegerJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isSafeInteger(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isIntegerJson(value[i])) return false;
    return true;
  }
  if (!isPlainRecord(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
  for (const key of Object.keys(value)) if (key === '__proto__' || !isIntegerJson(value[key])) return false;
  return true;
}

/** An envelope this version cannot interpret: a higher `v`, or fields it does not know. */
export function envelopeNewerReason(event: Record<string, unknown>): string | null {
  if (typeof event.v === 'number' && event.v > ENVELOPE_VERSION) return `envelope version ${event.v}`;
  const extra = Object.keys(event).filter((key) => !V1_KEYS.has(key));
  return extra.length > 0 ? `unknown envelope fields: ${extra.sort().join(', ')}` : null;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid envelope';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** The hashed part of an envelope. */
export function unsignedPart(event: EventEnvelope | (UnsignedEvent & Record<string, unknown>)): Record<string, unknown> {
  const { hash: _hash, sig: _sig, ...rest } = event as EventEnvelope;
  return rest;
}

/** Fold order: (hlc, device, seq); the hlc string already ends with the device. */
export function compareEvents(a: Pick<UnsignedEvent, 'hlc' | 'seq'>, b: Pick<UnsignedEvent, 'hlc' | 'seq'>): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.seq - b.seq;
}

/** The release an event's timeline belongs to, for any type (including ones we do not know). */
export function releaseOf(event: Pick<UnsignedEvent, 'entity' | 'data'>): string | null {
  if (event.entity.kind === 'release') return event.entity.id;
  const release = (event.data as Record<string, unknown> | undefined)?.release;
  return typeof release === 'string' && release.length > 0 && release.length <= 200 ? release : null;
}

// The event log tables: row types, their mappers, and the few statements every writer shares.
import { canonicalJson } from '../../../shared/events/canonical.ts';
import { releaseOf, type EventEnvelope, type UnsignedEvent } from '../../../shared/events/envelope.ts';
import { ZERO_CLOCK, type ClockState } from '../../../shared/events/hlc.ts';
import { sql, type Db } from './db.ts';

export interface EventRow {
  id: string;
  device: string;
  seq: number;
  hlc: string;
  type: string;
  entity_kind: string;
  entity_id: string;
  release: string | null;
  actor: string;
  v: number;
  body: string;
  hash: Buffer;
  sig: Buffer;
  origin: 'local' | 'remote';
  deferred: string | null;
}

export interface DeviceRow {
  id: string;
  public_key: Buffer;
  fingerprint: string;
  first_seen: string;
  is_self: 0 | 1;
  head_seq: number;
  head_hash: Buffer | null;
}

/** Envelope fields read back from a stored row: the hashed body plus hash and signature. */
export function rowToEnvelope(row: Pick<EventRow, 'body' | 'hash' | 'sig'>): EventEnvelope {
  const body = JSON.parse(row.body) as UnsignedEvent;
  return { ...body, hash: row.hash.toString('hex'), sig: row.sig.toString('base64url') };
}

/** The canonical bytes that are hashed and stored. */
export function canonicalBody(event: UnsignedEvent | Record<string, unknown>): string {
  return canonicalJson(event);
}

export interface NewEventRow {
  event: UnsignedEvent;
  body: string;
  hash: Buffer;
  sig: Buffer;
  origin: 'local' | 'remote';
  deferred: string | null;
}

export function insertEvent(db: Db, row: NewEventRow): void {
  insertEventRow(db, row);
  setDeviceHead(db, row.event.device, row.event.seq, row.hash);
  const release = releaseOf(row.event);
  if (release !== null) addReleaseEvents(db, release, 1);
}

/** The events row alone; the caller moves the device head and the release count (batched by ingest). */
export function insertEventRow(db: Db, row: NewEventRow): void {
  const e = row.event;
  db.run(sql`
    INSERT INTO events (id, device, seq, hlc, type, entity_kind, entity_id, release, actor, v, body, hash, sig, origin, deferred)
    VALUES (${e.id}, ${e.device}, ${e.seq}, ${e.hlc}, ${e.type}, ${e.entity.kind}, ${e.entity.id}, ${releaseOf(e)},
            ${actorIdOf(e)}, ${e.v}, ${row.body}, ${row.hash}, ${row.sig}, ${row.origin}, ${row.deferred})`);
}

export function setDeviceHead(db: Db, device: string, seq: number, hash: Buffer): void {
  db.run(sql`UPDATE devices SET head_seq = ${seq}, head_hash = ${hash} WHERE id = ${device}`);
}

export function addReleaseEvents(db: Db, release: string, events: number): void {
  db.run(sql`
    INSERT INTO release_counts (release, events) VALUES (${release}, ${events})
    ON CONFLICT (release) DO UPDATE SET events = events + excluded.events`);
}

/** Events from newer versions may carry a differently shaped actor; the column only needs an id. */
function actorIdOf(event: UnsignedEvent): string {
  const actor = (event as { actor?: { id?: unknown } }).actor;
  return typeof actor?.id === 'string' ? actor.id : '';
}

export function deviceRow(db: Db, id: string): DeviceRow | undefined {
  return db.get<DeviceRow>(sql`SELECT * FROM devices WHERE id = ${id}`);
}

export function selfDevice(db: Db): DeviceRow | undefined {
  return db.get<DeviceRow>(sql`SELECT * FROM devices WHERE is_self = 1`);
}

export function insertDevice(db: Db, device: { id: string; publicKey: Buffer; fingerprint: string; firstSeen: string; self: boolean }): void {
  db.run(sql`
    INSERT INTO devices (id, public_key, fingerprint, first_seen, is_self)
    VALUES (${device.id}, ${device.publicKey}, ${device.fingerprint}, ${device.firstSeen}, ${device.self ? 1 : 0})`);
}

export function getMeta(db: Db, key: string): string | undefined {
  return db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${key}`)?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.run(sql`INSERT INTO meta (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
}

/** The local HLC survives restarts so a clock that jumps backwards cannot reorder our own events. */
export function readClock(db: Db): ClockState {
  const text = getMeta(db, 'clock');
  if (!text) return ZERO_CLOCK;
  const [wall, counter] = text.split(':').map(Number);
  return Number.isSafeInteger(wall) && Number.isSafeInteger(counter) ? { wall: wall!, counter: counter! } : ZERO_CLOCK;
}

export function writeClock(db: Db, clock: ClockState): void {
  setMeta(db, 'clock', `${clock.wall}:${clock.counter}`);
}

export function countEvents(db: Db): number {
  return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM events`)?.n ?? 0;
}

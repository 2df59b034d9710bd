// `warroom verify` and the Audit panel: walks every device chain and checks seq contiguity, the
// prev links, each hash against the stored bytes, and each signature against the device key.
import type { ChainFailure, DeviceChainStatus, VerifyReport } from '../../../shared/api/store.ts';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import { releaseOf, type UnsignedEvent } from '../../../shared/events/envelope.ts';
import { sql, type Db } from './db.ts';
import { publicKeyFromRaw, sha256, verifyHash } from './identity.ts';
import type { DeviceRow, EventRow } from './log.ts';

const BATCH = 5000;

/** Checks every chain; with `integrity`, SQLite's own page-level quick_check as well. */
export function verifyLog(db: Db, now: () => number = Date.now, integrity = false): VerifyReport {
  const fileCheck = integrity ? String(db.pragma('quick_check')) : 'ok';
  const devices = db.all<DeviceRow>(sql`SELECT * FROM devices ORDER BY is_self DESC, id`);
  const statuses: DeviceChainStatus[] = [];
  let events = 0;
  for (const device of devices) {
    const status = verifyDevice(db, device);
    events += status.events;
    statuses.push(status);
  }
  const deferred = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM events WHERE deferred IS NOT NULL`)?.n ?? 0;
  // Events naming a device we hold no key for cannot be checked at all.
  const orphans = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM events WHERE device NOT IN (SELECT id FROM devices)`)?.n ?? 0;
  const failed = statuses.find((s) => !s.ok);
  const firstFailure = failed?.failure
    ? { device: failed.device, ...failed.failure }
    : orphans > 0
      ? { device: '?', seq: 0, reason: `${orphans} events from unknown devices` }
      : fileCheck !== 'ok'
        ? { device: '-', seq: 0, reason: `the database file failed quick_check: ${fileCheck}` }
        : null;
  const ok = firstFailure === null;
  const counts = `${statuses.length} device${statuses.length === 1 ? '' : 's'}, ${events + orphans} event${events + orphans === 1 ? '' : 's'}`;
  const summary = ok
    ? `OK: ${counts}${deferred > 0 ? `, ${deferred} from a newer version (kept, not folded)` : ''}; every chain and signature holds${integrity ? ', file intact' : ''}.`
    : `FAILED: device ${firstFailure.device} at seq ${firstFailure.seq}: ${firstFailure.reason} (${counts}).`;
  const wall = now();
  return {
    ok,
    events: events + orphans,
    devices: statuses,
    deferred,
    firstFailure,
    summary,
    checkedAt: new Date(Number.isFinite(wall) && wall > 0 ? wall : Date.now()).toISOString(),
  };
}

function verifyDevice(db: Db, device: DeviceRow): DeviceChainStatus {
  let failure: ChainFailure | null = null;
  let count = 0;
  let expected = 1;
  let prev: Buffer | null = null;
  let key;
  try {
    key = publicKeyFromRaw(device.public_key);
  } catch {
    failure = { seq: 0, reason: 'the device public key is not a valid Ed25519 key' };
  }
  let after = 0;
  for (;;) {
    const rows = db.all<EventRow>(sql`SELECT * FROM events WHERE device = ${device.id} AND seq > ${after} ORDER BY seq LIMIT ${BATCH}`);
    if (rows.length === 0) break;
    for (const row of rows) {
      count += 1;
      if (!failure) {
        const problem = row.seq !== expected ? `seq ${expected} is missing (next stored is ${row.seq})` : checkRow(row, prev, key!);
        if (problem) failure = { seq: row.seq !== expected ? expected : row.seq, reason: problem };
      }
      prev = row.hash;
      expected = row.seq + 1;
    }
    after = rows[rows.length - 1]!.seq;
  }
  if (!failure && device.head_seq !== expected - 1) {
    failure =
      device.head_seq > expected - 1
        ? { seq: expected, reason: `the log ends at seq ${expected - 1} but the device head is ${device.head_seq} (events removed)` }
        : { seq: device.head_seq + 1, reason: `events past the recorded head ${device.head_seq}` };
  }
  if (!failure && device.head_hash && prev && !device.head_hash.equals(prev)) {
    failure = { seq: device.head_seq, reason: 'the last event does not match the recorded head hash' };
  }
  return {
    device: device.id,
    fingerprint: device.fingerprint,
    self: device.is_self === 1,
    events: count,
    headSeq: device.head_seq,
    ok: failure === null,
    failure,
  };
}

function checkRow(row: EventRow, prev: Buffer | null, key: ReturnType<typeof publicKeyFromRaw>): string | null {
  let body: UnsignedEvent;
  try {
    body = JSON.parse(row.body) as UnsignedEvent;
  } catch {
    return 'the stored event is not valid JSON';
  }
  if (canonicalJson(body) !== row.body) return 'the stored event is not in canonical form';
  if (body.id !== row.id || body.device !== row.device || body.seq !== row.seq || body.hlc !== row.hlc || body.type !== row.type) {
    return 'the indexed columns do not match the signed event';
  }
  const actor = typeof body.actor?.id === 'string' ? body.actor.id : '';
  if (body.entity?.kind !== row.entity_kind || body.entity?.id !== row.entity_id || releaseOf(body) !== row.release || actor !== row.actor) {
    return 'the indexed entity does not match the signed event';
  }
  const expectedPrev = prev ? prev.toString('hex') : null;
  if (body.prev !== expectedPrev) return 'prev does not link to the previous event';
  if (!sha256(row.body).equals(row.hash)) return 'the hash does not match the event (edited after signing)';
  if (!verifyHash(key, row.hash, row.sig)) return 'the signature is not valid for this device key';
  return null;
}

// Which devices' events fold (SYNC-PROTOCOL §1.9): with a workspace root set, a device's events
// are stored but held until an admitted device admits it, and a revoked device's later events
// are held again. Without a root (no shared folder yet) every registered device folds.
import type { EventCatalog } from '../../../shared/events/catalog.ts';
import type { UnsignedEvent } from '../../../shared/events/envelope.ts';
import { computeTrust, holdReason, TRUST_HOLD_PREFIX, type DeviceTrust } from '../../../shared/sync/trust.ts';
import type { EntityRef } from '../../../shared/api/changes.ts';
import { sql, type Db } from './db.ts';
import { getMeta } from './log.ts';
import { deferralReason, refoldEntity } from './projections.ts';

export type TrustMap = Map<string, DeviceTrust>;

export function loadTrust(db: Db): TrustMap | null {
  const root = getMeta(db, 'trust_root');
  if (!root) return null;
  const rows = db.all<{ device: string; seq: number; type: string; entity_id: string; body: string }>(sql`
    SELECT device, seq, type, entity_id, body FROM events
    WHERE entity_kind = 'device' AND type IN ('device.admitted', 'device.revoked')`);
  return computeTrust(
    root,
    rows.map((r) => ({ device: r.device, seq: r.seq, type: r.type, entityId: r.entity_id, data: (JSON.parse(r.body) as UnsignedEvent).data })),
  );
}

export function holdFor(trust: TrustMap | null, self: () => string): (device: string, seq: number) => string | null {
  return (device, seq) => (trust ? holdReason(trust, device, seq, device === self()) : null);
}

/** Devices whose trust differs between two maps (admission, revocation bound). */
export function changedDevices(before: TrustMap | null, after: TrustMap | null, db: Db): string[] {
  if (!before && !after) return [];
  if (!before || !after) return db.all<{ id: string }>(sql`SELECT id FROM devices`).map((r) => r.id);
  const ids = new Set([...before.keys(), ...after.keys()]);
  return [...ids].filter((id) => {
    const a = before.get(id);
    const b = after.get(id);
    return a?.admitted !== b?.admitted || (a?.foldUpTo ?? null) !== (b?.foldUpTo ?? null);
  });
}

/**
 * Re-decides which events of `devices` are held and refolds every entity whose set of folded
 * events changed (inside the caller's transaction). Deferrals for other reasons stay.
 */
export function reapplyTrust(db: Db, catalog: EventCatalog, devices: readonly string[], hold: (device: string, seq: number) => string | null): EntityRef[] {
  const touched = new Map<string, EntityRef>();
  for (const device of devices) {
    let after = 0;
    for (;;) {
      const rows = db.all<{ id: string; seq: number; body: string; deferred: string | null; entity_kind: string; entity_id: string }>(sql`
        SELECT id, seq, body, deferred, entity_kind, entity_id FROM events
        WHERE device = ${device} AND seq > ${after} ORDER BY seq LIMIT 2000`);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.deferred !== null && !row.deferred.startsWith(TRUST_HOLD_PREFIX)) continue;
        const reason = hold(device, row.seq) ?? deferralReason(JSON.parse(row.body) as UnsignedEvent, catalog);
        if (reason === row.deferred) continue;
        db.run(sql`UPDATE events SET deferred = ${reason} WHERE id = ${row.id}`);
        touched.set(`${row.entity_kind}\u0000${row.entity_id}`, { kind: row.entity_kind, id: row.entity_id });
      }
      after = rows[rows.length - 1]!.seq;
    }
  }
  for (const entity of touched.values()) {
    // An entity with nothing left to fold has no row, exactly as a rebuild would leave it.
    if (refoldEntity(db, entity.kind, entity.id, catalog).events === 0) {
      db.run(sql`DELETE FROM entities WHERE kind = ${entity.kind} AND id = ${entity.id}`);
    }
  }
  return [...touched.values()];
}

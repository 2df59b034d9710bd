// Projection tables: each entity's folded state, kept current inside the append transaction,
// plus full rebuilds and the digest that compares projections across devices and rebuilds.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/events/canonical.ts';
import { classifyEvent, type Effect, type EventCatalog } from '../../../shared/events/catalog.ts';
import { compareEvents, envelopeNewerReason, type UnsignedEvent } from '../../../shared/events/envelope.ts';
import { applyEvent, emptyState, foldEntity, type EntityState, type FoldInput, type OrderKey, type SeenCheck } from '../../../shared/events/fold.ts';
import type { RebuildResult } from '../../../shared/api/store.ts';
import { sql, type Db } from './db.ts';
import { setMeta } from './log.ts';

/** Bump when the shape of a projection changes: every device then rebuilds on its next start. */
export const PROJECTION_VERSION = 1;

/** Projections depend on the fold code and on which event types this version understands. */
export function projectionKey(catalog: EventCatalog): string {
  const types = Object.keys(catalog).sort().join(',');
  return `${PROJECTION_VERSION}:${createHash('sha256').update(types).digest('hex').slice(0, 16)}`;
}

export function loadEntity(db: Db, kind: string, id: string): EntityState | null {
  const row = db.get<{ state: string }>(sql`SELECT state FROM entities WHERE kind = ${kind} AND id = ${id}`);
  return row ? (JSON.parse(row.state) as EntityState) : null;
}

function saveEntity(db: Db, kind: string, id: string, state: EntityState): void {
  const text = canonicalJson(state);
  db.run(sql`INSERT INTO entities (kind, id, state) VALUES (${kind}, ${id}, ${text})
             ON CONFLICT (kind, id) DO UPDATE SET state = excluded.state`);
}

/**
 * Folds a newly stored event into its entity. In order (the usual case for local writes) it is
 * one step on the stored state; an event older than the entity's latest re-folds that entity
 * only, from its events in (hlc, device, seq) order.
 */
export function foldStored(db: Db, event: FoldInput, effects: readonly Effect[], catalog: EventCatalog, current?: EntityState | null): EntityState {
  const { kind, id } = event.entity;
  const state = current === undefined ? loadEntity(db, kind, id) : current;
  if (!state || !state.last || compareEvents(event, state.last) > 0) {
    // Every stored, foldable event of the entity is already in `state`: the table answers "seen".
    const next = applyEvent(state ?? emptyState(), event, effects, foldedBefore(db, kind, id, null));
    saveEntity(db, kind, id, next);
    return next;
  }
  return refoldEntity(db, kind, id, catalog);
}

export function refoldEntity(db: Db, kind: string, id: string, catalog: EventCatalog): EntityState {
  const state = refoldState(db, kind, id, catalog);
  saveEntity(db, kind, id, state);
  return state;
}

function refoldState(db: Db, kind: string, id: string, catalog: EventCatalog): EntityState {
  const rows = db.all<{ body: string }>(sql`
    SELECT body FROM events
    WHERE entity_kind = ${kind} AND entity_id = ${id} AND deferred IS NULL
    ORDER BY hlc, seq`);
  return foldEntity(rows.map((r) => JSON.parse(r.body) as FoldInput), catalog);
}

/**
 * Folds many stored events inside one transaction (sync ingest): each touched entity is loaded
 * once, gets the same steps foldStored would give it, and is written once by `flush`.
 */
export class FoldBatch {
  readonly #states = new Map<string, { kind: string; id: string; state: EntityState }>();

  constructor(
    private readonly db: Db,
    private readonly catalog: EventCatalog,
  ) {}

  fold(event: FoldInput, effects: readonly Effect[]): void {
    const { kind, id } = event.entity;
    const key = `${kind}\u0000${id}`;
    const state = this.#states.get(key)?.state ?? loadEntity(this.db, kind, id);
    const next =
      !state || !state.last || compareEvents(event, state.last) > 0
        ? applyEvent(state ?? emptyState(), event, effects, foldedBefore(this.db, kind, id, null))
        : refoldState(this.db, kind, id, this.catalog);
    this.#states.set(key, { kind, id, state: next });
  }

  flush(): void {
    for (const { kind, id, state } of this.#states.values()) saveEntity(this.db, kind, id, state);
    this.#states.clear();
  }
}

/** "Already folded": stored for this entity, foldable, and (during a rebuild) earlier in fold order. */
function foldedBefore(db: Db, kind: string, id: string, before: OrderKey | null): SeenCheck {
  return (eventId) =>
    (before
      ? db.get(sql`SELECT 1 AS x FROM events WHERE id = ${eventId} AND entity_kind = ${kind} AND entity_id = ${id}
                   AND deferred IS NULL AND (hlc, seq) < (${before.hlc}, ${before.seq})`)
      : db.get(sql`SELECT 1 AS x FROM events WHERE id = ${eventId} AND entity_kind = ${kind} AND entity_id = ${id} AND deferred IS NULL`)) !== undefined;
}

/** Why this version will not fold a stored event, or null when it will. */
export function deferralReason(event: UnsignedEvent, catalog: EventCatalog): string | null {
  const newer = envelopeNewerReason(event as unknown as Record<string, unknown>);
  if (newer) return newer;
  const verdict = classifyEvent(catalog, event);
  return verdict.fold ? null : verdict.reason;
}

const REBUILD_BATCH = 2000;

/** Drops every projection and folds the whole log again (inside the caller's transaction). */
export function rebuildProjections(db: Db, catalog: EventCatalog, hold?: (device: string, seq: number) => string | null): RebuildResult {
  const started = performance.now();
  const previousDigest = projectionDigest(db);
  db.run(sql`DELETE FROM entities`);
  db.run(sql`DELETE FROM release_counts`);
  let events = 0;
  let deferred = 0;
  let entities = 0;
  let current: { kind: string; id: string; state: EntityState } | null = null;
  const flush = () => {
    if (current && current.state.events > 0) {
      saveEntity(db, current.kind, current.id, current.state);
      entities += 1;
    }
  };
  // Keyset batches over the entity index: the whole log never sits in memory, and each
  // entity's events arrive together, already in fold order.
  let after: [string, string, string, number] | null = null;
  for (;;) {
    const rows: { id: string; entity_kind: string; entity_id: string; hlc: string; seq: number; body: string; deferred: string | null }[] = after
      ? db.all(sql`
          SELECT id, entity_kind, entity_id, hlc, seq, body, deferred FROM events
          WHERE (entity_kind, entity_id, hlc, seq) > (${after[0]}, ${after[1]}, ${after[2]}, ${after[3]})
          ORDER BY entity_kind, entity_id, hlc, seq LIMIT ${REBUILD_BATCH}`)
      : db.all(sql`
          SELECT id, entity_kind, entity_id, hlc, seq, body, deferred FROM events
          ORDER BY entity_kind, entity_id, hlc, seq LIMIT ${REBUILD_BATCH}`);
    if (rows.length === 0) break;
    for (const row of rows) {
      events += 1;
      if (!current || current.kind !== row.entity_kind || current.id !== row.entity_id) {
        flush();
        current = { kind: row.entity_kind, id: row.entity_id, state: emptyState() };
      }
      const event = JSON.parse(row.body) as UnsignedEvent;
      // Re-classify with this version's catalog: events deferred by an older version fold now.
      const reason = hold?.(event.device, event.seq) ?? deferralReason(event, catalog);
      if (reason !== row.deferred) db.run(sql`UPDATE events SET deferred = ${reason} WHERE id = ${row.id}`);
      if (reason) {
        deferred += 1;
        continue;
      }
      const verdict = classifyEvent(catalog, event);
      if (verdict.fold) applyEvent(current.state, event, verdict.effects, foldedBefore(db, row.entity_kind, row.entity_id, row));
    }
    const last = rows[rows.length - 1]!;
    after = [last.entity_kind, last.entity_id, last.hlc, last.seq];
  }
  flush();
  db.run(sql`
    INSERT INTO release_counts (release, events)
    SELECT release, count(*) FROM events WHERE release IS NOT NULL GROUP BY release`);
  setMeta(db, 'projection_key', projectionKey(catalog));
  const digest = projectionDigest(db);
  return {
    events,
    folded: events - deferred,
    deferred,
    entities,
    digest,
    previousDigest,
    unchanged: digest === previousDigest,
    ms: Math.round(performance.now() - started),
  };
}

/** SHA-256 over every projection row in key order: equal digests mean equal read models. */
export function projectionDigest(db: Db): string {
  const hash = createHash('sha256');
  let after: [string, string] | null = null;
  for (;;) {
    const rows: { kind: string; id: string; state: string }[] = after
      ? db.all(sql`SELECT kind, id, state FROM entities WHERE (kind, id) > (${after[0]}, ${after[1]}) ORDER BY kind, id LIMIT 1000`)
      : db.all(sql`SELECT kind, id, state FROM entities ORDER BY kind, id LIMIT 1000`);
    if (rows.length === 0) break;
    for (const row of rows) hash.update(`${row.kind}\u0000${row.id}\u0000${row.state}\n`);
    const last = rows[rows.length - 1]!;
    after = [last.kind, last.id];
  }
  hash.update('\u0001counts\n');
  for (const row of db.all<{ release: string; events: number }>(sql`SELECT release, events FROM release_counts ORDER BY release`)) {
    hash.update(`${row.release}\u0000${row.events}\n`);
  }
  return hash.digest('hex');
}

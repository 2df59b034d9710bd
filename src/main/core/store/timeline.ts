// The timeline of a release or an entity, newest first, paged by an opaque keyset cursor over
// (hlc, seq) — never OFFSET, whose cost grows with the depth of the page.
import { ApiError } from '../../../shared/api/errors.ts';
import type { TimelineItem, TimelinePage, TimelineQuery } from '../../../shared/api/store.ts';
import type { UnsignedEvent } from '../../../shared/events/envelope.ts';
import { MAX_PULL_MS, parseHlc } from '../../../shared/events/hlc.ts';
import { joinSql, sql, type Db, type Query } from './db.ts';

interface Cursor {
  hlc: string;
  seq: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.hlc, cursor.seq])).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && parseHlc(value[0]) && Number.isSafeInteger(value[1])) {
      return { hlc: value[0], seq: value[1] as number };
    }
  } catch {
    // fall through to the typed error
  }
  throw new ApiError('invalid_input', 'This cursor is not one the timeline gave out.', 'cursor');
}

interface Row {
  hlc: string;
  seq: number;
  body: string;
  deferred: string | null;
}

/** The page query, exported so tests can check its plan (EXPLAIN QUERY PLAN) stays on an index. */
export function timelineSql(query: TimelineQuery): Query {
  const terms = [];
  if (query.release !== undefined) terms.push(sql`release = ${query.release}`);
  if (query.entity !== undefined) terms.push(sql`entity_kind = ${query.entity.kind}`, sql`entity_id = ${query.entity.id}`);
  if (terms.length === 0) throw new ApiError('invalid_input', 'Name a release or an entity.', 'release');
  if (query.type !== undefined) terms.push(sql`type = ${query.type}`);
  if (query.actor !== undefined) terms.push(sql`actor = ${query.actor}`);
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    terms.push(sql`(hlc, seq) < (${after.hlc}, ${after.seq})`);
  }
  // One row more than asked tells whether another page exists without a count.
  return sql`
    SELECT hlc, seq, body, deferred FROM events
    WHERE ${joinSql(terms, ' AND ')}
    ORDER BY hlc DESC, seq DESC
    LIMIT ${(query.limit ?? 100) + 1}`;
}

export function timelinePage(db: Db, query: TimelineQuery, now: number = Date.now()): TimelinePage {
  const limit = query.limit ?? 100;
  const rows = db.all<Row>(timelineSql(query));
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  let total: number | null = null;
  if (query.release !== undefined && query.entity === undefined && query.type === undefined && query.actor === undefined) {
    total = db.get<{ events: number }>(sql`SELECT events FROM release_counts WHERE release = ${query.release}`)?.events ?? 0;
  }
  return {
    items: page.map((row) => toItem(row, now)),
    nextCursor: more && last ? encodeCursor(last) : null,
    total,
  };
}

function toItem(row: Row, now: number): TimelineItem {
  const e = JSON.parse(row.body) as UnsignedEvent;
  const wall = parseHlc(e.hlc)?.wall ?? 0;
  const at = Date.parse(e.at);
  const skewMs = Number.isFinite(at) && Math.abs(wall - at) > MAX_PULL_MS ? wall - at : null;
  return {
    id: e.id,
    device: e.device,
    seq: e.seq,
    hlc: e.hlc,
    at: e.at,
    actor: e.actor,
    type: e.type,
    entity: e.entity,
    data: e.data,
    ...(e.pred ? { pred: e.pred } : {}),
    newerVersion: row.deferred,
    skewMs,
    futureDated: wall > now + MAX_PULL_MS,
  };
}

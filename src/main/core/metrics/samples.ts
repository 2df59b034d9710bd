// The sample store: metric series and their samples in their own tables (never events), file
// feed offsets and the counters sample sync needs. Inserts are idempotent (INSERT OR IGNORE on
// (series, t)) and batched in one transaction; NaN is stored as NULL, ±Infinity as such.
import { joinSql, sql, type Db } from '../store/db.ts';

/** Rows per INSERT statement (SQLite binds at most 32 766 parameters; 5 a row). */
const ROWS_PER_INSERT = 500;

/** What identifies a stored series across devices. */
export interface SeriesIdentity {
  release: string;
  /** `panel:<id>:<queryIndex>` or `rule:<id>`. */
  key: string;
  source: string;
  query: string;
  /** The label set as canonical JSON (sorted keys), `{}` for none. */
  labels: string;
}

export interface StoredSeries extends SeriesIdentity {
  id: number;
}

/** Samples of one series: parallel columns, t ascending, v NaN for a gap. */
export interface SampleColumns {
  t: number[];
  v: number[];
  devices: string[];
}

export const panelKey = (panel: string, queryIndex: number) => `panel:${panel}:${queryIndex}`;
export const ruleKey = (rule: string) => `rule:${rule}`;

const toDb = (v: number): number | null => (Number.isNaN(v) ? null : v);
const fromDb = (v: number | null): number => (v === null ? Number.NaN : v);

export class SampleStore {
  constructor(readonly db: Db) {}

  /** The series' id, created on first use. */
  seriesId(s: SeriesIdentity): number {
    const found = this.db.get<{ id: number }>(sql`
      SELECT id FROM metric_series WHERE release = ${s.release} AND key = ${s.key} AND source = ${s.source} AND query = ${s.query} AND labels = ${s.labels}`);
    if (found) return found.id;
    this.db.run(sql`INSERT INTO metric_series (release, key, source, query, labels) VALUES (${s.release}, ${s.key}, ${s.source}, ${s.query}, ${s.labels})`);
    return this.db.get<{ id: number }>(sql`SELECT last_insert_rowid() AS id`)!.id;
  }

  /**
   * Stores samples of several series in one transaction. `own` samples (this device queried or
   * read them) get the next local batch number, so sample sync publishes them. Returns how many
   * were new.
   */
  insert(batches: readonly { series: SeriesIdentity; t: readonly number[]; v: readonly number[] }[], device: string, own: boolean): number {
    if (batches.every((b) => b.t.length === 0)) return 0;
    return this.db.write(() => {
      const batch = own ? this.#nextBatch() : null;
      let inserted = 0;
      for (const b of batches) {
        if (b.t.length === 0) continue;
        const id = this.seriesId(b.series);
        for (let from = 0; from < b.t.length; from += ROWS_PER_INSERT) {
          const rows: ReturnType<typeof sql>[] = [];
          for (let i = from; i < Math.min(from + ROWS_PER_INSERT, b.t.length); i++) rows.push(sql`(${id}, ${Math.round(b.t[i]!)}, ${toDb(b.v[i]!)}, ${device}, ${batch})`);
          inserted += this.db.run(sql`INSERT OR IGNORE INTO metric_samples (series, t, v, device, batch) VALUES ${joinSql(rows, ', ')}`).changes;
        }
      }
      return inserted;
    });
  }

  #nextBatch(): number {
    const next = this.counter('batch') + 1;
    this.setCounter('batch', next);
    return next;
  }

  counter(name: string): number {
    return this.db.get<{ value: number }>(sql`SELECT value FROM metric_state WHERE name = ${name}`)?.value ?? 0;
  }

  setCounter(name: string, value: number): void {
    this.db.run(sql`INSERT INTO metric_state (name, value) VALUES (${name}, ${value}) ON CONFLICT (name) DO UPDATE SET value = excluded.value`);
  }

  /** Every series of a release under a key (or a key prefix ending in ':'), with this source and query. */
  series(release: string, key: string, source: string, query: string): StoredSeries[] {
    return this.db.all<StoredSeries>(sql`
      SELECT id, release, key, source, query, labels FROM metric_series
      WHERE release = ${release} AND key = ${key} AND source = ${source} AND query = ${query} ORDER BY labels`);
  }

  /**
   * Samples of a series in [from, to], ascending. Read as two JSON arrays built by SQLite (about
   * twice as fast as a row object per sample); SQLite writes ±Infinity as ±9e999, which parses
   * back to ±Infinity, and NULL (NaN) as null.
   */
  samples(series: number, from: number, to: number): SampleColumns {
    const row = this.db.get<{ t: string; v: string }>(sql`
      SELECT json_group_array(t) AS t, json_group_array(v) AS v
      FROM (SELECT t, v FROM metric_samples WHERE series = ${series} AND t >= ${from} AND t <= ${to} ORDER BY t)`);
    const t = JSON.parse(row?.t ?? '[]') as number[];
    const v = (JSON.parse(row?.v ?? '[]') as (number | null)[]).map(fromDb);
    const devices = t.length === 0 ? [] : this.db.all<{ device: string }>(sql`
      SELECT DISTINCT device FROM metric_samples WHERE series = ${series} AND t >= ${from} AND t <= ${to}`);
    return { t, v, devices: devices.map((d) => d.device).sort() };
  }

  /** The latest stored sample time over the given series in [from, to] (null when none). */
  lastT(ids: readonly number[], from = Number.MIN_SAFE_INTEGER, to = Number.MAX_SAFE_INTEGER): number | null {
    return this.#edge(ids, from, to, true);
  }

  /** The earliest stored sample time over the given series in [from, to] (null when none). */
  firstT(ids: readonly number[], from: number, to: number): number | null {
    return this.#edge(ids, from, to, false);
  }

  #edge(ids: readonly number[], from: number, to: number, latest: boolean): number | null {
    let edge: number | null = null;
    for (const id of ids) {
      const row = this.db.get<{ t: number | null }>(
        latest
          ? sql`SELECT max(t) AS t FROM metric_samples WHERE series = ${id} AND t >= ${from} AND t <= ${to}`
          : sql`SELECT min(t) AS t FROM metric_samples WHERE series = ${id} AND t >= ${from} AND t <= ${to}`,
      );
      if (row?.t != null && (edge === null || (latest ? row.t > edge : row.t < edge))) edge = row.t;
    }
    return edge;
  }

  // ---- file feeds ------------------------------------------------------------------------

  feedPosition(path: string): { offset: number; lineNo: number; header: string[] | null; format: string | null } {
    const row = this.db.get<{ offset: number; line_no: number; header: string | null; format: string | null }>(sql`
      SELECT offset, line_no, header, format FROM metric_feeds WHERE path = ${path}`);
    return row ? { offset: row.offset, lineNo: row.line_no, header: row.header ? (JSON.parse(row.header) as string[]) : null, format: row.format } : { offset: 0, lineNo: 0, header: null, format: null };
  }

  setFeedPosition(path: string, p: { offset: number; lineNo: number; header: readonly string[] | null; format: string | null }): void {
    const header = p.header ? JSON.stringify(p.header) : null;
    this.db.run(sql`
      INSERT INTO metric_feeds (path, offset, line_no, header, format) VALUES (${path}, ${p.offset}, ${p.lineNo}, ${header}, ${p.format})
      ON CONFLICT (path) DO UPDATE SET offset = excluded.offset, line_no = excluded.line_no, header = excluded.header, format = excluded.format`);
  }

  // ---- sample sync -----------------------------------------------------------------------

  /** This device's samples with a batch number in (after, upTo], grouped by series. */
  ownSince(after: number, upTo: number): { series: SeriesIdentity; t: number[]; v: number[] }[] {
    const rows = this.db.all<{ series: number; t: number; v: number | null }>(sql`
      SELECT series, t, v FROM metric_samples WHERE batch > ${after} AND batch <= ${upTo} ORDER BY series, t`);
    const out = new Map<number, { series: SeriesIdentity; t: number[]; v: number[] }>();
    for (const row of rows) {
      let entry = out.get(row.series);
      if (!entry) {
        const s = this.db.get<SeriesIdentity>(sql`SELECT release, key, source, query, labels FROM metric_series WHERE id = ${row.series}`)!;
        entry = { series: s, t: [], v: [] };
        out.set(row.series, entry);
      }
      entry.t.push(row.t);
      entry.v.push(fromDb(row.v));
    }
    return [...out.values()];
  }

  ingested(device: string, file: string): boolean {
    return this.db.get(sql`SELECT 1 AS x FROM metric_ingested WHERE device = ${device} AND file = ${file}`) !== undefined;
  }

  markIngested(device: string, file: string, at: number): void {
    this.db.run(sql`INSERT OR IGNORE INTO metric_ingested (device, file, at) VALUES (${device}, ${file}, ${at})`);
  }

  /** A device's registered raw public key (from the devices table), or null if unknown. */
  devicePublicKey(device: string): Buffer | null {
    return this.db.get<{ public_key: Buffer }>(sql`SELECT public_key FROM devices WHERE id = ${device}`)?.public_key ?? null;
  }
}

// Builds (once, then reuses from the temp folder) a store holding N real, signed, chained
// events. Going through appendEvents costs ~180 µs an event (validation, fold and a commit per
// batch), so the bulk of the log is written here with the store's own row writer in
// transactions of 50 000: canonical body, SHA-256, Ed25519 signature, insert. The projections
// are then folded by the store's rebuild, which is timed and reported too.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnsignedEvent } from '../src/shared/events/envelope.ts';
import { sendClock, stamp } from '../src/shared/events/hlc.ts';
import { Db, sql } from '../src/main/core/store/db.ts';
import { keyFilePath, readKeyFile, sha256, signHash } from '../src/main/core/store/identity.ts';
import { canonicalBody, insertEvent, readClock, selfDevice, writeClock } from '../src/main/core/store/log.ts';
import { SCHEMA_VERSION } from '../src/main/core/store/migrations.ts';
import { DB_FILE, openStore } from '../src/main/core/store/index.ts';

const GENERATOR = 3;
export const BIG_RELEASE = 'r-big';
export const PEOPLE = Array.from({ length: 5 }, (_, i) => ({ id: `p-bench-${i}`, name: `Person ${i}`, role: i === 0 ? 'coordinator' : 'engineer' }));

export interface Dataset {
  dataDir: string;
  events: number;
  /** null when reused from an earlier run. */
  buildMs: number | null;
  rebuildMs: number | null;
}

/**
 * 90% of events in one release (BENCHMARKS B2: 900k of 1M), the rest over 99 others; 80% step
 * ticks (each naming the step's previous tick in pred), 20% notes; five actors.
 */
export function dataset(events: number, log: (line: string) => void): Dataset {
  const dataDir = join(tmpdir(), `warroom-bench-g${GENERATOR}-s${SCHEMA_VERSION}-${events}`);
  const marker = join(dataDir, 'complete.json');
  if (existsSync(marker)) return { ...(JSON.parse(readFileSync(marker, 'utf8')) as Dataset), buildMs: null, rebuildMs: null, dataDir };
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  log(`building a store with ${events.toLocaleString('en')} events in ${dataDir} (reused by later runs)…`);
  const started = performance.now();
  const setup = openStore({ dataDir, log: () => {} });
  setup.setProfile({ name: 'Bench', role: 'coordinator' });
  setup.close();

  // Bulk writing: big transactions spill pages mid-way; a larger cache keeps that rare.
  const db = new Db(join(dataDir, DB_FILE), { log: () => {} });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -262144');
  const key = readKeyFile(keyFilePath(dataDir))!;
  const self = selfDevice(db)!;
  let seq = self.head_seq;
  let prev = self.head_hash;
  let clock = readClock(db);
  const lastTick = new Map<string, string>();
  const base = clock.wall;
  const BATCH = 50_000;
  for (let start = 0; start < events; start += BATCH) {
    db.write(() => {
      for (let i = start; i < Math.min(events, start + BATCH); i++) {
        const release = i % 10 === 9 ? `r-${(Math.floor(i / 10) % 99) + 1}` : BIG_RELEASE;
        clock = sendClock(clock, base + i * 5);
        seq += 1;
        const id = `${self.id}:${seq}`;
        const isTick = i % 5 !== 4;
        const step = `${release}-s${i % 500}`;
        const event: UnsignedEvent = {
          id,
          device: self.id,
          seq,
          hlc: stamp(clock, self.id),
          at: new Date(clock.wall).toISOString(),
          actor: PEOPLE[i % PEOPLE.length]!,
          type: isTick ? 'step.ticked' : 'note.added',
          entity: isTick ? { kind: 'step', id: step } : { kind: 'release', id: release },
          data: isTick ? { release, done: i % 3 !== 0 } : { text: `Status update ${i}: canary at ${i % 100}% and holding` },
          ...(isTick ? { pred: lastTick.has(step) ? [lastTick.get(step)!] : [] } : {}),
          v: 1,
          prev: prev ? prev.toString('hex') : null,
        };
        if (isTick) lastTick.set(step, id);
        const body = canonicalBody(event);
        const hash = sha256(body);
        insertEvent(db, { event, body, hash, sig: signHash(key, hash), origin: 'local', deferred: null });
        prev = hash;
      }
      writeClock(db, clock);
    });
    if ((start / BATCH) % 4 === 3) log(`  … ${(start + BATCH).toLocaleString('en')} events (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM events`)!.n;
  db.close();
  const buildMs = performance.now() - started;

  const store = openStore({ dataDir, log: () => {} });
  const t = performance.now();
  store.rebuild();
  const rebuildMs = performance.now() - t;
  store.close();
  const result: Dataset = { dataDir, events: total, buildMs, rebuildMs };
  writeFileSync(marker, JSON.stringify(result));
  log(`  built in ${(buildMs / 1000).toFixed(1)} s; projections rebuilt in ${(rebuildMs / 1000).toFixed(1)} s`);
  return result;
}

// T13 (rebuild determinism) and T14 at the store level: three devices with skewed clocks write
// concurrently; every rebuild, fresh database and delivery order must give one digest.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/shared/events/envelope.ts';
import type { TimelinePage } from '../../src/shared/api/store.ts';
import type { Store } from '../../src/main/core/store/index.ts';
import { allEvents, fleet, introduce, sync, type Device } from './fleet.ts';
import { forTheFile, open, tick } from './helpers.ts';
import { seededRandom } from '../helpers/prng.ts';

const MIN = 60_000;
const YEAR = 365 * 24 * 60 * MIN;

/** A busy war room: edits, ticks, notes, sign-offs, withdrawals and decisions, with syncs between. */
function playHistory(devices: Device[], steps: number, seed: number): void {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  for (const d of devices) d.store.appendEvents([{ type: 'release.created', entity: { kind: 'release', id: `r-${d.store.device().id}` }, data: { title: 'start' } }]);
  for (let i = 0; i < steps; i++) {
    const d = pick(devices);
    d.clock.advance(Math.floor(random() * 5000));
    const release = pick(['r1', 'r2']);
    const roll = random();
    if (roll < 0.15) {
      sync(pick(devices).store, d.store);
      continue;
    }
    const commands = [
      () => ({ type: 'release.updated', entity: { kind: 'release', id: release }, data: { field: pick(['title', 'owner', 'severity']), value: `v${i}` } }),
      () => tick(release, `${release}-s${Math.floor(random() * 4)}`, random() < 0.6),
      () => ({ type: 'note.added', entity: { kind: 'release', id: release }, data: { text: `note ${i}` } }),
      () => ({ type: 'signoff.given', entity: { kind: 'release', id: release }, data: { criterion: pick(['tests', 'capacity']), as: pick(['approver', 'lead']) } }),
      () => ({ type: 'decision.made', entity: { kind: 'release', id: release }, data: { outcome: pick(['go', 'no_go']) } }),
    ];
    const signoffs = d.store.timeline({ release, type: 'signoff.given', limit: 5 }).items;
    if (roll > 0.93 && signoffs.length > 0) {
      d.store.appendEvents([{ type: 'signoff.withdrawn', entity: { kind: 'release', id: release }, data: { of: pick(signoffs).id } }]);
    } else {
      d.store.appendEvents([pick(commands)()]);
    }
  }
}

function allPages(store: Store, query: { release: string; type?: string }): TimelinePage[] {
  const pages: TimelinePage[] = [];
  let cursor: string | undefined;
  do {
    const page = store.timeline({ ...query, limit: 7, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return pages;
}

/** A brand-new store on this machine that knows the fleet's keys (no profile, no own events). */
function freshStore(devices: readonly Device[]): Store {
  const store = open();
  introduce(store, devices.map((d) => d.store));
  return store;
}

/** Clocks: A two hours ahead, B half an hour behind, C a year ahead (T9's skews). */
function converged(steps: number, seed: number) {
  const devices = fleet([2 * 60 * MIN, -30 * MIN, YEAR]);
  playHistory(devices, steps, seed);
  for (let round = 0; round < 2; round++) for (const a of devices) for (const b of devices) if (a !== b) sync(a.store, b.store);
  return { devices, union: allEvents(devices[0]!.store), digest: devices[0]!.store.digest() };
}

let devices: Device[];
let union: EventEnvelope[];
let digest: string;

beforeAll(() => {
  ({ devices, union, digest } = forTheFile(() => converged(240, 13)));
});

describe('T13: rebuild determinism', () => {
  it('every device converged on one digest, with every event', () => {
    for (const d of devices) {
      expect(allEvents(d.store)).toHaveLength(union.length);
      expect(d.store.digest()).toBe(digest);
      expect(d.store.verify().ok).toBe(true);
    }
  });

  it('(a) dropping and rebuilding projections changes nothing, down to the bytes of every timeline page', () => {
    const store = devices[1]!.store;
    const before = JSON.stringify([allPages(store, { release: 'r1' }), allPages(store, { release: 'r2', type: 'step.ticked' })]);
    const result = store.rebuild();
    expect(result).toMatchObject({ unchanged: true, digest, events: union.length, deferred: 0 });
    expect(JSON.stringify([allPages(store, { release: 'r1' }), allPages(store, { release: 'r2', type: 'step.ticked' })])).toBe(before);
  });

  it('(b) a fresh database fed every device log (as from the shared folder) has the same digest', () => {
    const fresh = freshStore(devices);
    const byDevice = new Map<string, EventEnvelope[]>();
    for (const e of union) byDevice.set(e.device, [...(byDevice.get(e.device) ?? []), e]);
    for (const log of byDevice.values()) expect(fresh.ingestEvents(log).rejected).toEqual([]);
    expect(fresh.digest()).toBe(digest);
  });

  it('(c) three different ingest orders give the same digest', () => {
    const orders = [
      [...union].sort((x, y) => (x.hlc < y.hlc ? -1 : 1)).sort((x, y) => (x.device === y.device ? x.seq - y.seq : 0)),
      [...union].reverse().sort((x, y) => (x.device < y.device ? 1 : x.device > y.device ? -1 : x.seq - y.seq)),
      roundRobin(union),
    ];
    for (const order of orders) {
      const fresh = freshStore(devices);
      for (let i = 0; i < order.length; i += 37) fresh.ingestEvents(order.slice(i, i + 37));
      expect(fresh.digest()).toBe(digest);
    }
  });
});

function roundRobin(events: readonly EventEnvelope[]): EventEnvelope[] {
  const queues = [...new Set(events.map((e) => e.device))].map((d) => events.filter((e) => e.device === d).sort((a, b) => a.seq - b.seq));
  const out: EventEnvelope[] = [];
  while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0) out.push(q.shift()!);
  return out;
}

describe('T14 at the store level (fast-check, fixed seed, 200 runs)', () => {
  it('any interleaving, batch split and re-delivery converges, and nothing ever disappears', () => {
    // A smaller history than T13's: the property's power is in the 200 schedules, not the size.
    const { devices, union, digest } = converged(90, 14);
    const logs = [...new Set(union.map((e) => e.device))].map((d) => union.filter((e) => e.device === d).sort((a, b) => a.seq - b.seq));
    const schedule = fc.record({
      picks: fc.array(fc.nat(logs.length - 1), { minLength: union.length, maxLength: union.length }),
      batches: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 20 }),
      replays: fc.array(fc.nat(union.length - 1), { maxLength: 30 }),
    });
    fc.assert(
      fc.property(schedule, ({ picks, batches, replays }) => {
        // Each device's log keeps its order (segments are read in seq order); devices interleave freely.
        const next = logs.map(() => 0);
        const order: EventEnvelope[] = [];
        for (const p of picks) {
          const d = next[p]! < logs[p]!.length ? p : next.findIndex((n, i) => n < logs[i]!.length);
          order.push(logs[d]![next[d]!]!);
          next[d]! += 1;
        }
        const store = freshStore(devices);
        let delivered = 0;
        let seen = 0;
        for (let b = 0; delivered < order.length; b++) {
          const size = batches[b % batches.length]!;
          const batch = order.slice(delivered, delivered + size);
          // Re-deliver a few already-delivered events alongside (a re-read segment).
          const again = replays.filter((r) => r < delivered).map((r) => order[r]!);
          const report = store.ingestEvents([...again, ...batch]);
          expect(report.rejected).toEqual([]);
          expect(report.duplicates).toBe(again.length);
          delivered += batch.length;
          const count = store.heads().reduce((n, h) => n + h.seq, 0);
          expect(count).toBe(seen + batch.length); // monotone: nothing lost, nothing doubled
          seen = count;
        }
        expect(store.digest()).toBe(digest);
        store.close();
      }),
      { seed: 14, numRuns: 200 },
    );
  }, 120_000);
});

// The fast ingest path gives the same result as one event at a time: big transactions fold each
// entity once (late events re-fold it), batch device heads and release counts, and keep what came
// before a rejected event; a real pull in time-sized chunks ends where the writer is.
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src/shared/events/envelope.ts';
import type { Store } from '../../../src/main/core/store/index.ts';
import { fleet, missing } from '../fleet.ts';
import { tick } from '../helpers.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { settle, team, type Peer } from './harness.ts';

const HOUR = 3_600_000;

/** Two devices editing the same release and steps; `b`'s clock is an hour behind `a`'s. */
function overlappingHistories() {
  const [a, b, oneByOne, batched] = fleet([HOUR, 0, 0, 0]);
  for (const [device, name] of [
    [a!, 'A'],
    [b!, 'B'],
  ] as const) {
    device.store.appendEvents([{ type: 'release.created', entity: { kind: 'release', id: `r-${name}` }, data: { title: `Release ${name}` } }]);
    for (let round = 0; round < 6; round++) {
      device.store.appendEvents([
        ...Array.from({ length: 20 }, (_, s) => tick('r-shared', `s${s}`, (round + s) % 2 === 0)),
        { type: 'note.added', entity: { kind: 'release', id: `r-${name}` }, data: { text: `${name} round ${round}` } },
      ]);
      device.clock.advance(60_000);
    }
  }
  // A's events first: B's, an hour older, arrive late for every shared step (the re-fold path).
  const events = [...missing(a!.store, oneByOne!.store).filter((e) => e.device === a!.store.device().id), ...missing(b!.store, oneByOne!.store).filter((e) => e.device === b!.store.device().id)];
  return { a: a!.store, b: b!.store, oneByOne: oneByOne!.store, batched: batched!.store, events };
}

function ingestOneByOne(store: Store, events: readonly EventEnvelope[]): void {
  for (const e of events) expect(store.ingestEvents([e]).rejected).toEqual([]);
}

/** Digests compare whole stores: first each side takes the other's own (profile) events. */
function sameProjections(x: Store, y: Store): void {
  const own = (s: Store) => s.readEvents(s.device().id, 0, 1000);
  const fromX = own(x).filter((e) => e.seq > (y.heads().find((h) => h.device === e.device)?.seq ?? 0));
  const fromY = own(y).filter((e) => e.seq > (x.heads().find((h) => h.device === e.device)?.seq ?? 0));
  expect(y.ingestEvents(fromX).rejected).toEqual([]);
  expect(x.ingestEvents(fromY).rejected).toEqual([]);
  expect(x.digest()).toBe(y.digest());
}

describe('batched ingest', () => {
  it('one big transaction leaves the same projections and counts as one event at a time', () => {
    const { oneByOne, batched, events } = overlappingHistories();
    ingestOneByOne(oneByOne, events);
    const report = batched.ingestEvents(events, { signatures: 'last', batch: 10_000 });
    expect(report).toMatchObject({ inserted: events.length, duplicates: 0, rejected: [] });
    expect(report.entities.map((e) => e.id).sort()).toEqual([...new Set(events.map((e) => e.entity.id))].sort());
    expect(batched.entity('step', 's3')).toEqual(oneByOne.entity('step', 's3'));
    expect(batched.rebuild().unchanged).toBe(true);
    sameProjections(batched, oneByOne);
    expect(batched.verify()).toMatchObject({ ok: true });
    const writers = (s: Store) => s.heads().filter((h) => events.some((e) => e.device === h.device));
    expect(writers(batched)).toEqual(writers(oneByOne));
    // Again: every event a duplicate, nothing moves.
    const digest = batched.digest();
    expect(batched.ingestEvents(events, { batch: 10_000 })).toMatchObject({ inserted: 0, duplicates: events.length });
    expect(batched.digest()).toBe(digest);
  });

  it('a rejected event in the middle of a transaction keeps, folds and counts the events before it', () => {
    const { oneByOne, batched, events } = overlappingHistories();
    const bad = 70;
    const edited = events.map((e, i) => (i === bad ? { ...e, data: { ...e.data, done: !e.data.done } } : e));
    const report = batched.ingestEvents(edited, { signatures: 'last', batch: 10_000 });
    expect(report.rejected[0]).toMatchObject({ seq: events[bad]!.seq, reason: 'the hash does not match the event' });
    expect(report.inserted).toBe(events.filter((e, i) => i < bad || e.device !== events[bad]!.device).length);
    ingestOneByOne(oneByOne, events.filter((e, i) => i < bad || e.device !== events[bad]!.device));
    expect(batched.rebuild().unchanged).toBe(true);
    sameProjections(batched, oneByOne);
    // The rest arrives intact later and both end in the same place.
    expect(batched.ingestEvents(events, { batch: 10_000 }).rejected).toEqual([]);
    ingestOneByOne(oneByOne, events.filter((e, i) => i >= bad && e.device === events[bad]!.device));
    expect(batched.digest()).toBe(oneByOne.digest());
    expect(batched.rebuild().unchanged).toBe(true);
  });

  it('a pull of 3 000 events through a real folder, in time-sized chunks, ends where the writer is', async () => {
    const shared = tempDir('wr-ingest-perf-');
    const [writer, reader] = (await team(shared, ['Writer', 'Reader'])) as [Peer, Peer];
    const store = writer.core.ctx.store;
    store.appendEvents(Array.from({ length: 20 }, (_, r) => ({ type: 'release.created', entity: { kind: 'release', id: `r${r}` }, data: { title: `R${r}` } })));
    for (let done = 0; done < 3000; done += 1000) {
      store.appendEvents(Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? { type: 'note.added', entity: { kind: 'release', id: `r${i % 20}` }, data: { text: `n ${done + i}` } } : tick(`r${i % 20}`, `s${i % 150}`, (done + i) % 3 === 0))));
    }
    await settle([writer, reader]);
    expect(reader.core.ctx.store.heads()).toEqual(store.heads().map((h) => ({ ...h, self: !h.self })));
    expect(reader.core.ctx.store.digest()).toBe(store.digest());
    expect(reader.core.ctx.store.rebuild().unchanged).toBe(true);
    expect(reader.engine().status().problems).toEqual([]);
  }, 120_000);
});

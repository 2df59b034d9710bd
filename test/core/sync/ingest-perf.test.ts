// The fast ingest path gives the same result as one event at a time: big transactions fold each
// entity once (late events re-fold it), batch device heads and release counts, and keep what came
// before a rejected event; a real pull in time-sized chunks ends where the writer is.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SegmentReader } from '../../../src/main/core/sync/segment-reader.ts';
import { h16 } from '../../../src/main/core/sync/segments.ts';
import { parseSegmentName, segmentName } from '../../../src/shared/sync/names.ts';
import type { SyncStatus } from '../../../src/shared/sync/status.ts';
import type { EventEnvelope } from '../../../src/shared/events/envelope.ts';
import type { Store } from '../../../src/main/core/store/index.ts';
import { sql } from '../../../src/main/core/store/db.ts';
import { fleet, missing } from '../fleet.ts';
import { tick } from '../helpers.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { peer, settle, team, type Peer } from './harness.ts';

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

/** A copy of `file` with line `line` (1-based) changed by `edit`, renamed to its new bytes' hash. */
/** `total` ticks over 4 releases × 60 steps, appended `per` at a time; `done(n)` says how the nth is ticked. */
function appendTicks(store: Store, total: number, per: number, done: (n: number) => boolean): void {
  for (let from = 0; from < total; from += per) store.appendEvents(Array.from({ length: per }, (_, i) => tick(`r${i % 4}`, `s${i % 60}`, done(from + i))));
}

function damageSegment(file: string, line: number, edit: (event: Record<string, unknown>) => void): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const event = JSON.parse(lines[line - 1]!) as Record<string, unknown>;
  edit(event);
  lines[line - 1] = JSON.stringify(event);
  const bytes = Buffer.from(lines.join('\n'));
  const seg = parseSegmentName(basename(file))!;
  rmSync(file);
  const target = join(dirname(file), segmentName(seg.from, seg.to, h16(bytes)));
  writeFileSync(target, bytes);
  return target;
}

describe('segment parsing and inserting in worker threads', () => {
  it('pulls the same events, projections and problems as parsing and inserting on the main thread, damaged line included', async () => {
    const shared = tempDir('wr-parse-thread-');
    const [a, b] = (await team(shared, ['Ann', 'Bob'])) as [Peer, Peer];
    for (const [writer, n] of [
      [a, 2600],
      [b, 1300],
    ] as const) {
      const store = writer.core.ctx.store;
      store.appendEvents(Array.from({ length: 10 }, (_, r) => ({ type: 'release.created', entity: { kind: 'release', id: `${writer.name}-r${r}` }, data: { title: `${writer.name} ${r}` } })));
      for (let done = 0; done < n; done += 650) {
        store.appendEvents(Array.from({ length: 650 }, (_, i) => (i % 5 === 0 ? { type: 'note.added', entity: { kind: 'release', id: `${writer.name}-r${i % 10}` }, data: { text: `n ${done + i} ✓ "quoted"` } } : tick(`${writer.name}-r${i % 10}`, `s${i % 90}`, (done + i) % 3 === 0))));
      }
      await writer.pass();
    }
    // Bob's newest segment gets an edited event in its 40th line: taken up to line 39, then quarantined.
    const bobLog = join(shared, 'devices', b.id(), 'log');
    const newest = readdirSync(bobLog).map((n) => ({ n, seg: parseSegmentName(n) })).filter((x) => x.seg).sort((x, y) => y.seg!.from - x.seg!.from)[0]!;
    const damaged = damageSegment(join(bobLog, newest.n), 40, (e) => ((e.data as Record<string, unknown>).text = 'edited later'));

    const logged: string[] = [];
    const worker = await peer('Worker', shared, { sync: { segmentParsing: 'worker' }, log: (line) => logged.push(line) });
    const inline = await peer('Inline', shared, { sync: { segmentParsing: 'inline' } });
    const [viaWorker, viaInline] = [await worker.pass(), await inline.pass()];
    // Rows changed through each store's own (main-thread) connection: the writer thread inserted
    // the ~3 900 pulled events through a connection of its own, so they are not among them (both
    // re-fold Bob's events on this connection when his admission arrives).
    const ownChanges = (p: Peer) => p.core.ctx.store.db.get<{ n: number }>(sql`SELECT total_changes() AS n`)!.n;
    expect(ownChanges(inline) - ownChanges(worker)).toBeGreaterThan(3_800);
    const held = (p: Peer) => p.core.ctx.store.heads().filter((h) => h.device === a.id() || h.device === b.id());
    expect(held(worker)).toEqual(held(inline));
    expect(held(worker).find((h) => h.device === b.id())!.seq).toBe(newest.seg!.from + 38);
    expect(held(worker).find((h) => h.device === a.id())!.seq).toBe(a.core.ctx.store.heads().find((h) => h.self)!.seq);
    const problems = (s: SyncStatus) => s.problems.map(({ code, file, line, seq, device }) => ({ code, file, line, seq, device }));
    expect(problems(viaWorker)).toEqual(problems(viaInline));
    expect(problems(viaWorker)).toContainEqual({ code: 'corrupt_line', file: `devices/${b.id()}/log/${basename(damaged)}`, line: 40, seq: newest.seg!.from + 39, device: b.id() });
    // Same stored rows (bodies, hashes, signatures) and the same projections.
    const rows = (p: Peer) => p.core.ctx.store.readEvents(b.id(), 0, 10_000).concat(p.core.ctx.store.readEvents(a.id(), 0, 10_000));
    expect(rows(worker)).toEqual(rows(inline));
    // The threads really did the parsing and inserting: neither fell back to the main thread.
    expect(logged.filter((line) => line.includes('[threads]'))).toEqual([]);
    // Once Ann admits both readers and everyone has everything, whole stores compare.
    await a.call('sync.admit', { device: worker.id() });
    await a.call('sync.admit', { device: inline.id() });
    await settle([a, worker, inline]);
    expect(worker.core.ctx.store.digest()).toBe(inline.core.ctx.store.digest());
    expect(worker.core.ctx.store.rebuild().unchanged).toBe(true);
  }, 120_000);

  it('a line holding a lone UTF-16 surrogate is quarantined with its line, in the threads and on the main thread alike', async () => {
    const shared = tempDir('wr-surrogate-');
    const [a] = (await team(shared, ['Ann'])) as [Peer];
    a.core.ctx.store.appendEvents(Array.from({ length: 120 }, (_, i) => ({ type: 'note.added', entity: { kind: 'release', id: 'r1' }, data: { text: `note ${i}` } })));
    await a.pass();
    const log = join(shared, 'devices', a.id(), 'log');
    const newest = readdirSync(log).map((n) => ({ n, seg: parseSegmentName(n) })).filter((x) => x.seg).sort((x, y) => y.seg!.from - x.seg!.from)[0]!;
    // Valid JSON ("\ud800" escaped), but no canonical form: nobody could have signed it.
    const damaged = damageSegment(join(log, newest.n), 30, (e) => ((e.data as Record<string, unknown>).text = 'half a pair \ud800'));
    const worker = await peer('Worker', shared, { sync: { segmentParsing: 'worker' } });
    const inline = await peer('Inline', shared, { sync: { segmentParsing: 'inline' } });
    for (const p of [worker, inline]) {
      const problem = (await p.pass()).problems.find((x) => x.code === 'corrupt_line');
      expect(problem).toMatchObject({ file: `devices/${a.id()}/log/${basename(damaged)}`, line: 30, seq: newest.seg!.from + 29 });
      expect(problem!.message).toMatch(/surrogate/i);
      expect(p.core.ctx.store.heads().find((h) => h.device === a.id())!.seq).toBe(newest.seg!.from + 28);
    }
  }, 60_000);

  it('ticks made on this device while the writer thread inserts a large pull are all kept, chained and folded', async () => {
    const shared = tempDir('wr-writer-concurrent-');
    const [a] = (await team(shared, ['Ann'])) as [Peer];
    appendTicks(a.core.ctx.store, 6000, 1000, (n) => n % 3 === 0);
    await a.pass();
    const reader = await peer('Reader', shared, { sync: { segmentParsing: 'worker' }, profile: true });
    await a.call('sync.admit', { device: reader.id() });
    await a.pass();
    // A second batch arrives while the reader is ticking: its pass runs on the threads meanwhile.
    appendTicks(a.core.ctx.store, 6000, 1000, (n) => n % 2 === 0);
    await a.pass();
    const passing = reader.pass();
    let ticked = 0;
    let settled = false;
    void passing.finally(() => (settled = true));
    while (!settled && ticked < 200) {
      reader.core.ctx.store.appendEvents([tick('mine', `t${ticked % 20}`, ticked % 2 === 0)]);
      ticked += 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const status = await passing;
    expect(status.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(ticked).toBeGreaterThan(1); // the main thread stayed free to write during the pull
    const store = reader.core.ctx.store;
    expect(store.heads().find((h) => h.device === a.id())!.seq).toBe(a.core.ctx.store.heads().find((h) => h.self)!.seq);
    expect(store.readEvents(reader.id(), 0, 10_000).filter((e) => e.type === 'step.ticked')).toHaveLength(ticked);
    expect(store.verify()).toMatchObject({ ok: true });
    expect(store.rebuild().unchanged).toBe(true);
  }, 120_000);

  it('a writer thread that cannot start is reported once and the events are inserted on the main thread, in chunks', async () => {
    const shared = tempDir('wr-writer-fallback-');
    const [a] = (await team(shared, ['Ann'])) as [Peer];
    appendTicks(a.core.ctx.store, 2400, 600, (n) => n % 3 === 0);
    await a.pass();
    const logged: string[] = [];
    const noWriter = await peer('NoWriter', shared, { sync: { segmentParsing: 'worker' }, ingestWorkerFile: join(tempDir('wr-no-writer-'), 'missing-worker.cjs'), log: (line) => logged.push(line) });
    const inline = await peer('Inline', shared, { sync: { segmentParsing: 'inline' } });
    const [viaFallback, viaInline] = [await noWriter.pass(), await inline.pass()];
    const own = a.core.ctx.store.heads().find((h) => h.self)!;
    for (const p of [noWriter, inline]) expect(p.core.ctx.store.heads().find((h) => h.device === a.id())).toMatchObject({ seq: own.seq });
    expect(noWriter.core.ctx.store.readEvents(a.id(), 0, 10_000)).toEqual(inline.core.ctx.store.readEvents(a.id(), 0, 10_000));
    expect(viaFallback.problems).toEqual(viaInline.problems);
    const threads = logged.filter((line) => line.includes('[threads]'));
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatch(/ingest writer thread is not available .*on the main thread/);
  }, 60_000);

  it('a parser thread that cannot start is reported once and the segment is parsed on the main thread', async () => {
    const shared = tempDir('wr-parse-fallback-');
    const [a] = (await team(shared, ['Ann'])) as [Peer];
    a.core.ctx.store.appendEvents(Array.from({ length: 300 }, (_, i) => tick('r1', `s${i % 30}`, i % 2 === 0)));
    await a.pass();
    const log = join(shared, 'devices', a.id(), 'log');
    const name = readdirSync(log).map((n) => ({ n, seg: parseSegmentName(n)! })).filter((x) => x.seg).sort((x, y) => y.seg.to - x.seg.to)[0]!;
    const lines: string[] = [];
    const broken = new SegmentReader('worker', (line) => lines.push(line), join(tempDir('wr-no-worker-'), 'missing-worker.cjs'));
    const good = new SegmentReader('inline', () => {});
    const breathe = async () => {};
    const size = statSync(join(log, name.n)).size;
    const [fromBroken, fromGood] = [await broken.read(join(log, name.n), name.seg, a.id(), 0, size, breathe), await good.read(join(log, name.n), name.seg, a.id(), 0, size, breathe)];
    const whole = (r: typeof fromGood) => (r.kind === 'parsed' ? { ...r.parsed.take(0, r.parsed.length), bad: r.parsed.bad, firstSeq: r.parsed.firstSeq } : r);
    expect(whole(fromBroken)).toEqual(whole(fromGood));
    expect(fromBroken.kind === 'parsed' && fromBroken.parsed.length).toBe(name.seg.to - name.seg.from + 1);
    expect(broken.degraded).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/segment parser thread is not available .*on the main thread/);
    // Later reads go straight to the main thread without trying again.
    expect(await broken.read(join(log, name.n), name.seg, a.id(), name.seg.to - 5, size, breathe)).toMatchObject({ kind: 'parsed' });
    expect(lines).toHaveLength(1);
    broken.close();
    good.close();
  });
});

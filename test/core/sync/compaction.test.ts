// §1.8 segment compaction and T17: small own segments are merged into one byte-identical
// segment; readers holding the old files, the new one or both end with every event once; the
// replaced files go only after the grace period, even when the writer is SIGKILLed at each step.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCore } from '../../../src/main/core/core.ts';
import { compactionStatus, compactOwn, readCompactionRecord } from '../../../src/main/core/sync/compaction.ts';
import { parseSegmentName } from '../../../src/shared/sync/names.ts';
import { describeCompaction, type SyncProblem } from '../../../src/shared/sync/status.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { digestOf, eventSet, peer, settle, sha, team, type Peer } from './harness.ts';

const CHILD = join(import.meta.dirname, 'compaction-child.ts');
const GRACE = 60_000;

/** Own segment names in the device's log folder, each checked complete (bytes match the name). */
function segments(shared: string, device: string): string[] {
  const log = join(shared, 'devices', device, 'log');
  const names = readdirSync(log).filter((n) => parseSegmentName(n));
  for (const name of names) expect(sha(readFileSync(join(log, name))).slice(0, 16), `${name} is complete`).toBe(parseSegmentName(name)!.h16);
  return names.sort();
}

/** The highest n such that seqs 1..n are all in some present segment. */
function covered(names: readonly string[]): number {
  let cover = 0;
  for (const seg of names.map((n) => parseSegmentName(n)!).sort((a, b) => a.from - b.from)) {
    if (seg.from > cover + 1) break;
    cover = Math.max(cover, seg.to);
  }
  return cover;
}

const idsOf = (events: { id: string; hash: string }[]) => events.map((e) => `${e.id}#${e.hash.slice(0, 12)}`).sort();

describe('segment compaction (§1.8)', () => {
  it('readers before, during and after the grace period ingest every event once, including one whose frontier is inside the merged range', async () => {
    const shared = tempDir('wr-compact-');
    const [w, early] = (await team(shared, ['Wanda', 'Early'])) as [Peer, Peer];
    for (let i = 0; i < 3; i++) {
      await w.call('release.create', { name: `R${i}`, version: `${i}.0.0` });
      await w.pass();
    }
    await early.pass();
    const frontier = early.core.ctx.store.heads().find((h) => h.device === w.id())!.seq;
    for (let i = 3; i < 7; i++) {
      await w.call('release.create', { name: `R${i}`, version: `${i}.0.0` });
      await w.pass();
    }
    const before = segments(shared, w.id());
    expect(before.length).toBeGreaterThanOrEqual(8);
    const head = w.core.ctx.store.heads().find((h) => h.self)!.seq;
    const problems: SyncProblem[] = [];
    const at = w.clock.now;
    const compact = (now: number) => compactOwn(shared, w.id(), { minSegments: 4, graceMs: GRACE, dataDir: w.dataDir, now: () => now, publishedTo: head }, problems);

    compact(at);
    const merged = segments(shared, w.id()).filter((n) => !before.includes(n));
    expect(merged).toHaveLength(1);
    const range = parseSegmentName(merged[0]!)!;
    expect(range.from).toBe(1);
    expect(range.to).toBe(head);
    expect(range.from <= frontier && frontier < range.to).toBe(true);
    // Byte-identical: the merged file is the small files' bytes, in order.
    const log = join(shared, 'devices', w.id(), 'log');
    expect(readFileSync(join(log, merged[0]!))).toEqual(Buffer.concat(before.map((n) => readFileSync(join(log, n)))));
    expect(readCompactionRecord(w.dataDir).entries.map((e) => e.replaced.sort())).toEqual([before]);
    // The status says what waits and until when (the CLI and the Sync view print this).
    const waiting = compactionStatus(w.dataDir, w.id(), { minSegments: 4, graceMs: GRACE });
    expect(waiting).toEqual({ enabled: true, awaitingDeletion: before.length, nextDeletionAt: new Date(at + GRACE).toISOString(), graceMs: GRACE });
    expect(describeCompaction(waiting)).toBe(`on: ${before.length} merged segment files kept through a grace period of 1 minute (the first may go at ${new Date(at + GRACE).toISOString()})`);
    expect((await w.pass()).compaction).toMatchObject({ enabled: true, awaitingDeletion: before.length });

    // Both sets present: a late joiner takes everything once.
    const both = await peer('Both', shared);
    await w.pass();
    await w.call('sync.admit', { device: both.id() });
    await settle([w, early, both]);

    // Not before the grace period ends…
    compact(at + GRACE - 1);
    for (const name of [...before, ...merged]) expect(segments(shared, w.id())).toContain(name);
    // …then only the merged file is left of them.
    compact(at + GRACE);
    const after = segments(shared, w.id());
    expect(after).toContain(merged[0]);
    for (const name of before) expect(after).not.toContain(name);
    expect(readCompactionRecord(w.dataDir).entries).toEqual([]);
    expect(problems).toEqual([]);
    expect(describeCompaction(compactionStatus(w.dataDir, w.id(), { minSegments: 4, graceMs: GRACE }))).toBe('on: nothing waits for deletion');
    expect(describeCompaction(compactionStatus(w.dataDir, w.id(), false))).toBe('off: small segments are never merged');

    const late = await peer('Late', shared);
    await w.pass();
    await w.call('sync.admit', { device: late.id() });
    await settle([w, early, both, late]);
    const mine = idsOf(w.core.ctx.store.readEvents(w.id(), 0, 1_000_000));
    for (const reader of [early, both, late]) {
      const theirs = eventSet(reader).filter((id) => id.startsWith(`${w.id()}:`));
      expect(theirs, reader.name).toEqual(mine);
      expect(digestOf(reader), reader.name).toBe(digestOf(w));
      expect(reader.core.ctx.store.entities('release')).toHaveLength(7);
    }
  }, 60_000);
});

describe('T17 compaction crash', () => {
  it('SIGKILL at each compaction step: no event lost or doubled, nothing deleted before the grace period, replaced files deleted after it', async () => {
    const shared = tempDir('wr-t17-');
    const reader = await peer('Gen', shared);
    const dataDir = tempDir('wr-t17-writer-');
    let t = Date.UTC(2026, 10, 23, 10, 0, 0);
    const run = (count: number, fail = '') =>
      spawnSync(process.execPath, ['--import', 'tsx', CHILD, dataDir, shared, String(count), String(t), '4', String(GRACE)], { env: { ...process.env, WR_FAIL: fail }, encoding: 'utf8', timeout: 60_000 });
    const restart = () => {
      const r = run(0);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.match(/DONE (\w+)/)![1]!;
    };
    const readerMatches = async (id: string) => {
      await reader.pass();
      await reader.engine().idle();
      const writer = openCore({ dataDir, log: () => {} });
      try {
        const mine = idsOf(writer.ctx.store.readEvents(id, 0, 1_000_000));
        const theirs = eventSet(reader).filter((e) => e.startsWith(`${id}:`));
        expect(theirs).toEqual(mine);
        expect(new Set(theirs).size).toBe(theirs.length);
        expect(digestOf(reader)).toBe(writer.ctx.store.digest());
        expect(covered(segments(shared, id))).toBe(mine.length);
      } finally {
        writer.close();
      }
    };
    /** Past the grace period: exactly the recorded replaced files go, the rest stays. */
    const passGrace = (id: string, fail = '') => {
      const present = segments(shared, id);
      const replaced = readCompactionRecord(dataDir).entries.flatMap((e) => e.replaced);
      expect(replaced.length).toBeGreaterThan(0);
      t += GRACE / 2;
      restart();
      expect(segments(shared, id), 'nothing deleted before the grace period').toEqual(present);
      t += GRACE / 2;
      if (fail) {
        expect(run(0, fail).signal).toBe('SIGKILL');
        expect(segments(shared, id).length).toBe(present.length - 1);
      }
      restart();
      expect(segments(shared, id)).toEqual(present.filter((n) => !replaced.includes(n)));
      expect(readCompactionRecord(dataDir).entries).toEqual([]);
    };

    let id = '';
    for (const fail of ['compact-after-write', 'compact-after-fsync', 'compact-after-rename', 'compact-before-record', 'compact-after-record']) {
      t += 1000;
      const killed = run(5, fail);
      expect(killed.signal, `${fail}: ${killed.stderr}`).toBe('SIGKILL');
      const device = readdirSync(join(shared, 'devices')).find((d) => d !== reader.id())!;
      const afterKill = segments(shared, device);
      id = restart();
      expect(id).toBe(device);
      if (!reader.core.ctx.store.trust()?.get(id)?.admitted) {
        // Admitted, and the writer has the admission, so both fold the same events.
        await reader.call('sync.admit', { device: id });
        await reader.pass();
        restart();
      }
      const afterRestart = segments(shared, id);
      for (const name of afterKill) expect(afterRestart, `${fail}: ${name} kept`).toContain(name);
      expect(readCompactionRecord(dataDir).entries.length, fail).toBeGreaterThan(0);
      await readerMatches(id);
      passGrace(id);
      await readerMatches(id);
    }
    // Killed while deleting after the grace period: the rest goes on the next run.
    t += 1000;
    expect(run(5).status).toBe(0);
    passGrace(id, 'compact-during-delete');
    await readerMatches(id);
  }, 240_000);

  it('a device with compaction off (serve --no-sync-compaction) never merges, and its status says so', async () => {
    const shared = tempDir('wr-compact-off-');
    const [off] = (await team(shared, ['Off'], { sync: { compaction: false } })) as [Peer];
    const [on] = (await team(tempDir('wr-compact-on-'), ['On'])) as [Peer];
    for (let i = 0; i < 22; i++) {
      for (const p of [off, on]) {
        await p.call('release.create', { name: `R${i}`, version: `${i}.0.0` });
        await p.pass();
      }
    }
    const status = await off.pass();
    expect(status.compaction).toMatchObject({ enabled: false, awaitingDeletion: 0 });
    expect(describeCompaction(status.compaction!)).toBe('off: small segments are never merged');
    // Every pass's segment is still its own file; the same history with compaction on was merged.
    expect(segments(shared, off.id()).map((n) => parseSegmentName(n)!).every((s) => s.to - s.from < 3)).toBe(true);
    expect((await on.pass()).compaction!.awaitingDeletion).toBeGreaterThanOrEqual(20);
  }, 60_000);
});

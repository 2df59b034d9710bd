// Fault tests on the shared folder (SYNC-PROTOCOL §2): torn and garbage segments (T3), corrupt
// files (T6), conflicted copies and foreign files (T7), partial reads (T11). Each fault is
// reported with file, line, device and seq, and never stops the rest of the sync.
import { describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync, openSync, writeSync, closeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { canonicalJson } from '../../../src/shared/events/canonical.ts';
import type { EventEnvelope } from '../../../src/shared/events/envelope.ts';
import { segmentName } from '../../../src/shared/sync/names.ts';
import type { SyncStatus } from '../../../src/shared/sync/status.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { eventSet, peer, sha, type Peer } from './harness.ts';

const SEED = Number(process.env.WR_SEED ?? 20261123);

/** A writer with `n` events published in one segment, in its own folder. */
async function writer(n: number): Promise<{ source: Peer; shared: string; events: EventEnvelope[]; segment: string; bytes: Buffer }> {
  const shared = tempDir('wr-src-');
  const source = await peer('Ann', shared);
  for (let i = 0; i < n; i++) await source.call('release.create', { name: `Release ${i}`, version: `${i}.0.0` });
  await source.pass();
  const id = source.id();
  const events = source.core.ctx.store.readEvents(id, 0, 10_000);
  // One segment over the whole log (as compaction would write): same events, one file.
  const bytes = lines(events);
  const segment = writeSegment(join(shared, 'devices', id, 'log'), 1, events.length, bytes);
  return { source, shared, events, segment, bytes };
}

/** A folder holding the writer's marker and device.json, plus segments the test writes. */
function forgedFolder(from: { source: Peer; shared: string }): { folder: string; log: string } {
  const folder = tempDir('wr-forged-');
  const id = from.source.id();
  copyFileSync(join(from.shared, 'warroom-sync.json'), join(folder, 'warroom-sync.json'));
  mkdirSync(join(folder, 'devices', id, 'log'), { recursive: true });
  copyFileSync(join(from.shared, 'devices', id, 'device.json'), join(folder, 'devices', id, 'device.json'));
  return { folder, log: join(folder, 'devices', id, 'log') };
}

function writeSegment(log: string, from: number, to: number, bytes: Buffer): string {
  const name = segmentName(from, to, sha(bytes).slice(0, 16));
  writeFileSync(join(log, name), bytes);
  return name;
}

const lines = (events: readonly unknown[]) => Buffer.from(events.map((e) => `${canonicalJson(e)}\n`).join(''), 'utf8');

function stored(p: Peer, device: string): number {
  return p.core.ctx.store.heads().find((h) => h.device === device)?.seq ?? 0;
}

function problemsOf(status: SyncStatus, code: string) {
  return status.problems.filter((p) => p.code === code);
}

describe('T6 corrupt files in the shared folder', () => {
  it('reports each damaged line with file, line, device and seq, and takes nothing past it', async () => {
    const w = await writer(6);
    const id = w.source.id();
    const ev = w.events;
    const cases: { name: string; build: (log: string) => string; line: number; code: string }[] = [
      {
        name: 'bit-flipped line',
        build: (log) => {
          const bytes = lines(ev);
          const third = bytes.indexOf('\n', bytes.indexOf('\n', bytes.indexOf('\n') + 1) + 1) + 1; // start of line 4
          bytes[third + 20] = bytes[third + 20]! ^ 0x04;
          return writeSegment(log, 1, ev.length, bytes);
        },
        line: 4,
        code: 'corrupt_line',
      },
      { name: 'valid JSON with a wrong hash', build: (log) => writeSegment(log, 1, ev.length, lines(ev.map((e, i) => (i === 2 ? { ...e, hash: 'a'.repeat(64) } : e)))), line: 3, code: 'corrupt_line' },
      { name: 'edited data (hash no longer matches)', build: (log) => writeSegment(log, 1, ev.length, lines(ev.map((e, i) => (i === 2 ? { ...e, data: { ...e.data, title: 'Forged' } } : e)))), line: 3, code: 'corrupt_line' },
      { name: 'a wrong prev', build: (log) => writeSegment(log, 1, ev.length, lines(ev.map((e, i) => (i === 3 ? { ...e, prev: 'b'.repeat(64) } : e)))), line: 4, code: 'corrupt_line' },
      { name: 'a bad signature on the last event', build: (log) => writeSegment(log, 1, ev.length, lines(ev.map((e, i) => (i === ev.length - 1 ? { ...e, sig: ev[0]!.sig } : e)))), line: ev.length, code: 'bad_signature' },
      { name: 'a seq gap', build: (log) => writeSegment(log, 1, ev.length, lines(ev.filter((_, i) => i !== 2))), line: 3, code: 'corrupt_line' },
      {
        name: 'non-UTF-8 bytes',
        build: (log) => {
          const good = lines(ev.slice(0, 2));
          return writeSegment(log, 1, ev.length, Buffer.concat([good, Buffer.from([0xff, 0xfe, 0x7b, 0x0a]), lines(ev.slice(3))]));
        },
        line: 3,
        code: 'corrupt_line',
      },
    ];
    for (const c of cases) {
      const { folder, log } = forgedFolder(w);
      const file = c.build(log);
      const reader = await peer('Bob', folder);
      const status = await reader.pass();
      const found = problemsOf(status, c.code).find((p) => p.file === `devices/${id}/log/${file}`);
      expect(found, `${c.name}: ${JSON.stringify(status.problems)}`).toMatchObject({ device: id, line: c.line, seq: c.line });
      expect(found!.message).toContain(`line ${c.line}`);
      // Everything before the break is taken, nothing from it onwards.
      expect(stored(reader, id), c.name).toBe(c.line - 1);
      expect(status.state).toBe('problem');
      // A second pass neither re-reads it into the log nor loses the report.
      const again = await reader.pass();
      expect(stored(reader, id)).toBe(c.line - 1);
      expect(problemsOf(again, c.code).length).toBeGreaterThan(0);
    }
  });

  it('a bad signature inside a segment is found by the background check, named by file and line, and stops later events', async () => {
    const w = await writer(6);
    const id = w.source.id();
    const ev = w.events;
    const { folder, log } = forgedFolder(w);
    const file = writeSegment(log, 1, ev.length, lines(ev.map((e, i) => (i === 3 ? { ...e, sig: ev[0]!.sig } : e))));
    const reader = await peer('Bob', folder);
    await reader.pass();
    await reader.engine().idle();
    const status = reader.engine().status();
    expect(problemsOf(status, 'bad_signature')[0]).toMatchObject({ device: id, seq: 4, line: 4, file: `devices/${id}/log/${file}` });
    // The data is kept (its hash is covered by the signed chain); nothing later is taken.
    const held = stored(reader, id);
    await w.source.call('release.create', { name: 'After', version: '9.0.0' });
    await w.source.pass();
    for (const name of readdirSync(join(w.shared, 'devices', id, 'log'))) copyFileSync(join(w.shared, 'devices', id, 'log', name), join(log, name));
    await reader.pass();
    expect(stored(reader, id)).toBe(held);
    expect(reader.engine().status().state).toBe('problem');
  });

  it('does not read a 50 MB junk file named like a segment, and keeps syncing the others', async () => {
    const w = await writer(3);
    const id = w.source.id();
    const { folder, log } = forgedFolder(w);
    // The genuine segment, plus junk claiming a later range.
    writeSegment(log, 1, w.events.length, w.bytes);
    const junk = Buffer.alloc(50 * 1024 * 1024, 0x41);
    const junkName = segmentName(w.events.length, w.events.length + 5, sha(junk).slice(0, 16));
    writeFileSync(join(log, junkName), junk);
    const reader = await peer('Bob', folder);
    const started = performance.now();
    const status = await reader.pass();
    expect(performance.now() - started).toBeLessThan(3000);
    expect(stored(reader, id)).toBe(w.events.length);
    expect(problemsOf(status, 'corrupt_segment')[0]).toMatchObject({ file: `devices/${id}/log/${junkName}`, device: id, seq: w.events.length });
  });
});

describe('T3 torn and garbage segments (power-loss model)', () => {
  it('never ingests a partial line: in flight first, corrupt after the stability window; others keep syncing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.constantFrom('truncate', 'zeros', 'garbage'), async (cut, kind) => {
        const w = await writer(5);
        const id = w.source.id();
        const { folder, log } = forgedFolder(w);
        const good = w.bytes;
        const at = Math.floor(good.length * cut);
        const torn =
          kind === 'truncate'
            ? good.subarray(0, at)
            : kind === 'zeros'
              ? Buffer.concat([good.subarray(0, at), Buffer.alloc(4096)])
              : Buffer.concat([good, Buffer.from('\u0000garbage after extend{"x":')]);
        writeFileSync(join(log, w.segment), torn);
        // A second, healthy device in the same folder keeps syncing meanwhile.
        const other = await peer('Cat', folder);
        await other.call('release.create', { name: 'Unrelated', version: '1.0.0' });
        await other.pass();
        const reader = await peer('Bob', folder);
        const first = await reader.pass();
        expect(problemsOf(first, 'in_flight').map((p) => p.file)).toContain(`devices/${id}/log/${w.segment}`);
        expect(stored(reader, id)).toBe(0);
        expect(stored(reader, other.id())).toBeGreaterThan(0);
        // Unchanged for longer than the window and seen on three polls: corrupt.
        reader.clock.now += 1000;
        await reader.pass();
        reader.clock.now += 1000;
        const last = await reader.pass();
        const corrupt = problemsOf(last, 'corrupt_segment')[0];
        expect(corrupt).toMatchObject({ file: `devices/${id}/log/${w.segment}`, device: id });
        expect(stored(reader, id)).toBe(0);
        // The writer republishes from its database: a healthy segment under a new name is taken.
        writeSegment(log, 1, w.events.length, good);
      }),
      { numRuns: 4, seed: SEED },
    );
  });
});

describe('T7 conflicted copies and foreign files', () => {
  it('parses none of them, lists each with an explanation, and ingests exactly what a clean folder gives', async () => {
    const w = await writer(4);
    const id = w.source.id();
    const clean = tempDir('wr-clean-');
    cpSync(w.shared, clean, { recursive: true });
    const log = join(w.shared, 'devices', id, 'log');
    const bytes = readFileSync(join(log, w.segment));
    const base = w.segment.replace(/\.ndjson$/, '');
    const foreign = [
      `${base} (Bob's conflicted copy 2026-11-22).ndjson`,
      `${base}.sync-conflict-20261122-101010-ABCDEFG.ndjson`,
      `${base}-LAPTOP.ndjson`,
      '.syncthing.x.tmp',
      '~syncthing~x.tmp',
      'desktop.ini',
      `${base} (1).ndjson`,
    ];
    // Copies hold tampered events: were any parsed, the digest would differ.
    const tampered = Buffer.from(bytes.toString('utf8').replace('Release 0', 'Release X'));
    for (const name of foreign) writeFileSync(join(log, name), tampered);

    const withForeign = await peer('Bob', w.shared);
    const status = await withForeign.pass();
    const listed = problemsOf(status, 'foreign_file').map((p) => p.file);
    for (const name of foreign) expect(listed).toContain(`devices/${id}/log/${name}`);
    for (const p of problemsOf(status, 'foreign_file')) expect(p.message.length).toBeGreaterThan(20);
    expect(problemsOf(status, 'foreign_file').find((p) => p.file!.includes('conflicted copy'))!.message).toMatch(/conflict|collide/i);
    expect(status.state).not.toBe('problem');

    const withoutForeign = await peer('Cat', clean);
    await withoutForeign.pass();
    const theirs = (p: Peer) => eventSet(p).filter((e) => e.startsWith(`${id}:`));
    expect(theirs(withForeign)).toEqual(theirs(withoutForeign));
    expect(theirs(withForeign)).toHaveLength(w.events.length);
  });
});

describe('T11 partial reads', () => {
  it('a slow copier writing straight to the final name is never read half-way, and is read once complete', async () => {
    const w = await writer(40);
    const id = w.source.id();
    const { folder, log } = forgedFolder(w);
    const bytes = w.bytes;
    const reader = await peer('Bob', folder);
    const fd = openSync(join(log, w.segment), 'w');
    ftruncateSync(fd, 0);
    const seen: number[] = [];
    for (let at = 0; at < bytes.length; at += 4096) {
      writeSync(fd, bytes, at, Math.min(4096, bytes.length - at));
      await new Promise((r) => setTimeout(r, 5));
      await reader.pass();
      seen.push(stored(reader, id));
    }
    closeSync(fd);
    await reader.pass();
    seen.push(stored(reader, id));
    const all = w.events.length;
    expect(seen.every((n) => n === 0 || n === all)).toBe(true);
    expect(seen.at(-1)).toBe(all);
    expect(seen.filter((n) => n === 0).length).toBeGreaterThan(1);
  });
});

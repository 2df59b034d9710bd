// §1.7 repair with real cores on a real shared folder: Bob's log folder loses its later segments
// (an old backup restored); Ann, who ingested them, plans and writes them back byte-identically;
// a device joining afterwards gets all of Bob's events. Refusals carry their reason.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSegmentName, segmentName } from '../../../src/shared/sync/names.ts';
import { uncovered, type RepairPlan, type RepairResult, type SyncStatus } from '../../../src/shared/sync/status.ts';
import { h16 } from '../../../src/main/core/sync/segments.ts';
import { DB_FILE } from '../../../src/main/core/store/index.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { digestOf, eventSet, peer, settle, team, type Peer } from './harness.ts';

/** Every file under `dir`: its bytes' hash and mtime. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(path, `${h16(readFileSync(path))}@${statSync(path).mtimeMs}`);
  }
  return out;
}

/** seq → the exact line (with its "\n") in the segments of a log folder. */
function linesBySeq(logDir: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync(logDir)) {
    const seg = parseSegmentName(name);
    if (!seg) continue;
    const lines = readFileSync(join(logDir, name), 'utf8').split(/(?<=\n)/);
    lines.forEach((line, i) => out.set(seg.from + i, line));
  }
  return out;
}

async function refusal(p: Peer, method: string, input: unknown) {
  const result = await p.core.dispatch(method, input);
  if (result.ok) throw new Error(`${method} was not refused`);
  return result.error;
}

/** Ann and Bob; Bob writes in three passes so his log holds several segments Ann has ingested. */
async function bobWithSegments(shared: string) {
  const [ann, bob] = await team(shared, ['Ann', 'Bob']);
  for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
    await bob!.call('release.create', { name: `Bob ${v}`, version: v });
    await bob!.pass();
  }
  await settle([ann!, bob!]);
  const bobLog = join(shared, 'devices', bob!.id(), 'log');
  return { ann: ann!, bob: bob!, bobLog };
}

describe('§1.7 repair of another device’s log folder', () => {
  it('a hole in the middle of a device log is reported by a device that holds it, and heals when the owner syncs', async () => {
    const shared = tempDir('wr-hole-');
    const { ann, bob, bobLog } = await bobWithSegments(shared);
    const segs = readdirSync(bobLog).map((n) => ({ n, seg: parseSegmentName(n)! })).filter((x) => x.seg).sort((x, y) => x.seg.from - y.seg.from);
    const middle = segs[Math.floor(segs.length / 2)]!;
    rmSync(join(bobLog, middle.n));
    const range = middle.seg.from === middle.seg.to ? `${middle.seg.from}` : `${middle.seg.from}–${middle.seg.to}`;
    const hole = (await ann.pass()).problems.find((p) => p.code === 'log_incomplete')!;
    expect(hole).toMatchObject({ severity: 'warn', device: bob.id(), seq: middle.seg.from, file: `devices/${bob.id()}/log` });
    expect(hole.message).toBe(`Device ${bob.id()}'s log folder lost seq ${range}, which this device holds: devices that do not have them yet cannot get them from the folder.`);
    expect(hole.action).toMatch(/heals when device .* next syncs.*repair it from here/);
    // Ann's repair plan names the same range.
    expect((await ann.call<RepairPlan>('sync.repairPlan', { device: bob.id() })).missing).toEqual([{ from: middle.seg.from, to: middle.seg.to }]);
    // Bob republishes what is missing on his next pass; then nobody reports a hole.
    await bob.pass();
    expect((await ann.pass()).problems.filter((p) => p.code === 'log_incomplete')).toEqual([]);
    const late = await peer('Late', shared);
    await bob.call('sync.admit', { device: late.id() });
    await settle([ann, bob, late]);
    expect(eventSet(late).filter((id) => id.startsWith(`${bob.id()}:`))).toEqual(eventSet(ann).filter((id) => id.startsWith(`${bob.id()}:`)));
  });

  it('writes back exactly the lost ranges, byte-identically, only when confirmed, and a new device gets them', async () => {
    const shared = tempDir('wr-repair-');
    const { ann, bob, bobLog } = await bobWithSegments(shared);
    const original = linesBySeq(bobLog);
    const bobId = bob.id();
    const held = ann.core.ctx.store.heads().find((h) => h.device === bobId)!.seq;
    expect(original.size).toBe(held);

    // Bob's laptop is away; his folder is restored from an old version: later segments are gone.
    bob.core.close();
    const segments = readdirSync(bobLog).filter((n) => parseSegmentName(n)).sort();
    expect(segments.length).toBeGreaterThanOrEqual(3);
    const kept = segments[0]!;
    for (const name of segments.slice(1)) rmSync(join(bobLog, name));
    const keptTo = parseSegmentName(kept)!.to;
    const status = await ann.pass();
    expect(status.problems.find((p) => p.code === 'went_backwards')).toMatchObject({ device: bobId, seq: keptTo });

    // The plan names exactly the missing range and the files to write.
    const plan = await ann.call<RepairPlan>('sync.repairPlan', { device: bobId });
    expect(plan).toMatchObject({ device: bobId, person: 'Bob', held, missing: [{ from: keptTo + 1, to: held }], events: held - keptTo });
    expect(plan.files.map((f) => [f.from, f.to])).toEqual([[keptTo + 1, held]]);
    expect(plan.files[0]!.path).toMatch(new RegExp(`^devices/${bobId}/log/\\d{12}-\\d{12}\\.[0-9a-f]{16}\\.ndjson$`));

    // Without confirmation nothing is written.
    const before = snapshot(join(shared, 'devices', bobId));
    expect(await refusal(ann, 'sync.repair', { device: bobId })).toMatchObject({ code: 'invalid_input', reason: 'not_confirmed', field: 'confirm' });
    expect(await refusal(ann, 'sync.repair', { device: bobId, confirm: false })).toMatchObject({ reason: 'not_confirmed' });
    expect(snapshot(join(shared, 'devices', bobId))).toEqual(before);

    const result = await ann.call<RepairResult>('sync.repair', { device: bobId, confirm: true });
    expect(result).toMatchObject({ device: bobId, written: plan.files.map((f) => f.path), existed: [], events: held - keptTo, after: { missing: [], files: [], events: 0 } });
    // Nothing that existed changed; the only new file is the repaired segment.
    const after = snapshot(join(shared, 'devices', bobId));
    for (const [path, stamp] of before) expect(after.get(path)).toBe(stamp);
    expect([...after.keys()].filter((p) => !before.has(p)).map((p) => p.slice(shared.length + 1))).toEqual(result.written);
    // Every repaired line is byte-identical to the line Bob signed and published.
    const repaired = linesBySeq(bobLog);
    for (let seq = 1; seq <= held; seq++) expect(repaired.get(seq)).toBe(original.get(seq));
    const bytes = readFileSync(join(shared, result.written[0]!));
    expect(result.written[0]!.endsWith(segmentName(keptTo + 1, held, h16(bytes)))).toBe(true);

    // The folder is whole again: the problem is gone, and a second repair writes nothing.
    expect((await ann.call<SyncStatus>('sync.status')).problems.map((p) => p.code)).not.toContain('went_backwards');
    const again = await ann.call<RepairResult>('sync.repair', { device: bobId, confirm: true });
    expect(again).toMatchObject({ written: [], existed: [], events: 0 });
    expect(snapshot(join(shared, 'devices', bobId))).toEqual(after);

    // A device that joins now ingests all of Bob's events, with the same projection as Ann.
    const cat = await peer('Cat', shared);
    await cat.pass();
    await ann.call('sync.admit', { device: cat.id() });
    await settle([ann, cat]);
    expect(cat.core.ctx.store.heads().find((h) => h.device === bobId)?.seq).toBe(held);
    const bobEvents = (p: Peer) => eventSet(p).filter((e) => e.startsWith(`${bobId}:`));
    expect(bobEvents(cat)).toEqual(bobEvents(ann));
    expect(digestOf(cat)).toBe(digestOf(ann));
    expect((await cat.call<SyncStatus>('sync.status')).problems.map((p) => p.code)).not.toContain('gap');
  });

  it('fills a hole in the middle and leaves corrupt or foreign files alone', async () => {
    const shared = tempDir('wr-repair-mid-');
    const { ann, bob, bobLog } = await bobWithSegments(shared);
    const bobId = bob.id();
    bob.core.close();
    const segments = readdirSync(bobLog).filter((n) => parseSegmentName(n)).sort();
    const lost = parseSegmentName(segments[1]!)!;
    rmSync(join(bobLog, segments[1]!));
    // A half-copied file under a segment name does not count as covering its range.
    const corruptName = segmentName(lost.from, lost.to, '0123456789abcdef');
    writeFileSync(join(bobLog, corruptName), '{"half":');
    writeFileSync(join(bobLog, 'notes (Bob’s conflicted copy).ndjson'), 'x\n');

    const plan = await ann.call<RepairPlan>('sync.repairPlan', { device: bobId });
    expect(plan.missing).toEqual([{ from: lost.from, to: lost.to }]);
    const result = await ann.call<RepairResult>('sync.repair', { device: bobId, confirm: true });
    expect(result.written).toEqual([`devices/${bobId}/log/${segments[1]}`]);
    expect(readFileSync(join(bobLog, corruptName), 'utf8')).toBe('{"half":');
    expect(readFileSync(join(bobLog, 'notes (Bob’s conflicted copy).ndjson'), 'utf8')).toBe('x\n');
  });

  it('refuses its own device, an unknown device, a device without device.json and a forked device, each with its reason', async () => {
    const shared = tempDir('wr-repair-refuse-');
    const { ann, bob, bobLog } = await bobWithSegments(shared);
    const bobId = bob.id();
    expect(await refusal(ann, 'sync.repairPlan', { device: ann.id() })).toMatchObject({ code: 'invalid_input', reason: 'own_device' });
    expect(await refusal(ann, 'sync.repairPlan', { device: 'dev_0000000000000000000000' })).toMatchObject({ code: 'not_found' });
    expect(await refusal(ann, 'sync.repair', { device: '../bob', confirm: true })).toMatchObject({ code: 'invalid_input', field: 'device' });

    // A forged segment overlapping Bob's first one with a different event: a fork, so Bob is blocked.
    const first = readdirSync(bobLog).filter((n) => parseSegmentName(n)).sort()[0]!;
    const line = readFileSync(join(bobLog, first), 'utf8').split('\n')[0]!;
    const forged = Buffer.from(`${line.replace('"name":"Bob"', '"name":"Mallory"').replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'ab'.repeat(32)}"`)}\n`);
    expect(forged.toString()).toContain('Mallory');
    writeFileSync(join(bobLog, segmentName(1, 1, h16(forged))), forged);
    const status = await ann.pass();
    expect(status.problems.find((p) => p.code === 'fork')).toMatchObject({ device: bobId, severity: 'error' });
    expect(await refusal(ann, 'sync.repairPlan', { device: bobId })).toMatchObject({ code: 'conflict', reason: 'device_blocked' });

    // device.json gone: only its owner can restore that.
    const cat = await peer('Cat', tempDir('wr-repair-cat-'));
    expect(await refusal(cat, 'sync.repairPlan', { device: bobId })).toMatchObject({ code: 'not_found' });
    rmSync(join(shared, 'devices', bobId, 'device.json'));
    const error = await refusal(ann, 'sync.repair', { device: bobId, confirm: true });
    expect(error).toMatchObject({ code: 'conflict', reason: 'no_device_file' });
    expect(error.message).toMatch(/Only that device's owner can restore it/);
  });

  it('writes nothing when a stored event no longer reproduces what its device signed', async () => {
    const shared = tempDir('wr-repair-tamper-');
    const { ann, bob, bobLog } = await bobWithSegments(shared);
    const bobId = bob.id();
    bob.core.close();
    const segments = readdirSync(bobLog).filter((n) => parseSegmentName(n)).sort();
    for (const name of segments.slice(1)) rmSync(join(bobLog, name));
    // Someone edits Ann's database behind the app's back: a lost event's body changes.
    const lost = parseSegmentName(segments[1]!)!.from;
    const db = new Database(join(ann.dataDir, DB_FILE));
    const row = db.prepare('SELECT body FROM events WHERE device = ? AND seq = ?').get(bobId, lost) as { body: string };
    expect(row.body).toContain('"name":"Bob"');
    db.prepare('UPDATE events SET body = ? WHERE device = ? AND seq = ?').run(row.body.replace('"name":"Bob"', '"name":"Rob"'), bobId, lost);
    db.close();
    const before = snapshot(bobLog);
    const error = await refusal(ann, 'sync.repair', { device: bobId, confirm: true });
    expect(error).toMatchObject({ code: 'conflict', reason: 'not_identical' });
    expect(error.message).toMatch(new RegExp(`Stored event ${bobId}:${lost} does not reproduce the hash its device gave it; nothing is written`));
    expect(snapshot(bobLog)).toEqual(before);
  });

  it('counts overlapping and nested files (a compaction leaves both) as one coverage', () => {
    expect(uncovered([], 5)).toEqual([{ from: 1, to: 5 }]);
    expect(uncovered([{ from: 1, to: 10 }, { from: 3, to: 4 }, { from: 8, to: 12 }], 12)).toEqual([]);
    expect(uncovered([{ from: 2, to: 3 }, { from: 3, to: 6 }, { from: 9, to: 9 }], 12)).toEqual([{ from: 1, to: 1 }, { from: 7, to: 8 }, { from: 10, to: 12 }]);
    expect(uncovered([{ from: 1, to: 20 }], 12)).toEqual([]);
    expect(uncovered([{ from: 1, to: 2 }], 0)).toEqual([]);
  });

  it('refuses without a shared folder', async () => {
    const solo = await peer('Solo', tempDir('wr-repair-solo-'), { sync: { folder: undefined } });
    expect(await refusal(solo, 'sync.repairPlan', { device: 'dev_0000000000000000000000' })).toMatchObject({ code: 'not_found', reason: 'not_configured' });
  });
});

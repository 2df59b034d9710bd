// The folder itself failing (T5 disk full, T12 vanish/replace/unmount), a duplicated identity
// (T8), key changes and revocation, and clock skew (T9).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PULL_MS } from '../../../src/shared/events/hlc.ts';
import { parseSegmentName } from '../../../src/shared/sync/names.ts';
import type { SyncStatus } from '../../../src/shared/sync/status.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { digestOf, eventSet, peer, releaseTitles, settle, team } from './harness.ts';

const codes = (s: SyncStatus) => s.problems.map((p) => p.code);

function mountTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
}
function umount(dir: string): void {
  execFileSync('umount', [dir]);
}

describe('T12 folder vanishes, comes back, is replaced', () => {
  it('goes offline when renamed away or unmounted, keeps local work, catches up without duplicates', async () => {
    const base = tempDir('wr-t12-');
    const mnt = join(base, 'mnt');
    mkdirSync(mnt);
    mountTmpfs(mnt, '8m');
    const shared = join(mnt, 'share');
    mkdirSync(shared);
    const backup = join(base, 'backup');
    try {
      const [ann, bob] = await team(shared, ['Ann', 'Bob']);
      await ann!.call('release.create', { name: 'Before', version: '1.0.0' });
      await settle([ann!, bob!]);

      // Renamed away.
      renameSync(shared, join(mnt, 'away'));
      let s = await ann!.pass();
      expect(s.state).toBe('offline');
      expect(s.problems.find((p) => p.code === 'folder_unavailable')!.message).toContain(shared);
      await ann!.call('release.create', { name: 'While away', version: '1.1.0' });
      expect(releaseTitles(ann!)).toEqual(['Before', 'While away']);
      expect(s.unpublished).toBeGreaterThanOrEqual(0);
      renameSync(join(mnt, 'away'), shared);

      // Unmounted (the USB disk / share goes away), then a fresh empty mount.
      cpSync(shared, backup, { recursive: true });
      umount(mnt);
      s = await ann!.pass();
      expect(s.state).toBe('offline');
      await bob!.call('release.create', { name: 'Bob offline', version: '2.0.0' });
      expect((await bob!.pass()).state).toBe('offline');
      mountTmpfs(mnt, '8m');
      s = await ann!.pass();
      expect(s.state).toBe('offline');
      expect(readdirSync(mnt)).toEqual([]); // nothing written into a folder that is not ours

      // The folder is back: both catch up, nothing twice, nothing lost.
      cpSync(backup, shared, { recursive: true });
      await settle([ann!, bob!]);
      expect(releaseTitles(bob!)).toEqual(['Before', 'Bob offline', 'While away']);
      expect(digestOf(ann!)).toBe(digestOf(bob!));
      const ids = eventSet(ann!);
      expect(new Set(ids).size).toBe(ids.length);
      expect((await ann!.pass()).state).toBe('in_step');
    } finally {
      try {
        umount(mnt);
      } catch {
        // already unmounted
      }
    }
  });

  it('replaced by an empty dir: offline; by another war room: refused; back: catches up with no duplicates', async () => {
    const base = tempDir('wr-t12b-');
    const shared = join(base, 'share');
    mkdirSync(shared);
    const [ann, bob] = await team(shared, ['Ann', 'Bob']);
    await ann!.call('release.create', { name: 'One', version: '1.0.0' });
    await settle([ann!, bob!]);

    renameSync(shared, join(base, 'kept'));
    mkdirSync(shared);
    let s = await bob!.pass();
    expect(s.state).toBe('offline');
    await bob!.call('release.create', { name: 'Offline work', version: '2.0.0' });

    // Another war room's folder at the same path.
    rmSync(shared, { recursive: true });
    const other = join(base, 'other');
    mkdirSync(other);
    await peer('Zed', other);
    cpSync(other, shared, { recursive: true });
    s = await bob!.pass();
    expect(s.state).toBe('problem');
    expect(codes(s)).toContain('folder_mismatch');
    expect(existsSync(join(shared, 'devices', bob!.id()))).toBe(false); // nothing written into it
    expect(releaseTitles(bob!)).toEqual(['Offline work', 'One']); // no local data deleted

    rmSync(shared, { recursive: true });
    renameSync(join(base, 'kept'), shared);
    await settle([ann!, bob!]);
    expect(releaseTitles(ann!)).toEqual(['Offline work', 'One']);
    expect(digestOf(ann!)).toBe(digestOf(bob!));
    const ids = eventSet(ann!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ann!.core.ctx.store.verify().ok).toBe(true);
  });

  it('refuses to set up a folder of an unknown or newer format, or a non-empty foreign folder', async () => {
    const dir = tempDir('wr-fmt-');
    writeFileSync(join(dir, 'warroom-sync.json'), JSON.stringify({ format: 'warroom-sync', version: 2, workspaceId: 'abcdefgh12', genesis: {}, createdAt: '' }));
    await expect(peer('Ann', dir)).rejects.toThrow(/version 2.*understands up to 1/);
    const dir2 = tempDir('wr-fmt-');
    writeFileSync(join(dir2, 'warroom-sync.json'), JSON.stringify({ format: 'something-else' }));
    await expect(peer('Ann', dir2)).rejects.toThrow(/unknown format/);
    const dir3 = tempDir('wr-fmt-');
    writeFileSync(join(dir3, 'notes.txt'), 'hello');
    await expect(peer('Ann', dir3)).rejects.toThrow(/not empty/);
  });
});

describe('T5 disk full on the shared folder', () => {
  it('publish fails with a clear report, leaves no temp or partial file, keeps events unpublished, then publishes', async () => {
    const shared = tempDir('wr-t5-');
    mountTmpfs(shared, '256k');
    try {
      const ann = await peer('Ann', shared);
      // Fill the tmpfs, leaving a few KiB.
      const filler = join(shared, 'filler.bin');
      let size = 200 * 1024;
      for (;;) {
        try {
          writeFileSync(filler, Buffer.alloc(size));
          size += 8 * 1024;
        } catch {
          break;
        }
      }
      for (let i = 0; i < 60; i++) await ann.call('release.create', { name: `Release ${i} with a long enough name`, version: `${i}.0.0` });
      const s = await ann.pass();
      const failed = s.problems.find((p) => p.code === 'publish_failed');
      expect(failed?.message).toMatch(/disk is full/);
      expect(s.unpublished).toBeGreaterThan(0);
      const log = join(shared, 'devices', ann.id(), 'log');
      const names = readdirSync(log);
      expect(names.filter((n) => n.startsWith('.wr-'))).toEqual([]);
      // Only complete segments (the profile's, from the first pass) are there.
      for (const n of names) expect(parseSegmentName(n)?.to).toBe(1);
      rmSync(filler);
      const after = await ann.pass();
      expect(after.unpublished).toBe(0);
      expect(after.problems.filter((p) => p.code === 'publish_failed')).toEqual([]);
      const reader = await peer('Bob', shared);
      await reader.pass();
      expect(reader.core.ctx.store.heads().find((h) => h.device === ann.id())?.seq).toBe(61);
    } finally {
      umount(shared);
    }
  });
});

describe('T8 duplicated device identity (fork)', () => {
  it('detects the fork within one poll, keeps both branches, re-keys the copies before writing again', async () => {
    const shared = tempDir('wr-t8-');
    const [gen, ann] = await team(shared, ['Gen', 'Ann']);
    await ann!.call('release.create', { name: 'Common', version: '1.0.0' });
    await settle([gen!, ann!]);
    const annId = ann!.id();
    const forkSeq = ann!.core.ctx.store.heads().find((h) => h.self)!.seq + 1;
    // Copy Ann's data folder while she is closed (a cloned profile).
    ann!.core.close();
    const copyDir = tempDir('wr-t8-copy-');
    cpSync(ann!.dataDir, copyDir, { recursive: true });
    const a1 = await peer('Ann', shared, { dataDir: ann!.dataDir, profile: false });
    const a2 = await peer('Ann', shared, { dataDir: copyDir, profile: false });
    expect(a1.id()).toBe(annId);
    expect(a2.id()).toBe(annId);
    await a1.call('release.create', { name: 'Branch one', version: '2.0.0' });
    await a2.call('release.create', { name: 'Branch two', version: '3.0.0' });
    const s1 = await a1.pass();
    const s2 = await a2.pass();
    const s1again = await a1.pass();
    // Whichever published second sees the other's segment under its own id at once.
    const forks = [...s1.problems, ...s2.problems, ...s1again.problems].filter((p) => p.code === 'fork' && p.device === annId);
    expect(forks.length).toBeGreaterThan(0);
    expect(forks.map((p) => p.seq)).toEqual(forks.map(() => forkSeq));
    expect(forks[0]!.message).toMatch(/duplicated|forked/);
    // Both copies stopped writing as Ann: their next writes carry new ids.
    expect(a1.id() !== annId || a2.id() !== annId).toBe(true);
    expect(a2.id()).not.toBe(annId);
    await a2.call('release.create', { name: 'After re-key', version: '4.0.0' });
    const written = a2.core.ctx.store.readEvents(a2.id(), 0, 100);
    expect(written.at(-1)!.data).toMatchObject({ title: 'After re-key' });
    // Both branches survive in the folder (hash-named, no overwrite).
    const segs = readdirSync(join(shared, 'devices', annId, 'log')).map(parseSegmentName).filter(Boolean);
    const starts = segs.filter((s) => s!.from <= forkSeq && s!.to >= forkSeq);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    // No event lost: each branch is in its writer's database and in the folder.
    expect(releaseTitles(a1)).toContain('Branch one');
    expect(releaseTitles(a2)).toContain('Branch two');
    const genStatus = await gen!.pass();
    expect(genStatus.problems.some((p) => p.code === 'fork' && p.device === annId)).toBe(true);
  });
});

describe('keys and trust', () => {
  it('a device whose key changed is reported and its new events are held', async () => {
    const shared = tempDir('wr-key-');
    const [ann, bob] = await team(shared, ['Ann', 'Bob']);
    const bobId = bob!.id();
    // Someone replaces Bob's device.json with another key.
    const intruder = await peer('Eve', tempDir('wr-eve-'));
    const file = join(shared, 'devices', bobId, 'device.json');
    const eve = JSON.parse((await import('node:fs')).readFileSync(join(intruder.core.ctx.sync.status().folder!, 'devices', intruder.id(), 'device.json'), 'utf8'));
    writeFileSync(file, JSON.stringify({ ...eve, deviceId: bobId }));
    const s = await ann!.pass();
    const changed = s.problems.find((p) => p.code === 'key_changed');
    expect(changed).toMatchObject({ device: bobId });
    expect(changed!.message).toMatch(/held/);
  });

  it('revocation holds the revoked device’s later events on every device', async () => {
    const shared = tempDir('wr-rev-');
    const [ann, bob, cat] = await team(shared, ['Ann', 'Bob', 'Cat']);
    await bob!.call('release.create', { name: 'Bob one', version: '1.0.0' });
    await settle([ann!, bob!, cat!]);
    await ann!.call('sync.revoke', { device: bob!.id(), reason: 'laptop stolen' });
    await settle([ann!, bob!, cat!]);
    await bob!.call('release.create', { name: 'Bob two', version: '2.0.0' });
    await settle([ann!, bob!, cat!]);
    expect(releaseTitles(ann!)).toEqual(['Bob one']);
    expect(releaseTitles(cat!)).toEqual(['Bob one']);
    expect(digestOf(ann!)).toBe(digestOf(cat!));
    // Every device shows who admitted Bob and why he was revoked, not just "revoked".
    expect((await cat!.call<SyncStatus>('sync.status')).peers.find((p) => p.id === bob!.id())).toMatchObject({ admission: 'revoked', admittedBy: ann!.id(), revokedReason: 'laptop stolen' });
    expect((await bob!.call<SyncStatus>('sync.status')).peers.find((p) => p.id === ann!.id())).toMatchObject({ admission: 'admitted', admittedBy: 'genesis', revokedReason: null });
    // Rebuilding gives the same projection (the hold is part of the fold).
    ann!.core.ctx.store.rebuild();
    expect(digestOf(ann!)).toBe(digestOf(cat!));
  });
});

describe('T9 clock skew', () => {
  it('A +2 h, B −30 min, C +1 year: identical digests, C flagged, local HLC capped, a causal edit wins via pred', async () => {
    const shared = tempDir('wr-t9-');
    const hour = 3_600_000;
    const ann = await peer('Ann', shared, { skewMs: 2 * hour });
    const bob = await peer('Bob', shared, { skewMs: -30 * 60_000 });
    const cat = await peer('Cat', shared, { skewMs: 365 * 24 * hour });
    const all = [ann, bob, cat];
    for (const p of all) await p.pass();
    await ann.call('sync.admit', { device: bob.id() });
    await ann.call('sync.admit', { device: cat.id() });
    await settle(all);
    const rel = await ann.call<{ id: string }>('release.create', { name: 'Skewed', version: '1.0.0' });
    await settle(all);
    // Bob (slow clock) edits after seeing Ann's value: his edit wins whatever the clocks say.
    await bob.call('release.update', { id: rel.id, set: { name: 'Renamed by Bob' } });
    await cat.call('release.create', { name: 'From the future', version: '9.0.0' });
    // Bob's clock jumps backwards.
    bob.clock.now -= 2 * hour;
    await bob.call('release.create', { name: 'Backwards', version: '2.0.0' });
    await settle(all);
    expect(new Set(all.map(digestOf)).size).toBe(1);
    expect(releaseTitles(ann)).toContain('Renamed by Bob');
    const status = await ann.call<SyncStatus>('sync.status');
    expect(status.problems.find((p) => p.code === 'future_dated')).toMatchObject({ device: cat.id() });
    // Our clock was never dragged more than MAX_PULL past our own now.
    const last = ann.core.ctx.store.readEvents(ann.id(), 0, 1000).at(-1)!;
    await ann.call('release.create', { name: 'After', version: '3.0.0' });
    const mine = ann.core.ctx.store.readEvents(ann.id(), last.seq, 10).at(-1)!;
    expect(Number(mine.hlc.slice(0, 13))).toBeLessThanOrEqual(ann.clock.now + MAX_PULL_MS);
  });
});

// Set-up, push, pull, admission: the happy path on real folders with real databases.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSegmentName } from '../../../src/shared/sync/names.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { digestOf, eventSet, peer, releaseTitles, settle, sha, team } from './harness.ts';

describe('sync set-up, push and pull', () => {
  it('initialises an empty folder, joins it, holds a joiner until admitted, then converges', async () => {
    const shared = tempDir('wr-shared-');
    const ann = await peer('Ann', shared);
    const marker = JSON.parse(readFileSync(join(shared, 'warroom-sync.json'), 'utf8'));
    expect(marker).toMatchObject({ format: 'warroom-sync', version: 1, genesis: { deviceId: ann.id() } });

    await ann.call('release.create', { name: 'Search 3.8', version: '3.8.0' });
    await ann.pass();
    const bob = await peer('Bob', shared);
    await bob.pass();
    expect(releaseTitles(bob)).toEqual(['Search 3.8']);
    expect((await bob.call<{ device: { admission: string } }>('sync.status')).device.admission).toBe('waiting');

    await bob.call('release.create', { name: 'Bob’s release', version: '1.0.0' });
    await bob.pass();
    await ann.pass();
    // Stored but not folded until admitted.
    expect(releaseTitles(ann)).toEqual(['Search 3.8']);
    expect(eventSet(ann).some((id) => id.startsWith(`${bob.id()}:`))).toBe(true);
    const waiting = (await ann.call<{ peers: { id: string; admission: string; fingerprint: string }[] }>('sync.status')).peers.find((p) => p.id === bob.id());
    expect(waiting).toMatchObject({ admission: 'waiting', fingerprint: bob.core.ctx.store.device().fingerprint });

    await ann.call('sync.admit', { device: bob.id() });
    expect(releaseTitles(ann)).toEqual(['Bob’s release', 'Search 3.8']);
    await settle([ann, bob]);
    expect(releaseTitles(bob)).toEqual(['Bob’s release', 'Search 3.8']);
    expect(digestOf(ann)).toBe(digestOf(bob));
    expect(eventSet(ann)).toEqual(eventSet(bob));

    // Segments are hash-named, contiguous, newline-terminated; head.json is a signed receipt.
    for (const p of [ann, bob]) {
      const log = join(shared, 'devices', p.id(), 'log');
      const names = readdirSync(log).filter((n) => parseSegmentName(n));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const bytes = readFileSync(join(log, name));
        expect(sha(bytes).slice(0, 16)).toBe(parseSegmentName(name)!.h16);
        expect(bytes.at(-1)).toBe(0x0a);
      }
      expect(existsSync(join(shared, 'devices', p.id(), 'device.json'))).toBe(true);
    }
    const head = JSON.parse(readFileSync(join(shared, 'devices', ann.id(), 'head.json'), 'utf8'));
    expect(head.ingested[bob.id()].seq).toBe(bob.core.ctx.store.heads().find((h) => h.self)!.seq);
    const status = await ann.call<{ state: string; peers: { id: string; hasOurs: number; person: string }[] }>('sync.status');
    expect(status.state).toBe('in_step');
    expect(status.peers.find((p) => p.id === bob.id())).toMatchObject({ person: 'Bob', hasOurs: ann.core.ctx.store.heads().find((h) => h.self)!.seq });
  });

  it('names a peer by the person now at it, also when it joined before its first-run', async () => {
    const shared = tempDir('wr-shared-');
    const ann = await peer('Ann', shared);
    const bob = await peer('Bob', shared, { profile: false });
    await bob.pass();
    await ann.pass();
    await ann.call('sync.admit', { device: bob.id() });
    await bob.call('profile.set', { name: 'Bob Ortiz', role: 'engineer' });
    await settle([ann, bob]);
    const personOf = async () =>
      (await ann.call<{ peers: { id: string; person: string | null }[] }>('sync.status')).peers.find((p) => p.id === bob.id())?.person;
    expect(await personOf()).toBe('Bob Ortiz');
    await bob.call('profile.set', { name: 'Roberto Ortiz', role: 'engineer' });
    await settle([ann, bob]);
    expect(await personOf()).toBe('Roberto Ortiz');
  });

  it('converges three devices and reports every event everywhere', async () => {
    const shared = tempDir('wr-shared-');
    const peers = await team(shared, ['Ann', 'Bob', 'Cat']);
    for (const [i, p] of peers.entries()) await p.call('release.create', { name: `R${i}`, version: `${i}.0.0` });
    await settle(peers);
    const digests = new Set(peers.map(digestOf));
    expect(digests.size).toBe(1);
    expect(releaseTitles(peers[2]!)).toEqual(['R0', 'R1', 'R2']);
    expect(new Set(peers.map((p) => eventSet(p).join()))).toHaveProperty('size', 1);
  });

  it('one-shot passes (CLI: no running engine) pull every device, not just the first', async () => {
    // Regression: an engine that never starts its timers counted as "closed" and returned from
    // the pull loop after the first device folder, so later devices were never pulled.
    const shared = tempDir('wr-oneshot-');
    const sync = { run: false };
    const peers = [await peer('Ann', shared, { sync })];
    await peers[0]!.call('sync.now');
    for (const name of ['Bob', 'Cat', 'Dan']) peers.push(await peer(name, shared, { sync }));
    for (const p of peers) await p.call('sync.now');
    for (const p of peers.slice(1)) await peers[0]!.call('sync.admit', { device: p.id() });
    for (const p of peers) await p.call('release.create', { name: `R ${p.name}`, version: '1.0.0' });
    for (let round = 0; round < 2; round++) for (const p of peers) await p.call('sync.now');
    expect(peers[0]!.core.ctx.sync.engine).toBeNull();
    for (const p of peers) expect(releaseTitles(p), p.name).toEqual(['R Ann', 'R Bob', 'R Cat', 'R Dan']);
    expect(new Set(peers.map((p) => eventSet(p).join()))).toHaveProperty('size', 1);
    expect(new Set(peers.map(digestOf))).toHaveProperty('size', 1);
  });
});

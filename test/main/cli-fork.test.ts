// A one-shot CLI write from a copied data folder (a cloned profile or a restored backup) checks
// for a duplicated identity before it signs, as the app's first sync pass does: the copy re-keys
// and its write goes out under the new id, never as a second branch of the original device.
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../src/shared/sync/status.ts';
import { cliIn } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

/** Every event line the shared folder holds under a device id. */
function published(shared: string, device: string): string[] {
  const log = join(shared, 'devices', device, 'log');
  return readdirSync(log).filter((n) => n.endsWith('.ndjson')).flatMap((n) => readFileSync(join(log, n), 'utf8').split('\n').filter(Boolean));
}

describe('CLI writes and a duplicated identity', () => {
  it('a copied data folder re-keys before its first CLI write; the original keeps its id', async () => {
    const base = tempDir('wr-cli-fork-');
    const shared = join(base, 'shared');
    const ann = cliIn(join(base, 'ann'));
    expect((await ann('init', '--name', 'Ann Lee', '--role', 'coordinator')).code).toBe(0);
    expect((await ann('sync', 'init', shared)).code).toBe(0);
    expect((await ann('release', 'create', '--name', 'Common', '--version', '1.0.0')).code).toBe(0);
    expect((await ann('sync', '--once')).code).toBe(0);
    const annId = (JSON.parse((await ann('sync', 'status', '--json')).out) as SyncStatus).device.id;

    // The profile is copied to another laptop; the original goes on writing and publishing.
    cpSync(join(base, 'ann'), join(base, 'copy'), { recursive: true });
    const copy = cliIn(join(base, 'copy'));
    expect((await ann('release', 'create', '--name', 'Original branch', '--version', '2.0.0')).code).toBe(0);
    expect((await ann('sync', '--once')).code).toBe(0);

    // The copy's first write: the fork is found and said, the copy re-keys, then it writes.
    const write = await copy('release', 'create', '--name', 'Written by the copy', '--version', '3.0.0');
    expect(write.code).toBe(0);
    expect(write.err).toMatch(new RegExp(`warroom: Device ${annId} was duplicated .*This device now writes as [0-9a-f]{16}`));
    const copyId = (JSON.parse((await copy('sync', 'status', '--json')).out) as SyncStatus).device.id;
    expect(copyId).not.toBe(annId);
    // A second write says nothing more: the copy is itself now.
    const again = await copy('release', 'create', '--name', 'Second copy write', '--version', '3.1.0');
    expect(again).toMatchObject({ code: 0, err: '' });
    expect((await copy('sync', '--once')).code).toBe(0);

    // Under Ann's id the folder holds only Ann's branch; the copy's writes are under its new id.
    const annLines = published(shared, annId).join('\n');
    expect(annLines).toContain('Original branch');
    expect(annLines).not.toContain('Written by the copy');
    expect(published(shared, copyId).join('\n')).toContain('Written by the copy');
    // The original device was not touched.
    expect((JSON.parse((await ann('sync', 'status', '--json')).out) as SyncStatus).device.id).toBe(annId);
    expect((await ann('release', 'create', '--name', 'Ann again', '--version', '4.0.0')).err).toBe('');
  });
});

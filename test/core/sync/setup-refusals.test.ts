// `sync.setup` refusals through dispatch with real folders: each kind carries its stable reason
// (SETUP_REFUSALS), so the Sync view and scripts never match message text; the reason survives
// the JSON an HTTP or IPC transport carries.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, errorFromShape, isApiErrorShape, type ApiErrorShape } from '../../../src/shared/api/errors.ts';
import { SETUP_REFUSALS } from '../../../src/shared/sync/status.ts';
import { generateKeys } from '../../../src/main/core/store/identity.ts';
import { SYNC_CONFIG_FILE } from '../../../src/main/core/sync/config.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { peer, type Peer } from './harness.ts';

async function setupError(p: Peer, folder: string): Promise<ApiErrorShape> {
  const result = await p.core.dispatch('sync.setup', { folder });
  if (result.ok) throw new Error(`${folder} was not refused`);
  return result.error;
}

/** A device with a profile and no shared folder yet. */
const loner = (name: string, dataDir?: string) => peer(name, '', { sync: { folder: undefined }, ...(dataDir ? { dataDir } : {}) });

describe('sync.setup refusals carry a reason', () => {
  it('refuses a non-empty folder, foreign and newer formats, an unreadable marker and an uncreatable path', async () => {
    const base = tempDir('wr-refuse-');
    const ann = await loner('Ann');
    const dir = (name: string, files: Record<string, string> = {}) => {
      const path = join(base, name);
      mkdirSync(path);
      for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
      return path;
    };

    const notEmpty = await setupError(ann, dir('not-empty', { 'notes.txt': 'someone else’s\n' }));
    expect(notEmpty).toMatchObject({ code: 'invalid_input', field: 'folder', reason: 'not_empty' });
    expect(notEmpty.message).toMatch(/is not empty and is not a Release War Room sync folder/);

    const foreign = await setupError(ann, dir('foreign', { 'warroom-sync.json': '{"format":"something-else","version":1}' }));
    expect(foreign).toMatchObject({ code: 'invalid_input', reason: 'format_unsupported' });
    expect(foreign.message).toMatch(/unknown format \("something-else"\)/);

    const newer = await setupError(ann, dir('newer', { 'warroom-sync.json': '{"format":"warroom-sync","version":99}' }));
    expect(newer).toMatchObject({ code: 'invalid_input', reason: 'format_newer' });
    expect(newer.message).toMatch(/version 99; this app understands up to 1\. Update the app/);

    const malformed = await setupError(ann, dir('malformed', { 'warroom-sync.json': '{"format":"warroom-sync","version":1}' }));
    expect(malformed).toMatchObject({ reason: 'format_unsupported' });

    const half = await setupError(ann, dir('half', { 'warroom-sync.json': '{"format":"warr' }));
    expect(half).toMatchObject({ code: 'unavailable', reason: 'unreadable' });
    expect(half.message).toMatch(/not valid JSON/);

    const blocked = join(dir('file-parent', { 'a-file': 'x' }), 'a-file', 'sub');
    const cannot = await setupError(ann, blocked);
    expect(cannot).toMatchObject({ code: 'invalid_input', reason: 'cannot_create' });
    expect(cannot.message).toContain(blocked);

    // Nothing was written into any refused folder.
    expect(readFileSync(join(base, 'newer', 'warroom-sync.json'), 'utf8')).toBe('{"format":"warroom-sync","version":99}');
    expect((await ann.call<{ state: string }>('sync.status')).state).toBe('not_configured');
  });

  it('refuses another war room, another genesis, a changed genesis key and a new room for a device already in one', async () => {
    const base = tempDir('wr-refuse-room-');
    const roomA = join(base, 'room-a');
    const roomB = join(base, 'room-b');
    const ann = await peer('Ann', roomA);
    const bob = await peer('Bob', roomB);

    // Ann syncs with room A: room B is another war room.
    expect(await setupError(ann, roomB)).toMatchObject({ code: 'conflict', reason: 'other_workspace' });
    // An empty folder would start a new war room, but Ann already belongs to one.
    const empty = join(base, 'empty');
    mkdirSync(empty);
    expect(await setupError(ann, empty)).toMatchObject({ code: 'conflict', reason: 'already_in_war_room' });

    // Bob's sync settings are lost, but his data belongs to the room Bob started.
    bob.core.close();
    rmSync(join(bob.dataDir, SYNC_CONFIG_FILE));
    const bobAgain = await peer('Bob', '', { dataDir: bob.dataDir, sync: { folder: undefined }, profile: false });
    expect(await setupError(bobAgain, roomA)).toMatchObject({ code: 'conflict', reason: 'other_genesis' });

    // A copy of room A whose marker names Ann with another key than Cat pinned when joining.
    const cat = await peer('Cat', roomA);
    const forged = join(base, 'forged');
    mkdirSync(forged);
    const marker = JSON.parse(readFileSync(join(roomA, 'warroom-sync.json'), 'utf8')) as { genesis: { publicKey: string } };
    marker.genesis.publicKey = generateKeys('x').publicKey.toString('base64url');
    writeFileSync(join(forged, 'warroom-sync.json'), JSON.stringify(marker));
    const mismatch = await setupError(cat, forged);
    expect(mismatch).toMatchObject({ code: 'conflict', reason: 'genesis_key_mismatch' });
    expect(mismatch.message).toMatch(/has another key than the one this device knows/);
  });

  it('keeps the reason through the JSON a transport carries, and every reason is declared', () => {
    const shape = JSON.parse(JSON.stringify(new ApiError('invalid_input', 'newer', 'folder', 'format_newer'))) as unknown;
    expect(isApiErrorShape(shape)).toBe(true);
    expect(errorFromShape(shape as ApiErrorShape)).toMatchObject({ code: 'invalid_input', field: 'folder', reason: 'format_newer' });
    expect(isApiErrorShape({ code: 'conflict', message: 'm', reason: 7 })).toBe(false);
    expect(new ApiError('conflict', 'm').toJSON()).toEqual({ code: 'conflict', message: 'm' });
    expect(new Set(SETUP_REFUSALS).size).toBe(SETUP_REFUSALS.length);
  });
});

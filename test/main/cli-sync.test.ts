// `warroom sync …` in-process, two data folders on one real shared folder: a refused set-up with
// its reason (--json), who admitted each device and why one was revoked (text and --json), and
// `sync repair` printing its plan and writing only with --yes.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSegmentName } from '../../src/shared/sync/names.ts';
import type { PeerStatus, RepairPlan, RepairResult, SyncStatus } from '../../src/shared/sync/status.ts';
import { cliIn } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('warroom sync', () => {
  it('refuses a newer folder with its reason, shows trust details, and repairs only with --yes', async () => {
    const base = tempDir('wr-cli-sync-');
    const shared = join(base, 'shared');
    const newer = join(base, 'newer');
    mkdirSync(newer);
    writeFileSync(join(newer, 'warroom-sync.json'), '{"format":"warroom-sync","version":3}');
    const ann = cliIn(join(base, 'ann'));
    const bob = cliIn(join(base, 'bob'));
    expect((await ann('init', '--name', 'Ann Lee', '--role', 'coordinator')).code).toBe(0);
    expect((await bob('init', '--name', 'Bob Roy', '--role', 'lead')).code).toBe(0);

    // A refusal: the message in text; with --json the code, field and reason.
    const refused = await ann('sync', 'init', newer);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/uses sync format version 3; this app understands up to 1\. Update the app on this device to use it\. \(invalid_input: format_newer\)\n$/);
    const refusedJson = await ann('sync', 'init', newer, '--json');
    expect(refusedJson.code).toBe(1);
    expect(JSON.parse(refusedJson.out)).toMatchObject({ error: { code: 'invalid_input', field: 'folder', reason: 'format_newer' } });

    expect((await ann('sync', 'init', shared)).code).toBe(0);
    const joined = JSON.parse((await bob('sync', 'init', shared, '--json')).out) as SyncStatus;
    expect(joined.device.admission).toBe('waiting');
    const annId = JSON.parse((await ann('sync', 'devices', '--json')).out).self.id as string;
    const bobId = joined.device.id;
    expect((await ann('sync', 'admit', bobId)).code).toBe(0);

    // Bob publishes three times; Ann takes it all.
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
      expect((await bob('release', 'create', '--name', `Bob ${v}`, '--version', v)).code).toBe(0);
      expect((await bob('sync', '--once')).code).toBe(0);
    }
    expect((await ann('sync', '--once')).code).toBe(0);

    // Bob's folder is restored from an old version: his later segments are gone.
    const bobLog = join(shared, 'devices', bobId, 'log');
    const segments = readdirSync(bobLog).filter((n) => parseSegmentName(n)).sort();
    for (const name of segments.slice(1)) rmSync(join(bobLog, name));
    const lostFrom = parseSegmentName(segments[0]!)!.to + 1;

    const plan = await ann('sync', 'repair', bobId);
    expect(plan.code).toBe(0);
    expect(plan.out).toMatch(new RegExp(`^Repair of device ${bobId} \\(Bob Roy\\): this database holds seq 1–(\\d+); its log folder lacks seq ${lostFrom}–\\1 \\(\\d+ events\\)\\.`));
    expect(plan.out).toMatch(/Files to write \(1\), byte-identical to what the device signed:\n {2}devices\/\S+\.ndjson {2}seq \d+–\d+, \d+ events\n/);
    expect(plan.out).toMatch(/Run again with --yes to write them\.\n$/);
    expect(readdirSync(bobLog).filter((n) => parseSegmentName(n))).toEqual([segments[0]]);

    const planJson = JSON.parse((await ann('sync', 'repair', bobId, '--json')).out) as RepairPlan;
    const repaired = JSON.parse((await ann('sync', 'repair', bobId, '--yes', '--json')).out) as RepairResult;
    expect(repaired.written).toEqual(planJson.files.map((f) => f.path));
    expect(repaired.after.missing).toEqual([]);
    const done = await ann('sync', 'repair', bobId, '--yes');
    expect(done.out).toMatch(/^Nothing to repair: every event of device \S+ \(Bob Roy\) this database holds \(seq 1–\d+\) is in a valid segment/);
    expect((await ann('sync', 'repair', annId)).err).toMatch(/its own log is published by every sync pass, not repaired\. \(invalid_input: own_device\)\n$/);
    const ownJson = await ann('sync', 'repair', annId, '--json');
    expect(ownJson.code).toBe(1);
    expect(JSON.parse(ownJson.out)).toMatchObject({ error: { code: 'invalid_input', field: 'device', reason: 'own_device' } });

    // Trust details: who admitted whom, and why a device was revoked.
    expect((await ann('sync', 'revoke', bobId, '--reason', 'laptop stolen')).code).toBe(0);
    const annDevices = await ann('sync', 'devices');
    expect(annDevices.out).toMatch(/admission\s+admitted by\s+revoked because/);
    expect(annDevices.out).toMatch(new RegExp(`${bobId}\\s+Bob Roy\\s+\\S+\\s+revoked\\s+this device\\s+laptop stolen`));
    const annJson = JSON.parse((await ann('sync', 'devices', '--json')).out) as { peers: PeerStatus[] };
    expect(annJson.peers.find((p) => p.id === bobId)).toMatchObject({ admission: 'revoked', admittedBy: annId, revokedReason: 'laptop stolen' });

    expect((await bob('sync', '--once')).code).toBe(0);
    const bobDevices = await bob('sync', 'devices');
    expect(bobDevices.out).toMatch(new RegExp(`${annId}\\s+Ann Lee\\s+\\S+\\s+admitted\\s+started the war room\\s+—`));
    const bobJson = JSON.parse((await bob('sync', 'devices', '--json')).out) as { peers: PeerStatus[] };
    expect(bobJson.peers.find((p) => p.id === annId)).toMatchObject({ admittedBy: 'genesis', revokedReason: null });
  });
});

// T2: a writer killed with SIGKILL at each publish step (and at random moments). The folder only
// ever holds complete, hash-valid segments plus our temp files; a restart republishes; a reader
// ends with every event exactly once.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSegmentName } from '../../../src/shared/sync/names.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { eventSet, peer, sha } from './harness.ts';

const CHILD = join(import.meta.dirname, 'writer-child.ts');
// `node --import tsx` (not the tsx wrapper): SIGKILL must hit the process that writes.
const NODE_ARGS = ['--import', 'tsx', CHILD];
const SEED = Number(process.env.WR_SEED ?? 7);

function runChild(dataDir: string, shared: string, count: number, fail?: string) {
  return spawnSync(process.execPath, [...NODE_ARGS, dataDir, shared, String(count)], { env: { ...process.env, WR_FAIL: fail ?? '' }, encoding: 'utf8', timeout: 60_000 });
}

function checkFolder(shared: string): void {
  for (const device of readdirSync(join(shared, 'devices'))) {
    const log = join(shared, 'devices', device, 'log');
    for (const name of readdirSync(log)) {
      const seg = parseSegmentName(name);
      if (!seg) {
        expect(name, `only segments and our temp files in ${log}`).toMatch(/^\.wr-[0-9a-f-]+\.tmp$/);
        continue;
      }
      const bytes = readFileSync(join(log, name));
      expect(sha(bytes).slice(0, 16), `${name} is complete`).toBe(seg.h16);
      expect(bytes.toString('utf8').trimEnd().split('\n')).toHaveLength(seg.to - seg.from + 1);
    }
  }
}

describe('T2 kill -9 during publish', () => {
  it('at every failpoint: only complete segments, the restart republishes, the reader gets each event once', async () => {
    const shared = tempDir('wr-t2-');
    const reader = await peer('Gen', shared);
    const dataDir = tempDir('wr-t2-writer-');
    let writerId = '';
    for (const fail of ['after-write', 'after-fsync', 'after-rename', 'before-watermark']) {
      const killed = runChild(dataDir, shared, 3, fail);
      expect(killed.signal, `${fail}: ${killed.stderr}`).toBe('SIGKILL');
      checkFolder(shared);
      const restarted = runChild(dataDir, shared, 0);
      expect(restarted.status, restarted.stderr).toBe(0);
      writerId = restarted.stdout.match(/DONE (\w+)/)![1]!;
      checkFolder(shared);
    }
    // Random SIGKILLs while publishing larger batches.
    let rnd = SEED;
    for (let i = 0; i < 4; i++) {
      rnd = (rnd * 1103515245 + 12345) % 2 ** 31;
      const child = spawn(process.execPath, [...NODE_ARGS, dataDir, shared, '40'], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      // Past start-up (~1.3 s here), inside the writes and publishes.
      await Promise.race([exited, new Promise((r) => setTimeout(r, 1200 + (rnd % 1500)))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      checkFolder(shared);
    }
    expect(runChild(dataDir, shared, 0).status).toBe(0);
    await reader.pass();
    const { openCore } = await import('../../../src/main/core/core.ts');
    const writer = openCore({ dataDir, log: () => {} });
    try {
      const mine = writer.ctx.store.readEvents(writerId, 0, 1_000_000).map((e) => `${e.id}#${e.hash.slice(0, 12)}`);
      const theirs = eventSet(reader).filter((id) => id.startsWith(`${writerId}:`));
      expect(theirs).toEqual(mine.sort());
      expect(new Set(theirs).size).toBe(theirs.length);
      expect(mine.length).toBeGreaterThan(12);
    } finally {
      writer.close();
    }
  }, 120_000);
});

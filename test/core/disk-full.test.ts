// T4: the data folder's disk fills up. Runs on a real 2 MB tmpfs (CI runs as root). Without
// permission to mount, this test fails: a silently skipped disk-full test proves nothing.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/api/errors.ts';
import { openStore, type Store } from '../../src/main/core/store/index.ts';
import { openCore } from '../../src/main/core/core.ts';
import { tempDir, tick } from './helpers.ts';

const mounted: string[] = [];

afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', [dir]);
});

function mountTmpfs(size: string): string {
  const dir = tempDir('wr-t4-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `T4 needs to mount a tmpfs (run the tests as root, as CI does): ${(error as { stderr?: Buffer }).stderr?.toString().trim() || String(error)}`,
    );
  }
  mounted.push(dir);
  return dir;
}

/** Writes zeros until the file system refuses; returns the filler's path. */
function fillDisk(dir: string): string {
  const path = join(dir, 'filler.bin');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

function firstFailure(store: Store, from: number): { error: unknown; written: string[] } {
  const written: string[] = [];
  for (let i = 0; i < 5000; i++) {
    try {
      written.push(store.appendEvents([tick('r1', `s${from + i}`)])[0]!.id);
    } catch (error) {
      return { error, written };
    }
  }
  throw new Error('the disk never filled up');
}

describe('T4: disk full on the data folder', () => {
  it('refuses the tick with a clear error, keeps the database whole and readable, and works again once space is freed', async () => {
    const dir = mountTmpfs('2m');
    const store = openStore({ dataDir: dir, log: () => {} });
    try {
      store.setProfile({ name: 'Ada', role: 'engineer' });
      const before = store.appendEvents(Array.from({ length: 20 }, (_, i) => tick('r1', `s${i}`))).map((e) => e.id);

      const filler = fillDisk(dir);
      const { error, written } = firstFailure(store, 100);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'storage_full' });
      expect((error as Error).message).toMatch(/disk .*full/i);

      // Nothing half-written: exactly the events that returned are stored, and they verify.
      const ids = store.readEvents(store.device().id, 0, 100_000).map((e) => e.id);
      expect(ids.slice(-(before.length + written.length))).toEqual([...before, ...written]);
      expect(store.verify().ok).toBe(true);
      // The UI still reads, in this process and in another one (the CLI, `serve`).
      expect(store.timeline({ release: 'r1', limit: 5 }).items).toHaveLength(5);
      expect(store.profile()?.name).toBe('Ada');
      const core = openCore({ dataDir: dir, log: () => {} });
      try {
        expect(await core.dispatch('timeline.page', { release: 'r1', limit: 3 })).toMatchObject({ ok: true });
        const failed = await core.dispatch('profile.set', { name: 'Ada L.', role: 'engineer' });
        expect(failed).toMatchObject({ ok: false, error: { code: 'storage_full' } });
      } finally {
        core.close();
      }
      const raw = new Database(join(dir, 'warroom.db'), { readonly: true });
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        raw.close();
      }

      // Space comes back: the same tick now succeeds and nothing was lost.
      rmSync(filler);
      const [retried] = store.appendEvents([tick('r1', 's-retry')]);
      const after = store.readEvents(store.device().id, 0, 100_000).map((e) => e.id);
      expect(after.slice(-(before.length + written.length + 1))).toEqual([...before, ...written, retried!.id]);
      expect(store.verify().ok).toBe(true);
      expect(store.rebuild().unchanged).toBe(true);
    } finally {
      store.close();
    }
  });
});

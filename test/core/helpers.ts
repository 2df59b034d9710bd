// Shared test plumbing: a fresh data folder per test, opened stores closed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type OpenStoreOptions, type Store } from '../../src/main/core/store/index.ts';

const cleanups: (() => void)[] = [];

afterEach(() => {
  while (cleanups.length > 0) {
    try {
      cleanups.pop()!();
    } catch {
      // a test may already have closed it
    }
  }
});

export function tempDir(prefix = 'wr-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.unshift(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a store that is closed after the test; silent unless the test passes a log. */
export function open(options: Partial<OpenStoreOptions> & { dataDir?: string } = {}): Store {
  const store = openStore({ log: () => {}, ...options, dataDir: options.dataDir ?? tempDir() });
  cleanups.push(() => store.close());
  return store;
}

/** A store with a profile, ready to append. */
export function openWithProfile(options: Partial<OpenStoreOptions> = {}, name = 'Ada', role: 'coordinator' | 'approver' | 'engineer' | 'lead' = 'coordinator'): Store {
  const store = open(options);
  store.setProfile({ name, role });
  return store;
}

export function tick(release: string, step: string, done = true) {
  return { type: 'step.ticked', entity: { kind: 'step', id: step }, data: { release, done } };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
  let now = start;
  const clock = () => now;
  clock.set = (ms: number) => {
    now = ms;
  };
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

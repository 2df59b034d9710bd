// Shared test plumbing: a fresh data folder per test, opened stores closed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { openStore, type OpenStoreOptions, type Store } from '../../src/main/core/store/index.ts';

const cleanups: (() => void)[] = [];
/** Stores and folders made in beforeAll live until the file's tests are done. */
const fileCleanups: (() => void)[] = [];
let scope: 'test' | 'file' = 'test';

function drain(list: (() => void)[]): void {
  while (list.length > 0) {
    try {
      list.pop()!();
    } catch {
      // a test may already have closed it
    }
  }
}

afterEach(() => drain(cleanups));
afterAll(() => drain(fileCleanups));

/** Runs `fn` (typically in beforeAll) so what it opens outlives each test. */
export function forTheFile<T>(fn: () => T): T {
  scope = 'file';
  try {
    return fn();
  } finally {
    scope = 'test';
  }
}

function register(cleanup: () => void, first = false): void {
  const list = scope === 'file' ? fileCleanups : cleanups;
  if (first) list.unshift(cleanup);
  else list.push(cleanup);
}

export function tempDir(prefix = 'wr-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  register(() => rmSync(dir, { recursive: true, force: true }), true);
  return dir;
}

/** Opens a store that is closed after the test; silent unless the test passes a log. */
export function open(options: Partial<OpenStoreOptions> & { dataDir?: string } = {}): Store {
  const store = openStore({ log: () => {}, ...options, dataDir: options.dataDir ?? tempDir() });
  register(() => store.close());
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

/** `call` (the value, or throws code: message) and `fails` (the refusal, or throws) on a core's dispatch. */
export function callers(core: { dispatch(method: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string; field?: string } }> }) {
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await core.dispatch(method, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  const fails = async (method: string, input: unknown) => {
    const result = await core.dispatch(method, input);
    if (result.ok) throw new Error(`${method} should have been refused`);
    return result.error;
  };
  return { call, fails };
}

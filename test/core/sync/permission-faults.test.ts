// T12 "chmod 000": the shared folder, or one device's log folder, loses its permissions. The
// affected device runs in its own process without root's permission override (CAP_DAC_OVERRIDE,
// CAP_DAC_READ_SEARCH dropped), keeps working locally, reports the problem, and catches up by
// itself once the permissions are back. The other device runs in this process.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncStatus } from '../../../src/shared/sync/status.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { digestOf, eventSet, peer, releaseTitles, type Peer } from './harness.ts';

const CHILD = join(import.meta.dirname, 'permission-child.ts');
const POLL_MS = 200;
// Root reads and writes through any permission bits; without these two capabilities it cannot.
const DROP = ['/usr/bin/setpriv', '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-dac_override,-dac_read_search', '--'];

interface Holdings {
  id: string;
  digest: string;
  events: string[];
  titles: string[];
  verified: boolean;
}

/** A device in its own, unprivileged process (see permission-child.ts). */
interface Remote {
  id: string;
  stderr: () => string;
  alive: () => boolean;
  request<T>(op: string, fields?: object): Promise<T>;
  call<T = unknown>(method: string, input?: unknown): Promise<T>;
  pass(): Promise<SyncStatus>;
  holdings(): Promise<Holdings>;
}

const children: ChildProcessByStdio<Writable, Readable, Readable>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function remote(name: string, shared: string): Promise<Remote> {
  const node = [process.execPath, '--import', 'tsx', CHILD, tempDir(`wr-t12p-${name}-`), shared, name, String(POLL_MS)];
  const root = process.getuid?.() === 0;
  if (root) expect(existsSync(DROP[0]!), `as root this test needs ${DROP[0]} (util-linux) to drop the capabilities`).toBe(true);
  const [command, ...args] = root ? [...DROP, ...node] : node;
  const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const died = () => new Error(`${name}'s process ended (exit ${child.exitCode}, signal ${child.signalCode}); stderr:\n${stderr}`);
  child.on('exit', () => {
    for (const w of waiting.values()) w.reject(died());
    waiting.clear();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as { id: number; ok: boolean; value?: unknown; error?: string };
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) w?.resolve(reply.value);
    else w?.reject(new Error(reply.error));
  });
  let next = 0;
  const pending = (id: number) => new Promise<unknown>((resolve, reject) => (child.exitCode === null ? waiting.set(id, { resolve, reject }) : reject(died())));
  const ready = pending(0);
  const request = <T,>(op: string, fields: object = {}): Promise<T> => {
    const id = ++next;
    const reply = pending(id);
    child.stdin.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    return reply as Promise<T>;
  };
  const id = (await ready) as string;
  return {
    id,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    request,
    call: (method, input = {}) => request('call', { method, input }),
    pass: () => request('pass'),
    holdings: () => request('holdings'),
  };
}

/** Every file below `dir`, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

/**
 * Passes on the local peer until the remote holds exactly what it holds and has nothing left to
 * publish. The remote is never told to sync: its own polling has to get it there.
 */
async function caughtUp(local: Peer, other: Remote): Promise<{ held: Holdings; status: SyncStatus }> {
  let last = '';
  for (let round = 0; round < 100; round++) {
    await local.pass();
    const [held, status] = [await other.holdings(), await other.request<SyncStatus>('status')];
    if (status.unpublished === 0 && held.events.join() === eventSet(local).join() && status.state === 'in_step') return { held, status };
    last = `state ${status.state}, unpublished ${status.unpublished}, remote ${held.events.length} events, local ${eventSet(local).length}; problems: ${status.problems.map((p) => p.message).join(' | ')}`;
    await sleep(POLL_MS);
  }
  throw new Error(`${other.id} did not catch up by itself: ${last}`);
}

/** Ann in this process (genesis), Bob unprivileged in his own; Bob admitted, both in step. */
async function pair(): Promise<{ shared: string; ann: Peer; bob: Remote }> {
  const shared = tempDir('wr-t12p-shared-');
  const ann = await peer('Ann', shared);
  const bob = await remote('Bob', shared);
  // The test proves nothing if Bob can read a 000 folder: fail loudly, never pass silently.
  const locked = tempDir('wr-t12p-locked-');
  chmodSync(locked, 0o000);
  expect(await bob.request('probe', { path: locked }), 'the child must get EACCES on a chmod 000 folder (is the privilege drop working?)').toBe('EACCES');
  await ann.pass();
  await ann.call('sync.admit', { device: bob.id });
  await ann.call('release.create', { name: 'Before', version: '1.0.0' });
  await bob.call('release.create', { name: 'Bob before', version: '1.1.0' });
  await caughtUp(ann, bob);
  return { shared, ann, bob };
}

/** Same events on both, each once, same projection, nothing deleted from the folder. */
async function expectConverged(ann: Peer, bob: Remote, shared: string, filesBefore: string[], titles: string[]): Promise<void> {
  const { held } = await caughtUp(ann, bob);
  expect(held.titles).toEqual(titles);
  expect(releaseTitles(ann)).toEqual(titles);
  expect(held.digest).toBe(digestOf(ann));
  expect(new Set(held.events).size).toBe(held.events.length);
  expect(held.verified).toBe(true);
  const now = files(shared);
  expect(filesBefore.filter((f) => !now.includes(f)), 'nothing in the shared folder was deleted').toEqual([]);
  expect(bob.alive(), `Bob's process is still running; stderr:\n${bob.stderr()}`).toBe(true);
  expect(bob.stderr()).not.toMatch(/pass failed/);
}

describe('T12 chmod 000 (the affected device cannot bypass permissions)', () => {
  it('shared folder unreadable: offline with the path and what to do, work goes on locally, catches up by itself', async () => {
    const { shared, ann, bob } = await pair();
    const before = files(shared);
    chmodSync(shared, 0o000);
    try {
      let s = await bob.pass();
      expect(s.state).toBe('offline');
      const problem = s.problems.find((p) => p.code === 'folder_unavailable')!;
      expect(problem.message).toContain(shared);
      expect(problem.message).toMatch(/permission denied/);
      expect(problem.message).toMatch(/Work continues on this device.*Nothing is deleted/);
      // What to do fits the cause: access rights, not "reconnect the share".
      expect(problem.action).toMatch(/read and write access/);

      await bob.call('release.create', { name: 'Bob denied 1', version: '2.0.0' });
      await bob.call('release.create', { name: 'Bob denied 2', version: '2.1.0' });
      expect((await bob.holdings()).titles).toEqual(['Before', 'Bob before', 'Bob denied 1', 'Bob denied 2']);
      s = await bob.pass();
      expect(s.state).toBe('offline');
      expect(s.unpublished).toBe(2);

      // What `warroom sync status` and `warroom sync --once` show on Bob's device meanwhile.
      const status = await bob.request<{ code: number; out: string }>('cli', { argv: ['sync', 'status'] });
      expect(status.code).toBe(0);
      expect(status.out).toMatch(/^Sync: offline \(folder unavailable\)$/m);
      // A one-shot pass that cannot read the folder does not know what was published before, so
      // it may count more as unpublished, never fewer.
      expect(Number(/^Unpublished local events: (\d+)$/m.exec(status.out)?.[1])).toBeGreaterThanOrEqual(2);
      expect(status.out).toContain(`folder_unavailable: The shared folder is unavailable: ${shared}`);
      const once = await bob.request<{ code: number; err: string }>('cli', { argv: ['sync', '--once'] });
      expect(once.code).toBe(3);

      // Ann (who can still reach the folder) goes on too.
      await ann.call('release.create', { name: 'Ann meanwhile', version: '3.0.0' });
      await ann.pass();
    } finally {
      chmodSync(shared, 0o755);
    }
    await expectConverged(ann, bob, shared, before, ['Ann meanwhile', 'Before', 'Bob before', 'Bob denied 1', 'Bob denied 2']);
  }, 30_000);

  it("own log folder unwritable: publish fails naming the file and what to do, pulls go on, publishes by itself once writable", async () => {
    const { shared, ann, bob } = await pair();
    const before = files(shared);
    const log = join(shared, 'devices', bob.id, 'log');
    chmodSync(log, 0o000);
    try {
      await bob.call('release.create', { name: 'Bob denied', version: '2.0.0' });
      await ann.call('release.create', { name: 'Ann meanwhile', version: '3.0.0' });
      await ann.pass();
      const s = await bob.pass();
      const failed = s.problems.find((p) => p.code === 'publish_failed')!;
      expect(failed.file).toMatch(new RegExp(`^devices/${bob.id}/log/\\S+\\.ndjson$`));
      expect(failed.message).toMatch(/permission denied\. The events stay on this device, unpublished, and are retried automatically/);
      expect(failed.action).toBe('Check the shared folder is writable.');
      // It needs a person, so the state is not "in step".
      expect(failed.severity).toBe('error');
      expect(s.state).toBe('problem');
      expect(s.unpublished).toBe(1);
      // Reading Ann's log still works: Bob has her new release.
      expect((await bob.holdings()).titles).toEqual(['Ann meanwhile', 'Before', 'Bob before', 'Bob denied']);
    } finally {
      chmodSync(log, 0o755);
    }
    await expectConverged(ann, bob, shared, before, ['Ann meanwhile', 'Before', 'Bob before', 'Bob denied']);
    expect(existsSync(log)).toBe(true);
  }, 30_000);

  it("another device's log folder unreadable: Bob keeps his data and publishes, then takes the missed events once readable", async () => {
    const { shared, ann, bob } = await pair();
    const before = files(shared);
    const log = join(shared, 'devices', ann.id(), 'log');
    chmodSync(log, 0o000);
    try {
      // Ann (root, in this process) still writes there; Bob's polling never sees it.
      await ann.call('release.create', { name: 'Ann hidden', version: '3.0.0' });
      await ann.pass();
      await bob.call('release.create', { name: 'Bob meanwhile', version: '2.0.0' });
      const s = await bob.pass();
      expect(s.unpublished).toBe(0);
      expect((await bob.holdings()).titles).toEqual(['Before', 'Bob before', 'Bob meanwhile']);
      // Bob is told why Ann's new events do not arrive, with the folder and what to do.
      const denied = s.problems.find((p) => p.code === 'log_unreadable')!;
      expect(denied).toMatchObject({ severity: 'error', device: ann.id(), file: `devices/${ann.id()}/log` });
      expect(denied.message).toMatch(/cannot be read \(permission denied\)/);
      expect(denied.action).toMatch(/read access/);
      expect(s.state).toBe('problem');
      expect(s.peers.find((p) => p.id === ann.id())?.eventsApplied).toBe(3);
    } finally {
      chmodSync(log, 0o755);
    }
    await expectConverged(ann, bob, shared, before, ['Ann hidden', 'Before', 'Bob before', 'Bob meanwhile']);
  }, 30_000);
});

// Sync test harness: real cores in their own data folders on one real shared folder. Passes are
// driven by the test (no polling, no watcher) unless a test asks for timers.
import { afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import { openCore, type Core } from '../../../src/main/core/core.ts';
import type { SyncEngine } from '../../../src/main/core/sync/engine.ts';
import type { SyncStatus } from '../../../src/shared/sync/status.ts';
import type { SyncHostOptions } from '../../../src/main/core/sync/host.ts';
import { tempDir } from '../../helpers/tmp.ts';

const open: Core[] = [];
afterEach(() => {
  for (const core of open.splice(0)) core.close();
});

export interface Peer {
  name: string;
  core: Core;
  dataDir: string;
  clock: { now: number };
  call<T = unknown>(method: string, input?: unknown): Promise<T>;
  engine(): SyncEngine;
  pass(): Promise<SyncStatus>;
  id(): string;
}

export interface PeerOptions {
  dataDir?: string;
  role?: 'coordinator' | 'approver' | 'engineer' | 'lead';
  skewMs?: number;
  sync?: Partial<SyncHostOptions>;
  /** Set a profile (default true). */
  profile?: boolean;
  /** Where the core's log lines go (default: nowhere). */
  log?: (line: string) => void;
  /** Another ingest writer thread script (a thread that fails). */
  ingestWorkerFile?: string;
}

const BASE = Date.UTC(2026, 10, 23, 9, 0, 0);

export async function peer(name: string, shared: string, options: PeerOptions = {}): Promise<Peer> {
  const dataDir = options.dataDir ?? tempDir(`wr-sync-${name}-`);
  const clock = { now: BASE + (options.skewMs ?? 0) };
  const core = openCore({
    dataDir,
    now: () => clock.now,
    log: options.log ?? (() => {}),
    ...(options.ingestWorkerFile ? { ingestWorkerFile: options.ingestWorkerFile } : {}),
    sync: { run: true, folder: shared, pollMs: 3_600_000, watch: false, debounceMs: 3_600_000, stabilityMs: 300, ...options.sync },
  });
  open.push(core);
  const call = async <T,>(method: string, input: unknown = {}): Promise<T> => {
    const result = await core.dispatch(method, input);
    if (!result.ok) throw new Error(`${name} ${method}: ${result.error.message}`);
    return result.value as T;
  };
  if (options.profile !== false) await call('profile.set', { name, role: options.role ?? 'coordinator' });
  await core.startSync();
  const engine = () => {
    const e = core.ctx.sync.engine;
    if (!e) throw new Error(`${name} has no sync engine`);
    return e;
  };
  return { name, core, dataDir, clock, call, engine, pass: () => engine().syncNow(), id: () => core.ctx.store.device().id };
}

/** A genesis device and `n - 1` joiners, all admitted by the genesis. */
export async function team(shared: string, names: readonly string[], options: PeerOptions = {}): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (const name of names) peers.push(await peer(name, shared, options));
  for (const p of peers) await p.pass();
  for (const p of peers.slice(1)) await peers[0]!.call('sync.admit', { device: p.id() });
  await settle(peers);
  return peers;
}

/** Passes on every peer until nobody takes anything new (at most `rounds`). */
export async function settle(peers: readonly Peer[], rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const before = peers.map((p) => eventCount(p)).join(',');
    for (const p of peers) await p.pass();
    for (const p of peers) await p.engine().idle();
    const after = peers.map((p) => eventCount(p)).join(',');
    if (before === after && i > 0) return;
  }
}

export function eventCount(p: Peer): number {
  return p.core.ctx.store.heads().reduce((n, h) => n + h.seq, 0);
}

/** Every event id and hash this peer holds, sorted. */
export function eventSet(p: Peer): string[] {
  const store = p.core.ctx.store;
  return store
    .heads()
    .flatMap((h) => store.readEvents(h.device, 0, 1_000_000).map((e) => `${e.id}#${e.hash.slice(0, 12)}`))
    .sort();
}

export function digestOf(p: Peer): string {
  return p.core.ctx.store.digest();
}

export function integrityOk(p: Peer): boolean {
  return p.core.ctx.store.verify().ok;
}

export function sha(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function releaseTitles(p: Peer): string[] {
  return p.core.ctx.store
    .entities('release')
    .map((r) => {
      const reg = r.state.registers.title;
      return String(reg?.values[0]?.value ?? '');
    })
    .sort();
}

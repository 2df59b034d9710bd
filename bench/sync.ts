// Sync benchmarks (BENCHMARKS B3/B4, issue 5): ingest 100k events from another device's segments
// into a fresh database (time, events/s, longest event-loop stall); propagation latency through a
// local folder with notifications; and the cost of a 10-event pull with few vs many applied.
// Run: npx tsx bench/sync.ts [--events 100000] [--big 100000]
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openCore, type Core } from '../src/main/core/core.ts';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const EVENTS = arg('events', 100_000);
const BIG = arg('big', 100_000);
const dirs: string[] = [];
const temp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

async function device(name: string, shared: string, sync: { pollMs?: number; watch?: boolean; debounceMs?: number } = {}): Promise<Core> {
  const core = openCore({ dataDir: temp(`wr-bench-${name}-`), log: () => {}, sync: { run: true, folder: shared, pollMs: 3_600_000, watch: false, debounceMs: 3_600_000, ...sync } });
  const r = await core.dispatch('profile.set', { name, role: 'coordinator' });
  if (!r.ok) throw new Error(r.error.message);
  await core.startSync();
  return core;
}

/** `n` events in transactions of 1 000 (notes on 50 releases). */
function write(core: Core, n: number): void {
  const releases = Array.from({ length: 50 }, (_, i) => `rel-bench-${i}`);
  core.ctx.store.appendEvents(releases.map((id, i) => ({ type: 'release.created', entity: { kind: 'release', id }, data: { title: `Bench ${i}`, version: `${i}.0.0`, type: 'minor', changeClass: 'normal' } })));
  for (let done = 50; done < n; done += 1000) {
    const batch = Math.min(1000, n - done);
    core.ctx.store.appendEvents(Array.from({ length: batch }, (_, i) => ({ type: 'note.added', entity: { kind: 'release', id: releases[(done + i) % 50]! }, data: { text: `note ${done + i}` } })));
  }
}

const ms = (t: number) => `${t.toFixed(1)} ms`;

async function ingestBench(): Promise<Record<string, number>> {
  const shared = temp('wr-bench-shared-');
  const source = await device('Src', shared);
  let t = performance.now();
  write(source, EVENTS);
  await source.ctx.sync.syncNow();
  console.log(`setup: ${EVENTS} events written and published in ${ms(performance.now() - t)}`);
  const reader = await device('Dst', shared);
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  t = performance.now();
  await reader.ctx.sync.engine!.syncNow();
  const took = performance.now() - t;
  h.disable();
  const applied = reader.ctx.store.heads().find((x) => x.device === source.ctx.store.device().id)!.seq;
  const result = { events: applied, ms: Math.round(took), perSecond: Math.round((applied / took) * 1000), maxStallMs: Math.round(h.max / 1e6), p99StallMs: Math.round(h.percentile(99) / 1e6) };
  console.log(`B3a ingest: ${applied} events in ${ms(took)} (${result.perSecond}/s, budget < 3 s) — max event-loop stall ${result.maxStallMs} ms (budget < 50 ms), p99 ${result.p99StallMs} ms`);
  source.close();
  reader.close();
  return result;
}

async function propagationBench(samples = 50): Promise<Record<string, number>> {
  const shared = temp('wr-bench-prop-');
  const a = await device('A', shared, { pollMs: 2000, watch: true, debounceMs: 20 });
  const b = await device('B', shared, { pollMs: 2000, watch: true, debounceMs: 20 });
  await a.ctx.sync.syncNow();
  await b.ctx.sync.syncNow();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const id = `rel-prop-${i}`;
    const seen = new Promise<number>((resolve) => {
      const stop = b.ctx.store.onChange((n) => {
        if (n.topic === 'events' && n.entities.some((e) => e.id === id)) {
          stop();
          resolve(performance.now());
        }
      });
    });
    const t = performance.now();
    a.ctx.store.appendEvents([{ type: 'release.created', entity: { kind: 'release', id }, data: { title: `P ${i}`, version: '1.0.0', type: 'minor', changeClass: 'normal' } }]);
    times.push((await seen) - t);
    await new Promise((r) => setTimeout(r, 50));
  }
  times.sort((x, y) => x - y);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  const result = { samples, medianMs: Math.round(q(0.5)), p95Ms: Math.round(q(0.95)), maxMs: Math.round(times.at(-1)!) };
  console.log(`B4 propagation (fs.watch + 2 s poll, debounce 20 ms): median ${result.medianMs} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms over ${samples} (budget < 1 s)`);
  a.close();
  b.close();
  return result;
}

async function incrementalBench(applied: number): Promise<number> {
  const shared = temp('wr-bench-inc-');
  const source = await device('Src', shared);
  write(source, applied);
  await source.ctx.sync.syncNow();
  const reader = await device('Dst', shared);
  await reader.ctx.sync.engine!.syncNow();
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    source.ctx.store.appendEvents(Array.from({ length: 10 }, (_, i) => ({ type: 'note.added', entity: { kind: 'release', id: 'rel-bench-1' }, data: { text: `inc ${r} ${i}` } })));
    await source.ctx.sync.syncNow();
    const t = performance.now();
    await reader.ctx.sync.engine!.syncNow();
    runs.push(performance.now() - t);
  }
  runs.sort((x, y) => x - y);
  source.close();
  reader.close();
  return runs[3]!;
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { at: new Date().toISOString(), events: EVENTS };
  // The engine's timers are unref'd (they must never keep a CLI alive); the bench waits on them.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    results.ingest = await ingestBench();
    results.propagation = await propagationBench();
    const small = await incrementalBench(1000);
    const big = await incrementalBench(BIG);
    results.incremental = { smallApplied: 1000, smallMs: Math.round(small * 10) / 10, bigApplied: BIG, bigMs: Math.round(big * 10) / 10 };
    console.log(`incremental pull of 10 new events: ${ms(small)} with 1 000 applied, ${ms(big)} with ${BIG.toLocaleString()} applied (median of 7)`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/sync.json', `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    clearInterval(keepAlive);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

await main();

// `npm run bench` — the store's benchmarks (BENCHMARKS.md B1, B2, B6) with their peers in the
// same run. `-- --quick` uses 100k events and fewer samples (a smoke run, not for the record).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { Db, sql } from '../src/main/core/store/db.ts';
import { DB_FILE, openStore } from '../src/main/core/store/index.ts';
import { BIG_RELEASE, dataset, type Dataset } from './dataset.ts';
import { confFixture, confTicks, lowdbTicks } from './peers.ts';
import { fmt, machine, sample, summarize, table, time, type Summary } from './stats.ts';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const log = (line: string) => process.stderr.write(`${line}\n`);
const sizes = quick ? [100_000] : [100_000, 1_000_000];
const TICKS = quick ? 1000 : 3000;
const PEER_TICKS = quick ? 200 : 1000;
const PAGES = 300;

const rows: (string | number)[][] = [];
const results: Record<string, unknown> = {};
const row = (name: string, s: Summary, note = '') => {
  rows.push([name, s.n, fmt(s.p50), fmt(s.p99), fmt(s.p999), note]);
  results[name] = s;
};
/** One figure: a single measurement, or the median of `n` (e.g. one per fresh process). */
const single = (name: string, ms: number, note = '', n = 1) => {
  rows.push([name, n, fmt(ms), '', '', note]);
  results[name] = { n, p50: ms };
};

const box = machine();
const loadBefore = loadavg()[0]!;
log(`machine: ${box.cpu}, ${box.cores} cores, ${box.memoryGiB} GiB, ${box.os}, Node ${box.node}; load ${loadBefore.toFixed(2)}`);

// ---- datasets ------------------------------------------------------------------------------
const sets: (Dataset & { size: number })[] = sizes.map((n) => ({ ...dataset(n, log), size: n }));
const tagOf = (n: number) => `@${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`}`;
for (const set of sets) {
  if (set.buildMs !== null) single(`build ${set.events} events (bulk, signed)`, set.buildMs, `${fmt((set.buildMs * 1000) / set.events)} µs/event`);
  if (set.rebuildMs !== null) single(`rebuild projections @${set.events}`, set.rebuildMs);
}

// ---- B2: timeline ----------------------------------------------------------------------------
function timelineBench(set: Dataset & { size: number }): void {
  const tag = tagOf(set.size);
  const path = join(set.dataDir, DB_FILE);
  const checked = time(() => {
    const db = new Db(path, { readonly: true, mustExist: true });
    db.pragma('quick_check');
    db.close();
  });
  single(`quick_check ${tag}`, checked.ms, "on open: always below 32 MiB, else daily ('auto')");
  const cold = time(() => {
    const store = openStore({ dataDir: set.dataDir, log: () => {}, quickCheck: 'always' });
    const page = store.timeline({ release: BIG_RELEASE, limit: 100 });
    store.close();
    return page.items.length;
  });
  single(`B2 cold open + first page, with quick_check ${tag}`, cold.ms);
  // A new connection each time: its statements are compiled afresh, as after a restart.
  const coldRuns = summarize(
    sample(
      7,
      () => {
        const store = openStore({ dataDir: set.dataDir, log: () => {}, quickCheck: 'never' });
        store.timeline({ release: BIG_RELEASE, limit: 100 });
        store.close();
      },
      1,
    ),
  );
  row(`B2 cold open + first page ${tag}`, coldRuns, set.size > 30_000 ? "new connection each; quick_check daily at this size ('auto')" : '');
  const coldNoCheck = { ms: coldRuns.p50 };

  const store = openStore({ dataDir: set.dataDir, log: () => {}, quickCheck: 'never' });
  const total = store.timeline({ release: BIG_RELEASE, limit: 1 }).total!;
  row(`B2 first page ${tag}`, summarize(sample(PAGES, () => store.timeline({ release: BIG_RELEASE, limit: 100 }))), `${total} events in the release`);

  // Cursors at random depths, found by walking the index once (never with OFFSET).
  const depths = Array.from({ length: PAGES }, (_, i) => Math.floor(((i * 7919) % PAGES) / PAGES * (total - 200)) + 100).sort((a, b) => a - b);
  const cursors: string[] = [];
  const db = new Db(path, { readonly: true, mustExist: true, log: () => {} });
  let after: { hlc: string; seq: number } | null = null;
  let seen = 0;
  for (let d = 0; d < depths.length; ) {
    const batch: { hlc: string; seq: number }[] = after
      ? db.all(sql`SELECT hlc, seq FROM events WHERE release = ${BIG_RELEASE} AND (hlc, seq) < (${after.hlc}, ${after.seq}) ORDER BY hlc DESC, seq DESC LIMIT 20000`)
      : db.all(sql`SELECT hlc, seq FROM events WHERE release = ${BIG_RELEASE} ORDER BY hlc DESC, seq DESC LIMIT 20000`);
    if (batch.length === 0) break;
    while (d < depths.length && depths[d]! < seen + batch.length) {
      const r = batch[depths[d]! - seen]!;
      cursors.push(Buffer.from(JSON.stringify([r.hlc, r.seq])).toString('base64url'));
      d += 1;
    }
    seen += batch.length;
    after = batch[batch.length - 1]!;
  }
  const keyset = summarize(sample(cursors.length, (i) => store.timeline({ release: BIG_RELEASE, limit: 100, cursor: cursors[Math.abs(i) % cursors.length]! })));
  row(`B2 keyset next page ${tag}`, keyset, 'random depths');
  row(`B2 filter by type ${tag}`, summarize(sample(PAGES, () => store.timeline({ release: BIG_RELEASE, type: 'note.added', limit: 100 }))));
  row(`B2 filter by actor ${tag}`, summarize(sample(PAGES, () => store.timeline({ release: BIG_RELEASE, actor: 'p-bench-3', limit: 100 }))));
  const depth = Math.floor(total / 2);
  const offset = summarize(
    sample(
      quick ? 5 : 20,
      () => db.all(sql`SELECT hlc, seq, body FROM events WHERE release = ${BIG_RELEASE} ORDER BY hlc DESC, seq DESC LIMIT 100 OFFSET ${depth}`),
      1,
    ),
  );
  row(`B2 peer: OFFSET page at depth ${depth} ${tag}`, offset, `keyset p99 ${fmt(offset.p99 / keyset.p99)}× faster`);
  results[`B2 keyset vs OFFSET ratio ${tag}`] = offset.p99 / keyset.p99;

  if (set.size === 100_000) {
    // The JSON-file peer cannot reasonably hold 1M events: load (read + parse) 100k of ours.
    const dir = mkdtempSync(join(tmpdir(), 'wr-bench-json-'));
    const file = join(dir, 'events.json');
    const self = store.heads().find((h) => h.self)!.device;
    writeFileSync(file, JSON.stringify(store.readEvents(self, 0, 100_000)));
    const load = summarize(sample(quick ? 3 : 10, () => JSON.parse(readFileSync(file, 'utf8')), 1));
    rmSync(dir, { recursive: true, force: true });
    row('B2 peer: JSON file load of 100k events', load, `cold first page ${fmt(load.p50 / coldNoCheck.ms)}× faster`);
    results['B2 cold first page vs JSON load ratio'] = load.p50 / coldNoCheck.ms;
  }
  db.close();
  store.close();
}

for (const set of sets) timelineBench(set);

// ---- B1: durable tick ------------------------------------------------------------------------
const big = sets[sets.length - 1]!;
{
  const store = openStore({ dataDir: big.dataDir, log: () => {}, quickCheck: 'never' });
  const ticks = sample(TICKS, (i) =>
    store.appendEvents([{ type: 'step.ticked', entity: { kind: 'step', id: `${BIG_RELEASE}-s${Math.abs(i) % 500}` }, data: { release: BIG_RELEASE, done: i % 2 === 0 } }]),
  );
  const synchronous = store.settings().synchronous;
  store.close();
  row(`B1 durable tick, store ${tagOf(big.size)}`, summarize(ticks), `validate+sign+append+fold+commit, WAL, synchronous=${synchronous === 2 ? 'FULL' : synchronous}`);
}
const tick = results[`B1 durable tick, store ${tagOf(big.size)}`] as Summary;
for (const records of [1000, 10_000]) {
  const low = summarize(await lowdbTicks(records, PEER_TICKS));
  row(`B1 peer: lowdb @${records} records`, low, `store p99 ${fmt(low.p99 / tick.p99)}× faster (no fsync)`);
  results[`B1 lowdb ratio @${records}`] = low.p99 / tick.p99;
  const conf = summarize(confTicks(records, PEER_TICKS));
  row(`B1 peer: conf @${records} records`, conf, `store p99 ${fmt(conf.p99 / tick.p99)}× faster (fsync)`);
  results[`B1 conf ratio @${records}`] = conf.p99 / tick.p99;
}

// ---- B6: cold start, a fresh process per sample --------------------------------------------------
{
  const small = dataset(10_000, log);
  const confDir = confFixture(10_000);
  const runs = quick ? 3 : 7;
  // Bundled like the shipped main process: the store as one ESM file, better-sqlite3 external.
  const bundles = join(here, '..', 'node_modules', '.cache', 'warroom-bench');
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' } as const;
  buildSync({ ...common, entryPoints: [join(here, '..', 'src/main/core/store/index.ts')], external: ['better-sqlite3'], outfile: join(bundles, 'store.mjs') });
  buildSync({ ...common, entryPoints: [join(here, 'cold-start.ts')], external: ['conf'], outfile: join(bundles, 'cold-start.mjs') });
  const env = { ...process.env, WR_STORE_MODULE: pathToFileURL(join(bundles, 'store.mjs')).href };
  const child = (mode: string, dir: string) => {
    const out = spawnSync(process.execPath, [join(bundles, 'cold-start.mjs'), mode, dir], { encoding: 'utf8', env });
    if (out.status !== 0) throw new Error(`cold-start ${mode} failed: ${out.stderr}`);
    return JSON.parse(out.stdout) as { importMs: number; openMs: number; pageMs: number; totalMs: number };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const storeRuns = Array.from({ length: runs }, () => child('store', small.dataDir));
  const emptyRuns = Array.from({ length: runs }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-bench-empty-'));
    try {
      return child('store-empty', dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const confRuns = Array.from({ length: runs }, () => child('conf', confDir));
  rmSync(confDir, { recursive: true, force: true });
  const s = (xs: { totalMs: number }[]) => median(xs.map((x) => x.totalMs));
  single('B6 open + migrate, empty folder (no import)', median(emptyRuns.map((r) => r.openMs)), 'creates schema, key, device', runs);
  single('B6 open (incl. quick_check) + first page @10k (no import)', median(storeRuns.map((r) => r.openMs + r.pageMs)), '', runs);
  single('B6 core cold start @10k: import + open + first page', s(storeRuns), `bundled module load ${fmt(median(storeRuns.map((r) => r.importMs)))} ms`, runs);
  single('B6 peer: import(conf) + first read @10k records', s(confRuns), `store ${fmt(s(confRuns) / s(storeRuns))}× faster`, runs);
  results['B6 ratio vs conf'] = s(confRuns) / s(storeRuns);
}

// ---- report ----------------------------------------------------------------------------------
const sqlite = (() => {
  const db = new Db(join(big.dataDir, DB_FILE), { readonly: true, mustExist: true, log: () => {} });
  const v = db.get<{ v: string }>(sql`SELECT sqlite_version() AS v`)!.v;
  db.close();
  return v;
})();
process.stdout.write(`\nRelease War Room store benchmarks${quick ? ' (quick)' : ''} — ${box.cpu}, ${box.cores} cores, ${box.memoryGiB} GiB, ${box.os}, Node ${box.node}, SQLite ${sqlite}\n`);
const loadAfter = loadavg()[0]!;
process.stdout.write(`data in ${tmpdir()} (local disk); times in ms; 1-min load average ${loadBefore.toFixed(2)} at start, ${loadAfter.toFixed(2)} at end\n`);
if (Math.max(loadBefore, loadAfter) > box.cores * 0.75) {
  process.stdout.write('warning: other work was running on this machine; tail latencies (p99, p99.9) include its noise\n');
}
process.stdout.write('\n');
process.stdout.write(`${table(rows, ['benchmark', 'n', 'median', 'p99', 'p99.9', 'note'])}\n\n`);

const gates: [string, boolean][] = [
  [`B1 tick p99 < 2 ms (${fmt(tick.p99)})`, tick.p99 < 2],
  [`B1 tick p99.9 < 5 ms (${fmt(tick.p999)})`, tick.p999 < 5],
  [`B1 ≥ 50× conf @10k (${fmt(results['B1 conf ratio @10000'] as number)}×)`, (results['B1 conf ratio @10000'] as number) >= 50],
  [`B1 ≥ 25× lowdb @10k (${fmt(results['B1 lowdb ratio @10000'] as number)}×)`, (results['B1 lowdb ratio @10000'] as number) >= 25],
  ...sets.map((set): [string, boolean] => {
    const tag = tagOf(set.size);
    const ratio = results[`B2 keyset vs OFFSET ratio ${tag}`] as number;
    const cold = (results[`B2 cold open + first page ${tag}`] as Summary).p50;
    return [`B2 ${tag}: keyset ≥ 100× OFFSET (${fmt(ratio)}×), cold open + first page < 50 ms (${fmt(cold)})`, ratio >= 100 && cold < 50];
  }),
  [`B2 cold first page ≥ 100× JSON load (${fmt(results['B2 cold first page vs JSON load ratio'] as number)}×)`, (results['B2 cold first page vs JSON load ratio'] as number) >= 100],
  [`B6 < 150 ms and ≥ 5× conf (${fmt(results['B6 ratio vs conf'] as number)}×)`, (results['B6 ratio vs conf'] as number) >= 5 && (results['B6 core cold start @10k: import + open + first page'] as Summary).p50 < 150],
];
for (const [text, ok] of gates) process.stdout.write(`${ok ? 'PASS' : 'MISS'}  ${text}\n`);

// Compare with the previous run and warn at a 20% regression.
const resultsFile = join(here, 'results', quick ? 'store-quick.json' : 'store.json');
if (existsSync(resultsFile)) {
  const previous = JSON.parse(readFileSync(resultsFile, 'utf8')) as { at: string; results: Record<string, unknown> };
  const worse: string[] = [];
  for (const [name, value] of Object.entries(results)) {
    const before = previous.results[name] as Summary | number | undefined;
    if (typeof value === 'object' && value && typeof before === 'object' && before) {
      const now = (value as Summary).p99 ?? (value as Summary).p50;
      const then = before.p99 ?? before.p50;
      if (then > 0 && now > then * 1.2) worse.push(`${name}: ${fmt(then)} → ${fmt(now)} ms`);
    }
  }
  process.stdout.write(worse.length ? `\nslower than the previous run (${previous.at}) by > 20%:\n  ${worse.join('\n  ')}\n` : `\nno regression > 20% against the previous run (${previous.at})\n`);
}
writeFileSync(resultsFile, `${JSON.stringify({ name: 'store', at: new Date().toISOString(), quick, machine: { ...box, sqlite }, results }, null, 2)}\n`);
process.stdout.write(`results written to ${resultsFile}\n`);

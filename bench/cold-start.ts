// B6 (a), run in a fresh process per sample: module load, open (+ migrate), first read.
// bench/run.ts bundles this file and the store with esbuild (as the app ships) and passes the
// store bundle's URL in WR_STORE_MODULE; without it, the TypeScript sources load through tsx.
//   node --import tsx bench/cold-start.ts store DIR        existing store: import, open, first timeline page
//   node --import tsx bench/cold-start.ts store-empty DIR  empty folder: import, create, migrate, identity
//   node --import tsx bench/cold-start.ts conf DIR         the peer: import('conf') + first read of its file
import type * as StoreModule from '../src/main/core/store/index.ts';

const [mode, dir] = process.argv.slice(2);
if (!mode || !dir) throw new Error('usage: cold-start.ts store|store-empty|conf DIR');

const t0 = performance.now();
if (mode === 'conf') {
  const { default: Conf } = await import('conf');
  const t1 = performance.now();
  const conf = new Conf<{ records: Record<string, unknown> }>({ projectName: 'warroom-bench', cwd: dir });
  const n = Object.keys(conf.get('records')).length;
  const t2 = performance.now();
  process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, openMs: t2 - t1, pageMs: 0, totalMs: t2 - t0, records: n })}\n`);
} else {
  const target = process.env.WR_STORE_MODULE ?? '../src/main/core/store/index.ts';
  const { openStore } = (await import(target)) as typeof StoreModule;
  const t1 = performance.now();
  const store = openStore({ dataDir: dir, log: () => {} });
  const t2 = performance.now();
  const page = mode === 'store' ? store.timeline({ release: 'r-big', limit: 100 }) : null;
  const t3 = performance.now();
  store.close();
  process.stdout.write(
    `${JSON.stringify({ importMs: t1 - t0, openMs: t2 - t1, pageMs: t3 - t2, totalMs: t3 - t0, records: page?.items.length ?? 0, migrated: store.migrated })}\n`,
  );
}

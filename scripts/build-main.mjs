// Bundles the main-process code (Electron main, preload, CLI) with esbuild so the packaged app
// loads a few files instead of a tree of sources. better-sqlite3 stays external: it is native.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  external: ['electron', 'better-sqlite3'],
  // Sources are ESM; the bundles are CommonJS, where import.meta is empty and __dirname is used.
  logOverride: { 'empty-import-meta': 'silent' },
  define: { 'process.env.WARROOM_BUNDLED': '"1"' },
};

await Promise.all([
  build({ ...common, entryPoints: ['src/main/cli/main.ts'], outfile: 'dist/cli/warroom.cjs' }),
  build({ ...common, entryPoints: ['src/main/electron/main.ts'], outfile: 'dist/main/electron/main.cjs' }),
  // A sandboxed preload may only require('electron'): everything else is bundled in.
  build({ ...common, entryPoints: ['src/main/electron/preload.ts'], outfile: 'dist/main/electron/preload.cjs', platform: 'node' }),
  // The sync segment parser and the ingest writer run in worker threads (src/main/core/threads.ts);
  // each bundle finds their scripts beside itself.
  ...['dist/cli', 'dist/main/electron'].flatMap((dir) => [
    build({ ...common, entryPoints: ['src/main/core/sync/segment-worker.ts'], outfile: `${dir}/segment-worker.cjs` }),
    build({ ...common, entryPoints: ['src/main/core/store/ingest-worker.ts'], outfile: `${dir}/ingest-worker.cjs` }),
  ]),
]);
process.stdout.write(`built main, preload and CLI for ${pkg.productName} ${pkg.version}\n`);

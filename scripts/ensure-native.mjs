// better-sqlite3 is a native module built for one ABI at a time: Node's for tests and the CLI,
// Electron's for the app. This script checks which build is present and rebuilds for the
// runtime asked for, so `npm test` and `npm start` work in either order on a fresh machine.
//   node scripts/ensure-native.mjs node       -> build for this Node
//   node scripts/ensure-native.mjs electron   -> build for the installed Electron
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const target = process.argv[2] ?? 'node';
const marker = new URL('../node_modules/.warroom-native-target', import.meta.url);
const current = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : null;

function loadsInNode() {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    encoding: 'utf8',
  });
  return probe.status === 0;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (target === 'node') {
  if (loadsInNode()) {
    if (current !== 'node') writeFileSync(marker, 'node\n');
    process.exit(0);
  }
  process.stdout.write('better-sqlite3 is built for Electron; rebuilding it for Node (about 2 minutes)…\n');
  execFileSync(npm, ['rebuild', 'better-sqlite3', '--build-from-source'], { stdio: 'inherit' });
  if (!loadsInNode()) {
    process.stderr.write('better-sqlite3 still does not load in Node after rebuilding; see the output above.\n');
    process.exit(1);
  }
  writeFileSync(marker, 'node\n');
} else if (target === 'electron') {
  const electronVersion = require('electron/package.json').version;
  const wanted = `electron ${electronVersion}`;
  if (current === wanted) process.exit(0);
  process.stdout.write(`Rebuilding better-sqlite3 for Electron ${electronVersion}…\n`);
  execFileSync(npm, ['exec', '--', 'electron-builder', 'install-app-deps'], { stdio: 'inherit' });
  writeFileSync(marker, `${wanted}\n`);
} else {
  process.stderr.write(`usage: ensure-native.mjs node|electron (got "${target}")\n`);
  process.exit(2);
}

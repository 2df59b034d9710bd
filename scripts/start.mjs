// `npm start`: build, make sure Electron and its better-sqlite3 build are present, launch.
// Electron's binary is fetched on first start (its install script is not run by npm here).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status === 0;

if (!run(npm, ['run', 'build'])) process.exit(1);

const electronDir = dirname(require.resolve('electron/package.json'));
if (!existsSync(join(electronDir, 'path.txt'))) {
  process.stdout.write('Downloading Electron (first start only)…\n');
  const fetched = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8' });
  if (fetched.status !== 0 || !existsSync(join(electronDir, 'path.txt'))) {
    const reason = (fetched.stderr || fetched.stdout || '').split('\n').find((l) => /error/i.test(l))?.trim() ?? 'no network access to the Electron release server';
    process.stderr.write(
      `Electron could not be downloaded (${reason}). Without it, run \`npm run serve\` and open the printed URL in a browser.\n`,
    );
    process.exit(1);
  }
}

if (!run(process.execPath, ['scripts/ensure-native.mjs', 'electron'])) {
  process.stderr.write('better-sqlite3 could not be rebuilt for Electron; see the output above.\n');
  process.exit(1);
}

const electron = require('electron'); // the path of the binary, once downloaded
const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));

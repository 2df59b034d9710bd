// Cold start of `warroom serve`: from spawning the process to its first HTTP answer
// (app.info), over fresh and existing data folders. Prints the median of the runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 9);
const port = 7490;

async function once(dataDir) {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/warroom.cjs', 'serve', '--port', String(port), '--data-dir', dataDir], { stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/app.info`, { method: 'POST', body: '{}' });
        if (res.ok) return performance.now() - started;
      } catch {
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  } finally {
    await new Promise((r) => {
      child.once('exit', r);
      child.kill('SIGTERM');
    });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fresh = [];
const existing = [];
const kept = mkdtempSync(join(tmpdir(), 'warroom-cold-'));
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'warroom-cold-'));
  fresh.push(await once(dir));
  rmSync(dir, { recursive: true, force: true });
  existing.push(await once(kept));
}
rmSync(kept, { recursive: true, force: true });
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
console.log(`warroom serve → first HTTP answer, ${runs} runs each`);
console.log(`  new data folder (creates keys, migrates): ${fmt(fresh)}`);
console.log(`  existing data folder:                     ${fmt(existing)}`);

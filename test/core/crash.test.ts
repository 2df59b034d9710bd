// T1: kill -9 during local append. A child appends in a loop and prints `ACK <id>` after each
// commit; we SIGKILL it at random moments, reopen, and check that every acknowledged event is
// there, the chain verifies, the file is intact and the projections equal a fresh fold.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/core/store/index.ts';
import { tempDir } from './helpers.ts';
import { seededRandom } from '../helpers/prng.ts';

const CHILD = fileURLToPath(new URL('./fixtures/append-child.ts', import.meta.url));
const ITERATIONS = 50;
const SEED = Number(process.env.WR_T1_SEED ?? 20261123);

interface Run {
  acked: string[];
  ready: boolean;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts the child and kills it `delayMs` after READY (or after spawn when `early`). */
function runAndKill(dataDir: string, delayMs: number, early: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let stderr = '';
    const run: Run = { acked: [], ready: false, signal: null, stderr: '' };
    const kill = () => setTimeout(() => child.kill('SIGKILL'), delayMs);
    if (early) kill();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        // Only complete lines count: a torn last line was never acknowledged.
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('ACK ')) run.acked.push(line.slice(4));
        else if (line.startsWith('READY ')) {
          run.ready = true;
          if (!early) kill();
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      run.signal = signal;
      run.stderr = stderr;
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (code ${code}): ${stderr}`));
      else resolve(run);
    });
  });
}

describe('T1: kill -9 during local append', () => {
  it(`keeps every acknowledged event across ${ITERATIONS} SIGKILLs (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const dataDir = tempDir('wr-t1-');
    const acked: string[] = [];
    const reopenMs: number[] = [];
    let killedBeforeReady = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      // Most kills land in the append loop; one in five lands anywhere from start-up onwards
      // (module loading, open, migration, identity creation).
      const early = random() < 0.2;
      const run = await runAndKill(dataDir, early ? random() * 700 : random() * 80, early);
      if (!run.ready) killedBeforeReady += 1;
      acked.push(...run.acked);

      const started = performance.now();
      const store = openStore({ dataDir, log: () => {} });
      reopenMs.push(performance.now() - started);
      try {
        const device = store.device().id;
        const stored = new Set(store.readEvents(device, 0, 1_000_000).map((e) => e.id));
        const missing = acked.filter((id) => !stored.has(id));
        expect(missing, `iteration ${i}: acknowledged but missing`).toEqual([]);
        const report = store.verify();
        expect(report.ok, `iteration ${i}: ${report.summary}`).toBe(true);
        // No partial state: the projections equal a fresh fold of the log.
        expect(store.rebuild().unchanged, `iteration ${i}: projections differ from a refold`).toBe(true);
      } finally {
        store.close();
      }
    }
    const db = new Database(`${dataDir}/warroom.db`, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const { n, max } = db.prepare('SELECT count(*) AS n, max(seq) AS max FROM events').get() as { n: number; max: number };
      expect(n).toBe(max); // seqs contiguous from 1 (verify checked the links too)
    } finally {
      db.close();
    }
    const sorted = [...reopenMs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    process.stdout.write(
      `[T1] seed ${SEED}: ${ITERATIONS} kills (${killedBeforeReady} before the first append), ${acked.length} acknowledged events kept; ` +
        `reopen median ${median.toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms\n`,
    );
    expect(acked.length).toBeGreaterThan(ITERATIONS);
    expect(median).toBeLessThan(150);
  }, 180_000);
});

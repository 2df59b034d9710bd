// Fixtures for end-to-end tests: each test gets its own `warroom serve` on a free port with an
// empty temporary data folder, so first-run and every later state start from nothing.
import { test as base, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServeHandle {
  url: string;
  dataDir: string;
  /** Everything the server printed, for diagnosing failures. */
  output(): string;
}

const repoRoot = join(import.meta.dirname, '..', '..');

/** Starts `warroom serve` from the build (run `npm run build` first) and waits for its URL. */
export async function startServe(dataDir: string, extraArgs: string[] = []): Promise<ServeHandle & { stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'warroom.cjs'), 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`warroom serve printed no URL within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/Serving at (http:\/\/\S+)/);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`warroom serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

export const test = base.extend<{ server: ServeHandle }>({
  // Playwright requires an object pattern for the fixtures argument even when none are used.
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use, testInfo) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'warroom-e2e-'));
    const handle = await startServe(dataDir);
    try {
      await use(handle);
    } finally {
      await handle.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('serve-output', { body: handle.output(), contentType: 'text/plain' });
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };

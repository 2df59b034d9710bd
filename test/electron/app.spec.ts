// The Electron shell's own tests. They need Electron's binary, which `npm start` downloads on
// first launch; where it is absent (CI without network) every test here is reported as skipped
// with that reason — never counted as passed.
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const repoRoot = join(import.meta.dirname, '..', '..');
const electronDir = dirname(require.resolve('electron/package.json'));
const binaryPresent = existsSync(join(electronDir, 'path.txt'));
const built = existsSync(join(repoRoot, 'dist', 'main', 'electron', 'main.cjs'));
const reason = !binaryPresent
  ? 'Electron binary not downloaded on this machine (no access to its release server); run `npm start` once where it can download'
  : 'the app is not built; run `npm run build` first';

let app: ElectronApplication | null = null;
let dataDir = '';

// eslint-disable-next-line no-empty-pattern -- Playwright needs an object pattern here.
test.beforeEach(async ({}, testInfo) => {
  testInfo.skip(!binaryPresent || !built, reason);
  dataDir = mkdtempSync(join(tmpdir(), 'warroom-electron-'));
  app = await electron.launch({ args: [repoRoot], env: { ...process.env, WARROOM_DATA_DIR: dataDir } });
});

test.afterEach(async () => {
  await app?.close();
  app = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the window is sandboxed, isolated and without Node', async () => {
  const page = await app!.firstWindow();
  // With isolation and sandboxing the page's world has neither require nor process.
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  expect(page.url()).toMatch(/^app:\/\/warroom\//);
  expect(await page.evaluate(() => Object.keys((window as unknown as { warroom: object }).warroom).sort())).toEqual([
    'invoke',
    'onMenuCommand',
    'subscribe',
  ]);
});

test('first run over IPC, then the shell', async () => {
  const page = await app!.firstWindow();
  const result = await page.evaluate(() =>
    (window as unknown as { warroom: { invoke(m: string, i: unknown): Promise<unknown> } }).warroom.invoke('profile.set', {
      name: '',
      role: 'coordinator',
    }),
  );
  expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'name' } });
  await page.getByLabel(/name/i).fill('Dana Coordinator');
  await page.getByRole('radio', { name: /coordinator/i }).check();
  await page.getByRole('button', { name: /continue|start|save/i }).click();
  await expect(page.getByText('Dana Coordinator')).toBeVisible();
});

test('navigation away and new windows are refused', async () => {
  const page = await app!.firstWindow();
  await page.evaluate(() => {
    window.open('https://example.com/');
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(app!.windows()).toHaveLength(1);
  expect(page.url()).toMatch(/^app:\/\/warroom\//);
});

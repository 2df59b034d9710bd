// The shell when the core goes away: a failed start shows what is wrong and a Retry, and a
// core that stops mid-session is shown as unreachable until it comes back on its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startServe, test } from './fixtures.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

test('a failed start names the problem and Retry recovers', async ({ page, server }, testInfo) => {
  // The browser cannot reach the core's API at all (calls and change stream) until we say so.
  let blocked = true;
  let infoCalls = 0;
  await page.route('**/api/**', async (route) => {
    if (route.request().url().endsWith('/api/app.info')) infoCalls += 1;
    return blocked ? route.abort('connectionrefused') : route.fallback();
  });
  await page.goto(server.url);

  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading', { name: 'Cannot reach the War Room core' })).toBeVisible();
  await expect(alert).toContainText('warroom serve');
  await expect(alert).toContainText('unavailable');
  const retry = page.getByRole('button', { name: 'Retry' });
  await expect(retry).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath('load-error.png') });

  blocked = false;
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Who is at this device?' })).toBeVisible();
  expect(infoCalls).toBeGreaterThanOrEqual(2);
});

test('a core that stops is shown as unreachable, and the shell recovers when it returns', async ({ page }, testInfo) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'warroom-e2e-conn-'));
  const port = await freePort();
  // The same port and data folder both times, as when someone restarts `warroom serve`.
  let serve = await startServe(dataDir, ['--port', String(port)]);
  try {
    await page.goto(serve.url);
    await page.getByLabel('Your name').fill('Kim Park');
    await page.getByRole('radio', { name: 'Observer' }).check();
    await page.getByRole('button', { name: 'Continue' }).click();

    const link = page.getByRole('contentinfo').getByRole('status');
    await expect(link).toHaveText('Online');

    await serve.stop();
    await expect(link).toHaveText('Core unreachable');
    const banner = page.getByRole('main').getByRole('alert');
    await expect(banner).toContainText('Core unreachable.');
    await expect(banner).toContainText('changes cannot be saved');
    // The last known person and device stay on screen; only the link is lost.
    await expect(page.getByRole('contentinfo').getByTestId('status-person')).toHaveText(/Kim Park\s*·\s*Observer/);
    await page.screenshot({ path: testInfo.outputPath('core-unreachable.png') });

    serve = await startServe(dataDir, ['--port', String(port)]);
    await expect(link).toHaveText('Online', { timeout: 15_000 });
    await expect(banner).toBeHidden();
  } finally {
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a wall display on a read-only link skips first run and says it is read-only', async ({ page }, testInfo) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'warroom-e2e-ro-'));
  const readToken = 'wall-display-read-token';
  // Off loopback a plain --token only lets people watch; the write token is someone else's.
  const serve = await startServe(dataDir, ['--host', '0.0.0.0', '--token', readToken, '--write-token', 'coordinator-write-token']);
  try {
    const port = new URL(serve.url).port;
    await page.goto(`http://127.0.0.1:${port}/?token=${readToken}#timeline`);
    // Nobody sits at a wall display: it opens the shell on the section in its URL.
    await expect(page.getByRole('heading', { level: 1, name: 'Timeline' })).toBeVisible();
    await expect(page.getByLabel('Your name')).toHaveCount(0);
    await expect(page.getByRole('contentinfo').getByTestId('status-access')).toHaveText('Read-only display');
    // The token was exchanged for a cookie, so the page's own API calls and stream work.
    await expect(page.getByRole('contentinfo').getByTestId('status-connection')).toHaveText('Online');
    // And the core really refuses writes from this connection.
    const write = await page.evaluate(async () => {
      const res = await fetch('/api/profile.set', { method: 'POST', body: JSON.stringify({ name: 'Mallory', role: 'lead' }) });
      return { status: res.status, body: (await res.json()) as unknown };
    });
    expect(write).toMatchObject({ status: 403, body: { ok: false, error: { code: 'forbidden' } } });
    await page.screenshot({ path: testInfo.outputPath('wall-display-read-only.png') });
  } finally {
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

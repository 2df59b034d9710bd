// The Audit panel against a real core: a fresh device's chain is OK, the panel names the device,
// its person and its event count, notices events recorded since, and checks again on request.
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from './fixtures.ts';

async function firstRun(page: Page, name: string) {
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('radio', { name: 'Coordinator' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
}

test('the audit panel shows every chain OK for a fresh device and verifies again on request', async ({ page, server }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await firstRun(page, 'Priya Natarajan');
  const info = (await (await page.request.post(new URL('api/app.info', server.url).href, { data: {} })).json()) as {
    value: { device: { id: string; fingerprint: string } };
  };

  await page.keyboard.press('Alt+8');
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: 'Audit' })).toBeFocused();
  await expect(main.getByTestId('audit-status')).toHaveText('Every chain holds');
  await expect(main.getByRole('status')).toContainText(/^OK: 1 device, 1 event/);

  const row = main.getByTestId(`audit-device-${info.value.device.id}`);
  await expect(row.getByRole('rowheader')).toContainText(info.value.device.id);
  await expect(row.getByRole('rowheader')).toContainText('This device');
  await expect(row.getByRole('rowheader')).toContainText(info.value.device.fingerprint);
  await expect(row).toContainText('Priya Natarajan');
  await expect(row.getByRole('cell').nth(1)).toContainText('1');
  await expect(row.getByText('OK', { exact: true })).toBeVisible();
  await expect(main.getByTestId('audit-checked-at')).toContainText('just now');
  await expect(main.getByTestId('audit-first-failure')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('audit-dark.png') });

  // Another event (a profile change from elsewhere) makes the answer stale until checked again.
  await page.request.post(new URL('api/profile.set', server.url).href, { data: { name: 'Priya N.', role: 'lead' } });
  await expect(main.getByText(/1 event was recorded since this check/)).toBeVisible();
  const checkedBefore = await main.locator('[data-testid="audit-checked-at"] time').getAttribute('datetime');
  await main.getByRole('button', { name: 'Verify now' }).click();
  await expect(main.getByRole('status')).toContainText(/^OK: 1 device, 2 events/);
  await expect(main.getByText(/recorded since this check/)).toHaveCount(0);
  await expect(main.locator('[data-testid="audit-checked-at"] time')).not.toHaveAttribute('datetime', checkedBefore ?? '');
  await expect(row).toContainText('Priya N.');

  await page.keyboard.press('Control+Shift+L');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.screenshot({ path: testInfo.outputPath('audit-light.png') });
  expect(errors).toEqual([]);
});

test("a payload edited behind the app's back shows as a broken chain with its device and seq", async ({ page, server }, testInfo) => {
  await page.goto(server.url);
  await firstRun(page, 'Jonas Berg');
  const info = (await (await page.request.post(new URL('api/app.info', server.url).href, { data: {} })).json()) as {
    value: { device: { id: string } };
  };
  const device = info.value.device.id;

  // A second connection edits the signed profile event in place, as someone with file access might.
  const db = new Database(join(server.dataDir, 'warroom.db'));
  try {
    db.prepare("UPDATE events SET body = replace(body, 'Jonas Berg', 'Someone Else') WHERE seq = 1").run();
  } finally {
    db.close();
  }

  await page.keyboard.press('Alt+8');
  const main = page.getByRole('main');
  await expect(main.getByTestId('audit-status')).toHaveText('A chain is broken');
  const failure = main.getByTestId('audit-first-failure');
  await expect(failure).toContainText(`device ${device} at seq 1`);
  await expect(failure).toContainText('edited after signing');
  await expect(main.getByTestId(`audit-device-${device}`)).toContainText('Broken at seq 1');
  await page.screenshot({ path: testInfo.outputPath('audit-broken-dark.png') });
});

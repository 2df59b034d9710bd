// The release list (filters, sort by window, nothing-matches state), editing a release field by
// field, and the same screens on a read-only wall display, which shows everything and offers no
// way to change it.
import type { APIRequestContext, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startServe, test } from './fixtures.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'runbooks', 'blue-green-cutover.md');

async function call<T>(request: APIRequestContext, base: string, method: string, data: unknown, token?: string): Promise<T> {
  const response = await request.post(new URL(`api/${method}`, base).href, { data, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
  const body = (await response.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value;
}

async function seedReleases(request: APIRequestContext, base: string, token?: string) {
  await call(request, base, 'profile.set', { name: 'Noor Haddad', role: 'coordinator' }, token);
  const late = await call<{ id: string }>(request, base, 'release.create', {
    name: 'Checkout 5.0',
    version: '5.0.0',
    type: 'major',
    window: { start: '2026-12-10T20:00', end: '2026-12-10T23:00', zone: 'Europe/Berlin' },
  }, token);
  const soon = await call<{ id: string }>(request, base, 'release.create', {
    name: 'Search hotfix',
    version: '3.1.1',
    type: 'emergency',
    services: ['search-api'],
    window: { start: '2026-11-25T02:00:00Z', end: '2026-11-25T03:00:00Z', zone: 'UTC' },
  }, token);
  const undated = await call<{ id: string }>(request, base, 'release.create', { name: 'Billing cleanup', version: '2.4.0', type: 'minor' }, token);
  await call(request, base, 'release.transition', { id: late.id, to: 'scheduled' }, token);
  return { late, soon, undated };
}

function rows(page: Page) {
  return page.getByRole('main').getByTestId('release-row');
}

test('the release list filters by status and type, sorts by window, and a release is edited field by field', async ({ page, server, request }, testInfo) => {
  const { soon } = await seedReleases(request, server.url);
  await page.goto(`${server.url}#releases`);
  const main = page.getByRole('main');

  // Soonest window first; a release without a window comes last.
  await expect(rows(page)).toHaveCount(3);
  await expect(rows(page).getByRole('rowheader').getByRole('link')).toHaveText(['Search hotfix', 'Checkout 5.0', 'Billing cleanup']);
  await expect(rows(page).nth(1)).toContainText('Scheduled');
  await expect(rows(page).nth(1)).toContainText('(Europe/Berlin)');
  await expect(rows(page).nth(2)).toContainText('No window yet');
  await page.screenshot({ path: testInfo.outputPath('release-list.png') });

  await main.getByLabel('Sort').selectOption('-window');
  await expect(rows(page).getByRole('rowheader').getByRole('link')).toHaveText(['Checkout 5.0', 'Search hotfix', 'Billing cleanup']);
  await main.getByLabel('Status').selectOption('scheduled');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText('Checkout 5.0');
  await main.getByLabel('Type').selectOption('emergency');
  await expect(main.getByText('No releases match these filters.')).toBeVisible();
  await main.getByRole('button', { name: 'Clear the filters' }).click();
  await expect(rows(page)).toHaveCount(3);
  await main.getByLabel('Search').fill('search-api');
  await expect(rows(page)).toHaveCount(1);

  // Edit: the form opens with the release as it is; only changed fields are recorded.
  await rows(page).getByRole('link', { name: 'Search hotfix' }).click();
  await expect(main.getByTestId('release-status')).toHaveText('Planned');
  // An emergency change may skip scheduling, and the page offers exactly that.
  await expect(main.getByRole('group', { name: 'Move the release to' }).getByRole('button')).toHaveText(['Schedule', 'Open go/no-go', 'Cancel the release']);
  await main.getByRole('button', { name: 'Edit' }).click();
  await expect(main.getByLabel(/^Name/)).toHaveValue('Search hotfix');
  await expect(main.getByLabel('Starts')).toHaveValue('2026-11-25T02:00');
  await main.getByLabel(/^Version/).fill('3.1.2');
  await main.getByLabel('Time zone (IANA)').fill('America/New_York');
  await main.getByLabel('Change ticket').fill('CHG-31337');
  await main.getByRole('button', { name: 'Save changes' }).click();
  await expect(main.getByTestId('release-status')).toHaveText('Planned');
  await expect(main.getByRole('heading', { level: 1 })).toContainText('3.1.2');
  const facts = main.getByRole('complementary', { name: 'Facts' });
  await expect(facts).toContainText('CHG-31337');
  // 02:00 wall-clock in New York is 07:00 UTC.
  await expect(facts).toContainText(/Nov 25, 2026, 0?7:00\s*–\s*0?8:00\s*AM UTC/);
  await expect(facts).toContainText('Release zone America/New_York');
  const timeline = main.getByRole('region', { name: 'Timeline of Search hotfix' });
  await expect(timeline.getByTestId('timeline-entry').filter({ hasText: 'set the version to “3.1.2”' })).toHaveCount(1);
  await expect(timeline.getByTestId('timeline-entry').filter({ hasText: 'set the change ticket to “CHG-31337”' })).toHaveCount(1);
  await expect(timeline.getByTestId('timeline-entry').filter({ hasText: 'set the planned window' })).toHaveCount(1);

  // A note from the release page goes on its timeline.
  await main.getByRole('button', { name: 'Add note' }).click();
  await page.keyboard.type('Vendor confirmed the patch window');
  await page.keyboard.press('Enter');
  await expect(timeline.getByTestId('timeline-entry').first()).toContainText('noted: “Vendor confirmed the patch window”');
  expect(page.url()).toContain(`#releases/${soon.id}`);
});

test('a read-only wall display shows releases, runs and timelines with nothing to press', async ({ page, request }, testInfo) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'warroom-e2e-wall-'));
  const readToken = 'wall-display-read-only';
  const writeToken = 'coordinator-write-token';
  const serve = await startServe(dataDir, ['--host', '0.0.0.0', '--token', readToken, '--write-token', writeToken]);
  try {
    const base = `http://127.0.0.1:${new URL(serve.url).port}/`;
    const { late } = await seedReleases(request, base, writeToken);
    const text = await import('node:fs').then((fs) => fs.readFileSync(FIXTURE, 'utf8'));
    const imported = await call<{ run: { id: string } }>(request, base, 'runbook.import', { text, name: 'blue-green-cutover.md', release: late.id }, writeToken);
    await call(request, base, 'step.done', { release: late.id, run: imported.run.id, step: 1 }, writeToken);

    await page.goto(`${base}?token=${readToken}#releases`);
    const main = page.getByRole('main');
    await expect(rows(page)).toHaveCount(3);
    await expect(main.getByRole('button', { name: 'Plan a release' })).toHaveCount(0);
    await rows(page).getByRole('link', { name: 'Checkout 5.0' }).click();
    await expect(main.getByTestId('release-status')).toHaveText('Scheduled');
    await expect(main.getByRole('group', { name: 'Move the release to' })).toHaveCount(0);
    await expect(main.getByRole('button', { name: 'Edit' })).toHaveCount(0);
    await expect(main.getByLabel('Attach from the library')).toHaveCount(0);
    await expect(main.getByTestId('run-card')).toContainText('1 of');
    await main.getByRole('button', { name: 'View the runbook' }).click();
    await expect(main.getByTestId('step-1')).toHaveAttribute('data-state', 'done');
    await expect(main.getByRole('group', { name: 'Step actions' })).toHaveCount(0);
    await expect(main.getByRole('button', { name: /Start rollback/ })).toHaveCount(0);
    // The keys do nothing here either.
    await page.keyboard.press('j');
    await page.keyboard.press('Space');
    await expect(main.getByTestId('step-2')).toHaveAttribute('data-state', 'pending');
    await page.screenshot({ path: testInfo.outputPath('wall-runner.png') });

    // Progress made elsewhere shows up live.
    await call(request, base, 'step.done', { release: late.id, run: imported.run.id, step: 2 }, writeToken);
    await expect(main.getByTestId('step-2')).toHaveAttribute('data-state', 'done');
  } finally {
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

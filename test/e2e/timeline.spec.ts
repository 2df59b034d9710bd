// The timeline section against a real core holding a long release timeline (100 000 events,
// seeded through the store before `serve` starts): only the rows in view exist, older pages load
// as the reader scrolls, and a live entry arrives on top without moving what is being read.
import type { Locator, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/main/core/store/index.ts';
import { expect, startServe, test } from './fixtures.ts';

const RELEASE = 'rel-longrun';
const NOTES = 100_000;

function seed(dataDir: string): void {
  const store = openStore({ dataDir, log: () => {} });
  try {
    store.setProfile({ name: 'Ines Duarte', role: 'engineer' });
    store.appendEvents([
      {
        type: 'release.created',
        entity: { kind: 'release', id: RELEASE },
        data: { title: 'Payments platform 9.0', version: '9.0.0', type: 'major', window: { start: '2026-11-24T21:00:00.000Z', end: '2026-11-25T01:00:00.000Z', zone: 'America/New_York' } },
      },
    ]);
    for (let batch = 0; batch < NOTES / 2000; batch += 1) {
      store.appendEvents(
        Array.from({ length: 2000 }, (_, i) => ({ type: 'note.added', entity: { kind: 'release', id: RELEASE }, data: { text: `Soak check ${batch * 2000 + i + 1}` } })),
      );
    }
  } finally {
    store.close();
  }
}

/** The entry at the top edge of the list's viewport, by its text. */
async function topEntryText(scroller: Locator): Promise<string> {
  return scroller.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const rows = Array.from(el.querySelectorAll<HTMLElement>('[data-testid="timeline-entry"]'));
    const top = rows.find((r) => {
      const b = r.getBoundingClientRect();
      return b.top <= box.top + 2 && b.bottom > box.top + 2;
    });
    return top?.querySelector('.timeline-entry__sentence')?.textContent ?? '';
  });
}

async function loadedCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('timeline-count').textContent()) ?? '';
  return Number(/^([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
}

test('a 100 000-entry timeline is virtualized, pages in as you scroll, and takes live entries without moving the reader', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'warroom-e2e-long-'));
  seed(dataDir);
  const server = await startServe(dataDir);
  try {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}#timeline/${RELEASE}`);
    const main = page.getByRole('main');
    const scroller = main.getByRole('region', { name: 'Timeline of Payments platform 9.0' });
    await expect(scroller).toBeVisible();
    await expect(page.getByTestId('timeline-count')).toHaveText(/^200 of 100,001 entries loaded/);
    await expect(scroller.getByTestId('timeline-entry').first()).toContainText(`Ines Duarte noted: “Soak check ${NOTES}”`);
    // The release is planned in New York; the viewer (UTC here) sees both.
    await expect(scroller.getByTestId('timeline-entry').first().locator('.timeline-entry__zone')).toContainText(/EST|GMT-5/);
    const rendered = await scroller.getByTestId('timeline-entry').count();
    expect(rendered).toBeLessThan(40);
    await page.screenshot({ path: testInfo.outputPath('timeline-long.png') });

    // Scrolling towards the end of what is loaded fetches the next older page, again and again.
    for (let i = 0; i < 6; i += 1) {
      const before = await loadedCount(page);
      await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect.poll(() => loadedCount(page)).toBeGreaterThan(before);
    }
    expect(await loadedCount(page)).toBeGreaterThanOrEqual(1400);
    expect(await scroller.getByTestId('timeline-entry').count()).toBeLessThan(40);
    // Set sizes tell assistive technology how long the whole timeline is.
    await expect(scroller.getByRole('listitem').first()).toHaveAttribute('aria-setsize', '100001');

    // Reading somewhere in the middle: a new event arrives on top, the reader stays put.
    await scroller.evaluate((el) => (el.scrollTop = 300 * 88));
    await page.waitForTimeout(200);
    const reading = await topEntryText(scroller);
    expect(reading).toMatch(/Soak check \d+/);
    const response = await page.request.post(new URL('api/release.note', server.url).href, { data: { id: RELEASE, text: 'Live: canary at 25 %' } });
    expect(response.ok()).toBe(true);
    await expect(page.getByTestId('timeline-count')).toHaveText(/of 100,002 entries loaded/);
    await page.waitForTimeout(200);
    expect(await topEntryText(scroller)).toBe(reading);

    // At the top, a live entry shows up as the first row.
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await expect(scroller.getByTestId('timeline-entry').first()).toContainText('Live: canary at 25 %');
    await page.request.post(new URL('api/release.note', server.url).href, { data: { id: RELEASE, text: 'Live: canary at 50 %' } });
    await expect(scroller.getByTestId('timeline-entry').first()).toContainText('Live: canary at 50 %');
    expect(await scroller.evaluate((el) => el.scrollTop)).toBe(0);

    // Filtering by kind of event and by person reads the indexed query.
    await main.getByLabel('Kind of event').selectOption('release.created');
    await expect(scroller.getByTestId('timeline-entry')).toHaveCount(1);
    await expect(page.getByTestId('timeline-count')).toHaveText('1 entry');
    await main.getByLabel('Kind of event').selectOption('');
    await main.getByLabel('Person').selectOption({ label: 'Ines Duarte' });
    await expect(page.getByTestId('timeline-count')).toHaveText(/^200 entries loaded/);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a fresh device has nothing on the timeline until a release is planned, then shows it live', async ({ page, server }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(server.url);
  await page.getByLabel('Your name').fill('Lee Park');
  await page.getByRole('radio', { name: 'Coordinator' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  await page.keyboard.press('Alt+4');
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 2, name: 'Nothing recorded yet' })).toBeVisible();

  // A release planned elsewhere (the CLI, another window) appears with its first entries.
  const created = await page.request.post(new URL('api/release.create', server.url).href, { data: { name: 'Search 3.1', version: '3.1.0' } });
  const { value } = (await created.json()) as { value: { id: string } };
  await page.reload();
  const scroller = main.getByRole('region', { name: 'Timeline of Search 3.1' });
  await expect(scroller.getByTestId('timeline-entry')).toHaveCount(1);
  await expect(scroller.getByTestId('timeline-entry')).toContainText('Lee Park planned the release “Search 3.1” version 3.1.0');
  await page.request.post(new URL('api/release.transition', server.url).href, { data: { id: value.id, to: 'cancelled', reason: 'Merged into 3.2' } });
  await expect(scroller.getByTestId('timeline-entry').first()).toContainText('moved the release from planned to cancelled: Merged into 3.2');
  await expect(page.getByTestId('timeline-count')).toHaveText('2 entries');
  expect(errors).toEqual([]);
});

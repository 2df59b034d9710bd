// Issue 5 end to end: two laptops (two `warroom serve` instances with their own data folders) on
// one shared temporary folder. The first sets the folder up in the Sync section (after a
// non-empty folder and an unknown format are refused), the second joins and waits for
// admission, the first admits it by keyboard, and a release created on the first appears in the
// second's Releases list within the poll interval. A folder of another war room is refused.
// Each device row says who admitted it (and, once revoked, why). When B's log folder loses its
// later segments (an old backup restored), A's problem row offers Repair…: a confirm dialog lists
// the seq ranges and files, Esc cancels, Write puts them back and the problem goes away.
import type { APIRequestContext, Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startServe, test } from './fixtures.ts';

async function api<T>(request: APIRequestContext, base: string, method: string, data: unknown): Promise<T> {
  const body = (await (await request.post(new URL(`api/${method}`, base).href, { data })).json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  // Uncaught exceptions only: a refused set-up is an HTTP error the browser logs by itself.
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('two laptops on one shared folder: set up, join, admit by keyboard, a release appears on the other', async ({ page, browser }, testInfo) => {
  test.setTimeout(150_000);
  const temp = mkdtempSync(join(tmpdir(), 'warroom-e2e-sync-'));
  const shared = join(temp, 'shared');
  const dirA = join(temp, 'a');
  const dirB = join(temp, 'b');
  const dirC = join(temp, 'c');
  const otherRoom = join(temp, 'other-room');
  const notEmpty = join(temp, 'not-empty');
  const newer = join(temp, 'newer');
  for (const d of [shared, dirA, dirB, dirC, notEmpty, newer]) mkdirSync(d);
  writeFileSync(join(notEmpty, 'notes.txt'), 'someone else’s files\n');
  writeFileSync(join(newer, 'warroom-sync.json'), JSON.stringify({ format: 'warroom-sync', version: 99 }));

  const servers: Array<{ stop(): Promise<void> }> = [];
  const contextB = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const errorsA = collectErrors(page);
  try {
    // Laptop A starts without a shared folder and sets it up in the Sync section.
    const a = await startServe(dirA, ['--sync-poll-ms', '300']);
    servers.push(a);
    await api(page.request, a.url, 'profile.set', { name: 'Casey Wu', role: 'coordinator' });
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(new URL('#sync', a.url).href);
    const mainA = page.getByRole('main');
    await expect(mainA.getByRole('heading', { name: 'Sync not set up', level: 2 })).toBeVisible();
    const infoA = await api<{ device: { id: string; fingerprint: string } }>(page.request, a.url, 'app.info', {});
    await expect(mainA.getByTestId('sync-own-fingerprint')).toHaveText(infoA.device.fingerprint);

    // Refusals: a non-empty folder without the marker, and a marker of an unknown format.
    const path = mainA.getByLabel('Shared folder path');
    await path.fill(notEmpty);
    await path.press('Enter');
    const refused = mainA.getByTestId('sync-setup-refused');
    await expect(refused).toContainText('This folder is not empty and is not a war room folder.');
    await expect(refused).toContainText('no warroom-sync.json');
    await expect(path).toHaveAttribute('aria-invalid', 'true');
    await page.screenshot({ path: testInfo.outputPath('sync-refused-not-empty.png') });
    await path.fill(newer);
    await path.press('Enter');
    // The explanation and the hint come from the core's reason, not from its message text.
    await expect(refused).toHaveAttribute('data-reason', 'format_newer');
    await expect(refused).toContainText('This folder uses a newer format than this app.');
    await expect(refused.getByTestId('sync-setup-hint')).toHaveText(/^Another laptop runs a newer Release War Room\. Install that version on this device/);
    await expect(refused).toContainText('Update the app');
    await page.screenshot({ path: testInfo.outputPath('sync-refused-format.png') });

    // The empty shared folder is initialised: this device starts the war room.
    await path.fill(shared);
    await page.keyboard.press('Tab');
    await expect(mainA.getByRole('button', { name: 'Use this folder' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(mainA.getByTestId('sync-state')).toHaveText(/Synced|Syncing…/);
    await expect(mainA.getByTestId('sync-folder')).toHaveText(shared);
    await expect(mainA.getByTestId('sync-last')).not.toHaveText('Not yet');
    await expect(mainA.getByTestId('sync-compaction')).toHaveText('on: nothing waits for deletion');
    await expect(mainA.getByText('No other device has used this folder yet.')).toBeVisible();

    // Laptop B joins the same folder (through the API: its device.json carries the name of the
    // person at it when it is first written) and waits for admission.
    const b = await startServe(dirB, ['--sync-poll-ms', '300']);
    servers.push(b);
    const pageB = await contextB.newPage();
    const errorsB = collectErrors(pageB);
    await api(contextB.request, b.url, 'profile.set', { name: 'Dana Reyes', role: 'lead' });
    await api(contextB.request, b.url, 'sync.setup', { folder: shared });
    const infoB = await api<{ device: { id: string; fingerprint: string } }>(contextB.request, b.url, 'app.info', {});
    await pageB.goto(new URL('#sync', b.url).href);
    const mainB = pageB.getByRole('main');
    await expect(mainB.getByTestId('sync-own-admission')).toHaveText('Waiting for admission');
    await expect(mainB.getByText(/Waiting for admission\. Ask a coordinator/)).toContainText(infoB.device.fingerprint);
    await pageB.screenshot({ path: testInfo.outputPath('sync-b-waiting.png') });

    // A sees B waiting, with the fingerprint to compare, and admits it by keyboard.
    const peerB = mainA.getByTestId(`sync-peer-${infoB.device.id}`);
    await expect(peerB).toBeVisible({ timeout: 10_000 });
    await expect(peerB).toContainText(infoB.device.fingerprint);
    await expect(peerB.getByTestId('sync-peer-admission')).toHaveText('Waiting for admission');
    await expect(peerB).toContainText('Dana Reyes');
    await page.screenshot({ path: testInfo.outputPath('sync-a-b-waiting.png'), fullPage: true });
    const admit = peerB.getByRole('button', { name: /^Admit device/ });
    await admit.focus();
    await page.keyboard.press('Enter');
    await expect(peerB.getByTestId('sync-peer-admission')).toHaveText('Admitted');
    await expect(peerB.getByTestId('sync-peer-admitted-by')).toHaveText('admitted by this device');
    // B learns of its admission through the folder, and sees A as the war room's first device.
    await expect(mainB.getByTestId('sync-own-admission')).toHaveText('Admitted', { timeout: 10_000 });
    await expect(mainB.getByTestId(`sync-peer-${infoA.device.id}`).getByTestId('sync-peer-admitted-by')).toHaveText('started the war room');

    // A release created on A shows in B's Releases list within a few poll intervals.
    await api(page.request, a.url, 'release.create', { name: 'Payments 4.2', version: '4.2.0', type: 'minor' });
    await pageB.goto(new URL('#releases', b.url).href);
    await expect(pageB.getByRole('main').getByTestId('release-row').filter({ hasText: 'Payments 4.2' })).toBeVisible({ timeout: 5_000 });
    await pageB.screenshot({ path: testInfo.outputPath('sync-b-releases.png') });

    // B's own work is applied on A after admission: its row counts its events.
    await api(contextB.request, b.url, 'release.create', { name: 'Search 3.9', version: '3.9.0', type: 'minor' });
    await expect(async () => {
      const text = (await peerB.getByTestId('sync-peer-events').innerText()).trim();
      expect(Number(text.split(/\s/)[0]?.replace(/\D/g, ''))).toBeGreaterThan(0);
    }).toPass({ timeout: 10_000 });
    await mainA.getByTestId('sync-now').click();
    await expect(mainA.getByTestId('sync-state')).toHaveText('Synced');
    await expect(mainA.getByTestId('sync-no-problems')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('sync-a-in-step.png'), fullPage: true });

    // Revoking asks for a reason; an empty one is refused in the dialog, Esc cancels.
    await peerB.getByRole('button', { name: /^Revoke device/ }).click();
    const dialog = page.getByTestId('prompt-dialog');
    await expect(dialog.getByRole('heading', { name: /Revoke device/ })).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('alert')).toHaveText('Give a reason: it is recorded with the revocation.');
    await page.screenshot({ path: testInfo.outputPath('sync-revoke-dialog.png') });
    await page.keyboard.press('Escape');
    await expect(dialog).not.toBeVisible();
    await expect(peerB.getByTestId('sync-peer-admission')).toHaveText('Admitted');

    // Another war room's folder is refused, with the reason, and nothing changes.
    const c = await startServe(dirC, ['--sync-dir', otherRoom, '--sync-poll-ms', '300']);
    await c.stop();
    await mainA.getByText('Use another shared folder').click();
    const other = mainA.getByLabel('Shared folder path');
    await other.fill(otherRoom);
    await other.press('Enter');
    await expect(mainA.getByTestId('sync-setup-refused')).toContainText('This folder belongs to another war room.');
    await expect(mainA.getByTestId('sync-setup-refused')).toContainText('Refusing to mix them');
    await expect(mainA.getByTestId('sync-folder')).toHaveText(shared);
    await page.screenshot({ path: testInfo.outputPath('sync-refused-other-room.png'), fullPage: true });

    // A cloud client's conflicted copy is reported with its path and what to do; nothing else changes.
    const copy = `devices/${infoB.device.id}/log/segment (Casey's conflicted copy 2026-11-23).ndjson`;
    writeFileSync(join(shared, copy), '{"not":"read"}\n');
    await mainA.getByTestId('sync-now').click();
    const problems = mainA.getByTestId('sync-problems');
    await expect(problems).toContainText('Foreign or conflicted file');
    await expect(problems).toContainText(copy);
    await expect(problems).toContainText('What to do: You may delete it.');
    await expect(mainA.getByTestId('sync-state')).toHaveText('Synced');
    await problems.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('sync-problems.png') });

    // B's laptop goes away and its log folder is restored from an old version: later segments lost.
    await b.stop();
    const bobLog = join(shared, 'devices', infoB.device.id, 'log');
    const segmentFiles = () => readdirSync(bobLog).filter((n) => /^\d{12}-\d{12}\.[0-9a-f]{16}\.ndjson$/.test(n)).sort();
    const segments = segmentFiles();
    expect(segments.length).toBeGreaterThan(1);
    for (const name of segments.slice(1)) rmSync(join(bobLog, name));
    const lostFrom = Number(segments[1]!.slice(0, 12));
    await mainA.getByTestId('sync-now').click();
    const backwards = problems.getByRole('listitem').filter({ hasText: 'Log went backwards' });
    await expect(backwards).toBeVisible();
    const repair = backwards.getByRole('button', { name: `Repair the shared folder for device ${infoB.device.id}…` });
    await repair.focus();
    await page.keyboard.press('Enter');
    const repairDialog = page.getByTestId('sync-repair-dialog');
    await expect(repairDialog.getByRole('heading', { name: `Repair the shared folder for device ${infoB.device.id}?` })).toBeVisible();
    await expect(repairDialog.getByTestId('sync-repair-ranges')).toHaveText(new RegExp(`^seq ${lostFrom}(–\\d+)? \\(\\d+ events?\\)$`));
    await expect(repairDialog.getByTestId('sync-repair-files')).toHaveText('1');
    await expect(repairDialog).toContainText('Dana Reyes');
    await expect(repairDialog.getByRole('button', { name: 'Write 1 file' })).toBeFocused();
    await page.screenshot({ path: testInfo.outputPath('sync-repair-dialog.png') });
    // Esc cancels: nothing is written.
    await page.keyboard.press('Escape');
    await expect(repairDialog).not.toBeVisible();
    expect(segmentFiles()).toEqual([segments[0]]);
    // Confirmed: the lost events are written back and the problem goes away.
    await repair.click();
    await expect(repairDialog.getByRole('button', { name: 'Write 1 file' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(repairDialog.getByTestId('sync-repair-done')).toHaveText(/^Wrote 1 file with \d+ events?\./);
    await expect(repairDialog.getByRole('button', { name: /^Close/ })).toBeFocused();
    await page.screenshot({ path: testInfo.outputPath('sync-repair-done.png') });
    await page.keyboard.press('Escape');
    await expect(repairDialog).not.toBeVisible();
    expect(segmentFiles()).toHaveLength(2);
    await expect(problems.getByText('Log went backwards')).toHaveCount(0);

    // Revoked with a reason: the row says why, not just the word.
    await peerB.getByRole('button', { name: /^Revoke device/ }).click();
    await dialog.getByLabel('Reason').fill('laptop lost on the train');
    await page.keyboard.press('Enter');
    await expect(peerB.getByTestId('sync-peer-admission')).toHaveText('Revoked');
    await expect(peerB.getByTestId('sync-peer-revoked')).toHaveText('revoked: laptop lost on the train');
    await expect(peerB.getByTestId('sync-peer-admitted-by')).toHaveText('admitted by this device');
    await peerB.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('sync-revoked.png') });

    expect(errorsA).toEqual([]);
    expect(errorsB).toEqual([]);
  } finally {
    await contextB.close();
    for (const s of servers.reverse()) await s.stop();
    rmSync(temp, { recursive: true, force: true });
  }
});

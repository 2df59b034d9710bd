// Issue 4 end to end: plan a release (with field errors), import a fixture runbook, edit it into
// a new version, attach it, run it by keyboard alone — a skip with a reason, a failure, a note,
// an assignment, evidence and a rollback — reload and find everything as it was, and see each
// action on the timeline.
import type { Locator, Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, test } from './fixtures.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'runbooks', 'database-migration.md');

async function firstRun(page: Page) {
  await page.getByLabel('Your name').fill('Dana Reyes');
  await page.getByRole('radio', { name: 'Coordinator' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
}

function field(page: Page, label: string | RegExp): Locator {
  return page.getByRole('main').getByLabel(label, { exact: typeof label === 'string' });
}

/** The runner's selected step must be `n`: the keys act on it. */
async function expectSelected(page: Page, n: number) {
  await expect(page.getByTestId(`step-${n}`)).toHaveAttribute('aria-selected', 'true');
}

/** Scrolls a virtualized timeline until an entry with this text is rendered. */
async function findEntry(page: Page, scroller: Locator, text: string | RegExp): Promise<Locator> {
  const entry = scroller.getByTestId('timeline-entry').filter({ hasText: text });
  const seen = new Set<string>();
  await scroller.evaluate((el) => (el.scrollTop = 0));
  for (let i = 0; i < 30; i += 1) {
    await page.waitForTimeout(50);
    if ((await entry.count()) > 0) return entry.first();
    for (const t of await scroller.getByTestId('timeline-entry').allTextContents()) seen.add(t);
    const atEnd = await scroller.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.scrollTop += el.clientHeight * 0.8;
      return end;
    });
    if (atEnd) break;
  }
  throw new Error(`No timeline entry matches ${String(text)}; the entries are:\n${[...seen].join('\n')}`);
}

test('plan a release, import and edit a runbook, run it by keyboard through a rollback, reload, read the timeline', async ({ page, server }, testInfo) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(server.url);
  await firstRun(page);
  const main = page.getByRole('main');

  // --- plan a release ----------------------------------------------------------------------
  await page.keyboard.press('Alt+1');
  await expect(main.getByRole('heading', { level: 2, name: 'No releases yet' })).toBeVisible();
  await main.getByRole('button', { name: 'Plan a release' }).click();
  await expect(main.getByRole('heading', { level: 1, name: 'Plan a release' })).toBeVisible();
  await main.getByRole('button', { name: 'Plan release' }).click();
  await expect(main.locator('[data-field="name"]')).toHaveText('Enter a name.');
  await expect(main.locator('[data-field="version"]')).toHaveText('Enter a version.');
  await expect(field(page, /^Name/)).toBeFocused();
  await expect(field(page, /^Name/)).toHaveAttribute('aria-invalid', 'true');

  await field(page, /^Name/).fill('Orders DB schema v43');
  await field(page, /^Version/).fill('7.3.0');
  await field(page, 'Type').selectOption('minor');
  await field(page, 'Change ticket').fill('CHG-20418');
  await field(page, 'Services').fill('orders-db, orders-api');
  await field(page, 'Environment').fill('production');
  await field(page, 'Deployment strategy').selectOption('rolling');
  await field(page, 'Starts').fill('2026-11-24T22:00');
  await field(page, 'Ends').fill('2026-11-24T21:00');
  await field(page, 'Time zone (IANA)').fill('Europe/Berlin');
  await field(page, 'Owner').fill('Dana Reyes');
  await field(page, 'Scope').fill('Add fulfilment_region to orders and backfill it.');
  await main.getByRole('button', { name: 'Plan release' }).click();
  await expect(main.locator('[data-field="windowEnd"]')).toHaveText('The window must end after it starts.');
  await field(page, 'Ends').fill('2026-11-24T23:30');
  await field(page, 'Time zone (IANA)').fill('Mars/Olympus');
  await main.getByRole('button', { name: 'Plan release' }).click();
  await expect(main.locator('[data-field="zone"]')).toContainText('Not an IANA time zone');
  await field(page, 'Time zone (IANA)').fill('Europe/Berlin');
  await page.screenshot({ path: testInfo.outputPath('release-form.png'), fullPage: true });
  await main.getByRole('button', { name: 'Plan release' }).click();

  // --- the release page: facts in both zones, only the allowed moves ------------------------
  await expect(main.getByRole('heading', { level: 1 })).toContainText('Orders DB schema v43');
  await expect(main.getByTestId('release-status')).toHaveText('Planned');
  const facts = main.getByRole('complementary', { name: 'Facts' });
  // The viewer is in UTC here; the release's own zone is shown beside it.
  await expect(facts).toContainText(/Nov 24, 2026, 0?9:00\s*–\s*10:30\s*PM UTC/);
  await expect(facts).toContainText('Release zone Europe/Berlin');
  const lifecycle = main.getByRole('group', { name: 'Move the release to' });
  await expect(lifecycle.getByRole('button')).toHaveText(['Schedule', 'Cancel the release']);
  await expect(main.getByText('Go/no-go: only an emergency change may skip scheduling.')).toBeVisible();
  await lifecycle.getByRole('button', { name: 'Schedule' }).click();
  await expect(main.getByTestId('release-status')).toHaveText('Scheduled');
  await lifecycle.getByRole('button', { name: 'Open go/no-go' }).click();
  await expect(main.getByTestId('release-status')).toHaveText('Go/no-go');
  await lifecycle.getByRole('button', { name: 'Start deploying' }).click();
  await expect(main.getByTestId('release-status')).toHaveText('Deploying');
  await expect(lifecycle.getByRole('button')).toHaveText(['Deployed — stabilizing', 'Mark rolled back']);
  const releaseUrl = page.url();

  // --- import the fixture into the library, see a line-numbered error first --------------------
  await page.keyboard.press('Alt+2');
  await expect(main.getByRole('heading', { level: 2, name: 'No runbooks yet' })).toBeVisible();
  await main.getByRole('button', { name: 'Import runbook' }).click();
  await field(page, /Or paste it here/).fill('## Deploy\n\n- [ ] Switch traffic (owner: sre, expect: soon)\n');
  await expect(main.getByTestId('import-problem')).toContainText('line 3:');
  await main.getByRole('button', { name: 'Go to line 3' }).click();
  await expect(field(page, /Or paste it here/)).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath('runbook-import-error.png') });
  await main.getByLabel('Choose a file').setInputFiles(FIXTURE);
  await expect(main.getByTestId('import-summary')).toContainText('14 steps, with a rollback plan');
  await page.screenshot({ path: testInfo.outputPath('runbook-import.png') });
  await main.getByRole('button', { name: 'Import to the library' }).click();

  // --- the editor: change a step, save a new version ---------------------------------------
  await expect(main.getByRole('heading', { level: 1 })).toHaveText('Orders DB schema migration (v42 → v43)');
  await expect(main.getByText('Version 1 of 1')).toBeVisible();
  const step1 = main.getByTestId('editor-step-1');
  await step1.getByLabel('Step 1 title').fill('Confirm CHG-20418 is approved in the CAB tool');
  await expect(main.getByText('Unsaved changes.')).toBeVisible();
  await main.evaluate((el) => (el.scrollTop = 0));
  await page.screenshot({ path: testInfo.outputPath('runbook-editor.png') });
  await main.getByRole('button', { name: 'Save as version 2' }).click();
  await expect(main.getByTestId('editor-message')).toHaveText('Saved as version 2.');
  await expect(main.getByText('Version 2 of 2')).toBeVisible();

  // --- attach version 2 to the release ------------------------------------------------------
  await page.goto(releaseUrl);
  await expect(main.getByTestId('release-status')).toHaveText('Deploying');
  await main.getByLabel('Attach from the library').selectOption({ label: 'Orders DB schema migration (v42 → v43) (v2, 14 steps)' });
  await main.getByRole('button', { name: 'Attach', exact: true }).click();

  // --- the runner, by keyboard only -----------------------------------------------------------
  const steps = main.getByTestId('run-steps');
  await expect(steps).toBeFocused();
  await expectSelected(page, 1);
  await expect(main.getByTestId('step-1')).toContainText('Confirm CHG-20418 is approved in the CAB tool');
  await page.keyboard.press('b');
  await expect(main.getByTestId('step-1')).toHaveAttribute('data-state', 'in_progress');
  await page.keyboard.press('Space');
  await expect(main.getByTestId('step-1')).toHaveAttribute('data-state', 'done');
  await expectSelected(page, 2);

  await page.keyboard.press('s');
  const dialog = page.getByTestId('prompt-dialog');
  await expect(dialog.getByRole('heading', { name: 'Skip step 2' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('Give a reason');
  await page.keyboard.type('Nightly snapshot from 21:00 is fresh enough');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(main.getByTestId('step-2')).toHaveAttribute('data-state', 'skipped');
  await expect(steps).toBeFocused();

  await expectSelected(page, 3);
  await page.keyboard.press('Enter');
  await expect(main.getByTestId('step-3')).toHaveAttribute('data-state', 'done');
  await expectSelected(page, 4);
  await page.keyboard.press('n');
  await page.keyboard.type('Status page updated, #releases told');
  await page.keyboard.press('Enter');
  await expect(main.getByTestId('step-notes')).toContainText('Status page updated, #releases told');
  await page.keyboard.press(' ');
  await expect(main.getByTestId('step-4')).toHaveAttribute('data-state', 'done');

  // Step 5 waits for 2 and 3 (skipped and done count as settled); step 6 waits for step 5.
  await expectSelected(page, 5);
  await expect(main.getByTestId('step-6')).toContainText('waits for 5');
  await page.keyboard.press('b');
  await expect(main.getByTestId('step-5')).toHaveAttribute('data-state', 'in_progress');
  await page.keyboard.press('a');
  await page.keyboard.type('Sam Okafor');
  await page.keyboard.press('Enter');
  await expect(main.getByTestId('step-5')).toContainText('→ Sam Okafor');
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('e');
  await (await chooser).setFiles({ name: 'flyway-output.txt', mimeType: 'text/plain', buffer: Buffer.from('ERROR: lock timeout on orders\n') });
  await expect(main.getByTestId('step-evidence')).toContainText('flyway-output.txt');
  // A pasted screenshot is evidence too.
  await steps.evaluate((el) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'image.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(main.getByTestId('step-evidence')).toContainText(/screenshot-.*\.png/);
  await page.keyboard.press('f');
  await page.keyboard.type('Migration lock timeout on orders');
  await page.keyboard.press('Enter');
  await expect(main.getByTestId('step-5')).toHaveAttribute('data-state', 'failed');
  await expect(main.getByTestId('step-reason')).toContainText('Migration lock timeout on orders');
  await expect(main.getByTestId('run-summary')).toContainText('1 failed');
  // Moving is j/k (or the arrows) and never changes anything.
  await page.keyboard.press('j');
  await expectSelected(page, 6);
  await page.keyboard.press('k');
  await expectSelected(page, 5);
  await page.screenshot({ path: testInfo.outputPath('runner.png') });

  // --- rollback -----------------------------------------------------------------------------------
  await page.keyboard.press('Shift+R');
  await expect(dialog.getByRole('heading', { name: 'Start the rollback' })).toBeVisible();
  await page.keyboard.type('Migration failed; restore the previous version');
  await page.keyboard.press('Enter');
  const banner = main.getByTestId('rollback-banner');
  await expect(banner).toContainText('Rolling back');
  await expect(banner).toContainText('of the 30 min time-to-restore target');
  await expectSelected(page, 11);
  await page.screenshot({ path: testInfo.outputPath('runner-rollback.png') });
  for (const n of [11, 12, 13, 14]) {
    await expectSelected(page, n);
    await page.keyboard.press('Space');
    await expect(main.getByTestId(`step-${n}`)).toHaveAttribute('data-state', 'done');
  }
  await expect(banner).toContainText('Rollback finished');
  await expect(banner).toContainText('within target');
  await expect(main.getByTestId('run-state')).toHaveText('Rolled back');

  // --- reload: everything is where it was ------------------------------------------------------
  await page.reload();
  await expect(main.getByTestId('run-state')).toHaveText('Rolled back');
  for (const [n, state] of [
    [1, 'done'],
    [2, 'skipped'],
    [3, 'done'],
    [4, 'done'],
    [5, 'failed'],
    [6, 'pending'],
    [11, 'done'],
    [14, 'done'],
  ] as const) {
    await expect(main.getByTestId(`step-${n}`)).toHaveAttribute('data-state', state);
  }
  await main.getByTestId('step-2').click();
  await expect(main.getByTestId('step-reason')).toContainText('Nightly snapshot from 21:00 is fresh enough');
  await main.getByTestId('step-5').click();
  await expect(main.getByTestId('step-evidence')).toContainText('flyway-output.txt');
  await expect(main.getByTestId('step-5')).toContainText('→ Sam Okafor');
  await main.getByTestId('step-4').click();
  await expect(main.getByTestId('step-notes')).toContainText('Status page updated');
  await page.screenshot({ path: testInfo.outputPath('runner-after-reload.png') });
  await page.keyboard.press('Control+Shift+L');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await main.getByTestId('step-5').click();
  await page.screenshot({ path: testInfo.outputPath('runner-light.png') });
  // The keys are listed in the shortcuts overlay too.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Skip, with a reason');
  await page.screenshot({ path: testInfo.outputPath('shortcuts-runner-light.png') });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+L');

  // --- the release is rolled back, with its run and timeline -----------------------------------
  await page.goto(releaseUrl);
  await expect(main.getByTestId('release-status')).toHaveText('Rolled back');
  await expect(main.getByTestId('run-card')).toContainText('Rolled back');
  await page.screenshot({ path: testInfo.outputPath('release-page.png'), fullPage: true });

  await page.keyboard.press('Alt+4');
  const scroller = main.getByRole('region', { name: /^Timeline of Orders DB schema v43/ });
  await expect(scroller).toBeVisible();
  for (const sentence of [
    'Dana Reyes planned the release “Orders DB schema v43” version 7.3.0',
    'moved the release from planned to scheduled',
    'moved the release from go/no-go to deploying',
    /attached the runbook “Orders DB schema migration \(v42 → v43\)” \(template version 2\)/,
    /started step 1 “Confirm CHG-20418/,
    /completed step 1 “Confirm CHG-20418/,
    /skipped step 2 .*: Nightly snapshot from 21:00 is fresh enough/,
    /added a note to step 4 .*Status page updated, #releases told/,
    /assigned step 5 .* to Sam Okafor/,
    /attached flyway-output\.txt .* to step 5/,
    /attached screenshot-.*\.png \(8 B\) to step 5/,
    /marked step 5 .* as failed: Migration lock timeout on orders/,
    /started the rollback .*Migration failed; restore the previous version/,
    /completed step 14/,
    /finished the rollback in .* within the 30m target/,
  ]) {
    await expect(await findEntry(page, scroller, sentence), String(sentence)).toBeVisible();
  }
  const entry = await findEntry(page, scroller, /skipped step 2/);
  await expect(entry).toContainText('Dana Reyes');
  await expect(entry).toContainText('Coordinator');
  await expect(entry).toContainText('step.skipped');
  // Entries show the viewer's time with the release's zone beside it.
  await expect(entry.locator('.timeline-entry__zone')).toContainText(/GMT\+1|CET/);

  // Filter by kind of event.
  await main.getByLabel('Kind of event').selectOption('step.failed');
  await expect(scroller.getByTestId('timeline-entry')).toHaveCount(1);
  await expect(scroller.getByTestId('timeline-entry')).toContainText('Migration lock timeout');
  await main.getByLabel('Kind of event').selectOption('');
  await page.screenshot({ path: testInfo.outputPath('timeline.png') });

  await page.keyboard.press('Control+Shift+L');
  await page.screenshot({ path: testInfo.outputPath('timeline-light.png') });
  await page.goto(releaseUrl);
  await expect(main.getByTestId('release-status')).toHaveText('Rolled back');
  await page.screenshot({ path: testInfo.outputPath('release-page-light.png'), fullPage: true });
  await page.keyboard.press('Alt+1');
  await expect(main.getByTestId('release-row')).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('release-list-light.png') });
  expect(errors).toEqual([]);
});

// The renderer shell end to end: the built renderer served by a real `warroom serve` with an
// empty data folder, driven in Chromium by keyboard. Screenshots of each screen are kept in
// the test output folder.
import type { ConsoleMessage, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// `heading` is the level-2 heading a fresh data folder shows; `placeholder` marks sections that
// are still the "what you will be able to do here" panel.
const SECTIONS = [
  { id: 'releases', label: 'Releases', heading: 'No releases yet', placeholder: false },
  { id: 'runbooks', label: 'Runbooks', heading: 'No runbooks yet', placeholder: false },
  { id: 'gonogo', label: 'Go/No-Go', heading: 'No release to decide on', placeholder: true },
  { id: 'timeline', label: 'Timeline', heading: 'Nothing recorded yet', placeholder: true },
  { id: 'metrics', label: 'Metrics', heading: 'No release to watch', placeholder: true },
  { id: 'postmortems', label: 'Post-mortems', heading: 'No post-mortems yet', placeholder: true },
  { id: 'sync', label: 'Sync', heading: 'Sync not set up', placeholder: true },
  { id: 'audit', label: 'Audit', heading: 'Every chain holds', placeholder: false },
] as const;

const LAST = SECTIONS[SECTIONS.length - 1]!;

type Section = (typeof SECTIONS)[number];

/** Console errors and uncaught exceptions, so a CSP violation or a crash fails the test. */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function appInfo(page: Page, url: string) {
  const response = await page.request.post(new URL('api/app.info', url).href, { data: {} });
  const body = (await response.json()) as {
    value: { device: { id: string; fingerprint: string }; version: string };
  };
  return body.value;
}

async function completeFirstRun(page: Page, name: string, role: RegExp) {
  await expect(page.getByRole('heading', { level: 1, name: 'Who is at this device?' })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('radio', { name: role }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
}

function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Sections' });
}

async function expectSection(page: Page, section: Section) {
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: section.label, exact: true })).toBeVisible();
  await expect(main.getByRole('heading', { level: 2, name: section.heading })).toBeVisible();
  if (section.placeholder) await expect(main.getByText('What you will be able to do here')).toBeVisible();
  await expect(nav(page).getByRole('link', { name: section.label, exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(nav(page).locator('[aria-current="page"]')).toHaveCount(1);
  await expect(page).toHaveURL(new RegExp(`#${section.id}$`));
  await expect(page).toHaveTitle(`${section.label} — Release War Room`);
}

test('first run asks for name and role, shows errors next to the fields, then opens the shell', async ({ page, server }, testInfo) => {
  const errors = collectPageErrors(page);
  await page.goto(server.url);

  const name = page.getByLabel('Your name');
  await expect(name).toBeFocused();
  await expect(page.getByRole('radio')).toHaveCount(5);
  for (const label of ['Coordinator', 'On-call engineer', 'Approver', 'Lead', 'Observer']) {
    await expect(page.getByRole('radio', { name: label, exact: true })).toBeVisible();
  }
  await page.screenshot({ path: testInfo.outputPath('first-run.png') });

  // Submitting by keyboard with nothing filled in: each problem is shown at its field, and the
  // field says so to assistive technology.
  await page.keyboard.type('   ');
  await page.keyboard.press('Enter');
  const nameError = page.locator('[data-field="name"]');
  await expect(nameError).toHaveText('Enter a name.');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAttribute('aria-describedby', new RegExp(await nameError.getAttribute('id').then(String)));
  await expect(name).toBeFocused();
  await expect(page.locator('[data-field="role"]')).toHaveText('Choose the role you play in releases.');
  await page.screenshot({ path: testInfo.outputPath('first-run-errors.png'), fullPage: true });

  // Fix both by keyboard only: type the name, Tab into the role group, arrows pick a role.
  await name.fill('');
  await page.keyboard.type('Dana Reyes');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('radio', { name: 'Coordinator' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'On-call engineer' })).toBeChecked();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('radio', { name: 'Coordinator' })).toBeChecked();
  await page.keyboard.press('Enter');

  const status = page.getByRole('contentinfo');
  await expect(status.getByText('Dana Reyes')).toBeVisible();
  await expect(status.getByText('Coordinator', { exact: true })).toBeVisible();
  await expectSection(page, SECTIONS[0]);
  await expect(page.getByRole('heading', { level: 1, name: 'Releases' })).toBeFocused();
  expect(errors).toEqual([]);
});

test('every section is reachable by keyboard: Ctrl+digit, Alt+digit and the arrow keys in the navigation', async ({ page, server }, testInfo) => {
  const errors = collectPageErrors(page);
  await page.goto(server.url);
  await completeFirstRun(page, 'Sam Okafor', /on-call engineer/i);

  for (const [index, section] of SECTIONS.entries()) {
    await page.keyboard.press(`Control+${index + 1}`);
    await expectSection(page, section);
    // The jump puts focus on the heading, so the next Tab starts in the new section.
    await expect(page.getByRole('heading', { level: 1, name: section.label, exact: true })).toBeFocused();
    await page.screenshot({ path: testInfo.outputPath(`section-${section.id}.png`) });
  }

  // A real browser keeps Ctrl+digit for its own tabs, so Alt+digit is the in-page way; the
  // navigation shows it and announces both.
  for (const [index, section] of [...SECTIONS.entries()].reverse()) {
    await page.keyboard.press(`Alt+${index + 1}`);
    await expectSection(page, section);
    await expect(page.getByRole('heading', { level: 1, name: section.label, exact: true })).toBeFocused();
  }
  const firstLink = nav(page).getByRole('link', { name: SECTIONS[0].label, exact: true });
  await expect(firstLink).toHaveAttribute('aria-keyshortcuts', 'Control+1 Alt+1');
  await expect(firstLink).toContainText('Alt+1');
  // Ctrl+Alt is AltGr on many layouts: typing a character, never a jump.
  await page.keyboard.press('Control+Alt+3');
  await expectSection(page, SECTIONS[0]);
  await page.keyboard.press(`Alt+${SECTIONS.length}`);

  // `g` then a digit needs no modifier, so it works in any browser (Linux browsers take Alt+digit
  // for tabs as well). Typed into a field it is just text.
  await page.keyboard.press('g');
  await page.keyboard.press('4');
  await expectSection(page, SECTIONS[3]!);
  await page.keyboard.press('g');
  await page.keyboard.press(String(SECTIONS.length));
  await expectSection(page, SECTIONS[SECTIONS.length - 1]!);

  // Roving tabindex: exactly one link in the list is a tab stop, the open section's.
  const links = nav(page).getByRole('link');
  await expect(links).toHaveCount(SECTIONS.length);
  await expect(nav(page).locator('a[tabindex="0"]')).toHaveCount(1);
  await expect(nav(page).locator('a[tabindex="0"]')).toHaveAttribute('aria-current', 'page');

  // From the heading of the last section, Shift+Tab walks back through the sidebar into the list.
  await page.keyboard.press('Shift+Tab'); // Shortcuts button
  await page.keyboard.press('Shift+Tab'); // theme button
  await page.keyboard.press('Shift+Tab'); // the list's one tab stop
  await expect(nav(page).getByRole('link', { name: LAST.label })).toBeFocused();

  await page.keyboard.press('ArrowDown'); // wraps to the first
  await expect(nav(page).getByRole('link', { name: 'Releases' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expectSection(page, SECTIONS[0]);
  await expect(nav(page).getByRole('link', { name: 'Releases' })).toBeFocused();

  for (const section of SECTIONS.slice(1)) {
    await page.keyboard.press('ArrowDown');
    await expect(nav(page).getByRole('link', { name: section.label, exact: true })).toBeFocused();
    await page.keyboard.press(section.id === 'gonogo' ? ' ' : 'Enter');
    await expectSection(page, section);
  }

  await page.keyboard.press('Home');
  await expect(nav(page).getByRole('link', { name: 'Releases' })).toBeFocused();
  await page.keyboard.press('ArrowUp'); // wraps to the last
  await expect(nav(page).getByRole('link', { name: LAST.label })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expectSection(page, SECTIONS[SECTIONS.length - 2]!);
  await page.keyboard.press('End');
  await expect(nav(page).getByRole('link', { name: LAST.label })).toBeFocused();

  // The Sync section already shows this device's identity in full.
  const info = await appInfo(page, server.url);
  await page.keyboard.press('Control+7');
  await expect(page.getByRole('main').getByText(info.device.id, { exact: true })).toBeVisible();
  await expect(page.getByRole('main').getByText(info.device.fingerprint, { exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the theme toggles by key and by button, and is remembered; the shortcuts overlay opens and closes', async ({ page, server }, testInfo) => {
  const errors = collectPageErrors(page);
  await page.goto(server.url);
  await completeFirstRun(page, 'Ari Lindqvist', /approver/i);
  const html = page.locator('html');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await expect(html).toHaveAttribute('data-theme', 'dark');
  const dark = await background();
  await page.keyboard.press('Control+Shift+L');
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await background()).not.toBe(dark);
  await page.screenshot({ path: testInfo.outputPath('section-releases-light.png') });
  await page.keyboard.press('Control+7');
  await page.screenshot({ path: testInfo.outputPath('section-sync-light.png') });

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).press('Enter');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  await expect(html).toHaveAttribute('data-theme', 'light');

  // `?` opens the overlay as a modal dialog; Esc closes it and focus returns where it was.
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeHidden();
  await page.keyboard.press('Control+2');
  await page.keyboard.press('?');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Open Post-mortems')).toBeVisible();
  // Both ways to open a section are listed, the one that works in a browser first.
  await expect(dialog.locator('.shortcuts__row', { hasText: 'in any browser' })).toHaveText(/g\s*then\s*1–\d/);
  await expect(dialog.locator('.shortcuts__row', { hasText: 'Open Post-mortems' })).toHaveText(/Alt\s*\+\s*6\s*or\s*Ctrl\s*\+\s*6/);
  await expect(dialog.getByRole('button', { name: /close/i })).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath('shortcuts-light.png') });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Runbooks' })).toBeFocused();

  // The button opens it too; a section shortcut while it is open closes it and jumps.
  await page.keyboard.press('Control+Shift+L');
  await page.getByRole('button', { name: /shortcuts/i }).click();
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('shortcuts-dark.png') });
  await page.keyboard.press('Control+4');
  await expect(dialog).toBeHidden();
  await expectSection(page, SECTIONS[3]!);
  expect(errors).toEqual([]);
});

test('the status bar names the person, role, device and sync state; a reload keeps the profile', async ({ page, server }, testInfo) => {
  const errors = collectPageErrors(page);
  await page.goto(server.url);
  await completeFirstRun(page, 'Morgan Lee', /^lead$/i);
  const info = await appInfo(page, server.url);

  const status = page.getByRole('contentinfo');
  await expect(status.getByTestId('status-person')).toHaveText(/Morgan Lee\s*·\s*Lead/);
  await expect(status.getByTestId('status-device')).toContainText(info.device.id.slice(0, 8));
  await expect(status.getByTestId('status-device')).toContainText(info.device.fingerprint);
  await expect(status.getByTestId('status-sync')).toHaveText(/Sync not set up/);
  await expect(status.getByRole('status')).toHaveText('Online');
  await expect(status).toContainText(`v${info.version}`);

  // Skip link: the first Tab on the page reveals it, Enter moves focus to the content.
  await page.keyboard.press('Control+3');
  await page.reload();
  await expectSection(page, SECTIONS[2]);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath('after-reload.png') });

  // The profile lives in the core, not the page: a fresh page skips first run as well.
  const fresh = await page.context().newPage();
  await fresh.goto(server.url);
  await expect(fresh.getByRole('contentinfo').getByTestId('status-person')).toHaveText(/Morgan Lee\s*·\s*Lead/);
  await expect(fresh.getByRole('heading', { name: 'Who is at this device?' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

// Issue 6 end to end: a release created through the API, its go/no-go board opened, criteria
// answered by keyboard, a self-approval refused with the rule, and a go with conditions under an
// exception moving the release to deploying; then two laptops (two `serve` instances on one
// shared folder) where the creator is refused and another approver's sign-off counts on both.
import type { APIRequestContext, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startServe, test } from './fixtures.ts';

async function api<T>(request: APIRequestContext, base: string, method: string, data: unknown, token?: string): Promise<T> {
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  const body = (await (await request.post(new URL(`api/${method}`, base).href, { data, ...(headers ? { headers } : {}) })).json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

async function focusedCriterion(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-criterion') ?? null);
}

test('answer a checklist by keyboard, see a self-approval refused, decide go with conditions', async ({ page, server }, testInfo) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1600, height: 1000 });
  await api(page.request, server.url, 'profile.set', { name: 'Dana Reyes', role: 'lead' });
  const release = await api<{ id: string }>(page.request, server.url, 'release.create', { name: 'Checkout hotfix', version: '7.3.1', type: 'emergency' });
  await api(page.request, server.url, 'release.transition', { id: release.id, to: 'go_no_go' });

  // The picker lists the release; the board starts without a checklist.
  await page.goto(new URL('#gonogo', server.url).href);
  const main = page.getByRole('main');
  await main.getByRole('button', { name: /Checkout hotfix/ }).click();
  await expect(main.getByRole('heading', { name: 'No checklist on this release yet' })).toBeVisible();
  await main.getByRole('button', { name: 'Attach the default checklist' }).click();
  await expect(main.getByRole('heading', { name: 'Readiness', level: 2 })).toBeVisible();
  await expect(page.getByTestId('gonogo-state')).toHaveText('open items');
  await expect(page.getByTestId('status-gonogo')).toHaveText('Go/no-go: open items');

  // Keyboard: M on the first criterion, ↓, M, ↓, N with a comment, ↓↓, W with a comment.
  const first = main.locator('[data-criterion="scope-frozen"]');
  await first.focus();
  await page.keyboard.press('m');
  await expect(first).toContainText('Met');
  await expect(first).toContainText('Dana Reyes (lead)');
  expect(await focusedCriterion(page)).toBe('scope-frozen');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('m');
  await expect(main.locator('[data-criterion="change-approved"]')).toContainText('Met');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await focusedCriterion(page)).toBe('regression-passed');
  await page.keyboard.press('n');
  await page.keyboard.type('2 flaky payment tests');
  await page.keyboard.press('Tab');
  await page.keyboard.type('https://ci.example.com/run/4411');
  await page.keyboard.press('Enter');
  const regression = main.locator('[data-criterion="regression-passed"]');
  await expect(regression).toContainText('Not met');
  await expect(regression).toContainText('2 flaky payment tests');
  await expect(regression.getByRole('link', { name: 'https://ci.example.com/run/4411' })).toBeVisible();
  expect(await focusedCriterion(page)).toBe('regression-passed');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('w');
  await page.keyboard.type('same data as production');
  await page.keyboard.press('Enter');
  await expect(main.locator('[data-criterion="staging-verified"]')).toContainText('Waived');

  // A change is a new answer; H shows every answer, oldest first.
  const staging = main.locator('[data-criterion="staging-verified"]');
  await page.keyboard.press('m');
  await expect(staging.locator('.gonogo-criterion__state')).toHaveText('Met');
  await page.keyboard.press('h');
  const history = staging.getByRole('list', { name: /Answers to/ });
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history.getByRole('listitem').first()).toContainText('Waived — Dana Reyes (lead)');
  await expect(history.getByRole('listitem').first()).toContainText('same data as production');
  await expect(history.getByRole('listitem').last()).toContainText('Met — Dana Reyes (lead)');

  // E: met, with a file as evidence (stored once by its hash, like runbook evidence).
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await focusedCriterion(page)).toBe('rollback-tested');
  await page.keyboard.press('e');
  await main.getByLabel('Or attach a file').setInputFiles({ name: 'rollback-drill.txt', mimeType: 'text/plain', buffer: Buffer.from('restored in 4m12s') });
  await main.getByLabel('Comment (optional)').press('Enter');
  await expect(main.locator('[data-criterion="rollback-tested"]')).toContainText('evidence: rollback-drill.txt');
  await expect(page.getByTestId('gonogo-blockers')).toContainText('Not met: 100% of regression tests passed');
  await expect(page.getByTestId('gonogo-blockers')).toContainText('Missing sign-off: Technical lead.');

  // Self-approval: Dana created the release.
  await main.getByRole('button', { name: 'Sign as technical lead' }).click();
  await expect(page.getByTestId('signoff-message')).toHaveText(/Refused: segregation of duties \(creator\): Dana Reyes created the release and may not approve it/);
  await page.screenshot({ path: testInfo.outputPath('gonogo-board-before.png'), fullPage: true });

  // A go needs the exception: the board asks for it.
  const decision = main.getByRole('region', { name: 'Decision' });
  await decision.getByRole('radio', { name: 'Go with conditions' }).check();
  await decision.getByLabel('Rationale').fill('Payments are failing; the fix is one line');
  await decision.getByLabel('Conditions', { exact: true }).fill('Roll back at the first 5xx spike');
  await decision.getByLabel(/Exception: why go with \d+ open items/).fill('Emergency change INC-4411, CAB chair approved by phone');
  await decision.getByRole('button', { name: 'Record go with conditions' }).click();
  await expect(page.getByTestId('gonogo-state')).toHaveText('GO with conditions');
  await expect(page.getByTestId('status-gonogo')).toHaveText('Go/no-go: GO with conditions');
  await expect(main).toContainText('Release deploying');
  await expect(decision).toContainText('Go with conditions — Dana Reyes');
  await expect(decision).toContainText('Exception: Emergency change INC-4411, CAB chair approved by phone');
  // The board from its top, the decision at the top of the side column: what the wall shows.
  await page.evaluate(() => document.querySelectorAll('main, main *, .gonogo-side').forEach((el) => el.scrollTo?.(0, 0)));
  await page.screenshot({ path: testInfo.outputPath('gonogo-board-after.png'), fullPage: true });

  const detail = await api<{ status: string; decision: string }>(page.request, server.url, 'release.get', { id: release.id });
  expect(detail).toMatchObject({ status: 'deploying', decision: 'go_with_conditions' });
  expect(errors).toEqual([]);
});

test('two laptops on one shared folder: the creator is refused, another approver signs, the decision moves the release', async ({ page, browser, server }, testInfo) => {
  test.setTimeout(120_000);
  const shared = mkdtempSync(join(tmpdir(), 'warroom-e2e-shared-'));
  const otherDir = mkdtempSync(join(tmpdir(), 'warroom-e2e-'));
  const other = await startServe(otherDir);
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    const casey = (method: string, data: unknown) => api(page.request, server.url, method, data);
    const dana = (method: string, data: unknown) => api(context.request, other.url, method, data);
    await casey('profile.set', { name: 'Casey Wu', role: 'lead' });
    await dana('profile.set', { name: 'Dana Reyes', role: 'lead' });
    await casey('sync.setup', { folder: shared, pollMs: 200 });
    await dana('sync.setup', { folder: shared, pollMs: 200 });
    const danaDevice = (await api<{ device: { id: string } }>(context.request, other.url, 'app.info', {})).device.id;
    await casey('sync.admit', { device: danaDevice });
    const release = await api<{ id: string }>(page.request, server.url, 'release.create', { name: 'Search 3.8', version: '3.8.0', type: 'emergency' });
    await casey('release.transition', { id: release.id, to: 'go_no_go' });
    await casey('gonogo.attach', { release: release.id });
    const syncBoth = async () => {
      await casey('sync.now', {});
      await dana('sync.now', {});
      await casey('sync.now', {});
    };
    await expect(async () => {
      await syncBoth();
      await dana('gonogo.get', { release: release.id });
    }).toPass({ timeout: 20_000 });

    // Casey, at the first laptop, created the release: refused.
    await page.goto(new URL(`#gonogo/${release.id}`, server.url).href);
    const main = page.getByRole('main');
    await main.getByRole('button', { name: 'Sign as technical lead' }).click();
    await expect(page.getByTestId('signoff-message')).toHaveText(/segregation of duties \(creator\): Casey Wu created the release/);

    // Dana, at the second laptop, signs.
    const second = await context.newPage();
    await second.goto(new URL(`#gonogo/${release.id}`, other.url).href);
    await second.getByRole('main').getByRole('button', { name: 'Sign as technical lead' }).click();
    await expect(second.locator('[data-role="technical_lead"]')).toContainText('Signed');
    await second.screenshot({ path: testInfo.outputPath('gonogo-second-laptop.png') });

    // After sync the first laptop counts Dana's sign-off.
    await expect(async () => {
      await syncBoth();
      await expect(page.locator('[data-role="technical_lead"]')).toContainText('Dana Reyes', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.locator('[data-role="technical_lead"] .badge')).toHaveText('Signed');

    const decision = main.getByRole('region', { name: 'Decision' });
    await decision.getByRole('radio', { name: 'Go with conditions' }).check();
    await decision.getByLabel('Rationale').fill('Search latency fix, approved by the technical lead');
    await decision.getByLabel('Conditions', { exact: true }).fill('Canary at 5 % for 30 minutes first');
    await decision.getByLabel(/Exception: why go with \d+ open items/).fill('Emergency change: search outage');
    await decision.getByRole('button', { name: 'Record go with conditions' }).click();
    await expect(page.getByTestId('gonogo-state')).toHaveText('GO with conditions');
    await expect(main).toContainText('Release deploying');
    await page.evaluate(() => document.querySelectorAll('main, main *, .gonogo-side').forEach((el) => el.scrollTo?.(0, 0)));
    await page.screenshot({ path: testInfo.outputPath('gonogo-two-laptops-after.png') });
    await expect(async () => {
      await syncBoth();
      await expect(second.getByTestId('gonogo-state')).toHaveText('GO with conditions', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  } finally {
    await context.close();
    await other.stop();
    rmSync(otherDir, { recursive: true, force: true });
    rmSync(shared, { recursive: true, force: true });
  }
});

test('a read-only wall display shows the board, its sign-offs and the decision with nothing to press', async ({ page, request }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'warroom-e2e-wall-'));
  const readToken = 'wall-display-read-only';
  const writeToken = 'coordinator-write-token';
  const serve = await startServe(dataDir, ['--host', '0.0.0.0', '--token', readToken, '--write-token', writeToken]);
  try {
    const base = `http://127.0.0.1:${new URL(serve.url).port}/`;
    const call = (method: string, data: unknown) => api(request, base, method, data, writeToken);
    await call('profile.set', { name: 'Noor Haddad', role: 'coordinator' });
    const release = await api<{ id: string }>(request, base, 'release.create', { name: 'Billing 2.4', version: '2.4.0', type: 'emergency' }, writeToken);
    await call('release.transition', { id: release.id, to: 'go_no_go' });
    await call('gonogo.attach', { release: release.id });
    await call('gonogo.answer', { release: release.id, criterion: 'scope-frozen', answer: 'met' });
    await call('gonogo.decide', { release: release.id, outcome: 'no_go', rationale: 'payment provider maintenance' });

    await page.goto(`${base}?token=${readToken}#gonogo/${release.id}`);
    const main = page.getByRole('main');
    await expect(page.getByTestId('gonogo-state')).toHaveText('NO-GO');
    await expect(main.locator('[data-criterion="scope-frozen"]')).toContainText('Noor Haddad (coordinator)');
    await expect(main.getByRole('region', { name: 'Decision' })).toContainText('payment provider maintenance');
    await expect(main.getByRole('button', { name: /^Sign as/ })).toHaveCount(0);
    await expect(main.getByRole('button', { name: /^Record/ })).toHaveCount(0);
    await expect(main.getByRole('button', { name: 'Met' })).toHaveCount(0);
    await main.locator('[data-criterion="scope-frozen"]').focus();
    await page.keyboard.press('n');
    await expect(main.getByRole('textbox')).toHaveCount(0);
    await page.keyboard.press('h');
    await expect(main.getByRole('list', { name: /Answers to/ }).getByRole('listitem')).toHaveCount(1);
  } finally {
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

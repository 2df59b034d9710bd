// Issue 7 end to end: a real Prometheus scraping a test exporter every second, `warroom serve`
// refreshing live releases every second, and the Metrics section in Chromium. The source, a panel
// and an alert rule are added through the UI; live data is drawn; raising the exporter's error
// rate fires the rule and shows the alert banner with Start rollback; stabilization starts with
// its countdown; lowering the error rate clears the banner; an outage shows on the panel (data
// kept, rule without data) and recovers; Start rollback starts the runbook rollback with the
// alert as its reason. Screenshots in both themes.
import type { APIRequestContext } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';
import { expect, startServe, test } from './fixtures.ts';

const RUNBOOK = `---
title: Checkout deploy
---

## Deploy

- [ ] Roll out checkout 4.2 (owner: sre, expect: 5m, kind: command)

## Rollback (target: 10m)

- [ ] Roll back to checkout 4.1 (owner: sre, expect: 5m, kind: command)
`;

const ERROR_RATE = 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))';

async function api<T>(request: APIRequestContext, base: string, method: string, data: unknown): Promise<T> {
  const body = (await (await request.post(new URL(`api/${method}`, base).href, { data })).json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

let prometheus: RunningPrometheus | null = null;
test.afterEach(async () => {
  await prometheus?.stop();
  prometheus = null;
});

test('live Prometheus panel, a rule that fires the alert banner with Start rollback, and the stabilization countdown', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  prometheus = await startPrometheus();
  const dataDir = mkdtempSync(join(tmpdir(), 'warroom-e2e-metrics-'));
  const server = await startServe(dataDir, ['--metrics-refresh-ms', '1000']);
  try {
    await page.setViewportSize({ width: 1600, height: 1100 });
    await api(page.request, server.url, 'profile.set', { name: 'Ana Ortiz', role: 'engineer' });
    const release = await api<{ id: string }>(page.request, server.url, 'release.create', { name: 'Checkout', version: '4.2.0', type: 'emergency' });
    await api(page.request, server.url, 'runbook.import', { text: RUNBOOK, name: 'checkout.md', release: release.id });

    // Choose the release; it has no sources yet.
    await page.goto(new URL('#metrics', server.url).href);
    const main = page.getByRole('main');
    await main.getByRole('button', { name: /Checkout/ }).click();
    await expect(main.getByRole('heading', { name: 'No metric sources yet' })).toBeVisible();

    // Add the Prometheus source and test the connection.
    await main.getByRole('button', { name: 'Add a source' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('prom');
    await dialog.getByLabel('Prometheus URL').fill(prometheus.url);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByTestId('source-test')).toContainText('Connected');
    await dialog.getByRole('button', { name: 'Save source' }).click();
    await expect(dialog).toBeHidden();
    await expect(main.getByRole('heading', { name: 'No panels on this release' })).toBeVisible();

    // A panel by keyboard: A opens the editor, Tab moves through the fields.
    await page.keyboard.press('a');
    await expect(dialog.getByRole('heading', { name: 'Add a panel' })).toBeVisible();
    await page.keyboard.type('Request rate');
    await dialog.getByLabel('Query 1 (PromQL, or the metric name of a feed)').fill('sum by (code) (rate(http_requests_total[5s]))');
    await page.keyboard.press('Tab');
    await page.keyboard.type('HTTP {{code}}');
    await dialog.getByLabel('Unit', { exact: true }).fill('req/s');
    await dialog.getByRole('button', { name: 'Save panel' }).click();
    await expect(dialog).toBeHidden();
    await expect(main.locator('[data-panel="request-rate"]')).toBeVisible();

    // The rule "error rate > 2 % for 5 s".
    await main.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByLabel('Title', { exact: true }).fill('Error rate above 2 %');
    await dialog.getByLabel('Query', { exact: true }).fill(ERROR_RATE);
    await dialog.getByLabel('Value', { exact: true }).fill('0.02');
    await dialog.getByLabel('For', { exact: true }).fill('5s');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await expect(dialog).toBeHidden();
    const rule = main.locator('[data-rule="error-rate-above-2"]');
    await expect(rule).toBeVisible();

    // Deploying: the core refreshes every second and the chart draws live data.
    await api(page.request, server.url, 'release.transition', { id: release.id, to: 'go_no_go' });
    await api(page.request, server.url, 'release.transition', { id: release.id, to: 'deploying' });
    await expect(page.getByTestId('metrics-release-status')).toHaveText('deploying');
    const panel = main.locator('[data-panel="request-rate"]');
    await expect(panel.getByTestId('panel-state')).toHaveText('ok', { timeout: 30_000 });
    await expect(panel.locator('path.recharts-line-curve').first()).toHaveAttribute('d', /L/, { timeout: 30_000 });
    await expect(panel.getByRole('list', { name: 'Series of Request rate' })).toContainText('HTTP 200');
    await expect(rule.getByTestId('rule-state')).toHaveText('ok', { timeout: 30_000 });
    await expect(page.getByTestId('live-toggle')).toContainText('Live · every 1 s');
    await page.screenshot({ path: testInfo.outputPath('metrics-dashboard.png') });

    // L pauses and resumes.
    await page.keyboard.press('l');
    await expect(page.getByTestId('live-toggle')).toContainText('Paused');
    await page.keyboard.press('l');
    await expect(page.getByTestId('live-toggle')).toContainText('Live');

    // 20 % errors: the rule fires after its 5 s and the banner offers the rollback.
    prometheus.exporter.setErrorRate(0.2);
    const banner = page.locator('[data-testid="metric-alert"][data-rule="error-rate-above-2"][data-state="firing"]');
    await expect(banner).toBeVisible({ timeout: 45_000 });
    await expect(banner).toContainText('Error rate above 2 %');
    await expect(banner.getByRole('button', { name: 'Start rollback' })).not.toHaveAttribute('aria-disabled', 'true');
    await expect(rule.getByTestId('rule-state')).toHaveText('firing');
    await banner.getByRole('button', { name: 'Explain' }).click();
    await expect(banner).toContainText(ERROR_RATE);
    await page.screenshot({ path: testInfo.outputPath('metrics-alert-banner.png') });

    // The banner follows into other sections.
    await page.keyboard.press('g');
    await page.keyboard.press('1');
    await expect(banner).toBeVisible();
    await page.keyboard.press('g');
    await page.keyboard.press('5');
    await expect(page.getByTestId('live-toggle')).toBeVisible();

    // Stabilization for 24 h: the countdown runs.
    await main.getByRole('button', { name: 'Start stabilization' }).click();
    const stab = main.getByTestId('stabilization');
    await expect(stab.getByTestId('stabilization-countdown')).toContainText(/23:59:\d\d left/);
    await expect(stab.getByRole('button', { name: 'Close stabilization' })).toHaveAttribute('aria-disabled', 'true');
    await expect(stab).toContainText('Closing needs every exit criterion met');
    await expect(page.getByTestId('metrics-release-status')).toHaveText('stabilizing');
    await stab.getByRole('button', { name: 'Hand off the shift' }).click();
    await stab.getByLabel('From', { exact: true }).fill('Ana Ortiz');
    await stab.getByLabel('To', { exact: true }).fill('Sam Lee');
    await stab.getByLabel('Notes', { exact: true }).fill('Error spike at 21:00 rolled off; rate back under 1 %.');
    await stab.getByLabel('What to watch (optional)').fill('checkout 500s');
    await stab.getByRole('button', { name: 'Record hand-off' }).click();
    await expect(stab).toContainText('Ana Ortiz → Sam Lee');
    await expect(stab).toContainText('Watch: checkout 500s');
    // Each tick is saved first, then shown: click and wait for the core's answer.
    for (const box of await stab.getByRole('checkbox').all()) {
      await box.click();
      await expect(box).toBeChecked();
    }
    await expect(stab.getByRole('button', { name: 'Close stabilization' })).not.toHaveAttribute('aria-disabled', 'true');
    await stab.screenshot({ path: testInfo.outputPath('metrics-stabilization.png') });

    // Back to no errors: the rule resolves and the banner goes away.
    prometheus.exporter.setErrorRate(0);
    await expect(banner).toHaveCount(0, { timeout: 60_000 });
    await expect(rule.getByTestId('rule-state')).toHaveText('ok');

    // Prometheus down: the panel says so with the message and keeps drawing its last good data;
    // the rule is "no data", never a silent ok. Back up: the panel recovers.
    await prometheus.kill();
    await expect(panel.getByTestId('panel-state')).toHaveText('error', { timeout: 30_000 });
    await expect(panel.locator('.metrics-card__error')).not.toBeEmpty();
    await expect(panel.locator('path.recharts-line-curve').first()).toHaveAttribute('d', /L/);
    await expect(rule.getByTestId('rule-state')).toHaveText('no data', { timeout: 30_000 });
    await page.screenshot({ path: testInfo.outputPath('metrics-outage.png') });
    await prometheus.start();
    await expect(panel.getByTestId('panel-state')).toHaveText('ok', { timeout: 30_000 });

    // The light theme keeps charts and states readable.
    await page.keyboard.press('Control+Shift+L');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await page.screenshot({ path: testInfo.outputPath('metrics-dashboard-light.png') });

    // One click from the alert to the runbook rollback, with the alert as the recorded reason.
    prometheus.exporter.setErrorRate(0.2);
    await expect(banner).toBeVisible({ timeout: 45_000 });
    await banner.getByRole('button', { name: 'Start rollback' }).click();
    await expect(banner).toContainText('Rollback started');
    const timeline = await api<{ items: { type: string; data: { reason?: string } }[] }>(page.request, server.url, 'timeline.page', { release: release.id, type: 'rollback.started' });
    expect(timeline.items[0]?.data.reason).toMatch(/^Alert: Error rate above 2 % — /);
    await expect(banner.getByRole('button', { name: 'Start rollback' })).toHaveAttribute('aria-disabled', 'true', { timeout: 15_000 });
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('serve-output', { body: server.output(), contentType: 'text/plain' });
    rmSync(dataDir, { recursive: true, force: true });
  }
});

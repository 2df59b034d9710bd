// The runner's clocks against a real core: a step that runs past its expected duration is shown
// as overrunning, and a rollback that takes longer than its time-to-restore target is shown — and
// recorded — as a miss.
import { expect, test } from './fixtures.ts';

const RUNBOOK = `---
title: Feature flag flip
---

## Flip

- [ ] Turn on the flag for 5 % of users (owner: sre, expect: 1s, kind: command)
- [ ] Watch the error rate (owner: sre, expect: 10m, kind: verification, after: 1)

## Rollback (target: 1s)

- [ ] Turn the flag off (owner: sre, expect: 1s, kind: command)
`;

test('an overrunning step is highlighted and a rollback past its target is shown and recorded as missed', async ({ page, server, request }, testInfo) => {
  const api = async <T,>(method: string, data: unknown) => ((await (await request.post(new URL(`api/${method}`, server.url).href, { data })).json()) as { value: T }).value;
  await api('profile.set', { name: 'Kai Moreno', role: 'engineer' });
  // An emergency change may go straight to go/no-go; a rollback needs a deployment under way.
  const release = await api<{ id: string }>('release.create', { name: 'Flags 1.2', version: '1.2.0', type: 'emergency' });
  const imported = await api<{ run: { id: string } }>('runbook.import', { text: RUNBOOK, name: 'flag-flip.md', release: release.id });

  await page.goto(`${server.url}#releases/${release.id}/run/${imported.run.id}`);
  const main = page.getByRole('main');
  await expect(main.getByTestId('run-steps')).toBeFocused();
  await page.keyboard.press('b');
  await expect(main.getByTestId('step-1')).toHaveAttribute('data-state', 'in_progress');
  // The timer runs in the page: no request is needed for it to move past the estimate.
  await expect(main.getByTestId('step-1')).toContainText(/over by \d+s/, { timeout: 5000 });
  await expect(main.getByTestId('step-1')).toHaveClass(/run-step--over/);
  await expect(main.getByTestId('run-summary')).toContainText('over time: step 1');
  await page.screenshot({ path: testInfo.outputPath('runner-overrun.png') });

  // Before the deployment starts there is nothing to roll back: the runner says so.
  await page.keyboard.press('Shift+R');
  await expect(main.getByTestId('runner-problem')).toContainText('A rollback starts once the release is deploying or stabilizing; it is planned now.');
  await api('release.transition', { id: release.id, to: 'go_no_go' });
  await api('release.transition', { id: release.id, to: 'deploying' });
  await expect(main.getByRole('button', { name: /Start rollback/ })).not.toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Shift+R');
  await page.keyboard.type('Error rate doubled');
  await page.keyboard.press('Enter');
  const banner = main.getByTestId('rollback-banner');
  await expect(banner).toContainText('of the 1s time-to-restore target');
  await expect(banner).toContainText(/target missed by/, { timeout: 5000 });
  await expect(banner).toHaveClass(/rollback-banner--missed/);
  await page.screenshot({ path: testInfo.outputPath('runner-rollback-missed.png') });
  await page.keyboard.press('Space');
  await expect(main.getByTestId('run-state')).toHaveText('Rolled back');
  await expect(banner).toContainText('Rollback finished');
  await expect(banner).toContainText(/target missed by/);

  // The miss is on the record, not only on the screen.
  await page.reload();
  await expect(main.getByTestId('rollback-banner')).toContainText(/target missed by/);
  await page.keyboard.press('Alt+4');
  await expect(main.getByTestId('timeline-entry').filter({ hasText: /finished the rollback in \d+s, missing the 1s target/ })).toHaveCount(1);
});

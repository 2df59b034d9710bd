// End-to-end tests: the built renderer served by `warroom serve`, driven in Debian's Chromium
// (never a downloaded browser), plus the Electron shell's tests where its binary exists.
import { defineConfig } from '@playwright/test';

const chromium = process.env.WARROOM_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  outputDir: 'test-results/e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'chromium', testDir: 'test/e2e' },
    { name: 'electron', testDir: 'test/electron' },
  ],
});

// `npm test`: the whole suite in one command — native-module check, typecheck, lint, build,
// vitest (core and shared under Node) and Playwright (renderer in Chromium, Electron shell) —
// ending with one line `N passed, N failed[, N skipped]` that adds up every test that ran.
// Typecheck and lint count as one check each. The line is also written to test-results/summary.txt.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const only = process.argv.slice(2); // e.g. `npm test -- unit` runs only the vitest part
const wants = (part) => only.length === 0 || only.includes(part);

mkdirSync('test-results', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function step(name, cmd, args) {
  process.stdout.write(`\n=== ${name}: ${[cmd, ...args].join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const ok = result.status === 0;
  process.stdout.write(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (!ok) problems.push(name);
  return ok;
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) totals.passed += 1;
  else totals.failed += 1;
}

if (!step('native module for Node', process.execPath, ['scripts/ensure-native.mjs', 'node'])) finish();

if (wants('static')) {
  check('typecheck', npm, ['run', '--silent', 'typecheck']);
  check('lint', npm, ['run', '--silent', 'lint']);
}

if (wants('unit')) {
  const report = 'test-results/vitest.json';
  rmSync(report, { force: true });
  step('vitest', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
    // A suite that fails to load has no tests to count but is still a failure.
    const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
    totals.failed += brokenFiles;
  } else {
    totals.failed += 1;
  }
}

if (wants('e2e')) {
  if (step('build', npm, ['run', '--silent', 'build'])) {
    const report = 'test-results/playwright.json';
    rmSync(report, { force: true });
    step('playwright', npx, ['playwright', 'test']);
    if (existsSync(report)) {
      const s = JSON.parse(readFileSync(report, 'utf8')).stats;
      totals.passed += s.expected + s.flaky;
      totals.failed += s.unexpected;
      totals.skipped += s.skipped;
      // Setup errors (a fixture that cannot start) fail the run without failing a test.
      const errors = JSON.parse(readFileSync(report, 'utf8')).errors ?? [];
      totals.failed += errors.length;
    } else {
      totals.failed += 1;
    }
  } else {
    totals.failed += 1;
  }
}

finish();

function finish() {
  const line = `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`;
  writeFileSync('test-results/summary.txt', `${line}\n`);
  if (problems.length) process.stdout.write(`\nFailed steps: ${problems.join(', ')}\n`);
  process.stdout.write(`\n${line}\n`);
  process.exit(problems.length || totals.failed ? 1 : 0);
}

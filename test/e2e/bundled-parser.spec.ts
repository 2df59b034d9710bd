// The built CLI (what `npm start` and packaged apps run) finds its segment parser and ingest
// writer threads beside the bundle: a pull of a large segment goes through both, never falling
// back to the main thread because a worker script was not built or not found.
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'warroom.cjs');

function warroom(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [cli, '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the bundled CLI parses and inserts a large peer segment in its worker threads', () => {
  const base = mkdtempSync(join(tmpdir(), 'wr-bundle-parser-'));
  const shared = join(base, 'shared');
  const [writer, reader] = [join(base, 'writer'), join(base, 'reader')];
  // A 400-step runbook template is one event of about 60 KB: above the size sent to the thread.
  const steps = Array.from({ length: 400 }, (_, i) => `- [ ] Step ${i}: check the service answers, then note the result (owner: sre, expect: 5m, kind: command)`);
  writeFileSync(join(base, 'big.md'), `---\ntitle: Big runbook\n---\n\n## Steps\n\n${steps.join('\n')}\n`);
  expect(warroom(writer, 'init', '--name', 'Writer', '--role', 'coordinator').code).toBe(0);
  expect(warroom(writer, 'sync', 'init', shared).code).toBe(0);
  expect(warroom(writer, 'runbook', 'import', join(base, 'big.md')).code).toBe(0);
  expect(warroom(writer, 'sync', '--once').code).toBe(0);
  const [device] = readdirSync(join(shared, 'devices'));
  const sizes = readdirSync(join(shared, 'devices', device!, 'log')).map((n) => statSync(join(shared, 'devices', device!, 'log', n)).size);
  expect(Math.max(...sizes)).toBeGreaterThan(48 * 1024);

  expect(warroom(reader, 'init', '--name', 'Reader', '--role', 'engineer').code).toBe(0);
  const joined = warroom(reader, 'sync', 'init', shared);
  expect(joined.code, joined.err).toBe(0);
  expect(joined.err).not.toMatch(/\[threads\]/);
  // The template arrived whole (held until the reader is admitted, but stored and verified).
  const devices = warroom(reader, 'sync', 'devices', '--json');
  const writerRow = (JSON.parse(devices.out) as { peers: { id: string; eventsApplied: number }[] }).peers.find((d) => d.id === device);
  expect(writerRow?.eventsApplied).toBe(2);
});

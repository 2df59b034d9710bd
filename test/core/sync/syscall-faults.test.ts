// T16: syscall faults injected with strace into a real writer process. A dry run on a copy of the
// same folders finds which call of the writer's main thread publishes the segment; the real run
// fails exactly that call (the trace must show it "(INJECTED)"). A reader then holds every event once.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/tmp.ts';
import { peer } from './harness.ts';

const STRACE = '/usr/bin/strace';
const CORE = join(import.meta.dirname, '../../../src/main/core/core.ts');
// The writer: records `count` releases, runs one sync pass (through sync.setup, so the dry run's
// copy of the data folder syncs with the copied shared folder, not the real one) and prints what
// a user would see: unpublished events and the problems' messages.
const WRITER = `
(async () => {
  const [dataDir, shared, count] = process.argv.slice(1);
  const { openCore } = require(${JSON.stringify(CORE)});
  const core = openCore({ dataDir, log: (line) => process.stderr.write(line + '\\n'), sync: { run: false } });
  const call = async (method, input) => { const r = await core.dispatch(method, input); if (!r.ok) throw new Error(method + ': ' + r.error.message); return r.value; };
  if (!core.ctx.store.profile()) await call('profile.set', { name: 'Sam', role: 'engineer' });
  for (let i = 0; i < Number(count); i++) await call('release.create', { name: 'S ' + i, version: i + '.0.0' });
  const status = await call('sync.setup', { folder: shared });
  const self = core.ctx.store.heads().find((h) => h.self);
  process.stdout.write(JSON.stringify({ device: self.device, seq: self.seq, unpublished: status.unpublished, problems: status.problems.map((p) => p.message) }) + '\\n');
  core.close();
})();
`;

interface WriterResult {
  device: string;
  seq: number;
  unpublished: number;
  problems: string[];
}

function spawnWriter(dataDir: string, shared: string, count: number, strace: string[] = []) {
  const traceFile = join(tempDir('wr-t16-trace-'), 'trace.txt');
  // tsx's CommonJS hook compiles on the main thread (its ESM hook runs a loader thread, whose
  // own openat calls strace would count and fail as well).
  const node = [process.execPath, '--require', 'tsx/cjs', '-e', WRITER, dataDir, shared, String(count)];
  if (strace.length > 0) expect(existsSync(STRACE), `T16 needs ${STRACE}: apt-get install -y strace (.ci/run does)`).toBe(true);
  const [command, ...args] = strace.length > 0 ? [STRACE, '-f', '-y', '-o', traceFile, ...strace, '--', ...node] : node;
  const child = spawnSync(command!, args, { encoding: 'utf8', timeout: 120_000 });
  return { child, trace: strace.length > 0 && existsSync(traceFile) ? readFileSync(traceFile, 'utf8').split('\n') : [] };
}

function run(dataDir: string, shared: string, count: number, strace: string[] = []): { result: WriterResult; trace: string[] } {
  const { child, trace } = spawnWriter(dataDir, shared, count, strace);
  expect(child.status, `the writer exits normally (no crash); stderr:\n${child.stderr}`).toBe(0);
  const line = child.stdout.trim().split('\n').at(-1)!;
  return { result: JSON.parse(line) as WriterResult, trace };
}

/**
 * A joined writer that records `count` releases and publishes while `fault(k)` fails the
 * syscall the dry run located. Where the process took another path (the call count moved), the
 * fault lands elsewhere: that attempt is discarded and planned again, at most three times.
 */
function faulted(count: number, syscall: string, target: RegExp, fault: (k: number) => string, hits: number) {
  const missed: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const { dataDir, shared } = joinedWriter();
    const before = segments(shared, readdirSync(join(shared, 'devices'))[0]!);
    const k = callIndex(dataDir, shared, count, syscall, target);
    const { child, trace } = spawnWriter(dataDir, shared, count, ['-e', `trace=${syscall}`, '-e', `inject=${syscall}:${fault(k)}`]);
    const landed = trace.filter((l) => l.includes('(INJECTED)'));
    if (landed.length === hits && landed.every((l) => target.test(l))) {
      expect(child.status, `the writer exits normally (no crash); stderr:\n${child.stderr}`).toBe(0);
      return { dataDir, shared, before, trace, result: JSON.parse(child.stdout.trim().split('\n').at(-1)!) as WriterResult };
    }
    missed.push(landed.join('\n') || '(nothing injected)');
  }
  throw new Error(`The ${syscall} fault never landed on the segment publish in 3 attempts; it hit:\n${missed.join('\n---\n')}`);
}

/** A writer that has joined the shared folder and published its first event. */
function joinedWriter(): { dataDir: string; shared: string } {
  const dataDir = tempDir('wr-t16-writer-');
  const shared = tempDir('wr-t16-shared-');
  const first = run(dataDir, shared, 0);
  expect(first.result.unpublished).toBe(0);
  return { dataDir, shared };
}

/**
 * The position (1-based, among the main thread's `syscall` calls) of the first call whose traced
 * line matches `target`, found by a dry run of the same step on copies of both folders.
 */
function callIndex(dataDir: string, shared: string, count: number, syscall: string, target: RegExp): number {
  const copyData = tempDir('wr-t16-dry-data-');
  const copyShared = tempDir('wr-t16-dry-shared-');
  cpSync(dataDir, copyData, { recursive: true });
  cpSync(shared, copyShared, { recursive: true });
  const { trace } = run(copyData, copyShared, count, ['-e', `trace=${syscall}`]);
  // strace counts each thread's calls separately; the writer publishes from its main thread.
  const main = trace.find((l) => /^\d+ /.test(l))!.split(' ')[0];
  const calls = trace.filter((l) => l.startsWith(`${main} `) && new RegExp(`^\\d+ +${syscall}\\(`).test(l));
  const at = calls.findIndex((l) => target.test(l));
  expect(at, `the dry run shows a ${syscall} matching ${target}`).toBeGreaterThanOrEqual(0);
  return at + 1;
}

function segments(shared: string, device: string): string[] {
  const dir = join(shared, 'devices', device, 'log');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** A second core pulls the folder: it must hold each of the writer's events exactly once. */
async function readerHoldsEachOnce(shared: string, writer: WriterResult): Promise<void> {
  const reader = await peer('Reader', shared);
  await reader.pass();
  const events = reader.core.ctx.store.readEvents(writer.device, 0, 10_000);
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: writer.seq }, (_, i) => i + 1));
  expect(new Set(events.map((e) => e.id)).size).toBe(writer.seq);
}

const SEGMENT_TEMP = /\/log\/\.wr-[0-9a-f-]+\.tmp/;

describe('T16 syscall faults (strace fault injection)', () => {
  it('a rename failing with EBUSY is retried and the segment is published', async () => {
    const { shared, result } = faulted(3, 'rename', /rename\("[^"]*\/log\/\.wr-[^"]*", "[^"]*\/log\/\d/, (k) => `error=EBUSY:when=${k}`, 1);
    expect(result.problems).toEqual([]);
    expect(result.unpublished).toBe(0);
    expect(segments(shared, result.device).filter((n) => n.startsWith('.wr-'))).toEqual([]);
    await readerHoldsEachOnce(shared, result);
  }, 240_000);

  it('an fsync failing with EIO fails the publish: reported, nothing marked published, the next pass publishes once', async () => {
    const { dataDir, shared, before, result } = faulted(3, 'fsync', SEGMENT_TEMP, (k) => `error=EIO:when=${k}`, 1);
    expect(result.unpublished).toBe(3);
    expect(result.problems.join('\n')).toMatch(/Could not publish devices\/\w+\/log\/\S+\.ndjson: EIO\b.*retried automatically/);
    expect(segments(shared, result.device), 'no new segment, no temp file left behind').toEqual(before);

    const later = run(dataDir, shared, 0);
    expect(later.result.problems).toEqual([]);
    expect(later.result.unpublished).toBe(0);
    await readerHoldsEachOnce(shared, later.result);
  }, 240_000);

  it('an open failing with EACCES (every retry) is a reported problem, and a later pass succeeds', async () => {
    // publishFile retries EACCES five times (antivirus locks on Windows): fail all six attempts.
    const { dataDir, shared, result } = faulted(2, 'openat', SEGMENT_TEMP, (k) => `error=EACCES:when=${k}..${k + 5}`, 6);
    expect(result.unpublished).toBe(2);
    expect(result.problems.join('\n')).toMatch(/Could not publish devices\/\w+\/log\/\S+\.ndjson: permission denied/);

    const later = run(dataDir, shared, 0);
    expect(later.result.problems).toEqual([]);
    expect(later.result.unpublished).toBe(0);
    await readerHoldsEachOnce(shared, later.result);
  }, 240_000);
});

// Two devices running the same runbook offline, then exchanging events as the shared folder
// will: both end with the same run, concurrent ticks show as a conflict, and one edit settles it.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCore, type Core } from '../../src/main/core/core.ts';
import type { ReleaseDetail } from '../../src/shared/api/releases.ts';
import type { ImportOutcome, RunDetail } from '../../src/shared/api/runbooks.ts';
import { missing } from './fleet.ts';
import { tempDir } from '../helpers/tmp.ts';

const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
});

async function device(name: string) {
  let now = Date.UTC(2026, 10, 24, 21, 0, 0);
  const core = openCore({ dataDir: tempDir(), now: () => now, log: () => {} });
  cores.push(core);
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await core.dispatch(method, input);
    if (!result.ok) throw new Error(`${name} ${method}: ${result.error.message}`);
    return result.value as T;
  };
  await call('profile.set', { name, role: 'engineer' });
  return { core, call, store: core.ctx.store, advance: (m: number) => (now += m * 60_000) };
}

type Device = Awaited<ReturnType<typeof device>>;

function sync(from: Device, to: Device) {
  return to.store.ingestEvents(missing(from.store, to.store));
}

const stable = (run: RunDetail) => ({ ...run, computedAt: '' });

describe('a runbook run on two devices', () => {
  it('converges, shows concurrent ticks as a conflict and settles it with one edit', async () => {
    const a = await device('Ana');
    const b = await device('Bo');
    for (const [x, y] of [[a, b], [b, a]] as const) x.store.registerDevice({ id: y.store.device().id, publicKey: y.store.publicKey() });

    const release = await a.call<ReleaseDetail>('release.create', { name: 'Search 3.8', version: '3.8.0' });
    const text = readFileSync(join(import.meta.dirname, '../fixtures/runbooks/canary-metrics.md'), 'utf8');
    const run = (await a.call<ImportOutcome>('runbook.import', { text, release: release.id })).run!;
    sync(a, b);
    expect(stable(await b.call<RunDetail>('runbook.get', { id: run.id }))).toEqual(stable(await a.call<RunDetail>('runbook.get', { id: run.id })));

    // Offline on both sides.
    a.advance(2);
    await a.call('step.done', { release: release.id, step: 1 });
    b.advance(3);
    await b.call('step.fail', { release: release.id, step: 1, reason: 'budget at 12 %' });
    await b.call('step.note', { release: release.id, step: 1, text: 'checked the SLO page' });
    sync(a, b);
    sync(b, a);
    a.advance(1); // both clocks at the same minute, so ETAs compare equal

    const onA = await a.call<RunDetail>('runbook.get', { id: run.id });
    expect(stable(await b.call<RunDetail>('runbook.get', { id: run.id }))).toEqual(stable(onA));
    expect(a.store.digest()).toBe(b.store.digest());
    expect(onA.steps[0]!.conflict?.map((c) => `${c.state} by ${c.by.name}`).sort()).toEqual(['done by Ana', 'failed by Bo']);
    expect(onA.steps[0]!.notes.map((n) => `${n.by.name}: ${n.text}`)).toEqual(['Bo: checked the SLO page']);

    // Ana resets the step having seen both values: the conflict is gone everywhere.
    await a.call('step.reset', { release: release.id, step: 1, reason: 'two answers; re-checking' });
    sync(a, b);
    const settled = await b.call<RunDetail>('runbook.get', { id: run.id });
    expect(settled.steps[0]).toMatchObject({ state: 'pending', conflict: null });
    expect(a.store.digest()).toBe(b.store.digest());
  });
});

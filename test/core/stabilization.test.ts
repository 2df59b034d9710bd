// The stabilization session through dispatch on a real database: starting moves a deploying
// release to stabilizing in the same append, the countdown follows the clock, criteria are ticked,
// hand-offs land on the timeline, and closing refuses while criteria are open (naming them).
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src/main/core/core.ts';
import type { MetricsViewData } from '../../src/shared/api/metrics.ts';
import type { ReleaseDetail } from '../../src/shared/api/releases.ts';
import type { TimelinePage } from '../../src/shared/api/store.ts';
import { describeEvent } from '../../src/shared/domain/describe.ts';
import { DEFAULT_EXIT_CRITERIA } from '../../src/shared/metrics/model.ts';
import { tempDir } from '../helpers/tmp.ts';
import { callers } from './helpers.ts';

const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
});

const START = Date.UTC(2026, 10, 24, 22, 0, 0);

async function setup(status: 'deploying' | 'go_no_go' = 'deploying') {
  let now = START;
  const core = openCore({ dataDir: tempDir(), now: () => now, log: () => {} });
  cores.push(core);
  const { call: raw, fails } = callers(core);
  const call = <T = MetricsViewData>(method: string, input: unknown) => raw<T>(method, input);
  await call('profile.set', { name: 'Casey', role: 'coordinator' });
  const release = await call<ReleaseDetail>('release.create', { name: 'Checkout 7.3', version: '7.3.0', type: 'emergency' });
  await call('release.transition', { id: release.id, to: 'go_no_go' });
  if (status === 'deploying') await call('release.transition', { id: release.id, to: 'deploying' });
  const timeline = async () => (await call<TimelinePage>('timeline.page', { release: release.id, limit: 100 })).items;
  return { call, fails, id: release.id, timeline, store: core.ctx.store, advance: (hours: number) => (now += hours * 3_600_000) };
}

describe('stabilization', () => {
  it('starts only after deployment, moving the release to stabilizing in the same append, with the default criteria', async () => {
    const early = await setup('go_no_go');
    expect(await early.fails('stabilization.start', { release: early.id, durationSeconds: 86_400 })).toMatchObject({
      code: 'conflict',
      message: `Stabilization starts after deployment; release ${early.id} is go/no-go.`,
    });

    const s = await setup();
    const view = await s.call('stabilization.start', { release: s.id, durationSeconds: 86_400 });
    expect(view.release.status).toBe('stabilizing');
    expect(view.stabilization).toMatchObject({ startedAt: new Date(START).toISOString(), endsAt: new Date(START + 86_400_000).toISOString(), remainingSeconds: 86_400, closed: null });
    expect(view.stabilization!.criteria.map((c) => c.text)).toEqual([...DEFAULT_EXIT_CRITERIA]);
    expect(view.stabilization!.criteria[1]).toMatchObject({ id: 'error-rate-and-latency-within-baseline', done: false, by: null });
    const [moved, started] = (await s.timeline()).slice(0, 2);
    expect([moved!.type, started!.type]).toEqual(['release.transitioned', 'stabilization.started']);
    expect(moved!.seq).toBe(started!.seq + 1);
    expect(describeEvent(moved!)).toBe('Casey moved the release from deploying to stabilizing: stabilization started (24 h)');

    expect(await s.fails('stabilization.start', { release: s.id, durationSeconds: 86_400 })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already has a stabilization session/) });
    expect(await s.fails('stabilization.start', { release: s.id, durationSeconds: 60 })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/at least 1 hour/) });
  });

  it('counts down, records hand-offs, refuses to close with open criteria naming them, then closes the release', async () => {
    const s = await setup();
    await s.call('stabilization.start', { release: s.id, durationSeconds: 72 * 3600, criteria: ['No alerts for 4 h', 'Support agrees'] });
    s.advance(10);
    const handed = await s.call('stabilization.handoff', { release: s.id, from: 'Casey', to: 'Robin', notes: 'Quiet night so far.', watch: 'p95 of /checkout' });
    expect(handed.stabilization!.remainingSeconds).toBe(62 * 3600);
    expect(handed.stabilization!.handoffs).toEqual([
      expect.objectContaining({ from: 'Casey', to: 'Robin', notes: 'Quiet night so far.', watch: 'p95 of /checkout', by: expect.objectContaining({ name: 'Casey' }), at: new Date(START + 10 * 3_600_000).toISOString() }),
    ]);

    const checked = await s.call('stabilization.check', { release: s.id, criterion: 'no-alerts-for-4-h', done: true, note: 'none fired' });
    expect(checked.stabilization!.criteria[0]).toMatchObject({ done: true, note: 'none fired', by: expect.objectContaining({ name: 'Casey' }) });
    expect(checked.stabilization!.blockers).toEqual(['Exit criterion “Support agrees” is not met.']);
    expect(await s.fails('stabilization.check', { release: s.id, criterion: 'nope', done: true })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/it has no-alerts-for-4-h, support-agrees/) });

    const refused = await s.fails('stabilization.close', { release: s.id });
    expect(refused).toMatchObject({ code: 'conflict', field: 'criteria', message: 'Stabilization cannot close: 1 exit criterion is not met: “Support agrees” (support-agrees). Tick it first.' });
    // A plain lifecycle move cannot skip the exit criteria either.
    expect(await s.fails('release.transition', { id: s.id, to: 'closed' })).toMatchObject({ code: 'conflict', field: 'to', message: expect.stringMatching(/is in a stabilization session: close it with `warroom stabilize close [^`]+` or in Metrics, which checks its exit criteria \(1 not met yet\)/) });

    await s.call('stabilization.check', { release: s.id, criterion: 'support-agrees', done: true });
    s.advance(70);
    const closed = await s.call('stabilization.close', { release: s.id, note: 'stable' });
    expect(closed.release.status).toBe('closed');
    expect(closed.stabilization).toMatchObject({ remainingSeconds: 0, blockers: [], closed: { note: 'stable', by: expect.objectContaining({ name: 'Casey' }) } });
    const sentences = (await s.timeline()).slice(0, 6).map((e) => describeEvent(e));
    expect(sentences).toEqual([
      'Casey moved the release from stabilizing to closed: stabilization closed: stable',
      'Casey closed stabilization with 2 exit criteria met: stable',
      'Casey ticked the exit criterion “Support agrees”',
      'Casey ticked the exit criterion “No alerts for 4 h”: none fired',
      'Casey handed over from Casey to Robin: “Quiet night so far.”; watch “p95 of /checkout”',
      'Casey moved the release from deploying to stabilizing: stabilization started (72 h)',
    ]);
    expect(await s.fails('stabilization.handoff', { release: s.id, from: 'a', to: 'b', notes: 'c' })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/was closed at/) });
  });

  it('unticks a criterion again, and a rolled-back release’s session no longer runs', async () => {
    const s = await setup();
    await s.call('stabilization.start', { release: s.id, durationSeconds: 86_400, criteria: ['Support agrees'] });
    await s.call('stabilization.check', { release: s.id, criterion: 'support-agrees', done: true });
    const unticked = await s.call('stabilization.check', { release: s.id, criterion: 'support-agrees', done: false });
    expect(unticked.stabilization!.criteria[0]!.done).toBe(false);
    await s.call('release.transition', { id: s.id, to: 'rolled_back', reason: 'errors' });
    expect(await s.fails('stabilization.close', { release: s.id })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/is rolled back: its stabilization session no longer runs/) });
  });
});

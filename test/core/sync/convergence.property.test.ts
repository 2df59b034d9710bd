// Convergence (issue 5, SYNC-PROTOCOL §2 T14 on real cores): three cores in their own data
// folders share one real folder and run random interleavings of release creation, concurrent
// edits of the same field, runbook attachment, step ticks and one-shot sync passes on random
// devices. After a full sync round every instance holds the same events and the same projection
// digest, and every register write is either superseded (named in a later `pred`) or current —
// shown as a conflict when several differ.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ReleaseDetail } from '../../../src/shared/api/releases.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { eventSet, team, type Peer } from './harness.ts';
import { attempt, expectConverged, fullSync, TINY_RUNBOOK } from './converge.ts';

const SEED = Number(process.env.WR_SEED ?? 20261123);
const RUNS = Number(process.env.WR_RUNS ?? 25);

/** Fields edited concurrently, with the register each lives in. */
const FIELDS = { version: 'version', name: 'title' } as const;
type Field = keyof typeof FIELDS;

type Op =
  | { k: 'create'; dev: number }
  | { k: 'edit'; dev: number; rel: number; field: Field; value: number }
  | { k: 'attach'; dev: number; rel: number }
  | { k: 'tick'; dev: number; rel: number; run: number; step: number; how: 'done' | 'start' | 'reset' }
  | { k: 'sync'; dev: number }
  | { k: 'clock'; dev: number; ms: number };

const dev = fc.nat({ max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ k: fc.constant('create' as const), dev }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('edit' as const), dev, rel: fc.nat({ max: 3 }), field: fc.constantFrom<Field>('version', 'name'), value: fc.nat({ max: 99 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('attach' as const), dev, rel: fc.nat({ max: 3 }) }) },
  {
    weight: 5,
    arbitrary: fc.record({ k: fc.constant('tick' as const), dev, rel: fc.nat({ max: 3 }), run: fc.nat({ max: 1 }), step: fc.integer({ min: 1, max: 4 }), how: fc.constantFrom('done' as const, 'start' as const, 'reset' as const) }),
  },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('sync' as const), dev }) },
  // Wall clocks move at different speeds (and sometimes not at all): HLC order, not arrival, decides.
  { weight: 1, arbitrary: fc.record({ k: fc.constant('clock' as const), dev, ms: fc.integer({ min: 0, max: 120_000 }) }) },
);

/** Releases this device knows, oldest first (so indexes mean the same thing on every device once synced). */
function known(p: Peer): string[] {
  return p.core.ctx.store
    .entities('release')
    .filter((r) => r.state.registers.title?.values.length)
    .map((r) => r.id)
    .sort();
}

interface Tally {
  ok: number;
  refused: number;
  syncs: number;
  byKind: Record<string, number>;
}

async function apply(peers: readonly Peer[], o: Op, tally: Tally): Promise<void> {
  const p = peers[o.dev]!;
  let done: boolean;
  switch (o.k) {
    case 'clock':
      p.clock.now += o.ms;
      return;
    case 'sync':
      await p.pass();
      await p.engine().idle();
      tally.syncs++;
      return;
    case 'create':
      done = await attempt(p, 'release.create', { name: `R ${p.name} ${known(p).length}`, version: '1.0.0' });
      break;
    case 'edit': {
      const ids = known(p);
      if (!ids.length) return;
      const id = ids[o.rel % ids.length]!;
      // pred defaults to what this device shows now: edits on two devices between syncs are concurrent.
      done = await attempt(p, 'release.update', { id, set: { [o.field]: o.field === 'version' ? `1.${o.value}.0` : `Release ${o.value} by ${p.name}` } });
      break;
    }
    case 'attach': {
      const ids = known(p);
      if (!ids.length) return;
      done = await attempt(p, 'runbook.import', { text: TINY_RUNBOOK, name: 'tiny.md', release: ids[o.rel % ids.length] });
      break;
    }
    case 'tick': {
      // A run this device knows (any release), so ticks land on shared runs and collide.
      const runs: { release: string; run: string }[] = [];
      for (const release of known(p)) {
        const detail = await p.call<ReleaseDetail>('release.get', { id: release });
        for (const r of detail.runs) runs.push({ release, run: r.id });
      }
      if (!runs.length) return;
      const target = runs.sort((a, b) => a.run.localeCompare(b.run))[(o.rel * 2 + o.run) % runs.length]!;
      const extra = o.how === 'reset' ? {} : { force: true };
      done = await attempt(p, `step.${o.how}`, { ...target, step: o.step, ...extra });
      break;
    }
  }
  if (done) {
    tally.ok++;
    tally.byKind[o.k] = (tally.byKind[o.k] ?? 0) + 1;
  } else tally.refused++;
}

/** Every event this peer holds, by id. */
function eventsOf(p: Peer) {
  const store = p.core.ctx.store;
  return store.heads().flatMap((h) => store.readEvents(h.device, 0, 1_000_000));
}

/**
 * Every `release.updated` write of an edited field is either named in some other event's `pred`
 * (superseded) or one of the register's current values; no superseded write is current; several
 * distinct current values are flagged as a conflict in the release view.
 */
async function checkRegisters(p: Peer): Promise<number> {
  const events = eventsOf(p);
  const named = new Set(events.flatMap((e) => e.pred ?? []));
  let concurrent = 0;
  for (const id of known(p)) {
    const detail = await p.call<ReleaseDetail>('release.get', { id });
    const state = p.core.ctx.store.entity('release', id)!;
    for (const [field, register] of Object.entries(FIELDS)) {
      const writes = events.filter((e) => e.type === 'release.updated' && e.entity.id === id && e.data.field === register);
      const current = new Set((state.registers[register]?.values ?? []).map((w) => w.id));
      for (const w of writes) {
        if (named.has(w.id)) expect(current.has(w.id), `${p.name}: ${w.id} is superseded but still current`).toBe(false);
        else expect(current.has(w.id), `${p.name}: ${w.id} (${register}) is neither superseded nor current`).toBe(true);
      }
      const view = detail.fields[field as Field];
      const distinct = new Set(view.values.map((v) => JSON.stringify(v.value)));
      expect(view.conflict, `${p.name}: ${id}.${field}`).toBe(distinct.size > 1);
      if (distinct.size > 1) {
        expect(detail.conflicts).toContain(field);
        concurrent++;
      }
    }
  }
  return concurrent;
}

describe('convergence of three devices (fast-check)', () => {
  it(`random interleavings of edits, runbooks, ticks and sync passes converge (seed ${SEED}, ${RUNS} runs)`, { timeout: 240_000 }, async () => {
    const totals = { runs: 0, ok: 0, refused: 0, syncs: 0, events: 0, conflicts: 0, byKind: {} as Record<string, number> };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 20, maxLength: 60 }), async (ops) => {
        const shared = tempDir('wr-conv-');
        const peers = await team(shared, ['Ann', 'Bob', 'Cat']);
        try {
          const tally: Tally = { ok: 0, refused: 0, syncs: 0, byKind: totals.byKind };
          // Every device starts with a release so the first edits can collide.
          await apply(peers, { k: 'create', dev: 0 }, tally);
          await fullSync(peers);
          for (const o of ops) await apply(peers, o, tally);
          await fullSync(peers);
          await expectConverged(peers);
          let conflicts = 0;
          for (const p of peers) conflicts = Math.max(conflicts, await checkRegisters(p));
          totals.runs++;
          totals.ok += tally.ok;
          totals.refused += tally.refused;
          totals.syncs += tally.syncs;
          totals.events += eventSet(peers[0]!).length;
          totals.conflicts += conflicts;
        } finally {
          for (const p of peers) p.core.close();
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.info(`convergence seed=${SEED}`, totals);
    expect(totals.runs).toBe(RUNS);
    // The generator really exercised the interesting cases.
    expect(totals.ok).toBeGreaterThan(RUNS * 5);
    expect(totals.conflicts).toBeGreaterThan(0);
  });
});

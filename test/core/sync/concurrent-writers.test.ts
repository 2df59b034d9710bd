// T10 (SYNC-PROTOCOL §2): four writers on one shared folder, each with its engine running in
// process and polling every 200 ms, issue random commands (creations, concurrent edits, notes,
// runbooks and ticks, go/no-go sign-offs and decisions) for a while. Afterwards: identical
// projection digests, every instance holds Σ events, no duplicates, no leftover temp files, and
// concurrent edits are shown as conflicts rather than lost.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { ReleaseDetail } from '../../../src/shared/api/releases.ts';
import { SIGNOFF_ROLES } from '../../../src/shared/gonogo/checklist.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { eventCount, eventSet, peer, settle, type Peer } from './harness.ts';
import { attempt, expectConverged, fullSync, TINY_RUNBOOK } from './converge.ts';
import { seededRandom } from '../../helpers/prng.ts';

const SEED = Number(process.env.WR_SEED ?? 20261123);
const DURATION_MS = Number(process.env.WR_T10_MS ?? 12_000);

const WINDOW = { start: '2026-11-24T22:00', end: '2026-11-25T01:00', zone: 'Europe/Berlin' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function releases(p: Peer): string[] {
  return p.core.ctx.store
    .entities('release')
    .filter((r) => r.state.registers.title?.values.length)
    .map((r) => r.id)
    .sort();
}

/** Every file under `dir` whose name marks it as a publisher's temporary file. */
function tempFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => /(^|[/\\])\.wr-[^/\\]*\.tmp$/.test(name));
}

async function writer(p: Peer, random: () => number, until: number, counts: Record<string, number>): Promise<void> {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const note = (kind: string, ok: boolean) => {
    const key = ok ? kind : `${kind}:refused`;
    counts[key] = (counts[key] ?? 0) + 1;
  };
  while (Date.now() < until) {
    const ids = releases(p);
    const roll = random();
    if (!ids.length || roll < 0.06) {
      note('create', await attempt(p, 'release.create', { name: `R ${p.name} ${ids.length}`, version: '1.0.0', window: WINDOW }));
    } else if (roll < 0.4) {
      const field = pick(['version', 'name'] as const);
      const value = field === 'version' ? `1.${Math.floor(random() * 50)}.0` : `Release by ${p.name} ${Math.floor(random() * 50)}`;
      note('edit', await attempt(p, 'release.update', { id: pick(ids), set: { [field]: value } }));
    } else if (roll < 0.47) {
      note('note', await attempt(p, 'release.note', { id: pick(ids), text: `From ${p.name}` }));
    } else if (roll < 0.52) {
      note('attach', await attempt(p, 'runbook.import', { text: TINY_RUNBOOK, name: 'tiny.md', release: pick(ids) }));
    } else if (roll < 0.8) {
      const id = pick(ids);
      const detail = await p.call<ReleaseDetail>('release.get', { id });
      if (detail.runs.length) {
        const how = pick(['done', 'start', 'reset'] as const);
        note('tick', await attempt(p, `step.${how}`, { release: id, run: pick(detail.runs).id, step: 1 + Math.floor(random() * 4), ...(how === 'reset' ? {} : { force: true }) }));
      }
    } else if (roll < 0.83) {
      note('transition', await attempt(p, 'release.transition', { id: pick(ids), to: pick(['scheduled', 'go_no_go'] as const) }));
    } else if (roll < 0.86) {
      note('gonogo.attach', await attempt(p, 'gonogo.attach', { release: pick(ids) }));
    } else if (roll < 0.95) {
      note('signoff', await attempt(p, 'gonogo.signoff', { release: pick(ids), role: pick(SIGNOFF_ROLES) }));
    } else {
      note('decide', await attempt(p, 'gonogo.decide', { release: pick(ids), outcome: pick(['go', 'no_go'] as const), rationale: `${p.name} says so`, exception: 'Test run' }));
    }
    await sleep(Math.floor(random() * 40));
  }
}

describe('T10 concurrent writers, one folder', () => {
  it(`four polling instances writing at random converge (seed ${SEED}, ${DURATION_MS} ms)`, { timeout: 120_000 }, async () => {
    const shared = tempDir('wr-t10-');
    const sync = { pollMs: 200, watch: false, debounceMs: 50 };
    const roles = [
      ['Ann', 'coordinator'],
      ['Bob', 'lead'],
      ['Cat', 'approver'],
      ['Dan', 'engineer'],
    ] as const;
    const peers: Peer[] = [];
    for (const [name, role] of roles) peers.push(await peer(name, shared, { role, sync }));
    await settle(peers);
    for (const p of peers.slice(1)) await peers[0]!.call('sync.admit', { device: p.id() });
    await settle(peers);

    const random = seededRandom(SEED);
    const counts: Record<string, number> = {};
    const until = Date.now() + DURATION_MS;
    await Promise.all(peers.map((p, i) => writer(p, seededRandom(SEED + i + Math.floor(random() * 1000)), until, counts)));

    // Writers are done (the engines keep polling): a full round of explicit passes on top.
    await fullSync(peers);
    for (const p of peers) await p.engine().idle();
    await expectConverged(peers);
    for (const p of peers) expect(p.engine().status().problems).toEqual([]);

    const own = peers.map((p) => p.core.ctx.store.heads().find((h) => h.self)!.seq);
    const total = own.reduce((a, b) => a + b, 0);
    for (const p of peers) {
      expect(eventCount(p)).toBe(total);
      expect(eventSet(p)).toHaveLength(total);
    }
    expect(tempFiles(shared)).toEqual([]);
    for (const p of peers) expect(tempFiles(p.dataDir)).toEqual([]);

    // Conflicts are shown (every distinct concurrent value is kept), never lost.
    let conflicted = 0;
    for (const id of releases(peers[0]!)) {
      const views = await Promise.all(peers.map((p) => p.call<ReleaseDetail>('release.get', { id })));
      for (const v of views) expect(v.conflicts).toEqual(views[0]!.conflicts);
      for (const field of views[0]!.conflicts) {
        expect(views[0]!.fields[field as 'name'].values.length).toBeGreaterThan(1);
        conflicted++;
      }
    }
    console.info(`T10 seed=${SEED} events=${total} per device=${own.join('/')} conflicted fields=${conflicted}`, counts);
    expect(total).toBeGreaterThan(100);
    expect(counts.edit ?? 0).toBeGreaterThan(10);
    expect(counts.tick ?? 0).toBeGreaterThan(5);
  });
});

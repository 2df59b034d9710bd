// T15 (SYNC-PROTOCOL §2), model-based: fast-check command sequences over three real cores on
// one real folder — tick a step, edit a field, a sync pass (publish + pull) on one device, and
// damage in the folder (a corrupted cloud "conflicted copy" of a segment, a stray temp file) —
// checked against a model holding the set of event ids written and what each device published.
// After every pass a device holds everything published so far and never loses an event; after
// the final full sync every instance holds exactly the model's set, with equal digests.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ReleaseDetail } from '../../../src/shared/api/releases.ts';
import type { ImportOutcome } from '../../../src/shared/api/runbooks.ts';
import { parseSegmentName } from '../../../src/shared/sync/names.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { eventSet, team, type Peer } from './harness.ts';
import { attempt, expectConverged, fullSync, TINY_RUNBOOK } from './converge.ts';

const SEED = Number(process.env.WR_SEED ?? 20261123);
const RUNS = Number(process.env.WR_RUNS ?? 30);

interface Model {
  /** Every event id written anywhere. */
  written: Set<string>;
  /** Per device id: its own seq published by its last pass. */
  published: Map<string, number>;
  stats: Record<string, number>;
  /** Conflicted copies planted, by the device folder they sit in. */
  copies: { device: string; name: string }[];
}

interface Real {
  peers: Peer[];
  shared: string;
  release: string;
  run: string;
}

const ids = (p: Peer) => eventSet(p).map((e) => e.split('#')[0]!);
const ownSeq = (p: Peer) => p.core.ctx.store.heads().find((h) => h.self)!.seq;
const heldOf = (p: Peer, device: string) => p.core.ctx.store.heads().find((h) => h.device === device)?.seq ?? 0;

/** Records what a local command wrote: the device's new events, exactly. */
function recordNew(m: Model, p: Peer, before: number, kind: string): void {
  const fresh = p.core.ctx.store.readEvents(p.id(), before, 10_000);
  expect(fresh.map((e) => e.seq)).toEqual(Array.from({ length: ownSeq(p) - before }, (_, i) => before + i + 1));
  for (const e of fresh) m.written.add(e.id);
  m.stats[kind] = (m.stats[kind] ?? 0) + 1;
}

class Tick implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly dev: number,
    readonly step: number,
    readonly how: 'done' | 'start' | 'reset',
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const p = r.peers[this.dev]!;
    const before = ownSeq(p);
    const ok = await attempt(p, `step.${this.how}`, { release: r.release, run: r.run, step: this.step, ...(this.how === 'reset' ? {} : { force: true }) });
    if (!ok) expect(ownSeq(p)).toBe(before);
    recordNew(m, p, before, ok ? 'tick' : 'tick:refused');
  }
  toString = () => `tick(${this.dev}, ${this.how} ${this.step})`;
}

class Edit implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly dev: number,
    readonly value: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const p = r.peers[this.dev]!;
    const before = ownSeq(p);
    const detail = await p.call<ReleaseDetail>('release.update', { id: r.release, set: { version: `2.${this.value}.0` } });
    expect(detail.fields.version.values.map((v) => v.value)).toContain(`2.${this.value}.0`);
    recordNew(m, p, before, 'edit');
  }
  toString = () => `edit(${this.dev}, 2.${this.value}.0)`;
}

class Sync implements fc.AsyncCommand<Model, Real> {
  constructor(readonly dev: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const p = r.peers[this.dev]!;
    const had = new Set(ids(p));
    await p.pass();
    await p.engine().idle();
    m.published.set(p.id(), ownSeq(p));
    // Monotonic: nothing held before is gone.
    const now = new Set(ids(p));
    for (const id of had) expect(now.has(id), `${p.name} lost ${id}`).toBe(true);
    // Everything any device has published so far is here now.
    for (const [device, seq] of m.published) expect(heldOf(p, device), `${p.name} holds ${device} up to`).toBeGreaterThanOrEqual(seq);
    for (const id of now) expect(m.written.has(id), `${id} was never written`).toBe(true);
    m.stats.sync = (m.stats.sync ?? 0) + 1;
  }
  toString = () => `sync(${this.dev})`;
}

/** Damage a cloud client or a crashed copier leaves behind: never parsed, never blocking. */
class Corrupt implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly dev: number,
    readonly kind: 'conflicted-copy' | 'temp',
    readonly at: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const log = join(r.shared, 'devices', r.peers[this.dev]!.id(), 'log');
    const segments = readdirSync(log).filter((n) => parseSegmentName(n));
    if (this.kind === 'temp' || !segments.length) {
      writeFileSync(join(log, `.syncthing.${this.at}.tmp`), 'half a segment');
    } else {
      const name = segments[this.at % segments.length]!;
      const bytes = readFileSync(join(log, name));
      bytes[this.at % bytes.length] = bytes[this.at % bytes.length]! ^ 0x20;
      const copy = name.replace(/\.ndjson$/, ` (Bob's conflicted copy 2026-11-22 ${this.at}).ndjson`);
      writeFileSync(join(log, copy), bytes);
      m.copies.push({ device: r.peers[this.dev]!.id(), name: copy });
    }
    m.stats.corrupt = (m.stats.corrupt ?? 0) + 1;
  }
  toString = () => `corrupt(${this.dev}, ${this.kind}, ${this.at})`;
}

const dev = fc.nat({ max: 2 });
const commands = fc.commands(
  [
    fc.tuple(dev, fc.integer({ min: 1, max: 4 }), fc.constantFrom('done' as const, 'start' as const, 'reset' as const)).map(([d, s, h]) => new Tick(d, s, h)),
    fc.tuple(dev, fc.nat({ max: 9 })).map(([d, v]) => new Edit(d, v)),
    dev.map((d) => new Sync(d)),
    dev.map((d) => new Sync(d)),
    fc.tuple(dev, fc.constantFrom('conflicted-copy' as const, 'temp' as const), fc.nat({ max: 1000 })).map(([d, k, a]) => new Corrupt(d, k, a)),
  ],
  { maxCommands: 40, size: 'max' },
);

describe('T15 model-based multi-device sync', () => {
  it(`any command sequence ends with every instance holding exactly the model's events (seed ${SEED}, ${RUNS} runs)`, { timeout: 240_000 }, async () => {
    const stats: Record<string, number> = {};
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const shared = tempDir('wr-model-');
        const peers = await team(shared, ['Ann', 'Bob', 'Cat']);
        try {
          const release = (await peers[0]!.call<ReleaseDetail>('release.create', { name: 'Model', version: '2.0.0' })).id;
          const { run } = await peers[0]!.call<ImportOutcome>('runbook.import', { text: TINY_RUNBOOK, name: 'tiny.md', release });
          await fullSync(peers);
          const model: Model = { written: new Set(ids(peers[0]!)), published: new Map(peers.map((p) => [p.id(), ownSeq(p)])), stats, copies: [] };
          await fc.asyncModelRun(() => ({ model, real: { peers, shared, release, run: run!.id } }), cmds);
          await fullSync(peers);
          for (const p of peers) expect(ids(p).sort(), `${p.name} holds exactly the model's events`).toEqual([...model.written].sort());
          await expectConverged(peers);
          // The damage is reported as foreign files (each conflicted copy by every other device), nothing else.
          for (const p of peers) {
            const problems = p.engine().status().problems;
            expect(problems.filter((x) => x.code !== 'foreign_file'), `${p.name} problems`).toEqual([]);
            for (const c of model.copies.filter((c) => c.device !== p.id())) expect(problems.some((x) => x.file?.includes(c.name))).toBe(true);
          }
          runs++;
        } finally {
          for (const p of peers) p.core.close();
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.info(`T15 seed=${SEED} runs=${runs}`, stats);
    expect(runs).toBe(RUNS);
    expect(stats.tick ?? 0).toBeGreaterThan(RUNS);
    expect(stats.corrupt ?? 0).toBeGreaterThan(0);
  });
});

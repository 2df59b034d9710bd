// Shared by the convergence tests: a full sync round, the convergence check, a tiny runbook and
// a command runner that tells domain refusals (legitimate under concurrency) from failures.
import { expect } from 'vitest';
import { digestOf, eventSet, integrityOk, settle, type Peer } from './harness.ts';

export const TINY_RUNBOOK = '# Tiny cutover\n\n1. Drain the old pool\n2. Switch traffic\n3. Watch the error rate\n4. Tell the channel\n';

/** Runs a command; refusals the domain is entitled to (a step already done, a run that is not there yet) count as "refused". */
export async function attempt(p: Peer, method: string, input: unknown): Promise<boolean> {
  const result = await p.core.dispatch(method, input);
  if (result.ok) return true;
  if (['conflict', 'not_found', 'invalid_input', 'forbidden'].includes(result.error.code)) return false;
  throw new Error(`${p.name} ${method}: ${result.error.code} ${result.error.message}`);
}

/** Full sync: every device, twice, then until nothing moves. */
export async function fullSync(peers: readonly Peer[]): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const p of peers) {
      await p.pass();
      await p.engine().idle();
    }
  }
  await settle(peers);
}

export async function expectConverged(peers: readonly Peer[]): Promise<void> {
  const sets = peers.map(eventSet);
  const union = new Set(sets.flat());
  for (const [i, p] of peers.entries()) {
    expect(sets[i], `${p.name} misses events`).toEqual([...union].sort());
    expect(new Set(sets[i]).size, `${p.name} holds duplicates`).toBe(sets[i]!.length);
    expect(integrityOk(p), `${p.name} integrity`).toBe(true);
  }
  const digests = peers.map(digestOf);
  expect(new Set(digests).size, `digests ${digests.join(' ')}`).toBe(1);
  // And the fold from scratch on one device gives the digest everyone holds.
  const rebuilt = peers[0]!.core.ctx.store.rebuild();
  expect(rebuilt).toBeTruthy();
  expect(digestOf(peers[0]!)).toBe(digests[0]);
}

// Generates plausible multi-device event histories for fold property tests: each device keeps
// its own seq and HLC, reads what it has "seen", and names seen values in `pred` (or omits
// pred, as an old writer would). Unsigned: the pure fold never looks at hash or signature.
import fc from 'fast-check';
import type { UnsignedEvent } from '../../src/shared/events/envelope.ts';
import { receiveClock, sendClock, stamp, type ClockState } from '../../src/shared/events/hlc.ts';

export const DEVICES = ['dev_a', 'dev_b', 'dev_c'] as const;
export const RELEASES = ['r1', 'r2'] as const;
export const PEOPLE = [
  { id: 'p_ann', name: 'Ann', role: 'approver' },
  { id: 'p_bob', name: 'Bob', role: 'coordinator' },
  { id: 'p_cat', name: 'Cat', role: 'lead' },
] as const;

export type Op = {
  device: number;
  release: number;
  action: 'title' | 'owner' | 'decision' | 'note' | 'signoff' | 'withdraw' | 'tick' | 'sync' | 'create';
  pick: number;
  predMode: 'seen' | 'none' | 'partial';
  skew: number;
};

export const opArb: fc.Arbitrary<Op> = fc.record({
  device: fc.integer({ min: 0, max: DEVICES.length - 1 }),
  release: fc.integer({ min: 0, max: RELEASES.length - 1 }),
  action: fc.constantFrom('title', 'owner', 'decision', 'note', 'signoff', 'withdraw', 'tick', 'sync', 'sync', 'create'),
  pick: fc.nat(1000),
  predMode: fc.constantFrom('seen', 'seen', 'seen', 'partial', 'none'),
  // Device clocks: some ahead by hours, some behind, occasionally a year ahead.
  skew: fc.constantFrom(0, 0, 1, -1_800_000, 7_200_000, 31_536_000_000),
});

/**
 * Plays the ops: each device sees its own events and, at each 'sync', everything written so
 * far. Returns the full event set in writing order.
 */
export function buildHistory(ops: readonly Op[], start = Date.UTC(2026, 10, 23, 9)): UnsignedEvent[] {
  const all: UnsignedEvent[] = [];
  const seen = DEVICES.map(() => new Set<string>());
  const clocks: ClockState[] = DEVICES.map(() => ({ wall: 0, counter: 0 }));
  const seqs = DEVICES.map(() => 0);
  let now = start;
  for (const op of ops) {
    now += 1000;
    const d = op.device;
    const device = DEVICES[d]!;
    const wall = now + op.skew;
    if (op.action === 'sync') {
      for (const e of all) {
        if (seen[d]!.has(e.id)) continue;
        clocks[d] = receiveClock(clocks[d]!, { wall: Number(e.hlc.slice(0, 13)), counter: parseInt(e.hlc.slice(14, 22), 16) }, wall).state;
        seen[d]!.add(e.id);
      }
      continue;
    }
    const release = RELEASES[op.release]!;
    const person = PEOPLE[op.pick % PEOPLE.length]!;
    const visible = all.filter((e) => seen[d]!.has(e.id) && (e.entity.id === release || e.data.release === release));
    const registerWrites = (name: string) =>
      visible.filter((e) => (name === 'title' ? e.type === 'release.created' || (e.type === 'release.updated' && e.data.field === 'title') : name === 'owner' ? e.type === 'release.updated' && e.data.field === 'owner' : e.type === 'decision.made'));
    let type: string;
    let entity: { kind: string; id: string } = { kind: 'release', id: release };
    let data: UnsignedEvent['data'];
    let register: string | null = null;
    switch (op.action) {
      case 'create':
        type = 'release.created';
        data = { title: `T${op.pick % 5}`, type: 'minor' };
        register = 'title';
        break;
      case 'title':
        type = 'release.updated';
        data = { field: 'title', value: `T${op.pick % 7}` };
        register = 'title';
        break;
      case 'owner':
        type = 'release.updated';
        data = { field: 'owner', value: PEOPLE[op.pick % 3]!.id };
        register = 'owner';
        break;
      case 'decision':
        type = 'decision.made';
        data = { outcome: op.pick % 2 ? 'go' : 'no_go' };
        register = 'decision';
        break;
      case 'note':
        type = 'note.added';
        data = { text: `note ${op.pick}` };
        break;
      case 'signoff':
        type = 'signoff.given';
        data = { criterion: `c${op.pick % 3}`, as: person.role };
        break;
      case 'withdraw': {
        const given = visible.filter((e) => e.type === 'signoff.given');
        const target = given[op.pick % Math.max(1, given.length)];
        type = 'signoff.withdrawn';
        data = { of: target ? target.id : `${device}:999` };
        break;
      }
      case 'tick':
        type = 'step.ticked';
        entity = { kind: 'step', id: `${release}-s${op.pick % 3}` };
        data = { release, done: op.pick % 2 === 0 };
        register = 'done';
        break;
    }
    let pred: string[] | undefined;
    if (register && op.predMode !== 'none') {
      const candidates =
        register === 'done'
          ? visible.filter((e) => e.type === 'step.ticked' && e.entity.id === entity.id).map((e) => e.id)
          : registerWrites(register).map((e) => e.id);
      pred = op.predMode === 'partial' ? candidates.filter((_, i) => (op.pick >> i) & 1) : candidates;
    } else if (register === null) {
      pred = undefined;
    }
    clocks[d] = sendClock(clocks[d]!, wall);
    seqs[d] = seqs[d]! + 1;
    const event: UnsignedEvent = {
      id: `${device}:${seqs[d]}`,
      device,
      seq: seqs[d]!,
      hlc: stamp(clocks[d]!, device),
      at: new Date(Math.min(Math.max(wall, 0), 8.64e15)).toISOString(),
      actor: { ...person },
      type,
      entity,
      data,
      ...(pred ? { pred: [...pred].sort() } : {}),
      v: 1,
      prev: null,
    };
    all.push(event);
    seen[d]!.add(event.id);
  }
  return all;
}

/** Groups events by entity, as the store folds them. */
export function byEntity(events: readonly UnsignedEvent[]): Map<string, UnsignedEvent[]> {
  const map = new Map<string, UnsignedEvent[]>();
  for (const e of events) {
    const key = `${e.entity.kind}/${e.entity.id}`;
    map.set(key, [...(map.get(key) ?? []), e]);
  }
  return map;
}

// The pure fold: an entity's state from its events. Each effect is a set operation, so any
// delivery order gives the same state; the stored form keeps every array sorted, so equal states
// are equal bytes and a projection digest can compare devices.
import type { JsonValue } from './canonical.ts';
import { classifyEvent, type Effect, type EventCatalog } from './catalog.ts';
import { compareEvents, type Actor, type UnsignedEvent } from './envelope.ts';

export interface OrderKey {
  hlc: string;
  seq: number;
}

/** One write, as the register or set keeps it. */
export interface Written extends OrderKey {
  id: string;
  at: string;
  by: Actor;
  value: JsonValue;
}

export interface RegisterState {
  /** Current values, newest (hlc, device, seq) first; more than one means a conflict. */
  values: Written[];
  /**
   * Ids named in some write's `pred` that have not arrived yet: when they do, they are already
   * superseded. Ids that arrived and were superseded are simply gone from `values`, so the state
   * stays small however often a field is edited, and equals (writes − named, named − writes)
   * whatever the delivery order.
   */
  pending: string[];
  /** Highest key among writes without `pred` (old writers): last-writer-wins below it. */
  floor: OrderKey | null;
}

export interface SetState {
  added: Record<string, Written>;
  /** Element id -> ids of the people who withdrew it (only the signer's own withdrawal counts). */
  removed: Record<string, string[]>;
}

export interface Mark extends OrderKey {
  id: string;
  at: string;
}

export interface EntityState {
  events: number;
  last: OrderKey | null;
  flags: Record<string, Mark>;
  counts: Record<string, number>;
  registers: Record<string, RegisterState>;
  sets: Record<string, SetState>;
}

export type FoldableEvent = Pick<UnsignedEvent, 'id' | 'hlc' | 'seq' | 'at' | 'actor' | 'pred'>;

export function emptyState(): EntityState {
  return { events: 0, last: null, flags: {}, counts: {}, registers: {}, sets: {} };
}

const byKeyDesc = (a: OrderKey, b: OrderKey) => compareEvents(b, a);

function insertSorted(list: string[], item: string): void {
  if (list.includes(item)) return;
  list.push(item);
  list.sort();
}

/**
 * Whether an event of this entity has already been folded into the state. The pure fold tracks
 * it in memory; the store asks its events table.
 */
export type SeenCheck = (eventId: string) => boolean;

/** Applies one classified event. Mutates and returns `state` (callers own a fresh copy). */
export function applyEvent(state: EntityState, event: FoldableEvent, effects: readonly Effect[], seen: SeenCheck): EntityState {
  const key: OrderKey = { hlc: event.hlc, seq: event.seq };
  const written = (value: JsonValue): Written => ({ id: event.id, hlc: event.hlc, seq: event.seq, at: event.at, by: event.actor, value });
  // An event some earlier-arrived write named in `pred`: it is superseded in that register, and
  // it is now seen by every register of the entity (so none keeps waiting for it).
  const supersededIn = new Set<string>();
  for (const [name, reg] of Object.entries(state.registers)) {
    const at = reg.pending.indexOf(event.id);
    if (at >= 0) {
      reg.pending.splice(at, 1);
      supersededIn.add(name);
    }
  }
  for (const effect of effects) {
    switch (effect.op) {
      case 'register':
        writeRegister((state.registers[effect.name] ??= { values: [], pending: [], floor: null }), event, key, written(effect.value), seen, supersededIn.has(effect.name));
        break;
      case 'count':
        state.counts[effect.name] = (state.counts[effect.name] ?? 0) + 1;
        break;
      case 'flag': {
        const mark = state.flags[effect.name];
        if (!mark || compareEvents(key, mark) < 0) state.flags[effect.name] = { id: event.id, hlc: event.hlc, seq: event.seq, at: event.at };
        break;
      }
      case 'add':
        (state.sets[effect.set] ??= { added: {}, removed: {} }).added[event.id] = written(effect.value);
        break;
      case 'remove': {
        const set = (state.sets[effect.set] ??= { added: {}, removed: {} });
        insertSorted((set.removed[effect.of] ??= []), event.actor.id);
        break;
      }
    }
  }
  state.events += 1;
  if (!state.last || compareEvents(key, state.last) > 0) state.last = key;
  return state;
}

function writeRegister(reg: RegisterState, event: FoldableEvent, key: OrderKey, value: Written, seen: SeenCheck, superseded: boolean): void {
  let values = reg.values;
  if (event.pred === undefined) {
    if (!reg.floor || compareEvents(key, reg.floor) > 0) reg.floor = key;
  } else {
    for (const id of event.pred) {
      if (id === event.id) continue;
      if (values.some((w) => w.id === id)) values = values.filter((w) => w.id !== id);
      // Named before it arrived: remember, so it is superseded on arrival.
      else if (!seen(id)) insertSorted(reg.pending, id);
    }
  }
  if (!superseded && !values.some((w) => w.id === value.id)) values = [...values, value];
  const floor = reg.floor;
  reg.values = (floor ? values.filter((w) => compareEvents(w, floor) >= 0) : values).sort(byKeyDesc);
}

export interface FoldInput extends FoldableEvent {
  type: string;
  v: number;
  entity: { kind: string; id: string };
  data: UnsignedEvent['data'];
}

/** Folds a set of events of one entity from scratch: duplicates count once, order is (hlc, device, seq). */
export function foldEntity(events: readonly FoldInput[], catalog: EventCatalog): EntityState {
  const unique = new Map<string, FoldInput>();
  for (const event of events) if (!unique.has(event.id)) unique.set(event.id, event);
  const sorted = [...unique.values()].sort(compareEvents);
  const state = emptyState();
  const folded = new Set<string>();
  for (const event of sorted) {
    const verdict = classifyEvent(catalog, event);
    if (!verdict.fold) continue;
    applyEvent(state, event, verdict.effects, (id) => folded.has(id));
    folded.add(event.id);
  }
  return state;
}

/** Ids a new write to these registers should name in `pred`: the values its writer sees now. */
export function currentIds(state: EntityState | null, effects: readonly Effect[]): string[] {
  if (!state) return [];
  const ids = new Set<string>();
  for (const effect of effects) {
    if (effect.op !== 'register') continue;
    for (const w of state.registers[effect.name]?.values ?? []) ids.add(w.id);
  }
  return [...ids].sort();
}

export function hasRegisterEffect(effects: readonly Effect[]): boolean {
  return effects.some((effect) => effect.op === 'register');
}

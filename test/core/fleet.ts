// Several devices in one test: each a real store in its own folder with its own key and clock;
// "sync" hands one device's stored events to another, as the shared folder will.
import type { EventEnvelope } from '../../src/shared/events/envelope.ts';
import type { Store } from '../../src/main/core/store/index.ts';
import { manualClock, open } from './helpers.ts';

export const PEOPLE = [
  { name: 'Ann', role: 'approver' },
  { name: 'Bob', role: 'coordinator' },
  { name: 'Cat', role: 'lead' },
] as const;

export interface Device {
  store: Store;
  clock: ReturnType<typeof manualClock>;
}

/** `skews` in ms per device: how far each device's wall clock is off. */
export function fleet(skews: readonly number[]): Device[] {
  const devices = skews.map((skew, i) => {
    const clock = manualClock(Date.UTC(2026, 10, 23, 9) + skew);
    const store = open({ now: clock });
    const person = PEOPLE[i % PEOPLE.length]!;
    store.setProfile({ name: person.name, role: person.role });
    return { store, clock };
  });
  for (const a of devices) introduce(a.store, devices.map((d) => d.store));
  return devices;
}

/** Registers every device's key with `store` (admission, in the sync issue's terms). */
export function introduce(store: Store, others: readonly Store[]): void {
  for (const other of others) if (other !== store) store.registerDevice({ id: other.device().id, publicKey: other.publicKey() });
}

/** Everything `from` holds that `to` lacks, per device in seq order. */
export function missing(from: Store, to: Store): EventEnvelope[] {
  const have = new Map(to.heads().map((h) => [h.device, h.seq]));
  return from.heads().flatMap((h) => from.readEvents(h.device, have.get(h.device) ?? 0, 1_000_000));
}

export function sync(from: Store, to: Store) {
  return to.ingestEvents(missing(from, to));
}

export function allEvents(store: Store): EventEnvelope[] {
  return store.heads().flatMap((h) => store.readEvents(h.device, 0, 1_000_000));
}

// Ingesting other devices' events: idempotent, checked (hash, signature, chain), never past a
// break, clock-capped for far-future devices, and late events re-fold their entity.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, createHash, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/shared/events/canonical.ts';
import { unsignedPart, type EventEnvelope } from '../../src/shared/events/envelope.ts';
import { MAX_PULL_MS, parseHlc } from '../../src/shared/events/hlc.ts';
import { releaseView } from '../../src/shared/events/views.ts';
import { KEY_FILE } from '../../src/main/core/store/identity.ts';
import type { Store } from '../../src/main/core/store/index.ts';
import { allEvents, fleet, missing, sync } from './fleet.ts';
import { tick } from './helpers.ts';

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;

/** Re-signs an edited envelope with the device's real key (a validly signed fork). */
function resign(store: Store, event: EventEnvelope): EventEnvelope {
  const key = createPrivateKey(readFileSync(join(store.dataDir, KEY_FILE), 'utf8'));
  const hash = createHash('sha256').update(canonicalJson(unsignedPart(event))).digest();
  return { ...event, hash: hash.toString('hex'), sig: sign(null, hash, key).toString('base64url') };
}

describe('ingest', () => {
  it('stores another device’s events once, however often they arrive', () => {
    const [a, b] = fleet([0, 0]);
    a!.store.appendEvents([{ type: 'release.created', entity: { kind: 'release', id: 'r1' }, data: { title: 'R' } }, tick('r1', 's1')]);
    const events = missing(a!.store, b!.store);
    expect(b!.store.ingestEvents(events)).toMatchObject({ inserted: 3, duplicates: 0, rejected: [] });
    expect(b!.store.ingestEvents(events)).toMatchObject({ inserted: 0, duplicates: 3, rejected: [] });
    sync(b!.store, a!.store);
    expect(b!.store.digest()).toBe(a!.store.digest());
    expect(b!.store.verify()).toMatchObject({ ok: true, events: 4 });
  });

  it('rejects bad hashes, bad signatures, gaps and forks, and reads nothing past a break', () => {
    const [a, b] = fleet([0, 0]);
    a!.store.appendEvents(Array.from({ length: 5 }, (_, i) => tick('r1', `s${i}`)));
    const events = missing(a!.store, b!.store); // seq 1..6
    const edited = { ...events[1]!, data: { release: 'r1', done: false } };
    expect(b!.store.ingestEvents([events[0], edited, events[2]]).rejected.map((r) => [r.seq, r.reason])).toEqual([
      [2, 'the hash does not match the event'],
      [3, 'not read: an earlier event of this device was rejected'],
    ]);
    const forged = { ...events[1]!, sig: b!.store.readEvents(b!.store.device().id)[0]!.sig };
    expect(b!.store.ingestEvents([forged]).rejected[0]!.reason).toBe('the signature is not valid for this device key');
    expect(b!.store.ingestEvents([events[3]]).rejected[0]!.reason).toBe('gap: expected seq 2, got 4');
    expect(b!.store.ingestEvents(events.slice(1))).toMatchObject({ inserted: 5, rejected: [] });
    const fork = resign(a!.store, { ...events[4]!, data: { release: 'r1', done: false } });
    expect(b!.store.ingestEvents([fork]).rejected[0]!.reason).toMatch(/^fork: .* different hash/);
    expect(b!.store.ingestEvents([{ ...events[0], id: 'nope' }]).rejected[0]!.reason).toMatch(/^invalid envelope/);
    expect(b!.store.verify().ok).toBe(true);
  });

  it('refuses events from a device whose key was never registered', () => {
    const [a, b] = fleet([0, 0]);
    const [c] = fleet([0]);
    c!.store.appendEvents([tick('r1', 's1')]);
    const report = a!.store.ingestEvents(missing(c!.store, b!.store).filter((e) => e.device === c!.store.device().id));
    expect(report.rejected[0]!.reason).toMatch(/^unknown device/);
  });

  it('ingests a far-future device (clock a year ahead), flags it, and caps the pull on the local clock', () => {
    const [a, c] = fleet([0, YEAR]);
    c!.store.appendEvents([tick('r1', 'future')]);
    const report = sync(c!.store, a!.store);
    expect(report.inserted).toBe(2);
    expect(report.futureDated).toHaveLength(2);
    expect(report.futureDated[0]!.aheadMs).toBeGreaterThan(YEAR - HOUR);
    const [mine] = a!.store.appendEvents([tick('r1', 'now')]);
    const wall = parseHlc(mine!.hlc)!.wall;
    expect(wall).toBeLessThanOrEqual(a!.clock() + MAX_PULL_MS + 1);
    // Ordered by its own hlc: the future event still sorts as newest on the timeline.
    const items = a!.store.timeline({ release: 'r1' }).items;
    expect(items.map((i) => [i.entity.id, i.futureDated])).toEqual([
      ['future', true],
      ['now', false],
    ]);
  });

  it('re-folds an entity when an older event arrives late, to the same state as a fresh fold', () => {
    const [a, b] = fleet([-30 * 60_000, 2 * HOUR]);
    a!.store.appendEvents([{ type: 'release.created', entity: { kind: 'release', id: 'r1' }, data: { title: 'A' } }]);
    sync(a!.store, b!.store);
    // Concurrent edits: b's clock is ahead, a's is behind; then a's older edit reaches b late.
    a!.store.appendEvents([{ type: 'release.updated', entity: { kind: 'release', id: 'r1' }, data: { field: 'title', value: 'from A' } }]);
    b!.store.appendEvents([{ type: 'release.updated', entity: { kind: 'release', id: 'r1' }, data: { field: 'title', value: 'from B' } }]);
    sync(a!.store, b!.store);
    sync(b!.store, a!.store);
    for (const d of [a!, b!]) {
      const title = releaseView(d.store.entity('release', 'r1')!).title;
      expect(title).toMatchObject({ value: 'from B', conflict: true });
      expect(d.store.rebuild().unchanged).toBe(true);
    }
    expect(a!.store.digest()).toBe(b!.store.digest());
    // a edits after seeing both: the edit wins although a's clock is 2.5 h behind b's.
    a!.store.appendEvents([{ type: 'release.updated', entity: { kind: 'release', id: 'r1' }, data: { field: 'title', value: 'agreed' } }]);
    sync(a!.store, b!.store);
    expect(releaseView(b!.store.entity('release', 'r1')!).title).toMatchObject({ value: 'agreed', conflict: false });
    expect(allEvents(b!.store)).toHaveLength(allEvents(a!.store).length);
  });
});

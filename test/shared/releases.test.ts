// Release rules: the lifecycle graph and its guards, the refusal message, and windows in zones.
import { describe, expect, it } from 'vitest';
import {
  RELEASE_STATUSES,
  TRANSITIONS,
  allowedTransitions,
  compareByWindow,
  describeWindow,
  formatInZone,
  isTimeZone,
  releaseFacts,
  releaseWindow,
  toUtcIso,
  transitionProblem,
  type ReleaseFacts,
  type ReleaseStatus,
} from '../../src/shared/domain/releases.ts';
import { EVENT_CATALOG } from '../../src/shared/events/catalog.ts';
import { foldEntity, type FoldInput } from '../../src/shared/events/fold.ts';

const window = { start: '2026-11-24T21:00:00.000Z', end: '2026-11-24T23:00:00.000Z', zone: 'Europe/Berlin' };

function release(status: ReleaseStatus, extra: Partial<ReleaseFacts> = {}): ReleaseFacts {
  return {
    id: 'rel-1',
    name: 'R',
    version: '1.0',
    type: 'minor',
    changeClass: 'normal',
    ticket: null,
    services: [],
    environment: null,
    strategy: null,
    window,
    owner: null,
    scope: '',
    status,
    archived: false,
    createdAt: null,
    updatedAt: null,
    conflicts: [],
    ...extra,
  };
}

describe('lifecycle', () => {
  it('runs planned → scheduled → go/no-go → deploying → stabilizing → closed', () => {
    const path: ReleaseStatus[] = ['planned', 'scheduled', 'go_no_go', 'deploying', 'stabilizing', 'closed'];
    for (let i = 0; i + 1 < path.length; i++) expect(transitionProblem(release(path[i]!), path[i + 1]!, undefined)).toBeNull();
  });

  it('ends in closed, rolled back or cancelled, with no way out', () => {
    for (const end of ['closed', 'rolled_back', 'cancelled'] as const) {
      expect(TRANSITIONS[end]).toEqual([]);
      expect(transitionProblem(release(end), 'planned', undefined)).toBe(`A release cannot go from ${end.replace('_', ' ')} to planned. No transitions are allowed from ${end.replace('_', ' ')}.`);
    }
  });

  it('refuses closing a release that never deployed, naming what is allowed now', () => {
    expect(transitionProblem(release('planned'), 'closed', undefined)).toBe('A release cannot go from planned to closed. Allowed now: scheduled, cancelled.');
    expect(transitionProblem(release('scheduled'), 'closed', undefined)).toBe('A release cannot go from scheduled to closed. Allowed now: go/no-go, planned, cancelled.');
  });

  it('rolls back only from deploying or stabilizing, and only with a reason', () => {
    for (const from of RELEASE_STATUSES) {
      const can = TRANSITIONS[from].includes('rolled_back');
      expect(can).toBe(from === 'deploying' || from === 'stabilizing');
    }
    expect(transitionProblem(release('deploying'), 'rolled_back', undefined)).toBe('Moving to rolled back needs a reason.');
    expect(transitionProblem(release('deploying'), 'rolled_back', 'errors')).toBeNull();
    expect(transitionProblem(release('planned'), 'cancelled', '  ')).toBe('Moving to cancelled needs a reason.');
  });

  it('needs a window to schedule', () => {
    expect(transitionProblem(release('planned', { window: null }), 'scheduled', undefined)).toBe(
      'Cannot move to scheduled: set a planned window first. Allowed now: cancelled.',
    );
  });

  it('lets only an emergency change skip scheduling', () => {
    expect(allowedTransitions(release('planned'))).toEqual(['scheduled', 'cancelled']);
    expect(allowedTransitions(release('planned', { type: 'emergency', changeClass: 'emergency' }))).toEqual(['scheduled', 'go_no_go', 'cancelled']);
    expect(allowedTransitions(release('planned', { changeClass: 'emergency', window: null }))).toEqual(['go_no_go', 'cancelled']);
  });

  it('will not deploy after a no-go or while decisions conflict', () => {
    expect(transitionProblem(release('go_no_go'), 'deploying', undefined, { decision: 'no_go' })).toBe(
      'Cannot move to deploying: the go/no-go decision was no-go. Allowed now: scheduled, cancelled.',
    );
    expect(allowedTransitions(release('go_no_go'), { decision: 'decision_conflict' })).toEqual(['scheduled', 'cancelled']);
    expect(allowedTransitions(release('go_no_go'), { decision: 'go' })).toEqual(['deploying', 'scheduled', 'cancelled']);
  });

  it('says so when asked to move to the status it already has', () => {
    expect(transitionProblem(release('deploying'), 'deploying', undefined)).toBe('The release is already deploying. Allowed now: stabilizing, rolled back.');
  });
});

describe('windows and zones', () => {
  it('validates IANA zones with Intl', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('reads wall-clock times in the release zone, across DST', () => {
    expect(toUtcIso('2026-11-24T22:00', 'Europe/Berlin')).toBe('2026-11-24T21:00:00.000Z');
    expect(toUtcIso('2026-07-01T22:00', 'Europe/Berlin')).toBe('2026-07-01T20:00:00.000Z');
    expect(toUtcIso('2026-03-29T03:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(toUtcIso('2026-11-24 09:30', 'America/New_York')).toBe('2026-11-24T14:30:00.000Z');
    expect(toUtcIso('2026-11-24T22:00:00+05:30', 'Europe/Berlin')).toBe('2026-11-24T16:30:00.000Z');
    expect(toUtcIso('2026-11-24T22:00Z', 'Asia/Tokyo')).toBe('2026-11-24T22:00:00.000Z');
    expect(toUtcIso('tomorrow', 'UTC')).toBeNull();
    expect(toUtcIso('2026-13-01T00:00', 'UTC')).toBeNull();
  });

  it('checks a window ends after it starts', () => {
    expect(releaseWindow.safeParse(window).success).toBe(true);
    const backwards = releaseWindow.safeParse({ ...window, end: window.start });
    expect(backwards.success).toBe(false);
    expect(backwards.error?.issues[0]).toMatchObject({ path: ['end'], message: 'The window must end after it starts.' });
    expect(releaseWindow.safeParse({ ...window, zone: 'Nowhere/Else' }).success).toBe(false);
  });

  it('shows times in the viewer’s zone with the release zone beside them', () => {
    expect(formatInZone(window.start, 'Europe/Berlin')).toBe('2026-11-24 22:00 GMT+1');
    expect(describeWindow(window, 'America/New_York')).toBe('2026-11-24 16:00 GMT-5 – 2026-11-24 18:00 GMT-5 (release zone Europe/Berlin: 2026-11-24 22:00 GMT+1 – 2026-11-25 00:00 GMT+1)');
    expect(describeWindow(window, 'Europe/Berlin')).toBe('2026-11-24 22:00 GMT+1 – 2026-11-25 00:00 GMT+1 (Europe/Berlin)');
  });

  it('sorts by window, releases without one last', () => {
    const a = { id: 'a', createdAt: '1', window: { ...window, start: '2026-12-01T00:00:00.000Z' } };
    const b = { id: 'b', createdAt: '2', window };
    const c = { id: 'c', createdAt: '0', window: null };
    expect([a, c, b].sort(compareByWindow).map((r) => r.id)).toEqual(['b', 'a', 'c']);
  });
});

describe('release facts from the fold', () => {
  const actor = { id: 'p1', name: 'Ana', role: 'coordinator' };
  const ev = (seq: number, type: string, data: Record<string, unknown>, pred?: string[]): FoldInput => ({
    id: `d:${seq}`,
    hlc: `${String(1_795_000_000_000 + seq * 1000).padStart(13, '0')}-00000000-d`,
    seq,
    at: new Date(1_795_000_000_000 + seq * 1000).toISOString(),
    actor,
    type,
    v: 1,
    entity: { kind: 'release', id: 'rel-1' },
    data: data as FoldInput['data'],
    ...(pred ? { pred } : {}),
  });

  it('reads an old-style release (title only) as a planned minor normal change', () => {
    const facts = releaseFacts('rel-1', foldEntity([ev(1, 'release.created', { title: 'Old' })], EVENT_CATALOG));
    expect(facts).toMatchObject({ name: 'Old', type: 'minor', changeClass: 'normal', status: 'planned', services: [], window: null });
  });

  it('follows transitions and shows concurrent ones as a conflict', () => {
    const created = ev(1, 'release.created', { title: 'R', version: '1', type: 'emergency' });
    const a = ev(2, 'release.transitioned', { from: 'planned', to: 'go_no_go' }, []);
    const b = ev(3, 'release.transitioned', { from: 'planned', to: 'cancelled', reason: 'dup' }, []);
    const one = releaseFacts('rel-1', foldEntity([created, a], EVENT_CATALOG));
    expect(one).toMatchObject({ status: 'go_no_go', changeClass: 'emergency', conflicts: [] });
    expect(releaseFacts('rel-1', foldEntity([created, a, b], EVENT_CATALOG)).conflicts).toEqual(['status']);
  });
});

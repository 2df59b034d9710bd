// The go/no-go board is a pure function of the log: whatever order the events of several devices
// arrive in, every device shows the same answers, sign-off verdicts, blockers and decision.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG } from '../../src/shared/events/catalog.ts';
import type { UnsignedEvent } from '../../src/shared/events/envelope.ts';
import { foldEntity } from '../../src/shared/events/fold.ts';
import { buildBoard, segregationProblem, type Duties } from '../../src/shared/gonogo/board.ts';
import { DEFAULT_CHECKLIST } from '../../src/shared/gonogo/checklist.ts';

const people = {
  casey: { id: 'p_casey', name: 'Casey', role: 'coordinator' },
  dana: { id: 'p_dana', name: 'Dana', role: 'lead' },
  erin: { id: 'p_erin', name: 'Erin', role: 'approver' },
  dana2: { id: 'p_dana_laptop2', name: 'dana ', role: 'lead' },
};

function ev(device: string, seq: number, wall: number, actor: UnsignedEvent['actor'], type: string, data: UnsignedEvent['data'], pred?: string[]): UnsignedEvent {
  return {
    id: `${device}:${seq}`,
    device,
    seq,
    hlc: `${String(wall).padStart(13, '0')}-00000000-${device}`,
    at: new Date(wall).toISOString(),
    actor,
    type,
    entity: { kind: 'release', id: 'r1' },
    data,
    v: 1,
    prev: null,
    ...(pred ? { pred } : {}),
  };
}

const duties: Duties = {
  creators: [{ id: 'p_casey', name: 'Casey', did: 'created the release' }],
  deployers: [{ id: null, name: 'Dana', did: 'is assigned step 2 of Deploy' }],
  changeAuthors: [],
};

const history: UnsignedEvent[] = [
  ev('a', 1, 1000, people.casey, 'release.created', { title: 'R', type: 'minor' }),
  ev('a', 2, 1001, people.casey, 'checklist.attached', { doc: DEFAULT_CHECKLIST, template: { id: 'default', version: 0, event: null } }, []),
  ev('a', 3, 1002, people.casey, 'criterion.answered', { criterion: 'scope-frozen', answer: 'not_met', as: 'technical_lead', comment: 'two PRs open' }, []),
  ev('a', 4, 1010, people.casey, 'criterion.answered', { criterion: 'scope-frozen', answer: 'met', as: 'technical_lead' }, ['a:3']),
  ev('b', 1, 1003, people.erin, 'criterion.answered', { criterion: 'rollback-tested', answer: 'met', as: 'operations' }, []),
  ev('c', 1, 1004, people.dana, 'criterion.answered', { criterion: 'rollback-tested', answer: 'waived', as: 'operations', comment: 'no time' }, []),
  ev('b', 2, 1005, people.erin, 'signoff.given', { as: 'technical_lead' }),
  ev('b', 3, 1006, people.erin, 'signoff.withdrawn', { of: 'b:2', reason: 'scope changed' }),
  ev('b', 4, 1007, people.erin, 'signoff.given', { as: 'technical_lead' }),
  ev('c', 2, 1008, people.dana2, 'signoff.given', { as: 'operations' }),
  ev('a', 5, 1009, people.casey, 'signoff.given', { as: 'change_manager' }),
  ev('a', 6, 1011, people.casey, 'decision.made', { outcome: 'go', rationale: 'ship', exception: 'emergency' }, []),
  ev('b', 5, 1012, people.erin, 'decision.made', { outcome: 'no_go', rationale: 'wait' }, []),
];

describe('the go/no-go board', () => {
  it('judges every sign-off and answer the same way whatever the arrival order', () => {
    const reference = buildBoard('r1', foldEntity(history, EVENT_CATALOG), duties);
    expect(reference.roles.map((r) => [r.role, r.signed, r.signoffs.map((s) => [s.id, s.rejected?.replace(/:.*/, '') ?? null])])).toEqual([
      ['technical_lead', true, [['b:4', null]]],
      ['operations', false, [['c:2', 'segregation of duties (deployer)']]],
      ['business_owner', false, []],
      ['change_manager', false, [['a:5', 'only approvers and leads sign off; Casey is a coordinator']]],
    ]);
    const criteria = reference.groups.flatMap((g) => g.criteria);
    expect(criteria.find((c) => c.id === 'scope-frozen')).toMatchObject({ state: 'met', conflict: null });
    expect(criteria.find((c) => c.id === 'rollback-tested')?.conflict).toHaveLength(2);
    expect(reference.blockers.map((b) => b.kind)).toContain('answer_conflict');
    expect(reference.state).toBe('decision_conflict');

    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: history.length, maxLength: history.length }), (keys) => {
        const shuffled = history.map((e, i) => ({ e, k: keys[i]! * 100 + i })).sort((x, y) => x.k - y.k).map((x) => x.e);
        expect(buildBoard('r1', foldEntity(shuffled, EVENT_CATALOG), duties)).toEqual(reference);
      }),
      { numRuns: 100 },
    );
  });

  it('names the first rule that applies: creator, then deployer, then change author', () => {
    const all: Duties = {
      creators: [{ id: 'p1', name: 'Ann', did: 'created the release' }],
      deployers: [{ id: null, name: 'ann', did: 'completed step 1' }],
      changeAuthors: [{ id: 'p1', name: 'Ann', did: 'owns the change' }],
    };
    expect(segregationProblem({ id: 'p1', name: 'Ann' }, all)?.rule).toBe('creator');
    expect(segregationProblem({ id: 'p9', name: 'ANN' }, { ...all, creators: [] })?.rule).toBe('deployer');
    expect(segregationProblem({ id: 'p1', name: 'Other' }, { ...all, creators: [], deployers: [] })?.text).toBe(
      'segregation of duties (change author): Other owns the change and may not approve it',
    );
    expect(segregationProblem({ id: 'p2', name: 'Bob' }, all)).toBeNull();
  });
});

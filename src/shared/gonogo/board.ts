// The go/no-go board as a pure function of the log: the checklist copy with each criterion's
// current answer, the sign-offs checked for role and segregation of duties, and the decision with
// what it rests on. Segregation of duties is judged here, from events, not only in the handler:
// a sign-off ingested from another device is held to the same rules on every device.
import { compareEvents, type Actor } from '../events/envelope.ts';
import type { EntityState } from '../events/fold.ts';
import { answerRegister, type DecisionOutcome } from '../events/gonogo-events.ts';
import { fieldView, releaseView, type DecisionState } from '../events/views.ts';
import {
  ANSWER_LABELS,
  CRITERION_GROUPS,
  GROUP_LABELS,
  SIGNOFF_ROLES,
  SIGNOFF_ROLE_LABELS,
  type Answer,
  type ChecklistDoc,
  type Criterion,
  type CriterionGroup,
  type SignoffRole,
} from './checklist.ts';
import type { JUnitSummary } from './junit.ts';

/** Someone with a duty on the release: a person id when known, and the name as written. */
export interface Party {
  id: string | null;
  name: string;
  /** What they did: "created the release", "completed step 3 of Deploy", … */
  did: string;
}

/** Who holds which duty on a release, from its events (creator, deployers, change authors). */
export interface Duties {
  creators: Party[];
  deployers: Party[];
  changeAuthors: Party[];
}

export type SodRule = 'creator' | 'deployer' | 'change_author';
export const SOD_RULE_LABELS: Record<SodRule, string> = { creator: 'creator', deployer: 'deployer', change_author: 'change author' };

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
/** One human may sit at several laptops (one person id each): a name match counts too. */
const isParty = (actor: Pick<Actor, 'id' | 'name'>, party: Party) => party.id === actor.id || sameName(party.name, actor.name);

/** The segregation-of-duties rule a signer breaks, as a sentence naming it, or null. */
export function segregationProblem(signer: Pick<Actor, 'id' | 'name'>, duties: Duties): { rule: SodRule; text: string } | null {
  const checks: [SodRule, Party[]][] = [
    ['creator', duties.creators],
    ['deployer', duties.deployers],
    ['change_author', duties.changeAuthors],
  ];
  for (const [rule, parties] of checks) {
    const hit = parties.find((p) => isParty(signer, p));
    if (hit) return { rule, text: `segregation of duties (${SOD_RULE_LABELS[rule]}): ${signer.name} ${hit.did} and may not approve it` };
  }
  return null;
}

export interface AnswerView {
  event: string;
  answer: Answer;
  label: string;
  as: SignoffRole;
  comment: string | null;
  evidence: { url: string } | { sha256: string; name: string; mime: string; size: number } | null;
  auto: { rule: string; detail: string; inputs: Record<string, unknown> } | null;
  by: Actor;
  at: string;
}

export type CriterionState = 'unanswered' | Answer;

export interface BoardCriterion extends Criterion {
  state: CriterionState;
  answer: AnswerView | null;
  /** Concurrent answers from different devices, when they disagree. */
  conflict: AnswerView[] | null;
}

export interface BoardSignoff {
  id: string;
  as: string;
  label: string;
  by: Actor;
  at: string;
  /** Null when it counts; otherwise the rule it breaks (it stays visible, rejected). */
  rejected: string | null;
}

export interface RoleRow {
  role: SignoffRole;
  label: string;
  signoffs: BoardSignoff[];
  signed: boolean;
}

export type BlockerKind = 'no_checklist' | 'criterion_open' | 'criterion_failed' | 'answer_conflict' | 'signoff_missing' | 'decision_conflict';

export interface Blocker {
  kind: BlockerKind;
  text: string;
  /** Criterion id or role. */
  ref: string | null;
}

export interface DecisionValue {
  event: string;
  outcome: DecisionOutcome;
  by: Actor;
  at: string;
  /** From the decision event (filled in by the reader, which has the log). */
  rationale: string | null;
  conditions: string | null;
  exception: string | null;
}

export type BoardState = 'no_checklist' | 'open' | 'ready' | DecisionState;

export interface Board {
  release: string;
  checklist: { title: string; template: { id: string; version: number; event: string | null } } | null;
  groups: { group: CriterionGroup; label: string; criteria: BoardCriterion[] }[];
  requiredRoles: SignoffRole[];
  roles: RoleRow[];
  /** Sign-offs in roles the release does not require (and first-model criterion sign-offs). */
  otherSignoffs: BoardSignoff[];
  invalidSignoffs: BoardSignoff[];
  /** What a go rests on; everything but a decision conflict can be overridden by an exception. */
  blockers: Blocker[];
  decision: { state: DecisionState; values: DecisionValue[] };
  testReport: (JUnitSummary & { name: string; sha256: string }) | null;
  /** One word for the status bar and the wall: no checklist, open, ready, go, no-go, … */
  state: BoardState;
  counts: { criteria: number; answered: number; mandatoryOpen: number; failed: number };
}

function answerView(w: { id: string; value: unknown; by: Actor; at: string }): AnswerView {
  const d = w.value as { answer: Answer; as: SignoffRole; comment?: string; evidence?: AnswerView['evidence']; auto?: AnswerView['auto'] };
  return { event: w.id, answer: d.answer, label: ANSWER_LABELS[d.answer], as: d.as, comment: d.comment ?? null, evidence: d.evidence ?? null, auto: d.auto ?? null, by: w.by, at: w.at };
}

const roleLabel = (as: string) => SIGNOFF_ROLE_LABELS[as as SignoffRole] ?? as;

export function buildBoard(releaseId: string, state: EntityState, duties: Duties): Board {
  const checklistValue = fieldView<{ doc: ChecklistDoc; template: { id: string; version: number; event: string | null } }>(state.registers.checklist).value;
  const doc = checklistValue?.doc ?? null;
  const criteria: BoardCriterion[] = (doc?.criteria ?? []).map((criterion) => {
    const reg = fieldView(state.registers[answerRegister(criterion.id)]);
    const values = reg.values.map(answerView);
    const current = values[0] ?? null;
    return { ...criterion, state: current ? current.answer : 'unanswered', answer: current, conflict: reg.conflict ? values : null };
  });
  const requiredRoles = (fieldView<SignoffRole[]>(state.registers.requiredRoles).value ?? []).filter((r) => (SIGNOFF_ROLES as readonly string[]).includes(r));
  const view = releaseView(state);
  const signoffs: BoardSignoff[] = view.signoffs.map((s) => ({
    id: s.id,
    as: s.as,
    label: roleLabel(s.as),
    by: s.by,
    at: s.at,
    rejected: s.rejected === 'the release owner may not approve their own release' ? (segregationProblem(s.by, duties)?.text ?? s.rejected) : (s.rejected ?? segregationProblem(s.by, duties)?.text ?? null),
  }));
  const roles: RoleRow[] = requiredRoles.map((role) => {
    const mine = signoffs.filter((s) => s.as === role);
    return { role, label: SIGNOFF_ROLE_LABELS[role], signoffs: mine, signed: mine.some((s) => s.rejected === null) };
  });
  const blockers: Blocker[] = [];
  if (!doc) blockers.push({ kind: 'no_checklist', text: 'No checklist is attached to this release.', ref: null });
  for (const c of criteria) {
    if (c.conflict) blockers.push({ kind: 'answer_conflict', text: `“${c.statement}” was answered differently on two devices.`, ref: c.id });
    if (!c.mandatory) continue;
    if (c.state === 'unanswered') blockers.push({ kind: 'criterion_open', text: `Unanswered: ${c.statement}`, ref: c.id });
    else if (c.state === 'not_met') blockers.push({ kind: 'criterion_failed', text: `Not met: ${c.statement}`, ref: c.id });
  }
  for (const row of roles) if (!row.signed) blockers.push({ kind: 'signoff_missing', text: `Missing sign-off: ${row.label}.`, ref: row.role });
  const decisionField = fieldView<DecisionOutcome>(state.registers.decision);
  if (view.decision.state === 'decision_conflict') {
    blockers.push({ kind: 'decision_conflict', text: `Concurrent decisions (${decisionField.values.map((v) => `${v.value} by ${v.by.name}`).join(', ')}): record one decision that settles both.`, ref: null });
  }
  const counts = {
    criteria: criteria.length,
    answered: criteria.filter((c) => c.state !== 'unanswered').length,
    mandatoryOpen: criteria.filter((c) => c.mandatory && (c.state === 'unanswered' || c.state === 'not_met')).length,
    failed: criteria.filter((c) => c.state === 'not_met').length,
  };
  const report = fieldView<JUnitSummary & { name: string; sha256: string }>(state.registers.testReport).value;
  const onlyDecision = blockers.every((b) => b.kind === 'decision_conflict');
  // A no-go sends the release back; once it has been moved to go/no-go again (after the
  // decision), a new round is open. A no-go that could not move the release still stands.
  const statusTop = state.registers.status?.values[0];
  const decisionTop = state.registers.decision?.values[0];
  const newRound = view.decision.state === 'no_go' && statusTop?.value === 'go_no_go' && decisionTop !== undefined && compareEvents(statusTop, decisionTop) > 0;
  return {
    release: releaseId,
    checklist: checklistValue ? { title: checklistValue.doc.title, template: checklistValue.template } : null,
    groups: CRITERION_GROUPS.map((group) => ({ group, label: GROUP_LABELS[group], criteria: criteria.filter((c) => c.group === group) })).filter((g) => g.criteria.length > 0),
    requiredRoles,
    roles,
    otherSignoffs: signoffs.filter((s) => !requiredRoles.includes(s.as as SignoffRole)),
    invalidSignoffs: signoffs.filter((s) => s.rejected !== null),
    blockers,
    decision: { state: view.decision.state, values: decisionField.values.map((v) => ({ event: v.id, outcome: v.value, by: v.by, at: v.at, rationale: null, conditions: null, exception: null })) },
    testReport: report,
    state: view.decision.state !== 'none' && !newRound ? view.decision.state : !doc ? 'no_checklist' : blockers.length === 0 || onlyDecision ? 'ready' : 'open',
    counts,
  };
}

/** Blockers a go must override with an explicit exception (all but a decision conflict). */
export function exceptionNeeded(board: Board): Blocker[] {
  return board.blockers.filter((b) => b.kind !== 'decision_conflict');
}

export const BOARD_STATE_LABELS: Record<BoardState, string> = {
  no_checklist: 'no checklist',
  open: 'open items',
  ready: 'ready to decide',
  none: 'no decision',
  go: 'GO',
  no_go: 'NO-GO',
  go_with_conditions: 'GO with conditions',
  decision_conflict: 'decision conflict',
};

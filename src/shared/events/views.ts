// What the UI reads from a folded state: register values with their conflicts, and the
// sign-off rules, which run here — inside the deterministic fold output, never in a handler —
// because a buggy or malicious device can write anything into the log.
import type { JsonValue } from './canonical.ts';
import { SIGNOFF_ROLES } from '../gonogo/checklist.ts';
import type { EntityState, RegisterState, Written } from './fold.ts';

export interface FieldView<T = JsonValue> {
  /** The value to show: the newest current write by (hlc, device). */
  value: T | null;
  /** True when concurrent writes are all current; `values` holds each of them. */
  conflict: boolean;
  values: { id: string; value: T; by: Written['by']; at: string }[];
}

export function fieldView<T = JsonValue>(reg: RegisterState | undefined): FieldView<T> {
  const values = (reg?.values ?? []).map((w) => ({ id: w.id, value: w.value as T, by: w.by, at: w.at }));
  const distinct = new Set(values.map((v) => JSON.stringify(v.value)));
  return { value: values[0]?.value ?? null, conflict: distinct.size > 1, values };
}

export const SIGNING_ROLES: readonly string[] = ['approver', 'lead'];

export interface SignoffView {
  id: string;
  /** Set on sign-offs of the first model (one per criterion); role sign-offs have none. */
  criterion: string | null;
  as: string;
  by: Written['by'];
  at: string;
  /** null when it counts; otherwise the rule it breaks (it stays visible as "rejected"). */
  rejected: string | null;
}

export type DecisionState = 'none' | 'go' | 'no_go' | 'go_with_conditions' | 'decision_conflict';

export interface ReleaseView {
  exists: boolean;
  archived: boolean;
  title: FieldView<string>;
  type: FieldView<string>;
  windowStart: FieldView<string>;
  windowEnd: FieldView<string>;
  owner: FieldView<string>;
  severity: FieldView<string>;
  notes: number;
  signoffs: SignoffView[];
  decision: { state: DecisionState; field: FieldView<string> };
  conflicts: string[];
}

export function releaseView(state: EntityState): ReleaseView {
  const field = (name: string) => fieldView<string>(state.registers[name]);
  const owner = field('owner');
  const set = state.sets.signoffs ?? { added: {}, removed: {} };
  const signoffs: SignoffView[] = Object.entries(set.added)
    .filter(([id, w]) => !(set.removed[id] ?? []).includes(w.by.id))
    .map(([id, w]) => {
      const value = w.value as { criterion?: string; as: string };
      return { id, criterion: value.criterion ?? null, as: value.as, by: w.by, at: w.at, rejected: signoffRule(w, value.as, owner) };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const decisionField = field('decision');
  const decision: DecisionState = decisionField.conflict
    ? 'decision_conflict'
    : ((decisionField.value as DecisionState | null) ?? 'none');
  const view = {
    exists: 'created' in state.flags,
    archived: 'archived' in state.flags,
    title: field('title'),
    type: field('type'),
    windowStart: field('windowStart'),
    windowEnd: field('windowEnd'),
    owner,
    severity: field('severity'),
    notes: state.counts.notes ?? 0,
    signoffs,
    decision: { state: decision, field: decisionField },
  };
  const conflicts = Object.keys(state.registers)
    .filter((name) => fieldView(state.registers[name]).conflict)
    .sort();
  return { ...view, conflicts };
}

function signoffRule(w: Written, as: string, owner: FieldView<string>): string | null {
  if ((SIGNOFF_ROLES as readonly string[]).includes(as)) {
    // A go/no-go role sign-off: any approver or lead may sign in any capacity the release needs.
    if (!SIGNING_ROLES.includes(w.by.role)) return `only approvers and leads sign off; ${w.by.name} is ${w.by.role === 'engineer' ? 'an' : 'a'} ${w.by.role}`;
  } else {
    if (!SIGNING_ROLES.includes(as)) return `the ${as} role may not sign off`;
    if (w.by.role !== as) return `signed as ${as} by someone whose role is ${w.by.role}`;
  }
  // Segregation of duties: any current owner value counts, so a conflicted owner field cannot
  // be used to slip an approval through.
  if (owner.values.some((v) => v.value === w.by.id)) return 'the release owner may not approve their own release';
  return null;
}

export interface StepView {
  done: FieldView<boolean>;
  ticks: number;
}

export function stepView(state: EntityState): StepView {
  return { done: fieldView<boolean>(state.registers.done), ticks: state.counts.ticks ?? 0 };
}

export interface PersonView {
  name: string;
  role: string;
  updatedAt: string;
}

export function personView(state: EntityState): PersonView | null {
  const current = state.registers.profile?.values[0];
  if (!current) return null;
  const value = current.value as { name: string; role: string };
  return { name: value.name, role: value.role, updatedAt: current.at };
}
